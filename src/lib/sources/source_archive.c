/* Archives and packages as a source: libarchive reads a buffer or an open
 * file, never extracting to disk; each member is scanned as its own chunk
 * named "<outer>!/<member>", nested archives recursively. Every limit
 * (depth, bytes, ratio, members, name length, member size) ends the walk of
 * that top-level file with a notice; damaged and encrypted members get a
 * notice and the walk goes on. */
#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "lib/sources/archive_walk.h"

#define HEAD_SIZE     (64u * 1024) /* read before deciding what a member is */
#define READ_BLOCK    ARCHIVE_READ_BLOCK
#define BINARY_SNIFF  8000
#define MAX_DEPTH_CAP ARCHIVE_MAX_DEPTH_CAP
#define HEADER_ERRORS 64 /* damaged headers tolerated per archive */
#define KIND_NONE     ARCHIVE_KIND_NONE
#define KIND_STREAM   ARCHIVE_KIND_STREAM
#define KIND_SEEK     ARCHIVE_KIND_SEEK

/* Kinds: STREAM formats read front to back (tar, cpio, ar, rpm and
 * compressed streams); SEEK formats want random access (zip reads its
 * central directory, 7z and ISO 9660 their tables), so a nested one is held
 * in memory before it is opened. */
int sg_archive_detect(const char *data, size_t len)
{
	const unsigned char *u = (const unsigned char *)data;
#define HAS(off, lit)                                                                              \
	(len >= (off) + sizeof(lit) - 1 && !memcmp(data + (off), lit, sizeof(lit) - 1))
	if (HAS(0, "PK\x03\x04") || HAS(0, "PK\x05\x06") || HAS(0, "PK\x07\x08") ||
	    HAS(0, "Cr24") || HAS(0, "7z\xbc\xaf\x27\x1c") || HAS(0, "Rar!\x1a\x07") ||
	    HAS(0, "MSCF\0\0\0\0") || HAS(0, "xar!") || HAS(32769, "CD001"))
		return KIND_SEEK;
	if (HAS(0, "\x1f\x8b") || HAS(0, "\xfd\x37\x7a\x58\x5a\0") || HAS(0, "\x28\xb5\x2f\xfd") ||
	    HAS(0, "\x04\x22\x4d\x18") || HAS(0, "\x02\x21\x4c\x18") || HAS(0, "\x1f\x9d") ||
	    HAS(0, "!<arch>\n") || HAS(0, "\xed\xab\xee\xdb") || HAS(0, "070701") ||
	    HAS(0, "070702") || HAS(0, "070707") || HAS(257, "ustar"))
		return KIND_STREAM;
	if (len >= 4 && u[0] == 'B' && u[1] == 'Z' && u[2] == 'h' && u[3] >= '1' && u[3] <= '9')
		return KIND_STREAM;
	if (len >= 2 && u[0] == 0xc7 && u[1] == 0x71) /* binary cpio, little-endian */
		return KIND_STREAM;
#undef HAS
	return KIND_NONE;
}

static void walk_limits(walk *w, const sg_artefact_options *ao)
{
	w->max_depth = ao->max_depth ? ao->max_depth : SG_ARCHIVE_DEPTH;
	if (w->max_depth > MAX_DEPTH_CAP)
		w->max_depth = MAX_DEPTH_CAP;
	w->max_bytes = ao->max_bytes ? ao->max_bytes : SG_ARCHIVE_BYTES;
	w->max_ratio = ao->max_ratio ? ao->max_ratio : SG_ARCHIVE_RATIO;
	w->max_members = ao->max_members ? ao->max_members : SG_ARCHIVE_MEMBERS;
	w->max_name = ao->max_name ? ao->max_name : SG_ARCHIVE_NAME;
	w->max_member = ao->max_member_size ? ao->max_member_size : SG_ARCHIVE_MEMBER_SIZE;
}

struct archive *archive_reader_new(void)
{
	struct archive *a = archive_read_new();
	if (!a)
		return NULL;
	/* Formats and filters are named one by one rather than with the _all()
	 * calls: those also enable the lrzip, lzop and grzip filters, which
	 * libarchive runs as external programs on the data, and the xar reader,
	 * whose libxml2 (and ICU) would cost every run, hook runs included,
	 * milliseconds of dynamic loading. */
	static int (*const filters[])(struct archive *) = {
	        archive_read_support_filter_bzip2, archive_read_support_filter_compress,
	        archive_read_support_filter_gzip,  archive_read_support_filter_lz4,
	        archive_read_support_filter_lzip,  archive_read_support_filter_lzma,
	        archive_read_support_filter_rpm,   archive_read_support_filter_uu,
	        archive_read_support_filter_xz,    archive_read_support_filter_zstd,
	};
	static int (*const formats[])(struct archive *) = {
	        archive_read_support_format_7zip,    archive_read_support_format_ar,
	        archive_read_support_format_cab,     archive_read_support_format_cpio,
	        archive_read_support_format_iso9660, archive_read_support_format_lha,
	        archive_read_support_format_rar,     archive_read_support_format_rar5,
	        archive_read_support_format_tar,     archive_read_support_format_warc,
	        archive_read_support_format_zip,
	};
	for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++)
		filters[i](a);
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		formats[i](a);
	/* a single compressed stream (x.json.gz) reads as one member */
	archive_read_support_format_raw(a);
	return a;
}

/* Count bytes against the whole-file limits; 1 when a limit was reached.
 * The first to reach one gives the notice. */
int archive_walk_account(walk *w, size_t n, const char *path)
{
	uint64_t total = __atomic_add_fetch(&w->t->total, n, __ATOMIC_RELAXED);
	if (__atomic_load_n(&w->t->stop, __ATOMIC_RELAXED))
		return 1;
	int bytes = total > w->max_bytes;
	if (!bytes &&
	    !(total > SG_ARCHIVE_RATIO_FLOOR && w->in_size && total / w->in_size > w->max_ratio))
		return 0;
	if (__atomic_exchange_n(&w->t->stop, 1, __ATOMIC_RELAXED))
		return 1;
	if (bytes)
		sg_notices_add(w->nt,
		               "%s: more than %llu uncompressed bytes (archive byte cap), the rest "
		               "is not read",
		               w->top, (unsigned long long)w->max_bytes);
	else
		sg_notices_add(w->nt,
		               "%s: expands more than %llu times (archive ratio cap; a zip bomb?), "
		               "the rest is not read (at %s)",
		               w->top, (unsigned long long)w->max_ratio, path);
	return 1;
}

static int stopped(const walk *w)
{
	return __atomic_load_n(&w->t->stop, __ATOMIC_RELAXED);
}

static int grow(walk *w, unsigned depth, size_t need)
{
	if (need <= w->cap[depth])
		return 0;
	size_t ncap = w->cap[depth] ? w->cap[depth] : HEAD_SIZE + 1;
	while (ncap < need)
		ncap *= 2;
	char *nb = realloc(w->buf[depth], ncap);
	if (!nb)
		return sg_error_set(SG_ENOMEM, "out of memory reading %s", w->top);
	w->buf[depth] = nb;
	w->cap[depth] = ncap;
	return 0;
}

/* Read the member's data into buf[depth] from *len up to `upto` bytes.
 * Returns 0 at the member's end, 1 when `upto` was reached first, 2 on a
 * read error or limit (notice given), <0 out of memory. */
static int read_into(walk *w, struct archive *a, unsigned depth, size_t *len, size_t upto,
                     const char *path)
{
	for (;;) {
		if (*len >= upto)
			return 1;
		size_t want = upto - *len < READ_BLOCK ? upto - *len : READ_BLOCK;
		int r = grow(w, depth, *len + want + 1);
		if (r < 0)
			return r;
		la_ssize_t got = archive_read_data(a, w->buf[depth] + *len, want);
		if (got < 0) {
			sg_notices_add(w->nt, "%s: %s, member not read", path,
			               archive_error_string(a) ? archive_error_string(a)
			                                       : "read error");
			return 2;
		}
		if (got == 0)
			return 0;
		*len += (size_t)got;
		if (archive_walk_account(w, (size_t)got, path))
			return 2;
	}
}

/* Read what is left of a member without keeping it: counted, so a
 * skipped member of a compressed stream cannot decompress forever. */
static void drain(walk *w, struct archive *a, const char *path)
{
	int base = archive_format(a) & ARCHIVE_FORMAT_BASE_MASK;
	/* uncompressed containers skip by seeking, and zip's seekable reader
	 * skips a member without inflating it; anything else (7z's solid
	 * blocks, a compressed tar) inflates what it skips, so it is counted */
	if (archive_filter_count(a) <= 1 &&
	    (base == ARCHIVE_FORMAT_TAR || base == ARCHIVE_FORMAT_CPIO ||
	     base == ARCHIVE_FORMAT_AR || base == ARCHIVE_FORMAT_ISO9660 ||
	     base == ARCHIVE_FORMAT_ZIP)) {
		archive_read_data_skip(a);
		return;
	}
	for (;;) {
		la_ssize_t got = archive_read_data(a, w->drain, sizeof(w->drain));
		if (got <= 0 || archive_walk_account(w, (size_t)got, path))
			return;
	}
}

static char *member_path(const char *outer, const char *name)
{
	size_t lo = strlen(outer), ln = strlen(name);
	char *p = malloc(lo + ln + 3);
	if (!p)
		return NULL;
	memcpy(p, outer, lo);
	memcpy(p + lo, "!/", 2);
	memcpy(p + lo + 2, name, ln + 1);
	return p;
}

/* A single compressed stream's member is named after it: x.json.gz!/x.json */
static char *raw_name(const char *outer)
{
	const char *base = outer;
	for (const char *p = outer; *p; p++)
		if (*p == '/')
			base = p + 1;
	char *n = strdup(*base ? base : "data");
	if (!n)
		return NULL;
	char *dot = strrchr(n, '.');
	if (dot && dot != n) {
		*dot = '\0';
		return n;
	}
	free(n);
	return strdup("data");
}

typedef struct stream_src {
	walk *w;
	struct archive *parent;
	const char *head;
	size_t head_len;
	int head_done;
	const char *path;
	char block[READ_BLOCK];
} stream_src;

/* A nested stream archive reads straight from its parent's member. */
static la_ssize_t stream_read(struct archive *a, void *ctx, const void **buf)
{
	stream_src *ss = ctx;
	if (!ss->head_done) {
		ss->head_done = 1;
		if (ss->head_len) {
			*buf = ss->head;
			return (la_ssize_t)ss->head_len;
		}
	}
	if (stopped(ss->w))
		return 0;
	la_ssize_t got = archive_read_data(ss->parent, ss->block, sizeof(ss->block));
	if (got < 0) {
		archive_set_error(a, -1, "%s",
		                  archive_error_string(ss->parent)
		                          ? archive_error_string(ss->parent)
		                          : "read error");
		return -1;
	}
	*buf = ss->block;
	return got;
}

/* A raw read of uncompressed bytes means libarchive found no archive. */
static int opened_nothing(struct archive *a)
{
	return archive_format(a) == ARCHIVE_FORMAT_RAW && archive_filter_count(a) <= 1;
}

static int scan_leaf(walk *w, const char *mpath, const char *data, size_t len)
{
	size_t sniff = len < BINARY_SNIFF ? len : BINARY_SNIFF;
	size_t nl = strlen(mpath);
	/* compiled Java classes keep their string constants as plain bytes */
	int class_file = nl > 6 && !strcmp(mpath + nl - 6, ".class");
	if (memchr(data, '\0', sniff) && !class_file)
		return 0;
	sg_origin o = w->base;
	o.path = mpath;
	return sg_decode_scan(w->s, data, len, &o, NULL, w->out, w->nt);
}

/* One regular member: a nested archive is opened, anything else scanned. */
static int walk_member(walk *w, struct archive *a, const char *mpath, unsigned depth, sg_image *img,
                       const char *name, int64_t size)
{
	size_t len = 0;
	int r = read_into(w, a, depth, &len, HEAD_SIZE, mpath);
	if (r < 0 || r == 2)
		return r < 0 ? r : 0;
	int at_end = r == 0;
	/* what a raw read without decompression yields is the bytes themselves:
	 * never an archive again (text that only began like one) */
	int raw_plain = archive_format(a) == ARCHIVE_FORMAT_RAW && archive_filter_count(a) <= 1;
	int kind = raw_plain ? 0 : sg_archive_detect(w->buf[depth], len);
	if (kind && depth + 1 > w->max_depth) {
		sg_notices_add(w->nt,
		               "%s: archive nested deeper than %u levels (archive depth cap), "
		               "not opened",
		               mpath, w->max_depth);
		if (!at_end)
			drain(w, a, mpath);
		return 0;
	}
	if (kind == KIND_STREAM && !at_end) {
		stream_src *ss = malloc(sizeof(*ss));
		struct archive *child = archive_reader_new();
		if (!ss || !child) {
			free(ss);
			archive_read_free(child);
			return sg_error_set(SG_ENOMEM, "out of memory");
		}
		*ss = (stream_src){
		        .w = w, .parent = a, .head = w->buf[depth], .head_len = len, .path = mpath};
		if (archive_read_open(child, ss, NULL, stream_read, NULL) != ARCHIVE_OK) {
			sg_notices_add(w->nt, "%s: cannot open as an archive: %s", mpath,
			               archive_error_string(child) ? archive_error_string(child)
			                                           : "unknown format");
			r = 0;
		} else {
			/* read through a parent's stream: its members are not in place */
			int mapped = w->mapped;
			w->mapped = 0;
			r = archive_walk(w, child, mpath, depth + 1, img, name);
			w->mapped = mapped;
		}
		archive_read_free(child);
		free(ss);
		if (r >= 0 && !stopped(w))
			drain(w, a, mpath);
		return r;
	}
	/* everything else is held in memory: a leaf to scan, or a zip to open */
	if (!at_end) {
		r = read_into(w, a, depth, &len, (size_t)w->max_member + 1, mpath);
		if (r < 0 || r == 2)
			return r < 0 ? r : 0;
		at_end = r == 0;
	}
	if (len > w->max_member) {
		sg_notices_add(w->nt,
		               "%s: member larger than %llu bytes (member size cap), skipped",
		               mpath, (unsigned long long)w->max_member);
		if (!at_end)
			drain(w, a, mpath);
		return 0;
	}
	w->buf[depth][len] = '\0';
	if (img && sg_image_wants(img, name, (uint64_t)(size >= 0 ? size : (int64_t)len)) &&
	    (r = sg_image_keep(img, name, w->buf[depth], len)) < 0)
		return r;
	return archive_walk_memory(w, w->buf[depth], len, mpath, depth, img, name, kind);
}

int archive_walk_memory(walk *w, const char *data, size_t len, const char *mpath, unsigned depth,
                        sg_image *img, const char *name, int kind)
{
	int r;
	if (kind) {
		struct archive *child = archive_reader_new();
		if (!child)
			return sg_error_set(SG_ENOMEM, "out of memory");
		if (archive_read_open_memory(child, data, len) != ARCHIVE_OK ||
		    opened_nothing(child)) {
			sg_notices_add(w->nt, "%s: cannot open as an archive: %s", mpath,
			               archive_error_string(child) ? archive_error_string(child)
			                                           : "unknown format");
			archive_read_free(child);
			return scan_leaf(w, mpath, data, len);
		}
		r = archive_walk(w, child, mpath, depth + 1, img, name);
		archive_read_free(child);
		return r;
	}
	return scan_leaf(w, mpath, data, len);
}

static const char *clean_name(const char *n)
{
	for (;;) {
		if (n[0] == '/')
			n++;
		else if (n[0] == '.' && n[1] == '/')
			n += 2;
		else
			return n;
	}
}

/* Walk the members of an opened archive. parent_img and layer say which
 * member of an enclosing archive this one is (an image's layer). */
int archive_walk(walk *w, struct archive *a, const char *path, unsigned depth, sg_image *parent_img,
                 const char *layer)
{
	size_t first = w->out->count;
	sg_image *img = NULL;
	int r = sg_image_new(&img);
	unsigned bad_headers = 0;
	while (r == 0 && !stopped(w)) {
		struct archive_entry *e;
		int h = archive_read_next_header(a, &e);
		if (h == ARCHIVE_EOF)
			break;
		if (h == ARCHIVE_FATAL || (h < ARCHIVE_WARN && ++bad_headers > HEADER_ERRORS)) {
			sg_notices_add(
			        w->nt,
			        "%s: damaged or truncated archive (%s), the rest is not read", path,
			        archive_error_string(a) ? archive_error_string(a) : "error");
			w->top_damaged |= depth == 0;
			break;
		}
		if (h < ARCHIVE_WARN) {
			sg_notices_add(w->nt, "%s: damaged member header (%s), skipped", path,
			               archive_error_string(a) ? archive_error_string(a) : "error");
			continue;
		}
		if (__atomic_add_fetch(&w->t->members, 1, __ATOMIC_RELAXED) > w->max_members) {
			if (!__atomic_exchange_n(&w->t->stop, 1, __ATOMIC_RELAXED))
				sg_notices_add(
				        w->nt,
				        "%s: more than %llu members (archive member cap), the "
				        "rest is not read",
				        w->top, (unsigned long long)w->max_members);
			break;
		}
		const char *raw = archive_entry_pathname_utf8(e);
		if (!raw)
			raw = archive_entry_pathname(e);
		const char *name = clean_name(raw ? raw : "");
		if (strlen(name) > w->max_name) {
			sg_notices_add(w->nt,
			               "%s: member name of %zu bytes (over the %u-byte name cap), "
			               "skipped",
			               path, strlen(name), w->max_name);
			drain(w, a, path);
			continue;
		}
		const char *base = strrchr(name, '/');
		base = base ? base + 1 : name;
		if (parent_img && !strncmp(base, ".wh.", 4)) {
			r = sg_image_whiteout(parent_img, layer, name);
			drain(w, a, path);
			continue;
		}
		/* links, directories, devices carry no bytes of their own (what a
		 * hostile header claims they carry is read past, counted) */
		if (archive_entry_filetype(e) != AE_IFREG &&
		    archive_format(a) != ARCHIVE_FORMAT_RAW) {
			drain(w, a, path);
			continue;
		}
		char *rn = NULL;
		if (archive_format(a) == ARCHIVE_FORMAT_RAW) {
			if (!(rn = raw_name(path))) {
				r = sg_error_set(SG_ENOMEM, "out of memory");
				break;
			}
			name = rn;
		}
		char *mpath = member_path(path, name);
		if (!mpath) {
			free(rn);
			r = sg_error_set(SG_ENOMEM, "out of memory");
			break;
		}
		if (archive_entry_is_encrypted(e)) {
			sg_notices_add(w->nt, "%s: encrypted, not read", mpath);
			archive_read_data_skip(a);
		} else {
			int64_t size = archive_entry_size_is_set(e) ? archive_entry_size(e) : -1;
			if (w->par && depth == 0)
				r = archive_parallel_defer(w, a, mpath, name, size, img);
			else if (w->mapped && archive_filter_count(a) <= 1 &&
			         archive_format(a) != ARCHIVE_FORMAT_RAW &&
			         (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) ==
			                 ARCHIVE_FORMAT_TAR)
				r = archive_parallel_member(w, a, mpath, depth, img, name, size);
			else
				r = walk_member(w, a, mpath, depth, img, name, size);
		}
		free(mpath);
		free(rn);
	}
	if (r == 0 && w->par && depth == 0)
		r = archive_parallel_run(w, img);
	if (r == 0)
		r = sg_image_annotate(img, path, "!/", w->out, first);
	sg_image_free(img);
	return r;
}

void archive_walk_release(walk *w)
{
	for (size_t i = 0; i < MAX_DEPTH_CAP + 2; i++) {
		free(w->buf[i]);
		w->buf[i] = NULL;
		w->cap[i] = 0;
	}
}

static int walk_top(sg_scanner *s, struct archive *a, const sg_origin *origin, uint64_t in_size,
                    sg_image *img, const char *layer, sg_findings *out, sg_notices *nt,
                    archive_parallel *par)
{
	walk *w = calloc(1, sizeof(*w));
	if (!w)
		return sg_error_set(SG_ENOMEM, "out of memory");
	w->t = &w->own;
	w->par = par;
	w->s = s;
	w->out = out;
	w->nt = nt;
	w->base = *origin;
	w->top = origin->path ? origin->path : "-";
	w->in_size = in_size;
	walk_limits(w, &sg_scanner_options(s)->artefacts);
	int r = archive_walk(w, a, w->top, 0, img, layer);
	/* broke off before its first member: text that began like an archive,
	 * or an archive too damaged to read; the caller reads it as a file */
	if (r == 0 && w->top_damaged && w->t->members == 0)
		r = 1;
	archive_walk_release(w);
	free(w);
	return r;
}

/* libarchive's gzip reader fails at open when a stream shorter than its
 * output buffer is cut short; zlib inflates what is there. NULL when
 * nothing could be inflated. */
static char *gunzip_partial(const char *data, size_t len, size_t cap, size_t *out_len)
{
	z_stream z = {0};
	size_t size = 1 << 16, got = 0;
	char *buf = malloc(size);
	if (!buf || inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
		free(buf);
		return NULL;
	}
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)(len < UINT32_MAX ? len : UINT32_MAX);
	for (;;) {
		if (got == size) {
			size_t ns = size * 2 < cap ? size * 2 : cap;
			char *nb = ns > size ? realloc(buf, ns) : NULL;
			if (!nb)
				break;
			buf = nb;
			size = ns;
		}
		z.next_out = (Bytef *)buf + got;
		z.avail_out = (uInt)(size - got);
		int zr = inflate(&z, Z_NO_FLUSH);
		got = size - z.avail_out;
		if (zr != Z_OK)
			break;
	}
	inflateEnd(&z);
	if (!got) {
		free(buf);
		return NULL;
	}
	*out_len = got;
	return buf;
}

static int scan_memory(sg_scanner *s, const char *data, size_t len, const sg_origin *origin,
                       const sg_line_ranges *lines, sg_findings *out, sg_notices *nt, int salvaged)
{
	const sg_artefact_options *ao = &sg_scanner_options(s)->artefacts;
	if (ao->no_archives || !sg_archive_detect(data, len))
		return sg_decode_scan(s, data, len, origin, lines, out, nt);
	struct archive *a = archive_reader_new();
	if (!a)
		return sg_error_set(SG_ENOMEM, "out of memory");
	int r;
	const char *path = origin && origin->path ? origin->path : "-";
	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK || opened_nothing(a)) {
		size_t plen = 0;
		char *part = NULL;
		if (!salvaged && len > 2 && !memcmp(data, "\x1f\x8b", 2))
			part = gunzip_partial(data, len,
			                      ao->max_member_size ? ao->max_member_size
			                                          : SG_ARCHIVE_MEMBER_SIZE,
			                      &plen);
		if (part) {
			sg_notices_add(
			        nt,
			        "%s: damaged or truncated gzip stream (%s), the readable part "
			        "is scanned",
			        path, archive_error_string(a) ? archive_error_string(a) : "error");
			archive_read_free(a);
			r = scan_memory(s, part, plen, origin, NULL, out, nt, 1);
			free(part);
			return r;
		}
		sg_notices_add(nt, "%s: looks like an archive but cannot be opened: %s", path,
		               archive_error_string(a) ? archive_error_string(a)
		                                       : "unknown format");
		archive_read_free(a);
		if (memchr(data, '\0', len < BINARY_SNIFF ? len : BINARY_SNIFF))
			return 0;
		return sg_decode_scan(s, data, len, origin, lines, out, nt);
	}
	sg_origin o = origin ? *origin : (sg_origin){.path = "-"};
	r = walk_top(s, a, &o, len, NULL, NULL, out, nt, NULL);
	archive_read_free(a);
	if (r == 1)
		r = memchr(data, '\0', len < BINARY_SNIFF ? len : BINARY_SNIFF)
		            ? 0
		            : sg_decode_scan(s, data, len, origin, lines, out, nt);
	return r;
}

int sg_artefact_scan(sg_scanner *s, const char *data, size_t len, const sg_origin *origin,
                     const sg_line_ranges *lines, sg_findings *out, sg_notices *nt)
{
	return scan_memory(s, data, len, origin, lines, out, nt, 0);
}

int sg_artefact_scan_fd(sg_scanner *s, int fd, const sg_origin *origin, sg_findings *out,
                        sg_notices *nt)
{
	return sg_artefact_scan_layer(s, fd, origin, NULL, NULL, out, nt);
}

int sg_artefact_scan_layer(sg_scanner *s, int fd, const sg_origin *origin, sg_image *img,
                           const char *layer, sg_findings *out, sg_notices *nt)
{
	struct stat sb;
	if (fstat(fd, &sb) < 0)
		sb.st_size = 0;
	/* a large uncompressed tarball (an image) is read by every worker */
	archive_parallel *par = NULL;
	struct archive *a = NULL;
	int r = archive_parallel_open(&par, &a, s, fd, (uint64_t)sb.st_size);
	if (r < 0)
		return r;
	if (r == 1) {
		r = walk_top(s, a, origin, (uint64_t)sb.st_size, img, layer, out, nt, par);
		archive_read_free(a);
		archive_parallel_free(par);
		return r;
	}
	a = archive_reader_new();
	if (!a)
		return sg_error_set(SG_ENOMEM, "out of memory");
	const sg_artefact_options *ao = &sg_scanner_options(s)->artefacts;
	uint64_t cap = ao->max_member_size ? ao->max_member_size : SG_ARCHIVE_MEMBER_SIZE;
	if (archive_read_open_fd(a, fd, READ_BLOCK) != ARCHIVE_OK || opened_nothing(a)) {
		/* a short damaged file: read it whole, so a cut gzip stream is salvaged */
		char *buf = (uint64_t)sb.st_size <= cap ? malloc((size_t)sb.st_size + 1) : NULL;
		ssize_t got = buf ? pread(fd, buf, (size_t)sb.st_size, 0) : -1;
		if (got > 2 && !memcmp(buf, "\x1f\x8b", 2))
			r = scan_memory(s, buf, (size_t)got, origin, NULL, out, nt, 0);
		else
			r = 1; /* the caller reads it as a file (text that began like an archive) */
		free(buf);
	} else
		r = walk_top(s, a, origin, (uint64_t)sb.st_size, img, layer, out, nt, NULL);
	archive_read_free(a);
	return r;
}
