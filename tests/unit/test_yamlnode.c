/* The YAML tree: structure, line numbers, and what it refuses. */
#include "helpers.h"
#include "util/yamlnode.h"

static void test_tree(void **state)
{
	(void)state;
	const char *y = "a: 1\nb:\n  - x\n  - 'y z'\nc: {d: e}\n";
	sg_yaml_node *n;
	assert_int_equal(sg_yaml_parse(&n, "t", y, strlen(y)), 0);
	assert_int_equal(n->type, SG_YAML_MAP);
	assert_string_equal(sg_yaml_get(n, "a")->value, "1");
	const sg_yaml_node *b = sg_yaml_get(n, "b");
	assert_int_equal(b->type, SG_YAML_SEQ);
	assert_int_equal(b->count, 2);
	assert_string_equal(b->items[1]->value, "y z");
	assert_true(b->items[1]->quoted);
	assert_int_equal(b->items[1]->line, 4);
	assert_string_equal(sg_yaml_get(sg_yaml_get(n, "c"), "d")->value, "e");
	assert_null(sg_yaml_get(n, "zz"));
	sg_yaml_free(n);
}

static void test_refusals(void **state)
{
	(void)state;
	sg_yaml_node *n;
	const char *dup = "a: 1\nb: 2\na: 3\n";
	assert_int_equal(sg_yaml_parse(&n, "d.yml", dup, strlen(dup)), SG_EINVALID);
	assert_non_null(strstr(sg_error_last(), "d.yml:3: duplicate key 'a'"));
	const char *alias = "a: &x 1\nb: *x\n";
	assert_int_equal(sg_yaml_parse(&n, "a.yml", alias, strlen(alias)), SG_EINVALID);
	const char *two = "a: 1\n---\nb: 2\n";
	assert_int_equal(sg_yaml_parse(&n, "m.yml", two, strlen(two)), SG_EINVALID);
	char deep[400];
	memset(deep, '[', 200);
	memset(deep + 200, ']', 200);
	assert_int_equal(sg_yaml_parse(&n, "deep.yml", deep, sizeof(deep)), SG_EINVALID);
	assert_int_equal(sg_yaml_parse(&n, "e.yml", "", 0), 0);
	assert_null(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_tree),
	        cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
