/* The buffer doubles from 4 kB until the string fits. */
#include <string.h>
#include "secretgate/secretgate.h"
#include "util/arena.h"
#include "util/grow.h"

int sg_arena_add(sg_arena *a, size_t *off, const char *s, size_t n)
{
	while (n + 1 > a->cap - a->len)
		if (SG_GROW(a->data, a->cap, 4096) < 0)
			return sg_error_set(SG_ENOMEM, "out of memory");
	*off = a->len;
	memcpy(a->data + a->len, s, n);
	a->data[a->len + n] = '\0';
	a->len += n + 1;
	return 0;
}
