/* The env command's arguments and the helpers its subcommands share
 * (cmd_env.c: check, lint, refs, leaks; cmd_env_init.c, cmd_env_diff.c,
 * cmd_env_snapshot.c: init, diff, snapshot). */
#ifndef SG_CMD_ENV_H
#define SG_CMD_ENV_H

#include "cli.h"
#include "envcheck.h"
#include "env_platform.h"

typedef struct env_args {
	const char *sub;
	const char *env;
	const char *manifest;
	const char *dotenv[CLI_MAX_LIST];
	size_t ndotenv;
	const char *vars[CLI_MAX_LIST];
	size_t nvars;
	int refs, no_unknown, no_environ, list;
	size_t min_length;
	const char **paths;
	size_t npaths;
	const char *against; /* check: the snapshot to compare with */
	int update;          /* check --against: accept the new state */
	int force, diff;     /* init: overwrite; show what would be added */
	const char *from_a[CLI_MAX_LIST], *from_b[CLI_MAX_LIST]; /* diff: values files */
	size_t nfrom_a, nfrom_b;
} env_args;

typedef int (*env_run_fn)(const env_args *a, const cli_options *o, cli_context *ctx,
                          const char *root, sg_findings *f, sg_scan_stats *st);

/* Shared with cmd_env.c. */
int cli_env_read_file(char **out, size_t *len, const char *path, uint64_t max);
int cli_env_load_manifest(sg_manifest **m, const env_args *a, const cli_context *ctx,
                          const char *root, int required);
int cli_env_load_dotenv(sg_dotenv *d, const env_args *a, const sg_manifest *m, const char *root,
                        sg_scan_stats *st);
int cli_env_gather_refs(sg_env_refs *refs, const env_args *a, const char *root, sg_scan_stats *st,
                        const cli_options *o);

/* cmd_env_sources.c: an environment's platform files (and compose env_file
 * files), read and parsed into p. */
int cli_env_load_platform(sg_platform *p, const sg_manifest *m, const char *environment,
                          const char *root, sg_scan_stats *st);
/* check's second stage: platform files, production secrets in dotenv files,
 * --against a snapshot, owners. */
int cli_env_check_more(const env_args *a, const cli_options *o, cli_context *ctx, const char *root,
                       sg_findings *f, sg_scan_stats *st, const sg_manifest *m, sg_dotenv *d,
                       const sg_platform *p);

/* check --against FILE [--update]: drift since the snapshot (cmd_env_snapshot.c). */
int cli_env_against(const env_args *a, const cli_options *o, const char *root, sg_findings *f,
                    const sg_manifest *m, const sg_envcheck_options *eo);

int cli_env_init(const env_args *a, const cli_options *o, cli_context *ctx, const char *root,
                 sg_findings *f, sg_scan_stats *st);
int cli_env_diff(const env_args *a, const cli_options *o, cli_context *ctx, const char *root,
                 sg_findings *f, sg_scan_stats *st);
int cli_env_snapshot(const env_args *a, const cli_options *o, cli_context *ctx, const char *root,
                     sg_findings *f, sg_scan_stats *st);

#endif
