/* Tests for the dotenv parser: quoting, escapes, expansion, layout quirks,
 * duplicates, syntax errors and caps. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "secretgate/dotenv.h"

static sg_dotenv env;

static int setup(void **state)
{
	sg_dotenv_init(&env);
	return 0;
}

static int teardown(void **state)
{
	sg_dotenv_free(&env);
	return 0;
}

static int parse(const char *text)
{
	return sg_dotenv_parse(&env, "t.env", text, strlen(text), NULL);
}

static const char *val(const char *key)
{
	const sg_dotenv_entry *e = sg_dotenv_get(&env, key);
	return e ? e->value : NULL;
}

static void test_basic(void **state)
{
	assert_int_equal(parse("# comment\n\nA=1\nB = two words  \n  C=\nexport D=4\n"), 0);
	assert_int_equal(env.count, 4);
	assert_string_equal(val("A"), "1");
	assert_string_equal(val("B"), "two words");
	assert_string_equal(val("C"), "");
	assert_string_equal(val("D"), "4");
	assert_int_equal(sg_dotenv_get(&env, "D")->line, 6);
	assert_string_equal(sg_dotenv_get(&env, "D")->path, "t.env");
	/* "export" alone is a key like any other. */
	assert_int_equal(parse("export=x\n"), 0);
	assert_string_equal(val("export"), "x");
}

static void test_inline_comments(void **state)
{
	assert_int_equal(parse("A=abc # note\nB=abc#not-a-comment\nC=#x\nD='q # kept' # gone\n"),
	                 0);
	assert_string_equal(val("A"), "abc");
	assert_string_equal(val("B"), "abc#not-a-comment");
	assert_string_equal(val("C"), "#x");
	assert_string_equal(val("D"), "q # kept");
}

static void test_quotes(void **state)
{
	assert_int_equal(parse("S='a \\n $HOME ${X}'\nD=\"a\\tb\\n\\\"q\\\" \\\\ \\$X \\q\"\n"
	                       "B=`it's \"fine\"`\n"),
	                 0);
	assert_string_equal(val("S"), "a \\n $HOME ${X}");
	assert_string_equal(val("D"), "a\tb\n\"q\" \\ $X \\q");
	assert_string_equal(val("B"), "it's \"fine\"");
	assert_int_equal(sg_dotenv_get(&env, "S")->quote, '\'');
	assert_int_equal(sg_dotenv_get(&env, "D")->quote, '"');
}

static void test_multiline(void **state)
{
	assert_int_equal(
	        parse("KEY=\"-----BEGIN KEY-----\r\nabc\r\n-----END KEY-----\"\r\nN=1\r\n"), 0);
	assert_string_equal(val("KEY"), "-----BEGIN KEY-----\nabc\n-----END KEY-----");
	assert_string_equal(val("N"), "1");
	assert_int_equal(sg_dotenv_get(&env, "N")->line, 4);
	assert_int_equal(sg_dotenv_get(&env, "KEY")->line, 1);
}

static void test_crlf_and_bom(void **state)
{
	assert_int_equal(parse("\xEF\xBB\xBF"
	                       "A=1\r\nB=two \r\n"),
	                 0);
	assert_string_equal(val("A"), "1");
	assert_string_equal(val("B"), "two");
}

static const char *fake_lookup(void *ctx, const char *name)
{
	return strcmp(name, "FROM_PROCESS") == 0 ? "proc" : NULL;
}

static void test_expansion(void **state)
{
	sg_dotenv_options o = SG_DOTENV_OPTIONS_INIT;
	o.lookup = fake_lookup;
	const char *t = "HOST=db\nURL=postgres://${HOST}:${PORT:-5432}/x\nP=${FROM_PROCESS}\n"
	                "U=[${NOPE}]\nE=\nD1=${E:-dflt}\nD2=${E-dflt}\nN=${NOPE:-${HOST}}\n"
	                "Q='${HOST}'\nR=\"\\${HOST}\"\nH=$HOST\n";
	assert_int_equal(sg_dotenv_parse(&env, "t.env", t, strlen(t), &o), 0);
	assert_string_equal(val("URL"), "postgres://db:5432/x");
	assert_string_equal(val("P"), "proc");
	assert_string_equal(val("U"), "[]");
	assert_string_equal(val("D1"), "dflt");
	assert_string_equal(val("D2"), "");
	assert_string_equal(val("N"), "db");
	assert_string_equal(val("Q"), "${HOST}");
	assert_string_equal(val("R"), "${HOST}");
	/* Only the braced form expands. */
	assert_string_equal(val("H"), "$HOST");

	sg_dotenv_free(&env);
	o.expand = 0;
	assert_int_equal(sg_dotenv_parse(&env, "t.env", "A=${B}\n", 7, &o), 0);
	assert_string_equal(val("A"), "${B}");
}

static void test_duplicates_and_layers(void **state)
{
	assert_int_equal(parse("A=1\nB=x\nA=2\n"), 0);
	assert_string_equal(val("A"), "2");
	assert_int_equal(env.nduplicates, 1);
	assert_string_equal(env.duplicates[0].key, "A");
	assert_int_equal(env.duplicates[0].line, 3);
	assert_int_equal(env.duplicates[0].first_line, 1);
	/* A second file layered on top wins too. */
	assert_int_equal(sg_dotenv_parse(&env, "local.env", "B=y\n", 4, NULL), 0);
	assert_string_equal(val("B"), "y");
	assert_string_equal(sg_dotenv_get(&env, "B")->path, "local.env");
	assert_int_equal(env.count, 2);
	/* Layering is not duplication. */
	assert_int_equal(env.nduplicates, 1);
}

static void test_syntax_errors(void **state)
{
	assert_int_equal(parse("A=1\nB\n"), SG_EINVALID);
	assert_string_equal(sg_error_last(),
	                    "t.env:2: a line without '=' (want KEY=value; the line "
	                    "is not shown, it may be a secret)");
	/* Entries before the bad line are kept. */
	assert_string_equal(val("A"), "1");
	assert_int_equal(parse("\n\nK=\"open\nmore\n"), SG_EINVALID);
	assert_string_equal(sg_error_last(), "t.env:3: unterminated \"-quoted value");
	assert_int_equal(parse("K='a' b\n"), SG_EINVALID);
	assert_non_null(strstr(sg_error_last(), "t.env:1: unexpected text after closing quote"));
	assert_int_equal(parse("1A=x\n"), SG_EINVALID);
	assert_int_equal(parse("A-B=x\n"), SG_EINVALID);
	assert_int_equal(parse("A=${B\n"), SG_EINVALID);
	assert_int_equal(parse("A=${B:?x}\n"), SG_EINVALID);
	assert_int_equal(sg_dotenv_parse(&env, "bin", "A=\0", 3, NULL), SG_EINVALID);
}

static void test_caps(void **state)
{
	sg_dotenv_options o = SG_DOTENV_OPTIONS_INIT;
	o.max_value = 4;
	assert_int_equal(sg_dotenv_parse(&env, "t.env", "A=12345\n", 8, &o), SG_ETOOBIG);
	assert_non_null(strstr(sg_error_last(), "value of A over 4 bytes"));
	o.max_value = 0;
	o.max_entries = 2;
	assert_int_equal(sg_dotenv_parse(&env, "t.env", "X=1\nY=2\nZ=3\n", 12, &o), SG_ETOOBIG);
	o.max_entries = 0;
	o.max_file_size = 3;
	assert_int_equal(sg_dotenv_parse(&env, "t.env", "X=1\n", 4, &o), SG_ETOOBIG);
	/* Expansion is capped as well. */
	sg_dotenv_free(&env);
	o.max_file_size = 0;
	o.max_value = 8;
	assert_int_equal(sg_dotenv_parse(&env, "t.env", "A=12345\nB=${A}${A}\n", 19, &o),
	                 SG_ETOOBIG);
}

static void test_load(void **state)
{
	char path[] = "/tmp/sg-dotenv-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "A=file\n", 7), 7);
	close(fd);
	assert_int_equal(sg_dotenv_load(&env, path, NULL), 0);
	assert_string_equal(val("A"), "file");
	unlink(path);
	assert_int_equal(sg_dotenv_load(&env, path, NULL), SG_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_basic, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_inline_comments, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_quotes, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_multiline, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_crlf_and_bom, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_expansion, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_duplicates_and_layers, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_syntax_errors, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_caps, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_load, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
