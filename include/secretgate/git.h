/* source_git: a git repository as a source of chunks, read only through
 * libgit2 (no git subprocess, no hooks, no filters, no config that runs
 * commands). Three modes: the staged index (pre-commit), a commit range
 * (CI, pre-push) and every blob of history (sweeps). */
#ifndef SG_SOURCE_GIT_H
#define SG_SOURCE_GIT_H

#include <stdint.h>
#include "secretgate/secretgate.h"

/* Progress of a history sweep, reported from worker threads. */
typedef struct sg_git_progress {
	uint64_t blobs_done, blobs_total;
	uint64_t bytes_done;
	double elapsed_ms;
	const char *what; /* what the counts count: NULL (blobs), "commits" in range mode */
} sg_git_progress;

typedef struct sg_git_options {
	uint64_t max_blob_size; /* 0 = 100 MB; larger blobs are skipped with a notice */
	int binary;             /* scan blobs with NUL bytes too */
	int jobs;               /* worker threads, 0 = cores */
	sg_scan_options scan;
	/* staged mode: called with each path the commit adds or changes (before
	 * its content is scanned), so a caller can judge paths themselves (the
	 * env gate blocks committed .env files); it may append findings to out.
	 * A negative result stops the scan. NULL = none. */
	int (*staged_path)(void *ctx, const char *path, sg_findings *out);
	void *staged_path_ctx;
	/* history and range modes: called now and then from a worker thread (serialised) */
	void (*progress)(void *ctx, const sg_git_progress *p);
	void *progress_ctx;
	/* staged mode: the index file to read, NULL = the repository's own. git
	 * names another one in GIT_INDEX_FILE for `commit -a`, `commit PATH`,
	 * `commit -i PATH`; the library never reads the environment itself. */
	const char *index_path;
	/* staged and range modes report a blob skipped as binary or over the
	 * size cap as a finding (skipped-binary, skipped-too-big): a warning that
	 * does not block, unless strict */
	int strict;
	/* range mode: diff every changed file of every commit (the reference
	 * path) instead of scanning each added blob once and diffing only the
	 * changes whose blob holds a finding; the findings are the same */
	int range_per_commit;
	/* staged mode: how the index is read. AUTO: by hand with its
	 * cache-tree (unchanged directories are skipped), libgit2 for any index
	 * or change that reader leaves to it; LIBGIT2: always libgit2 (the
	 * reference path); CACHE_TREE: by hand only, an error where it would
	 * leave the work to libgit2. The changes judged are the same. */
	enum { SG_GIT_INDEX_AUTO, SG_GIT_INDEX_LIBGIT2, SG_GIT_INDEX_CACHE_TREE } index_reader;
	/* history mode: how blobs are read. NATIVE: from the pack files by
	 * hand (libdeflate, a delta base cache), libgit2 for any object that
	 * reader leaves to it; LIBGIT2: always libgit2 (the reference path).
	 * The findings are the same. */
	enum { SG_GIT_PACK_NATIVE, SG_GIT_PACK_LIBGIT2 } pack_reader;
} sg_git_options;
#define SG_GIT_OPTIONS_INIT                                                                        \
	{                                                                                          \
		.scan = SG_SCAN_OPTIONS_INIT                                                       \
	}

typedef struct sg_git sg_git;

/* Open the repository holding path (searching upwards, like git). */
int sg_git_open(sg_git **out, const char *path);
void sg_git_free(sg_git *g);
/* The working-tree root with a trailing slash, or NULL for a bare repository. */
const char *sg_git_workdir(const sg_git *g);
/* The repository's git directory. */
const char *sg_git_dir(const sg_git *g);

/* What the next commit will add: the index against HEAD's tree (the empty
 * tree on an unborn branch or without HEAD). Only added lines are judged;
 * renamed and copied files only for what changed. */
int sg_git_scan_staged(sg_git *g, const sg_ruleset *rs, const sg_git_options *opts,
                       sg_findings *out, sg_scan_stats *stats, sg_notices *notices);

/* What a set of commits added, each against its first parent. revs are
 * "A..B", "A...B" (both sides of the merge base), "REV" (everything
 * reachable) and "^REV" (exclude). With all_refs every ref is included;
 * with exclude_remotes every remote-tracking ref is excluded (pre-push of a
 * new branch). A shallow clone's boundary is noted in stats->notice. */
typedef struct sg_git_range {
	const char *const *revs;
	size_t count;
	int all_refs;
	int exclude_remotes;
} sg_git_range;
int sg_git_scan_range(sg_git *g, const sg_ruleset *rs, const sg_git_options *opts,
                      const sg_git_range *range, sg_findings *out, sg_scan_stats *stats,
                      sg_notices *notices);

/* Every unique blob reachable from refs (all refs when count is 0), scanned
 * once in pack order, each finding attributed to the earliest commit and
 * path that carry its secret, with the number of other commits and paths. */
int sg_git_scan_history(sg_git *g, const sg_ruleset *rs, const sg_git_options *opts,
                        const char *const *refs, size_t count, sg_findings *out,
                        sg_scan_stats *stats, sg_notices *notices);

/* ---- shared by the git modes (internal) ---- */

/* Added line ranges of new against old (old may be NULL: every line).
 * Trailing whitespace and CR/LF changes do not make a line added. */
typedef struct sg_git_lines {
	uint32_t (*ranges)[2];
	size_t count, cap;
} sg_git_lines;
int sg_git_added_lines(sg_git_lines *out, const char *old, size_t old_len, const char *new_,
                       size_t new_len);
/* Keep only the lines in both a and b (a is updated). */
void sg_git_lines_intersect(sg_git_lines *a, const sg_git_lines *b);
void sg_git_lines_free(sg_git_lines *l);

#endif
