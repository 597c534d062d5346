/* What a blocked commit or push says to do next: a few lines after the
 * report, naming the files or commits and the commands that fix them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "secretgate/env.h"

static int is_env_file(const sg_finding *x)
{
	return x->rule_id && !strcmp(x->rule_id, SG_ENV_COMMITTED);
}

void cli_print_commit_blocked(const sg_findings *f)
{
	size_t env = 0, secrets = 0;
	const char *env_path = NULL;
	for (size_t i = 0; i < f->count; i++) {
		const sg_finding *x = &f->items[i];
		if (x->suppressed != SG_SUPPRESS_NONE)
			continue;
		if (is_env_file(x)) {
			env++;
			env_path = x->path;
		} else {
			secrets++;
		}
	}
	size_t n = env + secrets;
	fprintf(stderr,
	        "secretgate: commit blocked: %zu finding%s in the staged changes (listed above).\n",
	        n, n == 1 ? "" : "s");
	if (secrets)
		fputs("  - remove the secret from the file, 'git add' it again, and rotate it if "
		      "it was "
		      "ever shared\n"
		      "  - a false alarm? put 'secretgate:allow' in a comment on that line\n",
		      stderr);
	/* a whole file is refused, not a line: an inline allow cannot apply */
	if (env == 1 && env_path)
		fprintf(stderr,
		        "  - %s must not be committed: 'git rm --cached -- %s', add it to "
		        ".gitignore,\n"
		        "    and commit a template without values (.env.example) instead\n",
		        env_path, env_path);
	else if (env)
		fputs("  - local env files must not be committed: 'git rm --cached -- FILE' for "
		      "each, add\n"
		      "    them to .gitignore, and commit a template without values "
		      "(.env.example)\n",
		      stderr);
	if (env)
		fputs("  - a committed file that only looks local? list it under templates: in\n"
		      "    .secretgate/env.yml (see docs/env.md)\n",
		      stderr);
	fputs("  - an emergency? 'git commit --no-verify' skips this check (CI still runs it)\n",
	      stderr);
}

/* "YYYY-MM-DDTHH:MM:SS+HH:MM" as seconds since the epoch (UTC), 0 when unreadable. */
static long long date_seconds(const char *d)
{
	int y, mo, da, h, mi, s, oh = 0, om = 0;
	char sign = '+';
	if (!d ||
	    sscanf(d, "%d-%d-%dT%d:%d:%d%c%d:%d", &y, &mo, &da, &h, &mi, &s, &sign, &oh, &om) < 6)
		return 0;
	/* days from civil (Howard Hinnant's algorithm) */
	y -= mo <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + da - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	long long days = era * 146097 + doe - 719468;
	long long off = (oh * 3600 + om * 60) * (sign == '-' ? -1 : 1);
	return days * 86400 + h * 3600 + mi * 60 + s - off;
}

void cli_print_range_blocked(const sg_findings *f)
{
	const char **commits = calloc(f->count + 1, sizeof(char *));
	size_t nc = 0, n = 0;
	const char *oldest = NULL;
	long long oldest_at = 0;
	for (size_t i = 0; commits && i < f->count; i++) {
		const sg_finding *x = &f->items[i];
		if (x->suppressed != SG_SUPPRESS_NONE)
			continue;
		n++;
		if (!x->commit)
			continue;
		size_t k = 0;
		while (k < nc && strcmp(commits[k], x->commit))
			k++;
		if (k < nc)
			continue;
		commits[nc++] = x->commit;
		long long at = date_seconds(x->date);
		if (!oldest || (at && at < oldest_at)) {
			oldest = x->commit;
			oldest_at = at;
		}
	}
	fprintf(stderr, "secretgate: blocked: %zu finding%s in %zu commit%s (listed above):", n,
	        n == 1 ? "" : "s", nc, nc == 1 ? "" : "s");
	for (size_t k = 0; k < nc && k < 10; k++)
		fprintf(stderr, " %.12s", commits[k]);
	if (nc > 10)
		fprintf(stderr, " and %zu more", nc - 10);
	fputc('\n', stderr);
	if (oldest)
		fprintf(stderr,
		        "  - deleting the secret in a new commit leaves it in these commits: "
		        "rewrite "
		        "them.\n"
		        "    'git rebase -i %.12s~1' ('git rebase -i --root' when it is the first "
		        "commit),\n"
		        "    mark each listed commit 'edit'; at each stop remove the secret, then\n"
		        "    'git add -u && git commit --amend --no-edit && git rebase "
		        "--continue'\n"
		        "  - only the last commit? remove the secret, 'git add -u', 'git commit "
		        "--amend'\n",
		        oldest);
	fputs("  - rotate the secret if it ever left this machine\n"
	      "  - a false alarm? put 'secretgate:allow' in a comment on that line, in the commit "
	      "that adds it\n"
	      "  - an emergency push? 'git push --no-verify' skips the hook (CI still runs it)\n",
	      stderr);
	free(commits);
}
