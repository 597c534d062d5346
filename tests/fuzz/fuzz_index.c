/* The index file reader: whatever the bytes, it refuses or yields entries
 * and cache-tree nodes that lie inside them (or, for version 4, inside its
 * own path buffer), in git's order, with the shapes it promises. */
#include <string.h>
#include "fuzz_common.h"
#include "lib/sources/index_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int inside(const void *p, size_t n, const uint8_t *data, size_t size)
{
	const uint8_t *q = p;
	return q >= data && q <= data + size && n <= (size_t)(data + size - q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sg_index ix;
	int r = sg_index_parse(&ix, data, size);
	if (r != 0 && r != SG_EINVALID && r != SG_ENOMEM && r != SG_ETOOBIG)
		abort();
	if (r == 0) {
		for (size_t i = 0; i < ix.count; i++) {
			const sg_index_entry *e = &ix.entries[i];
			if (!inside(e->id, SG_INDEX_OID_SIZE, data, size))
				abort();
			if (ix.version != 4 && !inside(e->path, e->path_len + 1, data, size))
				abort();
			if (e->path_len == 0 || e->path[e->path_len] != '\0' ||
			    memchr(e->path, '\0', e->path_len) || e->stage > 3)
				abort();
			if (i > 0) {
				const sg_index_entry *p = &ix.entries[i - 1];
				size_t m = p->path_len < e->path_len ? p->path_len : e->path_len;
				int c = memcmp(p->path, e->path, m);
				if (c > 0 || (c == 0 && p->path_len > e->path_len))
					abort();
			}
		}
		for (size_t i = 0; i < ix.ntrees; i++) {
			const sg_index_tree *t = &ix.trees[i];
			if (t->end <= i || t->end > ix.ntrees ||
			    !inside(t->name, t->name_len, data, size))
				abort();
			if ((t->entry_count >= 0) != (t->id != NULL))
				abort();
			if (t->id && !inside(t->id, SG_INDEX_OID_SIZE, data, size))
				abort();
		}
	}
	sg_index_free(&ix);
	return 0;
}
