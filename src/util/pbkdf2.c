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

/* HMAC of a 32-byte message, the loop's case: the message and its padding
 * make one block after the key's (already absorbed) 64, and so does the
 * inner digest for the outer hash. blk holds the message in its first 32
 * bytes and the padding after; it is left holding the result. */
static void hmac32(const hmac_key *k, unsigned char blk[64])
{
	uint32_t st[8];
	memcpy(st, k->inner.h, sizeof(st));
	sg_sha256_compress(st, blk, 1);
	sg_sha256_digest(st, blk);
	memcpy(st, k->outer.h, sizeof(st));
	sg_sha256_compress(st, blk, 1);
	sg_sha256_digest(st, blk);
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
		/* 64 + 32 bytes hashed: 0x80, zeros, then 768 as a 64-bit count */
		unsigned char blk[64] = {[32] = 0x80, [62] = 0x03};
		memcpy(blk, u, 32);
		for (uint32_t i = 1; i < iterations; i++) {
			hmac32(&k, blk);
			for (int j = 0; j < 32; j++)
				t[j] ^= blk[j];
		}
		size_t n = outlen < 32 ? outlen : 32;
		memcpy(out, t, n);
		out += n;
		outlen -= n;
	}
}
