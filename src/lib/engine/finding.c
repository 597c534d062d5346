/* Findings: the growable list every source fills, its deterministic order,
 * redaction and content-based fingerprints. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "secretgate/secretgate.h"
#include "util/grow.h"

static const char *const severity_names[] = {"info", "low", "medium", "high", "critical"};
static const char *const confidence_names[] = {"low", "medium", "high"};
static const char *const suppress_names[] = {"none",     "inline",        "ignore-file",
                                             "baseline", "config",        "below-fail-on",
                                             "warning",  "low-confidence"};

const char *sg_severity_name(sg_severity s)
{
	return (unsigned)s < 5 ? severity_names[s] : "unknown";
}

int sg_severity_parse(sg_severity *out, const char *name)
{
	for (int i = 0; i < 5; i++)
		if (name && strcasecmp(name, severity_names[i]) == 0) {
			*out = (sg_severity)i;
			return 0;
		}
	return sg_error_set(SG_EINVALID,
	                    "unknown severity '%s' (info, low, medium, high, critical)",
	                    name ? name : "");
}

const char *sg_confidence_name(sg_confidence c)
{
	return (unsigned)c < 3 ? confidence_names[c] : "unknown";
}

int sg_confidence_parse(sg_confidence *out, const char *name)
{
	for (int i = 0; i < 3; i++)
		if (name && strcasecmp(name, confidence_names[i]) == 0) {
			*out = (sg_confidence)i;
			return 0;
		}
	return sg_error_set(SG_EINVALID, "unknown confidence '%s' (low, medium, high)",
	                    name ? name : "");
}

const char *sg_suppress_name(sg_suppress s)
{
	return (unsigned)s < SG_SUPPRESS_COUNT ? suppress_names[s] : "unknown";
}

int sg_suppress_warns(sg_suppress s)
{
	return s == SG_SUPPRESS_SEVERITY || s == SG_SUPPRESS_WARNING || s == SG_SUPPRESS_CONFIDENCE;
}

void sg_findings_init(sg_findings *f, size_t max)
{
	memset(f, 0, sizeof(*f));
	f->max = max;
}

void sg_finding_clear(sg_finding *it)
{
	free(it->path);
	free(it->commit);
	free(it->author);
	free(it->email);
	free(it->date);
	free(it->blob);
	free(it->secret);
	free(it->pair_secret);
	free(it->match_line);
	free(it->message);
	free(it->other_path_list);
	memset(it, 0, sizeof(*it));
}

void sg_findings_free(sg_findings *f)
{
	for (size_t i = 0; i < f->count; i++)
		sg_finding_clear(&f->items[i]);
	free(f->items);
	memset(f, 0, sizeof(*f));
}

static int dup_field(char **dst, const char *src)
{
	*dst = NULL;
	if (!src)
		return 0;
	*dst = strdup(src);
	return *dst ? 0 : -1;
}

int sg_findings_push(sg_findings *f, const sg_finding *item)
{
	if (f->max && f->count >= f->max) {
		f->dropped++;
		return 0;
	}
	if (f->count == f->cap && SG_GROW(f->items, f->cap, 16) < 0)
		return sg_error_set(SG_ENOMEM, "out of memory");
	sg_finding *d = &f->items[f->count];
	*d = *item;
	int bad = dup_field(&d->path, item->path) | dup_field(&d->commit, item->commit) |
	          dup_field(&d->author, item->author) | dup_field(&d->email, item->email) |
	          dup_field(&d->date, item->date) | dup_field(&d->blob, item->blob) |
	          dup_field(&d->match_line, item->match_line) |
	          dup_field(&d->message, item->message) |
	          dup_field(&d->other_path_list, item->other_path_list);
	d->secret = NULL;
	if (item->secret) {
		d->secret = malloc(item->secret_len + 1);
		if (d->secret) {
			memcpy(d->secret, item->secret, item->secret_len);
			d->secret[item->secret_len] = '\0';
		} else {
			bad = 1;
		}
	}
	d->pair_secret = NULL;
	if (item->pair_secret &&
	    !(d->pair_secret = strndup(item->pair_secret, item->pair_secret_len)))
		bad = 1;
	if (bad) {
		sg_finding_clear(d);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	f->count++;
	return 0;
}

int sg_findings_take(sg_findings *dst, sg_findings *src)
{
	if (src->count == 0) {
		dst->dropped += src->dropped;
		free(src->items);
		src->items = NULL;
		src->cap = src->dropped = 0;
		return 0;
	}
	if (dst->count + src->count > dst->cap) {
		size_t ncap = dst->count + src->count;
		sg_finding *n = realloc(dst->items, ncap * sizeof(*n));
		if (!n)
			return sg_error_set(SG_ENOMEM, "out of memory");
		dst->items = n;
		dst->cap = ncap;
	}
	memcpy(dst->items + dst->count, src->items, src->count * sizeof(*src->items));
	dst->count += src->count;
	dst->dropped += src->dropped;
	free(src->items);
	src->items = NULL;
	src->count = src->cap = src->dropped = 0;
	return 0;
}

static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_finding(const void *pa, const void *pb)
{
	const sg_finding *a = pa, *b = pb;
	int c;
	if ((c = cmp_str(a->path, b->path)))
		return c;
	if ((c = cmp_str(a->date, b->date)))
		return c;
	if ((c = cmp_str(a->commit, b->commit)))
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->column != b->column)
		return a->column < b->column ? -1 : 1;
	if ((c = cmp_str(a->rule_id, b->rule_id)))
		return c;
	return cmp_str(sg_finding_identity(a), sg_finding_identity(b));
}

void sg_findings_sort(sg_findings *f)
{
	if (f->count > 1)
		qsort(f->items, f->count, sizeof(*f->items), cmp_finding);
}

size_t sg_findings_blocking(const sg_findings *f)
{
	size_t n = 0;
	for (size_t i = 0; i < f->count; i++)
		if (f->items[i].suppressed == SG_SUPPRESS_NONE)
			n++;
	return n;
}

/* Public prefixes of provider tokens: they name the provider and are the
 * same in every token, so showing them reveals nothing of the random part.
 * Longest first where one is a prefix of another. */
static const char *const public_prefixes[] = {
        "github_pat_", "ghp_",
        "gho_",        "ghu_",
        "ghs_",        "ghr_",
        "glpat-",      "glptt-",
        "gldt-",       "glrt-",
        "sk_live_",    "sk_test_",
        "rk_live_",    "rk_test_",
        "pk_live_",    "whsec_",
        "AKIA",        "ASIA",
        "ABIA",        "ACCA",
        "xoxb-",       "xoxp-",
        "xoxa-",       "xoxr-",
        "xoxs-",       "xoxe-",
        "xapp-",       "npm_",
        "pypi-",       "AIza",
        "ya29.",       "GOCSPX-",
        "sk-ant-",     "sk-proj-",
        "sk-",         "hf_",
        "SG.",         "dop_v1_",
        "doo_v1_",     "dor_v1_",
        "shpat_",      "shpss_",
        "shpca_",      "shppa_",
        "glsa_",       "AGE-SECRET-KEY-1",
        "PMAK-",       "NRAK-",
        "HRKU-",       "CFPAT-",
        "FLWSECK",     "LTAI",
        "AKID",        "AVNS_",
        "ATATT3",      "ATBB",
        "bkua_",       "bkct_",
        "dapi",        "xai-",
        "gsk_",        "pplx-",
};

/* How many leading bytes of a secret a redacted form may show: a provider's
 * public prefix, and nothing of what follows it; for any other secret at
 * most one character, and never more than an eighth of it. */
size_t sg_redact_keep(const char *secret, size_t len)
{
	for (size_t i = 0; i < sizeof(public_prefixes) / sizeof(public_prefixes[0]); i++) {
		size_t n = strlen(public_prefixes[i]);
		if (len >= n + 8 && memcmp(secret, public_prefixes[i], n) == 0)
			return n;
	}
	return len >= 8 ? 1 : 0;
}

void sg_redact(char *out, size_t outsz, const char *secret, size_t len)
{
	size_t keep = sg_redact_keep(secret, len);
	if (outsz < 8) {
		if (outsz)
			out[0] = '\0';
		return;
	}
	size_t n = 0;
	for (size_t i = 0; i < keep && n + 7 < outsz; i++) {
		unsigned char c = (unsigned char)secret[i];
		out[n++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	memcpy(out + n, "*****", 6);
}
