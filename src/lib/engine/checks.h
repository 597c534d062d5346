/* checks: the measures a candidate must pass besides its pattern, entropy
 * (entropy.c) and provider checksums (checksum.c). */
#ifndef SG_CHECKS_H
#define SG_CHECKS_H

#include <stddef.h>

/* Shannon entropy of s in bits per byte. */
double sg_entropy(const char *s, size_t len);
/* Validate a token against a named checksum. 1 valid, 0 invalid,
 * SG_ENOTFOUND for an unknown validator name. */
int sg_checksum_verify(const char *name, const char *token, size_t len);
/* Whether a validator of that name exists (rules are checked at load). */
int sg_checksum_known(const char *name);

#endif
