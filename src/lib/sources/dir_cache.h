/* Opening many files under one root without following a link below it,
 * one openat per file: the directories of the last path opened stay open. */
#ifndef SG_DIR_CACHE_H
#define SG_DIR_CACHE_H

#include <stddef.h>

/* directories deeper than this are opened for each file, as without a cache */
#define SG_DIR_CACHE_DEPTH 32

typedef struct sg_dir_cache {
	char *path; /* the directory chain held open: path[0..ends[depth-1]) */
	size_t cap;
	size_t ends[SG_DIR_CACHE_DEPTH]; /* path[0..ends[k]) is the directory fds[k] */
	int fds[SG_DIR_CACHE_DEPTH];     /* fds[0] the root, then one per component */
	int depth;                       /* fds in use */
	int keep_atime;                  /* O_NOATIME was refused (another user's file) */
} sg_dir_cache;

#define SG_DIR_CACHE_INIT                                                                          \
	{                                                                                          \
		.depth = 0                                                                         \
	}

/* Open path for reading; its first root bytes are the root (a link there was
 * named by the user and is followed), no link after them is: ELOOP. Every
 * component is opened relative to the one before it, as the cache's
 * directories were, so a cached chain is the chain a fresh open would walk.
 * Returns an fd or -1 with errno set. */
int sg_dir_cache_open(sg_dir_cache *c, const char *path, size_t root);
/* Open the directory path the same way and keep it at the top of the
 * chain: the fd stays the cache's (valid until the next call) unless
 * *owned is set, when the caller closes it. Returns an fd or -1. */
int sg_dir_cache_open_dir(sg_dir_cache *c, const char *path, size_t root, int *owned);
/* Close the directories held. */
void sg_dir_cache_clear(sg_dir_cache *c);
void sg_dir_cache_free(sg_dir_cache *c);

#endif
