/* The directory cache: files under one root open with one openat each once
 * their directory is held, and a link below the root is never followed. */
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#include "helpers.h"
#include "lib/sources/dir_cache.h"

static char root[64];

static void make(const char *rel, int is_dir)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	if (is_dir) {
		assert_int_equal(mkdir(p, 0755), 0);
		return;
	}
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	fputs(rel, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	test_tmpdir_make(root, "dircache");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_tmpdir_remove(root);
	return 0;
}

/* Open root-relative rel through the cache and check it is that file. */
static int open_rel(sg_dir_cache *c, const char *rel)
{
	char p[256], got[256] = {0};
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	int fd = sg_dir_cache_open(c, p, strlen(root));
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, got, sizeof(got) - 1);
	close(fd);
	assert_true(n > 0);
	assert_string_equal(got, rel);
	return 0;
}

static void test_chain_kept_and_shared(void **state)
{
	(void)state;
	make("a", 1);
	make("a/b", 1);
	make("a/c", 1);
	make("a/b/f1", 0);
	make("a/b/f2", 0);
	make("a/c/f3", 0);
	make("top", 0);
	sg_dir_cache c = SG_DIR_CACHE_INIT;
	assert_int_equal(open_rel(&c, "a/b/f1"), 0);
	assert_int_equal(c.depth, 3); /* the root, a, a/b */
	int held = c.fds[2];
	/* the next file of the same directory reuses every directory */
	assert_int_equal(open_rel(&c, "a/b/f2"), 0);
	assert_int_equal(c.depth, 3);
	assert_int_equal(c.fds[2], held);
	/* a sibling directory keeps the shared part, a/ */
	int a = c.fds[1];
	assert_int_equal(open_rel(&c, "a/c/f3"), 0);
	assert_int_equal(c.depth, 3);
	assert_int_equal(c.fds[1], a);
	/* a file at the top keeps the root only */
	assert_int_equal(open_rel(&c, "top"), 0);
	assert_int_equal(c.depth, 1);
	/* a name sharing a prefix with a cached directory is not that directory */
	make("ab", 1);
	make("ab/f4", 0);
	assert_int_equal(open_rel(&c, "a/b/f1"), 0);
	assert_int_equal(open_rel(&c, "ab/f4"), 0);
	assert_int_equal(c.depth, 2);
	sg_dir_cache_free(&c);
	assert_int_equal(c.depth, 0);
}

static void test_link_below_root_not_followed(void **state)
{
	(void)state;
	make("real", 1);
	make("real/f", 0);
	char p[256];
	snprintf(p, sizeof(p), "%s/alias", root);
	assert_int_equal(symlink("real", p), 0);
	sg_dir_cache c = SG_DIR_CACHE_INIT;
	assert_int_equal(open_rel(&c, "real/f"), 0);
	assert_int_equal(open_rel(&c, "alias/f"), -ELOOP);
	/* the failed walk left the cache usable */
	assert_int_equal(open_rel(&c, "real/f"), 0);
	assert_int_equal(open_rel(&c, "real/../real/f"), -EACCES);
	snprintf(p, sizeof(p), "%s/alias-file", root);
	assert_int_equal(symlink("real/f", p), 0);
	assert_int_equal(open_rel(&c, "alias-file"), -ELOOP);
	sg_dir_cache_free(&c);
}

static void test_deeper_than_the_cache(void **state)
{
	(void)state;
	char rel[256] = "d";
	make(rel, 1);
	for (int i = 1; i < SG_DIR_CACHE_DEPTH + 4; i++) {
		strcat(rel, "/d");
		make(rel, 1);
	}
	strcat(rel, "/f");
	make(rel, 0);
	sg_dir_cache c = SG_DIR_CACHE_INIT;
	assert_int_equal(open_rel(&c, rel), 0);
	assert_int_equal(c.depth, SG_DIR_CACHE_DEPTH);
	assert_int_equal(open_rel(&c, rel), 0);
	sg_dir_cache_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_chain_kept_and_shared),
	        cmocka_unit_test(test_link_below_root_not_followed),
	        cmocka_unit_test(test_deeper_than_the_cache),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
