/* Git repositories as a source: the staged index for pre-commit, commit
 * ranges for CI and pre-push. Blobs are read from the object database and
 * only the lines a change adds are judged. History mode is in history.c. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <git2.h>
#include "util/pool.h"
#include "util/progress.h"
#include "secretgate/git.h"
#include "lib/sources/source_git_internal.h"
#include "lib/sources/pack_order.h"
#include "lib/sources/pack_read.h"
#include "lib/sources/commit_walk.h"
#include "lib/sources/sniff.h"
#include "lib/engine/credfile.h"
#include "secretgate/artefact.h"
#include "util/grow.h"

#define DEFAULT_MAX_BLOB (100ull * 1000 * 1000)
#define MAX_RANGE_TIPS   100000

struct sg_git {
	git_repository *repo;
	char *gitdir;
	char notice[512];
};

int sg_git_error(int code, const char *what)
{
	const git_error *e = git_error_last();
	return sg_error_set(code, "%s: %s", what, e && e->message ? e->message : "unknown error");
}

int sg_git_open(sg_git **out, const char *path)
{
	*out = NULL;
	git_libgit2_init();
	sg_git *g = calloc(1, sizeof(*g));
	if (!g)
		return sg_error_set(SG_ENOMEM, "out of memory");
	if (git_repository_open_ext(&g->repo, path, 0, NULL) < 0) {
		const git_error *e = git_error_last();
		int notfound =
		        e && e->klass == GIT_ERROR_REPOSITORY && strstr(e->message, "not found");
		sg_error_set(notfound ? SG_ENOTFOUND : SG_EIO, "%s: %s", path,
		             notfound ? "not a git repository (or any parent up to /)"
		                      : (e ? e->message : "cannot open the repository"));
		free(g);
		return notfound ? SG_ENOTFOUND : SG_EIO;
	}
	if (!(g->gitdir = strdup(git_repository_path(g->repo)))) {
		sg_git_free(g);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	*out = g;
	return 0;
}

void sg_git_free(sg_git *g)
{
	if (!g)
		return;
	git_repository_free(g->repo);
	free(g->gitdir);
	free(g);
}

const char *sg_git_workdir(const sg_git *g)
{
	return git_repository_workdir(g->repo);
}

const char *sg_git_dir(const sg_git *g)
{
	return g->gitdir;
}

git_repository *sg_git_repository(sg_git *g)
{
	return g->repo;
}

void sg_git_set_notice(sg_git *g, sg_scan_stats *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(g->notice, sizeof(g->notice), fmt, ap);
	va_end(ap);
	if (st)
		st->notice = g->notice;
}

/* ---- added lines ---- */

void sg_git_lines_free(sg_git_lines *l)
{
	free(l->ranges);
	memset(l, 0, sizeof(*l));
}

static int lines_push(sg_git_lines *l, uint32_t from, uint32_t to)
{
	if (l->count && l->ranges[l->count - 1][1] + 1 >= from) {
		if (to > l->ranges[l->count - 1][1])
			l->ranges[l->count - 1][1] = to;
		return 0;
	}
	if (l->count == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 16;
		uint32_t(*r)[2] = realloc(l->ranges, ncap * sizeof(*r));
		if (!r)
			return sg_error_set(SG_ENOMEM, "out of memory");
		l->ranges = r;
		l->cap = ncap;
	}
	l->ranges[l->count][0] = from;
	l->ranges[l->count][1] = to;
	l->count++;
	return 0;
}

/* With no context lines, every line on the new side of a hunk is an added one. */
typedef struct hunk_sink {
	sg_git_lines *lines;
	int failed;
} hunk_sink;

static int hunk_added(const git_diff_delta *d, const git_diff_hunk *h, void *payload)
{
	hunk_sink *sink = payload;
	(void)d;
	if (h->new_lines == 0)
		return 0;
	if (lines_push(sink->lines, (uint32_t)h->new_start,
	               (uint32_t)(h->new_start + h->new_lines - 1)) < 0) {
		sink->failed = 1;
		return -1;
	}
	return 0;
}

int sg_git_added_lines(sg_git_lines *out, const char *old, size_t old_len, const char *new_,
                       size_t new_len)
{
	out->count = 0;
	if (!old)
		return lines_push(out, 1, UINT32_MAX);
	git_diff_options o;
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.context_lines = 0;
	o.interhunk_lines = 0;
	/* Attributes in the scanned repository must not hide lines: no binary
	 * detection by the diff (we sniff ourselves), and CR/LF or trailing
	 * whitespace changes do not make old lines count as new. */
	o.flags = GIT_DIFF_FORCE_TEXT | GIT_DIFF_IGNORE_WHITESPACE_EOL;
	hunk_sink sink = {out, 0};
	int e = git_diff_buffers(old, old_len, NULL, new_, new_len, NULL, &o, NULL, NULL,
	                         hunk_added, NULL, &sink);
	if (e < 0)
		return sink.failed ? SG_ENOMEM : sg_git_error(SG_ERROR, "diff");
	return 0;
}

void sg_git_lines_intersect(sg_git_lines *a, const sg_git_lines *b)
{
	/* both lists are sorted and disjoint; the overlap of two such lists
	 * has at most count(a) + count(b) ranges */
	size_t i = 0, j = 0, k = 0, cap = a->count + b->count;
	uint32_t(*res)[2] = cap ? malloc(cap * sizeof(*res)) : NULL;
	if (!res) {
		a->count = 0; /* nothing new on both sides, or no memory to tell */
		return;
	}
	while (i < a->count && j < b->count) {
		uint32_t lo = a->ranges[i][0] > b->ranges[j][0] ? a->ranges[i][0] : b->ranges[j][0];
		uint32_t hi = a->ranges[i][1] < b->ranges[j][1] ? a->ranges[i][1] : b->ranges[j][1];
		if (lo <= hi) {
			res[k][0] = lo;
			res[k][1] = hi;
			k++;
		}
		if (a->ranges[i][1] < b->ranges[j][1])
			i++;
		else
			j++;
	}
	free(a->ranges);
	a->ranges = res;
	a->cap = cap;
	a->count = k;
}

/* ---- workers: one repository handle, odb, scanner and buffers each ---- */

int sg_git_worker_init(sg_git_worker *w, const char *gitdir, git_repository *shared,
                       const sg_ruleset *rs, const sg_git_options *opts)
{
	memset(w, 0, sizeof(*w));
	sg_findings_init(&w->findings, 0);
	w->opts = opts;
	w->max = opts->max_blob_size ? opts->max_blob_size : DEFAULT_MAX_BLOB;
	if (shared)
		w->repo = shared, w->repo_borrowed = 1;
	else if (git_repository_open_ext(&w->repo, gitdir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
		return sg_git_error(SG_EIO, gitdir);
	if (git_repository_odb(&w->odb, w->repo) < 0)
		return sg_git_error(SG_EIO, "object database");
	return sg_scanner_new(&w->scanner, rs, &opts->scan);
}

void sg_git_worker_free(sg_git_worker *w)
{
	git_odb_object_free(w->old_obj);
	git_odb_object_free(w->new_obj);
	git_odb_free(w->odb);
	if (!w->repo_borrowed)
		git_repository_free(w->repo);
	sg_scanner_free(w->scanner);
	sg_findings_free(&w->findings);
	sg_git_lines_free(&w->lines);
	sg_git_lines_free(&w->other);
	memset(w, 0, sizeof(*w));
}

void sg_git_worker_stats(sg_git_worker *w, sg_scan_stats *st, sg_notices *nt)
{
	st->files += w->blobs;
	st->bytes += w->bytes;
	st->skipped_binary += w->binary;
	st->skipped_too_big += w->too_big;
	st->skipped_other += w->other_skipped;
	st->errors += w->errors;
	sg_scanner_report_limits(w->scanner, st, nt, "blobs");
}

/* Read a blob into *obj after checking its size in the header, so an
 * oversized blob is never inflated. 1 read, 0 skipped (counted), <0 error. */
int sg_git_worker_read(sg_git_worker *w, git_odb_object **obj, const git_oid *id, const char *path,
                       int sniff, sg_notices *nt)
{
	size_t size;
	git_object_t type;
	git_odb_object_free(*obj);
	*obj = NULL;
	w->last_skip = SG_GIT_READ_OK;
	int e = git_odb_read_header(&size, &type, w->odb, id);
	if (e == GIT_ENOTFOUND) {
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), id);
		return sg_error_set(SG_ENOTFOUND,
		                    "%s: blob %s is missing from the object database (an "
		                    "incomplete clone or a damaged repository)",
		                    path, hex);
	}
	if (e < 0)
		return sg_git_error(SG_EIO, path);
	if (type != GIT_OBJECT_BLOB) {
		w->other_skipped++;
		return 0;
	}
	w->last_size = size;
	if ((uint64_t)size > w->max) {
		sg_notices_add(nt, "%s: %zu bytes, over the %llu-byte cap, skipped", path, size,
		               (unsigned long long)w->max);
		w->too_big++;
		w->last_skip = SG_GIT_SKIP_TOO_BIG;
		return 0;
	}
	if (git_odb_read(obj, w->odb, id) < 0)
		return sg_git_error(SG_EIO, path);
	if (sniff &&
	    !sg_git_worker_wants(w, path, git_odb_object_data(*obj), git_odb_object_size(*obj))) {
		git_odb_object_free(*obj);
		*obj = NULL;
		return 0;
	}
	return 1;
}

int sg_git_packed_open(sg_git_packed *pk, const sg_packs *packs, size_t n, size_t cache_bytes)
{
	memset(pk, 0, sizeof(*pk));
	if (!packs)
		return 0;
	if (!(pk->readers = calloc(n ? n : 1, sizeof(*pk->readers))))
		return sg_error_set(SG_ENOMEM, "out of memory");
	pk->packs = packs;
	pk->n = n;
	pk->cache_bytes = cache_bytes;
	return 0;
}

int sg_git_packed_reader(const sg_git_packed *pk, int wid, sg_pack_reader **out)
{
	*out = NULL;
	if (!pk->packs || wid < 0 || (size_t)wid >= pk->n)
		return 0;
	if (!pk->readers[wid]) {
		int r = sg_pack_reader_new(&pk->readers[wid], pk->packs, pk->cache_bytes);
		if (r == 0 && pk->keep_hits)
			r = sg_pack_reader_keep_hits(pk->readers[wid], pk->keep_hits);
		if (r < 0)
			return r;
	}
	*out = pk->readers[wid];
	return 0;
}

void sg_git_packed_close(sg_git_packed *pk)
{
	for (size_t i = 0; pk->readers && i < pk->n; i++)
		sg_pack_reader_free(pk->readers[i]);
	free(pk->readers);
	memset(pk, 0, sizeof(*pk));
}

int sg_git_worker_read_packed(sg_git_worker *w, const sg_git_packed *pk, int wid, uint32_t pack,
                              uint64_t offset, const git_oid *id, const char *path, sg_notices *nt,
                              const char **data, size_t *len)
{
	const unsigned char *raw = NULL;
	git_odb_object_free(w->new_obj);
	w->new_obj = NULL;
	sg_pack_reader *rd = NULL;
	int r = pack != UINT32_MAX ? sg_git_packed_reader(pk, wid, &rd) : 0;
	if (r < 0)
		return r;
	if (pk->keep_hits) /* the last blob's, and its decoding's verdict */
		sg_scanner_offer(w->scanner, NULL, 0, NULL);
	r = rd ? sg_pack_read_blob(rd, pack, offset, w->max, &raw, len) : SG_PACK_FALLBACK;
	if (r < 0)
		return r;
	if (r == 0) {
		w->last_skip = SG_GIT_READ_OK;
		*data = (const char *)raw;
		if (pk->keep_hits) {
			sg_chunk_known k = {0};
			k.hits_known = sg_pack_reader_hits(rd, &k.hits, &k.nhits);
			if (!sg_pack_reader_quiet_base(rd, &k.copies, &k.ncopies))
				k.copies = NULL;
			sg_scanner_offer(w->scanner, *data, *len, &k);
		}
		return sg_git_worker_wants(w, path, *data, *len);
	}
	if ((r = sg_git_worker_read(w, &w->new_obj, id, path, 1, nt)) == 1) {
		*data = git_odb_object_data(w->new_obj);
		*len = git_odb_object_size(w->new_obj);
	}
	return r;
}

void sg_git_worker_scanned_packed(sg_git_worker *w, const sg_git_packed *pk, int wid,
                                  const char *data, size_t len)
{
	sg_pack_reader *rd = NULL;
	if (pk->keep_hits && sg_git_packed_reader(pk, wid, &rd) == 0 && rd &&
	    sg_scanner_decode_quiet(w->scanner, data, len))
		sg_pack_reader_mark_quiet(rd);
}

int sg_git_tree_bytes(sg_pack_reader *tr, git_odb *odb, const git_oid *id, const char **p,
                      size_t *len, git_odb_object **obj)
{
	const unsigned char *d;
	char hex[GIT_OID_HEXSZ + 1];
	*obj = NULL;
	if (tr && sg_pack_read_id(tr, id->id, SG_PACK_TREE, SG_GIT_MAX_TREE_BYTES, &d, len) == 0) {
		*p = (const char *)d;
		return 0;
	}
	if (git_odb_read(obj, odb, id) < 0) {
		git_oid_tostr(hex, sizeof(hex), id);
		return sg_git_error(SG_ENOTFOUND, hex);
	}
	if (git_odb_object_type(*obj) != GIT_OBJECT_TREE) {
		git_odb_object_free(*obj);
		*obj = NULL;
		git_oid_tostr(hex, sizeof(hex), id);
		return sg_error_set(SG_EINVALID, "%s: object is not a tree", hex);
	}
	*p = git_odb_object_data(*obj);
	*len = git_odb_object_size(*obj);
	return 0;
}

int sg_git_worker_wants(sg_git_worker *w, const char *path, const char *data, size_t len)
{
	/* a keystore is binary, and is itself the finding; an archive is opened */
	if (!w->opts->binary && sg_sniff_binary(path, data, len) && !sg_credfile_is_opaque(path) &&
	    (w->opts->scan.artefacts.no_archives || !sg_archive_detect(data, len))) {
		w->binary++;
		w->last_skip = SG_GIT_SKIP_BINARY;
		return 0;
	}
	return 1;
}

/* The lines of blob `new_id` added against `old_id` (NULL: a new file) and,
 * for merges, against each other parent's version. Returns 1 when nothing
 * was added (nothing to scan), 0 with w->lines filled, <0 on error. */
static int change_lines(sg_git_worker *w, const git_oid *old_id, const git_oid *const *others,
                        size_t nothers, const char *data, size_t len, const char *path,
                        sg_notices *nt)
{
	const char *old = NULL;
	size_t old_len = 0;
	if (old_id) {
		int r = sg_git_worker_read(w, &w->old_obj, old_id, path, 0, nt);
		if (r < 0)
			return r;
		if (r == 1) {
			old = git_odb_object_data(w->old_obj);
			old_len = git_odb_object_size(w->old_obj);
		}
	}
	int r = sg_git_added_lines(&w->lines, old, old_len, data, len);
	for (size_t i = 0; r == 0 && i < nothers && w->lines.count; i++) {
		r = sg_git_worker_read(w, &w->old_obj, others[i], path, 0, nt);
		if (r == 1)
			r = sg_git_added_lines(&w->other, git_odb_object_data(w->old_obj),
			                       git_odb_object_size(w->old_obj), data, len);
		if (r == 0)
			sg_git_lines_intersect(&w->lines, &w->other);
	}
	git_odb_object_free(w->old_obj);
	w->old_obj = NULL;
	if (r < 0)
		return r;
	return w->lines.count == 0;
}

/* A blob a gate did not look at is itself a finding: a warning, blocking
 * with --strict, fingerprinted by its content like any other. */
static int report_skip(sg_git_worker *w, const git_oid *id, const sg_origin *origin)
{
	char hex[GIT_OID_HEXSZ + 1], message[256];
	int binary = w->last_skip == SG_GIT_SKIP_BINARY;
	git_oid_tostr(hex, sizeof(hex), id);
	if (binary)
		snprintf(message, sizeof(message),
		         "not scanned: binary content (--binary scans it; --strict blocks)");
	else
		snprintf(message, sizeof(message),
		         "not scanned: %zu bytes, over the %llu-byte cap (--max-file-size; "
		         "--strict blocks)",
		         w->last_size, (unsigned long long)w->max);
	sg_finding f = {0};
	f.rule_id = binary ? "skipped-binary" : "skipped-too-big";
	f.description =
	        binary ? "File not scanned: binary content" : "File not scanned: over the size cap";
	f.severity = SG_SEV_MEDIUM;
	f.confidence = SG_CONF_HIGH;
	f.path = (char *)origin->path;
	f.commit = (char *)origin->commit;
	f.author = (char *)origin->author;
	f.email = (char *)origin->email;
	f.date = (char *)origin->date;
	f.blob = hex;
	f.line = f.end_line = f.column = f.end_column = 1;
	f.message = message;
	f.help = "A gate judges only what it reads. Check the file by hand, scan it with --binary "
	         "or a larger --max-file-size, or keep it out of the repository.";
	sg_fingerprint_name(f.fingerprint, f.rule_id, hex, strlen(hex));
	f.suppressed = w->opts->strict ? SG_SUPPRESS_NONE : SG_SUPPRESS_WARNING;
	return sg_findings_push(&w->findings, &f) < 0 ? SG_ENOMEM : 0;
}

int sg_git_worker_scan_change(sg_git_worker *w, const git_oid *old_id, const git_oid *new_id,
                              const git_oid *const *others, size_t nothers, sg_origin *origin,
                              sg_notices *nt)
{
	char hex[GIT_OID_HEXSZ + 1];
	/* the same content under a new name (a pure rename) adds nothing */
	if (old_id && git_oid_equal(old_id, new_id))
		return 0;
	int r = sg_git_worker_read(w, &w->new_obj, new_id, origin->path, 1, nt);
	if (r == 0 && w->gate && w->last_skip != SG_GIT_READ_OK)
		return report_skip(w, new_id, origin);
	if (r <= 0)
		return r;
	const char *data = git_odb_object_data(w->new_obj);
	size_t len = git_odb_object_size(w->new_obj);
	/* an archive has no lines to add: a changed one is judged whole */
	int archive = !w->opts->scan.artefacts.no_archives && sg_archive_detect(data, len);
	r = archive ? 0 : change_lines(w, old_id, others, nothers, data, len, origin->path, nt);
	if (r == 0) {
		git_oid_tostr(hex, sizeof(hex), new_id);
		origin->blob = hex;
		sg_line_ranges lr = {(const uint32_t(*)[2])w->lines.ranges, w->lines.count};
		w->blobs++;
		w->bytes += len;
		r = sg_artefact_scan(w->scanner, data, len, origin, archive ? NULL : &lr,
		                     &w->findings, nt);
		origin->blob = NULL;
	} else if (r == 1) {
		r = 0;
	}
	git_odb_object_free(w->new_obj);
	w->new_obj = NULL;
	return r;
}

static int is_file_mode(uint32_t mode)
{
	return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

/* ---- staged mode ---- */

typedef struct staged_item {
	git_oid old_id, new_id;
	int has_old;
	char *path;
} staged_item;

typedef struct staged_job {
	staged_item *items;
	sg_git_worker *workers;
	sg_notices *notices;
} staged_job;

static int staged_one(void *ctx, int wid, size_t i)
{
	staged_job *j = ctx;
	staged_item *it = &j->items[i];
	sg_origin o = {.path = it->path};
	return sg_git_worker_scan_change(&j->workers[wid], it->has_old ? &it->old_id : NULL,
	                                 &it->new_id, NULL, 0, &o, j->notices);
}

/* HEAD's tree, or NULL when there is none yet (unborn branch, no HEAD). */
static int head_tree(git_tree **out, git_repository *repo)
{
	git_reference *head = NULL;
	git_object *obj = NULL;
	*out = NULL;
	int e = git_repository_head(&head, repo);
	if (e == GIT_EUNBORNBRANCH || e == GIT_ENOTFOUND)
		return 0;
	if (e < 0)
		return sg_git_error(SG_EIO, "HEAD");
	e = git_reference_peel(&obj, head, GIT_OBJECT_TREE);
	git_reference_free(head);
	if (e < 0)
		return sg_git_error(SG_EIO, "HEAD");
	*out = (git_tree *)obj;
	return 0;
}

/* Range mode's progress: commits scanned of the range. */
static void range_tick(void *ctx, uint64_t done, uint64_t total, double elapsed_ms)
{
	const sg_git_options *opts = ctx;
	sg_git_progress p = {done, total, 0, elapsed_ms, "commits"};
	opts->progress(opts->progress_ctx, &p);
}

int sg_git_run_workers(sg_git *g, const sg_ruleset *rs, const sg_git_options *opts, int gate,
                       size_t n, size_t per_thread, int (*work)(void *, int, size_t), void *ctx,
                       sg_git_worker **workers_out, sg_findings *out, sg_scan_stats *st,
                       sg_notices *nt)
{
	int jobs = opts->jobs > 0 ? opts->jobs : sg_cores();
	/* a thread only pays for itself with enough items to share */
	if ((size_t)jobs > (n + per_thread - 1) / per_thread)
		jobs = (int)((n + per_thread - 1) / per_thread);
	if (jobs < 1)
		jobs = 1;
	sg_git_worker *w = calloc((size_t)jobs, sizeof(*w));
	if (!w)
		return sg_error_set(SG_ENOMEM, "out of memory");
	int r = 0;
	/* A lone worker runs while this thread only waits, so it borrows the
	 * open handle: a hook's staged scan then reads the repository's
	 * configuration, HEAD and refs once, not twice. Two or more workers
	 * each own a handle (libgit2 handles are not shared across threads). */
	for (int i = 0; i < jobs && r == 0; i++) {
		r = sg_git_worker_init(&w[i], g->gitdir, jobs == 1 ? sg_git_repository(g) : NULL,
		                       rs, opts);
		w[i].gate = gate;
	}
	*workers_out = w;
	if (r == 0)
		r = sg_pool_run_progress(n, jobs, work, ctx, opts->progress ? range_tick : NULL,
		                         (void *)opts);
	for (int i = 0; i < jobs; i++) {
		if (r == 0)
			r = sg_findings_take(out, &w[i].findings);
		sg_git_worker_stats(&w[i], st, nt);
		sg_git_worker_free(&w[i]);
	}
	free(w);
	*workers_out = NULL;
	return r;
}

/* The index the commit is made from: the one git names (a missing file is
 * an error, not an empty commit that would pass), else the repository's. */
static int open_index(git_index **out, git_repository *repo, const char *path)
{
	struct stat sb;
	if (!path || !*path)
		return git_repository_index(out, repo) < 0 ? sg_git_error(SG_EIO, "index") : 0;
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
		return sg_error_set(SG_ENOTFOUND, "index %s (GIT_INDEX_FILE): %s", path,
		                    stat(path, &sb) != 0 ? strerror(errno) : "not a regular file");
	if (git_index_open(out, path) < 0)
		return sg_git_error(SG_EIO, path);
	return 0;
}

/* One rule for the staged and range modes: a renamed file (its old path
 * gone) is judged on what changed; a file at a new path is judged whole,
 * even when it copies another, because a secret copied to a new place (a
 * public folder, a shipped config) is a new exposure. */
static int find_renames(git_diff *diff)
{
	git_diff_find_options fopt;
	git_diff_find_options_init(&fopt, GIT_DIFF_FIND_OPTIONS_VERSION);
	fopt.flags = GIT_DIFF_FIND_RENAMES;
	if (git_diff_find_similar(diff, &fopt) < 0)
		return sg_git_error(SG_EIO, "rename detection");
	return 0;
}

/* Take one change into the scan: the caller's path check, then the blob
 * itself unless it is a submodule or a symbolic link. */
static int staged_take(const sg_git_options *opts, git_delta_t status, const char *path,
                       uint32_t old_mode, uint32_t new_mode, const git_oid *old_id,
                       const git_oid *new_id, staged_item *items, size_t *n, sg_findings *out,
                       sg_scan_stats *st)
{
	if (opts->staged_path) {
		int r = opts->staged_path(opts->staged_path_ctx, path, out);
		if (r < 0)
			return r;
	}
	if (!is_file_mode(new_mode)) {
		st->skipped_other++; /* submodules and symbolic links */
		return 0;
	}
	staged_item *it = &items[*n];
	it->new_id = *new_id;
	it->has_old = status != GIT_DELTA_ADDED && is_file_mode(old_mode);
	if (it->has_old)
		it->old_id = *old_id;
	if (!(it->path = strdup(path)))
		return sg_error_set(SG_ENOMEM, "out of memory");
	(*n)++;
	return 0;
}

/* The changes from libgit2's tree-to-index diff, renames found. */
static int staged_from_libgit2(git_repository *repo, const sg_git_options *opts, git_tree *tree,
                               staged_item **items, size_t *n, sg_findings *out, sg_scan_stats *st,
                               sg_notices *nt)
{
	git_index *index = NULL;
	git_diff *diff = NULL;
	int r;
	if ((r = open_index(&index, repo, opts->index_path)) < 0)
		return r;
	git_diff_options dopt;
	git_diff_options_init(&dopt, GIT_DIFF_OPTIONS_VERSION);
	dopt.flags = GIT_DIFF_IGNORE_SUBMODULES;
	if (git_diff_tree_to_index(&diff, repo, tree, index, &dopt) < 0) {
		r = sg_git_error(SG_EIO, "comparing the index with HEAD");
		goto done;
	}
	if ((r = find_renames(diff)) < 0)
		goto done;
	size_t nd = git_diff_num_deltas(diff);
	if (!(*items = calloc(nd + 1, sizeof(**items))))
		r = sg_error_set(SG_ENOMEM, "out of memory");
	for (size_t i = 0; i < nd && r == 0; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		switch (d->status) {
		case GIT_DELTA_ADDED:
		case GIT_DELTA_MODIFIED:
		case GIT_DELTA_RENAMED:
		case GIT_DELTA_COPIED:
		case GIT_DELTA_TYPECHANGE:
			r = staged_take(opts, d->status, d->new_file.path, d->old_file.mode,
			                d->new_file.mode, &d->old_file.id, &d->new_file.id, *items,
			                n, out, st);
			break;
		case GIT_DELTA_CONFLICTED:
			sg_notices_add(nt, "%s: unresolved merge conflict, not scanned",
			               d->new_file.path);
			st->skipped_other++;
			break;
		default:
			break; /* unmodified, deleted */
		}
	}
done:
	git_diff_free(diff);
	git_index_free(index);
	return r;
}

int sg_git_scan_staged(sg_git *g, const sg_ruleset *rs, const sg_git_options *opts,
                       sg_findings *out, sg_scan_stats *st, sg_notices *nt)
{
	git_repository *repo = g->repo;
	git_tree *tree = NULL;
	staged_item *items = NULL;
	sg_staged_change *changes = NULL;
	size_t n = 0, nc = 0;
	int r = 0;
	if (git_repository_is_bare(repo))
		return sg_error_set(
		        SG_EINVALID,
		        "a bare repository has no index: --staged needs a working tree");
	if ((r = head_tree(&tree, repo)) < 0)
		goto done;
	/* the index read by hand skips what the commit leaves unchanged; what it
	 * leaves to libgit2 gets the same judgement there */
	r = 1;
	char why[256] = "";
	if (opts->index_reader != SG_GIT_INDEX_LIBGIT2)
		r = sg_git_staged_from_index(repo, opts->index_path, tree, &changes, &nc, why,
		                             sizeof(why));
	if (r == 1 && opts->index_reader == SG_GIT_INDEX_CACHE_TREE) {
		r = sg_error_set(SG_EINVALID, "%s (--index-reader=cache-tree)", why);
		goto done;
	}
	if (r == 1) {
		r = staged_from_libgit2(repo, opts, tree, &items, &n, out, st, nt);
	} else if (r == 0) {
		if (!(items = calloc(nc + 1, sizeof(*items))))
			r = sg_error_set(SG_ENOMEM, "out of memory");
		for (size_t i = 0; i < nc && r == 0; i++) {
			const sg_staged_change *c = &changes[i];
			r = staged_take(opts, c->status, c->path, c->old_mode, c->new_mode,
			                &c->old_id, &c->new_id, items, &n, out, st);
		}
	}
	if (r == 0 && n) {
		staged_job j = {items, NULL, nt};
		/* a hook's few files are scanned faster than a second worker opens
		 * its own repository handle (about 0.8 ms of CPU for 10 files) */
		r = sg_git_run_workers(g, rs, opts, 1, n, 16, staged_one, &j, &j.workers, out, st,
		                       nt);
	}
done:
	for (size_t i = 0; i < n; i++)
		free(items[i].path);
	free(items);
	sg_staged_changes_free(changes, nc);
	git_tree_free(tree);
	sg_findings_sort(out);
	return r;
}

/* ---- range mode ---- */

typedef struct range_job {
	sg_commit_graph *graph;
	const uint32_t *commits;
	sg_git_worker *workers;
	sg_notices *notices;
	const sg_git_change_filter *filter; /* NULL: every change and the message */
} range_job;

void sg_git_format_date(char *out, size_t n, const git_time *t)
{
	time_t secs = (time_t)t->time + (time_t)t->offset * 60;
	struct tm tm;
	gmtime_r(&secs, &tm);
	int off = t->offset < 0 ? -t->offset : t->offset;
	snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", tm.tm_year + 1900,
	         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	         t->offset < 0 ? '-' : '+', off / 60, off % 60);
}

static int commit_tree(git_tree **out, git_repository *repo, const git_oid *id)
{
	git_commit *c = NULL;
	int e = git_commit_lookup(&c, repo, id);
	if (e == 0) {
		e = git_commit_tree(out, c);
		git_commit_free(c);
	}
	if (e < 0) {
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), id);
		return sg_git_error(e == GIT_ENOTFOUND ? SG_ENOTFOUND : SG_EIO, hex);
	}
	return 0;
}

#define MAX_MERGE_PARENTS 16

/* Judge one change of a commit: the blob new_id left at path, against
 * old_id (NULL: none) and, for a merge, against each other parent. */
static int judge_change(sg_git_worker *w, git_tree *const *ptree, size_t np, const git_oid *old_id,
                        const git_oid *new_id, const char *path, sg_origin *o, sg_notices *nt)
{
	/* A merge is judged only on what it adds against every parent: lines
	 * that came from the merged branch belong to that branch's commits. */
	git_oid others[MAX_MERGE_PARENTS];
	const git_oid *optr[MAX_MERGE_PARENTS];
	size_t no = 0;
	for (size_t p = 1; p < np; p++) {
		git_tree_entry *e = NULL;
		if (git_tree_entry_bypath(&e, ptree[p], path) == 0) {
			int from_other = git_oid_equal(git_tree_entry_id(e), new_id);
			if (!from_other && is_file_mode(git_tree_entry_filemode(e))) {
				others[no] = *git_tree_entry_id(e);
				optr[no] = &others[no];
				no++;
			}
			git_tree_entry_free(e);
			if (from_other)
				return 0;
		}
	}
	o->path = path;
	return sg_git_worker_scan_change(w, old_id, new_id, optr, no, o, nt);
}

static int range_one(void *ctx, int wid, size_t item)
{
	range_job *j = ctx;
	sg_git_worker *w = &j->workers[wid];
	sg_commit_graph *graph = j->graph;
	const sg_commit_node *node = &graph->nodes[j->commits[item]];
	git_commit *c = NULL;
	git_tree *tree = NULL, *ptree[MAX_MERGE_PARENTS] = {0};
	git_diff *diff = NULL;
	char hex[GIT_OID_HEXSZ + 1], date[64];
	int r = 0;
	size_t np = node->nparents < MAX_MERGE_PARENTS ? node->nparents : MAX_MERGE_PARENTS;
	git_oid_tostr(hex, sizeof(hex), &node->id);
	/* the changes the caller knows already: no diff of the trees */
	const sg_git_known_change *known = NULL;
	size_t nknown = 0;
	if (j->filter && j->filter->known)
		j->filter->known(j->filter->ctx, item, &known, &nknown);
	if (git_commit_lookup(&c, w->repo, &node->id) < 0 ||
	    (!nknown && git_commit_tree(&tree, c) < 0)) {
		r = sg_git_error(SG_EIO, hex);
		goto done;
	}
	/* known changes need the parents' trees only to judge a merge */
	for (size_t i = 0; i < np && r == 0 && (!nknown || np > 1); i++)
		r = commit_tree(&ptree[i], w->repo,
		                &graph->nodes[graph->parent_ids[node->parents + i]].id);
	if (r < 0)
		goto done;
	const git_signature *a = git_commit_author(c);
	sg_git_format_date(date, sizeof(date), &a->when);
	sg_origin o = {.commit = hex, .author = a->name, .email = a->email, .date = date};
	if (!j->filter && (r = sg_git_worker_scan_message(w, c)) < 0)
		goto done;
	for (size_t i = 0; i < nknown && r == 0; i++)
		r = judge_change(w, ptree, np, known[i].has_old ? &known[i].old : NULL,
		                 &known[i].blob, known[i].path, &o, j->notices);
	if (nknown)
		goto done;
	git_diff_options dopt;
	git_diff_options_init(&dopt, GIT_DIFF_OPTIONS_VERSION);
	dopt.flags = GIT_DIFF_IGNORE_SUBMODULES;
	if (git_diff_tree_to_tree(&diff, w->repo, ptree[0], tree, &dopt) < 0) {
		r = sg_git_error(SG_EIO, hex);
		goto done;
	}
	if ((r = find_renames(diff)) < 0)
		goto done;
	size_t nd = git_diff_num_deltas(diff);
	for (size_t i = 0; i < nd && r == 0; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		if (d->status != GIT_DELTA_ADDED && d->status != GIT_DELTA_MODIFIED &&
		    d->status != GIT_DELTA_RENAMED && d->status != GIT_DELTA_COPIED &&
		    d->status != GIT_DELTA_TYPECHANGE)
			continue;
		if (!is_file_mode(d->new_file.mode)) {
			w->other_skipped++;
			continue;
		}
		if (j->filter &&
		    !j->filter->keep(j->filter->ctx, &d->new_file.id, d->new_file.path))
			continue;
		int has_old = d->status != GIT_DELTA_ADDED && is_file_mode(d->old_file.mode);
		r = judge_change(w, ptree, np, has_old ? &d->old_file.id : NULL, &d->new_file.id,
		                 d->new_file.path, &o, j->notices);
	}
done:
	git_diff_free(diff);
	for (size_t i = 0; i < np; i++)
		git_tree_free(ptree[i]);
	git_tree_free(tree);
	git_commit_free(c);
	return r;
}

int sg_git_range_commits(sg_git *g, const sg_ruleset *rs, const sg_git_options *opts,
                         sg_commit_graph *graph, const uint32_t *commits, size_t n,
                         const sg_git_change_filter *filter, sg_findings *out, sg_scan_stats *st,
                         sg_notices *nt)
{
	range_job j = {graph, commits, NULL, nt, filter};
	return sg_git_run_workers(g, rs, opts, 1, n, 2, range_one, &j, &j.workers, out, st, nt);
}

typedef struct oid_list {
	git_oid *items;
	size_t count, cap;
} oid_list;

static int oid_list_append(oid_list *l, const git_oid *id)
{
	if (l->count == l->cap && SG_GROW(l->items, l->cap, 16) < 0)
		return sg_error_set(SG_ENOMEM, "out of memory");
	l->items[l->count++] = *id;
	return 0;
}

/* Revisions named on the command line are capped; refs of the repository
 * (--all-refs, --exclude-remotes, --history) are not: a monorepo with many
 * tags must sweep, and the walk visits each commit once however many refs
 * point at it. */
static int oid_list_push(oid_list *l, const git_oid *id)
{
	if (l->count >= MAX_RANGE_TIPS)
		return sg_error_set(SG_ETOOBIG, "more than %d revisions on the command line",
		                    MAX_RANGE_TIPS);
	return oid_list_append(l, id);
}

static int peel_commit(git_oid *out, git_object *obj)
{
	git_object *c = NULL;
	if (git_object_peel(&c, obj, GIT_OBJECT_COMMIT) < 0)
		return -1;
	*out = *git_object_id(c);
	git_object_free(c);
	return 0;
}

static int rev_not_found(sg_git *g, const char *rev)
{
	const git_error *e = git_error_last();
	if (git_repository_is_shallow(g->repo))
		return sg_error_set(SG_ENOTFOUND,
		                    "revision '%s' not found: this is a shallow clone, fetch more "
		                    "history (git fetch --deepen=N or --unshallow)",
		                    rev);
	int why = e && e->message && *e->message;
	return sg_error_set(SG_ENOTFOUND, "revision '%s' not found%s%s", rev,
	                    why ? ": " : " (unreadable or missing object)", why ? e->message : "");
}

/* Every ref whose name matches glob (NULL: all), peeled to a commit. Refs
 * naming trees or blobs have no history of their own and are left out. */
int sg_git_refs(sg_git *g, const char *glob, git_oid **out, size_t *n)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;
	oid_list l = {0};
	int r = 0;
	*out = NULL;
	*n = 0;
	if ((glob ? git_reference_iterator_glob_new(&it, g->repo, glob)
	          : git_reference_iterator_new(&it, g->repo)) < 0)
		return sg_git_error(SG_EIO, "listing refs");
	sg_oidmap seen; /* many refs (tags, release branches) share a commit */
	sg_oidmap_init(&seen);
	while (r == 0 && git_reference_next(&ref, it) == 0) {
		git_object *obj = NULL;
		if (git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) == 0) {
			int added = 0;
			r = sg_oidmap_put(NULL, &added, &seen, git_object_id(obj), 0);
			if (r == 0 && added)
				r = oid_list_append(&l, git_object_id(obj));
			git_object_free(obj);
		}
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	/* HEAD may be detached from every ref */
	git_oid head;
	if (r == 0 && !glob && git_reference_name_to_id(&head, g->repo, "HEAD") == 0 &&
	    !sg_oidmap_get(&seen, &head))
		r = oid_list_append(&l, &head);
	sg_oidmap_free(&seen);
	if (r < 0) {
		free(l.items);
		return r;
	}
	*out = l.items;
	*n = l.count;
	return 0;
}

static int add_refs(sg_git *g, oid_list *l, const char *glob)
{
	git_oid *ids;
	size_t n;
	int r = sg_git_refs(g, glob, &ids, &n);
	for (size_t i = 0; r == 0 && i < n; i++)
		r = oid_list_append(l, &ids[i]);
	free(ids);
	return r;
}

/* Remember an annotated tag named on the command line: its message is judged. */
static int note_tag(oid_list *tags, const git_object *obj)
{
	if (!obj || git_object_type(obj) != GIT_OBJECT_TAG)
		return 0;
	return oid_list_append(tags, git_object_id(obj));
}

/* Resolve one revision argument into the include and exclude lists. */
static int parse_rev(sg_git *g, const char *rev, oid_list *inc, oid_list *exc, oid_list *tags)
{
	git_oid id;
	int r = 0;
	if (rev[0] == '^') {
		git_object *obj = NULL;
		if (git_revparse_single(&obj, g->repo, rev + 1) < 0)
			return rev_not_found(g, rev + 1);
		r = peel_commit(&id, obj);
		git_object_free(obj);
		if (r < 0)
			return sg_error_set(SG_EINVALID, "'%s' does not name a commit", rev + 1);
		return oid_list_push(exc, &id);
	}
	git_revspec spec = {0};
	if (git_revparse(&spec, g->repo, rev) < 0) {
		/* libgit2 keeps the left side of A..B when the right side fails */
		int r2 = rev_not_found(g, rev);
		git_object_free(spec.from);
		git_object_free(spec.to);
		return r2;
	}
	git_oid from, to;
	int have_from = spec.from && peel_commit(&from, spec.from) == 0;
	int have_to = spec.to && peel_commit(&to, spec.to) == 0;
	r = note_tag(tags, (spec.flags & GIT_REVSPEC_SINGLE) ? spec.from : spec.to);
	git_object_free(spec.from);
	git_object_free(spec.to);
	if (r < 0)
		return r;
	if ((spec.from && !have_from) || (spec.to && !have_to))
		return sg_error_set(SG_EINVALID, "'%s' does not name commits", rev);
	if (spec.flags & GIT_REVSPEC_SINGLE)
		return oid_list_push(inc, &from);
	if (spec.flags & GIT_REVSPEC_MERGE_BASE) {
		/* A...B: what either side has that the other lacks */
		git_oid base;
		if ((r = oid_list_push(inc, &from)) < 0 || (r = oid_list_push(inc, &to)) < 0)
			return r;
		if (git_merge_base(&base, g->repo, &from, &to) == 0)
			return oid_list_push(exc, &base);
		return 0;
	}
	if ((r = oid_list_push(exc, &from)) < 0)
		return r;
	return oid_list_push(inc, &to);
}

int sg_git_scan_range(sg_git *g, const sg_ruleset *rs, const sg_git_options *opts,
                      const sg_git_range *range, sg_findings *out, sg_scan_stats *st,
                      sg_notices *nt)
{
	oid_list inc = {0}, exc = {0}, tags = {0};
	sg_oidmap judged;
	sg_oidmap_init(&judged);
	sg_commit_graph graph;
	uint32_t *commits = NULL;
	size_t n = 0;
	sg_packs *packs = NULL;
	int r = sg_commit_graph_init(&graph, g->repo);
	/* commits (and a blob-first range's trees and blobs) from the packs */
	if (r == 0 && opts->pack_reader == SG_GIT_PACK_NATIVE &&
	    (r = sg_packs_open_repo(&packs, g->repo)) == 0)
		r = sg_commit_graph_use_packs(&graph, packs);
	for (size_t i = 0; r == 0 && i < range->count; i++)
		r = parse_rev(g, range->revs[i], &inc, &exc, &tags);
	if (r == 0 && range->all_refs)
		r = add_refs(g, &inc, NULL);
	if (r == 0 && range->exclude_remotes)
		r = add_refs(g, &exc, "refs/remotes/*");
	if (r == 0 && inc.count == 0)
		r = sg_error_set(SG_EINVALID, "no revisions to scan");
	if (r == 0)
		r = sg_commit_walk(&commits, &n, &graph, inc.items, inc.count, exc.items,
		                   exc.count);
	if (r == 0 && n && !opts->range_per_commit)
		r = sg_git_range_blobs(g, rs, opts, &graph, commits, n, out, st, nt);
	else if (r == 0 && n)
		r = sg_git_range_commits(g, rs, opts, &graph, commits, n, NULL, out, st, nt);
	/* the messages of annotated tags on the commits judged, and of tags named */
	for (size_t i = 0; r == 0 && i < n; i++)
		r = sg_oidmap_put(NULL, NULL, &judged, &graph.nodes[commits[i]].id, 0);
	if (r == 0 && (n || tags.count))
		r = sg_git_scan_tags(g, rs, opts, &judged, tags.items, tags.count, out, st, nt);
	if (r == 0 && graph.cut)
		sg_git_set_notice(
		        g, st,
		        "shallow clone: the range was cut short at %zu commit(s) whose parents "
		        "are not in this clone; those were scanned in full, older history not at "
		        "all (fetch more with git fetch --deepen=N)",
		        graph.cut);
	free(commits);
	free(inc.items);
	free(exc.items);
	free(tags.items);
	sg_oidmap_free(&judged);
	sg_commit_graph_free(&graph);
	sg_packs_free(packs);
	sg_findings_sort(out);
	return r;
}

int sg_git_range_tips(sg_git *g, const sg_git_range *range, git_oid **inc, size_t *ninc,
                      git_oid **exc, size_t *nexc)
{
	oid_list in = {0}, ex = {0}, tags = {0};
	int r = 0;
	for (size_t i = 0; r == 0 && i < range->count; i++)
		r = parse_rev(g, range->revs[i], &in, &ex, &tags);
	free(tags.items);
	if (r < 0) {
		free(in.items);
		free(ex.items);
		return r;
	}
	*inc = in.items;
	*ninc = in.count;
	*exc = ex.items;
	*nexc = ex.count;
	return 0;
}
