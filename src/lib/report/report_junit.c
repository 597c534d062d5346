/* JUnit XML for CI test views: one test case per finding (blocking ones fail,
 * suppressed ones are skipped with the reason), and one passing case when
 * nothing blocks so a clean run still shows up as a green test. */
#include <string.h>
#include "secretgate/secretgate.h"
#include "lib/report/report.h"

static void junit_location(FILE *out, const sg_finding *x)
{
	sg_xml_escape(out, x->path ? x->path : "-");
	if (x->line)
		fprintf(out, ":%u:%u", x->line, x->column);
}

/* Jenkins splits a classname at its last dot into package and class, so a
 * path would become package "src/app" and class "py": the classname is
 * "secretgate.<rule>", with any dot of the rule id written as '_', and the
 * path is in the name and the file attribute. */
static void junit_classname(FILE *out, const char *rule_id)
{
	char id[256];
	snprintf(id, sizeof(id), "%s", rule_id ? rule_id : "finding");
	for (char *p = id; *p; p++)
		if (*p == '.')
			*p = '_';
	fputs("secretgate.", out);
	sg_xml_escape(out, id);
}

static void junit_case(FILE *out, const sg_finding *x, const sg_report_options *o)
{
	char sec[1024];
	fputs("    <testcase classname=\"", out);
	junit_classname(out, x->rule_id);
	fputs("\" name=\"", out);
	sg_xml_escape(out, x->rule_id);
	fputs(" at ", out);
	junit_location(out, x);
	fputs("\" file=\"", out);
	sg_xml_escape(out, x->path ? x->path : "-");
	fprintf(out, "\" line=\"%u\" time=\"0\">\n", x->line);
	if (x->suppressed != SG_SUPPRESS_NONE) {
		fprintf(out, "      <skipped message=\"suppressed: %s\"/>\n",
		        sg_suppress_name(x->suppressed));
		fputs("    </testcase>\n", out);
		return;
	}
	fputs("      <failure type=\"", out);
	sg_xml_escape(out, x->rule_id);
	fputs("\" message=\"", out);
	sg_xml_escape(out, x->message ? x->message : x->description);
	fputs("\">", out);
	sg_xml_escape(out, x->description);
	fputs("\n", out);
	fputs("Location: ", out);
	junit_location(out, x);
	fprintf(out, "\nSeverity: %s\n", sg_severity_name(x->severity));
	if (x->secret) {
		sg_report_secret(sec, sizeof(sec), x, o->show_secrets);
		fputs("Secret: ", out);
		sg_xml_escape(out, sec);
		fputc('\n', out);
	}
	if (x->message) {
		fputs("Message: ", out);
		sg_xml_escape(out, x->message);
		fputc('\n', out);
	}
	if (x->commit) {
		fputs("Commit: ", out);
		sg_xml_escape(out, x->commit);
		if (x->author) {
			fputs(" by ", out);
			sg_xml_escape(out, x->author);
		}
		if (x->date) {
			fputs(" on ", out);
			sg_xml_escape(out, x->date);
		}
		fputc('\n', out);
	}
	fputs("Fingerprint: ", out);
	sg_xml_escape(out, x->fingerprint);
	fputs("\n</failure>\n    </testcase>\n", out);
}

int sg_report_junit(FILE *out, const sg_findings *f, const sg_scan_stats *st,
                    const sg_report_options *o)
{
	size_t blocking = sg_findings_blocking(f);
	size_t skipped = f->count - blocking;
	/* a clean run still carries one (passing) test case */
	size_t tests = f->count + (blocking ? 0 : 1);
	double secs = st ? st->elapsed_ms / 1000.0 : 0;
	const char *mode = st && st->mode ? st->mode : "scan";
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out,
	        "<testsuites name=\"secretgate\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
	        "skipped=\"%zu\" time=\"%.3f\">\n",
	        tests, blocking, skipped, secs);
	fputs("  <testsuite name=\"secretgate ", out);
	sg_xml_escape(out, mode);
	fprintf(out,
	        "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" time=\"%.3f\">\n",
	        tests, blocking, skipped, secs);
	if (st) {
		fputs("    <properties>\n", out);
		fprintf(out, "      <property name=\"files\" value=\"%llu\"/>\n",
		        (unsigned long long)st->files);
		fprintf(out, "      <property name=\"bytes\" value=\"%llu\"/>\n",
		        (unsigned long long)st->bytes);
		fprintf(out, "      <property name=\"suppressed\" value=\"%zu\"/>\n", skipped);
		if (st->notice) {
			fputs("      <property name=\"notice\" value=\"", out);
			sg_xml_escape(out, st->notice);
			fputs("\"/>\n", out);
		}
		fputs("    </properties>\n", out);
	}
	if (!blocking) {
		fputs("    <testcase classname=\"secretgate\" name=\"no blocking secrets in ", out);
		sg_xml_escape(out, mode);
		fputs("\" time=\"0\"/>\n", out);
	}
	for (size_t i = 0; i < f->count; i++)
		junit_case(out, &f->items[i], o);
	fputs("  </testsuite>\n</testsuites>\n", out);
	return 0;
}
