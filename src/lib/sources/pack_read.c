/* Blobs read from .pack files by hand (see pack_read.h): the history sweep
 * spends most of its reading time inflating, and libdeflate inflates whole
 * entries (their size is in the header) two to three times faster than
 * zlib's streaming inflate; recent delta bases are kept in a ring so a
 * chain is not inflated again for each of its members. Fuzzed by
 * tests/fuzz/fuzz_pack_read.c. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libdeflate.h>
#include "secretgate/secretgate.h"
#include "lib/sources/pack_read.h"
#include "lib/engine/prefilter.h"
#include "util/grow.h"

#define OID_BYTES    20
#define PACK_HEADER  12
#define PACK_TRAILER OID_BYTES
/* Entries whose size is up to 1/CACHE_SHARE of the ring are cached. */
#define CACHE_SHARE 8
#define CACHE_SLOTS (1u << 16)

enum { OBJ_COMMIT = 1, OBJ_TREE, OBJ_BLOB, OBJ_TAG, OBJ_OFS_DELTA = 6, OBJ_REF_DELTA };

typedef struct pack {
	const unsigned char *map, *idx;
	size_t size, idx_size;
	uint32_t nobjects;
	int mapped; /* the two maps are ours to unmap */
} pack;

struct sg_packs {
	pack *packs; /* map == NULL: not usable here */
	size_t n;
};

/* An entry of the chain being resolved: where its data starts, its size. */
typedef struct chain_entry {
	uint64_t offset, data, size;
	int type;
} chain_entry;

/* A cached object: its bytes are ring[start % ring_size ..] while the ring's
 * head has not moved more than ring_size past start. */
typedef struct slot {
	uint64_t key, start;
	size_t len;
	int type;
	/* its keyword hits: hit_ring[hit_start % hit_ring_size ..] while that ring
	 * has not moved past them (nhits UINT32_MAX: none kept) */
	uint64_t hit_start;
	uint32_t nhits;
	/* nothing in it decoded to text (sg_pack_reader_mark_quiet); a property
	 * of the object, so it holds while the slot has its key */
	int quiet;
} slot;

typedef struct buffer {
	unsigned char *p;
	size_t cap;
} buffer;

struct sg_pack_reader {
	const sg_packs *packs;
	struct libdeflate_decompressor *inflater;
	unsigned char *ring;
	size_t ring_size;
	uint64_t head; /* logical bytes written to the ring */
	slot *slots;
	buffer scratch[2], delta;
	chain_entry chain[SG_PACK_MAX_CHAIN];
	const char *why;
	sg_pack_stats stats;
	/* keyword hits kept beside the blobs (sg_pack_reader_keep_hits) */
	const sg_prefilter *prefilter;
	sg_hit *hit_ring;
	size_t hit_ring_size; /* in hits */
	uint64_t hit_head;
	sg_hits hits[2]; /* the chain's last two objects' hits */
	sg_copy *copies;
	size_t ncopies, copies_cap;
	const sg_hit *last_hits; /* the last blob read's */
	size_t last_nhits;
	int last_known;
	uint64_t last_key;   /* the last object read, as the cache knows it */
	int last_quiet_base; /* it was made by r->copies from a quiet object */
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A version-2 index of SHA-1 ids that describes this very pack (its
 * trailer names the pack's checksum and it counts the same objects). */
static int index_matches(const pack *p)
{
	const unsigned char *m = p->idx;
	if (p->idx_size < 8 + 1024 + 2 * OID_BYTES || memcmp(m, "\377tOc", 4) || be32(m + 4) != 2)
		return 0;
	uint64_t n = be32(m + 8 + 255 * 4);
	uint64_t fixed = 8 + 1024 + n * (OID_BYTES + 8) + 2 * OID_BYTES;
	if (n != p->nobjects || fixed > p->idx_size || (p->idx_size - fixed) % 8)
		return 0;
	return !memcmp(m + p->idx_size - 2 * OID_BYTES, p->map + p->size - PACK_TRAILER, OID_BYTES);
}

static int pack_usable(pack *p)
{
	if (p->size < PACK_HEADER + PACK_TRAILER || memcmp(p->map, "PACK", 4) ||
	    (be32(p->map + 4) != 2 && be32(p->map + 4) != 3))
		return 0;
	p->nobjects = be32(p->map + 8);
	return !p->idx || index_matches(p);
}

static const unsigned char *map_file(const char *path, size_t *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0)
		return NULL;
	void *m = MAP_FAILED;
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0) {
		*size = (size_t)sb.st_size;
		m = mmap(NULL, *size, PROT_READ, MAP_PRIVATE, fd, 0);
	}
	close(fd);
	return m == MAP_FAILED ? NULL : m;
}

static void pack_unmap(pack *p)
{
	if (p->mapped && p->map)
		munmap((void *)p->map, p->size);
	if (p->mapped && p->idx)
		munmap((void *)p->idx, p->idx_size);
	memset(p, 0, sizeof(*p));
}

int sg_packs_open(sg_packs **out, const char *dir, char *const *names, size_t n)
{
	sg_packs *s = calloc(1, sizeof(*s));
	if (!s || !(s->packs = calloc(n + 1, sizeof(*s->packs)))) {
		free(s);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	s->n = n;
	for (size_t i = 0; i < n; i++) {
		char path[4200];
		size_t l = strlen(names[i]);
		pack *p = &s->packs[i];
		if (l < 5 || strcmp(names[i] + l - 4, ".idx") ||
		    snprintf(path, sizeof(path), "%s/%s", dir, names[i]) >= (int)sizeof(path))
			continue;
		p->mapped = 1;
		p->idx = map_file(path, &p->idx_size);
		snprintf(path, sizeof(path), "%s/%.*s.pack", dir, (int)(l - 4), names[i]);
		p->map = map_file(path, &p->size);
		if (!p->idx || !p->map || !pack_usable(p))
			pack_unmap(p);
		else
			madvise((void *)p->map, p->size, MADV_SEQUENTIAL);
	}
	*out = s;
	return 0;
}

int sg_packs_from_memory(sg_packs **out, const unsigned char *data, size_t size,
                         const unsigned char *idx, size_t idx_size)
{
	sg_packs *s = calloc(1, sizeof(*s));
	if (!s || !(s->packs = calloc(1, sizeof(*s->packs)))) {
		free(s);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	s->n = 1;
	s->packs[0] = (pack){.map = data, .size = size, .idx = idx, .idx_size = idx ? idx_size : 0};
	if (!pack_usable(&s->packs[0]))
		memset(&s->packs[0], 0, sizeof(pack));
	*out = s;
	return 0;
}

void sg_packs_free(sg_packs *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		pack_unmap(&s->packs[i]);
	free(s->packs);
	free(s);
}

void sg_packs_release(const sg_packs *s, uint32_t packno, uint64_t from, uint64_t to)
{
	if (packno >= s->n || !s->packs[packno].mapped || !s->packs[packno].map)
		return;
	const pack *p = &s->packs[packno];
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	from = (from + page - 1) / page * page;
	to = (to < p->size ? to : p->size) / page * page;
	if (from < to)
		madvise((void *)(p->map + from), (size_t)(to - from), MADV_DONTNEED);
}

int sg_pack_reader_new(sg_pack_reader **out, const sg_packs *packs, size_t cache_bytes)
{
	sg_pack_reader *r = calloc(1, sizeof(*r));
	if (!r)
		return sg_error_set(SG_ENOMEM, "out of memory");
	r->packs = packs;
	r->why = "";
	r->inflater = libdeflate_alloc_decompressor();
	/* the ring's pages are only touched as it fills */
	if (cache_bytes && (r->slots = calloc(CACHE_SLOTS, sizeof(*r->slots)))) {
		r->ring = mmap(NULL, cache_bytes, PROT_READ | PROT_WRITE,
		               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		r->ring_size = cache_bytes;
	}
	if (!r->inflater || (cache_bytes && (!r->slots || r->ring == MAP_FAILED))) {
		if (r->ring == MAP_FAILED)
			r->ring = NULL;
		sg_pack_reader_free(r);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	*out = r;
	return 0;
}

void sg_pack_reader_free(sg_pack_reader *r)
{
	if (!r)
		return;
	if (r->inflater)
		libdeflate_free_decompressor(r->inflater);
	if (r->ring)
		munmap(r->ring, r->ring_size);
	free(r->slots);
	free(r->scratch[0].p);
	free(r->scratch[1].p);
	free(r->delta.p);
	free(r->hit_ring);
	sg_hits_free(&r->hits[0]);
	sg_hits_free(&r->hits[1]);
	free(r->copies);
	free(r);
}

int sg_pack_reader_keep_hits(sg_pack_reader *r, const sg_prefilter *p)
{
	if (!r->ring)
		return 0; /* nothing is cached: nothing to derive from */
	if (r->prefilter)
		return sg_error_set(SG_EINVALID, "the reader keeps hits already");
	r->hit_ring_size = r->ring_size / 4 / sizeof(sg_hit);
	if (!(r->hit_ring = malloc(r->hit_ring_size * sizeof(sg_hit))))
		return sg_error_set(SG_ENOMEM, "out of memory");
	r->prefilter = p;
	return 0;
}

int sg_pack_reader_hits(const sg_pack_reader *r, const sg_hit **hits, size_t *n)
{
	*hits = r->last_hits;
	*n = r->last_nhits;
	return r->last_known;
}

const char *sg_pack_reader_why(const sg_pack_reader *r)
{
	return r->why;
}

sg_pack_stats sg_pack_reader_stats(const sg_pack_reader *r)
{
	return r->stats;
}

/* ---- entries ---- */

/* The offset of object id in the pack, from its index: 0, or -1. */
static int index_find(const pack *p, const unsigned char *id, uint64_t *offset)
{
	const unsigned char *idx = p->idx;
	if (!idx)
		return -1;
	uint32_t lo = id[0] ? be32(idx + 8 + (id[0] - 1) * 4) : 0, hi = be32(idx + 8 + id[0] * 4);
	if (hi > p->nobjects || lo > hi)
		return -1;
	const unsigned char *ids = idx + 8 + 1024;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int k = memcmp(ids + (size_t)mid * OID_BYTES, id, OID_BYTES);
		if (k == 0) {
			lo = mid;
			break;
		}
		if (k < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= hi)
		return -1;
	size_t offs = 8 + 1024 + (size_t)p->nobjects * (OID_BYTES + 4);
	uint64_t at = be32(idx + offs + (size_t)lo * 4);
	if (at & 0x80000000u) {
		size_t large = offs + (size_t)p->nobjects * 4 + (size_t)(at & 0x7fffffffu) * 8;
		if (large + 8 > p->idx_size - 2 * OID_BYTES)
			return -1;
		at = (uint64_t)be32(idx + large) << 32 | be32(idx + large + 4);
	}
	*offset = at;
	return 0;
}

int sg_packs_find(const sg_packs *s, const unsigned char *id, uint32_t *packno, uint64_t *offset)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->packs[i].map && index_find(&s->packs[i], id, offset) == 0) {
			*packno = (uint32_t)i;
			return 0;
		}
	return 1;
}

/* The entry header at offset: type, size, where the data starts and, for
 * deltas, the base's offset. 0, or -1 when it is not a well-formed entry
 * inside the pack. */
static int entry_header(const pack *p, uint64_t offset, chain_entry *e, uint64_t *base)
{
	const unsigned char *m = p->map, *end = m + p->size - PACK_TRAILER;
	if (offset < PACK_HEADER || offset >= (uint64_t)(end - m))
		return -1;
	const unsigned char *s = m + offset;
	unsigned c = *s++;
	uint64_t size = c & 15;
	unsigned shift = 4;
	while (c & 0x80) {
		if (s >= end || shift > 57)
			return -1;
		c = *s++;
		size |= (uint64_t)(c & 0x7f) << shift;
		shift += 7;
	}
	e->type = m[offset] >> 4 & 7;
	e->offset = offset;
	e->size = size;
	if (e->type == OBJ_OFS_DELTA) {
		/* a big-endian base-128 distance back, each continuation adding one */
		if (s >= end)
			return -1;
		c = *s++;
		uint64_t back = c & 0x7f;
		while (c & 0x80) {
			if (s >= end || back > (UINT64_MAX >> 8))
				return -1;
			c = *s++;
			back = ((back + 1) << 7) | (c & 0x7f);
		}
		if (back == 0 || back > offset - PACK_HEADER)
			return -1;
		*base = offset - back;
	} else if (e->type == OBJ_REF_DELTA) {
		if (end - s < OID_BYTES)
			return -1;
		/* the base by id, in this pack's own index (another pack: libgit2) */
		if (index_find(p, s, base) < 0)
			return -1;
		s += OID_BYTES;
	} else if (e->type < OBJ_COMMIT || e->type > OBJ_TAG) {
		return -1;
	}
	e->data = (uint64_t)(s - m);
	return 0;
}

/* Inflate an entry's data into out, which must come out exactly e->size. */
static int inflate_entry(sg_pack_reader *r, const pack *p, const chain_entry *e, unsigned char *out)
{
	size_t in_len = p->size - PACK_TRAILER - e->data, got = 0;
	enum libdeflate_result res = libdeflate_zlib_decompress(r->inflater, p->map + e->data,
	                                                        in_len, out, (size_t)e->size, &got);
	return res == LIBDEFLATE_SUCCESS && got == e->size ? 0 : -1;
}

static int buffer_fit(buffer *b, size_t n)
{
	if (b->cap >= n && b->p)
		return 0;
	size_t cap = b->cap ? b->cap : 65536;
	while (cap < n)
		cap = cap > SIZE_MAX / 2 ? n : cap * 2;
	unsigned char *q = realloc(b->p, cap);
	if (!q)
		return sg_error_set(SG_ENOMEM, "out of memory");
	b->p = q;
	b->cap = cap;
	return 0;
}

/* ---- the delta base cache ---- */

static slot *cache_slot(const sg_pack_reader *r, uint64_t key)
{
	return &r->slots[(key * 0x9e3779b97f4a7c15ull) >> (64 - 16)];
}

static const unsigned char *cache_get(sg_pack_reader *r, uint64_t key, size_t *len, int *type,
                                      uint64_t *start)
{
	if (!r->ring)
		return NULL;
	slot *s = cache_slot(r, key);
	if (s->key != key || s->len == 0 || r->head - s->start > r->ring_size)
		return NULL;
	*len = s->len;
	*type = s->type;
	*start = s->start;
	return r->ring + s->start % r->ring_size;
}

/* The hits kept for the object cache_get just found: 1 with them, or 0. */
static int cache_hits(const sg_pack_reader *r, uint64_t key, const sg_hit **hits, size_t *n)
{
	const slot *s = cache_slot(r, key);
	if (!r->hit_ring || s->nhits == UINT32_MAX || r->hit_head - s->hit_start > r->hit_ring_size)
		return 0;
	*n = s->nhits;
	*hits = r->hit_ring + s->hit_start % r->hit_ring_size;
	return 1;
}

int sg_pack_reader_quiet_base(const sg_pack_reader *r, const sg_copy **copies, size_t *n)
{
	*copies = r->copies;
	*n = r->ncopies;
	return r->last_quiet_base;
}

void sg_pack_reader_mark_quiet(sg_pack_reader *r)
{
	slot *s = r->ring ? cache_slot(r, r->last_key) : NULL;
	if (s && s->key == r->last_key && s->len)
		s->quiet = 1;
}

/* Where an object of len bytes is built: the ring (then cached), unless it
 * is large or would overwrite keep (the base it is built from, at logical
 * ring position keep_start); else the scratch buffer keep is not in. */
typedef struct place {
	unsigned char *p;
	uint64_t start; /* ring position, or UINT64_MAX: a scratch buffer */
	int scratch;
} place;

static int place_new(place *out, sg_pack_reader *r, size_t len, const place *keep)
{
	if (r->ring && len && len <= r->ring_size / CACHE_SHARE) {
		uint64_t start = r->head;
		if (start % r->ring_size + len > r->ring_size)
			start += r->ring_size - start % r->ring_size; /* never wrap an object */
		if (!keep || keep->start == UINT64_MAX ||
		    start + len - keep->start <= r->ring_size) {
			r->head = start + len;
			*out = (place){r->ring + start % r->ring_size, start, -1};
			return 0;
		}
	}
	int i = keep && keep->start == UINT64_MAX && keep->scratch == 0 ? 1 : 0;
	int e = buffer_fit(&r->scratch[i], len ? len : 1);
	if (e < 0)
		return e;
	*out = (place){r->scratch[i].p, UINT64_MAX, i};
	return 0;
}

static void cache_put(sg_pack_reader *r, uint64_t key, const place *pl, size_t len, int type,
                      const sg_hits *hits)
{
	if (pl->start == UINT64_MAX)
		return;
	slot *s = cache_slot(r, key);
	int quiet = s->key == key && s->quiet;
	*s = (slot){key, pl->start, len, type, 0, UINT32_MAX, quiet};
	/* the hits beside it, in their own ring (never wrapped) */
	if (!hits || !r->hit_ring || hits->count > r->hit_ring_size / CACHE_SHARE)
		return;
	uint64_t start = r->hit_head;
	if (start % r->hit_ring_size + hits->count > r->hit_ring_size)
		start += r->hit_ring_size - start % r->hit_ring_size;
	if (hits->count)
		memcpy(r->hit_ring + start % r->hit_ring_size, hits->items,
		       hits->count * sizeof(sg_hit));
	r->hit_head = start + hits->count;
	s->hit_start = start;
	s->nhits = (uint32_t)hits->count;
}

/* ---- deltas ---- */

static int delta_varint(uint64_t *v, const unsigned char **p, const unsigned char *end)
{
	uint64_t x = 0;
	unsigned shift = 0, c;
	do {
		if (*p >= end || shift > 63)
			return -1;
		c = *(*p)++;
		x |= (uint64_t)(c & 0x7f) << shift;
		shift += 7;
	} while (c & 0x80);
	*v = x;
	return 0;
}

/* Note a copy (joined to the one before when it continues it); -1 out of memory. */
static int copy_note(sg_pack_reader *r, size_t at, size_t len, size_t from)
{
	if (r->ncopies) {
		sg_copy *c = &r->copies[r->ncopies - 1];
		if (c->at + c->len == at && c->from + c->len == from) {
			c->len += len;
			return 0;
		}
	}
	if (r->ncopies == r->copies_cap && SG_GROW(r->copies, r->copies_cap, 256) < 0)
		return -1;
	r->copies[r->ncopies++] = (sg_copy){at, len, from};
	return 0;
}

/* Apply a git delta: copies from base and inserted literals, which must
 * fill out exactly out_len bytes. With keep, the copies are noted in r. */
static int delta_apply(sg_pack_reader *r, int keep, unsigned char *out, size_t out_len,
                       const unsigned char *base, size_t base_len, const unsigned char *p,
                       const unsigned char *end)
{
	unsigned char *o = out, *oend = out + out_len;
	r->ncopies = 0;
	while (p < end) {
		unsigned c = *p++;
		if (c & 0x80) {
			uint64_t off = 0, n = 0;
			for (int i = 0; i < 4; i++)
				if (c & (1u << i)) {
					if (p >= end)
						return -1;
					off |= (uint64_t)*p++ << (8 * i);
				}
			for (int i = 0; i < 3; i++)
				if (c & (0x10u << i)) {
					if (p >= end)
						return -1;
					n |= (uint64_t)*p++ << (8 * i);
				}
			if (n == 0)
				n = 0x10000;
			if (off > base_len || n > base_len - off || n > (size_t)(oend - o))
				return -1;
			if (keep && copy_note(r, (size_t)(o - out), (size_t)n, (size_t)off) < 0)
				return SG_ENOMEM;
			memcpy(o, base + off, n);
			o += n;
		} else if (c) {
			if (c > (size_t)(end - p) || c > (size_t)(oend - o))
				return -1;
			memcpy(o, p, c);
			o += c;
			p += c;
		} else {
			return -1; /* reserved */
		}
	}
	return o == oend ? 0 : -1;
}

static int fall_back(sg_pack_reader *r, const char *why)
{
	r->why = why;
	r->stats.fallback++;
	return SG_PACK_FALLBACK;
}

int sg_pack_read_blob(sg_pack_reader *r, uint32_t packno, uint64_t offset, uint64_t max_size,
                      const unsigned char **data, size_t *len)
{
	return sg_pack_read(r, packno, offset, SG_PACK_BLOB, max_size, data, len);
}

int sg_pack_read(sg_pack_reader *r, uint32_t packno, uint64_t offset, int want, uint64_t max_size,
                 const unsigned char **data, size_t *len)
{
	r->why = "";
	r->last_hits = NULL;
	r->last_nhits = 0;
	r->last_known = 0;
	r->last_key = UINT64_MAX;
	r->last_quiet_base = 0;
	if (packno >= r->packs->n || !r->packs->packs[packno].map)
		return fall_back(r, "not in a pack read here");
	const pack *p = &r->packs->packs[packno];
	uint64_t key_base = (uint64_t)packno << 48;
	if (offset >= (1ull << 48))
		return fall_back(r, "offset out of range");
	/* walk down the chain to a cached object or a whole one */
	size_t depth = 0, have_len = 0;
	int type = 0;
	uint64_t at = offset, have_start = 0;
	const unsigned char *have = NULL;
	for (;;) {
		if ((have = cache_get(r, key_base | at, &have_len, &type, &have_start))) {
			r->stats.cache_hits++;
			break;
		}
		if (depth == SG_PACK_MAX_CHAIN)
			return fall_back(r, "delta chain too long");
		chain_entry *e = &r->chain[depth++];
		uint64_t base = 0;
		if (entry_header(p, at, e, &base) < 0)
			return fall_back(r, "malformed pack entry");
		if (e->size > max_size)
			return fall_back(r, "over the size cap");
		if (e->type != OBJ_OFS_DELTA && e->type != OBJ_REF_DELTA) {
			type = e->type;
			break;
		}
		if (base >= (1ull << 48))
			return fall_back(r, "delta base out of range");
		at = base;
	}
	if (type != want)
		return fall_back(r, "not of the type asked for");
	/* each blob's keyword hits too, when kept: derived from its base's */
	int keep = r->prefilter && type == OBJ_BLOB, flip = 0, known = 0;
	const sg_hit *hits = NULL;
	size_t nhits = 0;
	uint64_t cur_key = key_base | at;
	place cur;
	if (have) {
		cur = (place){(unsigned char *)have, have_start, -1};
		known = keep && cache_hits(r, key_base | at, &hits, &nhits);
	} else {
		/* the whole object at the bottom of the chain */
		chain_entry *e = &r->chain[--depth];
		int rc = place_new(&cur, r, (size_t)e->size, NULL);
		if (rc < 0)
			return rc;
		if (inflate_entry(r, p, e, cur.p) < 0)
			return fall_back(r, "inflate failed");
		have_len = (size_t)e->size;
		/* searched only when it is the blob asked for: a base read again for
		 * a chain would cost the search the scanner makes of the blob anyway */
		sg_hits *h = keep && depth == 0 ? &r->hits[flip ^= 1] : NULL;
		if (h && (h->count = 0, rc = sg_prefilter_scan(r->prefilter, (const char *)cur.p,
		                                               have_len, h)) < 0)
			return rc;
		cache_put(r, key_base | e->offset, &cur, have_len, type, h);
		hits = h ? h->items : NULL;
		nhits = h ? h->count : 0;
		known = h != NULL;
	}
	while (depth) {
		chain_entry *e = &r->chain[--depth];
		int rc = buffer_fit(&r->delta, e->size ? (size_t)e->size : 1);
		if (rc < 0)
			return rc;
		if (inflate_entry(r, p, e, r->delta.p) < 0)
			return fall_back(r, "inflate failed");
		const unsigned char *d = r->delta.p, *dend = d + e->size;
		uint64_t src, dst;
		if (delta_varint(&src, &d, dend) < 0 || delta_varint(&dst, &d, dend) < 0 ||
		    src != have_len)
			return fall_back(r, "malformed delta");
		if (dst > max_size)
			return fall_back(r, "over the size cap");
		place next;
		if ((rc = place_new(&next, r, (size_t)dst, &cur)) < 0)
			return rc;
		if ((rc = delta_apply(r, keep, next.p, (size_t)dst, cur.p, have_len, d, dend)) < 0)
			return rc == SG_ENOMEM ? sg_error_set(rc, "out of memory")
			                       : fall_back(r, "malformed delta");
		if (depth == 0 && keep && r->ring) {
			const slot *b = cache_slot(r, cur_key);
			r->last_quiet_base = b->key == cur_key && b->quiet;
		}
		cur_key = key_base | e->offset;
		/* a base on the way up the chain gets hits only when its own are
		 * cheap to derive; the blob asked for always gets them */
		sg_hits *h =
		        keep && (depth == 0 ||
		                 (known && sg_prefilter_fresh(r->prefilter, (size_t)dst, r->copies,
		                                              r->ncopies) <= dst / 4))
		                ? &r->hits[flip ^= 1]
		                : NULL;
		known = known && h;
		if (h) {
			const char *t = (const char *)next.p;
			h->count = 0;
			rc = known ? sg_prefilter_derive(r->prefilter, t, (size_t)dst, hits, nhits,
			                                 r->copies, r->ncopies, h)
			           : sg_prefilter_scan(r->prefilter, t, (size_t)dst, h);
			if (rc < 0)
				return rc;
			hits = h->items;
			nhits = h->count;
			known = 1;
		}
		cur = next;
		have_len = (size_t)dst;
		cache_put(r, key_base | e->offset, &cur, have_len, type, h);
	}
	r->last_hits = hits;
	r->last_nhits = nhits;
	r->last_known = known;
	r->last_key = key_base | offset;
	r->stats.read++;
	*data = cur.p;
	*len = have_len;
	return 0;
}

int sg_pack_read_id(sg_pack_reader *r, const unsigned char *id, int want, uint64_t max_size,
                    const unsigned char **data, size_t *len)
{
	uint32_t packno;
	uint64_t off;
	if (sg_packs_find(r->packs, id, &packno, &off) != 0)
		return fall_back(r, "in none of the packs read here");
	return sg_pack_read(r, packno, off, want, max_size, data, len);
}
