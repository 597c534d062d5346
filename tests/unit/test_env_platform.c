/* Tests for the platform file readers: what each kind sets or declares. */
#include "helpers.h"
#include "secretgate/env_platform.h"

static sg_platform p;

static int setup(void **state)
{
	sg_platform_init(&p);
	return 0;
}

static int teardown(void **state)
{
	sg_platform_free(&p);
	return 0;
}

static const sg_platform_var *find(const char *name, const char *environment)
{
	for (size_t i = 0; i < p.count; i++)
		if (!strcmp(p.items[i].name, name) &&
		    (environment ? p.items[i].environment &&
		                           !strcmp(p.items[i].environment, environment)
		                 : !p.items[i].environment))
			return &p.items[i];
	return NULL;
}

static void parse(const char *path, const char *text)
{
	int rc = sg_platform_parse(&p, NULL, path, text, strlen(text));
	if (rc)
		fail_msg("%s", sg_error_last());
	assert_int_equal(sg_platform_finish(&p), 0);
}

static void test_kinds(void **state)
{
	assert_string_equal(sg_platform_kind("docker-compose.prod.yml", NULL, 0), "docker-compose");
	assert_string_equal(sg_platform_kind("compose.yaml", NULL, 0), "docker-compose");
	assert_string_equal(sg_platform_kind("deploy/fly.toml", NULL, 0), "fly");
	assert_string_equal(sg_platform_kind(".github/workflows/ci.yml", NULL, 0),
	                    "github-actions");
	assert_string_equal(sg_platform_kind("k8s/a.yaml", "apiVersion: v1\nkind: Pod\n", 25),
	                    "kubernetes");
	assert_null(sg_platform_kind("config.yml", "a: 1\n", 5));
	assert_null(sg_platform_kind("package.json", NULL, 0));
}

static void test_github_actions_every_level(void **state)
{
	parse(".github/workflows/d.yml",
	      "env:\n  TOP: \"1\"\njobs:\n  build:\n    runs-on: x\n    env:\n      JOB: ${{ "
	      "vars.JOB_VAR }}\n"
	      "    steps:\n      - run: x\n        env:\n          STEP: ${{ secrets.STEP_TOKEN "
	      "}}\n"
	      "  deploy:\n    environment: { name: production, url: https://x }\n"
	      "    env:\n      DEPLOY_ONLY: yes\n");
	assert_string_equal(find("TOP", NULL)->value, "1");
	assert_string_equal(find("JOB", NULL)->provided_by, "vars.JOB_VAR");
	const sg_platform_var *s = find("STEP", NULL);
	assert_null(s->value);
	assert_string_equal(s->provided_by, "secrets.STEP_TOKEN");
	assert_int_equal(s->secret_hint, 1);
	assert_int_equal(find("STEP", NULL)->line, 11);
	assert_string_equal(find("DEPLOY_ONLY", "production")->value, "yes");
	assert_int_equal(p.nenvironments, 1);
	assert_string_equal(p.environments[0], "production");
}

static void test_render_and_heroku(void **state)
{
	parse("render.yaml",
	      "services:\n  - name: web\n    envVars:\n      - key: A\n        value: x\n"
	      "      - key: B\n        sync: false\n      - key: C\n        generateValue: true\n");
	assert_string_equal(find("A", NULL)->value, "x");
	assert_null(find("B", NULL)->value);
	assert_int_equal(find("C", NULL)->secret_hint, 1);
	parse("app.json",
	      "{\"env\": {\"S\": {\"generator\": \"secret\"}, \"R\": {\"required\": true},"
	      " \"V\": \"plain\"}, \"environments\": {\"test\": {\"env\": {\"T\": \"1\"}}}}");
	assert_int_equal(find("S", NULL)->secret_hint, 1);
	assert_int_equal(find("R", NULL)->required, 1);
	assert_string_equal(find("V", NULL)->value, "plain");
	assert_string_equal(find("T", "test")->value, "1");
}

static void test_compose_forms(void **state)
{
	parse("docker-compose.yml",
	      "x-env: &e\n  SHARED: s\nservices:\n  a:\n    environment:\n      <<: *e\n      M: "
	      "m\n"
	      "      HOST:\n      REF: ${OUTER:-x}\n    env_file: [.env, {path: ./b.env}]\n"
	      "  b:\n    environment: [L=l, BARE]\n    env_file: c.env\n");
	assert_string_equal(find("SHARED", NULL)->value, "s");
	assert_string_equal(find("M", NULL)->value, "m");
	assert_string_equal(find("HOST", NULL)->provided_by, "the host environment");
	assert_string_equal(find("REF", NULL)->provided_by, "interpolated from the host");
	assert_string_equal(find("L", NULL)->value, "l");
	assert_null(find("BARE", NULL)->value);
	assert_int_equal(p.nenv_files, 3);
}

static void test_kubernetes_refs(void **state)
{
	parse("k8s/app.yaml",
	      "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      "
	      "containers:\n        - envFrom:\n"
	      "            - configMapRef: {name: cfg}\n            - secretRef: {name: "
	      "elsewhere}\n"
	      "          env:\n            - {name: V, value: v}\n"
	      "            - name: S\n              valueFrom: {secretKeyRef: {name: s, key: k}}\n"
	      "---\nkind: ConfigMap\nmetadata: {name: cfg}\ndata:\n  FROM_MAP: m\n");
	assert_string_equal(find("V", NULL)->value, "v");
	assert_string_equal(find("S", NULL)->provided_by, "Secret s");
	assert_string_equal(find("FROM_MAP", NULL)->value, "m");
	assert_int_equal(p.nwildcards, 1);
	assert_string_equal(p.wildcards[0], "Secret elsewhere (envFrom)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_kinds, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_github_actions_every_level, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_render_and_heroku, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_compose_forms, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_kubernetes_refs, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
