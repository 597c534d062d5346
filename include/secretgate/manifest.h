/* manifest: the per-environment declaration of a project's configuration
 * (.secretgate/env.yml): environments, variables, their types and rules. */
#ifndef SG_MANIFEST_H
#define SG_MANIFEST_H

#include <stddef.h>
#include <stdint.h>
#include "secretgate/secretgate.h"

typedef enum {
	SG_VAR_STRING = 0,
	SG_VAR_INT,
	SG_VAR_BOOL,
	SG_VAR_URL,
	SG_VAR_PORT,
	SG_VAR_EMAIL,
	SG_VAR_ENUM,
	SG_VAR_JSON,
	SG_VAR_DURATION,
} sg_var_type;

const char *sg_var_type_name(sg_var_type t);

/* A setting that may differ per environment: written as a plain value (all
 * environments) or as a map { production: x, staging: y, _: fallback }. */
typedef struct sg_per_env {
	char **envs; /* environment names */
	char **values;
	size_t count;
	char *fallback; /* the plain value or the "_" entry; may be NULL */
} sg_per_env;

/* The value for an environment (its own, else the fallback), or NULL. */
const char *sg_per_env_get(const sg_per_env *p, const char *environment);

/* required_when: the variable is required when `var` has `value`. */
typedef struct sg_condition {
	char *var;
	char *value;
} sg_condition;

typedef enum {
	SG_REQUIRED_NO = 0,
	SG_REQUIRED_ALL,  /* required: all (or true) */
	SG_REQUIRED_ENVS, /* required: [ci, production] */
} sg_required;

typedef struct sg_var {
	char *name;
	uint32_t line; /* where it is declared in the manifest */
	sg_var_type type;
	int has_min, has_max; /* int: bounds, inclusive */
	long long min, max;
	size_t min_length, max_length; /* any type, bytes; 0 = no bound */
	char **schemes;                /* url: accepted schemes, none = any */
	size_t nschemes;
	char **values; /* enum: accepted values */
	size_t nvalues;
	sg_per_env pattern; /* PCRE2 regex the value must match */
	sg_per_env default_value;
	int secret;
	sg_required required;
	char **required_envs;
	size_t nrequired_envs;
	sg_condition *required_when; /* all must hold */
	size_t nrequired_when;
	int deprecated;
	char *deprecated_message; /* may be NULL */
	int allow_placeholder;    /* the value may look like a placeholder */
	char *description;
	char *owner;       /* who to ask about it; may be NULL (see sg_manifest_owner) */
	int platform_only; /* set by platform or CI files for their tools: templates
	                      need not list it, code need not read it */
} sg_var;

typedef struct sg_environment {
	char *name;
	uint32_t line;
	char **files; /* dotenv files loaded by default, in order (later wins) */
	size_t nfiles;
	int production;  /* production-like: a secret shared with it blocks (env diff) */
	char **platform; /* platform files that describe it (fly.toml, render.yaml, ...) */
	size_t nplatform;
	char **provided; /* names a platform's secret store sets (fly secrets set, ...) */
	size_t nprovided;
} sg_environment;

typedef struct sg_manifest {
	char *path;
	sg_environment *environments;
	size_t nenvironments;
	char **public_prefixes; /* names inlined into client bundles */
	size_t npublic_prefixes;
	char **templates; /* committed examples that must list every variable */
	size_t ntemplates;
	char **local_only; /* globs of files that must never be committed */
	size_t nlocal_only;
	char **ignore_refs; /* globs of names code may read without declaring */
	size_t nignore_refs;
	sg_var *vars;
	size_t nvars;
	int report_unknown;     /* unknown: report (1, default) | ignore (0) */
	size_t min_leak_length; /* shortest secret value searched for (default 8) */
	char **owner_globs;     /* owners: { 'STRIPE_*': payments } for groups of variables */
	char **owner_names;
	size_t nowners;
} sg_manifest;

/* Parse a manifest. Errors are SG_EINVALID with "FILE:LINE: why" (unknown and
 * duplicate keys included), SG_ETOOBIG over 1 MiB. */
int sg_manifest_parse(sg_manifest **out, const char *name, const char *text, size_t len);
/* Read and parse a file; SG_ENOTFOUND when it does not exist. */
int sg_manifest_load(sg_manifest **out, const char *path);
void sg_manifest_free(sg_manifest *m);

const sg_var *sg_manifest_var(const sg_manifest *m, const char *name);
const sg_environment *sg_manifest_environment(const sg_manifest *m, const char *name);
/* 1 when name carries one of the manifest's public prefixes. */
int sg_manifest_is_public(const sg_manifest *m, const char *name);
/* 1 when the variable is required in the environment regardless of other
 * values (required: all or listed); required_when is decided by envcheck. */
int sg_var_required_in(const sg_var *v, const char *environment);

/* Who owns a variable: its own owner:, else the first matching owners: glob,
 * else NULL. */
const char *sg_manifest_owner(const sg_manifest *m, const char *name);

/* The prefixes used when a manifest does not list public_prefixes. */
extern const char *const sg_default_public_prefixes[];

#endif
