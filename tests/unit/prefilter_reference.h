/* The prefilter's contract, checked the slow way: every occurrence of every
 * keyword, case-insensitively, found by trying each keyword at each offset.
 * Shared by the unit test and the fuzz target. */
#ifndef SG_PREFILTER_REFERENCE_H
#define SG_PREFILTER_REFERENCE_H

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "lib/engine/prefilter.h"

typedef struct reference_keyword {
	const char *text;
	uint32_t rule;
} reference_keyword;

static inline int reference_cmp_hit(const void *a, const void *b)
{
	const sg_hit *x = a, *y = b;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	if (x->keyword_len != y->keyword_len)
		return x->keyword_len < y->keyword_len ? -1 : 1;
	return 0;
}

/* Append the naive search's hits to out (grown with realloc); 0 or -1. */
static inline int reference_scan(const reference_keyword *kws, size_t nkws, const char *data,
                                 size_t len, sg_hits *out)
{
	for (size_t k = 0; k < nkws; k++) {
		size_t kl = strlen(kws[k].text);
		for (size_t i = 0; kl && i + kl <= len; i++) {
			if (strncasecmp(data + i, kws[k].text, kl) != 0)
				continue;
			if (out->count == out->cap) {
				size_t ncap = out->cap ? out->cap * 2 : 64;
				sg_hit *n = realloc(out->items, ncap * sizeof(*n));
				if (!n)
					return -1;
				out->items = n;
				out->cap = ncap;
			}
			out->items[out->count++] = (sg_hit){kws[k].rule, (uint32_t)kl, i + kl};
		}
	}
	return 0;
}

/* 1 when the prefilter's hits on data are exactly the naive search's hits
 * (as multisets: ties at one end come in no particular order) and come in
 * order of end. */
static inline int reference_agrees(const sg_prefilter *p, const reference_keyword *kws, size_t nkws,
                                   const char *data, size_t len)
{
	sg_hits got = {0}, want = {0};
	int ok = sg_prefilter_scan(p, data, len, &got) == 0 &&
	         reference_scan(kws, nkws, data, len, &want) == 0 && got.count == want.count;
	for (size_t i = 1; ok && i < got.count; i++)
		ok = got.items[i - 1].end <= got.items[i].end;
	if (ok && got.count) {
		qsort(got.items, got.count, sizeof(sg_hit), reference_cmp_hit);
		qsort(want.items, want.count, sizeof(sg_hit), reference_cmp_hit);
		for (size_t i = 0; ok && i < got.count; i++)
			ok = reference_cmp_hit(&got.items[i], &want.items[i]) == 0;
	}
	sg_hits_free(&got);
	sg_hits_free(&want);
	return ok;
}

#endif
