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
#include "secretgate.h"
#include "envcheck.h"
#include "config.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_envcheck_redact_nothing),
	        cmocka_unit_test(test_config_error_after_patterns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
