/* A worker opens the files of a walk in order, and most of them share their
 * directory with the file before: keeping the chain of directories open
 * turns a file's open from one openat per path component into one openat. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lib/sources/dir_cache.h"

#define FILE_FLAGS (O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)

/* A scan leaves access times alone: a fresh checkout's files have an atime
 * no later than their mtime, so (relatime) the first read of each would
 * write its inode. The kernel allows O_NOATIME on one's own files only; after
 * the first refusal this cache opens without it. */
static int open_file(sg_dir_cache *c, int dir, const char *name)
{
	if (!c->keep_atime) {
		int fd = openat(dir, name, FILE_FLAGS | O_NOATIME);
		if (fd >= 0 || errno != EPERM)
			return fd;
		c->keep_atime = 1;
	}
	return openat(dir, name, FILE_FLAGS);
}

static void close_from(sg_dir_cache *c, int keep)
{
	while (c->depth > keep)
		close(c->fds[--c->depth]);
}

void sg_dir_cache_clear(sg_dir_cache *c)
{
	close_from(c, 0);
}

void sg_dir_cache_free(sg_dir_cache *c)
{
	sg_dir_cache_clear(c);
	free(c->path);
	c->path = NULL;
	c->cap = 0;
}

/* Remember path[0..end) as the directory fd at the top of the chain; past
 * the cache's depth (or out of memory) the fd is the caller's to close. */
static int push(sg_dir_cache *c, const char *path, size_t end, int fd)
{
	if (c->depth == SG_DIR_CACHE_DEPTH)
		return 0;
	if (end + 1 > c->cap) {
		size_t ncap = end + 256;
		char *n = realloc(c->path, ncap);
		if (!n)
			return 0;
		c->path = n;
		c->cap = ncap;
	}
	/* the chain's earlier directories are prefixes of this one */
	memcpy(c->path, path, end);
	c->path[end] = '\0';
	c->ends[c->depth] = end;
	c->fds[c->depth++] = fd;
	return 1;
}

/* How many of the cached directories lead to path: the root must be the
 * same string, each further one a whole component of path (or, for a
 * directory, path itself). */
static int shared_depth(const sg_dir_cache *c, const char *path, size_t len, size_t root,
                        int want_dir)
{
	if (c->depth == 0 || c->ends[0] != root || memcmp(c->path, path, root) != 0)
		return 0;
	int k = 1;
	while (k < c->depth &&
	       (c->ends[k] < len ? path[c->ends[k]] == '/' : want_dir && c->ends[k] == len) &&
	       memcmp(c->path + c->ends[k - 1], path + c->ends[k - 1],
	              c->ends[k] - c->ends[k - 1]) == 0)
		k++;
	return k;
}

#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

/* Open path through the chain: a file (dir 0) or a directory that joins the
 * chain (dir 1; *owned is set when the chain is full and the fd is the
 * caller's to close). */
static int open_in(sg_dir_cache *c, const char *path, size_t root, int want_dir, int *owned_out)
{
	size_t len = strlen(path);
	while (want_dir && len > root && path[len - 1] == '/')
		len--;
	if (root == 0 || root > len || (root == len && !want_dir))
		return want_dir ? open(path, DIR_FLAGS & ~O_NOFOLLOW)
		                : open_file(c, AT_FDCWD, path);
	int k = shared_depth(c, path, len, root, want_dir);
	close_from(c, k);
	int dir, owned = 0; /* owned: dir is not in the cache, close it here */
	size_t at;
	if (k == 0) {
		/* the root as given (a link there was named by the user) */
		char *top = strndup(path, root);
		if (!top)
			return -1;
		dir = open(top, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		free(top);
		if (dir < 0)
			return -1;
		owned = !push(c, path, root, dir);
		at = root;
	} else {
		dir = c->fds[k - 1];
		at = c->ends[k - 1];
	}
	char name[256];
	for (;;) {
		while (at < len && path[at] == '/')
			at++;
		if (want_dir && at >= len) {
			*owned_out = owned;
			return dir;
		}
		const char *p = path + at, *slash = memchr(p, '/', len - at);
		if (!slash && !want_dir) {
			int fd = open_file(c, dir, p);
			int e = errno;
			if (owned)
				close(dir);
			errno = e;
			return fd;
		}
		size_t n = slash ? (size_t)(slash - p) : len - at;
		int next = -1, e;
		if (n == 0 || (n == 2 && p[0] == '.' && p[1] == '.')) {
			e = EACCES; /* never up and out of the root */
		} else if (n >= sizeof(name)) {
			e = ENAMETOOLONG;
		} else {
			memcpy(name, p, n);
			name[n] = '\0';
			next = openat(dir, name, DIR_FLAGS);
			/* a link where a directory was: ELOOP (or ENOTDIR), never followed */
			e = next < 0 && (errno == ENOTDIR || errno == ELOOP) ? ELOOP : errno;
		}
		if (owned)
			close(dir);
		if (next < 0) {
			errno = e;
			return -1;
		}
		dir = next;
		at += n;
		owned = !push(c, path, at, dir);
	}
}

int sg_dir_cache_open(sg_dir_cache *c, const char *path, size_t root)
{
	return open_in(c, path, root, 0, NULL);
}

int sg_dir_cache_open_dir(sg_dir_cache *c, const char *path, size_t root, int *owned)
{
	*owned = 1;
	return open_in(c, path, root, 1, owned);
}
