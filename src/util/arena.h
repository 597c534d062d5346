/* arena: NUL-terminated strings appended to one growing buffer and named
 * by offset (offsets stay valid while the buffer moves). */
#ifndef SG_ARENA_H
#define SG_ARENA_H

#include <stddef.h>

typedef struct sg_arena {
	char *data;
	size_t len, cap;
} sg_arena;

/* Append s[0..n) and a NUL; *off is where it starts. 0, or SG_ENOMEM. */
int sg_arena_add(sg_arena *a, size_t *off, const char *s, size_t n);

#endif
