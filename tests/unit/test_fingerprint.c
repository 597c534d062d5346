/* Fingerprints: stable (a known answer, the same for every call and any
 * position), and for weak secrets not confirmable with a cheap hash. */
#include "helpers.h"
#include "util/sha256.h"

static void hex20(char *out, const unsigned char *d)
{
	for (int i = 0; i < 10; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void cheap_hash(char out[21], const char *a, const char *b, const char *c)
{
	sg_sha256 h;
	unsigned char d[32];
	sg_sha256_init(&h);
	sg_sha256_update(&h, a, strlen(a));
	sg_sha256_update(&h, b, strlen(b));
	sg_sha256_update(&h, c, strlen(c));
	sg_sha256_final(&h, d);
	hex20(out, d);
}

static void pbkdf2_hex(char hex[129], const char *pass, const char *salt, uint32_t iterations)
{
	unsigned char d[64];
	sg_pbkdf2_sha256(d, 64, pass, strlen(pass), salt, strlen(salt), iterations);
	for (int i = 0; i < 64; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

static void test_pbkdf2_vectors(void **state)
{
	(void)state;
	/* both compressions (the CPU's SHA instructions only where it has them) */
	for (int hw = 0; hw < 2; hw++) {
		if (sg_sha256_use_hw(hw) != hw)
			continue;
		/* RFC 7914, section 11 */
		char hex[129];
		pbkdf2_hex(hex, "passwd", "salt", 1);
		assert_string_equal(
		        hex, "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
		             "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
		pbkdf2_hex(hex, "Password", "NaCl", 80000);
		assert_string_equal(
		        hex, "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
		             "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d");
	}
	sg_sha256_use_hw(1);
}

static void test_weak_secret_not_cheap(void **state)
{
	(void)state;
	const char *rule = "generic-password", *weak = "Summer2024!";
	char fp[64], guess[21];
	assert_true(sg_fingerprint_is_weak(weak, strlen(weak)));
	sg_fingerprint(fp, rule, weak, strlen(weak));
	const char *hex = strchr(fp, ':') + 1;
	assert_int_equal(strlen(hex), 20);
	/* none of the one-hash constructions a guesser would try confirms it */
	const char *tries[][3] = {
	        {"secretgate\n", rule, weak},
	        {rule, "", weak},
	        {rule, "\n", weak},
	        {rule, ":", weak},
	        {"", "", weak},
	        {weak, "", rule},
	        {"secretgate\n", "", weak},
	};
	for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
		if (i == 0) {
			sg_sha256 h;
			unsigned char d[32];
			sg_sha256_init(&h);
			sg_sha256_update(&h, "secretgate\n", 11);
			sg_sha256_update(&h, rule, strlen(rule));
			sg_sha256_update(&h, "\n", 1);
			sg_sha256_update(&h, weak, strlen(weak));
			sg_sha256_final(&h, d);
			hex20(guess, d);
		} else {
			cheap_hash(guess, tries[i][0], tries[i][1], tries[i][2]);
		}
		assert_string_not_equal(hex, guess);
	}
	/* the old one-hash fingerprint is kept only for matching old lists */
	char old[64];
	sg_fingerprint_legacy(old, rule, weak, strlen(weak));
	assert_string_not_equal(fp, old);
	/* it is PBKDF2-HMAC-SHA256 over SG_FINGERPRINT_ITERATIONS rounds, so every
	 * guess costs that many HMACs; a known answer pins it across machines */
	assert_true(SG_FINGERPRINT_ITERATIONS >= 10000);
	unsigned char d[10];
	const char salt[] = "secretgate-fp-2\ngeneric-password";
	sg_pbkdf2_sha256(d, 10, weak, strlen(weak), salt, strlen(salt), SG_FINGERPRINT_ITERATIONS);
	hex20(guess, d);
	assert_string_equal(hex, guess);
	assert_string_equal(fp, "generic-pass"
	                        "word:ff28d1b6649c826619d3");
}

static void test_stable(void **state)
{
	(void)state;
	char a[64], b[64], c[64];
	/* the same secret gives the same fingerprint wherever it sits in a file */
	const char *text1 = "x = 1\npassword = \"Summer2024!\"\n";
	const char *text2 = "\n\n\n# moved\n  password = \"Summer2024!\" # later\n";
	sg_fingerprint(a, "r", strstr(text1, "Summer"), 11);
	sg_fingerprint(b, "r", strstr(text2, "Summer"), 11);
	assert_string_equal(a, b);
	sg_fingerprint(c, "s", "Summer2024!", 11);
	assert_string_not_equal(a, c);
	/* a strong secret keeps the fingerprint it always had, so old
	 * baselines of provider tokens and keys still match */
	const char *strong = "Zq3vN8rT2xW5yB7kL9mP4sD6fH1jC0aE3gU8Lm2Q";
	assert_false(sg_fingerprint_is_weak(strong, strlen(strong)));
	sg_fingerprint(a, "r", strong, strlen(strong));
	sg_fingerprint_legacy(b, "r", strong, strlen(strong));
	assert_string_equal(a, b);
	assert_string_equal(a, "r:6f11aaaed4db0ef8ba95");
	/* a name (env findings) is not a secret: one hash */
	sg_fingerprint_name(a, "env-missing", "DATABASE_URL", 12);
	sg_fingerprint_legacy(b, "env-missing", "DATABASE_URL", 12);
	assert_string_equal(a, b);
}

/* A scan that defers weak fingerprints leaves them empty until they are
 * filled, and fills them with exactly what an eager scan computes; a strong
 * secret's fingerprint is never deferred. */
static void test_deferred_fill(void **state)
{
	(void)state;
	sg_ruleset *set = test_ruleset("rules:\n"
	                               "  - id: test-pw\n"
	                               "    description: test password\n"
	                               "    keywords: [pw]\n"
	                               "    pattern: 'pw=(?<secret>\\S+)'\n");
	const char *text = "pw=Summer2024!\npw=Zq3vN8rT2xW5yB7kL9mP4sD6fH1jC0aE3gU8Lm2Q\n";
	sg_origin origin = {.path = "app.conf"};
	sg_findings eager, lazy;
	sg_scan_options o = SG_SCAN_OPTIONS_INIT;
	for (int defer = 0; defer < 2; defer++) {
		sg_scanner *sc;
		o.defer_weak_fingerprints = defer;
		assert_int_equal(sg_scanner_new(&sc, set, &o), 0);
		sg_findings *out = defer ? &lazy : &eager;
		sg_findings_init(out, 0);
		assert_int_equal(sg_scanner_scan(sc, text, strlen(text), &origin, NULL, out), 0);
		sg_scanner_free(sc);
		assert_int_equal(out->count, 2);
	}
	assert_string_equal(lazy.items[0].fingerprint, "");
	assert_true(lazy.items[0].fingerprint_pending);
	assert_string_equal(lazy.items[1].fingerprint, eager.items[1].fingerprint);
	/* grouping keys are there before any fill, and never the printed value */
	assert_string_equal(sg_finding_identity(&lazy.items[0]),
	                    sg_finding_identity(&eager.items[0]));
	assert_string_not_equal(sg_finding_identity(&eager.items[0]), eager.items[0].fingerprint);
	sg_findings_fingerprint_fill(&lazy);
	assert_false(lazy.items[0].fingerprint_pending);
	assert_string_equal(lazy.items[0].fingerprint, eager.items[0].fingerprint);
	sg_findings_free(&eager);
	sg_findings_free(&lazy);
	sg_ruleset_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_pbkdf2_vectors),
	        cmocka_unit_test(test_weak_secret_not_cheap),
	        cmocka_unit_test(test_stable),
	        cmocka_unit_test(test_deferred_fill),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
