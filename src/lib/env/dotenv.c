/* dotenv: parse .env files into key/value entries. The rules (see docs/env.md)
 * follow what dotenv, docker compose and python-dotenv agree on. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "secretgate/dotenv.h"
#include "util/safe_text.h"
#include "util/file.h"
#include "util/grow.h"

#define DEFAULT_MAX_FILE  (1u << 20)
#define DEFAULT_MAX_VALUE (64u << 10)
#define DEFAULT_MAX_ENTRY 10000u
/* ${A} inside the default of ${B:-${A}} nests; a cap keeps hostile files finite. */
#define MAX_EXPAND_DEPTH 8

/* A growable byte buffer with a hard cap. */
typedef struct strbuf {
	char *data;
	size_t len, cap, max;
} strbuf;

static int strbuf_put(strbuf *b, const char *s, size_t n)
{
	if (b->len + n > b->max)
		return SG_ETOOBIG;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *d = realloc(b->data, cap);
		if (!d)
			return SG_ENOMEM;
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

static int strbuf_putc(strbuf *b, char c)
{
	return strbuf_put(b, &c, 1);
}

void sg_dotenv_init(sg_dotenv *env)
{
	memset(env, 0, sizeof(*env));
}

void sg_dotenv_free(sg_dotenv *env)
{
	for (size_t i = 0; i < env->count; i++) {
		free(env->items[i].key);
		free(env->items[i].value);
		free(env->items[i].path);
	}
	for (size_t i = 0; i < env->nduplicates; i++) {
		free(env->duplicates[i].key);
		free(env->duplicates[i].path);
		free(env->duplicates[i].first_path);
	}
	free(env->items);
	free(env->duplicates);
	sg_dotenv_init(env);
}

const sg_dotenv_entry *sg_dotenv_get(const sg_dotenv *env, const char *key)
{
	for (size_t i = 0; i < env->count; i++)
		if (strcmp(env->items[i].key, key) == 0)
			return &env->items[i];
	return NULL;
}

/* Parser state over one file. */
typedef struct parser {
	sg_dotenv *env;
	const char *name;
	const char *p, *end;
	uint32_t line;
	const sg_dotenv_options *opts;
	size_t max_value, max_entries;
} parser;

static int syntax(const parser *ps, uint32_t line, const char *why)
{
	return sg_error_set(SG_EINVALID, "%s:%u: %s", ps->name, line, why);
}

static int is_key_start(int c)
{
	return isalpha(c) || c == '_';
}

static int is_key_char(int c)
{
	return isalnum(c) || c == '_' || c == '.';
}

static void skip_blanks(parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t'))
		ps->p++;
}

/* At a line end (LF or CRLF) or the end of the file. */
static int at_eol(const parser *ps)
{
	return ps->p >= ps->end || *ps->p == '\n' ||
	       (*ps->p == '\r' && (ps->p + 1 >= ps->end || ps->p[1] == '\n'));
}

static void skip_eol(parser *ps)
{
	if (ps->p < ps->end && *ps->p == '\r')
		ps->p++;
	if (ps->p < ps->end && *ps->p == '\n') {
		ps->p++;
		ps->line++;
	}
}

static void skip_rest_of_line(parser *ps)
{
	while (ps->p < ps->end && *ps->p != '\n')
		ps->p++;
	skip_eol(ps);
}

static const char *lookup(const parser *ps, const char *name)
{
	const sg_dotenv_entry *e = sg_dotenv_get(ps->env, name);
	if (e)
		return e->value;
	if (ps->opts->lookup)
		return ps->opts->lookup(ps->opts->lookup_ctx, name);
	return NULL;
}

static int expand(const parser *ps, strbuf *out, const char *s, size_t n, int depth);

/* Expand one ${...} whose body (between the braces) is s[0..n). */
static int expand_ref(const parser *ps, strbuf *out, const char *s, size_t n, int depth)
{
	size_t k = 0;
	if (n == 0 || !is_key_start((unsigned char)s[0]))
		return syntax(ps, ps->line, "bad variable reference in ${...}");
	while (k < n && is_key_char((unsigned char)s[k]))
		k++;
	char name[256];
	if (k >= sizeof(name))
		return syntax(ps, ps->line, "variable name in ${...} too long");
	memcpy(name, s, k);
	name[k] = '\0';
	const char *val = lookup(ps, name);
	if (k == n)
		return val ? strbuf_put(out, val, strlen(val)) : 0;
	/* ${VAR:-default}: default when unset or empty; ${VAR-default}: only when unset. */
	int colon = s[k] == ':';
	if (colon)
		k++;
	if (k >= n || s[k] != '-')
		return syntax(ps, ps->line,
		              "unsupported ${...} form (use ${VAR} or ${VAR:-default})");
	k++;
	int use_default = colon ? (!val || !*val) : !val;
	if (!use_default)
		return strbuf_put(out, val, strlen(val));
	return expand(ps, out, s + k, n - k, depth + 1);
}

/* Copy s to out, replacing ${...} references. A backslash-escaped dollar was
 * already turned into a marker byte by the caller, so every '$' here is live. */
static int expand(const parser *ps, strbuf *out, const char *s, size_t n, int depth)
{
	if (depth > MAX_EXPAND_DEPTH)
		return syntax(ps, ps->line, "${...} nested too deeply");
	size_t i = 0;
	while (i < n) {
		if (s[i] == '$' && i + 1 < n && s[i + 1] == '{') {
			/* Find the matching brace, allowing nested ${...} in defaults. */
			size_t j = i + 2;
			int level = 1;
			while (j < n && level > 0) {
				if (s[j] == '{')
					level++;
				else if (s[j] == '}')
					level--;
				if (level > 0)
					j++;
			}
			if (j >= n)
				return syntax(ps, ps->line, "unterminated ${ in value");
			int rc = expand_ref(ps, out, s + i + 2, j - i - 2, depth);
			if (rc)
				return rc;
			i = j + 1;
			continue;
		}
		int rc = strbuf_putc(out, s[i] == '\x01' ? '$' : s[i]);
		if (rc)
			return rc;
		i++;
	}
	return 0;
}

/* Record key=value (value in raw, already unquoted) at line. */
/* A later assignment of the key takes over its entry (the old path, when it
 * is still wanted, is the caller's). */
static void entry_set(sg_dotenv_entry *e, strbuf *val, char *path, uint32_t line, int quote)
{
	free(e->value);
	e->value = val->data;
	e->value_len = val->len;
	e->path = path;
	e->line = line;
	e->quote = quote;
}

static int assign(parser *ps, const char *key, strbuf *raw, int quote, uint32_t line)
{
	strbuf val = {NULL, 0, 0, ps->max_value};
	int rc;
	if (ps->opts->expand && quote != '\'' && quote != '`') {
		rc = expand(ps, &val, raw->data ? raw->data : "", raw->len, 0);
	} else {
		rc = strbuf_put(&val, raw->data ? raw->data : "", raw->len);
		for (size_t i = 0; rc == 0 && i < val.len; i++)
			if (val.data[i] == '\x01')
				val.data[i] = '$';
	}
	if (rc == 0 && !val.data)
		rc = strbuf_put(&val, "", 0);
	if (rc) {
		free(val.data);
		if (rc == SG_ETOOBIG)
			return sg_error_set(rc, "%s:%u: value of %s over %zu bytes", ps->name, line,
			                    sg_text_name(key), ps->max_value);
		return rc == SG_ENOMEM ? sg_error_set(rc, "out of memory") : rc;
	}

	sg_dotenv *env = ps->env;
	sg_dotenv_entry *e = (sg_dotenv_entry *)sg_dotenv_get(env, key);
	char *path = strdup(ps->name);
	if (!path) {
		free(val.data);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	/* A key set again in a later file is layering (.env.local over .env), not a
	 * mistake; only a repeat inside one file is recorded as a duplicate. */
	if (e && strcmp(e->path, ps->name) != 0) {
		free(e->path);
		entry_set(e, &val, path, line, quote);
		return 0;
	}
	if (e) {
		if (env->nduplicates == env->duplicates_cap &&
		    SG_GROW(env->duplicates, env->duplicates_cap, 8) < 0)
			goto nomem;
		sg_dotenv_duplicate *d = &env->duplicates[env->nduplicates];
		d->key = strdup(key);
		d->path = strdup(ps->name);
		if (!d->key || !d->path) {
			free(d->key);
			free(d->path);
			goto nomem;
		}
		d->line = line;
		d->first_path = e->path;
		d->first_line = e->line;
		env->nduplicates++;
		entry_set(e, &val, path, line, quote);
		return 0;
	}
	if (env->count >= ps->max_entries) {
		free(val.data);
		free(path);
		return sg_error_set(SG_ETOOBIG, "%s:%u: more than %zu variables", ps->name, line,
		                    ps->max_entries);
	}
	if (env->count == env->cap && SG_GROW(env->items, env->cap, 16) < 0)
		goto nomem;
	e = &env->items[env->count];
	e->key = strdup(key);
	if (!e->key)
		goto nomem;
	e->value = NULL;
	entry_set(e, &val, path, line, quote);
	env->count++;
	return 0;
nomem:
	free(val.data);
	free(path);
	return sg_error_set(SG_ENOMEM, "out of memory");
}

/* A quoted value starting at the opening quote; may span lines. */
static int parse_quoted(parser *ps, strbuf *raw, uint32_t start_line)
{
	char q = *ps->p++;
	for (;;) {
		if (ps->p >= ps->end)
			return sg_error_set(SG_EINVALID, "%s:%u: unterminated %c-quoted value",
			                    ps->name, start_line, q);
		char c = *ps->p;
		if (c == q) {
			ps->p++;
			return 0;
		}
		int rc;
		if (c == '\r' && ps->p + 1 < ps->end && ps->p[1] == '\n') {
			/* CRLF inside a multi-line value is stored as LF. */
			ps->p++;
			continue;
		}
		if (c == '\n')
			ps->line++;
		if (q == '"' && c == '\\' && ps->p + 1 < ps->end) {
			char e = ps->p[1];
			char out;
			switch (e) {
			case 'n':
				out = '\n';
				break;
			case 'r':
				out = '\r';
				break;
			case 't':
				out = '\t';
				break;
			case '\\':
			case '"':
			case '\'':
			case '`':
				out = e;
				break;
			case '$':
				out = '\x01'; /* a literal dollar: never expanded */
				break;
			default:
				/* Unknown escapes stay as written (Windows paths survive). */
				if ((rc = strbuf_putc(raw, '\\')))
					return rc;
				ps->p++;
				continue;
			}
			if ((rc = strbuf_putc(raw, out)))
				return rc;
			ps->p += 2;
			continue;
		}
		if ((rc = strbuf_putc(raw, c == '$' && q != '"' ? '\x01' : c)))
			return rc;
		ps->p++;
	}
}

/* An unquoted value: up to the line end or a '#' preceded by whitespace. */
static int parse_unquoted(parser *ps, strbuf *raw)
{
	const char *start = ps->p;
	while (!at_eol(ps)) {
		if (*ps->p == '#' && ps->p > start && (ps->p[-1] == ' ' || ps->p[-1] == '\t'))
			break;
		ps->p++;
	}
	const char *stop = ps->p;
	while (stop > start && (stop[-1] == ' ' || stop[-1] == '\t'))
		stop--;
	int rc = strbuf_put(raw, start, (size_t)(stop - start));
	skip_rest_of_line(ps);
	return rc;
}

static int parse_line(parser *ps)
{
	uint32_t line = ps->line;
	skip_blanks(ps);
	if (at_eol(ps) || *ps->p == '#') {
		skip_rest_of_line(ps);
		return 0;
	}
	if ((size_t)(ps->end - ps->p) > 7 && memcmp(ps->p, "export", 6) == 0 &&
	    (ps->p[6] == ' ' || ps->p[6] == '\t')) {
		ps->p += 6;
		skip_blanks(ps);
	}
	if (ps->p >= ps->end || !is_key_start((unsigned char)*ps->p))
		return syntax(ps, line, "expected KEY=value");
	char key[256];
	size_t k = 0;
	while (ps->p < ps->end && is_key_char((unsigned char)*ps->p)) {
		if (k + 1 >= sizeof(key))
			return syntax(ps, line, "variable name too long");
		key[k++] = *ps->p++;
	}
	key[k] = '\0';
	skip_blanks(ps);
	if (ps->p >= ps->end || *ps->p != '=') {
		if (at_eol(ps))
			return sg_error_set(SG_EINVALID,
			                    "%s:%u: a line without '=' (want KEY=value; the "
			                    "line is not shown, it may be a secret)",
			                    ps->name, line);
		return syntax(ps, line, "invalid character in variable name");
	}
	ps->p++;
	skip_blanks(ps);

	strbuf raw = {NULL, 0, 0, ps->max_value};
	int quote = 0, rc;
	if (ps->p < ps->end && (*ps->p == '"' || *ps->p == '\'' || *ps->p == '`')) {
		quote = *ps->p;
		rc = parse_quoted(ps, &raw, line);
		if (rc == 0) {
			skip_blanks(ps);
			if (!at_eol(ps) && *ps->p != '#')
				rc = syntax(ps, ps->line, "unexpected text after closing quote");
			else
				skip_rest_of_line(ps);
		}
	} else {
		rc = parse_unquoted(ps, &raw);
	}
	if (rc == SG_ETOOBIG)
		rc = sg_error_set(rc, "%s:%u: value of %s over %zu bytes", ps->name, line,
		                  sg_text_name(key), ps->max_value);
	else if (rc == SG_ENOMEM)
		rc = sg_error_set(rc, "out of memory");
	if (rc == 0)
		rc = assign(ps, key, &raw, quote, line);
	free(raw.data);
	return rc;
}

int sg_dotenv_parse(sg_dotenv *env, const char *name, const char *text, size_t len,
                    const sg_dotenv_options *opts)
{
	sg_dotenv_options defaults = SG_DOTENV_OPTIONS_INIT;
	if (!opts)
		opts = &defaults;
	size_t max_file = opts->max_file_size ? opts->max_file_size : DEFAULT_MAX_FILE;
	if (len > max_file)
		return sg_error_set(SG_ETOOBIG, "%s: over %zu bytes", name, max_file);
	parser ps = {env,
	             name,
	             text,
	             text + len,
	             1,
	             opts,
	             opts->max_value ? opts->max_value : DEFAULT_MAX_VALUE,
	             opts->max_entries ? opts->max_entries : DEFAULT_MAX_ENTRY};
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		ps.p += 3;
	for (const char *z = ps.p; z < ps.end; z++)
		if (*z == '\0')
			return sg_error_set(SG_EINVALID, "%s: binary content (NUL byte)", name);
	while (ps.p < ps.end) {
		int rc = parse_line(&ps);
		if (rc)
			return rc;
	}
	return 0;
}

int sg_dotenv_load(sg_dotenv *env, const char *path, const sg_dotenv_options *opts)
{
	sg_dotenv_options defaults = SG_DOTENV_OPTIONS_INIT;
	if (!opts)
		opts = &defaults;
	size_t max_file = opts->max_file_size ? opts->max_file_size : DEFAULT_MAX_FILE;
	char *buf;
	size_t n;
	int rc = sg_file_read(&buf, &n, path, max_file);
	if (rc < 0)
		return rc;
	rc = sg_dotenv_parse(env, path, buf, n, opts);
	free(buf);
	return rc;
}
