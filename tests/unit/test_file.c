/* Whole-file reading under a cap: one reader behind every loader, so a file
 * that is missing or too large is reported the same way whatever reads it
 * ("<path>: cannot read: <why>", "<path>: too large (over N bytes)"), each
 * loader keeps its own cap, and no message quotes the file. Files over a cap
 * are sparse, so the large caps cost no disk. */
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "helpers.h"
#include "secretgate/dotenv.h"
#include "secretgate/manifest.h"
#include "secretgate/policy.h"
#include "secretgate/suppress.h"
#include "util/file.h"

static char tmpdir[64];
static char path[128];

static int setup(void **state)
{
	test_tmpdir_make(tmpdir, "file");
	return 0;
}

static int teardown(void **state)
{
	test_tmpdir_remove(tmpdir);
	return 0;
}

/* name in the temporary directory: text, then holes up to size bytes */
static const char *make_file(const char *name, const char *text, off_t size)
{
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	if (size > (off_t)strlen(text))
		assert_int_equal(truncate(path, size), 0);
	return path;
}

static void assert_too_large(const char *p, unsigned long long cap)
{
	char want[512];
	snprintf(want, sizeof(want), "%s: too large (over %llu bytes)", p, cap);
	assert_string_equal(sg_error_last(), want);
}

static void assert_missing(const char *p)
{
	char want[512];
	snprintf(want, sizeof(want), "%s: cannot read: No such file or directory", p);
	assert_string_equal(sg_error_last(), want);
}

static void test_read_cap_edges(void **state)
{
	char *buf;
	size_t len;
	const char *p = make_file("ten", "0123456789", 0);
	/* exactly the cap is within it */
	assert_int_equal(sg_file_read(&buf, &len, p, 10), 0);
	assert_int_equal(len, 10);
	assert_string_equal(buf, "0123456789");
	free(buf);
	assert_int_equal(sg_file_read(&buf, &len, p, 9), SG_ETOOBIG);
	assert_null(buf);
	assert_too_large(p, 9);
	/* a pipe has no size to check first: the cap holds while reading */
	char fifo[256];
	snprintf(fifo, sizeof(fifo), "%s/fifo", tmpdir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	pid_t pid = fork();
	if (pid == 0) {
		FILE *w = fopen(fifo, "wb");
		for (int i = 0; w && i < 2000; i++)
			fputs("0123456789", w);
		_exit(0);
	}
	assert_int_equal(sg_file_read(&buf, &len, fifo, 10000), SG_ETOOBIG);
	assert_too_large(fifo, 10000);
	int status;
	waitpid(pid, &status, 0);
}

static void test_read_missing_and_unreadable(void **state)
{
	char *buf;
	size_t len;
	snprintf(path, sizeof(path), "%s/nope", tmpdir);
	assert_int_equal(sg_file_read(&buf, &len, path, 10), SG_ENOTFOUND);
	assert_missing(path);
	/* a directory opens but does not read */
	assert_int_equal(sg_file_read(&buf, &len, tmpdir, 10), SG_EIO);
	char want[512];
	snprintf(want, sizeof(want), "%s: cannot read: Is a directory", tmpdir);
	assert_string_equal(sg_error_last(), want);
}

static void test_loaders_share_messages(void **state)
{
	/* content that must never reach a message */
	const char *body = "password = hunter2-from-the-file\n";

	sg_config *c = NULL;
	const char *p = make_file("config.yml", body, (off_t)SG_CONFIG_MAX + 1);
	assert_int_equal(sg_config_load(&c, p), SG_ETOOBIG);
	assert_too_large(p, SG_CONFIG_MAX);
	snprintf(path, sizeof(path), "%s/none.yml", tmpdir);
	assert_int_equal(sg_config_load(&c, path), SG_ENOTFOUND);
	assert_missing(path);

	sg_fingerprint_set fs = {0};
	p = make_file("ignore", body, (off_t)SG_FINGERPRINT_LIST_MAX + 1);
	assert_int_equal(sg_fingerprint_set_load(&fs, p), SG_ETOOBIG);
	assert_too_large(p, SG_FINGERPRINT_LIST_MAX);
	sg_fingerprint_set_free(&fs);

	sg_manifest *m = NULL;
	p = make_file("env.yml", body, (off_t)(1u << 20) + 1);
	assert_int_equal(sg_manifest_load(&m, p), SG_ETOOBIG);
	assert_too_large(p, 1u << 20);

	sg_dotenv env;
	sg_dotenv_init(&env);
	sg_dotenv_options o = SG_DOTENV_OPTIONS_INIT;
	o.max_file_size = 8;
	p = make_file(".env", body, 0);
	assert_int_equal(sg_dotenv_load(&env, p, &o), SG_ETOOBIG);
	assert_too_large(p, 8);
	sg_dotenv_free(&env);

	sg_ruleset *rs = NULL;
	assert_int_equal(sg_ruleset_new_empty(&rs), 0);
	p = make_file("rules.yaml", body, (off_t)(16u << 20) + 1);
	assert_int_equal(sg_ruleset_add_path(rs, p), SG_ETOOBIG);
	assert_too_large(p, 16u << 20);
	sg_ruleset_free(rs);

	assert_null(strstr(sg_error_last(), "hunter2"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_read_cap_edges),
	        cmocka_unit_test(test_read_missing_and_unreadable),
	        cmocka_unit_test(test_loaders_share_messages),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
