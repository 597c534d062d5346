/* env_diff: two environments side by side: variables set in one and not
 * the other, values valid in one and not the other, and secrets whose value
 * is the same in both (blocking when either is production-like). */
#ifndef SG_ENV_DIFF_H
#define SG_ENV_DIFF_H

#include "secretgate/env.h"

/* a and b hold each environment's name and values (a->rules, when set,
 * also marks values matching a secret rule as secrets). */
int sg_env_diff(sg_findings *out, const sg_manifest *m, const sg_envcheck_options *a,
                const sg_envcheck_options *b);

#endif
