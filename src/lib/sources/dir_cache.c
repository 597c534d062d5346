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
 * same string, each further one a whole component of path. */
static int shared_depth(const sg_dir_cache *c, const char *path, size_t len, size_t root)
{
	if (c->depth == 0 || c->ends[0] != root || memcmp(c->path, path, root) != 0)
		return 0;
	int k = 1;
	while (k < c->depth && c->ends[k] < len && path[c->ends[k]] == '/' &&
	       memcmp(c->path + c->ends[k - 1], path + c->ends[k - 1],
	              c->ends[k] - c->ends[k - 1]) == 0)
		k++;
	return k;
}

int sg_dir_cache_open(sg_dir_cache *c, const char *path, size_t root)
{
	size_t len = strlen(path);
	if (root == 0 || root >= len)
		return open(path, FILE_FLAGS);
	int k = shared_depth(c, path, len, root);
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
		while (path[at] == '/')
			at++;
		const char *p = path + at, *slash = strchr(p, '/');
		if (!slash) {
			int fd = openat(dir, p, FILE_FLAGS);
			int e = errno;
			if (owned)
				close(dir);
			errno = e;
			return fd;
		}
		size_t n = (size_t)(slash - p);
		int next = -1, e;
		if (n == 0 || (n == 2 && p[0] == '.' && p[1] == '.')) {
			e = EACCES; /* never up and out of the root */
		} else if (n >= sizeof(name)) {
			e = ENAMETOOLONG;
		} else {
			memcpy(name, p, n);
			name[n] = '\0';
			next = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
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
		at = (size_t)(slash - path);
		owned = !push(c, path, at, dir);
	}
}
