/* Report writers for text, json and jsonl, the format table, and the
 * escaping every writer shares: file contents never reach a terminal,
 * JSON, XML or HTML unescaped, and secrets are redacted by default. */
#include <string.h>
#include <time.h>
#include "secretgate/secretgate.h"
#include "lib/report/report.h"
#include "secretgate/artefact.h"

void sg_json_string(FILE *out, const char *s)
{
	if (!s) {
		fputs("null", out);
		return;
	}
	fputc('"', out);
	sg_json_escape(out, s);
	fputc('"', out);
}

void sg_xml_escape(FILE *out, const char *s)
{
	if (!s)
		return;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '&':
			fputs("&amp;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&#39;", out);
			break;
		default:
			/* XML 1.0 cannot carry control characters even as references,
			 * and a parser rejects the whole document on invalid UTF-8 */
			if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f) {
				fputs("&#xfffd;", out);
			} else if (*p >= 0x80) {
				size_t n = sg_utf8_seq(p);
				if (n == 2 && *p == 0xC2 && p[1] < 0xA0) /* C1 controls */
					n = 0;
				if (n) {
					fwrite(p, 1, n, out);
					p += n - 1;
				} else
					fputs("&#xfffd;", out);
			} else
				fputc(*p, out);
		}
	}
}

void sg_text_escape(FILE *out, const char *s)
{
	if (!s)
		return;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		size_t n = *p >= 0x80 ? sg_utf8_seq(p) : 1;
		/* C1 controls (U+0080..U+009F) include CSI, which some terminals obey */
		if (n == 2 && *p == 0xC2 && p[1] < 0xA0)
			n = 0;
		if (*p < 0x20 || *p == 0x7f || *p == '\\' || n == 0) {
			fprintf(out, "\\x%02x", *p);
		} else {
			fwrite(p, 1, n, out);
			p += n - 1;
		}
	}
}

/* The other part of a two-part credential, redacted like a secret. */
static void pair_secret(char *out, size_t outsz, const sg_finding *f, int show_secrets)
{
	if (show_secrets)
		snprintf(out, outsz, "%s", f->pair_secret);
	else
		sg_redact(out, outsz, f->pair_secret, f->pair_secret_len);
}

void sg_report_pair_text(FILE *out, const sg_finding *x, const sg_report_options *o)
{
	char sec[1024];
	if (!x->pair)
		return;
	if (x->pair_secret) {
		pair_secret(sec, sizeof(sec), x, o->show_secrets);
		fputs(", pair: both, with ", out);
		sg_text_escape(out, x->pair_rule);
		fputc(' ', out);
		sg_text_escape(out, sec);
		fprintf(out, " at %u:%u", x->pair_line, x->pair_column);
		return;
	}
	fprintf(out, ", pair: %s (no ", x->pair);
	sg_text_escape(out, x->pair_rule);
	fputs(" nearby)", out);
}

void sg_report_pair_json(FILE *out, const sg_finding *x, const sg_report_options *o)
{
	char sec[2048];
	if (!x->pair)
		return;
	fputs(",\"pair\":{\"status\":", out);
	sg_json_string(out, x->pair);
	fputs(",\"with\":", out);
	sg_json_string(out, x->pair_rule);
	if (x->pair_secret) {
		pair_secret(sec, sizeof(sec), x, o->show_secrets);
		fprintf(out, ",\"line\":%u,\"column\":%u,\"secret\":", x->pair_line,
		        x->pair_column);
		sg_json_string(out, sec);
	}
	fputc('}', out);
}

void sg_report_secret(char *out, size_t outsz, const sg_finding *f, int show_secrets)
{
	if (!f->secret) {
		snprintf(out, outsz, "%s", "");
		return;
	}
	if (show_secrets)
		snprintf(out, outsz, "%s", f->secret);
	else
		sg_redact(out, outsz, f->secret, f->secret_len);
}

int sg_report_text(FILE *out, const sg_findings *f, const sg_scan_stats *stats,
                   const sg_report_options *o)
{
	const char *red = o->color ? "\033[1;31m" : "", *dim = o->color ? "\033[2m" : "",
	           *bold = o->color ? "\033[1m" : "", *reset = o->color ? "\033[0m" : "",
	           *yellow = o->color ? "\033[33m" : "";
	char sec[1024];
	for (size_t i = 0; i < f->count; i++) {
		const sg_finding *x = &f->items[i];
		int blocking = x->suppressed == SG_SUPPRESS_NONE;
		/* findings below --fail-on are still shown; accepted ones only on request */
		if (!blocking && !sg_suppress_warns(x->suppressed) && !o->show_suppressed)
			continue;
		fputs(bold, out);
		sg_text_escape(out, x->path ? x->path : "-");
		fprintf(out, ":%u:%u%s  %s", x->line, x->column, reset, blocking ? red : yellow);
		if (sg_suppress_warns(x->suppressed))
			fputs("warning: ", out);
		sg_text_escape(out, x->rule_id);
		fputs(reset, out);
		if (x->secret) {
			sg_report_secret(sec, sizeof(sec), x, o->show_secrets);
			fputs("  ", out);
			sg_text_escape(out, sec);
		}
		if (x->message) {
			fputs("  ", out);
			sg_text_escape(out, x->message);
		}
		fprintf(out, "  %s[%s", dim, sg_severity_name(x->severity));
		if (x->confidence != SG_CONF_MEDIUM)
			fprintf(out, ", %s confidence", sg_confidence_name(x->confidence));
		if (x->context != SG_CTX_OTHER)
			fprintf(out, ", %s", sg_context_name(x->context));
		if (x->validated)
			fprintf(out, ", %s-verified", x->validated);
		if (x->unverified)
			fputs(", checksum failed", out);
		for (size_t d = 0; d < sizeof(x->decoded) && x->decoded[d]; d++)
			fprintf(out, "%s%s",
			        d ? "+" : ", decoded: ", sg_decoding_name(x->decoded[d]));
		sg_report_pair_text(out, x, o);
		if (!blocking)
			fprintf(out, ", suppressed: %s", sg_suppress_name(x->suppressed));
		fprintf(out, "]%s\n", reset);
		if (x->commit) {
			fprintf(out, "    %scommit %.12s", dim, x->commit);
			if (x->author) {
				fputs(" by ", out);
				sg_text_escape(out, x->author);
			}
			if (x->email) {
				fputs(" <", out);
				sg_text_escape(out, x->email);
				fputc('>', out);
			}
			if (x->date)
				fprintf(out, " on %.10s", x->date);
			if (x->other_commits || x->other_paths)
				fprintf(out, " (also in %u other commits, %u other paths)",
				        x->other_commits, x->other_paths);
			fprintf(out, "%s\n", reset);
		}
	}
	(void)stats;
	return 0;
}

void sg_report_json_finding(FILE *out, const sg_finding *x, const sg_report_options *o)
{
	char sec[2048];
	sg_report_secret(sec, sizeof(sec), x, o->show_secrets);
	fputs("{\"rule\":", out);
	sg_json_string(out, x->rule_id);
	fputs(",\"description\":", out);
	sg_json_string(out, x->description);
	fprintf(out, ",\"severity\":\"%s\",\"confidence\":\"%s\",\"path\":",
	        sg_severity_name(x->severity), sg_confidence_name(x->confidence));
	sg_json_string(out, x->path);
	fprintf(out,
	        ",\"line\":%u,\"end_line\":%u,\"column\":%u,\"end_column\":%u,\"secret\":", x->line,
	        x->end_line, x->column, x->end_column);
	sg_json_string(out, x->secret ? sec : NULL);
	fputs(",\"fingerprint\":", out);
	sg_json_string(out, x->fingerprint[0] ? x->fingerprint : NULL);
	fputs(",\"validated\":", out);
	sg_json_string(out, x->validated);
	if (x->unverified)
		fputs(",\"unverified\":true", out);
	fprintf(out, ",\"entropy\":%.2f", x->entropy);
	fputs(",\"suppressed\":", out);
	sg_json_string(out, x->suppressed ? sg_suppress_name(x->suppressed) : NULL);
	fprintf(out, ",\"blocking\":%s,\"context\":\"%s\"",
	        x->suppressed == SG_SUPPRESS_NONE ? "true" : "false", sg_context_name(x->context));
	if (x->weak)
		fputs(",\"weak\":true", out);
	if (x->message) {
		fputs(",\"message\":", out);
		sg_json_string(out, x->message);
	}
	for (size_t d = 0; d < sizeof(x->decoded) && x->decoded[d]; d++)
		fprintf(out, "%s\"%s\"%s", d ? "," : ",\"decoded\":[",
		        sg_decoding_name(x->decoded[d]),
		        d + 1 == sizeof(x->decoded) || !x->decoded[d + 1] ? "]" : "");
	sg_report_pair_json(out, x, o);
	if (x->commit || x->blob) {
		fputs(",\"commit\":", out);
		sg_json_string(out, x->commit);
		fputs(",\"author\":", out);
		sg_json_string(out, x->author);
		fputs(",\"email\":", out);
		sg_json_string(out, x->email);
		fputs(",\"date\":", out);
		sg_json_string(out, x->date);
		fputs(",\"blob\":", out);
		sg_json_string(out, x->blob);
		if (x->other_commits || x->other_paths)
			fprintf(out, ",\"other_commits\":%u,\"other_paths\":%u", x->other_commits,
			        x->other_paths);
	}
	fputc('}', out);
}

int sg_report_jsonl(FILE *out, const sg_findings *f, const sg_scan_stats *stats,
                    const sg_report_options *o)
{
	for (size_t i = 0; i < f->count; i++) {
		sg_report_json_finding(out, &f->items[i], o);
		fputc('\n', out);
	}
	(void)stats;
	return 0;
}

int sg_report_json(FILE *out, const sg_findings *f, const sg_scan_stats *st,
                   const sg_report_options *o)
{
	fputs("{\"version\":1,\"tool\":{\"name\":\"secretgate\",\"version\":", out);
	sg_json_string(out, o->tool_version);
	fputs("},\"findings\":[", out);
	for (size_t i = 0; i < f->count; i++) {
		fputs(i ? ",\n" : "\n", out);
		sg_report_json_finding(out, &f->items[i], o);
	}
	size_t suppressed = f->count - sg_findings_blocking(f);
	fprintf(out,
	        "\n],\"summary\":{\"findings\":%zu,\"blocking\":%zu,\"suppressed\":%zu,"
	        "\"dropped\":%zu",
	        f->count, sg_findings_blocking(f), suppressed, f->dropped);
	if (st) {
		fputs(",\"mode\":", out);
		sg_json_string(out, st->mode);
		fprintf(out,
		        ",\"files\":%llu,\"bytes\":%llu,\"skipped_binary\":%llu,"
		        "\"skipped_too_big\":%llu,\"skipped_other\":%llu,\"errors\":%llu,"
		        "\"regex_limit_hits\":%llu,\"elapsed_ms\":%.1f",
		        (unsigned long long)st->files, (unsigned long long)st->bytes,
		        (unsigned long long)st->skipped_binary,
		        (unsigned long long)st->skipped_too_big,
		        (unsigned long long)st->skipped_other, (unsigned long long)st->errors,
		        (unsigned long long)st->limit_hits, st->elapsed_ms);
		fputs(",\"suppressed_by\":{", out);
		int first = 1;
		for (int k = 1; k < SG_SUPPRESS_COUNT; k++) {
			size_t n = 0;
			for (size_t i = 0; i < f->count; i++)
				n += f->items[i].suppressed == (sg_suppress)k;
			if (!n)
				continue;
			fprintf(out, "%s\"%s\":%zu", first ? "" : ",",
			        sg_suppress_name((sg_suppress)k), n);
			first = 0;
		}
		fputc('}', out);
		if (st->notice) {
			fputs(",\"notice\":", out);
			sg_json_string(out, st->notice);
		}
	}
	fputs("}}\n", out);
	return 0;
}

typedef struct format_entry {
	const char *name;
	sg_report_writer write;
} format_entry;

/* Writers live in report_<format>.c; each adds one line here. */
static const format_entry formats[] = {
        {"text", sg_report_text},   {"json", sg_report_json},     {"jsonl", sg_report_jsonl},
        {"sarif", sg_report_sarif}, {"junit", sg_report_junit},   {"github", sg_report_github},
        {"html", sg_report_html},   {"gitlab", sg_report_gitlab},
};

void sg_report_utc(char out[24], int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	if (!gmtime_r(&tt, &tm))
		memset(&tm, 0, sizeof(tm));
	strftime(out, 24, "%Y-%m-%dT%H:%M:%S", &tm);
}

int sg_report_format_known(const char *format)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(formats[i].name, format))
			return 1;
	return 0;
}

int sg_report_write(FILE *out, const char *format, const sg_findings *f, const sg_scan_stats *stats,
                    const sg_report_options *opts)
{
	sg_report_options def = SG_REPORT_OPTIONS_INIT;
	if (!opts)
		opts = &def;
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(formats[i].name, format)) {
			/* text shows no fingerprints; every other format does */
			if (strcmp(format, "text"))
				sg_findings_fingerprint_fill(f);
			int r = formats[i].write(out, f, stats, opts);
			if (r == 0 && (fflush(out) != 0 || ferror(out)))
				return sg_error_set(SG_EIO, "write failed");
			return r;
		}
	return sg_error_set(SG_EINVALID,
	                    "unknown format '%s' (text, json, jsonl, sarif, junit, github, html, "
	                    "gitlab)",
	                    format);
}

void sg_url_path_escape(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
			fputc(*p, out);
		else
			fprintf(out, "%%%02X", *p);
}

int sg_report_link_ok(const sg_report_options *o, const char *sha, const char *path)
{
	size_t n = sha ? strlen(sha) : 0;
	return o->forge_url && *o->forge_url && o->forge && path && n >= 7 && n <= 64 &&
	       strspn(sha, "0123456789abcdef") == n;
}

int sg_report_file_link(FILE *out, const sg_report_options *o, const char *sha, const char *path,
                        unsigned line)
{
	if (!sg_report_link_ok(o, sha, path))
		return 0;
	sg_xml_escape(out, o->forge_url);
	fputs(!strcmp(o->forge, "gitlab") ? "/-/blob/" : "/blob/", out);
	fputs(sha, out);
	fputc('/', out);
	sg_url_path_escape(out, path);
	if (line)
		fprintf(out, "#L%u", line);
	return 1;
}
