/* What a git scan covered, for reports (git_describe.h). */
#include <stdlib.h>
#include <string.h>
#include <git2.h>
#include "lib/sources/git_describe.h"
#include "lib/sources/source_git_internal.h"

void sg_url_strip_credentials(char *out, size_t n, const char *url)
{
	const char *scheme = strstr(url, "://");
	const char *host = scheme ? scheme + 3 : url;
	const char *slash = strchr(host, '/');
	const char *at = memchr(host, '@', slash ? (size_t)(slash - host) : strlen(host));
	/* scp-like user@host:path: the user is not a secret, but not needed either */
	if (at)
		snprintf(out, n, "%.*s%s", (int)(host - url), url, at + 1);
	else
		snprintf(out, n, "%s", url);
}

int sg_forge_from_url(char *out, size_t n, const char **forge, const char *url)
{
	char clean[1024];
	*forge = NULL;
	out[0] = '\0';
	sg_url_strip_credentials(clean, sizeof(clean), url);
	const char *scheme = strstr(clean, "://");
	const char *host = scheme ? scheme + 3 : clean;
	size_t hl = strcspn(host, scheme ? ":/" : ":");
	if (!scheme && host[hl] != ':')
		return 0; /* a local path */
	const char *path = host + hl;
	if (*path == ':') {
		path++;
		if (scheme) /* a port */
			path += strspn(path, "0123456789");
	}
	while (*path == '/')
		path++;
	char h[256];
	snprintf(h, sizeof(h), "%.*s", (int)(hl < sizeof(h) - 1 ? hl : sizeof(h) - 1), host);
	if (!strcmp(h, "github.com") || !strcmp(h, "www.github.com"))
		*forge = "github";
	else if (!strcmp(h, "gitlab.com") || !strncmp(h, "gitlab.", 7))
		*forge = "gitlab";
	else
		return 0;
	size_t pl = strlen(path);
	while (pl && path[pl - 1] == '/')
		pl--;
	if (pl > 4 && !strncmp(path + pl - 4, ".git", 4))
		pl -= 4;
	if (!pl || !memchr(path, '/', pl)) {
		*forge = NULL;
		return 0;
	}
	/* names with characters a URL would need escaped are left without links */
	for (size_t i = 0; i < pl; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._/~",
		            path[i])) {
			*forge = NULL;
			return 0;
		}
	snprintf(out, n, "https://%s/%.*s", !strcmp(h, "www.github.com") ? "github.com" : h,
	         (int)pl, path);
	return 1;
}

void sg_git_describe(sg_git *g, sg_git_info *out)
{
	memset(out, 0, sizeof(*out));
	git_repository *repo = sg_git_repository(g);
	git_oid head;
	if (git_reference_name_to_id(&head, repo, "HEAD") == 0)
		git_oid_tostr(out->head, sizeof(out->head), &head);
	git_config *cfg = NULL;
	git_buf url = {0};
	if (git_repository_config_snapshot(&cfg, repo) == 0 &&
	    git_config_get_string_buf(&url, cfg, "remote.origin.url") == 0 && url.size) {
		/* a forge's own https address reads best, whatever the clone used */
		if (!sg_forge_from_url(out->forge_url, sizeof(out->forge_url), &out->forge,
		                       url.ptr) ||
		    snprintf(out->repository, sizeof(out->repository), "%s", out->forge_url) < 0)
			sg_url_strip_credentials(out->repository, sizeof(out->repository), url.ptr);
	}
	git_buf_dispose(&url);
	git_config_free(cfg);
	if (!out->repository[0]) {
		const char *wd = git_repository_workdir(repo);
		const char *p = wd ? wd : git_repository_path(repo);
		size_t l = strlen(p);
		while (l > 1 && p[l - 1] == '/')
			l--;
		size_t s = l;
		while (s > 0 && p[s - 1] != '/')
			s--;
		snprintf(out->repository, sizeof(out->repository), "%.*s", (int)(l - s), p + s);
	}
}

typedef struct oid_set {
	git_oid *ids;
	size_t n, cap;
	int failed;
} oid_set;

static int collect_blob(const char *root, const git_tree_entry *e, void *ctx)
{
	(void)root;
	oid_set *s = ctx;
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		git_oid *ids = realloc(s->ids, cap * sizeof(*ids));
		if (!ids) {
			s->failed = 1;
			return -1;
		}
		s->ids = ids;
		s->cap = cap;
	}
	s->ids[s->n++] = *git_tree_entry_id(e);
	return 0;
}

static int cmp_oid(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

/* 1 when the file at path in tree contains the secret. */
static int tree_file_has(git_repository *repo, git_tree *tree, const char *path,
                         const sg_finding *x)
{
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	int r = 0;
	if (!path || !x->secret || !x->secret_len || git_tree_entry_bypath(&e, tree, path) < 0)
		return 0;
	if (git_tree_entry_type(e) == GIT_OBJECT_BLOB &&
	    git_blob_lookup(&blob, repo, git_tree_entry_id(e)) == 0)
		r = memmem(git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), x->secret,
		           x->secret_len) != NULL;
	git_blob_free(blob);
	git_tree_entry_free(e);
	return r;
}

int sg_git_mark_at_head(sg_git *g, sg_findings *f)
{
	git_repository *repo = sg_git_repository(g);
	git_object *obj = NULL;
	git_tree *tree = NULL;
	oid_set s = {0};
	if (git_revparse_single(&obj, repo, "HEAD^{tree}") < 0)
		return 0; /* unborn: nothing to say */
	tree = (git_tree *)obj;
	if (git_tree_walk(tree, GIT_TREEWALK_PRE, collect_blob, &s) < 0 && s.failed) {
		git_tree_free(tree);
		free(s.ids);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	if (s.n > 1)
		qsort(s.ids, s.n, sizeof(*s.ids), cmp_oid);
	for (size_t i = 0; i < f->count; i++) {
		sg_finding *x = &f->items[i];
		git_oid id;
		if (!x->blob || git_oid_fromstr(&id, x->blob) < 0)
			continue;
		int present = bsearch(&id, s.ids, s.n, sizeof(*s.ids), cmp_oid) ||
		              tree_file_has(repo, tree, x->path, x);
		/* a history finding names the other paths its secret was committed under */
		for (const char *p = x->other_path_list; p && *p && !present;) {
			const char *e = strchr(p, '\n');
			size_t n = e ? (size_t)(e - p) : strlen(p);
			char path[4096];
			if (n < sizeof(path)) {
				memcpy(path, p, n);
				path[n] = '\0';
				present = tree_file_has(repo, tree, path, x);
			}
			p = e ? e + 1 : NULL;
		}
		x->at_head = present ? SG_HEAD_PRESENT : SG_HEAD_GONE;
	}
	/* the same secret anywhere at HEAD keeps every copy of it current */
	for (size_t i = 0; i < f->count; i++) {
		if (f->items[i].at_head != SG_HEAD_PRESENT)
			continue;
		for (size_t k = 0; k < f->count; k++)
			if (f->items[k].at_head == SG_HEAD_GONE &&
			    !strcmp(sg_finding_identity(&f->items[k]),
			            sg_finding_identity(&f->items[i])))
				f->items[k].at_head = SG_HEAD_PRESENT;
	}
	git_tree_free(tree);
	free(s.ids);
	return 0;
}
