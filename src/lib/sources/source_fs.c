/* Files and directories as a source: collect the files to scan (named
 * paths walked whole, or a repository's tracked and not-ignored files),
 * then read and scan them on worker threads. */
#include <dirent.h>
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <git2.h>
#include "util/pool.h"
#include "util/progress.h"
#include "util/arena.h"
#include "util/grow.h"
#include "secretgate/secretgate.h"
#include "lib/sources/sniff.h"
#include "lib/sources/dir_cache.h"
#include "lib/engine/credfile.h"
#include "lib/sources/image.h"

#define DEFAULT_MAX_FILE (100ull * 1000 * 1000)
#define MAX_DEPTH        4096
#define ARCHIVE_SNIFF    32774         /* an ISO 9660 volume descriptor ends here */
#define FIRST_READ       (256u * 1024) /* a worker's buffer, at the least */

void sg_file_list_free(sg_file_list *l)
{
	for (size_t i = 0; i < l->count; i++) {
		if (l->display[i] != l->paths[i])
			free(l->display[i]);
		free(l->paths[i]);
	}
	free(l->paths);
	free(l->display);
	free(l->root_len);
	free(l->regular);
	memset(l, 0, sizeof(*l));
}

/* A listing that workers scan while the walk still appends to it: growing
 * the arrays moves them, so growth and a worker's look at an item take the
 * lock; the feed is told of new items in batches. NULL for a plain listing. */
typedef struct live_list {
	pthread_mutex_t lock;
	sg_feed *feed;
} live_list;

#define LIVE_BATCH 64

/* Takes ownership of path and display (display may equal path); the first
 * root_len bytes of path are its root; regular when it was seen to be a
 * regular file. */
static int list_push(sg_file_list *l, char *path, char *display, size_t root_len, int regular,
                     live_list *live)
{
	if (l->count == l->cap) {
		if (live)
			pthread_mutex_lock(&live->lock);
		size_t ncap = l->cap ? l->cap * 2 : 256;
		char **p = realloc(l->paths, ncap * sizeof(*p));
		if (!p)
			goto oom;
		l->paths = p;
		char **d = realloc(l->display, ncap * sizeof(*d));
		if (!d)
			goto oom;
		l->display = d;
		size_t *rl = realloc(l->root_len, ncap * sizeof(*rl));
		if (!rl)
			goto oom;
		l->root_len = rl;
		unsigned char *rg = realloc(l->regular, ncap);
		if (!rg)
			goto oom;
		l->regular = rg;
		l->cap = ncap;
		if (live)
			pthread_mutex_unlock(&live->lock);
	}
	l->paths[l->count] = path;
	l->display[l->count] = display;
	l->root_len[l->count] = root_len;
	l->regular[l->count] = (unsigned char)regular;
	l->count++;
	if (live && l->count % LIVE_BATCH == 0)
		sg_feed_add(live->feed, l->count);
	return 0;
oom:
	if (live)
		pthread_mutex_unlock(&live->lock);
	if (display != path)
		free(display);
	free(path);
	return sg_error_set(SG_ENOMEM, "out of memory");
}

int sg_file_list_open(const sg_file_list *l, size_t i)
{
	sg_dir_cache c = SG_DIR_CACHE_INIT;
	int fd = sg_dir_cache_open(&c, l->paths[i], l->root_len ? l->root_len[i] : 0);
	int e = errno;
	sg_dir_cache_free(&c);
	errno = e;
	return fd;
}

static char *join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int slash = la && a[la - 1] != '/';
	char *r = malloc(la + lb + 2);
	if (!r)
		return NULL;
	memcpy(r, a, la);
	if (slash)
		r[la++] = '/';
	memcpy(r + la, b, lb + 1);
	return r;
}

typedef struct dir_item {
	char *path;
	unsigned depth;
} dir_item;

/* A directory entry's type as an S_IF* value; S_IFMT when unknown. */
static mode_t entry_type(unsigned char d_type)
{
	switch (d_type) {
	case DT_DIR:
		return S_IFDIR;
	case DT_REG:
		return S_IFREG;
	case DT_UNKNOWN:
		return S_IFMT;
	default:
		return 0; /* a link, FIFO, device or socket */
	}
}

/* A directory's entries, read whole before any is listed: whether it is an
 * OCI image layout (a regular file named oci-layout) decides how the rest
 * are taken, and reading the names costs no look-up per directory. */
typedef struct dir_entries {
	struct dir_entry {
		size_t name; /* offset in names */
		unsigned char type;
	} * items;
	size_t n, cap;
	sg_arena names;
	int layout;
	char *raw; /* getdents64's buffer */
} dir_entries;

#define ENTRIES_BUF (32 * 1024)

static int add_entry(dir_entries *de, const char *name, unsigned char d_type, const char *dir)
{
	if (!strcmp(name, ".") || !strcmp(name, "..") || !strcmp(name, ".git"))
		return 0;
	if (!strcmp(name, "oci-layout") &&
	    (d_type == DT_REG || (d_type == DT_UNKNOWN && sg_image_is_layout_dir(dir))))
		de->layout = 1;
	if (de->n == de->cap && SG_GROW(de->items, de->cap, 64) < 0)
		return sg_error_set(SG_ENOMEM, "out of memory");
	size_t at;
	if (sg_arena_add(&de->names, &at, name, strlen(name)) < 0)
		return sg_error_set(SG_ENOMEM, "out of memory");
	de->items[de->n].name = at;
	de->items[de->n].type = d_type;
	de->n++;
	return 0;
}

/* The entries of the directory open at fd (path dir). Returns 0, a negative
 * error code after the error was set, or 1 with errno set when the directory
 * cannot be read. */
static int read_entries(dir_entries *de, int fd, const char *dir)
{
	de->n = 0;
	de->names.len = 0;
	de->layout = 0;
	/* the entries straight from the fd the chain holds: no DIR, no fstat */
	if (!de->raw && !(de->raw = malloc(ENTRIES_BUF)))
		return sg_error_set(SG_ENOMEM, "out of memory");
	for (;;) {
		ssize_t got = getdents64(fd, de->raw, ENTRIES_BUF);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return 1;
		if (got == 0)
			return 0;
		for (ssize_t off = 0; off < got;) {
			const struct dirent64 *e = (const struct dirent64 *)(de->raw + off);
			off += e->d_reclen;
			int r = add_entry(de, e->d_name, e->d_type, dir);
			if (r < 0)
				return r;
		}
	}
}

/* Walk a directory without recursion (deep trees cost no stack or fds). */
static int walk_dir(sg_file_list *out, const char *root, sg_scan_stats *st, sg_notices *nt,
                    live_list *live)
{
	size_t root_len = strlen(root);
	dir_item *stack = malloc(sizeof(*stack) * 64);
	size_t n = 0, cap = 64;
	dir_entries ents = {0};
	sg_dir_cache chain = SG_DIR_CACHE_INIT;
	int r = 0;
	if (!stack || !(stack[0].path = strdup(root))) {
		free(stack);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	stack[0].depth = 0;
	n = 1;
	while (n > 0 && r == 0) {
		dir_item it = stack[--n];
		/* opened from its parent, which the chain holds: one look-up */
		int owned = 1, fd = sg_dir_cache_open_dir(&chain, it.path, root_len, &owned);
		int got = fd < 0 ? 1 : read_entries(&ents, fd, it.path);
		int read_errno = errno;
		if (fd >= 0 && owned)
			close(fd);
		if (got < 0) {
			r = got;
			free(it.path);
			break;
		}
		/* an OCI image layout is scanned as one image, layers in order:
		 * known by its entries (an unreadable directory by a look) */
		if (got == 1 ? sg_image_is_layout_dir(it.path) : ents.layout) {
			r = list_push(out, it.path, it.path, root_len, 0, live);
			continue;
		}
		if (got == 1) {
			sg_notices_add(nt, "%s: cannot read directory: %s", it.path,
			               strerror(read_errno));
			if (st)
				st->errors++;
			free(it.path);
			continue;
		}
		for (size_t k = 0; k < ents.n && r == 0; k++) {
			const char *name = ents.names.data + ents.items[k].name;
			unsigned char d_type = ents.items[k].type;
			char *p = join(it.path, name);
			if (!p) {
				r = sg_error_set(SG_ENOMEM, "out of memory");
				break;
			}
			/* the entry's own type, as lstat would say; lstat only when
			 * the file system does not tell */
			mode_t type = entry_type(d_type);
			struct stat sb;
			if (type == S_IFMT) {
				if (lstat(p, &sb) < 0) {
					sg_notices_add(nt, "%s: %s", p, strerror(errno));
					if (st)
						st->errors++;
					free(p);
					continue;
				}
				type = sb.st_mode & S_IFMT;
			}
			if (type == S_IFDIR) {
				if (it.depth + 1 > MAX_DEPTH) {
					sg_notices_add(nt,
					               "%s: deeper than %d directories, skipped", p,
					               MAX_DEPTH);
					if (st)
						st->skipped_other++;
					free(p);
					continue;
				}
				if (n == cap) {
					dir_item *ns = realloc(stack, sizeof(*ns) * cap * 2);
					if (!ns) {
						free(p);
						r = sg_error_set(SG_ENOMEM, "out of memory");
						break;
					}
					stack = ns;
					cap *= 2;
				}
				stack[n++] = (dir_item){p, it.depth + 1};
			} else if (type == S_IFREG) {
				r = list_push(out, p, p, root_len, 1, live);
			} else {
				/* symlinks are not followed; FIFOs, devices, sockets never read */
				if (st)
					st->skipped_other++;
				free(p);
			}
		}
		free(it.path);
	}
	while (n > 0)
		free(stack[--n].path);
	free(stack);
	free(ents.items);
	free(ents.names.data);
	free(ents.raw);
	sg_dir_cache_free(&chain);
	return r;
}

static int collect(sg_file_list *out, const char *const *paths, size_t n, sg_scan_stats *st,
                   sg_notices *nt, live_list *live)
{
	for (size_t i = 0; i < n; i++) {
		struct stat sb;
		/* a path named on the command line is followed even when it is a link */
		if (stat(paths[i], &sb) < 0)
			return sg_error_set(errno == ENOENT ? SG_ENOTFOUND : SG_EIO, "%s: %s",
			                    paths[i], strerror(errno));
		int r;
		if (S_ISDIR(sb.st_mode)) {
			r = walk_dir(out, paths[i], st, nt, live);
		} else if (S_ISREG(sb.st_mode)) {
			/* a link named on the command line is followed: open its target
			 * (resolved once, here), report it under the name given */
			struct stat lsb;
			int is_link = lstat(paths[i], &lsb) == 0 && S_ISLNK(lsb.st_mode);
			char *p = is_link ? realpath(paths[i], NULL) : strdup(paths[i]);
			char *d = p && is_link ? strdup(paths[i]) : p;
			if (!p) {
				r = sg_error_set(errno == ENOMEM ? SG_ENOMEM : SG_EIO, "%s: %s",
				                 paths[i], strerror(errno));
			} else if (!d) {
				free(p);
				r = sg_error_set(SG_ENOMEM, "out of memory");
			} else {
				r = list_push(out, p, d, 0, 1, live);
			}
		} else {
			sg_notices_add(nt, "%s: not a regular file, skipped", paths[i]);
			if (st)
				st->skipped_other++;
			r = 0;
		}
		if (r < 0)
			return r;
	}
	return 0;
}

int sg_fs_collect(sg_file_list *out, const char *const *paths, size_t n, sg_scan_stats *st,
                  sg_notices *nt)
{
	return collect(out, paths, n, st, nt, NULL);
}

static int push_repo_path(sg_file_list *out, const char *workdir, const char *rel, live_list *live)
{
	char *p = join(workdir, rel), *d = strdup(rel);
	if (!p || !d) {
		free(p);
		free(d);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	return list_push(out, p, d, strlen(workdir), 0, live);
}

static int collect_repo(sg_file_list *out, const char *workdir, sg_scan_stats *st, sg_notices *nt,
                        live_list *live)
{
	git_repository *repo = NULL;
	git_index *index = NULL;
	git_status_list *status = NULL;
	int r = 0;
	git_libgit2_init();
	if (git_repository_open_ext(&repo, workdir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		const git_error *e = git_error_last();
		r = sg_error_set(SG_EIO, "%s: %s", workdir, e ? e->message : "not a repository");
		goto done;
	}
	const char *wd = git_repository_workdir(repo);
	if (!wd) {
		r = sg_error_set(SG_EINVALID, "%s: a bare repository has no working tree", workdir);
		goto done;
	}
	if (git_repository_index(&index, repo) < 0) {
		r = sg_error_set(SG_EIO, "%s: cannot read the index", workdir);
		goto done;
	}
	size_t n = git_index_entrycount(index);
	for (size_t i = 0; i < n && r == 0; i++) {
		const git_index_entry *e = git_index_get_byindex(index, i);
		if (!e || GIT_INDEX_ENTRY_STAGE(e) > 1)
			continue;
		if (e->mode == GIT_FILEMODE_COMMIT || e->mode == GIT_FILEMODE_LINK)
			continue; /* submodules and links are not files of this tree */
		struct stat sb;
		char *full = join(wd, e->path);
		if (!full) {
			r = sg_error_set(SG_ENOMEM, "out of memory");
			break;
		}
		int present = lstat(full, &sb) == 0 && S_ISREG(sb.st_mode);
		free(full);
		if (present)
			r = push_repo_path(out, wd, e->path, live);
	}
	git_status_options so;
	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	so.show = GIT_STATUS_SHOW_WORKDIR_ONLY;
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
	           GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (r == 0 && git_status_list_new(&status, repo, &so) < 0) {
		const git_error *e = git_error_last();
		sg_notices_add(nt, "%s: cannot list untracked files: %s", workdir,
		               e ? e->message : "unknown error");
		if (st)
			st->errors++;
	}
	for (size_t i = 0; status && r == 0 && i < git_status_list_entrycount(status); i++) {
		const git_status_entry *e = git_status_byindex(status, i);
		if (!(e->status & GIT_STATUS_WT_NEW) || !e->index_to_workdir)
			continue;
		const char *rel = e->index_to_workdir->new_file.path;
		struct stat sb;
		char *full = join(wd, rel);
		if (!full) {
			r = sg_error_set(SG_ENOMEM, "out of memory");
			break;
		}
		int regular = lstat(full, &sb) == 0 && S_ISREG(sb.st_mode);
		free(full);
		if (regular)
			r = push_repo_path(out, wd, rel, live);
		else if (st)
			st->skipped_other++;
	}
done:
	git_status_list_free(status);
	git_index_free(index);
	git_repository_free(repo);
	return r;
}

int sg_fs_collect_repo(sg_file_list *out, const char *workdir, sg_scan_stats *st, sg_notices *nt)
{
	return collect_repo(out, workdir, st, nt, NULL);
}

/* ---- scanning files on worker threads ---- */

typedef struct worker_state {
	sg_scanner *scanner;
	sg_findings findings;
	char *buf;
	size_t cap;
	sg_dir_cache dirs; /* the directories of the last file opened */
	uint64_t files, bytes, binary, too_big, other, errors;
} worker_state;

typedef struct fs_job {
	const sg_ruleset *rs;
	const sg_fs_options *opts;
	const sg_file_list *files;
	worker_state *workers;
	int jobs;
	sg_notices *notices;
	uint64_t max;
	live_list *live; /* the listing is still growing */
} fs_job;

/* Make the worker's buffer hold at least need bytes. */
static int buf_reserve(worker_state *w, size_t need, const char *shown)
{
	if (need <= w->cap)
		return 0;
	char *nb = realloc(w->buf, need);
	if (!nb)
		return sg_error_set(SG_ENOMEM, "out of memory reading %s", shown);
	w->buf = nb;
	w->cap = need;
	return 0;
}

/* Read on from *len (the bytes of fd already in w->buf) to at most want
 * bytes; a read that stops short once size bytes are in is the end of the
 * file (the second read that would say so costs a system call per file).
 * *len gets the bytes read; returns 0, 1 when fd turned out to be a
 * directory before any byte was read, or -1 after the error was noted. */
static int read_whole(fs_job *j, worker_state *w, int fd, size_t size, size_t want,
                      const char *shown, size_t *len)
{
	while (*len < want) {
		ssize_t got = read(fd, w->buf + *len, want - *len);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EISDIR && *len == 0)
				return 1;
			sg_notices_add(j->notices, "%s: read error: %s", shown, strerror(errno));
			w->errors++;
			return -1;
		}
		if (got == 0)
			break;
		*len += (size_t)got;
		if (*len >= size && *len < want)
			break;
	}
	return 0;
}

/* A file the listing saw to be regular is read before anything is asked of
 * it: when it fits the buffer (the largest file so far, at least
 * FIRST_READ) the short read is its end, and no fstat is made. Returns 1
 * with the whole file in w->buf[0, *len), 0 when the read filled the buffer
 * or fd is no longer a regular file (the fstat path goes on from *len),
 * -1 after a read error was noted. */
static int read_first(fs_job *j, worker_state *w, int fd, const char *shown, size_t *len)
{
	size_t want = w->cap > FIRST_READ ? w->cap - 1 : FIRST_READ;
	if (want > j->max)
		want = (size_t)j->max;
	*len = 0;
	if (buf_reserve(w, want + 1, shown) < 0)
		return 0;
	int r = read_whole(j, w, fd, 0, want, shown, len);
	return r < 0 ? -1 : r == 0 && *len < want;
}

/* An archive is read through libarchive from the file, whatever its size:
 * its own limits (artefact options) bound what it costs. Returns 1 when fd
 * is not an archive after all (read it as a file), else what the scan
 * returned; fd is left at an unknown offset. */
static int scan_archive(fs_job *j, worker_state *w, int fd, const char *shown, off_t size)
{
	sg_origin o = {.path = shown};
	if (lseek(fd, 0, SEEK_SET) < 0)
		return 1;
	w->files++;
	w->bytes += (uint64_t)size;
	int r = sg_artefact_scan_fd(w->scanner, fd, &o, &w->findings, j->notices);
	if (r == 1) {
		w->files--;
		w->bytes -= (uint64_t)size;
	}
	return r;
}

/* A file over the size cap: scanned through libarchive when it is an
 * archive, else skipped with a notice. */
static int over_cap(fs_job *j, worker_state *w, int fd, const char *shown, off_t size, int archives)
{
	int r = buf_reserve(w, ARCHIVE_SNIFF + 1, shown);
	ssize_t head = r == 0 && archives ? pread(fd, w->buf, ARCHIVE_SNIFF, 0) : 0;
	if (r == 0 && head > 0 && sg_archive_detect(w->buf, (size_t)head) &&
	    (r = scan_archive(j, w, fd, shown, size)) != 1)
		return r;
	if (r < 0)
		return r;
	sg_notices_add(j->notices, "%s: %llu bytes, over the %llu-byte cap, skipped", shown,
	               (unsigned long long)size, (unsigned long long)j->max);
	w->too_big++;
	return 0;
}

static int scan_one(void *ctx, int wid, size_t item)
{
	fs_job *j = ctx;
	worker_state *w = &j->workers[wid];
	if (j->live)
		pthread_mutex_lock(&j->live->lock);
	const char *path = j->files->paths[item];
	const char *shown = j->files->display[item];
	size_t root_len = j->files->root_len ? j->files->root_len[item] : 0;
	int regular = j->files->regular && j->files->regular[item];
	if (j->live)
		pthread_mutex_unlock(&j->live->lock);
	int fd = sg_dir_cache_open(&w->dirs, path, root_len);
	if (fd < 0) {
		if (errno == ELOOP) {
			sg_notices_add(j->notices,
			               "%s: a symbolic link on the way, not followed out of the "
			               "scanned tree",
			               shown);
			w->other++;
		} else if (errno == ENOENT) {
			sg_notices_add(j->notices, "%s: vanished before it was read", shown);
			w->other++;
		} else {
			sg_notices_add(j->notices, "%s: cannot open: %s", shown, strerror(errno));
			w->errors++;
		}
		return 0;
	}
	size_t len = 0;
	int whole = regular ? read_first(j, w, fd, shown, &len) : 0;
	if (whole < 0) {
		close(fd);
		return 0;
	}
	off_t size = (off_t)len;
	int archives = !j->opts->scan.artefacts.no_archives;
	if (!whole) {
		struct stat sb;
		if (fstat(fd, &sb) < 0) {
			close(fd);
			w->other++;
			return 0;
		}
		if (S_ISDIR(sb.st_mode)) {
			close(fd);
			w->files++;
			return sg_image_scan_dir(w->scanner, path, shown, &w->findings, j->notices);
		}
		if (!S_ISREG(sb.st_mode)) {
			close(fd);
			w->other++;
			return 0;
		}
		size = sb.st_size;
		if ((uint64_t)size > j->max) {
			int r = over_cap(j, w, fd, shown, size, archives);
			close(fd);
			return r;
		}
		/* at most the size seen plus one byte: a file that grows is cut at the cap */
		size_t want = (size_t)size + 1;
		if (want > j->max)
			want = (size_t)j->max;
		int r = buf_reserve(w, want + 1, shown);
		if (r < 0 || read_whole(j, w, fd, (size_t)size, want, shown, &len) < 0) {
			close(fd);
			return r;
		}
	}
	if (archives && len > 0 &&
	    sg_archive_detect(w->buf, len < ARCHIVE_SNIFF ? len : ARCHIVE_SNIFF)) {
		int r = scan_archive(j, w, fd, shown, size);
		if (r != 1) {
			close(fd);
			return r;
		}
	}
	close(fd);
	w->buf[len] = '\0';
	/* a keystore is binary, and is itself the finding */
	if (!j->opts->binary && sg_sniff_binary(shown, w->buf, len) &&
	    !sg_credfile_is_opaque(shown)) {
		w->binary++;
		return 0;
	}
	sg_origin o = {.path = shown};
	w->files++;
	w->bytes += len;
	return sg_artefact_scan(w->scanner, w->buf, len, &o, NULL, &w->findings, j->notices);
}

/* A worker with no more files closes the directories it kept open, on its
 * own thread: the fds are in its own table (sg_feed_start_own_fds). */
static void leave_worker(void *ctx, int wid)
{
	fs_job *j = ctx;
	sg_dir_cache_clear(&j->workers[wid].dirs);
}

/* The workers' scanners (jobs of them), before the scan. */
static int job_start(fs_job *j, const sg_ruleset *rs, const sg_fs_options *opts,
                     const sg_file_list *files, int jobs, sg_notices *nt)
{
	*j = (fs_job){.rs = rs,
	              .opts = opts,
	              .files = files,
	              .workers = calloc((size_t)jobs, sizeof(worker_state)),
	              .jobs = jobs,
	              .notices = nt,
	              .max = opts->max_file_size ? opts->max_file_size : DEFAULT_MAX_FILE};
	if (!j->workers)
		return sg_error_set(SG_ENOMEM, "out of memory");
	/* an image read from a file spreads its layers over as many threads */
	sg_scan_options so = opts->scan;
	if (!so.artefacts.jobs)
		so.artefacts.jobs = opts->jobs;
	int r = 0;
	for (int i = 0; i < jobs && r == 0; i++) {
		sg_findings_init(&j->workers[i].findings, 0);
		r = sg_scanner_new(&j->workers[i].scanner, rs, &so);
	}
	return r;
}

/* The workers' findings and counts gathered (when r is 0) and freed. */
static int job_finish(fs_job *j, int r, sg_findings *out, sg_scan_stats *st)
{
	for (int i = 0; j->workers && i < j->jobs; i++) {
		worker_state *w = &j->workers[i];
		if (r == 0)
			r = sg_findings_take(out, &w->findings);
		if (st) {
			st->files += w->files;
			st->bytes += w->bytes;
			st->skipped_binary += w->binary;
			st->skipped_too_big += w->too_big;
			st->skipped_other += w->other;
			st->errors += w->errors;
			if (w->scanner)
				sg_scanner_report_limits(w->scanner, st, j->notices, "files");
		}
		sg_findings_free(&w->findings);
		sg_scanner_free(w->scanner);
		sg_dir_cache_free(&w->dirs);
		free(w->buf);
	}
	free(j->workers);
	sg_findings_sort(out);
	return r;
}

int sg_fs_scan(const sg_ruleset *rs, const sg_fs_options *opts, const sg_file_list *files,
               sg_findings *out, sg_scan_stats *st, sg_notices *nt)
{
	int jobs = opts->jobs > 0 ? opts->jobs : sg_cores();
	if ((size_t)jobs > files->count)
		jobs = files->count ? (int)files->count : 1;
	fs_job j;
	int r = job_start(&j, rs, opts, files, jobs, nt);
	if (r == 0)
		r = sg_pool_run_progress(files->count, jobs, scan_one, &j, opts->progress,
		                         opts->progress_ctx);
	return job_finish(&j, r, out, st);
}

/* What a walk-and-scan lists: named paths, or a repository's working tree. */
typedef struct lister {
	const char *const *paths;
	size_t n;
	const char *workdir; /* set: the working tree of this repository */
} lister;

static int walk_scan(const sg_ruleset *rs, const sg_fs_options *opts, const lister *ls,
                     sg_findings *out, sg_scan_stats *st, sg_notices *nt)
{
	int jobs = opts->jobs > 0 ? opts->jobs : sg_cores();
	sg_file_list files = {0};
	live_list live = {PTHREAD_MUTEX_INITIALIZER, NULL};
	sg_progress progress;
	fs_job j;
	int r = job_start(&j, rs, opts, &files, jobs, nt);
	/* the total is 0 (not known yet) until the walk ends */
	int counted = r == 0 && opts->progress;
	if (counted)
		sg_progress_init(&progress, scan_one, &j, opts->progress, opts->progress_ctx, 0);
	/* the calling thread walks, then scans beside the others; each worker
	 * opens and closes its files in a table of its own */
	if (r == 0)
		r = sg_feed_start_own_fds(&live.feed, jobs, counted ? sg_progress_work : scan_one,
		                          counted ? (void *)&progress : (void *)&j, leave_worker,
		                          &j);
	if (live.feed) {
		j.live = &live;
		int w = ls->workdir ? collect_repo(&files, ls->workdir, st, nt, &live)
		                    : collect(&files, ls->paths, ls->n, st, nt, &live);
		if (counted)
			sg_progress_total(&progress, files.count);
		sg_feed_add(live.feed, files.count);
		r = sg_feed_finish(live.feed);
		if (w < 0)
			r = w;
	}
	if (counted)
		sg_progress_end(&progress);
	r = job_finish(&j, r, out, st);
	sg_file_list_free(&files);
	pthread_mutex_destroy(&live.lock);
	return r;
}

int sg_fs_walk_scan(const sg_ruleset *rs, const sg_fs_options *opts, const char *const *paths,
                    size_t n, sg_findings *out, sg_scan_stats *st, sg_notices *nt)
{
	/* a path that is not there fails the scan before anything is read */
	for (size_t i = 0; i < n; i++) {
		struct stat sb;
		if (stat(paths[i], &sb) < 0)
			return sg_error_set(errno == ENOENT ? SG_ENOTFOUND : SG_EIO, "%s: %s",
			                    paths[i], strerror(errno));
	}
	lister ls = {paths, n, NULL};
	return walk_scan(rs, opts, &ls, out, st, nt);
}

int sg_fs_walk_scan_repo(const sg_ruleset *rs, const sg_fs_options *opts, const char *workdir,
                         sg_findings *out, sg_scan_stats *st, sg_notices *nt)
{
	lister ls = {NULL, 0, workdir};
	return walk_scan(rs, opts, &ls, out, st, nt);
}
