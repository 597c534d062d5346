/* The git formats secretgate reads by hand rather than through libgit2, for
 * speed: raw tree objects (one pass, no allocation per entry) and version-2
 * pack indexes (object offsets, for reading blobs in pack order). Both take
 * untrusted bytes and never read outside them. */
#ifndef SG_GIT_PARSE_H
#define SG_GIT_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <git2.h>

typedef struct sg_tree_entry {
	const char *name;
	size_t name_len;
	const git_oid *id;
	int kind; /* 't' tree, 'b' blob, 0 other (links, submodules) */
} sg_tree_entry;

/* The next entry of a raw tree at *p (before end): 1 and *p advanced, 0 at
 * the end, -1 when the bytes are not a tree entry. */
int sg_git_tree_next(sg_tree_entry *e, const char **p, const char *end);

/* Call fn with each object id and pack offset of a version-2 pack index.
 * Other versions and indexes too short for their object count yield
 * nothing; a large offset pointing outside the index is skipped. */
void sg_pack_index_each(const unsigned char *m, size_t size,
                        void (*fn)(void *ctx, const git_oid *id, uint64_t offset), void *ctx);

#endif
