/* A small reader of git's index file (versions 2, 3 and 4) and its
 * cache-tree extension, so that a staged scan can skip the directories the
 * next commit leaves as they are in HEAD without reading them. It takes only
 * the plain shapes git writes for a SHA-1 repository and refuses the rest
 * (split and sparse indexes, unknown required extensions, unsorted or odd
 * entries), leaving those to libgit2's reader. Every read stays inside the
 * bytes given. */
#ifndef SG_INDEX_FILE_H
#define SG_INDEX_FILE_H

#include <stddef.h>
#include <stdint.h>

/* Index files larger than this are left to libgit2 (index-max-bytes). */
#define SG_INDEX_MAX_BYTES ((size_t)1 << 30)
/* A path longer than this, or a cache-tree nested deeper, is refused. */
#define SG_INDEX_MAX_PATH  4096
#define SG_INDEX_MAX_DEPTH 1024

#define SG_INDEX_OID_SIZE 20
/* extended flags (version 3 and later) */
#define SG_INDEX_SKIP_WORKTREE 0x4000
#define SG_INDEX_INTENT_TO_ADD 0x2000

typedef struct sg_index_entry {
	const char *path; /* NUL-terminated, relative to the top of the work tree */
	uint32_t path_len;
	uint32_t mode;           /* 0100644, 0100755, 0120000 or 0160000 */
	const unsigned char *id; /* SG_INDEX_OID_SIZE bytes */
	unsigned stage;          /* 0, or 1..3 for an unresolved conflict */
	unsigned extended;       /* SG_INDEX_SKIP_WORKTREE, SG_INDEX_INTENT_TO_ADD */
} sg_index_entry;

/* One directory of the cache-tree, in the file's pre-order: its subtrees
 * are the nodes after it up to `end`. */
typedef struct sg_index_tree {
	const char *name; /* "" for the top directory */
	uint32_t name_len;
	int32_t entry_count;     /* index entries below it; -1 when invalidated */
	uint32_t subtrees;       /* direct subdirectories */
	uint32_t end;            /* index of the node after this one's subtrees */
	const unsigned char *id; /* the tree's id; NULL when invalidated */
} sg_index_tree;

typedef struct sg_index {
	uint32_t version;
	sg_index_entry *entries;
	size_t count;
	sg_index_tree *trees; /* trees[0] is the top directory; none: ntrees 0 */
	size_t ntrees;
	size_t conflicts;     /* entries with a stage */
	size_t intent_to_add; /* entries added with `git add -N` */
	char *paths;          /* version 4: the expanded paths */
	void *map;            /* sg_index_open: the mapped file */
	size_t map_len;
} sg_index;

/* Parse an index held in buf[0..len), which must outlive ix. 0 on success;
 * SG_EINVALID (with the reason in sg_error_last()) for an index this reader
 * does not take, SG_ETOOBIG over SG_INDEX_MAX_BYTES, SG_ENOMEM. The trailing
 * checksum is not verified (docs/security.md says why). Free ix with
 * sg_index_free whatever this returns. */
int sg_index_parse(sg_index *ix, const unsigned char *buf, size_t len);
/* Map and parse the index file at path; SG_ENOTFOUND when it cannot be opened. */
int sg_index_open(sg_index *ix, const char *path);
void sg_index_free(sg_index *ix);

#endif
