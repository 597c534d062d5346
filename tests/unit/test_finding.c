/* Findings lists: copies, caps, order, redaction and fingerprints. */
#include "helpers.h"

static void test_push_copy_cap_sort(void **state)
{
	(void)state;
	sg_findings f;
	sg_findings_init(&f, 3);
	char path[16], secret[] = "s3cr3t-value-123";
	const char *paths[] = {"b.txt", "a.txt", "a.txt", "c.txt"};
	const uint32_t lines[] = {1, 9, 2, 1};
	for (int i = 0; i < 4; i++) {
		sg_finding x = {0};
		snprintf(path, sizeof(path), "%s", paths[i]);
		x.rule_id = "r";
		x.path = path;
		x.line = lines[i];
		x.secret = secret;
		x.secret_len = strlen(secret);
		assert_int_equal(sg_findings_push(&f, &x), 0);
	}
	assert_int_equal(f.count, 3);
	assert_int_equal(f.dropped, 1);
	memset(path, 0, sizeof(path));
	sg_findings_sort(&f);
	assert_string_equal(f.items[0].path, "a.txt");
	assert_int_equal(f.items[0].line, 2);
	assert_int_equal(f.items[1].line, 9);
	assert_string_equal(f.items[2].path, "b.txt");
	assert_string_equal(f.items[2].secret, secret);

	sg_findings g;
	sg_findings_init(&g, 0);
	assert_int_equal(sg_findings_take(&g, &f), 0);
	assert_int_equal(g.count, 3);
	assert_int_equal(f.count, 0);
	sg_findings_free(&g);
	sg_findings_free(&f);
}

static void test_redact(void **state)
{
	(void)state;
	char out[64];
	sg_redact(out, sizeof(out), "abcdefghijklmnopqrstuvwxyz", 26);
	assert_string_equal(out, "abcd*****");
	sg_redact(out, sizeof(out), "abcdefghijkl", 12);
	assert_string_equal(out, "ab*****");
	sg_redact(out, sizeof(out), "short", 5);
	assert_string_equal(out, "*****");
	sg_redact(out, sizeof(out), "\x1b[31mabcdefghijklmnop", 21);
	assert_null(strchr(out, '\x1b'));
}

static void test_fingerprint(void **state)
{
	(void)state;
	char a[64], b[64], c[64];
	sg_fingerprint(a, "rule-x", "value1", 6);
	sg_fingerprint(b, "rule-x", "value1", 6);
	sg_fingerprint(c, "rule-y", "value1", 6);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	assert_true(strncmp(a, "rule-x:", 7) == 0);
	assert_int_equal(strlen(a), 7 + 20);
	assert_null(strstr(a, "value1"));
}

static void test_names(void **state)
{
	(void)state;
	sg_severity s;
	assert_int_equal(sg_severity_parse(&s, "HIGH"), 0);
	assert_int_equal(s, SG_SEV_HIGH);
	assert_int_equal(sg_severity_parse(&s, "urgent"), SG_EINVALID);
	assert_string_equal(sg_severity_name(SG_SEV_CRITICAL), "critical");
	sg_confidence c;
	assert_int_equal(sg_confidence_parse(&c, "low"), 0);
	assert_int_equal(c, SG_CONF_LOW);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_push_copy_cap_sort),
	        cmocka_unit_test(test_redact),
	        cmocka_unit_test(test_fingerprint),
	        cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
