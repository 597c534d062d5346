/* manifest: load .secretgate/env.yml (the YAML helper's tree) into sg_manifest. Every
 * mistake (unknown key, duplicate key, bad type, unknown environment) is an
 * error naming file and line, because a typo in a gate silently opens it. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "secretgate/manifest.h"
#include "util/safe_text.h"
#include "util/file.h"
#include "util/yamlnode.h"
#include "util/strv.h"
#include "lib/env/env_internal.h"
#include "util/glob.h"

#define MAX_MANIFEST (1u << 20)
#define MAX_LIST     4096
#define MAX_VARS     10000 /* variables in one manifest */
#define SG_STR_(x)   #x
#define SG_STR(x)    SG_STR_(x)

const char *const sg_default_public_prefixes[] = {
        "NEXT_PUBLIC_", "VITE_",   "REACT_APP_",   "PUBLIC_",
        "EXPO_PUBLIC_", "GATSBY_", "NUXT_PUBLIC_", NULL};

static const char *const type_names[] = {"string", "int",  "bool", "url",     "port",
                                         "email",  "enum", "json", "duration"};

const char *sg_var_type_name(sg_var_type t)
{
	return (size_t)t < sizeof(type_names) / sizeof(type_names[0]) ? type_names[t] : "?";
}

const char *sg_per_env_get(const sg_per_env *p, const char *environment)
{
	for (size_t i = 0; environment && i < p->count; i++)
		if (strcmp(p->envs[i], environment) == 0)
			return p->values[i];
	return p->fallback;
}

static void per_env_free(sg_per_env *p)
{
	sg_strv_free(p->envs, p->count);
	sg_strv_free(p->values, p->count);
	free(p->fallback);
}

void sg_manifest_free(sg_manifest *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nvars; i++) {
		sg_var *v = &m->vars[i];
		free(v->name);
		sg_strv_free(v->schemes, v->nschemes);
		sg_strv_free(v->values, v->nvalues);
		per_env_free(&v->pattern);
		per_env_free(&v->default_value);
		sg_strv_free(v->required_envs, v->nrequired_envs);
		for (size_t k = 0; k < v->nrequired_when; k++) {
			free(v->required_when[k].var);
			free(v->required_when[k].value);
		}
		free(v->required_when);
		free(v->deprecated_message);
		free(v->description);
		free(v->owner);
	}
	free(m->vars);
	for (size_t i = 0; i < m->nenvironments; i++) {
		free(m->environments[i].name);
		sg_strv_free(m->environments[i].files, m->environments[i].nfiles);
		sg_strv_free(m->environments[i].platform, m->environments[i].nplatform);
		sg_strv_free(m->environments[i].provided, m->environments[i].nprovided);
	}
	sg_strv_free(m->owner_globs, m->nowners);
	sg_strv_free(m->owner_names, m->nowners);
	free(m->environments);
	sg_strv_free(m->public_prefixes, m->npublic_prefixes);
	sg_strv_free(m->templates, m->ntemplates);
	sg_strv_free(m->local_only, m->nlocal_only);
	sg_strv_free(m->ignore_refs, m->nignore_refs);
	free(m->path);
	free(m);
}

const sg_var *sg_manifest_var(const sg_manifest *m, const char *name)
{
	for (size_t i = 0; m && i < m->nvars; i++)
		if (strcmp(m->vars[i].name, name) == 0)
			return &m->vars[i];
	return NULL;
}

const sg_environment *sg_manifest_environment(const sg_manifest *m, const char *name)
{
	for (size_t i = 0; m && i < m->nenvironments; i++)
		if (strcmp(m->environments[i].name, name) == 0)
			return &m->environments[i];
	return NULL;
}

int sg_manifest_is_public(const sg_manifest *m, const char *name)
{
	if (!m) {
		for (size_t i = 0; sg_default_public_prefixes[i]; i++)
			if (strncmp(name, sg_default_public_prefixes[i],
			            strlen(sg_default_public_prefixes[i])) == 0)
				return 1;
		return 0;
	}
	for (size_t i = 0; i < m->npublic_prefixes; i++)
		if (strncmp(name, m->public_prefixes[i], strlen(m->public_prefixes[i])) == 0)
			return 1;
	return 0;
}

const char *sg_manifest_owner(const sg_manifest *m, const char *name)
{
	const sg_var *v = sg_manifest_var(m, name);
	if (v && v->owner)
		return v->owner;
	for (size_t i = 0; m && i < m->nowners; i++)
		if (strcmp(m->owner_globs[i], name) == 0 ||
		    sg_glob_match(m->owner_globs[i], name) == 1)
			return m->owner_names[i];
	return NULL;
}

int sg_var_required_in(const sg_var *v, const char *environment)
{
	if (v->required == SG_REQUIRED_ALL)
		return 1;
	if (v->required == SG_REQUIRED_ENVS)
		for (size_t i = 0; i < v->nrequired_envs; i++)
			if (strcmp(v->required_envs[i], environment) == 0)
				return 1;
	return 0;
}

/* ---- YAML walking ------------------------------------------------------ */

/* The tree comes from the YAML helper, which already refuses duplicate
 * keys, aliases and keys that are not plain scalars. */
typedef struct loader {
	const char *name;
	sg_manifest *m;
} loader;

static int bad_at(const loader *l, unsigned line, const char *fmt, const char *arg)
{
	char why[256];
	snprintf(why, sizeof(why), fmt, arg ? arg : "");
	return sg_error_set(SG_EINVALID, "%s:%u: %s", l->name, line, why);
}

static int bad(const loader *l, const sg_yaml_node *n, const char *fmt, const char *arg)
{
	return bad_at(l, n ? n->line : 0, fmt, arg);
}

static const char *scalar(const sg_yaml_node *n)
{
	return n && n->type == SG_YAML_SCALAR ? n->value : NULL;
}

/* `KEY:` with nothing after it (null) or an empty string. */
static int is_empty(const sg_yaml_node *n)
{
	return scalar(n) && *scalar(n) == '\0';
}

static int check_mapping(const loader *l, const sg_yaml_node *map, const char *what)
{
	if (!map || map->type != SG_YAML_MAP)
		return bad(l, map, "%s must be a mapping", what);
	return 0;
}

static int dup_str(char **out, const char *s)
{
	*out = strdup(s);
	return *out ? 0 : sg_error_set(SG_ENOMEM, "out of memory");
}

static int get_string(const loader *l, const sg_yaml_node *n, const char *key, char **out)
{
	if (!scalar(n))
		return bad(l, n, "%s must be a single value", key);
	free(*out);
	return dup_str(out, scalar(n));
}

/* A list of strings; a single scalar counts as a one-item list. */
static int get_list(const loader *l, const sg_yaml_node *n, const char *key, char ***out,
                    size_t *count)
{
	sg_strv_free(*out, *count);
	*out = NULL;
	*count = 0;
	if (scalar(n)) {
		*out = calloc(1, sizeof(char *));
		if (!*out)
			return sg_error_set(SG_ENOMEM, "out of memory");
		*count = 1;
		return dup_str(&(*out)[0], scalar(n));
	}
	if (!n || n->type != SG_YAML_SEQ)
		return bad(l, n, "%s must be a list", key);
	if (n->count > MAX_LIST)
		return bad(l, n, "%s has too many items", key);
	*out = calloc(n->count ? n->count : 1, sizeof(char *));
	if (!*out)
		return sg_error_set(SG_ENOMEM, "out of memory");
	for (size_t i = 0; i < n->count; i++) {
		if (!scalar(n->items[i]))
			return bad(l, n->items[i], "items of %s must be single values", key);
		int rc = dup_str(&(*out)[i], scalar(n->items[i]));
		if (rc)
			return rc;
		(*count)++;
	}
	return 0;
}

static int get_bool(const loader *l, const sg_yaml_node *n, const char *key, int *out)
{
	if (!scalar(n) || sg_env_parse_bool(out, scalar(n), strlen(scalar(n))) != 0)
		return bad(l, n, "%s must be true or false", key);
	return 0;
}

static int get_int(const loader *l, const sg_yaml_node *n, const char *key, long long *out)
{
	const char *s = scalar(n);
	char *end;
	errno = 0;
	if (!s || !*s || (*out = strtoll(s, &end, 10), errno) || *end)
		return bad(l, n, "%s must be an integer", key);
	return 0;
}

static int check_environment_name(const loader *l, unsigned line, const char *env)
{
	if (!sg_manifest_environment(l->m, env)) {
		char q[SG_TEXT_QUOTE_MAX];
		return bad_at(l, line, "unknown environment %s (declare it under environments)",
		              sg_text_quote(q, env));
	}
	return 0;
}

/* The key and value strings of a mapping of single values, copied into two
 * parallel arrays; `keep` decides per key whether it is stored. */
typedef int (*pair_keep)(const loader *l, const char *key, unsigned line, void *ctx);

static int get_pairs(const loader *l, const sg_yaml_node *n, const char *what, char ***keys,
                     char ***values, size_t *count, pair_keep keep, void *ctx)
{
	int rc = check_mapping(l, n, what);
	if (rc)
		return rc;
	*keys = calloc(n->count + 1, sizeof(char *));
	*values = calloc(n->count + 1, sizeof(char *));
	if (!*keys || !*values)
		return sg_error_set(SG_ENOMEM, "out of memory");
	for (size_t i = 0; i < n->count; i++) {
		if (!scalar(n->items[i]))
			return bad(l, n->items[i], "values of %s must be single values", what);
		if (keep && (rc = keep(l, n->keys[i], n->key_lines[i], ctx)) != 0) {
			if (rc > 0)
				continue;
			return rc;
		}
		if ((rc = dup_str(&(*keys)[*count], n->keys[i])))
			return rc;
		if ((rc = dup_str(&(*values)[*count], scalar(n->items[i])))) {
			free((*keys)[*count]);
			(*keys)[*count] = NULL;
			return rc;
		}
		(*count)++;
	}
	return 0;
}

/* In a per-environment mapping "_" is the fallback (taken, not stored);
 * every other key must be a declared environment. */
static int keep_environment(const loader *l, const char *key, unsigned line, void *ctx)
{
	(void)ctx;
	if (strcmp(key, "_") == 0)
		return 1;
	return check_environment_name(l, line, key);
}

/* A per-environment setting: scalar, or mapping of environment (or "_") to scalar. */
static int get_per_env(const loader *l, const sg_yaml_node *n, const char *key, sg_per_env *out)
{
	per_env_free(out);
	memset(out, 0, sizeof(*out));
	if (scalar(n))
		return dup_str(&out->fallback, scalar(n));
	int rc =
	        get_pairs(l, n, key, &out->envs, &out->values, &out->count, keep_environment, NULL);
	const sg_yaml_node *fallback = sg_yaml_get(n, "_");
	if (!rc && fallback)
		rc = dup_str(&out->fallback, scalar(fallback));
	return rc;
}

static int check_regex(const loader *l, const sg_yaml_node *n, const char *re)
{
	int err;
	PCRE2_SIZE off;
	pcre2_code *code =
	        pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
	if (!code) {
		PCRE2_UCHAR msg[128];
		pcre2_get_error_message(err, msg, sizeof(msg));
		return sg_error_set(SG_EINVALID, "%s:%u: bad pattern at offset %zu: %s", l->name,
		                    n->line, (size_t)off, (const char *)msg);
	}
	pcre2_code_free(code);
	return 0;
}

static int parse_required(const loader *l, const sg_yaml_node *n, sg_var *v)
{
	const char *s = scalar(n);
	int b;
	if (s && strcmp(s, "all") == 0) {
		v->required = SG_REQUIRED_ALL;
		return 0;
	}
	if (s && sg_env_parse_bool(&b, s, strlen(s)) == 0) {
		v->required = b ? SG_REQUIRED_ALL : SG_REQUIRED_NO;
		return 0;
	}
	int rc = get_list(l, n, "required", &v->required_envs, &v->nrequired_envs);
	if (rc)
		return rc;
	for (size_t i = 0; i < v->nrequired_envs; i++)
		if ((rc = check_environment_name(l, n->line, v->required_envs[i])))
			return rc;
	v->required = SG_REQUIRED_ENVS;
	return 0;
}

static int parse_required_when(const loader *l, const sg_yaml_node *n, sg_var *v)
{
	int rc = check_mapping(l, n, "required_when");
	if (rc)
		return rc;
	v->required_when = calloc(n->count + 1, sizeof(sg_condition));
	if (!v->required_when)
		return sg_error_set(SG_ENOMEM, "out of memory");
	for (size_t i = 0; i < n->count; i++) {
		const sg_yaml_node *val = n->items[i];
		if (!scalar(val))
			return bad(l, val, "required_when values must be single values", NULL);
		sg_condition *c = &v->required_when[v->nrequired_when];
		if ((rc = dup_str(&c->var, n->keys[i])))
			return rc;
		if ((rc = dup_str(&c->value, scalar(val)))) {
			free(c->var);
			return rc;
		}
		v->nrequired_when++;
	}
	return 0;
}

static int parse_var(const loader *l, const char *name, unsigned line, const sg_yaml_node *n,
                     sg_var *v)
{
	int rc;
	const sg_yaml_node *pattern_node = NULL;
	v->line = line;
	if ((rc = dup_str(&v->name, name)))
		return rc;
	/* `NAME: {}` and `NAME:` (null) both declare a plain optional string. */
	if (is_empty(n))
		return 0;
	if ((rc = check_mapping(l, n, v->name)))
		return rc;
	for (size_t i = 0; i < n->count; i++) {
		const char *key = n->keys[i];
		const sg_yaml_node *vn = n->items[i];
		long long num;
		if (strcmp(key, "type") == 0) {
			const char *t = scalar(vn);
			size_t ti;
			for (ti = 0; t && ti < sizeof(type_names) / sizeof(type_names[0]); ti++)
				if (strcmp(t, type_names[ti]) == 0)
					break;
			if (!t || ti == sizeof(type_names) / sizeof(type_names[0]))
				return bad(
				        l, vn,
				        "unknown type '%s' (string, int, bool, url, port, email, "
				        "enum, json, duration)",
				        t);
			v->type = (sg_var_type)ti;
		} else if (strcmp(key, "min") == 0) {
			if ((rc = get_int(l, vn, key, &v->min)))
				return rc;
			v->has_min = 1;
		} else if (strcmp(key, "max") == 0) {
			if ((rc = get_int(l, vn, key, &v->max)))
				return rc;
			v->has_max = 1;
		} else if (strcmp(key, "min_length") == 0 || strcmp(key, "max_length") == 0) {
			if ((rc = get_int(l, vn, key, &num)))
				return rc;
			if (num < 0)
				return bad(l, vn, "%s must not be negative", key);
			*(key[1] == 'i' ? &v->min_length : &v->max_length) = (size_t)num;
		} else if (strcmp(key, "schemes") == 0) {
			rc = get_list(l, vn, key, &v->schemes, &v->nschemes);
		} else if (strcmp(key, "values") == 0) {
			rc = get_list(l, vn, key, &v->values, &v->nvalues);
		} else if (strcmp(key, "pattern") == 0) {
			pattern_node = vn;
			rc = get_per_env(l, vn, key, &v->pattern);
		} else if (strcmp(key, "default") == 0) {
			rc = get_per_env(l, vn, key, &v->default_value);
		} else if (strcmp(key, "secret") == 0) {
			rc = get_bool(l, vn, key, &v->secret);
		} else if (strcmp(key, "required") == 0) {
			rc = parse_required(l, vn, v);
		} else if (strcmp(key, "required_when") == 0) {
			rc = parse_required_when(l, vn, v);
		} else if (strcmp(key, "deprecated") == 0) {
			int b;
			if (!scalar(vn))
				return bad(l, vn, "deprecated must be true or a message", NULL);
			if (sg_env_parse_bool(&b, scalar(vn), strlen(scalar(vn))) == 0)
				v->deprecated = b;
			else {
				v->deprecated = 1;
				rc = dup_str(&v->deprecated_message, scalar(vn));
			}
		} else if (strcmp(key, "allow_placeholder") == 0) {
			rc = get_bool(l, vn, key, &v->allow_placeholder);
		} else if (strcmp(key, "description") == 0) {
			rc = get_string(l, vn, key, &v->description);
		} else if (strcmp(key, "owner") == 0) {
			rc = get_string(l, vn, key, &v->owner);
		} else if (strcmp(key, "platform_only") == 0) {
			rc = get_bool(l, vn, key, &v->platform_only);
		} else {
			char q[SG_TEXT_QUOTE_MAX];
			return sg_error_set(SG_EINVALID, "%s:%u: unknown key %s in variable %s",
			                    l->name, n->key_lines[i], sg_text_quote(q, key),
			                    sg_text_name(v->name));
		}
		if (rc)
			return rc;
	}
	if (v->type == SG_VAR_ENUM && v->nvalues == 0)
		return bad_at(l, line, "enum variable %s needs values", v->name);
	if (v->nvalues && v->type != SG_VAR_ENUM)
		return bad_at(l, line, "values only apply to type enum (variable %s)", v->name);
	if (v->nschemes && v->type != SG_VAR_URL)
		return bad_at(l, line, "schemes only apply to type url (variable %s)", v->name);
	if ((v->has_min || v->has_max) && v->type != SG_VAR_INT)
		return bad_at(l, line, "min and max only apply to type int (variable %s)", v->name);
	if (v->has_min && v->has_max && v->min > v->max)
		return bad_at(l, line, "min is greater than max (variable %s)", v->name);
	if (pattern_node) {
		if (v->pattern.fallback && (rc = check_regex(l, pattern_node, v->pattern.fallback)))
			return rc;
		for (size_t i = 0; i < v->pattern.count; i++)
			if ((rc = check_regex(l, pattern_node, v->pattern.values[i])))
				return rc;
	}
	return 0;
}

static int parse_environment(const loader *l, const sg_yaml_node *v, sg_environment *e)
{
	int rc = check_mapping(l, v, e->name);
	for (size_t i = 0; !rc && i < v->count; i++) {
		const char *key = v->keys[i];
		const sg_yaml_node *vn = v->items[i];
		if (strcmp(key, "files") == 0)
			rc = get_list(l, vn, key, &e->files, &e->nfiles);
		else if (strcmp(key, "production") == 0)
			rc = get_bool(l, vn, key, &e->production);
		else if (strcmp(key, "platform") == 0)
			rc = get_list(l, vn, key, &e->platform, &e->nplatform);
		else if (strcmp(key, "provided") == 0)
			rc = get_list(l, vn, key, &e->provided, &e->nprovided);
		else {
			char q[SG_TEXT_QUOTE_MAX];
			return sg_error_set(SG_EINVALID, "%s:%u: unknown key %s in environment %s",
			                    l->name, v->key_lines[i], sg_text_quote(q, key),
			                    sg_text_name(e->name));
		}
	}
	return rc;
}

static int parse_environments(const loader *l, const sg_yaml_node *n)
{
	int rc = check_mapping(l, n, "environments");
	if (rc)
		return rc;
	sg_manifest *m = l->m;
	m->environments = calloc(n->count + 1, sizeof(sg_environment));
	if (!m->environments)
		return sg_error_set(SG_ENOMEM, "out of memory");
	for (size_t i = 0; i < n->count; i++) {
		sg_environment *e = &m->environments[m->nenvironments++];
		e->line = n->key_lines[i];
		if ((rc = dup_str(&e->name, n->keys[i])))
			return rc;
		if (strcmp(e->name, "_") == 0)
			return bad_at(l, e->line, "'_' is reserved for per-environment fallbacks",
			              NULL);
		if (!is_empty(n->items[i]) && (rc = parse_environment(l, n->items[i], e)))
			return rc;
	}
	return 0;
}

static int parse_vars(const loader *l, const sg_yaml_node *n)
{
	if (n && n->type == SG_YAML_MAP && n->count > MAX_VARS)
		return bad(l, n,
		           "more than " SG_STR(
		                   MAX_VARS) " variables under %s (the manifest's cap; "
		                             "split the manifest or drop unused variables)",
		           "vars");
	int rc = check_mapping(l, n, "vars");
	if (rc)
		return rc;
	sg_manifest *m = l->m;
	m->vars = calloc(n->count + 1, sizeof(sg_var));
	if (!m->vars)
		return sg_error_set(SG_ENOMEM, "out of memory");
	for (size_t i = 0; i < n->count; i++)
		if ((rc = parse_var(l, n->keys[i], n->key_lines[i], n->items[i],
		                    &m->vars[m->nvars++])))
			return rc;
	/* required_when may name variables declared later, so check after all. */
	for (size_t i = 0; i < m->nvars; i++)
		for (size_t c = 0; c < m->vars[i].nrequired_when; c++)
			if (!sg_manifest_var(m, m->vars[i].required_when[c].var))
				return sg_error_set(
				        SG_EINVALID,
				        "%s:%u: %s: required_when names undeclared variable %s",
				        l->name, m->vars[i].line, m->vars[i].name,
				        m->vars[i].required_when[c].var);
	return 0;
}

/* owners: { glob: owner }: who to ask about a group of variables. */
static int parse_owners(const loader *l, const sg_yaml_node *n)
{
	sg_manifest *m = l->m;
	return get_pairs(l, n, "owners", &m->owner_globs, &m->owner_names, &m->nowners, NULL, NULL);
}

static int parse_root(loader *l, const sg_yaml_node *root)
{
	if (!root)
		return sg_error_set(SG_EINVALID, "%s: empty manifest", l->name);
	int rc = check_mapping(l, root, "the manifest");
	if (rc)
		return rc;
	sg_manifest *m = l->m;
	const sg_yaml_node *vars = NULL;
	int prefixes_set = 0;
	/* Environments first: everything else may refer to them. */
	const sg_yaml_node *envs = sg_yaml_get(root, "environments");
	if (envs && (rc = parse_environments(l, envs)))
		return rc;
	for (size_t i = 0; i < root->count; i++) {
		const char *key = root->keys[i];
		const sg_yaml_node *vn = root->items[i];
		long long num;
		if (strcmp(key, "environments") == 0)
			continue;
		if (strcmp(key, "version") == 0) {
			if ((rc = get_int(l, vn, key, &num)))
				return rc;
			if (num != 1)
				return bad(l, vn, "unsupported manifest version %s (expected 1)",
				           sg_text_name(scalar(vn)));
		} else if (strcmp(key, "public_prefixes") == 0) {
			rc = get_list(l, vn, key, &m->public_prefixes, &m->npublic_prefixes);
			prefixes_set = 1;
		} else if (strcmp(key, "templates") == 0) {
			rc = get_list(l, vn, key, &m->templates, &m->ntemplates);
		} else if (strcmp(key, "local_only") == 0) {
			rc = get_list(l, vn, key, &m->local_only, &m->nlocal_only);
		} else if (strcmp(key, "ignore_refs") == 0) {
			rc = get_list(l, vn, key, &m->ignore_refs, &m->nignore_refs);
		} else if (strcmp(key, "unknown") == 0) {
			const char *s = scalar(vn);
			if (s && strcmp(s, "report") == 0)
				m->report_unknown = 1;
			else if (s && strcmp(s, "ignore") == 0)
				m->report_unknown = 0;
			else
				return bad(l, vn, "unknown must be 'report' or 'ignore'", NULL);
		} else if (strcmp(key, "min_leak_length") == 0) {
			if ((rc = get_int(l, vn, key, &num)))
				return rc;
			if (num < 1 || num > 4096)
				return bad(l, vn, "min_leak_length must be between 1 and 4096",
				           NULL);
			m->min_leak_length = (size_t)num;
		} else if (strcmp(key, "vars") == 0) {
			vars = vn;
		} else if (strcmp(key, "owners") == 0) {
			rc = parse_owners(l, vn);
		} else {
			char q[SG_TEXT_QUOTE_MAX];
			return sg_error_set(SG_EINVALID, "%s:%u: unknown key %s", l->name,
			                    root->key_lines[i], sg_text_quote(q, key));
		}
		if (rc)
			return rc;
	}
	if (vars && !is_empty(vars) && (rc = parse_vars(l, vars)))
		return rc;
	if (!prefixes_set) {
		size_t n = 0;
		while (sg_default_public_prefixes[n])
			n++;
		m->public_prefixes = calloc(n, sizeof(char *));
		if (!m->public_prefixes)
			return sg_error_set(SG_ENOMEM, "out of memory");
		for (size_t i = 0; i < n; i++, m->npublic_prefixes++)
			if ((rc = dup_str(&m->public_prefixes[i], sg_default_public_prefixes[i])))
				return rc;
	}
	/* A secret with a public prefix is reported by envcheck as a finding,
	 * not refused here, so lint can show every such variable at once. */
	return 0;
}

int sg_manifest_parse(sg_manifest **out, const char *name, const char *text, size_t len)
{
	*out = NULL;
	if (len > MAX_MANIFEST)
		return sg_error_set(SG_ETOOBIG, "%s: over %u bytes", name, MAX_MANIFEST);
	loader l = {.name = name, .m = calloc(1, sizeof(sg_manifest))};
	if (!l.m || !(l.m->path = strdup(name))) {
		free(l.m);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	l.m->report_unknown = 1;
	l.m->min_leak_length = 8;
	sg_yaml_node *root;
	int rc = sg_yaml_parse(&root, name, text, len);
	if (!rc)
		rc = parse_root(&l, root);
	sg_yaml_free(root);
	if (rc) {
		sg_manifest_free(l.m);
		return rc;
	}
	*out = l.m;
	return 0;
}

int sg_manifest_load(sg_manifest **out, const char *path)
{
	*out = NULL;
	char *buf;
	size_t n;
	int rc = sg_file_read(&buf, &n, path, MAX_MANIFEST);
	if (rc < 0)
		return rc;
	rc = sg_manifest_parse(out, path, buf, n);
	free(buf);
	return rc;
}
