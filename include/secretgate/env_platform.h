/* env_platform: what deploy and CI files say about an environment's
 * variables: docker-compose, Kubernetes, fly.toml, render.yaml,
 * netlify.toml, vercel.json, Heroku app.json and GitHub Actions workflows.
 * Each variable is either set to a value in the file or declared as
 * provided elsewhere (a secret reference, sync: false, the host). */
#ifndef SG_ENV_PLATFORM_H
#define SG_ENV_PLATFORM_H

#include <stddef.h>
#include <stdint.h>
#include "secretgate/dotenv.h"
#include "secretgate/manifest.h"
#include "secretgate/secretgate.h"

typedef struct sg_platform_var {
	char *name;
	char *value; /* the literal value; NULL when provided elsewhere */
	char *path;
	uint32_t line;
	const char *kind;  /* "docker-compose", "kubernetes", "fly", ... */
	char *provided_by; /* how it is provided when value is NULL: "secrets.X", "sync: false" */
	char *environment; /* netlify context or workflow job environment; NULL = every one */
	int secret_hint;   /* the file treats it as a secret (secret ref, generator: secret) */
	int required;      /* app.json required: true */
	int local_file;    /* from a compose env_file: a local file, not the platform's */
	int runtime;       /* set by the platform itself at run time (k8s fieldRef) */
} sg_platform_var;

typedef struct sg_platform {
	sg_platform_var *items;
	size_t count, cap;
	char **env_files; /* compose env_file: entries, relative to the repository */
	size_t nenv_files;
	char **wildcards; /* sources that may provide any name (k8s envFrom secretRef) */
	size_t nwildcards;
	char **environments; /* environment names the files use (workflow jobs, contexts) */
	size_t nenvironments;
	/* Kubernetes envFrom needs ConfigMaps that may come later in the files. */
	struct platform_k8s_ref *refs;
	size_t nrefs, refs_cap;
	struct platform_k8s_map *maps;
	size_t nmaps, maps_cap;
} sg_platform;

void sg_platform_init(sg_platform *p);
void sg_platform_free(sg_platform *p);

/* The kind of a platform file from its path (and, for Kubernetes, its first
 * bytes): "docker-compose", "kubernetes", "fly", "render", "netlify",
 * "vercel", "heroku", "github-actions", or NULL. */
const char *sg_platform_kind(const char *path, const char *text, size_t len);

/* Read one platform file. kind NULL: from the path. Unknown keys are
 * ignored; a malformed file is SG_EINVALID "PATH:LINE: why". */
int sg_platform_parse(sg_platform *p, const char *kind, const char *path, const char *text,
                      size_t len);
/* Add what a compose env_file sets (parsed by the caller). */
int sg_platform_add_dotenv(sg_platform *p, const sg_dotenv *d);
/* Resolve Kubernetes envFrom references once every file is read. */
int sg_platform_finish(sg_platform *p);

/* 1 when the variable's entry applies to the environment. */
int sg_platform_var_in(const sg_platform_var *v, const char *environment);
/* A literal value that is a reference or interpolation, not a value. */
int sg_platform_value_is_reference(const char *value);

/* Add the non-secret literal values for the environment to d, under what d
 * already holds (names d has are kept). rules (may be NULL) decide which
 * values are secrets besides the manifest's secret variables. */
int sg_platform_layer(sg_dotenv *d, const sg_platform *p, const sg_manifest *m,
                      const char *environment, const sg_ruleset *rules);

/* env-platform-missing: required in the environment, but the platform files
 * neither set nor declare it (nor the environment's provided:).
 * env-platform-secret: a secret (manifest or rule match) written as a value. */
int sg_platform_check(sg_findings *out, const sg_platform *p, const sg_manifest *m,
                      const char *environment, const sg_ruleset *rules);

/* The rule id a value matches, or NULL (scanner may be NULL). */
const char *sg_platform_secret_rule(sg_scanner *scanner, const char *value, size_t len);

#endif
