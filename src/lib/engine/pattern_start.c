/* Whether every match of a rule's pattern starts where one of its keywords
 * does. Such a rule is matched anchored at each keyword hit instead of being
 * searched for across the whole window around the hits: the same matches at
 * a fraction of the cost (most hits of a short keyword, "pat" in "path",
 * fail on the next byte). The reading is conservative: any construct it does
 * not know makes the answer no, and no costs only speed. */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include "lib/engine/rule.h"

/* The ']' closing the class opening at p ('['), or NULL. A ']' first is
 * literal; [:name:] nests. */
static const char *class_end(const char *p, const char *end)
{
	p++;
	if (p < end && *p == '^')
		p++;
	if (p < end && *p == ']')
		p++;
	for (; p < end && *p != ']'; p++) {
		if (*p == '\\') {
			p++;
		} else if (*p == '[' && p + 1 < end && p[1] == ':') {
			const char *c = strstr(p + 2, ":]");
			if (!c || c >= end)
				return NULL;
			p = c + 1;
		}
	}
	return p < end ? p : NULL;
}

/* The ')' closing the group opening at p ('('), or NULL when unbalanced. */
static const char *group_end(const char *p, const char *end)
{
	int depth = 0;
	for (; p < end; p++) {
		if (*p == '\\') {
			if (++p >= end)
				return NULL;
		} else if (*p == '[') {
			if (!(p = class_end(p, end)))
				return NULL;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')') {
			if (--depth == 0)
				return p;
		}
	}
	return NULL;
}

/* Where the body of the group at p starts, past its opener: (?: (?| (?<n>
 * (?P<n> (?flags: or a plain (. NULL for lookarounds and anything else. */
static const char *group_body(const char *p, const char *close)
{
	if (p[1] != '?')
		return p + 1;
	const char *q = p + 2;
	if (*q == ':' || *q == '|')
		return q + 1;
	if (*q == 'P')
		q++;
	if (*q == '<' && (isalpha((unsigned char)q[1]) || q[1] == '_')) {
		q++;
		while (q < close && (isalnum((unsigned char)*q) || *q == '_'))
			q++;
		return *q == '>' ? q + 1 : NULL;
	}
	while (q < close && (*q == 'i' || *q == 'm' || *q == 's' || *q == '-'))
		q++;
	return *q == ':' ? q + 1 : NULL;
}

static int is_literal(char c)
{
	return c && (isalnum((unsigned char)c) || strchr("_-/:=@,;!<>#%&~'\" ", c) != NULL);
}

static int seq_starts_with_keyword(const char *p, const char *end, const sg_strlist *kw);

/* Every alternative of the group body [p, close) starts with a keyword. */
static int alternatives_start_with_keyword(const char *p, const char *close, const sg_strlist *kw)
{
	const char *alt = p;
	for (const char *q = p; q <= close; q++) {
		if (q == close || *q == '|') {
			if (!seq_starts_with_keyword(alt, q, kw))
				return 0;
			alt = q + 1;
		} else if (*q == '\\') {
			q++;
		} else if (*q == '(' || *q == '[') {
			/* a nested group or a class: its '|' are not this group's */
			q = *q == '(' ? group_end(q, close) : class_end(q, close);
			if (!q)
				return 0;
		}
	}
	return 1;
}

static int seq_starts_with_keyword(const char *p, const char *end, const sg_strlist *kw)
{
	while (p < end) {
		/* zero-width items in front: \b, ^, \A, \G, option settings, lookarounds */
		if (*p == '^') {
			p++;
			continue;
		}
		if (*p == '\\' && p + 1 < end && strchr("bBAG", p[1])) {
			p += 2;
			continue;
		}
		if (*p == '(') {
			const char *close = group_end(p, end);
			if (!close)
				return 0;
			if (p[1] == '?' && (p[2] == '=' || p[2] == '!' ||
			                    (p[2] == '<' && (p[3] == '=' || p[3] == '!')))) {
				p = close + 1;
				continue;
			}
			const char *opt = p + 1;
			if (*opt == '?') {
				opt++;
				while (opt < close && strchr("ims-", *opt))
					opt++;
				if (opt == close && close > p + 2) {
					p = close + 1; /* (?i): an option setting */
					continue;
				}
			}
			const char *body = group_body(p, close);
			if (!body)
				return 0;
			/* a group that may match nothing is not where the match starts */
			char after = close + 1 < end ? close[1] : '\0';
			if (after == '?' || after == '*' || (after == '{' && close[2] == '0'))
				return 0;
			return alternatives_start_with_keyword(body, close, kw);
		}
		/* a literal run */
		char run[256];
		size_t n = 0;
		while (p < end && n + 1 < sizeof(run)) {
			if (*p == '\\' && p + 1 < end && !isalnum((unsigned char)p[1])) {
				run[n++] = p[1];
				p += 2;
			} else if (is_literal(*p)) {
				run[n++] = *p++;
			} else {
				break;
			}
		}
		/* the last byte before a quantifier may be left out */
		if (n && p < end && strchr("?*+{", *p))
			n--;
		for (size_t k = 0; k < kw->count; k++) {
			size_t kl = strlen(kw->items[k]);
			if (kl && kl <= n && strncasecmp(run, kw->items[k], kl) == 0)
				return 1;
		}
		return 0;
	}
	return 0;
}

int sg_pattern_starts_with_keyword(const char *pattern, const sg_strlist *keywords)
{
	if (!pattern || !keywords->count)
		return 0;
	const char *end = pattern + strlen(pattern);
	return alternatives_start_with_keyword(pattern, end, keywords);
}
