/* The commit graph walk shared by range and history modes, and the object-id
 * map they (and the blob and tree sets of history mode) are built on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/sources/commit_walk.h"
#include "lib/sources/pack_read.h"
#include "secretgate/secretgate.h"
#include "util/grow.h"

#define DEFAULT_MAX_COMMITS (50u * 1000 * 1000)

enum {
	NODE_LOADED = 1,
	NODE_QUEUED = 2,
	NODE_UNINTERESTING = 4,
	NODE_RESULT = 8,
	NODE_EMITTED = 16,
	NODE_CUT = 32,
};

/* ---- object-id map ---- */

void sg_oidmap_init(sg_oidmap *m)
{
	memset(m, 0, sizeof(*m));
}

void sg_oidmap_free(sg_oidmap *m)
{
	free(m->slots);
	free(m->tags);
	memset(m, 0, sizeof(*m));
}

/* Object ids are already uniformly distributed: their first bytes are the
 * hash; the slot comes from the low bits, the tag from the top seven. */
static uint64_t oid_hash(const unsigned char *id)
{
	uint64_t h;
	memcpy(&h, id, sizeof(h));
	return h;
}

static uint8_t oid_tag(uint64_t h)
{
	return (uint8_t)(0x80 | (h >> 57));
}

static int oid_same(const unsigned char *a, const unsigned char *b)
{
	uint64_t x0, y0, x1, y1;
	uint32_t x2, y2;
	memcpy(&x0, a, 8);
	memcpy(&y0, b, 8);
	memcpy(&x1, a + 8, 8);
	memcpy(&y1, b + 8, 8);
	memcpy(&x2, a + 16, 4);
	memcpy(&y2, b + 16, 4);
	return ((x0 ^ y0) | (x1 ^ y1) | (x2 ^ y2)) == 0;
}

uint32_t *sg_oidmap_get(const sg_oidmap *m, const git_oid *id)
{
	if (!m->cap)
		return NULL;
	size_t mask = m->cap - 1;
	uint64_t h = oid_hash(id->id);
	uint8_t tag = oid_tag(h);
	for (size_t i = (size_t)h & mask; m->tags[i]; i = (i + 1) & mask)
		if (m->tags[i] == tag && oid_same(m->slots[i].id, id->id))
			return &m->slots[i].value;
	return NULL;
}

static int oidmap_grow(sg_oidmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 1024;
	if (ncap > ((size_t)1 << 34))
		return sg_error_set(SG_ETOOBIG, "more than %zu objects", m->cap);
	sg_oidmap_slot *slots = malloc(ncap * sizeof(*slots));
	uint8_t *tags = calloc(ncap, 1);
	if (!slots || !tags) {
		free(slots);
		free(tags);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	size_t mask = ncap - 1;
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->tags[i])
			continue;
		size_t j = (size_t)oid_hash(m->slots[i].id) & mask;
		while (tags[j])
			j = (j + 1) & mask;
		tags[j] = m->tags[i];
		slots[j] = m->slots[i];
	}
	free(m->slots);
	free(m->tags);
	m->slots = slots;
	m->tags = tags;
	m->cap = ncap;
	return 0;
}

int sg_oidmap_put(uint32_t **slot, int *added, sg_oidmap *m, const git_oid *id, uint32_t value)
{
	/* keep the load under 3/4 so probes stay short */
	if ((m->count + 1) * 4 > m->cap * 3) {
		int r = oidmap_grow(m);
		if (r < 0)
			return r;
	}
	uint64_t h = oid_hash(id->id);
	uint8_t tag = oid_tag(h);
	size_t mask = m->cap - 1, i = (size_t)h & mask;
	for (; m->tags[i]; i = (i + 1) & mask)
		if (m->tags[i] == tag && oid_same(m->slots[i].id, id->id)) {
			if (slot)
				*slot = &m->slots[i].value;
			if (added)
				*added = 0;
			return 0;
		}
	m->tags[i] = tag;
	memcpy(m->slots[i].id, id->id, GIT_OID_RAWSZ);
	m->slots[i].value = value;
	m->count++;
	if (slot)
		*slot = &m->slots[i].value;
	if (added)
		*added = 1;
	return 0;
}

/* ---- commit graph ---- */

/* The shallow file lists the commits whose parents a shallow clone lacks. */
static int load_shallow(sg_commit_graph *g)
{
	char path[4096];
	snprintf(path, sizeof(path), "%sshallow", git_repository_commondir(g->repo));
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	char line[128];
	int r = 0;
	while (r == 0 && fgets(line, sizeof(line), f)) {
		git_oid id;
		line[strcspn(line, "\r\n")] = '\0';
		if (git_oid_fromstr(&id, line) == 0) {
			r = sg_oidmap_put(NULL, NULL, &g->shallow, &id, 0);
			g->is_shallow = 1;
		}
	}
	fclose(f);
	return r;
}

int sg_commit_graph_init(sg_commit_graph *g, git_repository *repo)
{
	memset(g, 0, sizeof(*g));
	g->repo = repo;
	sg_oidmap_init(&g->index);
	sg_oidmap_init(&g->shallow);
	return load_shallow(g);
}

int sg_commit_graph_use_packs(sg_commit_graph *g, const struct sg_packs *packs)
{
	g->packs = packs;
	/* commits are seldom deltas: a small cache of bases will do */
	return packs ? sg_pack_reader_new(&g->reader, packs, 1u << 20) : 0;
}

void sg_commit_graph_free(sg_commit_graph *g)
{
	sg_pack_reader_free(g->reader);
	sg_oidmap_free(&g->index);
	sg_oidmap_free(&g->shallow);
	free(g->nodes);
	free(g->parent_ids);
	memset(g, 0, sizeof(*g));
}

static int node_for(uint32_t *out, sg_commit_graph *g, const git_oid *id)
{
	uint32_t *slot;
	int added;
	size_t max = g->max_commits ? g->max_commits : DEFAULT_MAX_COMMITS;
	int r = sg_oidmap_put(&slot, &added, &g->index, id, (uint32_t)g->count);
	if (r < 0)
		return r;
	if (!added) {
		*out = *slot;
		return 0;
	}
	if (g->count >= max)
		return sg_error_set(SG_ETOOBIG, "more than %zu commits", max);
	if (g->count == g->cap && SG_GROW(g->nodes, g->cap, 1024) < 0)
		return sg_error_set(SG_ENOMEM, "out of memory");
	memset(&g->nodes[g->count], 0, sizeof(g->nodes[0]));
	g->nodes[g->count].id = *id;
	*out = (uint32_t)g->count++;
	return 0;
}

static int hex_oid(git_oid *id, const char *p, const char *end, const char *key, size_t klen)
{
	if ((size_t)(end - p) < klen + GIT_OID_HEXSZ + 1 || memcmp(p, key, klen) ||
	    p[klen + GIT_OID_HEXSZ] != '\n')
		return -1;
	return git_oid_fromstrn(id, p + klen, GIT_OID_HEXSZ) < 0 ? -1 : 0;
}

int sg_commit_header_parse(const char *p, size_t len, git_oid *tree, git_oid *parents, unsigned *np,
                           int64_t *time)
{
	const char *end = p + len;
	if (hex_oid(tree, p, end, "tree ", 5) < 0)
		return -1;
	p += 5 + GIT_OID_HEXSZ + 1;
	*np = 0;
	while (hex_oid(&parents[*np], p, end, "parent ", 7) == 0) {
		if (++*np == SG_COMMIT_MAX_PARENTS)
			return -1;
		p += 7 + GIT_OID_HEXSZ + 1;
	}
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	if (!nl || (size_t)(nl - p) < 7 || memcmp(p, "author ", 7))
		return -1;
	p = nl + 1;
	nl = memchr(p, '\n', (size_t)(end - p));
	if (!nl || (size_t)(nl - p) < 10 || memcmp(p, "committer ", 10))
		return -1;
	/* "> SECONDS +HHMM" at the line's end */
	const char *z = nl - 5, *t = z - 1;
	if (z - p < 12 || (z[0] != '+' && z[0] != '-') || z[-1] != ' ')
		return -1;
	for (int i = 1; i < 5; i++)
		if (z[i] < '0' || z[i] > '9')
			return -1;
	int64_t v = 0, scale = 1;
	for (; t > p && t[-1] >= '0' && t[-1] <= '9'; t--) {
		if (z - 1 - t >= 18)
			return -1;
		v += (t[-1] - '0') * scale;
		scale *= 10;
	}
	if (t == z - 1 || t - p < 2 || t[-1] != ' ' || t[-2] != '>')
		return -1;
	*time = v;
	return 0;
}

int sg_commit_message_parts(const char *raw, size_t len, char *author, size_t author_cap,
                            const char **msg, size_t *mlen)
{
	git_oid tree, parents[SG_COMMIT_MAX_PARENTS];
	unsigned np;
	int64_t when;
	if (sg_commit_header_parse(raw, len, &tree, parents, &np, &when) < 0)
		return 1;
	/* the header as parsed: tree, parents, then the author line */
	const char *end = raw + len,
	           *a = raw + 5 + GIT_OID_HEXSZ + 1 + np * (7 + GIT_OID_HEXSZ + 1);
	const char *nl = memchr(a, '\n', (size_t)(end - a));
	if (!nl || (size_t)(nl - a) < 7 || (size_t)(nl - a) - 7 >= author_cap)
		return 1;
	size_t alen = (size_t)(nl - a) - 7;
	if (memchr(a + 7, '\0', alen))
		return 1; /* a NUL in the name: left to libgit2 */
	memcpy(author, a + 7, alen);
	author[alen] = '\0';
	/* the message: after the header's end (its first empty line), leading
	 * newlines skipped, up to a NUL; none without an empty line */
	*msg = NULL;
	*mlen = 0;
	const char *blank = memmem(raw, len, "\n\n", 2);
	if (blank) {
		const char *m = blank + 2;
		while (m < end && *m == '\n')
			m++;
		const char *nul = memchr(m, '\0', (size_t)(end - m));
		*msg = m;
		*mlen = (size_t)((nul ? nul : end) - m);
	}
	return 0;
}

/* The commit from the packs by hand: 0, or 1 when libgit2 is to read it. */
static int node_load_native(sg_commit_graph *g, const git_oid *id, git_oid *tree, git_oid *parents,
                            unsigned *np, int64_t *time)
{
	const unsigned char *d;
	size_t len;
	if (!g->reader)
		return 1;
	int r = sg_pack_read_id(g->reader, id->id, SG_PACK_COMMIT, SG_COMMIT_MAX_BYTES, &d, &len);
	if (r != 0)
		return r < 0 ? r : 1;
	return sg_commit_header_parse((const char *)d, len, tree, parents, np, time) < 0 ? 1 : 0;
}

/* Read a commit's time, tree and parents once. */
static int node_load(sg_commit_graph *g, uint32_t idx)
{
	if (g->nodes[idx].flags & NODE_LOADED)
		return 0;
	git_commit *c = NULL;
	git_oid id = g->nodes[idx].id, tree, parsed[SG_COMMIT_MAX_PARENTS];
	int64_t time = 0;
	unsigned np = 0;
	int e = node_load_native(g, &id, &tree, parsed, &np, &time);
	if (e < 0)
		return e;
	if (e == 1 && (e = git_commit_lookup(&c, g->repo, &id)) < 0) {
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), &id);
		if (e == GIT_ENOTFOUND)
			return sg_error_set(SG_ENOTFOUND,
			                    "commit %s is missing from the object database "
			                    "(an incomplete clone or a damaged repository)",
			                    hex);
		const git_error *ge = git_error_last();
		return sg_error_set(SG_EIO, "commit %s: %s", hex, ge ? ge->message : "unreadable");
	}
	if (c) {
		time = (int64_t)git_commit_time(c);
		tree = *git_commit_tree_id(c);
		np = git_commit_parentcount(c);
	}
	sg_commit_node *n = &g->nodes[idx];
	n->time = time;
	n->tree = tree;
	if (np && sg_oidmap_get(&g->shallow, &id)) {
		np = 0;
		n->flags |= NODE_CUT;
	}
	if (g->nparent_ids + np > g->parent_cap) {
		size_t ncap = g->parent_cap ? g->parent_cap * 2 : 1024;
		while (ncap < g->nparent_ids + np)
			ncap *= 2;
		uint32_t *p = realloc(g->parent_ids, ncap * sizeof(*p));
		if (!p) {
			git_commit_free(c);
			return sg_error_set(SG_ENOMEM, "out of memory");
		}
		g->parent_ids = p;
		g->parent_cap = ncap;
	}
	uint32_t first = (uint32_t)g->nparent_ids;
	for (unsigned i = 0; i < np; i++) {
		uint32_t pi;
		int r = node_for(&pi, g, c ? git_commit_parent_id(c, i) : &parsed[i]);
		if (r < 0) {
			git_commit_free(c);
			return r;
		}
		g->parent_ids[g->nparent_ids++] = pi;
	}
	git_commit_free(c);
	n = &g->nodes[idx]; /* node_for may have moved the array */
	n->parents = first;
	n->nparents = np;
	n->flags |= NODE_LOADED;
	return 0;
}

/* A max-heap of node indexes by commit time: newest first, as git walks. */
typedef struct heap {
	uint32_t *items;
	size_t n, cap;
} heap;

static int heap_push(heap *h, const sg_commit_graph *g, uint32_t v)
{
	if (h->n == h->cap && SG_GROW(h->items, h->cap, 256) < 0)
		return sg_error_set(SG_ENOMEM, "out of memory");
	size_t i = h->n++;
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (g->nodes[h->items[parent]].time >= g->nodes[v].time)
			break;
		h->items[i] = h->items[parent];
		i = parent;
	}
	h->items[i] = v;
	return 0;
}

static uint32_t heap_pop(heap *h, const sg_commit_graph *g)
{
	uint32_t top = h->items[0], last = h->items[--h->n];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && g->nodes[h->items[c + 1]].time > g->nodes[h->items[c]].time)
			c++;
		if (g->nodes[last].time >= g->nodes[h->items[c]].time)
			break;
		h->items[i] = h->items[c];
		i = c;
	}
	if (h->n)
		h->items[i] = last;
	return top;
}

/* Mark a commit uninteresting together with the ancestors already loaded,
 * so clock skew cannot smuggle an excluded commit into the result. */
static int mark_uninteresting(sg_commit_graph *g, uint32_t start, uint32_t **stack, size_t *cap)
{
	size_t n = 0;
	(*stack)[n++] = start;
	while (n) {
		uint32_t v = (*stack)[--n];
		sg_commit_node *node = &g->nodes[v];
		if (node->flags & NODE_UNINTERESTING)
			continue;
		node->flags |= NODE_UNINTERESTING;
		if (!(node->flags & NODE_LOADED))
			continue;
		for (uint32_t i = 0; i < node->nparents; i++) {
			if (n == *cap) {
				uint32_t *s = realloc(*stack, *cap * 2 * sizeof(*s));
				if (!s)
					return sg_error_set(SG_ENOMEM, "out of memory");
				*stack = s;
				*cap *= 2;
			}
			(*stack)[n++] = g->parent_ids[node->parents + i];
		}
	}
	return 0;
}

/* Parents-first order of the result set by iterative depth-first search. */
static int order_parents_first(uint32_t *out, size_t *n, sg_commit_graph *g, const uint32_t *found,
                               size_t nfound)
{
	uint32_t *stack = malloc((nfound + 1) * 2 * sizeof(*stack));
	if (!stack)
		return sg_error_set(SG_ENOMEM, "out of memory");
	size_t k = 0;
	/* found is newest first; start from the oldest so ties keep time order */
	for (size_t s = nfound; s-- > 0;) {
		if (g->nodes[found[s]].flags & NODE_EMITTED)
			continue;
		size_t sp = 0;
		stack[sp++] = found[s];
		stack[sp++] = 0;
		while (sp) {
			uint32_t next = stack[sp - 1], v = stack[sp - 2];
			sg_commit_node *node = &g->nodes[v];
			if (node->flags & NODE_EMITTED) {
				sp -= 2;
				continue;
			}
			int pushed = 0;
			while (next < node->nparents) {
				uint32_t p = g->parent_ids[node->parents + next++];
				sg_commit_node *pn = &g->nodes[p];
				if ((pn->flags & NODE_RESULT) && !(pn->flags & NODE_EMITTED)) {
					stack[sp - 1] = next;
					stack[sp++] = p;
					stack[sp++] = 0;
					pushed = 1;
					break;
				}
			}
			if (pushed)
				continue;
			node->flags |= NODE_EMITTED;
			out[k++] = v;
			sp -= 2;
		}
	}
	free(stack);
	*n = k;
	return 0;
}

int sg_commit_walk(uint32_t **out, size_t *n, sg_commit_graph *g, const git_oid *include,
                   size_t ninclude, const git_oid *exclude, size_t nexclude)
{
	heap h = {0};
	uint32_t *found = NULL, *stack = NULL;
	size_t nfound = 0, found_cap = 0, stack_cap = 256, interesting = 0;
	int r = 0;
	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < g->count; i++)
		g->nodes[i].flags &= NODE_LOADED | NODE_CUT;
	if (!(stack = malloc(stack_cap * sizeof(*stack))))
		return sg_error_set(SG_ENOMEM, "out of memory");
	for (size_t i = 0; r == 0 && i < nexclude + ninclude; i++) {
		uint32_t v;
		int excl = i < nexclude;
		r = node_for(&v, g, excl ? &exclude[i] : &include[i - nexclude]);
		if (r == 0)
			r = node_load(g, v);
		if (r < 0)
			break;
		if (excl)
			r = mark_uninteresting(g, v, &stack, &stack_cap);
		if (r == 0 && !(g->nodes[v].flags & NODE_QUEUED)) {
			g->nodes[v].flags |= NODE_QUEUED;
			r = heap_push(&h, g, v);
			if (!excl)
				interesting++;
		}
	}
	/* walk newest first until only excluded commits are left to look at */
	while (r == 0 && h.n && interesting) {
		uint32_t v = heap_pop(&h, g);
		if (!(g->nodes[v].flags & NODE_UNINTERESTING))
			interesting--;
		if ((r = node_load(g, v)) < 0)
			break;
		sg_commit_node *node = &g->nodes[v];
		int unint = (node->flags & NODE_UNINTERESTING) != 0;
		if (!unint) {
			if (nfound == found_cap) {
				size_t ncap = found_cap ? found_cap * 2 : 1024;
				uint32_t *f = realloc(found, ncap * sizeof(*f));
				if (!f) {
					r = sg_error_set(SG_ENOMEM, "out of memory");
					break;
				}
				found = f;
				found_cap = ncap;
			}
			found[nfound++] = v;
		}
		for (uint32_t i = 0; r == 0 && i < g->nodes[v].nparents; i++) {
			uint32_t p = g->parent_ids[g->nodes[v].parents + i];
			if (unint && !(g->nodes[p].flags & NODE_UNINTERESTING))
				r = mark_uninteresting(g, p, &stack, &stack_cap);
			if (r == 0 && !(g->nodes[p].flags & NODE_QUEUED)) {
				/* the time is needed to order the queue */
				if ((r = node_load(g, p)) < 0)
					break;
				g->nodes[p].flags |= NODE_QUEUED;
				if (!(g->nodes[p].flags & NODE_UNINTERESTING))
					interesting++;
				r = heap_push(&h, g, p);
			}
		}
	}
	size_t kept = 0;
	g->cut = 0;
	for (size_t i = 0; r == 0 && i < nfound; i++) {
		sg_commit_node *node = &g->nodes[found[i]];
		if (node->flags & NODE_UNINTERESTING)
			continue;
		node->flags |= NODE_RESULT;
		if (node->flags & NODE_CUT)
			g->cut++;
		found[kept++] = found[i];
	}
	if (r == 0) {
		*out = malloc((kept + 1) * sizeof(**out));
		if (!*out)
			r = sg_error_set(SG_ENOMEM, "out of memory");
		else
			r = order_parents_first(*out, n, g, found, kept);
	}
	if (r < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	free(h.items);
	free(found);
	free(stack);
	return r;
}
