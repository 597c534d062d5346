/* env_finding: one helper to append a config-gate finding (rule id, place,
 * message), shared by the platform, diff and snapshot checks. The key feeds
 * the fingerprint: names and places only, never a value. */
#ifndef SG_ENV_FINDING_H
#define SG_ENV_FINDING_H

#include <stdint.h>
#include "secretgate.h"

#define SG_ENV_PLATFORM_MISSING "env-platform-missing"
#define SG_ENV_PLATFORM_SECRET  "env-platform-secret"
#define SG_ENV_DIFF_MISSING     "env-diff-missing"
#define SG_ENV_DIFF_TYPE        "env-diff-type"
#define SG_ENV_SHARED_SECRET    "env-shared-secret"
#define SG_ENV_DEV_SECRET       "env-production-secret-in-file"
#define SG_ENV_DRIFT            "env-drift"

/* Append a finding for one of the rule ids above. blocking 0 marks it as
 * reported but not blocking. */
int sg_env_finding(sg_findings *out, const char *rule_id, int blocking, const char *path,
                   uint32_t line, const char *key, const char *fmt, ...)
        __attribute__((format(printf, 7, 8)));

/* Append " (owner: X)" to every env finding from index `from` whose message
 * starts with a variable the manifest gives an owner (messages about a
 * variable start with its name). */
struct sg_manifest;
int sg_env_findings_name_owners(sg_findings *f, size_t from, const struct sg_manifest *m);

#endif
