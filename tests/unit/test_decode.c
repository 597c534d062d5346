/* decode.c: encoded runs decoded and scanned again, placed at the encoded
 * run, with the encodings listed; noise, depth and the work budget. */
#include "helpers.h"
#include "../encode.h"
#include "secretgate/artefact.h"

TEST_AWS_RULESET_GROUP()

static size_t scan(const sg_scan_options *so, const char *text, const sg_line_ranges *lines,
                   sg_findings *f, sg_notices *nt)
{
	sg_scanner *s;
	assert_int_equal(sg_scanner_new(&s, rs, so), 0);
	sg_origin o = {.path = "deploy/app.yml"};
	sg_findings_init(f, 0);
	assert_int_equal(sg_decode_scan(s, text, strlen(text), &o, lines, f, nt), 0);
	sg_scanner_free(s);
	sg_findings_sort(f);
	return f->count;
}

static void test_base64_found_at_the_run(void **state)
{
	(void)state;
	char key[21], plain[64], enc[128], text[256], fp[64];
	test_aws_key(key, 1);
	snprintf(plain, sizeof(plain), "aws = %s", key);
	test_base64(enc, plain);
	snprintf(text, sizeof(text), "a: 1\nblob:   %s\n", enc);
	sg_findings f;
	assert_int_equal(scan(NULL, text, NULL, &f, NULL), 1);
	assert_string_equal(f.items[0].rule_id, "test-aws");
	assert_int_equal(f.items[0].line, 2);
	assert_int_equal(f.items[0].column, 9);
	assert_int_equal(f.items[0].offset, strchr(text, '\n') + 9 - text);
	assert_int_equal(f.items[0].decoded[0], SG_DECODED_BASE64);
	assert_int_equal(f.items[0].decoded[1], 0);
	assert_string_equal(f.items[0].secret, key);
	/* the fingerprint is the plain secret's */
	sg_fingerprint(fp, "test-aws", key, 20);
	assert_string_equal(f.items[0].fingerprint, fp);
	sg_findings_free(&f);
}

static void test_each_encoding(void **state)
{
	(void)state;
	char key[21], text[8192];
	test_aws_key(key, 2);
	struct {
		int kind;
		const char *fmt; /* %s: the key, one byte at a time */
	} cases[] = {{SG_DECODED_HEX, "%02x"},
	             {SG_DECODED_PERCENT, "%%%02X"},
	             {SG_DECODED_ESCAPE, "\\u%04x"},
	             {SG_DECODED_ESCAPE, "\\x%02x"},
	             {SG_DECODED_HTML, "&#%d;"}};
	/* with each classification the CPU has, and with the run starting
	 * anywhere around the end of the decoder's first 4 KB span */
	const size_t pads[] = {0, 3990, 4021, 4050, 4077, 4089, 4090, 4091, 4095};
	for (int level = 0; level < 4; level++) {
		if (sg_decode_use_simd(level) != level)
			continue;
		for (size_t pi = 0; pi < sizeof(pads) / sizeof(pads[0]); pi++)
			for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
				memset(text, '.', pads[pi]);
				size_t n = pads[pi];
				n += (size_t)snprintf(text + n, sizeof(text) - n, "v = \"");
				const char *s = c == 0 ? "key: " : "";
				for (const char *p = s; *p && c == 0; p++)
					n += (size_t)snprintf(text + n, sizeof(text) - n,
					                      cases[c].fmt, *p);
				for (size_t i = 0; i < 20; i++)
					n += (size_t)snprintf(text + n, sizeof(text) - n,
					                      cases[c].fmt, (unsigned char)key[i]);
				snprintf(text + n, sizeof(text) - n, "\"\n");
				sg_findings f;
				assert_int_equal(scan(NULL, text, NULL, &f, NULL), 1);
				assert_int_equal(f.items[0].decoded[0], cases[c].kind);
				assert_string_equal(f.items[0].secret, key);
				assert_int_equal(f.items[0].column, pads[pi] + 6);
				sg_findings_free(&f);
			}
	}
	sg_decode_use_simd(3);
}

static void test_depth(void **state)
{
	(void)state;
	char key[21], plain[64], once[128], twice[256], text[300];
	test_aws_key(key, 3);
	snprintf(plain, sizeof(plain), "aws = %s", key);
	test_base64(once, plain);
	test_base64(twice, once);
	snprintf(text, sizeof(text), "x: %s\n", twice);
	sg_findings f;
	assert_int_equal(scan(NULL, text, NULL, &f, NULL), 1);
	assert_int_equal(f.items[0].decoded[0], SG_DECODED_BASE64);
	assert_int_equal(f.items[0].decoded[1], SG_DECODED_BASE64);
	assert_int_equal(f.items[0].column, 4);
	sg_findings_free(&f);
	sg_scan_options so = SG_SCAN_OPTIONS_INIT;
	so.artefacts.decode_depth = 1;
	assert_int_equal(scan(&so, text, NULL, &f, NULL), 0);
	sg_findings_free(&f);
	so.artefacts.decode_depth = 0;
	so.artefacts.no_decode = 1;
	snprintf(text, sizeof(text), "x: %s\n", once);
	assert_int_equal(scan(&so, text, NULL, &f, NULL), 0);
	sg_findings_free(&f);
}

static void test_noise_is_silent(void **state)
{
	(void)state;
	/* random bytes, base64-encoded, and an integrity hash: nothing decodes to text */
	char raw[301], enc[600], text[1400];
	uint32_t seed = 7;
	for (size_t i = 0; i < 300; i++) {
		seed = seed * 1103515245u + 12345u;
		raw[i] = (char)(seed >> 16 | 1);
	}
	raw[300] = '\0';
	test_base64(enc, raw);
	snprintf(text, sizeof(text), "img = \"data:image/png;base64,%s\"\nintegrity: sha512-%s\n",
	         enc, enc);
	sg_findings f;
	assert_int_equal(scan(NULL, text, NULL, &f, NULL), 0);
	sg_findings_free(&f);
}

static void test_line_ranges_apply(void **state)
{
	(void)state;
	char key[21], plain[64], enc[128], text[256];
	test_aws_key(key, 4);
	snprintf(plain, sizeof(plain), "aws = %s", key);
	test_base64(enc, plain);
	snprintf(text, sizeof(text), "one\ntwo\nx: %s\n", enc);
	static const uint32_t r12[][2] = {{1, 2}}, r3[][2] = {{3, 3}};
	sg_line_ranges lines = {r12, 1};
	sg_findings f;
	assert_int_equal(scan(NULL, text, &lines, &f, NULL), 0);
	sg_findings_free(&f);
	lines.ranges = r3;
	assert_int_equal(scan(NULL, text, &lines, &f, NULL), 1);
	sg_findings_free(&f);
}

static void test_budget_ends_in_a_notice(void **state)
{
	(void)state;
	/* a megabyte of nothing but base64 text: the work is capped, and said */
	char enc[128];
	test_base64(enc, "this is only a harmless sentence of text");
	size_t el = strlen(enc), n = (1u << 20) / (el + 1);
	char *text = malloc(n * (el + 1) + 1);
	assert_non_null(text);
	for (size_t i = 0; i < n; i++) {
		memcpy(text + i * (el + 1), enc, el);
		text[i * (el + 1) + el] = '\n';
	}
	text[n * (el + 1)] = '\0';
	sg_notices nt;
	sg_notices_init(&nt);
	sg_findings f;
	assert_int_equal(scan(NULL, text, NULL, &f, &nt), 0);
	assert_int_equal(nt.count, 1);
	assert_non_null(strstr(nt.items[0], "decoding budget"));
	sg_findings_free(&f);
	sg_notices_free(&nt);
	free(text);
}

static void test_every_offset(void **state)
{
	(void)state;
	/* the run finder works on 64-byte windows of 4 KB spans: a run must be
	 * found wherever it starts and ends, at the end of the text too, with
	 * each classification the CPU has (portable, AVX2, AVX-512) */
	char key[21], plain[64], enc[128], text[8192];
	test_aws_key(key, 5);
	snprintf(plain, sizeof(plain), "aws = %s", key);
	test_base64(enc, plain);
	const size_t starts[] = {0, 4096 - 70};
	for (int level = 0; level < 4; level++) {
		if (sg_decode_use_simd(level) != level)
			continue;
		for (size_t st = 0; st < 2; st++)
			for (size_t off = starts[st]; off < starts[st] + 140; off++) {
				for (int at_end = 0; at_end < 2; at_end++) {
					memset(text, '.', off);
					snprintf(text + off, sizeof(text) - off, "%s%s", enc,
					         at_end ? "" : " tail\n");
					sg_findings f;
					assert_int_equal(scan(NULL, text, NULL, &f, NULL), 1);
					assert_int_equal(f.items[0].column, off + 1);
					sg_findings_free(&f);
				}
			}
	}
	sg_decode_use_simd(3);
}

static void test_hex_of_either_case_at_every_offset(void **state)
{
	(void)state;
	/* a run inside one 64-byte window is passed over without a call when
	 * it is neither mixed-case nor hex: hex of one case must still be read
	 * wherever it sits in the window */
	char key[21], plain[64], enc[160], text[512];
	test_aws_key(key, 6);
	snprintf(plain, sizeof(plain), "aws = %s", key);
	for (int level = 0; level < 4; level++) {
		if (sg_decode_use_simd(level) != level)
			continue;
		for (int upper = 0; upper < 2; upper++)
			for (size_t off = 0; off < 140; off++) {
				test_hex(enc, plain, upper);
				memset(text, '.', off);
				snprintf(text + off, sizeof(text) - off, "%s tail\n", enc);
				sg_findings f;
				assert_int_equal(scan(NULL, text, NULL, &f, NULL), 1);
				assert_int_equal(f.items[0].decoded[0], SG_DECODED_HEX);
				assert_int_equal(f.items[0].column, off + 1);
				sg_findings_free(&f);
			}
	}
	sg_decode_use_simd(3);
}

static void test_long_runs_among_words(void **state)
{
	(void)state;
	/* windows without a run worth a look are passed over whole: a run that
	 * starts in one of them, crosses one or two more and ends anywhere must
	 * still be read, among words that are base64 characters themselves */
	char key[21], plain[160], enc[256], text[1024];
	test_aws_key(key, 7);
	const char *words = "lower case words_and_more ";
	for (int level = 0; level < 4; level++) {
		if (sg_decode_use_simd(level) != level)
			continue;
		for (int pre = 0; pre < 3; pre++) {
			/* about 40, 90 and 140 characters of base64 */
			snprintf(plain, sizeof(plain), "%.*saws = %s", pre * 37,
			         "the deploy key for the staging bucket, kept here for now ", key);
			test_base64(enc, plain);
			for (size_t off = 0; off < 200; off++) {
				for (size_t i = 0; i < off; i++)
					text[i] = words[i % 26];
				if (off) /* the run is not joined to a word */
					text[off - 1] = ' ';
				snprintf(text + off, sizeof(text) - off, "%s %s\n", enc, words);
				sg_findings f;
				assert_int_equal(scan(NULL, text, NULL, &f, NULL), 1);
				assert_string_equal(f.items[0].secret, key);
				assert_int_equal(f.items[0].column, off + 1);
				sg_findings_free(&f);
			}
		}
	}
	sg_decode_use_simd(3);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(sg_decoding_name(SG_DECODED_BASE64), "base64");
	assert_string_equal(sg_decoding_name(SG_DECODED_HTML), "html");
	assert_string_equal(sg_decoding_name(99), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_base64_found_at_the_run),
	        cmocka_unit_test(test_each_encoding),
	        cmocka_unit_test(test_depth),
	        cmocka_unit_test(test_noise_is_silent),
	        cmocka_unit_test(test_line_ranges_apply),
	        cmocka_unit_test(test_budget_ends_in_a_notice),
	        cmocka_unit_test(test_every_offset),
	        cmocka_unit_test(test_hex_of_either_case_at_every_offset),
	        cmocka_unit_test(test_long_runs_among_words),
	        cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
