/* Tests for fingerprint lists: the ignore file (comments, path scoping, bad
 * lines), and baselines (sorted, stable, secret-free; a round trip leaves
 * nothing new, one added secret is exactly one new finding, and a rebase
 * that moves a secret to another line keeps it suppressed). */
#include <unistd.h>
#include "helpers.h"
#include "secretgate/suppress.h"

static sg_ruleset *rs;
static char key_a[21], key_b[21], key_c[21];
static char tmpdir[64];

static int setup(void **state)
{
	rs = test_ruleset(test_aws_rule);
	test_aws_key(key_a, 11);
	test_aws_key(key_b, 12);
	test_aws_key(key_c, 13);
	test_tmpdir_make(tmpdir, "suppress");
	return 0;
}

static int teardown(void **state)
{
	sg_ruleset_free(rs);
	test_tmpdir_remove(tmpdir);
	return 0;
}

static void scan(const char *path, const char *text, sg_findings *out)
{
	sg_scanner *s;
	sg_scan_options so = SG_SCAN_OPTIONS_INIT;
	assert_int_equal(sg_scanner_new(&s, rs, &so), 0);
	sg_origin o = {.path = path};
	assert_int_equal(sg_scanner_scan(s, text, strlen(text), &o, NULL, out), 0);
	sg_scanner_free(s);
}

/* What cli_finish does with the two lists. */
static size_t apply(sg_findings *f, const sg_fingerprint_set *ignore,
                    const sg_fingerprint_set *base)
{
	for (size_t i = 0; i < f->count; i++) {
		sg_finding *x = &f->items[i];
		if (x->suppressed)
			continue;
		if (ignore && sg_fingerprint_set_has(ignore, x))
			x->suppressed = SG_SUPPRESS_IGNORE;
		else if (base && sg_fingerprint_set_has(base, x))
			x->suppressed = SG_SUPPRESS_BASELINE;
	}
	return sg_findings_blocking(f);
}

static char *slurp(const char *path)
{
	FILE *in = fopen(path, "rb");
	assert_non_null(in);
	static char buf[65536];
	size_t n = fread(buf, 1, sizeof(buf) - 1, in);
	fclose(in);
	buf[n] = '\0';
	return strdup(buf);
}

static void test_ignore_file_parse(void **state)
{
	sg_fingerprint_set set = {0};
	const char *text = "# accepted test fixtures\n"
	                   "\n"
	                   "test-aws:0123456789abcdef0123   # the README example\n"
	                   "  test-generic:abcdefabcdefabcdefab   ./src/config.js  # only here\n"
	                   "test-aws:ffffffffffffffffffff docs/a b.md\n";
	assert_int_equal(sg_fingerprint_set_parse(&set, "ign", text, strlen(text)), 0);
	assert_int_equal(set.count, 3);
	/* sorted for lookups */
	for (size_t i = 1; i < set.count; i++)
		assert_true(strcmp(set.items[i - 1], set.items[i]) < 0);

	sg_finding f = {0};
	f.path = "anywhere/x.py";
	snprintf(f.fingerprint, sizeof(f.fingerprint), "test-aws:0123456789abcdef0123");
	assert_true(sg_fingerprint_set_has(&set, &f));
	/* path-scoped entries only match on that path, "./" or not */
	snprintf(f.fingerprint, sizeof(f.fingerprint), "test-generic:abcdefabcdefabcdefab");
	assert_false(sg_fingerprint_set_has(&set, &f));
	f.path = "src/config.js";
	assert_true(sg_fingerprint_set_has(&set, &f));
	f.path = "./src/config.js";
	assert_true(sg_fingerprint_set_has(&set, &f));
	/* a path may hold spaces */
	snprintf(f.fingerprint, sizeof(f.fingerprint), "test-aws:ffffffffffffffffffff");
	f.path = "docs/a b.md";
	assert_true(sg_fingerprint_set_has(&set, &f));
	f.path = "docs/a";
	assert_false(sg_fingerprint_set_has(&set, &f));
	sg_fingerprint_set_free(&set);
}

static void test_ignore_file_errors(void **state)
{
	sg_fingerprint_set set = {0};
	const char *bad[] = {"test-aws:xyz\n", "ok:0123456789\nnot a fingerprint\n",
	                     ":0123456789abcdef\n", "test aws:0123456789\n", "test-aws:0123\n"};
	const char *line[] = {"ign:1:", "ign:2:", "ign:1:", "ign:1:", "ign:1:"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(sg_fingerprint_set_parse(&set, "ign", bad[i], strlen(bad[i])),
		                 SG_EINVALID);
		if (!strstr(sg_error_last(), line[i]))
			fail_msg("'%s' not in '%s'", line[i], sg_error_last());
		sg_fingerprint_set_free(&set);
	}
	char path[128];
	snprintf(path, sizeof(path), "%s/missing", tmpdir);
	assert_int_equal(sg_fingerprint_set_load(&set, path), SG_ENOTFOUND);
}

static void test_ignore_file_suppresses_scan(void **state)
{
	char text[256];
	snprintf(text, sizeof(text), "a = \"%s\"\nb = \"%s\"\n", key_a, key_b);
	sg_findings f;
	sg_findings_init(&f, 0);
	scan("app/keys.py", text, &f);
	assert_int_equal(f.count, 2);
	char list[256];
	snprintf(list, sizeof(list), "%s # fixture\n%s other/file.py\n", f.items[0].fingerprint,
	         f.items[1].fingerprint);
	sg_fingerprint_set ign = {0};
	assert_int_equal(sg_fingerprint_set_parse(&ign, "ign", list, strlen(list)), 0);
	assert_int_equal(apply(&f, &ign, NULL), 1);
	assert_int_equal(f.items[0].suppressed, SG_SUPPRESS_IGNORE);
	assert_int_equal(f.items[1].suppressed, SG_SUPPRESS_NONE);
	sg_fingerprint_set_free(&ign);
	sg_findings_free(&f);
}

static void test_baseline_round_trip(void **state)
{
	char path[128], text[512];
	snprintf(path, sizeof(path), "%s/baseline", tmpdir);
	snprintf(text, sizeof(text), "one = \"%s\"\nkey = \"%s\"\n", key_a,
	         "Zm9vYmFyYmF6cXV4MTIzNDU2");
	sg_findings f;
	sg_findings_init(&f, 0);
	scan("src/a.py", text, &f);
	assert_int_equal(f.count, 2);
	assert_int_equal(sg_baseline_write(path, &f), 0);

	/* the file: a comment, then sorted fingerprints; no secrets, paths or lines */
	char *content = slurp(path);
	assert_null(strstr(content, key_a));
	assert_null(strstr(content, "src/a.py"));
	char *first = strchr(content, '\n') + 1;
	assert_int_equal(content[0], '#');
	assert_true(strcmp(f.items[0].fingerprint, f.items[1].fingerprint) != 0);
	char *second = strchr(first, '\n') + 1;
	assert_true(strncmp(first, second, 20) < 0);
	assert_int_equal(strchr(second, '\n')[1], '\0');

	/* write, rescan: nothing new */
	sg_fingerprint_set base = {0};
	assert_int_equal(sg_fingerprint_set_load(&base, path), 0);
	sg_findings again;
	sg_findings_init(&again, 0);
	scan("src/a.py", text, &again);
	assert_int_equal(apply(&again, NULL, &base), 0);

	/* regenerating from the suppressed rescan changes nothing, byte for byte */
	assert_int_equal(sg_baseline_write(path, &again), 0);
	char *content2 = slurp(path);
	assert_string_equal(content, content2);

	/* add one secret: exactly one new finding */
	char more[768];
	snprintf(more, sizeof(more), "%snew = \"%s\"\n", text, key_b);
	sg_findings third;
	sg_findings_init(&third, 0);
	scan("src/a.py", more, &third);
	assert_int_equal(third.count, 3);
	assert_int_equal(apply(&third, NULL, &base), 1);
	for (size_t i = 0; i < third.count; i++)
		if (!third.items[i].suppressed)
			assert_int_equal(third.items[i].line, 3);

	free(content);
	free(content2);
	sg_fingerprint_set_free(&base);
	sg_findings_free(&f);
	sg_findings_free(&again);
	sg_findings_free(&third);
}

static void test_rebase_moves_secret(void **state)
{
	char path[128], before[256], after[512];
	snprintf(path, sizeof(path), "%s/baseline-rebase", tmpdir);
	snprintf(before, sizeof(before), "key = \"%s\"\n", key_c);
	/* after a rebase: lines added above, the file renamed, the assignment
	 * reformatted; the secret itself is unchanged */
	snprintf(after, sizeof(after),
	         "# header added upstream\n\n\nimport os\n\nconfig = {\n    'aws':   '%s',\n}\n",
	         key_c);
	sg_findings f, g;
	sg_findings_init(&f, 0);
	sg_findings_init(&g, 0);
	scan("old/name.py", before, &f);
	scan("new/place.py", after, &g);
	assert_int_equal(f.count, 1);
	assert_int_equal(g.count, 1);
	assert_int_equal(f.items[0].line, 1);
	assert_int_equal(g.items[0].line, 7);
	assert_string_equal(f.items[0].fingerprint, g.items[0].fingerprint);

	assert_int_equal(sg_baseline_write(path, &f), 0);
	sg_fingerprint_set base = {0};
	assert_int_equal(sg_fingerprint_set_load(&base, path), 0);
	assert_int_equal(apply(&g, NULL, &base), 0);
	assert_int_equal(g.items[0].suppressed, SG_SUPPRESS_BASELINE);

	/* an unscoped ignore entry follows the secret too */
	sg_fingerprint_set ign = {0};
	const char *fp = f.items[0].fingerprint;
	assert_int_equal(sg_fingerprint_set_parse(&ign, "ign", fp, strlen(fp)), 0);
	g.items[0].suppressed = SG_SUPPRESS_NONE;
	assert_int_equal(apply(&g, &ign, NULL), 0);
	sg_fingerprint_set_free(&ign);
	sg_fingerprint_set_free(&base);
	sg_findings_free(&f);
	sg_findings_free(&g);
}

static void test_baseline_leaves_out_other_suppressions(void **state)
{
	char path[128], text[512];
	snprintf(path, sizeof(path), "%s/baseline-kinds", tmpdir);
	snprintf(text, sizeof(text), "a = \"%s\" # secretgate:allow\nb = \"%s\"\n", key_a, key_b);
	sg_findings f;
	sg_findings_init(&f, 0);
	scan("x.py", text, &f);
	assert_int_equal(f.count, 2);
	assert_int_equal(f.items[0].suppressed, SG_SUPPRESS_INLINE);
	assert_int_equal(sg_baseline_write(path, &f), 0);
	char *content = slurp(path);
	assert_null(strstr(content, f.items[0].fingerprint));
	assert_non_null(strstr(content, f.items[1].fingerprint));
	free(content);

	/* an empty run writes a header-only baseline */
	sg_findings none;
	sg_findings_init(&none, 0);
	assert_int_equal(sg_baseline_write(path, &none), 0);
	content = slurp(path);
	assert_int_equal(content[0], '#');
	assert_int_equal(strchr(content, '\n')[1], '\0');
	free(content);
	sg_findings_free(&f);

	/* an unwritable place is an error, and leaves no temporary file */
	snprintf(path, sizeof(path), "%s/no/such/dir/baseline", tmpdir);
	assert_int_equal(sg_baseline_write(path, &none), SG_EIO);
}

static void test_inline_markers(void **state)
{
	const char *markers[] = {"# secretgate:allow", "// gitleaks:allow",
	                         "/* pragma: allowlist secret */", "<!-- secretgate:allow -->"};
	for (size_t i = 0; i < 4; i++) {
		char text[256];
		snprintf(text, sizeof(text), "k = \"%s\" %s\nk2 = \"%s\"\n", key_a, markers[i],
		         key_b);
		sg_findings f;
		sg_findings_init(&f, 0);
		scan("m.txt", text, &f);
		assert_int_equal(f.count, 2);
		assert_int_equal(f.items[0].suppressed, SG_SUPPRESS_INLINE);
		assert_int_equal(f.items[1].suppressed, SG_SUPPRESS_NONE);
		sg_findings_free(&f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_ignore_file_parse),
	        cmocka_unit_test(test_ignore_file_errors),
	        cmocka_unit_test(test_ignore_file_suppresses_scan),
	        cmocka_unit_test(test_baseline_round_trip),
	        cmocka_unit_test(test_rebase_moves_secret),
	        cmocka_unit_test(test_baseline_leaves_out_other_suppressions),
	        cmocka_unit_test(test_inline_markers),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
