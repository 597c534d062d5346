/* An environment's values against the manifest: where each value comes
 * from (process environment, then dotenv layers), what is missing, malformed,
 * a placeholder, deprecated, unknown or a public secret; duplicate keys and
 * template drift. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "lib/env/env_internal.h"

int sg_envcheck_lookup(const char **value, const char **path, uint32_t *line,
                       const sg_envcheck_options *o, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; o->environ && o->environ[i]; i++)
		if (strncmp(o->environ[i], name, n) == 0 && o->environ[i][n] == '=') {
			*value = o->environ[i] + n + 1;
			*path = "(environment)";
			*line = 0;
			return 1;
		}
	const sg_dotenv_entry *e = o->dotenv ? sg_dotenv_get(o->dotenv, name) : NULL;
	if (!e)
		return 0;
	*value = e->value;
	*path = e->path;
	*line = e->line;
	return 1;
}

static int condition_holds(const sg_manifest *m, const sg_envcheck_options *o,
                           const sg_condition *c)
{
	const char *value, *path;
	uint32_t line;
	if (!sg_envcheck_lookup(&value, &path, &line, o, c->var)) {
		const sg_var *cv = sg_manifest_var(m, c->var);
		value = cv ? sg_per_env_get(&cv->default_value, o->environment) : NULL;
		if (!value)
			return 0;
	}
	int a, b;
	/* SMTP_ENABLED=1 satisfies required_when { SMTP_ENABLED: "true" }. */
	if (sg_env_parse_bool(&a, value, strlen(value)) == 0 &&
	    sg_env_parse_bool(&b, c->value, strlen(c->value)) == 0)
		return a == b;
	return strcmp(value, c->value) == 0;
}

static int is_required(const sg_manifest *m, const sg_envcheck_options *o, const sg_var *v,
                       char *why, size_t why_size)
{
	if (sg_var_required_in(v, o->environment)) {
		snprintf(why, why_size, "required in %s", o->environment);
		return 1;
	}
	if (!v->nrequired_when)
		return 0;
	for (size_t i = 0; i < v->nrequired_when; i++)
		if (!condition_holds(m, o, &v->required_when[i]))
			return 0;
	snprintf(why, why_size, "required when %s=%s", v->required_when[0].var,
	         v->required_when[0].value);
	return 1;
}

/* Does the value match a secret rule? Returns the rule id or NULL. */
static const char *matching_rule(sg_scanner *s, const char *value, size_t len)
{
	sg_findings f;
	const char *id = NULL;
	sg_findings_init(&f, 4);
	sg_origin origin = {0};
	origin.path = "(value)";
	if (sg_scanner_scan(s, value, len, &origin, NULL, &f) == 0 && f.count)
		id = f.items[0].rule_id;
	sg_findings_free(&f);
	return id;
}

static int where(char *buf, size_t size, const char *path, uint32_t line)
{
	if (line)
		return snprintf(buf, size, "%s:%u", path, line);
	return snprintf(buf, size, "%s", path);
}

int sg_envcheck_values(sg_findings *out, const sg_manifest *m, const sg_envcheck_options *o)
{
	int rc = 0;
	const char *env = o->environment ? o->environment : "";
	sg_scanner *scanner = NULL;
	sg_scan_options scan_opts = SG_SCAN_OPTIONS_INIT;
	if (o->rules && (rc = sg_scanner_new(&scanner, o->rules, &scan_opts)) < 0)
		return rc;
	for (size_t i = 0; m && i < m->nvars && rc == 0; i++) {
		const sg_var *v = &m->vars[i];
		const char *value, *path;
		uint32_t line;
		char why[256], at[512], key[512];
		snprintf(key, sizeof(key), "%s:%s", env, v->name);
		int set = sg_envcheck_lookup(&value, &path, &line, o, v->name);
		if (set)
			where(at, sizeof(at), path, line);
		if (v->deprecated) {
			if (set)
				rc = sg_env_emit(out, SG_ENV_DEPRECATED, path, line, 1, key,
				                 "%s is deprecated%s%s (set in %s)", v->name,
				                 v->deprecated_message ? ": " : "",
				                 v->deprecated_message ? v->deprecated_message : "",
				                 at);
			continue;
		}
		if (!set || !*value) {
			if (sg_per_env_get(&v->default_value, env))
				continue;
			if (!is_required(m, o, v, why, sizeof(why)))
				continue;
			if (!set)
				rc = sg_env_emit(out, SG_ENV_MISSING, m->path, v->line, 1, key,
				                 "%s is %s but not set", v->name, why);
			else
				rc = sg_env_emit(
				        out, SG_ENV_MISSING, path, line, 1, key,
				        "%s is %s but empty in %s (empty counts as missing)",
				        v->name, why, at);
			continue;
		}
		size_t len = strlen(value);
		if (!v->allow_placeholder && sg_envcheck_is_placeholder(value, len)) {
			rc = sg_env_emit(out, SG_ENV_PLACEHOLDER, path, line, 1, key,
			                 "%s holds a placeholder value (set in %s)", v->name, at);
			continue;
		}
		int bad = sg_envcheck_value(why, sizeof(why), v, env, value, len);
		if (bad < 0) {
			rc = bad;
			break;
		}
		if (bad)
			rc = sg_env_emit(out, SG_ENV_MALFORMED, path, line, 1, key,
			                 "%s is not a valid %s: %s (set in %s)", v->name,
			                 sg_var_type_name(v->type), why, at);
		if (rc == 0 && scanner && sg_manifest_is_public(m, v->name)) {
			const char *rule = matching_rule(scanner, value, len);
			if (rule)
				rc = sg_env_emit(
				        out, SG_ENV_PUBLIC_SECRET, path, line, 1, key,
				        "%s is public (inlined into client bundles) but its "
				        "value matches the secret rule %s (set in %s)",
				        v->name, rule, at);
		}
	}
	/* Unknown names only count in dotenv files: the process environment is full
	 * of variables that are none of the manifest's business. */
	int unknown = o->report_unknown >= 0 ? o->report_unknown : (m ? m->report_unknown : 1);
	for (size_t i = 0; unknown && m && o->dotenv && i < o->dotenv->count && rc == 0; i++) {
		const sg_dotenv_entry *e = &o->dotenv->items[i];
		if (sg_manifest_var(m, e->key))
			continue;
		char key[512];
		snprintf(key, sizeof(key), "%s:%s", e->path, e->key);
		rc = sg_env_emit(out, SG_ENV_UNKNOWN, e->path, e->line, 1, key,
		                 "%s is set in %s:%u but not declared in %s", e->key, e->path,
		                 e->line, m->path);
		if (rc == 0 && scanner && sg_manifest_is_public(m, e->key)) {
			const char *rule = matching_rule(scanner, e->value, e->value_len);
			if (rule)
				rc = sg_env_emit(
				        out, SG_ENV_PUBLIC_SECRET, e->path, e->line, 1, key,
				        "%s is public (inlined into client bundles) but its "
				        "value matches the secret rule %s",
				        e->key, rule);
		}
	}
	sg_scanner_free(scanner);
	return rc;
}

int sg_envcheck_manifest(sg_findings *out, const sg_manifest *m)
{
	int rc = 0;
	for (size_t i = 0; m && i < m->nvars && rc == 0; i++) {
		const sg_var *v = &m->vars[i];
		if (v->secret && sg_manifest_is_public(m, v->name))
			rc = sg_env_emit(out, SG_ENV_PUBLIC_SECRET, m->path, v->line, 1, v->name,
			                 "%s is marked secret but its public prefix makes bundlers "
			                 "inline it into client code",
			                 v->name);
	}
	return rc;
}

int sg_envcheck_duplicates(sg_findings *out, const sg_dotenv *d)
{
	int rc = 0;
	for (size_t i = 0; d && i < d->nduplicates && rc == 0; i++) {
		const sg_dotenv_duplicate *dup = &d->duplicates[i];
		char key[512];
		snprintf(key, sizeof(key), "%s:%s", dup->path, dup->key);
		rc = sg_env_emit(
		        out, SG_ENV_DUPLICATE, dup->path, dup->line, 1, key,
		        "%s is assigned again at %s:%u (first at %s:%u); the last one wins",
		        dup->key, dup->path, dup->line, dup->first_path, dup->first_line);
	}
	return rc;
}

int sg_envcheck_template(sg_findings *out, const sg_manifest *m, const char *path, const char *text,
                         size_t len)
{
	sg_dotenv t;
	sg_dotenv_options opts = SG_DOTENV_OPTIONS_INIT;
	opts.expand = 0;
	sg_dotenv_init(&t);
	int rc = sg_dotenv_parse(&t, path, text, len, &opts);
	for (size_t i = 0; rc == 0 && i < t.count; i++) {
		const sg_var *v = sg_manifest_var(m, t.items[i].key);
		char key[512];
		snprintf(key, sizeof(key), "%s:+%s", path, t.items[i].key);
		if (!v)
			rc = sg_env_emit(out, SG_ENV_TEMPLATE_DRIFT, path, t.items[i].line, 1, key,
			                 "%s is in %s but %s does not declare it", t.items[i].key,
			                 path, m->path);
		else if (v->deprecated)
			rc = sg_env_emit(out, SG_ENV_TEMPLATE_DRIFT, path, t.items[i].line, 1, key,
			                 "%s is deprecated but still listed in %s", t.items[i].key,
			                 path);
	}
	for (size_t i = 0; rc == 0 && i < m->nvars; i++) {
		const sg_var *v = &m->vars[i];
		if (v->deprecated || v->platform_only || sg_dotenv_get(&t, v->name))
			continue;
		char key[512];
		snprintf(key, sizeof(key), "%s:-%s", path, v->name);
		rc = sg_env_emit(out, SG_ENV_TEMPLATE_DRIFT, m->path, v->line, 1, key,
		                 "%s is declared in %s but missing from %s", v->name, m->path,
		                 path);
	}
	sg_dotenv_free(&t);
	return rc;
}
