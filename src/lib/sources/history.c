/* History sweep: every unique blob reachable from the refs, scanned once in
 * pack order on all workers, then each secret attributed to the earliest
 * commit and path that carry it. Trees are read once per walk (a seen-set
 * of tree ids), so the cost is close to inflating the blobs. */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "util/pool.h"
#include "lib/sources/source_git_internal.h"
#include "lib/sources/commit_walk.h"
#include "lib/sources/git_parse.h"
#include "lib/sources/pack_order.h"
#include "lib/sources/pack_read.h"
#include "secretgate/artefact.h"
#include "util/grow.h"
#include "util/arena.h"

/* Blobs per work item: a worker reads a contiguous stretch of the pack, so
 * the delta bases it has just inflated are in its own cache; enough items
 * remain for the threads to finish together. */
#define MIN_BLOCK         32
#define BLOCKS_PER_THREAD 16
#define MAX_PATH_BYTES    4096 /* deeper paths are cut (attribution only) */
#define MAX_MEMO_ENTRIES  (64u * 1000 * 1000)
#define MAX_GROUP_PATHS   4096
#define NO_PATH           UINT32_MAX
#define TREE_CACHE_BYTES  (16u << 20)

/* Path arenas with 32-bit offsets (util/arena.h). */
typedef sg_arena arena;

static int arena_add(uint32_t *off, arena *a, const char *s, size_t n)
{
	*off = 0;
	if (a->len + n + 1 > UINT32_MAX)
		return sg_error_set(SG_ETOOBIG, "more than 4 GB of path names");
	size_t at = 0;
	int r = sg_arena_add(a, &at, s, n);
	*off = (uint32_t)at;
	return r;
}

/* ---- walk 1: the reachable blobs, each with a path to judge it by ---- */

typedef struct blob_info {
	git_oid id;
	uint32_t path; /* arena offset of a path it had */
	uint32_t pack; /* pack-order key: pack number, offset */
	uint64_t offset;
} blob_info;

typedef struct history {
	sg_git *g;
	git_repository *repo;
	git_odb *odb;
	sg_commit_graph graph;
	uint32_t *commits;
	size_t ncommits;
	sg_oidmap blob_index; /* blob id -> index in blobs */
	blob_info *blobs;
	size_t nblobs, blobs_cap;
	arena paths;
	uint32_t *order;    /* blob indexes in pack order */
	uint32_t *trees_at; /* per commit: unique trees walk 1 had read before it */
	sg_packs *packs;    /* the native pack reader's packs, NULL: libgit2 only */
} history;

typedef struct tree_todo {
	git_oid id;
	uint32_t path; /* offset in the walk's own path arena */
} tree_todo;

static int push_todo(tree_todo **st, size_t *n, size_t *cap, const git_oid *id, uint32_t path)
{
	if (*n == *cap && SG_GROW(*st, *cap, 256) < 0)
		return sg_error_set(SG_ENOMEM, "out of memory");
	(*st)[*n].id = *id;
	(*st)[*n].path = path;
	(*n)++;
	return 0;
}

static int join_path(char *buf, const char *dir, const git_oid *unused, const sg_tree_entry *e)
{
	(void)unused;
	size_t dl = strlen(dir);
	if (dl + 1 + e->name_len + 1 > MAX_PATH_BYTES)
		return -1;
	size_t k = 0;
	if (dl) {
		memcpy(buf, dir, dl);
		buf[dl] = '/';
		k = dl + 1;
	}
	memcpy(buf + k, e->name, e->name_len);
	buf[k + e->name_len] = '\0';
	return (int)(k + e->name_len);
}

/* dir/name in buf; a path too long is named by its directory */
static int entry_path(char *buf, const char *dir, const sg_tree_entry *e)
{
	int len = join_path(buf, dir, NULL, e);
	return len < 0 ? snprintf(buf, MAX_PATH_BYTES, "%s", dir) : len;
}

static int collect_blobs(history *h)
{
	sg_oidmap seen_trees;
	arena dirs = {0};
	tree_todo *todo = NULL;
	size_t ntodo = 0, todo_cap = 0;
	char path[MAX_PATH_BYTES];
	int r = 0;
	sg_pack_reader *tr = NULL;
	sg_oidmap_init(&seen_trees);
	uint32_t root_path;
	if ((r = arena_add(&root_path, &dirs, "", 0)) < 0 ||
	    (h->packs && (r = sg_pack_reader_new(&tr, h->packs, TREE_CACHE_BYTES)) < 0))
		return r;
	if (!(h->trees_at = malloc((h->ncommits + 1) * sizeof(*h->trees_at))))
		r = sg_error_set(SG_ENOMEM, "out of memory");
	uint32_t trees = 0;
	for (size_t c = 0; c < h->ncommits && r == 0; c++) {
		/* the walk loaded every commit it returns */
		git_oid root = h->graph.nodes[h->commits[c]].tree;
		h->trees_at[c] = trees;
		int added;
		if ((r = sg_oidmap_put(NULL, &added, &seen_trees, &root, 0)) < 0 || !added)
			continue;
		dirs.len = 1; /* every tree of the last commit is done: reuse the arena */
		if ((r = push_todo(&todo, &ntodo, &todo_cap, &root, root_path)) < 0)
			break;
		while (ntodo && r == 0) {
			tree_todo t = todo[--ntodo];
			git_odb_object *obj;
			const char *p;
			size_t tree_len;
			trees++;
			if ((r = sg_git_tree_bytes(tr, h->odb, &t.id, &p, &tree_len, &obj)) < 0)
				break;
			const char *end = p + tree_len;
			sg_tree_entry e;
			int k;
			while (r == 0 && (k = sg_git_tree_next(&e, &p, end)) == 1) {
				if (!e.kind)
					continue;
				/* most entries were seen in an earlier commit: the path is
				 * only made for a new one */
				int len;
				if (e.kind == 't') {
					uint32_t off;
					if ((r = sg_oidmap_put(NULL, &added, &seen_trees, e.id,
					                       0)) < 0 ||
					    !added)
						continue;
					len = entry_path(path, dirs.data + t.path, &e);
					if ((r = arena_add(&off, &dirs, path, (size_t)len)) == 0)
						r = push_todo(&todo, &ntodo, &todo_cap, e.id, off);
					continue;
				}
				if ((r = sg_oidmap_put(NULL, &added, &h->blob_index, e.id,
				                       (uint32_t)h->nblobs)) < 0 ||
				    !added)
					continue;
				len = entry_path(path, dirs.data + t.path, &e);
				if (h->nblobs == h->blobs_cap) {
					size_t ncap = h->blobs_cap ? h->blobs_cap * 2 : 4096;
					blob_info *b = realloc(h->blobs, ncap * sizeof(*b));
					if (!b) {
						r = sg_error_set(SG_ENOMEM, "out of memory");
						break;
					}
					h->blobs = b;
					h->blobs_cap = ncap;
				}
				blob_info *b = &h->blobs[h->nblobs++];
				b->id = *e.id;
				b->pack = UINT32_MAX;
				b->offset = 0;
				r = arena_add(&b->path, &h->paths, path, (size_t)len);
			}
			if (r == 0 && k < 0)
				r = sg_error_set(SG_EINVALID, "malformed tree object");
			git_odb_object_free(obj);
		}
	}
	sg_pack_reader_free(tr);
	free(todo);
	free(dirs.data);
	sg_oidmap_free(&seen_trees);
	return r;
}

/* ---- pack order ---- */

static int cmp_pack_order(const void *a, const void *b, void *ctx)
{
	const blob_info *blobs = ctx;
	const blob_info *x = &blobs[*(const uint32_t *)a], *y = &blobs[*(const uint32_t *)b];
	if (x->pack != y->pack)
		return x->pack < y->pack ? -1 : 1;
	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return memcmp(x->id.id, y->id.id, GIT_OID_RAWSZ);
}

static int pack_order(history *h)
{
	sg_pack_pos *pos = malloc((h->nblobs + 1) * sizeof(*pos));
	if (!pos)
		return sg_error_set(SG_ENOMEM, "out of memory");
	for (size_t i = 0; i < h->nblobs; i++)
		pos[i].pack = UINT32_MAX;
	int r = sg_pack_positions(h->repo, &h->blob_index, pos);
	for (size_t i = 0; i < h->nblobs; i++) {
		h->blobs[i].pack = pos[i].pack;
		h->blobs[i].offset = pos[i].offset;
	}
	free(pos);
	if (r < 0)
		return r;
	/* loose objects and alternates come last, in id order */
	if (!(h->order = malloc((h->nblobs + 1) * sizeof(*h->order))))
		return sg_error_set(SG_ENOMEM, "out of memory");
	for (size_t i = 0; i < h->nblobs; i++)
		h->order[i] = (uint32_t)i;
	qsort_r(h->order, h->nblobs, sizeof(*h->order), cmp_pack_order, h->blobs);
	return 0;
}

/* ---- scanning on all workers ---- */
static double now_ms(void);
#ifdef SG_HISTORY_TIMING
#define PHASE(name) fprintf(stderr, "phase %s: %.0f ms\n", name, now_ms())
#else
#define PHASE(name) ((void)0)
#endif

typedef struct sweep {
	history *h;
	sg_git_worker *workers;
	sg_notices *notices;
	const sg_git_options *opts;
	size_t block;
	/* the native pack reader: one reader per worker, made on first use */
	sg_git_packed native; /* the blobs read from the packs by hand */
	uint64_t done, bytes;
	pthread_mutex_t progress_lock;
	double t0, last;
} sweep;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void report_progress(sweep *s, int final)
{
	if (!s->opts->progress)
		return;
	if (!final && pthread_mutex_trylock(&s->progress_lock) != 0)
		return;
	if (final)
		pthread_mutex_lock(&s->progress_lock);
	double t = now_ms();
	if (final || t - s->last >= 200) {
		s->last = t;
		sg_git_progress p = {__atomic_load_n(&s->done, __ATOMIC_RELAXED), s->h->nblobs,
		                     __atomic_load_n(&s->bytes, __ATOMIC_RELAXED), t - s->t0, NULL};
		s->opts->progress(s->opts->progress_ctx, &p);
	}
	pthread_mutex_unlock(&s->progress_lock);
}

static int sweep_block(void *ctx, int wid, size_t item)
{
	sweep *s = ctx;
	history *h = s->h;
	sg_git_worker *w = &s->workers[wid];
	size_t from = item * s->block,
	       to = from + s->block < h->nblobs ? from + s->block : h->nblobs;
	uint64_t bytes = 0;
	char hex[GIT_OID_HEXSZ + 1];
	int r = 0;
	for (size_t i = from; i < to && r == 0; i++) {
		blob_info *b = &h->blobs[h->order[i]];
		const char *path = h->paths.data + b->path;
		const char *data;
		size_t len;
		r = sg_git_worker_read_packed(w, &s->native, wid, b->pack, b->offset, &b->id, path,
		                              s->notices, &data, &len);
		if (r == SG_ENOTFOUND) {
			/* a hole in the object database: say so, sweep the rest */
			sg_notices_add(s->notices, "%s", sg_error_last());
			w->errors++;
			r = 0;
			continue;
		}
		if (r <= 0)
			continue;
		r = 0;
		git_oid_tostr(hex, sizeof(hex), &b->id);
		sg_origin o = {.path = path, .blob = hex};
		w->blobs++;
		w->bytes += len;
		bytes += len;
		r = sg_artefact_scan(w->scanner, data, len, &o, NULL, &w->findings, s->notices);
		if (r == 0)
			sg_git_worker_scanned_packed(w, &s->native, wid, data, len);
		git_odb_object_free(w->new_obj);
		w->new_obj = NULL;
	}
	/* the stretch of pack this block read is not needed again soon */
	if (s->native.packs && to > from) {
		const blob_info *first = &h->blobs[h->order[from]],
		                *last = &h->blobs[h->order[to - 1]];
		if (first->pack == last->pack)
			sg_packs_release(s->native.packs, first->pack, first->offset, last->offset);
	}
	__atomic_add_fetch(&s->done, to - from, __ATOMIC_RELAXED);
	__atomic_add_fetch(&s->bytes, bytes, __ATOMIC_RELAXED);
	report_progress(s, 0);
	return r;
}

static void close_packs(sweep *s)
{
#ifdef SG_HISTORY_TIMING
	for (size_t i = 0; s->native.readers && i < s->native.n; i++) {
		if (s->native.readers[i]) {
			sg_pack_stats ps = sg_pack_reader_stats(s->native.readers[i]);
			fprintf(stderr,
			        "pack reader %zu: %llu read, %llu fallback, %llu cache hits\n", i,
			        (unsigned long long)ps.read, (unsigned long long)ps.fallback,
			        (unsigned long long)ps.cache_hits);
		}
	}
#endif
	sg_git_packed_close(&s->native);
}

/* ---- walk 2: attribution of the blobs that hold findings ---- */

/* One secret (a fingerprint) and where it first appears. */
typedef struct group {
	const char *fingerprint;
	size_t first_finding; /* index in the scan's findings, by blob and line */
	int64_t first_commit; /* index in history order, -1 until seen */
	char *first_path;
	uint64_t commits;
	int64_t last_commit;
	char **paths;
	size_t npaths;
	int paths_capped;
	uint32_t *path_ids; /* ids met in one stretch (their paths are in paths) */
	size_t nids;
} group;

/* A path below a tree is an entry's name, then for a subtree the path
 * below that: one id per distinct path, whichever trees it came through, so
 * a path is joined once rather than copied into every tree that holds it,
 * and paths compare by id. */
typedef struct path_rec {
	uint32_t name;  /* name id */
	uint32_t child; /* path id below the entry, NO_PATH for a blob */
} path_rec;

typedef struct path_table {
	arena text;      /* the names */
	uint32_t *names; /* name id -> offset in text */
	size_t nnames, names_cap;
	uint32_t *slots; /* open addressing on a name's bytes: name id + 1, 0 empty */
	size_t slots_cap;
	sg_oidmap joins; /* (name id, child) -> path id */
	path_rec *recs;
	size_t nrecs, recs_cap;
} path_table;

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	return x ^ (x >> 33);
}

static uint64_t name_hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return mix64(h);
}

static void path_table_free(path_table *t)
{
	free(t->text.data);
	free(t->names);
	free(t->slots);
	sg_oidmap_free(&t->joins);
	free(t->recs);
}

/* The slot for name s: where its id is, or the empty slot it would take. */
static size_t name_slot(const path_table *t, const char *s, size_t n)
{
	size_t mask = t->slots_cap - 1, i = (size_t)name_hash(s, n) & mask;
	for (;; i = (i + 1) & mask) {
		uint32_t v = t->slots[i];
		if (!v)
			return i;
		const char *x = t->text.data + t->names[v - 1];
		if (strlen(x) == n && !memcmp(x, s, n))
			return i;
	}
}

static int name_id(uint32_t *out, path_table *t, const char *s, size_t n)
{
	if (t->nnames + 1 > t->slots_cap / 2) {
		size_t ncap = t->slots_cap ? t->slots_cap * 2 : 1024;
		uint32_t *old = t->slots;
		size_t ocap = t->slots_cap;
		if (!(t->slots = calloc(ncap, sizeof(*t->slots)))) {
			t->slots = old;
			return sg_error_set(SG_ENOMEM, "out of memory");
		}
		t->slots_cap = ncap;
		for (size_t i = 0; i < ocap; i++)
			if (old[i]) {
				const char *x = t->text.data + t->names[old[i] - 1];
				t->slots[name_slot(t, x, strlen(x))] = old[i];
			}
		free(old);
	}
	size_t i = name_slot(t, s, n);
	if (t->slots[i]) {
		*out = t->slots[i] - 1;
		return 0;
	}
	if (t->nnames == t->names_cap && SG_GROW(t->names, t->names_cap, 1024) < 0)
		return sg_error_set(SG_ENOMEM, "out of memory");
	int r = arena_add(&t->names[t->nnames], &t->text, s, n);
	if (r < 0)
		return r;
	*out = (uint32_t)t->nnames++;
	t->slots[i] = *out + 1;
	return 0;
}

/* The id of name/child (child NO_PATH: the name alone). */
static int path_join(uint32_t *out, path_table *t, uint32_t name, uint32_t child)
{
	git_oid key = {{0}};
	uint64_t pair = (uint64_t)name << 32 | child, h = mix64(pair);
	memcpy(key.id, &h, sizeof(h));
	memcpy(key.id + 8, &pair, sizeof(pair));
	uint32_t *slot;
	int added;
	int r = sg_oidmap_put(&slot, &added, &t->joins, &key, (uint32_t)t->nrecs);
	if (r < 0)
		return r;
	if (added) {
		if (t->nrecs == t->recs_cap && SG_GROW(t->recs, t->recs_cap, 1024) < 0)
			return sg_error_set(SG_ENOMEM, "out of memory");
		t->recs[t->nrecs++] = (path_rec){name, child};
	}
	*out = *slot;
	return 0;
}

/* The text of path id, cut at MAX_PATH_BYTES - 1 bytes; its length. */
static size_t path_text(const path_table *t, uint32_t id, char *buf)
{
	size_t n = 0;
	for (int first = 1; id != NO_PATH; id = t->recs[id].child, first = 0) {
		const char *x = t->text.data + t->names[t->recs[id].name];
		if (!first && n < MAX_PATH_BYTES - 1)
			buf[n++] = '/';
		for (; *x && n < MAX_PATH_BYTES - 1; x++)
			buf[n++] = *x;
	}
	buf[n] = '\0';
	return n;
}

typedef struct memo_entry {
	uint32_t suspect;
	uint32_t path; /* path id below the tree */
} memo_entry;

/* tree id -> memo: value 0 = holds no suspect, else 1 + index into spans */
typedef struct memo {
	sg_oidmap trees;
	memo_entry *entries;
	size_t nentries, cap;
	struct span {
		uint32_t start, count;
	} * spans;
	size_t nspans, spans_cap;
	path_table paths;
} memo;

static int memo_push(memo *m, memo_entry e)
{
	if (m->nentries >= MAX_MEMO_ENTRIES)
		return sg_error_set(SG_ETOOBIG, "attribution: more than %u path records",
		                    MAX_MEMO_ENTRIES);
	if (m->nentries == m->cap && SG_GROW(m->entries, m->cap, 1024) < 0)
		return sg_error_set(SG_ENOMEM, "out of memory");
	m->entries[m->nentries++] = e;
	return 0;
}

/* Frames of the post-order walk over trees not yet memoised. A tree's
 * entries collect in the pending list; when it is done they become its
 * memo and are handed to the parent with the subtree's name prefixed. */
typedef struct frame {
	git_odb_object *obj;
	const char *p, *end;
	size_t pending_start;
	const char *name; /* this tree's name in the parent (parent's data) */
	size_t name_len;
	git_oid id;
} frame;

typedef struct pending {
	memo_entry *items;
	size_t n, cap;
	/* trees read by hand are copied here, one buffer per depth of the
	 * walk, so each stays in place while its subtrees are read */
	arena *trees;
	size_t ntrees;
	sg_pack_reader *reader;
	git_odb *odb; /* for what the reader cannot read */
} pending;

static int pending_push(pending *pd, uint32_t suspect, uint32_t path)
{
	if (pd->n == pd->cap && SG_GROW(pd->items, pd->cap, 256) < 0)
		return sg_error_set(SG_ENOMEM, "out of memory");
	pd->items[pd->n++] = (memo_entry){suspect, path};
	return 0;
}

static int push_frame(frame **st, size_t *n, size_t *cap, history *h, const git_oid *id,
                      pending *pd, const char *name, size_t name_len)
{
	if (*n == *cap && SG_GROW(*st, *cap, 32) < 0)
		return sg_error_set(SG_ENOMEM, "out of memory");
	if (pd->reader && *n >= pd->ntrees) {
		arena *t = realloc(pd->trees, (*n + 1) * sizeof(*t));
		if (!t)
			return sg_error_set(SG_ENOMEM, "out of memory");
		memset(t + pd->ntrees, 0, (*n + 1 - pd->ntrees) * sizeof(*t));
		pd->trees = t;
		pd->ntrees = *n + 1;
	}
	frame *f = &(*st)[*n];
	memset(f, 0, sizeof(*f));
	const char *p;
	size_t len;
	uint32_t at;
	int r = sg_git_tree_bytes(pd->reader, pd->odb, id, &p, &len, &f->obj);
	if (r < 0)
		return r;
	if (!f->obj) {
		pd->trees[*n].len = 0;
		if ((r = arena_add(&at, &pd->trees[*n], p, len)) < 0)
			return r;
		p = pd->trees[*n].data;
	}
	f->id = *id;
	f->p = p;
	f->end = p + len;
	f->pending_start = pd->n;
	f->name = name;
	f->name_len = name_len;
	(*n)++;
	return 0;
}

/* Append the memo of a finished subtree to the pending list, below its name. */
static int pending_add_memo(pending *pd, memo *m, uint32_t value, const char *name, size_t name_len)
{
	if (!value)
		return 0;
	uint32_t nm;
	int r = name_id(&nm, &m->paths, name, name_len);
	struct span sp = m->spans[value - 1];
	for (uint32_t i = 0; i < sp.count && r == 0; i++) {
		memo_entry me = m->entries[sp.start + i];
		uint32_t id;
		if ((r = path_join(&id, &m->paths, nm, me.path)) == 0)
			r = pending_push(pd, me.suspect, id);
	}
	return r;
}

/* The memo of tree `root`: every (suspect blob, path) inside it. Each tree
 * object is read once; a tree seen before contributes its memo. */
static int memo_tree(uint32_t *out, memo *m, pending *pd, history *h, const sg_oidmap *suspects,
                     const git_oid *root)
{
	uint32_t *v = sg_oidmap_get(&m->trees, root);
	if (v) {
		*out = *v;
		return 0;
	}
	frame *st = NULL;
	size_t n = 0, cap = 0;
	pd->n = 0;
	int r = push_frame(&st, &n, &cap, h, root, pd, NULL, 0);
	uint32_t value = 0;
	while (n && r == 0) {
		frame *f = &st[n - 1];
		sg_tree_entry e;
		int k = sg_git_tree_next(&e, &f->p, f->end);
		if (k < 0) {
			r = sg_error_set(SG_EINVALID, "malformed tree object");
			break;
		}
		if (k == 1) {
			if (e.kind == 'b') {
				uint32_t *s = sg_oidmap_get(suspects, e.id), nm, id;
				if (s && (r = name_id(&nm, &m->paths, e.name, e.name_len)) == 0 &&
				    (r = path_join(&id, &m->paths, nm, NO_PATH)) == 0)
					r = pending_push(pd, *s, id);
			} else if (e.kind == 't') {
				uint32_t *sub = sg_oidmap_get(&m->trees, e.id);
				if (sub)
					r = pending_add_memo(pd, m, *sub, e.name, e.name_len);
				else
					r = push_frame(&st, &n, &cap, h, e.id, pd, e.name,
					               e.name_len);
			}
			continue;
		}
		/* this tree is done: its pending entries become its memo */
		value = 0;
		if (pd->n > f->pending_start) {
			if (m->nspans == m->spans_cap) {
				size_t ncap = m->spans_cap ? m->spans_cap * 2 : 1024;
				struct span *s = realloc(m->spans, ncap * sizeof(*s));
				if (!s) {
					r = sg_error_set(SG_ENOMEM, "out of memory");
					break;
				}
				m->spans = s;
				m->spans_cap = ncap;
			}
			uint32_t start = (uint32_t)m->nentries;
			for (size_t i = f->pending_start; i < pd->n && r == 0; i++)
				r = memo_push(m, pd->items[i]);
			if (r < 0)
				break;
			m->spans[m->nspans].start = start;
			m->spans[m->nspans].count = (uint32_t)(m->nentries - start);
			value = (uint32_t)++m->nspans;
		}
		if ((r = sg_oidmap_put(NULL, NULL, &m->trees, &f->id, value)) < 0)
			break;
		pd->n = f->pending_start;
		const char *name = f->name;
		size_t name_len = f->name_len;
		n--;
		if (n)
			r = pending_add_memo(pd, m, value, name, name_len);
		git_odb_object_free(f->obj);
	}
	for (size_t i = 0; i < n; i++)
		git_odb_object_free(st[i].obj);
	free(st);
	if (r < 0)
		return r;
	*out = value;
	return 0;
}

typedef struct suspect_finding {
	uint32_t group;
	size_t finding;
} suspect_finding;

typedef struct attribution {
	sg_oidmap suspects; /* blob id -> suspect index */
	suspect_finding **lists;
	size_t *counts;
	size_t nsuspects;
	group *groups;
	size_t ngroups;
} attribution;

static int cmp_by_fingerprint(const void *a, const void *b, void *ctx)
{
	const sg_finding *f = ctx;
	const sg_finding *x = &f[*(const size_t *)a], *y = &f[*(const size_t *)b];
	int c = strcmp(sg_finding_identity(x), sg_finding_identity(y));
	if (c)
		return c;
	c = strcmp(x->blob ? x->blob : "", y->blob ? y->blob : "");
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->column < y->column ? -1 : (x->column > y->column);
}

static void attribution_free(attribution *a)
{
	for (size_t i = 0; i < a->nsuspects; i++)
		free(a->lists[i]);
	free(a->lists);
	free(a->counts);
	for (size_t i = 0; i < a->ngroups; i++) {
		free(a->groups[i].first_path);
		for (size_t k = 0; k < a->groups[i].npaths; k++)
			free(a->groups[i].paths[k]);
		free(a->groups[i].paths);
		free(a->groups[i].path_ids);
	}
	free(a->groups);
	sg_oidmap_free(&a->suspects);
}

/* Group findings by secret and index the blobs that hold them. */
static int attribution_init(attribution *a, const sg_findings *f)
{
	memset(a, 0, sizeof(*a));
	sg_oidmap_init(&a->suspects);
	size_t *idx = malloc((f->count + 1) * sizeof(*idx));
	a->groups = calloc(f->count + 1, sizeof(*a->groups));
	a->lists = calloc(f->count + 1, sizeof(*a->lists));
	a->counts = calloc(f->count + 1, sizeof(*a->counts));
	if (!idx || !a->groups || !a->lists || !a->counts) {
		free(idx);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < f->count; i++)
		idx[i] = i;
	qsort_r(idx, f->count, sizeof(*idx), cmp_by_fingerprint, f->items);
	int r = 0;
	for (size_t k = 0; k < f->count && r == 0; k++) {
		const sg_finding *x = &f->items[idx[k]];
		if (!a->ngroups ||
		    strcmp(a->groups[a->ngroups - 1].fingerprint, sg_finding_identity(x))) {
			group *g = &a->groups[a->ngroups++];
			g->fingerprint = sg_finding_identity(x);
			g->first_finding = idx[k];
			g->first_commit = -1;
			g->last_commit = -1;
		} else if (k && !strcmp(f->items[idx[k - 1]].blob ? f->items[idx[k - 1]].blob : "",
		                        x->blob ? x->blob : "")) {
			continue; /* the same secret again in the same blob */
		}
		git_oid id;
		if (!x->blob || git_oid_fromstr(&id, x->blob) < 0)
			continue;
		uint32_t *slot;
		int added;
		if ((r = sg_oidmap_put(&slot, &added, &a->suspects, &id, (uint32_t)a->nsuspects)) <
		    0)
			break;
		if (added)
			a->nsuspects++;
		size_t s = *slot, c = a->counts[s];
		suspect_finding *l = realloc(a->lists[s], (c + 1) * sizeof(*l));
		if (!l) {
			r = sg_error_set(SG_ENOMEM, "out of memory");
			break;
		}
		l[c].group = (uint32_t)(a->ngroups - 1);
		l[c].finding = idx[k];
		a->lists[s] = l;
		a->counts[s] = c + 1;
	}
	free(idx);
	return r;
}

static int group_add_path(group *g, const char *path)
{
	for (size_t i = 0; i < g->npaths; i++)
		if (!strcmp(g->paths[i], path))
			return 0;
	if (g->npaths >= MAX_GROUP_PATHS) {
		g->paths_capped = 1;
		return 0;
	}
	char **p = realloc(g->paths, (g->npaths + 1) * sizeof(*p));
	if (!p)
		return sg_error_set(SG_ENOMEM, "out of memory");
	g->paths = p;
	if (!(p[g->npaths] = strdup(path)))
		return sg_error_set(SG_ENOMEM, "out of memory");
	g->npaths++;
	return 0;
}

/* group_add_path for a path met in one stretch: by id, its text made only
 * the first time the id is met. */
static int group_add_path_id(group *g, const path_table *t, uint32_t id)
{
	for (size_t i = 0; i < g->nids; i++)
		if (g->path_ids[i] == id)
			return 0;
	char path[MAX_PATH_BYTES];
	path_text(t, id, path);
	int r = group_add_path(g, path);
	if (r < 0 || g->paths_capped)
		return r;
	uint32_t *n = realloc(g->path_ids, (g->nids + 1) * sizeof(*n));
	if (!n)
		return sg_error_set(SG_ENOMEM, "out of memory");
	g->path_ids = n;
	g->path_ids[g->nids++] = id;
	return 0;
}

/* A stretch of the commits, attributed on a thread of its own. */
typedef struct attr_part {
	history *h;
	const attribution *a;
	size_t from, to;
	group *groups;        /* this stretch's view of every group */
	git_repository *repo; /* own handles, for the threads after the first */
	git_odb *odb;
	pthread_t thread;
	int started, r;
} attr_part;

/* Walk the commits of one stretch oldest first; each tree is read once and
 * remembers which suspect blobs it holds, so a commit's root tree says what
 * it carries. */
static int attribute_part(attr_part *ap)
{
	history *h = ap->h;
	const attribution *a = ap->a;
	memo m = {0};
	pending pd = {.odb = ap->odb};
	sg_oidmap_init(&m.trees);
	sg_oidmap_init(&m.paths.joins);
	int r = h->packs ? sg_pack_reader_new(&pd.reader, h->packs, TREE_CACHE_BYTES) : 0;
	for (size_t c = ap->from; c < ap->to && r == 0; c++) {
		git_oid root = h->graph.nodes[h->commits[c]].tree;
		uint32_t value;
		if ((r = memo_tree(&value, &m, &pd, h, &a->suspects, &root)) < 0 || !value)
			continue;
		struct span sp = m.spans[value - 1];
		for (uint32_t i = 0; i < sp.count && r == 0; i++) {
			memo_entry me = m.entries[sp.start + i];
			for (size_t k = 0; k < a->counts[me.suspect] && r == 0; k++) {
				suspect_finding sf = a->lists[me.suspect][k];
				group *g = &ap->groups[sf.group];
				if (g->last_commit != (int64_t)c) {
					g->commits++;
					g->last_commit = (int64_t)c;
				}
				if (g->first_commit < 0) {
					char path[MAX_PATH_BYTES];
					path_text(&m.paths, me.path, path);
					g->first_commit = (int64_t)c;
					g->first_finding = sf.finding;
					if (!(g->first_path = strdup(path)))
						r = sg_error_set(SG_ENOMEM, "out of memory");
				}
				if (r == 0)
					r = group_add_path_id(g, &m.paths, me.path);
			}
		}
	}
	sg_oidmap_free(&m.trees);
	free(m.entries);
	free(m.spans);
	path_table_free(&m.paths);
	free(pd.items);
	for (size_t i = 0; i < pd.ntrees; i++)
		free(pd.trees[i].data);
	free(pd.trees);
	sg_pack_reader_free(pd.reader);
	return r;
}

static void *attribute_main(void *arg)
{
	attr_part *ap = arg;
	ap->r = attribute_part(ap);
	return NULL;
}

static void part_free(attr_part *ap, size_t ngroups)
{
	for (size_t i = 0; ap->groups && i < ngroups; i++) {
		group *q = &ap->groups[i];
		free(q->first_path);
		for (size_t k = 0; k < q->npaths; k++)
			free(q->paths[k]);
		free(q->paths);
		free(q->path_ids);
	}
	free(ap->groups);
	ap->groups = NULL;
	git_odb_free(ap->odb);
	git_repository_free(ap->repo);
}

/* A later stretch's groups folded into the earlier ones': the first commit
 * stays the earliest, commits add up (the stretches do not overlap) and
 * paths join in order, as one walk would have met them. */
static int merge_part(attribution *a, attr_part *ap)
{
	int r = 0;
	for (size_t i = 0; i < a->ngroups && r == 0; i++) {
		group *g = &a->groups[i], *q = &ap->groups[i];
		if (q->first_commit >= 0 && g->first_commit < 0) {
			g->first_commit = q->first_commit;
			g->first_finding = q->first_finding;
			g->first_path = q->first_path;
			q->first_path = NULL;
		}
		g->commits += q->commits;
		for (size_t k = 0; k < q->npaths && r == 0; k++)
			r = group_add_path(g, q->paths[k]);
	}
	return r;
}

/* The commits split into one stretch per job, each holding about as many
 * of the trees walk 1 read (a stretch re-reads the unchanged trees of its
 * first commit, a few hundred in a large project). */
static int attribute(history *h, attribution *a, int jobs)
{
	size_t nparts = jobs > 1 && h->trees_at && h->ncommits >= 64 ? (size_t)jobs : 1;
	attr_part *parts = calloc(nparts, sizeof(*parts));
	if (!parts)
		return sg_error_set(SG_ENOMEM, "out of memory");
	uint64_t total = h->ncommits ? h->trees_at[h->ncommits - 1] : 0;
	size_t c = 0;
	int r = 0;
	for (size_t k = 0; k < nparts; k++) {
		attr_part *ap = &parts[k];
		ap->h = h;
		ap->a = a;
		ap->from = c;
		while (nparts > 1 && k + 1 < nparts && c < h->ncommits &&
		       h->trees_at[c] < total * (k + 1) / nparts)
			c++;
		ap->to = k + 1 < nparts ? c : h->ncommits;
	}
	parts[0].groups = a->groups;
	parts[0].odb = h->odb;
	for (size_t k = 1; k < nparts && r == 0; k++) {
		attr_part *ap = &parts[k];
		if (!(ap->groups = calloc(a->ngroups + 1, sizeof(*ap->groups)))) {
			r = sg_error_set(SG_ENOMEM, "out of memory");
			break;
		}
		for (size_t i = 0; i < a->ngroups; i++)
			ap->groups[i].first_commit = ap->groups[i].last_commit = -1;
		if (git_repository_open(&ap->repo, sg_git_dir(h->g)) < 0 ||
		    git_repository_odb(&ap->odb, ap->repo) < 0) {
			r = sg_git_error(SG_EIO, "object database");
			break;
		}
		if (pthread_create(&ap->thread, NULL, attribute_main, ap) == 0)
			ap->started = 1;
		else
			ap->r = attribute_part(ap); /* no thread: here, in turn */
	}
	if (r == 0)
		r = attribute_part(&parts[0]);
	for (size_t k = 1; k < nparts; k++) {
		attr_part *ap = &parts[k];
		if (ap->started)
			pthread_join(ap->thread, NULL);
		if (r == 0)
			r = ap->r;
		if (ap->groups && r == 0)
			r = merge_part(a, ap);
		part_free(ap, a->ngroups);
	}
	free(parts);
	return r;
}

/* The group's paths other than its first, one per line (for reports). */
static char *other_paths_text(const group *g)
{
	size_t n = 1;
	for (size_t i = 0; i < g->npaths; i++)
		n += strlen(g->paths[i]) + 1;
	char *s = malloc(n), *p = s;
	if (!s)
		return NULL;
	for (size_t i = 0; i < g->npaths; i++)
		if (!g->first_path || strcmp(g->paths[i], g->first_path))
			p += sprintf(p, "%s%s", p == s ? "" : "\n", g->paths[i]);
	*p = '\0';
	return s;
}

/* One finding per secret, at the commit and path that first carried it. */
static int emit_groups(history *h, attribution *a, const sg_findings *scanned, sg_findings *out)
{
	int r = 0;
	for (size_t i = 0; i < a->ngroups && r == 0; i++) {
		group *g = &a->groups[i];
		sg_finding f = scanned->items[g->first_finding];
		char hex[GIT_OID_HEXSZ + 1], date[64];
		git_commit *c = NULL;
		char *member = NULL;
		if (g->first_commit >= 0) {
			const git_oid *id = &h->graph.nodes[h->commits[g->first_commit]].id;
			git_oid_tostr(hex, sizeof(hex), id);
			f.commit = hex;
			f.path = g->first_path;
			/* a member of an archive keeps its place inside the blob */
			const char *inner =
			        scanned->items[g->first_finding].path
			                ? strstr(scanned->items[g->first_finding].path, "!/")
			                : NULL;
			if (inner && !(member = malloc(strlen(g->first_path) + strlen(inner) + 1)))
				return sg_error_set(SG_ENOMEM, "out of memory");
			if (inner) {
				strcpy(member, g->first_path);
				strcat(member, inner);
				f.path = member;
			}
			f.other_commits = g->commits > 0 ? (uint32_t)(g->commits - 1) : 0;
			f.other_paths = g->npaths > 0 ? (uint32_t)(g->npaths - 1) : 0;
			f.other_path_list = f.other_paths ? other_paths_text(g) : NULL;
			if (git_commit_lookup(&c, h->repo, id) == 0) {
				const git_signature *s = git_commit_author(c);
				sg_git_format_date(date, sizeof(date), &s->when);
				f.author = (char *)s->name;
				f.email = (char *)s->email;
				f.date = date;
			}
		}
		r = sg_findings_push(out, &f);
		free(member);
		free(f.other_path_list);
		git_commit_free(c);
	}
	return r;
}

/* Commit messages: each commit of the sweep once, on the worker threads;
 * read from the packs by hand, libgit2 for what the readers leave. */
#define COMMIT_CACHE_BYTES (1u << 20) /* commits are seldom deltas */

typedef struct message_job {
	history *h;
	sg_git_worker *workers;
	sg_git_packed commits;
} message_job;

static int message_one(void *ctx, int wid, size_t item)
{
	message_job *j = ctx;
	sg_git_worker *w = &j->workers[wid];
	const git_oid *id = &j->h->graph.nodes[j->h->commits[item]].id;
	sg_pack_reader *rd;
	int r = sg_git_packed_reader(&j->commits, wid, &rd);
	return r < 0 ? r : sg_git_worker_scan_commit_message(w, rd, id);
}

/* With two or more workers, the messages are scanned on a thread of their
 * own while this thread walks the trees (which uses one core). */
typedef struct message_run {
	sg_git *g;
	const sg_ruleset *rs;
	const sg_git_options *opts;
	history *h;
	sg_notices *nt;
	sg_findings found;
	sg_scan_stats st;
	pthread_t thread;
	int started, r;
} message_run;

static void *messages_main(void *arg)
{
	message_run *m = arg;
	sg_git_worker w = {0};
	message_job mj = {m->h, &w, {0}};
	/* its own handle: this thread's is in use */
	m->r = sg_git_packed_open(&mj.commits, m->h->packs, 1, COMMIT_CACHE_BYTES);
	if (m->r == 0)
		m->r = sg_git_worker_init(&w, sg_git_dir(m->g), NULL, m->rs, m->opts);
	for (size_t i = 0; m->r == 0 && i < m->h->ncommits; i++)
		m->r = message_one(&mj, 0, i);
	if (m->r == 0)
		m->r = sg_findings_take(&m->found, &w.findings);
	sg_git_worker_stats(&w, &m->st, m->nt);
	sg_git_worker_free(&w);
	sg_git_packed_close(&mj.commits);
	PHASE("(messages thread done)");
	return NULL;
}

/* The messages' findings into out (the thread joined first). */
static int messages_finish(message_run *m, int r, sg_findings *out, sg_scan_stats *st)
{
	if (m->started) {
		pthread_join(m->thread, NULL);
		m->started = 0;
		if (r == 0)
			r = m->r;
		if (r == 0)
			r = sg_findings_take(out, &m->found);
		st->limit_hits += m->st.limit_hits;
	}
	sg_findings_free(&m->found);
	return r;
}

int sg_git_scan_history(sg_git *g, const sg_ruleset *rs, const sg_git_options *opts,
                        const char *const *refs, size_t count, sg_findings *out, sg_scan_stats *st,
                        sg_notices *nt)
{
	history h = {0};
	sg_findings scanned;
	attribution a = {0};
	git_oid *tips = NULL;
	size_t ntips = 0;
	int r;
	h.g = g;
	h.repo = sg_git_repository(g);
	sg_findings_init(&scanned, out->max);
	sg_oidmap_init(&h.blob_index);
	sg_oidmap_init(&a.suspects);
	if (git_repository_odb(&h.odb, h.repo) < 0)
		return sg_git_error(SG_EIO, "object database");
	r = sg_commit_graph_init(&h.graph, h.repo);
	if (r == 0 && count) {
		if (!(tips = calloc(count, sizeof(*tips))))
			r = sg_error_set(SG_ENOMEM, "out of memory");
		for (size_t i = 0; r == 0 && i < count; i++) {
			git_object *obj = NULL, *c = NULL;
			if (git_revparse_single(&obj, h.repo, refs[i]) < 0)
				r = sg_error_set(SG_ENOTFOUND, "revision '%s' not found", refs[i]);
			else if (git_object_peel(&c, obj, GIT_OBJECT_COMMIT) < 0)
				r = sg_error_set(SG_EINVALID, "'%s' does not name a commit",
				                 refs[i]);
			else
				tips[ntips++] = *git_object_id(c);
			git_object_free(c);
			git_object_free(obj);
		}
	} else if (r == 0) {
		r = sg_git_refs(g, NULL, &tips, &ntips);
	}
	if (r == 0 && opts->pack_reader == SG_GIT_PACK_NATIVE &&
	    (r = sg_packs_open_repo(&h.packs, h.repo)) == 0)
		r = sg_commit_graph_use_packs(&h.graph, h.packs);
	PHASE("start");
	if (r == 0 && ntips)
		r = sg_commit_walk(&h.commits, &h.ncommits, &h.graph, tips, ntips, NULL, 0);
	PHASE("commits");
	int jobs = opts->jobs > 0 ? opts->jobs : sg_cores();
	message_run mr = {.g = g, .rs = rs, .opts = opts, .h = &h, .nt = nt};
	sg_findings_init(&mr.found, out->max);
	if (r == 0 && jobs > 1 && h.ncommits &&
	    pthread_create(&mr.thread, NULL, messages_main, &mr) == 0)
		mr.started = 1;
	if (r == 0)
		r = collect_blobs(&h);
	PHASE("blobs");
	if (r == 0)
		r = pack_order(&h);
	PHASE("pack order");
	if (r == 0 && h.nblobs) {
		size_t block = h.nblobs / ((size_t)jobs * BLOCKS_PER_THREAD);
		if (block < MIN_BLOCK)
			block = MIN_BLOCK;
		sweep s = {.h = &h,
		           .notices = nt,
		           .opts = opts,
		           .block = block,
		           .progress_lock = PTHREAD_MUTEX_INITIALIZER,
		           .t0 = now_ms()};
		r = sg_git_packed_open(&s.native, h.packs, (size_t)jobs,
		                       SG_PACK_CACHE_BYTES / (size_t)jobs);
		/* every blob is read, bases before the blobs made from them: each
		 * one's keyword hits come from its base's */
		s.native.keep_hits = sg_ruleset_prefilter(rs);
		if (r == 0)
			r = sg_git_run_workers(g, rs, opts, 0, (h.nblobs + block - 1) / block, 1,
			                       sweep_block, &s, &s.workers, &scanned, st, nt);
		report_progress(&s, 1);
		pthread_mutex_destroy(&s.progress_lock);
		close_packs(&s);
	}
	PHASE("sweep");
	if (r == 0 && scanned.count) {
		out->dropped += scanned.dropped;
		r = attribution_init(&a, &scanned);
		if (r == 0)
			r = attribute(&h, &a, jobs);
		if (r == 0)
			r = emit_groups(&h, &a, &scanned, out);
	}
	PHASE("attribution");
	/* messages are not blobs: reported at "commit:<id>" and "tag:<name>" */
	int background = mr.started;
	r = messages_finish(&mr, r, out, st);
	if (r == 0 && h.ncommits && !background) {
		sg_scan_stats mst = {0};
		message_job mj = {&h, NULL, {0}};
		r = sg_git_packed_open(&mj.commits, h.packs, (size_t)jobs, COMMIT_CACHE_BYTES);
		if (r == 0)
			r = sg_git_run_workers(g, rs, opts, 0, h.ncommits, 256, message_one, &mj,
			                       &mj.workers, out, &mst, nt);
		sg_git_packed_close(&mj.commits);
		st->limit_hits += mst.limit_hits;
	}
	/* with REFs given, the tags of the commits swept; else every tag */
	sg_oidmap swept;
	sg_oidmap_init(&swept);
	for (size_t i = 0; r == 0 && count && i < h.ncommits; i++)
		r = sg_oidmap_put(NULL, NULL, &swept, &h.graph.nodes[h.commits[i]].id, 0);
	if (r == 0)
		r = sg_git_scan_tags(g, rs, opts, count ? &swept : NULL, NULL, 0, out, st, nt);
	sg_oidmap_free(&swept);
	PHASE("messages");
	if (r == 0 && h.graph.cut)
		sg_git_set_notice(g, st,
		                  "shallow clone: history stops at %zu commit(s) whose parents are "
		                  "not in this clone; older blobs were not scanned",
		                  h.graph.cut);
	attribution_free(&a);
	sg_findings_free(&scanned);
	free(tips);
	free(h.commits);
	free(h.blobs);
	free(h.order);
	free(h.trees_at);
	free(h.paths.data);
	sg_oidmap_free(&h.blob_index);
	sg_commit_graph_free(&h.graph);
	sg_packs_free(h.packs);
	git_odb_free(h.odb);
	sg_findings_sort(out);
	return r;
}
