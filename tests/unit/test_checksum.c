/* Checksum validators: tokens are built at run time, never written literally. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "secretgate/secretgate.h"
#include "lib/engine/checks.h"

static uint32_t crc32(const char *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++) {
		c ^= (unsigned char)p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & (uint32_t) - (int32_t)(c & 1));
	}
	return ~c;
}

static void crc_token(char *out, const char *prefix, const char *body30)
{
	static const char b62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	strcpy(out, prefix);
	strcat(out, body30);
	size_t at = strlen(out);
	uint32_t v = crc32(body30, 30);
	for (int i = 5; i >= 0; i--) {
		out[at + (size_t)i] = b62[v % 62];
		v /= 62;
	}
	out[at + 6] = '\0';
}

static void test_crc32_tokens(void **state)
{
	(void)state;
	char t[64];
	crc_token(t,
	          "gh"
	          "p_",
	          "Zq8Lm2Vt9Rx4Kp7Nw3Yb6Hc1Jd5Fs0");
	assert_int_equal(sg_checksum_verify("github", t, strlen(t)), 1);
	t[strlen(t) - 1] = t[strlen(t) - 1] == 'A' ? 'B' : 'A';
	assert_int_equal(sg_checksum_verify("github", t, strlen(t)), 0);
	crc_token(t,
	          "np"
	          "m_",
	          "Ab3Cd4Ef5Gh6Ij7Kl8Mn9Op0Qr1St2");
	assert_int_equal(sg_checksum_verify("npm", t, strlen(t)), 1);
	assert_int_equal(sg_checksum_verify("nope", t, strlen(t)), SG_ENOTFOUND);
}

/* BIP-173 test vectors, and an age identity with its case changed */
static void test_bech32(void **state)
{
	(void)state;
	const char *ok[] = {"A12UEL5L", "a12uel5l",
	                    "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw"};
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(sg_checksum_verify("bech32", ok[i], strlen(ok[i])), 1);
	const char *bad = "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxx";
	assert_int_equal(sg_checksum_verify("bech32", bad, strlen(bad)), 0);
	assert_int_equal(sg_checksum_verify("bech32", "nochecksum", 10), 0);
}

static void test_jwt(void **state)
{
	(void)state;
	/* {"alg":"HS256","typ":"JWT"} . {"sub":"1"} . signature */
	char t[256];
	strcpy(t, "eyJ"
	          "hbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ"
	          "zdWIiOiIxIn0.");
	strcat(t, "c2lnbmF0dXJlLWJ5dGVzLWhlcmU");
	assert_int_equal(sg_checksum_verify("jwt", t, strlen(t)), 1);
	/* {"alg":"none"} is not a credential */
	strcpy(t, "eyJ"
	          "hbGciOiJub25lIn0.eyJ"
	          "zdWIiOiIxIn0.c2ln");
	assert_int_equal(sg_checksum_verify("jwt", t, strlen(t)), 0);
	/* header that is not JSON */
	strcpy(t, "bm90anNvbg.eyJ"
	          "zdWIiOiIxIn0.c2ln");
	assert_int_equal(sg_checksum_verify("jwt", t, strlen(t)), 0);
}

/* base64 of n bytes into out (standard or URL alphabet, no padding) */
static void b64(char *out, const unsigned char *in, size_t n, int url)
{
	const char *a = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	                    : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			out[o++] = a[(acc >> bits) & 63];
		}
	}
	if (bits)
		out[o++] = a[(acc << (6 - bits)) & 63];
	out[o] = '\0';
}

static void sentry_token(char *out, const char *json)
{
	unsigned char sec[32];
	for (int i = 0; i < 32; i++)
		sec[i] = (unsigned char)(i * 37 + 11);
	strcpy(out, "sntrys_");
	b64(out + strlen(out), (const unsigned char *)json, strlen(json), 0);
	strcat(out, "_");
	b64(out + strlen(out), sec, 32, 0);
}

static void test_sentry_org(void **state)
{
	(void)state;
	char t[1024];
	sentry_token(t, "{\"iat\": 1733000000.5, \"url\": \"https://sentry.io\", "
	                "\"region_url\": \"https://us.sentry.io\", \"org\": \"acme\"}");
	assert_int_equal(sg_checksum_verify("sentry-org", t, strlen(t)), 1);
	/* a JSON object without the org is not an organization token */
	sentry_token(t, "{\"iat\": 1733000000.5, \"url\": \"https://sentry.io\", \"x\": 1}");
	assert_int_equal(sg_checksum_verify("sentry-org", t, strlen(t)), 0);
	/* not closed: cut short or made up after the first bytes */
	sentry_token(t, "{\"iat\": 1733000000.5, \"org\": \"acme\", \"url\": \"https://sen");
	assert_int_equal(sg_checksum_verify("sentry-org", t, strlen(t)), 0);
	/* the secret part must be 43 characters */
	sentry_token(t, "{\"iat\": 1, \"org\": \"acme\"}");
	t[strlen(t) - 1] = '\0';
	assert_int_equal(sg_checksum_verify("sentry-org", t, strlen(t)), 0);
}

/* a version 2 macaroon: location pypi.org, identifier, caveats, signature */
static size_t macaroon(unsigned char *m, int caveats, int siglen)
{
	size_t n = 0;
	m[n++] = 2;
	m[n++] = 1;
	m[n++] = 8;
	memcpy(m + n, "pypi.org", 8);
	n += 8;
	m[n++] = 2;
	m[n++] = 16;
	for (int i = 0; i < 16; i++)
		m[n++] = (unsigned char)('a' + i);
	m[n++] = 0;
	for (int c = 0; c < caveats; c++) {
		const char *cav = "{\"version\": 1, \"permissions\": \"user\"}";
		m[n++] = 2;
		m[n++] = (unsigned char)strlen(cav);
		memcpy(m + n, cav, strlen(cav));
		n += strlen(cav);
		m[n++] = 0;
	}
	m[n++] = 0;
	m[n++] = 6;
	m[n++] = (unsigned char)siglen;
	for (int i = 0; i < siglen; i++)
		m[n++] = (unsigned char)(i * 53 + 7);
	return n;
}

static void test_pypi_macaroon(void **state)
{
	(void)state;
	unsigned char m[512];
	char t[1024];
	for (int caveats = 0; caveats < 3; caveats++) {
		size_t n = macaroon(m, caveats, 32);
		strcpy(t, "pypi-");
		b64(t + 5, m, n, 1);
		assert_int_equal(sg_checksum_verify("pypi-macaroon", t, strlen(t)), 1);
		/* cut short: the signature is incomplete */
		t[strlen(t) - 4] = '\0';
		assert_int_equal(sg_checksum_verify("pypi-macaroon", t, strlen(t)), 0);
	}
	/* a signature of the wrong size */
	size_t n = macaroon(m, 1, 31);
	strcpy(t, "pypi-");
	b64(t + 5, m, n, 1);
	assert_int_equal(sg_checksum_verify("pypi-macaroon", t, strlen(t)), 0);
	/* bytes after the signature */
	n = macaroon(m, 1, 32);
	m[n++] = 0;
	strcpy(t, "pypi-");
	b64(t + 5, m, n, 1);
	assert_int_equal(sg_checksum_verify("pypi-macaroon", t, strlen(t)), 0);
	/* an unknown field type */
	n = macaroon(m, 1, 32);
	m[11] = 9;
	strcpy(t, "pypi-");
	b64(t + 5, m, n, 1);
	assert_int_equal(sg_checksum_verify("pypi-macaroon", t, strlen(t)), 0);
	/* random bytes after the location */
	n = macaroon(m, 1, 32);
	for (size_t i = 11; i < n; i++)
		m[i] = (unsigned char)(i * 97 + 13);
	strcpy(t, "pypi-");
	b64(t + 5, m, n, 1);
	assert_int_equal(sg_checksum_verify("pypi-macaroon", t, strlen(t)), 0);
}

static void json_token(char *out, const char *json)
{
	b64(out, (const unsigned char *)json, strlen(json), 0);
}

static void test_base64_json_keys(void **state)
{
	(void)state;
	char t[1024];
	json_token(t, "{\"k\":\"q7Zr2mXv9LpW4nB8cT1yH3dK6sF0aJ5e\",\"n\":\"deploy\",\"id\":1}");
	assert_int_equal(sg_checksum_verify("grafana-key", t, strlen(t)), 1);
	/* the URL alphabet decodes the same */
	json_token(t, "{\"k\":\"q7Zr2mXv9LpW4nB8cT1yH3dK6sF0aJ5e\",\"n\":\"a>?b\",\"id\":1}");
	for (char *p = t; *p; p++)
		*p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
	assert_int_equal(sg_checksum_verify("grafana-key", t, strlen(t)), 1);
	json_token(t, "{\"k\":\"q7Zr2mXv9LpW4nB8cT1yH3dK6sF0aJ5e\",\"n\":\"deploy\"}");
	assert_int_equal(sg_checksum_verify("grafana-key", t, strlen(t)), 0);
	json_token(t, "{\"k\":\"q7Zr2mXv9LpW4nB8cT1yH3dK6sF0aJ5e\",\"n\":\"deploy\",\"id\":1");
	assert_int_equal(sg_checksum_verify("grafana-key", t, strlen(t)), 0);
	json_token(t, "{\"a\":\"0f3c9b2e7d1a4c5b8e6f0a9d2c7b1e4f\",\"t\":"
	              "\"5b0c2a1e-9f3d-4e7a-b6c8-1d2e3f4a5b6c\",\"s\":\"c2VjcmV0LWJ5dGVz\"}");
	assert_int_equal(sg_checksum_verify("cloudflare-tunnel", t, strlen(t)), 1);
	assert_int_equal(sg_checksum_verify("grafana-key", t, strlen(t)), 0);
	strcpy(t, "eyJhIjoi");
	strcat(t, "F/9Vz6BsKZ/61ay3s0rrwwocGE5n/2N4Y0QmyCZzTQCGB4hCRlQ57");
	assert_int_equal(sg_checksum_verify("cloudflare-tunnel", t, strlen(t)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_crc32_tokens),  cmocka_unit_test(test_bech32),
	        cmocka_unit_test(test_jwt),           cmocka_unit_test(test_sentry_org),
	        cmocka_unit_test(test_pypi_macaroon), cmocka_unit_test(test_base64_json_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
