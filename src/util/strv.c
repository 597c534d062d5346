/* Lists of strings. Appends grow by one: these lists are short (file names,
 * environment names, variables a command names). */
#include <stdlib.h>
#include <string.h>
#include "secretgate/secretgate.h"
#include "util/strv.h"

void sg_strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int sg_strv_has(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

int sg_strv_add_unique(char ***v, size_t *n, const char *s)
{
	if (sg_strv_has(*v, *n, s))
		return 0;
	char **nv = realloc(*v, (*n + 1) * sizeof(char *));
	if (!nv)
		return sg_error_set(SG_ENOMEM, "out of memory");
	*v = nv;
	if (!(nv[*n] = strdup(s)))
		return sg_error_set(SG_ENOMEM, "out of memory");
	(*n)++;
	return 0;
}
