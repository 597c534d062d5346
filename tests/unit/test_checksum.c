/* Checksum validators: tokens are built at run time, never written literally. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "secretgate/secretgate.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_crc32_tokens),
	        cmocka_unit_test(test_bech32),
	        cmocka_unit_test(test_jwt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
