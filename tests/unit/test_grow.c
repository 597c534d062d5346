/* util/grow: arrays double from their first capacity, keep their contents,
 * and refuse a size that would overflow, leaving the array as it was. */
#include "helpers.h"
#include "util/grow.h"

static void test_doubles_and_keeps(void **state)
{
	(void)state;
	uint32_t *a = NULL;
	size_t cap = 0, n = 0;
	for (uint32_t i = 0; i < 1000; i++) {
		if (n == cap)
			assert_int_equal(SG_GROW(a, cap, 4), 0);
		a[n++] = i;
	}
	assert_int_equal(cap, 1024); /* 4, 8, ... 1024 */
	for (uint32_t i = 0; i < 1000; i++)
		assert_int_equal(a[i], i);
	free(a);
}

static void test_overflow_refused(void **state)
{
	(void)state;
	char *a = malloc(8);
	assert_non_null(a);
	memcpy(a, "1234567", 8);
	size_t cap = SIZE_MAX / 2 + 1;
	assert_int_equal(SG_GROW(a, cap, 16), -1);
	assert_int_equal(cap, SIZE_MAX / 2 + 1);
	assert_string_equal(a, "1234567");
	struct big {
		char b[64];
	} *big = NULL;
	size_t bcap = SIZE_MAX / 64;
	assert_int_equal(SG_GROW(big, bcap, 1), -1);
	assert_null(big);
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_doubles_and_keeps),
	        cmocka_unit_test(test_overflow_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
