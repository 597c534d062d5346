/* Path globs as used by rules (paths, not_paths) and config allowlists. */
#include "helpers.h"
#include "util/glob.h"

static void test_globs(void **state)
{
	(void)state;
	assert_true(sg_glob_match("*.pem", "a/b/key.pem"));
	assert_true(sg_glob_match("*.pem", "key.pem"));
	assert_false(sg_glob_match("*.pem", "key.pem.txt"));
	assert_true(sg_glob_match("node_modules", "web/node_modules/x/y.js"));
	assert_true(sg_glob_match("tests/**", "tests/unit/a.c"));
	assert_true(sg_glob_match("tests/", "tests/unit/a.c"));
	assert_false(sg_glob_match("tests/**", "src/tests/a.c"));
	assert_true(sg_glob_match("**/fixtures/**", "a/b/fixtures/c/d.json"));
	assert_true(sg_glob_match("**/*.min.js", "dist/app.min.js"));
	assert_true(sg_glob_match("**/*.min.js", "app.min.js"));
	assert_true(sg_glob_match("src/*.c", "src/a.c"));
	assert_false(sg_glob_match("src/*.c", "src/x/a.c"));
	assert_true(sg_glob_match("src/**/*.c", "src/x/y/a.c"));
	assert_true(sg_glob_match("src/**/*.c", "src/a.c"));
	assert_true(sg_glob_match(".env.[a-z]*", "app/.env.local"));
	assert_false(sg_glob_match(".env.[!a-z]*", "app/.env.local"));
	assert_true(sg_glob_match("?.txt", "a.txt"));
	assert_false(sg_glob_match("?.txt", "ab.txt"));
	assert_true(sg_glob_match("/rules/*.yaml", "rules/aws.yaml"));
	assert_true(sg_glob_match("*.yaml", "./rules/aws.yaml"));
	assert_false(sg_glob_match("", "a"));
	assert_false(sg_glob_match(NULL, "a"));
}

static void test_pathological_glob_terminates(void **state)
{
	(void)state;
	char path[300];
	memset(path, 'a', sizeof(path) - 2);
	path[sizeof(path) - 2] = 'b';
	path[sizeof(path) - 1] = '\0';
	assert_false(sg_glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*c", path));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_globs),
	        cmocka_unit_test(test_pathological_glob_terminates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
