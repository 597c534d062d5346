/* The scan engine: prefilter hits become bounded windows, each rule's
 * pattern runs only there, and candidates pass the rule's filters
 * (entropy, checksum, allow patterns, stop-words, placeholders) before
 * they become findings with lines, columns and fingerprints. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "secretgate/secretgate.h"
#include "lib/engine/rule.h"
#include "lib/engine/pairing.h"

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
} cand;

struct sg_scanner {
	const sg_ruleset *rs;
	sg_scan_options opts;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	sg_hits hits;
	cand *cands;
	size_t ncands, capcands;
	size_t limit_hits;
	const char *first_limit_rule;
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

size_t sg_scanner_limit_hits(const sg_scanner *s, const char **first_rule)
{
	if (first_rule)
		*first_rule = s->first_limit_rule;
	return s->limit_hits;
}

static int ci_contains(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	if (n == 0 || n > len)
		return 0;
	for (size_t i = 0; i + n <= len; i++)
		if (strncasecmp(s + i, needle, n) == 0)
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

static int cand_push(sg_scanner *s, const cand *c)
{
	if (s->ncands == s->capcands) {
		size_t ncap = s->capcands ? s->capcands * 2 : 32;
		cand *n = realloc(s->cands, ncap * sizeof(*n));
		if (!n)
			return sg_error_set(SG_ENOMEM, "out of memory");
		s->cands = n;
		s->capcands = ncap;
	}
	s->cands[s->ncands++] = *c;
	return 0;
}

/* The rule's own filters and the engine-wide ones; 1 keeps the candidate. */
static int judge(sg_scanner *s, const sg_rule *r, const char *data, size_t ss, size_t se, cand *c)
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
	c->entropy = sg_entropy(sec, len);
	if (r->entropy > 0 && c->entropy < r->entropy)
		return 0;
	if (r->checksum) {
		int ok = sg_checksum_verify(r->checksum, sec, len);
		if (ok == 1)
			c->validated = "checksum";
		else if (!s->opts.include_unverified)
			return 0;
		else
			c->unverified = 1;
	}
	for (size_t i = 0; i < r->allow.count; i++) {
		int rc = pcre2_match(r->allow_code[i], (PCRE2_SPTR)sec, len, 0, 0, s->md, s->mctx);
		if (rc >= 0)
			return 0;
	}
	for (size_t i = 0; i < r->stopwords.count; i++)
		if (ci_contains(sec, len, r->stopwords.items[i]))
			return 0;
	if (!c->validated && is_placeholder(sec, len))
		return 0;
	if (r->confidence < s->opts.min_confidence)
		return 0;
	return 1;
}

/* Run one rule over [ws, we). Returns <0 on error, 1 when a PCRE2 limit hit. */
static int run_window(sg_scanner *s, const sg_rule *r, const char *data, size_t ws, size_t we)
{
	size_t off = ws;
	const pcre2_code *code = sg_rule_code((sg_rule *)r);
	while (off < we) {
		int rc = pcre2_match(code, (PCRE2_SPTR)data, we, off, 0, s->md, s->mctx);
		if (rc == PCRE2_ERROR_NOMATCH)
			return 0;
		if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
		    rc == PCRE2_ERROR_JIT_STACKLIMIT || rc == PCRE2_ERROR_HEAPLIMIT)
			return 1;
		if (rc < 0)
			return 0;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
		int g = r->secret_group;
		if (g >= rc || ov[2 * g] == PCRE2_UNSET)
			g = 0;
		/* judge() reuses the match data for allow patterns: take what we need first */
		size_t ss = ov[2 * g], se = ov[2 * g + 1];
		size_t next = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
		cand c;
		if (judge(s, r, data, ss, se, &c) && cand_push(s, &c) < 0)
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

static size_t extend_to_eol(const char *data, size_t len, size_t we)
{
	if (we >= len)
		return len;
	size_t cap = len - we < LINE_EXTEND ? len - we : LINE_EXTEND;
	const char *nl = memchr(data + we, '\n', cap);
	return nl ? (size_t)(nl - data) : we + cap;
}

/* Windows around a rule's hits (sorted by end), merged, then matched. */
static int run_rule_hits(sg_scanner *s, const sg_rule *r, const char *data, size_t len,
                         const sg_hit *hits, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t kstart = hits[i].end - hits[i].keyword_len;
		size_t ws = kstart > WINDOW_BEFORE ? kstart - WINDOW_BEFORE : 0;
		size_t we = hits[i].end + r->window;
		if (we > len)
			we = len;
		we = extend_to_eol(data, len, we);
		i++;
		while (i < n && hits[i].end - hits[i].keyword_len <= we + WINDOW_BEFORE) {
			size_t nwe = hits[i].end + r->window;
			if (nwe > len)
				nwe = len;
			nwe = extend_to_eol(data, len, nwe);
			if (nwe > we)
				we = nwe;
			i++;
		}
		int rc = run_window(s, r, data, ws, we);
		if (rc != 0)
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

/* Which of two findings over the same bytes to keep: the more specific one. */
static int better(const cand *a, const cand *b)
{
	if ((a->validated != NULL) != (b->validated != NULL))
		return a->validated != NULL;
	if (a->rule->confidence != b->rule->confidence)
		return a->rule->confidence > b->rule->confidence;
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
		if (emitted >= s->opts.max_findings_per_chunk) {
			out->dropped++;
			continue;
		}
		f.rule_id = c->rule->id;
		f.description = c->rule->description;
		f.severity = c->rule->severity;
		f.confidence = c->rule->confidence;
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

/* Keyword hits in data[from, to) become candidates. When the slice holds
 * more hits than the hit buffer, it is halved (overlapping by a keyword's
 * length) rather than cut short: a flood of keywords must not hide a secret
 * after it. Windows still reach across slices; the candidates a window
 * yields twice overlap and emit() keeps one. */
static int scan_slice(sg_scanner *s, const char *data, size_t len, size_t from, size_t to,
                      const char *path)
{
	const sg_ruleset *rs = s->rs;
	s->hits.count = 0;
	s->hits.truncated = 0;
	int r = sg_prefilter_scan(rs->prefilter, data + from, to - from, &s->hits);
	if (r < 0)
		return r;
	if (s->hits.truncated && to - from > 4 * KEYWORD_MAX) {
		size_t mid = from + (to - from) / 2;
		if ((r = scan_slice(s, data, len, from, mid, path)) < 0)
			return r;
		return scan_slice(s, data, len, mid - (KEYWORD_MAX - 1), to, path);
	}
	for (size_t k = 0; k < s->hits.count; k++)
		s->hits.items[k].end += from;
	if (s->hits.count > 1)
		qsort(s->hits.items, s->hits.count, sizeof(sg_hit), cmp_hit);
	size_t i = 0;
	while (i < s->hits.count) {
		size_t j = i;
		while (j < s->hits.count && s->hits.items[j].rule == s->hits.items[i].rule)
			j++;
		sg_rule *rule = rs->rules[s->hits.items[i].rule];
		if (rule->enabled && rule_applies(rule, path) && sg_rule_compile(rule) == 0) {
			r = run_rule_hits(s, rule, data, len, s->hits.items + i, j - i);
			if (r < 0)
				return r;
			if (r > 0) {
				if (!s->first_limit_rule)
					s->first_limit_rule = rule->id;
				s->limit_hits++;
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
	size_t first = out->count; /* this chunk's findings start here (pairing) */
	s->ncands = 0;
	if (!rs->prefilter)
		return sg_error_set(SG_EINVALID, "rule set not finalized");
	const char *path = origin ? origin->path : NULL;
	/* rules without keywords read only the head of the files they name */
	for (size_t k = 0; path && k < rs->count; k++) {
		sg_rule *rule = rs->rules[k];
		if (rule->keywords.count || !rule->enabled || !rule_applies(rule, path) ||
		    sg_rule_compile(rule) < 0)
			continue;
		int r = run_window(s, rule, data, 0, len < PATH_RULE_MAX ? len : PATH_RULE_MAX);
		if (r < 0)
			return r;
	}
	int r = scan_slice(s, data, len, 0, len, path);
	if (r < 0)
		return r;
	if (s->ncands && (r = emit(s, data, len, origin, lines, out)) < 0)
		return r;
	return sg_pairing_apply(rs, out, first);
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
		rc = run_window(&s, r, text, 0, len < PATH_RULE_MAX ? len : PATH_RULE_MAX);
	/* the same windows the prefilter would give: keyword hits only */
	for (size_t k = 0; k < r->keywords.count && rc >= 0; k++) {
		const char *kw = r->keywords.items[k];
		size_t kl = strlen(kw);
		for (size_t i = 0; i + kl <= len; i++)
			if (strncasecmp(text + i, kw, kl) == 0) {
				sg_hit h = {0, (uint32_t)kl, i + kl};
				if ((rc = run_rule_hits(&s, r, text, len, &h, 1)) != 0)
					break;
			}
	}
	int found = s.ncands > 0;
	scanner_fini(&s);
	if (rc < 0)
		return rc;
	return found;
}
