/* .secretgate.yml: parsed through the YAML tree; every unknown key or wrong
 * type is an error naming the file, line and key. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "secretgate/secretgate.h"
#include "secretgate/policy.h"
#include "lib/engine/rule.h"
#include "util/yamlnode.h"
#include "util/safe_text.h"
#include "util/file.h"
#include "util/strv.h"
#include "util/glob.h"

#define CONFIG_MAX SG_CONFIG_MAX

typedef struct compiled {
	pcre2_code **patterns;       /* allow.patterns */
	pcre2_code ***rule_patterns; /* per rule_allow entry */
	pcre2_match_data *unused;
} compiled;

typedef struct holder {
	sg_yaml_node *root;
} holder;

void sg_config_free(sg_config *c)
{
	if (!c)
		return;
	free(c->path);
	for (size_t i = 0; i < c->ncontexts; i++)
		free((char *)c->contexts[i].glob);
	free(c->contexts);
	sg_strv_free(c->disable, c->ndisable);
	free(c->disable_lines);
	sg_strv_free(c->allow_paths, c->nallow_paths);
	sg_strv_free(c->allow_patterns, c->nallow_patterns);
	sg_strv_free(c->stopwords, c->nstopwords);
	compiled *cp = c->compiled;
	if (cp) {
		/* a parse error may leave these arrays missing or partly filled */
		for (size_t i = 0; cp->patterns && i < c->nallow_patterns; i++)
			pcre2_code_free(cp->patterns[i]);
		free(cp->patterns);
		for (size_t i = 0; i < c->nrule_allow; i++) {
			pcre2_code **rp = cp->rule_patterns ? cp->rule_patterns[i] : NULL;
			for (size_t k = 0; rp && k < c->rule_allow[i].npatterns; k++)
				pcre2_code_free(rp[k]);
			if (cp->rule_patterns)
				free(cp->rule_patterns[i]);
		}
		free(cp->rule_patterns);
		free(cp);
	}
	for (size_t i = 0; i < c->nrule_allow; i++) {
		sg_rule_allow *a = &c->rule_allow[i];
		free(a->rule_id);
		sg_strv_free(a->patterns, a->npatterns);
		sg_strv_free(a->stopwords, a->nstopwords);
		sg_strv_free(a->paths, a->npaths);
	}
	free(c->rule_allow);
	free(c->manifest);
	free(c->ignore_file);
	free(c->baseline);
	if (c->custom_rules) {
		holder *h = c->custom_rules;
		sg_yaml_free(h->root);
		free(h);
	}
	free(c);
}

int sg_config_new_default(sg_config **out)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return sg_error_set(SG_ENOMEM, "out of memory");
	(*out)->compiled = calloc(1, sizeof(compiled));
	if (!(*out)->compiled) {
		free(*out);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	return 0;
}

static int err_at(const char *file, unsigned line, const char *key, const char *why)
{
	return sg_error_set(SG_EINVALID, "%s:%u: %s: %s", file, line, key, why);
}

static int get_str(const char *file, const char *key, const sg_yaml_node *n, char **out)
{
	if (n->type != SG_YAML_SCALAR)
		return err_at(file, n->line, key, "must be a string");
	free(*out);
	*out = strdup(n->value);
	return *out ? 0 : sg_error_set(SG_ENOMEM, "out of memory");
}

static int get_list(const char *file, const char *key, const sg_yaml_node *n, char ***out,
                    size_t *count)
{
	if (n->type != SG_YAML_SEQ)
		return err_at(file, n->line, key, "must be a list of strings");
	char **v = calloc(n->count + 1, sizeof(char *));
	if (!v)
		return sg_error_set(SG_ENOMEM, "out of memory");
	for (size_t i = 0; i < n->count; i++) {
		if (n->items[i]->type != SG_YAML_SCALAR) {
			sg_strv_free(v, i);
			return err_at(file, n->items[i]->line, key, "must be a list of strings");
		}
		if (!(v[i] = strdup(n->items[i]->value))) {
			sg_strv_free(v, i);
			return sg_error_set(SG_ENOMEM, "out of memory");
		}
	}
	sg_strv_free(*out, *count);
	*out = v;
	*count = n->count;
	return 0;
}

/* Compile each regex of a list node now, so a bad one is reported at its own
 * line with the key it sits under. */
static int compile_node(const char *file, const char *key, const sg_yaml_node *n, pcre2_code ***out)
{
	size_t count = n->type == SG_YAML_SEQ ? n->count : 0;
	pcre2_code **codes = calloc(count + 1, sizeof(pcre2_code *));
	if (!codes)
		return sg_error_set(SG_ENOMEM, "out of memory");
	for (size_t i = 0; i < count; i++) {
		int err;
		PCRE2_SIZE off;
		const sg_yaml_node *item = n->items[i];
		codes[i] = pcre2_compile((PCRE2_SPTR)item->value, PCRE2_ZERO_TERMINATED, 0, &err,
		                         &off, NULL);
		if (!codes[i]) {
			char msg[200], why[512];
			pcre2_get_error_message(err, (PCRE2_UCHAR *)msg, sizeof(msg));
			/* the pattern is not quoted: an allow pattern may hold the very
			 * value it accepts */
			snprintf(why, sizeof(why), "bad regex: %s at offset %zu", msg, (size_t)off);
			for (size_t k = 0; k < i; k++)
				pcre2_code_free(codes[k]);
			free(codes);
			return err_at(file, item->line, key, why);
		}
	}
	for (size_t i = 0; *out && (*out)[i]; i++)
		pcre2_code_free((*out)[i]);
	free(*out);
	*out = codes;
	return 0;
}

static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	while (*end == ' ')
		end++;
	uint64_t mul = 1;
	if (!strcasecmp(end, "k") || !strcasecmp(end, "kb"))
		mul = 1000;
	else if (!strcasecmp(end, "m") || !strcasecmp(end, "mb"))
		mul = 1000 * 1000;
	else if (!strcasecmp(end, "g") || !strcasecmp(end, "gb"))
		mul = 1000ull * 1000 * 1000;
	else if (!strcasecmp(end, "kib"))
		mul = 1024;
	else if (!strcasecmp(end, "mib"))
		mul = 1024 * 1024;
	else if (!strcasecmp(end, "gib"))
		mul = 1024ull * 1024 * 1024;
	else if (*end)
		return -1;
	if (v == 0)
		return -1;
	*out = v * mul;
	return 0;
}

/* Exposed for the CLI's --max-file-size. */
int sg_config_parse_size(const char *s, uint64_t *out)
{
	return parse_size(s, out) < 0
	               ? sg_error_set(SG_EINVALID, "'%s' is not a size (e.g. 100MB, 512k)",
	                              sg_text_name(s))
	               : 0;
}

static int parse_rule_allow(sg_config *c, const char *file, const sg_yaml_node *n)
{
	compiled *cp = c->compiled;
	if (n->type != SG_YAML_MAP)
		return err_at(file, n->line, "allow.rules", "must map rule ids to allowlists");
	c->rule_allow = calloc(n->count + 1, sizeof(sg_rule_allow));
	cp->rule_patterns = calloc(n->count + 1, sizeof(pcre2_code **));
	if (!c->rule_allow || !cp->rule_patterns)
		return sg_error_set(SG_ENOMEM, "out of memory");
	for (size_t i = 0; i < n->count; i++) {
		size_t idx = c->nrule_allow++;
		sg_rule_allow *a = &c->rule_allow[idx];
		const sg_yaml_node *v = n->items[i];
		char name[300];
		if (!(a->rule_id = strdup(n->keys[i])))
			return sg_error_set(SG_ENOMEM, "out of memory");
		snprintf(name, sizeof(name), "allow.rules.%.200s", sg_text_name(n->keys[i]));
		if (v->type != SG_YAML_MAP)
			return err_at(file, n->key_lines[i], name,
			              "must be a mapping of patterns, stopwords, paths");
		for (size_t k = 0; k < v->count; k++) {
			const char *key = v->keys[k];
			char full[400];
			int r;
			snprintf(full, sizeof(full), "%s.%.60s", name, sg_text_name(key));
			if (!strcmp(key, "patterns")) {
				r = get_list(file, full, v->items[k], &a->patterns, &a->npatterns);
				if (r == 0)
					r = compile_node(file, full, v->items[k],
					                 &cp->rule_patterns[idx]);
			} else if (!strcmp(key, "stopwords"))
				r = get_list(file, full, v->items[k], &a->stopwords,
				             &a->nstopwords);
			else if (!strcmp(key, "paths"))
				r = get_list(file, full, v->items[k], &a->paths, &a->npaths);
			else
				r = err_at(file, v->key_lines[k], full,
				           "unknown key (patterns, stopwords, paths)");
			if (r < 0)
				return r;
		}
	}
	return 0;
}

static int parse_rules_section(sg_config *c, const char *file, sg_yaml_node *v, unsigned kl)
{
	int r = 0;
	if (v->type != SG_YAML_MAP)
		return err_at(file, kl, "rules", "must be a mapping (disable, custom)");
	for (size_t k = 0; k < v->count && r == 0; k++) {
		const char *sk = v->keys[k];
		sg_yaml_node *sv = v->items[k];
		if (!strcmp(sk, "disable")) {
			r = get_list(file, "rules.disable", sv, &c->disable, &c->ndisable);
			free(c->disable_lines);
			c->disable_lines = calloc(c->ndisable + 1, sizeof(unsigned));
			if (r == 0 && !c->disable_lines)
				r = sg_error_set(SG_ENOMEM, "out of memory");
			for (size_t i = 0; r == 0 && i < c->ndisable; i++)
				c->disable_lines[i] = sv->items[i]->line;
		} else if (!strcmp(sk, "custom")) {
			if (sv->type != SG_YAML_SEQ)
				return err_at(file, v->key_lines[k], "rules.custom",
				              "must be a list of rules");
			/* keep the subtree; rules are built (and their regexes
			 * checked) when applied to a rule set */
			holder *h = calloc(1, sizeof(*h));
			if (!h)
				return sg_error_set(SG_ENOMEM, "out of memory");
			h->root = sv;
			v->items[k] = NULL;
			c->custom_rules = h;
		} else {
			char full[300];
			snprintf(full, sizeof(full), "rules.%.200s", sg_text_name(sk));
			r = err_at(file, v->key_lines[k], full, "unknown key (disable, custom)");
		}
	}
	return r;
}

static int parse_allow_section(sg_config *c, const char *file, const sg_yaml_node *v, unsigned kl)
{
	compiled *cp = c->compiled;
	int r = 0;
	if (v->type != SG_YAML_MAP)
		return err_at(file, kl, "allow",
		              "must be a mapping (paths, patterns, stopwords, rules)");
	for (size_t k = 0; k < v->count && r == 0; k++) {
		const char *sk = v->keys[k];
		const sg_yaml_node *sv = v->items[k];
		if (!strcmp(sk, "paths"))
			r = get_list(file, "allow.paths", sv, &c->allow_paths, &c->nallow_paths);
		else if (!strcmp(sk, "patterns")) {
			r = get_list(file, "allow.patterns", sv, &c->allow_patterns,
			             &c->nallow_patterns);
			if (r == 0)
				r = compile_node(file, "allow.patterns", sv, &cp->patterns);
		} else if (!strcmp(sk, "stopwords"))
			r = get_list(file, "allow.stopwords", sv, &c->stopwords, &c->nstopwords);
		else if (!strcmp(sk, "rules"))
			r = parse_rule_allow(c, file, sv);
		else {
			char full[300];
			snprintf(full, sizeof(full), "allow.%.200s", sg_text_name(sk));
			r = err_at(file, v->key_lines[k], full,
			           "unknown key (paths, patterns, stopwords, rules)");
		}
	}
	return r;
}

/* context: {"glob": context, ...}: what kind of file a path is, when the
 * name and first bytes do not say it right (docs/context.md). */
static int parse_context_section(sg_config *c, const char *file, const sg_yaml_node *v, unsigned kl)
{
	if (v->type != SG_YAML_MAP)
		return err_at(file, kl, "context", "must be a mapping of path globs to contexts");
	if (c->contexts)
		return err_at(file, kl, "context", "given twice");
	c->contexts = calloc(v->count + 1, sizeof(*c->contexts));
	if (!c->contexts)
		return sg_error_set(SG_ENOMEM, "out of memory");
	for (size_t k = 0; k < v->count; k++) {
		const sg_yaml_node *sv = v->items[k];
		sg_context ctx;
		if (sv->type != SG_YAML_SCALAR || sg_context_parse(&ctx, sv->value) < 0)
			return err_at(file, v->key_lines[k], "context",
			              "must be credential-store, config, source, docs, test, "
			              "generated or other");
		char *g = strdup(v->keys[k]);
		if (!g)
			return sg_error_set(SG_ENOMEM, "out of memory");
		c->contexts[c->ncontexts].glob = g;
		c->contexts[c->ncontexts++].context = ctx;
	}
	return 0;
}

static int parse_root(sg_config *c, const char *file, sg_yaml_node *root)
{
	int r = 0;
	if (root->type != SG_YAML_MAP)
		return err_at(file, root->line, "(top level)", "must be a mapping");
	for (size_t i = 0; i < root->count && r == 0; i++) {
		const char *key = root->keys[i];
		sg_yaml_node *v = root->items[i];
		unsigned kl = root->key_lines[i];
		if (!strcmp(key, "version")) {
			if (v->type != SG_YAML_SCALAR || strcmp(v->value, "1"))
				r = err_at(file, kl, key, "must be 1");
		} else if (!strcmp(key, "fail_on")) {
			if (v->type != SG_YAML_SCALAR || sg_severity_parse(&c->fail_on, v->value))
				r = err_at(file, kl, key,
				           "must be info, low, medium, high or critical");
			c->fail_on_set = 1;
		} else if (!strcmp(key, "fail_on_confidence")) {
			if (v->type != SG_YAML_SCALAR ||
			    sg_confidence_parse(&c->fail_on_confidence, v->value))
				r = err_at(file, kl, key, "must be low, medium or high");
			c->fail_on_confidence_set = 1;
		} else if (!strcmp(key, "context")) {
			r = parse_context_section(c, file, v, kl);
		} else if (!strcmp(key, "max_file_size")) {
			if (v->type != SG_YAML_SCALAR || parse_size(v->value, &c->max_file_size))
				r = err_at(file, kl, key, "must be a size such as 100MB");
		} else if (!strcmp(key, "manifest")) {
			r = get_str(file, key, v, &c->manifest);
		} else if (!strcmp(key, "ignore_file")) {
			r = get_str(file, key, v, &c->ignore_file);
		} else if (!strcmp(key, "baseline")) {
			r = get_str(file, key, v, &c->baseline);
		} else if (!strcmp(key, "rules")) {
			r = parse_rules_section(c, file, v, kl);
		} else if (!strcmp(key, "allow")) {
			r = parse_allow_section(c, file, v, kl);
		} else {
			/* keys are from the file: shown only when they read as names */
			r = err_at(
			        file, kl, sg_text_name(key),
			        "unknown key (version, rules, allow, fail_on, fail_on_confidence, "
			        "context, max_file_size, manifest, ignore_file, baseline)");
		}
	}
	return r;
}

int sg_config_parse(sg_config **out, const char *name, const char *text, size_t len)
{
	sg_config *c;
	int r = sg_config_new_default(&c);
	if (r < 0)
		return r;
	if (!(c->path = strdup(name))) {
		sg_config_free(c);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	sg_yaml_node *root = NULL;
	if ((r = sg_yaml_parse(&root, name, text, len)) == 0 && root)
		r = parse_root(c, name, root);
	sg_yaml_free(root);
	if (r < 0) {
		sg_config_free(c);
		return r;
	}
	*out = c;
	return 0;
}

int sg_config_load(sg_config **out, const char *path)
{
	char *buf;
	size_t n;
	int r = sg_file_read(&buf, &n, path, CONFIG_MAX);
	if (r < 0)
		return r;
	r = sg_config_parse(out, path, buf, n);
	free(buf);
	return r;
}

const sg_yaml_node *sg_config_custom_rules(const sg_config *c)
{
	const holder *h = c->custom_rules;
	return h ? h->root : NULL;
}

int sg_config_apply_rules(const sg_config *c, sg_ruleset *rs)
{
	int r;
	if (c->custom_rules) {
		const holder *h = c->custom_rules;
		if ((r = sg_ruleset_add_node(rs, c->path ? c->path : "config", h->root, 1)) < 0)
			return r;
	}
	for (size_t i = 0; i < c->ndisable; i++)
		if ((r = sg_ruleset_disable(rs, c->disable[i])) < 0) {
			/* a typo here would leave the rule on while the author thinks it off */
			char why[300];
			snprintf(why, sizeof(why),
			         "no rule with id '%.200s' (see 'secretgate rules')",
			         sg_text_name(c->disable[i]));
			return err_at(c->path ? c->path : "config",
			              c->disable_lines ? c->disable_lines[i] : 0, "rules.disable",
			              why);
		}
	return 0;
}

static int ci_has(const char *s, size_t len, const char *w)
{
	size_t n = strlen(w);
	for (size_t i = 0; n && i + n <= len; i++)
		if (!strncasecmp(s + i, w, n))
			return 1;
	return 0;
}

static int any_regex(pcre2_code **codes, size_t n, const char *s, size_t len)
{
	if (!n)
		return 0;
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	int hit = 0;
	for (size_t i = 0; md && i < n && !hit; i++)
		hit = pcre2_match(codes[i], (PCRE2_SPTR)s, len, 0, 0, md, NULL) >= 0;
	pcre2_match_data_free(md);
	return hit;
}

int sg_config_allows(const sg_config *c, sg_finding *f)
{
	const compiled *cp = c->compiled;
	int allow = 0;
	/* "./src/x" as given on the command line is "src/x" to a glob */
	const char *path = f->path;
	while (path && path[0] == '.' && path[1] == '/')
		path += 2;
	for (size_t i = 0; !allow && path && i < c->nallow_paths; i++)
		allow = sg_glob_match(c->allow_paths[i], path);
	for (size_t i = 0; !allow && f->secret && i < c->nstopwords; i++)
		allow = ci_has(f->secret, f->secret_len, c->stopwords[i]);
	if (!allow && f->secret && cp)
		allow = any_regex(cp->patterns, c->nallow_patterns, f->secret, f->secret_len);
	for (size_t i = 0; !allow && i < c->nrule_allow; i++) {
		const sg_rule_allow *a = &c->rule_allow[i];
		if (!f->rule_id || strcmp(a->rule_id, f->rule_id))
			continue;
		for (size_t k = 0; !allow && path && k < a->npaths; k++)
			allow = sg_glob_match(a->paths[k], path);
		for (size_t k = 0; !allow && f->secret && k < a->nstopwords; k++)
			allow = ci_has(f->secret, f->secret_len, a->stopwords[k]);
		if (!allow && f->secret && cp && cp->rule_patterns)
			allow = any_regex(cp->rule_patterns[i], a->npatterns, f->secret,
			                  f->secret_len);
	}
	if (allow && f->suppressed == SG_SUPPRESS_NONE)
		f->suppressed = SG_SUPPRESS_CONFIG;
	return allow;
}
