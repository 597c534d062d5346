/* env_init: a draft manifest from what a repository already says: the
 * variables code reads, templates, dotenv files and platform files. Types
 * are inferred from the values seen, secrets from names and values, and
 * required environments from the platform files. No secret value is ever
 * written: a secret's values only inform its type (a URL's scheme). */
#ifndef SG_ENV_INIT_H
#define SG_ENV_INIT_H

#include <stddef.h>
#include <stdint.h>
#include "secretgate/dotenv.h"
#include "secretgate/env_platform.h"
#include "secretgate/manifest.h"

typedef struct sg_env_init sg_env_init;

/* rules (may be NULL): a value matching one marks its variable secret. */
int sg_env_init_new(sg_env_init **out, const sg_ruleset *rules);
void sg_env_init_free(sg_env_init *ini);

/* Declare an environment (once; production marks it production-like), its
 * dotenv files and its platform files. */
int sg_env_init_environment(sg_env_init *ini, const char *name, int production);
int sg_env_init_environment_file(sg_env_init *ini, const char *environment, const char *file);
int sg_env_init_environment_platform(sg_env_init *ini, const char *environment, const char *file);

/* A variable code reads (path:line is where). */
int sg_env_init_ref(sg_env_init *ini, const char *name, const char *path, uint32_t line);
/* A template's names (its values are examples: they inform types only when
 * they are not placeholders). */
int sg_env_init_template(sg_env_init *ini, const sg_dotenv *d);
/* A dotenv file's names and values. */
int sg_env_init_dotenv(sg_env_init *ini, const sg_dotenv *d);
/* A platform file's variables, for the environment it describes (NULL: the
 * file's own environment names only). A variable a platform names for an
 * environment is required there. */
int sg_env_init_platform(sg_env_init *ini, const char *environment, const sg_platform *p);

size_t sg_env_init_count(const sg_env_init *ini);

/* The draft manifest (caller frees). */
int sg_env_init_write(const sg_env_init *ini, char **out, size_t *len);
/* What the draft has that existing lacks (environments and variables), as
 * YAML lines prefixed "+ "; *len 0 when nothing. */
int sg_env_init_additions(const sg_env_init *ini, const sg_manifest *existing, char **out,
                          size_t *len);

#endif
