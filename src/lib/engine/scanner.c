/* The scan engine: prefilter hits become bounded windows, each rule's
 * pattern runs only there, and candidates pass the rule's filters
 * (entropy, checksum, allow patterns, stop-words, placeholders) before
 * they become findings with lines, columns and fingerprints. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "secretgate/secretgate.h"
#include "secretgate/artefact.h"
#include "lib/engine/rule.h"
#include "lib/engine/context.h"
#include "lib/engine/credfile.h"
#include "util/sha256.h"
#include "lib/engine/pairing.h"
#include "lib/engine/checks.h"
#include "util/glob.h"
#include "util/grow.h"

#define WINDOW_BEFORE        256
#define LINE_EXTEND          4096
#define DEFAULT_MAX_FINDINGS 1000
#define DEFAULT_MATCH_LIMIT  200000
#define DEFAULT_DEPTH_LIMIT  10000
#define MAX_HITS             (1u << 20)
#define INLINE_SCAN_MAX      8192
#define PATH_RULE_MAX        65536
#define KEYWORD_MAX          255 /* longest keyword the prefilter takes */

typedef struct cand {
	const sg_rule *rule;
	size_t start, end; /* the secret */
	const char *validated;
	int unverified;
	double entropy;
	sg_confidence confidence; /* the rule's, as the chunk's context judges it */
	int weak;
} cand;

/* Passwords weaker than this are still reported in configuration and
 * stores, and said to be weak. */
#define WEAK_ENTROPY 3.0
#define WEAK_LENGTH  12

/* Short, or little variety: a guessable password. */
static int is_weak(const char *s, size_t len, double entropy)
{
	return len < WEAK_LENGTH || entropy < WEAK_ENTROPY;
}

struct sg_scanner {
	const sg_ruleset *rs;
	sg_scan_options opts;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	sg_hits hits;
	sg_hit *tmp; /* sort_hits' scratch */
	size_t captmp;
	size_t *rule_counts; /* one per rule, and one more */
	size_t *starts;      /* keyword starts in a window (keyword-anchored rules) */
	size_t nstarts, capstarts;
	cand *cands;
	size_t ncands, capcands;
	size_t limit_hits;
	const char *first_limit_rule;
	sg_chunk_context ctx; /* of the chunk being scanned */
	const char *data;     /* the chunk, for verdict line numbers */
	size_t len;
	sg_judgements *trace;    /* NULL: no verdicts recorded (the normal path) */
	size_t vpos, vline, vls; /* where verdict line counting left off */
	struct offer {           /* sg_scanner_offer: each part taken by one call */
		const char *data;
		size_t len;
		sg_chunk_known known;
	} offer;
	struct quiet { /* what the last decode of a whole chunk found */
		const char *data;
		size_t len;
		int quiet;
	} quiet;
};

static int scanner_init(sg_scanner *s, const sg_scan_options *opts)
{
	sg_scan_options def = SG_SCAN_OPTIONS_INIT;
	s->opts = opts ? *opts : def;
	if (!s->opts.max_findings_per_chunk)
		s->opts.max_findings_per_chunk = DEFAULT_MAX_FINDINGS;
	s->md = pcre2_match_data_create(32, NULL);
	s->mctx = pcre2_match_context_create(NULL);
	s->jit = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
	if (!s->md || !s->mctx || !s->jit)
		return sg_error_set(SG_ENOMEM, "out of memory");
	pcre2_jit_stack_assign(s->mctx, NULL, s->jit);
	pcre2_set_match_limit(s->mctx,
	                      s->opts.match_limit ? s->opts.match_limit : DEFAULT_MATCH_LIMIT);
	pcre2_set_depth_limit(s->mctx,
	                      s->opts.depth_limit ? s->opts.depth_limit : DEFAULT_DEPTH_LIMIT);
	s->hits.max = MAX_HITS;
	return 0;
}

static void scanner_fini(sg_scanner *s)
{
	pcre2_match_data_free(s->md);
	pcre2_match_context_free(s->mctx);
	pcre2_jit_stack_free(s->jit);
	sg_hits_free(&s->hits);
	free(s->starts);
	free(s->tmp);
	free(s->rule_counts);
	free(s->cands);
}

int sg_scanner_new(sg_scanner **out, const sg_ruleset *rs, const sg_scan_options *opts)
{
	sg_scanner *s = calloc(1, sizeof(*s));
	if (!s)
		return sg_error_set(SG_ENOMEM, "out of memory");
	s->rs = rs;
	int r = scanner_init(s, opts);
	if (r < 0) {
		scanner_fini(s);
		free(s);
		return r;
	}
	*out = s;
	return 0;
}

void sg_scanner_free(sg_scanner *s)
{
	if (!s)
		return;
	scanner_fini(s);
	free(s);
}

const sg_scan_options *sg_scanner_options(const sg_scanner *s)
{
	return &s->opts;
}

int sg_scanner_sibling(sg_scanner **out, const sg_scanner *s)
{
	return s->trace ? sg_error_set(SG_EINVALID, "a traced scanner has no siblings")
	                : sg_scanner_new(out, s->rs, &s->opts);
}

void sg_scanner_absorb_limits(sg_scanner *dst, const sg_scanner *src)
{
	if (!dst->first_limit_rule)
		dst->first_limit_rule = src->first_limit_rule;
	dst->limit_hits += src->limit_hits;
}

int sg_scanner_traced(const sg_scanner *s)
{
	return s->trace != NULL;
}

size_t sg_scanner_limit_hits(const sg_scanner *s, const char **first_rule)
{
	if (first_rule)
		*first_rule = s->first_limit_rule;
	return s->limit_hits;
}

/* Whether s[0, len) holds needle, ASCII letters in either case: the first
 * byte compared inline, the rest only where it agrees. */
static int ci_contains(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	if (n == 0 || n > len)
		return 0;
	unsigned f = sg_fold_ascii((unsigned char)needle[0]);
	for (size_t i = 0; i + n <= len; i++)
		if (sg_fold_ascii((unsigned char)s[i]) == f &&
		    strncasecmp(s + i + 1, needle + 1, n - 1) == 0)
			return 1;
	return 0;
}

/* Values that are obviously not real secrets, whatever the rule. */
static int is_placeholder(const char *s, size_t len)
{
	static const char *const words[] = {
	        "changeme", "change_me",  "change-me", "placeholder", "redacted",  "your_",
	        "your-",    "yourkey",    "insert_",   "replace_me",  "replaceme", "dummy",
	        "notreal",  "not_a_real", "fake_",     "todo",        "fixme",     "example_key",
	        "xxxx",     "****",       "....",      "<your",       "${",        "{{",
	        "%(",       "$(",         "#{",
	};
	if (len == 0)
		return 1;
	/* long random bodies (private keys) contain such words by chance */
	for (size_t i = 0; len <= 120 && i < sizeof(words) / sizeof(words[0]); i++)
		if (ci_contains(s, len, words[i]))
			return 1;
	/* AWS's documented example keys end in EXAMPLE (case matters) */
	if (len >= 7 && memmem(s, len, "EXAMPLE", 7))
		return 1;
	if (s[0] == '<' && s[len - 1] == '>')
		return 1;
	/* one repeated character, or a run of a single character over most of it */
	size_t same = 1, best = 1;
	for (size_t i = 1; i < len; i++) {
		same = s[i] == s[i - 1] ? same + 1 : 1;
		if (same > best)
			best = same;
	}
	if (best == len || (len >= 12 && best * 2 >= len))
		return 1;
	return 0;
}

void sg_scanner_set_trace(sg_scanner *s, sg_judgements *v)
{
	s->trace = v;
}

void sg_judgements_free(sg_judgements *v)
{
	free(v->items);
	memset(v, 0, sizeof(*v));
}

/* Record why a candidate was kept or dropped (explain mode only). */
static void verdict(sg_scanner *s, const sg_rule *r, size_t start, size_t end, int accepted,
                    sg_confidence conf, const char *check, const char *fmt, ...)
        __attribute__((format(printf, 8, 9)));
static void verdict(sg_scanner *s, const sg_rule *r, size_t start, size_t end, int accepted,
                    sg_confidence conf, const char *check, const char *fmt, ...)
{
	sg_judgements *v = s->trace;
	if (v->count >= SG_JUDGEMENTS_MAX) {
		v->dropped++;
		return;
	}
	if (v->count == v->cap) {
		size_t ncap = v->cap ? v->cap * 2 : 64;
		sg_judgement *n = realloc(v->items, ncap * sizeof(*n));
		if (!n) {
			v->dropped++;
			return;
		}
		v->items = n;
		v->cap = ncap;
	}
	sg_judgement *x = &v->items[v->count++];
	memset(x, 0, sizeof(*x));
	x->rule_id = r->id;
	x->context = s->ctx.kind;
	x->language = s->ctx.language;
	x->offset = start;
	x->len = end - start;
	x->accepted = accepted;
	x->confidence = conf;
	x->check = check;
	/* count on from the last verdict when this one is further on */
	size_t from = 0, line = 1, ls = 0;
	if (s->vpos && s->vpos <= start) {
		from = s->vpos;
		line = s->vline;
		ls = s->vls;
	}
	for (size_t i = from; i < start && i < s->len; i++)
		if (s->data[i] == '\n') {
			line++;
			ls = i + 1;
		}
	s->vpos = start;
	s->vline = line;
	s->vls = ls;
	x->line = (uint32_t)line;
	x->column = (uint32_t)(start - ls + 1);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->detail, sizeof(x->detail), fmt, ap);
	va_end(ap);
}

#define REJECT(check, ...)                                                                         \
	do {                                                                                       \
		if (s->trace)                                                                      \
			verdict(s, r, ss, se, 0, r->confidence, check, __VA_ARGS__);               \
		return 0;                                                                          \
	} while (0)

static int is_key_char(int c)
{
	return isalnum(c) || c == '_' || c == '-' || c == '$';
}

static int has_digit(const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (isdigit((unsigned char)v[i]))
			return 1;
	return 0;
}

/* Normalised alphanumerics, lower case, into out (cap bytes). */
static size_t squash(char *out, size_t cap, const char *v, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < cap; i++)
		if (isalnum((unsigned char)v[i]))
			out[k++] = (char)tolower((unsigned char)v[i]);
	out[k] = '\0';
	return k;
}

/* Inside a block comment: the last slash-star before pos opens after the
 * last star-slash (looked for in the 8 KB before it). */
static int in_block_comment(const char *data, size_t pos)
{
	size_t from = pos > 8192 ? pos - 8192 : 0;
	for (size_t i = pos; i-- > from + 1;) {
		if (data[i - 1] == '*' && data[i] == '/')
			return 0;
		if (data[i - 1] == '/' && data[i] == '*')
			return 1;
	}
	return 0;
}

/* Judge a generic match by where it stands. ms is where the pattern's
 * match began (inside the credential-like name). 1 keeps it. */
static int judge_generic(sg_scanner *s, const sg_rule *r, const char *data, size_t ms, size_t ss,
                         size_t se)
{
	const char *v = data + ss;
	size_t n = se - ss;
	sg_context ctx = s->ctx.kind;
	int code = ctx == SG_CTX_SOURCE || ctx == SG_CTX_OTHER || sg_context_is_incidental(ctx);
	char before = ss > 0 ? data[ss - 1] : 0;
	int quoted = before == '"' || before == '\'' || before == '`';
	if (!quoted) {
		size_t le = se;
		while (le < s->len && data[le] != '\n' && le - se < 4096)
			le++;
		if (sg_value_is_code(data, ss, se, le))
			REJECT("context",
			       "code (a member chain, call or statement), not a literal");
	}
	if (ctx == SG_CTX_CREDENTIAL_STORE)
		return 1;
	/* the whole name: the pattern starts at its credential-like word */
	size_t ks = ms, ke = ms;
	while (ks > 0 && is_key_char((unsigned char)data[ks - 1]))
		ks--;
	while (ke < ss && is_key_char((unsigned char)data[ke]))
		ke++;
	size_t ts = ks;
	while (ts > 0 && !isspace((unsigned char)data[ts - 1]) && data[ts - 1] != '"' &&
	       data[ts - 1] != '\'' && data[ts - 1] != '`' && ks - ts < 256)
		ts--;
	if (ks - ts >= 4 && !strncmp(data + ts, "arn:", 4))
		REJECT("context", "part of an ARN, not a value");
	if (n >= 4 && !strncmp(v, "arn:", 4))
		REJECT("context", "an ARN");
	if (ks > 0 && (data[ks - 1] == '?' || data[ks - 1] == '&') && ctx != SG_CTX_CONFIG)
		REJECT("context", "a URL query parameter");
	if (memmem(v, n, "://", 3) || v[0] == '/')
		REJECT("context", "a URL or path");
	if (sg_value_is_date(v, n))
		REJECT("context", "a date or timestamp");
	char key[128], val[256];
	size_t kl = squash(key, sizeof(key), data + ks, ke - ks);
	size_t vl = squash(val, sizeof(val), v, n);
	if (kl >= 5 && vl >= 5 && (strstr(val, key) || strstr(key, val)))
		REJECT("context", "derived from the name it is assigned to");
	if (!has_digit(v, n) && sg_value_is_words(v, n))
		REJECT("context", "words (a name, header or sentence), not a random value");
	if (sg_value_is_words(v, n) && n > 1 && (v[n - 1] == '.' || v[n - 1] == '!'))
		REJECT("context", "a sentence");
	if (!code)
		return 1;
	if (memmem(v, n, "->", 2) || memmem(v, n, "?.", 2) || memmem(v, n, "::", 2) ||
	    (n > 5 && !strncmp(v, "$this", 5)))
		REJECT("context", "member access, not a literal");
	const char *lang = s->ctx.language;
	int bare_ok = ctx == SG_CTX_OTHER || sg_context_is_incidental(ctx) ||
	              (lang && (!strcmp(lang, "shell") || !strcmp(lang, "other")));
	if (!quoted && !bare_ok)
		REJECT("context", "source code: not a string literal");
	/* documentation comments: the line starts with *, ///, //! or sits in a block comment */
	size_t ls = ss;
	while (ls > 0 && data[ls - 1] != '\n' && ss - ls < 4096)
		ls--;
	while (ls < ss && (data[ls] == ' ' || data[ls] == '\t'))
		ls++;
	if (ctx != SG_CTX_OTHER && ls < ss &&
	    (data[ls] == '*' ||
	     (ss - ls >= 3 && (!strncmp(data + ls, "///", 3) || !strncmp(data + ls, "//!", 3) ||
	                       !strncmp(data + ls, "/**", 3)))))
		REJECT("context", "a documentation comment");
	if (ctx == SG_CTX_SOURCE && in_block_comment(data, ss))
		REJECT("context", "inside a block comment");
	return 1;
}

/* Keys published on purpose, by their SHA-256 (the repository holds no
 * credential-shaped text): the Azure storage emulator's well-known account
 * key, which SDKs ship as a constant. The length is checked first. */
static const struct {
	size_t len;
	const char *sha256;
} published[] = {
        {88, "0011cc25eb4320717494d2703e8cba85743e71b500283c21c8b88147992f9059"},
};

static int is_published(const char *s, size_t len)
{
	for (size_t i = 0; i < sizeof(published) / sizeof(published[0]); i++) {
		if (len != published[i].len)
			continue;
		sg_sha256 c;
		unsigned char d[32];
		char hex[65];
		sg_sha256_init(&c);
		sg_sha256_update(&c, s, len);
		sg_sha256_final(&c, d);
		for (int j = 0; j < 32; j++)
			snprintf(hex + 2 * j, 3, "%02x", d[j]);
		if (!strcmp(hex, published[i].sha256))
			return 1;
	}
	return 0;
}

static int cand_push(sg_scanner *s, const cand *c)
{
	if (s->ncands == s->capcands && SG_GROW(s->cands, s->capcands, 32) < 0)
		return sg_error_set(SG_ENOMEM, "out of memory");
	s->cands[s->ncands++] = *c;
	return 0;
}

/* The rule's own filters, the engine-wide ones and the chunk's context;
 * 1 keeps the candidate. ms is where the pattern's match began. */
static int judge(sg_scanner *s, const sg_rule *r, const char *data, size_t ms, size_t ss, size_t se,
                 cand *c)
{
	const char *sec = data + ss;
	size_t len = se - ss;
	if (len == 0)
		return 0;
	c->rule = r;
	c->start = ss;
	c->end = se;
	c->validated = NULL;
	c->unverified = 0;
	c->weak = 0;
	c->entropy = sg_entropy(sec, len);
	sg_context ctx = s->ctx.kind;
	/* in a credential store every credential is real, however weak */
	int store_rule = r->kind == SG_RULE_STORE && ctx == SG_CTX_CREDENTIAL_STORE;
	if (r->entropy > 0 && c->entropy < r->entropy) {
		if (!store_rule)
			REJECT("entropy", "entropy %.2f below the rule's %.2f", c->entropy,
			       r->entropy);
		c->weak = 1;
	}
	if (r->checksum) {
		int ok = sg_checksum_verify(r->checksum, sec, len);
		if (ok == 1)
			c->validated = "checksum";
		else if (!s->opts.include_unverified)
			REJECT("checksum", "%s checksum does not match", r->checksum);
		else
			c->unverified = 1;
	}
	for (size_t i = 0; i < r->allow.count; i++) {
		int rc = pcre2_match(r->allow_code[i], (PCRE2_SPTR)sec, len, 0, 0, s->md, s->mctx);
		if (rc >= 0)
			REJECT("allow", "matches the rule's allow pattern %zu", i + 1);
	}
	for (size_t i = 0; i < r->stopwords.count; i++)
		if (ci_contains(sec, len, r->stopwords.items[i]))
			REJECT("stopword", "holds the rule's stop-word '%s'",
			       r->stopwords.items[i]);
	if (!c->validated && is_placeholder(sec, len))
		REJECT("placeholder", "a placeholder or mask");
	if (is_published(sec, len))
		REJECT("placeholder", "a key published on purpose (an emulator's well-known key)");
	if (store_rule && sg_value_is_placeholder(sec, len))
		REJECT("placeholder", "empty, a placeholder, a boolean or null");
	if (store_rule && sg_value_is_reference(sec, len))
		REJECT("reference", "a reference to a value kept elsewhere");
	if (r->kind == SG_RULE_GENERIC && !judge_generic(s, r, data, ms, ss, se))
		return 0;
	c->confidence = sg_context_confidence(r->kind, ctx, r->confidence);
	if ((ctx == SG_CTX_CONFIG || ctx == SG_CTX_CREDENTIAL_STORE) &&
	    r->kind != SG_RULE_PROVIDER && is_weak(sec, len, c->entropy))
		c->weak = 1;
	if (c->confidence < s->opts.min_confidence)
		REJECT("confidence", "confidence %s in %s is below --min-confidence",
		       sg_confidence_name(c->confidence), sg_context_name(ctx));
	if (s->trace)
		verdict(s, r, ss, se, 1, c->confidence, c->validated ? "checksum" : "accepted",
		        "entropy %.2f%s, confidence %s in %s", c->entropy, c->weak ? " (weak)" : "",
		        sg_confidence_name(c->confidence), sg_context_name(ctx));
	return 1;
}

/* The starts of the keywords hit in [ws, we), ascending, once each, into
 * s->starts: where a keyword-anchored rule is tried. */
static int keyword_starts(sg_scanner *s, const sg_hit *hits, size_t nhits, size_t ws, size_t we,
                          size_t before)
{
	s->nstarts = 0;
	for (size_t i = 0; i < nhits; i++) {
		size_t k = hits[i].end - hits[i].keyword_len;
		if (k < before || k - before < ws || k - before >= we)
			continue;
		k -= before;
		if (s->nstarts == s->capstarts && SG_GROW(s->starts, s->capstarts, 64) < 0)
			return sg_error_set(SG_ENOMEM, "out of memory");
		/* hits come by end, so starts are out of order by at most a
		 * keyword's length: insertion keeps this cheap */
		size_t j = s->nstarts++;
		while (j > 0 && s->starts[j - 1] > k) {
			s->starts[j] = s->starts[j - 1];
			j--;
		}
		if (j > 0 && s->starts[j - 1] == k) {
			memmove(s->starts + j, s->starts + j + 1,
			        (--s->nstarts - j) * sizeof(size_t));
			continue;
		}
		s->starts[j] = k;
	}
	return 0;
}

/* Offset q starts a pair of the set (its second byte 0 at the window's end). */
static int pair_at(const sg_start_pairs *sp, const unsigned char *d, size_t q, size_t we)
{
	unsigned k = sg_fold_ascii(d[q]) | (q + 1 < we ? sg_fold_ascii(d[q + 1]) : 0u) << 8;
	return sp->bits[k >> 6] >> (k & 63) & 1;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_PAIR_SIMD 1
/* The same 64 offsets at a time: a two-table byte permute says which bytes
 * may be a pair's first, and which its second (bytes from 0x80 never are),
 * and only offsets where both hold are looked up in the set. */
__attribute__((target("avx512f,avx512bw,avx512vbmi"))) static size_t
pair_next_vbmi(const sg_start_pairs *sp, const unsigned char *d, size_t from, size_t to, size_t we)
{
	const __m512i f_lo = _mm512_loadu_si512(sp->first),
	              f_hi = _mm512_loadu_si512(sp->first + 64);
	const __m512i s_lo = _mm512_loadu_si512(sp->second),
	              s_hi = _mm512_loadu_si512(sp->second + 64);
	for (size_t p = from; p <= to; p += 64) {
		size_t n = to - p + 1 < 64 ? to - p + 1 : 64;
		__mmask64 m = n == 64 ? ~0ULL : (1ULL << n) - 1;
		__m512i x = _mm512_maskz_loadu_epi8(m, d + p);
		__m512i f = _mm512_permutex2var_epi8(f_lo, x, f_hi);
		__mmask64 c = _mm512_test_epi8_mask(f, f) & ~_mm512_movepi8_mask(x) & m;
		if (c && !sp->any_second) {
			size_t n2 = we - (p + 1) < n ? we - (p + 1) : n;
			__mmask64 m2 = n2 == 64 ? ~0ULL : (1ULL << n2) - 1;
			__m512i y = _mm512_maskz_loadu_epi8(m2, d + p + 1);
			__m512i t = _mm512_permutex2var_epi8(s_lo, y, s_hi);
			c &= _mm512_test_epi8_mask(t, t) & ~_mm512_movepi8_mask(y) & m2;
		}
		for (; c; c &= c - 1) {
			size_t q = p + (size_t)__builtin_ctzll(c);
			if (pair_at(sp, d, q, we))
				return q;
		}
	}
	return we;
}
#endif

/* The last offset in data[from, to) holding byte c in either case, or
 * (size_t)-1. */
static size_t last_of(const char *data, size_t from, size_t to, int c)
{
	if (from >= to)
		return (size_t)-1;
	int other = isalpha(c) ? (islower(c) ? toupper(c) : tolower(c)) : c;
	const char *a = memrchr(data + from, c, to - from);
	const char *b = other != c ? memrchr(data + from, other, to - from) : NULL;
	if (!a && !b)
		return (size_t)-1;
	return (size_t)((a > b ? a : b) - data);
}

/* The first offset in [from, to] (to < we) where a match of a rule with
 * start pairs may begin, or we. Found as the tries go, not listed first: a
 * window given up at its first try costs no walk of the rest. */
static size_t pair_next(const sg_start_pairs *sp, const char *data, size_t from, size_t to,
                        size_t we)
{
	const unsigned char *d = (const unsigned char *)data;
	if (from > to)
		return we;
#ifdef HAVE_PAIR_SIMD
	if (sg_prefilter_simd_on())
		return pair_next_vbmi(sp, d, from, to, we);
#endif
	for (size_t p = from; p <= to; p++)
		if (pair_at(sp, d, p, we))
			return p;
	return we;
}

/* Where a search of [ws, we) may still start a match: a keyword lies inside
 * every match or at most WINDOW_BEFORE bytes before it (the rules' contract),
 * so no match starts later than that past the last keyword in the window.
 * On minified code a window runs kilobytes on to the end of its line, and
 * every start in that stretch was tried for nothing. */
static size_t last_start(const sg_hit *hits, size_t nhits, size_t ws, size_t we)
{
	size_t end = ws;
	for (size_t i = 0; i < nhits; i++) {
		size_t k = hits[i].end - hits[i].keyword_len;
		if (k >= ws && k < we && hits[i].end > end)
			end = hits[i].end;
	}
	return end + WINDOW_BEFORE < we ? end + WINDOW_BEFORE : we;
}

/* Run one rule over [ws, we); kw is the keyword hit the window is around,
 * hits the keyword hits near it. A rule whose matches start at a keyword is
 * tried anchored at each keyword start in the window, in order, resuming
 * past each match: the same matches a search from ws finds, since no match
 * starts anywhere else. A rule with start pairs is tried the same way where
 * a pair occurs, up to last_start(); any other rule is searched with its
 * starts limited by last_start(). Returns <0 on error, 1 when a PCRE2 limit
 * hit. */
static int run_window(sg_scanner *s, const sg_rule *r, const char *data, size_t ws, size_t we,
                      size_t kw, const sg_hit *hits, size_t nhits)
{
	size_t off = ws, matched = 0, k = 0;
	const pcre2_code *code = sg_rule_code((sg_rule *)r);
	int anchored = r->keyword_anchored || r->start_pairs;
	/* A rule without keywords (a path rule) reads its whole window. */
	PCRE2_SIZE limit =
	        r->keyword_anchored || !nhits ? PCRE2_UNSET : last_start(hits, nhits, ws, we);
	if (r->keyword_anchored &&
	    keyword_starts(s, hits, nhits, ws, we, (size_t)r->keyword_offset) < 0)
		return SG_ENOMEM;
	/* the last offset an anchored rule is tried at: for start pairs, the
	 * last a search limited to limit would try (the limit itself); for any,
	 * not past the last byte every match needs, and none without it */
	size_t last_try = we - 1;
	if (r->start_pairs) {
		if (limit != PCRE2_UNSET && limit < we)
			last_try = limit;
		limit = PCRE2_UNSET;
	}
	int none = 0;
	if (r->need >= 0) {
		size_t q = last_of(data, ws, we, r->need);
		none = q == (size_t)-1;
		if (!none && q < last_try)
			last_try = q;
	}
	/* judge() matches allow patterns with the same context: set for this
	 * rule's searches only. */
	while (off < we) {
		size_t at = off;
		if (r->keyword_anchored) {
			while (k < s->nstarts && s->starts[k] < off)
				k++;
			at = k < s->nstarts && !none && s->starts[k] <= last_try ? s->starts[k++]
			                                                         : we;
		} else if (r->start_pairs) {
			at = none ? we : pair_next(r->start_pairs, data, off, last_try, we);
			off = at + 1; /* past this start when it matches nothing */
		}
		int rc = PCRE2_ERROR_NOMATCH;
		/* the byte every match holds that far in: most tries stop here */
		if (at < we && r->probe_width) {
			size_t q = at + r->probe_width;
			unsigned char c = q < we ? (unsigned char)data[q] : 0;
			if (q >= we || (r->probe_folds ? sg_fold_ascii(c) : c) != r->probe_byte)
				continue;
		}
		if (at < we) {
			pcre2_set_offset_limit(s->mctx, limit);
			rc = pcre2_match(code, (PCRE2_SPTR)data, we, at, 0, s->md, s->mctx);
			pcre2_set_offset_limit(s->mctx, PCRE2_UNSET);
		}
		if (rc == PCRE2_ERROR_NOMATCH && anchored && at < we)
			continue;
		if (rc == PCRE2_ERROR_NOMATCH) {
			if (s->trace && !matched)
				verdict(s, r, kw, kw, 0, r->confidence, "pattern",
				        "keyword found, but no value the pattern accepts (a "
				        "reference, code, or too short)");
			return 0;
		}
		/* a limit, or any other failure of the match itself (out of
		 * memory): the window is given up and counted, never passed over
		 * as if it held nothing */
		if (rc < 0)
			return 1;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
		int g = r->secret_group;
		if (g >= rc || ov[2 * g] == PCRE2_UNSET)
			g = 0;
		/* judge() reuses the match data for allow patterns: take what we need first */
		size_t ss = ov[2 * g], se = ov[2 * g + 1], ms = ov[0];
		size_t next = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
		cand c;
		matched++;
		if (judge(s, r, data, ms, ss, se, &c) && cand_push(s, &c) < 0)
			return SG_ENOMEM;
		off = next;
		if (s->ncands > s->opts.max_findings_per_chunk * 4 + 64)
			return 0;
	}
	return 0;
}

static int rule_applies(const sg_rule *r, const char *path)
{
	if (r->paths.count) {
		int any = 0;
		for (size_t i = 0; path && i < r->paths.count && !any; i++)
			any = sg_glob_match(r->paths.items[i], path);
		if (!any)
			return 0;
	}
	for (size_t i = 0; path && i < r->not_paths.count; i++)
		if (sg_glob_match(r->not_paths.items[i], path))
			return 0;
	return 1;
}

/* What the last search for a line's end saw: no '\n' in data[from, to),
 * and one at data[to] when nl is set. A rule's hits come in order, so on a
 * long line the next search starts inside the stretch already searched
 * (minified code holds many hits to a line). */
typedef struct eol_seen {
	size_t from, to;
	int nl;
} eol_seen;

static size_t extend_to_eol(const char *data, size_t len, size_t we, eol_seen *seen)
{
	if (we >= len)
		return len;
	size_t cap = len - we < LINE_EXTEND ? len - we : LINE_EXTEND, limit = we + cap, pos = we;
	if (seen->from <= we && we <= seen->to) {
		if (seen->to >= limit)
			return limit;
		if (seen->nl)
			return seen->to;
		pos = seen->to;
	} else {
		seen->from = we;
	}
	const char *nl = memchr(data + pos, '\n', limit - pos);
	seen->to = nl ? (size_t)(nl - data) : limit;
	seen->nl = nl != NULL;
	return seen->to;
}

/* The window of one hit: WINDOW_BEFORE bytes before its keyword (never
 * before `floor`) to the rule's reach after it, extended to the end of line. */
static void hit_window(const sg_rule *r, const char *data, size_t len, const sg_hit *h,
                       size_t floor, size_t *ws, size_t *we, eol_seen *seen)
{
	size_t kstart = h->end - h->keyword_len;
	size_t start = kstart > WINDOW_BEFORE ? kstart - WINDOW_BEFORE : 0;
	size_t end = h->end + r->window;
	*ws = start > floor ? start : floor;
	*we = extend_to_eol(data, len, end > len ? len : end, seen);
}

/* A merged window that hit a PCRE2 limit is matched again hit by hit, each
 * window starting after the previous hit's keyword, so the start position
 * that ran away (a decoy) is tried once, in its own window, and only that
 * window is given up. Returns how many windows were given up. */
static int run_hits_one_by_one(sg_scanner *s, const sg_rule *r, const char *data, size_t len,
                               const sg_hit *hits, size_t n, size_t *abandoned)
{
	eol_seen seen = {0};
	for (size_t k = 0; k < n; k++) {
		size_t floor = k ? hits[k - 1].end - hits[k - 1].keyword_len + 1 : 0;
		size_t ws, we;
		hit_window(r, data, len, &hits[k], floor, &ws, &we, &seen);
		if (ws >= we)
			continue;
		int rc = run_window(s, r, data, ws, we, hits[k].end - hits[k].keyword_len, hits, n);
		if (rc < 0)
			return rc;
		if (rc > 0)
			(*abandoned)++;
	}
	return 0;
}

/* Windows around a rule's hits (sorted by end), merged, then matched. A
 * limit gives up one window, never the rest of the rule: returns <0 on error,
 * else the number of windows given up (each counted as a limit hit). */
static int run_rule_hits(sg_scanner *s, const sg_rule *r, const char *data, size_t len,
                         const sg_hit *hits, size_t n, size_t *abandoned)
{
	eol_seen seen = {0};
	size_t i = 0;
	while (i < n) {
		size_t first = i, ws, we;
		hit_window(r, data, len, &hits[i], 0, &ws, &we, &seen);
		i++;
		while (i < n && hits[i].end - hits[i].keyword_len <= we + WINDOW_BEFORE) {
			size_t nws, nwe;
			hit_window(r, data, len, &hits[i], 0, &nws, &nwe, &seen);
			if (nwe > we)
				we = nwe;
			i++;
		}
		int rc = run_window(s, r, data, ws, we, hits[first].end - hits[first].keyword_len,
		                    hits + first, i - first);
		if (rc < 0)
			return rc;
		if (rc == 0)
			continue;
		if (i - first == 1)
			(*abandoned)++;
		else if ((rc = run_hits_one_by_one(s, r, data, len, hits + first, i - first,
		                                   abandoned)) < 0)
			return rc;
	}
	return 0;
}

static int cmp_hit(const void *a, const void *b)
{
	const sg_hit *x = a, *y = b;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return 0;
}

static int cmp_cand(const void *a, const void *b)
{
	const cand *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;
	return strcmp(x->rule->id, y->rule->id);
}

/* The catch-all rules (rules/generic.yaml): any provider rule is more specific. */
static int is_generic(const sg_rule *r)
{
	return strncmp(r->id, "generic-", 8) == 0;
}

/* The catch-all rules of credential stores and configuration give way to a
 * rule that knows the format (laravel-app-key over credential-store-password). */
static int catch_all(const sg_rule *r)
{
	return !strcmp(r->id, "credential-store-password") || !strcmp(r->id, "config-password");
}

/* Which of two findings over the same bytes to keep: the more specific one. */
static int better(const cand *a, const cand *b)
{
	if ((a->validated != NULL) != (b->validated != NULL))
		return a->validated != NULL;
	if (catch_all(a->rule) != catch_all(b->rule))
		return !catch_all(a->rule);
	if (a->confidence != b->confidence)
		return a->confidence > b->confidence;
	if (is_generic(a->rule) != is_generic(b->rule))
		return !is_generic(a->rule);
	if (a->rule->severity != b->rule->severity)
		return a->rule->severity > b->rule->severity;
	if ((a->end - a->start) != (b->end - b->start))
		return (a->end - a->start) > (b->end - b->start);
	return strcmp(a->rule->id, b->rule->id) < 0;
}

/* A finding is new when any line it spans is added: a key whose one broken
 * line is fixed in a later commit is new in that commit. */
static int lines_touch(const sg_line_ranges *lines, uint32_t first, uint32_t last)
{
	size_t lo = 0, hi = lines->count;
	/* the first range that ends at or after `first` */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (lines->ranges[mid][1] < first)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < lines->count && lines->ranges[lo][0] <= last;
}

static int has_allow_marker(const char *data, size_t len, size_t line_start)
{
	size_t cap = len - line_start < INLINE_SCAN_MAX ? len - line_start : INLINE_SCAN_MAX;
	const char *nl = memchr(data + line_start, '\n', cap);
	size_t n = nl ? (size_t)(nl - (data + line_start)) : cap;
	const char *l = data + line_start;
	return memmem(l, n, "secretgate:allow", 16) || memmem(l, n, "gitleaks:allow", 14) ||
	       memmem(l, n, "pragma: allowlist secret", 24);
}

static size_t count_lines(const char *data, size_t from, size_t to, size_t *last_nl_plus1)
{
	size_t n = 0;
	const char *p = data + from, *end = data + to;
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
		n++;
		p++;
		*last_nl_plus1 = (size_t)(p - data);
	}
	return n;
}

/* A line of a baseline or ignore file ("rule:<20 hex>", maybe a path after
 * it) is a fingerprint secretgate wrote, not a secret: a rule id holding
 * "token" must not make the generic rules report the hash after it. */
static int is_fingerprint_entry(const char *data, size_t len, size_t line_start, const cand *c)
{
	size_t p = line_start, n = 0;
	while (p < len && n <= 40 &&
	       (isalnum((unsigned char)data[p]) || data[p] == '-' || data[p] == '_' ||
	        data[p] == '.'))
		p++, n++;
	if (n == 0 || n > 40 || p >= len || data[p] != ':' || c->start != p + 1 || c->end != p + 21)
		return 0;
	for (size_t i = c->start; i < c->end; i++)
		if (!isdigit((unsigned char)data[i]) && !(data[i] >= 'a' && data[i] <= 'f'))
			return 0;
	return c->end == len || data[c->end] == '\n' || data[c->end] == ' ' || data[c->end] == '\r';
}

/* Turn the chunk's candidates into findings. */
static int emit(sg_scanner *s, const char *data, size_t len, const sg_origin *origin,
                const sg_line_ranges *lines, sg_findings *out)
{
	if (s->ncands > 1)
		qsort(s->cands, s->ncands, sizeof(cand), cmp_cand);
	/* one finding per secret: overlapping candidates keep the most specific */
	size_t kept = 0;
	for (size_t i = 0; i < s->ncands; i++) {
		if (kept && s->cands[i].start < s->cands[kept - 1].end) {
			if (better(&s->cands[i], &s->cands[kept - 1]))
				s->cands[kept - 1] = s->cands[i];
			continue;
		}
		s->cands[kept++] = s->cands[i];
	}
	size_t pos = 0, line = 1, line_start = 0, emitted = 0;
	for (size_t i = 0; i < kept; i++) {
		cand *c = &s->cands[i];
		line += count_lines(data, pos, c->start, &line_start);
		pos = c->start;
		size_t end_line_start = line_start;
		size_t extra = count_lines(data, c->start, c->end, &end_line_start);
		sg_finding f = {0};
		f.line = (uint32_t)line;
		f.end_line = (uint32_t)(line + extra);
		f.column = (uint32_t)(c->start - line_start + 1);
		f.end_column = (uint32_t)(c->end - end_line_start);
		if (lines && lines->ranges && !lines_touch(lines, f.line, f.end_line))
			continue;
		if (is_fingerprint_entry(data, len, line_start, c))
			continue;
		if (emitted >= s->opts.max_findings_per_chunk) {
			out->dropped++;
			continue;
		}
		f.rule_id = c->rule->id;
		f.description = c->rule->description;
		f.severity = c->rule->severity;
		f.confidence = c->confidence;
		f.context = s->ctx.kind;
		f.weak = c->weak;
		if (c->weak)
			f.message = (char *)"weak password (short or low entropy), hard-coded";
		if (origin) {
			f.path = (char *)origin->path;
			f.commit = (char *)origin->commit;
			f.author = (char *)origin->author;
			f.email = (char *)origin->email;
			f.date = (char *)origin->date;
			f.blob = (char *)origin->blob;
		}
		f.offset = c->start;
		f.secret = (char *)data + c->start;
		f.secret_len = c->end - c->start;
		f.validated = c->validated;
		f.unverified = c->unverified;
		f.entropy = c->entropy;
		/* the identity is the one-hash fingerprint, kept inside the process;
		 * a weak secret's printed fingerprint is derived where one is read */
		sg_fingerprint_legacy(f.identity, c->rule->id, f.secret, f.secret_len);
		if (!sg_fingerprint_is_weak(f.secret, f.secret_len))
			memcpy(f.fingerprint, f.identity, sizeof(f.fingerprint));
		else if (s->opts.defer_weak_fingerprints)
			f.fingerprint_pending = 1;
		else
			sg_fingerprint(f.fingerprint, c->rule->id, f.secret, f.secret_len);
		if (s->opts.inline_allow &&
		    (has_allow_marker(data, len, line_start) ||
		     (extra && has_allow_marker(data, len, end_line_start))))
			f.suppressed = SG_SUPPRESS_INLINE;
		int r = sg_findings_push(out, &f);
		if (r < 0)
			return r;
		emitted++;
	}
	return 0;
}

/* Which rule a credential-store reader's find is reported under. */
static const char *store_rule_id(int type, sg_cred_what what, int config)
{
	if (what == SG_CRED_FILE)
		return "credential-store-file";
	if (config)
		return what == SG_CRED_HASH ? "credential-store-hash" : "config-password";
	if (what == SG_CRED_HASH)
		return type == SG_STORE_HTPASSWD ? "htpasswd-hash" : "credential-store-hash";
	switch (type) {
	case SG_STORE_GIT:
		return "git-credentials";
	case SG_STORE_NETRC:
		return "netrc-password";
	case SG_STORE_PGPASS:
		return "pgpass-password";
	case SG_STORE_NPMRC:
		return "npmrc-auth";
	default:
		return "credential-store-password";
	}
}

typedef struct store_read {
	sg_scanner *s;
	int type, config;
} store_read;

static int store_found(void *ctx, sg_cred_what what, size_t start, size_t end, const char *rejected)
{
	store_read *sr = ctx;
	sg_scanner *s = sr->s;
	const sg_rule *r = sg_ruleset_find(s->rs, store_rule_id(sr->type, what, sr->config));
	if (!r || !r->enabled || (r->contexts && !(r->contexts & (1u << s->ctx.kind))) ||
	    start >= end)
		return 0;
	if (rejected) {
		/* "check: why", as the pattern path records it */
		const char *colon = strchr(rejected, ':');
		static const char *const checks[] = {"placeholder", "reference", "context"};
		const char *check = "context";
		for (size_t i = 0; colon && i < 3; i++)
			if (!strncmp(rejected, checks[i], (size_t)(colon - rejected)))
				check = checks[i];
		if (s->trace)
			verdict(s, r, start, end, 0, r->confidence, check, "%s",
			        colon ? colon + 2 : rejected);
		return 0;
	}
	cand c = {0};
	c.rule = r;
	c.start = start;
	c.end = end;
	c.entropy = sg_entropy(s->data + start, end - start);
	c.weak = what == SG_CRED_PASSWORD && is_weak(s->data + start, end - start, c.entropy);
	c.confidence = sg_context_confidence(r->kind, s->ctx.kind, r->confidence);
	if (c.confidence < s->opts.min_confidence)
		return 0;
	if (s->trace)
		verdict(s, r, start, end, 1, c.confidence, "format",
		        "read as a %s; entropy %.2f%s, confidence %s",
		        sr->config ? "configuration file" : "credential store", c.entropy,
		        c.weak ? " (weak)" : "", sg_confidence_name(c.confidence));
	return s->ncands > s->opts.max_findings_per_chunk * 4 + 64 ? 0 : cand_push(s, &c);
}

/* Credential stores are read by format; configuration files are read for
 * hard-coded passwords, which count even when weak. */
static int read_store(sg_scanner *s, const char *data, size_t len)
{
	sg_context k = s->ctx.kind;
	store_read sr = {s, s->ctx.store, 0};
	if (k == SG_CTX_CONFIG) {
		sr.config = 1;
		if (!sr.type)
			sr.type = SG_STORE_GENERIC;
	} else if (!s->ctx.store || !(k == SG_CTX_CREDENTIAL_STORE || k == SG_CTX_TEST)) {
		return 0;
	}
	return sg_credfile_read(sr.type, data, len, sr.config && sr.type != SG_STORE_SQL,
	                        s->trace != NULL, store_found, &sr);
}

/* Insertion sort by cmp_hit: stable, and quick on the few hits most chunks have. */
static void insertion_sort_hits(sg_hit *h, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		sg_hit x = h[i];
		size_t j = i;
		while (j > 0 && cmp_hit(&h[j - 1], &x) > 0) {
			h[j] = h[j - 1];
			j--;
		}
		h[j] = x;
	}
}

/* The hits by rule, then by end, ties in the order found (the first hit of
 * a merged window is its start). Few hits: sorted in place; many: counted
 * into place by rule. */
static int sort_hits(sg_scanner *s)
{
	sg_hit *h = s->hits.items;
	size_t n = s->hits.count, nrules = s->rs->count;
	if (n < 64) {
		insertion_sort_hits(h, n);
		return 0;
	}
	if (s->captmp < n) {
		sg_hit *t = realloc(s->tmp, n * sizeof(*t));
		if (!t)
			return sg_error_set(SG_ENOMEM, "out of memory");
		s->tmp = t;
		s->captmp = n;
	}
	if (!s->rule_counts && !(s->rule_counts = malloc((nrules + 1) * sizeof(size_t))))
		return sg_error_set(SG_ENOMEM, "out of memory");
	size_t *at = s->rule_counts;
	memset(at, 0, (nrules + 1) * sizeof(size_t));
	for (size_t i = 0; i < n; i++)
		at[h[i].rule + 1]++;
	for (size_t r = 0; r < nrules; r++)
		at[r + 1] += at[r];
	for (size_t i = 0; i < n; i++)
		s->tmp[at[h[i].rule]++] = h[i];
	/* the prefilter gives its hits in order of end, so counting them into
	 * place by rule (stable) leaves each rule's run in order too */
	memcpy(h, s->tmp, n * sizeof(*h));
	return 0;
}

/* Keyword hits in data[from, to) become candidates. When the slice holds
 * more hits than the hit buffer, it is halved (overlapping by a keyword's
 * length) rather than cut short: a flood of keywords must not hide a secret
 * after it. Windows still reach across slices; the candidates a window
 * yields twice overlap and emit() keeps one. */
static int scan_slice(sg_scanner *s, const char *data, size_t len, size_t from, size_t to,
                      const char *path, const sg_chunk_known *known)
{
	const sg_ruleset *rs = s->rs;
	s->hits.count = 0;
	s->hits.truncated = 0;
	int r = 0;
	if (known && known->nhits <= s->hits.max) {
		/* the hits a scan would give (not more than the cap: none cut short) */
		while (s->hits.cap < known->nhits)
			if (SG_GROW(s->hits.items, s->hits.cap, known->nhits) < 0)
				return sg_error_set(SG_ENOMEM, "out of memory");
		if (known->nhits)
			memcpy(s->hits.items, known->hits, known->nhits * sizeof(*known->hits));
		s->hits.count = known->nhits;
	} else if ((r = sg_prefilter_scan(rs->prefilter, data + from, to - from, &s->hits)) < 0) {
		return r;
	}
	if (s->hits.truncated && to - from > 4 * KEYWORD_MAX) {
		size_t mid = from + (to - from) / 2;
		if ((r = scan_slice(s, data, len, from, mid, path, NULL)) < 0)
			return r;
		return scan_slice(s, data, len, mid - (KEYWORD_MAX - 1), to, path, NULL);
	}
	for (size_t k = 0; k < s->hits.count; k++)
		s->hits.items[k].end += from;
	if (sort_hits(s) < 0)
		return SG_ENOMEM;
	size_t i = 0;
	while (i < s->hits.count) {
		size_t j = i;
		while (j < s->hits.count && s->hits.items[j].rule == s->hits.items[i].rule)
			j++;
		sg_rule *rule = rs->rules[s->hits.items[i].rule];
		if (rule->enabled && (!rule->contexts || (rule->contexts & (1u << s->ctx.kind))) &&
		    rule_applies(rule, path) && sg_rule_compile(rule) == 0) {
			size_t abandoned = 0;
			r = run_rule_hits(s, rule, data, len, s->hits.items + i, j - i, &abandoned);
			if (r < 0)
				return r;
			if (abandoned) {
				if (!s->first_limit_rule)
					s->first_limit_rule = rule->id;
				s->limit_hits += abandoned;
			}
		}
		i = j;
	}
	return 0;
}

int sg_scanner_scan(sg_scanner *s, const char *data, size_t len, const sg_origin *origin,
                    const sg_line_ranges *lines, sg_findings *out)
{
	const sg_ruleset *rs = s->rs;
	/* this chunk's findings and verdicts start here (pairing) */
	size_t first = out->count, trace_first = s->trace ? s->trace->count : 0;
	s->ncands = 0;
	if (!rs->prefilter)
		return sg_error_set(SG_EINVALID, "rule set not finalized");
	const char *path = origin ? origin->path : NULL;
	/* offered hits hold for this call only, and only for this chunk */
	sg_chunk_known known = s->offer.known;
	int use_known =
	        s->offer.data && s->offer.data == data && s->offer.len == len && known.hits_known;
	s->offer.known.hits_known = 0;
	sg_context_detect(&s->ctx, path, data, len, s->opts.context_overrides,
	                  s->opts.ncontext_overrides);
	s->data = data;
	s->len = len;
	s->vpos = 0;
	/* rules without keywords read only the head of the files they name */
	for (size_t k = 0; path && k < rs->npath_rules; k++) {
		sg_rule *rule = rs->path_rules[k];
		/* the context first: it is known, a glob costs more */
		if (!rule->enabled || (rule->contexts && !(rule->contexts & (1u << s->ctx.kind))) ||
		    !rule_applies(rule, path) || sg_rule_compile(rule) < 0)
			continue;
		int r = run_window(s, rule, data, 0, len < PATH_RULE_MAX ? len : PATH_RULE_MAX, 0,
		                   NULL, 0);
		if (r < 0)
			return r;
	}
	int r = read_store(s, data, len);
	if (r < 0)
		return r;
	r = scan_slice(s, data, len, 0, len, path, use_known ? &known : NULL);
	if (r < 0)
		return r;
	if (s->ncands && (r = emit(s, data, len, origin, lines, out)) < 0)
		return r;
	return sg_pairing_apply(rs, out, first, s->trace, trace_first);
}

void sg_scanner_report_limits(const sg_scanner *s, sg_scan_stats *st, sg_notices *nt,
                              const char *what)
{
	if (!s || !s->limit_hits)
		return;
	st->limit_hits += s->limit_hits;
	sg_notices_add(
	        nt,
	        "rule '%s' hit the regex limit on %zu window(s); the rest of those %s was scanned",
	        s->first_limit_rule, s->limit_hits, what);
}

const sg_prefilter *sg_ruleset_prefilter(const sg_ruleset *rs)
{
	return rs->prefilter;
}

void sg_scanner_offer(sg_scanner *s, const char *data, size_t len, const sg_chunk_known *known)
{
	s->offer = (struct offer){0};
	if (data && known)
		s->offer = (struct offer){data, len, *known};
	s->quiet = (struct quiet){0};
}

int sg_scanner_quiet_base(sg_scanner *s, const char *data, size_t len, const sg_copy **copies,
                          size_t *n)
{
	struct offer o = s->offer;
	s->offer.known.copies = NULL;
	if (!o.data || o.data != data || o.len != len || !o.known.copies)
		return 0;
	*copies = o.known.copies;
	*n = o.known.ncopies;
	return 1;
}

void sg_scanner_note_quiet(sg_scanner *s, const char *data, size_t len, int quiet)
{
	s->quiet = (struct quiet){data, len, quiet};
}

int sg_scanner_decode_quiet(const sg_scanner *s, const char *data, size_t len)
{
	return s->quiet.data && s->quiet.data == data && s->quiet.len == len && s->quiet.quiet;
}

int sg_rule_matches(const sg_rule *cr, const char *text, size_t len)
{
	sg_rule *r = (sg_rule *)cr;
	sg_scanner s = {0};
	int rc = sg_rule_compile(r);
	if (rc < 0)
		return sg_error_set(SG_EINVALID, "rule '%s': %s", r->id,
		                    r->compile_error ? r->compile_error : "does not compile");
	if ((rc = scanner_init(&s, NULL)) < 0) {
		scanner_fini(&s);
		return rc;
	}
	if (r->keywords.count == 0)
		rc = run_window(&s, r, text, 0, len < PATH_RULE_MAX ? len : PATH_RULE_MAX, 0, NULL,
		                0);
	/* the same windows the prefilter would give: keyword hits only */
	for (size_t k = 0; k < r->keywords.count && rc >= 0; k++) {
		const char *kw = r->keywords.items[k];
		size_t kl = strlen(kw);
		for (size_t i = 0; i + kl <= len; i++)
			if (strncasecmp(text + i, kw, kl) == 0) {
				sg_hit h = {0, (uint32_t)kl, i + kl};
				size_t abandoned = 0;
				if ((rc = run_rule_hits(&s, r, text, len, &h, 1, &abandoned)) < 0)
					break;
			}
	}
	int found = s.ncands > 0;
	scanner_fini(&s);
	if (rc < 0)
		return rc;
	return found;
}
