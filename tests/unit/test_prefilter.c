/* The keyword prefilter: every occurrence of every keyword, case-insensitive,
 * overlapping keywords, and keywords that are suffixes of others. */
#include "helpers.h"
#include "lib/engine/prefilter.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_finds_all_case_insensitive),
	        cmocka_unit_test(test_overlapping_and_suffix_keywords),
	        cmocka_unit_test(test_no_hits_and_binary),
	        cmocka_unit_test(test_large_chunk_matches_naive_count),
	        cmocka_unit_test(test_hit_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
