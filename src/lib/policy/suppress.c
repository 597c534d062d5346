/* Reading and writing fingerprint lists (ignore file, baseline). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "secretgate/secretgate.h"
#include "secretgate/suppress.h"
#include "util/file.h"

#define LIST_MAX SG_FINGERPRINT_LIST_MAX

void sg_fingerprint_set_free(sg_fingerprint_set *s)
{
	for (size_t i = 0; i < s->count; i++)
		free(s->items[i]);
	free(s->items);
	memset(s, 0, sizeof(*s));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int set_add(sg_fingerprint_set *s, const char *text, size_t len)
{
	if (s->count == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 64;
		char **n = realloc(s->items, ncap * sizeof(*n));
		if (!n)
			return sg_error_set(SG_ENOMEM, "out of memory");
		s->items = n;
		s->cap = ncap;
	}
	char *c = malloc(len + 1);
	if (!c)
		return sg_error_set(SG_ENOMEM, "out of memory");
	memcpy(c, text, len);
	c[len] = '\0';
	s->items[s->count++] = c;
	return 0;
}

static int valid_fingerprint(const char *p, size_t n)
{
	const char *colon = memchr(p, ':', n);
	if (!colon || colon == p)
		return 0;
	for (const char *q = p; q < colon; q++)
		if (!(isalnum((unsigned char)*q) || *q == '-' || *q == '_' || *q == '.'))
			return 0;
	size_t hex = n - (size_t)(colon + 1 - p);
	if (hex < 8 || hex > 40)
		return 0;
	for (const char *q = colon + 1; q < p + n; q++)
		if (!isxdigit((unsigned char)*q))
			return 0;
	return 1;
}

static int set_parse(sg_fingerprint_set *s, const char *name, const char *text, size_t len);

int sg_fingerprint_set_parse(sg_fingerprint_set *s, const char *name, const char *text, size_t len)
{
	/* all or nothing: a half-read list would suppress some findings and not
	 * others, depending on where the bad line happens to be */
	int r = set_parse(s, name, text, len);
	if (r < 0)
		sg_fingerprint_set_free(s);
	return r;
}

static int set_parse(sg_fingerprint_set *s, const char *name, const char *text, size_t len)
{
	size_t lineno = 0;
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		lineno++;
		const char *hash = memchr(p, '#', (size_t)(le - p));
		const char *ce = hash ? hash : le;
		while (p < ce && isspace((unsigned char)*p))
			p++;
		while (ce > p && isspace((unsigned char)ce[-1]))
			ce--;
		if (ce > p) {
			const char *sp = p;
			while (sp < ce && !isspace((unsigned char)*sp))
				sp++;
			if (!valid_fingerprint(p, (size_t)(sp - p)))
				return sg_error_set(SG_EINVALID,
				                    "%s:%zu: not a fingerprint (want RULE:HEX)",
				                    name, lineno);
			/* "fingerprint path": normalise the separator to one space */
			char buf[4096];
			size_t fl = (size_t)(sp - p);
			const char *path = sp;
			while (path < ce && isspace((unsigned char)*path))
				path++;
			/* "./src/x" and "src/x" name the same file */
			while (ce - path >= 2 && path[0] == '.' && path[1] == '/')
				path += 2;
			size_t pl = (size_t)(ce - path);
			if (fl + pl + 2 > sizeof(buf))
				return sg_error_set(SG_EINVALID, "%s:%zu: line too long", name,
				                    lineno);
			memcpy(buf, p, fl);
			size_t bl = fl;
			if (pl) {
				buf[bl++] = ' ';
				memcpy(buf + bl, path, pl);
				bl += pl;
			}
			int r = set_add(s, buf, bl);
			if (r < 0)
				return r;
		}
		p = nl ? nl + 1 : end;
	}
	if (s->count > 1)
		qsort(s->items, s->count, sizeof(char *), cmp_str);
	return 0;
}

int sg_fingerprint_set_load(sg_fingerprint_set *s, const char *path)
{
	char *buf;
	size_t len;
	int r = sg_file_read(&buf, &len, path, LIST_MAX);
	if (r < 0)
		return r;
	r = sg_fingerprint_set_parse(s, path, buf, len);
	free(buf);
	return r;
}

static int set_contains(const sg_fingerprint_set *s, const char *key)
{
	size_t lo = 0, hi = s->count;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(key, s->items[mid]);
		if (c == 0)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

static int set_has_fingerprint(const sg_fingerprint_set *s, const char *fp, const char *path)
{
	if (set_contains(s, fp))
		return 1;
	if (path) {
		while (path[0] == '.' && path[1] == '/')
			path += 2;
		char key[4200];
		int n = snprintf(key, sizeof(key), "%s %s", fp, path);
		/* entries are capped at 4096 bytes, so a longer key cannot be listed */
		return n > 0 && (size_t)n < sizeof(key) && set_contains(s, key);
	}
	return 0;
}

int sg_fingerprint_set_has(const sg_fingerprint_set *s, const sg_finding *f)
{
	if (!f->fingerprint[0] || s->count == 0)
		return 0;
	return set_has_fingerprint(s, f->fingerprint, f->path);
}

int sg_fingerprint_set_has_legacy(const sg_fingerprint_set *s, const sg_finding *f)
{
	if (!f->fingerprint[0] || s->count == 0 || !f->secret || !f->rule_id ||
	    !sg_fingerprint_is_weak(f->secret, f->secret_len))
		return 0;
	char old[64];
	sg_fingerprint_legacy(old, f->rule_id, f->secret, f->secret_len);
	return set_has_fingerprint(s, old, f->path);
}

/* What a baseline records: every finding that blocks now or is accepted only
 * because of the baseline or the blocking severity. Findings with their own
 * suppression (inline, ignore file, config) are left to it, so removing that
 * suppression later makes them block again rather than hide in the baseline. */
static int baseline_records(const sg_finding *x)
{
	/* a range's own gate findings (sg_policy_changes, sg_policy_list_allows)
	 * say what a change does, not what the repository holds: recorded, they
	 * would let the same change pass unseen next time */
	if (x->rule_id &&
	    (!strcmp(x->rule_id, "policy-changed") || !strcmp(x->rule_id, "allow-added")))
		return 0;
	return x->fingerprint[0] &&
	       (x->suppressed == SG_SUPPRESS_NONE || x->suppressed == SG_SUPPRESS_BASELINE ||
	        x->suppressed == SG_SUPPRESS_SEVERITY || x->suppressed == SG_SUPPRESS_CONFIDENCE);
}

int sg_baseline_write(const char *path, const sg_findings *f)
{
	char **fps = calloc(f->count + 1, sizeof(char *));
	size_t n = 0;
	if (!fps)
		return sg_error_set(SG_ENOMEM, "out of memory");
	sg_findings_fingerprint_fill(f);
	for (size_t i = 0; i < f->count; i++)
		if (baseline_records(&f->items[i]))
			fps[n++] = (char *)f->items[i].fingerprint;
	if (n > 1)
		qsort(fps, n, sizeof(char *), cmp_str);
	/* written beside the target and renamed, so a failed write never leaves
	 * a truncated baseline that would let old findings block again */
	char tmp[4096];
	int tl = snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path);
	if (tl < 0 || (size_t)tl >= sizeof(tmp)) {
		free(fps);
		return sg_error_set(SG_ETOOBIG, "%s: path too long", path);
	}
	/* a fresh name made with O_EXCL: a link planted at a guessable name
	 * (the directory may be shared) is never followed */
	int fd = mkstemp(tmp);
	FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!out) {
		int e = errno;
		if (fd >= 0) {
			close(fd);
			remove(tmp);
		}
		free(fps);
		return sg_error_set(SG_EIO, "%s: %s", tmp, strerror(e));
	}
	fchmod(fd, 0644); /* a baseline is committed like any file, not private */
	fputs("# secretgate baseline: fingerprints of accepted findings (no secrets)\n", out);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcmp(fps[i], fps[i - 1]))
			fprintf(out, "%s\n", fps[i]);
	free(fps);
	int bad = ferror(out);
	if (fclose(out) != 0 || bad || rename(tmp, path) != 0) {
		int e = errno;
		remove(tmp);
		return sg_error_set(SG_EIO, "%s: cannot write: %s", path, strerror(e));
	}
	return 0;
}
