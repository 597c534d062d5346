/* Regression tests for inputs the fuzz targets (tests/fuzz/) found to crash
 * or misbehave, one test per finding, named after the module at fault. Most
 * only fail under the sanitizer build (make test SANITIZE=address,undefined). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "secretgate/secretgate.h"
#include "secretgate/env.h"
#include "secretgate/redact.h"
#include "secretgate/policy.h"
#include "secretgate/dotenv.h"

/* fuzz_dotenv: redacting a line with nothing to mask passed a NULL span
 * array to qsort (undefined behaviour, caught by UBSan). */
static void test_envcheck_redact_nothing(void **state)
{
	sg_leakset *ls;
	sg_redactor *r;
	const char *out;
	size_t out_len = 99;
	assert_int_equal(sg_leakset_new(&ls, 4), 0);
	assert_int_equal(sg_redactor_new(&r, NULL, ls, NULL), 0);
	assert_int_equal(sg_redactor_line(r, &out, &out_len, "", 0), 0);
	assert_int_equal(out_len, 0);
	assert_int_equal(sg_redactor_line(r, &out, &out_len, "no secret here", 14), 0);
	assert_int_equal(out_len, 14);
	assert_memory_equal(out, "no secret here", 14);
	sg_redactor_free(r);
	sg_leakset_free(ls);
}

/* fuzz_config: a config whose allow.rules part fails after allow.patterns
 * was read freed the not-yet-compiled pattern array (NULL dereference);
 * likewise a bad pattern in one per-rule allowlist with more after it. */
static void test_config_error_after_patterns(void **state)
{
	static const char *const texts[] = {
	        "allow:\n  patterns: ['^test', dummy]\n  rules:\n    r1:\n      patterns: x\n",
	        "allow:\n  rules:\n    r1: { patterns: ['(bad'] }\n    r2: { patterns: [ok] }\n",
	        "allow:\n  patterns: ['(bad', ok]\n  rules:\n    r1: { patterns: [ok] }\n",
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		sg_config *c = NULL;
		assert_int_equal(sg_config_parse(&c, "c.yml", texts[i], strlen(texts[i])),
		                 SG_EINVALID);
		assert_null(c);
		assert_non_null(strstr(sg_error_last(), "c.yml:"));
	}
}

/* scanner: more keyword occurrences than the per-chunk hit buffer holds
 * stopped the prefilter, so a secret after a flood of keywords was never
 * examined and the scan reported nothing. */
static void test_scanner_keyword_flood(void **state)
{
	static const char rules[] = "rules:\n"
	                            "  - id: flood-token\n"
	                            "    keywords: [flood_]\n"
	                            "    pattern: '\\b(?<secret>flood_[A-Za-z0-9]{24})\\b'\n";
	const size_t reps = 1200000;
	const char *junk = "flood_x ", *tail = "\nk = flood_Zq3Rk8Lm2Np5Ws9Xc4Vb7Hj1\n";
	size_t jl = strlen(junk), tl = strlen(tail), len = reps * jl + tl;
	char *data = malloc(len + 1);
	assert_non_null(data);
	for (size_t i = 0; i < reps; i++)
		memcpy(data + i * jl, junk, jl);
	memcpy(data + reps * jl, tail, tl + 1);
	sg_ruleset *rs;
	sg_scanner *sc;
	sg_findings f;
	sg_findings_init(&f, 0);
	assert_int_equal(sg_ruleset_new_empty(&rs), 0);
	assert_int_equal(sg_ruleset_add_yaml(rs, "r.yaml", rules, strlen(rules)), 0);
	assert_int_equal(sg_ruleset_finalize(rs), 0);
	assert_int_equal(sg_scanner_new(&sc, rs, NULL), 0);
	assert_int_equal(sg_scanner_scan(sc, data, len, NULL, NULL, &f), 0);
	assert_int_equal(f.count, 1);
	assert_int_equal(f.items[0].line, 2);
	assert_int_equal(f.items[0].column, 5);
	/* the same with the secret first, then the flood, then another secret */
	sg_findings_free(&f);
	sg_findings_init(&f, 0);
	memcpy(data, "flood_Ab3Rk8Lm2Np5Ws9Xc4Vb7Hj9 ", 31);
	assert_int_equal(sg_scanner_scan(sc, data, len, NULL, NULL, &f), 0);
	assert_int_equal(f.count, 2);
	sg_findings_free(&f);
	sg_scanner_free(sc);
	sg_ruleset_free(rs);
	free(data);
}

/* fuzz_dotenv: "export" and blanks at the very end of the text (no newline)
 * read one byte past the buffer, which need not be NUL-terminated. */
static void test_dotenv_export_at_end(void **state)
{
	static const char *const texts[] = {"export\t\t", "A=1\nexport  ", "export\t"};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		size_t len = strlen(texts[i]);
		char *exact = malloc(len); /* no terminator: ASan sees any over-read */
		assert_non_null(exact);
		memcpy(exact, texts[i], len);
		sg_dotenv d;
		sg_dotenv_options o = SG_DOTENV_OPTIONS_INIT;
		sg_dotenv_init(&d);
		assert_int_equal(sg_dotenv_parse(&d, "x.env", exact, len, &o), SG_EINVALID);
		assert_non_null(strstr(sg_error_last(), "x.env:"));
		sg_dotenv_free(&d);
		free(exact);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_envcheck_redact_nothing),
	        cmocka_unit_test(test_config_error_after_patterns),
	        cmocka_unit_test(test_scanner_keyword_flood),
	        cmocka_unit_test(test_dotenv_export_at_end),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
