/* SHA-256 (FIPS 180-4), for content fingerprints: no library state, so a
 * scan that never touches git never has to initialise libgit2. */
#ifndef SG_SHA256_H
#define SG_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct sg_sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
	size_t fill;
} sg_sha256;

void sg_sha256_init(sg_sha256 *c);
void sg_sha256_update(sg_sha256 *c, const void *data, size_t len);
void sg_sha256_final(sg_sha256 *c, unsigned char out[32]);

/* The raw compression of n 64-byte blocks into a state, and a state as the
 * 32 bytes of a digest: for callers that lay out their own padded blocks. */
void sg_sha256_compress(uint32_t st[8], const unsigned char *blocks, size_t n);
void sg_sha256_digest(const uint32_t st[8], unsigned char out[32]);

/* Use the CPU's SHA instructions where it has them (the default); off, the
 * portable code. Returns whether the instructions are now in use. Call it
 * before threads start (tests run both paths). */
int sg_sha256_use_hw(int on);

/* PBKDF2-HMAC-SHA256 (RFC 8018): outlen bytes derived from pass and salt. */
void sg_pbkdf2_sha256(unsigned char *out, size_t outlen, const void *pass, size_t passlen,
                      const void *salt, size_t saltlen, uint32_t iterations);

#endif
