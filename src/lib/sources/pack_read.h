/* pack_read: blobs read straight from the repository's .pack files (mapped,
 * entries inflated whole with libdeflate, git deltas applied, recent delta
 * bases kept), for the history sweep. The packs are untrusted: every size
 * and offset is checked, and anything this reader does not handle is left
 * to libgit2 (SG_PACK_FALLBACK), so no object is ever lost by using it. */
#ifndef SG_PACK_READ_H
#define SG_PACK_READ_H

#include <stddef.h>
#include <stdint.h>

/* Longest delta chain followed (git itself writes at most 4,095). */
#define SG_PACK_MAX_CHAIN 4096
/* The delta base cache of a sweep, over all its readers. On curl's history
 * in pack order 32 MB finds 93% of the bases, as many as git's 96 MB
 * (core.deltaBaseCacheLimit) and 16 MB do, at a third of the memory. */
#ifndef SG_PACK_CACHE_BYTES
#define SG_PACK_CACHE_BYTES (32u << 20)
#endif
/* sg_pack_read_blob: this object is to be read by libgit2 instead. */
#define SG_PACK_FALLBACK 1

/* The packs of one repository, numbered as sg_pack_positions numbers them;
 * shared read-only between threads once opened. */
typedef struct sg_packs sg_packs;

/* Map each NAMES[i] (an .idx file in DIR) and its .pack. A pack whose
 * files are missing, of an unknown version or object format, or whose index
 * does not name the pack, is left out: reads from it return
 * SG_PACK_FALLBACK. 0, or SG_ENOMEM. */
int sg_packs_open(sg_packs **out, const char *dir, char *const *names, size_t n);
/* A set of one pack held in memory (tests and fuzzing): the caller keeps
 * both buffers alive; idx may be NULL (then REF_DELTA entries fall back). */
int sg_packs_from_memory(sg_packs **out, const unsigned char *pack, size_t pack_size,
                         const unsigned char *idx, size_t idx_size);
void sg_packs_free(sg_packs *p);
/* Let go of the pages of pack number pack between two offsets, once read:
 * they stay in the page cache, but not in this process's resident set (a
 * later read maps them again). */
void sg_packs_release(const sg_packs *p, uint32_t pack, uint64_t from, uint64_t to);

/* One thread's reader: its inflater, buffers and delta base cache of
 * cache_bytes (0: none). */
typedef struct sg_pack_reader sg_pack_reader;
int sg_pack_reader_new(sg_pack_reader **out, const sg_packs *packs, size_t cache_bytes);
void sg_pack_reader_free(sg_pack_reader *r);

/* The blob whose entry starts at offset in pack number pack: 0 with *data
 * and *len (valid until the reader's next call), SG_PACK_FALLBACK when the
 * object is not a blob, is larger than max_size (its final size or any
 * base's), or anything about its entries is unusual (the reason is in
 * sg_pack_reader_why), SG_ENOMEM. */
int sg_pack_read_blob(sg_pack_reader *r, uint32_t pack, uint64_t offset, uint64_t max_size,
                      const unsigned char **data, size_t *len);
/* Any object of type want (SG_PACK_COMMIT, SG_PACK_TREE, SG_PACK_BLOB), the
 * same way. */
#define SG_PACK_COMMIT 1
#define SG_PACK_TREE   2
#define SG_PACK_BLOB   3
int sg_pack_read(sg_pack_reader *r, uint32_t pack, uint64_t offset, int want, uint64_t max_size,
                 const unsigned char **data, size_t *len);
/* Object id (20 bytes) of type want, found in the reader's packs and read
 * as sg_pack_read reads it; SG_PACK_FALLBACK also when no pack holds it. */
int sg_pack_read_id(sg_pack_reader *r, const unsigned char *id, int want, uint64_t max_size,
                    const unsigned char **data, size_t *len);
/* Where object id (20 bytes) is: 0 with its pack and offset, 1 in none of
 * the packs read here. */
int sg_packs_find(const sg_packs *p, const unsigned char *id, uint32_t *pack, uint64_t *offset);
/* Why the last read fell back (a static string), "" after a read. */
const char *sg_pack_reader_why(const sg_pack_reader *r);
/* Keep each blob's keyword hits (prefilter p, borrowed) beside it in the
 * delta base cache, so a blob made from a cached base gets its hits from
 * the base's (sg_prefilter_derive) instead of a scan of all its bytes. Once,
 * before the first read; no effect on a reader without a cache. 0,
 * SG_ENOMEM, or SG_EINVALID when the reader keeps hits already. */
struct sg_prefilter;
struct sg_hit;
struct sg_copy;
int sg_pack_reader_keep_hits(sg_pack_reader *r, const struct sg_prefilter *p);
/* The hits of the blob the last successful read returned (all of them, in
 * the order sg_prefilter_scan gives; valid until the next read): 1 with
 * *hits and *n, 0 when they are not known. */
int sg_pack_reader_hits(const sg_pack_reader *r, const struct sg_hit **hits, size_t *n);
/* Whether the last blob read was made, in one delta, from an object marked
 * quiet; *copies, *n: the delta's copies (valid until the next read). */
int sg_pack_reader_quiet_base(const sg_pack_reader *r, const struct sg_copy **copies, size_t *n);
/* Mark the last object read quiet: nothing in it decoded to text
 * (sg_scanner_decode_quiet), so a text made from it need only be decoded
 * where it differs. Kept while the object is in the cache. */
void sg_pack_reader_mark_quiet(sg_pack_reader *r);
/* Counters: objects read here, fallbacks, delta bases found in the cache. */
typedef struct sg_pack_stats {
	uint64_t read, fallback, cache_hits;
} sg_pack_stats;
sg_pack_stats sg_pack_reader_stats(const sg_pack_reader *r);

#endif
