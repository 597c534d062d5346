/* Leaked secret values: the values of an environment's secret variables
 * and their encodings (base64 at each alignment, base64url, URL and JSON
 * escaping) searched for in files. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "lib/env/env_internal.h"
#include "util/json.h"

typedef struct needle {
	char *bytes;
	size_t len;
	const char *encoding;
	size_t var; /* index into names */
} needle;

struct sg_leakset {
	size_t min_length;
	char **names;
	size_t nnames;
	needle *needles;
	size_t count, cap;
	size_t max_len;
};

int sg_leakset_new(sg_leakset **out, size_t min_length)
{
	*out = calloc(1, sizeof(sg_leakset));
	if (!*out)
		return sg_error_set(SG_ENOMEM, "out of memory");
	(*out)->min_length = min_length ? min_length : 8;
	return 0;
}

void sg_leakset_free(sg_leakset *ls)
{
	if (!ls)
		return;
	for (size_t i = 0; i < ls->count; i++)
		free(ls->needles[i].bytes);
	for (size_t i = 0; i < ls->nnames; i++)
		free(ls->names[i]);
	free(ls->names);
	free(ls->needles);
	free(ls);
}

size_t sg_leakset_count(const sg_leakset *ls)
{
	return ls ? ls->nnames : 0;
}

size_t sg_leakset_max_needle(const sg_leakset *ls)
{
	return ls ? ls->max_len : 0;
}

/* Takes ownership of bytes. Identical needles are kept once. */
static int add_needle(sg_leakset *ls, char *bytes, size_t len, const char *encoding, size_t var)
{
	if (len < ls->min_length / 2 + 1) {
		free(bytes);
		return 0;
	}
	for (size_t i = 0; i < ls->count; i++)
		if (ls->needles[i].len == len && memcmp(ls->needles[i].bytes, bytes, len) == 0) {
			free(bytes);
			return 0;
		}
	if (ls->count == ls->cap) {
		size_t cap = ls->cap ? ls->cap * 2 : 16;
		needle *n = realloc(ls->needles, cap * sizeof(*n));
		if (!n) {
			free(bytes);
			return sg_error_set(SG_ENOMEM, "out of memory");
		}
		ls->needles = n;
		ls->cap = cap;
	}
	ls->needles[ls->count++] = (needle){bytes, len, encoding, var};
	if (len > ls->max_len)
		ls->max_len = len;
	return 0;
}

/* The base64 characters that depend only on value when it sits `shift` bytes
 * into a base64-encoded stream: a value inside a larger encoded blob is found
 * whatever its alignment. */
static char *base64_aligned(const char *value, size_t len, int shift, const char *alphabet,
                            size_t *out_len)
{
	size_t total = len + (size_t)shift;
	unsigned char *in = calloc(total + 2, 1);
	char *enc = malloc((total + 2) / 3 * 4 + 1);
	if (!in || !enc) {
		free(in);
		free(enc);
		return NULL;
	}
	memcpy(in + shift, value, len);
	size_t o = 0;
	for (size_t i = 0; i < total; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		enc[o++] = alphabet[(v >> 18) & 63];
		enc[o++] = alphabet[(v >> 12) & 63];
		enc[o++] = alphabet[(v >> 6) & 63];
		enc[o++] = alphabet[v & 63];
	}
	free(in);
	size_t first = ((size_t)shift * 8 + 5) / 6;
	size_t last = total * 8 / 6;
	if (last <= first) {
		free(enc);
		*out_len = 0;
		return NULL;
	}
	memmove(enc, enc + first, last - first);
	*out_len = last - first;
	enc[*out_len] = '\0';
	return enc;
}

static char *url_encode(const char *s, size_t len, const char *hex, size_t *out_len)
{
	char *o = malloc(len * 3 + 1);
	if (!o)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isalnum(c) || strchr("-_.~", c))
			o[n++] = (char)c;
		else {
			o[n++] = '%';
			o[n++] = hex[c >> 4];
			o[n++] = hex[c & 15];
		}
	}
	o[n] = '\0';
	*out_len = n;
	return o;
}

/* The value as a JSON encoder writes it: bytes from 0x7f up untouched, '/'
 * escaped or not (PHP escapes it, most others do not). */
static char *json_escape(const char *s, size_t len, int escape_slash, size_t *out_len)
{
	char *o = malloc(len * 6 + 1);
	if (o)
		*out_len = sg_json_escape_mem(o, s, len,
		                              SG_JSON_RAW | (escape_slash ? SG_JSON_SLASH : 0));
	return o;
}

int sg_leakset_add(sg_leakset *ls, const char *name, const char *value, size_t len)
{
	static const char b64[] =
	        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	static const char b64url[] =
	        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	if (len < ls->min_length)
		return 1;
	char **names = realloc(ls->names, (ls->nnames + 1) * sizeof(char *));
	if (!names)
		return sg_error_set(SG_ENOMEM, "out of memory");
	ls->names = names;
	if (!(ls->names[ls->nnames] = strdup(name)))
		return sg_error_set(SG_ENOMEM, "out of memory");
	size_t var = ls->nnames++;
	int rc = 0;
	size_t n;
	char *b;
	if (!(b = strndup(value, len)))
		return sg_error_set(SG_ENOMEM, "out of memory");
	rc = add_needle(ls, b, len, "plain", var);
	for (int shift = 0; shift < 3 && rc == 0; shift++) {
		if ((b = base64_aligned(value, len, shift, b64, &n)))
			rc = add_needle(ls, b, n, "base64", var);
		if (rc == 0 && (b = base64_aligned(value, len, shift, b64url, &n)))
			rc = add_needle(ls, b, n, "base64url", var);
	}
	if (rc == 0 && (b = url_encode(value, len, "0123456789ABCDEF", &n)))
		rc = add_needle(ls, b, n, "url-encoded", var);
	if (rc == 0 && (b = url_encode(value, len, "0123456789abcdef", &n)))
		rc = add_needle(ls, b, n, "url-encoded", var);
	if (rc == 0 && (b = json_escape(value, len, 0, &n)))
		rc = add_needle(ls, b, n, "json-escaped", var);
	if (rc == 0 && (b = json_escape(value, len, 1, &n)))
		rc = add_needle(ls, b, n, "json-escaped", var);
	return rc;
}

int sg_leakset_each(const sg_leakset *ls, const char *data, size_t len, sg_leak_fn fn, void *ctx)
{
	for (size_t i = 0; ls && i < ls->count; i++) {
		const needle *nd = &ls->needles[i];
		const char *p = data, *end = data + len;
		while (p < end) {
			const char *hit = memmem(p, (size_t)(end - p), nd->bytes, nd->len);
			if (!hit)
				break;
			int rc = fn(ctx, ls->names[nd->var], nd->encoding, (size_t)(hit - data),
			            nd->len);
			if (rc)
				return rc;
			p = hit + nd->len;
		}
	}
	return 0;
}

typedef struct leak_scan {
	const char *data;
	const sg_origin *origin;
	sg_findings *out;
} leak_scan;

static int leak_found(void *ctx, const char *name, const char *encoding, size_t offset,
                      size_t length)
{
	leak_scan *s = ctx;
	uint32_t line = 1, column = 1;
	for (size_t i = 0; i < offset; i++) {
		if (s->data[i] == '\n') {
			line++;
			column = 1;
		} else {
			column++;
		}
	}
	char key[512];
	snprintf(key, sizeof(key), "%s:%s", name, encoding);
	const char *path = s->origin && s->origin->path ? s->origin->path : "(input)";
	size_t before = s->out->count;
	int rc = sg_env_emit(s->out, SG_ENV_LEAK, path, line, column, key,
	                     "value of secret variable %s found in %s (%s)", name, path, encoding);
	if (rc == 0 && s->out->count > before) {
		sg_finding *f = &s->out->items[s->out->count - 1];
		f->offset = offset;
		f->end_column = column + (uint32_t)length;
		if (s->origin) {
			/* Git origins carry their commit details into the finding. */
			const char *src[] = {s->origin->commit, s->origin->author, s->origin->email,
			                     s->origin->date, s->origin->blob};
			char **dst[] = {&f->commit, &f->author, &f->email, &f->date, &f->blob};
			for (size_t k = 0; k < 5; k++)
				if (src[k] && !(*dst[k] = strdup(src[k])))
					return sg_error_set(SG_ENOMEM, "out of memory");
		}
	}
	return rc;
}

int sg_leakset_scan(const sg_leakset *ls, const char *data, size_t len, const sg_origin *origin,
                    sg_findings *out)
{
	leak_scan s = {data, origin, out};
	return sg_leakset_each(ls, data, len, leak_found, &s);
}

int sg_leakset_add_environment(sg_leakset *ls, size_t *skipped, const char **skipped_name,
                               const sg_manifest *m, const sg_envcheck_options *o)
{
	*skipped = 0;
	if (skipped_name)
		*skipped_name = NULL;
	for (size_t i = 0; m && i < m->nvars; i++) {
		const sg_var *v = &m->vars[i];
		const char *value, *path;
		uint32_t line;
		if (!v->secret || !sg_envcheck_lookup(&value, &path, &line, o, v->name) || !*value)
			continue;
		int rc = sg_leakset_add(ls, v->name, value, strlen(value));
		if (rc < 0)
			return rc;
		if (rc == 1) {
			if (skipped_name && !*skipped)
				*skipped_name = v->name;
			(*skipped)++;
		}
	}
	return 0;
}
