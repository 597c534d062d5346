/* A small recursive-descent JSON validator (depth capped), for typed values
 * of kind json: it only says whether text is one JSON value. And the one JSON
 * string escaper, for the reports and for the leak search's encoded forms. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "util/json.h"

#define JSON_MAX_DEPTH 64

/* JSON: a small recursive-descent validator. */
typedef struct json {
	const char *p, *end;
} json;

static void json_ws(json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int json_value(json *j, int depth);

static int json_string(json *j)
{
	if (j->p >= j->end || *j->p != '"')
		return -1;
	j->p++;
	while (j->p < j->end && *j->p != '"') {
		unsigned char c = (unsigned char)*j->p;
		if (c < 0x20)
			return -1;
		if (c == '\\') {
			j->p++;
			if (j->p >= j->end)
				return -1;
			if (*j->p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (j->p + i >= j->end || !isxdigit((unsigned char)j->p[i]))
						return -1;
				j->p += 4;
			} else if (!strchr("\"\\/bfnrt", *j->p)) {
				return -1;
			}
		}
		j->p++;
	}
	if (j->p >= j->end)
		return -1;
	j->p++;
	return 0;
}

static int json_number(json *j)
{
	const char *s = j->p;
	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p >= j->end || !isdigit((unsigned char)*j->p))
		return -1;
	if (*j->p == '0')
		j->p++;
	else
		while (j->p < j->end && isdigit((unsigned char)*j->p))
			j->p++;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (j->p >= j->end || !isdigit((unsigned char)*j->p))
			return -1;
		while (j->p < j->end && isdigit((unsigned char)*j->p))
			j->p++;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (j->p >= j->end || !isdigit((unsigned char)*j->p))
			return -1;
		while (j->p < j->end && isdigit((unsigned char)*j->p))
			j->p++;
	}
	return j->p > s ? 0 : -1;
}

static int json_literal(json *j, const char *lit)
{
	size_t n = strlen(lit);
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n) != 0)
		return -1;
	j->p += n;
	return 0;
}

static int json_container(json *j, int depth, char close, int object)
{
	j->p++;
	json_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		return 0;
	}
	for (;;) {
		json_ws(j);
		if (object) {
			if (json_string(j))
				return -1;
			json_ws(j);
			if (j->p >= j->end || *j->p != ':')
				return -1;
			j->p++;
		}
		if (json_value(j, depth + 1))
			return -1;
		json_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == close) {
			j->p++;
			return 0;
		}
		return -1;
	}
}

static int json_value(json *j, int depth)
{
	if (depth > JSON_MAX_DEPTH)
		return -1;
	json_ws(j);
	if (j->p >= j->end)
		return -1;
	switch (*j->p) {
	case '{':
		return json_container(j, depth, '}', 1);
	case '[':
		return json_container(j, depth, ']', 0);
	case '"':
		return json_string(j);
	case 't':
		return json_literal(j, "true");
	case 'f':
		return json_literal(j, "false");
	case 'n':
		return json_literal(j, "null");
	default:
		return json_number(j);
	}
}

int sg_json_valid(const char *text, size_t len)
{
	json j = {text, text + len};
	if (json_value(&j, 0))
		return 0;
	json_ws(&j);
	return j.p == j.end;
}

size_t sg_utf8_seq(const unsigned char *p)
{
	if (*p < 0x80)
		return 1;
	/* C0/C1 would be overlong, F5.. beyond U+10FFFF: never valid */
	size_t n = (*p >= 0xC2 && *p <= 0xDF)   ? 2
	           : (*p & 0xF0) == 0xE0        ? 3
	           : (*p >= 0xF0 && *p <= 0xF4) ? 4
	                                        : 0;
	for (size_t k = 1; k < n; k++)
		if ((p[k] & 0xC0) != 0x80)
			return 0;
	/* overlong three-byte forms and UTF-16 surrogates */
	if (n == 3 && ((*p == 0xE0 && p[1] < 0xA0) || (*p == 0xED && p[1] >= 0xA0)))
		return 0;
	if (n == 4 && ((*p == 0xF0 && p[1] < 0x90) || (*p == 0xF4 && p[1] >= 0x90)))
		return 0;
	return n;
}

/* The escaped form of the character at p (before end) into esc, its length
 * in *n; returns how many bytes of the input it stands for. */
static size_t escape_one(const unsigned char *p, const unsigned char *end, unsigned flags,
                         char esc[8], size_t *n)
{
	const char *e = NULL;
	switch (*p) {
	case '"':
		e = "\\\"";
		break;
	case '\\':
		e = "\\\\";
		break;
	case '\n':
		e = "\\n";
		break;
	case '\r':
		e = "\\r";
		break;
	case '\t':
		e = "\\t";
		break;
	case '/':
		if (flags & SG_JSON_SLASH)
			e = "\\/";
		break;
	}
	if (e) {
		*n = strlen(e);
		memcpy(esc, e, *n);
		return 1;
	}
	if (*p < 0x20 || (*p == 0x7f && !(flags & SG_JSON_RAW))) {
		*n = (size_t)snprintf(esc, 8, "\\u%04x", *p);
		return 1;
	}
	if (*p < 0x80 || (flags & SG_JSON_RAW)) {
		esc[0] = (char)*p;
		*n = 1;
		return 1;
	}
	/* pass valid UTF-8 through, replace invalid bytes; never read past end */
	unsigned char q[5] = {0};
	memcpy(q, p, end - p < 4 ? (size_t)(end - p) : 4);
	size_t k = sg_utf8_seq(q);
	/* C1 controls are valid JSON but a terminal may obey them */
	if (k == 2 && q[0] == 0xC2 && q[1] < 0xA0) {
		*n = (size_t)snprintf(esc, 8, "\\u%04x", q[1]);
		return 2;
	}
	if (k) {
		memcpy(esc, q, k);
		*n = k;
		return k;
	}
	memcpy(esc, "\\ufffd", 6);
	*n = 6;
	return 1;
}

size_t sg_json_escape_mem(char *out, const char *s, size_t len, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	size_t o = 0, n;
	while (p < end) {
		p += escape_one(p, end, flags, out + o, &n);
		o += n;
	}
	out[o] = '\0';
	return o;
}

void sg_json_escape(FILE *out, const char *s)
{
	if (!s)
		return;
	const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
	char esc[8];
	size_t n;
	while (p < end) {
		p += escape_one(p, end, 0, esc, &n);
		if (n == 1)
			fputc(esc[0], out);
		else
			fwrite(esc, 1, n, out);
	}
}
