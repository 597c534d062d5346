/* The streaming redactor: masks secrets (rule matches and the values of a
 * leak set) in a stream, line by line, flushing after every line. */
#ifndef SG_REDACT_H
#define SG_REDACT_H

#include <stdint.h>
#include <stdio.h>
#include "secretgate/secretgate.h"

typedef struct sg_leakset sg_leakset; /* secretgate/env.h */

typedef struct sg_redactor sg_redactor;

typedef struct sg_redact_options {
	size_t max_line; /* bytes held per line before it is emitted in pieces; 0 = 64 KiB */
} sg_redact_options;
#define SG_REDACT_OPTIONS_INIT                                                                     \
	{                                                                                          \
		.max_line = 0                                                                      \
	}

/* Masks rule matches (rules finalized, may be NULL) and leak-set values
 * (may be NULL). Both must outlive the redactor. */
int sg_redactor_new(sg_redactor **out, const sg_ruleset *rules, const sg_leakset *leaks,
                    const sg_redact_options *opts);
void sg_redactor_free(sg_redactor *r);
/* Mask one line. *out points into the redactor, valid until the next call. */
int sg_redactor_line(sg_redactor *r, const char **out, size_t *out_len, const char *line,
                     size_t len);
/* Copy in to out line by line, masked, flushing after every line. Lines
 * over max_line are emitted in pieces; the tail of each piece is held back
 * so a secret across a piece boundary is still masked. *masked (may be NULL)
 * counts masked spans. */
int sg_redactor_run(sg_redactor *r, uint64_t *masked, FILE *in, FILE *out);

#endif
