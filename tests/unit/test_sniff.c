/* Text or binary: a stray NUL does not make a text file binary; names and
 * the share of control bytes decide. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "lib/sources/sniff.h"

static char buf[SG_SNIFF_BYTES + 4096];

static size_t text_with_nuls(size_t len, size_t nuls)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (i % 61 == 60) ? '\n' : (char)('a' + i % 26);
	for (size_t k = 0; k < nuls; k++)
		buf[(k * 97 + 13) % len] = '\0';
	return len;
}

static void test_no_nul_is_text(void **state)
{
	(void)state;
	size_t n = text_with_nuls(5000, 0);
	assert_int_equal(sg_sniff_binary("a.bin", buf, n), 0);
	assert_int_equal(sg_sniff_binary(NULL, buf, n), 0);
	assert_int_equal(sg_sniff_binary("a.py", buf, 0), 0);
}

static void test_stray_nul_in_text(void **state)
{
	(void)state;
	size_t n = text_with_nuls(8000, 1);
	assert_int_equal(sg_sniff_binary("src/app.py", buf, n), 0);
	assert_int_equal(sg_sniff_binary("README", buf, n), 0);
	assert_int_equal(sg_sniff_binary("Dockerfile", buf, n), 0);
	assert_int_equal(sg_sniff_binary(".env", buf, n), 0);
	/* a name that says binary is binary with any NUL */
	assert_int_equal(sg_sniff_binary("logo.PNG", buf, n), 1);
}

static void test_many_control_bytes(void **state)
{
	(void)state;
	/* 2% control bytes: text by name still, unknown names binary */
	size_t n = text_with_nuls(8000, 160);
	assert_int_equal(sg_sniff_binary("app.py", buf, n), 0);
	assert_int_equal(sg_sniff_binary("data.dat", buf, n), 1);
	/* more than a tenth: binary whatever the name */
	n = text_with_nuls(8000, 900);
	assert_int_equal(sg_sniff_binary("app.py", buf, n), 1);
	/* only the first SG_SNIFF_BYTES count */
	n = text_with_nuls(sizeof(buf), 0);
	memset(buf + SG_SNIFF_BYTES, 0, 4096);
	assert_int_equal(sg_sniff_binary("x.dat", buf, n), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_no_nul_is_text),
	        cmocka_unit_test(test_stray_nul_in_text),
	        cmocka_unit_test(test_many_control_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
