/* Credential-store readers: the span each format's credential is found at,
 * and the values that are not credentials (placeholders, references, code). */
#include "helpers.h"
#include "lib/engine/credfile.h"

typedef struct got {
	char items[8][128];
	int what[8];
	size_t n;
	const char *text;
} got;

static int collect(void *ctx, sg_cred_what what, size_t s, size_t e, const char *rejected)
{
	got *g = ctx;
	if (rejected)
		return 0;
	if (g->n < 8) {
		snprintf(g->items[g->n], 128, "%.*s", (int)(e - s), g->text + s);
		g->what[g->n++] = (int)what;
	}
	return 0;
}

static got read_as(int type, const char *text, int only_passwords)
{
	got g = {.text = text};
	assert_int_equal(sg_credfile_read(type, text, strlen(text), only_passwords, 0, collect, &g),
	                 0);
	return g;
}

static void test_formats(void **state)
{
	(void)state;
	got g = read_as(SG_STORE_GIT, "https://user:pw@github.com\nhttps://github.com\n", 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.items[0], "pw");
	g = read_as(SG_STORE_NETRC, "machine a.io login bob password pass123\n", 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.items[0], "pass123");
	g = read_as(SG_STORE_PGPASS, "localhost:5432:db:root:password\n#c:1:2:3:4\n", 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.items[0], "password");
	g = read_as(SG_STORE_XML,
	            "<Server><Pass encoding=\"base64\">cGFzczEyMw==</Pass></Server>\n", 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.items[0], "cGFzczEyMw==");
	g = read_as(SG_STORE_XML, "<property name=\"password\" value=\"s3cr3tpw\"/>\n", 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.items[0], "s3cr3tpw");
	g = read_as(SG_STORE_SHADOW,
	            "root:$6$ab$cdefghijklmnop:19000:0:::\nbin:*:19000::\nx:!:1::\n", 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.what[0], SG_CRED_HASH);
	g = read_as(
	        SG_STORE_SQL,
	        "INSERT INTO users (id, password) VALUES\n(1, '$2y$10$abcdefghijklmnopqrstuv'),\n"
	        "(2, 'notahash');\nSELECT '$2y$10$abcdefghijklmnopqrstuv';\n",
	        0);
	assert_int_equal(g.n, 1);
	g = read_as(SG_STORE_PHP, "<?php\n$dbpasswd = 'pass123';\n$dbhost = 'localhost';\n", 1);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.items[0], "pass123");
	g = read_as(SG_STORE_JSON, "{\"password\": \"hunter22\", \"passwordHint\": \"x\"}\n", 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.items[0], "hunter22");
	g = read_as(SG_STORE_KEYSTORE, "\xfe\xed\xfe\xed\x00\x00", 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.what[0], SG_CRED_FILE);
}

static void test_not_credentials(void **state)
{
	(void)state;
	static const char *const lines[] = {
	        "DB_PASSWORD=\n",
	        "DB_PASSWORD=${DB_PASSWORD}\n",
	        "MAIL_PASSWORD=null\n",
	        "password: <password>\n",
	        "password: !vault |\n",
	        "password: process.env.DB_PASSWORD\n",
	        "let password = options.credentials?.password;\n",
	        "def login(username: str, password: str = None):\n",
	        "_auth = 'mysql_native_password'\n",
	        "\"pbkdf2-password\": \"1.2.1\",\n",
	        "\"password\": {\"type\": \"string\"}\n",
	        "\"forgot_password\": \"Forgot your password?\"\n",
	        "# password = hunter22\n",
	        "token = 'pk.eyJ1IjoiYWJjIn0.abcdefghijklmnop'\n",
	        "\"PasswordLastUsed\": \"2016-09-08T21:47:36Z\"\n",
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		got g = read_as(SG_STORE_DOTENV, lines[i], 0);
		if (g.n)
			fail_msg("%s-> %s", lines[i], g.items[0]);
	}
	assert_true(sg_value_is_reference("${X}", 4));
	assert_false(sg_value_is_reference("$6$salt$hash", 12));
	assert_true(sg_value_is_placeholder("changeme", 8));
	assert_false(sg_value_is_placeholder("hunter22", 8));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_formats),
	        cmocka_unit_test(test_not_credentials),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
