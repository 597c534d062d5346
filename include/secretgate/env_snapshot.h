/* env_snapshot: an environment's state recorded in a lock file, to catch a
 * value edited by hand between deploys. Each variable is set or unset;
 * non-secret values are kept as they are, secrets only as HMAC-SHA256 under
 * a key the lock does not hold, salted per lock. Format (docs/env.md):
 *
 *   secretgate-env-lock 1
 *   environment production
 *   salt <32 hex>
 *   key-id <16 hex>          HMAC of a fixed label: tells a wrong key from drift
 *   set PORT "8080"
 *   secret DATABASE_URL hmac-sha256:<64 hex>
 *   unset SENTRY_DSN
 */
#ifndef SG_ENV_SNAPSHOT_H
#define SG_ENV_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>
#include "secretgate/env.h"

#define SG_LOCK_VERSION   1
#define SG_LOCK_SALT_SIZE 16
#define SG_LOCK_MAX_SIZE  (1u << 20)
#define SG_LOCK_MAX_VARS  10000

typedef enum { SG_LOCK_UNSET = 0, SG_LOCK_VALUE, SG_LOCK_SECRET } sg_lock_state;

typedef struct sg_lock_entry {
	char *name;
	sg_lock_state state;
	char *value;      /* SG_LOCK_VALUE: the value */
	char digest[65];  /* SG_LOCK_SECRET: hex HMAC */
	uint32_t line;    /* in the lock file; 0 when captured */
	const char *path; /* captured: where the value came from (borrowed) */
	uint32_t value_line;
} sg_lock_entry;

typedef struct sg_env_lock {
	char *environment;
	unsigned char salt[SG_LOCK_SALT_SIZE];
	char key_id[17]; /* "" when no secret was recorded */
	sg_lock_entry *items;
	size_t count, cap;
} sg_env_lock;

void sg_hmac_sha256(unsigned char out[32], const void *key, size_t key_len, const void *data,
                    size_t len);

/* Parse a lock; SG_EINVALID "NAME:LINE: why" on anything unexpected,
 * including a version other than 1. */
int sg_env_lock_parse(sg_env_lock **out, const char *name, const char *text, size_t len);
void sg_env_lock_free(sg_env_lock *l);

/* Record the manifest's variables (deprecated ones too: setting one is
 * drift) for the environment. key may be NULL only when no secret is set
 * (SG_EINVALID otherwise, naming the variable). salt: the lock's own. A
 * non-secret value that matches a secret rule (o->rules) is digested too:
 * the lock is committed and must hold no credential. */
int sg_env_lock_capture(sg_env_lock **out, const sg_manifest *m, const sg_envcheck_options *o,
                        const unsigned char *key, size_t key_len,
                        const unsigned char salt[SG_LOCK_SALT_SIZE]);

/* The lock as text (caller frees). */
int sg_env_lock_format(char **out, size_t *len, const sg_env_lock *l);

/* env-drift findings: variables added, removed or changed from `before` to
 * `now` (captured with before's salt). blocking 0 reports them as accepted. */
int sg_env_lock_compare(sg_findings *out, const sg_env_lock *before, const sg_env_lock *now,
                        const char *lock_path, int blocking);

#endif
