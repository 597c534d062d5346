/* What the env gate's files share: the one way to append an env finding,
 * the boolean spellings values and conditions accept, and a path's base name. */
#ifndef SG_ENV_INTERNAL_H
#define SG_ENV_INTERNAL_H

#include "secretgate/env.h"

/* Append one env finding. key feeds the fingerprint: names and places only. */
int sg_env_emit(sg_findings *out, const char *rule_id, const char *path, uint32_t line,
                uint32_t column, const char *key, const char *fmt, ...)
        __attribute__((format(printf, 7, 8)));
/* true/yes/on/1/y and false/no/off/0/n, any case: 0 and *out set, or -1. */
int sg_env_parse_bool(int *out, const char *s, size_t len);
/* The part of path after its last '/'. */
const char *sg_env_base_name(const char *path);

#endif
