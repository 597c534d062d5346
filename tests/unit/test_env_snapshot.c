/* Tests for environment locks: HMAC-SHA256 vectors, capture, the text form
 * and its reader, drift. */
#include "helpers.h"
#include "secretgate/env_snapshot.h"

static void hexof(char *out, const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

/* RFC 4231 test cases 1, 2 and 6 (a key longer than the block). */
static void test_hmac_vectors(void **state)
{
	unsigned char mac[32], key[131];
	char hex[65];
	memset(key, 0x0b, 20);
	sg_hmac_sha256(mac, key, 20, "Hi There", 8);
	hexof(hex, mac, 32);
	assert_string_equal(hex,
	                    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	sg_hmac_sha256(mac, "Jefe", 4, "what do ya want for nothing?", 28);
	hexof(hex, mac, 32);
	assert_string_equal(hex,
	                    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	memset(key, 0xaa, sizeof(key));
	const char *d = "Test Using Larger Than Block-Size Key - Hash Key First";
	sg_hmac_sha256(mac, key, sizeof(key), d, strlen(d));
	hexof(hex, mac, 32);
	assert_string_equal(hex,
	                    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

static sg_manifest *manifest(void)
{
	static const char yml[] = "environments:\n  production: { production: true }\n"
	                          "vars:\n  A: {}\n  S: { secret: true }\n  U: {}\n";
	sg_manifest *m;
	assert_int_equal(sg_manifest_parse(&m, "env.yml", yml, sizeof(yml) - 1), 0);
	return m;
}

static void test_capture_format_parse_compare(void **state)
{
	sg_manifest *m = manifest();
	char *env1[] = {"A=line1\n\"two\"", "S=hunter2-but-longer", NULL};
	char *env2[] = {"A=changed", "S=hunter3-but-longer", "U=new", NULL};
	sg_envcheck_options o = SG_ENVCHECK_OPTIONS_INIT;
	o.environment = "production";
	o.environ = env1;
	unsigned char salt[SG_LOCK_SALT_SIZE] = {1, 2, 3};
	sg_env_lock *l, *back, *now;
	assert_int_equal(sg_env_lock_capture(&l, m, &o, NULL, 0, salt), SG_EINVALID);
	assert_int_equal(sg_env_lock_capture(&l, m, &o, (const unsigned char *)"k", 1, salt), 0);
	char *text;
	size_t len;
	assert_int_equal(sg_env_lock_format(&text, &len, l), 0);
	assert_null(strstr(text, "hunter2"));
	assert_non_null(strstr(text, "set A \"line1\\n\\\"two\\\"\"\n"));
	assert_non_null(strstr(text, "salt 01020300000000000000000000000000\n"));
	assert_non_null(strstr(text, "unset U\n"));
	assert_int_equal(sg_env_lock_parse(&back, "p.lock", text, len), 0);
	assert_int_equal(back->count, 3);
	assert_string_equal(back->items[0].value, "line1\n\"two\"");
	assert_string_equal(back->items[1].digest, l->items[1].digest);
	assert_string_equal(back->key_id, l->key_id);
	/* the same state compares clean; a change shows, the secret's value never */
	sg_findings f;
	sg_findings_init(&f, 0);
	assert_int_equal(sg_env_lock_compare(&f, back, l, "p.lock", 1), 0);
	assert_int_equal(f.count, 0);
	o.environ = env2;
	assert_int_equal(
	        sg_env_lock_capture(&now, m, &o, (const unsigned char *)"k", 1, back->salt), 0);
	assert_int_equal(sg_env_lock_compare(&f, back, now, "p.lock", 1), 0);
	assert_int_equal(f.count, 3);
	for (size_t i = 0; i < f.count; i++) {
		assert_string_equal(f.items[i].rule_id, "env-drift");
		assert_null(strstr(f.items[i].message, "hunter"));
	}
	assert_non_null(strstr(f.items[2].message, "U was added"));
	sg_findings_free(&f);
	free(text);
	sg_env_lock_free(now);
	sg_env_lock_free(back);
	sg_env_lock_free(l);
	sg_manifest_free(m);
}

static void test_parse_errors(void **state)
{
	static const struct {
		const char *text, *error;
	} bad[] = {
	        {"", "x.lock:0: not a secretgate lock file (empty)"},
	        {"hello\n", "x.lock:1: not a secretgate lock file"},
	        {"secretgate-env-lock 2\n", "x.lock:1: unsupported lock version (expected 1)"},
	        {"secretgate-env-lock 1\nenvironment p\n", "x.lock:2: no salt line"},
	        {"secretgate-env-lock 1\nsalt 00\n", "x.lock:2: salt must be 32 hex digits"},
	        {"secretgate-env-lock 1\nset A unquoted\n",
	         "x.lock:2: set needs a name and a quoted value"},
	        {"secretgate-env-lock 1\nunset A\nunset A\n", "x.lock:3: variable listed twice"},
	        {"secretgate-env-lock 1\nsecret A md5:00\n",
	         "x.lock:2: secret needs hmac-sha256:<64 hex>"},
	        {"secretgate-env-lock 1\nfrobnicate\n", "x.lock:2: unknown line"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sg_env_lock *l = NULL;
		assert_int_equal(sg_env_lock_parse(&l, "x.lock", bad[i].text, strlen(bad[i].text)),
		                 SG_EINVALID);
		assert_null(l);
		assert_string_equal(sg_error_last(), bad[i].error);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_hmac_vectors),
	        cmocka_unit_test(test_capture_format_parse_compare),
	        cmocka_unit_test(test_parse_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
