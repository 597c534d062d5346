/* The default rules, embedded at build time: tools/rulepack turns every
 * rules/NAME.yaml into one pack, and this file pulls it into .rodata. */
#include "util/embed.h"

#ifndef SG_RULES_PACK
#error "SG_RULES_PACK must name the packed rules file"
#endif

SG_EMBED(sg_rules_pack, SG_RULES_PACK);
