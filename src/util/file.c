/* Reading a whole file under a size cap: the size is checked before the
 * read and again while reading, for files that grow or lie about their size
 * (pipes, /proc). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "secretgate/secretgate.h"
#include "util/file.h"

static int read_stream(char **out, size_t *len, FILE *f, const char *path, uint64_t max);

int sg_file_read(char **out, size_t *len, const char *path, uint64_t max)
{
	*out = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return sg_error_set(errno == ENOENT ? SG_ENOTFOUND : SG_EIO, "%s: %s", path,
		                    strerror(errno));
	return read_stream(out, len, f, path, max);
}

int sg_file_read_fd(char **out, size_t *len, int fd, const char *path, uint64_t max)
{
	*out = NULL;
	*len = 0;
	struct stat sb;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return sg_error_set(SG_EIO, "%s: not a regular file", path);
	}
	FILE *f = fdopen(fd, "rb");
	if (!f) {
		close(fd);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	return read_stream(out, len, f, path, max);
}

static int read_stream(char **out, size_t *len, FILE *f, const char *path, uint64_t max)
{
	struct stat sb;
	if (fstat(fileno(f), &sb) == 0 && (uint64_t)sb.st_size > max) {
		fclose(f);
		return sg_error_set(SG_ETOOBIG, "%s: over the %llu-byte cap", path,
		                    (unsigned long long)max);
	}
	size_t cap = sb.st_size > 0 ? (size_t)sb.st_size + 1 : 4096, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
		if (n + 1 == cap) {
			if (n >= max) {
				free(buf);
				fclose(f);
				return sg_error_set(SG_ETOOBIG, "%s: over the %llu-byte cap", path,
				                    (unsigned long long)max);
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb)
				free(buf);
			buf = nb;
			cap *= 2;
		}
	}
	int err = ferror(f);
	fclose(f);
	if (!buf)
		return sg_error_set(SG_ENOMEM, "out of memory");
	if (err) {
		free(buf);
		return sg_error_set(SG_EIO, "%s: read failed", path);
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

char *sg_path_in(const char *root, const char *name)
{
	if (!root || name[0] == '/')
		return strdup(name);
	size_t n = strlen(root) + strlen(name) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s%s%s", root, *root && root[strlen(root) - 1] != '/' ? "/" : "",
		         name);
	return p;
}
