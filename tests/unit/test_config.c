/* Tests for .secretgate.yml: every key of the schema, and errors (unknown
 * keys, wrong types, bad regexes, unknown rule ids) that name the file, the
 * line and the key. */
#include <unistd.h>
#include "helpers.h"
#include "secretgate/policy.h"

static sg_config *parse_ok(const char *yaml)
{
	sg_config *c = NULL;
	if (sg_config_parse(&c, "t.yml", yaml, strlen(yaml)) != 0)
		fail_msg("config: %s", sg_error_last());
	return c;
}

/* Parsing fails with SG_EINVALID and a message holding `want`. */
static void parse_err(const char *yaml, const char *want)
{
	sg_config *c = NULL;
	int r = sg_config_parse(&c, "t.yml", yaml, strlen(yaml));
	if (r != SG_EINVALID)
		fail_msg("expected an error holding '%s', got %d", want, r);
	if (!strstr(sg_error_last(), want))
		fail_msg("error '%s' does not hold '%s'", sg_error_last(), want);
	assert_null(c);
}

static const char full_example[] = "version: 1\n"
                                   "fail_on: high\n"
                                   "max_file_size: 5MB\n"
                                   "manifest: deploy/env.yml\n"
                                   "ignore_file: .secrets-ignore\n"
                                   "baseline: .secretgate-baseline\n"
                                   "rules:\n"
                                   "  disable: [test-generic]\n"
                                   "  custom:\n"
                                   "    - id: acme-token\n"
                                   "      description: ACME internal token\n"
                                   "      severity: critical\n"
                                   "      keywords: [acme_]\n"
                                   "      pattern: '\\b(?<secret>acme_[a-z0-9]{24})\\b'\n"
                                   "allow:\n"
                                   "  paths: ['tests/fixtures/**', '*.md']\n"
                                   "  patterns: ['^AKIAEXAMPLE']\n"
                                   "  stopwords: [dummy]\n"
                                   "  rules:\n"
                                   "    test-aws:\n"
                                   "      patterns: ['Z{4}$']\n"
                                   "      stopwords: [sample]\n"
                                   "      paths: ['docs/**']\n";

static void test_full_schema(void **state)
{
	sg_config *c = parse_ok(full_example);
	assert_string_equal(c->path, "t.yml");
	assert_true(c->fail_on_set);
	assert_int_equal(c->fail_on, SG_SEV_HIGH);
	assert_int_equal(c->max_file_size, 5000000);
	assert_string_equal(c->manifest, "deploy/env.yml");
	assert_string_equal(c->ignore_file, ".secrets-ignore");
	assert_string_equal(c->baseline, ".secretgate-baseline");
	assert_int_equal(c->ndisable, 1);
	assert_string_equal(c->disable[0], "test-generic");
	assert_non_null(c->custom_rules);
	assert_int_equal(c->nallow_paths, 2);
	assert_int_equal(c->nallow_patterns, 1);
	assert_int_equal(c->nstopwords, 1);
	assert_int_equal(c->nrule_allow, 1);
	assert_string_equal(c->rule_allow[0].rule_id, "test-aws");
	assert_int_equal(c->rule_allow[0].npatterns, 1);
	assert_int_equal(c->rule_allow[0].nstopwords, 1);
	assert_int_equal(c->rule_allow[0].npaths, 1);
	sg_config_free(c);
}

static void test_empty_and_defaults(void **state)
{
	sg_config *c = parse_ok("");
	assert_false(c->fail_on_set);
	assert_int_equal(c->max_file_size, 0);
	assert_null(c->manifest);
	sg_config_free(c);
	c = parse_ok("# only a comment\n");
	sg_config_free(c);
	assert_int_equal(sg_config_new_default(&c), 0);
	sg_finding f = {0};
	f.rule_id = "x";
	f.path = "a";
	assert_false(sg_config_allows(c, &f));
	sg_config_free(c);
}

static void test_unknown_keys(void **state)
{
	parse_err("version: 1\n\ncolour: red\n", "t.yml:3: colour: unknown key");
	parse_err("allow:\n  pathz: [a]\n", "t.yml:2: allow.pathz: unknown key");
	parse_err("rules:\n  enable: [a]\n", "t.yml:2: rules.enable: unknown key");
	parse_err("allow:\n  rules:\n    test-aws:\n      stopword: [x]\n",
	          "t.yml:4: allow.rules.test-aws.stopword: unknown key");
}

static void test_wrong_types(void **state)
{
	parse_err("version: 2\n", "t.yml:1: version: must be 1");
	parse_err("fail_on: [high]\n", "t.yml:1: fail_on: must be");
	parse_err("fail_on: severe\n", "t.yml:1: fail_on: must be");
	parse_err("max_file_size: lots\n", "t.yml:1: max_file_size: must be a size");
	parse_err("max_file_size: 0\n", "max_file_size");
	parse_err("allow:\n  paths: 'a/**'\n", "t.yml:2: allow.paths: must be a list of strings");
	parse_err("allow:\n  stopwords:\n    - [nested]\n", "t.yml:3: allow.stopwords: must be");
	parse_err("allow: [a]\n", "t.yml:1: allow: must be a mapping");
	parse_err("rules: off\n", "t.yml:1: rules: must be a mapping");
	parse_err("rules:\n  custom: {id: x}\n", "t.yml:2: rules.custom: must be a list");
	parse_err("manifest: [a, b]\n", "t.yml:1: manifest: must be a string");
	parse_err("allow:\n  rules: [a]\n", "allow.rules: must map rule ids");
	parse_err("allow:\n  rules:\n    test-aws: [a]\n",
	          "t.yml:3: allow.rules.test-aws: must be");
	parse_err("- a\n- b\n", "t.yml:1: (top level): must be a mapping");
}

static void test_bad_regexes_name_their_line(void **state)
{
	parse_err("allow:\n  patterns:\n    - 'ok'\n    - '(unclosed'\n",
	          "t.yml:4: allow.patterns: bad regex: missing closing parenthesis");
	parse_err("allow:\n  rules:\n    test-aws:\n      patterns: ['[z-a]']\n",
	          "t.yml:4: allow.rules.test-aws.patterns: bad regex");
}

static void test_duplicate_keys(void **state)
{
	sg_config *c = NULL;
	const char *y = "fail_on: high\nfail_on: low\n";
	assert_int_equal(sg_config_parse(&c, "t.yml", y, strlen(y)), SG_EINVALID);
	assert_non_null(strstr(sg_error_last(), "t.yml:2"));
}

static void test_apply_rules(void **state)
{
	sg_ruleset *rs = NULL;
	assert_int_equal(sg_ruleset_new_empty(&rs), 0);
	assert_int_equal(sg_ruleset_add_yaml(rs, "test.yaml", test_aws_rule, strlen(test_aws_rule)),
	                 0);
	sg_config *c = parse_ok(full_example);
	assert_int_equal(sg_config_apply_rules(c, rs), 0);
	assert_int_equal(sg_ruleset_finalize(rs), 0);
	assert_false(sg_rule_enabled(sg_ruleset_find(rs, "test-generic")));
	assert_true(sg_rule_enabled(sg_ruleset_find(rs, "test-aws")));
	const sg_rule *acme = sg_ruleset_find(rs, "acme-token");
	assert_non_null(acme);
	assert_int_equal(sg_rule_severity(acme), SG_SEV_CRITICAL);
	assert_string_equal(sg_rule_source(acme), "t.yml");

	/* the custom rule finds what it should */
	char text[80];
	snprintf(text, sizeof(text), "token = %s%s\n", "acme_", "abcdefghij0123456789wxyz");
	sg_scanner *s;
	sg_scan_options so = SG_SCAN_OPTIONS_INIT;
	assert_int_equal(sg_scanner_new(&s, rs, &so), 0);
	sg_findings f;
	sg_findings_init(&f, 0);
	sg_origin o = {.path = "src/a.py"};
	assert_int_equal(sg_scanner_scan(s, text, strlen(text), &o, NULL, &f), 0);
	assert_int_equal(f.count, 1);
	assert_string_equal(f.items[0].rule_id, "acme-token");
	sg_findings_free(&f);
	sg_scanner_free(s);
	sg_config_free(c);
	sg_ruleset_free(rs);
}

static void test_apply_errors(void **state)
{
	sg_ruleset *rs = NULL;
	assert_int_equal(sg_ruleset_new_empty(&rs), 0);
	assert_int_equal(sg_ruleset_add_yaml(rs, "test.yaml", test_aws_rule, strlen(test_aws_rule)),
	                 0);
	sg_config *c = parse_ok("rules:\n  disable:\n    - test-aws\n    - no-such-rule\n");
	assert_int_equal(sg_config_apply_rules(c, rs), SG_EINVALID);
	assert_non_null(strstr(sg_error_last(), "t.yml:4: rules.disable: no rule with id "
	                                        "'no-such-rule'"));
	sg_config_free(c);
	c = parse_ok("rules:\n  custom:\n    - id: broken\n      keywords: [br]\n"
	             "      pattern: '(?<secret>br['\n");
	assert_int_equal(sg_config_apply_rules(c, rs), SG_EINVALID);
	assert_non_null(strstr(sg_error_last(), "t.yml:3: rule 'broken'"));
	sg_config_free(c);
	c = parse_ok("rules:\n  custom:\n    - id: broken\n      keywords: [br]\n"
	             "      pattern: x\n      colour: red\n");
	assert_int_equal(sg_config_apply_rules(c, rs), SG_EINVALID);
	assert_non_null(strstr(sg_error_last(), "t.yml:6"));
	assert_non_null(strstr(sg_error_last(), "colour"));
	sg_config_free(c);
	sg_ruleset_free(rs);
}

static sg_finding finding(const char *rule, const char *path, const char *secret)
{
	sg_finding f = {0};
	f.rule_id = rule;
	f.path = (char *)path;
	f.secret = (char *)secret;
	f.secret_len = strlen(secret);
	return f;
}

static void test_allows(void **state)
{
	sg_config *c = parse_ok(full_example);
	char key[21];
	test_aws_key(key, 5);
	sg_finding f;

	f = finding("test-aws", "src/app.py", key);
	assert_false(sg_config_allows(c, &f));
	assert_int_equal(f.suppressed, SG_SUPPRESS_NONE);

	/* global path globs, also for paths given as ./x */
	f = finding("test-aws", "tests/fixtures/a/b.json", key);
	assert_true(sg_config_allows(c, &f));
	assert_int_equal(f.suppressed, SG_SUPPRESS_CONFIG);
	f = finding("test-aws", "./tests/fixtures/x", key);
	assert_true(sg_config_allows(c, &f));
	f = finding("test-aws", "sub/README.md", key);
	assert_true(sg_config_allows(c, &f));

	/* global stop-words (case-insensitive) and patterns */
	f = finding("test-generic", "src/a", "myDUMMYvalue123456");
	assert_true(sg_config_allows(c, &f));
	char example[32];
	snprintf(example, sizeof(example), "%s%s", "AKIAEXAM", "PLE0000000000");
	f = finding("test-generic", "src/a", example);
	assert_true(sg_config_allows(c, &f));

	/* per-rule entries apply to that rule only */
	f = finding("test-aws", "docs/x.txt", key);
	assert_true(sg_config_allows(c, &f));
	f = finding("test-generic", "docs/x.txt", "abcdefghijklmnop");
	assert_false(sg_config_allows(c, &f));
	f = finding("test-aws", "src/a", "AKIASAMPLEAAAAAAAAAA");
	assert_true(sg_config_allows(c, &f));
	f = finding("test-generic", "src/a", "AKIASAMPLEAAAAAAAAAA");
	assert_false(sg_config_allows(c, &f));
	f = finding("test-aws", "src/a", "AKIAAAAAAAAAAAAAZZZZ");
	assert_true(sg_config_allows(c, &f));
	f = finding("test-generic", "src/a", "AKIAAAAAAAAAAAAAZZZZ");
	assert_false(sg_config_allows(c, &f));

	/* an earlier suppression is kept, not overwritten */
	f = finding("test-aws", "tests/fixtures/a", key);
	f.suppressed = SG_SUPPRESS_INLINE;
	assert_true(sg_config_allows(c, &f));
	assert_int_equal(f.suppressed, SG_SUPPRESS_INLINE);
	sg_config_free(c);
}

static void test_load_file(void **state)
{
	char path[] = "/tmp/sg-config-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *y = "fail_on: medium\nbogus: 1\n";
	assert_int_equal(write(fd, y, strlen(y)), (ssize_t)strlen(y));
	close(fd);
	sg_config *c = NULL;
	assert_int_equal(sg_config_load(&c, path), SG_EINVALID);
	char want[64];
	snprintf(want, sizeof(want), "%s:2: bogus", path);
	assert_non_null(strstr(sg_error_last(), want));
	unlink(path);
	assert_int_equal(sg_config_load(&c, path), SG_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_full_schema),
	        cmocka_unit_test(test_empty_and_defaults),
	        cmocka_unit_test(test_unknown_keys),
	        cmocka_unit_test(test_wrong_types),
	        cmocka_unit_test(test_bad_regexes_name_their_line),
	        cmocka_unit_test(test_duplicate_keys),
	        cmocka_unit_test(test_apply_rules),
	        cmocka_unit_test(test_apply_errors),
	        cmocka_unit_test(test_allows),
	        cmocka_unit_test(test_load_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
