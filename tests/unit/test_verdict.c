/* Tests for the verdict: the ignore file, the baseline and the blocking
 * severity decide in that order, each decision is counted by kind, an
 * unreadable list is a problem reported after the verdict is still made, and
 * a baseline the caller names must exist while the config's may not. */
#include <unistd.h>
#include "helpers.h"
#include "secretgate/policy.h"

static char tmpdir[64];

static int setup(void **state)
{
	test_tmpdir_make(tmpdir, "verdict");
	return 0;
}

static int teardown(void **state)
{
	test_tmpdir_remove(tmpdir);
	return 0;
}

static void write_file(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Three findings: fingerprints r:1 (high), r:2 (high) and r:3 (low). */
static void three(sg_findings *f)
{
	static const char *const fp[] = {"r:00000000000000000001", "r:00000000000000000002",
	                                 "r:00000000000000000003"};
	sg_findings_init(f, 0);
	for (int i = 0; i < 3; i++) {
		sg_finding x;
		memset(&x, 0, sizeof(x));
		x.rule_id = "r";
		x.severity = i == 2 ? SG_SEV_LOW : SG_SEV_HIGH;
		x.confidence = SG_CONF_MEDIUM; /* low confidence would only warn */
		x.path = (char *)"a.txt";
		x.line = (uint32_t)i + 1;
		snprintf(x.fingerprint, sizeof(x.fingerprint), "%s", fp[i]);
		assert_int_equal(sg_findings_push(f, &x), 0);
	}
}

static void test_order_and_counts(void **state)
{
	write_file(".secretgateignore", "r:00000000000000000001\n");
	write_file("base.txt", "r:00000000000000000001\nr:00000000000000000002\n");
	sg_findings f;
	three(&f);
	sg_verdict_options o = SG_VERDICT_OPTIONS_INIT;
	o.root = tmpdir;
	char base[128];
	snprintf(base, sizeof(base), "%s/base.txt", tmpdir);
	o.baseline = base;
	o.fail_on_set = 1;
	o.fail_on = SG_SEV_MEDIUM;
	sg_scan_stats st = {0};
	sg_notices nt;
	sg_notices_init(&nt);
	assert_int_equal(sg_verdict_apply(NULL, &o, &f, &st, &nt), 0);
	assert_int_equal(nt.count, 0);
	/* in the ignore file and the baseline: the ignore file decides */
	assert_int_equal(f.items[0].suppressed, SG_SUPPRESS_IGNORE);
	assert_int_equal(f.items[1].suppressed, SG_SUPPRESS_BASELINE);
	assert_int_equal(f.items[2].suppressed, SG_SUPPRESS_SEVERITY);
	assert_int_equal(sg_findings_blocking(&f), 0);
	assert_int_equal(st.suppressed[SG_SUPPRESS_IGNORE], 1);
	assert_int_equal(st.suppressed[SG_SUPPRESS_BASELINE], 1);
	assert_int_equal(st.suppressed[SG_SUPPRESS_SEVERITY], 1);
	assert_int_equal(st.suppressed[SG_SUPPRESS_NONE], 0);
	sg_findings_free(&f);
	sg_notices_free(&nt);
	unlink(base);
	write_file(".secretgateignore", "");
}

static void test_missing_baseline(void **state)
{
	sg_findings f;
	three(&f);
	sg_verdict_options o = SG_VERDICT_OPTIONS_INIT;
	o.root = tmpdir;
	o.baseline = "/nonexistent/sg-verdict-baseline";
	sg_scan_stats st = {0};
	sg_notices nt;
	sg_notices_init(&nt);
	/* named by the caller: it must exist; the verdict is still made */
	assert_int_equal(sg_verdict_apply(NULL, &o, &f, &st, &nt), SG_ERROR);
	assert_int_equal(nt.count, 1);
	assert_non_null(strstr(nt.items[0], "sg-verdict-baseline"));
	assert_int_equal(sg_findings_blocking(&f), 3);
	assert_int_equal(st.suppressed[SG_SUPPRESS_NONE], 3);
	sg_findings_free(&f);
	sg_notices_free(&nt);

	/* the config's own baseline may be missing */
	sg_config *c;
	const char *yml = "baseline: missing-baseline.txt\nfail_on: critical\n";
	assert_int_equal(sg_config_parse(&c, "t.yml", yml, strlen(yml)), 0);
	three(&f);
	sg_notices_init(&nt);
	memset(&st, 0, sizeof(st));
	o.baseline = NULL;
	assert_int_equal(sg_verdict_apply(c, &o, &f, &st, &nt), 0);
	assert_int_equal(nt.count, 0);
	/* the config's fail_on applies when the caller sets none */
	assert_int_equal(sg_findings_blocking(&f), 0);
	assert_int_equal(st.suppressed[SG_SUPPRESS_SEVERITY], 3);
	sg_findings_free(&f);
	sg_notices_free(&nt);
	sg_config_free(c);
}

/* Low-confidence findings warn; fail_on_confidence low makes them block. */
static void test_confidence(void **state)
{
	sg_findings f;
	three(&f);
	f.items[1].confidence = SG_CONF_LOW;
	sg_verdict_options o = SG_VERDICT_OPTIONS_INIT;
	o.root = tmpdir;
	sg_scan_stats st = {0};
	sg_notices nt;
	sg_notices_init(&nt);
	assert_int_equal(sg_verdict_apply(NULL, &o, &f, &st, &nt), 0);
	assert_int_equal(f.items[1].suppressed, SG_SUPPRESS_CONFIDENCE);
	assert_true(sg_suppress_warns(f.items[1].suppressed));
	assert_string_equal(sg_suppress_name(f.items[1].suppressed), "low-confidence");
	assert_int_equal(st.suppressed[SG_SUPPRESS_CONFIDENCE], 1);
	assert_int_equal(sg_findings_blocking(&f), 2);
	for (size_t i = 0; i < f.count; i++)
		f.items[i].suppressed = SG_SUPPRESS_NONE;
	o.fail_on_confidence_set = 1;
	o.fail_on_confidence = SG_CONF_LOW;
	assert_int_equal(sg_verdict_apply(NULL, &o, &f, &st, &nt), 0);
	assert_int_equal(sg_findings_blocking(&f), 3);
	sg_notices_free(&nt);
	sg_findings_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_order_and_counts),
	        cmocka_unit_test(test_missing_baseline),
	        cmocka_unit_test(test_confidence),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
