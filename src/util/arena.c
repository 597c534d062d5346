/* The buffer doubles from 4 kB until the string fits. */
#include <stdlib.h>
#include <string.h>
#include "secretgate/secretgate.h"
#include "util/arena.h"

int sg_arena_add(sg_arena *a, size_t *off, const char *s, size_t n)
{
	if (n + 1 > a->cap - a->len) {
		size_t ncap = a->cap ? a->cap : 4096;
		while (ncap - a->len < n + 1) {
			if (ncap > (size_t)-1 / 2)
				return sg_error_set(SG_ENOMEM, "out of memory");
			ncap *= 2;
		}
		char *d = realloc(a->data, ncap);
		if (!d)
			return sg_error_set(SG_ENOMEM, "out of memory");
		a->data = d;
		a->cap = ncap;
	}
	*off = a->len;
	memcpy(a->data + a->len, s, n);
	a->data[a->len + n] = '\0';
	a->len += n + 1;
	return 0;
}
