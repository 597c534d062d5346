/* The decoder on arbitrary bytes: every run that looks encoded is decoded
 * and rescanned (two and four layers deep); a decoded finding must point
 * inside the chunk and keep its encodings listed. When nothing in the bytes
 * (as lines of a longer text) decodes, a text made from that one by copies
 * and inserts (some of them encoded), decoded only where the copies do not
 * cover it, must give what decoding all of it gives, and the same verdict. */
#include <stdlib.h>
#include <string.h>
#include "fuzz_common.h"
#include "../encode.h"
#include "secretgate/artefact.h"
#include "lib/engine/prefilter.h"

static sg_ruleset *rules;
static sg_scanner *scanner, *deep;

int LLVMFuzzerInitialize(int *argc, char ***argv);
static void make_inserts(void);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	sg_scan_options so = SG_SCAN_OPTIONS_INIT;
	rules = fuzz_rules_and_scanner(&scanner, &so, "fuzz_decode");
	so.artefacts.decode_depth = 4;
	if (sg_scanner_new(&deep, rules, &so) < 0)
		abort();
	make_inserts();
	return 0;
}

/* A text made from base by copies of it (from anywhere, as deltas do) and
 * inserted bytes, chosen by a generator seeded with the bytes. */
static char enc_b64[96], enc_hex[128], enc_pct[192];
static const char *inserts[6] = {"\n", "x", enc_b64, enc_hex, enc_pct, "\\u0041\\u004b\n"};

/* An assignment the fuzz rules find, made at run time, in three encodings. */
static void make_inserts(void)
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	char plain[40] = "token = ";
	uint32_t x = 12345;
	for (int i = 8; i < 28; i++) {
		x = x * 1103515245u + 12345u;
		plain[i] = al[(x >> 16) % (sizeof(al) - 1)];
	}
	plain[28] = '\0';
	test_base64(enc_b64, plain);
	test_hex(enc_hex, plain, 0);
	test_percent(enc_pct, plain);
}

static size_t made_from(const char *base, size_t n, char *out, size_t cap, sg_copy *c, size_t *nc)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
	for (size_t i = 0; i < n && i < 64; i++)
		h = (h ^ (unsigned char)base[i]) * 0x100000001b3ull;
	size_t len = 0;
	*nc = 0;
	while (*nc < 16) {
		h = h * 6364136223846793005ull + 1442695040888963407ull;
		size_t from = (size_t)(h >> 33) % n, want = 1 + (size_t)(h >> 20) % 1200;
		if (want > n - from)
			want = n - from;
		if (len + want + 64 > cap)
			break;
		memcpy(out + len, base + from, want);
		c[(*nc)++] = (sg_copy){len, want, from};
		len += want;
		if ((h >> 4) % 3 == 0)
			continue; /* two copies meet */
		/* an encoded one in four: each costs a rescan and a fingerprint */
		static const unsigned char noise[3] = {0, 1, 5};
		const char *ins = inserts[(h >> 8) % 4 ? noise[(h >> 10) % 3] : 2 + (h >> 10) % 3];
		memcpy(out + len, ins, strlen(ins));
		len += strlen(ins);
	}
	return len;
}

static void same_findings(const sg_findings *a, const sg_findings *b)
{
	if (a->count != b->count)
		abort();
	for (size_t i = 0; i < a->count; i++)
		if (a->items[i].offset != b->items[i].offset ||
		    a->items[i].line != b->items[i].line ||
		    a->items[i].column != b->items[i].column ||
		    strcmp(a->items[i].fingerprint, b->items[i].fingerprint) ||
		    memcmp(a->items[i].decoded, b->items[i].decoded, sizeof(a->items[i].decoded)))
			abort();
}

static void check_made_from(const char *text, size_t size)
{
	static char base[1 << 12], out[1 << 14];
	static sg_copy c[16];
	size_t n = 0;
	/* one input in three, so the checks above keep most of the runs */
	if (size % 3)
		return;
	while (size && n + size + 1 <= sizeof(base)) {
		memcpy(base + n, text, size);
		n += size;
		base[n++] = '\n';
	}
	if (n == 0)
		return;
	sg_origin o = {.path = "config/app.yml"};
	sg_findings f;
	sg_findings_init(&f, 0);
	if (sg_decode_scan(scanner, base, n, &o, NULL, &f, NULL) < 0)
		abort();
	sg_findings_free(&f);
	if (!sg_scanner_decode_quiet(scanner, base, n))
		return;
	size_t nc, len = made_from(base, n, out, sizeof(out), c, &nc);
	sg_findings a, b;
	sg_findings_init(&a, 0);
	sg_findings_init(&b, 0);
	sg_scanner_offer(scanner, out, len, &(sg_chunk_known){.copies = c, .ncopies = nc});
	if (sg_decode_scan(scanner, out, len, &o, NULL, &a, NULL) < 0)
		abort();
	int quiet = sg_scanner_decode_quiet(scanner, out, len);
	if (sg_decode_scan(scanner, out, len, &o, NULL, &b, NULL) < 0 ||
	    quiet != sg_scanner_decode_quiet(scanner, out, len))
		abort();
	sg_findings_sort(&a);
	sg_findings_sort(&b);
	same_findings(&a, &b);
	sg_findings_free(&a);
	sg_findings_free(&b);
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
	check_made_from(text, size);
	return 0;
}
