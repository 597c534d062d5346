/* envcheck: the configuration gate. Checks an environment's values against
 * the manifest, finds where code reads variables, finds secret values leaked
 * into files (in several encodings). The redactor that masks them in log
 * streams is secretgate/redact.h. Problems
 * are sg_findings with rule ids "env-*"; no field ever holds a secret value. */
#ifndef SG_ENVCHECK_H
#define SG_ENVCHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "secretgate/secretgate.h"
#include "secretgate/dotenv.h"
#include "secretgate/manifest.h"

/* Rule ids of env findings. */
#define SG_ENV_MISSING          "env-missing"
#define SG_ENV_MALFORMED        "env-malformed"
#define SG_ENV_PLACEHOLDER      "env-placeholder"
#define SG_ENV_DEPRECATED       "env-deprecated"
#define SG_ENV_UNKNOWN          "env-unknown"
#define SG_ENV_DUPLICATE        "env-duplicate"
#define SG_ENV_PUBLIC_SECRET    "env-public-secret"
#define SG_ENV_TEMPLATE_DRIFT   "env-template-drift"
#define SG_ENV_UNUSED           "env-unused"
#define SG_ENV_UNDECLARED       "env-undeclared"
#define SG_ENV_LEAK             "env-leak"
#define SG_ENV_COMMITTED        "env-committed"
#define SG_ENV_PLATFORM_MISSING "env-platform-missing"
#define SG_ENV_PLATFORM_SECRET  "env-platform-secret"
#define SG_ENV_DEV_SECRET       "env-production-secret-in-file"
#define SG_ENV_DIFF_MISSING     "env-diff-missing"
#define SG_ENV_DIFF_TYPE        "env-diff-type"
#define SG_ENV_SHARED_SECRET    "env-shared-secret"
#define SG_ENV_DRIFT            "env-drift"

/* ---- single values ------------------------------------------------------ */

/* Check value against the variable's type, bounds and pattern for an
 * environment. Returns 0 when valid, 1 when malformed (why says which rule
 * was broken, without quoting the value), <0 on error. */
int sg_envcheck_value(char *why, size_t why_size, const sg_var *v, const char *environment,
                      const char *value, size_t len);
/* 1 when the value is a placeholder (changeme, TODO, xxx, <...>, your-...). */
int sg_envcheck_is_placeholder(const char *value, size_t len);
/* Parse a duration like "250ms", "1h30m", "2d" into milliseconds; 0 or <0. */
int sg_duration_parse(uint64_t *ms, const char *text);

/* ---- an environment's values -------------------------------------------- */

typedef struct sg_envcheck_options {
	const char *environment;
	const sg_dotenv *dotenv; /* layered dotenv files; may be NULL */
	char *const *environ;    /* process environment "K=V"; wins over dotenv; may be NULL */
	int report_unknown;      /* -1: as the manifest says, 0: off, 1: on */
	const sg_ruleset *rules; /* finalized; public values are tested against it; may be NULL */
} sg_envcheck_options;
#define SG_ENVCHECK_OPTIONS_INIT                                                                   \
	{                                                                                          \
		.report_unknown = -1                                                               \
	}

/* Where a variable's value comes from: process environment first, then the
 * dotenv layers. Returns 1 and fills the out-params when set, 0 when not.
 * *path is "(environment)" for the process environment. */
int sg_envcheck_lookup(const char **value, const char **path, uint32_t *line,
                       const sg_envcheck_options *o, const char *name);

/* Missing, empty, malformed, placeholder, deprecated, unknown and public
 * values whose content matches a secret rule. */
int sg_envcheck_values(sg_findings *out, const sg_manifest *m, const sg_envcheck_options *o);
/* Manifest hygiene: variables marked secret that carry a public prefix. */
int sg_envcheck_manifest(sg_findings *out, const sg_manifest *m);
/* Keys assigned twice in the dotenv layers (the later one wins). */
int sg_envcheck_duplicates(sg_findings *out, const sg_dotenv *d);
/* Drift between a template (.env.example) and the manifest, both ways. */
int sg_envcheck_template(sg_findings *out, const sg_manifest *m, const char *path, const char *text,
                         size_t len);

/* ---- committed env files (git --staged) --------------------------------- */

/* 1 when a staged path is an env file that must not be committed: ".env" or
 * ".env.*" (any directory) that is not a template, or a file matching the
 * manifest's local_only globs. Templates are the manifest's `templates`, or
 * .env.example, .env.sample, .env.template and .env.dist without a manifest
 * (or when it names none). The message says how to untrack it. m may be NULL. */
int sg_envcheck_committed(char *message, size_t message_size, const sg_manifest *m,
                          const char *path);
/* The same, appending an "env-committed" finding for path to out when it
 * blocks. Returns 1 when it did, 0 when not, <0 on error. */
int sg_envcheck_staged_path(sg_findings *out, const sg_manifest *m, const char *path);
/* The same in the shape of sg_git_options.staged_path: ctx is the manifest
 * (may be NULL). */
int sg_envcheck_staged_hook(void *ctx, const char *path, sg_findings *out);

/* ---- code references ----------------------------------------------------- */

typedef struct sg_env_ref {
	char *name;
	char *path;
	uint32_t line, column;
	const char *form; /* "process.env", "getenv", "${{ secrets }}", ... */
} sg_env_ref;

typedef struct sg_env_refs {
	sg_env_ref *items;
	size_t count, cap;
	size_t max; /* cap on kept references, 0 = 100000 */
} sg_env_refs;

void sg_env_refs_init(sg_env_refs *r);
void sg_env_refs_free(sg_env_refs *r);
/* Find variable reads in one file's text. ${X} is only read in compose files
 * (docker-compose*.yml, compose*.yml); ${{ secrets.X }} anywhere. */
int sg_env_refs_scan(sg_env_refs *r, const char *path, const char *data, size_t len);
/* 1 for names every runtime or platform sets (NODE_ENV, PATH, CI, ...). */
int sg_env_ref_is_runtime(const char *name);
/* Variables read but not declared (env-undeclared, at the read) and declared
 * but never read (env-unused, at the declaration). */
int sg_envcheck_refs(sg_findings *out, const sg_manifest *m, const sg_env_refs *r);

/* ---- leaked secret values ----------------------------------------------- */

typedef struct sg_leakset sg_leakset;

/* Values shorter than min_length are not searched (0 = 8). */
int sg_leakset_new(sg_leakset **out, size_t min_length);
void sg_leakset_free(sg_leakset *ls);
/* Search for value (and its encodings) under the variable's name. Returns 0
 * when added, 1 when skipped as shorter than the minimum, <0 on error. */
int sg_leakset_add(sg_leakset *ls, const char *name, const char *value, size_t len);
size_t sg_leakset_count(const sg_leakset *ls);
/* Longest needle in bytes (what a streaming reader must keep in view). */
size_t sg_leakset_max_needle(const sg_leakset *ls);

/* Called for each occurrence: variable name, encoding ("plain", "base64",
 * "base64url", "url-encoded", "json-escaped"), offset and length in data. */
typedef int (*sg_leak_fn)(void *ctx, const char *name, const char *encoding, size_t offset,
                          size_t length);
int sg_leakset_each(const sg_leakset *ls, const char *data, size_t len, sg_leak_fn fn, void *ctx);
/* Append an env-leak finding for each occurrence in data. */
int sg_leakset_scan(const sg_leakset *ls, const char *data, size_t len, const sg_origin *origin,
                    sg_findings *out);
/* Add every secret variable of the environment that has a value. *skipped
 * counts those under the minimum length; when non-NULL, skipped_names gets
 * the first of them. */
int sg_leakset_add_environment(sg_leakset *ls, size_t *skipped, const char **skipped_name,
                               const sg_manifest *m, const sg_envcheck_options *o);

/* ---- the gate: what each env command checks, assembled ----------------- */

/* Inputs of the env commands. Names of the manifest, the environment's
 * dotenv files and templates are relative to root (NULL: as written). */
typedef struct sg_env_gate_options {
	const char *root;
	const char *environment; /* --env; check and leaks need one */
	const char *manifest;    /* named by the caller: must exist; NULL = policy's */
	const char
	        *policy_manifest;  /* the policy file's `manifest`, or NULL: .secretgate/env.yml */
	const char *const *dotenv; /* named dotenv files (all must exist), in order */
	size_t ndotenv;            /* 0: the environment's files from the manifest */
	char *const *environ;      /* process environment "K=V", or NULL to ignore it */
	int report_unknown;        /* -1: as the manifest says, 0: off */
	int refs;                  /* check: also compare code references */
	const char *const *paths;  /* refs, leaks: files and directories to look in */
	size_t npaths;             /* refs: 0 = the repository's files (root), else "." */
	const char *const *vars;   /* leaks: more variables whose values are searched */
	size_t nvars;
	size_t min_length;       /* leaks: shortest value searched, 0 = the manifest's */
	uint64_t max_file_size;  /* leaks: 0 = 100 MB */
	const sg_ruleset *rules; /* finalized; public values are tested against it; may be NULL */
	/* the second stage: platform files, init, diff, snapshots */
	const char *against;           /* check: the snapshot (lock file) to compare with */
	int update;                    /* check --against: accept the current state into it */
	const unsigned char *lock_key; /* HMAC key for secrets in locks (SECRETGATE_LOCK_KEY) */
	size_t lock_key_len;           /* 0: no key (a lock may then hold no secret) */
	const char *output;            /* snapshot: the lock to write; init: the manifest */
	int force, diff;               /* init: overwrite; only say what would be added */
	const char *const *from_a, *const *from_b; /* diff: each side's values files */
	size_t nfrom_a, nfrom_b;                   /* 0: each environment's own files */
} sg_env_gate_options;
#define SG_ENV_GATE_OPTIONS_INIT                                                                   \
	{                                                                                          \
		.report_unknown = -1                                                               \
	}

/* env check: the environment's values, the manifest's hygiene, duplicate
 * keys, templates and (with refs) code references. env lint: what needs no
 * values, over every environment's files. env refs: references against the
 * manifest. env leaks: the environment's secret values in the paths.
 * Findings are appended to out (unsorted), what was read is counted in st,
 * and non-fatal problems go to notices. On a failure the message is
 * "<what>: <why>" (manifest, dotenv, template, files, usage, ...). */
int sg_env_check(const sg_env_gate_options *o, sg_findings *out, sg_scan_stats *st,
                 sg_notices *notices);
int sg_env_lint(const sg_env_gate_options *o, sg_findings *out, sg_scan_stats *st,
                sg_notices *notices);
int sg_env_refs_check(const sg_env_gate_options *o, sg_findings *out, sg_scan_stats *st,
                      sg_notices *notices);
int sg_env_leaks(const sg_env_gate_options *o, sg_findings *out, sg_scan_stats *st,
                 sg_notices *notices);
/* env init: a draft manifest (secretgate/env_init.h) from the repository at
 * root, written to o->output (or the manifest's usual place); refused when it
 * exists unless o->force. With o->diff nothing is written: *text (caller
 * frees) gets what would be added to the existing manifest. A notice says
 * what was written. */
int sg_env_init_manifest(const sg_env_gate_options *o, char **text, size_t *len, sg_scan_stats *st,
                         sg_notices *notices);
/* env diff: environments a and b, from their files and platform files (or
 * o->from_a / o->from_b); the process environment is not read. */
int sg_env_diff_check(const sg_env_gate_options *o, const char *a, const char *b, sg_findings *out,
                      sg_scan_stats *st, sg_notices *notices);
/* env snapshot: o->environment's state as check sees it, written to
 * o->output (default .secretgate/NAME.lock). A notice says what was written. */
int sg_env_snapshot_write(const sg_env_gate_options *o, sg_scan_stats *st, sg_notices *notices);

/* The references in the paths (env refs --list). */
int sg_env_refs_collect(const sg_env_gate_options *o, sg_env_refs *refs, sg_scan_stats *st,
                        sg_notices *notices);

#endif
