/* Ranges blob first: a long range (--all-refs, a release's worth of commits)
 * costs what a history sweep costs. Judging each commit means diffing every
 * file it changes; but a change can only yield a finding when its blob does
 * (the scanner scans a blob whole and keeps the findings on added lines), so
 * every blob the commits add is scanned once, whole, at each path it is
 * added under, and only the changes whose blob holds a finding or is skipped
 * are diffed and judged exactly as range mode always has. */
#include <stdlib.h>
#include <string.h>
#include "util/pool.h"
#include "lib/sources/source_git_internal.h"
#include "lib/sources/commit_walk.h"
#include "secretgate/artefact.h"
#include "lib/sources/pack_order.h"
#include "lib/sources/pack_read.h"
#include "util/grow.h"
#include "util/arena.h"

/* Blobs per work item: a sixteenth of a worker's share, at least 16. A
 * worker reads long stretches of the pack, as the history sweep does, so its
 * cache holds the bases of the blobs it reads next; sixteen items each keep
 * one worker from waiting long on the other at the end. */
#define SCAN_BLOCK_MIN    16
#define BLOCKS_PER_WORKER 16
#define TREE_CACHE_BYTES  (8u << 20) /* each worker's tree reader's delta bases */

/* A blob a commit leaves at a path its first parent did not have it at. */
typedef struct change {
	/* the blob, the parent's file there, and the path (k.path set once
	 * every commit is diffed) */
	sg_git_known_change k;
	uint32_t commit;       /* index into the walk's commits */
	size_t path_at;        /* offset in the worker's path arena while it grows */
	unsigned char suspect; /* its blob holds a finding at its path */
} change;

typedef struct change_list {
	change *items;
	size_t count, cap;
	sg_arena paths; /* the changes' paths */
} change_list;

static int change_add(change_list *l, const git_oid *blob, const git_oid *old, uint32_t commit,
                      const char *path, size_t len)
{
	if (l->count == l->cap && SG_GROW(l->items, l->cap, 1024) < 0)
		return sg_error_set(SG_ENOMEM, "out of memory");
	change *c = &l->items[l->count];
	c->k.blob = *blob;
	c->k.has_old = old != NULL;
	if (old)
		c->k.old = *old;
	c->k.path = NULL;
	c->commit = commit;
	c->suspect = 0;
	int r = sg_arena_add(&l->paths, &c->path_at, path, len);
	if (r == 0)
		l->count++;
	return r;
}

/* ---- raw tree entries ---- */

typedef struct entry {
	const char *name;
	size_t name_len;
	const git_oid *id;
	unsigned mode;
} entry;

#define IS_TREE(m) ((m) == 040000)
#define IS_FILE(m) (((m)&0170000) == 0100000) /* libgit2 reads 100664 as 100644 */

/* What an entry is, as a diff tells them apart: tree, file, link, other */
static unsigned kind_of(unsigned mode)
{
	return IS_TREE(mode) ? 1 : IS_FILE(mode) ? 2 : mode == 0120000 ? 3 : 4;
}

/* Parse a tree object into *out (grown as needed). <0 when malformed. */
static int parse_tree(entry **out, size_t *n, size_t *cap, const char *p, const char *end)
{
	*n = 0;
	while (p < end) {
		unsigned mode = 0;
		while (p < end && *p >= '0' && *p <= '7')
			mode = mode * 8 + (unsigned)(*p++ - '0');
		if (p >= end || *p != ' ')
			return sg_error_set(SG_EINVALID, "malformed tree object");
		p++;
		const char *nul = memchr(p, '\0', (size_t)(end - p));
		if (!nul || end - nul < 1 + GIT_OID_RAWSZ)
			return sg_error_set(SG_EINVALID, "malformed tree object");
		if (*n == *cap && SG_GROW(*out, *cap, 64) < 0)
			return sg_error_set(SG_ENOMEM, "out of memory");
		entry *e = &(*out)[(*n)++];
		e->name = p;
		e->name_len = (size_t)(nul - p);
		e->id = (const git_oid *)(nul + 1);
		e->mode = mode;
		p = nul + 1 + GIT_OID_RAWSZ;
	}
	return 0;
}

static int cmp_entry_name(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	size_t n = x->name_len < y->name_len ? x->name_len : y->name_len;
	int c = memcmp(x->name, y->name, n);
	if (c)
		return c;
	return x->name_len < y->name_len ? -1 : x->name_len > y->name_len;
}

/* Whether entries are in name order already, as git writes them except
 * where a directory's name is a prefix of another name: then the check is
 * the only pass (sorting every large directory twice per commit was a fifth
 * of a 1,000-commit range). */
static int entries_sorted(const entry *e, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (cmp_entry_name(&e[i - 1], &e[i]) > 0)
			return 0;
	return 1;
}

/* The entry named as key in the sorted entries e, or NULL. Both trees are
 * walked in name order, so the entry after the last one found (*hint) is
 * tried before a binary search. */
static const entry *find_entry(const entry *e, size_t n, const entry *key, size_t *hint)
{
	if (*hint < n && !cmp_entry_name(&e[*hint], key))
		return &e[(*hint)++];
	const entry *o = n ? bsearch(key, e, n, sizeof(*e), cmp_entry_name) : NULL;
	if (o)
		*hint = (size_t)(o - e) + 1;
	return o;
}

/* ---- phase 1: each commit's changes against its first parent ---- */

typedef struct pair {
	git_oid new_tree, old_tree;
	int has_old;
	size_t prefix; /* offset of the directory's path in the scratch arena */
} pair;

typedef struct diff_state {
	change_list changes;
	pair *todo;
	size_t ntodo, todo_cap;
	entry *ne, *oe;
	size_t ne_cap, oe_cap;
	sg_arena scratch; /* directory paths of the commit being diffed */
	char *path;
	size_t path_cap;
	sg_arena new_tree; /* the new side's bytes while the old side is read */
} diff_state;

typedef struct range_blobs {
	sg_commit_graph *graph;
	const uint32_t *commits;
	size_t ncommits;
	sg_git_worker *workers;
	sg_notices *notices;
	diff_state *states; /* one per worker */
	/* per commit: its diff against the first parent may delete a file (a
	 * path gone, or a tree, file, link or submodule turned into another),
	 * so the judging pass must diff its whole trees to see renames */
	unsigned char *deletes;
	/* phase 2 */
	change **unique; /* one change per (blob, path), by blob then path */
	size_t nunique;
	uint32_t *order;        /* unique indexes in pack order */
	sg_pack_pos *pos;       /* per unique change: where its blob is */
	unsigned char *suspect; /* per unique change */
	/* read from the commit graph's packs by hand, as the history sweep
	 * does: commits and trees while diffing, then the added blobs */
	sg_git_packed trees, native;
	size_t block; /* blobs per work item */
} range_blobs;

/* dir + "/" + name into s->path; returns its length */
static int join(size_t *len, diff_state *s, const char *dir, const entry *e)
{
	size_t dl = strlen(dir), need = dl + 1 + e->name_len + 1;
	while (need > s->path_cap)
		if (SG_GROW(s->path, s->path_cap, 256) < 0)
			return sg_error_set(SG_ENOMEM, "out of memory");
	size_t k = 0;
	if (dl) {
		memcpy(s->path, dir, dl);
		s->path[dl] = '/';
		k = dl + 1;
	}
	memcpy(s->path + k, e->name, e->name_len);
	s->path[k + e->name_len] = '\0';
	*len = k + e->name_len;
	return 0;
}

static int push_pair(diff_state *s, const git_oid *new_tree, const git_oid *old_tree, size_t prefix)
{
	if (s->ntodo == s->todo_cap && SG_GROW(s->todo, s->todo_cap, 64) < 0)
		return sg_error_set(SG_ENOMEM, "out of memory");
	pair *t = &s->todo[s->ntodo++];
	t->new_tree = *new_tree;
	t->has_old = old_tree != NULL;
	if (old_tree)
		t->old_tree = *old_tree;
	t->prefix = prefix;
	return 0;
}

/* Every file blob of new_root that old_root (NULL: none) does not have at the
 * same path: a superset of the changes the per-commit diff judges (renames
 * and mode changes are sorted out when a change is judged). Subtrees with
 * the same id on both sides are not read. */
static int diff_trees(diff_state *s, sg_git_worker *w, sg_pack_reader *tr, uint32_t commit,
                      const git_oid *new_root, const git_oid *old_root, unsigned char *deletes)
{
	size_t root;
	int r;
	s->scratch.len = 0;
	s->ntodo = 0;
	if ((r = sg_arena_add(&s->scratch, &root, "", 0)) < 0 ||
	    (r = push_pair(s, new_root, old_root, root)) < 0)
		return r;
	while (s->ntodo && r == 0) {
		pair t = s->todo[--s->ntodo];
		git_odb_object *nobj = NULL, *oobj = NULL;
		size_t nn = 0, no = 0, nlen, olen, at;
		const char *np, *op;
		if ((r = sg_git_tree_bytes(tr, w->odb, &t.new_tree, &np, &nlen, &nobj)) < 0)
			break;
		/* the reader's buffer is reused by the old side's read */
		if (!nobj) {
			s->new_tree.len = 0;
			if ((r = sg_arena_add(&s->new_tree, &at, np, nlen)) < 0)
				break;
			np = s->new_tree.data;
		}
		r = parse_tree(&s->ne, &nn, &s->ne_cap, np, np + nlen);
		if (r == 0 && t.has_old &&
		    (r = sg_git_tree_bytes(tr, w->odb, &t.old_tree, &op, &olen, &oobj)) == 0)
			r = parse_tree(&s->oe, &no, &s->oe_cap, op, op + olen);
		/* looked up by name, so an unsorted (hostile) tree hides nothing */
		if (r == 0 && !entries_sorted(s->oe, no))
			qsort(s->oe, no, sizeof(*s->oe), cmp_entry_name);
		size_t hint = 0, found = 0;
		for (size_t i = 0; i < nn && r == 0; i++) {
			const entry *e = &s->ne[i];
			const entry *o = find_entry(s->oe, no, e, &hint);
			if (o) {
				found++;
				if (kind_of(o->mode) != kind_of(e->mode))
					*deletes = 1;
			}
			if (!IS_TREE(e->mode) && !IS_FILE(e->mode)) {
				/* links are not read; submodules are another repository */
				if (e->mode == 0120000 && !(o && git_oid_equal(o->id, e->id)))
					w->other_skipped++;
				continue;
			}
			if (o && git_oid_equal(o->id, e->id) &&
			    (IS_TREE(e->mode) ? IS_TREE(o->mode) : IS_FILE(o->mode)))
				continue;
			size_t len = 0;
			if ((r = join(&len, s, s->scratch.data + t.prefix, e)) < 0)
				break;
			if (IS_TREE(e->mode)) {
				size_t off;
				if ((r = sg_arena_add(&s->scratch, &off, s->path, len)) == 0)
					r = push_pair(s, e->id,
					              o && IS_TREE(o->mode) ? o->id : NULL, off);
			} else {
				r = change_add(&s->changes, e->id,
				               o && IS_FILE(o->mode) ? o->id : NULL, commit,
				               s->path, len);
			}
		}
		/* an old name the new tree lacks; a repeated name counts too */
		if (found != no)
			*deletes = 1;
		git_odb_object_free(nobj);
		git_odb_object_free(oobj);
	}
	return r;
}

static int commit_tree_id(git_oid *out, git_repository *repo, const git_oid *id)
{
	git_commit *c = NULL;
	if (git_commit_lookup(&c, repo, id) < 0) {
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), id);
		return sg_git_error(SG_EIO, hex);
	}
	*out = *git_commit_tree_id(c);
	git_commit_free(c);
	return 0;
}

static int diff_one(void *ctx, int wid, size_t item)
{
	range_blobs *rb = ctx;
	sg_git_worker *w = &rb->workers[wid];
	const sg_commit_graph *graph = rb->graph;
	const sg_commit_node *node = &graph->nodes[rb->commits[item]];
	diff_state *s = &rb->states[wid];
	git_oid ptree;
	sg_pack_reader *tr;
	int r = sg_git_packed_reader(&rb->trees, wid, &tr);
	if (r == 0)
		r = sg_git_worker_scan_commit_message(w, tr, &node->id);
	if (r == 0 && node->nparents) {
		/* the walk loaded the parent, unless the range stops at it */
		const sg_commit_node *parent = &graph->nodes[graph->parent_ids[node->parents]];
		if (!git_oid_is_zero(&parent->tree))
			ptree = parent->tree;
		else
			r = commit_tree_id(&ptree, w->repo, &parent->id);
	}
	if (r == 0)
		r = diff_trees(s, w, tr, (uint32_t)item, &node->tree,
		               node->nparents ? &ptree : NULL, &rb->deletes[item]);
	return r;
}

/* ---- phase 2: each (blob, path) scanned once, whole ---- */

static int cmp_change(const void *a, const void *b)
{
	const change *x = *(change *const *)a, *y = *(change *const *)b;
	int c = git_oid_cmp(&x->k.blob, &y->k.blob);
	return c ? c : strcmp(x->k.path, y->k.path);
}

static int scan_block(void *ctx, int wid, size_t item)
{
	range_blobs *rb = ctx;
	sg_git_worker *w = &rb->workers[wid];
	size_t from = item * rb->block,
	       to = from + rb->block < rb->nunique ? from + rb->block : rb->nunique;
	char hex[GIT_OID_HEXSZ + 1];
	int r = 0;
	for (size_t i = from; i < to && r == 0; i++) {
		const change *c = rb->unique[rb->order[i]];
		const sg_pack_pos *at = &rb->pos[rb->order[i]];
		const char *path = c->k.path;
		const char *data;
		size_t len;
		r = sg_git_worker_read_packed(w, &rb->native, wid, at->pack, at->offset, &c->k.blob,
		                              path, rb->notices, &data, &len);
		if (r < 0)
			break;
		if (r == 0) {
			/* a skipped blob is a finding of its own where it is added */
			rb->suspect[rb->order[i]] = w->last_skip != SG_GIT_READ_OK;
			continue;
		}
		r = 0;
		git_oid_tostr(hex, sizeof(hex), &c->k.blob);
		sg_origin o = {.path = path, .blob = hex};
		size_t before = w->findings.count, dropped = w->findings.dropped;
		w->blobs++;
		w->bytes += len;
		/* as the judging pass reads it: archives opened, runs decoded (its
		 * notices are given there, once) */
		r = sg_artefact_scan(w->scanner, data, len, &o, NULL, &w->findings, NULL);
		if (r == 0)
			sg_git_worker_scanned_packed(w, &rb->native, wid, data, len);
		rb->suspect[rb->order[i]] =
		        w->findings.count != before || w->findings.dropped != dropped;
		/* only whether there is a finding counts here: the changes that
		 * add this blob are judged again on their added lines */
		for (size_t k = before; k < w->findings.count; k++)
			sg_finding_clear(&w->findings.items[k]);
		w->findings.count = before;
		w->findings.dropped = dropped;
		git_odb_object_free(w->new_obj);
		w->new_obj = NULL;
	}
	return r;
}

static int cmp_pos(const void *a, const void *b, void *ctx)
{
	const sg_pack_pos *pos = ctx;
	const sg_pack_pos *x = &pos[*(const uint32_t *)a], *y = &pos[*(const uint32_t *)b];
	if (x->pack != y->pack)
		return x->pack < y->pack ? -1 : 1;
	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	/* the same blob under several paths, and loose objects: id order */
	return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

/* Blobs are read in pack order, as the history sweep reads them: a worker's
 * recently inflated delta bases are still in its cache. */
static int pack_order(range_blobs *rb, git_repository *repo)
{
	sg_oidmap first; /* blob -> its first unique index */
	sg_pack_pos *pos = malloc(rb->nunique * sizeof(*pos));
	int r = 0;
	sg_oidmap_init(&first);
	if (!pos || !(rb->order = malloc(rb->nunique * sizeof(*rb->order))))
		r = sg_error_set(SG_ENOMEM, "out of memory");
	for (size_t i = 0; r == 0 && i < rb->nunique; i++) {
		pos[i].pack = UINT32_MAX;
		pos[i].offset = 0;
		rb->order[i] = (uint32_t)i;
		if (!i || !git_oid_equal(&rb->unique[i]->k.blob, &rb->unique[i - 1]->k.blob))
			r = sg_oidmap_put(NULL, NULL, &first, &rb->unique[i]->k.blob, (uint32_t)i);
	}
	if (r == 0)
		r = sg_pack_positions(repo, &first, pos);
	if (r == 0) {
		for (size_t i = 1; i < rb->nunique; i++)
			if (git_oid_equal(&rb->unique[i]->k.blob, &rb->unique[i - 1]->k.blob))
				pos[i] = pos[i - 1];
		qsort_r(rb->order, rb->nunique, sizeof(*rb->order), cmp_pos, pos);
	}
	rb->pos = pos;
	sg_oidmap_free(&first);
	return r;
}

/* ---- phase 3: the changes whose blob holds a finding, judged ---- */

typedef struct suspects {
	change **items; /* sorted by blob, then path */
	size_t count;
	/* per judged commit (by its walk index c): its suspect changes are
	 * known[first[c] .. first[c + 1]) */
	sg_git_known_change *known;
	size_t *first;
	uint32_t *judged;             /* the walk index of each judged commit */
	const unsigned char *deletes; /* per walk index, from phase 1 */
} suspects;

/* A judged commit's suspect changes, unless the commit may delete a file:
 * then a rename's old side could be anywhere in the tree and the whole
 * trees are diffed. */
static void suspect_changes(void *ctx, size_t item, const sg_git_known_change **known, size_t *n)
{
	const suspects *s = ctx;
	uint32_t c = s->judged[item];
	*n = 0;
	if (s->deletes[c])
		return;
	*known = s->known + s->first[c];
	*n = s->first[c + 1] - s->first[c];
}

/* Called from the workers: reads only. */
static int keep_suspect(void *ctx, const git_oid *blob, const char *path)
{
	const suspects *s = ctx;
	size_t lo = 0, hi = s->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const change *c = s->items[mid];
		int r = git_oid_cmp(blob, &c->k.blob);
		if (!r)
			r = strcmp(path, c->k.path);
		if (!r)
			return 1;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

int sg_git_range_blobs(sg_git *g, const sg_ruleset *rs, const sg_git_options *opts,
                       sg_commit_graph *graph, const uint32_t *commits, size_t n, sg_findings *out,
                       sg_scan_stats *st, sg_notices *nt)
{
	int jobs = opts->jobs > 0 ? opts->jobs : sg_cores();
	range_blobs rb = {.graph = graph, .commits = commits, .ncommits = n, .notices = nt};
	suspects sus = {NULL, 0, NULL, NULL, NULL, NULL};
	uint32_t *redo = NULL;
	size_t *fill = NULL;
	size_t total = 0, nredo = 0, nsus = 0;
	int r = 0;
	if (jobs < 1)
		jobs = 1;
	rb.states = calloc((size_t)jobs, sizeof(*rb.states));
	rb.deletes = calloc(n ? n : 1, 1);
	if (!rb.states || !rb.deletes) {
		free(rb.states);
		free(rb.deletes);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	r = sg_git_packed_open(&rb.trees, graph->packs, (size_t)jobs, TREE_CACHE_BYTES);
	if (r == 0)
		r = sg_git_run_workers(g, rs, opts, 1, n, 2, diff_one, &rb, &rb.workers, out, st,
		                       nt);
	for (int i = 0; i < jobs; i++)
		total += rb.states[i].changes.count;
	if (r == 0 && total) {
		change **all = malloc(total * sizeof(*all));
		if (!all)
			r = sg_error_set(SG_ENOMEM, "out of memory");
		size_t k = 0;
		/* the arenas are final: paths become pointers */
		for (int i = 0; r == 0 && i < jobs; i++)
			for (size_t c = 0; c < rb.states[i].changes.count; c++) {
				change *ch = &rb.states[i].changes.items[c];
				ch->k.path = rb.states[i].changes.paths.data + ch->path_at;
				all[k++] = ch;
			}
		if (r == 0) {
			qsort(all, total, sizeof(*all), cmp_change);
			for (size_t i = 0; i < total; i++)
				if (!rb.nunique || cmp_change(&all[i], &all[rb.nunique - 1]))
					all[rb.nunique++] = all[i];
			rb.unique = all;
			if (!(rb.suspect = calloc(rb.nunique, 1)))
				r = sg_error_set(SG_ENOMEM, "out of memory");
		} else {
			free(all);
		}
	}
	if (r == 0 && rb.nunique)
		r = pack_order(&rb, graph->repo);
	if (r == 0 && rb.nunique)
		r = sg_git_packed_open(&rb.native, graph->packs, (size_t)jobs,
		                       SG_PACK_CACHE_BYTES / (size_t)jobs);
	/* blobs in pack order, as history reads them: hits from their bases' */
	rb.native.keep_hits = sg_ruleset_prefilter(rs);
	rb.block = rb.nunique / ((size_t)jobs * BLOCKS_PER_WORKER);
	if (rb.block < SCAN_BLOCK_MIN)
		rb.block = SCAN_BLOCK_MIN;
	if (r == 0 && rb.nunique)
		r = sg_git_run_workers(g, rs, opts, 1, (rb.nunique + rb.block - 1) / rb.block, 1,
		                       scan_block, &rb, &rb.workers, out, st, nt);
	sg_git_packed_close(&rb.native);
	/* the commits that add a suspect blob, in walk order */
	if (r == 0 && rb.nunique) {
		for (size_t i = 0; i < rb.nunique; i++)
			if (rb.suspect[i])
				rb.unique[sus.count++] = rb.unique[i];
		sus.items = rb.unique;
	}
	if (r == 0 && sus.count) {
		sus.first = calloc(n + 1, sizeof(*sus.first));
		fill = malloc((n ? n : 1) * sizeof(*fill));
		redo = malloc(n * sizeof(*redo));
		sus.judged = malloc(n * sizeof(*sus.judged));
		if (!sus.first || !fill || !redo || !sus.judged)
			r = sg_error_set(SG_ENOMEM, "out of memory");
		/* counted per commit (first[c + 1]), summed, then filled in */
		for (int i = 0; r == 0 && i < jobs; i++)
			for (size_t c = 0; c < rb.states[i].changes.count; c++) {
				change *ch = &rb.states[i].changes.items[c];
				ch->suspect = keep_suspect(&sus, &ch->k.blob, ch->k.path);
				sus.first[ch->commit + 1] += ch->suspect;
				nsus += ch->suspect;
			}
		for (size_t i = 0; r == 0 && i < n; i++) {
			if (sus.first[i + 1]) {
				sus.judged[nredo] = (uint32_t)i;
				redo[nredo++] = commits[i];
			}
			sus.first[i + 1] += sus.first[i];
			fill[i] = sus.first[i];
		}
		if (r == 0 && !(sus.known = malloc((nsus ? nsus : 1) * sizeof(*sus.known))))
			r = sg_error_set(SG_ENOMEM, "out of memory");
		for (int i = 0; r == 0 && i < jobs; i++)
			for (size_t c = 0; c < rb.states[i].changes.count; c++) {
				const change *ch = &rb.states[i].changes.items[c];
				if (ch->suspect)
					sus.known[fill[ch->commit]++] = ch->k;
			}
		sus.deletes = rb.deletes;
	}
	if (r == 0 && nredo) {
		/* counted once already, by the scan above */
		sg_scan_stats again = {0};
		sg_notices again_notes;
		sg_git_change_filter filter = {keep_suspect, suspect_changes, &sus};
		if ((r = sg_notices_init(&again_notes)) == 0) {
			r = sg_git_range_commits(g, rs, opts, graph, redo, nredo, &filter, out,
			                         &again, &again_notes);
			sg_notices_free(&again_notes);
		}
	}
	for (int i = 0; i < jobs; i++) {
		diff_state *s = &rb.states[i];
		free(s->changes.items);
		free(s->changes.paths.data);
		free(s->todo);
		free(s->ne);
		free(s->oe);
		free(s->scratch.data);
		free(s->path);
		free(s->new_tree.data);
	}
	sg_git_packed_close(&rb.trees);
	free(rb.states);
	free(rb.unique);
	free(rb.order);
	free(rb.pos);
	free(rb.suspect);
	free(redo);
	free(fill);
	free(sus.first);
	free(sus.judged);
	free(sus.known);
	free(rb.deletes);
	return r;
}
