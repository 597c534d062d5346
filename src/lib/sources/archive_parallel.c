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
	int fd; /* the file mapped, for the layer listing's header reads */
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
	p->fd = fd;
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

/* Where the tar header `h` says the next one starts: its block and its
 * data rounded up to a block. 0 when h is not a header whose checksum
 * holds, or says something the arithmetic would get wrong (an old GNU
 * sparse member with extension blocks). */
static uint64_t tar_next(const unsigned char *h, uint64_t at)
{
	unsigned sum = 0, stored = 0;
	for (int i = 0; i < TAR_BLOCK; i++)
		sum += i >= 148 && i < 156 ? ' ' : h[i];
	int i = 148;
	while (i < 156 && h[i] == ' ')
		i++;
	for (; i < 156 && h[i] >= '0' && h[i] <= '7'; i++)
		stored = stored * 8 + (unsigned)(h[i] - '0');
	if (sum != stored || h[156] == 'S')
		return 0;
	uint64_t size = 0;
	if (h[124] & 0x80) {
		for (i = 125; i < 136; i++) {
			if (size >> 55)
				return 0;
			size = size << 8 | h[i];
		}
	} else {
		for (i = 124; i < 136 && (h[i] == ' ' || h[i] == '\0'); i++)
			;
		for (; i < 136 && h[i] >= '0' && h[i] <= '7'; i++)
			size = size * 8 + (uint64_t)(h[i] - '0');
	}
	return at + TAR_BLOCK + (size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
}

/* Cut a layer tar into runs of whole members, each piece starting at a
 * member's first header (never between a pax or GNU long-name header and
 * its member). libarchive reads every member; this only follows the tar
 * framing (header, data rounded to 512 bytes) to find where to cut, with
 * headers read by pread so the listing maps no page of the layer. Where
 * the framing cannot be followed (a bad checksum, a global pax header,
 * which applies to every member after it), no cut is made after that
 * point: the last piece then meets what is there as one worker would. */
static int add_layer(archive_parallel *p, const char *data, size_t len, const char *mpath,
                     const char *name)
{
	unsigned char h[TAR_BLOCK];
	uint64_t base = (uint64_t)(data - p->map), at = 0, from = 0;
	int r = 0, extension = 0;
	while (r == 0 && at + TAR_BLOCK <= len) {
		if (pread(p->fd, h, sizeof(h), (off_t)(base + at)) != (ssize_t)sizeof(h) ||
		    h[156] == 'g')
			break;
		uint64_t next = tar_next(h, at);
		if (!next || next > len)
			break;
		/* a member starts here unless an extension header came just before */
		if (!extension && at - from >= PIECE_TARGET) {
			r = add_piece(p, data + from, (size_t)(at - from), mpath, name,
			              ARCHIVE_KIND_STREAM, 1, NULL);
			from = at;
		}
		extension = h[156] == 'x' || h[156] == 'L' || h[156] == 'K';
		at = next;
	}
	if (r == 0)
		r = add_piece(p, data + from, len - (size_t)from, mpath, name, ARCHIVE_KIND_STREAM,
		              1, NULL);
	return r;
}

/* A member whose data is not one block of the mapping (a sparse one):
 * copied into *out, holes as zeros, up to the member size cap. *out stays
 * NULL (with a notice) when the member is over the cap or cut short. */
static int copy_member(walk *w, struct archive *a, const void *block, size_t n, la_int64_t off,
                       int64_t size, const char *mpath, char **out)
{
	*out = NULL;
	if (size < 0 || (uint64_t)size > w->max_member) {
		sg_notices_add(w->nt,
		               "%s: member larger than %llu bytes (member size cap), skipped",
		               mpath, (unsigned long long)w->max_member);
		return 0;
	}
	char *buf = calloc(1, (size_t)size + 1);
	if (!buf)
		return sg_error_set(SG_ENOMEM, "out of memory reading %s", mpath);
	int h;
	do {
		if (off >= 0 && (uint64_t)off <= (uint64_t)size &&
		    n <= (uint64_t)size - (uint64_t)off)
			memcpy(buf + off, block, n);
	} while ((h = archive_read_data_block(a, &block, &n, &off)) == ARCHIVE_OK);
	if (h != ARCHIVE_EOF) {
		/* cut short or damaged: not read, as the walker leaves it */
		sg_notices_add(w->nt, "%s: %s, member not read", mpath,
		               archive_error_string(a) ? archive_error_string(a) : "read error");
		free(buf);
		return 0;
	}
	*out = buf;
	return 0;
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
	if (h == ARCHIVE_EOF) /* no bytes: still a file, path rules read it */
		return add_piece(p, "", 0, mpath, name, ARCHIVE_KIND_NONE, 0, NULL);
	if (h != ARCHIVE_OK) {
		sg_notices_add(w->nt, "%s: %s, member not read", mpath,
		               archive_error_string(a) ? archive_error_string(a) : "read error");
		return 0;
	}
	const char *data = block;
	size_t len = n;
	char *owned = NULL;
	/* a member cut short by the end of the file is read as far as it goes,
	 * in place, so its walk meets the cut as one worker's would */
	int cut = off == 0 && data >= p->map && data + n == p->map + p->map_len && size >= 0 &&
	          (uint64_t)size > n;
	if (!cut && (off != 0 || data < p->map || data + n > p->map + p->map_len ||
	             (size >= 0 && (uint64_t)size != n))) {
		int c = copy_member(w, a, block, n, off, size, mpath, &owned);
		if (c < 0 || !owned)
			return c;
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

/* A member whose bytes are all at hand, as walk_member reads one: counted
 * as it counts what it reads (a stream archive's head, anything else
 * whole), the depth and member size caps, the image's JSON members kept
 * (in keep_img), then opened or scanned. */
static int member_read(walk *w, const char *data, size_t len, const char *mpath, unsigned depth,
                       sg_image *keep_img, sg_image *img, const char *name, int64_t size, int kind)
{
	size_t counted = kind == ARCHIVE_KIND_STREAM && len > HEAD_SIZE ? HEAD_SIZE : len;
	if (counted > w->max_member + 1)
		counted = (size_t)w->max_member + 1;
	if (archive_walk_account(w, counted, mpath))
		return 0;
	if (kind && depth + 1 > w->max_depth) {
		sg_notices_add(w->nt,
		               "%s: archive nested deeper than %u levels (archive depth cap), "
		               "not opened",
		               mpath, w->max_depth);
		return 0;
	}
	if (kind != ARCHIVE_KIND_STREAM && len > w->max_member) {
		sg_notices_add(w->nt,
		               "%s: member larger than %llu bytes (member size cap), skipped",
		               mpath, (unsigned long long)w->max_member);
		return 0;
	}
	int r;
	if (keep_img &&
	    sg_image_wants(keep_img, name, (uint64_t)(size >= 0 ? size : (int64_t)len)) &&
	    (r = sg_image_keep(keep_img, name, data, len)) < 0)
		return r;
	return archive_walk_memory(w, data, len, mpath, depth, img, name, kind);
}

int archive_parallel_member(walk *w, struct archive *a, const char *mpath, unsigned depth,
                            sg_image *img, const char *name, int64_t size)
{
	const void *block = "";
	size_t n = 0;
	la_int64_t off = 0;
	int h = archive_read_data_block(a, &block, &n, &off);
	if (h != ARCHIVE_OK && h != ARCHIVE_EOF) {
		sg_notices_add(w->nt, "%s: %s, member not read", mpath,
		               archive_error_string(a) ? archive_error_string(a) : "read error");
		return 0;
	}
	if (h == ARCHIVE_EOF) {
		block = "";
		n = 0;
		off = 0;
	}
	char *owned = NULL;
	const char *data = block;
	size_t len = n;
	if (off != 0 || (size >= 0 && (uint64_t)size != n)) {
		int c = copy_member(w, a, block, n, off, size, mpath, &owned);
		if (c < 0 || !owned)
			return c;
		data = owned;
		len = (size_t)size;
	}
	int r = member_read(w, data, len, mpath, depth, img, img, name, size,
	                    sg_archive_detect(data, len));
	free(owned);
	return r;
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
	return member_read(w, pc->data, pc->len, pc->mpath, 0, NULL, img, pc->name, -1, pc->kind);
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
			w->mapped = 1;
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
