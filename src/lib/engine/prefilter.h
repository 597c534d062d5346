/* One pass over a chunk finds every occurrence of every rule keyword,
 * case-insensitively (an Aho-Corasick automaton compiled to a DFA over
 * byte classes). Built once, read-only while scanning. */
#ifndef SG_PREFILTER_H
#define SG_PREFILTER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct sg_prefilter sg_prefilter;

/* A keyword occurrence: the rule it belongs to and where it ends. */
typedef struct sg_hit {
	uint32_t rule;
	uint32_t keyword_len;
	size_t end; /* offset just past the keyword */
} sg_hit;

/* Hits in order of end; ties (keywords ending at the same byte) in the
 * automaton's output order. */
typedef struct sg_hits {
	sg_hit *items;
	size_t count, cap;
	sg_hit *spare; /* scratch for putting the streams' hits in order */
	size_t spare_cap;
	void *scratch; /* sg_prefilter_derive's windows and their bytes */
	size_t scratch_cap;
	size_t max; /* stop collecting past this many (a chunk of nothing but keywords) */
	int truncated;
} sg_hits;

int sg_prefilter_new(sg_prefilter **out);
/* Add a keyword for rule index `rule`; keywords are folded to lowercase. */
int sg_prefilter_add(sg_prefilter *p, const char *keyword, uint32_t rule);
int sg_prefilter_build(sg_prefilter *p);
void sg_prefilter_free(sg_prefilter *p);
size_t sg_prefilter_states(const sg_prefilter *p);

/* Append every hit in data to hits, in order of end (hits->count is not
 * reset). */
int sg_prefilter_scan(const sg_prefilter *p, const char *data, size_t len, sg_hits *hits);
void sg_hits_free(sg_hits *h);

/* Part of a text made from another (a git delta): len bytes at `at` are the
 * base's bytes at `from`. */
typedef struct sg_copy {
	size_t at, len, from;
} sg_copy;

/* The hits of data[0, len), built from a base whose hits (all of them, as
 * sg_prefilter_scan gives them) are base_hits[0, nbase) and which gave the
 * copies (in order of `at`, not overlapping, inside data and the base):
 * a hit inside one copy is the base's, moved; only the bytes around what was
 * not copied are scanned. Appends to out exactly what sg_prefilter_scan of
 * data would (out->max must be 0: a capped list cannot be moved). */
int sg_prefilter_derive(const sg_prefilter *p, const char *data, size_t len,
                        const sg_hit *base_hits, size_t nbase, const sg_copy *copies,
                        size_t ncopies, sg_hits *out);
/* How many bytes of a text of len bytes made by those copies derive would
 * search (the rest of its hits are moved). */
size_t sg_prefilter_fresh(const sg_prefilter *p, size_t len, const sg_copy *copies, size_t ncopies);
/* Walk without the SIMD class map even where the CPU has it (tests compare
 * the two walks). */
void sg_prefilter_use_simd(int on);
/* 1 when the AVX-512 VBMI walks run: the CPU has them and they are allowed
 * (the scanner's search for start pairs follows the same switch). */
int sg_prefilter_simd_on(void);

/* Write a built prefilter as a blob (f positioned at a 4-byte boundary). */
int sg_prefilter_write(const sg_prefilter *p, FILE *f);
/* Use a blob in place (4-byte aligned, outliving the prefilter). */
int sg_prefilter_read(sg_prefilter **out, const char *data, size_t len);

#endif
