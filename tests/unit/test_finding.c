/* Findings lists: copies, caps, order, redaction and fingerprints. */
#include "helpers.h"
#include "util/sha256.h"

static void test_push_copy_cap_sort(void **state)
{
	(void)state;
	sg_findings f;
	sg_findings_init(&f, 3);
	char path[16], secret[] = "s3cr3t-value-123";
	const char *paths[] = {"b.txt", "a.txt", "a.txt", "c.txt"};
	const uint32_t lines[] = {1, 9, 2, 1};
	for (int i = 0; i < 4; i++) {
		sg_finding x = {0};
		snprintf(path, sizeof(path), "%s", paths[i]);
		x.rule_id = "r";
		x.path = path;
		x.line = lines[i];
		x.secret = secret;
		x.secret_len = strlen(secret);
		assert_int_equal(sg_findings_push(&f, &x), 0);
	}
	assert_int_equal(f.count, 3);
	assert_int_equal(f.dropped, 1);
	memset(path, 0, sizeof(path));
	sg_findings_sort(&f);
	assert_string_equal(f.items[0].path, "a.txt");
	assert_int_equal(f.items[0].line, 2);
	assert_int_equal(f.items[1].line, 9);
	assert_string_equal(f.items[2].path, "b.txt");
	assert_string_equal(f.items[2].secret, secret);

	sg_findings g;
	sg_findings_init(&g, 0);
	assert_int_equal(sg_findings_take(&g, &f), 0);
	assert_int_equal(g.count, 3);
	assert_int_equal(f.count, 0);
	sg_findings_free(&g);
	sg_findings_free(&f);
}

static void test_redact(void **state)
{
	(void)state;
	char out[64];
	/* generic secrets: at most one character, never more than an eighth */
	sg_redact(out, sizeof(out), "abcdefghijklmnopqrstuvwxyz", 26);
	assert_string_equal(out, "a*****");
	sg_redact(out, sizeof(out), "Summer2024!xyzab", 16);
	assert_string_equal(out, "S*****");
	sg_redact(out, sizeof(out), "hunter2pwd", 10);
	assert_string_equal(out, "h*****");
	sg_redact(out, sizeof(out), "hunter2", 7);
	assert_string_equal(out, "*****");
	sg_redact(out, sizeof(out), "short", 5);
	assert_string_equal(out, "*****");
	for (size_t len = 0; len < 40; len++)
		assert_true(sg_redact_keep("abcdefghijklmnopqrstuvwxyzabcdefghijklmnop", len) * 8 <=
		            len);
	sg_redact(out, sizeof(out), "\x1b[31mabcdefghijklmnop", 21);
	assert_null(strchr(out, '\x1b'));
	/* provider tokens: the public prefix, nothing of the random part */
	char tok[64];
	snprintf(tok, sizeof(tok), "%s%s",
	         "gh"
	         "p_",
	         "Zq3vN8rT2xW5yB7kL9mP4sD6fH1jC0aE3gU8");
	sg_redact(out, sizeof(out), tok, strlen(tok));
	assert_string_equal(out, "ghp_*****");
	snprintf(tok, sizeof(tok), "%s%s",
	         "sk_"
	         "live_",
	         "Zq3vN8rT2xW5yB7kL9mP4sD6");
	sg_redact(out, sizeof(out), tok, strlen(tok));
	assert_string_equal(out, "sk_live_*****");
	snprintf(tok, sizeof(tok), "%s%s",
	         "AK"
	         "IA",
	         "QWERTYUIOPASD2FZ");
	sg_redact(out, sizeof(out), tok, strlen(tok));
	assert_string_equal(out, "AKIA*****");
	snprintf(tok, sizeof(tok), "%s%s",
	         "xo"
	         "xb-",
	         "259245108708-0451535008451-Iulk");
	sg_redact(out, sizeof(out), tok, strlen(tok));
	assert_string_equal(out, "xoxb-*****");
	/* a prefix with almost nothing after it is not shown whole */
	sg_redact(out, sizeof(out), "ghp_abc", 7);
	assert_string_equal(out, "*****");
}

static void test_fingerprint(void **state)
{
	(void)state;
	char a[64], b[64], c[64];
	sg_fingerprint(a, "rule-x", "value1", 6);
	sg_fingerprint(b, "rule-x", "value1", 6);
	sg_fingerprint(c, "rule-y", "value1", 6);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	assert_true(strncmp(a, "rule-x:", 7) == 0);
	assert_int_equal(strlen(a), 7 + 20);
	assert_null(strstr(a, "value1"));
}

static void sha256_hex(char hex[65], const char *in, size_t len, size_t piece)
{
	sg_sha256 c;
	unsigned char d[32];
	sg_sha256_init(&c);
	for (size_t i = 0; i < len; i += piece)
		sg_sha256_update(&c, in + i, len - i < piece ? len - i : piece);
	sg_sha256_final(&c, d);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

static void test_sha256_vectors(void **state)
{
	(void)state;
	/* FIPS 180-4 test vectors */
	const char *in[] = {"", "abc", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"};
	const char *want[] = {"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	                      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	                      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"};
	/* the portable compression, then the CPU's SHA instructions if it has them */
	for (int hw = 0; hw < 2; hw++) {
		if (sg_sha256_use_hw(hw) != hw)
			continue;
		for (int k = 0; k < 3; k++) {
			char hex[65];
			/* fed whole and in odd pieces, to exercise buffering */
			sha256_hex(hex, in[k], strlen(in[k]), 1);
			assert_string_equal(hex, want[k]);
			sha256_hex(hex, in[k], strlen(in[k]), 7);
			assert_string_equal(hex, want[k]);
		}
		/* a million 'a's: 15,625 blocks through the whole-block path */
		char *m = malloc(1000000);
		assert_non_null(m);
		memset(m, 'a', 1000000);
		char hex[65];
		sha256_hex(hex, m, 1000000, 1000000);
		assert_string_equal(
		        hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
		free(m);
	}
	/* both compressions agree on every length and split around a block */
	if (sg_sha256_use_hw(1)) {
		char buf[300];
		for (size_t i = 0; i < sizeof(buf); i++)
			buf[i] = (char)(i * 131 + 7);
		for (size_t len = 0; len <= sizeof(buf); len++) {
			char a[65], b[65];
			sha256_hex(a, buf, len, 61);
			sg_sha256_use_hw(0);
			sha256_hex(b, buf, len, 61);
			sg_sha256_use_hw(1);
			assert_string_equal(a, b);
		}
	}
	sg_sha256_use_hw(1);
}

static void test_names(void **state)
{
	(void)state;
	sg_severity s;
	assert_int_equal(sg_severity_parse(&s, "HIGH"), 0);
	assert_int_equal(s, SG_SEV_HIGH);
	assert_int_equal(sg_severity_parse(&s, "urgent"), SG_EINVALID);
	assert_string_equal(sg_severity_name(SG_SEV_CRITICAL), "critical");
	sg_confidence c;
	assert_int_equal(sg_confidence_parse(&c, "low"), 0);
	assert_int_equal(c, SG_CONF_LOW);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_push_copy_cap_sort),
	        cmocka_unit_test(test_redact),
	        cmocka_unit_test(test_fingerprint),
	        cmocka_unit_test(test_sha256_vectors),
	        cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
