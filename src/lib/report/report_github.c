/* GitHub Actions: workflow commands that become annotations on the pull
 * request, and a Markdown summary for the job page. Everything taken from a
 * scanned file is escaped so that it can neither end the command early nor
 * start a new one, nor mention users or link out from the summary: its only
 * links are the ones it builds to the repository's own files on the forge. */
#include <errno.h>
#include <string.h>
#include "secretgate/secretgate.h"
#include "lib/report/report.h"

/* Rows in the step summary; GitHub caps a summary at 1 MiB. */
#define SUMMARY_MAX_ROWS 100

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* GitHub's escaping for workflow commands: %, CR and LF in the message, and
 * also ':' and ',' in properties. Other controls (terminal escapes) and
 * invalid UTF-8 become U+FFFD. */
static void gh_escape(FILE *out, const char *s, int property)
{
	if (!s)
		return;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		size_t n = sg_utf8_seq(p);
		if (*p == '%')
			fputs("%25", out);
		else if (*p == '\r')
			fputs("%0D", out);
		else if (*p == '\n')
			fputs("%0A", out);
		else if (property && *p == ':')
			fputs("%3A", out);
		else if (property && *p == ',')
			fputs("%2C", out);
		else if (*p < 0x20 || *p == 0x7f || n == 0 || (n == 2 && *p == 0xC2 && p[1] < 0xA0))
			fputs(replacement, out);
		else {
			fwrite(p, 1, n, out);
			p += n - 1;
		}
	}
}

static void gh_annotation(FILE *out, const sg_finding *x, const sg_report_options *o)
{
	char sec[1024];
	fputs(x->suppressed == SG_SUPPRESS_NONE ? "::error " : "::warning ", out);
	if (x->path) {
		const char *path = x->path;
		while (path[0] == '.' && path[1] == '/')
			path += 2;
		fputs("file=", out);
		gh_escape(out, path, 1);
		if (x->line) {
			fprintf(out, ",line=%u", x->line);
			if (x->end_line > x->line)
				fprintf(out, ",endLine=%u", x->end_line);
			/* columns only mean something on a single line */
			if (x->column && x->end_line <= x->line) {
				fprintf(out, ",col=%u", x->column);
				if (x->end_column)
					fprintf(out, ",endColumn=%u", x->end_column + 1);
			}
		}
		fputc(',', out);
	}
	fputs("title=", out);
	gh_escape(out, "secretgate ", 1);
	gh_escape(out, x->rule_id, 1);
	fprintf(out, " (%s)::", sg_severity_name(x->severity));
	gh_escape(out, x->message ? x->message : x->description, 0);
	if (x->secret) {
		sg_report_secret(sec, sizeof(sec), x, o->show_secrets);
		fputs(": ", out);
		gh_escape(out, sec, 0);
	}
	if (x->commit) {
		fprintf(out, " (commit %.12s", x->commit);
		if (x->author) {
			fputs(" by ", out);
			gh_escape(out, x->author, 0);
		}
		fputc(')', out);
	}
	if (x->suppressed == SG_SUPPRESS_SEVERITY)
		fputs(" [below the blocking severity]", out);
	else if (x->suppressed == SG_SUPPRESS_CONFIDENCE)
		fputs(" [warning: low confidence here]", out);
	if (x->help) {
		fputs(". ", out);
		gh_escape(out, x->help, 0);
		fputc('\n', out);
		return;
	}
	fputs(". Rotate it, then remove it; if it is not a secret, add secretgate:allow to the "
	      "line "
	      "or fingerprint ",
	      out);
	gh_escape(out, x->fingerprint, 0);
	fputs(" to .secretgateignore.\n", out);
}

/* A table cell: HTML-escaped, and ASCII punctuation written as character
 * references so file names cannot add Markdown emphasis, links, @mentions,
 * #references or extra table columns. */
static void md_cell(FILE *out, const char *s)
{
	if (!s)
		return;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		size_t n = sg_utf8_seq(p);
		if (*p == '\n' || *p == '\r' || *p == '\t')
			fputc(' ', out);
		else if (*p < 0x20 || *p == 0x7f || n == 0 || (n == 2 && *p == 0xC2 && p[1] < 0xA0))
			fputs(replacement, out);
		else if (*p < 0x80 && strchr("!\"#$%&'()*+,:;<=>?@[\\]^_`{|}~", *p))
			fprintf(out, "&#%d;", *p);
		else {
			fwrite(p, 1, n, out);
			p += n - 1;
		}
	}
}

int sg_report_github_summary(FILE *out, const sg_findings *f, const sg_scan_stats *st,
                             const sg_report_options *o)
{
	size_t blocking = sg_findings_blocking(f);
	char sec[1024];
	if (blocking)
		fprintf(out, "### secretgate: %zu blocking finding%s\n\n", blocking,
		        blocking == 1 ? "" : "s");
	else
		fputs("### secretgate: no blocking findings\n\n", out);
	if (st)
		fprintf(out, "Mode `%s`: %llu files, %llu bytes scanned in %.0f ms.\n\n",
		        st->mode && !strpbrk(st->mode, "`\n") ? st->mode : "scan",
		        (unsigned long long)st->files, (unsigned long long)st->bytes,
		        st->elapsed_ms);
	if (f->count) {
		fputs("| Status | Severity | Rule | Location | Secret | Commit |\n"
		      "| --- | --- | --- | --- | --- | --- |\n",
		      out);
		size_t rows = 0;
		/* blocking findings first: they are why the job failed */
		for (int pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < f->count; i++) {
				const sg_finding *x = &f->items[i];
				if ((x->suppressed == SG_SUPPRESS_NONE) != (pass == 0))
					continue;
				if (rows++ >= SUMMARY_MAX_ROWS)
					continue;
				fprintf(out, "| %s | %s | <code>",
				        x->suppressed ? sg_suppress_name(x->suppressed)
				                      : "**blocking**",
				        sg_severity_name(x->severity));
				md_cell(out, x->rule_id);
				fputs("</code> | ", out);
				/* a link of our own making (forge base, hex id, encoded
				 * path), never one taken from the scanned content */
				const char *at = x->commit ? x->commit : o->head;
				int linked = sg_report_link_ok(o, at, x->path);
				if (linked) {
					fputs("<a href=\"", out);
					sg_report_file_link(out, o, at, x->path, x->line);
					fputs("\">", out);
				}
				fputs("<code>", out);
				md_cell(out, x->path ? x->path : "-");
				if (x->line)
					fprintf(out, "&#58;%u", x->line);
				fputs(linked ? "</code></a> | <code>" : "</code> | <code>", out);
				sg_report_secret(sec, sizeof(sec), x, o->show_secrets);
				md_cell(out, x->secret ? sec : "");
				fputs("</code> | ", out);
				if (x->commit) {
					fprintf(out, "<code>%.12s</code> ", x->commit);
					md_cell(out, x->author);
				}
				fputs(" |\n", out);
			}
		if (rows > SUMMARY_MAX_ROWS)
			fprintf(out, "\n%zu more findings are in the full report.\n",
			        rows - SUMMARY_MAX_ROWS);
	}
	size_t by[8] = {0};
	for (size_t i = 0; i < f->count; i++)
		by[f->items[i].suppressed & 7]++;
	if (f->count > blocking) {
		fputs("\nNot blocking:", out);
		const char *sep = " ";
		for (int k = 1; k < SG_SUPPRESS_COUNT; k++)
			if (by[k]) {
				fprintf(out, "%s%zu %s", sep, by[k],
				        sg_suppress_name((sg_suppress)k));
				sep = ", ";
			}
		fputs(".\n", out);
	}
	fputc('\n', out);
	return 0;
}

int sg_report_github(FILE *out, const sg_findings *f, const sg_scan_stats *st,
                     const sg_report_options *o)
{
	for (size_t i = 0; i < f->count; i++) {
		const sg_finding *x = &f->items[i];
		/* accepted findings (inline, ignore file, baseline, config) stay quiet;
		 * those below the blocking severity are shown as warnings */
		if (x->suppressed == SG_SUPPRESS_NONE || sg_suppress_warns(x->suppressed))
			gh_annotation(out, x, o);
	}
	if (!o->step_summary || !*o->step_summary)
		return 0;
	FILE *sum = fopen(o->step_summary, "a");
	if (!sum)
		return sg_error_set(SG_EIO, "%s: %s", o->step_summary, strerror(errno));
	sg_report_github_summary(sum, f, st, o);
	int bad = ferror(sum);
	if (fclose(sum) != 0 || bad)
		return sg_error_set(SG_EIO, "%s: write failed", o->step_summary);
	return 0;
}
