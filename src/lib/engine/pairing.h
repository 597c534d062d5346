/* Two-part credentials: an id and a secret that a provider needs together
 * (an AWS key id and its secret key, a Twilio account SID and auth token). */
#ifndef SG_PAIRING_H
#define SG_PAIRING_H

#include "lib/engine/rule.h"

/* how many lines apart the two parts may be, unless a rule says otherwise */
#define SG_PAIR_WITHIN_DEFAULT 5
#define SG_PAIR_WITHIN_MAX     200

/* Resolve every rule's pair.with and list the paired rules (at finalize).
 * SG_EINVALID when a pair names no rule, itself, or a part of the same role. */
int sg_pairing_prepare(sg_ruleset *rs);
/* Post-process one chunk's findings, out->items[first..count): a secret and
 * the nearest unclaimed id part within its rule's line distance become one
 * finding (the secret's, which keeps its fingerprint) carrying the id part;
 * a part found alone says so; an id part that is no secret on its own
 * (pair.alone: false) is dropped when alone. No allocation. With explain's
 * trace (NULL otherwise), whose items from trace_first on are this chunk's,
 * an id part's verdict says where it went. */
int sg_pairing_apply(const sg_ruleset *rs, sg_findings *out, size_t first, sg_judgements *trace,
                     size_t trace_first);

#endif
