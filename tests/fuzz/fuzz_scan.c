/* The scan engine on arbitrary bytes: the embedded rules plus a rule set
 * that exercises every filter, with and without line ranges, then every
 * report format over what was found. */
#include <string.h>
#include "fuzz_common.h"

static sg_ruleset *rules;
static sg_scanner *scanner, *limited;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	sg_scan_options so = SG_SCAN_OPTIONS_INIT;
	rules = fuzz_rules_and_scanner(&scanner, &so, "fuzz_scan");
	/* a second scanner with tiny caps, so the cap paths run too */
	so.include_unverified = 1;
	so.inline_allow = 0;
	so.max_findings_per_chunk = 3;
	so.match_limit = 1000;
	so.depth_limit = 50;
	if (sg_scanner_new(&limited, rules, &so) < 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const formats[] = {"text",  "json",   "jsonl", "sarif",
	                                      "junit", "github", "html",  "gitlab"};
	static const uint32_t ranges[][2] = {{1, 1}, {3, 5}, {9, 4000000000u}};
	const char *text = (const char *)data;
	sg_origin o = {.path = "config/app.env"};
	sg_line_ranges lr = {ranges, 3};
	sg_findings f;
	sg_findings_init(&f, 0);
	if (sg_scanner_scan(scanner, text, size, &o, NULL, &f) < 0)
		abort();
	o.path = "src/test/x.env";
	o.commit = "0123456789abcdef0123456789abcdef01234567";
	o.author = "A \"quoted\"\n<author>";
	if (sg_scanner_scan(limited, text, size, &o, &lr, &f) < 0)
		abort();
	for (size_t i = 0; i < f.count; i++) {
		const sg_finding *x = &f.items[i];
		if (x->line == 0 || x->end_line < x->line || x->column == 0 ||
		    x->offset + x->secret_len > size ||
		    memcmp(x->secret, text + x->offset, x->secret_len))
			abort();
	}
	sg_findings_sort(&f);
	sg_scan_stats st = {.mode = "scan", .files = 2, .bytes = size, .notice = "fuzz"};
	sg_report_options ro = SG_REPORT_OPTIONS_INIT;
	ro.rules = rules;
	ro.show_secrets = size & 1;
	ro.color = (size >> 1) & 1;
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (sg_report_format_known(formats[i]))
			sg_report_write(fuzz_null(), formats[i], &f, &st, &ro);
	sg_findings_free(&f);
	return 0;
}
