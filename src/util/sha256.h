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

/* PBKDF2-HMAC-SHA256 (RFC 8018): outlen bytes derived from pass and salt. */
void sg_pbkdf2_sha256(unsigned char *out, size_t outlen, const void *pass, size_t passlen,
                      const void *salt, size_t saltlen, uint32_t iterations);

#endif
