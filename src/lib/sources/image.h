/* Container images for the archive walker (internal to lib/sources):
 * source_image.c collects an image's manifest, config and whiteouts while
 * source_archive.c reads it, then describes the findings. */
#ifndef SG_SOURCES_IMAGE_H
#define SG_SOURCES_IMAGE_H

#include "secretgate/artefact.h"

typedef struct sg_image sg_image;

/* An image layer read from a file: whiteouts are recorded in img under
 * the name `layer` (an OCI layout directory's blobs/sha256/...). */
int sg_artefact_scan_layer(sg_scanner *s, int fd, const sg_origin *origin, sg_image *img,
                           const char *layer, sg_findings *out, sg_notices *notices);

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
