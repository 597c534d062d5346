/* Which patterns are matched anchored at their keywords or at their start
 * pairs: the reading of a pattern's start, and, for every default rule read
 * either way, that no unanchored match of its examples starts anywhere
 * else. */
#include <ctype.h>
#include <strings.h>
#include "helpers.h"
#include "lib/engine/rule.h"

/* One or two keywords as a list (items: room for two). */
static sg_strlist keyword_list(char **items, const char *kw1, const char *kw2)
{
	items[0] = (char *)kw1;
	items[1] = (char *)kw2;
	return (sg_strlist){items, kw2 ? 2 : 1};
}

static int starts(const char *pattern, const char *kw1, const char *kw2)
{
	char *items[2];
	sg_strlist kw = keyword_list(items, kw1, kw2);
	return sg_pattern_starts_with_keyword(pattern, &kw);
}

static void test_reading(void **state)
{
	(void)state;
	assert_true(starts("(?i)(?:token)[\\w.-]{0,25}=x", "token", NULL));
	assert_true(starts("\\b(?<secret>pat[A-Za-z0-9]{14}\\.[a-f0-9]{64})\\b", "pat", NULL));
	assert_true(starts("(?i)(?<![A-Za-z0-9])(?:commercejs|chec)[\\w.-]{0,20}?key", "chec",
	                   "commercejs"));
	assert_true(starts("\\b(?<secret>st\\.[0-9a-f]{24})", "st.", NULL));
	assert_true(starts("(?-i:(?<name>tokenx))", "token", NULL));
	assert_true(starts("(?|tokA(?:x|y)|tokB)", "tok", NULL));
	/* an alternative without the keyword, anywhere */
	assert_false(starts("(?i)(?:token|secret)=x", "token", NULL));
	assert_false(starts("token=x|other", "token", NULL));
	assert_false(starts("(?:(?:token)|a)b", "token", NULL));
	/* the keyword may be left out or is not at the start */
	assert_false(starts("(?:token)?=x", "token", NULL));
	assert_false(starts("(?:token)*=x", "token", NULL));
	assert_false(starts("(?:token){0,1}=x", "token", NULL));
	assert_false(starts("\\b[0-9a-f]{32}-us[0-9]{1,2}", "-us", NULL));
	/* a class spelled out, and an optional byte or group, are each of
	 * the texts they stand for */
	assert_true(starts("[tT]oken=x", "token", NULL));
	assert_true(starts("aws[_.-]?ses", "aws", NULL));
	assert_false(starts("aws[_.-]?ses", "awsses", "aws_ses"));
	assert_true(starts("(?:x[_-])?tok", "tok", "x"));
	assert_false(starts("(?:x[_-])?tok", "tok", "x_"));
	assert_false(starts("(?:x|y)?tok", "tok", "x"));
	assert_true(starts("(?i)(?:ses[_.-]?smtp|ses)x", "ses", NULL));
	assert_true(starts("tok(?:en)?x", "tok", NULL));
	assert_false(starts("tok(?:en)?x", "token", NULL));
	assert_true(starts("(?:a|b)+c", "a", "b"));
	assert_false(starts("(?:a|b)+c", "ac", "bc"));
	/* classes it does not spell out: ranges, negation, escapes, too many */
	assert_false(starts("[s-t]oken", "token", "soken"));
	assert_false(starts("[^x]token", "token", NULL));
	assert_false(starts("[\\w]token", "token", NULL));
	assert_false(starts("[abcdefghi]x", "a", "b"));
	/* more texts than the reading keeps: the shorter ones read so far (a
	 * match still begins with one), or none when the alternatives alone
	 * are too many; and groups nested too deep */
	assert_true(starts("[ab][ab][ab][ab][ab][ab]x", "a", "b"));
	assert_false(starts("[ab][ab][ab][ab][ab][ab]x", "aaaaaa", "bbbbbb"));
	assert_false(starts("(?:a0|a1|a2|a3|a4|a5|a6|a7|a8|a9|b0|b1|b2|b3|b4|b5|b6|b7|b8|b9|"
	                    "c0|c1|c2|c3|c4|c5|c6|c7|c8|c9|d0|d1|d2)x",
	                    "a", "b"));
	assert_true(starts("((((token))))", "token", NULL));
	static char deep[200001];
	for (int i = 0; i < 100000; i++) {
		deep[i] = '(';
		deep[200000 - 1 - i] = ')';
	}
	assert_false(starts(deep, "token", NULL));
	assert_false(starts("\\wtoken", "token", NULL));
	assert_false(starts(".token", "token", NULL));
	/* a quantified byte may be there or not */
	assert_true(starts("https?://x", "https://", "http://"));
	assert_false(starts("https?://x", "https://", NULL));
	assert_true(starts("https?://x", "http", NULL));
	assert_false(starts("tokens?", "tokens", NULL));
	/* the literal is shorter than the keyword */
	assert_false(starts("tok[a-z]", "token", NULL));
	/* constructs the reading does not know, and broken patterns */
	assert_false(starts("(?x) token", "token", NULL));
	assert_false(starts("\\Qtoken\\E", "token", NULL));
	assert_false(starts("(?:token", "token", NULL));
	assert_false(starts("(?<secret>token[", "token", NULL));
	assert_false(starts("(?<secret>token[[:alpha:", "token", NULL));
	assert_false(starts("", "token", NULL));
	/* a class holding '|' or ')' does not split or close a group */
	assert_true(starts("(?:token[|)]x|tokenb)", "token", NULL));
}

/* Whether the pair a[0] b[0] is in the set, keyed as the scanner does */
static int has_pair(const sg_start_pairs *sp, const char *a, const char *b)
{
	unsigned k = (unsigned)tolower((unsigned char)a[0]) | (unsigned)tolower((unsigned char)b[0])
	                                                              << 8;
	return sp->bits[k >> 6] >> (k & 63) & 1;
}

static int offset(const char *pattern, const char *kw1, const char *kw2)
{
	char *items[2];
	sg_strlist kw = keyword_list(items, kw1, kw2);
	return sg_pattern_keyword_offset(pattern, &kw);
}

static void test_keyword_offset(void **state)
{
	(void)state;
	/* a fixed width before the keyword, counted through zero-width items,
	 * groups taken once, flags and exact counts */
	assert_int_equal(offset("\\b(?<secret>[0-9a-f]{32}-us[0-9]{1,2})\\b", "-us", NULL), 32);
	assert_int_equal(offset("(?i)\\bxy[a-z]{3}token=", "token", NULL), 5);
	assert_int_equal(offset("(?:[A-Z]{4}+)(?-i:-US)", "-us", "x"), 4);
	assert_int_equal(offset("\\d{2}\\.-us", "-us", NULL), 3);
	assert_int_equal(offset("a.b-us", "-us", NULL), 3);
	/* the keyword at the start is the plain anchored case */
	assert_int_equal(offset("-us[0-9]", "-us", NULL), 0);
	/* anything that makes the width vary, or the keyword optional */
	assert_int_equal(offset("[0-9a-f]{1,32}-us", "-us", NULL), 0);
	assert_int_equal(offset("[0-9a-f]{32,}-us", "-us", NULL), 0);
	assert_int_equal(offset("[0-9a-f]+-us", "-us", NULL), 0);
	assert_int_equal(offset("(?:a|b)[0-9]{4}-us", "-us", NULL), 0);
	assert_int_equal(offset("[0-9]{4}-us|x", "-us", NULL), 0);
	assert_int_equal(offset("(?:[0-9]{4})?-us", "-us", NULL), 0);
	assert_int_equal(offset("[0-9]{4}-us?x", "-us", NULL), 0);
	assert_int_equal(offset("[0-9]{4}(?=-us)", "-us", NULL), 0);
	assert_int_equal(offset("^[0-9]{4}-us", "-us", NULL), 0);
	assert_int_equal(offset("\\x41{4}-us", "-us", NULL), 0);
	/* never further back than a window reaches before its keyword */
	assert_int_equal(offset("x{256}-us", "-us", NULL), 256);
	assert_int_equal(offset("x{257}-us", "-us", NULL), 0);
	/* no keyword in the pattern at all */
	assert_int_equal(offset("[0-9]{4}-eu", "-us", NULL), 0);
}

static int probe(const char *pattern, size_t min, size_t *w, unsigned char *b, int *f)
{
	return sg_pattern_probe(pattern, min, w, b, f);
}

static void test_probe(void **state)
{
	(void)state;
	size_t w;
	unsigned char b;
	int f;
	/* the first literal past the keyword, its distance from the start */
	assert_true(probe("\\b(?<secret>pat[A-Za-z0-9]{14}\\.[a-f0-9]{64})\\b", 3, &w, &b, &f));
	assert_int_equal(w, 17);
	assert_int_equal(b, '.');
	assert_false(f);
	/* a letter under (?i) is matched in either case, not under (?-i:...) */
	assert_true(probe("(?i)key[0-9]{4}x", 3, &w, &b, &f));
	assert_int_equal(w, 7);
	assert_int_equal(b, 'x');
	assert_true(f);
	assert_true(probe("(?i)key(?-i:[0-9]{2}Q)", 3, &w, &b, &f));
	assert_int_equal(w, 5);
	assert_int_equal(b, 'Q');
	assert_false(f);
	/* nothing fixed to look at */
	assert_false(probe("pat[A-Za-z0-9]{14,20}\\.", 3, &w, &b, &f));
	assert_false(probe("pat(?:a|b)x", 3, &w, &b, &f));
	assert_false(probe("pat[0-9]{4}", 3, &w, &b, &f));
	assert_false(probe("pat(?=x)y", 3, &w, &b, &f));
	assert_false(probe("pat\\Kx", 3, &w, &b, &f));
}

static void test_start_pairs(void **state)
{
	(void)state;
	sg_start_pairs *sp;
	assert_int_equal(sg_pattern_start_pairs("(?i)(?:azure|arm|ENTRA)[\\w.-]{0,20}id", &sp), 1);
	assert_true(has_pair(sp, "a", "z") && has_pair(sp, "a", "r") && has_pair(sp, "e", "n"));
	assert_false(has_pair(sp, "a", "b") || has_pair(sp, "z", "a") || has_pair(sp, "E", "Q"));
	assert_true(has_pair(sp, "E", "N") && has_pair(sp, "A", "z"));
	/* bytes below 0x80 that may come first or second, in either case */
	assert_true(sp->first['a'] && sp->first['A'] && sp->first['e'] && sp->first['E']);
	assert_false(sp->first['z'] || sp->first['r']);
	assert_true(sp->second['z'] && sp->second['R'] && sp->second['n']);
	assert_false(sp->any_second);
	free(sp);
	/* a one-byte text: any byte may follow it, or the subject's end */
	assert_int_equal(sg_pattern_start_pairs("(?:x|yz)[0-9]+", &sp), 1);
	assert_true(has_pair(sp, "x", "q") && has_pair(sp, "x", "\xff") && has_pair(sp, "x", ""));
	assert_true(has_pair(sp, "y", "z") && !has_pair(sp, "y", "q") && sp->any_second);
	free(sp);
	/* the shorter texts kept when their extensions are too many */
	assert_int_equal(sg_pattern_start_pairs("(?:api|access|app|auth|client|consumer|license|"
	                                        "master|private|secret|service|signing|"
	                                        "subscription)[_.-]?key",
	                                        &sp),
	                 1);
	assert_true(has_pair(sp, "a", "p") && has_pair(sp, "s", "u") && !has_pair(sp, "k", "e"));
	free(sp);
	/* a match may start with anything */
	assert_int_equal(sg_pattern_start_pairs("\\b[0-9a-f]{32}-us", &sp), 0);
	assert_int_equal(sg_pattern_start_pairs("[ \t]*token", &sp), 0);
	assert_int_equal(sg_pattern_start_pairs("(?:token)*=x", &sp), 0);
	assert_int_equal(sg_pattern_start_pairs("(?:x|\\d)y", &sp), 0);
	assert_int_equal(sg_pattern_start_pairs("(?:x", &sp), 0);
	assert_null(sp);
}

static int at_keyword(const sg_rule *r, const char *text, size_t at)
{
	/* a rule with a fixed width before its keyword: that far after the start */
	at += (size_t)r->keyword_offset;
	if (at > strlen(text))
		return 0;
	for (size_t k = 0; k < r->keywords.count; k++)
		if (strncasecmp(text + at, r->keywords.items[k], strlen(r->keywords.items[k])) == 0)
			return 1;
	return 0;
}

/* Every match an unanchored search finds in text starts at a keyword. */
static void check_matches(const sg_rule *r, pcre2_code *code, pcre2_match_data *md,
                          const char *text)
{
	size_t len = strlen(text), off = 0;
	while (off <= len) {
		int rc = pcre2_match(code, (PCRE2_SPTR)text, len, off, 0, md, NULL);
		if (rc < 0)
			break;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		if (r->keyword_anchored && !at_keyword(r, text, ov[0]))
			fail_msg("rule %s: a match at %zu of '%s' starts at no keyword", r->id,
			         (size_t)ov[0], text);
		if (r->probe_width) {
			size_t q = (size_t)ov[0] + r->probe_width;
			unsigned char c = q < len ? (unsigned char)text[q] : 0;
			if (q >= len ||
			    (r->probe_folds ? sg_fold_ascii(c) != sg_fold_ascii(r->probe_byte)
			                    : c != r->probe_byte))
				fail_msg("rule %s: a match at %zu of '%s' has no '%c' %u bytes in",
				         r->id, (size_t)ov[0], text, r->probe_byte,
				         (unsigned)r->probe_width);
		}
		if (r->start_pairs && !has_pair(r->start_pairs, text + ov[0],
		                                ov[0] + 1 < len ? text + ov[0] + 1 : ""))
			fail_msg("rule %s: a match at %zu of '%s' starts at no pair of its set",
			         r->id, (size_t)ov[0], text);
		off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
	}
}

static void test_default_rules_start_at_keywords(void **state)
{
	(void)state;
	sg_ruleset *rs;
	assert_int_equal(sg_ruleset_new_default(&rs), 0);
	pcre2_match_data *md = pcre2_match_data_create(32, NULL);
	size_t anchored = 0, paired = 0, probed = 0;
	for (size_t i = 0; i < rs->count; i++) {
		sg_rule *r = rs->rules[i];
		assert_int_equal(sg_rule_compile(r), 0);
		if (!r->keyword_anchored && !r->start_pairs)
			continue;
		anchored += r->keyword_anchored;
		probed += r->probe_width != 0;
		paired += r->start_pairs != NULL;
		int err;
		PCRE2_SIZE off;
		pcre2_code *code = pcre2_compile((PCRE2_SPTR)r->pattern, PCRE2_ZERO_TERMINATED, 0,
		                                 &err, &off, NULL);
		assert_non_null(code);
		for (size_t e = 0; e < r->examples.count; e++)
			check_matches(r, code, md, r->examples.items[e]);
		for (size_t e = 0; e < r->negative.count; e++)
			check_matches(r, code, md, r->negative.items[e]);
		pcre2_code_free(code);
	}
	/* most provider rules start with their prefix; of the rest, those whose
	 * start is read are tried where its pairs occur */
	assert_true(anchored > rs->count / 2);
	assert_true(paired >= 20);
	assert_true(probed > 0);
	print_message("%zu of %zu rules anchored at keywords (%zu with a byte to look at first), "
	              "%zu at start pairs\n",
	              anchored, rs->count, probed, paired);
	pcre2_match_data_free(md);
	sg_ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_reading),
	        cmocka_unit_test(test_keyword_offset),
	        cmocka_unit_test(test_probe),
	        cmocka_unit_test(test_start_pairs),
	        cmocka_unit_test(test_default_rules_start_at_keywords),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
