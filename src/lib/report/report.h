/* Shared pieces of the report writers (report.c and report_*.c). */
#ifndef SG_REPORT_H
#define SG_REPORT_H

#include <stdio.h>
#include "secretgate/secretgate.h"
#include "util/json.h" /* sg_json_escape, sg_utf8_seq */

/* Write `"s"` or `null`. */
void sg_json_string(FILE *out, const char *s);
/* s percent-encoded for a URL path ('/' kept): links to a forge's files. */
void sg_url_path_escape(FILE *out, const char *s);
/* The forge link of a file at a commit, "<forge_url>/blob/<sha>/<path>#L<line>"
 * (GitLab: "/-/blob/"), written as an attribute value; 0 when there is no
 * forge or sha is not a plain commit id (nothing written). */
int sg_report_link_ok(const sg_report_options *o, const char *sha, const char *path);
int sg_report_file_link(FILE *out, const sg_report_options *o, const char *sha, const char *path,
                        unsigned line);
/* XML/HTML text and attribute escaping. */
void sg_xml_escape(FILE *out, const char *s);
/* Text for terminals: control bytes and escapes shown as \xNN. */
void sg_text_escape(FILE *out, const char *s);
/* The secret as a report shows it: redacted unless show_secrets. */
void sg_report_secret(char *out, size_t outsz, const sg_finding *f, int show_secrets);
/* A two-part credential's pair: ", pair: ..." for text (inside the brackets),
 * ",\"pair\":{...}" for JSON objects; nothing when the finding has no pair. */
void sg_report_pair_text(FILE *out, const sg_finding *x, const sg_report_options *o);
void sg_report_pair_json(FILE *out, const sg_finding *x, const sg_report_options *o);
/* One finding as a JSON object (json, jsonl and the merged sweep report). */
void sg_report_json_finding(FILE *out, const sg_finding *f, const sg_report_options *o);

typedef int (*sg_report_writer)(FILE *out, const sg_findings *f, const sg_scan_stats *stats,
                                const sg_report_options *opts);
int sg_report_text(FILE *, const sg_findings *, const sg_scan_stats *, const sg_report_options *);
int sg_report_json(FILE *, const sg_findings *, const sg_scan_stats *, const sg_report_options *);
int sg_report_jsonl(FILE *, const sg_findings *, const sg_scan_stats *, const sg_report_options *);
int sg_report_sarif(FILE *, const sg_findings *, const sg_scan_stats *, const sg_report_options *);
int sg_report_junit(FILE *, const sg_findings *, const sg_scan_stats *, const sg_report_options *);
int sg_report_github(FILE *, const sg_findings *, const sg_scan_stats *, const sg_report_options *);
int sg_report_html(FILE *, const sg_findings *, const sg_scan_stats *, const sg_report_options *);
int sg_report_gitlab(FILE *, const sg_findings *, const sg_scan_stats *, const sg_report_options *);

/* The GitHub Markdown step summary on its own (report_github.c). */
int sg_report_github_summary(FILE *out, const sg_findings *f, const sg_scan_stats *stats,
                             const sg_report_options *opts);
/* Time as "YYYY-MM-DDTHH:MM:SS" in UTC (gitlab, junit, html). */
void sg_report_utc(char out[24], int64_t unix_seconds);

#endif
