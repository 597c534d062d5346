/* "Did you mean": the known word closest to a mistyped command or option. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"

#define SUGGEST_MAX_WORD 64

/* Edits (insert, delete, substitute, swap two neighbours) from a to b. */
static size_t distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > SUGGEST_MAX_WORD || m > SUGGEST_MAX_WORD)
		return SIZE_MAX;
	size_t d[SUGGEST_MAX_WORD + 1][SUGGEST_MAX_WORD + 1];
	for (size_t i = 0; i <= n; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= n; i++)
		for (size_t j = 1; j <= m; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[n][m];
}

const char *cli_suggest(const char *word, const char *const *candidates, size_t n)
{
	const char *best = NULL;
	size_t best_d = SIZE_MAX, len = strlen(word);
	/* a third of the word, at least one edit, at most three */
	size_t limit = len / 3 < 1 ? 1 : len / 3 > 3 ? 3 : len / 3;
	for (size_t i = 0; i < n; i++) {
		size_t d = distance(word, candidates[i]);
		if (d <= limit && d < best_d) {
			best = candidates[i];
			best_d = d;
		}
	}
	return best;
}

/* The "--name" words of a help text, into words[] (pointers into buf). */
static size_t long_options(char *buf, size_t bufsize, const char **words, size_t max,
                           const char *help)
{
	size_t n = 0, used = 0;
	for (const char *p = help; (p = strstr(p, "--")) && n < max;) {
		size_t k = 2 + strspn(p + 2, "abcdefghijklmnopqrstuvwxyz0123456789-");
		if (k > 3 && used + k + 1 <= bufsize &&
		    (p == help || p[-1] == ' ' || p[-1] == '[')) {
			memcpy(buf + used, p, k);
			buf[used + k] = '\0';
			words[n++] = buf + used;
			used += k + 1;
		}
		p += k;
	}
	return n;
}

void cli_error_unknown_option(const char *cmd, const char *arg, const char *help)
{
	char buf[4096], word[SUGGEST_MAX_WORD + 1];
	const char *words[160];
	size_t n = long_options(buf, sizeof(buf), words, 160, help);
	/* the shared options too, after the command's own */
	size_t used = 0;
	for (size_t i = 0; i < n; i++)
		used += strlen(words[i]) + 1;
	if (used < sizeof(buf))
		n += long_options(buf + used, sizeof(buf) - used, words + n, 160 - n,
		                  cli_common_help);
	snprintf(word, sizeof(word), "%.*s", (int)strcspn(arg, "="), arg);
	const char *s = arg[0] == '-' && arg[1] == '-' ? cli_suggest(word, words, n) : NULL;
	if (s)
		cli_error("usage", "unknown option '%s' for %s (did you mean '%s'?)", arg, cmd, s);
	else
		cli_error("usage", "unknown option '%s' for %s (see 'secretgate %s --help')", arg,
		          cmd, cmd);
}
