/* Which patterns are matched anchored at their keywords: the reading of a
 * pattern's start, and, for every default rule read as anchored, that no
 * unanchored match of its examples starts anywhere but at a keyword. */
#include <strings.h>
#include "helpers.h"
#include "lib/engine/rule.h"

static int starts(const char *pattern, const char *kw1, const char *kw2)
{
	char *items[2] = {(char *)kw1, (char *)kw2};
	sg_strlist kw = {items, kw2 ? 2 : 1};
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
	/* more texts than the reading keeps, and groups nested too deep */
	assert_false(starts("[ab][ab][ab][ab][ab][ab]x", "a", "b"));
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

static int at_keyword(const sg_rule *r, const char *text, size_t at)
{
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
		if (!at_keyword(r, text, ov[0]))
			fail_msg("rule %s: a match at %zu of '%s' starts at no keyword", r->id,
			         (size_t)ov[0], text);
		off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
	}
}

static void test_default_rules_start_at_keywords(void **state)
{
	(void)state;
	sg_ruleset *rs;
	assert_int_equal(sg_ruleset_new_default(&rs), 0);
	pcre2_match_data *md = pcre2_match_data_create(32, NULL);
	size_t anchored = 0;
	for (size_t i = 0; i < rs->count; i++) {
		const sg_rule *r = rs->rules[i];
		if (!sg_pattern_starts_with_keyword(r->pattern, &r->keywords))
			continue;
		anchored++;
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
	/* most provider rules start with their prefix */
	assert_true(anchored > rs->count / 2);
	pcre2_match_data_free(md);
	sg_ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_reading),
	        cmocka_unit_test(test_default_rules_start_at_keywords),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
