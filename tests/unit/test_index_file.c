/* Tests for the index file reader on indexes written by real git: versions
 * 2, 3 (intent-to-add) and 4 (compressed paths), the cache-tree before and
 * after `git add`, conflicts, and the shapes it refuses (split index, bad
 * bytes). */
#include "helpers.h"
#include <unistd.h>
#include "lib/sources/index_file.h"

static char tmp[256];

#define sh(...) test_sh(tmp, __VA_ARGS__)

static int setup(void **state)
{
	(void)state;
	snprintf(tmp, sizeof(tmp), "/tmp/sg-index-XXXXXX");
	assert_non_null(mkdtemp(tmp));
	assert_int_equal(sh("git init -q -b main . && mkdir -p a/b c && echo 1 >a/b/x && "
	                    "echo 2 >a/y && echo 3 >c/z && echo 4 >top && "
	                    "ln -s top link && git add -A && git commit -q -m one"),
	                 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd);
}

static int open_index(sg_index *ix)
{
	char path[300];
	snprintf(path, sizeof(path), "%s/.git/index", tmp);
	return sg_index_open(ix, path);
}

/* The object id git names for a path in the index, as raw bytes. */
static void index_id(const char *path, unsigned char out[20])
{
	char cmd[512], hex[64] = "";
	snprintf(cmd, sizeof(cmd), "cd '%s' && git rev-parse ':%s'", tmp, path);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	assert_non_null(fgets(hex, sizeof(hex), f));
	pclose(f);
	for (int i = 0; i < 20; i++)
		sscanf(hex + 2 * i, "%2hhx", &out[i]);
}

static void tree_id(const char *rev, unsigned char out[20])
{
	char cmd[512], hex[64] = "";
	snprintf(cmd, sizeof(cmd), "cd '%s' && git rev-parse '%s'", tmp, rev);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	assert_non_null(fgets(hex, sizeof(hex), f));
	pclose(f);
	for (int i = 0; i < 20; i++)
		sscanf(hex + 2 * i, "%2hhx", &out[i]);
}

static const sg_index_tree *child(const sg_index *ix, const sg_index_tree *t, const char *name)
{
	size_t k = (size_t)(t - ix->trees) + 1;
	for (uint32_t i = 0; i < t->subtrees; i++) {
		const sg_index_tree *c = &ix->trees[k];
		if (c->name_len == strlen(name) && !memcmp(c->name, name, c->name_len))
			return c;
		k = c->end;
	}
	return NULL;
}

static void check_entries(const sg_index *ix)
{
	static const char *const paths[] = {"a/b/x", "a/y", "c/z", "link", "top"};
	assert_int_equal(ix->count, 5);
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal(ix->entries[i].path, paths[i]);
		assert_int_equal(ix->entries[i].path_len, strlen(paths[i]));
		assert_int_equal(ix->entries[i].stage, 0);
		unsigned char id[20];
		index_id(paths[i], id);
		assert_memory_equal(ix->entries[i].id, id, 20);
	}
	assert_int_equal(ix->entries[0].mode, 0100644);
	assert_int_equal(ix->entries[3].mode, 0120000);
}

static void test_version2_and_cache_tree(void **state)
{
	(void)state;
	/* a commit leaves the cache-tree whole: every directory valid with its id */
	assert_int_equal(sh("git update-index --index-version 2"), 0);
	sg_index ix;
	assert_int_equal(open_index(&ix), 0);
	assert_int_equal(ix.version, 2);
	check_entries(&ix);
	assert_true(ix.ntrees >= 4);
	unsigned char id[20];
	tree_id("HEAD^{tree}", id);
	assert_int_equal(ix.trees[0].entry_count, 5);
	assert_int_equal(ix.trees[0].subtrees, 2);
	assert_memory_equal(ix.trees[0].id, id, 20);
	const sg_index_tree *a = child(&ix, &ix.trees[0], "a");
	assert_non_null(a);
	assert_int_equal(a->entry_count, 2);
	tree_id("HEAD:a", id);
	assert_memory_equal(a->id, id, 20);
	const sg_index_tree *b = child(&ix, a, "b");
	assert_non_null(b);
	tree_id("HEAD:a/b", id);
	assert_memory_equal(b->id, id, 20);
	assert_non_null(child(&ix, &ix.trees[0], "c"));
	assert_null(child(&ix, &ix.trees[0], "b"));
	sg_index_free(&ix);
}

static void test_add_invalidates(void **state)
{
	(void)state;
	/* `git add` of a/b/x invalidates a/b, a and the top, not c */
	assert_int_equal(sh("echo more >>a/b/x && git add a/b/x"), 0);
	sg_index ix;
	assert_int_equal(open_index(&ix), 0);
	assert_int_equal(ix.trees[0].entry_count, -1);
	assert_null(ix.trees[0].id);
	const sg_index_tree *a = child(&ix, &ix.trees[0], "a");
	assert_non_null(a);
	assert_int_equal(a->entry_count, -1);
	assert_int_equal(child(&ix, a, "b")->entry_count, -1);
	const sg_index_tree *c = child(&ix, &ix.trees[0], "c");
	assert_non_null(c);
	assert_int_equal(c->entry_count, 1);
	unsigned char id[20];
	tree_id("HEAD:c", id);
	assert_memory_equal(c->id, id, 20);
	index_id("a/b/x", id);
	assert_memory_equal(ix.entries[0].id, id, 20);
	sg_index_free(&ix);
	assert_int_equal(sh("git reset -q"), 0);
}

static void test_version3_intent_to_add(void **state)
{
	(void)state;
	assert_int_equal(sh("echo new >c/new && git add -N c/new"), 0);
	sg_index ix;
	assert_int_equal(open_index(&ix), 0);
	assert_int_equal(ix.version, 3);
	assert_int_equal(ix.count, 6);
	assert_int_equal(ix.intent_to_add, 1);
	assert_string_equal(ix.entries[2].path, "c/new");
	assert_true(ix.entries[2].extended & SG_INDEX_INTENT_TO_ADD);
	assert_false(ix.entries[3].extended & SG_INDEX_INTENT_TO_ADD);
	sg_index_free(&ix);
	assert_int_equal(sh("git rm -q --cached c/new && rm c/new && git update-index "
	                    "--index-version 2"),
	                 0);
}

static void test_version4(void **state)
{
	(void)state;
	assert_int_equal(sh("git update-index --index-version 4"), 0);
	sg_index ix;
	assert_int_equal(open_index(&ix), 0);
	assert_int_equal(ix.version, 4);
	check_entries(&ix);
	assert_true(ix.ntrees > 0);
	sg_index_free(&ix);
	assert_int_equal(sh("git update-index --index-version 2"), 0);
}

static void test_conflict_stages(void **state)
{
	(void)state;
	unsigned char id[20];
	index_id("top", id);
	char hex[41];
	for (int i = 0; i < 20; i++)
		snprintf(hex + 2 * i, 3, "%02x", id[i]);
	/* stages 1..3 for one path, as a merge leaves them */
	assert_int_equal(sh("printf '0 %s\\ttop\\n100644 %s 1\\ttop\\n100644 %s 2\\ttop\\n' | "
	                    "git update-index --index-info",
	                    "0000000000000000000000000000000000000000", hex, hex),
	                 0);
	sg_index ix;
	assert_int_equal(open_index(&ix), 0);
	assert_int_equal(ix.conflicts, 2);
	assert_int_equal(ix.entries[4].stage, 1);
	assert_int_equal(ix.entries[5].stage, 2);
	sg_index_free(&ix);
	assert_int_equal(sh("git reset -q"), 0);
}

static void test_split_index_refused(void **state)
{
	(void)state;
	assert_int_equal(sh("git update-index --split-index"), 0);
	sg_index ix;
	assert_int_equal(open_index(&ix), SG_EINVALID);
	assert_non_null(strstr(sg_error_last(), "split index"));
	sg_index_free(&ix);
	assert_int_equal(sh("git update-index --no-split-index"), 0);
	assert_int_equal(open_index(&ix), 0);
	sg_index_free(&ix);
}

static unsigned char *read_index(size_t *len)
{
	char path[300];
	snprintf(path, sizeof(path), "%s/.git/index", tmp);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	unsigned char *b = malloc(1 << 20);
	*len = fread(b, 1, 1 << 20, f);
	fclose(f);
	return b;
}

static void test_bad_bytes_refused(void **state)
{
	(void)state;
	assert_int_equal(sh("git update-index --index-version 2"), 0);
	size_t len;
	unsigned char *b = read_index(&len);
	sg_index ix;
	assert_int_equal(sg_index_parse(&ix, b, len), 0);
	sg_index_free(&ix);
	/* every truncation is refused or read within its bytes */
	for (size_t n = 0; n < len; n++) {
		unsigned char *c = malloc(n ? n : 1);
		memcpy(c, b, n);
		int r = sg_index_parse(&ix, c, n);
		assert_true(r == 0 || r == SG_EINVALID);
		sg_index_free(&ix);
		free(c);
	}
	/* an unknown required (lower-case) extension, inserted before the checksum */
	unsigned char *x = malloc(len + 12);
	memcpy(x, b, len - 20);
	memcpy(x + len - 20, "zzzz\0\0\0\4abcd", 12);
	memcpy(x + len - 8, b + len - 20, 20);
	assert_int_equal(sg_index_parse(&ix, x, len + 12), SG_EINVALID);
	assert_non_null(strstr(sg_error_last(), "unknown required extension"));
	sg_index_free(&ix);
	/* an optional (upper-case) one is passed over */
	memcpy(x + len - 20, "ZZZZ", 4);
	assert_int_equal(sg_index_parse(&ix, x, len + 12), 0);
	assert_int_equal(ix.count, 5);
	sg_index_free(&ix);
	/* entries out of order */
	memcpy(x, b, len);
	x[12 + 62] = 'z'; /* "a/b/x" becomes "z/b/x", after "a/y" */
	assert_int_equal(sg_index_parse(&ix, x, len), SG_EINVALID);
	assert_non_null(strstr(sg_error_last(), "out of order"));
	sg_index_free(&ix);
	/* a path component named .git in any case is refused; the same bytes
	 * with one letter else pass the path check (and are then out of order:
	 * they sort before "c/z") */
	static const struct {
		const char *name, *error;
	} comps[] = {{".git", "unusual path"}, {".GIT", "unusual path"}, {".GiT", "unusual path"},
	             {".gIt", "unusual path"}, {".gix", "out of order"}, {",git", "out of order"},
	             {".hit", "out of order"}, {".gjt", "out of order"}, {".giu", "out of order"}};
	unsigned char *link = memmem(b, len, "link", 4);
	assert_non_null(link);
	size_t at = (size_t)(link - b);
	for (size_t i = 0; i < sizeof(comps) / sizeof(comps[0]); i++) {
		memcpy(x, b, len);
		memcpy(x + at, comps[i].name, 4);
		assert_int_equal(sg_index_parse(&ix, x, len), SG_EINVALID);
		if (!strstr(sg_error_last(), comps[i].error))
			fail_msg("%s: %s", comps[i].name, sg_error_last());
		sg_index_free(&ix);
	}
	/* an unknown version */
	memcpy(x, b, len);
	x[7] = 5;
	assert_int_equal(sg_index_parse(&ix, x, len), SG_EINVALID);
	sg_index_free(&ix);
	free(x);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_version2_and_cache_tree),
	        cmocka_unit_test(test_add_invalidates),
	        cmocka_unit_test(test_version3_intent_to_add),
	        cmocka_unit_test(test_version4),
	        cmocka_unit_test(test_conflict_stages),
	        cmocka_unit_test(test_split_index_refused),
	        cmocka_unit_test(test_bad_bytes_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
