/* What the env gate's files share: the one way to append an env finding,
 * the boolean spellings values and conditions accept, and a path's base name. */
#ifndef SG_ENV_INTERNAL_H
#define SG_ENV_INTERNAL_H

#include "secretgate/env.h"

/* Append one env finding. key feeds the fingerprint: names and places only. */
int sg_env_emit(sg_findings *out, const char *rule_id, const char *path, uint32_t line,
                uint32_t column, const char *key, const char *fmt, ...)
        __attribute__((format(printf, 7, 8)));
/* The same with blocking 0 marking the finding as reported but not blocking
 * (an accepted drift, a secret shared by two environments that are not
 * production-like). */
int sg_env_finding(sg_findings *out, const char *rule_id, int blocking, const char *path,
                   uint32_t line, const char *key, const char *fmt, ...)
        __attribute__((format(printf, 7, 8)));
/* Append " (owner: X)" to every env finding from index `from` whose message
 * starts with a variable the manifest gives an owner (messages about a
 * variable start with its name). */
int sg_env_findings_name_owners(sg_findings *f, size_t from, const sg_manifest *m);
/* gate.c's steps, for commands.c: "<what>: <why>" errors, the manifest, the
 * dotenv layers, the environment check. */
struct sg_platform;
int sg_env_gate_fail(int rc, const char *what);
int sg_env_gate_manifest(sg_manifest **m, const sg_env_gate_options *o, int required);
int sg_env_gate_dotenv(sg_dotenv *d, const sg_env_gate_options *o, const char *environment,
                       char *const *environ, const sg_manifest *m, sg_scan_stats *st);
int sg_env_gate_require(const char *command, const sg_env_gate_options *o, const sg_manifest *m);
/* commands.c: read the environment's platform files into p and layer their
 * non-secret values under d; check's second stage (platform findings,
 * production secrets in other files, --against, owners). */
int sg_env_gate_platform(struct sg_platform *p, sg_dotenv *d, const sg_env_gate_options *o,
                         const sg_manifest *m, const char *environment, sg_scan_stats *st);
int sg_env_check_stage2(const sg_env_gate_options *o, sg_findings *f, sg_scan_stats *st,
                        sg_notices *nt, const sg_manifest *m, sg_dotenv *d,
                        const struct sg_platform *p);
/* true/yes/on/1/y and false/no/off/0/n, any case: 0 and *out set, or -1. */
int sg_env_parse_bool(int *out, const char *s, size_t len);
/* The part of path after its last '/'. */
const char *sg_env_base_name(const char *path);

#endif
