/* The array is passed as the address of its pointer (any object pointer
 * type); it is read and written with memcpy, so no pointer is accessed
 * through an lvalue of another type. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "util/grow.h"

int sg_grow_array(void *items, size_t *cap, size_t elem, size_t first)
{
	size_t ncap = *cap ? *cap * 2 : first;
	if (ncap < *cap || (elem && ncap > SIZE_MAX / elem))
		return -1;
	void *p;
	memcpy(&p, items, sizeof(p));
	void *np = realloc(p, ncap * elem);
	if (!np)
		return -1;
	memcpy(items, &np, sizeof(np));
	*cap = ncap;
	return 0;
}
