/* The archive walker on arbitrary bytes: the input is read as an archive
 * whatever its first bytes (libarchive decides), with small caps so the
 * limit paths run, and every finding's place is checked. */
#include <string.h>
#include "fuzz_common.h"
#include "secretgate/artefact.h"

static sg_ruleset *rules;
static sg_scanner *scanner;
static sg_notices notices;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	sg_scan_options so = SG_SCAN_OPTIONS_INIT;
	so.artefacts.max_depth = 3;
	so.artefacts.max_bytes = 8u << 20;
	so.artefacts.max_ratio = 50;
	so.artefacts.max_members = 200;
	so.artefacts.max_name = 128;
	so.artefacts.max_member_size = 1u << 20;
	rules = fuzz_rules_and_scanner(&scanner, &so, "fuzz_archive");
	if (sg_notices_init(&notices) < 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a zip's magic in front makes the walker take the input for an
	 * archive; the fuzzer's bytes decide the rest (the first byte picks
	 * which magic, so every reader gets its turn) */
	static const char *const magic[] = {"PK\x03\x04", "\x1f\x8b", "7z\xbc\xaf\x27\x1c",
	                                    "!<arch>\n",  "070701",   "\xfd\x37\x7a\x58\x5a",
	                                    "BZh9",       "",         "\x28\xb5\x2f\xfd"};
	if (size < 1)
		return 0;
	const char *m = magic[data[0] % (sizeof(magic) / sizeof(magic[0]))];
	size_t ml = strlen(m);
	char *buf = malloc(size - 1 + ml + 1);
	if (!buf)
		return 0;
	memcpy(buf, m, ml);
	memcpy(buf + ml, data + 1, size - 1);
	size_t len = ml + size - 1;
	buf[len] = '\0';
	sg_origin o = {.path = "fuzz.bin"};
	sg_findings f;
	sg_findings_init(&f, 0);
	if (sg_artefact_scan(scanner, buf, len, &o, NULL, &f, &notices) < 0)
		abort();
	for (size_t i = 0; i < f.count; i++)
		if (!f.items[i].path || f.items[i].line == 0 || !f.items[i].secret)
			abort();
	sg_findings_free(&f);
	free(buf);
	/* notices pile up across runs: start afresh now and then */
	if (notices.count > 500) {
		sg_notices_free(&notices);
		sg_notices_init(&notices);
	}
	return 0;
}
