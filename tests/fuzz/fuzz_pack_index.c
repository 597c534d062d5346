/* The pack index reader of history sweeps: on any bytes it reports only ids
 * inside the index, at most as many as the index declares. */
#include <string.h>
#include "fuzz_common.h"
#include "lib/sources/git_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct seen {
	const uint8_t *data;
	size_t size, count;
} seen;

static void check(void *ctx, const git_oid *id, uint64_t offset)
{
	seen *s = ctx;
	const uint8_t *p = (const uint8_t *)id;
	(void)offset;
	if (p < s->data || p + GIT_OID_RAWSZ > s->data + s->size)
		abort();
	s->count++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a fan-out table makes a real index 1,072 bytes at least: stretch short
	 * inputs into that shape so the parser's body is reached */
	static uint8_t buf[1 << 16];
	if (size < 8 || size > sizeof(buf))
		return 0;
	memcpy(buf, data, size);
	size_t n = size;
	if (n < 8 + 1024 + 32) {
		memset(buf + n, 0, 8 + 1024 + 32 - n);
		n = 8 + 1024 + 32;
	}
	seen s = {buf, n, 0};
	sg_pack_index_each(buf, n, check, &s);
	return 0;
}
