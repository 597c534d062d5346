/* Raw tree entries and version-2 pack indexes, parsed from untrusted bytes
 * (see git_parse.h); fuzzed by tests/fuzz/fuzz_tree.c and fuzz_pack_index.c. */
#include <string.h>
#include "lib/sources/git_parse.h"

int sg_git_tree_next(sg_tree_entry *e, const char **p, const char *end)
{
	const char *s = *p;
	if (s >= end)
		return 0;
	unsigned mode = 0;
	while (s < end && *s >= '0' && *s <= '7')
		mode = mode * 8 + (unsigned)(*s++ - '0');
	if (s >= end || *s != ' ')
		return -1;
	s++;
	const char *nul = memchr(s, '\0', (size_t)(end - s));
	if (!nul || end - nul < 1 + GIT_OID_RAWSZ)
		return -1;
	e->name = s;
	e->name_len = (size_t)(nul - s);
	e->id = (const git_oid *)(nul + 1);
	e->kind = mode == 040000                                            ? 't'
	          : (mode == 0100644 || mode == 0100755 || mode == 0100664) ? 'b'
	                                                                    : 0;
	*p = nul + 1 + GIT_OID_RAWSZ;
	return 1;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Layout: magic, version, 256 fan-out counts, n ids of 20 bytes, n CRCs,
 * n 4-byte offsets (the top bit selects an 8-byte one from the table that
 * follows). */
void sg_pack_index_each(const unsigned char *m, size_t size,
                        void (*fn)(void *ctx, const git_oid *id, uint64_t offset), void *ctx)
{
	if (size < 8 + 1024 || memcmp(m, "\377tOc", 4) || be32(m + 4) != 2)
		return;
	uint32_t n = be32(m + 8 + 255 * 4);
	size_t ids = 8 + 1024, crcs = ids + (size_t)n * 20, offs = crcs + (size_t)n * 4,
	       large = offs + (size_t)n * 4;
	if (large > size)
		return;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t off = be32(m + offs + (size_t)i * 4);
		if (off & 0x80000000u) {
			size_t at = large + (size_t)(off & 0x7fffffffu) * 8;
			if (at + 8 > size)
				continue;
			off = (uint64_t)be32(m + at) << 32 | be32(m + at + 4);
		}
		fn(ctx, (const git_oid *)(m + ids + (size_t)i * 20), off);
	}
}
