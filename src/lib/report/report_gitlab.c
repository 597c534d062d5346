/* GitLab's secret detection report (artifacts:reports:secret_detection),
 * schema 15.x: findings become vulnerabilities in the merge request widget
 * and the security dashboard. Findings accepted by an inline comment, the
 * ignore file, the baseline or the config are left out, because GitLab
 * would otherwise raise them again; those below the blocking severity stay. */
#include <string.h>
#include <time.h>
#include "secretgate/secretgate.h"
#include "lib/report/report.h"

#define GITLAB_SCHEMA_VERSION "15.0.7"

static const char *gitlab_severity(sg_severity s)
{
	static const char *const v[] = {"Info", "Low", "Medium", "High", "Critical"};
	return s <= SG_SEV_CRITICAL ? v[s] : "Unknown";
}

static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ull;
	}
	h ^= 0xff; /* field separator */
	h *= 0x100000001b3ull;
	return h;
}

/* A stable UUID-shaped id from what identifies the occurrence, so the same
 * finding in the next pipeline is the same vulnerability. */
static void gitlab_id(char out[40], const sg_finding *x)
{
	uint64_t a = 0xcbf29ce484222325ull, b = 0x84222325cbf29ce4ull;
	const char *parts[] = {x->fingerprint, x->path, x->commit};
	for (size_t i = 0; i < 3; i++) {
		a = fnv1a(a, parts[i]);
		b = fnv1a(b ^ (a >> 7), parts[i]);
	}
	snprintf(out, 40, "%08x-%04x-5%03x-%04x-%012llx", (unsigned)(a >> 32),
	         (unsigned)(a >> 16) & 0xffff, (unsigned)a & 0xfff,
	         (unsigned)(0x8000 | ((b >> 48) & 0x3fff)),
	         (unsigned long long)(b & 0xffffffffffffull));
}

static int gitlab_reported(const sg_finding *x)
{
	return x->suppressed == SG_SUPPRESS_NONE || sg_suppress_warns(x->suppressed);
}

static void gitlab_vulnerability(FILE *out, const sg_finding *x, const sg_report_options *o)
{
	char id[40], sec[1024];
	gitlab_id(id, x);
	fprintf(out, "{\"id\":\"%s\",\"category\":\"secret_detection\",\"name\":", id);
	sg_json_string(out, x->description ? x->description : x->rule_id);
	fputs(",\"description\":\"", out);
	sg_json_escape(out, x->message ? x->message : x->description);
	if (x->secret) {
		sg_report_secret(sec, sizeof(sec), x, o->show_secrets);
		fputs(": ", out);
		sg_json_escape(out, sec);
	}
	fputs(" (rotate the secret, then remove it)\"", out);
	fprintf(out, ",\"severity\":\"%s\"", gitlab_severity(x->severity));
	if (x->secret && o->show_secrets) {
		fputs(",\"raw_source_code_extract\":", out);
		sg_json_string(out, sec);
	}
	fputs(",\"location\":{\"file\":", out);
	const char *path = x->path ? x->path : "-";
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	sg_json_string(out, path);
	if (x->line)
		fprintf(out, ",\"start_line\":%u,\"end_line\":%u", x->line,
		        x->end_line >= x->line ? x->end_line : x->line);
	/* the schema requires a commit; GitLab's own analyzer uses zeros outside git */
	fputs(",\"commit\":{\"sha\":", out);
	sg_json_string(out, x->commit ? x->commit : "0000000");
	if (x->author) {
		fputs(",\"author\":", out);
		sg_json_string(out, x->author);
	}
	if (x->date) {
		fputs(",\"date\":", out);
		sg_json_string(out, x->date);
	}
	fputs("}},\"identifiers\":[{\"type\":\"secretgate_rule_id\",\"name\":\"secretgate rule ",
	      out);
	sg_json_escape(out, x->rule_id);
	fputs("\",\"value\":", out);
	sg_json_string(out, x->rule_id);
	fputs("},{\"type\":\"cwe\",\"name\":\"CWE-798\",\"value\":\"798\"}]", out);
	fputc('}', out);
}

int sg_report_gitlab(FILE *out, const sg_findings *f, const sg_scan_stats *st,
                     const sg_report_options *o)
{
	char start[24], end[24];
	int64_t t1 = st && st->finished_at ? st->finished_at : (int64_t)time(NULL);
	int64_t t0 = st && st->started_at ? st->started_at : t1;
	sg_report_utc(start, t0);
	sg_report_utc(end, t1);
	fputs("{\"version\":\"" GITLAB_SCHEMA_VERSION "\",\"vulnerabilities\":[", out);
	int first = 1;
	for (size_t i = 0; i < f->count; i++) {
		if (!gitlab_reported(&f->items[i]))
			continue;
		fputs(first ? "\n" : ",\n", out);
		first = 0;
		gitlab_vulnerability(out, &f->items[i], o);
	}
	fputs("\n],\"scan\":{", out);
	for (int k = 0; k < 2; k++) {
		fprintf(out, "\"%s\":{\"id\":\"secretgate\",\"name\":\"secretgate\",\"version\":",
		        k ? "scanner" : "analyzer");
		sg_json_string(out, o->tool_version);
		fputs(",\"vendor\":{\"name\":\"secretgate\"}},", out);
	}
	/* "failure" only when nothing could be scanned: GitLab hides the findings
	 * of a failed scan, and a partial scan's findings are still real */
	fprintf(out,
	        "\"type\":\"secret_detection\",\"start_time\":\"%s\",\"end_time\":\"%s\","
	        "\"status\":\"%s\"}}\n",
	        start, end, st && st->errors && !st->files ? "failure" : "success");
	return 0;
}
