/* Shannon entropy over the secret group. */
#include <math.h>
#include "helpers.h"
#include "lib/engine/checks.h"

static void test_entropy_values(void **state)
{
	(void)state;
	assert_true(sg_entropy("", 0) == 0.0);
	assert_true(sg_entropy("aaaaaaaa", 8) == 0.0);
	assert_true(fabs(sg_entropy("abababab", 8) - 1.0) < 1e-9);
	assert_true(fabs(sg_entropy("abcd", 4) - 2.0) < 1e-9);
	char all[256];
	for (int i = 0; i < 256; i++)
		all[i] = (char)i;
	assert_true(fabs(sg_entropy(all, 256) - 8.0) < 1e-9);
	uint32_t seed = 7;
	char r[41];
	test_random_string(r, 40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
	                   &seed);
	assert_true(sg_entropy(r, 40) > 4.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_entropy_values)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
