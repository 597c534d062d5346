/* The archive walker's state, shared (internal to lib/sources) by the
 * walker (source_archive.c) and the parallel reader of large uncompressed
 * tarballs such as images (archive_parallel.c). */
#ifndef SG_SOURCES_ARCHIVE_WALK_H
#define SG_SOURCES_ARCHIVE_WALK_H

#include <archive.h>
#include "lib/sources/image.h"

#define ARCHIVE_READ_BLOCK    (256u * 1024)
#define ARCHIVE_MAX_DEPTH_CAP 16 /* --archive-depth cannot go past this */

enum { ARCHIVE_KIND_NONE = 0, ARCHIVE_KIND_STREAM = 1, ARCHIVE_KIND_SEEK = 2 };

/* What the whole-file limits count. One per top-level file; the workers
 * reading one file in parallel share it (updated atomically). */
typedef struct walk_totals {
	uint64_t total;   /* uncompressed bytes read so far */
	uint64_t members; /* members seen */
	int stop;         /* a whole-file limit was reached */
} walk_totals;

typedef struct archive_parallel archive_parallel;

typedef struct walk {
	sg_scanner *s;
	sg_findings *out;
	sg_notices *nt;
	sg_origin base; /* the top-level chunk's origin (git fields) */
	const char *top;
	unsigned max_depth, max_name;
	uint64_t max_bytes, max_ratio, max_members, max_member;
	uint64_t in_size; /* bytes of the top-level file as stored */
	walk_totals *t;   /* &own, or the file's shared totals */
	walk_totals own;
	int top_damaged;       /* the top-level archive broke off */
	archive_parallel *par; /* set: the top level's members are queued, not read */
	int mapped;            /* reading a mapped file: uncompressed tar members in place */
	char *buf[ARCHIVE_MAX_DEPTH_CAP + 2];
	size_t cap[ARCHIVE_MAX_DEPTH_CAP + 2];
	char drain[ARCHIVE_READ_BLOCK];
} walk;

/* A libarchive reader for every format the walker opens. */
struct archive *archive_reader_new(void);
/* Count n bytes against the whole-file limits; 1 when a limit was reached. */
int archive_walk_account(walk *w, size_t n, const char *path);
/* Walk the members of an opened archive (at `depth`; `layer` names it when
 * it is a member of the image `parent_img`). */
int archive_walk(walk *w, struct archive *a, const char *path, unsigned depth, sg_image *parent_img,
                 const char *layer);
/* A member whose bytes are all in memory: opened when it is an archive
 * (kind, from sg_archive_detect), else scanned. */
int archive_walk_memory(walk *w, const char *data, size_t len, const char *mpath, unsigned depth,
                        sg_image *img, const char *name, int kind);
/* Free the walk's buffers (not the walk). */
void archive_walk_release(walk *w);

/* The parallel reader (archive_parallel.c). archive_parallel_open maps an
 * uncompressed tarball and returns 1 with *out set and *a opened over the
 * mapping, 0 when the file is not one (or one worker was asked for). */
int archive_parallel_open(archive_parallel **out, struct archive **a, sg_scanner *s, int fd,
                          uint64_t size);
/* Queue the current member of `a` (the top level's) for a worker. */
int archive_parallel_defer(walk *w, struct archive *a, const char *mpath, const char *name,
                           int64_t size, sg_image *img);
/* The current member of `a`, an uncompressed tar read from memory: its
 * bytes in place, without a copy, then as archive_walk_memory. */
int archive_parallel_member(walk *w, struct archive *a, const char *mpath, unsigned depth,
                            sg_image *img, const char *name, int64_t size);
/* Read every queued member on the workers; their findings are appended to
 * w->out in the members' order. */
int archive_parallel_run(walk *w, sg_image *img);
void archive_parallel_free(archive_parallel *p);

#endif
