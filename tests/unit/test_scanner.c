/* The scan engine end to end on in-memory chunks: positions, filters,
 * suppression markers, overlapping rules, long lines and regex limits. */
#include "helpers.h"
#include "lib/engine/rule.h"

TEST_AWS_RULESET_GROUP()

static void scan_text(const sg_ruleset *set, const sg_scan_options *o, const char *text, size_t len,
                      const sg_line_ranges *lines, sg_findings *out)
{
	sg_scanner *s;
	assert_int_equal(sg_scanner_new(&s, set, o), 0);
	sg_origin origin = {.path = "src/app.py"};
	sg_findings_init(out, 0);
	assert_int_equal(sg_scanner_scan(s, text, len, &origin, lines, out), 0);
	sg_scanner_free(s);
}

static void test_position_and_fields(void **state)
{
	(void)state;
	char key[21], text[200];
	test_aws_key(key, 1);
	snprintf(text, sizeof(text), "line one\n\tcfg = '%s'\nend\n", key);
	sg_findings f;
	scan_text(rs, NULL, text, strlen(text), NULL, &f);
	assert_int_equal(f.count, 1);
	sg_finding *x = &f.items[0];
	assert_string_equal(x->rule_id, "test-aws");
	assert_int_equal(x->line, 2);
	assert_int_equal(x->end_line, 2);
	assert_int_equal(x->column, 9);
	assert_int_equal(x->end_column, 28);
	assert_string_equal(x->secret, key);
	assert_string_equal(x->path, "src/app.py");
	assert_int_equal(x->severity, SG_SEV_CRITICAL);
	assert_int_equal(x->suppressed, SG_SUPPRESS_NONE);
	assert_true(strncmp(x->fingerprint, "test-aws:", 9) == 0);
	char red[64];
	sg_redact(red, sizeof(red), x->secret, x->secret_len);
	assert_null(strstr(red, key + 4));
	sg_findings_free(&f);
}

static void test_fingerprint_survives_moves(void **state)
{
	(void)state;
	char key[21], a[200], b[300];
	test_aws_key(key, 2);
	snprintf(a, sizeof(a), "k = %s\n", key);
	snprintf(b, sizeof(b), "\n\n\n# moved and reformatted\n    other_name   =    \"%s\"\n",
	         key);
	sg_findings fa, fb;
	scan_text(rs, NULL, a, strlen(a), NULL, &fa);
	scan_text(rs, NULL, b, strlen(b), NULL, &fb);
	assert_int_equal(fa.count, 1);
	assert_int_equal(fb.count, 1);
	assert_int_not_equal(fa.items[0].line, fb.items[0].line);
	assert_string_equal(fa.items[0].fingerprint, fb.items[0].fingerprint);
	sg_findings_free(&fa);
	sg_findings_free(&fb);
}

static void test_placeholders_and_entropy(void **state)
{
	(void)state;
	const char *text = "a = AKIAIOSFODNN7EXAMPLE\n"
	                   "b = AKIAAAAAAAAAAAAAAAAA\n"
	                   "c = AKIAXXXXXXXXXXXXXXXX\n"
	                   "key = \"aaaaaaaaaaaaaaaaaaaa\"\n"
	                   "key = \"${SECRET_FROM_ENV}\"\n";
	sg_findings f;
	scan_text(rs, NULL, text, strlen(text), NULL, &f);
	assert_int_equal(f.count, 0);
	sg_findings_free(&f);
}

static void test_inline_markers(void **state)
{
	(void)state;
	char k1[21], k2[21], k3[21], k4[21], text[512];
	test_aws_key(k1, 11);
	test_aws_key(k2, 12);
	test_aws_key(k3, 13);
	test_aws_key(k4, 14);
	snprintf(text, sizeof(text),
	         "a = %s # secretgate:allow\nb = %s // gitleaks:allow\n"
	         "c = %s  # pragma: allowlist secret\nd = %s\n",
	         k1, k2, k3, k4);
	sg_findings f;
	scan_text(rs, NULL, text, strlen(text), NULL, &f);
	assert_int_equal(f.count, 4);
	for (int i = 0; i < 3; i++)
		assert_int_equal(f.items[i].suppressed, SG_SUPPRESS_INLINE);
	assert_int_equal(f.items[3].suppressed, SG_SUPPRESS_NONE);
	assert_int_equal(sg_findings_blocking(&f), 1);
	sg_findings_free(&f);

	sg_scan_options o = SG_SCAN_OPTIONS_INIT;
	o.inline_allow = 0;
	scan_text(rs, &o, text, strlen(text), NULL, &f);
	assert_int_equal(sg_findings_blocking(&f), 4);
	sg_findings_free(&f);
}

static void test_overlap_keeps_specific_rule(void **state)
{
	(void)state;
	char key[21], text[100];
	test_aws_key(key, 3);
	snprintf(text, sizeof(text), "key = \"%s\"\n", key);
	sg_findings f;
	scan_text(rs, NULL, text, strlen(text), NULL, &f);
	assert_int_equal(f.count, 1);
	assert_string_equal(f.items[0].rule_id, "test-aws");
	sg_findings_free(&f);
}

static void test_line_ranges(void **state)
{
	(void)state;
	char k1[21], k2[21], text[200];
	test_aws_key(k1, 4);
	test_aws_key(k2, 5);
	snprintf(text, sizeof(text), "%s\nx\n%s\n", k1, k2);
	const uint32_t ranges[][2] = {{2, 3}};
	sg_line_ranges lines = {ranges, 1};
	sg_findings f;
	scan_text(rs, NULL, text, strlen(text), &lines, &f);
	assert_int_equal(f.count, 1);
	assert_int_equal(f.items[0].line, 3);
	assert_string_equal(f.items[0].secret, k2);
	sg_findings_free(&f);
}

static void test_long_minified_line(void **state)
{
	(void)state;
	size_t n = 5u << 20;
	char *buf = malloc(n + 64);
	assert_non_null(buf);
	for (size_t i = 0; i < n; i++)
		buf[i] = "var a=1;function(){return key}"[i % 30];
	char key[21];
	test_aws_key(key, 6);
	memcpy(buf + n - 100, key, 20);
	buf[n - 101] = ' ';
	buf[n - 80] = ' ';
	sg_findings f;
	scan_text(rs, NULL, buf, n, NULL, &f);
	assert_int_equal(f.count, 1);
	assert_int_equal(f.items[0].line, 1);
	assert_int_equal(f.items[0].column, n - 99);
	sg_findings_free(&f);
	free(buf);
}

/* A rule's search on a long line starts no later than 256 bytes past the
 * last keyword in its window (a keyword lies inside every match or at most
 * 256 bytes before it): matches up to there are found, one that far past
 * every keyword is not looked for although it lies inside the window. */
static void test_search_starts_near_keywords(void **state)
{
	(void)state;
	const char *yaml = "rules:\n"
	                   "  - id: after-keyword\n"
	                   "    keywords: ['pass']\n"
	                   "    pattern: '\\b(?<secret>zz[a-z0-9]{10})\\b'\n"
	                   "    window: 4096\n";
	sg_ruleset *set = test_ruleset(yaml);
	const char *v[] = {"zzq7xk2pm9rw", "zzh3j8k2l5mb", "zzr5n0v6w3zp"};
	static char text[2048];
	size_t n = 0;
	/* v[0] starts 250 bytes past the first keyword's end, v[1] 100 past
	 * the second's, v[2] 512 past the second's */
	n += (size_t)snprintf(text + n, sizeof(text) - n, "pass%250s%s%300s pass%100s%s%400s%s\n",
	                      "", v[0], "", "", v[1], "", v[2]);
	sg_findings f;
	scan_text(set, NULL, text, n, NULL, &f);
	assert_int_equal(f.count, 2);
	assert_string_equal(f.items[0].secret, v[0]);
	assert_string_equal(f.items[1].secret, v[1]);
	sg_findings_free(&f);
	sg_ruleset_free(set);
}

/* A rule whose matches cannot start at a keyword, but whose start is read
 * (the texts it begins with), is tried where their first two bytes occur:
 * every match is found, in either case, across the 64-byte blocks of the
 * SIMD search and at the text's first byte, with that search and
 * without it. */
static void test_start_pairs_find_every_match(void **state)
{
	(void)state;
	const char *yaml =
	        "rules:\n"
	        "  - id: mid-keyword\n"
	        "    keywords: ['-zq']\n"
	        "    pattern: '(?i)(?<![a-z0-9])(?:abc|xy)[0-9]{6}-zq(?<secret>[0-9a-z]{12})'\n"
	        "  - id: one-byte-start\n"
	        "    keywords: ['-zz']\n"
	        "    pattern: '(?:q|rs)[0-9]{4}-zz(?<secret>[a-z0-9]{12})'\n";
	sg_ruleset *set = test_ruleset(yaml);
	for (size_t i = 0; i < sg_ruleset_count(set); i++) {
		sg_rule *r = (sg_rule *)sg_ruleset_get(set, i);
		assert_int_equal(sg_rule_compile(r), 0);
		assert_false(r->keyword_anchored);
		assert_non_null(r->start_pairs);
	}
	const char *v[] = {"k3j9x7m2p4q8", "z8x7c6v5b4n3", "m4n7b2v9c1x6", "p0o9i8u7y6t5"};
	static char text[4096];
	size_t n = 0;
	/* matches at the very start, at offset 63 (the last of the first block
	 * of 64) and 127, one in mixed case at the end, and decoys that start
	 * no match */
	n += (size_t)snprintf(text + n, sizeof(text) - n, "q1234-zz%s %42s", v[0], "");
	assert_int_equal(n, 63);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "ABC123456-zq%s %39s", v[1], "");
	assert_int_equal(n, 127);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "rs9876-zz%s abd123456-zq%s rt1234-zz%s ",
	                      v[2], v[1], v[2]);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "xY654321-zq%s", v[3]);
	for (int simd = 1; simd >= 0; simd--) {
		sg_prefilter_use_simd(simd);
		sg_findings f;
		scan_text(set, NULL, text, n, NULL, &f);
		assert_int_equal(f.count, 4);
		assert_string_equal(f.items[0].secret, v[0]);
		assert_string_equal(f.items[1].secret, v[1]);
		assert_string_equal(f.items[2].secret, v[2]);
		assert_string_equal(f.items[3].secret, v[3]);
		sg_findings_free(&f);
	}
	sg_prefilter_use_simd(1);
	sg_ruleset_free(set);
}

/* An anchored rule's tries stop at the last byte every match needs (PCRE2's
 * own look for it, across the rest of the window at every try, is off):
 * matches before and after keywords that lack it, in either case, are all
 * found, and a window without it is not tried. */
static void test_needed_byte_bounds_tries(void **state)
{
	(void)state;
	const char *yaml = "rules:\n"
	                   "  - id: needs-at\n"
	                   "    keywords: ['tok']\n"
	                   "    pattern: 'tok[a-z]{1,5}@(?<secret>[a-z0-9]{12})'\n"
	                   "  - id: needs-x\n"
	                   "    keywords: ['key']\n"
	                   "    pattern: '(?i)key[a-z]{1,4}x(?<secret>[a-z0-9]{12})'\n";
	sg_ruleset *set = test_ruleset(yaml);
	sg_rule *at = (sg_rule *)sg_ruleset_find(set, "needs-at");
	sg_rule *x = (sg_rule *)sg_ruleset_find(set, "needs-x");
	assert_int_equal(sg_rule_compile(at), 0);
	assert_int_equal(sg_rule_compile(x), 0);
	assert_int_equal(at->need, '@');
	assert_true(x->need == 'x' || x->need == 'X');
	const char *v[] = {"k3j9x7m2p4q8", "z8c6v5b4n3m1", "m4n7b2v9c1q6"};
	char text[512];
	int n = snprintf(text, sizeof(text),
	                 "tokabc@%s tokxyz tokdef@%s tokghi\nKEYabX%s keyab keyzz\n"
	                 "tok tokenizer keyboard\n",
	                 v[0], v[1], v[2]);
	sg_findings f;
	scan_text(set, NULL, text, (size_t)n, NULL, &f);
	assert_int_equal(f.count, 3);
	assert_string_equal(f.items[0].secret, v[0]);
	assert_string_equal(f.items[1].secret, v[1]);
	assert_string_equal(f.items[2].secret, v[2]);
	sg_findings_free(&f);
	sg_ruleset_free(set);
}

static void test_regex_limit_is_contained(void **state)
{
	(void)state;
	const char *yaml = "rules:\n"
	                   "  - id: slow\n"
	                   "    keywords: [aaaa]\n"
	                   "    pattern: '(a|aa)+\\d'\n"
	                   "    window: 4000\n"
	                   "  - id: test-aws\n"
	                   "    keywords: [akia]\n"
	                   "    pattern: '\\b(AKIA[A-Z2-7]{16})\\b'\n";
	sg_ruleset *set = test_ruleset(yaml);
	char key[21], text[4200];
	test_aws_key(key, 7);
	memset(text, 'a', 3000);
	snprintf(text + 3000, sizeof(text) - 3000, "!\n%s\n", key);
	sg_scanner *s;
	assert_int_equal(sg_scanner_new(&s, set, NULL), 0);
	sg_findings f;
	sg_findings_init(&f, 0);
	assert_int_equal(sg_scanner_scan(s, text, strlen(text), NULL, NULL, &f), 0);
	const char *first = NULL;
	assert_true(sg_scanner_limit_hits(s, &first) >= 1);
	assert_string_equal(first, "slow");
	assert_int_equal(f.count, 1);
	assert_string_equal(f.items[0].rule_id, "test-aws");
	sg_findings_free(&f);
	sg_scanner_free(s);
	sg_ruleset_free(set);
}

/* A decoy that runs a rule into the match limit costs that one window: the
 * same rule's real matches before, between and after decoys are found,
 * even when the decoys sit inside the real matches' windows. */
static void test_regex_limit_gives_up_one_window(void **state)
{
	(void)state;
	const char *yaml = "rules:\n"
	                   "  - id: runaway\n"
	                   "    keywords: ['tok_']\n"
	                   "    pattern: '\\b(?<secret>tok_(?:[a-z]+|[a-z0-9])+[A-Z]{2})\\b'\n"
	                   "    window: 4096\n";
	sg_ruleset *set = test_ruleset(yaml);
	static char text[40000];
	size_t n = 0;
	const char *real[] = {"tok_q7x2k9m4p1z8w3AB", "tok_h3j8k2l5m9n1b4CD",
	                      "tok_r5n0v6w3z8p1m4EF"};
	for (int k = 0; k < 3; k++) {
		/* a decoy: the prefix and a long run the pattern backtracks on */
		n += (size_t)snprintf(text + n, sizeof(text) - n, "tok_");
		memset(text + n, 'a', 3000);
		n += 3000;
		n += (size_t)snprintf(text + n, sizeof(text) - n, "!\nx = %s\n", real[k]);
	}
	n += (size_t)snprintf(text + n, sizeof(text) - n, "tok_");
	memset(text + n, 'a', 3000);
	n += 3000;
	text[n] = '\0';
	sg_scanner *s;
	assert_int_equal(sg_scanner_new(&s, set, NULL), 0);
	sg_findings f;
	sg_findings_init(&f, 0);
	assert_int_equal(sg_scanner_scan(s, text, n, NULL, NULL, &f), 0);
	assert_true(sg_scanner_limit_hits(s, NULL) >= 4);
	assert_int_equal(f.count, 3);
	for (int k = 0; k < 3; k++)
		assert_string_equal(f.items[k].secret, real[k]);
	sg_findings_free(&f);
	sg_scanner_free(s);
	sg_ruleset_free(set);
}

static void test_paths_and_not_paths(void **state)
{
	(void)state;
	const char *yaml = "rules:\n"
	                   "  - id: pem-only\n"
	                   "    keywords: [akia]\n"
	                   "    pattern: '(AKIA[A-Z2-7]{16})'\n"
	                   "    paths: ['*.pem']\n"
	                   "    not_paths: ['**/test/**']\n";
	sg_ruleset *set = test_ruleset(yaml);
	char key[21];
	test_aws_key(key, 8);
	sg_scanner *s;
	assert_int_equal(sg_scanner_new(&s, set, NULL), 0);
	const char *paths[] = {"a/key.pem", "a/key.txt", "a/test/key.pem", NULL};
	const size_t want[] = {1, 0, 0, 0};
	for (int i = 0; i < 4; i++) {
		sg_findings f;
		sg_findings_init(&f, 0);
		sg_origin o = {.path = paths[i]};
		assert_int_equal(sg_scanner_scan(s, key, 20, &o, NULL, &f), 0);
		assert_int_equal(f.count, want[i]);
		sg_findings_free(&f);
	}
	sg_scanner_free(s);
	sg_ruleset_free(set);
}

static void crc_token(char *out, const char *prefix, uint32_t seed)
{
	/* a prefixed token whose last six base62 characters are the CRC32 of the
	 * random part, the layout GitHub and npm tokens use */
	static const char b62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	char body[31];
	test_random_string(body, 30, b62 + 10, &seed);
	uint32_t crc = 0xFFFFFFFFu;
	for (int i = 0; i < 30; i++) {
		crc ^= (unsigned char)body[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320u & (uint32_t) - (int32_t)(crc & 1));
	}
	crc = ~crc;
	char sum[7];
	for (int i = 5; i >= 0; i--) {
		sum[i] = b62[crc % 62];
		crc /= 62;
	}
	sum[6] = '\0';
	sprintf(out, "%s%s%s", prefix, body, sum);
}

static void test_checksum_gate(void **state)
{
	(void)state;
	const char *yaml = "rules:\n"
	                   "  - id: crc-token\n"
	                   "    keywords: [ghp_]\n"
	                   "    pattern: '\\b(ghp_[A-Za-z0-9]{36})\\b'\n"
	                   "    checksum: github\n";
	sg_ruleset *set = test_ruleset(yaml);
	char prefix[5] = {'g', 'h', 'p', '_', 0};
	char good[64], bad[64], text[200];
	crc_token(good, prefix, 42);
	strcpy(bad, good);
	bad[10] = bad[10] == 'a' ? 'b' : 'a';
	snprintf(text, sizeof(text), "t1 = %s\nt2 = %s\n", good, bad);
	sg_findings f;
	scan_text(set, NULL, text, strlen(text), NULL, &f);
	assert_int_equal(f.count, 1);
	assert_string_equal(f.items[0].secret, good);
	assert_string_equal(f.items[0].validated, "checksum");
	sg_findings_free(&f);

	sg_scan_options o = SG_SCAN_OPTIONS_INIT;
	o.include_unverified = 1;
	scan_text(set, &o, text, strlen(text), NULL, &f);
	assert_int_equal(f.count, 2);
	assert_int_equal(f.items[1].unverified, 1);
	assert_null(f.items[1].validated);
	sg_findings_free(&f);
	sg_ruleset_free(set);
}

static void test_findings_cap_per_chunk(void **state)
{
	(void)state;
	size_t n = 3000;
	char *buf = malloc(n * 22 + 1);
	assert_non_null(buf);
	for (size_t i = 0; i < n; i++) {
		test_aws_key(buf + i * 22, (uint32_t)i + 100);
		buf[i * 22 + 20] = ' ';
		buf[i * 22 + 21] = '\n';
	}
	sg_scan_options o = SG_SCAN_OPTIONS_INIT;
	o.max_findings_per_chunk = 100;
	sg_findings f;
	scan_text(rs, &o, buf, n * 22, NULL, &f);
	assert_int_equal(f.count, 100);
	assert_true(f.dropped > 0);
	sg_findings_free(&f);
	free(buf);
}

static void test_allow_pattern_does_not_loop(void **state)
{
	(void)state;
	/* an allow pattern that matches must not move the search back */
	const char *yaml = "rules:\n"
	                   "  - id: url-cred\n"
	                   "    keywords: ['://']\n"
	                   "    pattern: '://[a-z]+:(?<secret>[^@\\s]+)@'\n"
	                   "    allow: ['^\\$\\{']\n";
	sg_ruleset *set = test_ruleset(yaml);
	char pw[13], text[128];
	uint32_t seed = 77;
	test_random_string(pw, 12, "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789",
	                   &seed);
	snprintf(text, sizeof(text),
	         "a postgres://user:${DB_PASSWORD}@host\nb postgres://user:%s@host\n", pw);
	sg_findings f;
	scan_text(set, NULL, text, strlen(text), NULL, &f);
	assert_int_equal(f.count, 1);
	assert_int_equal(f.items[0].line, 2);
	sg_findings_free(&f);
	sg_ruleset_free(set);
}

static void test_path_only_rule(void **state)
{
	(void)state;
	const char *yaml = "rules:\n"
	                   "  - id: master-key\n"
	                   "    paths: ['config/master.key']\n"
	                   "    pattern: '\\A(?<secret>[0-9a-f]{32})\\s*\\z'\n";
	sg_ruleset *set = test_ruleset(yaml);
	char hex[40];
	uint32_t seed = 5;
	test_random_string(hex, 32, "0123456789abcdef", &seed);
	hex[32] = '\n';
	sg_scanner *s;
	assert_int_equal(sg_scanner_new(&s, set, NULL), 0);
	const char *paths[] = {"config/master.key", "config/other.key"};
	for (int i = 0; i < 2; i++) {
		sg_findings f;
		sg_findings_init(&f, 0);
		sg_origin o = {.path = paths[i]};
		assert_int_equal(sg_scanner_scan(s, hex, 33, &o, NULL, &f), 0);
		assert_int_equal(f.count, i == 0 ? 1 : 0);
		sg_findings_free(&f);
	}
	sg_scanner_free(s);
	sg_ruleset_free(set);
	/* a path rule searches the whole head of its file, not only near a
	 * keyword: a match 2 KB in is found */
	set = test_ruleset("rules:\n"
	                   "  - id: deploy-token\n"
	                   "    paths: ['deploy/*.conf']\n"
	                   "    pattern: 'token=(?<secret>[0-9a-f]{32})'\n");
	static char conf[4096];
	size_t n = 0;
	for (int i = 0; i < 100; i++)
		n += (size_t)snprintf(conf + n, sizeof(conf) - n, "option%02d=on\n", i);
	hex[32] = '\0';
	n += (size_t)snprintf(conf + n, sizeof(conf) - n, "token=%s\n", hex);
	assert_true(n > 1000);
	assert_int_equal(sg_scanner_new(&s, set, NULL), 0);
	sg_findings f;
	sg_findings_init(&f, 0);
	sg_origin o = {.path = "deploy/app.conf"};
	assert_int_equal(sg_scanner_scan(s, conf, n, &o, NULL, &f), 0);
	assert_int_equal(f.count, 1);
	assert_string_equal(f.items[0].secret, hex);
	sg_findings_free(&f);
	sg_scanner_free(s);
	sg_ruleset_free(set);
}

static void test_rule_matches_examples(void **state)
{
	(void)state;
	const sg_rule *r = sg_ruleset_find(rs, "test-aws");
	assert_non_null(r);
	char key[21];
	test_aws_key(key, 9);
	assert_int_equal(sg_rule_matches(r, key, 20), 1);
	assert_int_equal(sg_rule_matches(r, "AKIAIOSFODNN7EXAMPLE", 20), 0);
	assert_int_equal(sg_rule_matches(r, "nothing here", 12), 0);
}

/* A baseline or ignore file line is a fingerprint, not a secret, even when the
 * rule id holds a keyword of a generic rule ("token"); the same hex assigned
 * in code is still reported. */
static void test_fingerprint_lines_are_not_secrets(void **state)
{
	(void)state;
	sg_ruleset *set;
	assert_int_equal(sg_ruleset_new_default(&set), 0);
	assert_int_equal(sg_ruleset_finalize(set), 0);
	/* assembled at run time, so this file is no such list itself */
	const char *hash = "468c4853bb072227ef93", *rule = "pol-tok";
	char list[200], code[100];
	snprintf(list, sizeof(list), "# secretgate baseline\n%sen:%s\napi-tok%s:%s src/app.py\n",
	         rule, hash, "en", hash);
	sg_findings f;
	scan_text(set, NULL, list, strlen(list), NULL, &f);
	assert_int_equal(f.count, 0);
	sg_findings_free(&f);
	snprintf(code, sizeof(code), "api_tok%s = \"%s\"\n", "en", hash);
	scan_text(set, NULL, code, strlen(code), NULL, &f);
	assert_int_equal(f.count, 1);
	sg_findings_free(&f);
	sg_ruleset_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_position_and_fields),
	        cmocka_unit_test(test_fingerprint_survives_moves),
	        cmocka_unit_test(test_placeholders_and_entropy),
	        cmocka_unit_test(test_inline_markers),
	        cmocka_unit_test(test_overlap_keeps_specific_rule),
	        cmocka_unit_test(test_line_ranges),
	        cmocka_unit_test(test_long_minified_line),
	        cmocka_unit_test(test_search_starts_near_keywords),
	        cmocka_unit_test(test_start_pairs_find_every_match),
	        cmocka_unit_test(test_needed_byte_bounds_tries),
	        cmocka_unit_test(test_regex_limit_is_contained),
	        cmocka_unit_test(test_regex_limit_gives_up_one_window),
	        cmocka_unit_test(test_paths_and_not_paths),
	        cmocka_unit_test(test_checksum_gate),
	        cmocka_unit_test(test_findings_cap_per_chunk),
	        cmocka_unit_test(test_allow_pattern_does_not_loop),
	        cmocka_unit_test(test_path_only_rule),
	        cmocka_unit_test(test_rule_matches_examples),
	        cmocka_unit_test(test_fingerprint_lines_are_not_secrets),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
