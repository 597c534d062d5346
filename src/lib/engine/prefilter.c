/* Aho-Corasick compiled to a full DFA. Bytes are mapped to classes first
 * (every byte that occurs in no keyword shares class 0), which keeps the
 * transition table small; states are numbered breadth-first so the hot
 * shallow ones share cache lines, and a chunk is walked as eight or twelve
 * independent streams so as many table loads are in flight at once. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "secretgate/secretgate.h"
#include "lib/engine/prefilter.h"
#include "util/grow.h"

#define MAX_STATES (1u << 22)
#define OUT_FLAG   (1u << 31)
/* below this many bytes a chunk is scanned as one stream */
#define SPLIT_MIN 160

typedef struct keyword {
	char *text;
	uint32_t len, rule;
} keyword;

struct sg_prefilter {
	keyword *keywords;
	size_t nkeywords, capkeywords;
	uint8_t classes[256];
	uint32_t nclasses;
	/* a state's number from its multiplied form without a division:
	 * v * class_magic >> class_shift, exact for v < 2^31 (set_classes) */
	uint64_t class_magic;
	unsigned class_shift;
	uint32_t nstates;
	/* nstates * nclasses entries, each the next state already multiplied by
	 * nclasses (no multiply per byte), with OUT_FLAG set when it has outputs */
	uint32_t *delta;
	uint32_t maxlen;
	uint32_t *out_start; /* per state: first output index, nstates + 1 entries */
	uint32_t *outputs;   /* keyword indexes */
	/* each output's rule and keyword length (what a hit records), in the
	 * same order: one load per hit instead of two dependent ones; always
	 * this structure's own */
	struct out_hit {
		uint32_t rule, len;
	} * out_hits;
	uint32_t noutputs;
	int built;
	int high_class0; /* every byte >= 0x80 is class 0 (the SIMD class map needs it) */
	int borrowed;    /* tables point into an embedded blob: not freed */
};

/* nclasses and its reciprocal: with k = 32 + ceil(log2 nc) and
 * m = ceil(2^k / nc), floor(v * m / 2^k) = floor(v / nc) whenever
 * v * (m * nc - 2^k) < 2^k, which holds for every v < 2^31. */
static void set_classes(sg_prefilter *p, uint32_t nc)
{
	unsigned l = 0;
	while ((1u << l) < nc)
		l++;
	p->nclasses = nc;
	p->class_shift = 32 + l;
	p->class_magic = nc ? (((uint64_t)1 << p->class_shift) + nc - 1) / nc : 0;
}

static inline uint32_t state_of(const sg_prefilter *p, uint32_t v)
{
	return (uint32_t)(((unsigned __int128)v * p->class_magic) >> p->class_shift);
}

/* out_hits from outputs; 0, or <0 when an output names no keyword */
static int fill_out_hits(sg_prefilter *p)
{
	p->out_hits = malloc((p->noutputs + 1) * sizeof(*p->out_hits));
	if (!p->out_hits)
		return SG_ENOMEM;
	for (uint32_t o = 0; o < p->noutputs; o++) {
		if (p->outputs[o] >= p->nkeywords)
			return SG_EINVALID;
		const keyword *k = &p->keywords[p->outputs[o]];
		p->out_hits[o] = (struct out_hit){k->rule, k->len};
	}
	return 0;
}

int sg_prefilter_new(sg_prefilter **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : sg_error_set(SG_ENOMEM, "out of memory");
}

void sg_prefilter_free(sg_prefilter *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nkeywords; i++)
		free(p->keywords[i].text);
	free(p->keywords);
	if (!p->borrowed) {
		free(p->delta);
		free(p->out_start);
		free(p->outputs);
	}
	free(p->out_hits);
	free(p);
}

size_t sg_prefilter_states(const sg_prefilter *p)
{
	return p->nstates;
}

int sg_prefilter_add(sg_prefilter *p, const char *kw, uint32_t rule)
{
	size_t len = strlen(kw);
	if (len == 0 || len > 255)
		return sg_error_set(SG_EINVALID, "keyword length must be 1..255");
	if (p->nkeywords == p->capkeywords && SG_GROW(p->keywords, p->capkeywords, 64) < 0)
		return sg_error_set(SG_ENOMEM, "out of memory");
	char *t = malloc(len + 1);
	if (!t)
		return sg_error_set(SG_ENOMEM, "out of memory");
	for (size_t i = 0; i <= len; i++)
		t[i] = (char)tolower((unsigned char)kw[i]);
	p->keywords[p->nkeywords++] = (keyword){t, (uint32_t)len, rule};
	p->built = 0;
	return 0;
}

typedef struct out_link {
	uint32_t kw;
	int32_t next;
} out_link;

static int cmp_keyword_text(const void *a, const void *b)
{
	return strcmp((*(const keyword *const *)a)->text, (*(const keyword *const *)b)->text);
}

static size_t count_states(const sg_prefilter *p)
{
	const keyword **sorted = malloc((p->nkeywords + 1) * sizeof(*sorted));
	if (!sorted)
		return 0;
	for (size_t k = 0; k < p->nkeywords; k++)
		sorted[k] = &p->keywords[k];
	qsort(sorted, p->nkeywords, sizeof(*sorted), cmp_keyword_text);
	size_t n = 1;
	for (size_t k = 0; k < p->nkeywords; k++) {
		size_t lcp = 0;
		if (k > 0)
			while (lcp < sorted[k]->len && lcp < sorted[k - 1]->len &&
			       sorted[k]->text[lcp] == sorted[k - 1]->text[lcp])
				lcp++;
		n += sorted[k]->len - lcp;
	}
	free(sorted);
	return n;
}

/* A state's outputs, longest keyword first, then in the order added: an order
 * that depends only on the keywords, not on the state they are reached in, so
 * the hits ending at one byte come out the same whatever precedes them (which
 * sg_prefilter_derive relies on). */
static void sort_outputs(const sg_prefilter *p, uint32_t *o, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		uint32_t x = o[i];
		size_t j = i;
		while (j > 0 &&
		       (p->keywords[o[j - 1]].len < p->keywords[x].len ||
		        (p->keywords[o[j - 1]].len == p->keywords[x].len && o[j - 1] > x))) {
			o[j] = o[j - 1];
			j--;
		}
		o[j] = x;
	}
}

static int high_bytes_class0(const uint8_t *classes)
{
	for (int c = 0x80; c < 256; c++)
		if (classes[c])
			return 0;
	return 1;
}

int sg_prefilter_build(sg_prefilter *p)
{
	int rc = SG_ENOMEM;
	free(p->delta);
	free(p->out_start);
	free(p->outputs);
	free(p->out_hits);
	p->delta = p->out_start = p->outputs = NULL;
	p->out_hits = NULL;

	/* byte classes: one per distinct (lowercased) keyword byte */
	memset(p->classes, 0, sizeof(p->classes));
	uint32_t nc = 1;
	unsigned char used[256] = {0};
	for (size_t k = 0; k < p->nkeywords; k++)
		for (uint32_t i = 0; i < p->keywords[k].len; i++)
			used[(unsigned char)p->keywords[k].text[i]] = 1;
	/* The bytes text is made of most come first, so in the rows of the
	 * shallow states text keeps returning to, the entries it reads share a
	 * cache line or two (about a fifth fewer lines in the hot set); the
	 * other keyword bytes follow in byte order. */
	static const char common[] = " etio_nrasolcdpfumghbxy,/v0w.1:k2-38z64q5\"+9j'7";
	for (int pass = 0; pass < 2; pass++)
		for (int b = 0; b < (pass ? 256 : (int)sizeof(common) - 1); b++) {
			unsigned char c = pass ? (unsigned char)b : (unsigned char)common[b];
			if (!used[c] || p->classes[c])
				continue;
			if (nc > 255)
				return sg_error_set(SG_ETOOBIG, "too many distinct keyword bytes");
			p->classes[c] = (uint8_t)nc;
			if (isalpha(c))
				p->classes[toupper(c)] = (uint8_t)nc;
			nc++;
		}
	set_classes(p, nc);

	/* the exact number of trie states: one per distinct keyword prefix, counted
	 * over the sorted keywords, so the table is sized once and not over-allocated */
	size_t total = count_states(p);
	if (total == 0)
		return sg_error_set(SG_ENOMEM, "out of memory building the prefilter");
	if (total > MAX_STATES)
		return sg_error_set(SG_ETOOBIG, "keywords too long for the prefilter");

	uint32_t *delta = malloc(total * nc * sizeof(*delta));
	int32_t *out_head = malloc(total * sizeof(*out_head));
	uint32_t *fail = calloc(total, sizeof(*fail));
	uint32_t *queue = malloc(total * sizeof(*queue));
	out_link *links = malloc((p->nkeywords * 2 + 1) * sizeof(*links) * 8);
	size_t nlinks = 0, cap_links = (p->nkeywords * 2 + 1) * 8;
	if (!delta || !out_head || !fail || !queue || !links)
		goto done;
	memset(delta, 0xff, total * nc * sizeof(*delta));
	for (size_t i = 0; i < total; i++)
		out_head[i] = -1;

	/* trie */
	uint32_t nstates = 1;
	for (size_t k = 0; k < p->nkeywords; k++) {
		uint32_t s = 0;
		for (uint32_t i = 0; i < p->keywords[k].len; i++) {
			uint32_t c = p->classes[(unsigned char)p->keywords[k].text[i]];
			if (delta[s * nc + c] == UINT32_MAX)
				delta[s * nc + c] = nstates++;
			s = delta[s * nc + c];
		}
		links[nlinks] = (out_link){(uint32_t)k, out_head[s]};
		out_head[s] = (int32_t)nlinks++;
	}

	/* breadth-first: failure links, completed transitions, inherited outputs */
	size_t qh = 0, qt = 0;
	for (uint32_t c = 0; c < nc; c++) {
		uint32_t t = delta[c];
		if (t == UINT32_MAX) {
			delta[c] = 0;
		} else {
			fail[t] = 0;
			queue[qt++] = t;
		}
	}
	while (qh < qt) {
		uint32_t s = queue[qh++];
		/* outputs of the failure state are outputs here too */
		for (int32_t l = out_head[fail[s]]; l >= 0; l = links[l].next) {
			if (nlinks == cap_links) {
				size_t ncap = cap_links * 2;
				out_link *n = realloc(links, ncap * sizeof(*n));
				if (!n)
					goto done;
				links = n;
				cap_links = ncap;
			}
			links[nlinks] = (out_link){links[l].kw, out_head[s]};
			out_head[s] = (int32_t)nlinks++;
		}
		for (uint32_t c = 0; c < nc; c++) {
			uint32_t t = delta[s * nc + c];
			if (t == UINT32_MAX) {
				delta[s * nc + c] = delta[fail[s] * nc + c];
			} else {
				fail[t] = delta[fail[s] * nc + c];
				queue[qt++] = t;
			}
		}
	}

	/* States are renumbered in breadth-first order, so the shallow states
	 * that text keeps returning to sit together at the start of the table
	 * (fewer cache lines and pages in the hot set). order[new] = old. */
	uint32_t *order = queue, *rank = fail;
	memmove(order + 1, order, qt * sizeof(*order));
	order[0] = 0;
	for (uint32_t r = 0; r < nstates; r++)
		rank[order[r]] = r;
	p->out_start = malloc((nstates + 1) * sizeof(uint32_t));
	p->outputs = malloc((nlinks + 1) * sizeof(uint32_t));
	uint32_t *table = malloc((size_t)nstates * nc * sizeof(*table));
	if (!p->out_start || !p->outputs || !table) {
		free(table);
		goto done;
	}
	uint32_t n = 0;
	for (uint32_t r = 0; r < nstates; r++) {
		p->out_start[r] = n;
		for (int32_t l = out_head[order[r]]; l >= 0; l = links[l].next)
			p->outputs[n++] = links[l].kw;
		sort_outputs(p, p->outputs + p->out_start[r], n - p->out_start[r]);
	}
	p->out_start[nstates] = n;
	p->noutputs = n;
	p->nstates = nstates;
	for (uint32_t r = 0; r < nstates; r++)
		for (uint32_t c = 0; c < nc; c++) {
			uint32_t t = rank[delta[(size_t)order[r] * nc + c]];
			table[(size_t)r * nc + c] =
			        t * nc | (p->out_start[t] != p->out_start[t + 1] ? OUT_FLAG : 0);
		}
	free(delta);
	delta = table;
	p->maxlen = 0;
	for (size_t k = 0; k < p->nkeywords; k++)
		if (p->keywords[k].len > p->maxlen)
			p->maxlen = p->keywords[k].len;
	p->delta = realloc(delta, (size_t)nstates * nc * sizeof(*delta));
	if (!p->delta)
		p->delta = delta;
	delta = NULL;
	p->high_class0 = high_bytes_class0(p->classes);
	if (fill_out_hits(p) < 0)
		goto done; /* out of memory: every output is one of these keywords */
	p->built = 1;
	rc = 0;
done:
	free(delta);
	free(out_head);
	free(fail);
	free(queue);
	free(links);
	if (rc < 0)
		return sg_error_set(rc, "out of memory building the prefilter");
	return 0;
}

static int hits_push(sg_hits *h, uint32_t rule, uint32_t klen, size_t end)
{
	if (h->max && h->count >= h->max) {
		h->truncated = 1;
		return 1;
	}
	if (h->count == h->cap && SG_GROW(h->items, h->cap, 256) < 0)
		return sg_error_set(SG_ENOMEM, "out of memory");
	h->items[h->count++] = (sg_hit){rule, klen, end};
	return 0;
}

void sg_hits_free(sg_hits *h)
{
	free(h->items);
	free(h->spare);
	free(h->scratch);
	h->items = h->spare = NULL;
	h->scratch = NULL;
	h->count = h->cap = h->spare_cap = h->scratch_cap = 0;
}

/* Report the outputs of the state reached at offset i (only ends > min_end). */
static int emit_outputs(const sg_prefilter *p, uint32_t v, size_t i, size_t min_end, sg_hits *hits)
{
	uint32_t st = state_of(p, v & ~OUT_FLAG);
	if (i + 1 <= min_end)
		return 0;
	for (uint32_t o = p->out_start[st]; o < p->out_start[st + 1]; o++) {
		const struct out_hit *k = &p->out_hits[o];
		int r = hits_push(hits, k->rule, k->len, i + 1);
		if (r != 0)
			return r;
	}
	return 0;
}

/* One stream over d[from, to): the state walk, reporting only hits that end
 * past min_end (the part an earlier stream has not covered). */
static int scan_stream(const sg_prefilter *p, const unsigned char *d, size_t from, size_t to,
                       uint32_t *state, size_t min_end, sg_hits *hits)
{
	const uint32_t *delta = p->delta;
	const uint8_t *cls = p->classes;
	uint32_t s = *state;
	for (size_t i = from; i < to; i++) {
		s = delta[s + cls[d[i]]];
		if (s & OUT_FLAG) {
			int r = emit_outputs(p, s, i, min_end, hits);
			if (r != 0)
				return r;
			s &= ~OUT_FLAG;
		}
	}
	*state = s;
	return 0;
}

/* Streams walked side by side: eight in the general walk, whose offsets
 * and states fill the registers; in the walk over mapped classes, which
 * needs no offsets, twelve for chunks of MAPPED_LONG bytes and more (twelve
 * loads in flight hide more of their latency: 5-10% faster than eight) and
 * eight below (where twelve streams' overlap costs more than it saves). */
#define GENERIC_STREAMS 8
#define MAPPED_STREAMS  12
#define MAX_STREAMS     12
#define MAPPED_LONG     4096 /* the shortest chunk walked as twelve streams */
/* How far ahead of its block each of the twelve streams asks for its text.
 * A chunk that is not in the cache (a large file, a slice of one) was walked
 * at the speed the hardware's prefetcher kept up with twelve streams; asking
 * four blocks ahead took 1 MB slices of text in memory from 2,000 to 2,650
 * MB/s (docs/core.md). */
#define PREFETCH_AHEAD 1024

/* The eight states between the registers and an array. */
#define STATES8_TO(st)                                                                             \
	(st[0] = s0, st[1] = s1, st[2] = s2, st[3] = s3, st[4] = s4, st[5] = s5, st[6] = s6,       \
	 st[7] = s7)
#define STATES8_FROM(st)                                                                           \
	(s0 = st[0], s1 = st[1], s2 = st[2], s3 = st[3], s4 = st[4], s5 = st[5], s6 = st[6],       \
	 s7 = st[7])

/* The outputs of every flagged state, step i of each of n streams; flags
 * cleared. */
static int emit_flagged(const sg_prefilter *p, uint32_t *st, int n, const size_t *start, size_t i,
                        const size_t *bound, sg_hits *hits)
{
	for (int k = 0; k < n; k++)
		if (st[k] & OUT_FLAG) {
			int r = emit_outputs(p, st[k], start[k] + i, bound[k], hits);
			if (r != 0)
				return r;
			st[k] &= ~OUT_FLAG;
		}
	return 0;
}

/* The eight streams' walk for the general case: each byte's class is looked
 * up as it is consumed. */
static int scan_streams(const sg_prefilter *p, const unsigned char *d, const size_t *start,
                        const size_t *bound, size_t common, uint32_t *st, sg_hits *hits)
{
	const uint32_t *delta = p->delta;
	const uint8_t *cls = p->classes;
	const unsigned char *d0 = d + start[0];
	const size_t o1 = start[1] - start[0], o2 = start[2] - start[0], o3 = start[3] - start[0],
	             o4 = start[4] - start[0], o5 = start[5] - start[0], o6 = start[6] - start[0],
	             o7 = start[7] - start[0];
	uint32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
	for (size_t i = 0; i < common; i++) {
		const unsigned char *q = d0 + i;
		s0 = delta[s0 + cls[q[0]]];
		s1 = delta[s1 + cls[q[o1]]];
		s2 = delta[s2 + cls[q[o2]]];
		s3 = delta[s3 + cls[q[o3]]];
		s4 = delta[s4 + cls[q[o4]]];
		s5 = delta[s5 + cls[q[o5]]];
		s6 = delta[s6 + cls[q[o6]]];
		s7 = delta[s7 + cls[q[o7]]];
		if ((s0 | s1 | s2 | s3 | s4 | s5 | s6 | s7) & OUT_FLAG) {
			STATES8_TO(st);
			int r = emit_flagged(p, st, GENERIC_STREAMS, start, i, bound, hits);
			if (r != 0)
				return r;
			STATES8_FROM(st);
		}
	}
	STATES8_TO(st);
	return 0;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_CLASS_SIMD 1
/* bytes per stream mapped to classes at a time: the twelve blocks of 32-bit
 * classes (12 KB) stay in L1 while they are walked */
#define BLOCK 256

/* Classes of n <= BLOCK bytes with AVX-512 VBMI: one two-table byte permute
 * maps 64 bytes (bytes >= 0x80 are class 0, checked when the table is made),
 * each class widened to 32 bits so the walk adds it straight from memory. */
__attribute__((target("avx512f,avx512bw,avx512vbmi"))) static void
map_classes(const uint8_t *classes, const unsigned char *src, size_t n, uint32_t *dst)
{
	const __m512i lo = _mm512_loadu_si512(classes), hi = _mm512_loadu_si512(classes + 64);
	for (size_t i = 0; i < n; i += 64) {
		__mmask64 m = n - i >= 64 ? ~0ULL : ~0ULL >> (64 - (n - i));
		__m512i x = _mm512_maskz_loadu_epi8(m, src + i);
		__mmask64 ascii = ~_mm512_movepi8_mask(x) & m;
		__m512i c = _mm512_maskz_permutex2var_epi8(ascii, lo, x, hi);
		_mm512_storeu_si512(dst + i, _mm512_cvtepu8_epi32(_mm512_castsi512_si128(c)));
		_mm512_storeu_si512(dst + i + 16,
		                    _mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32(c, 1)));
		_mm512_storeu_si512(dst + i + 32,
		                    _mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32(c, 2)));
		_mm512_storeu_si512(dst + i + 48,
		                    _mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32(c, 3)));
	}
}

static int simd_allowed = 1;

/* The CPU has the instructions (libgcc reads the CPU's features before main) */
static int cpu_has_vbmi(void)
{
	return __builtin_cpu_supports("avx512vbmi") && __builtin_cpu_supports("avx512bw");
}

static int class_simd_usable(const sg_prefilter *p)
{
	return simd_allowed && p->high_class0 && cpu_has_vbmi();
}

/* One step of stream k over the mapped classes at c. */
#define STEP(k) (s##k = delta[s##k + c[(k)*BLOCK]])

/* Walk the twelve streams' mapped classes from c on, up to end or just past
 * the first step where a state has outputs. Its own function, so only the
 * states, the pointer, the table and the flags' OR are live in the loop, and
 * they all fit the registers (inline, three states spilled and twelve streams
 * were slower than eight). Returns where it stopped. */
__attribute__((noinline)) static const uint32_t *
walk_mapped12(const uint32_t *delta, const uint32_t *c, const uint32_t *end, uint32_t *st)
{
	uint32_t s0 = st[0], s1 = st[1], s2 = st[2], s3 = st[3], s4 = st[4], s5 = st[5], s6 = st[6],
	         s7 = st[7], s8 = st[8], s9 = st[9], s10 = st[10], s11 = st[11];
	while (c < end) {
		STEP(0), STEP(1), STEP(2), STEP(3), STEP(4), STEP(5);
		STEP(6), STEP(7), STEP(8), STEP(9), STEP(10), STEP(11);
		c++;
		if ((s0 | s1 | s2 | s3 | s4 | s5 | s6 | s7 | s8 | s9 | s10 | s11) & OUT_FLAG)
			break;
	}
	STATES8_TO(st);
	st[8] = s8, st[9] = s9, st[10] = s10, st[11] = s11;
	return c;
}

/* Eight streams over classes mapped a block at a time, for shorter chunks:
 * the byte's class is one load at a fixed distance from the others, and is
 * added to the state straight from memory. Inline, as eight states leave
 * registers to spare, a hit costs no return from the walk. */
static int scan_mapped8(const sg_prefilter *p, const unsigned char *d, const size_t *start,
                        const size_t *bound, size_t common, uint32_t *st, sg_hits *hits)
{
	const uint32_t *delta = p->delta;
	uint32_t buf[GENERIC_STREAMS * BLOCK + 64] __attribute__((aligned(64)));
	uint32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
	for (size_t base = 0; base < common; base += BLOCK) {
		size_t n = common - base < BLOCK ? common - base : BLOCK;
		for (int k = 0; k < GENERIC_STREAMS; k++)
			map_classes(p->classes, d + start[k] + base, n, buf + k * BLOCK);
		for (const uint32_t *c = buf, *end = buf + n; c < end; c++) {
			STEP(0), STEP(1), STEP(2), STEP(3), STEP(4), STEP(5), STEP(6), STEP(7);
			if ((s0 | s1 | s2 | s3 | s4 | s5 | s6 | s7) & OUT_FLAG) {
				STATES8_TO(st);
				int r = emit_flagged(p, st, GENERIC_STREAMS, start,
				                     base + (size_t)(c - buf), bound, hits);
				if (r != 0)
					return r;
				STATES8_FROM(st);
			}
		}
	}
	STATES8_TO(st);
	return 0;
}

/* Twelve streams the same way, for long chunks, walked by walk_mapped12. */
static int scan_mapped12(const sg_prefilter *p, const unsigned char *d, const size_t *start,
                         const size_t *bound, size_t common, uint32_t *st, sg_hits *hits)
{
	uint32_t buf[MAPPED_STREAMS * BLOCK + 64] __attribute__((aligned(64)));
	for (int k = 0; k < MAPPED_STREAMS; k++)
		st[k] = 0;
	for (size_t base = 0; base < common; base += BLOCK) {
		size_t n = common - base < BLOCK ? common - base : BLOCK;
		int ahead = base + PREFETCH_AHEAD + BLOCK <= common;
		for (int k = 0; k < MAPPED_STREAMS; k++) {
			map_classes(p->classes, d + start[k] + base, n, buf + k * BLOCK);
			for (int l = 0; ahead && l < BLOCK; l += 64)
				__builtin_prefetch(d + start[k] + base + PREFETCH_AHEAD + l);
		}
		for (const uint32_t *c = buf, *end = buf + n; c < end;) {
			c = walk_mapped12(p->delta, c, end, st);
			/* stopped at a step with outputs, or at the end (maybe both) */
			int r = emit_flagged(p, st, MAPPED_STREAMS, start,
			                     base + (size_t)(c - buf) - 1, bound, hits);
			if (r != 0)
				return r;
		}
	}
	return 0;
}
#endif

/* Room for n hits in the spare list (what is in it is not kept). */
static int spare_fit(sg_hits *h, size_t n)
{
	if (h->spare_cap >= n)
		return 0;
	sg_hit *t = realloc(h->spare, n * sizeof(*t));
	if (!t)
		return sg_error_set(SG_ENOMEM, "out of memory");
	h->spare = t;
	h->spare_cap = n;
	return 0;
}

/* The stream a hit ending at end was reported by: the last whose bound it
 * ends past (bounds are over + k * step). */
static size_t stream_of(size_t over, size_t step, size_t end, int streams)
{
	size_t k = end > over ? (end - over - 1) / step : 0;
	return k < (size_t)streams ? k : (size_t)streams - 1;
}

/* Hits come out of the streams interleaved, but each stream's own are in
 * order and the streams cover the chunk in order: a stable pass by stream
 * puts them all in order of end. */
static int order_by_end(sg_hits *h, size_t first, size_t over, size_t step, int streams)
{
	size_t n = h->count - first;
	if (n < 2)
		return 0;
	if (spare_fit(h, n) < 0)
		return SG_ENOMEM;
	sg_hit *items = h->items + first;
	size_t at[MAX_STREAMS + 1] = {0};
	for (size_t i = 0; i < n; i++)
		at[stream_of(over, step, items[i].end, streams) + 1]++;
	for (int k = 0; k < streams; k++)
		at[k + 1] += at[k];
	for (size_t i = 0; i < n; i++)
		h->spare[at[stream_of(over, step, items[i].end, streams)]++] = items[i];
	memcpy(items, h->spare, n * sizeof(*items));
	return 0;
}

int sg_prefilter_simd_on(void)
{
#ifdef HAVE_CLASS_SIMD
	return simd_allowed && cpu_has_vbmi();
#else
	return 0;
#endif
}

void sg_prefilter_use_simd(int on)
{
#ifdef HAVE_CLASS_SIMD
	simd_allowed = on;
#else
	(void)on;
#endif
}

int sg_prefilter_scan(const sg_prefilter *p, const char *data, size_t len, sg_hits *hits)
{
	if (!p->built || p->nkeywords == 0)
		return 0;
	const unsigned char *d = (const unsigned char *)data;
	int r;
	/* one stream for short chunks, where the streams' overlap would cost
	 * more than their parallel loads save (with streams of equal length the
	 * overlap is walked in parallel too, so that is a few hundred bytes;
	 * the split needs len >= maxlen + 48, which both bounds give) */
	if (len < SPLIT_MIN || len < 4 * (size_t)p->maxlen) {
		uint32_t s = 0;
		r = scan_stream(p, d, 0, len, &s, 0, hits);
		return r < 0 ? r : 0;
	}
	/* The walk is one dependent table load per byte, so its speed is the
	 * load's latency. Independent streams over eight or twelve parts of the
	 * chunk keep as many loads in flight at once. Each stream after the first starts
	 * maxlen-1 bytes before its part, so a keyword across a boundary is seen,
	 * and reports only what ends past the boundary (its bound). Every stream
	 * walks the same number of bytes, the first one's part being longer by
	 * that overlap: what is left after the common length, walked one stream
	 * at a time, is a few bytes, not maxlen-1 per stream. */
	size_t start[MAX_STREAMS], stop[MAX_STREAMS], bound[MAX_STREAMS];
	uint32_t st[MAX_STREAMS];
	int mapped = 0;
#ifdef HAVE_CLASS_SIMD
	mapped = class_simd_usable(p);
#endif
	/* twelve streams cost more overlap than they save on short chunks */
	int streams = mapped && len >= MAPPED_LONG ? MAPPED_STREAMS : GENERIC_STREAMS;
	size_t over = p->maxlen - 1, first = hits->count;
	size_t walk = (len + (size_t)(streams - 1) * over + (size_t)streams - 1) / (size_t)streams,
	       step = walk - over;
	for (int k = 0; k < streams; k++) {
		start[k] = step * (size_t)k;
		bound[k] = k ? start[k] + over : 0;
		stop[k] = k + 1 < streams ? start[k] + walk : len;
	}
	size_t common = stop[streams - 1] - start[streams - 1];
	if (walk < common)
		common = walk;
#ifdef HAVE_CLASS_SIMD
	if (mapped)
		r = streams == MAPPED_STREAMS ? scan_mapped12(p, d, start, bound, common, st, hits)
		                              : scan_mapped8(p, d, start, bound, common, st, hits);
	else
#endif
		r = scan_streams(p, d, start, bound, common, st, hits);
	for (int k = 0; k < streams && r == 0; k++)
		r = scan_stream(p, d, start[k] + common, stop[k], &st[k], bound[k], hits);
	if (r < 0)
		return r;
	/* also when the hits were cut short (r == 1): what was kept is ordered */
	return order_by_end(hits, first, over, step, streams);
}

/* ---- hits of a text made from another ---- */

/* The copy that holds byte at, or NULL. */
static const sg_copy *copy_holding(const sg_copy *c, size_t n, size_t at)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c[mid].at <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && at - c[lo - 1].at < c[lo - 1].len ? &c[lo - 1] : NULL;
}

/* The base's hits that lie inside one copy, moved to where the copy put them. */
static int move_copied(const sg_copy *c, const sg_hit *base, size_t nbase, sg_hits *out)
{
	/* the first hit ending past c->from */
	size_t lo = 0, hi = nbase;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (base[mid].end <= c->from)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < nbase && base[i].end <= c->from + c->len; i++) {
		if (base[i].end - base[i].keyword_len < c->from)
			continue;
		int r = hits_push(out, base[i].rule, base[i].keyword_len,
		                  base[i].end - c->from + c->at);
		if (r != 0)
			return r;
	}
	return 0;
}

/* Order out->items[first, mid) and [mid, count), each in order of end, as one:
 * by end, longer keyword first (the automaton's output order). */
static int merge_runs(sg_hits *h, size_t first, size_t mid)
{
	size_t n = h->count - first;
	if (mid == first || mid == h->count)
		return 0;
	if (spare_fit(h, n) < 0)
		return SG_ENOMEM;
	size_t a = first, b = mid, o = 0;
	while (a < mid && b < h->count) {
		const sg_hit *x = &h->items[a], *y = &h->items[b];
		int y_first =
		        y->end < x->end || (y->end == x->end && y->keyword_len > x->keyword_len);
		h->spare[o++] = y_first ? h->items[b++] : h->items[a++];
	}
	while (a < mid)
		h->spare[o++] = h->items[a++];
	while (b < h->count)
		h->spare[o++] = h->items[b++];
	memcpy(h->items + first, h->spare, n * sizeof(*h->items));
	return 0;
}

/* A stretch of the text searched again. */
typedef struct window {
	size_t from, to;
} window;

/* What was not copied, and each seam between two copies, widened by a
 * keyword's reach on both sides: every hit not inside one copy lies inside
 * one of these windows (overlapping windows are joined). Their count is
 * returned and, with w, they are stored there; *total is their bytes. */
static size_t walk_windows(const sg_prefilter *p, size_t len, const sg_copy *copies, size_t ncopies,
                           window *w, size_t *total)
{
	size_t reach = p->maxlen - 1, w0 = 0, w1 = 0, pos = 0, n = 0;
	*total = 0;
	for (size_t i = 0; i <= ncopies; i++) {
		size_t at = i < ncopies ? copies[i].at : len;
		size_t a, b;
		if (at > pos) {
			a = pos, b = at; /* inserted bytes */
		} else if (pos > 0 && at == pos && i < ncopies) {
			a = b = pos; /* two copies meet */
		} else {
			pos = i < ncopies ? at + copies[i].len : pos;
			continue;
		}
		a = a > reach ? a - reach : 0;
		b = len - b > reach ? b + reach : len;
		if (w1 > w0 && a <= w1) {
			w1 = b > w1 ? b : w1;
		} else {
			if (w1 > w0) {
				*total += w1 - w0;
				if (w)
					w[n] = (window){w0, w1};
				n++;
			}
			w0 = a, w1 = b;
		}
		pos = i < ncopies ? at + copies[i].len : pos;
	}
	if (w1 > w0) {
		*total += w1 - w0;
		if (w)
			w[n] = (window){w0, w1};
		n++;
	}
	return n;
}

/* The hits of every window not inside one copy, in the text's order, ends
 * in the text. The windows are searched as one text, joined by a zero byte:
 * short windows searched one by one are a dependent load per byte, joined
 * they are walked as eight streams. No keyword holds a zero byte, so the
 * walk is back at its start after each joint and no hit spans two windows. */
static int scan_windows(const sg_prefilter *p, const char *data, const window *w, size_t nw,
                        char *joined, const sg_copy *copies, size_t ncopies, sg_hits *out)
{
	size_t at = 0;
	for (size_t k = 0; k < nw; k++) {
		memcpy(joined + at, data + w[k].from, w[k].to - w[k].from);
		at += w[k].to - w[k].from;
		joined[at++] = '\0';
	}
	size_t first = out->count, keep = first, k = 0, off = 0;
	int r = sg_prefilter_scan(p, joined, at, out);
	if (r < 0)
		return r;
	for (size_t i = first; i < out->count; i++) {
		sg_hit x = out->items[i];
		/* hits come in order of end, so the window holding one is at or
		 * after the last one's */
		while (x.end > off + (w[k].to - w[k].from)) {
			off += w[k].to - w[k].from + 1;
			k++;
		}
		x.end = x.end - off + w[k].from;
		const sg_copy *c = copy_holding(copies, ncopies, x.end - x.keyword_len);
		if (!c || x.end > c->at + c->len)
			out->items[keep++] = x;
	}
	out->count = keep;
	return 0;
}

size_t sg_prefilter_fresh(const sg_prefilter *p, size_t len, const sg_copy *copies, size_t ncopies)
{
	size_t fresh;
	if (!p->built || p->nkeywords == 0)
		return 0;
	walk_windows(p, len, copies, ncopies, NULL, &fresh);
	return fresh;
}

int sg_prefilter_derive(const sg_prefilter *p, const char *data, size_t len,
                        const sg_hit *base_hits, size_t nbase, const sg_copy *copies,
                        size_t ncopies, sg_hits *out)
{
	if (out->max)
		return sg_error_set(SG_EINVALID, "derived hits cannot be capped");
	if (!p->built || p->nkeywords == 0)
		return 0;
	/* a text made mostly of new bytes, or of copies too short to leave much
	 * between their seams, is searched whole: the same hits, found faster */
	size_t fresh, nw = walk_windows(p, len, copies, ncopies, NULL, &fresh);
	if (fresh > len / 2)
		return sg_prefilter_scan(p, data, len, out);
	/* the windows, then their bytes joined, in the list's own scratch (no
	 * allocation per text once it has grown) */
	size_t need = nw * sizeof(window) + fresh + nw;
	if (out->scratch_cap < need) {
		void *t = realloc(out->scratch, need);
		if (!t)
			return sg_error_set(SG_ENOMEM, "out of memory");
		out->scratch = t;
		out->scratch_cap = need;
	}
	window *w = out->scratch;
	walk_windows(p, len, copies, ncopies, w, &fresh);
	size_t first = out->count;
	int r = 0;
	for (size_t i = 0; i < ncopies && r == 0; i++)
		r = move_copied(&copies[i], base_hits, nbase, out);
	size_t mid = out->count;
	if (r == 0 && nw)
		r = scan_windows(p, data, w, nw, (char *)(w + nw), copies, ncopies, out);
	if (r != 0)
		return r < 0 ? r : 0;
	return merge_runs(out, first, mid);
}

/* ---- the prefilter as a blob, built once at build time and embedded ---- */

#define BLOB_MAGIC "SGPF1\n\0\0"

static void put32(FILE *f, uint32_t v)
{
	unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
	                      (unsigned char)(v >> 24)};
	fwrite(b, 1, 4, f);
}

int sg_prefilter_write(const sg_prefilter *p, FILE *f)
{
	if (!p->built)
		return sg_error_set(SG_EINVALID, "prefilter not built");
	/* the caller has aligned f to 4 bytes; everything below stays aligned */
	fwrite(BLOB_MAGIC, 1, 8, f);
	put32(f, (uint32_t)p->nkeywords);
	put32(f, p->nclasses);
	put32(f, p->nstates);
	put32(f, p->maxlen);
	put32(f, p->noutputs);
	fwrite(p->classes, 1, 256, f);
	for (size_t k = 0; k < p->nkeywords; k++) {
		put32(f, p->keywords[k].len);
		put32(f, p->keywords[k].rule);
	}
	/* tables in native order: the blob is made and read on the same machine */
	fwrite(p->delta, 4, (size_t)p->nstates * p->nclasses, f);
	fwrite(p->out_start, 4, (size_t)p->nstates + 1, f);
	fwrite(p->outputs, 4, p->noutputs, f);
	return ferror(f) ? sg_error_set(SG_EIO, "write failed") : 0;
}

static uint32_t get32(const unsigned char *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

int sg_prefilter_read(sg_prefilter **out, const char *data, size_t len)
{
	const unsigned char *d = (const unsigned char *)data;
	*out = NULL;
	if (((uintptr_t)data & 3) || len < 28 + 256 || memcmp(data, BLOB_MAGIC, 8) != 0)
		return sg_error_set(SG_EINVALID, "embedded prefilter: bad blob");
	uint32_t nk = get32(d + 8), nc = get32(d + 12), ns = get32(d + 16), maxlen = get32(d + 20),
	         no = get32(d + 24);
	size_t need = 28 + 256 + (size_t)nk * 8 + ((size_t)ns * nc + ns + 1 + no) * 4;
	if (nc == 0 || nc > 256 || ns == 0 || ns > MAX_STATES || need > len)
		return sg_error_set(SG_EINVALID, "embedded prefilter: truncated blob");
	sg_prefilter *p = calloc(1, sizeof(*p));
	if (!p || !(p->keywords = calloc(nk ? nk : 1, sizeof(keyword)))) {
		free(p);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	memcpy(p->classes, d + 28, 256);
	const unsigned char *q = d + 28 + 256;
	for (uint32_t k = 0; k < nk; k++, q += 8)
		p->keywords[k] = (keyword){NULL, get32(q), get32(q + 4)};
	p->nkeywords = p->capkeywords = nk;
	set_classes(p, nc);
	p->nstates = ns;
	p->maxlen = maxlen;
	p->noutputs = no;
	/* the tables are used in place (4-byte aligned, native order) */
	p->delta = (uint32_t *)(uintptr_t)q;
	p->out_start = p->delta + (size_t)ns * nc;
	p->outputs = p->out_start + ns + 1;
	p->high_class0 = high_bytes_class0(p->classes);
	p->borrowed = 1;
	int fr = fill_out_hits(p);
	if (fr < 0) {
		sg_prefilter_free(p);
		return fr == SG_ENOMEM
		               ? sg_error_set(SG_ENOMEM, "out of memory")
		               : sg_error_set(SG_EINVALID,
		                              "embedded prefilter: an output names no keyword");
	}
	p->built = 1;
	*out = p;
	return 0;
}
