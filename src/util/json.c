/* A small recursive-descent JSON validator (depth capped), for typed values
 * of kind json. It only says whether text is one JSON value. */
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
