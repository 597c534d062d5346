/* Reading a whole file under a size cap. */
#ifndef SG_UTIL_FILE_H
#define SG_UTIL_FILE_H

#include <stddef.h>
#include <stdint.h>

/* Read path into a NUL-terminated buffer the caller frees. SG_ENOTFOUND when
 * it does not exist, SG_ETOOBIG over max bytes ("<path>: over the N-byte
 * cap"), SG_EIO when it cannot be read; the message names the path. */
int sg_file_read(char **out, size_t *len, const char *path, uint64_t max);
/* The same from an open fd, which it takes over (closed in every case); a
 * file that is not regular is SG_EIO. path names it in messages. */
int sg_file_read_fd(char **out, size_t *len, int fd, const char *path, uint64_t max);

#endif
