/* Path globs: *, ?, [..] within a path segment, ** across segments.
 * A pattern without '/' matches the last path component anywhere. */
#include <stdlib.h>
#include <string.h>
#include "secretgate/secretgate.h"
#include "util/glob.h"

/* Failed (pattern, subject) positions are remembered, so patterns with
 * many stars cost O(pattern x path) instead of exponential time. */
typedef struct glob_ctx {
	const char *p0, *s0;
	size_t plen, slen;
	unsigned char *failed;
} glob_ctx;

static int class_match(const char **pp, char c)
{
	const char *p = *pp + 1;
	int neg = 0, ok = 0;
	if (*p == '!' || *p == '^') {
		neg = 1;
		p++;
	}
	const char *start = p;
	while (*p && (*p != ']' || p == start)) {
		if (p[1] == '-' && p[2] && p[2] != ']') {
			if (c >= p[0] && c <= p[2])
				ok = 1;
			p += 3;
		} else {
			if (*p == c)
				ok = 1;
			p++;
		}
	}
	if (*p != ']')
		return -1; /* unterminated: treat '[' literally */
	*pp = p + 1;
	return ok != neg;
}

static int match_at(glob_ctx *g, const char *p, const char *s, int depth);

static int match_here(glob_ctx *g, const char *p, const char *s, int depth)
{
	size_t key = (size_t)(p - g->p0) * (g->slen + 1) + (size_t)(s - g->s0);
	if (depth > 200 || (g->failed && g->failed[key]))
		return 0;
	int r = match_at(g, p, s, depth);
	if (!r && g->failed)
		g->failed[key] = 1;
	return r;
}

static int match_at(glob_ctx *g, const char *p, const char *s, int depth)
{
	while (*p) {
		if (p[0] == '*' && p[1] == '*') {
			const char *rest = p + 2;
			if (*rest == '/')
				rest++;
			/* ** matches zero or more whole segments */
			for (const char *t = s;; t++) {
				if ((t == s || t[-1] == '/') && match_here(g, rest, t, depth + 1))
					return 1;
				if (*rest == '\0' || !*t)
					return *rest == '\0';
			}
		}
		if (*p == '*') {
			p++;
			for (const char *t = s;; t++) {
				if (match_here(g, p, t, depth + 1))
					return 1;
				if (!*t || *t == '/')
					return 0;
			}
		}
		if (!*s)
			return 0;
		if (*p == '?') {
			if (*s == '/')
				return 0;
			p++;
			s++;
			continue;
		}
		if (*p == '[') {
			const char *q = p;
			int r = class_match(&q, *s);
			if (r >= 0) {
				if (!r || *s == '/')
					return 0;
				p = q;
				s++;
				continue;
			}
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
	return *s == '\0';
}

/* Only a pattern with two stars or more can fail the same way twice (one
 * star tries each subject position once): the others need no memo. */
static int glob_run(const char *pattern, const char *subject, int stars)
{
	glob_ctx g = {pattern, subject, strlen(pattern), strlen(subject), NULL};
	size_t cells = (g.plen + 1) * (g.slen + 1);
	if (stars > 1 && cells <= (1u << 22))
		g.failed = calloc(cells, 1);
	int r = match_here(&g, pattern, subject, 0);
	free(g.failed);
	return r;
}

int sg_glob_match(const char *pattern, const char *path)
{
	char buf[1024];
	if (!pattern || !path)
		return 0;
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	if (pattern[0] == '/')
		pattern++;
	size_t n = strlen(pattern);
	if (n == 0 || n + 3 >= sizeof(buf))
		return 0;
	/* two stars, a slash, a star and a literal name ending (the form of
	 * "any file named *.jks"): the base name must end with the literal,
	 * since the last star matches within one component. The general
	 * matcher decides the same, with a memo allocated per call. */
	if (!strncmp(pattern, "**/*", 4) && !strpbrk(pattern + 4, "*?[/")) {
		const char *base = strrchr(path, '/'), *tail = pattern + 4;
		base = base ? base + 1 : path;
		size_t bl = strlen(base), tl = n - 4;
		return bl >= tl && !memcmp(base + bl - tl, tail, tl);
	}
	/* a star and a literal ending, no slash ("*.js.map"): any component of
	 * the path (shorter than the general matcher's buffer) that ends so */
	if (pattern[0] == '*' && !strpbrk(pattern + 1, "*?[/")) {
		size_t tl = n - 1;
		for (const char *t = path;;) {
			const char *end = strchr(t, '/');
			size_t len = end ? (size_t)(end - t) : strlen(t);
			if (len < sizeof(buf) && len >= tl &&
			    !memcmp(t + len - tl, pattern + 1, tl))
				return 1;
			if (!end)
				return 0;
			t = end + 1;
		}
	}
	int stars = 0;
	for (const char *c = pattern; *c; c++)
		stars += *c == '*';
	if (!strchr(pattern, '/')) {
		/* no slash: matches any one path component, file or directory */
		for (const char *t = path; *t;) {
			const char *end = strchr(t, '/');
			size_t len = end ? (size_t)(end - t) : strlen(t);
			if (len < sizeof(buf)) {
				memcpy(buf, t, len);
				buf[len] = '\0';
				if (glob_run(pattern, buf, stars))
					return 1;
			}
			if (!end)
				break;
			t = end + 1;
		}
		return 0;
	}
	if (pattern[n - 1] == '/') {
		/* "dir/" is the directory and everything below it */
		memcpy(buf, pattern, n);
		memcpy(buf + n, "**", 3);
		return glob_run(buf, path, stars + 2);
	}
	return glob_run(pattern, path, stars);
}
