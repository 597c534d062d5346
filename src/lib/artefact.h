/* Artefacts: archives and packages opened in memory (source_archive.c),
 * container images inside them (source_image.c), and encoded runs decoded
 * and scanned again (decode.c). Every source hands its chunks here rather
 * than to the scanner directly, so a jar committed to git is opened exactly
 * like a jar on disk. */
#ifndef SG_ARTEFACT_H
#define SG_ARTEFACT_H

#include <stddef.h>
#include <stdint.h>
#include "secretgate.h"

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
 * large image is never held in memory whole. */
int sg_artefact_scan_fd(sg_scanner *s, int fd, const sg_origin *origin, sg_findings *out,
                        sg_notices *notices);

/* An image layer read from a file: whiteouts are recorded in img under
 * the name `layer` (an OCI layout directory's blobs/sha256/...). */
typedef struct sg_image sg_image;
int sg_artefact_scan_layer(sg_scanner *s, int fd, const sg_origin *origin, sg_image *img,
                           const char *layer, sg_findings *out, sg_notices *notices);

/* Text only: the scanner, then the decoder over encoded runs (decode.c). */
int sg_decode_scan(sg_scanner *s, const char *data, size_t len, const sg_origin *origin,
                   const sg_line_ranges *lines, sg_findings *out, sg_notices *notices);

/* The options the scanner was made with. */
const sg_scan_options *sg_scanner_options(const sg_scanner *s);

/* ---- container images (source_image.c), used by the archive walker ---- */

/* Start watching an archive's members for an image's manifest and config. */
int sg_image_new(sg_image **out);
void sg_image_free(sg_image *img);
/* A member of the archive: small JSON members are kept (manifest, index,
 * config); returns 1 when the member is worth keeping (then call keep). */
int sg_image_wants(const sg_image *img, const char *name, uint64_t size);
int sg_image_keep(sg_image *img, const char *name, const char *data, size_t len);
/* A whiteout entry (".wh.NAME" or ".wh..wh..opq") seen inside member `layer`. */
int sg_image_whiteout(sg_image *img, const char *layer, const char *entry);
/* After the walk: when the archive was an image, describe each finding in
 * out[first..] that came from it (layer number and digest, config,
 * hidden by a later layer's whiteout). Findings from the image are named
 * prefix + sep + member ("!/" inside an archive, "/" in a directory). */
int sg_image_annotate(sg_image *img, const char *prefix, const char *sep, sg_findings *out,
                      size_t first);

/* An OCI image layout directory (it holds an `oci-layout` file): every
 * blob scanned, layers in the manifest's order, findings described as for
 * an image tarball. `shown` is the directory as reported. */
int sg_image_scan_dir(sg_scanner *s, const char *root, const char *shown, sg_findings *out,
                      sg_notices *notices);
/* 1 when dir is an OCI image layout. */
int sg_image_is_layout_dir(const char *dir);

#endif
