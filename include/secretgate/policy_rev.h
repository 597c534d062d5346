/* Policy read from a revision. In range and CI modes, .secretgate.yml, the
 * ignore file and the baseline come from a commit (the range's base), read as
 * blobs through libgit2, never from the working tree, so a pull request
 * cannot set its own policy; what a range changes in those files, and the
 * inline allow markers it adds, are reported as findings of their own. */
#ifndef SG_POLICY_REV_H
#define SG_POLICY_REV_H

#include "secretgate/secretgate.h"
#include "secretgate/policy.h"
#include "secretgate/git.h"
#include "secretgate/suppress.h"

/* Where the policy files are. Repository paths are relative to the root. */
typedef struct sg_policy_source {
	const char *config;      /* repository path of the config; NULL: none (--no-config) */
	const char *config_file; /* a config on disk outside the repository (wins over config) */
	const char *baseline;    /* repository path named by --baseline; NULL: the config's */
	int baseline_on_disk;    /* --baseline names a file outside the repository: the caller
	                            reads it, and the config's baseline does not apply */
} sg_policy_source;
#define SG_POLICY_SOURCE_INIT                                                                      \
	{                                                                                          \
		.config = ".secretgate.yml"                                                        \
	}

/* One policy file as a revision holds it. */
typedef struct sg_policy_file {
	char *path;    /* repository path; NULL when the policy names no such file */
	int present;   /* the revision holds it */
	char blob[41]; /* its blob id when present, else "" */
	char *text;    /* its bytes (NUL-terminated) when present */
	size_t len;
} sg_policy_file;

typedef struct sg_policy {
	char commit[41]; /* the commit it was read from */
	char *author, *email, *date;
	sg_config *config; /* never NULL: the defaults when the revision has no config */
	sg_policy_file config_file, ignore_file, baseline_file;
	sg_fingerprint_set ignore, baseline;
	char *error; /* a range's head only: why one of its files could not be read */
} sg_policy;

/* Read the policy a commit holds (rev: any revision naming a commit). A
 * missing config is the defaults, a missing ignore file or config baseline
 * is empty; a missing --baseline, a file that does not parse or is over its
 * cap is an error naming the revision. */
int sg_policy_read(sg_policy **out, sg_git *g, const char *rev, const sg_policy_source *src);
void sg_policy_free(sg_policy *p);

/* The policy for a range: read from `from` when given, else from the range's
 * base, the one commit its revision arguments exclude (A in A..B, the merge
 * base in A...B, REV in ^REV). *out is NULL when there is no such commit (a
 * revision alone, several exclusions): the caller reads the working tree. */
int sg_policy_for_range(sg_policy **out, sg_git *g, const sg_git_range *range, const char *from,
                        const sg_policy_source *src);

/* Append a "policy-changed" finding for each change the range's tips (the
 * commits its revision arguments include) make to the policy files since
 * they left `in_force`'s commit (their merge base with it, or that commit
 * itself when it is an ancestor): blocking when the change can let a finding through (a rule
 * disabled, a path or pattern allowed, fail_on raised, a smaller size cap,
 * fingerprints added to the ignore file or the baseline, custom rules
 * changed), a warning otherwise. */
int sg_policy_changes(sg_findings *out, sg_git *g, const sg_policy *in_force,
                      const sg_git_range *range, const sg_policy_source *src);

/* Append an "allow-added" finding for each finding an inline marker accepts
 * (they are new in the range: a range reports only added lines); a warning
 * unless `block`. */
int sg_policy_list_allows(sg_findings *f, int block);

/* When path (absolute, or relative to cwd) lies inside the working tree
 * workdir, set *rel to its repository path (caller frees) and return 1;
 * return 0 when it lies outside or workdir is NULL. Lexical: ".." is
 * resolved, links are not followed. */
int sg_policy_repo_path(char **rel, const char *workdir, const char *cwd, const char *path);

#endif
