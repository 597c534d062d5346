/* The command-line front end: shared option parsing, rule/config loading and
 * report output for every cmd_* function. Only the CLI prints or exits. */
#ifndef SG_CLI_H
#define SG_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "secretgate/secretgate.h"
#include "secretgate/policy.h"
#include "secretgate/policy_rev.h"

/* Exit codes (DESIGN.md): findings win over errors. */
enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_ERROR = 2 };

#define CLI_MAX_LIST 32

typedef struct cli_options {
	const char *format; /* text (default), json, jsonl, sarif, junit, github, html, gitlab */
	const char *output; /* --output FILE, NULL = stdout */
	int show_secrets;
	int jobs; /* -j N, 0 = number of cores */
	const char *rules[CLI_MAX_LIST];
	size_t nrules;
	const char *config;   /* --config FILE */
	int no_config;        /* --no-config */
	const char *baseline; /* --baseline FILE */
	const char *write_baseline;
	int fail_on_set;
	sg_severity fail_on; /* minimum severity that blocks */
	int fail_on_confidence_set;
	sg_confidence fail_on_confidence; /* minimum confidence that blocks */
	int explain;                      /* scan --explain: print every candidate's verdict */
	int include_unverified;
	sg_confidence min_confidence;
	uint64_t max_file_size; /* 0 = config or default */
	int binary;             /* scan binary files too */
	int quiet;              /* no summary on stderr */
	int color;              /* -1 auto, 0 never, 1 always */
	int no_inline_allow;
	int show_suppressed; /* text: list accepted findings too */
	/* --report FORMAT=FILE: more reports of the same scan */
	struct {
		const char *format, *path;
	} reports[CLI_MAX_LIST];
	size_t nreports;
	const char *sarif_category; /* --sarif-category NAME */
	/* git ranges: the policy read from a revision (config, ignore file,
	 * baseline), used instead of the working tree's; NULL = working tree */
	const sg_policy *policy;
	sg_artefact_options artefacts; /* archives, images, decoding (opt_artefacts.c) */
} cli_options;
#define CLI_OPTIONS_INIT                                                                           \
	{                                                                                          \
		.format = "text", .fail_on = SG_SEV_INFO, .min_confidence = SG_CONF_LOW,           \
		.color = -1                                                                        \
	}

/* Print "secretgate: <what>: <why>" on stderr. */
void cli_error(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print a one-line notice on stderr unless quiet. */
void cli_notice(const cli_options *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print a run's notices (unless quiet), and how many were dropped. */
void cli_print_notices(const cli_options *o, const sg_notices *nt);

/* One option of a command's table (ended by a NULL name): --name, an
 * optional short alias, whether it takes a value, and the function storing
 * it in the command's arguments, which returns 0, or -1 after printing why
 * the value is wrong. */
typedef struct cli_opt {
	const char *name;
	const char *alias;
	int has_value;
	int (*set)(void *args, const char *name, const char *value);
	/* With set NULL: where in args the option stores, an int given `flag`
	 * (no value) or a const char * (value). */
	size_t field;
	int flag;
} cli_opt;
/* Table rows that store without a function: a flag setting an int member
 * of TYPE to V, and a value kept as a const char * member. */
#define CLI_FLAG(NAME, ALIAS, TYPE, MEMBER, V)                                                     \
	{                                                                                          \
		.name = NAME, .alias = ALIAS, .field = offsetof(TYPE, MEMBER), .flag = V           \
	}
#define CLI_VALUE(NAME, ALIAS, TYPE, MEMBER)                                                       \
	{                                                                                          \
		.name = NAME, .alias = ALIAS, .has_value = 1, .field = offsetof(TYPE, MEMBER)      \
	}
/* Match argv[*i] against the table (advancing *i past a value). Returns 1
 * when consumed, 0 when it is none of the table's, -1 on an error (printed). */
int cli_opt_parse(const cli_opt *table, void *args, int argc, char **argv, int *i);
/* A whole number from lo to hi for option opt, or -1 with the error printed. */
int cli_parse_number(size_t *out, const char *opt, const char *v, long lo, long hi);

/* What the env commands and redact share: which environment, manifest,
 * dotenv files and variables (cli_env_table parses them). */
typedef struct cli_env_opts {
	const char *env, *manifest;
	const char *dotenv[CLI_MAX_LIST];
	size_t ndotenv;
	const char *vars[CLI_MAX_LIST];
	size_t nvars;
	int no_environ;
	size_t min_length;
} cli_env_opts;
extern const cli_opt cli_env_table[];

/* A command's option at argv[*i]: its own table (may be NULL), then the env
 * options (when env is not NULL), then the common ones; as cli_opt_parse. */
int cli_parse_option(const cli_opt *own, void *own_args, cli_env_opts *env, cli_options *o,
                     int argc, char **argv, int *i);

/* Try to parse the common option at argv[*i] (advancing *i past a value).
 * Returns 1 when consumed, 0 when argv[*i] is not a common option,
 * -1 on a bad value (error already printed). */
int cli_parse_common(cli_options *o, int argc, char **argv, int *i);
/* The archive and decoding options (opt_artefacts.c); as cli_parse_common. */
int cli_parse_artefacts(cli_options *o, int argc, char **argv, int *i);
/* Help text for the common options, for each command's --help. */
extern const char cli_common_help[];

/* Everything a scan needs: the rule set (defaults + config + --rules) and the config. */
typedef struct cli_context {
	sg_ruleset *rules;
	sg_config *config;
	char *repo_root;     /* working-tree root when inside a git repository, else NULL */
	int config_borrowed; /* config belongs to cli_options.policy */
	/* git modes: what the reports say was scanned (sg_report_options) */
	char repository[512], head[48], forge_url[512];
	const char *forge;
} cli_context;

/* Load config (from --config, else <root>/.secretgate.yml when present) and rules. */
int cli_context_load(cli_context *ctx, const cli_options *o, const char *root);
void cli_context_free(cli_context *ctx);

/* Apply suppressions (config allowlists, .secretgateignore, --baseline, fail-on),
 * write --write-baseline, print the report and summary. Returns the exit code. */
int cli_finish(const cli_options *o, cli_context *ctx, sg_findings *f, sg_scan_stats *stats,
               int had_error);

/* The candidate closest to a mistyped word, or NULL when none is close
 * (suggest.c). */
const char *cli_suggest(const char *word, const char *const *candidates, size_t n);
/* "unknown option" for a command, with the closest --option of its help text
 * or of the shared options when one is close. */
void cli_error_unknown_option(const char *cmd, const char *arg, const char *help);

/* 1 when the main format or a --report is fmt. */
int cli_wants_format(const cli_options *o, const char *fmt);
/* Which policy a git run reads: for a range, from --policy-from or the
 * range's base; for history, from --policy-from; else (policy NULL) the
 * working tree. --config and --baseline paths inside the working tree are
 * read from that revision too; paths outside it from disk. */
typedef struct cli_policy {
	sg_policy_source source;
	char *config_path, *baseline_path; /* repository paths, owned */
	sg_policy *policy;
} cli_policy;
struct sg_git;
int cli_policy_load(cli_policy *p, const cli_options *o, struct sg_git *g,
                    const sg_git_range *range, const char *from);
void cli_policy_free(cli_policy *p);

/* Monotonic milliseconds, for elapsed times in summaries. */
double cli_now_ms(void);
/* The working-tree root of the git repository holding the current directory
 * (with a trailing '/'), or NULL outside a repository. Caller frees. */
char *cli_repo_root(void);

/* The hook shims as the repository holds them (hooks_embedded.c). */
extern const char sg_hook_pre_commit[], sg_hook_pre_push[];

/* After a blocked staged commit or commit range: what to do next, on stderr
 * (blocked.c). */
void cli_print_commit_blocked(const sg_findings *f);
void cli_print_range_blocked(const sg_findings *f);

/* Commands (one file each: src/cli/cmd_<name>.c). */
int cmd_scan(int argc, char **argv);
int cmd_git(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_env(int argc, char **argv);
int cmd_redact(int argc, char **argv);
int cmd_hook(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_help(int argc, char **argv);

#endif
