/* The streaming redactor: masks rule matches and leak-set values in a
 * stream line by line, flushing after every line, with over-long lines cut
 * into pieces whose tails are held back so a secret across a cut is still
 * masked. Not specific to the env gate: it takes any rule set. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "secretgate/env.h"
#include "secretgate/redact.h"
#include "util/grow.h"

typedef struct span {
	size_t start, end;
	const char *label;
} span;

struct sg_redactor {
	const sg_ruleset *rules;
	const sg_leakset *leaks;
	sg_scanner *scanner;
	size_t max_line;
	span *spans;
	size_t nspans, spans_cap;
	char *out;
	size_t out_cap;
	uint64_t masked;
	const char *text; /* the text find_spans is looking at */
	size_t text_len;
};

int sg_redactor_new(sg_redactor **out, const sg_ruleset *rules, const sg_leakset *leaks,
                    const sg_redact_options *opts)
{
	sg_redactor *r = calloc(1, sizeof(*r));
	if (!r)
		return sg_error_set(SG_ENOMEM, "out of memory");
	r->rules = rules;
	r->leaks = leaks;
	r->max_line = opts && opts->max_line ? opts->max_line : 64u << 10;
	if (r->max_line < 256)
		r->max_line = 256;
	if (rules) {
		/* A log line has no inline allow comments worth honouring. */
		sg_scan_options scan_opts = SG_SCAN_OPTIONS_INIT;
		scan_opts.inline_allow = 0;
		int rc = sg_scanner_new(&r->scanner, rules, &scan_opts);
		if (rc < 0) {
			free(r);
			return rc;
		}
	}
	*out = r;
	return 0;
}

void sg_redactor_free(sg_redactor *r)
{
	if (!r)
		return;
	sg_scanner_free(r->scanner);
	free(r->spans);
	free(r->out);
	free(r);
}

static int add_span(sg_redactor *r, size_t start, size_t end, const char *label)
{
	if (end <= start)
		return 0;
	if (r->nspans == r->spans_cap && SG_GROW(r->spans, r->spans_cap, 16) < 0)
		return sg_error_set(SG_ENOMEM, "out of memory");
	r->spans[r->nspans++] = (span){start, end, label};
	return 0;
}

static int is_base64_char(char c)
{
	return isalnum((unsigned char)c) || c == '+' || c == '/' || c == '-' || c == '_' ||
	       c == '=';
}

static int leak_span(void *ctx, const char *name, const char *encoding, size_t offset,
                     size_t length)
{
	sg_redactor *r = ctx;
	size_t start = offset, end = offset + length;
	/* The characters around an encoded value still carry a few of its bits:
	 * mask the whole base64 run ('=' only pads the end). */
	if (strncmp(encoding, "base64", 6) == 0) {
		while (start > 0 && r->text[start - 1] != '=' && is_base64_char(r->text[start - 1]))
			start--;
		while (end < r->text_len && is_base64_char(r->text[end]))
			end++;
	}
	return add_span(r, start, end, name);
}

static int span_cmp(const void *a, const void *b)
{
	const span *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start ? 1 : 0;
}

/* Collect and merge the spans to mask in text. */
static int find_spans(sg_redactor *r, const char *text, size_t len)
{
	r->nspans = 0;
	r->text = text;
	r->text_len = len;
	int rc = sg_leakset_each(r->leaks, text, len, leak_span, r);
	if (rc)
		return rc;
	if (r->scanner) {
		sg_findings f;
		sg_findings_init(&f, 256);
		sg_origin origin = {0};
		origin.path = "(stdin)";
		rc = sg_scanner_scan(r->scanner, text, len, &origin, NULL, &f);
		for (size_t i = 0; rc == 0 && i < f.count; i++) {
			const sg_finding *fi = &f.items[i];
			if (fi->offset + fi->secret_len <= len)
				rc = add_span(r, fi->offset, fi->offset + fi->secret_len,
				              fi->rule_id);
			/* the id part of a two-part credential is masked with it */
			if (rc == 0 && fi->pair_secret &&
			    fi->pair_offset + fi->pair_secret_len <= len)
				rc = add_span(r, fi->pair_offset,
				              fi->pair_offset + fi->pair_secret_len, fi->pair_rule);
		}
		sg_findings_free(&f);
		if (rc)
			return rc;
	}
	if (r->nspans > 1)
		qsort(r->spans, r->nspans, sizeof(span), span_cmp);
	size_t n = 0;
	for (size_t i = 0; i < r->nspans; i++) {
		if (n && r->spans[i].start <= r->spans[n - 1].end) {
			if (r->spans[i].end > r->spans[n - 1].end)
				r->spans[n - 1].end = r->spans[i].end;
			continue;
		}
		r->spans[n++] = r->spans[i];
	}
	r->nspans = n;
	return 0;
}

/* Write text[0..upto) with the spans that start before upto masked. */
static int render(sg_redactor *r, const char *text, size_t upto, size_t *out_len)
{
	size_t need = upto + 1;
	for (size_t i = 0; i < r->nspans; i++)
		need += 16 + strlen(r->spans[i].label);
	if (need > r->out_cap) {
		char *o = realloc(r->out, need);
		if (!o)
			return sg_error_set(SG_ENOMEM, "out of memory");
		r->out = o;
		r->out_cap = need;
	}
	size_t pos = 0, n = 0;
	for (size_t i = 0; i < r->nspans && r->spans[i].start < upto; i++) {
		memcpy(r->out + n, text + pos, r->spans[i].start - pos);
		n += r->spans[i].start - pos;
		n += (size_t)sprintf(r->out + n, "[REDACTED:%s]", r->spans[i].label);
		pos = r->spans[i].end;
		r->masked++;
	}
	if (pos < upto) {
		memcpy(r->out + n, text + pos, upto - pos);
		n += upto - pos;
	}
	r->out[n] = '\0';
	*out_len = n;
	return 0;
}

int sg_redactor_line(sg_redactor *r, const char **out, size_t *out_len, const char *line,
                     size_t len)
{
	int rc = find_spans(r, line, len);
	if (rc == 0)
		rc = render(r, line, len, out_len);
	*out = rc == 0 ? r->out : NULL;
	return rc;
}

int sg_redactor_run(sg_redactor *r, uint64_t *masked, FILE *in, FILE *out)
{
	/* What a piece boundary must keep in view: the longest leak needle, and
	 * a generous bound for rule matches. */
	size_t hold = sg_leakset_max_needle(r->leaks) + 1;
	if (hold < 4096)
		hold = 4096;
	if (hold > r->max_line / 2)
		hold = r->max_line / 2;
	char *buf = malloc(r->max_line + 1);
	if (!buf)
		return sg_error_set(SG_ENOMEM, "out of memory");
	size_t len = 0;
	int rc = 0, c = 0;
	r->masked = 0;
	while (rc == 0) {
		c = getc_unlocked(in);
		if (c != EOF && c != '\n' && len < r->max_line) {
			buf[len++] = (char)c;
			continue;
		}
		if (c == EOF && ferror(in)) {
			rc = sg_error_set(SG_EIO, "read failed: %s", strerror(errno));
			break;
		}
		size_t emit_len;
		if (c == '\n' || c == EOF) {
			const char *masked_line;
			rc = sg_redactor_line(r, &masked_line, &emit_len, buf, len);
			if (rc == 0 && (fwrite(r->out, 1, emit_len, out) != emit_len ||
			                (c == '\n' && putc('\n', out) == EOF) || fflush(out) != 0))
				rc = sg_error_set(SG_EIO, "write failed: %s", strerror(errno));
			len = 0;
			if (c == EOF)
				break;
			continue;
		}
		/* A full piece of an over-long line: emit all but the held-back tail,
		 * extended to the end of any span crossing the cut. */
		buf[len++] = (char)c;
		if ((rc = find_spans(r, buf, len)))
			break;
		size_t cut = len - hold;
		for (size_t i = 0; i < r->nspans; i++)
			if (r->spans[i].start < cut && r->spans[i].end > cut)
				cut = r->spans[i].end;
		if ((rc = render(r, buf, cut, &emit_len)))
			break;
		if (fwrite(r->out, 1, emit_len, out) != emit_len) {
			rc = sg_error_set(SG_EIO, "write failed: %s", strerror(errno));
			break;
		}
		memmove(buf, buf + cut, len - cut);
		len -= cut;
	}
	if (masked)
		*masked = r->masked;
	free(buf);
	return rc;
}
