/* Rule loading: the schema, errors that name file and line, overrides,
 * disabling, and the embedded default set. */
#include "helpers.h"
#include "lib/engine/rule.h"

static int load(const char *yaml)
{
	sg_ruleset *rs;
	assert_int_equal(sg_ruleset_new_empty(&rs), 0);
	int r = sg_ruleset_add_yaml(rs, "bad.yaml", yaml, strlen(yaml));
	sg_ruleset_free(rs);
	return r;
}

static void expect_error(const char *yaml, const char *needle)
{
	assert_int_equal(load(yaml), SG_EINVALID);
	if (!strstr(sg_error_last(), needle))
		fail_msg("error '%s' lacks '%s'", sg_error_last(), needle);
}

static void test_schema_errors(void **state)
{
	(void)state;
	expect_error("rules:\n  - id: a\n    keywords: [abc]\n    pattern: 'x'\n    colour: red\n",
	             "bad.yaml:5: unknown rule key 'colour'");
	expect_error("rules:\n  - id: a\n    pattern: 'abc'\n", "needs at least one keyword");
	expect_error("rules:\n  - id: a\n    keywords: [abc]\n", "has no 'pattern'");
	expect_error("rules:\n  - id: a\n    keywords: [abc]\n    pattern: '(abc'\n",
	             "bad.yaml:2: rule 'a': bad pattern");
	expect_error("rules:\n  - id: a\n    keywords: [abc]\n    pattern: 'abc'\n    severity: "
	             "huge\n",
	             "bad.yaml:5");
	expect_error("rules:\n  - id: A B\n    keywords: [abc]\n    pattern: 'abc'\n",
	             "must be lowercase");
	expect_error("rules:\n  - id: a\n    id: b\n", "duplicate key 'id'");
	expect_error("rules:\n  - id: a\n    keywords: [abc]\n    pattern: 'abc'\n    checksum: "
	             "nope\n",
	             "unknown checksum");
	expect_error("rules: [\n", "bad.yaml:");
	expect_error("other: 1\n", "unknown top-level key 'other'");
	expect_error("rules:\n  - id: a\n    keywords: [abc]\n    pattern: 'abc'\n    entropy: "
	             "nine\n",
	             "'entropy'");
}

static void test_override_and_disable(void **state)
{
	(void)state;
	sg_ruleset *rs;
	assert_int_equal(sg_ruleset_new_empty(&rs), 0);
	const char *a = "rules:\n  - id: r1\n    keywords: [abc]\n    pattern: 'abc'\n"
	                "    severity: low\n";
	const char *b = "rules:\n  - id: r1\n    keywords: [abc]\n    pattern: 'abcd'\n"
	                "    severity: high\n";
	assert_int_equal(sg_ruleset_add_yaml(rs, "a", a, strlen(a)), 0);
	assert_int_equal(sg_ruleset_add_yaml(rs, "b", b, strlen(b)), 0);
	assert_int_equal(sg_ruleset_count(rs), 1);
	assert_int_equal(sg_rule_severity(sg_ruleset_find(rs, "r1")), SG_SEV_HIGH);
	assert_int_equal(sg_ruleset_disable(rs, "r1"), 0);
	assert_int_equal(sg_ruleset_disable(rs, "nope"), SG_ENOTFOUND);
	assert_int_equal(sg_ruleset_finalize(rs), 0);
	sg_scanner *s;
	assert_int_equal(sg_scanner_new(&s, rs, NULL), 0);
	sg_findings f;
	sg_findings_init(&f, 0);
	assert_int_equal(sg_scanner_scan(s, "abcd", 4, NULL, NULL, &f), 0);
	assert_int_equal(f.count, 0);
	sg_findings_free(&f);
	sg_scanner_free(s);
	sg_ruleset_free(rs);
}

static void test_default_rules_load_and_compile(void **state)
{
	(void)state;
	sg_ruleset *rs;
	assert_int_equal(sg_ruleset_new_default(&rs), 0);
	assert_int_equal(sg_ruleset_finalize(rs), 0);
	for (size_t i = 0; i < sg_ruleset_count(rs); i++) {
		const sg_rule *r = sg_ruleset_get(rs, i);
		const char *ex = sg_rule_example(r, 0, 0);
		if (!ex)
			fail_msg("rule %s has no example", sg_rule_id(r));
		if (sg_rule_matches(r, ex, strlen(ex)) < 0)
			fail_msg("rule %s: %s", sg_rule_id(r), sg_error_last());
	}
	sg_ruleset_free(rs);
}

static size_t count_findings(const sg_ruleset *rs, const char *text)
{
	sg_scanner *s;
	sg_findings f;
	assert_int_equal(sg_scanner_new(&s, rs, NULL), 0);
	sg_findings_init(&f, 0);
	assert_int_equal(sg_scanner_scan(s, text, strlen(text), NULL, NULL, &f), 0);
	size_t n = f.count;
	sg_findings_free(&f);
	sg_scanner_free(s);
	return n;
}

static void test_prebuilt_prefilter_matches_rebuilt(void **state)
{
	(void)state;
	/* the default set uses the automaton built at build time; adding a rule
	 * forces a rebuild, which must find the same default findings */
	char key[21], text[128];
	test_aws_key(key, 31);
	snprintf(text, sizeof(text), "aws_access_key_id = %s\nzzq12345\n", key);
	sg_ruleset *rs;
	assert_int_equal(sg_ruleset_new_default(&rs), 0);
	assert_int_equal(sg_ruleset_finalize(rs), 0);
	size_t prebuilt = count_findings(rs, text);
	assert_true(prebuilt >= 1);
	const char *extra = "rules:\n  - id: zzq\n    keywords: [zzq]\n    pattern: 'zzq\\d{5}'\n";
	assert_int_equal(sg_ruleset_add_yaml(rs, "extra", extra, strlen(extra)), 0);
	assert_int_equal(sg_ruleset_finalize(rs), 0);
	assert_int_equal(count_findings(rs, text), prebuilt + 1);
	sg_ruleset_free(rs);
}

/* A pack string: its u32 length, its bytes, a NUL. */
static size_t pack_put_str(char *out, const char *s)
{
	uint32_t n = (uint32_t)strlen(s);
	memcpy(out, &n, 4);
	memcpy(out + 4, s, n + 1);
	return 4 + n + 1;
}

/* A one-rule pack with one keyword, declaring `items` list strings in all. */
static size_t small_pack(char *out, uint32_t items)
{
	size_t n = 0;
	memcpy(out, "SGPK5\n", 6);
	n = 6;
	uint32_t head[2] = {1, items};
	memcpy(out + n, head, sizeof(head));
	n += sizeof(head);
	/* id, description, source, pattern, checksum */
	const char *strs[] = {"t", "d", "s", "k\\d+", ""};
	for (size_t i = 0; i < 5; i++)
		n += pack_put_str(out + n, strs[i]);
	/* line, severity, confidence, window, enabled, entropy, kind, contexts */
	uint32_t fields[8] = {1, SG_SEV_HIGH, SG_CONF_HIGH, 64, 1, 0, 0, 0};
	memcpy(out + n, fields, sizeof(fields));
	n += sizeof(fields);
	n += pack_put_str(out + n, ""); /* pair_with */
	uint32_t pair[3] = {0, 0, 0};
	memcpy(out + n, pair, sizeof(pair));
	n += sizeof(pair);
	uint32_t one = 1, none = 0;
	memcpy(out + n, &one, 4);
	n += 4;
	n += pack_put_str(out + n, "k");
	for (int i = 0; i < 7; i++, n += 4)
		memcpy(out + n, &none, 4);
	return n;
}

static void test_pack_lists_in_one_block(void **state)
{
	(void)state;
	char pack[256];
	sg_ruleset *rs;
	/* the lists are taken from one block of the declared size: a pack whose
	 * lists hold more strings than it declares is refused, not overrun */
	size_t len = small_pack(pack, 0);
	assert_int_equal(sg_ruleset_new_empty(&rs), 0);
	assert_int_equal(sg_ruleset_add_pack(rs, pack, len), SG_EINVALID);
	assert_non_null(strstr(sg_error_last(), "truncated"));
	sg_ruleset_free(rs);
	len = small_pack(pack, 1);
	assert_int_equal(sg_ruleset_new_empty(&rs), 0);
	if (sg_ruleset_add_pack(rs, pack, len) != 0)
		fail_msg("pack: %s", sg_error_last());
	assert_int_equal(sg_ruleset_count(rs), 1);
	assert_int_equal(sg_ruleset_add_pack(rs, pack, len), SG_EINVALID);
	assert_int_equal(sg_ruleset_finalize(rs), 0);
	assert_int_equal(count_findings(rs, "k123"), 1);
	sg_ruleset_free(rs);
	/* every cut of the pack is refused, and so is a string whose length
	 * runs past its NUL or past the end */
	for (size_t cut = 0; cut < len; cut++) {
		assert_int_equal(sg_ruleset_new_empty(&rs), 0);
		assert_int_equal(sg_ruleset_add_pack(rs, pack, cut), SG_EINVALID);
		sg_ruleset_free(rs);
	}
	uint32_t longer = 2, huge = 0xffffffffu;
	memcpy(pack + 14, &longer, 4); /* the id "t" said to be two bytes */
	assert_int_equal(sg_ruleset_new_empty(&rs), 0);
	assert_int_equal(sg_ruleset_add_pack(rs, pack, len), SG_EINVALID);
	assert_non_null(strstr(sg_error_last(), "truncated"));
	sg_ruleset_free(rs);
	memcpy(pack + 14, &huge, 4);
	assert_int_equal(sg_ruleset_new_empty(&rs), 0);
	assert_int_equal(sg_ruleset_add_pack(rs, pack, len), SG_EINVALID);
	sg_ruleset_free(rs);
	/* the keyword "k" (before seven empty lists) without its NUL: the rest
	 * of the pack reads on, so only the check of the NUL refuses it */
	len = small_pack(pack, 1);
	assert_int_equal(pack[len - 28 - 1], '\0');
	pack[len - 28 - 1] = 'k';
	assert_int_equal(sg_ruleset_new_empty(&rs), 0);
	assert_int_equal(sg_ruleset_add_pack(rs, pack, len), SG_EINVALID);
	sg_ruleset_free(rs);
	/* a rule of the default set replaced by one of the same id is freed
	 * apart from the block the others share */
	assert_int_equal(sg_ruleset_new_default(&rs), 0);
	size_t count = sg_ruleset_count(rs);
	char yaml[256];
	snprintf(yaml, sizeof(yaml),
	         "rules:\n  - id: %s\n    keywords: [zzq]\n    pattern: 'zzq\\d{5}'\n",
	         sg_rule_id(sg_ruleset_get(rs, 0)));
	assert_int_equal(sg_ruleset_add_yaml(rs, "override", yaml, strlen(yaml)), 0);
	assert_int_equal(sg_ruleset_count(rs), count);
	assert_int_equal(sg_ruleset_finalize(rs), 0);
	assert_int_equal(count_findings(rs, "zzq12345"), 1);
	sg_ruleset_free(rs);
}

static void test_jit_after_uses(void **state)
{
	(void)state;
	/* a hook matches a few windows: every pattern starts interpreted, and
	 * gets its JIT-compiled copy only once it has run on 48 of them */
	sg_ruleset *rs;
	const char *y = "rules:\n  - id: small\n    keywords: [abc]\n    pattern: 'abc\\d+'\n";
	assert_int_equal(sg_ruleset_new_empty(&rs), 0);
	assert_int_equal(sg_ruleset_add_yaml(rs, "small", y, strlen(y)), 0);
	sg_rule *r = rs->rules[0];
	assert_int_equal(sg_rule_compile(r), 0);
	size_t jit = 1;
	assert_int_equal(pcre2_pattern_info(r->code, PCRE2_INFO_JITSIZE, &jit), 0);
	assert_int_equal(jit, 0);
	for (int i = 0; i < 47; i++)
		assert_ptr_equal(sg_rule_code(r), r->code);
	assert_ptr_equal(sg_rule_code(r), r->code);
#ifndef SG_NO_JIT
	assert_non_null(r->jit_code);
	assert_ptr_equal(sg_rule_code(r), r->jit_code);
#endif
	assert_int_equal(sg_ruleset_finalize(rs), 0);
	assert_int_equal(count_findings(rs, "abc123"), 1);
	sg_ruleset_free(rs);
}

static void test_add_path_directory(void **state)
{
	(void)state;
	char dir[] = "/tmp/sg-rules-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char p[256];
	snprintf(p, sizeof(p), "%s/a.yaml", dir);
	FILE *f = fopen(p, "w");
	fputs("rules:\n  - id: from-dir\n    keywords: [zzq]\n    pattern: 'zzq\\d+'\n", f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/notes.txt", dir);
	f = fopen(p, "w");
	fputs("not yaml: [", f);
	fclose(f);
	sg_ruleset *rs;
	assert_int_equal(sg_ruleset_new_empty(&rs), 0);
	assert_int_equal(sg_ruleset_add_path(rs, dir), 0);
	assert_non_null(sg_ruleset_find(rs, "from-dir"));
	assert_int_equal(sg_ruleset_add_path(rs, "/nonexistent/rules.yaml"), SG_ENOTFOUND);
	sg_ruleset_free(rs);
	snprintf(p, sizeof(p), "rm -rf '%s'", dir);
	assert_int_equal(system(p), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_schema_errors),
	        cmocka_unit_test(test_override_and_disable),
	        cmocka_unit_test(test_default_rules_load_and_compile),
	        cmocka_unit_test(test_prebuilt_prefilter_matches_rebuilt),
	        cmocka_unit_test(test_add_path_directory),
	        cmocka_unit_test(test_pack_lists_in_one_block),
	        cmocka_unit_test(test_jit_after_uses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
