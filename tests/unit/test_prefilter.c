/* The keyword prefilter: every occurrence of every keyword, case-insensitive,
 * overlapping keywords, and keywords that are suffixes of others. */
#include <ctype.h>
#include "helpers.h"
#include "lib/engine/prefilter.h"
#include "lib/engine/rule.h"
#include "prefilter_reference.h"

static sg_prefilter *build(const char *const *kws, size_t n)
{
	sg_prefilter *p;
	assert_int_equal(sg_prefilter_new(&p), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(sg_prefilter_add(p, kws[i], (uint32_t)i), 0);
	assert_int_equal(sg_prefilter_build(p), 0);
	return p;
}

static size_t count_rule(const sg_hits *h, uint32_t rule)
{
	size_t n = 0;
	for (size_t i = 0; i < h->count; i++)
		n += h->items[i].rule == rule;
	return n;
}

static void test_finds_all_case_insensitive(void **state)
{
	(void)state;
	const char *kws[] = {"ghp_", "AKIA", "password"};
	sg_prefilter *p = build(kws, 3);
	const char *text = "x akia y AKIA z Password=1 PASSWORD ghp_ GHP_";
	sg_hits h = {0};
	assert_int_equal(sg_prefilter_scan(p, text, strlen(text), &h), 0);
	assert_int_equal(count_rule(&h, 0), 2);
	assert_int_equal(count_rule(&h, 1), 2);
	assert_int_equal(count_rule(&h, 2), 2);
	/* end offsets point just past the keyword */
	for (size_t i = 0; i < h.count; i++) {
		size_t len = strlen(kws[h.items[i].rule]);
		assert_int_equal(h.items[i].keyword_len, len);
		assert_true(strncasecmp(text + h.items[i].end - len, kws[h.items[i].rule], len) ==
		            0);
	}
	sg_hits_free(&h);
	sg_prefilter_free(p);
}

static void test_overlapping_and_suffix_keywords(void **state)
{
	(void)state;
	const char *kws[] = {"secret", "cret", "secretkey", "ret"};
	sg_prefilter *p = build(kws, 4);
	const char *text = "mysecretkey";
	sg_hits h = {0};
	assert_int_equal(sg_prefilter_scan(p, text, strlen(text), &h), 0);
	assert_int_equal(count_rule(&h, 0), 1);
	assert_int_equal(count_rule(&h, 1), 1);
	assert_int_equal(count_rule(&h, 2), 1);
	assert_int_equal(count_rule(&h, 3), 1);
	sg_hits_free(&h);
	sg_prefilter_free(p);
}

static void test_no_hits_and_binary(void **state)
{
	(void)state;
	const char *kws[] = {"token"};
	sg_prefilter *p = build(kws, 1);
	char data[4096];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 7);
	sg_hits h = {0};
	assert_int_equal(sg_prefilter_scan(p, data, sizeof(data), &h), 0);
	assert_int_equal(h.count, 0);
	memcpy(data + 4000, "ToKeN", 5);
	assert_int_equal(sg_prefilter_scan(p, data, sizeof(data), &h), 0);
	assert_int_equal(h.count, 1);
	assert_int_equal(h.items[0].end, 4005);
	sg_hits_free(&h);
	sg_prefilter_free(p);
}

static size_t naive_count(const char *text, size_t len, const char *kw)
{
	size_t n = 0, kl = strlen(kw);
	for (size_t i = 0; i + kl <= len; i++)
		n += strncasecmp(text + i, kw, kl) == 0;
	return n;
}

static void test_large_chunk_matches_naive_count(void **state)
{
	(void)state;
	/* large chunks are scanned as two streams; nothing may be lost or doubled,
	 * least of all a keyword across the middle */
	const char *kws[] = {"ghp_", "password", "sk_live_", "xo"};
	sg_prefilter *p = build(kws, 4);
	for (size_t len = 8192; len < 70000; len += 6007) {
		char *text = malloc(len);
		uint32_t seed = (uint32_t)len;
		test_random_string(text, len - 1, "abcdefghijklmnopqrstuvwxyz_ ", &seed);
		for (size_t at = 3; at + 10 < len; at += 997)
			memcpy(text + at, kws[at % 4], strlen(kws[at % 4]));
		memcpy(text + len / 2 - 4, "PassWord", 8);
		memcpy(text + len / 2 - 1, "sk_live_", 8);
		sg_hits h = {0};
		assert_int_equal(sg_prefilter_scan(p, text, len - 1, &h), 0);
		for (uint32_t k = 0; k < 4; k++)
			assert_int_equal(count_rule(&h, k), naive_count(text, len - 1, kws[k]));
		sg_hits_free(&h);
		free(text);
	}
	sg_prefilter_free(p);
}

static void test_hit_cap(void **state)
{
	(void)state;
	const char *kws[] = {"ab"};
	sg_prefilter *p = build(kws, 1);
	char data[1000];
	for (size_t i = 0; i < sizeof(data); i += 2)
		memcpy(data + i, "ab", 2);
	sg_hits h = {0};
	h.max = 10;
	assert_int_equal(sg_prefilter_scan(p, data, sizeof(data), &h), 0);
	assert_int_equal(h.count, 10);
	assert_true(h.truncated);
	sg_hits_free(&h);
	sg_prefilter_free(p);
}

/* keywords that overlap, nest, repeat, differ only in case, share a rule, and
 * one as long as the keyword limit's tenth, over an alphabet made of them */
static const reference_keyword adversarial[] = {
        {"a", 0},   {"ab", 1},       {"abc", 2},        {"bca", 3},
        {"cab", 4}, {"abcabcab", 5}, {"zz", 6},         {"Key", 7},
        {"KEY", 8}, {"_k", 7},       {"-----begin", 9}, {"aaaaaaaaaaaaaaaaaaaaaaaaa", 10},
};
#define NADV (sizeof(adversarial) / sizeof(adversarial[0]))

static sg_prefilter *build_reference(const reference_keyword *kws, size_t n)
{
	sg_prefilter *p;
	assert_int_equal(sg_prefilter_new(&p), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(sg_prefilter_add(p, kws[i].text, kws[i].rule), 0);
	assert_int_equal(sg_prefilter_build(p), 0);
	return p;
}

/* The longest of n keywords. */
static size_t longest(const reference_keyword *kws, size_t n)
{
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (strlen(kws[i].text) > m)
			m = strlen(kws[i].text);
	return m;
}

/* plant text[0, n) at each offset from -span to +span around the places
 * where the parallel streams over len bytes meet (keywords of at most maxlen
 * bytes): where each starts, and its bound, maxlen-1 bytes on; for both the
 * eight streams of the general walk and the twelve of the mapped one */
static void plant_at_boundaries(char *text, size_t len, const char *kw, size_t span, size_t maxlen)
{
	size_t n = strlen(kw), over = maxlen - 1;
	static const size_t streams[] = {8, 12};
	for (size_t w = 0; w < 2; w++) {
		size_t m = streams[w], step = (len + (m - 1) * over + m - 1) / m - over;
		for (size_t k = 1; k < m; k++)
			for (size_t b = k * step; b <= k * step + over; b += over ? over : 1) {
				for (size_t j = 0; j <= 2 * span; j += 3)
					if (b + j >= span && b + j - span + n <= len)
						memcpy(text + b + j - span, kw, n);
				if (!over)
					break;
			}
	}
}

static void test_matches_reference_adversarial(void **state)
{
	(void)state;
	sg_prefilter *p = build_reference(adversarial, NADV);
	static const size_t sizes[] = {0,   1,    2,    3,    7,    100,  511,  512,
	                               513, 1000, 2047, 2049, 4096, 8191, 8199, 20011};
	uint32_t seed = 7;
	for (size_t round = 0; round < 3 * sizeof(sizes) / sizeof(sizes[0]); round++) {
		size_t len = sizes[round % (sizeof(sizes) / sizeof(sizes[0]))] + round / 16 * 13;
		char *text = malloc(len + 1);
		const char *alphabet = round % 2 ? "abcABC" : "abcKkEeYy_-zZ ";
		test_random_string(text, len, alphabet, &seed);
		if (round % 3 == 0)
			plant_at_boundaries(text, len, adversarial[11].text, 30,
			                    longest(adversarial, NADV));
		if (round % 3 == 1)
			plant_at_boundaries(text, len, "-----BEGIN", 12,
			                    longest(adversarial, NADV));
		assert_true(reference_agrees(p, adversarial, NADV, text, len));
		free(text);
	}
	/* one byte repeated: every offset is a hit of several keywords */
	char run[5000];
	memset(run, 'a', sizeof(run));
	assert_true(reference_agrees(p, adversarial, NADV, run, sizeof(run)));
	sg_prefilter_free(p);
}

static void test_matches_reference_random_binary(void **state)
{
	(void)state;
	sg_prefilter *p = build_reference(adversarial, NADV);
	uint32_t x = 12345;
	for (size_t len = 1; len < 30000; len = len * 3 + 17) {
		char *text = malloc(len);
		for (size_t i = 0; i < len; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			/* bytes that fold onto keyword bytes under a careless case fold too */
			static const char mix[] =
			        "aAbBcC\x01\x21\x41\x61\xc1\xe1kK\x4b\x6b\x0b\x2b_\x7f-\r";
			text[i] = x % 4 ? (char)(x >> 8) : mix[(x >> 8) % (sizeof(mix) - 1)];
		}
		assert_true(reference_agrees(p, adversarial, NADV, text, len));
		free(text);
	}
	sg_prefilter_free(p);
}

/* The embedded rules' prebuilt prefilter, read in place from the pack,
 * against the naive search over every rule keyword. */
static void test_default_rules_match_reference(void **state)
{
	(void)state;
	sg_ruleset *rs;
	assert_int_equal(sg_ruleset_new_default(&rs), 0);
	assert_int_equal(sg_ruleset_finalize(rs), 0);
	assert_ptr_equal(rs->prefilter, rs->packed_prefilter);
	size_t n = 0, cap = 0;
	reference_keyword *kws = NULL;
	for (size_t i = 0; i < rs->count; i++)
		for (size_t k = 0; rs->rules[i]->enabled && k < rs->rules[i]->keywords.count; k++) {
			if (n == cap) {
				cap = cap ? cap * 2 : 256;
				kws = realloc(kws, cap * sizeof(*kws));
				assert_non_null(kws);
			}
			kws[n++] =
			        (reference_keyword){rs->rules[i]->keywords.items[k], (uint32_t)i};
		}
	assert_true(n > 100);
	uint32_t seed = 99;
	static const size_t sizes[] = {5, 167, 168, 200, 333, 671, 2100, 9001, 20000};
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t len = sizes[s];
		char *text = malloc(len + 1);
		test_random_string(text, len,
		                   "abcdefghijklmnopqrstuvwxyz_-:=. \n0123456789ABCDEFXYZ", &seed);
		/* keywords in random case at random offsets, and at the stream seams */
		for (size_t at = 0; at + 48 < len; at += 40 + seed % 97) {
			seed ^= seed << 13;
			seed ^= seed >> 17;
			seed ^= seed << 5;
			const char *kw = kws[seed % n].text;
			size_t kl = strlen(kw);
			for (size_t i = 0; i < kl; i++)
				text[at + i] = (char)((seed >> (i % 32)) & 1
				                              ? toupper((unsigned char)kw[i])
				                              : tolower((unsigned char)kw[i]));
		}
		if (len > 48)
			plant_at_boundaries(text, len, kws[seed % n].text, 40, longest(kws, n));
		assert_true(reference_agrees(rs->prefilter, kws, n, text, len));
		free(text);
	}
	free(kws);
	sg_ruleset_free(rs);
}

/* Keywords ending at the same byte come out longest first, then in the order
 * added, whatever the text before them: the state they are reached in must
 * not decide their order. */
static void test_output_order_longest_first(void **state)
{
	(void)state;
	const char *kws[] = {"ret", "cret", "secret", "ecret", "xcret", "ret"};
	sg_prefilter *p = build(kws, 6);
	const char *texts[] = {"secret", "xcret", "cret", "zzret"};
	for (size_t t = 0; t < 4; t++) {
		sg_hits h = {0};
		assert_int_equal(sg_prefilter_scan(p, texts[t], strlen(texts[t]), &h), 0);
		assert_true(h.count >= 2);
		for (size_t i = 1; i < h.count; i++) {
			const sg_hit *a = &h.items[i - 1], *b = &h.items[i];
			assert_true(a->keyword_len > b->keyword_len ||
			            (a->keyword_len == b->keyword_len && a->rule < b->rule));
		}
		sg_hits_free(&h);
	}
	sg_prefilter_free(p);
}

static uint32_t next_rand(uint32_t *seed)
{
	*seed ^= *seed << 13;
	*seed ^= *seed >> 17;
	*seed ^= *seed << 5;
	return *seed;
}

/* A text made from a base by copies and inserted bytes; the copies of
 * adjacent base bytes are sometimes left unjoined, as a delta may give them. */
static size_t make_derived(const char *base, size_t blen, char *out, size_t cap, sg_copy *copies,
                           size_t *ncopies, uint32_t *seed, const char *alphabet)
{
	size_t at = 0, n = 0, last_from = SIZE_MAX;
	while (at < cap && n < 64) {
		uint32_t x = next_rand(seed);
		/* mostly copies, as in a delta, so that few bytes are searched again */
		int copy = (x & 0x70000) != 0 && blen > 0;
		size_t len = copy ? 1 + x % 300 : 1 + x % 24;
		if (len > cap - at)
			len = cap - at;
		if (copy) {
			size_t from = (x >> 18) % blen;
			if (last_from != SIZE_MAX && (x & 0x20000))
				from = last_from < blen ? last_from
				                        : from; /* a seam of adjacent bytes */
			if (len > blen - from)
				len = blen - from;
			memcpy(out + at, base + from, len);
			copies[n++] = (sg_copy){at, len, from};
			last_from = from + len;
		} else {
			test_random_string(out + at, len, alphabet, seed);
			last_from = SIZE_MAX;
		}
		at += len;
	}
	*ncopies = n;
	return at;
}

static void assert_same_hits(const sg_hits *a, const sg_hits *b)
{
	assert_int_equal(a->count, b->count);
	for (size_t i = 0; i < a->count; i++) {
		assert_int_equal(a->items[i].end, b->items[i].end);
		assert_int_equal(a->items[i].rule, b->items[i].rule);
		assert_int_equal(a->items[i].keyword_len, b->items[i].keyword_len);
	}
}

/* Hits derived through a chain of texts, each made from the one before, are
 * the hits a scan of each text gives, in the same order. */
static void check_derive_chain(const sg_prefilter *p, const char *alphabet, const char *const *kws,
                               size_t nkws, uint32_t seed)
{
	enum { CAP = 6000 };
	/* room for the NUL test_random_string writes after what it makes */
	char *base = malloc(CAP + 1), *next = malloc(CAP + 1);
	sg_copy copies[64];
	size_t blen = CAP / 2;
	test_random_string(base, blen, alphabet, &seed);
	for (size_t at = 0; at + 32 < blen; at += 7 + next_rand(&seed) % 60) {
		const char *kw = kws[next_rand(&seed) % nkws];
		memcpy(base + at, kw, strlen(kw));
	}
	sg_hits have = {0};
	assert_int_equal(sg_prefilter_scan(p, base, blen, &have), 0);
	for (int step = 0; step < 30; step++) {
		size_t ncopies, nlen = make_derived(base, blen, next, CAP, copies, &ncopies, &seed,
		                                    alphabet);
		/* keywords planted across the seams */
		for (size_t c = 0; c < ncopies; c++) {
			const char *kw = kws[next_rand(&seed) % nkws];
			size_t kl = strlen(kw), at = copies[c].at;
			if (at >= kl / 2 && at + kl < nlen && (seed & 1)) {
				memcpy(next + at - kl / 2, kw, kl);
				/* what was overwritten is no longer a copy: the copies
				 * around it are cut back to what is left of them */
				size_t lo = at - kl / 2, hi = lo + kl;
				for (size_t d = 0; d < ncopies; d++) {
					sg_copy *x = &copies[d];
					size_t xe = x->at + x->len;
					if (xe <= lo || x->at >= hi)
						continue;
					if (x->at < lo)
						x->len = lo - x->at; /* its head is left */
					else if (xe > hi)
						*x = (sg_copy){hi, xe - hi, x->from + (hi - x->at)};
					else
						x->len = 0;
				}
			}
		}
		size_t k = 0;
		for (size_t c = 0; c < ncopies; c++)
			if (copies[c].len)
				copies[k++] = copies[c];
		sg_hits direct = {0}, derived = {0};
		assert_int_equal(sg_prefilter_scan(p, next, nlen, &direct), 0);
		assert_int_equal(sg_prefilter_derive(p, next, nlen, have.items, have.count, copies,
		                                     k, &derived),
		                 0);
		assert_same_hits(&direct, &derived);
		sg_hits_free(&direct);
		sg_hits_free(&have);
		have = derived;
		char *t = base;
		base = next;
		next = t;
		blen = nlen;
	}
	sg_hits_free(&have);
	free(base);
	free(next);
}

static void test_derive_matches_scan(void **state)
{
	(void)state;
	const char *kws[] = {"secret", "cret", "secretkey", "ret", "ab", "abab", "ret", "x"};
	sg_prefilter *p = build(kws, 8);
	for (uint32_t seed = 1; seed < 40; seed++)
		check_derive_chain(p, "abcrestkyxABCRESTKYX_ ", kws, 8, seed * 2654435761u);
	sg_prefilter_free(p);

	/* the default rules' keywords: long ones, and the reach of the longest */
	sg_ruleset *rs;
	assert_int_equal(sg_ruleset_new_default(&rs), 0);
	assert_int_equal(sg_ruleset_finalize(rs), 0);
	const char *dkws[64];
	size_t n = 0;
	for (size_t i = 0; i < rs->count && n < 64; i += 1 + rs->count / 64)
		if (rs->rules[i]->enabled && rs->rules[i]->keywords.count)
			dkws[n++] = rs->rules[i]->keywords.items[0];
	assert_true(n > 10);
	for (uint32_t seed = 1; seed < 10; seed++)
		check_derive_chain(rs->prefilter, "abcdefghijklmnopqrstuvwxyz_-=:. 0123456789",
		                   dkws, n, seed * 40503u);
	sg_ruleset_free(rs);
}

/* A long run of new bytes among many short ones and seams in one text: the
 * windows searched again, joined, are long enough to be split in streams. */
static void test_derive_long_insert(void **state)
{
	(void)state;
	const char *kws[] = {"secret", "cret", "key", "ab", "x"};
	sg_prefilter *p = build(kws, 5);
	enum { BASE = 40000, CAP = 60000 };
	char *base = malloc(BASE + 1), *t = malloc(CAP + 1);
	uint32_t seed = 7;
	test_random_string(base, BASE, "abcrestkyx_ ", &seed);
	sg_hits bh = {0}, direct = {0}, derived = {0};
	assert_int_equal(sg_prefilter_scan(p, base, BASE, &bh), 0);
	sg_copy c[200];
	size_t n = 0, at = 0;
	memcpy(t, base, 20000);
	c[n++] = (sg_copy){0, 20000, 0};
	at = 20000;
	test_random_string(t + at, 5000, "abcrestkyx_ ", &seed);
	at += 5000;
	for (size_t i = 0; i < 150; i++) {
		size_t from = next_rand(&seed) % (BASE - 200), len = 20 + next_rand(&seed) % 150;
		memcpy(t + at, base + from, len);
		c[n++] = (sg_copy){at, len, from};
		at += len;
		size_t ins = next_rand(&seed) % 9;
		test_random_string(t + at, ins, "abcrestkyx_ ", &seed);
		at += ins;
	}
	assert_true(at < CAP);
	assert_int_equal(sg_prefilter_scan(p, t, at, &direct), 0);
	assert_int_equal(sg_prefilter_derive(p, t, at, bh.items, bh.count, c, n, &derived), 0);
	assert_same_hits(&direct, &derived);
	sg_hits_free(&bh);
	sg_hits_free(&direct);
	sg_hits_free(&derived);
	free(base);
	free(t);
	sg_prefilter_free(p);
}

/* Every byte new, or the whole base copied once: the two ends of a delta. */
static void test_derive_edges(void **state)
{
	(void)state;
	const char *kws[] = {"token", "ok"};
	sg_prefilter *p = build(kws, 2);
	const char *base = "a token, ok? TOKEN";
	sg_hits bh = {0}, d1 = {0}, d2 = {0}, want = {0};
	assert_int_equal(sg_prefilter_scan(p, base, strlen(base), &bh), 0);
	assert_int_equal(bh.count, 5); /* and the "ok" in each "token" */
	sg_copy all = {0, strlen(base), 0};
	assert_int_equal(
	        sg_prefilter_derive(p, base, strlen(base), bh.items, bh.count, &all, 1, &d1), 0);
	assert_same_hits(&bh, &d1);
	const char *fresh = "tokenok";
	assert_int_equal(sg_prefilter_derive(p, fresh, 7, bh.items, bh.count, NULL, 0, &d2), 0);
	assert_int_equal(sg_prefilter_scan(p, fresh, 7, &want), 0);
	assert_same_hits(&want, &d2);
	/* a capped list cannot be derived */
	sg_hits capped = {.max = 2};
	assert_true(sg_prefilter_derive(p, base, strlen(base), bh.items, bh.count, &all, 1,
	                                &capped) < 0);
	sg_hits_free(&bh);
	sg_hits_free(&d1);
	sg_hits_free(&d2);
	sg_hits_free(&want);
	sg_prefilter_free(p);
}

/* A prefilter written as a blob and read back in place scans the same. */
static void test_blob_round_trip(void **state)
{
	(void)state;
	sg_prefilter *p = build_reference(adversarial, NADV);
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	assert_non_null(f);
	assert_int_equal(sg_prefilter_write(p, f), 0);
	assert_int_equal(fclose(f), 0);
	sg_prefilter *q;
	assert_int_equal(sg_prefilter_read(&q, buf, size), 0);
	assert_int_equal(sg_prefilter_states(q), sg_prefilter_states(p));
	/* the blob holds no keyword text: the reference carries it */
	char text[9000];
	uint32_t seed = 3;
	test_random_string(text, sizeof(text) - 1, "abcABCKkEeYy_-z", &seed);
	assert_true(reference_agrees(q, adversarial, NADV, text, sizeof(text) - 1));
	sg_prefilter_free(q);
	/* a truncated blob is refused */
	assert_true(sg_prefilter_read(&q, buf, size / 2) < 0);
	assert_null(q);
	sg_prefilter_free(p);
	free(buf);
}

/* A keyword with bytes above 0x7f (which the SIMD class map leaves to the
 * general walk) is found in long and short text. */
static void test_non_ascii_keyword(void **state)
{
	(void)state;
	static const reference_keyword kws[] = {{"cl\xc3\xa9_", 0}, {"key", 1}};
	sg_prefilter *p = build_reference(kws, 2);
	char text[3001];
	uint32_t seed = 5;
	test_random_string(text, 3000, "abcdefkey_ ", &seed);
	memcpy(text + 10, "CL\xc3\xa9_", 5);
	memcpy(text + 1499, "cl\xc3\xa9_", 5);
	memcpy(text + 2990, "Cl\xc3\xa9_", 5);
	assert_true(reference_agrees(p, kws, 2, text, 3000));
	assert_true(reference_agrees(p, kws, 2, text, 100));
	sg_prefilter_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_finds_all_case_insensitive),
	        cmocka_unit_test(test_overlapping_and_suffix_keywords),
	        cmocka_unit_test(test_no_hits_and_binary),
	        cmocka_unit_test(test_large_chunk_matches_naive_count),
	        cmocka_unit_test(test_hit_cap),
	        cmocka_unit_test(test_matches_reference_adversarial),
	        cmocka_unit_test(test_matches_reference_random_binary),
	        cmocka_unit_test(test_default_rules_match_reference),
	        cmocka_unit_test(test_blob_round_trip),
	        cmocka_unit_test(test_non_ascii_keyword),
	        cmocka_unit_test(test_output_order_longest_first),
	        cmocka_unit_test(test_derive_matches_scan),
	        cmocka_unit_test(test_derive_edges),
	        cmocka_unit_test(test_derive_long_insert),
	};
	/* every test with the SIMD class map (where the CPU has one) and with
	 * the general walk */
	int failed = cmocka_run_group_tests_name("simd", tests, NULL, NULL);
	sg_prefilter_use_simd(0);
	return failed + cmocka_run_group_tests_name("general", tests, NULL, NULL);
}
