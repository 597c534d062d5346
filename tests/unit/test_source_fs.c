/* The file source: what is collected, what is skipped, and that results do
 * not depend on the number of worker threads. */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "helpers.h"

static char dir[64];

static void write_file(const char *rel, const char *data, size_t len)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	fwrite(data, 1, len, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/sg-fs-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char p[256];
	snprintf(p, sizeof(p), "%s/sub", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/.git", dir);
	mkdir(p, 0755);
	for (int i = 0; i < 40; i++) {
		char name[64], text[128], key[21];
		test_aws_key(key, (uint32_t)i + 1);
		snprintf(name, sizeof(name), "%sf%02d.txt", i % 2 ? "sub/" : "", i);
		snprintf(text, sizeof(text), "n=%d\nk = %s\n", i, key);
		write_file(name, text, strlen(text));
	}
	char key[21], bin[64] = "bin\0ary ";
	test_aws_key(key, 99);
	memcpy(bin + 8, key, 20);
	write_file("blob.bin", bin, 28);
	write_file(".git/config", key, 20);
	snprintf(p, sizeof(p), "%s/fifo", dir);
	mkfifo(p, 0600);
	char target[256];
	snprintf(target, sizeof(target), "%s/f00.txt", dir);
	snprintf(p, sizeof(p), "%s/link.txt", dir);
	if (symlink(target, p) != 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Collect path and scan it with o and the test rule: the findings in f (the
 * caller frees them), the counts in st, the notices in nt (NULL: none). */
static void scan_path(const char *path, const sg_fs_options *o, sg_findings *f, sg_scan_stats *st,
                      sg_notices *nt)
{
	sg_ruleset *rs = test_ruleset(test_aws_rule);
	sg_file_list files = {0};
	const char *paths[] = {path};
	memset(st, 0, sizeof(*st));
	assert_int_equal(sg_fs_collect(&files, paths, 1, st, nt), 0);
	sg_findings_init(f, 0);
	assert_int_equal(sg_fs_scan(rs, o, &files, f, st, nt), 0);
	sg_file_list_free(&files);
	sg_ruleset_free(rs);
}

static void scan(int jobs, int binary, sg_findings *f, sg_scan_stats *st)
{
	sg_fs_options o = SG_FS_OPTIONS_INIT;
	o.jobs = jobs;
	o.binary = binary;
	sg_notices nt;
	sg_notices_init(&nt);
	scan_path(dir, &o, f, st, &nt);
	sg_notices_free(&nt);
}

static void test_collect_and_skip(void **state)
{
	(void)state;
	sg_findings f;
	sg_scan_stats st;
	scan(1, 0, &f, &st);
	/* 40 text files; the binary file, the fifo, the link and .git are not read */
	assert_int_equal(f.count, 40);
	assert_int_equal(st.files, 40);
	assert_int_equal(st.skipped_binary, 1);
	assert_int_equal(st.skipped_other, 2);
	sg_findings_free(&f);
	scan(1, 1, &f, &st);
	assert_int_equal(f.count, 41);
	sg_findings_free(&f);
}

static void test_same_result_any_thread_count(void **state)
{
	(void)state;
	sg_findings a, b;
	sg_scan_stats st;
	scan(1, 0, &a, &st);
	scan(4, 0, &b, &st);
	assert_int_equal(a.count, b.count);
	for (size_t i = 0; i < a.count; i++) {
		assert_string_equal(a.items[i].path, b.items[i].path);
		assert_string_equal(a.items[i].fingerprint, b.items[i].fingerprint);
		assert_int_equal(a.items[i].line, b.items[i].line);
	}
	sg_findings_free(&a);
	sg_findings_free(&b);
}

static void test_size_cap(void **state)
{
	(void)state;
	sg_scan_stats st;
	sg_notices nt;
	sg_notices_init(&nt);
	sg_fs_options o = SG_FS_OPTIONS_INIT;
	o.max_file_size = 10;
	sg_findings f;
	scan_path(dir, &o, &f, &st, &nt);
	assert_int_equal(f.count, 0);
	assert_int_equal(st.skipped_too_big, 41);
	assert_true(nt.count > 0);
	assert_non_null(strstr(nt.items[0], "cap"));
	sg_findings_free(&f);
	sg_notices_free(&nt);
}

/* Files around the size of a worker's first read (256 KB) and of its buffer,
 * each with its key in the last bytes: read whole whichever way the read
 * goes (one short read, or the read that filled the buffer and then the
 * rest), and a file of exactly the cap is scanned while one byte more is not. */
static void test_sizes_around_first_read(void **state)
{
	(void)state;
	char sub[96], p[160];
	snprintf(sub, sizeof(sub), "%s/sizes", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	const size_t k = 256 * 1024, sizes[] = {k - 1, k, k + 1, 3 * k + 7, 40, 41};
	const size_t n = sizeof(sizes) / sizeof(sizes[0]);
	char *buf = malloc(3 * k + 8);
	assert_non_null(buf);
	for (size_t i = 0; i < n; i++) {
		char key[21];
		test_aws_key(key, 500 + (uint32_t)i);
		memset(buf, 'x', sizes[i]);
		for (size_t b = 0; b + 1 < sizes[i]; b += 97)
			buf[b] = '\n';
		memcpy(buf + sizes[i] - 21, "\n", 1);
		memcpy(buf + sizes[i] - 20, key, 20);
		snprintf(p, sizeof(p), "%s/f%zu.txt", sub, i);
		FILE *f = fopen(p, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(buf, 1, sizes[i], f), sizes[i]);
		fclose(f);
	}
	free(buf);
	for (int cap = 0; cap < 2; cap++) {
		sg_scan_stats st;
		sg_fs_options o = SG_FS_OPTIONS_INIT;
		o.jobs = 2;
		/* a cap of 40 bytes: the 40-byte file is scanned, every other one
		 * skipped; or no cap below the default */
		o.max_file_size = cap ? 40 : 0;
		sg_findings f;
		scan_path(sub, &o, &f, &st, NULL);
		if (cap) {
			assert_int_equal(f.count, 1);
			assert_non_null(strstr(f.items[0].path, "f4.txt"));
			assert_int_equal(st.skipped_too_big, n - 1);
		} else {
			assert_int_equal(f.count, n);
			assert_int_equal(st.skipped_too_big, 0);
			assert_int_equal(st.errors, 0);
		}
		sg_findings_free(&f);
	}
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", sub);
	assert_int_equal(system(cmd), 0);
}

/* Set path's atime days back, its mtime left; returns the atime set. */
static time_t age_atime(const char *path, int days)
{
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	struct timespec t[2] = {{.tv_sec = sb.st_mtime - days * 86400}, sb.st_mtim};
	assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
	return t[0].tv_sec;
}

/* A scan leaves a file's access time as it was: a plain read of a file whose
 * atime is days old moves it here (relatime), the scan's read does not. */
static void test_scan_keeps_atime(void **state)
{
	(void)state;
	char sub[96], p[160], buf[64];
	snprintf(sub, sizeof(sub), "%s/atime", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	snprintf(p, sizeof(p), "%s/a.txt", sub);
	write_file("atime/a.txt", "k = 1\n", 6);
	time_t old = age_atime(p, 3);
	int fd = open(p, O_RDONLY);
	assert_true(fd >= 0);
	assert_true(read(fd, buf, sizeof(buf)) > 0);
	close(fd);
	struct stat sb;
	assert_int_equal(stat(p, &sb), 0);
	assert_true(sb.st_atime > old); /* the file system keeps access times */
	old = age_atime(p, 3);
	sg_scan_stats st;
	sg_fs_options o = SG_FS_OPTIONS_INIT;
	sg_findings f;
	scan_path(sub, &o, &f, &st, NULL);
	assert_int_equal(st.files, 1);
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_atime, old);
	sg_findings_free(&f);
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", sub);
	assert_int_equal(system(cmd), 0);
}

/* Another user's file, which O_NOATIME may not open: read all the same. As
 * root the check runs in a child that has become nobody. */
static void test_other_users_file_is_read(void **state)
{
	(void)state;
	const char *named = "/etc/passwd"; /* root's, readable by all */
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
			_exit(3);
		sg_ruleset *rs = test_ruleset(test_aws_rule);
		sg_file_list files = {0};
		sg_scan_stats st = {0};
		const char *paths[] = {named};
		sg_fs_options o = SG_FS_OPTIONS_INIT;
		sg_findings f;
		sg_findings_init(&f, 0);
		int ok = sg_fs_collect(&files, paths, 1, &st, NULL) == 0 &&
		         sg_fs_scan(rs, &o, &files, &f, &st, NULL) == 0 && st.files == 1 &&
		         st.errors == 0 && st.bytes > 0;
		_exit(ok ? 0 : 1);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_missing_path(void **state)
{
	(void)state;
	sg_file_list files = {0};
	const char *paths[] = {"/nonexistent/xyz"};
	assert_int_equal(sg_fs_collect(&files, paths, 1, NULL, NULL), SG_ENOTFOUND);
	assert_non_null(strstr(sg_error_last(), "/nonexistent/xyz"));
	sg_file_list_free(&files);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_collect_and_skip),
	        cmocka_unit_test(test_same_result_any_thread_count),
	        cmocka_unit_test(test_size_cap),
	        cmocka_unit_test(test_sizes_around_first_read),
	        cmocka_unit_test(test_scan_keeps_atime),
	        cmocka_unit_test(test_other_users_file_is_read),
	        cmocka_unit_test(test_missing_path),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
