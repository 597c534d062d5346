/* Pairing of two-part credentials: one chunk's findings are post-processed
 * so that an id and its secret found near each other are one finding, and a
 * part found alone says which part it is. Runs per worker on the worker's own
 * findings; the rule set is only read. */
#include <stdlib.h>
#include <string.h>
#include "secretgate/secretgate.h"
#include "lib/engine/rule.h"
#include "lib/engine/pairing.h"

static const char PAIR_BOTH[] = "both";
static const char PAIR_SECRET_ONLY[] = "secret only";
static const char PAIR_ID_ONLY[] = "id only";
/* an id part claimed by a secret: removed once every secret has looked */
static const char PAIR_CLAIMED[] = "claimed";

int sg_pairing_prepare(sg_ruleset *rs)
{
	free(rs->paired);
	rs->paired = NULL;
	rs->npaired = 0;
	size_t n = 0;
	/* a rule may have been replaced since the last time: resolve afresh */
	for (size_t i = 0; i < rs->count; i++) {
		rs->rules[i]->pair_partner = NULL;
		if (!rs->rules[i]->pair_with)
			rs->rules[i]->pair_role = SG_PAIR_NONE;
	}
	for (size_t i = 0; i < rs->count; i++) {
		sg_rule *r = rs->rules[i];
		if (!r->pair_with)
			continue;
		sg_rule *p = (sg_rule *)sg_ruleset_find(rs, r->pair_with);
		if (!p || p == r)
			return sg_error_set(SG_EINVALID, "rule '%s': pair.with names %s '%s'",
			                    r->id, p ? "the rule itself" : "no rule", r->pair_with);
		if (!p->pair_with) {
			/* an id part may name a secret rule that declares no pair (the
			 * generic secret rule): that rule pairs with it, and says
			 * nothing when it is found alone */
			if (r->pair_role != SG_PAIR_ID || (p->pair_partner && p->pair_partner != r))
				return sg_error_set(SG_EINVALID,
				                    "rule '%s': its pair '%s' declares no pair",
				                    r->id, p->id);
			p->pair_role = SG_PAIR_SECRET;
			p->pair_partner = r;
			p->pair_within = r->pair_within;
			p->pair_alone = 0;
		} else if (p->pair_role == r->pair_role) {
			return sg_error_set(SG_EINVALID,
			                    "rule '%s': its pair '%s' must be a part of the other "
			                    "role (id and secret)",
			                    r->id, p->id);
		}
		r->pair_partner = p;
	}
	for (size_t i = 0; i < rs->count; i++)
		if (rs->rules[i]->pair_partner)
			n++;
	if (n == 0)
		return 0;
	rs->paired = calloc(n, sizeof(*rs->paired));
	if (!rs->paired)
		return sg_error_set(SG_ENOMEM, "out of memory");
	for (size_t i = 0; i < rs->count; i++)
		if (rs->rules[i]->pair_partner && rs->rules[i]->enabled)
			rs->paired[rs->npaired++] = rs->rules[i];
	return 0;
}

static const sg_rule *paired_rule(const sg_ruleset *rs, const sg_finding *f)
{
	/* a finding's rule_id is its rule's own id string: compare pointers */
	for (size_t i = 0; i < rs->npaired; i++)
		if (rs->paired[i]->id == f->rule_id)
			return rs->paired[i];
	return NULL;
}

/* Lines between two findings' spans, 0 when they share a line. */
static uint32_t line_distance(const sg_finding *a, const sg_finding *b)
{
	if (a->end_line < b->line)
		return b->line - a->end_line;
	if (b->end_line < a->line)
		return a->line - b->end_line;
	return 0;
}

/* explain: the verdict that made finding f, rewritten to say what pairing did */
static void explain(sg_judgements *trace, size_t trace_first, const sg_finding *f, int accepted,
                    const char *fmt, const char *rule, uint32_t line)
{
	for (size_t k = trace_first; trace && k < trace->count; k++) {
		sg_judgement *j = &trace->items[k];
		if (j->rule_id != f->rule_id || j->offset != f->offset || !j->accepted)
			continue;
		j->accepted = accepted;
		j->check = "pair";
		snprintf(j->detail, sizeof(j->detail), fmt, rule, line);
		return;
	}
}

int sg_pairing_apply(const sg_ruleset *rs, sg_findings *out, size_t first, sg_judgements *trace,
                     size_t trace_first)
{
	if (!rs->npaired || out->count <= first)
		return 0;
	sg_finding *f = out->items + first;
	size_t n = out->count - first;
	/* each secret takes the nearest unclaimed id part of its partner rule;
	 * secrets are in chunk order, so two pairs in one file stay apart */
	for (size_t i = 0; i < n; i++) {
		const sg_rule *r = paired_rule(rs, &f[i]);
		if (!r || r->pair_role != SG_PAIR_SECRET)
			continue;
		size_t best = n;
		uint32_t best_d = 0;
		for (size_t j = 0; j < n; j++) {
			if (j == i || f[j].rule_id != r->pair_partner->id || f[j].pair)
				continue;
			uint32_t d = line_distance(&f[i], &f[j]);
			if (d <= r->pair_within && (best == n || d < best_d)) {
				best = j;
				best_d = d;
			}
		}
		if (best == n) {
			if (r->pair_alone) {
				f[i].pair = PAIR_SECRET_ONLY;
				f[i].pair_rule = r->pair_partner->id;
			}
			continue;
		}
		f[i].pair_rule = r->pair_partner->id;
		sg_finding *id = &f[best];
		f[i].pair = PAIR_BOTH;
		f[i].pair_line = id->line;
		f[i].pair_column = id->column;
		f[i].pair_offset = id->offset;
		/* the id's bytes move to the secret's finding: no copy */
		f[i].pair_secret = id->secret;
		f[i].pair_secret_len = id->secret_len;
		id->secret = NULL;
		id->pair = PAIR_CLAIMED;
		explain(trace, trace_first, id, 1, "reported as the id part of %s on line %u",
		        f[i].rule_id, f[i].line);
	}
	/* claimed ids go; lone ids say so, or go when no secret on their own */
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		const sg_rule *r = f[i].pair ? NULL : paired_rule(rs, &f[i]);
		int drop = f[i].pair == PAIR_CLAIMED;
		if (r && r->pair_role == SG_PAIR_ID) {
			if (!r->pair_alone) {
				drop = 1;
				explain(trace, trace_first, &f[i], 0,
				        "an id, not a secret alone: no %s within %u lines",
				        r->pair_partner->id, r->pair_partner->pair_within);
			}
			f[i].pair = PAIR_ID_ONLY;
			f[i].pair_rule = r->pair_partner->id;
		}
		if (drop) {
			sg_finding_clear(&f[i]);
			continue;
		}
		if (kept != i)
			f[kept] = f[i];
		kept++;
	}
	out->count = first + kept;
	return 0;
}
