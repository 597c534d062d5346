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

static void test_name_ending_globs(void **state)
{
	(void)state;
	/* "**" "/" "*" + a literal ending is decided by the base name alone: the
	 * same answers as the general matcher gives the same pattern written
	 * with a one-character class (which it does not take the short way) */
	const char *pairs[][2] = {{"**/*.jks", "**/*.jk[s]"}, {"**/*.min.js", "**/*.min.j[s]"},
	                          {"**/*", "**/*[!/]"},       {"/**/*.pem", "/**/*.pe[m]"},
	                          {"*.js.map", "*.js.ma[p]"}, {"*.jks", "*.jk[s]"}};
	const char *paths[] = {"a/b/c.jks", "c.jks",  ".jks",    "a.jks/b",    "a/b.jksx",
	                       "jks",       "a/.jks", "./x.jks", "app.min.js", "d/app.min.js",
	                       "min.js",    "k.pem",  "x/y/z",   "a/b.jks/",   ""};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		for (size_t k = 0; k < sizeof(paths) / sizeof(paths[0]); k++) {
			if (!strcmp(pairs[i][0], "**/*") &&
			    (!*paths[k] || paths[k][strlen(paths[k]) - 1] == '/'))
				continue; /* a class needs a character: not the same pattern there
				           */
			assert_int_equal(sg_glob_match(pairs[i][0], paths[k]),
			                 sg_glob_match(pairs[i][1], paths[k]));
		}
	assert_true(sg_glob_match("**/*.jks", "a/b/c.jks"));
	assert_true(sg_glob_match("**/*.jks", ".jks"));
	assert_false(sg_glob_match("**/*.jks", "a.jks/b"));
	assert_false(sg_glob_match("**/*.jks", "a/b.jks/"));
	/* without a slash: any component, a directory too */
	assert_true(sg_glob_match("*.js.map", "a.js.map/x.txt"));
	assert_false(sg_glob_match("*.js.map", "a.js.mapx"));
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
	        cmocka_unit_test(test_name_ending_globs),
	        cmocka_unit_test(test_pathological_glob_terminates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
