/* Encoded secrets: runs that look base64 (either alphabet, any alignment),
 * hex, percent-encoded, written with \uXXXX / \xXX escapes or HTML
 * entities are decoded and scanned again, up to the decode depth. A run is
 * only rescanned when it decodes to text, so binary blobs, integrity
 * hashes and source-map mappings (which decode to noise) cost a few bytes
 * of decoding and say nothing. A finding made this way points at the
 * encoded run in the chunk and lists the encodings undone. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "secretgate/artefact.h"
#include "lib/engine/prefilter.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define B64_MIN      20          /* shortest run worth decoding */
#define B64_MAX      (64u << 10) /* longer runs are data, not credentials */
#define HEX_MIN      32
#define TEXT_MIN     8  /* decoded bytes */
#define CONTEXT      96 /* bytes of the line before an escape cluster kept for context */
#define CLUSTER_GAP  32
#define KEY_MAX      64 /* a key name kept in front of a decoded value */
#define BUDGET_FLOOR (256u << 10)
#define SPAN         4096 /* bytes classified per call */
#define SKIP_MIN     256  /* fewer bytes of a copy are decoded again, not skipped */

static const char *const names[] = {"", "base64", "hex", "percent", "escape", "html"};

const char *sg_decoding_name(unsigned d)
{
	return d < SG_DECODED_MAX ? names[d] : "unknown";
}

/* 0..63 for either base64 alphabet, 64 for '=', 255 otherwise */
static unsigned char b64v[256];
static unsigned char hexv[256];
/* For two base64 characters a, b (both below 0x80): bit p of head[a][b] is
 * set when, as the characters p and p + 1 of a group, they make the group's
 * byte p an ASCII text byte, as b64_decode wants the first three. */
static unsigned char head[128][128];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static int ascii_text(unsigned c)
{
	return (c >= 0x20 && c < 0x7f) || c == '\n' || c == '\r' || c == '\t';
}

static void tables_init(void)
{
	memset(b64v, 255, sizeof(b64v));
	memset(hexv, 255, sizeof(hexv));
	for (int i = 0; i < 26; i++) {
		b64v['A' + i] = (unsigned char)i;
		b64v['a' + i] = (unsigned char)(26 + i);
	}
	for (int i = 0; i < 10; i++) {
		b64v['0' + i] = (unsigned char)(52 + i);
		hexv['0' + i] = (unsigned char)i;
	}
	for (int i = 0; i < 6; i++) {
		hexv['a' + i] = (unsigned char)(10 + i);
		hexv['A' + i] = (unsigned char)(10 + i);
	}
	b64v['+'] = b64v['-'] = 62;
	b64v['/'] = b64v['_'] = 63;
	b64v['='] = 64;
	for (int a = 0; a < 128; a++)
		for (int b = 0; b < 128; b++) {
			unsigned va = b64v[a], vb = b64v[b];
			if (va >= 64 || vb >= 64)
				continue;
			head[a][b] = (unsigned char)(ascii_text((va << 2 | vb >> 4) & 0xff) |
			                             ascii_text((va & 15) << 4 | vb >> 2) << 1 |
			                             ascii_text((va & 3) << 6 | vb) << 2);
		}
}

/* Whether b64_decode of p[k, n) can give text for some k that try_run
 * tries: at least its first group must be three ASCII text bytes. Most
 * runs in code (identifiers, paths) fail here for every k: seven table
 * look-ups, no branch. The run holds base64 characters only, n >= 8. */
static int b64_head_text(const char *p, size_t n, size_t min)
{
	const unsigned char *u = (const unsigned char *)p;
	unsigned t[7];
	for (int i = 0; i < 7; i++)
		t[i] = head[u[i]][u[i + 1]];
	unsigned ok = 0;
	for (size_t k = 0; k < 4; k++)
		ok |= (t[k] & (t[k + 1] >> 1) & (t[k + 2] >> 2) & 1u) << k;
	/* the k that try_run tries: k + min <= n */
	size_t tried = n < min ? 0 : n - min + 1;
	return (ok & (tried >= 4 ? 15u : (1u << tried) - 1)) != 0;
}

typedef struct decoder {
	sg_scanner *s;
	const sg_origin *origin;
	const sg_line_ranges *lines;
	sg_findings *out;
	sg_notices *nt;
	const char *root; /* the chunk as scanned */
	size_t root_len;
	size_t first;  /* this chunk's first finding in out */
	size_t budget; /* decoded bytes left for this chunk */
	int over;      /* budget ran out */
	int noisy;     /* a run or escape cluster decoded to text, or was tried */
	unsigned depth;
	int inline_allow;
	/* line numbers of root, advanced as spans move forward */
	size_t line_pos, line_no, line_start;
} decoder;

/* Text: printable ASCII and whitespace, a few UTF-8 bytes. Cheap to reject. */
static int is_text(const unsigned char *p, size_t n)
{
	if (n < TEXT_MIN)
		return 0;
	size_t high = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];
		if (c >= 0x20 && c < 0x7f)
			continue;
		if (c == '\n' || c == '\r' || c == '\t')
			continue;
		if (c >= 0x80 && ++high * 8 <= n)
			continue;
		return 0;
	}
	return 1;
}

/* Decode base64 (standard or url-safe, padding optional); stops at the
 * first byte that is not text, returning 0 then. */
static size_t b64_decode(const char *in, size_t n, unsigned char *out)
{
	size_t o = 0, high = 0;
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char v = b64v[(unsigned char)in[i]];
		if (v == 64)
			break;
		acc = (acc << 6) | v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			unsigned char c = (unsigned char)(acc >> bits);
			if (c < 0x20 ? (c != '\n' && c != '\r' && c != '\t') : c == 0x7f)
				return 0;
			/* text starts with ASCII; a few UTF-8 bytes later are fine */
			if (c >= 0x80 && (o < 3 || ++high > 2 + o / 8))
				return 0;
			out[o++] = c;
		}
	}
	return o;
}

static size_t hex_decode(const char *in, size_t n, unsigned char *out)
{
	size_t o = 0;
	for (size_t i = 0; i + 1 < n; i += 2) {
		unsigned char c = (unsigned char)(hexv[(unsigned char)in[i]] << 4 |
		                                  hexv[(unsigned char)in[i + 1]]);
		if (c < 0x20 ? (c != '\n' && c != '\r' && c != '\t') : c >= 0x7f)
			return 0;
		out[o++] = c;
	}
	return o;
}

static size_t put_utf8(unsigned char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | cp >> 6);
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	o[0] = (unsigned char)(0xe0 | cp >> 12);
	o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	o[2] = (unsigned char)(0x80 | (cp & 0x3f));
	return 3;
}

static int hex_at(const char *p, const char *end, int n, uint32_t *v)
{
	if (end - p < n)
		return 0;
	*v = 0;
	for (int i = 0; i < n; i++) {
		unsigned char h = hexv[(unsigned char)p[i]];
		if (h == 255)
			return 0;
		*v = *v << 4 | h;
	}
	return 1;
}

/* Length of the escape of `kind` at p (0 when none); its value in *cp. */
static size_t escape_at(int kind, const char *p, const char *end, uint32_t *cp)
{
	if (kind == SG_DECODED_PERCENT && *p == '%')
		return hex_at(p + 1, end, 2, cp) ? 3 : 0;
	if (kind == SG_DECODED_ESCAPE && *p == '\\' && end - p > 1) {
		if (p[1] == 'u')
			return hex_at(p + 2, end, 4, cp) && *cp < 0xd800 ? 6 : 0;
		if (p[1] == 'x')
			return hex_at(p + 2, end, 2, cp) ? 4 : 0;
		return 0;
	}
	if (kind == SG_DECODED_HTML && *p == '&' && end - p > 3 && strchr("algq#", p[1])) {
		static const struct {
			const char *name;
			char c;
		} named[] = {{"&amp;", '&'},  {"&lt;", '<'},    {"&gt;", '>'},
		             {"&quot;", '"'}, {"&apos;", '\''}, {"&#39;", '\''}};
		for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
			size_t n = strlen(named[i].name);
			if ((size_t)(end - p) >= n && !memcmp(p, named[i].name, n)) {
				*cp = (unsigned char)named[i].c;
				return n;
			}
		}
		if (end - p > 3 && p[1] == '#') {
			const char *q = p + 2;
			uint32_t v = 0;
			int digits = 0;
			if (*q == 'x' || *q == 'X') {
				for (q++; q < end && hexv[(unsigned char)*q] != 255 && digits < 6;
				     q++, digits++)
					v = v << 4 | hexv[(unsigned char)*q];
			} else {
				for (; q < end && *q >= '0' && *q <= '9' && digits < 7;
				     q++, digits++)
					v = v * 10 + (uint32_t)(*q - '0');
			}
			if (digits && q < end && *q == ';' && v > 0 && v < 0xd800) {
				*cp = v;
				return (size_t)(q + 1 - p);
			}
		}
	}
	return 0;
}

static size_t unescape(int kind, const char *in, size_t n, unsigned char *out)
{
	const char *p = in, *end = in + n;
	size_t o = 0;
	while (p < end) {
		uint32_t cp;
		size_t k = escape_at(kind, p, end, &cp);
		if (k) {
			o += kind == SG_DECODED_PERCENT ? (out[o] = (unsigned char)cp, 1)
			                                : put_utf8(out + o, cp);
			p += k;
		} else {
			out[o++] = (unsigned char)*p++;
		}
	}
	return o;
}

static void line_of(decoder *d, size_t pos, uint32_t *line, uint32_t *col)
{
	if (pos < d->line_pos) {
		d->line_pos = 0;
		d->line_no = 1;
		d->line_start = 0;
	}
	const char *p = d->root + d->line_pos, *end = d->root + pos;
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
		d->line_no++;
		d->line_start = (size_t)(++p - d->root);
	}
	d->line_pos = pos;
	*line = (uint32_t)d->line_no;
	*col = (uint32_t)(pos - d->line_start + 1);
}

static int line_allowed(const sg_line_ranges *lines, uint32_t line)
{
	for (size_t i = 0; i < lines->count; i++)
		if (line >= lines->ranges[i][0] && line <= lines->ranges[i][1])
			return 1;
	return 0;
}

static int has_marker(const decoder *d, size_t from, size_t to)
{
	while (from > 0 && d->root[from - 1] != '\n')
		from--;
	const char *nl = memchr(d->root + to, '\n', d->root_len - to);
	size_t n = (nl ? (size_t)(nl - d->root) : d->root_len) - from;
	return memmem(d->root + from, n, "secretgate:allow", 16) != NULL;
}

/* Found already: the same secret on the line, or the same rule over the
 * same bytes in another spelling (a URL found plain and percent-decoded):
 * returns 1. When the plain finding is the encoded run itself (a password
 * rule taking a base64 value for the password), the decoded one is the
 * better report: returns 2 with its index in *which. */
static int seen(const decoder *d, const sg_finding *f, size_t span_from, size_t span_to,
                size_t *which)
{
	for (size_t i = d->first; i < d->out->count; i++) {
		const sg_finding *o = &d->out->items[i];
		if (o->line != f->line)
			continue;
		if (!strcmp(sg_finding_identity(o), sg_finding_identity(f)))
			return 1;
		if (!strcmp(o->rule_id, f->rule_id) && o->offset < span_to &&
		    o->offset + o->secret_len > span_from) {
			*which = i;
			return !o->decoded[0] && o->offset >= span_from &&
			                       o->offset + o->secret_len <= span_to
			               ? 2
			               : 1;
		}
	}
	return 0;
}

static int decode_text(decoder *d, const char *text, size_t len, size_t span_from, size_t span_to,
                       const uint8_t *chain, unsigned level);

/* Scan a decoded buffer; its findings are placed at the encoded span. */
static int rescan(decoder *d, const char *buf, size_t n, size_t span_from, size_t span_to,
                  const uint8_t *chain, unsigned level, const char *original, size_t olen)
{
	sg_findings tmp;
	sg_findings_init(&tmp, 0);
	int r = sg_scanner_scan(d->s, buf, n, d->origin, NULL, &tmp);
	for (size_t i = 0; r == 0 && i < tmp.count; i++) {
		sg_finding f = tmp.items[i];
		/* a secret that is there in plain was found by the plain scan */
		if (memmem(original, olen, f.secret, f.secret_len))
			continue;
		line_of(d, span_from, &f.line, &f.column);
		uint32_t el, ec;
		line_of(d, span_to > span_from ? span_to - 1 : span_from, &el, &ec);
		f.end_line = el;
		f.end_column = ec;
		f.offset = span_from;
		if (f.pair_secret) { /* both parts were in the encoded span */
			f.pair_line = f.line;
			f.pair_column = f.column;
			f.pair_offset = span_from;
		}
		memset(f.decoded, 0, sizeof(f.decoded));
		memcpy(f.decoded, chain,
		       level + 1 < sizeof(f.decoded) ? level + 1 : sizeof(f.decoded));
		if (d->lines && d->lines->ranges && !line_allowed(d->lines, f.line))
			continue;
		size_t which = 0;
		int dup = seen(d, &f, span_from, span_to, &which);
		if (dup == 1)
			continue;
		f.suppressed = d->inline_allow && has_marker(d, span_from, span_to)
		                       ? SG_SUPPRESS_INLINE
		                       : SG_SUPPRESS_NONE;
		r = sg_findings_push(d->out, &f);
		if (r == 0 && dup == 2 && d->out->count > which + 1) {
			/* the decoded finding takes the plain one's place */
			sg_finding_clear(&d->out->items[which]);
			d->out->items[which] = d->out->items[--d->out->count];
		}
	}
	sg_findings_free(&tmp);
	if (r == 0 && level + 1 < d->depth)
		r = decode_text(d, buf, n, span_from, span_to, chain, level + 1);
	return r;
}

/* The key a value is assigned to on its line ("password: <run>",
 * "\"auth\": \"<run>\"", "TOKEN=<run>"), so a decoded value keeps the name
 * the generic rules look for. Returns its length (0: none) and start. */
static size_t key_before(const char *text, size_t run, const char **key)
{
	size_t i = run;
	while (i > 0 && (text[i - 1] == '"' || text[i - 1] == '\'' || text[i - 1] == ' '))
		i--;
	if (i == 0 || (text[i - 1] != ':' && text[i - 1] != '='))
		return 0;
	i--;
	while (i > 0 && (text[i - 1] == '"' || text[i - 1] == '\'' || text[i - 1] == ' '))
		i--;
	size_t end = i;
	while (i > 0 && end - i < KEY_MAX &&
	       (b64v[(unsigned char)text[i - 1]] < 64 || text[i - 1] == '.'))
		i--;
	*key = text + i;
	return end - i;
}

static int prefixed_by(const char *text, size_t run, const char *what)
{
	size_t n = strlen(what);
	return run >= n && !strncasecmp(text + run - n, what, n);
}

/* One base64 or hex run at text[a, b). */
/* Whether p[0, n) holds an upper-case and a lower-case ASCII letter: eight
 * bytes at a time (a byte c below 0x80 plus 0x80 - lo has its top bit set
 * when c >= lo, without a carry into the next byte), the rest one by one. */
static int both_cases(const char *p, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull, top = 0x8080808080808080ull;
	uint64_t up = 0, low = 0;
	size_t i = 0;
	for (; i + 8 <= n && !(up && low); i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		if (w & top)
			break; /* a byte from 0x80: one by one from here */
		up |= (w + ones * (0x80 - 'A')) & ~(w + ones * (0x80 - 'Z' - 1)) & top;
		low |= (w + ones * (0x80 - 'a')) & ~(w + ones * (0x80 - 'z' - 1)) & top;
	}
	for (; i < n && !(up && low); i++) {
		unsigned char c = (unsigned char)p[i];
		up |= c >= 'A' && c <= 'Z';
		low |= c >= 'a' && c <= 'z';
	}
	return up && low;
}

static int try_run(decoder *d, const char *text, size_t len, size_t a, size_t b, size_t span_from,
                   size_t span_to, uint8_t *chain, unsigned level, unsigned char *scratch)
{
	size_t n = b - a;
	int hex = n >= HEX_MIN && n % 2 == 0, upper = 0, lower = 0;
	for (size_t i = a; hex && i < b; i++) {
		unsigned char c = (unsigned char)text[i];
		upper |= c >= 'A' && c <= 'F';
		lower |= c >= 'a' && c <= 'f';
		hex = hexv[c] != 255;
	}
	/* hex of lower-case and upper-case both is rare; a mixed run is base64 */
	if (hex && upper && lower)
		hex = 0;
	if (!hex && !b64_head_text(text + a, n, B64_MIN))
		return 0;
	/* base64 of text has both cases; words that decode to text by chance
	 * seldom do. Checked before decoding: most runs in code (paths,
	 * snake_case and lower-case words) stop here */
	if (!hex && !both_cases(text + a, n))
		return 0;
	int kind = hex ? SG_DECODED_HEX : SG_DECODED_BASE64;
	/* decoded after room for "key: " or "username: ...\npassword: "; the
	 * decoders stop at the first byte that is not text, so a run that is
	 * no encoding (an identifier, a path) costs a few characters */
	size_t pre = KEY_MAX + 2;
	size_t got = 0;
	if (hex) {
		got = hex_decode(text + a, n, scratch + pre);
	} else {
		for (size_t k = 0; k < 4 && !got && k + B64_MIN <= n; k++) {
			got = b64_decode(text + a + k, n - k, scratch + pre);
			if (got && !is_text(scratch + pre, got))
				got = 0;
		}
	}
	if (!got || !is_text(scratch + pre, got))
		return 0;
	d->noisy = 1;
	if (d->budget < n) {
		d->over = 1;
		return 0;
	}
	d->budget -= n;
	/* integrity hashes ("sha512-" joins the run) and data URIs are data */
	if (prefixed_by(text, a, "base64,") ||
	    (n > 7 && !strncmp(text + a, "sha", 3) && memchr(text + a + 3, '-', 4)))
		return 0;
	const char *key = NULL;
	size_t klen = key_before(text, a, &key);
	int basic = prefixed_by(text, a, "basic ") || (klen == 4 && !strncasecmp(key, "auth", 4));
	unsigned char *start = scratch + pre;
	size_t total = got;
	if (basic) {
		unsigned char *colon = memchr(start, ':', got);
		if (colon) {
			/* user:password becomes lines the password rules read */
			size_t ul = (size_t)(colon - start);
			memmove(scratch + 10, start, ul);
			memcpy(scratch, "username: ", 10);
			size_t pl = got - ul - 1;
			memmove(scratch + 10 + ul + 11, colon + 1, pl);
			memcpy(scratch + 10 + ul, "\npassword: ", 11);
			start = scratch;
			total = 10 + ul + 11 + pl;
		}
	} else if (klen) {
		start = scratch + pre - klen - 2;
		memcpy(start, key, klen);
		memcpy(start + klen, ": ", 2);
		total = got + klen + 2;
	}
	chain[level] = (uint8_t)kind;
	if (level == 0) {
		/* the encoded span takes its padding */
		span_from = a;
		span_to = b;
		while (span_to < len && span_to - b < 2 && text[span_to] == '=')
			span_to++;
	}
	return rescan(d, (const char *)start, total, span_from, span_to, chain, level, text + a, n);
}

/* A cluster of escapes of one kind around text[a, b): the line around it
 * (bounded) is decoded and scanned again. */
static int try_cluster(decoder *d, const char *text, size_t len, int kind, size_t a, size_t b,
                       size_t span_from, size_t span_to, uint8_t *chain, unsigned level,
                       unsigned char *scratch)
{
	size_t from = a > CONTEXT ? a - CONTEXT : 0,
	       to = b + CLUSTER_GAP < len ? b + CLUSTER_GAP : len;
	for (size_t i = a; i > from; i--)
		if (text[i - 1] == '\n') {
			from = i;
			break;
		}
	const char *nl = memchr(text + b, '\n', to - b);
	if (nl)
		to = (size_t)(nl - text);
	d->noisy = 1;
	if (d->budget < to - from) {
		d->over = 1;
		return 0;
	}
	d->budget -= to - from;
	size_t got = unescape(kind, text + from, to - from, scratch);
	chain[level] = (uint8_t)kind;
	if (level == 0) {
		span_from = a;
		span_to = b;
	}
	return rescan(d, (const char *)scratch, got, span_from, span_to, chain, level, text + from,
	              to - from);
}

static int scratch_grow(unsigned char **scratch, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	unsigned char *ns = realloc(*scratch, need);
	if (!ns)
		return sg_error_set(SG_ENOMEM, "out of memory");
	*scratch = ns;
	*cap = need;
	return 0;
}

/* Which of 16 bytes are base64 characters, and which may start an escape
 * ('%', '\\', '&'): one bit each. SSE2 where there is SSE2. */
static inline void classify16(const char *p, uint32_t *b64, uint32_t *lead)
{
#ifdef __SSE2__
	__m128i v = _mm_loadu_si128((const __m128i *)p);
	/* c - lo < n, unsigned, written as a signed compare */
#define IN_RANGE(x, lo, n)                                                                         \
	_mm_cmplt_epi8(_mm_add_epi8((x), _mm_set1_epi8((char)(0x80 - (lo)))),                      \
	               _mm_set1_epi8((char)((n)-128)))
	__m128i letter = IN_RANGE(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 26);
	__m128i digit = IN_RANGE(v, '0', 10);
#undef IN_RANGE
	__m128i sym = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('+')),
	                                        _mm_cmpeq_epi8(v, _mm_set1_epi8('/'))),
	                           _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('-')),
	                                        _mm_cmpeq_epi8(v, _mm_set1_epi8('_'))));
	__m128i esc = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('%')),
	                                        _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
	                           _mm_cmpeq_epi8(v, _mm_set1_epi8('&')));
	*b64 = (uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letter, digit), sym));
	*lead = (uint32_t)_mm_movemask_epi8(esc);
#else
	uint32_t b = 0, l = 0;
	for (int i = 0; i < 16; i++) {
		unsigned char c = (unsigned char)p[i];
		b |= (uint32_t)(b64v[c] < 64) << i;
		l |= (uint32_t)(c == '%' || c == '\\' || c == '&') << i;
	}
	*b64 = b;
	*lead = l;
#endif
}

/* The k-th 64 bytes of p[0, n): in place, or the short last part copied
 * into tail and padded with zeros. */
static inline const char *window_at(const char *p, size_t n, size_t k, char tail[64])
{
	const char *q = p + 64 * k;
	if (n - 64 * k >= 64)
		return q;
	memset(tail, 0, 64);
	memcpy(tail, q, n - 64 * k);
	return tail;
}

/* A span's bytes classified, one bit per byte, 64 bytes to a word. */
typedef struct span_masks {
	uint64_t b64[SPAN / 64], lead[SPAN / 64];
	/* Upper-case and lower-case letters and hex digits, which say without a
	 * call whether try_run would look at a run; a classifier that does not
	 * make them sets every bit (no run is passed over). */
	uint64_t upper[SPAN / 64], lower[SPAN / 64], hex[SPAN / 64];
	/* The ends of the runs inside each window that try_run would look at
	 * (run_ends), and the windows that need a look at all: bit w of busy is
	 * clear only when window w holds no such run, no lead, and ends no run
	 * that came in from before and is long enough (window 0 is always
	 * looked at: what came in from before is not known here). */
	uint64_t cand[SPAN / 64], busy;
} span_masks;

/* The last bits of the runs of m inside the window that try_run would look
 * at: at least B64_MIN long, not reaching bit 63 (it goes on) and not the
 * run at bit 0 (it came in from before, or is taken as if it had), holding
 * an upper-case and a lower-case letter or nothing but hex digits. Whether
 * a run holds a bit of k is the carry out of its last bit in m + (k & m):
 * the carry starts at its first bit of k and runs through the ones of m. */
static inline uint64_t run_ends(uint64_t m, uint64_t up, uint64_t low, uint64_t hex, size_t lo)
{
	_Static_assert(B64_MIN == 20, "the shifts below find runs of 20");
	uint64_t x = m; /* bit i set when bits i..i+19 are all set */
	x &= x >> 1;
	x &= x >> 2;
	x &= x >> 4;
	x &= x >> 8;
	x &= x >> 4;
	uint64_t ends = m & ~(m >> 1) & (x << 19) & ~(1ull << 63) & (~0ull << lo);
	uint64_t u = up & m, l = low & m, nh = m & ~hex;
	uint64_t cu = ((m + u) ^ m ^ u) >> 1, cl = ((m + l) ^ m ^ l) >> 1,
	         cn = ((m + nh) ^ m ^ nh) >> 1;
	return ends & ((cu & cl) | ~cn);
}

/* cand for each window of n bytes, every window busy: for the classifiers
 * without the vector pass below. */
static void busy_all(span_masks *m, size_t n)
{
	size_t nw = (n + 63) / 64;
	for (size_t w = 0; w < nw; w++) {
		uint64_t b = m->b64[w];
		m->cand[w] = b == ~0ull ? 0
		                        : run_ends(b, m->upper[w], m->lower[w], m->hex[w],
		                                   (size_t)__builtin_ctzll(~b));
	}
	m->busy = nw >= 64 ? ~0ull : (1ull << nw) - 1;
}

static void no_case_masks(span_masks *m, size_t n)
{
	size_t words = (n + 63) / 64;
	memset(m->upper, 0xff, words * sizeof(uint64_t));
	memset(m->lower, 0xff, words * sizeof(uint64_t));
	memset(m->hex, 0xff, words * sizeof(uint64_t));
}

/* Classify p[0, n) (n at most SPAN) into one bit per byte, 64 bytes to a
 * word; bits past n are 0 (a zero byte is neither kind). The text goes on
 * to p + avail (avail >= n): a classifier may look past a lead at what
 * follows, and leave out leads escape_at would reject. */
static void classify_span_generic(const char *p, size_t n, size_t avail, span_masks *m)
{
	(void)avail;
	char tail[64];
	uint64_t *b64 = m->b64, *lead = m->lead;
	no_case_masks(m, n);
	for (size_t k = 0; 64 * k < n; k++) {
		const char *q = window_at(p, n, k, tail);
		uint64_t b = 0, l = 0;
		for (int j = 0; j < 4; j++) {
			uint32_t bj, lj;
			classify16(q + 16 * j, &bj, &lj);
			b |= (uint64_t)bj << (16 * j);
			l |= (uint64_t)lj << (16 * j);
		}
		b64[k] = b;
		lead[k] = l;
	}
	busy_all(m, n);
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
/* The same, 32 bytes at a time, on machines with AVX2 (chosen at run time). */
__attribute__((target("avx2"))) static inline void classify32_avx2(const char *p, uint32_t *b,
                                                                   uint32_t *l)
{
	__m256i v = _mm256_loadu_si256((const __m256i *)p);
	__m256i lo = _mm256_or_si256(v, _mm256_set1_epi8(0x20));
	__m256i letter =
	        _mm256_cmpgt_epi8(_mm256_set1_epi8((char)(26 - 128)),
	                          _mm256_add_epi8(lo, _mm256_set1_epi8((char)(0x80 - 'a'))));
	__m256i digit = _mm256_cmpgt_epi8(_mm256_set1_epi8((char)(10 - 128)),
	                                  _mm256_add_epi8(v, _mm256_set1_epi8((char)(0x80 - '0'))));
	__m256i sym = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('+')),
	                                              _mm256_cmpeq_epi8(v, _mm256_set1_epi8('/'))),
	                              _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('-')),
	                                              _mm256_cmpeq_epi8(v, _mm256_set1_epi8('_'))));
	__m256i esc = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('%')),
	                                              _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\\'))),
	                              _mm256_cmpeq_epi8(v, _mm256_set1_epi8('&')));
	*b = (uint32_t)_mm256_movemask_epi8(_mm256_or_si256(_mm256_or_si256(letter, digit), sym));
	*l = (uint32_t)_mm256_movemask_epi8(esc);
}

__attribute__((target("avx2"))) static void classify_span_avx2(const char *p, size_t n,
                                                               size_t avail, span_masks *m)
{
	(void)avail;
	char tail[64];
	uint64_t *b64 = m->b64, *lead = m->lead;
	no_case_masks(m, n);
	for (size_t k = 0; 64 * k < n; k++) {
		const char *q = window_at(p, n, k, tail);
		uint32_t b0, l0, b1, l1;
		classify32_avx2(q, &b0, &l0);
		classify32_avx2(q + 32, &b1, &l1);
		b64[k] = (uint64_t)b1 << 32 | b0;
		lead[k] = (uint64_t)l1 << 32 | l0;
	}
	busy_all(m, n);
}

/* The bytes of p[0, left) as a vector, zeros past them (nothing past them
 * is read). */
__attribute__((target("avx512bw"))) static inline __m512i load_upto(const char *p, size_t left)
{
	__mmask64 in = left >= 64 ? ~(__mmask64)0 : (((__mmask64)1 << left) - 1);
	return _mm512_maskz_loadu_epi8(in, p);
}

__attribute__((target("avx512bw"))) static inline __mmask64 hex_mask(__m512i v)
{
	__m512i lo = _mm512_or_si512(v, _mm512_set1_epi8(0x20));
	return _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8('0')),
	                              _mm512_set1_epi8(10)) |
	       _mm512_cmplt_epu8_mask(_mm512_sub_epi8(lo, _mm512_set1_epi8('a')),
	                              _mm512_set1_epi8(6));
}

/* The leads of 64 bytes at q (the text goes on for `more` bytes) kept only
 * when the bytes after one can make an escape as escape_at reads them ('%'
 * and two hex digits, '\\' and 'u' or 'x', '&' and one of "algq#"): in code
 * most '%', '\\' and '&' are operators and format strings. */
__attribute__((target("avx512bw"))) static inline __mmask64
escape_leads(const char *q, size_t more, __mmask64 pct, __mmask64 bs, __mmask64 amp)
{
	if (!(pct | bs | amp))
		return 0;
	__m512i v1 = load_upto(q + 1, more - 1);
	if (pct)
		pct &= hex_mask(v1) & hex_mask(load_upto(q + 2, more > 2 ? more - 2 : 0));
	bs &= _mm512_cmpeq_epi8_mask(v1, _mm512_set1_epi8('u')) |
	      _mm512_cmpeq_epi8_mask(v1, _mm512_set1_epi8('x'));
	amp &= _mm512_cmpeq_epi8_mask(v1, _mm512_set1_epi8('a')) |
	       _mm512_cmpeq_epi8_mask(v1, _mm512_set1_epi8('l')) |
	       _mm512_cmpeq_epi8_mask(v1, _mm512_set1_epi8('g')) |
	       _mm512_cmpeq_epi8_mask(v1, _mm512_set1_epi8('q')) |
	       _mm512_cmpeq_epi8_mask(v1, _mm512_set1_epi8('#'));
	return pct | bs | amp;
}

/* With AVX-512BW, 64 bytes to masks in one pass of compares; the last part
 * is read with a masked load, so nothing past the text is touched. */
__attribute__((target("avx512bw"))) static void classify_span_avx512(const char *p, size_t n,
                                                                     size_t avail, span_masks *m)
{
	for (size_t k = 0; 64 * k < n; k++) {
		const char *q = p + 64 * k;
		__m512i v = load_upto(q, n - 64 * k);
		__m512i lo = _mm512_or_si512(v, _mm512_set1_epi8(0x20));
		__mmask64 letter = _mm512_cmplt_epu8_mask(
		                  _mm512_sub_epi8(lo, _mm512_set1_epi8('a')), _mm512_set1_epi8(26)),
		          upper = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8('A')),
		                                         _mm512_set1_epi8(26));
		m->upper[k] = upper;
		m->lower[k] = letter & ~upper;
		m->hex[k] = hex_mask(v);
		m->b64[k] = letter |
		            _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8('0')),
		                                   _mm512_set1_epi8(10)) |
		            _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('+')) |
		            _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('/')) |
		            _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('-')) |
		            _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('_'));
		m->lead[k] = escape_leads(q, avail - 64 * k,
		                          _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('%')),
		                          _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\\')),
		                          _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('&')));
	}
	busy_all(m, n);
}

/* Each ASCII byte's kinds as bits, for the byte permute below. */
enum { K_B64 = 1, K_UPPER = 2, K_LOWER = 4, K_HEX = 8, K_PCT = 16, K_BS = 32, K_AMP = 64 };
static unsigned char kinds[128];

static void kinds_init(void)
{
	for (int c = 0; c < 128; c++) {
		unsigned char k = 0;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '+' || c == '/' || c == '-' || c == '_')
			k |= K_B64;
		if (c >= 'A' && c <= 'Z')
			k |= K_UPPER;
		if (c >= 'a' && c <= 'z')
			k |= K_LOWER;
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
			k |= K_HEX;
		k |= c == '%' ? K_PCT : c == '\\' ? K_BS : c == '&' ? K_AMP : 0;
		kinds[c] = k;
	}
}

/* cand and busy for the n bytes' windows, eight windows to a vector: the
 * same as busy_all and run_ends, with busy marking the windows that need a
 * look (run_ends not empty, a lead, all base64, or the end of a run that
 * came in from the window before and is at least B64_MIN long). */
__attribute__((target("avx512f,avx512cd"))) static void busy_avx512(span_masks *m, size_t n)
{
	size_t nw = (n + 63) / 64;
	uint64_t busy = 1;
	const __m512i ones = _mm512_set1_epi64(-1), zero = _mm512_setzero_si512();
	for (size_t k = 0; k < nw; k += 8) {
		__mmask8 in = nw - k >= 8 ? 0xff : (__mmask8)((1u << (nw - k)) - 1);
		__m512i b = _mm512_maskz_loadu_epi64(in, m->b64 + k);
		/* the window before each: window 0's is not known (it is busy) */
		__m512i prev =
		        k ? _mm512_loadu_si512(m->b64 + k - 1) : _mm512_alignr_epi64(b, zero, 7);
		__m512i x = _mm512_and_si512(b, _mm512_srli_epi64(b, 1));
		x = _mm512_and_si512(x, _mm512_srli_epi64(x, 2));
		x = _mm512_and_si512(x, _mm512_srli_epi64(x, 4));
		x = _mm512_and_si512(x, _mm512_srli_epi64(x, 8));
		x = _mm512_and_si512(x, _mm512_srli_epi64(x, 4));
		__m512i nb = _mm512_xor_si512(b, ones);
		/* lo: the first 0 of b (-1 when there is none: that window is busy) */
		__m512i lo = _mm512_sub_epi64(
		        _mm512_set1_epi64(63),
		        _mm512_lzcnt_epi64(_mm512_and_si512(nb, _mm512_sub_epi64(zero, nb))));
		__m512i ends = _mm512_andnot_si512(_mm512_srli_epi64(b, 1), b);
		ends = _mm512_and_si512(ends, _mm512_slli_epi64(x, 19));
		ends = _mm512_and_si512(ends, _mm512_srli_epi64(ones, 1));
		ends = _mm512_and_si512(ends, _mm512_sllv_epi64(ones, lo));
		__m512i u = _mm512_and_si512(_mm512_maskz_loadu_epi64(in, m->upper + k), b);
		__m512i l = _mm512_and_si512(_mm512_maskz_loadu_epi64(in, m->lower + k), b);
		__m512i nh = _mm512_andnot_si512(_mm512_maskz_loadu_epi64(in, m->hex + k), b);
#define CARRIES(v)                                                                                 \
	_mm512_srli_epi64(_mm512_xor_si512(_mm512_xor_si512(_mm512_add_epi64(b, (v)), b), (v)), 1)
		__m512i both = _mm512_and_si512(CARRIES(u), CARRIES(l));
		__m512i cand = _mm512_and_si512(
		        ends, _mm512_or_si512(both, _mm512_xor_si512(CARRIES(nh), ones)));
#undef CARRIES
		_mm512_mask_storeu_epi64(m->cand + k, in, cand);
		__m512i came = _mm512_lzcnt_epi64(_mm512_xor_si512(prev, ones));
		__mmask8 look =
		        _mm512_test_epi64_mask(cand, cand) |
		        _mm512_test_epi64_mask(_mm512_maskz_loadu_epi64(in, m->lead + k), ones) |
		        _mm512_cmpeq_epi64_mask(b, ones) |
		        _mm512_cmpge_epi64_mask(_mm512_add_epi64(came, lo),
		                                _mm512_set1_epi64(B64_MIN));
		busy |= (uint64_t)(look & in) << k;
	}
	m->busy = busy;
}

/* With AVX-512 VBMI, each byte's kinds from one two-table byte permute
 * (bytes from 0x80 are of no kind), then one test per mask. */
__attribute__((target("avx512bw,avx512vbmi,avx512cd"))) static void
classify_span_vbmi(const char *p, size_t n, size_t avail, span_masks *m)
{
	const __m512i t0 = _mm512_loadu_si512(kinds), t1 = _mm512_loadu_si512(kinds + 64);
	for (size_t k = 0; 64 * k < n; k++) {
		const char *q = p + 64 * k;
		__m512i v = load_upto(q, n - 64 * k);
		__m512i c = _mm512_maskz_permutex2var_epi8(~_mm512_movepi8_mask(v), t0, v, t1);
		m->b64[k] = _mm512_test_epi8_mask(c, _mm512_set1_epi8(K_B64));
		m->upper[k] = _mm512_test_epi8_mask(c, _mm512_set1_epi8(K_UPPER));
		m->lower[k] = _mm512_test_epi8_mask(c, _mm512_set1_epi8(K_LOWER));
		m->hex[k] = _mm512_test_epi8_mask(c, _mm512_set1_epi8(K_HEX));
		m->lead[k] = escape_leads(q, avail - 64 * k,
		                          _mm512_test_epi8_mask(c, _mm512_set1_epi8(K_PCT)),
		                          _mm512_test_epi8_mask(c, _mm512_set1_epi8(K_BS)),
		                          _mm512_test_epi8_mask(c, _mm512_set1_epi8(K_AMP)));
	}
	busy_avx512(m, n);
}
#endif

static void (*classify_span)(const char *, size_t, size_t, span_masks *) = classify_span_generic;
static pthread_once_t classify_once = PTHREAD_ONCE_INIT;

static void classify_choose(void)
{
#if defined(__x86_64__) && defined(__GNUC__)
	__builtin_cpu_init();
	kinds_init();
	if (__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi") &&
	    __builtin_cpu_supports("avx512cd"))
		classify_span = classify_span_vbmi;
	else if (__builtin_cpu_supports("avx512bw"))
		classify_span = classify_span_avx512;
	else if (__builtin_cpu_supports("avx2"))
		classify_span = classify_span_avx2;
#endif
}

int sg_decode_use_simd(int level)
{
	pthread_once(&classify_once, classify_choose);
	classify_span = classify_span_generic;
#if defined(__x86_64__) && defined(__GNUC__)
	if (level >= 3 && __builtin_cpu_supports("avx512bw") &&
	    __builtin_cpu_supports("avx512vbmi") && __builtin_cpu_supports("avx512cd"))
		classify_span = classify_span_vbmi;
	else if (level >= 2 && __builtin_cpu_supports("avx512bw"))
		classify_span = classify_span_avx512;
	else if (level >= 1 && __builtin_cpu_supports("avx2"))
		classify_span = classify_span_avx2;
	if (classify_span == classify_span_vbmi)
		return 3;
	if (classify_span == classify_span_avx512)
		return 2;
	if (classify_span == classify_span_avx2)
		return 1;
#endif
	return 0;
}

static int escape_kind(char c)
{
	return c == '%' ? SG_DECODED_PERCENT : c == '\\' ? SG_DECODED_ESCAPE : SG_DECODED_HTML;
}

/* The escapes of one kind around text[a]: a cluster whose escapes are no
 * further apart than the gap. Returns where the cluster ends (a when there
 * is no escape at a); the count of escapes in *count. */
static size_t cluster_at(const char *text, size_t len, size_t a, int kind, size_t *count)
{
	uint32_t cp;
	const char *end = text + len, lead = text[a];
	size_t k = escape_at(kind, text + a, end, &cp);
	*count = 0;
	if (!k)
		return a;
	size_t b = a + k;
	*count = 1;
	for (size_t j = b; j < len && j < b + CLUSTER_GAP && text[j] != '\n';) {
		size_t kk = text[j] == lead ? escape_at(kind, text + j, end, &cp) : 0;
		if (kk) {
			j += kk;
			b = j;
			(*count)++;
		} else {
			j++;
		}
	}
	return b;
}

/* The walk of decode_text over text[from, to), where from is 0 or a newline
 * and to is len or just past a newline (every run and escape cluster lies
 * inside one line, and what decides it looks no further than its line):
 * base64/hex runs of at least B64_MIN characters (a run is only looked at
 * once it ends) and escape clusters, in the order they occur. */
typedef struct walk {
	unsigned char *scratch;
	size_t scap, skip_to;
} walk;

/* What one decode_range call works over and reports to, for its helpers. */
typedef struct pass {
	decoder *d;
	walk *wk;
	const char *text;
	size_t len, span_from, span_to;
	uint8_t *chain;
	unsigned level;
} pass;

/* The base64 run coming into a window from the windows before: its length
 * and which upper-case, lower-case and non-hex characters it holds (the
 * bits of the window or windows it lies in). */
typedef struct carried {
	size_t len;
	uint64_t up, low, nonhex;
} carried;

/* The run at the top of window w (not all base64), which the next takes in. */
static carried carried_out(const span_masks *sm, size_t w)
{
	uint64_t m = sm->b64[w];
	size_t n = m >> 63 ? (size_t)__builtin_clzll(~m) : 0;
	uint64_t top = n ? ~0ull << (64 - n) : 0;
	return (carried){n, sm->upper[w] & top, sm->lower[w] & top, m & ~sm->hex[w] & top};
}

static int run_at(pass *ps, size_t a, size_t b)
{
	int r = scratch_grow(&ps->wk->scratch, &ps->wk->scap, (b - a) + 64 + 40);
	return r ? r
	         : try_run(ps->d, ps->text, ps->len, a, b, ps->span_from, ps->span_to, ps->chain,
	                   ps->level, ps->wk->scratch);
}

/* The runs window w (at base) ends: the one coming in, when it is long
 * enough and try_run would look at it, and those inside (sm->cand); then
 * what goes on to the next window. */
static int runs_of_window(pass *ps, const span_masks *sm, size_t w, size_t base, carried *in)
{
	uint64_t m = sm->b64[w], up = sm->upper[w], low = sm->lower[w], nonhex = m & ~sm->hex[w];
	if (m == ~0ull) {
		in->len += 64;
		in->up |= up;
		in->low |= low;
		in->nonhex |= nonhex;
		return 0;
	}
	/* the run coming in from before ends at the first 0 */
	size_t lo = (size_t)__builtin_ctzll(~m), n = in->len + lo;
	uint64_t part = (1ull << lo) - 1, ends = sm->cand[w];
	int r = 0;
	if (n >= B64_MIN && n <= B64_MAX &&
	    (((in->up | (up & part)) && (in->low | (low & part))) ||
	     !(in->nonhex | (nonhex & part))))
		r = run_at(ps, base - in->len, base + lo);
	while (r == 0 && ends) {
		size_t e = (size_t)__builtin_ctzll(ends) + 1;
		ends &= ends - 1;
		/* the run does not start at bit 0: there is a 0 below it */
		size_t st = 64 - (size_t)__builtin_clzll(~m & ((1ull << e) - 1));
		r = run_at(ps, base + st, base + e);
	}
	*in = carried_out(sm, w);
	return r;
}

/* The escape clusters that start at window's leads (at base). */
static int escapes_of_window(pass *ps, size_t base, uint64_t lead)
{
	walk *wk = ps->wk;
	int r = 0;
	while (r == 0 && lead) {
		size_t at = base + (size_t)__builtin_ctzll(lead);
		lead &= lead - 1;
		if (at < wk->skip_to)
			continue;
		size_t count, kind = (size_t)escape_kind(ps->text[at]);
		size_t end = cluster_at(ps->text, ps->len, at, (int)kind, &count);
		if (end == at)
			continue;
		wk->skip_to = end;
		/* one lone escape (a "%s", a "\x1b") seldom hides a credential */
		if (count < 2 && kind != SG_DECODED_HTML)
			continue;
		if ((r = scratch_grow(&wk->scratch, &wk->scap,
		                      (end - at) + CONTEXT + CLUSTER_GAP + 16)) == 0)
			r = try_cluster(ps->d, ps->text, ps->len, (int)kind, at, end, ps->span_from,
			                ps->span_to, ps->chain, ps->level, wk->scratch);
	}
	return r;
}

static int decode_range(decoder *d, walk *wk, const char *text, size_t len, size_t from, size_t to,
                        size_t span_from, size_t span_to, uint8_t *chain, unsigned level)
{
	pass ps = {d, wk, text, len, span_from, span_to, chain, level};
	carried in = {0};
	int r = 0;
	span_masks sm;
	for (size_t sbase = from; sbase < to && r == 0 && !d->over; sbase += SPAN) {
		size_t sn = to - sbase < SPAN ? to - sbase : SPAN, nw = (sn + 63) / 64;
		/* the span's masks (bits past to are 0), and the windows to look at
		 * (window 0 always is) */
		classify_span(text + sbase, sn, to - sbase, &sm);
		size_t next = 0; /* the window after the last one looked at */
		for (uint64_t busy = sm.busy; busy && r == 0 && !d->over; busy &= busy - 1) {
			size_t w = (size_t)__builtin_ctzll(busy), base = sbase + 64 * w;
			/* the windows passed over end no run worth a look: what comes
			 * in is the run at the top of the one before */
			if (w != next)
				in = carried_out(&sm, w - 1);
			next = w + 1;
			r = runs_of_window(&ps, &sm, w, base, &in);
			if (r == 0)
				r = escapes_of_window(&ps, base, sm.lead[w]);
		}
		if (next != nw)
			in = carried_out(&sm, nw - 1);
	}
	/* a run that reaches the end of the text (a partial last block's
	 * padding ends a run inside the loop; a full one does not) */
	if (r == 0 && !d->over && in.len >= B64_MIN && in.len <= B64_MAX)
		r = run_at(&ps, to - in.len, to);
	return r;
}

/* The stretches of text[0, len) to decode when it was made by these copies
 * from a text in which nothing decoded: all but the lines that lie inside
 * one copy together with the newlines around them, which are that text's
 * lines and decode as they did there, to nothing. Calls decode_range on
 * each, in order. */
static int decode_made(decoder *d, walk *wk, const char *text, size_t len, const sg_copy *c,
                       size_t nc, uint8_t *chain)
{
	size_t pos = 0;
	int r = 0;
	for (size_t i = 0; i < nc && r == 0 && !d->over; i++) {
		if (c[i].len < 2 * SKIP_MIN || c[i].at < pos)
			continue;
		const char *a = text + c[i].at, *e = a + c[i].len;
		const char *f = memchr(a, '\n', (size_t)(e - a)),
		           *l = f ? memrchr(f, '\n', (size_t)(e - f)) : NULL;
		if (!f || (size_t)(l - f) < SKIP_MIN)
			continue;
		r = decode_range(d, wk, text, len, pos, (size_t)(f - text) + 1, 0, 0, chain, 0);
		pos = (size_t)(l - text);
	}
	if (r == 0 && !d->over)
		r = decode_range(d, wk, text, len, pos, len, 0, 0, chain, 0);
	return r;
}

static int decode_text(decoder *d, const char *text, size_t len, size_t span_from, size_t span_to,
                       const uint8_t *in_chain, unsigned level)
{
	uint8_t chain[4] = {0};
	memcpy(chain, in_chain, level < sizeof(chain) ? level : sizeof(chain));
	walk wk = {0};
	int r = decode_range(d, &wk, text, len, 0, len, span_from, span_to, chain, level);
	free(wk.scratch);
	return r;
}

int sg_decode_scan(sg_scanner *s, const char *data, size_t len, const sg_origin *origin,
                   const sg_line_ranges *lines, sg_findings *out, sg_notices *nt)
{
	size_t first = out->count;
	int r = sg_scanner_scan(s, data, len, origin, lines, out);
	const sg_scan_options *so = sg_scanner_options(s);
	if (r < 0 || so->artefacts.no_decode)
		return r;
	pthread_once(&tables_once, tables_init);
	pthread_once(&classify_once, classify_choose);
	decoder d = {.s = s,
	             .origin = origin,
	             .lines = lines,
	             .out = out,
	             .nt = nt,
	             .root = data,
	             .root_len = len,
	             .first = first,
	             .budget = len / 2 + BUDGET_FLOOR,
	             .depth = so->artefacts.decode_depth ? so->artefacts.decode_depth
	                                                 : SG_DECODE_DEPTH,
	             .inline_allow = so->inline_allow,
	             .line_no = 1};
	if (d.depth > 4)
		d.depth = 4;
	uint8_t chain[4] = {0};
	const sg_copy *copies;
	size_t ncopies;
	if (sg_scanner_quiet_base(s, data, len, &copies, &ncopies)) {
		walk wk = {0};
		r = decode_made(&d, &wk, data, len, copies, ncopies, chain);
		free(wk.scratch);
	} else {
		r = decode_text(&d, data, len, 0, 0, chain, 0);
	}
	sg_scanner_note_quiet(s, data, len, r == 0 && !d.noisy);
	if (r == 0 && d.over && nt)
		sg_notices_add(nt,
		               "%s: decoding budget reached (half the file's size); the rest was "
		               "scanned without decoding",
		               origin && origin->path ? origin->path : "-");
	return r;
}
