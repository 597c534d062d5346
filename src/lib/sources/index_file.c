/* git's index file read by hand: the header, the entries and the cache-tree
 * (TREE) extension, refusing every shape a staged scan must leave to
 * libgit2. Format: Documentation/gitformat-index.txt in git. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "secretgate/secretgate.h"
#include "lib/sources/index_file.h"

#define ENTRY_FIXED   62 /* times, stat data, mode, id and flags */
#define FLAG_EXTENDED 0x4000
#define FLAG_STAGE    0x3000
#define FLAG_NAME     0x0fff

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t be16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static int refuse(const char *why)
{
	return sg_error_set(SG_EINVALID, "index: %s", why);
}

/* A path the staged walk can split on '/': not empty, no empty, "." or ".."
 * component, nothing that names the repository's own directory. */
static int path_ok(const char *p, size_t n)
{
	if (n == 0 || n > SG_INDEX_MAX_PATH)
		return 0;
	const char *end = p + n;
	while (p <= end) {
		const char *s = memchr(p, '/', (size_t)(end - p));
		size_t c = (size_t)((s ? s : end) - p);
		/* ".git" in any case, spelled out: a call per four-byte component
		 * was an eighth of reading a 100,000-entry index */
		if (c == 0 || (c == 1 && p[0] == '.') || (c == 2 && p[0] == '.' && p[1] == '.') ||
		    (c == 4 && p[0] == '.' && (p[1] | 0x20) == 'g' && (p[2] | 0x20) == 'i' &&
		     (p[3] | 0x20) == 't'))
			return 0;
		if (!s)
			break;
		p = s + 1;
	}
	return 1;
}

/* git's order: path bytes, then the stage. */
static int entry_cmp(const sg_index_entry *a, const sg_index_entry *b)
{
	size_t m = a->path_len < b->path_len ? a->path_len : b->path_len;
	int c = memcmp(a->path, b->path, m);
	if (c)
		return c;
	if (a->path_len != b->path_len)
		return a->path_len < b->path_len ? -1 : 1;
	return (int)a->stage - (int)b->stage;
}

/* git's offset varint (varint.c): 7 bits a byte, each continuation adding one. */
static int varint(const unsigned char **p, const unsigned char *end, uint64_t *out)
{
	const unsigned char *q = *p;
	if (q >= end)
		return -1;
	unsigned c = *q++;
	uint64_t v = c & 127;
	while (c & 128) {
		if (q >= end || v > (UINT64_MAX >> 8))
			return -1;
		c = *q++;
		v = ((v + 1) << 7) | (c & 127);
	}
	*p = q;
	*out = v;
	return 0;
}

static int parse_entries(sg_index *ix, const unsigned char *buf, size_t body, size_t *pos)
{
	size_t at = 12, arena_len = 0, arena_cap = 0, prev_len = 0;
	size_t *offs = NULL; /* version 4: path offsets into the arena */
	if (ix->version == 4 && ix->count && !(offs = malloc(ix->count * sizeof(*offs))))
		return sg_error_set(SG_ENOMEM, "out of memory");
	int r = 0;
	for (size_t i = 0; i < ix->count && r == 0; i++) {
		sg_index_entry *e = &ix->entries[i];
		if (body - at < ENTRY_FIXED + 1) {
			r = refuse("truncated entry");
			break;
		}
		const unsigned char *p = buf + at;
		e->mode = be32(p + 24);
		e->id = p + 40;
		uint16_t flags = be16(p + 60);
		size_t fixed = ENTRY_FIXED;
		e->stage = (flags & FLAG_STAGE) >> 12;
		e->extended = 0;
		if (flags & FLAG_EXTENDED) {
			if (ix->version < 3) {
				r = refuse("extended flags in a version 2 index");
				break;
			}
			if (body - at < ENTRY_FIXED + 3) {
				r = refuse("truncated entry");
				break;
			}
			e->extended = be16(p + 62);
			fixed += 2;
			if (e->extended & ~(SG_INDEX_SKIP_WORKTREE | SG_INDEX_INTENT_TO_ADD)) {
				r = refuse("unknown extended entry flags");
				break;
			}
		}
		if (e->mode != 0100644 && e->mode != 0100755 && e->mode != 0120000 &&
		    e->mode != 0160000) {
			r = refuse(e->mode == 040000 ? "sparse-index directory entry"
			                             : "unusual entry mode");
			break;
		}
		size_t name_len = flags & FLAG_NAME;
		const unsigned char *name = p + fixed, *end = buf + body;
		if (ix->version == 4) {
			uint64_t strip;
			if (varint(&name, end, &strip) < 0 || strip > prev_len) {
				r = refuse("bad path compression");
				break;
			}
			const unsigned char *nul = memchr(name, 0, (size_t)(end - name));
			if (!nul) {
				r = refuse("truncated entry");
				break;
			}
			size_t keep = prev_len - (size_t)strip, suffix = (size_t)(nul - name);
			size_t full = keep + suffix;
			if ((name_len != FLAG_NAME && name_len != full) ||
			    full > SG_INDEX_MAX_PATH || full == 0) {
				r = refuse("bad path length");
				break;
			}
			if (arena_len + full + 1 > arena_cap) {
				size_t cap = arena_cap ? arena_cap * 2 : 4096;
				while (cap < arena_len + full + 1)
					cap *= 2;
				char *a = realloc(ix->paths, cap);
				if (!a) {
					r = sg_error_set(SG_ENOMEM, "out of memory");
					break;
				}
				ix->paths = a;
				arena_cap = cap;
			}
			char *dst = ix->paths + arena_len;
			if (i > 0)
				memcpy(dst, ix->paths + offs[i - 1], keep);
			memcpy(dst + keep, name, suffix);
			dst[full] = '\0';
			offs[i] = arena_len;
			arena_len += full + 1;
			e->path_len = (uint32_t)full;
			prev_len = full;
			at = (size_t)(nul + 1 - buf);
		} else {
			size_t room = (size_t)(end - name);
			if (name_len == FLAG_NAME) {
				const unsigned char *nul = memchr(name, 0, room);
				if (!nul) {
					r = refuse("truncated entry");
					break;
				}
				name_len = (size_t)(nul - name);
			} else if (name_len >= room || name[name_len] != 0 ||
			           memchr(name, 0, name_len)) {
				r = refuse("bad path length");
				break;
			}
			size_t size = (fixed + name_len + 8) & ~(size_t)7;
			if (size > body - at) {
				r = refuse("truncated entry");
				break;
			}
			e->path = (const char *)name;
			e->path_len = (uint32_t)name_len;
			at += size;
		}
	}
	if (r == 0 && ix->version == 4)
		for (size_t i = 0; i < ix->count; i++)
			ix->entries[i].path = ix->paths + offs[i];
	free(offs);
	*pos = at;
	return r;
}

static int parse_number(const unsigned char **p, const unsigned char *end, char stop, long *out)
{
	const unsigned char *q = *p;
	int neg = 0;
	long v = 0;
	if (q < end && *q == '-') {
		neg = 1;
		q++;
	}
	const unsigned char *digits = q;
	while (q < end && *q >= '0' && *q <= '9' && q - digits < 10)
		v = v * 10 + (*q++ - '0');
	if (q == digits || q >= end || *q != stop || v > INT32_MAX)
		return -1;
	*p = q + 1;
	*out = neg ? -v : v;
	return 0;
}

/* The cache-tree: per directory its name, "<entries> <subtrees>\n" and, when
 * valid, the tree id; subdirectories follow their parent. */
static int parse_tree(sg_index *ix, const unsigned char *p, size_t len)
{
	const unsigned char *end = p + len;
	size_t cap = 0, depth = 0;
	uint32_t stack[SG_INDEX_MAX_DEPTH + 1]; /* node indexes still expecting subtrees */
	uint32_t left[SG_INDEX_MAX_DEPTH + 1];
	while (p < end) {
		if (ix->ntrees && depth == 0)
			return refuse("cache-tree with more than one top directory");
		const unsigned char *nul = memchr(p, 0, (size_t)(end - p));
		if (!nul)
			return refuse("truncated cache-tree");
		size_t name_len = (size_t)(nul - p);
		if ((ix->ntrees == 0) != (name_len == 0) || memchr(p, '/', name_len) ||
		    name_len > SG_INDEX_MAX_PATH)
			return refuse("bad cache-tree name");
		const char *name = (const char *)p;
		p = nul + 1;
		long count, subtrees;
		if (parse_number(&p, end, ' ', &count) < 0 ||
		    parse_number(&p, end, '\n', &subtrees) < 0 || subtrees < 0 || count < -1 ||
		    (size_t)subtrees > (size_t)(end - p))
			return refuse("bad cache-tree entry");
		const unsigned char *id = NULL;
		if (count >= 0) {
			if ((size_t)(end - p) < SG_INDEX_OID_SIZE)
				return refuse("truncated cache-tree");
			id = p;
			p += SG_INDEX_OID_SIZE;
		}
		if (ix->ntrees == cap) {
			cap = cap ? cap * 2 : 64;
			sg_index_tree *t = realloc(ix->trees, cap * sizeof(*t));
			if (!t)
				return sg_error_set(SG_ENOMEM, "out of memory");
			ix->trees = t;
		}
		uint32_t me = (uint32_t)ix->ntrees++;
		ix->trees[me] = (sg_index_tree){
		        name, (uint32_t)name_len, (int32_t)count, (uint32_t)subtrees, 0, id};
		if (depth > 0)
			left[depth - 1]--;
		if (subtrees > 0) {
			if (depth == SG_INDEX_MAX_DEPTH)
				return refuse("cache-tree too deep");
			stack[depth] = me;
			left[depth] = (uint32_t)subtrees;
			depth++;
		} else {
			ix->trees[me].end = me + 1;
		}
		while (depth > 0 && left[depth - 1] == 0) {
			ix->trees[stack[depth - 1]].end = (uint32_t)ix->ntrees;
			depth--;
		}
	}
	if (depth != 0 || ix->ntrees == 0)
		return refuse("truncated cache-tree");
	return 0;
}

static int parse(sg_index *ix, const unsigned char *buf, size_t len)
{
	if (len > SG_INDEX_MAX_BYTES)
		return sg_error_set(SG_ETOOBIG, "index: over index-max-bytes (%zu bytes)",
		                    SG_INDEX_MAX_BYTES);
	if (len < 12 + SG_INDEX_OID_SIZE || memcmp(buf, "DIRC", 4) != 0)
		return refuse("not an index file");
	ix->version = be32(buf + 4);
	if (ix->version < 2 || ix->version > 4)
		return refuse("unknown version");
	uint32_t count = be32(buf + 8);
	size_t body = len - SG_INDEX_OID_SIZE;
	/* an entry takes at least 63 bytes (version 4), which bounds the count */
	if (count > (body - 12) / (ENTRY_FIXED + 1))
		return refuse("entry count larger than the file");
	if (count && !(ix->entries = calloc(count, sizeof(*ix->entries))))
		return sg_error_set(SG_ENOMEM, "out of memory");
	ix->count = count;
	size_t at = 12;
	int r = parse_entries(ix, buf, body, &at);
	while (r == 0 && at < body) {
		if (body - at < 8) {
			r = refuse("truncated extension");
			break;
		}
		const unsigned char *sig = buf + at;
		uint32_t size = be32(buf + at + 4);
		at += 8;
		if (size > body - at) {
			r = refuse("truncated extension");
			break;
		}
		if (memcmp(sig, "TREE", 4) == 0) {
			if (ix->ntrees)
				r = refuse("two cache-tree extensions");
			else
				r = parse_tree(ix, buf + at, size);
		} else if (memcmp(sig, "link", 4) == 0) {
			r = refuse("split index (link extension)");
		} else if (memcmp(sig, "sdir", 4) == 0) {
			r = refuse("sparse index (sdir extension)");
		} else if (sig[0] < 'A' || sig[0] > 'Z') {
			r = refuse("unknown required extension");
		}
		at += size;
	}
	/* checked after the extensions so that a split index is named as such */
	for (size_t i = 0; i < ix->count && r == 0; i++) {
		sg_index_entry *e = &ix->entries[i];
		if (!path_ok(e->path, e->path_len))
			r = refuse("unusual path");
		else if (i > 0 && entry_cmp(&ix->entries[i - 1], e) >= 0)
			r = refuse("entries out of order");
		else if (e->stage)
			ix->conflicts++;
		if (e->extended & SG_INDEX_INTENT_TO_ADD)
			ix->intent_to_add++;
	}
	return r;
}

int sg_index_open(sg_index *ix, const char *path)
{
	memset(ix, 0, sizeof(*ix));
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return sg_error_set(SG_ENOTFOUND, "index %s: %s", path, strerror(errno));
	struct stat sb;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return sg_error_set(SG_ENOTFOUND, "index %s: not a regular file", path);
	}
	if ((uint64_t)sb.st_size > SG_INDEX_MAX_BYTES) {
		close(fd);
		return sg_error_set(SG_ETOOBIG, "index: over index-max-bytes (%zu bytes)",
		                    SG_INDEX_MAX_BYTES);
	}
	size_t len = (size_t)sb.st_size;
	void *m = len ? mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0) : NULL;
	close(fd);
	if (len == 0)
		return refuse("empty file");
	if (m == MAP_FAILED)
		return sg_error_set(SG_EIO, "index %s: %s", path, strerror(errno));
	ix->map = m;
	ix->map_len = len;
	return parse(ix, m, len);
}

int sg_index_parse(sg_index *ix, const unsigned char *buf, size_t len)
{
	memset(ix, 0, sizeof(*ix));
	return parse(ix, buf, len);
}

void sg_index_free(sg_index *ix)
{
	free(ix->entries);
	free(ix->trees);
	free(ix->paths);
	if (ix->map)
		munmap(ix->map, ix->map_len);
	memset(ix, 0, sizeof(*ix));
}
