/* JSON and TOML into sg_yaml_node trees. Hand-written because platform
 * findings need the line of every value, which the Debian JSON libraries do
 * not keep, and Debian packages no C TOML reader. Only what platform files
 * use is read; every count and depth is capped. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/docnode.h"
#include "secretgate/secretgate.h"

typedef struct reader {
	const char *name;
	const char *p, *end;
	unsigned line;
	size_t nodes;
} reader;

static int fail(const reader *r, const char *why)
{
	return sg_error_set(SG_EINVALID, "%s:%u: %s", r->name, r->line, why);
}

static sg_yaml_node *node_new(reader *r, sg_yaml_type type)
{
	if (++r->nodes > SG_DOC_MAX_NODES)
		return NULL;
	sg_yaml_node *n = calloc(1, sizeof(*n));
	if (n) {
		n->type = type;
		n->line = r->line;
	}
	return n;
}

static int node_error(const reader *r)
{
	if (r->nodes > SG_DOC_MAX_NODES)
		return sg_error_set(SG_ETOOBIG, "%s:%u: more than %u values", r->name, r->line,
		                    SG_DOC_MAX_NODES);
	return sg_error_set(SG_ENOMEM, "out of memory");
}

/* A growable string for decoded text. */
typedef struct text {
	char *data;
	size_t len, cap;
} text;

static int text_put(text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 32;
		while (cap < t->len + n + 1)
			cap *= 2;
		char *d = realloc(t->data, cap);
		if (!d)
			return sg_error_set(SG_ENOMEM, "out of memory");
		t->data = d;
		t->cap = cap;
	}
	memcpy(t->data + t->len, s, n);
	t->len += n;
	t->data[t->len] = '\0';
	return 0;
}

static int put_utf8(text *t, uint32_t cp)
{
	char b[4];
	size_t n;
	if (cp < 0x80)
		b[0] = (char)cp, n = 1;
	else if (cp < 0x800)
		b[0] = (char)(0xC0 | cp >> 6), b[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
	else if (cp < 0x10000)
		b[0] = (char)(0xE0 | cp >> 12), b[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
		b[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
	else
		b[0] = (char)(0xF0 | cp >> 18), b[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), b[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
	return text_put(t, b, n);
}

static int hex_value(const char *s, int digits, uint32_t *out)
{
	*out = 0;
	for (int i = 0; i < digits; i++) {
		char c = s[i];
		int v = c >= '0' && c <= '9'   ? c - '0'
		        : c >= 'a' && c <= 'f' ? c - 'a' + 10
		        : c >= 'A' && c <= 'F' ? c - 'A' + 10
		                               : -1;
		if (v < 0)
			return -1;
		*out = *out << 4 | (uint32_t)v;
	}
	return 0;
}

static sg_yaml_node *scalar_new(reader *r, text *t, int quoted, unsigned line)
{
	sg_yaml_node *n = node_new(r, SG_YAML_SCALAR);
	if (!n)
		return NULL;
	n->line = line;
	n->quoted = quoted;
	if (!t->data && text_put(t, "", 0) < 0) {
		free(n);
		return NULL;
	}
	n->value = t->data;
	n->len = t->len;
	t->data = NULL;
	t->len = t->cap = 0;
	return n;
}

static int has_key(const sg_yaml_node *map, const char *key)
{
	for (size_t i = 0; i < map->count; i++)
		if (strcmp(map->keys[i], key) == 0)
			return 1;
	return 0;
}

/* ---- JSON --------------------------------------------------------------- */

static void json_ws(reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')) {
		if (*r->p == '\n')
			r->line++;
		r->p++;
	}
}

static int json_string(reader *r, text *t)
{
	r->p++; /* opening quote */
	while (r->p < r->end && *r->p != '"') {
		unsigned char c = (unsigned char)*r->p;
		if (c < 0x20)
			return fail(r, "control character in a string");
		if (c != '\\') {
			const char *s = r->p;
			while (r->p < r->end && *r->p != '"' && *r->p != '\\' &&
			       (unsigned char)*r->p >= 0x20)
				r->p++;
			if (text_put(t, s, (size_t)(r->p - s)) < 0)
				return SG_ENOMEM;
			continue;
		}
		if (r->end - r->p < 2)
			break;
		char e = r->p[1];
		const char *simple = strchr("\"\\/bfnrt", e);
		if (simple && e) {
			static const char out[] = "\"\\/\b\f\n\r\t";
			if (text_put(t, &out[simple - "\"\\/bfnrt"], 1) < 0)
				return SG_ENOMEM;
			r->p += 2;
			continue;
		}
		uint32_t cp, lo;
		if (e != 'u' || r->end - r->p < 6 || hex_value(r->p + 2, 4, &cp) < 0)
			return fail(r, "bad escape in a string");
		r->p += 6;
		if (cp >= 0xD800 && cp < 0xDC00) {
			if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u' ||
			    hex_value(r->p + 2, 4, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF)
				return fail(r, "unpaired surrogate in a string");
			r->p += 6;
			cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
		} else if (cp >= 0xDC00 && cp < 0xE000) {
			return fail(r, "unpaired surrogate in a string");
		}
		if (put_utf8(t, cp) < 0)
			return SG_ENOMEM;
	}
	if (r->p >= r->end)
		return fail(r, "unterminated string");
	r->p++;
	return 0;
}

static int json_value(reader *r, sg_yaml_node **out, int depth);

static int json_container(reader *r, sg_yaml_node **out, int depth, int object)
{
	if (depth >= SG_DOC_MAX_DEPTH)
		return sg_error_set(SG_ETOOBIG, "%s:%u: nesting deeper than %d", r->name, r->line,
		                    SG_DOC_MAX_DEPTH);
	sg_yaml_node *n = node_new(r, object ? SG_YAML_MAP : SG_YAML_SEQ);
	if (!n)
		return node_error(r);
	char close = object ? '}' : ']';
	int rc = 0;
	r->p++;
	json_ws(r);
	if (r->p < r->end && *r->p == close) {
		r->p++;
		*out = n;
		return 0;
	}
	for (;;) {
		text key = {0};
		json_ws(r);
		unsigned key_line = r->line;
		if (object) {
			if (r->p >= r->end || *r->p != '"') {
				rc = fail(r, "expected a quoted key");
				break;
			}
			if ((rc = json_string(r, &key)) < 0) {
				free(key.data);
				break;
			}
			if (!key.data && (rc = text_put(&key, "", 0)) < 0)
				break;
			if (has_key(n, key.data)) {
				free(key.data);
				rc = fail(r, "duplicate key");
				break;
			}
			json_ws(r);
			if (r->p >= r->end || *r->p != ':') {
				free(key.data);
				rc = fail(r, "expected ':' after a key");
				break;
			}
			r->p++;
		}
		sg_yaml_node *child = NULL;
		json_ws(r);
		if ((rc = json_value(r, &child, depth + 1)) < 0) {
			free(key.data);
			break;
		}
		if ((rc = sg_yaml_push(n, child, key.data, key_line)) < 0) {
			free(key.data);
			sg_yaml_free(child);
			break;
		}
		json_ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == close) {
			r->p++;
			*out = n;
			return 0;
		}
		rc = fail(r, object ? "expected ',' or '}'" : "expected ',' or ']'");
		break;
	}
	sg_yaml_free(n);
	return rc;
}

static int json_value(reader *r, sg_yaml_node **out, int depth)
{
	json_ws(r);
	if (r->p >= r->end)
		return fail(r, "unexpected end of input");
	unsigned line = r->line;
	text t = {0};
	if (*r->p == '{' || *r->p == '[')
		return json_container(r, out, depth, *r->p == '{');
	if (*r->p == '"') {
		int rc = json_string(r, &t);
		if (rc == 0 && !(*out = scalar_new(r, &t, 1, line)))
			rc = node_error(r);
		free(t.data);
		return rc;
	}
	/* Numbers and literals are kept as written. */
	const char *s = r->p;
	while (r->p < r->end && (strchr("+-.eE", *r->p) || (*r->p >= '0' && *r->p <= '9') ||
	                         (*r->p >= 'a' && *r->p <= 'z')))
		r->p++;
	size_t n = (size_t)(r->p - s);
	int literal = (n == 4 && !memcmp(s, "true", 4)) || (n == 5 && !memcmp(s, "false", 5)) ||
	              (n == 4 && !memcmp(s, "null", 4));
	int number = n > 0 && (s[0] == '-' || (s[0] >= '0' && s[0] <= '9'));
	for (size_t i = 0; number && i < n; i++)
		if (s[i] >= 'a' && s[i] <= 'z' && s[i] != 'e')
			number = 0;
	if (!literal && !number)
		return fail(r, "expected a JSON value");
	int rc = text_put(&t, s, n);
	if (rc == 0 && !(*out = scalar_new(r, &t, 0, line)))
		rc = node_error(r);
	free(t.data);
	return rc;
}

int sg_json_parse(sg_yaml_node **out, const char *name, const char *text_in, size_t len)
{
	*out = NULL;
	if (len > SG_DOC_MAX_SIZE)
		return sg_error_set(SG_ETOOBIG, "%s: over %u bytes", name, SG_DOC_MAX_SIZE);
	reader r = {name, text_in, text_in + len, 1, 0};
	if (len >= 3 && !memcmp(text_in, "\xEF\xBB\xBF", 3))
		r.p += 3;
	int rc = json_value(&r, out, 0);
	if (rc == 0) {
		json_ws(&r);
		if (r.p < r.end) {
			rc = fail(&r, "unexpected text after the JSON value");
			sg_yaml_free(*out);
			*out = NULL;
		}
	}
	return rc;
}

/* ---- TOML --------------------------------------------------------------- */

static int toml_bare(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

static void toml_blank(reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t'))
		r->p++;
}

/* Blanks, comments and newlines (inside arrays). */
static void toml_space(reader *r)
{
	for (;;) {
		toml_blank(r);
		if (r->p < r->end && *r->p == '#')
			while (r->p < r->end && *r->p != '\n')
				r->p++;
		if (r->p < r->end && (*r->p == '\n' || *r->p == '\r')) {
			if (*r->p == '\n')
				r->line++;
			r->p++;
			continue;
		}
		return;
	}
}

/* After a value or header: blanks, a comment, then the end of the line. */
static int toml_eol(reader *r)
{
	toml_blank(r);
	if (r->p < r->end && *r->p == '#')
		while (r->p < r->end && *r->p != '\n')
			r->p++;
	if (r->p < r->end && *r->p == '\r')
		r->p++;
	if (r->p < r->end && *r->p != '\n')
		return fail(r, "expected the end of the line");
	if (r->p < r->end) {
		r->p++;
		r->line++;
	}
	return 0;
}

/* A string starting at its quote: "basic", 'literal', """multi""", '''multi'''. */
static int toml_string(reader *r, text *t)
{
	char q = *r->p;
	int multi = r->end - r->p >= 3 && r->p[1] == q && r->p[2] == q;
	r->p += multi ? 3 : 1;
	if (multi && r->p < r->end && *r->p == '\n') {
		r->p++;
		r->line++;
	} else if (multi && r->end - r->p >= 2 && r->p[0] == '\r' && r->p[1] == '\n') {
		r->p += 2;
		r->line++;
	}
	for (;;) {
		if (r->p >= r->end)
			return fail(r, "unterminated string");
		char c = *r->p;
		if (c == q) {
			if (!multi) {
				r->p++;
				return 0;
			}
			if (r->end - r->p >= 3 && r->p[1] == q && r->p[2] == q) {
				/* up to two quotes may end the content: """a""""" */
				int extra = 0;
				while (extra < 2 && r->end - r->p >= 4 + extra &&
				       r->p[3 + extra] == q)
					extra++;
				if (extra && text_put(t, r->p, (size_t)extra) < 0)
					return SG_ENOMEM;
				r->p += 3 + extra;
				return 0;
			}
		}
		if (c == '\n') {
			if (!multi)
				return fail(r, "newline in a single-line string");
			r->line++;
		}
		if (c == '\\' && q == '"') {
			if (r->end - r->p < 2)
				return fail(r, "unterminated string");
			char e = r->p[1];
			const char *simple = strchr("\"\\bfnrte", e);
			if (simple && e) {
				static const char out[] = "\"\\\b\f\n\r\t\x1b";
				if (text_put(t, &out[simple - "\"\\bfnrte"], 1) < 0)
					return SG_ENOMEM;
				r->p += 2;
				continue;
			}
			if (e == 'u' || e == 'U') {
				int digits = e == 'u' ? 4 : 8;
				uint32_t cp;
				if (r->end - r->p < 2 + digits ||
				    hex_value(r->p + 2, digits, &cp) < 0 || cp > 0x10FFFF ||
				    (cp >= 0xD800 && cp < 0xE000))
					return fail(r, "bad unicode escape");
				if (put_utf8(t, cp) < 0)
					return SG_ENOMEM;
				r->p += 2 + digits;
				continue;
			}
			if (multi && (e == '\n' || e == ' ' || e == '\t' || e == '\r')) {
				/* line-ending backslash: trim up to the next non-blank */
				const char *s = r->p + 1;
				while (s < r->end && (*s == ' ' || *s == '\t'))
					s++;
				if (s < r->end && (*s == '\n' || *s == '\r')) {
					r->p = s;
					while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
					                         *r->p == '\n' || *r->p == '\r')) {
						if (*r->p == '\n')
							r->line++;
						r->p++;
					}
					continue;
				}
			}
			return fail(r, "bad escape in a string");
		}
		if (text_put(t, r->p, 1) < 0)
			return SG_ENOMEM;
		r->p++;
	}
}

/* One key part: bare or quoted. */
static int toml_key_part(reader *r, text *t)
{
	toml_blank(r);
	if (r->p < r->end && (*r->p == '"' || *r->p == '\'')) {
		if (r->end - r->p >= 3 && r->p[1] == *r->p && r->p[2] == *r->p)
			return fail(r, "multi-line strings cannot be keys");
		int rc = toml_string(r, t);
		if (rc == 0 && !t->data)
			rc = text_put(t, "", 0);
		return rc;
	}
	const char *s = r->p;
	while (r->p < r->end && toml_bare(*r->p))
		r->p++;
	if (r->p == s)
		return fail(r, "expected a key");
	return text_put(t, s, (size_t)(r->p - s));
}

#define TOML_MAX_KEY_PARTS 16

typedef struct key_path {
	char *parts[TOML_MAX_KEY_PARTS];
	size_t count;
} key_path;

static void key_path_free(key_path *k)
{
	for (size_t i = 0; i < k->count; i++)
		free(k->parts[i]);
	k->count = 0;
}

static int toml_key(reader *r, key_path *k)
{
	for (;;) {
		text t = {0};
		int rc = toml_key_part(r, &t);
		if (rc < 0) {
			free(t.data);
			return rc;
		}
		if (k->count == TOML_MAX_KEY_PARTS) {
			free(t.data);
			return fail(r, "key with too many dotted parts");
		}
		k->parts[k->count++] = t.data;
		toml_blank(r);
		if (r->p < r->end && *r->p == '.') {
			r->p++;
			continue;
		}
		return 0;
	}
}

/* The map under key in parent, created when absent. For an array of tables
 * the last table of the array is used. */
static int toml_descend(reader *r, sg_yaml_node **out, sg_yaml_node *parent, const char *key)
{
	for (size_t i = 0; i < parent->count; i++) {
		if (strcmp(parent->keys[i], key) != 0)
			continue;
		sg_yaml_node *n = parent->items[i];
		if (n->type == SG_YAML_SEQ && n->count &&
		    n->items[n->count - 1]->type == SG_YAML_MAP)
			n = n->items[n->count - 1];
		if (n->type != SG_YAML_MAP)
			return fail(r, "key already holds a value, not a table");
		*out = n;
		return 0;
	}
	sg_yaml_node *n = node_new(r, SG_YAML_MAP);
	char *k = strdup(key);
	if (!n || !k) {
		free(n);
		free(k);
		return node_error(r);
	}
	int rc = sg_yaml_push(parent, n, k, r->line);
	if (rc < 0) {
		free(n);
		free(k);
		return rc;
	}
	*out = n;
	return 0;
}

static int toml_value(reader *r, sg_yaml_node **out, int depth);

/* key = value into table (dotted keys descend); the line end is the caller's. */
static int toml_assign(reader *r, sg_yaml_node *table, int depth)
{
	key_path k = {0};
	unsigned line = r->line;
	int rc = toml_key(r, &k);
	sg_yaml_node *target = table, *value = NULL;
	for (size_t i = 0; rc == 0 && i + 1 < k.count; i++)
		rc = toml_descend(r, &target, target, k.parts[i]);
	if (rc == 0) {
		toml_blank(r);
		if (r->p >= r->end || *r->p != '=')
			rc = fail(r, "expected '=' after a key");
		else
			r->p++;
	}
	if (rc == 0 && has_key(target, k.parts[k.count - 1]))
		rc = fail(r, "duplicate key");
	if (rc == 0) {
		toml_blank(r);
		rc = toml_value(r, &value, depth + 1);
	}
	if (rc == 0) {
		rc = sg_yaml_push(target, value, k.parts[k.count - 1], line);
		if (rc == 0)
			k.parts[--k.count] = NULL;
		else
			sg_yaml_free(value);
	}
	key_path_free(&k);
	return rc;
}

static int toml_value(reader *r, sg_yaml_node **out, int depth)
{
	if (depth >= SG_DOC_MAX_DEPTH)
		return sg_error_set(SG_ETOOBIG, "%s:%u: nesting deeper than %d", r->name, r->line,
		                    SG_DOC_MAX_DEPTH);
	if (r->p >= r->end)
		return fail(r, "expected a value");
	unsigned line = r->line;
	char c = *r->p;
	text t = {0};
	int rc = 0;
	if (c == '"' || c == '\'') {
		rc = toml_string(r, &t);
		if (rc == 0 && !(*out = scalar_new(r, &t, 1, line)))
			rc = node_error(r);
		free(t.data);
		return rc;
	}
	if (c == '[' || c == '{') {
		int table = c == '{';
		sg_yaml_node *n = node_new(r, table ? SG_YAML_MAP : SG_YAML_SEQ);
		if (!n)
			return node_error(r);
		r->p++;
		for (;;) {
			if (table)
				toml_blank(r);
			else
				toml_space(r);
			if (r->p < r->end && *r->p == (table ? '}' : ']')) {
				r->p++;
				*out = n;
				return 0;
			}
			if (table) {
				rc = toml_assign(r, n, depth);
			} else {
				sg_yaml_node *item = NULL;
				rc = toml_value(r, &item, depth + 1);
				if (rc == 0 && (rc = sg_yaml_push(n, item, NULL, 0)) < 0)
					sg_yaml_free(item);
			}
			if (rc < 0)
				break;
			if (table)
				toml_blank(r);
			else
				toml_space(r);
			if (r->p < r->end && *r->p == ',') {
				r->p++;
				continue;
			}
			if (r->p < r->end && *r->p == (table ? '}' : ']'))
				continue;
			rc = fail(r, table ? "expected ',' or '}' in an inline table"
			                   : "expected ',' or ']' in an array");
			break;
		}
		sg_yaml_free(n);
		return rc;
	}
	/* Numbers, booleans and dates are kept as written. */
	const char *s = r->p;
	while (r->p < r->end && (toml_bare(*r->p) || strchr("+.:", *r->p) ||
	                         (*r->p == ' ' && r->p > s && r->end - r->p > 1 && r->p[1] >= '0' &&
	                          r->p[1] <= '9' && r->p[-1] >= '0' && r->p[-1] <= '9')))
		r->p++;
	if (r->p == s)
		return fail(r, "expected a value");
	rc = text_put(&t, s, (size_t)(r->p - s));
	if (rc == 0 && !(*out = scalar_new(r, &t, 0, line)))
		rc = node_error(r);
	free(t.data);
	return rc;
}

int sg_toml_parse(sg_yaml_node **out, const char *name, const char *text_in, size_t len)
{
	*out = NULL;
	if (len > SG_DOC_MAX_SIZE)
		return sg_error_set(SG_ETOOBIG, "%s: over %u bytes", name, SG_DOC_MAX_SIZE);
	if (memchr(text_in, '\0', len))
		return sg_error_set(SG_EINVALID, "%s: NUL byte in a TOML file", name);
	reader r = {name, text_in, text_in + len, 1, 0};
	if (len >= 3 && !memcmp(text_in, "\xEF\xBB\xBF", 3))
		r.p += 3;
	sg_yaml_node *root = node_new(&r, SG_YAML_MAP);
	if (!root)
		return node_error(&r);
	sg_yaml_node *table = root;
	int rc = 0;
	for (;;) {
		toml_space(&r);
		if (r.p >= r.end)
			break;
		if (*r.p != '[') {
			if ((rc = toml_assign(&r, table, 0)) < 0 || (rc = toml_eol(&r)) < 0)
				break;
			continue;
		}
		int array = r.end - r.p >= 2 && r.p[1] == '[';
		r.p += array ? 2 : 1;
		key_path k = {0};
		if ((rc = toml_key(&r, &k)) < 0) {
			key_path_free(&k);
			break;
		}
		table = root;
		for (size_t i = 0; rc == 0 && i + 1 < k.count; i++)
			rc = toml_descend(&r, &table, table, k.parts[i]);
		const char *last = k.parts[k.count - 1];
		if (rc == 0 && array) {
			sg_yaml_node *seq = NULL;
			for (size_t i = 0; i < table->count; i++)
				if (strcmp(table->keys[i], last) == 0)
					seq = table->items[i];
			if (seq && seq->type != SG_YAML_SEQ)
				rc = fail(&r, "key already holds a value, not an array of tables");
			if (rc == 0 && !seq) {
				seq = node_new(&r, SG_YAML_SEQ);
				char *key = strdup(last);
				if (!seq || !key) {
					free(seq);
					free(key);
					rc = node_error(&r);
				} else if ((rc = sg_yaml_push(table, seq, key, r.line)) < 0) {
					free(seq);
					free(key);
				}
			}
			sg_yaml_node *item = rc == 0 ? node_new(&r, SG_YAML_MAP) : NULL;
			if (rc == 0 && !item)
				rc = node_error(&r);
			if (rc == 0 && (rc = sg_yaml_push(seq, item, NULL, 0)) < 0)
				free(item);
			if (rc == 0)
				table = item;
		} else if (rc == 0) {
			rc = toml_descend(&r, &table, table, last);
		}
		key_path_free(&k);
		if (rc < 0)
			break;
		if (r.p + (array ? 1 : 0) >= r.end || *r.p != ']' || (array && r.p[1] != ']')) {
			rc = fail(&r, array ? "expected ']]' after a table name"
			                    : "expected ']' after a table name");
			break;
		}
		r.p += array ? 2 : 1;
		if ((rc = toml_eol(&r)) < 0)
			break;
	}
	if (rc < 0) {
		sg_yaml_free(root);
		return rc;
	}
	*out = root;
	return 0;
}
