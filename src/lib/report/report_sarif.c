/* SARIF 2.1.0 as GitHub code scanning accepts it: one rule object per rule id
 * the run reported, results with physical locations and content-based
 * partial fingerprints, and suppressed findings carried as suppressions so
 * that the alert is closed rather than silently missing. */
#include <stdlib.h>
#include <string.h>
#include "secretgate/secretgate.h"
#include "lib/report/report.h"

#define SARIF_SCHEMA   "https://json.schemastore.org/sarif-2.1.0.json"
#define SARIF_INFO_URI "https://github.com/secretgate/secretgate"

static const char *sarif_level(sg_severity s)
{
	return s >= SG_SEV_HIGH ? "error" : s == SG_SEV_MEDIUM ? "warning" : "note";
}

/* GitHub buckets security-severity: >= 9 critical, 7-8.9 high, 4-6.9
 * medium, 0.1-3.9 low. */
static const char *sarif_security_severity(sg_severity s)
{
	static const char *const v[] = {"1.0", "3.0", "5.5", "8.0", "9.5"};
	return v[s <= SG_SEV_CRITICAL ? s : SG_SEV_CRITICAL];
}

static int cmp_id(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Relative paths become relative URI references (percent-encoded) against
 * %SRCROOT%; absolute ones become file: URIs. */
static void sarif_location_uri(FILE *out, const char *path)
{
	int absolute = path[0] == '/';
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	fputs("{\"uri\":\"", out);
	if (absolute)
		fputs("file://", out);
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
			fputc(*p, out);
		else
			fprintf(out, "%%%02X", *p);
	}
	fputc('"', out);
	if (!absolute)
		fputs(",\"uriBaseId\":\"%SRCROOT%\"", out);
	fputc('}', out);
}

/* "aws-access-key" -> "AwsAccessKey": SARIF wants a readable rule name. */
static void sarif_rule_name(FILE *out, const char *id)
{
	int up = 1;
	fputc('"', out);
	for (const char *p = id; *p; p++) {
		if (*p == '-' || *p == '_' || *p == '.') {
			up = 1;
			continue;
		}
		char c = *p;
		if (up && c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		up = 0;
		if ((unsigned char)c >= 0x20 && c != '"' && c != '\\')
			fputc(c, out);
	}
	fputc('"', out);
}

static const char default_help[] =
        "Treat the secret as leaked: revoke or rotate it with its provider first, then remove it "
        "from the code (and from history if it was pushed). If it is not a real secret, put "
        "secretgate:allow in a comment on the line, or add its fingerprint to .secretgateignore.";

static void sarif_rule(FILE *out, const char *id, const sg_finding *first,
                       const sg_report_options *o)
{
	const sg_rule *r = o->rules ? sg_ruleset_find(o->rules, id) : NULL;
	const char *desc = r ? sg_rule_description(r) : first->description;
	sg_severity sev = r ? sg_rule_severity(r) : first->severity;
	const char *help = first->help ? first->help : default_help;
	if (!desc)
		desc = id;
	fputs("{\"id\":", out);
	sg_json_string(out, id);
	fputs(",\"name\":", out);
	sarif_rule_name(out, id);
	fputs(",\"shortDescription\":{\"text\":", out);
	sg_json_string(out, desc);
	fputs("},\"fullDescription\":{\"text\":\"", out);
	sg_json_escape(out, desc);
	fputs(" (secretgate rule ", out);
	sg_json_escape(out, id);
	fprintf(out, ", severity %s", sg_severity_name(sev));
	if (r && sg_rule_checksum(r)) {
		fputs(", verified by the ", out);
		sg_json_escape(out, sg_rule_checksum(r));
		fputs(" checksum", out);
	}
	fputs(").\"},\"help\":{\"text\":", out);
	sg_json_string(out, help);
	fputs(",\"markdown\":\"**", out);
	sg_json_escape(out, desc);
	fputs("**\\n\\n", out);
	sg_json_escape(out, help);
	size_t nref = r ? sg_rule_reference_count(r) : 0;
	if (nref) {
		fputs("\\n\\nReferences:\\n", out);
		for (size_t i = 0; i < nref; i++) {
			fputs("\\n- ", out);
			sg_json_escape(out, sg_rule_reference(r, i));
		}
	}
	fputs("\"}", out);
	if (nref) {
		fputs(",\"helpUri\":", out);
		sg_json_string(out, sg_rule_reference(r, 0));
	}
	fprintf(out,
	        ",\"defaultConfiguration\":{\"level\":\"%s\"},\"properties\":{\"tags\":"
	        "[\"security\",\"secret\",\"external/cwe/cwe-798\"],\"security-severity\":\"%s\","
	        "\"precision\":\"%s\"}}",
	        sarif_level(sev), sarif_security_severity(sev),
	        first->confidence == SG_CONF_HIGH     ? "high"
	        : first->confidence == SG_CONF_MEDIUM ? "medium"
	                                              : "low");
}

static void sarif_suppression(FILE *out, const sg_finding *x)
{
	static const char *const why[] = {
	        "",
	        "an inline allow comment on the line",
	        "its fingerprint is listed in the ignore file",
	        "present in the baseline",
	        "allowed by the configuration (path, pattern or stop-word)",
	        "",
	        "",
	};
	fprintf(out,
	        ",\"suppressions\":[{\"kind\":\"%s\",\"status\":\"accepted\","
	        "\"justification\":\"%s\"}]",
	        x->suppressed == SG_SUPPRESS_INLINE ? "inSource" : "external",
	        why[x->suppressed < SG_SUPPRESS_COUNT ? x->suppressed : 0]);
}

/* Members of archives ("a.jar!/b.jar!/c.yml") are nested artifacts: each
 * level an entry of run.artifacts whose parentIndex is its container. */
typedef struct sarif_artifacts {
	char **prefix; /* "a.jar", "a.jar!/b.jar", ... */
	size_t count;
	int oom;
} sarif_artifacts;

static size_t sarif_artifact(sarif_artifacts *a, const char *path, size_t len)
{
	for (size_t i = 0; i < a->count; i++)
		if (strlen(a->prefix[i]) == len && !strncmp(a->prefix[i], path, len))
			return i;
	char **p = realloc(a->prefix, (a->count + 1) * sizeof(*p));
	char *copy = strndup(path, len);
	if (!p || !copy) {
		if (p)
			a->prefix = p;
		free(copy);
		a->oom = 1;
		return (size_t)-1;
	}
	a->prefix = p;
	a->prefix[a->count] = copy;
	return a->count++;
}

static void sarif_artifacts_write(FILE *out, sarif_artifacts *a)
{
	if (!a->count)
		return;
	fputs(",\"artifacts\":[", out);
	for (size_t i = 0; i < a->count; i++) {
		const char *p = a->prefix[i], *cut = NULL;
		for (const char *q = strstr(p, "!/"); q; q = strstr(q + 2, "!/"))
			cut = q;
		fputs(i ? ",\n{\"location\":" : "\n{\"location\":", out);
		if (cut) {
			fputs("{\"uri\":", out);
			sg_json_string(out, cut + 2);
			fputc('}', out);
			size_t parent = sarif_artifact(a, p, (size_t)(cut - p));
			fprintf(out, ",\"parentIndex\":%zu", parent);
		} else {
			sarif_location_uri(out, p);
		}
		fputc('}', out);
	}
	fputc(']', out);
	for (size_t i = 0; i < a->count; i++)
		free(a->prefix[i]);
	free(a->prefix);
	a->prefix = NULL;
	a->count = 0;
}

static void sarif_result(FILE *out, const sg_finding *x, size_t rule_index,
                         const sg_report_options *o, sarif_artifacts *arts)
{
	char sec[1024];
	fputs("{\"ruleId\":", out);
	sg_json_string(out, x->rule_id);
	/* the level says what the gate does: error blocks, warning does not */
	fprintf(out, ",\"ruleIndex\":%zu,\"level\":\"%s\",\"message\":{\"text\":\"", rule_index,
	        x->suppressed == SG_SUPPRESS_NONE  ? "error"
	        : sg_suppress_warns(x->suppressed) ? "warning"
	                                           : "note");
	sg_json_escape(out, x->message ? x->message : x->description);
	if (x->secret) {
		sg_report_secret(sec, sizeof(sec), x, o->show_secrets);
		fputs(": ", out);
		sg_json_escape(out, sec);
	}
	if (x->commit) {
		fprintf(out, " (commit %.12s", x->commit);
		if (x->author) {
			fputs(" by ", out);
			sg_json_escape(out, x->author);
		}
		fputc(')', out);
	}
	fputs("\"}", out);
	if (x->path) {
		fputs(",\"locations\":[{\"physicalLocation\":{\"artifactLocation\":", out);
		const char *cut = NULL;
		for (const char *q = strstr(x->path, "!/"); q; q = strstr(q + 2, "!/"))
			cut = q;
		/* containers first, so a parent's index is below its members' */
		for (const char *q = strstr(x->path, "!/"); q; q = strstr(q + 2, "!/"))
			sarif_artifact(arts, x->path, (size_t)(q - x->path));
		size_t idx = cut ? sarif_artifact(arts, x->path, strlen(x->path)) : (size_t)-1;
		if (cut && idx != (size_t)-1) {
			/* the member, inside the artifact chain (outer file first) */
			fputs("{\"uri\":", out);
			sg_json_string(out, cut + 2);
			fprintf(out, ",\"index\":%zu}", idx);
		} else {
			sarif_location_uri(out, x->path);
		}
		if (x->line) {
			uint32_t end_line = x->end_line >= x->line ? x->end_line : x->line;
			fprintf(out, ",\"region\":{\"startLine\":%u", x->line);
			if (x->column)
				fprintf(out, ",\"startColumn\":%u", x->column);
			fprintf(out, ",\"endLine\":%u", end_line);
			/* SARIF's endColumn is one past the last character */
			if (x->end_column)
				fprintf(out, ",\"endColumn\":%u", x->end_column + 1);
			fputc('}', out);
		}
		fputs("}}]", out);
	}
	if (x->fingerprint[0]) {
		fputs(",\"partialFingerprints\":{\"secretgate/v1\":", out);
		sg_json_string(out, x->fingerprint);
		fputc('}', out);
	}
	if (x->suppressed != SG_SUPPRESS_NONE && !sg_suppress_warns(x->suppressed))
		sarif_suppression(out, x);
	fprintf(out, ",\"properties\":{\"severity\":\"%s\",\"confidence\":\"%s\",\"blocking\":%s",
	        sg_severity_name(x->severity), sg_confidence_name(x->confidence),
	        x->suppressed == SG_SUPPRESS_NONE ? "true" : "false");
	fprintf(out, ",\"context\":\"%s\"", sg_context_name(x->context));
	if (x->weak)
		fputs(",\"weak\":true", out);
	if (x->suppressed) {
		fputs(",\"suppressed\":", out);
		sg_json_string(out, sg_suppress_name(x->suppressed));
	}
	if (x->validated) {
		fputs(",\"validated\":", out);
		sg_json_string(out, x->validated);
	}
	sg_report_pair_json(out, x, o);
	if (x->commit) {
		fputs(",\"commit\":", out);
		sg_json_string(out, x->commit);
		fputs(",\"author\":", out);
		sg_json_string(out, x->author);
		fputs(",\"date\":", out);
		sg_json_string(out, x->date);
	}
	fputs("}}", out);
}

int sg_report_sarif(FILE *out, const sg_findings *f, const sg_scan_stats *st,
                    const sg_report_options *o)
{
	/* rule ids used, sorted and unique; ruleIndex is a position in this list */
	const char **ids = calloc(f->count + 1, sizeof(*ids));
	size_t nids = 0;
	if (!ids)
		return sg_error_set(SG_ENOMEM, "out of memory");
	for (size_t i = 0; i < f->count; i++)
		if (f->items[i].rule_id)
			ids[nids++] = f->items[i].rule_id;
	if (nids > 1)
		qsort(ids, nids, sizeof(*ids), cmp_id);
	size_t u = 0;
	for (size_t i = 0; i < nids; i++)
		if (u == 0 || strcmp(ids[i], ids[u - 1]))
			ids[u++] = ids[i];
	nids = u;

	fputs("{\"$schema\":\"" SARIF_SCHEMA "\",\"version\":\"2.1.0\",\"runs\":[{\"tool\":{"
	      "\"driver\":{\"name\":\"secretgate\",\"version\":",
	      out);
	sg_json_string(out, o->tool_version);
	fputs(",\"semanticVersion\":", out);
	sg_json_string(out, o->tool_version);
	fputs(",\"informationUri\":\"" SARIF_INFO_URI "\",\"rules\":[", out);
	for (size_t k = 0; k < nids; k++) {
		const sg_finding *first = NULL;
		for (size_t i = 0; i < f->count && !first; i++)
			if (f->items[i].rule_id && !strcmp(f->items[i].rule_id, ids[k]))
				first = &f->items[i];
		fputs(k ? ",\n" : "\n", out);
		sarif_rule(out, ids[k], first, o);
	}
	fputs("]}}", out);
	/* Code scanning takes the category from the upload (its `category:` input,
	 * else the workflow and job) only when the file names none, and two uploads
	 * of one category replace each other's alerts: the category is written
	 * only when asked for. The id is "<category>/<run>"; the run part is left
	 * empty. */
	if (o->sarif_category && *o->sarif_category) {
		size_t n = strlen(o->sarif_category);
		fputs(",\"automationDetails\":{\"id\":\"", out);
		sg_json_escape(out, o->sarif_category);
		fputs(o->sarif_category[n - 1] == '/' ? "\"}" : "/\"}", out);
	}
	fputs(",\"invocations\":[{\"executionSuccessful\":", out);
	fputs(st && st->errors ? "false" : "true", out);
	if (st && st->notice) {
		fputs(",\"toolExecutionNotifications\":[{\"level\":\"warning\",\"message\":{"
		      "\"text\":",
		      out);
		sg_json_string(out, st->notice);
		fputs("}}]", out);
	}
	fputs("}],\"results\":[", out);
	sarif_artifacts arts = {0};
	int first = 1;
	for (size_t i = 0; i < f->count; i++) {
		const sg_finding *x = &f->items[i];
		if (!x->rule_id)
			continue;
		const char **hit = bsearch(&x->rule_id, ids, nids, sizeof(*ids), cmp_id);
		fputs(first ? "\n" : ",\n", out);
		first = 0;
		sarif_result(out, x, hit ? (size_t)(hit - ids) : 0, o, &arts);
	}
	fputs("\n]", out);
	int oom = arts.oom;
	sarif_artifacts_write(out, &arts);
	fputs("}]}\n", out);
	free(ids);
	return oom ? sg_error_set(SG_ENOMEM, "out of memory") : 0;
}
