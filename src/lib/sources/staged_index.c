/* What the next commit changes, from the index file read by hand: HEAD's
 * tree and the index's cache-tree are walked together, and a directory the
 * cache-tree holds as valid with HEAD's own tree id is skipped unread, so the
 * cost follows the change rather than the repository (git's diff --cached
 * does the same). The result is the list of changes libgit2's
 * tree-to-index diff would give; whenever that list could differ (a
 * possible rename, a conflict, an intent-to-add entry, a mode-only change, a
 * case-insensitive repository) the caller is told to use libgit2 instead. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <git2.h>
#include "secretgate/secretgate.h"
#include "lib/sources/index_file.h"
#include "lib/sources/source_git_internal.h"
#include "util/grow.h"

typedef struct walk {
	git_repository *repo;
	const sg_index *ix;
	sg_staged_change *changes;
	size_t n, cap;
	int deleted;  /* HEAD holds something the index does not */
	int fallback; /* libgit2 must judge: the reason, for the error when forced */
	const char *why;
} walk;

static int use_libgit2(walk *w, const char *why)
{
	w->fallback = 1;
	w->why = why;
	return 1;
}

static int add_change(walk *w, git_delta_t status, const sg_index_entry *e,
                      const git_tree_entry *old)
{
	if (w->n == w->cap && SG_GROW(w->changes, w->cap, 16) < 0)
		return sg_error_set(SG_ENOMEM, "out of memory");
	sg_staged_change *c = &w->changes[w->n];
	memset(c, 0, sizeof(*c));
	c->status = status;
	c->new_mode = e->mode;
	memcpy(c->new_id.id, e->id, SG_INDEX_OID_SIZE);
	if (old) {
		c->old_mode = git_tree_entry_filemode(old);
		git_oid_cpy(&c->old_id, git_tree_entry_id(old));
	}
	if (!(c->path = strdup(e->path)))
		return sg_error_set(SG_ENOMEM, "out of memory");
	w->n++;
	return 0;
}

/* Index entries and tree entries in one order: a directory sorts as its name
 * followed by '/', which is how full paths sort in the index. */
static int name_cmp(const char *a, size_t alen, int adir, const char *b, size_t blen, int bdir)
{
	size_t m = alen < blen ? alen : blen;
	int c = memcmp(a, b, m);
	if (c)
		return c;
	unsigned ca = alen > m ? (unsigned char)a[m] : adir ? '/' : 0;
	unsigned cb = blen > m ? (unsigned char)b[m] : bdir ? '/' : 0;
	if (ca != cb)
		return (int)ca - (int)cb;
	if (alen == blen)
		return adir - bdir;
	/* one name is a prefix of the other and the next characters agree: only
	 * possible as "x" + '/' against "x/..." which names cannot hold */
	return alen < blen ? -1 : 1;
}

/* The cache-tree node for subdirectory name of node t, or NULL. */
static const sg_index_tree *tree_child(const sg_index *ix, const sg_index_tree *t, const char *name,
                                       size_t len)
{
	if (!t)
		return NULL;
	size_t k = (size_t)(t - ix->trees) + 1;
	for (uint32_t i = 0; i < t->subtrees && k < ix->ntrees; i++) {
		const sg_index_tree *c = &ix->trees[k];
		if (c->name_len == len && memcmp(c->name, name, len) == 0)
			return c;
		k = c->end;
	}
	return NULL;
}

static int is_gitlink(uint32_t mode)
{
	return mode == GIT_FILEMODE_COMMIT;
}

static int mode_kind(uint32_t mode)
{
	return (int)(mode & 0170000);
}

/* Entries [lo, hi) are those under prefix (plen bytes, "" or "dir/"); head is
 * HEAD's tree for that directory (NULL: none), ct its cache-tree node. */
static int walk_dir(walk *w, size_t plen, const git_oid *head_id, const sg_index_tree *ct,
                    size_t lo, size_t hi, unsigned depth)
{
	const sg_index *ix = w->ix;
	if (head_id && ct && ct->entry_count >= 0 &&
	    memcmp(ct->id, head_id->id, GIT_OID_RAWSZ) == 0) {
		if ((size_t)ct->entry_count != hi - lo)
			return use_libgit2(w, "cache-tree disagrees with the entries");
		return 0;
	}
	if (depth > SG_INDEX_MAX_DEPTH)
		return use_libgit2(w, "tree too deep");
	git_tree *tree = NULL;
	if (head_id && git_tree_lookup(&tree, w->repo, head_id) < 0)
		return use_libgit2(w, "HEAD's tree unreadable");
	size_t nt = tree ? git_tree_entrycount(tree) : 0, j = 0, i = lo;
	int r = 0;
	while (r == 0 && (i < hi || j < nt)) {
		const sg_index_entry *e = i < hi ? &ix->entries[i] : NULL;
		const char *iname = NULL;
		size_t ilen = 0, iend = i + 1;
		int idir = 0;
		if (e) {
			iname = e->path + plen;
			const char *slash = memchr(iname, '/', e->path_len - plen);
			ilen = slash ? (size_t)(slash - iname) : e->path_len - plen;
			idir = slash != NULL;
			if (idir) /* the entries under iname/ */
				while (iend < hi && ix->entries[iend].path_len > plen + ilen &&
				       memcmp(ix->entries[iend].path + plen, iname, ilen + 1) == 0)
					iend++;
		}
		const git_tree_entry *te = j < nt ? git_tree_entry_byindex(tree, j) : NULL;
		const char *tname = te ? git_tree_entry_name(te) : NULL;
		size_t tlen = te ? strlen(tname) : 0;
		int tdir = te && git_tree_entry_type(te) == GIT_OBJECT_TREE;
		int c = !e ? 1 : !te ? -1 : name_cmp(iname, ilen, idir, tname, tlen, tdir);
		if (c > 0) { /* only in HEAD: a deletion */
			w->deleted = 1;
			j++;
			continue;
		}
		if (c < 0) { /* only in the index: additions, submodules too */
			for (size_t k = i; k < iend && r == 0; k++)
				r = add_change(w, GIT_DELTA_ADDED, &ix->entries[k], NULL);
			i = iend;
			continue;
		}
		if (idir) {
			r = walk_dir(w, plen + ilen + 1, git_tree_entry_id(te),
			             tree_child(ix, ct, iname, ilen), i, iend, depth + 1);
		} else {
			uint32_t om = git_tree_entry_filemode(te), nm = e->mode;
			int same_id = memcmp(git_tree_entry_id(te)->id, e->id, GIT_OID_RAWSZ) == 0;
			if (is_gitlink(om) && is_gitlink(nm))
				; /* a submodule moved: libgit2 ignores it */
			else if (mode_kind(om) != mode_kind(nm)) {
				w->deleted = 1; /* libgit2: a deletion and an addition */
				r = add_change(w, GIT_DELTA_ADDED, e, NULL);
			} else if (om != nm)
				r = use_libgit2(w, "a mode change");
			else if (!same_id)
				r = add_change(w, GIT_DELTA_MODIFIED, e, te);
		}
		i = iend;
		j++;
	}
	git_tree_free(tree);
	return r;
}

static int config_allows(git_repository *repo, walk *w)
{
	git_config *cfg = NULL;
	if (git_repository_config_snapshot(&cfg, repo) < 0)
		return use_libgit2(w, "configuration unreadable");
	int icase = 0, r = 0;
	const char *format = NULL;
	if (git_config_get_bool(&icase, cfg, "core.ignorecase") == 0 && icase)
		r = use_libgit2(w, "core.ignorecase");
	else if (git_config_get_string(&format, cfg, "extensions.objectformat") == 0 &&
	         strcasecmp(format, "sha1") != 0)
		r = use_libgit2(w, "not a SHA-1 repository");
	git_config_free(cfg);
	git_error_clear();
	return r;
}

int sg_git_staged_from_index(git_repository *repo, const char *index_path, const git_tree *head,
                             sg_staged_change **out, size_t *n, char *why, size_t why_len)
{
	*out = NULL;
	*n = 0;
	walk w = {.repo = repo};
	sg_index ix;
	char *path = NULL;
	int r;
	if (!index_path) {
		const char *gitdir = git_repository_path(repo);
		size_t len = strlen(gitdir);
		if (!(path = malloc(len + sizeof("index"))))
			return sg_error_set(SG_ENOMEM, "out of memory");
		memcpy(path, gitdir, len);
		memcpy(path + len, "index", sizeof("index"));
		index_path = path;
	}
	if ((r = config_allows(repo, &w)) != 0)
		goto done;
	r = sg_index_open(&ix, index_path);
	if (r == SG_ENOMEM)
		goto done_index;
	if (r < 0) {
		snprintf(why, why_len, "%s", sg_error_last());
		r = 1;
		goto done_index;
	}
	w.ix = &ix;
	if (ix.conflicts)
		r = use_libgit2(&w, "unresolved conflicts");
	else if (ix.intent_to_add)
		r = use_libgit2(&w, "intent-to-add entries");
	else
		r = walk_dir(&w, 0, head ? git_tree_id(head) : NULL,
		             ix.ntrees ? &ix.trees[0] : NULL, 0, ix.count, 0);
	/* a deletion beside an addition may be a rename, which libgit2 judges */
	if (r == 0 && w.deleted && w.n && !w.fallback)
		r = use_libgit2(&w, "a possible rename");
done_index:
	sg_index_free(&ix);
done:
	if (w.fallback) {
		snprintf(why, why_len, "index: %s", w.why);
		r = 1;
	}
	if (r != 0) {
		sg_staged_changes_free(w.changes, w.n);
	} else {
		*out = w.changes;
		*n = w.n;
	}
	free(path);
	return r;
}

void sg_staged_changes_free(sg_staged_change *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(c[i].path);
	free(c);
}
