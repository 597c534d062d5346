/* One self-contained HTML page for a sweep: what was scanned (repository,
 * HEAD), totals, a timeline of when secrets entered history (inline SVG),
 * findings grouped by rule, path and author, and the full list with each
 * finding's fingerprint, the other places holding the same secret, whether
 * HEAD still holds it, and links to a known forge. Long lists fold into
 * <details>, which needs no script. It loads nothing: no scripts, fonts or images,
 * and a Content-Security-Policy that forbids fetching anything, so it can be
 * archived as a CI artefact and opened anywhere. Every string taken from a
 * scan is escaped. */
#include <stdlib.h>
#include <string.h>
#include "secretgate/secretgate.h"
#include "lib/report/report.h"

#define HTML_MAX_ROWS        5000 /* findings listed in the table */
#define HTML_MAX_GROUPS      15   /* rows per "by path" / "by author" panel, before "and N more" */
#define HTML_MAX_FOLDED      500  /* rows behind "and N more" */
#define HTML_MAX_ALSO        3    /* other places of a secret shown before folding */
#define HTML_MAX_ALSO_FOLDED 50
#define TIMELINE_MAX_BUCKETS 400

static const char *const sev_color[] = {"#94a3b8", "#3b82f6", "#f59e0b", "#ea580c", "#be123c"};

/* The page's style sheet, src/lib/report/report.css, embedded at build time
 * (report_css.c) without its final newline. */
extern const char sg_report_css[];
extern const unsigned long long sg_report_css_size;

/* ---- grouping ---------------------------------------------------------- */

typedef struct group {
	const char *key;
	const sg_finding *first;
	size_t total, blocking;
	size_t by_sev[5];
} group;

typedef struct keyed {
	const char *key;
	size_t index;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
	const keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->index > y->index) - (x->index < y->index);
}

static int cmp_group(const void *a, const void *b)
{
	const group *x = a, *y = b;
	if (x->blocking != y->blocking)
		return x->blocking < y->blocking ? 1 : -1;
	if (x->total != y->total)
		return x->total < y->total ? 1 : -1;
	return strcmp(x->key, y->key);
}

static const char *key_rule(const sg_finding *x)
{
	return x->rule_id;
}
static const char *key_path(const sg_finding *x)
{
	return x->path;
}
static const char *key_author(const sg_finding *x)
{
	return x->author;
}

/* Findings grouped by key (NULL keys left out), most blocking first. */
static int group_by(const sg_findings *f, const char *(*key)(const sg_finding *), group **out,
                    size_t *nout)
{
	keyed *k = calloc(f->count + 1, sizeof(*k));
	group *g = calloc(f->count + 1, sizeof(*g));
	size_t n = 0, ng = 0;
	if (!k || !g) {
		free(k);
		free(g);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < f->count; i++)
		if (key(&f->items[i]))
			k[n++] = (keyed){key(&f->items[i]), i};
	if (n > 1)
		qsort(k, n, sizeof(*k), cmp_keyed);
	for (size_t i = 0; i < n; i++) {
		const sg_finding *x = &f->items[k[i].index];
		if (ng == 0 || strcmp(g[ng - 1].key, k[i].key))
			g[ng++] = (group){.key = k[i].key, .first = x};
		group *cur = &g[ng - 1];
		cur->total++;
		cur->blocking += x->suppressed == SG_SUPPRESS_NONE;
		cur->by_sev[x->severity <= SG_SEV_CRITICAL ? x->severity : SG_SEV_CRITICAL]++;
	}
	free(k);
	if (ng > 1)
		qsort(g, ng, sizeof(*g), cmp_group);
	*out = g;
	*nout = ng;
	return 0;
}

/* ---- pieces -------------------------------------------------------------- */

static void html_sev(FILE *out, sg_severity s)
{
	fprintf(out, "<span class=\"sev\" style=\"background:%s\">%s</span>",
	        sev_color[s <= SG_SEV_CRITICAL ? s : SG_SEV_CRITICAL], sg_severity_name(s));
}

static void html_card(FILE *out, const char *label, unsigned long long n, const char *color)
{
	fprintf(out, "<div class=\"card\"><div class=\"n\" style=\"color:%s\">%llu</div>", color,
	        n);
	fprintf(out, "<div class=\"l\">%s</div></div>\n", label);
}

/* A stacked bar: blocking findings coloured by severity, suppressed ones grey. */
static void html_bar(FILE *out, const group *g, size_t max)
{
	fputs("<div class=\"bar\">", out);
	size_t sup = g->total - g->blocking;
	double scale = max ? 100.0 / (double)max : 0;
	/* blocking part: proportioned over severities of the whole group */
	for (int s = SG_SEV_CRITICAL; s >= 0 && g->blocking; s--) {
		if (!g->by_sev[s])
			continue;
		double w = (double)g->blocking * (double)g->by_sev[s] / (double)g->total * scale;
		fprintf(out, "<span style=\"width:%.2f%%;background:%s\"></span>", w, sev_color[s]);
	}
	if (sup)
		fprintf(out, "<span style=\"width:%.2f%%;background:#cbd5e1\"></span>",
		        (double)sup * scale);
	fputs("</div>", out);
}

enum { GROUP_RULE, GROUP_PATH, GROUP_AUTHOR };

static void html_groups(FILE *out, const char *title, const char *note, const group *g, size_t n,
                        int kind)
{
	fprintf(out, "<section><h2>%s</h2><p class=\"note\">%s</p>\n", title, note);
	size_t max = 0;
	for (size_t i = 0; i < n; i++)
		if (g[i].total > max)
			max = g[i].total;
	/* every rule is listed; paths and authors can run into thousands */
	size_t shown = n < HTML_MAX_GROUPS || kind == GROUP_RULE ? n : HTML_MAX_GROUPS;
	size_t folded = n - shown > HTML_MAX_FOLDED ? HTML_MAX_FOLDED : n - shown;
	for (size_t i = 0; i < shown + folded; i++) {
		if (i == shown)
			fprintf(out, "<details><summary>and %zu more</summary>\n", n - shown);
		fputs("<div class=\"row\"><div class=\"top\"><div class=\"k\"><code>", out);
		sg_xml_escape(out, g[i].key);
		fputs("</code>", out);
		if (kind == GROUP_AUTHOR && g[i].first->email) {
			fputs(" <span class=\"d\">", out);
			sg_xml_escape(out, g[i].first->email);
			fputs("</span>", out);
		}
		/* blocking count first: it is what needs doing */
		fprintf(out, "</div><div class=\"c\">%zu", g[i].blocking);
		if (g[i].blocking != g[i].total)
			fprintf(out, " <span class=\"d\">of %zu</span>", g[i].total);
		fputs("</div></div>", out);
		if (kind == GROUP_RULE && g[i].first->description) {
			fputs("<div class=\"d\">", out);
			sg_xml_escape(out, g[i].first->description);
			fputs("</div>", out);
		}
		html_bar(out, &g[i], max);
		fputs("</div>\n", out);
	}
	if (folded && shown + folded < n)
		fprintf(out, "<p class=\"note\">%zu more are in the json report.</p>\n",
		        n - shown - folded);
	if (folded)
		fputs("</details>\n", out);
	if (!n)
		fputs("<p class=\"note\">Nothing to show.</p>\n", out);
	fputs("</section>\n", out);
}

/* ---- timeline -------------------------------------------------------------- */

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long)yoe + era * 400 + (*m <= 2);
}

static int parse_date(const char *s, long *y, unsigned *m, unsigned *d)
{
	if (!s || strlen(s) < 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	*y = atol(s);
	*m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
	*d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
	return *m >= 1 && *m <= 12 && *d >= 1 && *d <= 31 ? 0 : -1;
}

enum { BY_DAY, BY_MONTH, BY_YEAR };

static long bucket_of(int unit, long y, unsigned m, unsigned d)
{
	return unit == BY_DAY     ? days_from_civil(y, m, d)
	       : unit == BY_MONTH ? y * 12 + (long)m - 1
	                          : y;
}

static void bucket_label(char *out, size_t n, int unit, long b)
{
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	long y;
	unsigned m, d;
	if (unit == BY_DAY) {
		civil_from_days(b, &y, &m, &d);
		snprintf(out, n, "%s %u", mon[m - 1], d);
	} else if (unit == BY_MONTH)
		snprintf(out, n, "%s %ld", mon[b % 12], b / 12);
	else
		snprintf(out, n, "%ld", b);
}

/* A round tick step (1, 2 or 5 times a power of ten) giving at most five
 * ticks up to v, so axis labels are whole numbers people can read. */
static size_t nice_step(size_t v)
{
	size_t step = 1;
	for (;;) {
		static const size_t mult[] = {1, 2, 5};
		for (size_t i = 0; i < 3; i++)
			if ((v + mult[i] * step - 1) / (mult[i] * step) <= 5)
				return mult[i] * step;
		step *= 10;
	}
}

static int html_timeline(FILE *out, const sg_findings *f)
{
	long lo = 0, hi = 0, y;
	unsigned m, d;
	size_t dated = 0;
	for (size_t i = 0; i < f->count; i++) {
		if (parse_date(f->items[i].date, &y, &m, &d) < 0)
			continue;
		long day = days_from_civil(y, m, d);
		if (!dated || day < lo)
			lo = day;
		if (!dated || day > hi)
			hi = day;
		dated++;
	}
	fputs("<section id=\"timeline\"><h2>When secrets entered history</h2>\n", out);
	if (!dated) {
		fputs("<p class=\"note\">These findings carry no commit dates. A history sweep "
		      "(<code>secretgate git --history --format html</code>) shows when each "
		      "secret "
		      "was committed.</p></section>\n",
		      out);
		return 0;
	}
	long ly, hy;
	unsigned lm, ld, hm, hd;
	civil_from_days(lo, &ly, &lm, &ld);
	civil_from_days(hi, &hy, &hm, &hd);
	int unit = hi - lo <= 92 ? BY_DAY : (hy - ly) <= 25 ? BY_MONTH : BY_YEAR;
	long b0 = bucket_of(unit, ly, lm, ld), b1 = bucket_of(unit, hy, hm, hd);
	if (b1 - b0 + 1 > TIMELINE_MAX_BUCKETS)
		b0 = b1 - TIMELINE_MAX_BUCKETS + 1; /* very old outliers go in the first bar */
	size_t nb = (size_t)(b1 - b0 + 1);
	size_t(*counts)[5] = calloc(nb, sizeof(*counts));
	if (!counts)
		return sg_error_set(SG_ENOMEM, "out of memory");
	for (size_t i = 0; i < f->count; i++) {
		const sg_finding *x = &f->items[i];
		if (parse_date(x->date, &y, &m, &d) < 0)
			continue;
		long b = bucket_of(unit, y, m, d);
		if (b < b0)
			b = b0;
		counts[b - b0][x->severity <= SG_SEV_CRITICAL ? x->severity : SG_SEV_CRITICAL]++;
	}
	size_t peak = 0;
	for (size_t b = 0; b < nb; b++) {
		size_t t = 0;
		for (int s = 0; s < 5; s++)
			t += counts[b][s];
		if (t > peak)
			peak = t;
	}
	size_t ystep = nice_step(peak ? peak : 1);
	size_t yticks = ((peak ? peak : 1) + ystep - 1) / ystep;
	size_t ymax = ystep * yticks;
	size_t rstep = nice_step(dated);
	size_t rticks = (dated + rstep - 1) / rstep;
	size_t rmax = rstep * rticks;
	const double W = 1100, H = 280, L = 44, R = 56, T = 14, B = 34;
	double pw = W - L - R, ph = H - T - B, bw = pw / (double)nb;
	fprintf(out,
	        "<p class=\"note\">%zu finding%s with a commit date, per %s, from %04ld-%02u-%02u "
	        "to "
	        "%04ld-%02u-%02u. Bars count new secrets (left axis); the line is the running "
	        "total "
	        "(right axis).</p>\n",
	        dated, dated == 1 ? "" : "s",
	        unit == BY_DAY     ? "day"
	        : unit == BY_MONTH ? "month"
	                           : "year",
	        ly, lm, ld, hy, hm, hd);
	fputs("<div class=\"legend\">", out);
	for (int s = SG_SEV_CRITICAL; s >= 0; s--)
		fprintf(out, "<span><i style=\"background:%s\"></i>%s</span>", sev_color[s],
		        sg_severity_name((sg_severity)s));
	fputs("<span><i style=\"background:#0f172a;height:2px;vertical-align:3px\"></i>running "
	      "total</span></div>\n",
	      out);
	fprintf(out,
	        "<svg viewBox=\"0 0 %.0f %.0f\" width=\"100%%\" role=\"img\" "
	        "aria-label=\"findings over time\">\n",
	        W, H);
	/* grid and left axis: counts per bucket */
	for (size_t k = 0; k <= yticks; k++) {
		double yy = T + ph - ph * (double)k / (double)yticks;
		fprintf(out,
		        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
		        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%zu</text>\n",
		        L, yy, W - R, yy, k ? "#eef0f4" : "#cbd5e1", L - 8, yy + 4, ystep * k);
	}
	/* right axis: the running total has its own scale */
	for (size_t k = 0; k <= rticks; k++)
		fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#0f172a\">%zu</text>\n", W - R + 8,
		        T + ph - ph * (double)k / (double)rticks + 4, rstep * k);
	char label[32];
	size_t every = nb / 12 + 1;
	size_t running = 0;
	/* few buckets would make slabs, not bars: cap the width and centre them */
	double barw = bw > 6 ? bw * 0.82 : bw;
	if (barw > 56)
		barw = 56;
	double gap = bw - barw;
	for (size_t b = 0; b < nb; b++) {
		double x = L + bw * (double)b, base = T + ph;
		bucket_label(label, sizeof(label), unit, b0 + (long)b);
		for (int s = SG_SEV_CRITICAL; s >= 0; s--) {
			if (!counts[b][s])
				continue;
			double h = ph * (double)counts[b][s] / (double)ymax;
			base -= h;
			fprintf(out,
			        "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
			        "fill=\"%s\" rx=\"1.5\"><title>%s: %zu %s</title></rect>\n",
			        x + gap / 2, base, barw > 1 ? barw : 1, h, sev_color[s], label,
			        counts[b][s], sg_severity_name((sg_severity)s));
		}
		if (b % every == 0)
			fprintf(out,
			        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
			        x + bw / 2, H - 12, label);
	}
	/* running total against the right axis */
	fputs("<polyline fill=\"none\" stroke=\"#0f172a\" stroke-width=\"2\" "
	      "stroke-linejoin=\"round\" points=\"",
	      out);
	for (size_t b = 0; b < nb; b++) {
		for (int s = 0; s < 5; s++)
			running += counts[b][s];
		fprintf(out, "%s%.1f,%.1f", b ? " " : "", L + bw * ((double)b + 0.5),
		        T + ph - ph * (double)running / (double)rmax);
	}
	fputs("\"/>\n", out);

	fputs("</svg></section>\n", out);
	free(counts);
	return 0;
}

/* ---- links ------------------------------------------------------------------ */

/* 1 when a commit id is plain hex (nothing else goes into a link). */
static int is_hex_id(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	return n >= 7 && n <= 64 && strspn(s, "0123456789abcdef") == n;
}

static void link_commit(FILE *out, const sg_report_options *o, const char *sha)
{
	fputs("<a rel=\"noreferrer\" href=\"", out);
	sg_xml_escape(out, o->forge_url);
	fputs(!strcmp(o->forge, "gitlab") ? "/-/commit/" : "/commit/", out);
	fputs(sha, out);
	fputs("\">", out);
}

static void link_file(FILE *out, const sg_report_options *o, const char *sha, const char *path,
                      unsigned line)
{
	fputs("<a rel=\"noreferrer\" href=\"", out);
	sg_report_file_link(out, o, sha, path, line);
	fputs("\">", out);
}

static int has_forge(const sg_report_options *o)
{
	return o->forge_url && o->forge && *o->forge_url;
}

/* ---- table ------------------------------------------------------------------ */

typedef struct row {
	const sg_finding *x;
	size_t index;
} row;

static int cmp_row(const void *a, const void *b)
{
	const row *p = a, *q = b;
	int pb = p->x->suppressed == SG_SUPPRESS_NONE, qb = q->x->suppressed == SG_SUPPRESS_NONE;
	if (pb != qb)
		return qb - pb;
	if (p->x->severity != q->x->severity)
		return (int)q->x->severity - (int)p->x->severity;
	return (p->index > q->index) - (p->index < q->index);
}

/* Findings ordered by fingerprint, so the places of one secret are adjacent. */
typedef struct same {
	const sg_findings *f;
	size_t *order; /* indices sorted by fingerprint */
	size_t *at;    /* at[i]: position of finding i in order */
} same;

static int same_init(same *s, const sg_findings *f)
{
	s->f = f;
	s->order = calloc(f->count + 1, sizeof(size_t));
	s->at = calloc(f->count + 1, sizeof(size_t));
	keyed *k = calloc(f->count + 1, sizeof(*k));
	if (!s->order || !s->at || !k) {
		free(s->order);
		free(s->at);
		free(k);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < f->count; i++)
		k[i] = (keyed){f->items[i].fingerprint, i};
	if (f->count > 1)
		qsort(k, f->count, sizeof(*k), cmp_keyed);
	for (size_t i = 0; i < f->count; i++) {
		s->order[i] = k[i].index;
		s->at[k[i].index] = i;
	}
	free(k);
	return 0;
}

static void same_free(same *s)
{
	free(s->order);
	free(s->at);
}

static void html_place(FILE *out, const sg_finding *y, const sg_report_options *o)
{
	fputs("<li><code>", out);
	int linked = has_forge(o) && is_hex_id(y->commit) && y->path;
	if (linked)
		link_file(out, o, y->commit, y->path, y->line);
	sg_xml_escape(out, y->path ? y->path : "-");
	if (y->line)
		fprintf(out, ":%u", y->line);
	if (linked)
		fputs("</a>", out);
	fputs("</code>", out);
	if (y->commit) {
		char shortid[13];
		snprintf(shortid, sizeof(shortid), "%s", y->commit);
		fputs(" in <code>", out);
		sg_xml_escape(out, shortid);
		fputs("</code>", out);
	}
	fputs("</li>", out);
}

/* A list that shows its first HTML_MAX_ALSO items and folds the rest. */
typedef struct folding {
	FILE *out;
	size_t total, listed;
} folding;

static int fold_next(folding *fl)
{
	if (fl->listed == HTML_MAX_ALSO + HTML_MAX_ALSO_FOLDED)
		return 0;
	if (fl->listed == HTML_MAX_ALSO)
		fprintf(fl->out, "</ul><details><summary>and %zu more</summary><ul class=\"also\">",
		        fl->total - HTML_MAX_ALSO);
	fl->listed++;
	return 1;
}

static void fold_end(folding *fl)
{
	if (fl->listed < fl->total && fl->listed > HTML_MAX_ALSO)
		fprintf(fl->out, "<li>%zu more in the json report</li>", fl->total - fl->listed);
	fputs(fl->listed > HTML_MAX_ALSO ? "</ul></details>" : "</ul>", fl->out);
}

/* The other places of the same secret: other findings with its fingerprint
 * (range scans report each commit) and, for a history sweep, the other paths
 * the same file was committed under. */
static void html_also(FILE *out, const same *s, size_t i, const sg_report_options *o)
{
	const sg_findings *f = s->f;
	const sg_finding *x = &f->items[i];
	size_t k0 = s->at[i], lo = k0, hi = k0 + 1;
	while (lo > 0 && !strcmp(f->items[s->order[lo - 1]].fingerprint, x->fingerprint))
		lo--;
	while (hi < f->count && !strcmp(f->items[s->order[hi]].fingerprint, x->fingerprint))
		hi++;
	size_t paths = 0;
	for (const char *p = x->other_path_list; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		paths++;
	folding fl = {out, hi - lo - 1 + paths, 0};
	if (fl.total) {
		fprintf(out,
		        "<div class=\"d\">same secret in %zu other place%s:</div><ul "
		        "class=\"also\">",
		        fl.total, fl.total == 1 ? "" : "s");
		for (size_t k = lo; k < hi; k++)
			if (k != k0 && fold_next(&fl))
				html_place(out, &f->items[s->order[k]], o);
		for (const char *p = x->other_path_list; p && *p && fold_next(&fl);) {
			const char *e = strchr(p, '\n');
			size_t n = e ? (size_t)(e - p) : strlen(p);
			char path[4096];
			snprintf(path, sizeof(path), "%.*s",
			         (int)(n < sizeof(path) ? n : sizeof(path) - 1), p);
			fputs("<li><code>", out);
			sg_xml_escape(out, path);
			fputs("</code></li>", out);
			p = e ? e + 1 : NULL;
		}
		fold_end(&fl);
	}
	/* history: every commit whose tree carries the secret, under any path */
	if (x->other_commits)
		fprintf(out, "<div class=\"d\">%u more commit%s carr%s it</div>", x->other_commits,
		        x->other_commits == 1 ? "" : "s", x->other_commits == 1 ? "ies" : "y");
}

static int html_table(FILE *out, const sg_findings *f, const sg_report_options *o)
{
	char sec[1024];
	same s;
	row *rows = calloc(f->count + 1, sizeof(*rows));
	if (!rows)
		return sg_error_set(SG_ENOMEM, "out of memory");
	if (same_init(&s, f) < 0) {
		free(rows);
		return -1;
	}
	for (size_t i = 0; i < f->count; i++)
		rows[i] = (row){&f->items[i], i};
	if (f->count > 1)
		qsort(rows, f->count, sizeof(*rows), cmp_row);
	int git = 0;
	for (size_t i = 0; i < f->count && !git; i++)
		git = f->items[i].commit != NULL;
	fprintf(out,
	        "<section id=\"findings\"><h2>All findings</h2><p class=\"note\">Blocking "
	        "first, then by severity. Secrets are %s. A fingerprint goes into "
	        "<code>.secretgateignore</code> to accept a finding.</p>\n",
	        o->show_secrets ? "<b>shown in full</b> (--show-secrets)" : "redacted");
	if (!f->count) {
		fputs("<p class=\"note\">No findings.</p></section>\n", out);
		same_free(&s);
		free(rows);
		return 0;
	}
	fprintf(out,
	        "<div class=\"wrap-t\"><table><thead><tr><th>Severity</th><th>Rule</th>"
	        "<th>Location</th><th>Secret</th>%s<th>Status</th></tr></thead><tbody>\n",
	        git ? "<th>Commit</th>" : "");
	size_t shown = f->count < HTML_MAX_ROWS ? f->count : HTML_MAX_ROWS;
	for (size_t i = 0; i < shown; i++) {
		const sg_finding *x = rows[i].x;
		fprintf(out, "<tr%s><td>", x->suppressed ? " class=\"sup\"" : "");
		html_sev(out, x->severity);
		fputs("</td><td data-l=\"rule\"><code>", out);
		sg_xml_escape(out, x->rule_id);
		fputs("</code></td><td data-l=\"location\"><code>", out);
		int linked = has_forge(o) && is_hex_id(x->commit) && x->path;
		if (linked)
			link_file(out, o, x->commit, x->path, x->line);
		sg_xml_escape(out, x->path ? x->path : "-");
		if (x->line)
			fprintf(out, ":%u:%u", x->line, x->column);
		if (linked)
			fputs("</a>", out);
		fputs("</code>", out);
		html_also(out, &s, rows[i].index, o);
		fputs("</td><td data-l=\"secret\"><code>", out);
		if (x->secret) {
			sg_report_secret(sec, sizeof(sec), x, o->show_secrets);
			sg_xml_escape(out, sec);
		} else
			sg_xml_escape(out, x->message);
		fputs("</code><div class=\"fp\" title=\"fingerprint\"><code>", out);
		sg_xml_escape(out, x->fingerprint);
		fputs("</code></div></td>", out);
		if (git) {
			fputs("<td data-l=\"commit\">", out);
			if (x->commit) {
				/* the short form: a 40-character id would widen the column */
				char shortid[13];
				snprintf(shortid, sizeof(shortid), "%s", x->commit);
				int clink = has_forge(o) && is_hex_id(x->commit);
				if (clink)
					link_commit(out, o, x->commit);
				fputs("<code title=\"", out);
				sg_xml_escape(out, x->commit);
				fputs("\">", out);
				sg_xml_escape(out, shortid);
				fputs(clink ? "</code></a>" : "</code>", out);
			}
			if (x->author || x->date)
				fputs("<br><span class=\"d\">", out);
			if (x->author)
				sg_xml_escape(out, x->author);
			if (x->date) {
				/* the day is enough here; the json report has the time */
				char day[11];
				snprintf(day, sizeof(day), "%s", x->date);
				fputs(x->author ? " &middot; " : "", out);
				sg_xml_escape(out, day);
			}
			if (x->author || x->date)
				fputs("</span>", out);
			fputs("</td>", out);
		}
		fputs("<td data-l=\"status\">", out);
		if (x->suppressed)
			fprintf(out, "<span class=\"tag s\">%s</span>",
			        sg_suppress_name(x->suppressed));
		else
			fputs("<span class=\"tag\">blocking</span>", out);
		if (x->at_head == SG_HEAD_PRESENT)
			fputs(" <span class=\"tag h\" title=\"HEAD's tree still holds this "
			      "secret\">"
			      "still at HEAD</span>",
			      out);
		else if (x->at_head == SG_HEAD_GONE)
			fputs(" <span class=\"tag s\" title=\"removed from HEAD; history still "
			      "holds it: "
			      "rotate it\">history only</span>",
			      out);
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody></table></div>\n", out);
	if (shown < f->count)
		fprintf(out,
		        "<p class=\"note\">%zu more findings are not listed here; the json and "
		        "sarif formats carry all of them.</p>\n",
		        f->count - shown);
	fputs("</section>\n", out);
	same_free(&s);
	free(rows);
	return 0;
}

/* ---- page ---------------------------------------------------------------------- */

int sg_report_html(FILE *out, const sg_findings *f, const sg_scan_stats *st,
                   const sg_report_options *o)
{
	size_t blocking = sg_findings_blocking(f);
	group *rules = NULL, *paths = NULL, *authors = NULL;
	size_t nrules = 0, npaths = 0, nauthors = 0;
	int r = group_by(f, key_rule, &rules, &nrules);
	if (r == 0)
		r = group_by(f, key_path, &paths, &npaths);
	if (r == 0)
		r = group_by(f, key_author, &authors, &nauthors);
	if (r < 0) {
		free(rules);
		free(paths);
		free(authors);
		return r;
	}
	const char *mode = st && st->mode ? st->mode : "scan";
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
	      "<meta name=\"referrer\" content=\"no-referrer\">\n"
	      "<title>secretgate report</title>\n<style>",
	      out);
	size_t css = (size_t)sg_report_css_size;
	fwrite(sg_report_css, 1, css && sg_report_css[css - 1] == '\n' ? css - 1 : css, out);
	fputs("</style></head><body>\n<header><div class=\"wrap\"><div class=\"brand\">secretgate "
	      "report</div>\n<div class=\"status\">",
	      out);
	if (blocking)
		fprintf(out,
		        "<span class=\"dot\" style=\"background:#fb7185\"></span>%zu blocking "
		        "finding%s",
		        blocking, blocking == 1 ? "" : "s");
	else
		fputs("<span class=\"dot\" style=\"background:#4ade80\"></span>No blocking "
		      "findings",
		      out);
	fputs("</div>\n<div class=\"sub\">Mode <code>", out);
	sg_xml_escape(out, mode);
	fputs("</code>", out);
	if (st) {
		double b = (double)st->bytes;
		fprintf(out, " &middot; %llu %s, %.1f %s scanned in %.1f s",
		        (unsigned long long)st->files, !strncmp(mode, "git", 3) ? "blobs" : "files",
		        b >= 1e9   ? b / 1e9
		        : b >= 1e6 ? b / 1e6
		                   : b / 1e3,
		        b >= 1e9   ? "GB"
		        : b >= 1e6 ? "MB"
		                   : "kB",
		        st->elapsed_ms / 1000.0);
		if (st->finished_at) {
			char when[24];
			sg_report_utc(when, st->finished_at);
			fprintf(out, " &middot; %s UTC", when);
		}
	}
	fputs(" &middot; secretgate ", out);
	sg_xml_escape(out, o->tool_version);
	fputs("</div>\n", out);
	if (o->repository || o->head) {
		fputs("<div class=\"sub\">", out);
		if (o->repository) {
			fputs("Repository <code>", out);
			if (has_forge(o)) {
				fputs("<a rel=\"noreferrer\" href=\"", out);
				sg_xml_escape(out, o->forge_url);
				fputs("\">", out);
			}
			sg_xml_escape(out, o->repository);
			fputs(has_forge(o) ? "</a></code>" : "</code>", out);
		}
		if (o->head) {
			fputs(o->repository ? " &middot; HEAD <code>" : "HEAD <code>", out);
			int clink = has_forge(o) && is_hex_id(o->head);
			if (clink)
				link_commit(out, o, o->head);
			sg_xml_escape(out, o->head);
			fputs(clink ? "</a></code>" : "</code>", out);
		}
		fputs("</div>\n", out);
	}
	if (st && st->notice) {
		fputs("<div class=\"sub\">", out);
		sg_xml_escape(out, st->notice);
		fputs("</div>\n", out);
	}
	fputs("</div></header>\n<main class=\"wrap\">\n<div class=\"cards\">\n", out);
	html_card(out, "blocking", blocking, blocking ? "var(--bad)" : "var(--ok)");
	html_card(out, "suppressed", f->count - blocking, "var(--ink)");
	html_card(out, "rules hit", nrules, "var(--ink)");
	html_card(out, "files affected", npaths, "var(--ink)");
	if (nauthors)
		html_card(out, "authors", nauthors, "var(--ink)");
	if (st)
		html_card(out, !strncmp(mode, "git", 3) ? "blobs scanned" : "files scanned",
		          st->files, "var(--muted)");
	fputs("</div>\n", out);
	r = html_timeline(out, f);
	if (r == 0) {
		fputs("<div class=\"grid\" style=\"margin-top:18px\">\n", out);
		html_groups(out, "By rule",
		            "What kind of secret: blocking findings of all findings; grey is "
		            "suppressed.",
		            rules, nrules, GROUP_RULE);
		html_groups(out, "By path", "Where the secrets are.", paths, npaths, GROUP_PATH);
		if (nauthors)
			html_groups(out, "By author",
			            "Who committed them (first commit that "
			            "introduced each secret).",
			            authors, nauthors, GROUP_AUTHOR);
		fputs("</div>\n", out);
		r = html_table(out, f, o);
	}
	if (r == 0) {
		size_t by[8] = {0};
		for (size_t i = 0; i < f->count; i++)
			by[f->items[i].suppressed & 7]++;
		fputs("<footer>", out);
		for (int k = 1; k < SG_SUPPRESS_COUNT; k++)
			if (by[k])
				fprintf(out, "%zu %s &middot; ", by[k],
				        sg_suppress_name((sg_suppress)k));
		fputs("Generated by secretgate; this page loads nothing from the "
		      "network.</footer>\n"
		      "</main></body></html>\n",
		      out);
	}
	free(rules);
	free(paths);
	free(authors);
	return r;
}
