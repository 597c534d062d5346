/* Tests for the JSON and TOML readers: shapes, escapes, lines, errors, caps. */
#include "helpers.h"
#include "util/docnode.h"

static sg_yaml_node *json(const char *text)
{
	sg_yaml_node *n = NULL;
	assert_int_equal(sg_json_parse(&n, "t.json", text, strlen(text)), 0);
	return n;
}

static sg_yaml_node *toml(const char *text)
{
	sg_yaml_node *n = NULL;
	int rc = sg_toml_parse(&n, "t.toml", text, strlen(text));
	if (rc)
		fail_msg("%s", sg_error_last());
	return n;
}

static void test_json_values_and_lines(void **state)
{
	sg_yaml_node *n =
	        json("{\n  \"env\": {\n    \"A\": \"x\\n\\u00e9\\ud83d\\ude00\",\n"
	             "    \"B\": 42, \"C\": true, \"D\": null\n  },\n  \"l\": [1, \"2\"]\n}");
	const sg_yaml_node *env = sg_yaml_get(n, "env");
	assert_non_null(env);
	assert_int_equal(env->count, 4);
	assert_string_equal(sg_yaml_get(env, "A")->value, "x\n\xc3\xa9\xf0\x9f\x98\x80");
	assert_int_equal(sg_yaml_get(env, "A")->line, 3);
	assert_int_equal(env->key_lines[1], 4);
	assert_string_equal(sg_yaml_get(env, "B")->value, "42");
	assert_int_equal(sg_yaml_get(env, "B")->quoted, 0);
	assert_int_equal(sg_yaml_get(n, "l")->type, SG_YAML_SEQ);
	sg_yaml_free(n);
}

static void test_json_errors(void **state)
{
	static const char *const bad[] = {"{\"a\" 1}",
	                                  "{\"a\": 1,}",
	                                  "[1 2]",
	                                  "{\"a\": \"\\x\"}",
	                                  "{\"a\": 1, \"a\": 2}",
	                                  "\"\\ud800\"",
	                                  "{a: 1}",
	                                  "[1] 2",
	                                  "",
	                                  "\"unterminated"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sg_yaml_node *n = NULL;
		assert_int_equal(sg_json_parse(&n, "t.json", bad[i], strlen(bad[i])), SG_EINVALID);
		assert_null(n);
		assert_non_null(strstr(sg_error_last(), "t.json:"));
	}
	sg_yaml_node *n = NULL;
	sg_json_parse(&n, "t.json", "{\n\n  \"a\": }", 12);
	assert_string_equal(sg_error_last(), "t.json:3: expected a JSON value");
}

static void test_json_depth_cap(void **state)
{
	char deep[200];
	memset(deep, '[', 100);
	memset(deep + 100, ']', 100);
	sg_yaml_node *n = NULL;
	assert_int_equal(sg_json_parse(&n, "t.json", deep, 200), SG_ETOOBIG);
	assert_non_null(strstr(sg_error_last(), "nesting deeper than 64"));
}

static void test_toml_tables_and_strings(void **state)
{
	sg_yaml_node *n =
	        toml("# comment\napp = \"shop\"\n[env]\n  A = \"1\"  # trailing\n"
	             "  B = 'C:\\path'\n  C = 4\n  \"d.e\" = \"\"\"\nline1\nline2\"\"\"\n"
	             "  F = '''x'y'''\n  G = \"tab\\tu\\u00e9\"\n"
	             "[context.production.environment]\n  X = \"p\"\n"
	             "[[services]]\n  port = 80\n[[services]]\n  port = 443\n"
	             "  [[services.ports]]\n    handlers = [\"tls\",\n \"http\", ]\n"
	             "[build]\n  when = 1979-05-27T07:32:00Z\n  inline = { a = 1, b.c = \"d\" }\n");
	const sg_yaml_node *env = sg_yaml_get(n, "env");
	assert_string_equal(sg_yaml_get(env, "A")->value, "1");
	assert_int_equal(sg_yaml_get(env, "A")->line, 4);
	assert_string_equal(sg_yaml_get(env, "B")->value, "C:\\path");
	assert_string_equal(sg_yaml_get(env, "C")->value, "4");
	assert_string_equal(sg_yaml_get(env, "d.e")->value, "line1\nline2");
	assert_string_equal(sg_yaml_get(env, "F")->value, "x'y");
	assert_string_equal(sg_yaml_get(env, "G")->value, "tab\tu\xc3\xa9");
	const sg_yaml_node *ctx = sg_yaml_get(sg_yaml_get(n, "context"), "production");
	assert_string_equal(sg_yaml_get(sg_yaml_get(ctx, "environment"), "X")->value, "p");
	const sg_yaml_node *svc = sg_yaml_get(n, "services");
	assert_int_equal(svc->type, SG_YAML_SEQ);
	assert_int_equal(svc->count, 2);
	assert_string_equal(sg_yaml_get(svc->items[1], "port")->value, "443");
	const sg_yaml_node *ports = sg_yaml_get(svc->items[1], "ports");
	assert_int_equal(sg_yaml_get(ports->items[0], "handlers")->count, 2);
	const sg_yaml_node *build = sg_yaml_get(n, "build");
	assert_string_equal(sg_yaml_get(build, "when")->value, "1979-05-27T07:32:00Z");
	const sg_yaml_node *in = sg_yaml_get(build, "inline");
	assert_string_equal(sg_yaml_get(sg_yaml_get(in, "b"), "c")->value, "d");
	sg_yaml_free(n);
}

static void test_toml_errors(void **state)
{
	static const struct {
		const char *text, *error;
	} bad[] = {
	        {"[env]\nA = \"x\nB = 1\n", "t.toml:2: newline in a single-line string"},
	        {"A = 1\nA = 2\n", "t.toml:2: duplicate key"},
	        {"[env\nA = 1\n", "t.toml:1: expected ']' after a table name"},
	        {"A = 1 B = 2\n", "t.toml:1: expected the end of the line"},
	        {"A =\n", "t.toml:1: expected a value"},
	        {"A = \"\\q\"\n", "t.toml:1: bad escape in a string"},
	        {"A = [1, 2\n", "t.toml:2: expected ',' or ']' in an array"},
	        {"A = 1\n[A]\n", "t.toml:2: key already holds a value, not a table"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sg_yaml_node *n = NULL;
		assert_int_equal(sg_toml_parse(&n, "t.toml", bad[i].text, strlen(bad[i].text)),
		                 SG_EINVALID);
		assert_null(n);
		assert_string_equal(sg_error_last(), bad[i].error);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_json_values_and_lines),
	        cmocka_unit_test(test_json_errors),
	        cmocka_unit_test(test_json_depth_cap),
	        cmocka_unit_test(test_toml_tables_and_strings),
	        cmocka_unit_test(test_toml_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
