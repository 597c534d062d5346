/* What source_git.c shares with history.c: per-thread workers (each its own
 * repository handle and object database, as libgit2 wants), blob reading
 * under the size cap, and error and notice helpers. */
#ifndef SG_SOURCE_GIT_INTERNAL_H
#define SG_SOURCE_GIT_INTERNAL_H

#include <git2.h>
#include "secretgate/git.h"

typedef struct sg_git_worker {
	git_repository *repo;
	int repo_borrowed; /* repo is the sg_git's own handle, not freed here */
	git_odb *odb;
	sg_scanner *scanner;
	sg_findings findings;
	const sg_git_options *opts;
	uint64_t max;
	git_odb_object *old_obj, *new_obj;
	sg_git_lines lines, other;
	uint64_t blobs, bytes, binary, too_big, other_skipped, errors;
	/* gate modes (staged, range): a blob skipped for its content or size is
	 * a finding of its own, so a skip is never a silent pass */
	int gate;
	enum { SG_GIT_READ_OK, SG_GIT_SKIP_BINARY, SG_GIT_SKIP_TOO_BIG } last_skip;
	size_t last_size;
} sg_git_worker;

/* Set the last error from libgit2's: "<what>: <libgit2 message>". */
int sg_git_error(int code, const char *what);
git_repository *sg_git_repository(sg_git *g);
/* Format a one-line notice into the handle and point stats->notice at it. */
void sg_git_set_notice(sg_git *g, sg_scan_stats *st, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
/* ISO 8601 with the signature's own offset. */
void sg_git_format_date(char *out, size_t n, const git_time *t);
/* Every ref matching glob (NULL: all refs and HEAD) peeled to a commit. */
int sg_git_refs(sg_git *g, const char *glob, git_oid **out, size_t *n);

/* The commits a range's revision arguments include and exclude (A..B: B and
 * A; A...B: A and B, and their merge base; ^A: A), leaving out --all-refs and
 * --exclude-remotes. The caller frees both arrays. */
int sg_git_range_tips(sg_git *g, const sg_git_range *range, git_oid **inc, size_t *ninc,
                      git_oid **exc, size_t *nexc);

/* A worker opens its own handle on gitdir, or borrows SHARED (not NULL)
 * when no other thread uses it meanwhile. */
int sg_git_worker_init(sg_git_worker *w, const char *gitdir, git_repository *shared,
                       const sg_ruleset *rs, const sg_git_options *opts);
void sg_git_worker_free(sg_git_worker *w);
/* Add the worker's counters and regex-limit notices to st and nt. */
void sg_git_worker_stats(sg_git_worker *w, sg_scan_stats *st, sg_notices *nt);
/* Read a blob after checking its size in the header. With sniff, blobs that
 * look binary are skipped unless opts->binary. 1 read, 0 skipped, <0 error. */
int sg_git_worker_read(sg_git_worker *w, git_odb_object **obj, const git_oid *id, const char *path,
                       int sniff, sg_notices *nt);
/* The packs a sweep reads by hand, with one reader per worker (made on
 * first use); packs NULL: every object through libgit2. */
struct sg_packs;
struct sg_pack_reader;
typedef struct sg_git_packed {
	const struct sg_packs *packs;
	struct sg_pack_reader **readers;
	size_t n;           /* workers */
	size_t cache_bytes; /* each reader's delta base cache */
	/* the prefilter whose hits each reader keeps beside its blobs
	 * (sg_pack_reader_keep_hits); NULL: none kept */
	const struct sg_prefilter *keep_hits;
} sg_git_packed;
/* Readers of packs (borrowed; NULL: none) for n workers. 0 or SG_ENOMEM. */
int sg_git_packed_open(sg_git_packed *pk, const struct sg_packs *packs, size_t n,
                       size_t cache_bytes);
/* Worker wid's reader, made on first use; *out NULL when pk reads nothing. */
int sg_git_packed_reader(const sg_git_packed *pk, int wid, struct sg_pack_reader **out);
void sg_git_packed_close(sg_git_packed *pk);
/* A blob for the sweeps: from the pack entry at (pack, offset) by hand when
 * it can be (pack UINT32_MAX: in none), else through libgit2 by id, and
 * sniffed as sg_git_worker_read does. 1 with *data and *len (valid until the
 * worker's next read), 0 skipped (last_skip says why), <0 error. */
int sg_git_worker_read_packed(sg_git_worker *w, const sg_git_packed *pk, int wid, uint32_t pack,
                              uint64_t offset, const git_oid *id, const char *path, sg_notices *nt,
                              const char **data, size_t *len);
/* After the scan of a blob sg_git_worker_read_packed read from the packs:
 * when nothing in it decoded to text, its reader remembers that, so the
 * blobs made from it are decoded only where they differ. */
void sg_git_worker_scanned_packed(sg_git_worker *w, const sg_git_packed *pk, int wid,
                                  const char *data, size_t len);
/* A tree's bytes: from the packs by hand with tr when it can (valid until
 * tr's next read; tr NULL: never), else through libgit2 from odb (*obj, which
 * the caller frees). Trees larger than SG_GIT_MAX_TREE_BYTES go to libgit2. */
#define SG_GIT_MAX_TREE_BYTES (256u << 20)
int sg_git_tree_bytes(struct sg_pack_reader *tr, git_odb *odb, const git_oid *id, const char **p,
                      size_t *len, git_odb_object **obj);
/* Whether a blob's bytes are scanned: those that look binary are not
 * (counted, last_skip set) unless opts->binary, keystores and archives are. */
int sg_git_worker_wants(sg_git_worker *w, const char *path, const char *data, size_t len);
/* Scan what new_id adds against old_id (NULL: all of it) and, for a merge,
 * against every other parent's version too. */
int sg_git_worker_scan_change(sg_git_worker *w, const git_oid *old_id, const git_oid *new_id,
                              const git_oid *const *others, size_t nothers, sg_origin *origin,
                              sg_notices *nt);
/* Run work over n items on worker threads (at least per_thread items each),
 * then move their findings into out and their counters into st. gate: the
 * workers report skipped blobs as findings (staged and range modes). */
int sg_git_run_workers(sg_git *g, const sg_ruleset *rs, const sg_git_options *opts, int gate,
                       size_t n, size_t per_thread, int (*work)(void *, int, size_t), void *ctx,
                       sg_git_worker **workers_out, sg_findings *out, sg_scan_stats *st,
                       sg_notices *nt);

/* Scan a commit's message (path "commit:<id>", with author and date). */
int sg_git_worker_scan_message(sg_git_worker *w, git_commit *c);
/* The same for commit id: its raw text from the packs with reader (NULL:
 * not), taken as libgit2 takes it (the first author line, the message after
 * the header's first empty line up to a NUL); libgit2 reads any commit the
 * reader cannot give or whose header is not as git writes it. */
int sg_git_worker_scan_commit_message(sg_git_worker *w, struct sg_pack_reader *reader,
                                      const git_oid *id);
struct sg_oidmap;
struct sg_commit_graph;

/* A change the caller found itself: the blob a commit leaves at path, and
 * the file its first parent has there (has_old), if any. */
typedef struct sg_git_known_change {
	const char *path;
	git_oid blob, old;
	int has_old;
} sg_git_known_change;
/* Which changes of a commit a range scan judges: keep() says yes for the
 * blob a change leaves at path. known() (may be NULL) gives the item-th
 * commit's changes to judge without a diff of its trees, or none (*n = 0):
 * then its trees are diffed and renames found as always, and only the
 * changes keep() says yes to are judged. The caller gives changes only for
 * a commit that deletes no path, where no rename can pair with them. */
typedef struct sg_git_change_filter {
	int (*keep)(void *ctx, const git_oid *blob, const char *path);
	void (*known)(void *ctx, size_t item, const sg_git_known_change **changes, size_t *n);
	void *ctx;
} sg_git_change_filter;
/* Judge commits[0..n) (graph node indexes) one by one against their first
 * parent, as range mode defines it. With a filter, only the changes it
 * keeps are judged and the messages are not (the caller has). */
int sg_git_range_commits(sg_git *g, const sg_ruleset *rs, const sg_git_options *opts,
                         struct sg_commit_graph *graph, const uint32_t *commits, size_t n,
                         const sg_git_change_filter *filter, sg_findings *out, sg_scan_stats *st,
                         sg_notices *nt);
/* The same findings as sg_git_range_commits with no filter, blob first:
 * every blob the commits add is scanned once whole, and only the changes
 * whose blob holds a finding (or is skipped) are then diffed and judged by
 * sg_git_range_commits (range_blobs.c). */
int sg_git_range_blobs(sg_git *g, const sg_ruleset *rs, const sg_git_options *opts,
                       struct sg_commit_graph *graph, const uint32_t *commits, size_t n,
                       sg_findings *out, sg_scan_stats *st, sg_notices *nt);

/* One change the next commit makes, as staged mode judges it. */
typedef struct sg_staged_change {
	git_delta_t status; /* GIT_DELTA_ADDED or GIT_DELTA_MODIFIED */
	char *path;
	uint32_t old_mode, new_mode;
	git_oid old_id, new_id;
} sg_staged_change;
/* The changes from head (NULL: none yet) to the index file at index_path
 * (NULL: the repository's own), in path order, read with the index's
 * cache-tree so that unchanged directories are not read (staged_index.c).
 * 0 and the changes; 1, with the reason in why, when the index or the
 * change needs libgit2's diff instead; <0 on error. */
int sg_git_staged_from_index(git_repository *repo, const char *index_path, const git_tree *head,
                             sg_staged_change **out, size_t *n, char *why, size_t why_len);
void sg_staged_changes_free(sg_staged_change *c, size_t n);

/* Scan the messages of annotated tags: those named, and those reachable from
 * refs whose commit is in targets (every one when targets is NULL). Paths
 * are "tag:<name>", with the tagger and date. */
int sg_git_scan_tags(sg_git *g, const sg_ruleset *rs, const sg_git_options *opts,
                     const struct sg_oidmap *targets, const git_oid *named, size_t nnamed,
                     sg_findings *out, sg_scan_stats *st, sg_notices *nt);

#endif
