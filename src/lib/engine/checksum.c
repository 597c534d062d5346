/* Offline checksum validators for tokens whose format carries one.
 * A token that fails its checksum is a typo or a made-up example. */
#include <ctype.h>
#include <string.h>
#include "secretgate/secretgate.h"
#include "lib/engine/checks.h"

static const char base62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

static uint32_t crc32_ieee(const unsigned char *p, size_t n)
{
	uint32_t crc = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320u & (uint32_t) - (int32_t)(crc & 1));
	}
	return ~crc;
}

/* base62 of v, left-padded with '0' to width. */
static void base62_encode(char *out, size_t width, uint32_t v)
{
	for (size_t i = width; i > 0; i--) {
		out[i - 1] = base62[v % 62];
		v /= 62;
	}
	out[width] = '\0';
}

/* PREFIX_ + 30 random base62 + 6 base62 CRC32 of the random part
 * (GitHub ghp_/gho_/ghu_/ghs_/ghr_ and npm npm_ tokens share this layout). */
static int verify_prefixed_crc32(const char *token, size_t len)
{
	const char *us = memchr(token, '_', len);
	if (!us)
		return 0;
	const char *body = us + 1;
	size_t blen = len - (size_t)(body - token);
	if (blen != 36)
		return 0;
	char want[8];
	base62_encode(want, 6, crc32_ieee((const unsigned char *)body, 30));
	return memcmp(want, body + 30, 6) == 0;
}

/* Bech32 (BIP-173) checksum of an uppercase or lowercase string "hrp1data":
 * age secret keys are AGE-SECRET-KEY-1 + 52 data characters + 6 checksum. */
static int verify_bech32(const char *token, size_t len)
{
	static const char charset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
	static const uint32_t gen[5] = {0x3b6a57b2u, 0x26508e6du, 0x1ea119fau, 0x3d4233ddu,
	                                0x2a1462b3u};
	if (len < 8 || len > 1024)
		return 0;
	size_t sep = len;
	for (size_t i = len; i > 0; i--)
		if (token[i - 1] == '1') {
			sep = i - 1;
			break;
		}
	if (sep == len || sep == 0 || len - sep - 1 < 6)
		return 0;
	uint32_t chk = 1;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < sep; i++) {
			int c = tolower((unsigned char)token[i]);
			uint32_t v = pass == 0 ? (uint32_t)c >> 5 : (uint32_t)c & 31;
			uint32_t b = chk >> 25;
			chk = ((chk & 0x1ffffffu) << 5) ^ v;
			for (int k = 0; k < 5; k++)
				chk ^= ((b >> k) & 1) ? gen[k] : 0;
			if (pass == 0 && i + 1 == sep) {
				/* the separator between the two halves of the expansion */
				b = chk >> 25;
				chk = (chk & 0x1ffffffu) << 5;
				for (int k = 0; k < 5; k++)
					chk ^= ((b >> k) & 1) ? gen[k] : 0;
			}
		}
	for (size_t i = sep + 1; i < len; i++) {
		const char *p = strchr(charset, tolower((unsigned char)token[i]));
		if (!p || !*p)
			return 0;
		uint32_t b = chk >> 25;
		chk = ((chk & 0x1ffffffu) << 5) ^ (uint32_t)(p - charset);
		for (int k = 0; k < 5; k++)
			chk ^= ((b >> k) & 1) ? gen[k] : 0;
	}
	return chk == 1;
}

/* Decode base64url (padding optional) into out; returns the length or -1. */
static long b64url_decode(const char *in, size_t len, unsigned char *out, size_t cap)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)in[i], v;
		if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= 'a' && c <= 'z')
			v = c - 'a' + 26;
		else if (c >= '0' && c <= '9')
			v = c - '0' + 52;
		else if (c == '-' || c == '+')
			v = 62;
		else if (c == '_' || c == '/')
			v = 63;
		else if (c == '=')
			break;
		else
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n == cap)
				return -1;
			out[n++] = (unsigned char)(acc >> bits);
		}
	}
	return (long)n;
}

/* A JSON Web Token: three dot-separated parts whose header decodes to a JSON
 * object naming an "alg" (other than "none") and whose payload decodes to a
 * JSON object. Not a cryptographic check: it proves the structure. */
static int verify_jwt(const char *token, size_t len)
{
	const char *d1 = memchr(token, '.', len);
	if (!d1)
		return 0;
	const char *d2 = memchr(d1 + 1, '.', len - (size_t)(d1 + 1 - token));
	if (!d2 || d2 + 1 >= token + len)
		return 0;
	unsigned char buf[2048];
	long n = b64url_decode(token, (size_t)(d1 - token), buf, sizeof(buf) - 1);
	if (n < 2 || buf[0] != '{')
		return 0;
	buf[n] = '\0';
	const char *alg = strstr((const char *)buf, "\"alg\"");
	if (!alg)
		return 0;
	alg += 5;
	while (*alg == ' ' || *alg == ':')
		alg++;
	if (!strncmp(alg, "\"none\"", 6) || !strncmp(alg, "\"None\"", 6) ||
	    !strncmp(alg, "\"NONE\"", 6))
		return 0;
	n = b64url_decode(d1 + 1, (size_t)(d2 - d1 - 1), buf, sizeof(buf) - 1);
	if (n == -1 && (size_t)(d2 - d1 - 1) > 2000)
		return 1; /* large payload: the header already proved the shape */
	return n >= 2 && buf[0] == '{';
}

/* A Sentry organization token: "sntrys_" + base64 of a JSON object (Sentry
 * writes "iat", "url", "region_url" and "org" into it, so sentry-cli can find
 * the organization) + "_" + 43 base64 characters of random secret. */
static int verify_sentry_org(const char *token, size_t len)
{
	if (len < 7 + 2 + 44 || memcmp(token, "sntrys_", 7) != 0)
		return 0;
	const char *payload = token + 7;
	const char *us = NULL;
	for (const char *p = token + len; p > payload; p--)
		if (p[-1] == '_') {
			us = p - 1;
			break;
		}
	if (!us || (size_t)(token + len - us - 1) != 43)
		return 0;
	unsigned char buf[2048];
	long n = b64url_decode(payload, (size_t)(us - payload), buf, sizeof(buf) - 1);
	if (n < 2 || buf[0] != '{')
		return 0;
	buf[n] = '\0';
	/* trailing spaces aside, the object must be closed and name the org */
	while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\n'))
		buf[--n] = '\0';
	return buf[n - 1] == '}' && strstr((const char *)buf, "\"iat\"") &&
	       strstr((const char *)buf, "\"org\"");
}

/* The token decodes from base64 (either alphabet, padding optional) to one
 * JSON object holding every key of `keys` (a NULL-terminated list). */
static int b64_json_object(const char *token, size_t len, const char *const *keys)
{
	unsigned char buf[2048];
	long n = b64url_decode(token, len, buf, sizeof(buf) - 1);
	if (n < 2 || buf[0] != '{')
		return 0;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\n'))
		buf[--n] = '\0';
	if (n < 2 || buf[n - 1] != '}')
		return 0;
	char quoted[16];
	for (size_t i = 0; keys[i]; i++) {
		snprintf(quoted, sizeof(quoted), "\"%s\"", keys[i]);
		if (!strstr((const char *)buf, quoted))
			return 0;
	}
	return 1;
}

/* Grafana's legacy API keys: base64 of {"k": key, "n": name, "id": org id}. */
static int verify_grafana_key(const char *token, size_t len)
{
	static const char *const keys[] = {"k", "n", "id", NULL};
	return b64_json_object(token, len, keys);
}

/* Cloudflare Tunnel tokens: base64 of {"a": account tag, "t": tunnel id,
 * "s": tunnel secret}. */
static int verify_cloudflare_tunnel(const char *token, size_t len)
{
	static const char *const keys[] = {"a", "t", "s", NULL};
	return b64_json_object(token, len, keys);
}

/* A base-128 varint (macaroon field lengths); returns bytes read or 0. */
static size_t varint(const unsigned char *p, size_t n, size_t *out)
{
	size_t v = 0;
	for (size_t i = 0; i < n && i < 4; i++) {
		v |= (size_t)(p[i] & 0x7f) << (7 * i);
		if (!(p[i] & 0x80)) {
			*out = v;
			return i + 1;
		}
	}
	return 0;
}

/* A PyPI API token: "pypi-" + base64url of a version 2 binary macaroon
 * (libmacaroons format): version byte 2; fields of type, varint length and
 * bytes; the root's location and identifier, end-of-section, each caveat's
 * fields and end-of-section, a final end-of-section, then the signature
 * (type 6) of exactly 32 bytes, and nothing after it. */
static int verify_pypi_macaroon(const char *token, size_t len)
{
	if (len < 5 + 16 || memcmp(token, "pypi-", 5) != 0)
		return 0;
	unsigned char buf[1024];
	long n = b64url_decode(token + 5, len - 5, buf, sizeof(buf));
	if (n < 40 || buf[0] != 2)
		return 0;
	size_t i = 1, end = (size_t)n;
	int sections = 0, saw_id = 0;
	while (i < end) {
		unsigned type = buf[i++];
		if (type == 0) {
			/* the root section needs an identifier; the empty section
			 * after the caveats is followed by the signature */
			if (sections == 0 && !saw_id)
				return 0;
			if (sections > 0 && i < end && buf[i] == 6) {
				size_t slen, k = varint(buf + i + 1, end - i - 1, &slen);
				return k && slen == 32 && i + 1 + k + 32 == end;
			}
			sections++;
			continue;
		}
		if (type != 1 && type != 2 && type != 4)
			return 0;
		size_t flen, k = varint(buf + i, end - i, &flen);
		if (!k || flen > end - i - k)
			return 0;
		if (type == 2 && sections == 0)
			saw_id = 1;
		i += k + flen;
	}
	return 0;
}

typedef struct {
	const char *name;
	int (*verify)(const char *token, size_t len);
} validator;

static const validator validators[] = {
        /* clang-format off */
        {"github", verify_prefixed_crc32},
        {"npm", verify_prefixed_crc32},
        {"bech32", verify_bech32},
        {"jwt", verify_jwt},
        {"sentry-org", verify_sentry_org},
        {"pypi-macaroon", verify_pypi_macaroon},
        {"grafana-key", verify_grafana_key},
        {"cloudflare-tunnel", verify_cloudflare_tunnel},
        /* clang-format on */
};

int sg_checksum_known(const char *name)
{
	for (size_t i = 0; i < sizeof(validators) / sizeof(validators[0]); i++)
		if (strcmp(validators[i].name, name) == 0)
			return 1;
	return 0;
}

int sg_checksum_verify(const char *name, const char *token, size_t len)
{
	for (size_t i = 0; i < sizeof(validators) / sizeof(validators[0]); i++)
		if (strcmp(validators[i].name, name) == 0)
			return validators[i].verify(token, len);
	return sg_error_set(SG_ENOTFOUND, "unknown checksum validator '%s'", name);
}
