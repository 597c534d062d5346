/* The decoder on arbitrary bytes: every run that looks encoded is decoded
 * and rescanned (two and four layers deep); a decoded finding must point
 * inside the chunk and keep its encodings listed. */
#include <string.h>
#include "fuzz_common.h"
#include "secretgate/artefact.h"

static sg_ruleset *rules;
static sg_scanner *scanner, *deep;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	sg_scan_options so = SG_SCAN_OPTIONS_INIT;
	rules = fuzz_rules_and_scanner(&scanner, &so, "fuzz_decode");
	so.artefacts.decode_depth = 4;
	if (sg_scanner_new(&deep, rules, &so) < 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t ranges[][2] = {{1, 2}, {5, 4000000000u}};
	const char *text = (const char *)data;
	sg_origin o = {.path = "config/app.yml"};
	sg_line_ranges lr = {ranges, 2};
	sg_findings f;
	sg_findings_init(&f, 0);
	if (sg_decode_scan(scanner, text, size, &o, NULL, &f, NULL) < 0 ||
	    sg_decode_scan(deep, text, size, &o, &lr, &f, NULL) < 0)
		abort();
	for (size_t i = 0; i < f.count; i++) {
		const sg_finding *x = &f.items[i];
		if (x->line == 0 || x->end_line < x->line || x->column == 0 || x->offset > size)
			abort();
		if (!x->decoded[0] && (x->offset + x->secret_len > size ||
		                       memcmp(x->secret, text + x->offset, x->secret_len)))
			abort();
		for (size_t k = 0; k < sizeof(x->decoded); k++)
			if (x->decoded[k] >= SG_DECODED_MAX)
				abort();
	}
	sg_findings_free(&f);
	return 0;
}
