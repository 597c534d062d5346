/* Policy files read from a commit through libgit2 (never the working tree,
 * never the git binary), what a range changes in them, and the inline allow
 * markers a range adds. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <git2.h>
#include "secretgate/policy_rev.h"
#include "lib/sources/source_git_internal.h"
#include "util/yamlnode.h"

/* the size cap git modes apply when the config sets none */
#define DEFAULT_MAX_FILE (100ull * 1000 * 1000)
/* fingerprints named in one finding; the rest are counted */
#define FINGERPRINTS_SHOWN 3

static const char changed_help[] =
        "In range and CI modes the policy is read from the base revision, so this change "
        "takes effect only once it is merged. Have a reviewer approve it; a run that is to "
        "trust the range's own policy says --policy-from HEAD (see docs/security.md).";
static const char allow_help[] =
        "An inline secretgate:allow marker accepts this finding. Check that it is not a real "
        "secret; --fail-on-new-allows makes new markers block.";

/* ---- paths ---- */

/* Lexically normalised components of path appended to out (which holds o
 * bytes of an absolute path, "" for the root): "." and empty components
 * dropped, ".." removes the last one. Returns 0, or -1 when ".." would leave
 * the start and `stay` is set. */
static int path_join(char *out, size_t *o, const char *path, int stay)
{
	const char *p = path;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (l == 0 || (l == 1 && p[0] == '.')) {
			/* nothing */
		} else if (l == 2 && p[0] == '.' && p[1] == '.') {
			if (*o == 0 && stay)
				return -1;
			while (*o > 0 && out[*o - 1] != '/')
				(*o)--;
			if (*o > 0)
				(*o)--;
		} else {
			if (*o || !stay)
				out[(*o)++] = '/';
			memcpy(out + *o, p, l);
			*o += l;
		}
		p += l;
		if (*p == '/')
			p++;
	}
	out[*o] = '\0';
	return 0;
}

/* A repository path from a name in a config: NULL when it is absolute,
 * empty or leaves the root. */
static char *repo_path_clean(const char *name)
{
	if (!name[0] || name[0] == '/')
		return NULL;
	char *out = malloc(strlen(name) + 1);
	size_t o = 0;
	if (!out)
		return NULL;
	if (path_join(out, &o, name, 1) < 0 || o == 0) {
		free(out);
		return NULL;
	}
	return out;
}

int sg_policy_repo_path(char **rel, const char *workdir, const char *cwd, const char *path)
{
	*rel = NULL;
	if (!workdir || !path || !path[0])
		return 0;
	char root[PATH_MAX], abs[2 * PATH_MAX + 2];
	size_t rl = 0, al = 0;
	char real[PATH_MAX];
	/* the working tree as the kernel names it, so a cwd from getcwd compares */
	const char *wd = realpath(workdir, real) ? real : workdir;
	if (strlen(wd) >= sizeof(root) || strlen(path) >= PATH_MAX ||
	    (cwd && strlen(cwd) >= PATH_MAX))
		return 0;
	path_join(root, &rl, wd, 0);
	if (path[0] != '/' && cwd)
		path_join(abs, &al, cwd, 0);
	path_join(abs, &al, path, 0);
	if (rl == 0 || al <= rl + 1 || strncmp(abs, root, rl) != 0 || abs[rl] != '/')
		return 0;
	*rel = strdup(abs + rl + 1);
	return *rel ? 1 : sg_error_set(SG_ENOMEM, "out of memory");
}

/* ---- reading one commit's policy ---- */

static void file_free(sg_policy_file *pf)
{
	free(pf->path);
	free(pf->text);
	memset(pf, 0, sizeof(*pf));
}

void sg_policy_free(sg_policy *p)
{
	if (!p)
		return;
	free(p->author);
	free(p->email);
	free(p->date);
	sg_config_free(p->config);
	file_free(&p->config_file);
	file_free(&p->ignore_file);
	file_free(&p->baseline_file);
	sg_fingerprint_set_free(&p->ignore);
	sg_fingerprint_set_free(&p->baseline);
	free(p->error);
	free(p);
}

/* Read path from tree into pf: 1 present, 0 absent, <0 error. Only a regular
 * file counts: a link's target would be another file of the PR's choosing. */
static int read_file(sg_policy_file *pf, git_repository *repo, git_tree *tree, const char *path,
                     size_t max, const char *commit)
{
	git_tree_entry *e = NULL;
	git_odb *odb = NULL;
	git_odb_object *obj = NULL;
	if (!(pf->path = strdup(path)))
		return sg_error_set(SG_ENOMEM, "out of memory");
	int rc = git_tree_entry_bypath(&e, tree, path);
	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc < 0)
		return sg_git_error(SG_EIO, path);
	git_filemode_t mode = git_tree_entry_filemode(e);
	git_oid id = *git_tree_entry_id(e);
	git_tree_entry_free(e);
	if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE)
		return sg_error_set(SG_EINVALID, "%.12s:%s: not a regular file", commit, path);
	size_t size;
	git_object_t type;
	if (git_repository_odb(&odb, repo) < 0)
		return sg_git_error(SG_EIO, "object database");
	rc = git_odb_read_header(&size, &type, odb, &id);
	if (rc == 0 && size > max)
		rc = sg_error_set(SG_ETOOBIG, "%.12s:%s: larger than %zu bytes", commit, path, max);
	else if (rc < 0 || git_odb_read(&obj, odb, &id) < 0)
		rc = sg_git_error(SG_EIO, path);
	else if (!(pf->text = malloc(size + 1)))
		rc = sg_error_set(SG_ENOMEM, "out of memory");
	else {
		memcpy(pf->text, git_odb_object_data(obj), size);
		pf->text[size] = '\0';
		pf->len = size;
		pf->present = 1;
		git_oid_tostr(pf->blob, sizeof(pf->blob), &id);
		rc = 1;
	}
	git_odb_object_free(obj);
	git_odb_free(odb);
	return rc;
}

/* A fingerprint list named by the config (or --baseline): from the tree, or
 * from disk when the trusted side names an absolute path. */
static int read_list(sg_policy *p, sg_policy_file *pf, sg_fingerprint_set *set,
                     git_repository *repo, git_tree *tree, const char *name, int required,
                     int lenient)
{
	char where[512];
	if (name[0] == '/') {
		/* outside the repository: the range cannot change it; a head's
		 * copy is not read (the config's path change is reported) */
		if (!(pf->path = strdup(name)))
			return sg_error_set(SG_ENOMEM, "out of memory");
		if (lenient)
			return 0;
		int r = sg_fingerprint_set_load(set, name);
		if (r == SG_ENOTFOUND && !required)
			return 0;
		if (r == 0)
			pf->present = 1;
		return r;
	}
	char *path = repo_path_clean(name);
	if (!path)
		return sg_error_set(SG_EINVALID,
		                    "%.12s: '%.200s' is not a path inside the repository",
		                    p->commit, name);
	int r = read_file(pf, repo, tree, path, SG_FINGERPRINT_LIST_MAX, p->commit);
	free(path);
	if (r == 0 && required)
		return sg_error_set(SG_ENOTFOUND,
		                    "%s: not in revision %.12s (the policy is read from there)",
		                    pf->path, p->commit);
	if (r <= 0)
		return r;
	snprintf(where, sizeof(where), "%.12s:%s", p->commit, pf->path);
	return sg_fingerprint_set_parse(set, where, pf->text, pf->len);
}

/* A head's unreadable file is a finding, not an error: the first reason is
 * kept and reading goes on with what is left. */
static int soft(sg_policy *p, int r, int lenient)
{
	if (r >= 0 || !lenient || r == SG_ENOMEM)
		return r;
	if (!p->error && !(p->error = strdup(sg_error_last())))
		return sg_error_set(SG_ENOMEM, "out of memory");
	return 0;
}

static int policy_at(sg_policy **out, git_repository *repo, const git_oid *id,
                     const sg_policy_source *src, int lenient)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	char date[64];
	int r = 0;
	sg_policy *p = calloc(1, sizeof(*p));
	*out = NULL;
	if (!p)
		return sg_error_set(SG_ENOMEM, "out of memory");
	git_oid_tostr(p->commit, sizeof(p->commit), id);
	if (git_commit_lookup(&c, repo, id) < 0 || git_commit_tree(&tree, c) < 0) {
		r = sg_git_error(SG_EIO, p->commit);
		goto done;
	}
	const git_signature *a = git_commit_author(c);
	sg_git_format_date(date, sizeof(date), &a->when);
	if (!(p->author = strdup(a->name ? a->name : "")) ||
	    !(p->email = strdup(a->email ? a->email : "")) || !(p->date = strdup(date))) {
		r = sg_error_set(SG_ENOMEM, "out of memory");
		goto done;
	}
	if (src->config_file) {
		r = sg_config_load(&p->config, src->config_file);
	} else if (src->config) {
		char *path = repo_path_clean(src->config);
		r = path ? read_file(&p->config_file, repo, tree, path, SG_CONFIG_MAX, p->commit)
		         : sg_error_set(SG_EINVALID, "'%.200s' is not a path inside the repository",
		                        src->config);
		free(path);
		if (r == 1) {
			char where[512];
			snprintf(where, sizeof(where), "%.12s:%s", p->commit, p->config_file.path);
			r = sg_config_parse(&p->config, where, p->config_file.text,
			                    p->config_file.len);
		}
		r = soft(p, r, lenient);
	}
	if (r >= 0 && !p->config)
		r = sg_config_new_default(&p->config);
	if (r < 0)
		goto done;
	const char *ignore = p->config->ignore_file ? p->config->ignore_file : ".secretgateignore";
	r = soft(p, read_list(p, &p->ignore_file, &p->ignore, repo, tree, ignore, 0, lenient),
	         lenient);
	if (r < 0)
		goto done;
	if (src->baseline)
		r = read_list(p, &p->baseline_file, &p->baseline, repo, tree, src->baseline, 1,
		              lenient);
	else if (!src->baseline_on_disk && p->config->baseline)
		r = read_list(p, &p->baseline_file, &p->baseline, repo, tree, p->config->baseline,
		              0, lenient);
	r = soft(p, r, lenient);
done:
	git_tree_free(tree);
	git_commit_free(c);
	if (r < 0) {
		sg_policy_free(p);
		return r;
	}
	*out = p;
	return 0;
}

int sg_policy_read(sg_policy **out, sg_git *g, const char *rev, const sg_policy_source *src)
{
	git_repository *repo = sg_git_repository(g);
	git_object *obj = NULL, *commit = NULL;
	*out = NULL;
	if (git_revparse_single(&obj, repo, rev) < 0)
		return sg_git_error(SG_ENOTFOUND, rev);
	int e = git_object_peel(&commit, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (e < 0)
		return sg_error_set(SG_EINVALID, "'%s' does not name a commit", rev);
	int r = policy_at(out, repo, git_object_id(commit), src, 0);
	git_object_free(commit);
	return r;
}

/* The revision arguments' tips, each list without repeats. */
static int range_tips(sg_git *g, const sg_git_range *range, git_oid **inc, size_t *ninc,
                      git_oid **exc, size_t *nexc)
{
	int r = sg_git_range_tips(g, range, inc, ninc, exc, nexc);
	for (int side = 0; r == 0 && side < 2; side++) {
		git_oid *v = side ? *exc : *inc;
		size_t *n = side ? nexc : ninc, k = 0;
		for (size_t i = 0; i < *n; i++) {
			size_t j = 0;
			while (j < k && !git_oid_equal(&v[j], &v[i]))
				j++;
			if (j == k)
				v[k++] = v[i];
		}
		*n = k;
	}
	return r;
}

int sg_policy_for_range(sg_policy **out, sg_git *g, const sg_git_range *range, const char *from,
                        const sg_policy_source *src)
{
	git_oid *inc = NULL, *exc = NULL;
	size_t ninc = 0, nexc = 0;
	*out = NULL;
	if (from)
		return sg_policy_read(out, g, from, src);
	/* remote-tracking refs and every ref are many bases, not one */
	if (range->all_refs || range->exclude_remotes)
		return 0;
	int r = range_tips(g, range, &inc, &ninc, &exc, &nexc);
	if (r == 0 && nexc == 1)
		r = policy_at(out, sg_git_repository(g), &exc[0], src, 0);
	free(inc);
	free(exc);
	return r;
}

/* ---- what a tip changes ---- */

typedef struct change_sink {
	sg_findings *out;
	const sg_policy *head;
	size_t first; /* findings before any tip: repeats across tips are dropped */
} change_sink;

static int emit(change_sink *s, const sg_policy_file *file, uint32_t line, int blocking,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int emit(change_sink *s, const sg_policy_file *file, uint32_t line, int blocking,
                const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sg_finding f = {0};
	f.rule_id = "policy-changed";
	f.description = "a policy file changes in the range";
	f.severity = blocking ? SG_SEV_CRITICAL : SG_SEV_INFO;
	f.confidence = SG_CONF_HIGH;
	f.path = file->path;
	f.line = f.end_line = line ? line : 1;
	f.column = 1;
	f.commit = (char *)s->head->commit;
	f.author = s->head->author;
	f.email = s->head->email;
	f.date = s->head->date;
	f.blob = file->present ? (char *)file->blob : NULL;
	f.message = msg;
	f.help = changed_help;
	sg_fingerprint_name(f.fingerprint, "policy-changed", msg, strlen(msg));
	f.suppressed = blocking ? SG_SUPPRESS_NONE : SG_SUPPRESS_WARNING;
	/* two tips making the same change report it once */
	for (size_t i = s->first; i < s->out->count; i++)
		if (!strcmp(s->out->items[i].fingerprint, f.fingerprint) &&
		    !strcmp(s->out->items[i].path ? s->out->items[i].path : "",
		            f.path ? f.path : ""))
			return 0;
	return sg_findings_push(s->out, &f);
}

/* The first line of a file holding needle (1 when none does). */
static uint32_t line_of(const sg_policy_file *pf, const char *needle)
{
	if (!pf->text || !needle || !needle[0])
		return 1;
	const char *hit = strstr(pf->text, needle);
	uint32_t line = 1;
	for (const char *p = pf->text; hit && p < hit; p++)
		line += *p == '\n';
	return line;
}

static int has_str(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return 1;
	return 0;
}

/* Entries of a list added (blocking) and removed (a warning). Patterns and
 * stop-words are named by their line, not quoted: they may hold secret-like
 * text, and the reviewer sees the line anyway. */
static int diff_list(change_sink *s, const sg_policy_file *file, char *const *was, size_t nwas,
                     char *const *now, size_t nnow, const char *key, const char *added,
                     const char *removed, int quote)
{
	int r = 0;
	for (size_t i = 0; r == 0 && i < nnow; i++)
		if (!has_str(was, nwas, now[i])) {
			uint32_t line = line_of(file, now[i]);
			r = quote ? emit(s, file, line, 1, "%s: %s (%s)", added, now[i], key)
			          : emit(s, file, line, 1, "%s (%s, line %u)", added, key, line);
		}
	for (size_t i = 0; r == 0 && i < nwas; i++)
		if (!has_str(now, nnow, was[i]))
			r = quote ? emit(s, file, 1, 0, "%s: %s (%s)", removed, was[i], key)
			          : emit(s, file, 1, 0, "%s (%s)", removed, key);
	return r;
}

static const sg_rule_allow *rule_allow_of(const sg_config *c, const char *id)
{
	for (size_t i = 0; i < c->nrule_allow; i++)
		if (!strcmp(c->rule_allow[i].rule_id, id))
			return &c->rule_allow[i];
	return NULL;
}

static int diff_rule_allow(change_sink *s, const sg_policy_file *file, const sg_rule_allow *was,
                           const sg_rule_allow *now)
{
	static const sg_rule_allow none = {0};
	const sg_rule_allow *a = was ? was : &none, *b = now ? now : &none;
	const char *id = now ? now->rule_id : was->rule_id;
	char key[3][300], added[300];
	snprintf(key[0], sizeof(key[0]), "allow.rules.%.200s.paths", id);
	snprintf(key[1], sizeof(key[1]), "allow.rules.%.200s.patterns", id);
	snprintf(key[2], sizeof(key[2]), "allow.rules.%.200s.stopwords", id);
	snprintf(added, sizeof(added), "path allowed for rule %.200s", id);
	int r = diff_list(s, file, a->paths, a->npaths, b->paths, b->npaths, key[0], added,
	                  "path no longer allowed", 1);
	if (r == 0)
		r = diff_list(s, file, a->patterns, a->npatterns, b->patterns, b->npatterns, key[1],
		              "secret pattern allowed", "secret pattern no longer allowed", 0);
	if (r == 0)
		r = diff_list(s, file, a->stopwords, a->nstopwords, b->stopwords, b->nstopwords,
		              key[2], "stop-word added", "stop-word removed", 0);
	return r;
}

static int node_equal(const sg_yaml_node *x, const sg_yaml_node *y)
{
	if (!x || !y)
		return x == y;
	if (x->type != y->type || x->count != y->count)
		return 0;
	if (x->type == SG_YAML_SCALAR)
		return x->len == y->len && !memcmp(x->value, y->value, x->len);
	for (size_t i = 0; i < x->count; i++)
		if ((x->type == SG_YAML_MAP && strcmp(x->keys[i], y->keys[i])) ||
		    !node_equal(x->items[i], y->items[i]))
			return 0;
	return 1;
}

static const char *custom_id(const sg_yaml_node *rule)
{
	const sg_yaml_node *id = rule && rule->type == SG_YAML_MAP ? sg_yaml_get(rule, "id") : NULL;
	return id && id->type == SG_YAML_SCALAR ? id->value : NULL;
}

static const sg_yaml_node *custom_by_id(const sg_yaml_node *seq, const char *id)
{
	for (size_t i = 0; seq && i < seq->count; i++) {
		const char *v = custom_id(seq->items[i]);
		if (v && !strcmp(v, id))
			return seq->items[i];
	}
	return NULL;
}

/* Any custom rule added, changed or removed blocks: a rule with a built-in
 * rule's id replaces it, so even an addition can weaken detection. */
static int diff_custom(change_sink *s, const sg_policy_file *file, const sg_config *a,
                       const sg_config *b)
{
	const sg_yaml_node *was = sg_config_custom_rules(a), *now = sg_config_custom_rules(b);
	int r = 0;
	for (size_t i = 0; r == 0 && now && i < now->count; i++) {
		const char *id = custom_id(now->items[i]);
		const sg_yaml_node *old = id ? custom_by_id(was, id) : NULL;
		if (!id)
			continue;
		if (!old)
			r = emit(s, file, now->items[i]->line, 1,
			         "custom rule added: %.200s (rules.custom; a custom rule replaces "
			         "a built-in rule of the same id)",
			         id);
		else if (!node_equal(old, now->items[i]))
			r = emit(s, file, now->items[i]->line, 1,
			         "custom rule changed: %.200s (rules.custom)", id);
	}
	for (size_t i = 0; r == 0 && was && i < was->count; i++) {
		const char *id = custom_id(was->items[i]);
		if (id && !custom_by_id(now, id))
			r = emit(s, file, 1, 1, "custom rule removed: %.200s (rules.custom)", id);
	}
	return r;
}

static int same_str(const char *x, const char *y)
{
	return (!x && !y) || (x && y && !strcmp(x, y));
}

static int diff_config(change_sink *s, const sg_policy *was, const sg_policy *now)
{
	const sg_config *a = was->config, *b = now->config;
	const sg_policy_file *file = &now->config_file;
	size_t before = s->out->count;
	int r = 0;
	for (size_t i = 0; r == 0 && i < b->ndisable; i++)
		if (!has_str(a->disable, a->ndisable, b->disable[i]))
			r = emit(s, file, b->disable_lines ? b->disable_lines[i] : 1, 1,
			         "rule disabled: %.200s (rules.disable)", b->disable[i]);
	for (size_t i = 0; r == 0 && i < a->ndisable; i++)
		if (!has_str(b->disable, b->ndisable, a->disable[i]))
			r = emit(s, file, 1, 0, "rule enabled again: %.200s (rules.disable)",
			         a->disable[i]);
	sg_severity fa = a->fail_on_set ? a->fail_on : SG_SEV_INFO;
	sg_severity fb = b->fail_on_set ? b->fail_on : SG_SEV_INFO;
	if (r == 0 && fb > fa)
		r = emit(s, file, line_of(file, "fail_on"), 1,
		         "fail_on raised from %s to %s: findings below %s no longer block",
		         sg_severity_name(fa), sg_severity_name(fb), sg_severity_name(fb));
	else if (r == 0 && fb < fa)
		r = emit(s, file, line_of(file, "fail_on"), 0,
		         "fail_on lowered from %s to %s: more findings block", sg_severity_name(fa),
		         sg_severity_name(fb));
	unsigned long long ma = a->max_file_size ? a->max_file_size : DEFAULT_MAX_FILE;
	unsigned long long mb = b->max_file_size ? b->max_file_size : DEFAULT_MAX_FILE;
	if (r == 0 && ma != mb)
		r = emit(s, file, line_of(file, "max_file_size"), mb < ma,
		         "max_file_size %s from %llu to %llu bytes%s",
		         mb < ma ? "lowered" : "raised", ma, mb,
		         mb < ma ? ": larger files are skipped, not scanned" : "");
	if (r == 0)
		r = diff_list(s, file, a->allow_paths, a->nallow_paths, b->allow_paths,
		              b->nallow_paths, "allow.paths", "path allowed",
		              "path no longer allowed", 1);
	if (r == 0)
		r = diff_list(s, file, a->allow_patterns, a->nallow_patterns, b->allow_patterns,
		              b->nallow_patterns, "allow.patterns", "secret pattern allowed",
		              "secret pattern no longer allowed", 0);
	if (r == 0)
		r = diff_list(s, file, a->stopwords, a->nstopwords, b->stopwords, b->nstopwords,
		              "allow.stopwords", "stop-word added", "stop-word removed", 0);
	for (size_t i = 0; r == 0 && i < b->nrule_allow; i++)
		r = diff_rule_allow(s, file, rule_allow_of(a, b->rule_allow[i].rule_id),
		                    &b->rule_allow[i]);
	for (size_t i = 0; r == 0 && i < a->nrule_allow; i++)
		if (!rule_allow_of(b, a->rule_allow[i].rule_id))
			r = diff_rule_allow(s, file, &a->rule_allow[i], NULL);
	if (r == 0)
		r = diff_custom(s, file, a, b);
	if (r == 0 && !same_str(a->ignore_file, b->ignore_file))
		r = emit(s, file, line_of(file, "ignore_file"), 1,
		         "ignore_file changed from %.200s to %.200s",
		         a->ignore_file ? a->ignore_file : ".secretgateignore",
		         b->ignore_file ? b->ignore_file : ".secretgateignore");
	/* a baseline named where there was none accepts everything in it */
	if (r == 0 && !same_str(a->baseline, b->baseline))
		r = emit(s, file, line_of(file, "baseline"), b->baseline != NULL,
		         "baseline changed from %.200s to %.200s",
		         a->baseline ? a->baseline : "none", b->baseline ? b->baseline : "none");
	if (r == 0 && !same_str(a->manifest, b->manifest))
		r = emit(s, file, line_of(file, "manifest"), 0,
		         "manifest changed from %.200s to %.200s",
		         a->manifest ? a->manifest : ".secretgate/env.yml",
		         b->manifest ? b->manifest : ".secretgate/env.yml");
	if (r == 0 && s->out->count == before)
		r = emit(s, file, 1, 0, "%s; nothing that decides what blocks changed",
		         !was->config_file.present ? "added"
		         : !file->present          ? "removed"
		                                   : "changed");
	return r;
}

static int file_same(const sg_policy_file *x, const sg_policy_file *y)
{
	return same_str(x->path, y->path) && x->present == y->present &&
	       (!x->present || !strcmp(x->blob, y->blob));
}

/* Fingerprints added to a list block (each accepts a finding); removed ones
 * are a warning. */
static int diff_set(change_sink *s, const sg_policy_file *wf, const sg_fingerprint_set *was,
                    const sg_policy_file *nf, const sg_fingerprint_set *now, const char *what)
{
	if (file_same(wf, nf) || (!wf->present && !nf->present))
		return 0;
	/* a file outside the repository is read on the trusted side only */
	if (wf->path && wf->path[0] == '/' && same_str(wf->path, nf->path))
		return 0;
	const sg_policy_file *file = nf->path ? nf : wf;
	char shown[FINGERPRINTS_SHOWN * 80 + 16] = "";
	const char *first = NULL;
	size_t added = 0, removed = 0, i = 0, j = 0;
	while (i < was->count || j < now->count) {
		int c = i == was->count   ? 1
		        : j == now->count ? -1
		                          : strcmp(was->items[i], now->items[j]);
		if (c == 0) {
			i++;
			j++;
		} else if (c < 0) {
			removed++;
			i++;
		} else {
			if (added < FINGERPRINTS_SHOWN) {
				size_t l = strlen(shown);
				snprintf(shown + l, sizeof(shown) - l, "%s%.70s", l ? ", " : "",
				         now->items[j]);
			}
			if (!first)
				first = now->items[j];
			added++;
			j++;
		}
	}
	int r = 0;
	char key[80] = "";
	if (first) {
		/* the line of the first added entry: its fingerprint part */
		size_t k = strcspn(first, " ");
		snprintf(key, sizeof(key), "%.*s", (int)(k < 79 ? k : 79), first);
	}
	if (added)
		r = emit(s, file, line_of(nf, key), 1, "%zu fingerprint%s added to the %s: %s%s",
		         added, added == 1 ? "" : "s", what, shown,
		         added > FINGERPRINTS_SHOWN ? " and more" : "");
	if (r == 0 && removed)
		r = emit(s, file, 1, 0, "%zu fingerprint%s removed from the %s", removed,
		         removed == 1 ? "" : "s", what);
	if (r == 0 && !added && !removed)
		r = emit(s, file, 1, 0, "%s changed; no fingerprint added or removed", what);
	return r;
}

static int tip_changes(change_sink *s, const sg_policy *was, const sg_policy *now,
                       const sg_policy_source *src)
{
	if (now->error)
		return emit(s, &now->config_file, 1, 1,
		            "a policy file cannot be read at this commit: %s", now->error);
	int r = 0;
	if (!src->config_file && src->config && !file_same(&was->config_file, &now->config_file))
		r = diff_config(s, was, now);
	if (r == 0)
		r = diff_set(s, &was->ignore_file, &was->ignore, &now->ignore_file, &now->ignore,
		             "ignore file");
	if (r == 0)
		r = diff_set(s, &was->baseline_file, &was->baseline, &now->baseline_file,
		             &now->baseline, "baseline");
	return r;
}

int sg_policy_changes(sg_findings *out, sg_git *g, const sg_policy *in_force,
                      const sg_git_range *range, const sg_policy_source *src)
{
	git_oid *inc = NULL, *exc = NULL, base;
	size_t ninc = 0, nexc = 0;
	int r = range_tips(g, range, &inc, &ninc, &exc, &nexc);
	if (r == 0 && git_oid_fromstr(&base, in_force->commit) < 0)
		r = sg_error_set(SG_EINVALID, "'%s' is not a commit id", in_force->commit);
	change_sink s = {out, NULL, out->count};
	git_repository *repo = sg_git_repository(g);
	for (size_t i = 0; r == 0 && i < ninc; i++) {
		sg_policy *now = NULL, *fork = NULL;
		git_oid at;
		if (git_oid_equal(&inc[i], &base))
			continue;
		/* What the range's own commits changed: from where the tip left the
		 * base. A base that moved on since (a pull request's base.sha is the
		 * target branch's tip) must not make its own later changes look like
		 * the tip's, e.g. an ignore entry the base dropped as one the tip adds. */
		if (git_merge_base(&at, repo, &base, &inc[i]) == 0 && !git_oid_equal(&at, &base))
			r = policy_at(&fork, repo, &at, src, 1);
		const sg_policy *was = fork && !fork->error ? fork : in_force;
		if (r == 0)
			r = policy_at(&now, repo, &inc[i], src, 1);
		if (r == 0) {
			s.head = now;
			r = tip_changes(&s, was, now, src);
		}
		sg_policy_free(now);
		sg_policy_free(fork);
	}
	free(inc);
	free(exc);
	sg_findings_sort(out);
	return r;
}

/* ---- inline markers ---- */

int sg_policy_list_allows(sg_findings *f, int block)
{
	sg_findings add;
	sg_findings_init(&add, 0);
	int r = 0;
	for (size_t i = 0; r == 0 && i < f->count; i++) {
		const sg_finding *x = &f->items[i];
		char msg[512];
		if (x->suppressed != SG_SUPPRESS_INLINE)
			continue;
		/* named after the accepted finding's own fingerprint, the slow one
		 * for a weak secret */
		sg_finding_fingerprint_fill(x);
		sg_finding a = *x;
		a.fingerprint_pending = 0;
		a.identity[0] = '\0';
		a.rule_id = "allow-added";
		a.description = "an inline allow marker accepts a finding new in the range";
		a.secret = NULL;
		a.secret_len = 0;
		a.pair = NULL; /* the marker's finding, not the credential's */
		a.pair_rule = NULL;
		a.pair_secret = NULL;
		a.match_line = NULL;
		snprintf(msg, sizeof(msg),
		         "an inline allow marker accepts a %.200s finding on this line",
		         x->rule_id);
		a.message = msg;
		a.help = allow_help;
		a.validated = NULL;
		a.unverified = 0;
		sg_fingerprint_name(a.fingerprint, "allow-added", x->fingerprint,
		                    strlen(x->fingerprint));
		a.suppressed = block ? SG_SUPPRESS_NONE : SG_SUPPRESS_WARNING;
		r = sg_findings_push(&add, &a);
	}
	if (r == 0)
		r = sg_findings_take(f, &add);
	sg_findings_free(&add);
	sg_findings_sort(f);
	return r;
}
