/* source_archive.c and source_image.c on archives written in memory with
 * libarchive: member paths and lines, nesting and its cap, the member and
 * byte caps, damaged input, and image findings told their layer. */
#include <archive.h>
#include <archive_entry.h>
#include "helpers.h"
#include "lib/sources/image.h"

TEST_AWS_RULESET_GROUP()

typedef struct member {
	const char *name;
	const char *data;
	size_t len; /* 0: strlen(data) */
} member;

/* An archive of `format` (ARCHIVE_FORMAT_*) and `filter` in a new buffer. */
static char *make_archive(int format, int filter, const member *m, size_t n, size_t *len)
{
	size_t cap = 1 << 22, used = 0;
	char *buf = malloc(cap);
	assert_non_null(buf);
	struct archive *a = archive_write_new();
	assert_int_equal(archive_write_set_format(a, format), ARCHIVE_OK);
	if (filter)
		assert_int_equal(archive_write_add_filter(a, filter), ARCHIVE_OK);
	assert_int_equal(archive_write_open_memory(a, buf, cap, &used), ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		size_t l = m[i].len ? m[i].len : strlen(m[i].data);
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, m[i].name);
		archive_entry_set_size(e, (la_int64_t)l);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		assert_int_equal(archive_write_data(a, m[i].data, l), (la_ssize_t)l);
		archive_entry_free(e);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	*len = used;
	return buf;
}

static size_t scan(const sg_scan_options *so, const char *path, const char *data, size_t len,
                   sg_findings *f, sg_notices *nt)
{
	sg_scanner *s;
	assert_int_equal(sg_scanner_new(&s, rs, so), 0);
	sg_origin o = {.path = path};
	sg_findings_init(f, 0);
	assert_int_equal(sg_artefact_scan(s, data, len, &o, NULL, f, nt), 0);
	sg_scanner_free(s);
	sg_findings_sort(f);
	return f->count;
}

static int has_notice(const sg_notices *nt, const char *what)
{
	for (size_t i = 0; i < nt->count; i++)
		if (strstr(nt->items[i], what))
			return 1;
	return 0;
}

static void test_detect(void **state)
{
	(void)state;
	assert_int_equal(sg_archive_detect("hello world", 11), 0);
	assert_int_not_equal(sg_archive_detect("PK\x03\x04rest", 8), 0);
	assert_int_not_equal(sg_archive_detect("\x1f\x8b\x08", 3), 0);
	assert_int_not_equal(sg_archive_detect("BZh91AY", 7), 0);
	assert_int_equal(sg_archive_detect("BZh", 3), 0);
	char tar[512] = {0};
	memcpy(tar + 257, "ustar", 5);
	assert_int_not_equal(sg_archive_detect(tar, sizeof(tar)), 0);
}

static void test_member_path_and_line(void **state)
{
	(void)state;
	char key[21], text[128];
	test_aws_key(key, 1);
	snprintf(text, sizeof(text), "a: 1\nb:\n  k: %s\n", key);
	member m[] = {{"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n", 0},
	              {"BOOT-INF/classes/application.yml", text, 0}};
	size_t len;
	char *zip = make_archive(ARCHIVE_FORMAT_ZIP, 0, m, 2, &len);
	sg_findings f;
	assert_int_equal(scan(NULL, "dist/app.jar", zip, len, &f, NULL), 1);
	assert_string_equal(f.items[0].path, "dist/app.jar!/BOOT-INF/classes/application.yml");
	assert_int_equal(f.items[0].line, 3);
	assert_int_equal(f.items[0].column, 6);
	assert_string_equal(f.items[0].secret, key);
	sg_findings_free(&f);
	/* --no-archives: the deflated bytes say nothing */
	sg_scan_options so = SG_SCAN_OPTIONS_INIT;
	so.artefacts.no_archives = 1;
	free(zip);
	zip = make_archive(ARCHIVE_FORMAT_7ZIP, 0, m, 2, &len);
	assert_int_equal(scan(&so, "dist/app.7z", zip, len, &f, NULL), 0);
	sg_findings_free(&f);
	free(zip);
}

static void test_nesting_and_its_cap(void **state)
{
	(void)state;
	char key[21], text[64];
	test_aws_key(key, 2);
	snprintf(text, sizeof(text), "k = %s\n", key);
	member leaf = {"conf/key.txt", text, 0};
	size_t l1, l2;
	char *zip = make_archive(ARCHIVE_FORMAT_ZIP, 0, &leaf, 1, &l1);
	member mid = {"lib/inner.jar", zip, l1};
	char *tgz =
	        make_archive(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_GZIP, &mid, 1, &l2);
	sg_findings f;
	assert_int_equal(scan(NULL, "pkg.tgz", tgz, l2, &f, NULL), 1);
	assert_string_equal(f.items[0].path, "pkg.tgz!/lib/inner.jar!/conf/key.txt");
	sg_findings_free(&f);
	sg_scan_options so = SG_SCAN_OPTIONS_INIT;
	so.artefacts.max_depth = 0; /* the default, 4 */
	assert_int_equal(scan(&so, "pkg.tgz", tgz, l2, &f, NULL), 1);
	sg_findings_free(&f);
	/* the tarball itself is level 0; the jar inside would be level 1 */
	so.artefacts.max_depth = 1;
	sg_notices nt;
	sg_notices_init(&nt);
	assert_int_equal(scan(&so, "pkg.tgz", tgz, l2, &f, &nt), 1);
	sg_findings_free(&f);
	sg_notices_free(&nt);
	sg_notices_init(&nt);
	char *outer;
	size_t l3;
	member top = {"pkg.tgz", tgz, l2};
	outer = make_archive(ARCHIVE_FORMAT_ZIP, 0, &top, 1, &l3);
	assert_int_equal(scan(&so, "all.zip", outer, l3, &f, &nt), 0);
	assert_true(has_notice(&nt, "archive depth cap"));
	sg_findings_free(&f);
	sg_notices_free(&nt);
	free(outer);
	free(tgz);
	free(zip);
}

static void test_caps(void **state)
{
	(void)state;
	char key[21], text[64];
	test_aws_key(key, 3);
	snprintf(text, sizeof(text), "k = %s\n", key);
	member m[] = {{"a.txt", "x\n", 0}, {"b.txt", "y\n", 0}, {"c.txt", text, 0}};
	size_t len;
	char *tar = make_archive(ARCHIVE_FORMAT_TAR_USTAR, 0, m, 3, &len);
	sg_scan_options so = SG_SCAN_OPTIONS_INIT;
	so.artefacts.max_members = 2;
	sg_notices nt;
	sg_notices_init(&nt);
	sg_findings f;
	assert_int_equal(scan(&so, "t.tar", tar, len, &f, &nt), 0);
	assert_true(has_notice(&nt, "archive member cap"));
	sg_findings_free(&f);
	so.artefacts.max_members = 0;
	so.artefacts.max_member_size = 10;
	assert_int_equal(scan(&so, "t.tar", tar, len, &f, &nt), 0);
	assert_true(has_notice(&nt, "member size cap"));
	sg_findings_free(&f);
	so.artefacts.max_member_size = 0;
	so.artefacts.max_bytes = 5;
	assert_int_equal(scan(&so, "t.tar", tar, len, &f, &nt), 0);
	assert_true(has_notice(&nt, "archive byte cap"));
	sg_findings_free(&f);
	sg_notices_free(&nt);
	free(tar);
}

static void test_damage_is_a_notice(void **state)
{
	(void)state;
	char key[21], text[64];
	test_aws_key(key, 4);
	snprintf(text, sizeof(text), "k = %s\n", key);
	char junk[20000];
	uint32_t seed = 3;
	test_random_string(junk, sizeof(junk) - 1, "abcdefghijklmnopqrstuvwxyz0123456789", &seed);
	member m[] = {{"first.txt", text, 0}, {"second.txt", junk, 0}};
	size_t len;
	char *tgz = make_archive(ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_GZIP, m, 2, &len);
	sg_notices nt;
	sg_notices_init(&nt);
	sg_findings f;
	/* cut in the middle of the second member: the first is still found */
	assert_int_equal(scan(NULL, "cut.tgz", tgz, len * 3 / 4, &f, &nt), 1);
	assert_string_equal(f.items[0].path, "cut.tgz!/first.txt");
	assert_true(nt.count >= 1);
	sg_findings_free(&f);
	/* gzip magic and garbage: a notice, no finding, no failure */
	char bad[64] = "\x1f\x8b\x08\x00garbage that is not deflate at all......";
	assert_int_equal(scan(NULL, "bad.gz", bad, sizeof(bad), &f, &nt), 0);
	assert_true(has_notice(&nt, "bad.gz"));
	sg_findings_free(&f);
	sg_notices_free(&nt);
	free(tgz);
}

static void test_image_annotate(void **state)
{
	(void)state;
	sg_image *img;
	assert_int_equal(sg_image_new(&img), 0);
	const char manifest[] =
	        "[{\"Config\":\"c.json\",\"Layers\":[\"l1/layer.tar\",\"l2/layer.tar\"]}]";
	const char config[] = "{\"rootfs\":{\"diff_ids\":[\"sha256:aa\",\"sha256:bb\"]}}";
	assert_true(sg_image_wants(img, "manifest.json", sizeof(manifest)));
	assert_int_equal(sg_image_keep(img, "manifest.json", manifest, sizeof(manifest) - 1), 0);
	assert_int_equal(sg_image_keep(img, "c.json", config, sizeof(config) - 1), 0);
	assert_int_equal(sg_image_whiteout(img, "l2/layer.tar", "etc/.wh.secret"), 0);
	sg_findings f;
	sg_findings_init(&f, 0);
	const char *paths[] = {"img.tar!/l1/layer.tar!/etc/secret",
	                       "img.tar!/l1/layer.tar!/etc/other", "img.tar!/l2/layer.tar!/x",
	                       "img.tar!/c.json", "elsewhere"};
	for (size_t i = 0; i < 5; i++) {
		sg_finding x = {.rule_id = "r", .path = (char *)paths[i], .line = 1};
		assert_int_equal(sg_findings_push(&f, &x), 0);
	}
	assert_int_equal(sg_image_annotate(img, "img.tar", "!/", &f, 0), 0);
	assert_string_equal(f.items[0].message,
	                    "image layer 1 of 2 (sha256:aa); deleted by layer 2 "
	                    "(whiteout) but still shipped in the image");
	assert_string_equal(f.items[1].message, "image layer 1 of 2 (sha256:aa)");
	assert_string_equal(f.items[2].message, "image layer 2 of 2 (sha256:bb)");
	assert_string_equal(f.items[3].message, "in the image config (Env, Labels or history)");
	assert_null(f.items[4].message);
	sg_findings_free(&f);
	sg_image_free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_detect),
	        cmocka_unit_test(test_member_path_and_line),
	        cmocka_unit_test(test_nesting_and_its_cap),
	        cmocka_unit_test(test_caps),
	        cmocka_unit_test(test_damage_is_a_notice),
	        cmocka_unit_test(test_image_annotate),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
