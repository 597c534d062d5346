/* sniff: whether content is text to scan or binary to skip, judged from the
 * file name and the first bytes, the same way for files and git blobs. */
#ifndef SG_SNIFF_H
#define SG_SNIFF_H

#include <stddef.h>

/* How many leading bytes are looked at. */
#define SG_SNIFF_BYTES 8000

/* 1 when data (the content of path, which may be NULL) is binary. Text with
 * no NUL in the first SG_SNIFF_BYTES is text. With a NUL, a file whose name
 * says text (source, config, key files) is text unless a tenth of those bytes
 * are control bytes; a file whose name says binary (images, archives, objects)
 * is binary; any other is text only when control bytes are rare (1 in 100), so
 * a stray NUL cannot hide the rest of a text file. */
int sg_sniff_binary(const char *path, const char *data, size_t len);

#endif
