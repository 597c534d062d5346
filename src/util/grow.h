/* grow: the one way a growable array makes room. Arrays double from a first
 * capacity; the caller keeps its own count and decides what running out of
 * memory means (the array and its capacity are unchanged then). */
#ifndef SG_GROW_H
#define SG_GROW_H

#include <stddef.h>

/* Grow the array *items (elements of elem bytes) to twice *cap, or to
 * first when it has none: 0, or -1 on overflow or out of memory. */
int sg_grow_array(void *items, size_t *cap, size_t elem, size_t first);
/* SG_GROW(ptr, cap, first) for an array `T *ptr` with capacity `size_t cap`. */
#define SG_GROW(ptr, cap, first) sg_grow_array(&(ptr), &(cap), sizeof(*(ptr)), (first))

#endif
