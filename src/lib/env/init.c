/* env_init: gather names, values and declarations, then infer. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "secretgate/env.h"
#include "secretgate/env_init.h"
#include "util/strv.h"

#define INIT_MAX_VALUES 8 /* distinct values kept per variable for inference */
#define INIT_MAX_VARS   5000
#define INIT_MAX_SEEN   4 /* places listed in a variable's comment */
#define INIT_MAX_ENUM   4 /* an enum is a few values */

typedef struct init_var {
	char *name;
	char *values[INIT_MAX_VALUES];
	size_t nvalues;
	int rule_match;  /* a value matched a secret rule */
	int secret_hint; /* a platform file treats it as a secret */
	char **required; /* environments */
	size_t nrequired;
	int in_template, in_code, in_dotenv; /* where the name was seen */
	char *seen[INIT_MAX_SEEN];
	size_t nseen, more_seen;
} init_var;

typedef struct init_env {
	char *name;
	int production;
	char **files, **platform;
	size_t nfiles, nplatform;
} init_env;

struct sg_env_init {
	init_var *vars;
	size_t nvars, cap;
	init_env *envs;
	size_t nenvs;
	sg_scanner *scanner;
};

static int nomem(void)
{
	return sg_error_set(SG_ENOMEM, "out of memory");
}

int sg_env_init_new(sg_env_init **out, const sg_ruleset *rules)
{
	*out = calloc(1, sizeof(sg_env_init));
	if (!*out)
		return nomem();
	sg_scan_options so = SG_SCAN_OPTIONS_INIT;
	if (rules && sg_scanner_new(&(*out)->scanner, rules, &so) < 0) {
		free(*out);
		*out = NULL;
		return SG_ENOMEM;
	}
	return 0;
}

void sg_env_init_free(sg_env_init *ini)
{
	if (!ini)
		return;
	for (size_t i = 0; i < ini->nvars; i++) {
		init_var *v = &ini->vars[i];
		free(v->name);
		for (size_t k = 0; k < v->nvalues; k++) {
			/* values may be secrets: do not leave them in freed memory */
			memset(v->values[k], 0, strlen(v->values[k]));
			free(v->values[k]);
		}
		sg_strv_free(v->required, v->nrequired);
		for (size_t k = 0; k < v->nseen; k++)
			free(v->seen[k]);
	}
	free(ini->vars);
	for (size_t i = 0; i < ini->nenvs; i++) {
		free(ini->envs[i].name);
		sg_strv_free(ini->envs[i].files, ini->envs[i].nfiles);
		sg_strv_free(ini->envs[i].platform, ini->envs[i].nplatform);
	}
	free(ini->envs);
	sg_scanner_free(ini->scanner);
	free(ini);
}

size_t sg_env_init_count(const sg_env_init *ini)
{
	return ini->nvars;
}

static init_env *env_get(sg_env_init *ini, const char *name)
{
	for (size_t i = 0; i < ini->nenvs; i++)
		if (!strcmp(ini->envs[i].name, name))
			return &ini->envs[i];
	return NULL;
}

int sg_env_init_environment(sg_env_init *ini, const char *name, int production)
{
	init_env *e = env_get(ini, name);
	if (e) {
		e->production |= production;
		return 0;
	}
	init_env *ne = realloc(ini->envs, (ini->nenvs + 1) * sizeof(*ne));
	if (!ne)
		return nomem();
	ini->envs = ne;
	e = &ne[ini->nenvs];
	memset(e, 0, sizeof(*e));
	if (!(e->name = strdup(name)))
		return nomem();
	e->production = production;
	ini->nenvs++;
	return 0;
}

int sg_env_init_environment_file(sg_env_init *ini, const char *environment, const char *file)
{
	int rc = sg_env_init_environment(ini, environment, 0);
	init_env *e = env_get(ini, environment);
	return rc ? rc : sg_strv_add_unique(&e->files, &e->nfiles, file);
}

int sg_env_init_environment_platform(sg_env_init *ini, const char *environment, const char *file)
{
	int rc = sg_env_init_environment(ini, environment, 0);
	init_env *e = env_get(ini, environment);
	return rc ? rc : sg_strv_add_unique(&e->platform, &e->nplatform, file);
}

static int valid_name(const char *s)
{
	if (!(isalpha((unsigned char)*s) || *s == '_'))
		return 0;
	for (s++; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '_'))
			return 0;
	return 1;
}

static init_var *var_get(sg_env_init *ini, const char *name, int *rc)
{
	*rc = 0;
	for (size_t i = 0; i < ini->nvars; i++)
		if (!strcmp(ini->vars[i].name, name))
			return &ini->vars[i];
	if (!valid_name(name) || sg_env_ref_is_runtime(name))
		return NULL;
	if (ini->nvars >= INIT_MAX_VARS) {
		*rc = sg_error_set(SG_ETOOBIG, "more than %d variables", INIT_MAX_VARS);
		return NULL;
	}
	if (ini->nvars == ini->cap) {
		size_t cap = ini->cap ? ini->cap * 2 : 32;
		init_var *nv = realloc(ini->vars, cap * sizeof(*nv));
		if (!nv) {
			*rc = nomem();
			return NULL;
		}
		ini->vars = nv;
		ini->cap = cap;
	}
	init_var *v = &ini->vars[ini->nvars];
	memset(v, 0, sizeof(*v));
	if (!(v->name = strdup(name))) {
		*rc = nomem();
		return NULL;
	}
	ini->nvars++;
	return v;
}

static int seen_at(init_var *v, const char *path, uint32_t line)
{
	char at[300];
	if (line)
		snprintf(at, sizeof(at), "%s:%u", path, line);
	else
		snprintf(at, sizeof(at), "%s", path);
	/* comments hold paths: nothing that could end the comment line */
	for (char *c = at; *c; c++)
		if ((unsigned char)*c < 0x20)
			*c = '?';
	for (size_t i = 0; i < v->nseen; i++)
		if (!strcmp(v->seen[i], at))
			return 0;
	if (v->nseen == INIT_MAX_SEEN) {
		v->more_seen++;
		return 0;
	}
	return (v->seen[v->nseen++] = strdup(at)) ? 0 : nomem();
}

static int add_value(sg_env_init *ini, init_var *v, const char *value)
{
	size_t len = strlen(value);
	if (!len || sg_envcheck_is_placeholder(value, len) || sg_platform_value_is_reference(value))
		return 0;
	if (!v->rule_match && sg_platform_secret_rule(ini->scanner, value, len))
		v->rule_match = 1;
	for (size_t i = 0; i < v->nvalues; i++)
		if (!strcmp(v->values[i], value))
			return 0;
	if (v->nvalues == INIT_MAX_VALUES)
		return 0;
	return (v->values[v->nvalues++] = strdup(value)) ? 0 : nomem();
}

int sg_env_init_ref(sg_env_init *ini, const char *name, const char *path, uint32_t line)
{
	int rc;
	init_var *v = var_get(ini, name, &rc);
	/* ${{ secrets.X }} in a workflow or ${X} in compose is platform plumbing */
	if (v && !sg_platform_kind(path, NULL, 0))
		v->in_code = 1;
	return v ? seen_at(v, path, line) : rc;
}

static int add_dotenv(sg_env_init *ini, const sg_dotenv *d, int template)
{
	for (size_t i = 0; i < d->count; i++) {
		int rc;
		init_var *v = var_get(ini, d->items[i].key, &rc);
		if (!v && rc)
			return rc;
		if (v && template)
			v->in_template = 1;
		else if (v)
			v->in_dotenv = 1;
		if (v && ((rc = seen_at(v, d->items[i].path, d->items[i].line)) ||
		          (rc = add_value(ini, v, d->items[i].value))))
			return rc;
	}
	return 0;
}

int sg_env_init_template(sg_env_init *ini, const sg_dotenv *d)
{
	return add_dotenv(ini, d, 1);
}

int sg_env_init_dotenv(sg_env_init *ini, const sg_dotenv *d)
{
	return add_dotenv(ini, d, 0);
}

static int require_in(init_var *v, const char *environment)
{
	return sg_strv_add_unique(&v->required, &v->nrequired, environment);
}

int sg_env_init_platform(sg_env_init *ini, const char *environment, const sg_platform *p)
{
	for (size_t i = 0; i < p->count; i++) {
		const sg_platform_var *pv = &p->items[i];
		int rc;
		if (pv->runtime)
			continue; /* the pod's own name is no configuration */
		init_var *v = var_get(ini, pv->name, &rc);
		if (!v) {
			if (rc)
				return rc;
			continue;
		}
		if ((rc = seen_at(v, pv->path, pv->line)))
			return rc;
		if (pv->value && (rc = add_value(ini, v, pv->value)))
			return rc;
		if (pv->secret_hint)
			v->secret_hint = 1;
		/* A workflow job's environment names an environment of its own. */
		const char *env = pv->environment ? pv->environment : environment;
		if (!env || pv->local_file)
			continue;
		if (pv->environment && !env_get(ini, pv->environment))
			continue;
		if ((rc = require_in(v, env)))
			return rc;
	}
	return 0;
}

/* ---- inference --------------------------------------------------------------- */

static int has_word(const char *name, const char *word)
{
	/* word as an _-separated part of the name */
	size_t n = strlen(word);
	for (const char *s = name; (s = strcasestr(s, word)); s++) {
		int start = s == name || s[-1] == '_';
		int end = s[n] == '\0' || s[n] == '_';
		if (start && end)
			return 1;
	}
	return 0;
}

static int secret_name(const char *name)
{
	static const char *const words[] = {
	        "SECRET",  "TOKEN",      "PASSWORD",    "PASSWD", "PASS", "PWD",  "APIKEY",
	        "PRIVATE", "CREDENTIAL", "CREDENTIALS", "DSN",    "SALT", "AUTH", NULL};
	for (size_t i = 0; words[i]; i++)
		if (has_word(name, words[i]))
			return 1;
	size_t n = strlen(name);
	/* API_KEY, STRIPE_SECRET_KEY, AWS_ACCESS_KEY_ID is not (an id) */
	return n > 4 && !strcasecmp(name + n - 4, "_KEY") && !strcasestr(name, "PUBLISHABLE") &&
	       !strcasestr(name, "PUBLIC");
}

static int url_with_password(const char *v)
{
	const char *s = strstr(v, "://");
	if (!s)
		return 0;
	s += 3;
	size_t n = strcspn(s, "/?#");
	const char *at = memrchr(s, '@', n);
	return at && memchr(s, ':', (size_t)(at - s)) && at - s > 1;
}

static int is_secret(const init_var *v)
{
	if (sg_manifest_is_public(NULL, v->name))
		return 0; /* a public name is never a secret; env check says if it holds one */
	if (v->rule_match || v->secret_hint || secret_name(v->name))
		return 1;
	for (size_t i = 0; i < v->nvalues; i++)
		if (url_with_password(v->values[i]))
			return 1;
	return 0;
}

static int all(const init_var *v, int (*pred)(const char *))
{
	if (!v->nvalues)
		return 0;
	for (size_t i = 0; i < v->nvalues; i++)
		if (!pred(v->values[i]))
			return 0;
	return 1;
}

static int is_bool_word(const char *s)
{
	static const char *const w[] = {"true", "false", "yes", "no", "on", "off", NULL};
	for (size_t i = 0; w[i]; i++)
		if (!strcasecmp(s, w[i]))
			return 1;
	return 0;
}

static int is_bool(const char *s)
{
	return is_bool_word(s) || !strcmp(s, "0") || !strcmp(s, "1");
}

static int is_int(const char *s)
{
	if (*s == '-')
		s++;
	if (!*s || strlen(s) > 18)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

static int is_port(const char *s)
{
	return is_int(s) && atol(s) >= 1 && atol(s) <= 65535;
}

static int is_url(const char *s)
{
	const char *p = strstr(s, "://");
	if (!p || p == s || strpbrk(s, " \t\n"))
		return 0;
	for (const char *c = s; c < p; c++)
		if (!(isalnum((unsigned char)*c) || *c == '+' || *c == '-' || *c == '.'))
			return 0;
	return isalpha((unsigned char)*s) && p[3] != '\0';
}

static int is_email(const char *s)
{
	const char *at = strchr(s, '@');
	return at && at > s && !strchr(at + 1, '@') && strchr(at + 1, '.') && !strpbrk(s, " <>") &&
	       at[1] != '.' && s[strlen(s) - 1] != '.';
}

static int is_duration(const char *s)
{
	uint64_t ms;
	/* a bare number is an int, not a duration */
	return !is_int(s) && sg_duration_parse(&ms, s) == 0;
}

static int is_enum_word(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > 20)
		return 0;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '_' || *s == '-' || *s == '.'))
			return 0;
	return 1;
}

static int enum_name(const char *name)
{
	static const char *const words[] = {"LEVEL",  "MODE",    "ENV",      "ENVIRONMENT", "STAGE",
	                                    "DRIVER", "BACKEND", "PROVIDER", "STRATEGY",    NULL};
	for (size_t i = 0; words[i]; i++)
		if (has_word(name, words[i]))
			return 1;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ---- writing --------------------------------------------------------------- */

typedef struct buf {
	char *data;
	size_t len, cap;
	int failed;
} buf;

static void put(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(buf *b, const char *fmt, ...)
{
	if (b->failed)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || b->len + (size_t)n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (n >= 0 && cap < b->len + (size_t)n + 1)
			cap *= 2;
		char *d = n < 0 ? NULL : realloc(b->data, cap);
		if (!d) {
			b->failed = 1;
			return;
		}
		b->data = d;
		b->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* A YAML single-quoted scalar. */
static void put_quoted(buf *b, const char *s)
{
	put(b, "'");
	for (; *s; s++) {
		if (*s == '\'')
			put(b, "''");
		else if ((unsigned char)*s < 0x20)
			put(b, " ");
		else
			put(b, "%c", *s);
	}
	put(b, "'");
}

static void put_list(buf *b, char **v, size_t n)
{
	put(b, "[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			put(b, ", ");
		put_quoted(b, v[i]);
	}
	put(b, "]");
}

static void write_env(buf *b, const init_env *e, const char *prefix)
{
	put(b, "%s  %s: {", prefix, e->name);
	int first = 1;
	if (e->production) {
		put(b, " production: true");
		first = 0;
	}
	if (e->nfiles) {
		put(b, "%s files: ", first ? "" : ",");
		put_list(b, e->files, e->nfiles);
		first = 0;
	}
	if (e->nplatform) {
		put(b, "%s platform: ", first ? "" : ",");
		put_list(b, e->platform, e->nplatform);
		first = 0;
	}
	put(b, "%s}\n", first ? "" : " ");
}

static void write_var(buf *b, const sg_env_init *ini, const init_var *v, const char *prefix)
{
	int secret = is_secret(v);
	put(b, "%s  %s:", prefix, v->name);
	if (v->nseen) {
		put(b, "  # ");
		for (size_t i = 0; i < v->nseen; i++)
			put(b, "%s%s", i ? ", " : "", v->seen[i]);
		if (v->more_seen)
			put(b, " and %zu more", v->more_seen);
	}
	put(b, "\n");
	size_t lines = 0;
	if (all(v, is_bool) && (v->nvalues > 1 || is_bool_word(v->values[0]))) {
		put(b, "%s    type: bool\n", prefix);
		lines++;
	} else if (all(v, is_port) && has_word(v->name, "PORT")) {
		put(b, "%s    type: port\n", prefix);
		lines++;
	} else if (all(v, is_int)) {
		put(b, "%s    type: int\n", prefix);
		lines++;
	} else if (all(v, is_url)) {
		char *schemes[INIT_MAX_VALUES];
		size_t n = 0;
		for (size_t i = 0; i < v->nvalues; i++) {
			size_t len = (size_t)(strstr(v->values[i], "://") - v->values[i]);
			char *sch = strndup(v->values[i], len);
			if (!sch) {
				((buf *)b)->failed = 1;
				break;
			}
			for (char *c = sch; *c; c++)
				*c = (char)tolower((unsigned char)*c);
			int dup = 0;
			for (size_t k = 0; k < n; k++)
				dup |= !strcmp(schemes[k], sch);
			if (dup)
				free(sch);
			else
				schemes[n++] = sch;
		}
		qsort(schemes, n, sizeof(char *), cmp_str);
		put(b, "%s    type: url\n%s    schemes: ", prefix, prefix);
		put_list(b, schemes, n);
		put(b, "\n");
		for (size_t k = 0; k < n; k++)
			free(schemes[k]);
		lines++;
	} else if (all(v, is_email)) {
		put(b, "%s    type: email\n", prefix);
		lines++;
	} else if (all(v, is_duration)) {
		put(b, "%s    type: duration\n", prefix);
		lines++;
	} else if (!secret && v->nvalues >= 2 && v->nvalues <= INIT_MAX_ENUM &&
	           all(v, is_enum_word) && enum_name(v->name)) {
		char *sorted[INIT_MAX_VALUES];
		memcpy(sorted, v->values, v->nvalues * sizeof(char *));
		qsort(sorted, v->nvalues, sizeof(char *), cmp_str);
		put(b, "%s    type: enum\n%s    values: ", prefix, prefix);
		put_list(b, sorted, v->nvalues);
		put(b, "\n");
		lines++;
	}
	if (secret) {
		put(b, "%s    secret: true\n", prefix);
		lines++;
	}
	size_t nreq = 0;
	char *req[64];
	for (size_t i = 0; i < v->nrequired && nreq < 64; i++)
		for (size_t k = 0; k < ini->nenvs; k++)
			if (!strcmp(ini->envs[k].name, v->required[i]))
				req[nreq++] = v->required[i];
	if (nreq) {
		put(b, "%s    required: ", prefix);
		put_list(b, req, nreq);
		put(b, "\n");
		lines++;
	}
	if (!v->in_template && !v->in_code && !v->in_dotenv) {
		/* only platform or CI files set it: a template need not list it */
		put(b, "%s    platform_only: true\n", prefix);
		lines++;
	}
	if (!lines) {
		/* nothing inferred: drop the trailing newline, declare a plain string */
		b->len--;
		put(b, "\n%s    type: string\n", prefix);
	}
}

int sg_env_init_write(const sg_env_init *ini, char **out, size_t *len)
{
	buf b = {0};
	put(&b, "# Draft manifest written by `secretgate env init` from what this repository "
	        "says.\n"
	        "# Review it: types come from the values seen, secrets from names and values,\n"
	        "# required environments from platform files. No secret value is copied here.\n"
	        "version: 1\n\nenvironments:\n");
	for (size_t i = 0; i < ini->nenvs; i++)
		write_env(&b, &ini->envs[i], "");
	put(&b, "\nvars:\n");
	const init_var **sorted = calloc(ini->nvars + 1, sizeof(*sorted));
	if (!sorted) {
		free(b.data);
		return nomem();
	}
	for (size_t i = 0; i < ini->nvars; i++)
		sorted[i] = &ini->vars[i];
	for (size_t i = 0; i < ini->nvars; i++)
		for (size_t k = i + 1; k < ini->nvars; k++)
			if (strcmp(sorted[k]->name, sorted[i]->name) < 0) {
				const init_var *t = sorted[i];
				sorted[i] = sorted[k];
				sorted[k] = t;
			}
	for (size_t i = 0; i < ini->nvars; i++)
		write_var(&b, ini, sorted[i], "");
	if (!ini->nvars) {
		b.len -= strlen("vars:\n");
		put(&b, "vars: {}\n");
	}
	free(sorted);
	if (b.failed) {
		free(b.data);
		return nomem();
	}
	*out = b.data;
	*len = b.len;
	return 0;
}

int sg_env_init_additions(const sg_env_init *ini, const sg_manifest *existing, char **out,
                          size_t *len)
{
	buf b = {0};
	size_t envs = 0, vars = 0;
	for (size_t i = 0; i < ini->nenvs; i++)
		if (!sg_manifest_environment(existing, ini->envs[i].name)) {
			if (!envs++)
				put(&b, "+ environments:\n");
			write_env(&b, &ini->envs[i], "+ ");
		}
	for (size_t i = 0; i < ini->nvars; i++)
		if (!sg_manifest_var(existing, ini->vars[i].name)) {
			if (!vars++)
				put(&b, "+ vars:\n");
			write_var(&b, ini, &ini->vars[i], "+ ");
		}
	if (b.failed) {
		free(b.data);
		return nomem();
	}
	*out = b.data;
	*len = b.len;
	return 0;
}
