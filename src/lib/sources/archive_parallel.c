/* A large uncompressed tarball read from a file (a `docker save` image, an
 * OCI archive) is read by every worker, not one: the file is mapped
 * read-only, the calling thread lists its members, and the workers walk
 * them straight from the mapping, without copying. A layer that is itself
 * an uncompressed tar is cut at member boundaries into pieces of a few
 * megabytes, so two workers share one big layer. Each piece keeps its own
 * findings; they are appended in the members' order, so the report is the
 * one a single worker gives. */
#include <archive_entry.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "lib/sources/archive_walk.h"
#include "util/pool.h"

#define PARALLEL_MIN (1u << 20) /* smaller files are read by one worker */
#define PIECE_TARGET (4u << 20) /* bytes of a layer's members per piece */
#define HEAD_SIZE    (64u * 1024)
#define TAR_BLOCK    512

typedef struct piece {
	const char *data; /* in the mapping, or owned (a sparse member) */
	size_t len;
	char *mpath, *name, *owned;
	int kind;    /* sg_archive_detect of the member's bytes */
	int members; /* a run of whole members of a layer tar, walked at depth 1 */
	sg_findings out;
} piece;

struct archive_parallel {
	const char *map;
	size_t map_len;
	sg_scanner *s;
	sg_notices *nt;
	int jobs;
	uint64_t inflight, max_inflight;
	int inflight_noticed;
	pthread_mutex_t lock; /* the list and the in-flight count */
	pthread_cond_t done;
	piece **pieces;
	size_t npieces, cap;
	sg_feed *feed; /* the workers, started at the first member */
	sg_scanner **scanners;
	walk **walks;
	sg_image *img;
};

/* Bytes that hold an uncompressed tar: a ustar header, and no magic of a
 * compressed stream in front of it. */
static int plain_tar(const char *data, size_t len)
{
	char head[TAR_BLOCK];
	if (len < TAR_BLOCK || memcmp(data + 257, "ustar", 5))
		return 0;
	memcpy(head, data, sizeof(head));
	memset(head + 257, 0, 5);
	return sg_archive_detect(head, sizeof(head)) == ARCHIVE_KIND_NONE;
}

int archive_parallel_open(archive_parallel **out, struct archive **a, sg_scanner *s, int fd,
                          uint64_t size)
{
	const sg_artefact_options *ao = &sg_scanner_options(s)->artefacts;
	int jobs = ao->jobs > 0 ? ao->jobs : sg_cores();
	char head[TAR_BLOCK];
	*out = NULL;
	*a = NULL;
	if (jobs <= 1 || size < PARALLEL_MIN || size > SIZE_MAX || sg_scanner_traced(s) ||
	    pread(fd, head, sizeof(head), 0) != (ssize_t)sizeof(head) ||
	    !plain_tar(head, sizeof(head)))
		return 0;
	void *map = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return 0; /* read through libarchive instead */
	archive_parallel *p = calloc(1, sizeof(*p));
	struct archive *r = archive_reader_new();
	if (!p || !r || archive_read_open_memory(r, map, (size_t)size) != ARCHIVE_OK) {
		int oom = !p || !r;
		archive_read_free(r);
		free(p);
		munmap(map, (size_t)size);
		return oom ? sg_error_set(SG_ENOMEM, "out of memory") : 0;
	}
	p->map = map;
	p->map_len = (size_t)size;
	p->s = s;
	p->jobs = jobs;
	p->max_inflight = ao->max_inflight ? ao->max_inflight : SG_ARCHIVE_INFLIGHT;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->done, NULL);
	*out = p;
	*a = r;
	return 1;
}

static void piece_free(piece *pc)
{
	if (!pc)
		return;
	free(pc->mpath);
	free(pc->name);
	free(pc->owned);
	sg_findings_free(&pc->out);
	free(pc);
}

static void workers_free(archive_parallel *p)
{
	for (int i = 0; i < p->jobs; i++) {
		if (p->scanners && i > 0 && p->scanners[i]) {
			sg_scanner_absorb_limits(p->s, p->scanners[i]);
			sg_scanner_free(p->scanners[i]);
		}
		if (p->walks && p->walks[i]) {
			archive_walk_release(p->walks[i]);
			free(p->walks[i]);
		}
	}
	free(p->scanners);
	free(p->walks);
	p->scanners = NULL;
	p->walks = NULL;
}

void archive_parallel_free(archive_parallel *p)
{
	if (!p)
		return;
	if (p->feed)
		sg_feed_finish(p->feed); /* only after an error: the run finished it */
	workers_free(p);
	for (size_t i = 0; i < p->npieces; i++)
		piece_free(p->pieces[i]);
	free(p->pieces);
	munmap((void *)p->map, p->map_len);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->done);
	free(p);
}

static int add_piece(archive_parallel *p, const char *data, size_t len, const char *mpath,
                     const char *name, int kind, int members, char *owned)
{
	piece *pc = calloc(1, sizeof(*pc));
	if (!pc) {
		free(owned);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	*pc = (piece){.data = data,
	              .len = len,
	              .kind = kind,
	              .members = members,
	              .owned = owned,
	              .mpath = strdup(mpath),
	              .name = strdup(name)};
	sg_findings_init(&pc->out, 0);
	if (!pc->mpath || !pc->name) {
		piece_free(pc);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	if (len > p->max_inflight && !p->inflight_noticed) {
		p->inflight_noticed = 1;
		sg_notices_add(p->nt,
		               "%s: %zu bytes to read at once, over the %llu-byte in-flight cap "
		               "(archive in-flight cap): read while no other member is",
		               mpath, len, (unsigned long long)p->max_inflight);
	}
	pthread_mutex_lock(&p->lock);
	if (p->npieces == p->cap) {
		size_t ncap = p->cap ? p->cap * 2 : 64;
		piece **np = realloc(p->pieces, ncap * sizeof(*np));
		if (!np) {
			pthread_mutex_unlock(&p->lock);
			piece_free(pc);
			return sg_error_set(SG_ENOMEM, "out of memory");
		}
		p->pieces = np;
		p->cap = ncap;
	}
	p->pieces[p->npieces++] = pc;
	size_t n = p->npieces;
	pthread_mutex_unlock(&p->lock);
	sg_feed_add(p->feed, n);
	return 0;
}

/* What was read of the mapping is in the page cache: drop it from the
 * mapping, so resident memory stays near what the workers are reading. */
static void drop_pages(const char *data, size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	if (page <= 0)
		return;
	uintptr_t lo = ((uintptr_t)data + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
	uintptr_t hi = ((uintptr_t)data + len) & ~((uintptr_t)page - 1);
	if (hi > lo)
		madvise((void *)lo, hi - lo, MADV_DONTNEED);
}

/* Cut a layer tar into runs of whole members at their first header (a pax
 * or GNU long-name header included). A global pax header applies to every
 * member after it, so a tar with one is not cut; nor is one whose headers
 * cannot be read (its one piece then meets the damage as a single worker
 * would). */
static int add_layer(archive_parallel *p, const char *data, size_t len, const char *mpath,
                     const char *name)
{
	struct archive *t = archive_reader_new();
	if (!t)
		return sg_error_set(SG_ENOMEM, "out of memory");
	size_t cuts[4096], ncuts = 0, from = 0;
	struct archive_entry *e;
	if (archive_read_open_memory(t, data, len) == ARCHIVE_OK) {
		while (ncuts < sizeof(cuts) / sizeof(cuts[0])) {
			int h = archive_read_next_header(t, &e);
			la_int64_t at = archive_read_header_position(t);
			if ((h != ARCHIVE_OK && h != ARCHIVE_WARN) || at < 0 ||
			    (size_t)at + TAR_BLOCK > len || archive_filter_count(t) > 1 ||
			    (archive_format(t) & ARCHIVE_FORMAT_BASE_MASK) != ARCHIVE_FORMAT_TAR)
				break;
			if (data[at + 156] == 'g') {
				ncuts = 0;
				break;
			}
			if ((size_t)at - from >= PIECE_TARGET)
				cuts[ncuts++] = from = (size_t)at;
			if (archive_read_data_skip(t) != ARCHIVE_OK)
				break;
		}
	}
	archive_read_free(t);
	drop_pages(data, len);
	int r = 0;
	from = 0;
	for (size_t i = 0; r == 0 && i <= ncuts; i++) {
		size_t to = i < ncuts ? cuts[i] : len;
		r = add_piece(p, data + from, to - from, mpath, name, ARCHIVE_KIND_STREAM, 1, NULL);
		from = to;
	}
	return r;
}

/* A member whose data is not one block of the mapping (a sparse one):
 * copied, holes as zeros, up to the member size cap. */
static char *copy_member(walk *w, struct archive *a, const void *block, size_t n, la_int64_t off,
                         int64_t size, const char *mpath)
{
	if (size < 0 || (uint64_t)size > w->max_member) {
		sg_notices_add(w->nt,
		               "%s: member larger than %llu bytes (member size cap), skipped",
		               mpath, (unsigned long long)w->max_member);
		return NULL;
	}
	char *buf = calloc(1, (size_t)size + 1);
	if (!buf)
		return NULL;
	do {
		if (off >= 0 && (uint64_t)off <= (uint64_t)size &&
		    n <= (uint64_t)size - (uint64_t)off)
			memcpy(buf + off, block, n);
	} while (archive_read_data_block(a, &block, &n, &off) == ARCHIVE_OK);
	return buf;
}

static int workers_start(archive_parallel *p, const walk *top, sg_image *img);

int archive_parallel_defer(walk *w, struct archive *a, const char *mpath, const char *name,
                           int64_t size, sg_image *img)
{
	archive_parallel *p = w->par;
	int r = 0;
	if (!p->scanners && (r = workers_start(p, w, img)) < 0)
		return r;
	if (sg_feed_failed(p->feed))
		return 0; /* sg_feed_finish reports it */
	const void *block;
	size_t n;
	la_int64_t off;
	int h = archive_read_data_block(a, &block, &n, &off);
	if (h == ARCHIVE_EOF)
		return 0; /* no bytes */
	if (h != ARCHIVE_OK) {
		sg_notices_add(w->nt, "%s: %s, member not read", mpath,
		               archive_error_string(a) ? archive_error_string(a) : "read error");
		return 0;
	}
	const char *data = block;
	size_t len = n;
	char *owned = NULL;
	if (off != 0 || data < p->map || data + n > p->map + p->map_len ||
	    (size >= 0 && (uint64_t)size != n)) {
		if (!(owned = copy_member(w, a, block, n, off, size, mpath)))
			return 0;
		data = owned;
		len = (size_t)size;
	}
	/* the image's JSON members are kept now, on this thread */
	if (img && sg_image_wants(img, name, (uint64_t)(size >= 0 ? size : (int64_t)len)))
		r = sg_image_keep(img, name, data, len);
	if (r < 0) {
		free(owned);
		return r;
	}
	int kind = sg_archive_detect(data, len);
	if (kind == ARCHIVE_KIND_STREAM && !owned && len > 2 * PIECE_TARGET &&
	    plain_tar(data, len) && w->max_depth >= 1) {
		/* the walker counts the head it reads to tell what a member is */
		if (archive_walk_account(w, HEAD_SIZE, mpath))
			return 0;
		return add_layer(p, data, len, mpath, name);
	}
	return add_piece(p, data, len, mpath, name, kind, 0, owned);
}

/* Wait until the piece fits under the in-flight cap (a piece larger than
 * the cap is read while no other is). */
static void inflight_enter(archive_parallel *p, size_t len)
{
	pthread_mutex_lock(&p->lock);
	while (p->inflight && p->inflight + len > p->max_inflight)
		pthread_cond_wait(&p->done, &p->lock);
	p->inflight += len;
	pthread_mutex_unlock(&p->lock);
}

static void inflight_leave(archive_parallel *p, const piece *pc)
{
	pthread_mutex_lock(&p->lock);
	p->inflight -= pc->len;
	pthread_cond_broadcast(&p->done);
	pthread_mutex_unlock(&p->lock);
	if (!pc->owned)
		drop_pages(pc->data, pc->len);
}

/* One piece, as walk_member would have read it from the top level. */
static int piece_read(walk *w, piece *pc, sg_image *img)
{
	if (pc->members) {
		struct archive *t = archive_reader_new();
		if (!t)
			return sg_error_set(SG_ENOMEM, "out of memory");
		int r = 0;
		if (archive_read_open_memory(t, pc->data, pc->len) == ARCHIVE_OK)
			r = archive_walk(w, t, pc->mpath, 1, img, pc->name);
		else
			sg_notices_add(w->nt, "%s: cannot open as an archive: %s", pc->mpath,
			               archive_error_string(t) ? archive_error_string(t)
			                                       : "unknown format");
		archive_read_free(t);
		return r;
	}
	/* counted as the walker counts what it reads of a member: a stream
	 * archive's head, anything else whole */
	size_t counted =
	        pc->kind == ARCHIVE_KIND_STREAM && pc->len > HEAD_SIZE ? HEAD_SIZE : pc->len;
	if (counted > w->max_member + 1)
		counted = (size_t)w->max_member + 1;
	if (archive_walk_account(w, counted, pc->mpath))
		return 0;
	if (pc->kind && w->max_depth < 1) {
		sg_notices_add(w->nt,
		               "%s: archive nested deeper than %u levels (archive depth cap), "
		               "not opened",
		               pc->mpath, w->max_depth);
		return 0;
	}
	if (pc->kind != ARCHIVE_KIND_STREAM && pc->len > w->max_member) {
		sg_notices_add(w->nt,
		               "%s: member larger than %llu bytes (member size cap), skipped",
		               pc->mpath, (unsigned long long)w->max_member);
		return 0;
	}
	return archive_walk_memory(w, pc->data, pc->len, pc->mpath, 0, img, pc->name, pc->kind);
}

static int piece_work(void *ctx, int worker, size_t item)
{
	archive_parallel *p = ctx;
	walk *w = p->walks[worker];
	pthread_mutex_lock(&p->lock);
	piece *pc = p->pieces[item];
	pthread_mutex_unlock(&p->lock);
	if (__atomic_load_n(&w->t->stop, __ATOMIC_RELAXED))
		return 0;
	inflight_enter(p, pc->len);
	w->out = &pc->out;
	int r = piece_read(w, pc, p->img);
	inflight_leave(p, pc);
	return r;
}

/* Workers, each with its own scanner (the first borrows the caller's) and
 * walk state, sharing the file's totals. */
static int workers_start(archive_parallel *p, const walk *top, sg_image *img)
{
	p->img = img;
	p->nt = top->nt;
	p->scanners = calloc((size_t)p->jobs, sizeof(*p->scanners));
	p->walks = calloc((size_t)p->jobs, sizeof(*p->walks));
	int r = p->scanners && p->walks ? 0 : sg_error_set(SG_ENOMEM, "out of memory");
	for (int i = 0; r == 0 && i < p->jobs; i++) {
		if (i == 0)
			p->scanners[0] = p->s;
		else
			r = sg_scanner_sibling(&p->scanners[i], p->s);
		if (r == 0 && !(p->walks[i] = calloc(1, sizeof(walk))))
			r = sg_error_set(SG_ENOMEM, "out of memory");
		if (r == 0) {
			walk *w = p->walks[i];
			memcpy(w, top, offsetof(walk, buf));
			w->s = p->scanners[i];
			w->par = NULL;
		}
	}
	if (r == 0)
		r = sg_feed_start(&p->feed, p->jobs, piece_work, p);
	return r;
}

int archive_parallel_run(walk *top, sg_image *img)
{
	archive_parallel *p = top->par;
	if (!p->feed)
		return 0;
	int r = sg_feed_finish(p->feed);
	p->feed = NULL;
	for (size_t i = 0; r == 0 && i < p->npieces; i++)
		r = sg_findings_take(top->out, &p->pieces[i]->out);
	workers_free(p);
	return r;
}
