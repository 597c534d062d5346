/* The one JSON string escaper, in both its uses: reports (safe to show:
 * DEL and C1 controls escaped, invalid UTF-8 replaced) and the leak search's
 * encoded forms (bytes from 0x7f up as an encoder leaves them, '/' escaped or
 * not). The stream and memory forms agree byte for byte. */
#include "helpers.h"
#include "util/json.h"

static void assert_mem(const char *in, size_t len, unsigned flags, const char *want)
{
	char out[6 * 64 + 1];
	assert_true(len <= 64);
	size_t n = sg_json_escape_mem(out, in, len, flags);
	assert_int_equal(n, strlen(want));
	assert_memory_equal(out, want, n + 1);
}

static void assert_stream(const char *in, const char *want)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	sg_json_escape(f, in);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf, want);
	free(buf);
}

static void test_report_form(void **state)
{
	/* quotes, backslash, the named controls, other controls, DEL */
	const char *in = "a\"b\\c\nd\re\tf\001g\177h/i";
	const char *want = "a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u007fh/i";
	assert_mem(in, strlen(in), 0, want);
	assert_stream(in, want);
	/* valid UTF-8 passes, a C1 control (U+0085) is escaped, a stray byte replaced */
	in = "\xc3\xa9 \xc2\x85 \xff \xe2\x82";
	want = "\xc3\xa9 \\u0085 \\ufffd \\ufffd\\ufffd";
	assert_mem(in, strlen(in), 0, want);
	assert_stream(in, want);
	/* a sequence cut by the length is not read past it */
	assert_mem("\xc3\xa9", 1, 0, "\\ufffd");
	sg_json_escape(stdout, NULL); /* writes nothing */
}

static void test_encoder_form(void **state)
{
	const char *in = "p/w\"\177\xc3\xa9\xff\n";
	assert_mem(in, strlen(in), SG_JSON_RAW, "p/w\\\"\177\xc3\xa9\xff\\n");
	assert_mem(in, strlen(in), SG_JSON_RAW | SG_JSON_SLASH, "p\\/w\\\"\177\xc3\xa9\xff\\n");
	/* a NUL inside the length is a control like any other */
	assert_mem("a\0b", 3, SG_JSON_RAW, "a\\u0000b");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_report_form),
	        cmocka_unit_test(test_encoder_form),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
