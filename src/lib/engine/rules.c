/* Rule sets: loading rules from YAML (embedded defaults, --rules paths,
 * config custom rules), lazy PCRE2 compilation and the keyword prefilter. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "secretgate/secretgate.h"
#include "lib/engine/rule.h"
#include "lib/engine/pairing.h"
#include "util/yamlnode.h"
#include "util/safe_text.h"
#include "util/file.h"
#include "lib/engine/checks.h"
#include "util/grow.h"

#define RULE_FILE_MAX (16u << 20)
/* Patterns are JIT-compiled once they have run on this many windows: a
 * pre-commit hook's few files match faster interpreted than the JIT compiler
 * builds code for the rules they touch (a tenth of a 10-file staged scan). */
#define JIT_AFTER_USES 48

static void strlist_free(sg_strlist *l, int borrowed)
{
	for (size_t i = 0; !borrowed && i < l->count; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

static void rule_free(sg_rule *r)
{
	if (!r)
		return;
	if (!r->borrowed) {
		free(r->id);
		free(r->description);
		free(r->source);
		free(r->pattern);
		free(r->checksum);
		free(r->pair_with);
	}
	free(r->compile_error);
	if (r->allow_code) {
		for (size_t i = 0; i < r->allow.count; i++)
			pcre2_code_free(r->allow_code[i]);
		free(r->allow_code);
	}
	pcre2_code_free(r->code);
	pcre2_code_free(r->jit_code);
	free(r->start_pairs);
	if (r->in_pack)
		return; /* the rest is the rule set's pack block */
	strlist_free(&r->keywords, r->borrowed);
	strlist_free(&r->allow, r->borrowed);
	strlist_free(&r->stopwords, r->borrowed);
	strlist_free(&r->paths, r->borrowed);
	strlist_free(&r->not_paths, r->borrowed);
	strlist_free(&r->examples, r->borrowed);
	strlist_free(&r->negative, r->borrowed);
	strlist_free(&r->references, r->borrowed);
	free(r);
}

int sg_ruleset_new_empty(sg_ruleset **out)
{
	sg_ruleset *rs = calloc(1, sizeof(*rs));
	if (!rs)
		return sg_error_set(SG_ENOMEM, "out of memory");
	*out = rs;
	return 0;
}

void sg_ruleset_free(sg_ruleset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->count; i++)
		rule_free(rs->rules[i]);
	free(rs->rules);
	free(rs->pack_rules);
	free(rs->pack_items);
	free(rs->paired);
	free(rs->path_rules);
	if (rs->prefilter != rs->packed_prefilter)
		sg_prefilter_free(rs->prefilter);
	sg_prefilter_free(rs->packed_prefilter);
	free(rs);
}

static int bad(const char *file, unsigned line, const char *fmt, const char *arg)
{
	char what[256];
	snprintf(what, sizeof(what), fmt, arg);
	return sg_error_set(SG_EINVALID, "%s:%u: %s", file, line, what);
}

static int scalar(const char *file, const char *key, const sg_yaml_node *n, char **out)
{
	if (n->type != SG_YAML_SCALAR)
		return bad(file, n->line, "'%s' must be a string", key);
	*out = strdup(n->value);
	return *out ? 0 : sg_error_set(SG_ENOMEM, "out of memory");
}

static int strlist(const char *file, const char *key, const sg_yaml_node *n, sg_strlist *out)
{
	if (n->type == SG_YAML_SCALAR) {
		out->items = malloc(sizeof(char *));
		if (!out->items || !(out->items[0] = strdup(n->value)))
			return sg_error_set(SG_ENOMEM, "out of memory");
		out->count = 1;
		return 0;
	}
	if (n->type != SG_YAML_SEQ)
		return bad(file, n->line, "'%s' must be a list of strings", key);
	out->items = calloc(n->count ? n->count : 1, sizeof(char *));
	if (!out->items)
		return sg_error_set(SG_ENOMEM, "out of memory");
	for (size_t i = 0; i < n->count; i++) {
		if (n->items[i]->type != SG_YAML_SCALAR)
			return bad(file, n->items[i]->line, "'%s' must be a list of strings", key);
		if (!(out->items[i] = strdup(n->items[i]->value)))
			return sg_error_set(SG_ENOMEM, "out of memory");
		out->count++;
	}
	return 0;
}

static int number(const char *file, const char *key, const sg_yaml_node *n, double lo, double hi,
                  double *out)
{
	char *end;
	if (n->type != SG_YAML_SCALAR)
		return bad(file, n->line, "'%s' must be a number", key);
	errno = 0;
	double v = strtod(n->value, &end);
	if (errno || end == n->value || *end || v < lo || v > hi)
		return bad(file, n->line, "'%s' is not a number in range", key);
	*out = v;
	return 0;
}

static int valid_id(const char *id)
{
	if (!*id || strlen(id) > 40)
		return 0;
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		      *p == '_' || *p == '.'))
			return 0;
	return 1;
}

/* pair: {with: RULE_ID, role: id|secret, within_lines: N, alone: true|false} */
static int parse_pair(const char *file, const sg_yaml_node *n, sg_rule *rule)
{
	if (n->type != SG_YAML_MAP)
		return bad(file, n->line, "%s",
		           "'pair' must be a mapping (with, role, within_lines)");
	int r = 0;
	rule->pair_within = SG_PAIR_WITHIN_DEFAULT;
	rule->pair_alone = -1;
	for (size_t i = 0; i < n->count && r == 0; i++) {
		const char *k = n->keys[i];
		const sg_yaml_node *v = n->items[i];
		double d;
		if (!strcmp(k, "with")) {
			if (!(r = scalar(file, k, v, &rule->pair_with)) &&
			    !valid_id(rule->pair_with))
				r = bad(file, v->line, "pair.with '%s' is not a rule id",
				        rule->pair_with);
		} else if (!strcmp(k, "role")) {
			if (v->type == SG_YAML_SCALAR && !strcmp(v->value, "id"))
				rule->pair_role = SG_PAIR_ID;
			else if (v->type == SG_YAML_SCALAR && !strcmp(v->value, "secret"))
				rule->pair_role = SG_PAIR_SECRET;
			else
				r = bad(file, v->line, "%s", "pair.role must be id or secret");
		} else if (!strcmp(k, "within_lines")) {
			if (!(r = number(file, k, v, 0, SG_PAIR_WITHIN_MAX, &d)))
				rule->pair_within = (uint32_t)d;
		} else if (!strcmp(k, "alone")) {
			if (v->type == SG_YAML_SCALAR && !strcmp(v->value, "true"))
				rule->pair_alone = 1;
			else if (v->type == SG_YAML_SCALAR && !strcmp(v->value, "false"))
				rule->pair_alone = 0;
			else
				r = bad(file, v->line, "%s", "pair.alone must be true or false");
		} else {
			r = bad(file, n->key_lines[i], "unknown pair key '%s'", k);
		}
	}
	if (r == 0 && (!rule->pair_with || rule->pair_role == SG_PAIR_NONE))
		r = bad(file, n->line, "%s", "'pair' needs 'with' and 'role'");
	/* a secret part is a secret on its own; only an id part may be held back */
	if (r == 0 && rule->pair_alone == 0 && rule->pair_role == SG_PAIR_SECRET)
		r = bad(file, n->line, "%s", "pair.alone: false is for id parts only");
	if (rule->pair_alone < 0)
		rule->pair_alone = 1;
	return r;
}

static int parse_rule(const char *file, const sg_yaml_node *n, sg_rule **out)
{
	int r = 0;
	if (n->type != SG_YAML_MAP)
		return bad(file, n->line, "%s", "a rule must be a mapping");
	sg_rule *rule = calloc(1, sizeof(*rule));
	if (!rule)
		return sg_error_set(SG_ENOMEM, "out of memory");
	rule->line = n->line;
	rule->severity = SG_SEV_HIGH;
	rule->confidence = SG_CONF_MEDIUM;
	rule->window = 512;
	rule->enabled = 1;
	for (size_t i = 0; i < n->count && r == 0; i++) {
		const char *k = n->keys[i];
		const sg_yaml_node *v = n->items[i];
		double d;
		if (!strcmp(k, "id"))
			r = scalar(file, k, v, &rule->id);
		else if (!strcmp(k, "description"))
			r = scalar(file, k, v, &rule->description);
		else if (!strcmp(k, "pattern"))
			r = scalar(file, k, v, &rule->pattern);
		else if (!strcmp(k, "checksum"))
			r = scalar(file, k, v, &rule->checksum);
		else if (!strcmp(k, "severity")) {
			if (v->type != SG_YAML_SCALAR ||
			    sg_severity_parse(&rule->severity, v->value))
				r = bad(file, v->line, "%s",
				        "'severity' must be info, low, medium, high or critical");
		} else if (!strcmp(k, "confidence")) {
			if (v->type != SG_YAML_SCALAR ||
			    sg_confidence_parse(&rule->confidence, v->value))
				r = bad(file, v->line, "%s",
				        "'confidence' must be low, medium or high");
		} else if (!strcmp(k, "entropy")) {
			if (!(r = number(file, k, v, 0, 8, &d)))
				rule->entropy = d;
		} else if (!strcmp(k, "window")) {
			if (!(r = number(file, k, v, 16, 65536, &d)))
				rule->window = (uint32_t)d;
		} else if (!strcmp(k, "kind")) {
			if (v->type != SG_YAML_SCALAR || sg_rule_kind_parse(&rule->kind, v->value))
				r = bad(file, v->line, "%s",
				        "'kind' must be provider, generic or store");
		} else if (!strcmp(k, "contexts")) {
			sg_strlist l = {0};
			r = strlist(file, k, v, &l);
			for (size_t j = 0; r == 0 && j < l.count; j++) {
				sg_context c;
				if (sg_context_parse(&c, l.items[j]) < 0)
					r = bad(file, v->line, "unknown context '%s'", l.items[j]);
				else
					rule->contexts |= 1u << c;
			}
			for (size_t j = 0; j < l.count; j++)
				free(l.items[j]);
			free(l.items);
		} else if (!strcmp(k, "enabled")) {
			rule->enabled = !(v->type == SG_YAML_SCALAR && !strcmp(v->value, "false"));
		} else if (!strcmp(k, "keywords"))
			r = strlist(file, k, v, &rule->keywords);
		else if (!strcmp(k, "allow"))
			r = strlist(file, k, v, &rule->allow);
		else if (!strcmp(k, "stopwords"))
			r = strlist(file, k, v, &rule->stopwords);
		else if (!strcmp(k, "paths"))
			r = strlist(file, k, v, &rule->paths);
		else if (!strcmp(k, "not_paths"))
			r = strlist(file, k, v, &rule->not_paths);
		else if (!strcmp(k, "examples"))
			r = strlist(file, k, v, &rule->examples);
		else if (!strcmp(k, "negative_examples"))
			r = strlist(file, k, v, &rule->negative);
		else if (!strcmp(k, "references"))
			r = strlist(file, k, v, &rule->references);
		else if (!strcmp(k, "pair"))
			r = parse_pair(file, v, rule);
		else
			r = bad(file, n->key_lines[i], "unknown rule key '%s'", sg_text_name(k));
	}
	if (r == 0 && !rule->id)
		r = bad(file, n->line, "%s", "rule has no 'id'");
	if (r == 0 && !valid_id(rule->id))
		r = bad(file, n->line, "rule id '%s' must be lowercase letters, digits and '-'",
		        sg_text_name(rule->id));
	if (r == 0 && !rule->pattern)
		r = bad(file, n->line, "rule '%s' has no 'pattern'", sg_text_name(rule->id));
	/* without keywords a rule must be limited to paths: it then reads the head
	 * of those files only (a Rails master.key is 32 hex digits and nothing else) */
	if (r == 0 && rule->keywords.count == 0 && rule->paths.count == 0)
		r = bad(file, n->line,
		        "rule '%s' needs at least one keyword, or paths to limit it to",
		        sg_text_name(rule->id));
	for (size_t i = 0; r == 0 && i < rule->keywords.count; i++)
		if (strlen(rule->keywords.items[i]) < 2 || strlen(rule->keywords.items[i]) > 255)
			r = bad(file, n->line, "rule '%s': keywords must be 2..255 bytes",
			        sg_text_name(rule->id));
	if (r == 0 && rule->checksum && !sg_checksum_known(rule->checksum))
		r = bad(file, n->line, "unknown checksum validator '%s'",
		        sg_text_name(rule->checksum));
	if (r == 0 && !rule->description && !(rule->description = strdup(rule->id)))
		r = sg_error_set(SG_ENOMEM, "out of memory");
	if (r == 0 && !(rule->source = strdup(file)))
		r = sg_error_set(SG_ENOMEM, "out of memory");
	if (r < 0) {
		rule_free(rule);
		return r;
	}
	*out = rule;
	return 0;
}

static int ruleset_append(sg_ruleset *rs, sg_rule *rule)
{
	rs->pristine = 0;
	if (rs->count == rs->cap) {
		size_t ncap = rs->cap ? rs->cap * 2 : 512;
		sg_rule **n = realloc(rs->rules, ncap * sizeof(*n));
		if (!n)
			return sg_error_set(SG_ENOMEM, "out of memory");
		rs->rules = n;
		rs->cap = ncap;
	}
	rs->rules[rs->count++] = rule;
	return 0;
}

static int ruleset_push(sg_ruleset *rs, sg_rule *rule)
{
	for (size_t i = 0; i < rs->count; i++)
		if (!strcmp(rs->rules[i]->id, rule->id)) {
			/* a later definition replaces an earlier one (custom overrides default) */
			rule_free(rs->rules[i]);
			rs->rules[i] = rule;
			rs->pristine = 0;
			return 0;
		}
	return ruleset_append(rs, rule);
}

static int add_yaml(sg_ruleset *rs, const char *name, const char *text, size_t len, int eager)
{
	sg_yaml_node *root = NULL;
	int r = sg_yaml_parse(&root, name, text, len);
	if (r < 0)
		return r;
	if (!root)
		return 0;
	const sg_yaml_node *list = NULL;
	if (root->type == SG_YAML_MAP) {
		for (size_t i = 0; i < root->count; i++)
			if (strcmp(root->keys[i], "rules")) {
				r = bad(name, root->key_lines[i], "unknown top-level key '%s'",
				        sg_text_name(root->keys[i]));
				goto out;
			}
		list = sg_yaml_get(root, "rules");
	} else if (root->type == SG_YAML_SEQ) {
		list = root;
	}
	if (!list || list->type != SG_YAML_SEQ) {
		r = bad(name, root->line, "%s", "expected 'rules:' with a list of rules");
		goto out;
	}
	r = sg_ruleset_add_node(rs, name, list, eager);
out:
	sg_yaml_free(root);
	return r;
}

int sg_ruleset_add_node(sg_ruleset *rs, const char *name, const sg_yaml_node *list, int eager)
{
	int r = 0;
	if (list->type != SG_YAML_SEQ)
		return bad(name, list->line, "%s", "expected a list of rules");
	for (size_t i = 0; i < list->count; i++) {
		sg_rule *rule = NULL; /* gcc -O1 (TSan build) cannot see parse_rule sets it */
		if ((r = parse_rule(name, list->items[i], &rule)) < 0)
			return r;
		if (eager && (r = sg_rule_compile(rule)) < 0) {
			r = sg_error_set(SG_EINVALID, "%s:%u: rule '%s': %s", name, rule->line,
			                 sg_text_name(rule->id), rule->compile_error);
			rule_free(rule);
			return r;
		}
		if ((r = ruleset_push(rs, rule)) < 0) {
			rule_free(rule);
			return r;
		}
	}
	return 0;
}

int sg_ruleset_add_yaml(sg_ruleset *rs, const char *name, const char *text, size_t len)
{
	return add_yaml(rs, name, text, len, 1);
}

/* A cursor over a pack; any read past the end marks it bad. */
typedef struct pack_cursor {
	const char *p, *end;
	int bad;
} pack_cursor;

static uint32_t pack_u32(pack_cursor *c)
{
	if (c->end - c->p < 4) {
		c->bad = 1;
		return 0;
	}
	const unsigned char *b = (const unsigned char *)c->p;
	c->p += 4;
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* A string: its u32 length, its bytes, then a NUL (the reader's only check). */
static char *pack_str(pack_cursor *c)
{
	uint32_t n = pack_u32(c);
	if (c->bad || (size_t)(c->end - c->p) <= n || c->p[n] != '\0') {
		c->bad = 1;
		return (char *)"";
	}
	char *s = (char *)c->p;
	c->p += n + 1;
	return s;
}

/* A list's strings, into the next n of the pack's items[cap] (*used so far). */
static void pack_list(pack_cursor *c, sg_strlist *l, char **items, size_t *used, size_t cap)
{
	uint32_t n = pack_u32(c);
	if (c->bad || n > cap - *used) {
		c->bad = 1;
		return;
	}
	if (n == 0)
		return;
	l->items = items + *used;
	*used += n;
	for (uint32_t i = 0; i < n; i++)
		l->items[i] = pack_str(c);
	l->count = n;
}

int sg_ruleset_add_pack(sg_ruleset *rs, const char *data, size_t len)
{
	pack_cursor c = {data, data + len, 0};
	if (len < 6 || memcmp(data, "SGPK5\n", 6) != 0)
		return sg_error_set(SG_EINVALID, "embedded rules: not a rule pack");
	if (rs->pack_rules)
		return sg_error_set(SG_EINVALID, "embedded rules: a rule set holds one pack");
	c.p += 6;
	uint32_t n = pack_u32(&c), nitems = pack_u32(&c);
	/* every rule and every list string takes more than a byte of the pack */
	if (c.bad || n > len || nitems > len)
		return sg_error_set(SG_EINVALID, "embedded rules: truncated pack");
	size_t used = 0;
	if ((n && !(rs->pack_rules = calloc(n, sizeof(sg_rule)))) ||
	    (nitems && !(rs->pack_items = malloc(nitems * sizeof(char *)))))
		return sg_error_set(SG_ENOMEM, "out of memory");
	for (uint32_t i = 0; i < n && !c.bad; i++) {
		sg_rule *r = &rs->pack_rules[i];
		r->borrowed = 1;
		r->in_pack = 1;
		r->id = pack_str(&c);
		r->description = pack_str(&c);
		r->source = pack_str(&c);
		r->pattern = pack_str(&c);
		r->checksum = pack_str(&c);
		if (!*r->checksum)
			r->checksum = NULL;
		r->line = pack_u32(&c);
		r->severity = (sg_severity)pack_u32(&c);
		r->confidence = (sg_confidence)pack_u32(&c);
		r->window = pack_u32(&c);
		r->enabled = (int)pack_u32(&c);
		r->entropy = pack_u32(&c) / 1000.0;
		r->kind = (int)pack_u32(&c);
		r->contexts = pack_u32(&c);
		r->pair_with = pack_str(&c);
		if (!*r->pair_with)
			r->pair_with = NULL;
		r->pair_role = (sg_pair_role)pack_u32(&c);
		r->pair_within = pack_u32(&c);
		r->pair_alone = (int)pack_u32(&c);
		int e = 0;
		sg_strlist *lists[] = {&r->keywords,  &r->allow,    &r->stopwords, &r->paths,
		                       &r->not_paths, &r->examples, &r->negative,  &r->references};
		for (size_t k = 0; k < 8; k++)
			pack_list(&c, lists[k], rs->pack_items, &used, nitems);
		if (c.bad || (e = ruleset_append(rs, r)) < 0)
			return e < 0 ? e
			             : sg_error_set(SG_EINVALID, "embedded rules: truncated pack");
	}
	if (c.bad)
		return sg_error_set(SG_EINVALID, "embedded rules: truncated pack");
	/* then, 4-byte aligned, the prefilter built from exactly these rules */
	size_t off = (size_t)(c.p - data);
	off = (off + 3) & ~(size_t)3;
	if (off < len && rs->count == n) {
		int r = sg_prefilter_read(&rs->packed_prefilter, data + off, len - off);
		if (r < 0)
			return r;
		rs->pristine = 1;
	}
	return 0;
}

int sg_ruleset_new_default(sg_ruleset **out)
{
	sg_ruleset *rs = NULL;
	int r = sg_ruleset_new_empty(&rs);
	if (r < 0)
		return r;
	/* the pack was checked at build time (every pattern compiled): compile lazily */
	if ((r = sg_ruleset_add_pack(rs, sg_rules_pack, sg_rules_pack_size)) < 0) {
		sg_ruleset_free(rs);
		return r;
	}
	*out = rs;
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_yaml_ext(const char *n)
{
	size_t l = strlen(n);
	return (l > 5 && !strcmp(n + l - 5, ".yaml")) || (l > 4 && !strcmp(n + l - 4, ".yml"));
}

int sg_ruleset_add_path(sg_ruleset *rs, const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return sg_error_set(SG_ENOTFOUND, "%s: %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		if (!d)
			return sg_error_set(SG_EIO, "%s: %s", path, strerror(errno));
		char **names = NULL;
		size_t n = 0, cap = 0;
		int r = 0;
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.' || !has_yaml_ext(e->d_name))
				continue;
			if (n == cap && SG_GROW(names, cap, 16) < 0) {
				r = sg_error_set(SG_ENOMEM, "out of memory");
				break;
			}
			size_t need = strlen(path) + strlen(e->d_name) + 2;
			if (!(names[n] = malloc(need))) {
				r = sg_error_set(SG_ENOMEM, "out of memory");
				break;
			}
			snprintf(names[n++], need, "%s/%s", path, e->d_name);
		}
		closedir(d);
		if (n)
			qsort(names, n, sizeof(*names), cmp_names);
		for (size_t i = 0; i < n; i++) {
			if (r == 0)
				r = sg_ruleset_add_path(rs, names[i]);
			free(names[i]);
		}
		free(names);
		return r;
	}
	char *text = NULL;
	size_t len = 0;
	int r = sg_file_read(&text, &len, path, RULE_FILE_MAX);
	if (r < 0)
		return r;
	r = add_yaml(rs, path, text, len, 1);
	free(text);
	return r;
}

int sg_ruleset_disable(sg_ruleset *rs, const char *id)
{
	for (size_t i = 0; i < rs->count; i++)
		if (!strcmp(rs->rules[i]->id, id)) {
			rs->rules[i]->enabled = 0;
			return 0;
		}
	return sg_error_set(SG_ENOTFOUND, "no rule with id '%s'", sg_text_name(id));
}

int sg_ruleset_finalize(sg_ruleset *rs)
{
	if (rs->prefilter != rs->packed_prefilter)
		sg_prefilter_free(rs->prefilter);
	rs->prefilter = NULL;
	int r = sg_pairing_prepare(rs);
	if (r < 0)
		return r;
	free(rs->path_rules);
	rs->npath_rules = 0;
	if (!(rs->path_rules = malloc((rs->count + 1) * sizeof(*rs->path_rules))))
		return sg_error_set(SG_ENOMEM, "out of memory");
	for (size_t i = 0; i < rs->count; i++)
		if (!rs->rules[i]->keywords.count)
			rs->path_rules[rs->npath_rules++] = rs->rules[i];
	/* the default rules, unchanged: their prefilter was built at build time */
	if (rs->pristine && rs->packed_prefilter) {
		rs->prefilter = rs->packed_prefilter;
		return 0;
	}
	r = sg_prefilter_new(&rs->prefilter);
	for (size_t i = 0; r == 0 && i < rs->count; i++) {
		if (!rs->rules[i]->enabled)
			continue;
		for (size_t k = 0; r == 0 && k < rs->rules[i]->keywords.count; k++)
			r = sg_prefilter_add(rs->prefilter, rs->rules[i]->keywords.items[k],
			                     (uint32_t)i);
	}
	if (r == 0)
		r = sg_prefilter_build(rs->prefilter);
	return r;
}

int sg_rule_compile(sg_rule *r)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	int state = __atomic_load_n(&r->compile_state, __ATOMIC_ACQUIRE);
	if (state)
		return state > 0 ? 0 : SG_EINVALID;
	pthread_mutex_lock(&lock);
	if (r->compile_state == 0) {
		int err;
		PCRE2_SIZE off;
		char msg[256];
		r->keyword_anchored = sg_pattern_starts_with_keyword(r->pattern, &r->keywords);
		r->keyword_offset = r->keyword_anchored
		                            ? 0
		                            : sg_pattern_keyword_offset(r->pattern, &r->keywords);
		r->keyword_anchored |= r->keyword_offset > 0;
		r->probe_width = 0;
		if (r->keyword_anchored) {
			/* a byte past the shortest keyword, where most hits of a
			 * keyword that is common in code fail ("pat" in "path") */
			size_t shortest = (size_t)-1, w;
			for (size_t k = 0; k < r->keywords.count; k++) {
				size_t kl = strlen(r->keywords.items[k]);
				shortest = kl < shortest ? kl : shortest;
			}
			unsigned char b;
			int folds;
			if (sg_pattern_probe(r->pattern, (size_t)r->keyword_offset + shortest, &w,
			                     &b, &folds)) {
				r->probe_width = (uint32_t)w;
				r->probe_byte = folds ? (unsigned char)sg_fold_ascii(b) : b;
				r->probe_folds = folds;
			}
		}
		if (!r->keyword_anchored &&
		    sg_pattern_start_pairs(r->pattern, &r->start_pairs) < 0) {
			r->compile_error = strdup("out of memory");
			__atomic_store_n(&r->compile_state, -1, __ATOMIC_RELEASE);
			pthread_mutex_unlock(&lock);
			return SG_ENOMEM;
		}
		int anchored = r->keyword_anchored || r->start_pairs;
		r->need = -1;
		r->code = pcre2_compile((PCRE2_SPTR)r->pattern, PCRE2_ZERO_TERMINATED,
		                        anchored ? PCRE2_ANCHORED : PCRE2_USE_OFFSET_LIMIT, &err,
		                        &off, NULL);
		uint32_t last_type = 0, last_unit = 0;
		if (r->code && anchored &&
		    pcre2_pattern_info(r->code, PCRE2_INFO_LASTCODETYPE, &last_type) == 0 &&
		    last_type == 1 &&
		    pcre2_pattern_info(r->code, PCRE2_INFO_LASTCODEUNIT, &last_unit) == 0 &&
		    last_unit < 256) {
			/* the byte PCRE2 would look for before each try, then the code
			 * without that look (compiled again only when there is one) */
			r->need = (int)last_unit;
			pcre2_code_free(r->code);
			r->code = pcre2_compile((PCRE2_SPTR)r->pattern, PCRE2_ZERO_TERMINATED,
			                        PCRE2_ANCHORED | PCRE2_NO_START_OPTIMIZE, &err,
			                        &off, NULL);
		}
		if (!r->code) {
			pcre2_get_error_message(err, (PCRE2_UCHAR *)msg, sizeof(msg));
			char full[320];
			snprintf(full, sizeof(full), "bad pattern at offset %zu: %s", (size_t)off,
			         msg);
			r->compile_error = strdup(full);
			__atomic_store_n(&r->compile_state, -1, __ATOMIC_RELEASE);
			pthread_mutex_unlock(&lock);
			return SG_EINVALID;
		}
		int named = pcre2_substring_number_from_name(r->code, (PCRE2_SPTR) "secret");
		uint32_t groups = 0;
		pcre2_pattern_info(r->code, PCRE2_INFO_CAPTURECOUNT, &groups);
		r->secret_group = named > 0 ? named : (groups > 0 ? 1 : 0);
		if (r->allow.count) {
			r->allow_code = calloc(r->allow.count, sizeof(*r->allow_code));
			if (!r->allow_code) {
				/* marked failed, not compiled: the scanner would match
				 * through a NULL array */
				r->compile_error = strdup("out of memory");
				__atomic_store_n(&r->compile_state, -1, __ATOMIC_RELEASE);
				pthread_mutex_unlock(&lock);
				return SG_ENOMEM;
			}
			for (size_t i = 0; i < r->allow.count; i++) {
				r->allow_code[i] =
				        pcre2_compile((PCRE2_SPTR)r->allow.items[i],
				                      PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
				if (!r->allow_code[i]) {
					pcre2_get_error_message(err, (PCRE2_UCHAR *)msg,
					                        sizeof(msg));
					char full[320];
					snprintf(full, sizeof(full), "bad allow pattern %zu: %s",
					         i + 1, msg);
					r->compile_error = strdup(full);
					__atomic_store_n(&r->compile_state, -1, __ATOMIC_RELEASE);
					pthread_mutex_unlock(&lock);
					return SG_EINVALID;
				}
			}
		}
		__atomic_store_n(&r->compile_state, 1, __ATOMIC_RELEASE);
	}
	int ok = r->compile_state > 0;
	pthread_mutex_unlock(&lock);
	return ok ? 0 : SG_EINVALID;
}

const pcre2_code *sg_rule_code(sg_rule *r)
{
	pcre2_code *j = __atomic_load_n(&r->jit_code, __ATOMIC_ACQUIRE);
	if (j)
		return j;
#ifndef SG_NO_JIT
	/* valgrind cannot follow JIT code (SIMD reads past a buffer look like
	 * errors there): tests/valgrind.sh builds with -DSG_NO_JIT. Exactly one
	 * thread sees the count reach the mark and builds the copy; others keep
	 * using the interpreted code, which stays valid. */
	if (__atomic_add_fetch(&r->uses, 1, __ATOMIC_RELAXED) == JIT_AFTER_USES) {
		pcre2_code *copy = pcre2_code_copy(r->code);
		if (copy && pcre2_jit_compile(copy, PCRE2_JIT_COMPLETE) == 0)
			__atomic_store_n(&r->jit_code, copy, __ATOMIC_RELEASE);
		else
			pcre2_code_free(copy);
	}
#endif
	return r->code;
}

size_t sg_ruleset_count(const sg_ruleset *rs)
{
	return rs->count;
}

const sg_rule *sg_ruleset_get(const sg_ruleset *rs, size_t i)
{
	return i < rs->count ? rs->rules[i] : NULL;
}

const sg_rule *sg_ruleset_find(const sg_ruleset *rs, const char *id)
{
	/* the first byte before the call: start-up resolves every pair here */
	for (size_t i = 0; i < rs->count; i++)
		if (rs->rules[i]->id[0] == id[0] && !strcmp(rs->rules[i]->id, id))
			return rs->rules[i];
	return NULL;
}

const char *sg_rule_id(const sg_rule *r)
{
	return r->id;
}
const char *sg_rule_description(const sg_rule *r)
{
	return r->description;
}
sg_severity sg_rule_severity(const sg_rule *r)
{
	return r->severity;
}
const char *sg_rule_checksum(const sg_rule *r)
{
	return r->checksum;
}
const char *sg_rule_source(const sg_rule *r)
{
	return r->source;
}
size_t sg_rule_keyword_count(const sg_rule *r)
{
	return r->keywords.count;
}
const char *sg_rule_keyword(const sg_rule *r, size_t i)
{
	return i < r->keywords.count ? r->keywords.items[i] : NULL;
}
size_t sg_rule_reference_count(const sg_rule *r)
{
	return r->references.count;
}
const char *sg_rule_reference(const sg_rule *r, size_t i)
{
	return i < r->references.count ? r->references.items[i] : NULL;
}
size_t sg_rule_example_count(const sg_rule *r, int negative)
{
	return negative ? r->negative.count : r->examples.count;
}
const char *sg_rule_example(const sg_rule *r, int negative, size_t i)
{
	const sg_strlist *l = negative ? &r->negative : &r->examples;
	return i < l->count ? l->items[i] : NULL;
}
int sg_rule_enabled(const sg_rule *r)
{
	return r->enabled;
}
