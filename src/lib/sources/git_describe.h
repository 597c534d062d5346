/* git_describe: what a git scan covered, for reports: HEAD, the repository's
 * name without credentials, links to a known forge, and whether each
 * finding's secret is still in HEAD's tree. */
#ifndef SG_GIT_DESCRIBE_H
#define SG_GIT_DESCRIBE_H

#include "secretgate/git.h"

typedef struct sg_git_info {
	char head[48];        /* HEAD's commit id, "" on an unborn branch */
	char repository[512]; /* origin's URL without user or password, else the directory's name */
	char forge_url[512];  /* https://host/owner/name of a known forge, else "" */
	const char *forge;    /* "github", "gitlab" or NULL */
} sg_git_info;

/* Fill *out (never fails; what cannot be found stays empty). */
void sg_git_describe(sg_git *g, sg_git_info *out);

/* The https base and forge kind of a remote URL (https, ssh or scp-like) on
 * github.com or a GitLab host; 0 when it is neither. The URL's user and
 * password are never copied. */
int sg_forge_from_url(char *out, size_t n, const char **forge, const char *url);
/* url without its user[:password]@ part. */
void sg_url_strip_credentials(char *out, size_t n, const char *url);

/* Set at_head on every finding with a blob: present when HEAD's tree holds
 * that blob, or a finding with the same fingerprint, or the file at the
 * finding's path at HEAD still contains the secret; gone otherwise. */
int sg_git_mark_at_head(sg_git *g, sg_findings *f);

#endif
