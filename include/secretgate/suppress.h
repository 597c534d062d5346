/* Fingerprint lists: .secretgateignore and baselines. Both hold hashes, never
 * secrets; a baseline is sorted with no line numbers or dates so that
 * regenerating it yields no diff and merges do not conflict. */
#ifndef SG_SUPPRESS_H
#define SG_SUPPRESS_H

#include "secretgate/policy.h"

typedef struct sg_fingerprint_set {
	char **items; /* sorted "fingerprint" or "fingerprint path" entries */
	size_t count, cap;
} sg_fingerprint_set;

/* Largest fingerprint list read (SG_ETOOBIG above it). */
#define SG_FINGERPRINT_LIST_MAX (64u << 20)

/* Read a list: one fingerprint per line, optionally followed by a path
 * (the entry then applies only there); '#' starts a comment.
 * A missing file is SG_ENOTFOUND; bad lines are errors naming file and line. */
int sg_fingerprint_set_load(sg_fingerprint_set *set, const char *path);
int sg_fingerprint_set_parse(sg_fingerprint_set *set, const char *name, const char *text,
                             size_t len);
void sg_fingerprint_set_free(sg_fingerprint_set *set);
/* 1 when the finding's fingerprint (alone, or with its path) is listed. */
int sg_fingerprint_set_has(const sg_fingerprint_set *set, const sg_finding *f);
/* 1 when a weak secret's finding is listed under the fingerprint older
 * versions gave it (one SHA-256, cheap to confirm a guess against): still
 * honoured, so old lists keep working, but the caller should say the list
 * needs rewriting. */
int sg_fingerprint_set_has_legacy(const sg_fingerprint_set *set, const sg_finding *f);

#endif
