/* .secretgate.yml: the project's policy (rules to disable, custom rules,
 * allowlists, blocking severity, size cap, manifest location). */
#ifndef SG_CONFIG_H
#define SG_CONFIG_H

#include "secretgate.h"

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

#endif
