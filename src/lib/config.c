/* .secretgate.yml: parsed through the YAML tree; every unknown key or wrong
 * type is an error naming the file, line and key. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "secretgate.h"
#include "config.h"
#include "rule.h"
#include "yamlnode.h"

#define CONFIG_MAX (4u << 20)

typedef struct compiled {
	pcre2_code **patterns;      /* allow.patterns */
	pcre2_code ***rule_patterns; /* per rule_allow entry */
	pcre2_match_data *unused;
} compiled;

typedef struct holder {
	sg_yaml_node *root;
} holder;

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void sg_config_free(sg_config *c)
{
	if (!c)
		return;
	free(c->path);
	strv_free(c->disable, c->ndisable);
	strv_free(c->allow_paths, c->nallow_paths);
	strv_free(c->allow_patterns, c->nallow_patterns);
	strv_free(c->stopwords, c->nstopwords);
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
		strv_free(a->patterns, a->npatterns);
		strv_free(a->stopwords, a->nstopwords);
		strv_free(a->paths, a->npaths);
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
			strv_free(v, i);
			return err_at(file, n->items[i]->line, key, "must be a list of strings");
		}
		if (!(v[i] = strdup(n->items[i]->value))) {
			strv_free(v, i);
			return sg_error_set(SG_ENOMEM, "out of memory");
		}
	}
	strv_free(*out, *count);
	*out = v;
	*count = n->count;
	return 0;
}

static int compile_list(const char *file, unsigned line, const char *key, char **pats, size_t n,
			pcre2_code ***out)
{
	*out = calloc(n + 1, sizeof(pcre2_code *));
	if (!*out)
		return sg_error_set(SG_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		int err;
		PCRE2_SIZE off;
		(*out)[i] = pcre2_compile((PCRE2_SPTR)pats[i], PCRE2_ZERO_TERMINATED, 0, &err,
					  &off, NULL);
		if (!(*out)[i]) {
			char msg[200], why[300];
			pcre2_get_error_message(err, (PCRE2_UCHAR *)msg, sizeof(msg));
			snprintf(why, sizeof(why), "bad regex '%s': %s", pats[i], msg);
			return err_at(file, line, key, why);
		}
	}
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
int sg_config_parse_size(const char *s, uint64_t *out);
int sg_config_parse_size(const char *s, uint64_t *out)
{
	return parse_size(s, out) < 0
		       ? sg_error_set(SG_EINVALID, "'%s' is not a size (e.g. 100MB, 512k)", s)
		       : 0;
}

static int parse_rule_allow(sg_config *c, const char *file, const sg_yaml_node *n)
{
	if (n->type != SG_YAML_MAP)
		return err_at(file, n->line, "allow.rules", "must map rule ids to allowlists");
	c->rule_allow = calloc(n->count + 1, sizeof(sg_rule_allow));
	if (!c->rule_allow)
		return sg_error_set(SG_ENOMEM, "out of memory");
	for (size_t i = 0; i < n->count; i++) {
		sg_rule_allow *a = &c->rule_allow[c->nrule_allow++];
		const sg_yaml_node *v = n->items[i];
		if (!(a->rule_id = strdup(n->keys[i])))
			return sg_error_set(SG_ENOMEM, "out of memory");
		if (v->type != SG_YAML_MAP)
			return err_at(file, v->line, n->keys[i],
				      "must be a mapping of patterns, stopwords, paths");
		for (size_t k = 0; k < v->count; k++) {
			const char *key = v->keys[k];
			int r;
			if (!strcmp(key, "patterns"))
				r = get_list(file, key, v->items[k], &a->patterns, &a->npatterns);
			else if (!strcmp(key, "stopwords"))
				r = get_list(file, key, v->items[k], &a->stopwords, &a->nstopwords);
			else if (!strcmp(key, "paths"))
				r = get_list(file, key, v->items[k], &a->paths, &a->npaths);
			else
				r = err_at(file, v->key_lines[k], key, "unknown key");
			if (r < 0)
				return r;
		}
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
		const sg_yaml_node *v = root->items[i];
		unsigned kl = root->key_lines[i];
		if (!strcmp(key, "version")) {
			if (v->type != SG_YAML_SCALAR || strcmp(v->value, "1"))
				r = err_at(file, kl, key, "must be 1");
		} else if (!strcmp(key, "fail_on")) {
			if (v->type != SG_YAML_SCALAR || sg_severity_parse(&c->fail_on, v->value))
				r = err_at(file, kl, key,
					   "must be info, low, medium, high or critical");
			c->fail_on_set = 1;
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
			if (v->type != SG_YAML_MAP) {
				r = err_at(file, kl, key, "must be a mapping (disable, custom)");
				break;
			}
			for (size_t k = 0; k < v->count && r == 0; k++) {
				const char *sk = v->keys[k];
				if (!strcmp(sk, "disable"))
					r = get_list(file, "rules.disable", v->items[k], &c->disable,
						     &c->ndisable);
				else if (!strcmp(sk, "custom")) {
					if (v->items[k]->type != SG_YAML_SEQ) {
						r = err_at(file, v->key_lines[k], "rules.custom",
							   "must be a list of rules");
						break;
					}
					/* keep the subtree; rules are built when applied */
					holder *h = calloc(1, sizeof(*h));
					if (!h)
						return sg_error_set(SG_ENOMEM, "out of memory");
					h->root = v->items[k];
					v->items[k] = NULL;
					c->custom_rules = h;
				} else
					r = err_at(file, v->key_lines[k], sk, "unknown key under rules");
			}
		} else if (!strcmp(key, "allow")) {
			if (v->type != SG_YAML_MAP) {
				r = err_at(file, kl, key, "must be a mapping");
				break;
			}
			for (size_t k = 0; k < v->count && r == 0; k++) {
				const char *sk = v->keys[k];
				const sg_yaml_node *sv = v->items[k];
				if (!strcmp(sk, "paths"))
					r = get_list(file, "allow.paths", sv, &c->allow_paths,
						     &c->nallow_paths);
				else if (!strcmp(sk, "patterns"))
					r = get_list(file, "allow.patterns", sv, &c->allow_patterns,
						     &c->nallow_patterns);
				else if (!strcmp(sk, "stopwords"))
					r = get_list(file, "allow.stopwords", sv, &c->stopwords,
						     &c->nstopwords);
				else if (!strcmp(sk, "rules"))
					r = parse_rule_allow(c, file, sv);
				else
					r = err_at(file, v->key_lines[k], sk, "unknown key under allow");
			}
		} else {
			r = err_at(file, kl, key, "unknown key");
		}
	}
	if (r < 0)
		return r;
	compiled *cp = c->compiled;
	if ((r = compile_list(file, root->line, "allow.patterns", c->allow_patterns,
			      c->nallow_patterns, &cp->patterns)) < 0)
		return r;
	cp->rule_patterns = calloc(c->nrule_allow + 1, sizeof(pcre2_code **));
	if (!cp->rule_patterns)
		return sg_error_set(SG_ENOMEM, "out of memory");
	for (size_t i = 0; i < c->nrule_allow; i++)
		if ((r = compile_list(file, root->line, c->rule_allow[i].rule_id,
				      c->rule_allow[i].patterns, c->rule_allow[i].npatterns,
				      &cp->rule_patterns[i])) < 0)
			return r;
	return 0;
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
	FILE *f = fopen(path, "rb");
	if (!f)
		return sg_error_set(errno == ENOENT ? SG_ENOTFOUND : SG_EIO, "%s: %s", path,
				    strerror(errno));
	char *buf = malloc(CONFIG_MAX + 1);
	if (!buf) {
		fclose(f);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	size_t n = fread(buf, 1, CONFIG_MAX + 1, f);
	int err = ferror(f);
	fclose(f);
	int r;
	if (err)
		r = sg_error_set(SG_EIO, "%s: read error", path);
	else if (n > CONFIG_MAX)
		r = sg_error_set(SG_ETOOBIG, "%s: larger than %u bytes", path, CONFIG_MAX);
	else
		r = sg_config_parse(out, path, buf, n);
	free(buf);
	return r;
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
		if ((r = sg_ruleset_disable(rs, c->disable[i])) < 0)
			return sg_error_set(SG_EINVALID, "%s: rules.disable: %s",
					    c->path ? c->path : "config", sg_error_last());
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
	for (size_t i = 0; !allow && f->path && i < c->nallow_paths; i++)
		allow = sg_glob_match(c->allow_paths[i], f->path);
	for (size_t i = 0; !allow && f->secret && i < c->nstopwords; i++)
		allow = ci_has(f->secret, f->secret_len, c->stopwords[i]);
	if (!allow && f->secret && cp)
		allow = any_regex(cp->patterns, c->nallow_patterns, f->secret, f->secret_len);
	for (size_t i = 0; !allow && i < c->nrule_allow; i++) {
		const sg_rule_allow *a = &c->rule_allow[i];
		if (!f->rule_id || strcmp(a->rule_id, f->rule_id))
			continue;
		for (size_t k = 0; !allow && f->path && k < a->npaths; k++)
			allow = sg_glob_match(a->paths[k], f->path);
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
