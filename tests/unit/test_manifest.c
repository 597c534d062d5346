/* Tests for the env manifest loader: every key of the schema, defaults, and
 * the errors (unknown and duplicate keys, bad types) with file and line. */
#include "helpers.h"
#include "secretgate/manifest.h"

static const char full[] =
        "version: 1\n"
        "environments:\n"
        "  development: { files: [.env, .env.local] }\n"
        "  ci: {}\n"
        "  production:\n"
        "public_prefixes: [NEXT_PUBLIC_, VITE_]\n"
        "templates: [.env.example, config/.env.sample]\n"
        "local_only: [.env.local, 'secrets/*.json']\n"
        "ignore_refs: [NODE_ENV, 'GITHUB_*']\n"
        "unknown: ignore\n"
        "min_leak_length: 12\n"
        "vars:\n"
        "  DATABASE_URL: { type: url, schemes: [postgres, postgresql], secret: true, required: "
        "[ci, production] }\n"
        "  PORT: { type: port, default: \"3000\" }\n"
        "  WORKERS: { type: int, min: 1, max: 64 }\n"
        "  LOG_LEVEL: { type: enum, values: [debug, info, warn, error], default: { production: "
        "warn, _: debug } }\n"
        "  STRIPE_SECRET_KEY: { secret: true, required: [production], pattern: { production: "
        "'^sk_live_', _: '^sk_test_' } }\n"
        "  SMTP_ENABLED: { type: bool }\n"
        "  SMTP_PASSWORD: { secret: true, required_when: { SMTP_ENABLED: \"true\" } }\n"
        "  NEXT_PUBLIC_API_URL: { type: url, required: all }\n"
        "  LEGACY_TOKEN: { deprecated: \"removed in v2\" }\n"
        "  OLD: { deprecated: true }\n"
        "  TIMEOUT: { type: duration, description: request timeout }\n"
        "  CONFIG_JSON: { type: json, min_length: 2, max_length: 100 }\n"
        "  ADMIN: { type: email, required: true, allow_placeholder: yes }\n"
        "  PLAIN:\n";

static void expect_error(const char *text, const char *msg)
{
	sg_manifest *m = (sg_manifest *)1;
	assert_int_equal(sg_manifest_parse(&m, "env.yml", text, strlen(text)), SG_EINVALID);
	assert_null(m);
	if (!strstr(sg_error_last(), msg))
		fail_msg("error '%s' lacks '%s'", sg_error_last(), msg);
}

static void test_full(void **state)
{
	sg_manifest *m = test_manifest_load(full);
	assert_int_equal(m->nenvironments, 3);
	const sg_environment *dev = sg_manifest_environment(m, "development");
	assert_non_null(dev);
	assert_int_equal(dev->nfiles, 2);
	assert_string_equal(dev->files[1], ".env.local");
	assert_int_equal(sg_manifest_environment(m, "production")->nfiles, 0);
	assert_null(sg_manifest_environment(m, "staging"));
	assert_int_equal(m->npublic_prefixes, 2);
	assert_true(sg_manifest_is_public(m, "VITE_X"));
	assert_false(sg_manifest_is_public(m, "REACT_APP_X"));
	assert_int_equal(m->ntemplates, 2);
	assert_int_equal(m->nlocal_only, 2);
	assert_int_equal(m->nignore_refs, 2);
	assert_int_equal(m->report_unknown, 0);
	assert_int_equal(m->min_leak_length, 12);
	assert_int_equal(m->nvars, 14);

	const sg_var *v = sg_manifest_var(m, "DATABASE_URL");
	assert_int_equal(v->type, SG_VAR_URL);
	assert_int_equal(v->nschemes, 2);
	assert_true(v->secret);
	assert_int_equal(v->line, 13);
	assert_true(sg_var_required_in(v, "ci"));
	assert_false(sg_var_required_in(v, "development"));

	v = sg_manifest_var(m, "PORT");
	assert_int_equal(v->type, SG_VAR_PORT);
	assert_string_equal(sg_per_env_get(&v->default_value, "production"), "3000");

	v = sg_manifest_var(m, "WORKERS");
	assert_true(v->has_min && v->has_max);
	assert_int_equal(v->min, 1);
	assert_int_equal(v->max, 64);

	v = sg_manifest_var(m, "LOG_LEVEL");
	assert_int_equal(v->nvalues, 4);
	assert_string_equal(sg_per_env_get(&v->default_value, "production"), "warn");
	assert_string_equal(sg_per_env_get(&v->default_value, "ci"), "debug");

	v = sg_manifest_var(m, "STRIPE_SECRET_KEY");
	assert_string_equal(sg_per_env_get(&v->pattern, "production"), "^sk_live_");
	assert_string_equal(sg_per_env_get(&v->pattern, "development"), "^sk_test_");
	assert_int_equal(v->type, SG_VAR_STRING);

	v = sg_manifest_var(m, "SMTP_PASSWORD");
	assert_int_equal(v->nrequired_when, 1);
	assert_string_equal(v->required_when[0].var, "SMTP_ENABLED");
	assert_string_equal(v->required_when[0].value, "true");
	assert_int_equal(v->required, SG_REQUIRED_NO);

	assert_true(sg_var_required_in(sg_manifest_var(m, "NEXT_PUBLIC_API_URL"), "development"));
	assert_true(sg_var_required_in(sg_manifest_var(m, "ADMIN"), "ci"));
	assert_true(sg_manifest_var(m, "ADMIN")->allow_placeholder);
	assert_int_equal(sg_manifest_var(m, "ADMIN")->type, SG_VAR_EMAIL);
	assert_string_equal(sg_manifest_var(m, "LEGACY_TOKEN")->deprecated_message,
	                    "removed in v2");
	assert_true(sg_manifest_var(m, "OLD")->deprecated);
	assert_null(sg_manifest_var(m, "OLD")->deprecated_message);
	assert_int_equal(sg_manifest_var(m, "TIMEOUT")->type, SG_VAR_DURATION);
	assert_string_equal(sg_manifest_var(m, "TIMEOUT")->description, "request timeout");
	assert_int_equal(sg_manifest_var(m, "CONFIG_JSON")->type, SG_VAR_JSON);
	assert_int_equal(sg_manifest_var(m, "CONFIG_JSON")->max_length, 100);
	assert_int_equal(sg_manifest_var(m, "PLAIN")->type, SG_VAR_STRING);
	assert_null(sg_manifest_var(m, "NOPE"));
	sg_manifest_free(m);
}

static void test_defaults(void **state)
{
	sg_manifest *m = test_manifest_load("vars:\n  A: {}\n");
	assert_int_equal(m->report_unknown, 1);
	assert_int_equal(m->min_leak_length, 8);
	assert_int_equal(m->ntemplates, 0);
	assert_true(sg_manifest_is_public(m, "NEXT_PUBLIC_X"));
	assert_true(sg_manifest_is_public(m, "EXPO_PUBLIC_X"));
	assert_false(sg_manifest_is_public(m, "A"));
	assert_false(sg_var_required_in(sg_manifest_var(m, "A"), "x"));
	sg_manifest_free(m);
	/* An empty prefix list turns the hygiene check off. */
	m = test_manifest_load("public_prefixes: []\n");
	assert_false(sg_manifest_is_public(m, "NEXT_PUBLIC_X"));
	sg_manifest_free(m);
	assert_true(sg_manifest_is_public(NULL, "VITE_X"));
	assert_string_equal(sg_var_type_name(SG_VAR_DURATION), "duration");
}

static void test_errors(void **state)
{
	expect_error("vars:\n  A: {}\n  B: {}\n  A: {}\n", "env.yml:4: duplicate key 'A'");
	expect_error("vars:\n  A: { type: int, type: int }\n", "env.yml:2: duplicate key 'type'");
	expect_error("version: 1\nversion: 1\n", "duplicate key 'version'");
	expect_error("vars:\n  A: { tpye: int }\n", "env.yml:2: unknown key 'tpye' in variable A");
	expect_error("verbs: {}\n", "env.yml:1: unknown key 'verbs'");
	expect_error("version: 2\n", "unsupported manifest version 2");
	expect_error("vars:\n  A: { type: integer }\n", "unknown type 'integer'");
	expect_error("vars:\n  A: { type: enum }\n", "enum variable A needs values");
	expect_error("vars:\n  A: { type: int, min: x }\n", "min must be an integer");
	expect_error("vars:\n  A: { type: int, min: 5, max: 1 }\n", "min is greater than max");
	expect_error("vars:\n  A: { min: 1 }\n", "min and max only apply to type int");
	expect_error("vars:\n  A: { schemes: [http] }\n", "schemes only apply to type url");
	expect_error("vars:\n  A: { secret: maybe }\n", "secret must be true or false");
	expect_error("environments: { ci: {} }\nvars:\n  A: { required: [prod] }\n",
	             "env.yml:3: unknown environment 'prod'");
	expect_error("environments: { ci: {} }\nvars:\n  A: { default: { prod: x } }\n",
	             "unknown environment 'prod'");
	expect_error("vars:\n  A: { required_when: { B: x } }\n",
	             "required_when names undeclared variable B");
	expect_error("vars:\n  A: { pattern: '([a-' }\n", "env.yml:2: bad pattern");
	expect_error("environments: { ci: { file: x } }\n", "unknown key 'file' in environment ci");
	expect_error("vars: [A, B]\n", "vars must be a mapping");
	expect_error("vars:\n  A: { type: [int] }\n", "unknown type");
	expect_error("unknown: sometimes\n", "unknown must be 'report' or 'ignore'");
	expect_error("vars: {\n", "env.yml:");
	expect_error("", "empty manifest");
}

/* Aliases are refused like everywhere else; a value reused under another
 * name is easy to miss in review. */
static void test_aliases_refused(void **state)
{
	(void)state;
	expect_error("vars:\n  A: &a { type: int }\n  B: *a\n",
	             "env.yml:3: aliases are not supported");
	expect_error("vars:\n  A: { default: &d x }\n  B: { default: *d }\n",
	             "aliases are not supported");
}

/* Duplicate keys are found by sorting, not by comparing every pair; the
 * number of variables has a cap with a clear error. */
static void test_many_vars(void **state)
{
	(void)state;
	size_t cap = 10000, sz = (cap + 2) * 24 + 16;
	char *text = malloc(sz);
	assert_non_null(text);
	size_t n = (size_t)snprintf(text, sz, "vars:\n"), last = 0;
	for (size_t i = 0; i < cap; i++) {
		last = n;
		n += (size_t)snprintf(text + n, sz - n, "  V%zu: {}\n", i);
	}
	sg_manifest *m = test_manifest_load(text);
	assert_int_equal(m->nvars, cap);
	sg_manifest_free(m);
	/* one more than the cap */
	snprintf(text + n, sz - n, "  W: {}\n");
	assert_int_equal(sg_manifest_parse(&m, "env.yml", text, strlen(text)), SG_EINVALID);
	assert_non_null(strstr(sg_error_last(), "more than 10000 variables"));
	/* the last variable a duplicate of the first: named with both lines */
	snprintf(text + last, sz - last, "  V0: {}\n");
	assert_int_equal(sg_manifest_parse(&m, "env.yml", text, strlen(text)), SG_EINVALID);
	assert_non_null(strstr(sg_error_last(), "duplicate key 'V0' (first at line 2)"));
	free(text);
}

static void test_load_missing(void **state)
{
	sg_manifest *m;
	assert_int_equal(sg_manifest_load(&m, "/nonexistent/env.yml"), SG_ENOTFOUND);
	assert_null(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_full),
	        cmocka_unit_test(test_defaults),
	        cmocka_unit_test(test_errors),
	        cmocka_unit_test(test_load_missing),
	        cmocka_unit_test(test_aliases_refused),
	        cmocka_unit_test(test_many_vars),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
