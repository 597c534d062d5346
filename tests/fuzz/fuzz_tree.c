/* The raw tree parser of history sweeps: every entry it yields lies inside
 * the input, and each step moves forward until the end or a malformed entry. */
#include <string.h>
#include "fuzz_common.h"
#include "lib/sources/git_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	sg_tree_entry e;
	int k;
	while ((k = sg_git_tree_next(&e, &p, end)) == 1) {
		const char *start = (const char *)data;
		if (e.name < start || e.name + e.name_len >= end || e.name[e.name_len] != '\0')
			abort();
		if ((const char *)e.id + GIT_OID_RAWSZ != p || p > end)
			abort();
		if (memchr(e.name, '\0', e.name_len))
			abort();
	}
	if (k == 0 && p != end)
		abort();
	return 0;
}
