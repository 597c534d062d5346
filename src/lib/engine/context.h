/* Internal side of the chunk context (the public part is in secretgate.h):
 * how a context changes what a rule's match may conclude. */
#ifndef SG_CONTEXT_H
#define SG_CONTEXT_H

#include "secretgate/secretgate.h"

/* Documentation, tests and examples, generated or vendored files: where a
 * generic or credential-store match is a low-confidence warning. */
static inline int sg_context_is_incidental(sg_context c)
{
	return c == SG_CTX_DOCS || c == SG_CTX_TEST || c == SG_CTX_GENERATED;
}

/* The confidence a match of a rule of `kind` (sg_rule_kind) gets in a
 * context: provider formats keep the rule's everywhere. */
sg_confidence sg_context_confidence(int kind, sg_context c, sg_confidence rule_confidence);

#endif
