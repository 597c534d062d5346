/* The verdict: which findings are suppressed (config allowlists, ignore
 * file, baseline, blocking severity) and so which block. The CLI and any
 * other program get the same answer from here. */
#include <stdlib.h>
#include <string.h>
#include "secretgate/policy_rev.h"
#include "secretgate/suppress.h"
#include "util/file.h"

/* Load a fingerprint list; a missing one is fine unless must_exist. */
static int load_list(sg_fingerprint_set *set, const char *path, int must_exist,
                     sg_notices *problems)
{
	int r = sg_fingerprint_set_load(set, path);
	if (r == SG_ENOTFOUND && !must_exist)
		return 0;
	if (r < 0)
		sg_notices_add(problems, "%s", sg_error_last());
	return r;
}

int sg_verdict_apply(const sg_config *c, const sg_verdict_options *o, sg_findings *f,
                     sg_scan_stats *st, sg_notices *problems)
{
	static const sg_verdict_options defaults = SG_VERDICT_OPTIONS_INIT;
	if (!o)
		o = &defaults;
	int rc = 0;
	sg_fingerprint_set ignore = {0}, base = {0};
	size_t legacy_ignore = 0, legacy_base = 0;
	const char *root = o->root ? o->root : ".";
	char *ignore_path =
	        sg_path_in(root, c && c->ignore_file ? c->ignore_file : ".secretgateignore");
	const char *baseline = o->baseline ? o->baseline : (c ? c->baseline : NULL);
	char *baseline_path = baseline && !o->baseline ? sg_path_in(root, baseline)
	                                               : (baseline ? strdup(baseline) : NULL);
	const sg_fingerprint_set *ign = &ignore, *bas = &base;
	if (o->policy) {
		ign = &o->policy->ignore;
		if (o->policy->baseline_file.path)
			bas = &o->policy->baseline;
		else if (o->baseline && load_list(&base, o->baseline, 1, problems) < 0)
			rc = SG_ERROR;
	} else {
		if (ignore_path && load_list(&ignore, ignore_path, 0, problems) < 0)
			rc = SG_ERROR;
		if (baseline_path &&
		    load_list(&base, baseline_path, o->baseline != NULL, problems) < 0)
			rc = SG_ERROR;
	}
	sg_severity fail_on =
	        o->fail_on_set ? o->fail_on : (c && c->fail_on_set ? c->fail_on : SG_SEV_INFO);
	/* low confidence (a generic match in docs, tests or generated files) warns */
	sg_confidence fail_on_confidence = o->fail_on_confidence_set        ? o->fail_on_confidence
	                                   : c && c->fail_on_confidence_set ? c->fail_on_confidence
	                                                                    : SG_CONF_MEDIUM;
	for (size_t i = 0; i < f->count; i++) {
		sg_finding *x = &f->items[i];
		if (x->suppressed != SG_SUPPRESS_NONE)
			continue;
		if (c && sg_config_allows(c, x))
			continue;
		if (ign->count || bas->count)
			sg_finding_fingerprint_fill(x);
		if (sg_fingerprint_set_has(ign, x))
			x->suppressed = SG_SUPPRESS_IGNORE;
		else if (sg_fingerprint_set_has(bas, x))
			x->suppressed = SG_SUPPRESS_BASELINE;
		else if (sg_fingerprint_set_has_legacy(ign, x) && ++legacy_ignore)
			x->suppressed = SG_SUPPRESS_IGNORE;
		else if (sg_fingerprint_set_has_legacy(bas, x) && ++legacy_base)
			x->suppressed = SG_SUPPRESS_BASELINE;
		else if (x->severity < fail_on)
			x->suppressed = SG_SUPPRESS_SEVERITY;
		else if (x->confidence < fail_on_confidence)
			x->suppressed = SG_SUPPRESS_CONFIDENCE;
	}
	/* old lists keep working, but their entries for weak secrets are cheap
	 * to confirm a guess against: say so, without naming the entries */
	const char *base_name = bas != &base && o->policy->baseline_file.path
	                                ? o->policy->baseline_file.path
	                                : baseline_path;
	const char *ignore_name = ign != &ignore && o->policy->ignore_file.path
	                                  ? o->policy->ignore_file.path
	                                  : ignore_path;
	if (legacy_base && o->notices)
		sg_notices_add(o->notices,
		               "baseline %s: %zu entr%s use the old fingerprint of a weak secret, "
		               "which makes guessing it cheap; rewrite it with --write-baseline",
		               base_name ? base_name : "", legacy_base,
		               legacy_base == 1 ? "y" : "ies");
	if (legacy_ignore && o->notices)
		sg_notices_add(o->notices,
		               "%s: %zu entr%s use the old fingerprint of a weak secret, which "
		               "makes guessing it cheap; replace them with the fingerprints now "
		               "reported (--show-suppressed)",
		               ignore_name ? ignore_name : "ignore file", legacy_ignore,
		               legacy_ignore == 1 ? "y" : "ies");
	sg_fingerprint_set_free(&ignore);
	sg_fingerprint_set_free(&base);
	free(ignore_path);
	free(baseline_path);
	for (size_t i = 0; i < f->count; i++)
		if ((unsigned)f->items[i].suppressed < SG_SUPPRESS_COUNT)
			st->suppressed[f->items[i].suppressed]++;
	return rc;
}
