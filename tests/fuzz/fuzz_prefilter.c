/* The keyword prefilter against the naive search it must equal: the input's
 * first line is a list of keywords (split at spaces), the rest is the text.
 * The text, and the text tiled past 4 KB, is searched for those keywords; the
 * text alone also with the embedded rules' prebuilt prefilter. Hits derived
 * for a text made of pieces of the text (copies where its bytes say, and
 * inserted bytes) must be what a scan of it gives. */
#include <string.h>
#include "fuzz_common.h"
#include "lib/engine/rule.h"
#include "../unit/prefilter_reference.h"

static sg_ruleset *rules;
static reference_keyword *rule_keywords;
static size_t nrule_keywords;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (sg_ruleset_new_default(&rules) < 0 || sg_ruleset_finalize(rules) < 0)
		abort();
	size_t cap = 0;
	for (size_t i = 0; i < rules->count; i++)
		for (size_t k = 0; rules->rules[i]->enabled && k < rules->rules[i]->keywords.count;
		     k++) {
			if (nrule_keywords == cap) {
				cap = cap ? cap * 2 : 256;
				rule_keywords =
				        realloc(rule_keywords, cap * sizeof(*rule_keywords));
				if (!rule_keywords)
					abort();
			}
			rule_keywords[nrule_keywords++] = (reference_keyword){
			        rules->rules[i]->keywords.items[k], (uint32_t)i};
		}
	return 0;
}

static void check_derive(const sg_prefilter *p, const char *base, size_t blen)
{
	sg_hits bh = {0}, direct = {0}, derived = {0};
	size_t cap = 2 * blen + 64, tl = 0, nc = 0;
	char *t = malloc(cap);
	sg_copy *c = malloc((blen / 3 + 1) * sizeof(*c));
	if (!t || !c || sg_prefilter_scan(p, base, blen, &bh) < 0)
		abort();
	for (size_t i = 0; i + 2 < blen && tl + 64 <= cap; i += 3) {
		const unsigned char *b = (const unsigned char *)base + i;
		size_t n = 1 + b[0] % 64, from = ((size_t)b[1] * 131u + b[2]) % blen;
		if (b[0] & 0x40) {
			n = n < blen - i ? n : blen - i;
			memcpy(t + tl, base + i, n); /* inserted */
		} else {
			n = n < blen - from ? n : blen - from;
			memcpy(t + tl, base + from, n);
			c[nc++] = (sg_copy){tl, n, from};
		}
		tl += n;
	}
	if (sg_prefilter_scan(p, t, tl, &direct) < 0 ||
	    sg_prefilter_derive(p, t, tl, bh.items, bh.count, c, nc, &derived) < 0 ||
	    direct.count != derived.count ||
	    (direct.count && memcmp(direct.items, derived.items, direct.count * sizeof(sg_hit))))
		abort();
	sg_hits_free(&bh);
	sg_hits_free(&direct);
	sg_hits_free(&derived);
	free(t);
	free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	const char *nl = memchr(in, '\n', size < 512 ? size : 512);
	size_t head = nl ? (size_t)(nl - in) : 0;
	const char *text = nl ? nl + 1 : in;
	size_t len = size - (size_t)(text - in);

	/* up to 16 keywords of 1..255 bytes from the first line, NUL-free */
	char line[512];
	memcpy(line, in, head);
	line[head] = '\0';
	reference_keyword kws[16];
	size_t n = 0;
	sg_prefilter *p;
	if (sg_prefilter_new(&p) < 0)
		abort();
	for (char *save = NULL, *t = strtok_r(line, " ", &save); t && n < 16;
	     t = strtok_r(NULL, " ", &save)) {
		if (strlen(t) > 255)
			continue;
		kws[n] = (reference_keyword){t, (uint32_t)(n % 5)};
		if (sg_prefilter_add(p, t, kws[n].rule) < 0)
			abort();
		n++;
	}
	if (n > 0) {
		if (sg_prefilter_build(p) < 0)
			abort();
		if (!reference_agrees(p, kws, n, text, len))
			abort();
		if (len > 0)
			check_derive(p, text, len);
		/* short inputs tiled past the size where the walk splits into streams,
		 * so keywords fall across the seams */
		if (len > 0 && len < 4096) {
			size_t tiled_len = 4096 + len % 61;
			char *tiled = malloc(tiled_len);
			if (!tiled)
				abort();
			for (size_t i = 0; i < tiled_len; i++)
				tiled[i] = text[i % len];
			if (!reference_agrees(p, kws, n, tiled, tiled_len))
				abort();
			free(tiled);
		}
	}
	sg_prefilter_free(p);
	/* the naive search over some 2,000 keywords is slow: small texts only */
	if (len <= 16384 &&
	    !reference_agrees(rules->prefilter, rule_keywords, nrule_keywords, text, len))
		abort();
	return 0;
}
