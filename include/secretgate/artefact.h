/* Artefacts: archives and packages opened in memory
 * (lib/sources/source_archive.c), container images inside them
 * (lib/sources/source_image.c), and encoded runs decoded and scanned again
 * (lib/engine/decode.c). Every source hands its chunks here rather
 * than to the scanner directly, so a jar committed to git is opened exactly
 * like a jar on disk. */
#ifndef SG_ARTEFACT_H
#define SG_ARTEFACT_H

#include <stddef.h>
#include <stdint.h>
#include "secretgate/secretgate.h"

/* Encodings a finding can have been found under (sg_finding.decoded). */
typedef enum {
	SG_DECODED_NONE = 0,
	SG_DECODED_BASE64,
	SG_DECODED_HEX,
	SG_DECODED_PERCENT,
	SG_DECODED_ESCAPE, /* \uXXXX, \xXX */
	SG_DECODED_HTML,   /* &#NN; &#xNN; &amp; ... */
	SG_DECODED_MAX
} sg_decoding;
const char *sg_decoding_name(unsigned d);

/* Defaults of sg_artefact_options, resolved from its zero fields. */
#define SG_ARCHIVE_DEPTH       4
#define SG_ARCHIVE_BYTES       (2ull << 30)
#define SG_ARCHIVE_RATIO       200
#define SG_ARCHIVE_RATIO_FLOOR (16ull << 20)
#define SG_ARCHIVE_MEMBERS     100000
#define SG_ARCHIVE_NAME        1024
#define SG_ARCHIVE_MEMBER_SIZE (100ull * 1000 * 1000)
#define SG_ARCHIVE_INFLIGHT    (256ull << 20)
#define SG_DECODE_DEPTH        2

/* What kind of archive data starts with, by magic bytes (0 = none). Reads at
 * most the first 32,774 bytes (an ISO 9660 volume descriptor). */
int sg_archive_detect(const char *data, size_t len);

/* Scan one chunk: an archive (by magic bytes) is opened in memory and each
 * member scanned as a chunk named "<path>!/<member>", nested archives too;
 * anything else is scanned as text, with encoded runs decoded. Line ranges
 * (git added lines) apply to text only: an archive is judged whole. Limits
 * and damaged members end in a notice; only out of memory fails. */
int sg_artefact_scan(sg_scanner *s, const char *data, size_t len, const sg_origin *origin,
                     const sg_line_ranges *lines, sg_findings *out, sg_notices *notices);

/* The same for an archive read from an open file (regular, seekable), so a
 * large image is never held in memory whole. Returns 1 when libarchive
 * cannot open it after all (the caller reads it as an ordinary file). */
int sg_artefact_scan_fd(sg_scanner *s, int fd, const sg_origin *origin, sg_findings *out,
                        sg_notices *notices);

/* Text only: the scanner, then the decoder over encoded runs (decode.c). */
int sg_decode_scan(sg_scanner *s, const char *data, size_t len, const sg_origin *origin,
                   const sg_line_ranges *lines, sg_findings *out, sg_notices *notices);

/* How the decoder classifies bytes: 0 portable, 1 AVX2, 2 AVX-512BW, 3
 * AVX-512 VBMI, as far as the CPU has them (by default the best it has).
 * Returns the level now in use. For tests, before threads start. */
int sg_decode_use_simd(int level);

/* The options the scanner was made with. */
const sg_scan_options *sg_scanner_options(const sg_scanner *s);
/* A new scanner with s's rules and options, for another thread reading
 * the same file (an image's layers); fails for a traced scanner. */
int sg_scanner_sibling(sg_scanner **out, const sg_scanner *s);
/* Count src's regex-limit hits as dst's (a sibling's, when it is done). */
void sg_scanner_absorb_limits(sg_scanner *dst, const sg_scanner *src);
/* 1 when verdicts are being recorded (sg_scanner_set_trace). */
int sg_scanner_traced(const sg_scanner *s);

/* The keyword prefilter of a finalized rule set (what its scanners search with). */
struct sg_prefilter;
struct sg_hit;
const struct sg_prefilter *sg_ruleset_prefilter(const sg_ruleset *rs);

/* What the pack reader knows of a chunk it has just made. */
struct sg_copy;
typedef struct sg_chunk_known {
	/* its keyword hits, all of them as sg_prefilter_scan with the
	 * scanner's prefilter gives them (hits_known 0: not known) */
	const struct sg_hit *hits;
	size_t nhits;
	int hits_known;
	/* the copies (in order of `at`) that made it from a text in which
	 * nothing decoded (sg_scanner_decode_quiet said so of it); NULL: none */
	const struct sg_copy *copies;
	size_t ncopies;
} sg_chunk_known;

/* Offer what is known of data[0, len): the next sg_scanner_scan of exactly
 * that chunk takes the hits instead of searching its bytes for keywords, and
 * the next sg_decode_scan of it decodes only the lines that no copy holds
 * whole, which finds what decoding all of it would. Each part holds for that
 * one call, and what it points to must stay valid until then. An offer, and
 * a withdrawal (data or known NULL), also clears the last decoding verdict:
 * another chunk is coming. */
void sg_scanner_offer(sg_scanner *s, const char *data, size_t len, const sg_chunk_known *known);
/* Whether the last sg_decode_scan was of exactly data[0, len) and nothing in
 * it decoded to text (no run or escape cluster got as far as the decoding
 * budget): what a text made from this one may rely on. */
int sg_scanner_decode_quiet(const sg_scanner *s, const char *data, size_t len);
/* For the decoder: the offer's copies when it is for exactly data[0, len)
 * (taken: they hold for one call), and what decoding it found. */
int sg_scanner_quiet_base(sg_scanner *s, const char *data, size_t len,
                          const struct sg_copy **copies, size_t *n);
void sg_scanner_note_quiet(sg_scanner *s, const char *data, size_t len, int quiet);

#endif
