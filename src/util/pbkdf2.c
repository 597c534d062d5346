/* PBKDF2-HMAC-SHA256 (RFC 8018), the deliberately slow derivation behind the
 * fingerprints of weak secrets. The HMAC key's inner and outer states are
 * computed once, so each iteration costs two SHA-256 compressions. */
#include <string.h>
#include "util/sha256.h"

typedef struct hmac_key {
	sg_sha256 inner, outer;
} hmac_key;

static void hmac_key_init(hmac_key *k, const void *key, size_t len)
{
	unsigned char block[64] = {0}, pad[64];
	if (len > 64) {
		sg_sha256 c;
		sg_sha256_init(&c);
		sg_sha256_update(&c, key, len);
		sg_sha256_final(&c, block);
	} else if (len) {
		memcpy(block, key, len);
	}
	for (int i = 0; i < 64; i++)
		pad[i] = block[i] ^ 0x36;
	sg_sha256_init(&k->inner);
	sg_sha256_update(&k->inner, pad, 64);
	for (int i = 0; i < 64; i++)
		pad[i] = block[i] ^ 0x5c;
	sg_sha256_init(&k->outer);
	sg_sha256_update(&k->outer, pad, 64);
}

static void hmac(const hmac_key *k, const void *a, size_t alen, const void *b, size_t blen,
                 unsigned char out[32])
{
	sg_sha256 c = k->inner;
	sg_sha256_update(&c, a, alen);
	if (blen)
		sg_sha256_update(&c, b, blen);
	sg_sha256_final(&c, out);
	c = k->outer;
	sg_sha256_update(&c, out, 32);
	sg_sha256_final(&c, out);
}

void sg_pbkdf2_sha256(unsigned char *out, size_t outlen, const void *pass, size_t passlen,
                      const void *salt, size_t saltlen, uint32_t iterations)
{
	hmac_key k;
	hmac_key_init(&k, pass, passlen);
	for (uint32_t blockno = 1; outlen; blockno++) {
		unsigned char be[4] = {(unsigned char)(blockno >> 24),
		                       (unsigned char)(blockno >> 16),
		                       (unsigned char)(blockno >> 8), (unsigned char)blockno};
		unsigned char u[32], t[32];
		hmac(&k, salt, saltlen, be, 4, u);
		memcpy(t, u, 32);
		for (uint32_t i = 1; i < iterations; i++) {
			hmac(&k, u, 32, NULL, 0, u);
			for (int j = 0; j < 32; j++)
				t[j] ^= u[j];
		}
		size_t n = outlen < 32 ? outlen : 32;
		memcpy(out, t, n);
		out += n;
		outlen -= n;
	}
}
