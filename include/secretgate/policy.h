/* .secretgate.yml: the project's policy (rules to disable, custom rules,
 * allowlists, blocking severity, size cap, manifest location). */
#ifndef SG_CONFIG_H
#define SG_CONFIG_H

#include "secretgate/secretgate.h"

typedef struct sg_rule_allow {
	char *rule_id;
	char **patterns; /* regexes on the secret */
	size_t npatterns;
	char **stopwords;
	size_t nstopwords;
	char **paths; /* globs where this rule is allowed */
	size_t npaths;
} sg_rule_allow;

typedef struct sg_config {
	char *path;     /* file it came from, NULL for defaults */
	char **disable; /* rule ids */
	size_t ndisable;
	unsigned *disable_lines; /* where each id was written, for errors */
	void *custom_rules;      /* parsed rule list (internal), or NULL */
	char **allow_paths;      /* globs: findings there are suppressed (counted) */
	size_t nallow_paths;
	char **allow_patterns; /* regexes on the secret, any rule */
	size_t nallow_patterns;
	char **stopwords; /* any rule */
	size_t nstopwords;
	sg_rule_allow *rule_allow;
	size_t nrule_allow;
	int fail_on_set;
	sg_severity fail_on;
	int fail_on_confidence_set;
	sg_confidence fail_on_confidence; /* lowest confidence that blocks (default medium) */
	sg_context_override *contexts;    /* `context:` glob -> context, first match wins */
	size_t ncontexts;
	uint64_t max_file_size; /* 0 = default */
	char *manifest;         /* env manifest path, or NULL for .secretgate/env.yml */
	char *ignore_file;      /* default .secretgateignore */
	char *baseline;         /* default baseline file, or NULL */
	void *compiled;         /* compiled allow regexes (internal) */
} sg_config;

/* Largest config file read (SG_ETOOBIG above it). */
#define SG_CONFIG_MAX (4u << 20)

/* Parse a config file. Errors name file, line and key (SG_EINVALID). */
int sg_config_load(sg_config **out, const char *path);
int sg_config_parse(sg_config **out, const char *name, const char *text, size_t len);
int sg_config_new_default(sg_config **out);
void sg_config_free(sg_config *c);

/* Disable rules and add the config's custom rules (compiled now, so a bad
 * regex is an error naming the file and line). */
int sg_config_apply_rules(const sg_config *c, sg_ruleset *rs);

/* Apply the config's allowlists to one finding: returns 1 (and sets
 * f->suppressed = SG_SUPPRESS_CONFIG) when the config allows it. */
int sg_config_allows(const sg_config *c, sg_finding *f);

struct sg_yaml_node;
/* The config's rules.custom list as written (a YAML sequence), or NULL. */
const struct sg_yaml_node *sg_config_custom_rules(const sg_config *c);

/* A size with an optional k, M/MB, G/GB suffix (powers of 1000), as the
 * config's max_file_size and --max-file-size take it. */
int sg_config_parse_size(const char *s, uint64_t *out);

/* ---- the verdict: what is suppressed and what blocks ----------------- */

typedef struct sg_verdict_options {
	/* where the config's relative paths (ignore file, baseline) are found;
	 * NULL = the current directory */
	const char *root;
	/* a baseline named by the caller (--baseline): taken as given and must
	 * exist; NULL = the config's baseline, if any, which may be missing */
	const char *baseline;
	/* the lowest severity that blocks, overriding the config's fail_on */
	int fail_on_set;
	sg_severity fail_on;
	/* the lowest confidence that blocks, overriding the config's
	 * fail_on_confidence (default medium: low-confidence findings warn) */
	int fail_on_confidence_set;
	sg_confidence fail_on_confidence;
	/* the policy read from a revision (secretgate/policy_rev.h): its ignore
	 * file and baseline are used instead of the working tree's; a baseline
	 * the caller names outside the repository is still read from disk.
	 * NULL = the working tree */
	const struct sg_policy *policy;
	/* where to say that a list matched a weak secret only by the fingerprint
	 * older versions gave it (still honoured; the list should be rewritten);
	 * NULL = not said */
	sg_notices *notices;
} sg_verdict_options;
#define SG_VERDICT_OPTIONS_INIT                                                                    \
	{                                                                                          \
		.fail_on = SG_SEV_INFO, .fail_on_confidence = SG_CONF_MEDIUM                       \
	}

/* Decide every finding not already suppressed, in this order: the config's
 * allowlists, the ignore file (config ignore_file, default .secretgateignore),
 * the baseline, the blocking severity (option, else config, else info) and
 * the blocking confidence (option, else config, else medium).
 * Then count the findings by suppression into st->suppressed. c may be NULL.
 * An ignore file or baseline that cannot be read is skipped with its message
 * added to problems; the result is then SG_ERROR, after the verdict is made
 * with what could be read. Blocking findings: sg_findings_blocking(f). */
int sg_verdict_apply(const sg_config *c, const sg_verdict_options *o, sg_findings *f,
                     sg_scan_stats *st, sg_notices *problems);

/* Write a baseline of the findings (sorted, unique fingerprints, no secrets,
 * paths, line numbers or dates, so regenerating it is stable). Findings
 * suppressed inline, by the ignore file or by the config are not recorded. */
int sg_baseline_write(const char *path, const sg_findings *f);

#endif
