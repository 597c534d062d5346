/* Tests for policy read from a revision: repository paths of option files,
 * reading a commit's policy files as blobs, the changes between two commits
 * (what blocks, what is a warning) and the allow-added findings. Fixture
 * repositories are built with the git CLI in a temp dir. */
#include <limits.h>
#include <git2.h>
#include "helpers.h"
#include "secretgate/policy_rev.h"

static char tmp[256];

#define sh(...) test_sh(tmp, __VA_ARGS__)

static int setup(void **state)
{
	(void)state;
	git_libgit2_init();
	snprintf(tmp, sizeof(tmp), "%s/sg-policy-XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmp))
		return -1;
	return sh("git init -q -b main . && git config commit.gpgsign false");
}

static int teardown(void **state)
{
	(void)state;
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_repo_path(void **state)
{
	(void)state;
	char *rel = NULL;
	assert_int_equal(sg_policy_repo_path(&rel, "/r/w/", "/r/w", "ci/base.txt"), 1);
	assert_string_equal(rel, "ci/base.txt");
	free(rel);
	assert_int_equal(sg_policy_repo_path(&rel, "/r/w/", "/r/w/sub", "../x//./y"), 1);
	assert_string_equal(rel, "x/y");
	free(rel);
	assert_int_equal(sg_policy_repo_path(&rel, "/r/w", "/elsewhere", "/r/w/.secretgate.yml"),
	                 1);
	assert_string_equal(rel, ".secretgate.yml");
	free(rel);
	/* outside: another directory, a sibling with the same prefix, .. out, the root */
	assert_int_equal(sg_policy_repo_path(&rel, "/r/w/", "/r/w", "/tmp/base"), 0);
	assert_int_equal(sg_policy_repo_path(&rel, "/r/w/", "/r/w", "/r/work/base"), 0);
	assert_int_equal(sg_policy_repo_path(&rel, "/r/w/", "/r/w", "../base"), 0);
	assert_int_equal(sg_policy_repo_path(&rel, "/r/w/", "/r/w", "."), 0);
	assert_null(rel);
	/* a bare repository has no working tree: every path is a file on disk */
	assert_int_equal(sg_policy_repo_path(&rel, NULL, "/r/w", "base"), 0);
}

static sg_git *open_repo(void)
{
	sg_git *g = NULL;
	if (sg_git_open(&g, tmp) < 0)
		fail_msg("open: %s", sg_error_last());
	return g;
}

static void test_read(void **state)
{
	(void)state;
	/* base: a config naming its own ignore file and a baseline */
	assert_int_equal(sh("printf 'fail_on: high\\nignore_file: sec/ignore\\nbaseline: "
	                    "./sec/base\\nrules:\\n  disable: [rule-a]\\n' >.secretgate.yml && "
	                    "mkdir sec && printf 'r:0123456789abcdef\\n' >sec/ignore && "
	                    "printf '# none\\n' >sec/base && git add -A && "
	                    "git commit -qm base && git tag base"),
	                 0);
	/* the working tree says otherwise: never read */
	assert_int_equal(sh("printf 'fail_on: info\\n' >.secretgate.yml && rm sec/ignore"), 0);
	sg_git *g = open_repo();
	sg_policy_source src = SG_POLICY_SOURCE_INIT;
	sg_policy *p = NULL;
	if (sg_policy_read(&p, g, "base", &src) < 0)
		fail_msg("read: %s", sg_error_last());
	assert_true(p->config->fail_on_set);
	assert_int_equal(p->config->fail_on, SG_SEV_HIGH);
	assert_int_equal(p->config->ndisable, 1);
	assert_true(p->config_file.present);
	assert_string_equal(p->ignore_file.path, "sec/ignore");
	assert_int_equal(p->ignore.count, 1);
	assert_string_equal(p->baseline_file.path, "sec/base");
	assert_true(p->baseline_file.present);
	assert_int_equal(p->baseline.count, 0);
	assert_int_equal(strlen(p->commit), 40);
	sg_policy_free(p);

	/* --no-config: the defaults, the default ignore file (absent: empty) */
	src.config = NULL;
	assert_int_equal(sg_policy_read(&p, g, "base", &src), 0);
	assert_false(p->config->fail_on_set);
	assert_false(p->ignore_file.present);
	assert_null(p->baseline_file.path);
	sg_policy_free(p);

	/* a --baseline the revision lacks is an error naming it */
	src.baseline = "nothing-here";
	assert_int_equal(sg_policy_read(&p, g, "base", &src), SG_ENOTFOUND);
	assert_non_null(strstr(sg_error_last(), "nothing-here: not in revision"));
	assert_null(p);

	/* a policy file must be a regular file, not a link to one of the PR's choosing */
	assert_int_equal(sh("git checkout -q -- . && git rm -q .secretgate.yml && "
	                    "ln -s sec/base .secretgate.yml && git add -A && "
	                    "git commit -qm link && git tag link"),
	                 0);
	sg_policy_source dflt = SG_POLICY_SOURCE_INIT;
	assert_int_equal(sg_policy_read(&p, g, "link", &dflt), SG_EINVALID);
	assert_non_null(strstr(sg_error_last(), "not a regular file"));
	assert_int_equal(sg_policy_read(&p, g, "no-such-rev", &dflt), SG_ENOTFOUND);
	sg_git_free(g);
}

static const sg_finding *find_message(const sg_findings *f, const char *text)
{
	for (size_t i = 0; i < f->count; i++)
		if (f->items[i].message && strstr(f->items[i].message, text))
			return &f->items[i];
	return NULL;
}

static void test_changes(void **state)
{
	(void)state;
	assert_int_equal(
	        sh("printf 'x\\n' >a.txt && git add -A && git commit -qm one && "
	           "git tag one && "
	           "printf 'fail_on: medium\\nmax_file_size: 1MB\\nrules:\\n  disable: "
	           "[rule-b]\\nallow:\\n  paths: [\"docs/**\"]\\n  stopwords: [dummy]\\n"
	           "  rules:\\n    rule-c:\\n      paths: [\"t/**\"]\\n' >.secretgate.yml && "
	           "printf 'r:0123456789abcdef\\nr:1111111111111111 a.txt\\n' "
	           ">.secretgateignore && git add -A && git commit -qm two && git tag two"),
	        0);
	sg_git *g = open_repo();
	sg_policy_source src = SG_POLICY_SOURCE_INIT;
	sg_policy *base = NULL;
	assert_int_equal(sg_policy_read(&base, g, "one", &src), 0);
	assert_false(base->config_file.present);
	const char *revs[] = {"one..two"};
	sg_git_range range = {revs, 1, 0, 0};
	sg_findings f;
	sg_findings_init(&f, 0);
	if (sg_policy_changes(&f, g, base, &range, &src) < 0)
		fail_msg("changes: %s", sg_error_last());
	const sg_finding *x;
	assert_non_null(x = find_message(&f, "rule disabled: rule-b"));
	assert_int_equal(x->suppressed, SG_SUPPRESS_NONE);
	assert_string_equal(x->rule_id, "policy-changed");
	assert_string_equal(x->path, ".secretgate.yml");
	assert_int_equal(x->line, 4);
	assert_non_null(x->commit);
	assert_null(x->secret);
	assert_non_null(x = find_message(&f, "fail_on raised from info to medium"));
	assert_int_equal(x->line, 1);
	assert_non_null(x = find_message(&f, "max_file_size lowered"));
	assert_int_equal(x->suppressed, SG_SUPPRESS_NONE);
	assert_non_null(find_message(&f, "path allowed: docs/** (allow.paths)"));
	assert_non_null(x = find_message(&f, "stop-word added (allow.stopwords, line 7)"));
	assert_null(strstr(x->message, "dummy"));
	assert_non_null(find_message(&f, "path allowed for rule rule-c: t/**"));
	assert_non_null(x = find_message(&f, "2 fingerprints added to the ignore file"));
	assert_string_equal(x->path, ".secretgateignore");
	assert_int_equal(f.count, 7);
	assert_int_equal(sg_findings_blocking(&f), 7);
	sg_findings_free(&f);

	/* undone on top: everything is stricter, warnings only */
	assert_int_equal(
	        sh("git rm -q .secretgate.yml .secretgateignore && git commit -qm three && "
	           "git tag three"),
	        0);
	const char *back[] = {"two..three"};
	sg_git_range rback = {back, 1, 0, 0};
	sg_policy *two = NULL;
	assert_int_equal(sg_policy_read(&two, g, "two", &src), 0);
	sg_findings_init(&f, 0);
	assert_int_equal(sg_policy_changes(&f, g, two, &rback, &src), 0);
	assert_true(f.count > 0);
	assert_int_equal(sg_findings_blocking(&f), 0);
	assert_non_null(x = find_message(&f, "rule enabled again: rule-b"));
	assert_int_equal(x->suppressed, SG_SUPPRESS_WARNING);
	assert_non_null(find_message(&f, "2 fingerprints removed from the ignore file"));
	sg_findings_free(&f);

	/* a range whose commits leave the policy alone changes nothing, even
	 * when its base changed the policy since (one..two seen from two) */
	const char *none[] = {"two..one"};
	sg_git_range rnone = {none, 1, 0, 0};
	sg_findings_init(&f, 0);
	assert_int_equal(sg_policy_changes(&f, g, two, &rnone, &src), 0);
	assert_int_equal(f.count, 0);
	sg_findings_free(&f);

	/* the range's base is found from its revision arguments */
	sg_policy *p = NULL;
	assert_int_equal(sg_policy_for_range(&p, g, &range, NULL, &src), 0);
	assert_non_null(p);
	assert_string_equal(p->commit, base->commit);
	sg_policy_free(p);
	/* a revision alone has no base: the caller reads the working tree */
	const char *alone[] = {"two"};
	sg_git_range ralone = {alone, 1, 0, 0};
	assert_int_equal(sg_policy_for_range(&p, g, &ralone, NULL, &src), 0);
	assert_null(p);
	assert_int_equal(sg_policy_for_range(&p, g, &ralone, "two", &src), 0);
	assert_non_null(p);
	assert_true(p->config_file.present);
	sg_policy_free(p);
	sg_policy_free(two);
	sg_policy_free(base);
	sg_git_free(g);
}

static void test_list_allows(void **state)
{
	(void)state;
	sg_findings f;
	sg_findings_init(&f, 0);
	sg_finding a = {.rule_id = "tok",
	                .path = "a.py",
	                .line = 3,
	                .secret = "s3cr3t",
	                .secret_len = 6,
	                .severity = SG_SEV_HIGH,
	                .suppressed = SG_SUPPRESS_INLINE};
	snprintf(a.fingerprint, sizeof(a.fingerprint), "tok:00112233445566778899");
	sg_finding b = a;
	b.line = 9;
	b.suppressed = SG_SUPPRESS_NONE;
	assert_int_equal(sg_findings_push(&f, &a), 0);
	assert_int_equal(sg_findings_push(&f, &b), 0);
	assert_int_equal(sg_policy_list_allows(&f, 0), 0);
	assert_int_equal(f.count, 3);
	const sg_finding *x = NULL;
	for (size_t i = 0; i < f.count; i++)
		if (!strcmp(f.items[i].rule_id, "allow-added"))
			x = &f.items[i];
	assert_non_null(x);
	assert_int_equal(x->line, 3);
	assert_null(x->secret);
	assert_int_equal(x->suppressed, SG_SUPPRESS_WARNING);
	assert_int_equal(x->severity, SG_SEV_HIGH);
	assert_non_null(strstr(x->message, "tok finding"));
	assert_int_equal(sg_findings_blocking(&f), 1);
	sg_findings_free(&f);
	/* blocking on request */
	sg_findings_init(&f, 0);
	assert_int_equal(sg_findings_push(&f, &a), 0);
	assert_int_equal(sg_policy_list_allows(&f, 1), 0);
	assert_int_equal(sg_findings_blocking(&f), 1);
	sg_findings_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_repo_path),
	        cmocka_unit_test_setup_teardown(test_read, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_changes, setup, teardown),
	        cmocka_unit_test(test_list_allows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
