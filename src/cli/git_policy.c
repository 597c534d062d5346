/* Which policy a git range or sweep reads: the options' paths told apart
 * into repository paths (read from the revision) and files outside the
 * working tree (read from disk), then the policy read from the revision. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "secretgate/git.h"

int cli_policy_load(cli_policy *p, const cli_options *o, sg_git *g, const sg_git_range *range,
                    const char *from)
{
	char cwd[PATH_MAX];
	const char *workdir = sg_git_workdir(g);
	int r = 0;
	memset(p, 0, sizeof(*p));
	sg_policy_source src = SG_POLICY_SOURCE_INIT;
	/* a relative option path is relative to where the command was started */
	const char *here = getcwd(cwd, sizeof(cwd)) ? cwd : NULL;
	if (o->config) {
		r = sg_policy_repo_path(&p->config_path, workdir, here, o->config);
		src.config = p->config_path;
		src.config_file = r == 1 ? NULL : o->config;
	} else if (o->no_config) {
		src.config = NULL;
	}
	if (r >= 0 && o->baseline) {
		r = sg_policy_repo_path(&p->baseline_path, workdir, here, o->baseline);
		src.baseline = p->baseline_path;
		src.baseline_on_disk = r != 1;
	}
	p->source = src;
	if (r >= 0)
		r = range  ? sg_policy_for_range(&p->policy, g, range, from, &p->source)
		    : from ? sg_policy_read(&p->policy, g, from, &p->source)
		           : 0;
	if (r < 0) {
		/* the range's revisions are resolved here first: a bad one is
		 * reported as the scan would report it */
		cli_error(r == SG_ENOTFOUND && !strstr(sg_error_last(), "not in revision")
		                  ? "git"
		                  : "policy",
		          "%s", sg_error_last());
		cli_policy_free(p);
		return r;
	}
	return 0;
}

void cli_policy_free(cli_policy *p)
{
	sg_policy_free(p->policy);
	free(p->config_path);
	free(p->baseline_path);
	memset(p, 0, sizeof(*p));
}
