/* The pack entry reader of history sweeps: on any bytes it returns a blob
 * inside its own buffers or falls back, never reads outside the pack, never
 * loops, and never builds more than the cap. The input is a pack; its first
 * byte after the 12-byte header chooses the cache size and whether keyword
 * hits are kept (they must then be what a scan of the blob gives). Entries are read
 * from every offset of a short input (at most 2,048 offsets spread over a
 * long one), so chains, bad headers and bad deltas are reached from
 * anywhere. */
#include <string.h>
#include "fuzz_common.h"
#include "lib/sources/pack_read.h"
#include "lib/engine/prefilter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_BLOB (1u << 20)

static sg_prefilter *keywords(void)
{
	static sg_prefilter *p;
	if (!p) {
		const char *kws[] = {"a", "ab", "abc", "key", "\x01\x02", "xyzzy"};
		if (sg_prefilter_new(&p) < 0)
			abort();
		for (uint32_t i = 0; i < 6; i++)
			if (sg_prefilter_add(p, kws[i], i) < 0)
				abort();
		if (sg_prefilter_build(p) < 0)
			abort();
	}
	return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[1 << 16];
	/* a pack header, whatever the input says, so the entries are reached */
	if (size > sizeof(buf) - 12 - 20)
		return 0;
	memcpy(buf, "PACK\0\0\0\2\0\0\0\1", 12);
	memcpy(buf + 12, data, size);
	memset(buf + 12 + size, 0, 20);
	size_t n = 12 + size + 20;
	sg_packs *packs;
	sg_pack_reader *r;
	if (sg_packs_from_memory(&packs, buf, n, NULL, 0) < 0)
		return 0;
	size_t cache = size ? (size_t)(data[0] & 3) * 4096 : 0;
	if (sg_pack_reader_new(&r, packs, cache) < 0) {
		sg_packs_free(packs);
		return 0;
	}
	const sg_prefilter *kp = size && (data[0] & 4) ? keywords() : NULL;
	if (kp && sg_pack_reader_keep_hits(r, kp) < 0)
		abort();
	sg_hits direct = {0};
	size_t stride = n / 2048 + 1;
	for (uint64_t at = 0; at < n + 2; at += stride) {
		const unsigned char *blob;
		size_t len;
		int rc = sg_pack_read_blob(r, 0, at, FUZZ_MAX_BLOB, &blob, &len);
		if (rc == 0) {
			if (len > FUZZ_MAX_BLOB)
				abort();
			/* the bytes are readable, every one of them */
			volatile unsigned char sum = 0;
			for (size_t i = 0; i < len; i++)
				sum ^= blob[i];
			(void)sum;
			size_t nh;
			const sg_hit *h;
			if (sg_pack_reader_hits(r, &h, &nh)) {
				direct.count = 0;
				if (!kp ||
				    sg_prefilter_scan(kp, (const char *)blob, len, &direct) < 0 ||
				    direct.count != nh ||
				    (nh && memcmp(direct.items, h, nh * sizeof(*h))))
					abort();
			}
		} else if (rc != SG_PACK_FALLBACK) {
			abort();
		}
	}
	sg_hits_free(&direct);
	sg_pack_reader_free(r);
	sg_packs_free(packs);
	return 0;
}
