/* Tests for the configuration gate: every type, every check, code references,
 * committed env files, leak encodings and the streaming redactor. */
#include "helpers.h"
#include "secretgate/env.h"
#include "secretgate/redact.h"
#include "util/json.h"

/* Is value valid for a variable declared as `decl` in environment production? */
static int valid(const char *decl, const char *value)
{
	char text[512], why[256];
	snprintf(text, sizeof(text), "environments: { production: {}, ci: {} }\nvars:\n  V: %s\n",
	         decl);
	sg_manifest *m = test_manifest_load(text);
	int rc = sg_envcheck_value(why, sizeof(why), sg_manifest_var(m, "V"), "production", value,
	                           strlen(value));
	assert_true(rc >= 0);
	if (rc)
		assert_true(why[0] != '\0');
	sg_manifest_free(m);
	return rc == 0;
}

static void test_types(void **state)
{
	assert_true(valid("{}", "anything at all"));
	assert_true(valid("{ type: int }", "-42"));
	assert_false(valid("{ type: int }", "4x"));
	assert_false(valid("{ type: int }", ""));
	assert_true(valid("{ type: int, min: 1, max: 64 }", "64"));
	assert_false(valid("{ type: int, min: 1, max: 64 }", "0"));
	assert_false(valid("{ type: int, min: 1, max: 64 }", "65"));
	assert_true(valid("{ type: bool }", "TRUE"));
	assert_true(valid("{ type: bool }", "off"));
	assert_true(valid("{ type: bool }", "0"));
	assert_false(valid("{ type: bool }", "maybe"));
	assert_true(valid("{ type: url }", "https://api.example.com/v1?x=1"));
	assert_true(valid("{ type: url }", "sqlite:///var/db.sqlite"));
	assert_true(valid("{ type: url }", "postgres://u:p@[::1]:5432/db"));
	assert_true(valid("{ type: url }", "mongodb://a:27017,b:27018/db"));
	assert_false(valid("{ type: url }", "example.com"));
	assert_false(valid("{ type: url }", "https://exa mple.com"));
	assert_false(valid("{ type: url }", "https://host:99999/"));
	assert_false(valid("{ type: url }", "https://"));
	assert_true(valid("{ type: url, schemes: [postgres, postgresql] }", "PostgreSQL://h/db"));
	assert_false(valid("{ type: url, schemes: [postgres] }", "mysql://h/db"));
	assert_true(valid("{ type: port }", "3000"));
	assert_false(valid("{ type: port }", "0"));
	assert_false(valid("{ type: port }", "65536"));
	assert_false(valid("{ type: port }", "+80"));
	assert_true(valid("{ type: email }", "ops@example.co.uk"));
	assert_false(valid("{ type: email }", "ops@localhost"));
	assert_false(valid("{ type: email }", "@example.com"));
	assert_false(valid("{ type: email }", "a@b@example.com"));
	assert_false(valid("{ type: email }", "a b@example.com"));
	assert_true(valid("{ type: enum, values: [debug, info] }", "info"));
	assert_false(valid("{ type: enum, values: [debug, info] }", "INFO"));
	assert_true(valid("{ type: json }", "{\"a\": [1, 2.5e3, true, null, \"x\\u00e9\"]}"));
	assert_true(valid("{ type: json }", " 42 "));
	assert_false(valid("{ type: json }", "{a: 1}"));
	assert_false(valid("{ type: json }", "[1,]"));
	assert_false(valid("{ type: json }", "[1] x"));
	assert_true(valid("{ type: duration }", "1h30m"));
	assert_true(valid("{ type: duration }", "250ms"));
	assert_true(valid("{ type: duration }", "1.5s"));
	assert_true(valid("{ type: duration }", "0"));
	assert_false(valid("{ type: duration }", "30"));
	assert_false(valid("{ type: duration }", "5 minutes"));
	assert_true(valid("{ pattern: '^sk_live_' }", "sk_live_abc"));
	assert_false(valid("{ pattern: '^sk_live_' }", "sk_test_abc"));
	/* Per-environment patterns: production has its own, others the fallback. */
	assert_false(valid("{ pattern: { production: '^live', _: '^test' } }", "test1"));
	assert_true(valid("{ pattern: { ci: '^live', _: '^test' } }", "test1"));
	assert_false(valid("{ min_length: 4 }", "abc"));
	assert_false(valid("{ max_length: 2 }", "abc"));

	uint64_t ms;
	assert_int_equal(sg_duration_parse(&ms, "1h30m"), 0);
	assert_int_equal(ms, 5400000);
	assert_int_equal(sg_duration_parse(&ms, "2d"), 0);
	assert_int_equal(ms, 172800000);
	assert_true(sg_duration_parse(&ms, "1e3s") < 0);
	char deep[200];
	memset(deep, '[', 100);
	memset(deep + 100, ']', 100);
	assert_false(sg_json_valid(deep, sizeof(deep)));
	assert_true(sg_json_valid(deep + 40, 120));
}

static void test_placeholders(void **state)
{
	const char *yes[] = {"changeme",
	                     "CHANGEME",
	                     "TODO",
	                     "xxx",
	                     "XXXXXXXX",
	                     "<your key>",
	                     "your_api_key",
	                     "postgres://u:changeme@h/db",
	                     "sk_live_xxxxxxxxxxxx",
	                     "  tbd  ",
	                     NULL};
	const char *no[] = {
	        "s3cr3t-value-9f8e", "debug", "https://example.com", "x", "xy", "<", NULL};
	for (size_t i = 0; yes[i]; i++)
		if (!sg_envcheck_is_placeholder(yes[i], strlen(yes[i])))
			fail_msg("'%s' should be a placeholder", yes[i]);
	for (size_t i = 0; no[i]; i++)
		if (sg_envcheck_is_placeholder(no[i], strlen(no[i])))
			fail_msg("'%s' should not be a placeholder", no[i]);
}

static const char manifest_text[] =
        "environments: { development: {}, ci: {}, production: {} }\n"
        "vars:\n"
        "  DATABASE_URL: { type: url, schemes: [postgres], secret: true, required: [ci, "
        "production] }\n"
        "  PORT: { type: port, default: \"3000\" }\n"
        "  LOG_LEVEL: { type: enum, values: [debug, warn], required: all, default: { production: "
        "warn } }\n"
        "  SMTP_ENABLED: { type: bool }\n"
        "  SMTP_PASSWORD: { secret: true, required_when: { SMTP_ENABLED: \"true\" } }\n"
        "  API_KEY: { secret: true, required: all }\n"
        "  NEXT_PUBLIC_URL: { type: url }\n"
        "  NEXT_PUBLIC_TOKEN: { }\n"
        "  LEGACY: { deprecated: \"removed in v2\" }\n"
        "  ADMIN_EMAIL: { type: email, allow_placeholder: true }\n";

static const sg_finding *find(const sg_findings *f, const char *rule, const char *text)
{
	for (size_t i = 0; i < f->count; i++)
		if (strcmp(f->items[i].rule_id, rule) == 0 &&
		    (!text || (f->items[i].message && strstr(f->items[i].message, text))))
			return &f->items[i];
	return NULL;
}

static void dump(const sg_findings *f)
{
	for (size_t i = 0; i < f->count; i++)
		print_message("  %s %s:%u %s\n", f->items[i].rule_id, f->items[i].path,
		              f->items[i].line, f->items[i].message);
}

static sg_ruleset *test_rules(void)
{
	static const char yaml[] =
	        "rules:\n"
	        "  - id: test-token\n"
	        "    description: test token\n"
	        "    severity: high\n"
	        "    keywords: [tok_]\n"
	        "    pattern: '\\b(tok_[a-z0-9]{16})\\b'\n"
	        "    examples: ['a tok_abcdefgh12345678 b', 'T=tok_zyxwvuts98765432']\n"
	        "    negative_examples: ['tok_short']\n";
	sg_ruleset *rs;
	assert_int_equal(sg_ruleset_new_empty(&rs), 0);
	if (sg_ruleset_add_yaml(rs, "test.yaml", yaml, strlen(yaml)))
		fail_msg("rules: %s", sg_error_last());
	assert_int_equal(sg_ruleset_finalize(rs), 0);
	return rs;
}

static void test_values(void **state)
{
	sg_manifest *m = test_manifest_load(manifest_text);
	sg_dotenv d;
	sg_dotenv_init(&d);
	/* The secret-looking values are assembled here, never stored whole. */
	char text[1024];
	snprintf(text, sizeof(text),
	         "DATABASE_URL=mysql://db/app\nLOG_LEVEL=\nSMTP_ENABLED=yes\nAPI_KEY=changeme\n"
	         "NEXT_PUBLIC_TOKEN=%s%s\nLEGACY=1\nSTRAY=1\nNEXT_PUBLIC_EXTRA=%s%s\n"
	         "ADMIN_EMAIL=<admin>\n",
	         "tok_", "abcdefgh12345678", "tok_", "zyxwvuts98765432");
	assert_int_equal(sg_dotenv_parse(&d, ".env", text, strlen(text), NULL), 0);
	char *environ_[] = {"PORT=99999", "UNRELATED=1", NULL};
	sg_ruleset *rs = test_rules();

	sg_envcheck_options o = SG_ENVCHECK_OPTIONS_INIT;
	o.environment = "ci";
	o.dotenv = &d;
	o.environ = environ_;
	o.rules = rs;
	sg_findings f;
	sg_findings_init(&f, 0);
	assert_int_equal(sg_envcheck_values(&f, m, &o), 0);
	dump(&f);

	const sg_finding *x = find(&f, SG_ENV_MALFORMED, "DATABASE_URL");
	assert_non_null(x);
	assert_string_equal(x->path, ".env");
	assert_int_equal(x->line, 1);
	assert_non_null(strstr(x->message, "scheme must be one of: postgres"));
	/* PORT comes from the process environment, which wins. */
	x = find(&f, SG_ENV_MALFORMED, "PORT");
	assert_non_null(x);
	assert_string_equal(x->path, "(environment)");
	/* Empty counts as missing; in ci LOG_LEVEL has no default. */
	x = find(&f, SG_ENV_MISSING, "LOG_LEVEL is required in ci but empty");
	assert_non_null(x);
	assert_int_equal(x->line, 2);
	/* SMTP_ENABLED=yes satisfies required_when SMTP_ENABLED: "true". */
	x = find(&f, SG_ENV_MISSING, "SMTP_PASSWORD is required when SMTP_ENABLED=true");
	assert_non_null(x);
	assert_string_equal(x->path, "env.yml");
	assert_int_equal(x->line, 7);
	assert_non_null(find(&f, SG_ENV_PLACEHOLDER, "API_KEY"));
	assert_null(find(&f, SG_ENV_PLACEHOLDER, "ADMIN_EMAIL"));
	assert_non_null(find(&f, SG_ENV_MALFORMED, "ADMIN_EMAIL"));
	assert_non_null(find(&f, SG_ENV_DEPRECATED, "LEGACY is deprecated: removed in v2"));
	assert_non_null(find(&f, SG_ENV_UNKNOWN, "STRAY"));
	assert_null(find(&f, SG_ENV_UNKNOWN, "UNRELATED"));
	assert_non_null(find(&f, SG_ENV_PUBLIC_SECRET, "NEXT_PUBLIC_TOKEN"));
	assert_non_null(find(&f, SG_ENV_PUBLIC_SECRET, "NEXT_PUBLIC_EXTRA"));
	assert_null(find(&f, SG_ENV_MISSING, "DATABASE_URL"));
	/* No finding ever carries a value. */
	for (size_t i = 0; i < f.count; i++) {
		assert_null(f.items[i].secret);
		assert_null(strstr(f.items[i].message, "abcdefgh12345678"));
		assert_null(strstr(f.items[i].message, "mysql"));
		assert_non_null(f.items[i].fingerprint[0] ? f.items[i].fingerprint : NULL);
	}
	sg_findings_free(&f);

	/* Production: defaults fill LOG_LEVEL; DATABASE_URL unset is missing. */
	sg_dotenv_free(&d);
	o.environment = "production";
	o.environ = NULL;
	o.report_unknown = 0;
	sg_findings_init(&f, 0);
	assert_int_equal(sg_envcheck_values(&f, m, &o), 0);
	dump(&f);
	x = find(&f, SG_ENV_MISSING, "DATABASE_URL is required in production but not set");
	assert_non_null(x);
	assert_int_equal(x->line, 3);
	assert_null(find(&f, SG_ENV_MISSING, "LOG_LEVEL"));
	assert_null(find(&f, SG_ENV_MISSING, "SMTP_PASSWORD"));
	assert_non_null(find(&f, SG_ENV_MISSING, "API_KEY"));
	assert_null(find(&f, SG_ENV_MISSING, "PORT"));
	assert_null(find(&f, SG_ENV_UNKNOWN, NULL));
	sg_findings_free(&f);
	sg_ruleset_free(rs);
	sg_manifest_free(m);
}

static void test_manifest_hygiene_and_duplicates(void **state)
{
	sg_manifest *m = test_manifest_load(
	        "vars:\n  VITE_SECRET: { secret: true }\n  SERVER: { secret: true }\n");
	sg_findings f;
	sg_findings_init(&f, 0);
	assert_int_equal(sg_envcheck_manifest(&f, m), 0);
	assert_int_equal(f.count, 1);
	assert_string_equal(f.items[0].rule_id, SG_ENV_PUBLIC_SECRET);
	assert_int_equal(f.items[0].line, 2);
	assert_int_equal(f.items[0].severity, SG_SEV_CRITICAL);

	sg_dotenv d;
	sg_dotenv_init(&d);
	assert_int_equal(sg_dotenv_parse(&d, ".env", "A=1\nA=2\n", 8, NULL), 0);
	assert_int_equal(sg_envcheck_duplicates(&f, &d), 0);
	const sg_finding *x = find(&f, SG_ENV_DUPLICATE, "A is assigned again at .env:2");
	assert_non_null(x);
	assert_int_equal(x->line, 2);
	sg_dotenv_free(&d);
	sg_findings_free(&f);
	sg_manifest_free(m);
}

static void test_template(void **state)
{
	sg_manifest *m =
	        test_manifest_load("vars:\n  A: {}\n  B: {}\n  OLD: { deprecated: true }\n");
	const char *t = "A=\nOLD=\nEXTRA=${X}\n";
	sg_findings f;
	sg_findings_init(&f, 0);
	assert_int_equal(sg_envcheck_template(&f, m, ".env.example", t, strlen(t)), 0);
	dump(&f);
	assert_int_equal(f.count, 3);
	const sg_finding *x = find(&f, SG_ENV_TEMPLATE_DRIFT, "EXTRA is in .env.example");
	assert_non_null(x);
	assert_int_equal(x->line, 3);
	assert_non_null(find(&f, SG_ENV_TEMPLATE_DRIFT, "OLD is deprecated"));
	x = find(&f, SG_ENV_TEMPLATE_DRIFT,
	         "B is declared in env.yml but missing from .env.example");
	assert_non_null(x);
	assert_int_equal(x->line, 3);
	sg_findings_free(&f);
	/* A template with a syntax error is an error, not a finding. */
	sg_findings_init(&f, 0);
	assert_int_equal(sg_envcheck_template(&f, m, ".env.example", "A\n", 2), SG_EINVALID);
	sg_findings_free(&f);
	sg_manifest_free(m);
}

static void test_committed(void **state)
{
	char msg[512];
	assert_true(sg_envcheck_committed(msg, sizeof(msg), NULL, ".env"));
	assert_non_null(strstr(msg, "git rm --cached -- .env"));
	assert_true(sg_envcheck_committed(msg, sizeof(msg), NULL, "app/.env.production"));
	assert_false(sg_envcheck_committed(msg, sizeof(msg), NULL, ".env.example"));
	assert_false(sg_envcheck_committed(msg, sizeof(msg), NULL, "web/.env.sample"));
	assert_false(sg_envcheck_committed(msg, sizeof(msg), NULL, "src/env.ts"));
	assert_false(sg_envcheck_committed(msg, sizeof(msg), NULL, ".envrc"));
	assert_false(sg_envcheck_committed(msg, sizeof(msg), NULL, "docs/.environment"));

	sg_manifest *m = test_manifest_load("templates: [.env.defaults, 'config/*.env.tpl']\n"
	                                    "local_only: ['secrets/*.json', credentials.yml]\n");
	assert_false(sg_envcheck_committed(msg, sizeof(msg), m, ".env.defaults"));
	/* Declared templates replace the default list. */
	assert_true(sg_envcheck_committed(msg, sizeof(msg), m, ".env.example"));
	assert_true(sg_envcheck_committed(msg, sizeof(msg), m, "secrets/prod.json"));
	assert_non_null(strstr(msg, "local_only"));
	assert_true(sg_envcheck_committed(msg, sizeof(msg), m, "deploy/credentials.yml"));
	assert_false(sg_envcheck_committed(msg, sizeof(msg), m, "config/app.json"));

	sg_findings f;
	sg_findings_init(&f, 0);
	assert_int_equal(sg_envcheck_staged_path(&f, m, "src/main.c"), 0);
	assert_int_equal(sg_envcheck_staged_path(&f, m, ".env.local"), 1);
	assert_int_equal(f.count, 1);
	assert_string_equal(f.items[0].rule_id, SG_ENV_COMMITTED);
	assert_string_equal(f.items[0].path, ".env.local");
	sg_findings_free(&f);
	sg_manifest_free(m);
}

static void test_refs(void **state)
{
	const char *js = "const a = process.env.API_KEY;\n"
	                 "const b = process.env['DB_URL'] + import.meta.env.VITE_URL;\n"
	                 "if (process.env.NODE_ENV) {}\n";
	const char *py = "os.environ[\"PY_A\"]; os.environ.get('PY_B'); os.getenv(\"PY_C\")\n";
	const char *other = "getenv(\"C_VAR\"); System.getenv(\"JAVA_VAR\"); ENV['RUBY_VAR'];\n"
	                    "ENV.fetch('RUBY_FETCH'); std::env::var(\"RUST_VAR\"); "
	                    "os.Getenv(\"GO_VAR\")\n"
	                    "mygetenv(\"NOT_ME\"); DOTENV['NOPE']\n";
	const char *wf = "env:\n  T: ${{ secrets.DEPLOY_TOKEN }}\n  U: ${{ vars.REGION }}\n"
	                 "  V: ${NOT_IN_WORKFLOWS}\n";
	const char *compose = "services:\n  app:\n    image: x:${TAG:-latest}\n"
	                      "    environment: [ \"DB=${DATABASE_URL}\", \"P=$${ESCAPED}\" ]\n";
	sg_env_refs r;
	sg_env_refs_init(&r);
	assert_int_equal(sg_env_refs_scan(&r, "web/app.js", js, strlen(js)), 0);
	assert_int_equal(sg_env_refs_scan(&r, "app.py", py, strlen(py)), 0);
	assert_int_equal(sg_env_refs_scan(&r, "x.c", other, strlen(other)), 0);
	assert_int_equal(sg_env_refs_scan(&r, ".github/workflows/ci.yml", wf, strlen(wf)), 0);
	assert_int_equal(sg_env_refs_scan(&r, "docker-compose.yml", compose, strlen(compose)), 0);
	const char *want[] = {"API_KEY",    "DB_URL",       "VITE_URL", "NODE_ENV",     "PY_A",
	                      "PY_B",       "PY_C",         "C_VAR",    "JAVA_VAR",     "RUBY_VAR",
	                      "RUBY_FETCH", "RUST_VAR",     "GO_VAR",   "DEPLOY_TOKEN", "REGION",
	                      "TAG",        "DATABASE_URL", NULL};
	for (size_t i = 0; want[i]; i++) {
		size_t k;
		for (k = 0; k < r.count; k++)
			if (strcmp(r.items[k].name, want[i]) == 0)
				break;
		if (k == r.count)
			fail_msg("reference to %s not found", want[i]);
	}
	for (size_t k = 0; k < r.count; k++) {
		assert_string_not_equal(r.items[k].name, "NOT_ME");
		assert_string_not_equal(r.items[k].name, "NOPE");
		assert_string_not_equal(r.items[k].name, "NOT_IN_WORKFLOWS");
		assert_string_not_equal(r.items[k].name, "ESCAPED");
		if (strcmp(r.items[k].name, "VITE_URL") == 0) {
			assert_int_equal(r.items[k].line, 2);
			assert_int_equal(r.items[k].column, 35);
		}
	}

	sg_manifest *m =
	        test_manifest_load("ignore_refs: ['PY_*']\nvars:\n  API_KEY: {}\n  UNREAD: {}\n"
	                           "  OLD: { deprecated: true }\n");
	sg_findings f;
	sg_findings_init(&f, 0);
	assert_int_equal(sg_envcheck_refs(&f, m, &r), 0);
	const sg_finding *x = find(&f, SG_ENV_UNDECLARED, "DB_URL is read here");
	assert_non_null(x);
	assert_string_equal(x->path, "web/app.js");
	assert_int_equal(x->line, 2);
	assert_null(find(&f, SG_ENV_UNDECLARED, "API_KEY"));
	assert_null(find(&f, SG_ENV_UNDECLARED, "NODE_ENV"));
	assert_null(find(&f, SG_ENV_UNDECLARED, "PY_A"));
	x = find(&f, SG_ENV_UNUSED, "UNREAD");
	assert_non_null(x);
	assert_int_equal(x->line, 4);
	assert_null(find(&f, SG_ENV_UNUSED, "OLD"));
	sg_findings_free(&f);
	sg_manifest_free(m);
	sg_env_refs_free(&r);
}

/* Encoders for the test, independent of the library's. */
static void b64(char *out, const char *in, size_t len)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;
	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned char)in[i] << 16;
		if (i + 1 < len)
			v |= (unsigned char)in[i + 1] << 8;
		if (i + 2 < len)
			v |= (unsigned char)in[i + 2];
		out[o++] = a[(v >> 18) & 63];
		out[o++] = a[(v >> 12) & 63];
		out[o++] = i + 1 < len ? a[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < len ? a[v & 63] : '=';
	}
	out[o] = '\0';
}

typedef struct hits {
	char encodings[512];
	size_t n;
} hits;

static int collect(void *ctx, const char *name, const char *encoding, size_t offset, size_t len)
{
	hits *h = ctx;
	h->n++;
	strcat(h->encodings, encoding);
	strcat(h->encodings, ",");
	return 0;
}

static void test_leaks(void **state)
{
	char secret[64];
	snprintf(secret, sizeof(secret), "%s/%s\"%s", "pa55+w0rd", "x y", "zq1");
	sg_leakset *ls;
	assert_int_equal(sg_leakset_new(&ls, 8), 0);
	assert_int_equal(sg_leakset_add(ls, "DB_PASSWORD", secret, strlen(secret)), 0);
	assert_int_equal(sg_leakset_add(ls, "SHORT", "abc", 3), 1);
	assert_int_equal(sg_leakset_count(ls), 1);
	assert_true(sg_leakset_max_needle(ls) >= strlen(secret));

	char enc[256], data[2048];
	/* base64 at each alignment inside a larger encoded blob. */
	for (int shift = 0; shift < 3; shift++) {
		char raw[128];
		memcpy(raw, "ab", 2);
		memcpy(raw + shift, secret, strlen(secret));
		memcpy(raw + shift + strlen(secret), "tail", 4);
		b64(enc, raw, (size_t)shift + strlen(secret) + 4);
		hits h = {{0}, 0};
		assert_int_equal(sg_leakset_each(ls, enc, strlen(enc), collect, &h), 0);
		if (!strstr(h.encodings, "base64"))
			fail_msg("base64 at shift %d not found in %s", shift, enc);
	}
	hits h = {{0}, 0};
	snprintf(data, sizeof(data), "p=pa55%%2Bw0rd%%2Fx%%20y%%22zq1&q=1");
	assert_int_equal(sg_leakset_each(ls, data, strlen(data), collect, &h), 0);
	assert_non_null(strstr(h.encodings, "url-encoded"));
	memset(&h, 0, sizeof(h));
	snprintf(data, sizeof(data), "{\"k\":\"pa55+w0rd\\/x y\\\"zq1\"}");
	assert_int_equal(sg_leakset_each(ls, data, strlen(data), collect, &h), 0);
	assert_non_null(strstr(h.encodings, "json-escaped"));
	memset(&h, 0, sizeof(h));
	snprintf(data, sizeof(data), "{\"k\":\"pa55+w0rd/x y\\\"zq1\"}");
	assert_int_equal(sg_leakset_each(ls, data, strlen(data), collect, &h), 0);
	assert_non_null(strstr(h.encodings, "json-escaped"));

	sg_findings f;
	sg_findings_init(&f, 0);
	snprintf(data, sizeof(data), "line one\nconst k = \"%s\";\n", secret);
	sg_origin origin = {0};
	origin.path = "dist/app.js";
	assert_int_equal(sg_leakset_scan(ls, data, strlen(data), &origin, &f), 0);
	assert_int_equal(f.count, 1);
	assert_string_equal(f.items[0].rule_id, SG_ENV_LEAK);
	assert_string_equal(f.items[0].path, "dist/app.js");
	assert_int_equal(f.items[0].line, 2);
	assert_int_equal(f.items[0].column, 12);
	assert_null(f.items[0].secret);
	assert_non_null(strstr(f.items[0].message, "DB_PASSWORD"));
	assert_null(strstr(f.items[0].message, "pa55"));
	sg_findings_free(&f);

	/* The environment's secret variables with values, short ones counted. */
	sg_manifest *m =
	        test_manifest_load("vars:\n  A: { secret: true }\n  B: { secret: true }\n  C: {}\n"
	                           "  D: { secret: true }\n");
	char *environ_[] = {"A=long-enough-value", "B=short", "C=not-a-secret-value", NULL};
	sg_envcheck_options o = SG_ENVCHECK_OPTIONS_INIT;
	o.environ = environ_;
	sg_leakset *ls2;
	size_t skipped;
	const char *skipped_name;
	assert_int_equal(sg_leakset_new(&ls2, 0), 0);
	assert_int_equal(sg_leakset_add_environment(ls2, &skipped, &skipped_name, m, &o), 0);
	assert_int_equal(sg_leakset_count(ls2), 1);
	assert_int_equal(skipped, 1);
	assert_string_equal(skipped_name, "B");
	sg_leakset_free(ls2);
	sg_manifest_free(m);
	sg_leakset_free(ls);
}

static void test_redact(void **state)
{
	sg_leakset *ls;
	assert_int_equal(sg_leakset_new(&ls, 8), 0);
	assert_int_equal(sg_leakset_add(ls, "PW", "hunter2hunter2", 14), 0);
	sg_ruleset *rs = test_rules();
	sg_redactor *r;
	assert_int_equal(sg_redactor_new(&r, rs, ls, NULL), 0);
	char line[256];
	snprintf(line, sizeof(line), "pw=hunter2hunter2 t=%s%s enc=aHVudGVyMmh1bnRlcjI=", "tok_",
	         "abcdefgh12345678");
	const char *out;
	size_t n;
	assert_int_equal(sg_redactor_line(r, &out, &n, line, strlen(line)), 0);
	assert_string_equal(out, "pw=[REDACTED:PW] t=[REDACTED:test-token] enc=[REDACTED:PW]");
	assert_int_equal(n, strlen(out));
	sg_redactor_free(r);

	/* A stream with an over-long line: the secret straddles a piece boundary. */
	sg_redact_options ro = SG_REDACT_OPTIONS_INIT;
	ro.max_line = 256;
	assert_int_equal(sg_redactor_new(&r, NULL, ls, &ro), 0);
	char *input = NULL, *output = NULL;
	size_t in_len = 0, out_len = 0;
	FILE *in = open_memstream(&input, &in_len);
	fputs("first hunter2hunter2 line\n", in);
	for (int i = 0; i < 250; i++)
		fputc('a', in);
	fputs("hunter2hunter2", in);
	for (int i = 0; i < 600; i++)
		fputc('b', in);
	fputs("\nlast line without newline hunter2hunter2", in);
	fclose(in);
	in = fmemopen(input, in_len, "r");
	FILE *out_f = open_memstream(&output, &out_len);
	uint64_t masked = 0;
	assert_int_equal(sg_redactor_run(r, &masked, in, out_f), 0);
	fclose(in);
	fclose(out_f);
	assert_int_equal(masked, 3);
	assert_null(strstr(output, "hunter2"));
	assert_non_null(strstr(output, "first [REDACTED:PW] line\n"));
	assert_non_null(strstr(output, "a[REDACTED:PW]b"));
	assert_int_equal(out_len, in_len - 3 * 14 + 3 * strlen("[REDACTED:PW]"));
	free(input);
	free(output);
	sg_redactor_free(r);
	sg_ruleset_free(rs);
	sg_leakset_free(ls);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_types),
	        cmocka_unit_test(test_placeholders),
	        cmocka_unit_test(test_values),
	        cmocka_unit_test(test_manifest_hygiene_and_duplicates),
	        cmocka_unit_test(test_template),
	        cmocka_unit_test(test_committed),
	        cmocka_unit_test(test_refs),
	        cmocka_unit_test(test_leaks),
	        cmocka_unit_test(test_redact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
