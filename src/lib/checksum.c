/* Offline checksum validators for tokens whose format carries one.
 * A token that fails its checksum is a typo or a made-up example. */
#include <string.h>
#include "secretgate.h"

static const char base62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

static uint32_t crc32_ieee(const unsigned char *p, size_t n)
{
	uint32_t crc = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320u & (uint32_t)-(int32_t)(crc & 1));
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

typedef struct {
	const char *name;
	int (*verify)(const char *token, size_t len);
} validator;

static const validator validators[] = {
	{"github", verify_prefixed_crc32},
	{"npm", verify_prefixed_crc32},
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
