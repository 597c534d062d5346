/* Tests for the git source: added-line ranges, the object-id map, the
 * commit walk (shallow clones included) and the staged, range and history
 * modes on fixture repositories built with the git CLI in a temp dir. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "helpers.h"
#include "lib/sources/commit_walk.h"
#include "lib/sources/pack_order.h"
#include "lib/sources/pack_read.h"
#include "secretgate/git.h"

static char tmp[256];
static sg_ruleset *test_rules; /* shared by the staged_scan tests */

/* An AWS-style key id, assembled here so the file holds none. */
static const char *key(char which)
{
	static char buf[4][32];
	static int next;
	char *b = buf[next++ & 3];
	snprintf(b, 32, "%s%s%c%c", "AK", "IAQWERTYUIOPASD2", which, 'Z');
	return b;
}

#define sh(...) test_sh(tmp, __VA_ARGS__)

static sg_ruleset *rules(void)
{
	char yaml[1024];
	snprintf(yaml, sizeof(yaml),
	         "rules:\n"
	         "  - id: test-aws-key\n"
	         "    description: AWS access key id\n"
	         "    severity: critical\n"
	         "    keywords: [AKIA]\n"
	         "    pattern: '\\b(AKIA[A-Z2-7]{16})\\b'\n"
	         "    examples: ['k = %s', '%s x']\n"
	         "    negative_examples: ['AKIA123']\n",
	         key('B'), key('C'));
	sg_ruleset *rs;
	assert_int_equal(sg_ruleset_new_empty(&rs), 0);
	if (sg_ruleset_add_yaml(rs, "test.yaml", yaml, strlen(yaml)))
		fail_msg("rules: %s", sg_error_last());
	assert_int_equal(sg_ruleset_finalize(rs), 0);
	return rs;
}

static int setup(void **state)
{
	(void)state;
	git_libgit2_init();
	snprintf(tmp, sizeof(tmp), "%s/sg-git-XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmp))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sg_ruleset_free(test_rules);
	test_rules = NULL;
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_added_lines(void **state)
{
	(void)state;
	sg_git_lines l = {0};
	const char *old = "a\nb\nc\n", *new_ = "a\nx\nb\nc\ny\nz\n";
	assert_int_equal(sg_git_added_lines(&l, old, strlen(old), new_, strlen(new_)), 0);
	assert_int_equal(l.count, 2);
	assert_int_equal(l.ranges[0][0], 2);
	assert_int_equal(l.ranges[0][1], 2);
	assert_int_equal(l.ranges[1][0], 5);
	assert_int_equal(l.ranges[1][1], 6);
	/* CRLF and trailing whitespace alone add nothing */
	const char *crlf = "a\r\nb  \r\nc\r\n";
	assert_int_equal(sg_git_added_lines(&l, old, strlen(old), crlf, strlen(crlf)), 0);
	assert_int_equal(l.count, 0);
	/* a new file: every line */
	assert_int_equal(sg_git_added_lines(&l, NULL, 0, new_, strlen(new_)), 0);
	assert_int_equal(l.count, 1);
	assert_int_equal(l.ranges[0][0], 1);
	/* intersection keeps the lines new against both sides */
	sg_git_lines b = {0};
	assert_int_equal(sg_git_added_lines(&l, old, strlen(old), new_, strlen(new_)), 0);
	const char *other = "a\nx\nb\nc\n";
	assert_int_equal(sg_git_added_lines(&b, other, strlen(other), new_, strlen(new_)), 0);
	sg_git_lines_intersect(&l, &b);
	assert_int_equal(l.count, 1);
	assert_int_equal(l.ranges[0][0], 5);
	assert_int_equal(l.ranges[0][1], 6);
	sg_git_lines_free(&l);
	sg_git_lines_free(&b);
}

static void test_oidmap(void **state)
{
	(void)state;
	sg_oidmap m;
	sg_oidmap_init(&m);
	git_oid id;
	for (uint32_t i = 0; i < 5000; i++) {
		memset(&id, 0, sizeof(id));
		memcpy(id.id, &i, sizeof(i));
		id.id[19] = (unsigned char)i;
		int added;
		assert_int_equal(sg_oidmap_put(NULL, &added, &m, &id, i * 2), 0);
		assert_true(added);
	}
	assert_int_equal(m.count, 5000);
	for (uint32_t i = 0; i < 5000; i++) {
		memset(&id, 0, sizeof(id));
		memcpy(id.id, &i, sizeof(i));
		id.id[19] = (unsigned char)i;
		uint32_t *v = sg_oidmap_get(&m, &id);
		assert_non_null(v);
		assert_int_equal(*v, i * 2);
	}
	memset(&id, 0xff, sizeof(id));
	assert_null(sg_oidmap_get(&m, &id));
	sg_oidmap_free(&m);
}

static sg_git *open_repo(const char *sub)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", tmp, sub);
	sg_git *g;
	if (sg_git_open(&g, path) < 0)
		fail_msg("open %s: %s", path, sg_error_last());
	return g;
}

static void scan_staged(sg_git *g, const sg_ruleset *rs, const sg_git_options *o, sg_findings *f)
{
	sg_scan_stats st = {0};
	sg_notices nt;
	sg_notices_init(&nt);
	assert_int_equal(sg_git_scan_staged(g, rs, o, f, &st, &nt), 0);
	sg_notices_free(&nt);
}

static void test_staged(void **state)
{
	(void)state;
	assert_int_equal(sh("git init -q -b main r && cd r && printf 'a\\nk = \"%s\"\\n' > old.py "
	                    "&& git add . && git commit -q -m one && printf 'b\\nn = \"%s\"\\n' >> "
	                    "old.py && git add old.py && printf 'w = \"%s\"\\n' > wt.py",
	                    key('D'), key('E'), key('F')),
	                 0);
	sg_ruleset *rs = rules();
	sg_git *g = open_repo("r");
	sg_git_options o = SG_GIT_OPTIONS_INIT;
	o.jobs = 1;
	sg_findings f;
	sg_findings_init(&f, 0);
	scan_staged(g, rs, &o, &f);
	/* only the added key; not the accepted one, not the unstaged file */
	assert_int_equal(f.count, 1);
	assert_string_equal(f.items[0].path, "old.py");
	assert_int_equal(f.items[0].line, 4);
	assert_non_null(f.items[0].blob);
	assert_null(f.items[0].commit);
	sg_findings_free(&f);
	sg_git_free(g);
	sg_ruleset_free(rs);
}

typedef struct seen_paths {
	char paths[4][32];
	size_t n;
} seen_paths;

static int note_path(void *ctx, const char *path, sg_findings *out)
{
	seen_paths *s = ctx;
	(void)out;
	if (s->n < 4)
		snprintf(s->paths[s->n++], sizeof(s->paths[0]), "%s", path);
	return 0;
}

/* The source judges no paths itself: a staged .env is only content to it,
 * and every path the commit adds or changes goes to the caller's hook. */
static void test_staged_path_hook(void **state)
{
	(void)state;
	assert_int_equal(sh("git init -q -b main p && cd p && echo a > keep && git add keep && "
	                    "git commit -q -m one && echo b >> keep && echo X=1 > .env && "
	                    "git add keep .env"),
	                 0);
	sg_ruleset *rs = rules();
	sg_git *g = open_repo("p");
	sg_git_options o = SG_GIT_OPTIONS_INIT;
	o.jobs = 1;
	sg_findings f;
	sg_findings_init(&f, 0);
	scan_staged(g, rs, &o, &f);
	assert_int_equal(f.count, 0);
	seen_paths seen = {0};
	o.staged_path = note_path;
	o.staged_path_ctx = &seen;
	scan_staged(g, rs, &o, &f);
	assert_int_equal(seen.n, 2);
	assert_string_equal(seen.paths[0], ".env");
	assert_string_equal(seen.paths[1], "keep");
	sg_findings_free(&f);
	sg_git_free(g);
	sg_ruleset_free(rs);
}

static void test_range_and_history(void **state)
{
	(void)state;
	assert_int_equal(
	        sh("git init -q -b main h && cd h && echo a > a && git add a && "
	           "git commit -q -m a && printf 'k = \"%s\"\\n' > s.py && git add s.py && "
	           "git commit -q -m key && cp s.py t.py && git add t.py && git commit -q "
	           "-m copy && git rm -q s.py t.py && git commit -q -m gone",
	           key('G')),
	        0);
	sg_ruleset *rs = rules();
	sg_git *g = open_repo("h");
	sg_git_options o = SG_GIT_OPTIONS_INIT;
	sg_notices nt;
	sg_notices_init(&nt);

	sg_findings f;
	sg_findings_init(&f, 0);
	sg_scan_stats st = {0};
	const char *revs[] = {"HEAD~3..HEAD"};
	sg_git_range range = {revs, 1, 0, 0};
	assert_int_equal(sg_git_scan_range(g, rs, &o, &range, &f, &st, &nt), 0);
	/* the key commit and the copy commit (an added file) each add it */
	assert_int_equal(f.count, 2);
	for (size_t i = 0; i < f.count; i++) {
		assert_non_null(f.items[i].commit);
		assert_string_equal(f.items[i].author, "Ada");
		assert_string_equal(f.items[i].email, "ada@example.com");
		assert_non_null(f.items[i].date);
	}
	sg_findings_free(&f);

	sg_findings_init(&f, 0);
	memset(&st, 0, sizeof(st));
	assert_int_equal(sg_git_scan_history(g, rs, &o, NULL, 0, &f, &st, &nt), 0);
	assert_int_equal(st.files, 2); /* a and the key file: one blob each */
	assert_int_equal(f.count, 1);
	assert_string_equal(f.items[0].path, "s.py");
	assert_int_equal(f.items[0].other_paths, 1);
	assert_int_equal(f.items[0].other_commits, 1);
	sg_findings_free(&f);
	sg_notices_free(&nt);
	sg_git_free(g);
	sg_ruleset_free(rs);
}

/* Run a staged scan with options o; the caller frees *f (its rule ids live
 * as long as the shared rule set). */
static int staged_scan(const char *repo, const sg_git_options *o, sg_findings *f)
{
	sg_ruleset *rs = test_rules ? test_rules : (test_rules = rules());
	sg_git *g = open_repo(repo);
	sg_scan_stats st = {0};
	sg_notices nt;
	sg_notices_init(&nt);
	sg_findings_init(f, 0);
	int r = sg_git_scan_staged(g, rs, o, f, &st, &nt);
	sg_notices_free(&nt);
	sg_git_free(g);
	return r;
}

static void test_staged_index_path(void **state)
{
	(void)state;
	/* the key is staged only in another index file, as `git commit -a` does */
	assert_int_equal(sh("git init -q -b main ix && cd ix && echo a > a.py && git add . && "
	                    "git commit -q -m one && cp .git/index ../alt-index && "
	                    "printf 'k = \"%s\"\\n' >> a.py && GIT_INDEX_FILE=../alt-index git "
	                    "add a.py",
	                    key('H')),
	                 0);
	char alt[512], missing[512];
	snprintf(alt, sizeof(alt), "%s/alt-index", tmp);
	snprintf(missing, sizeof(missing), "%s/no-index", tmp);
	sg_git_options o = SG_GIT_OPTIONS_INIT;
	o.jobs = 1;
	sg_findings f;
	assert_int_equal(staged_scan("ix", &o, &f), 0);
	assert_int_equal(f.count, 0);
	sg_findings_free(&f);
	o.index_path = alt;
	assert_int_equal(staged_scan("ix", &o, &f), 0);
	assert_int_equal(f.count, 1);
	assert_string_equal(f.items[0].path, "a.py");
	assert_int_equal(f.items[0].line, 2);
	sg_findings_free(&f);
	o.index_path = missing;
	assert_int_equal(staged_scan("ix", &o, &f), SG_ENOTFOUND);
	assert_non_null(strstr(sg_error_last(), "GIT_INDEX_FILE"));
	sg_findings_free(&f);
}

static const sg_finding *find_rule(const sg_findings *f, const char *rule)
{
	for (size_t i = 0; i < f->count; i++)
		if (!strcmp(f->items[i].rule_id, rule))
			return &f->items[i];
	return NULL;
}

static void test_staged_skips(void **state)
{
	(void)state;
	/* a source file with a stray NUL, and an image holding a key */
	assert_int_equal(sh("git init -q -b main sk && cd sk && printf 'x = 1 # \\000\\nk = "
	                    "\"%s\"\\n' > a.py && { printf '\\211PNG\\r\\n\\032\\n\\000\\000'; "
	                    "printf 'k = \"%s\"\\n'; } > b.png && git add .",
	                    key('J'), key('K')),
	                 0);
	sg_git_options o = SG_GIT_OPTIONS_INIT;
	o.jobs = 1;
	sg_findings f;
	assert_int_equal(staged_scan("sk", &o, &f), 0);
	assert_int_equal(f.count, 2);
	const sg_finding *key_in_py = find_rule(&f, "test-aws-key");
	const sg_finding *skip = find_rule(&f, "skipped-binary");
	assert_non_null(key_in_py);
	assert_string_equal(key_in_py->path, "a.py");
	assert_int_equal(key_in_py->suppressed, SG_SUPPRESS_NONE);
	assert_non_null(skip);
	assert_string_equal(skip->path, "b.png");
	assert_non_null(skip->blob);
	assert_null(skip->secret);
	assert_int_equal(skip->suppressed, SG_SUPPRESS_WARNING);
	sg_findings_free(&f);
	o.strict = 1;
	assert_int_equal(staged_scan("sk", &o, &f), 0);
	skip = find_rule(&f, "skipped-binary");
	assert_non_null(skip);
	assert_int_equal(skip->suppressed, SG_SUPPRESS_NONE);
	sg_findings_free(&f);
	/* over the size cap */
	o.strict = 0;
	o.max_blob_size = 8;
	assert_int_equal(staged_scan("sk", &o, &f), 0);
	assert_int_equal(f.count, 2);
	assert_non_null(find_rule(&f, "skipped-too-big"));
	assert_null(find_rule(&f, "test-aws-key"));
	sg_findings_free(&f);
}

static void test_messages(void **state)
{
	(void)state;
	assert_int_equal(sh("git init -q -b main m && cd m && echo a > a && git add a && "
	                    "git commit -q -m a && echo b > b && git add b && git commit -q -m "
	                    "'fix\n\nkey %s' && git tag -a v1 -m 'notes %s'",
	                    key('L'), key('M')),
	                 0);
	sg_ruleset *rs = rules();
	sg_git *g = open_repo("m");
	sg_git_options o = SG_GIT_OPTIONS_INIT;
	sg_notices nt;
	sg_notices_init(&nt);
	sg_findings f;
	sg_findings_init(&f, 0);
	sg_scan_stats st = {0};
	const char *revs[] = {"HEAD~1..HEAD"};
	sg_git_range range = {revs, 1, 0, 0};
	assert_int_equal(sg_git_scan_range(g, rs, &o, &range, &f, &st, &nt), 0);
	assert_int_equal(f.count, 2);
	int commit_seen = 0, tag_seen = 0;
	for (size_t i = 0; i < f.count; i++) {
		const sg_finding *x = &f.items[i];
		assert_non_null(x->commit);
		assert_string_equal(x->author, "Ada");
		assert_non_null(x->date);
		if (!strncmp(x->path, "commit:", 7)) {
			commit_seen = 1;
			assert_string_equal(x->path + 7, x->commit);
			assert_int_equal(x->line, 3);
		} else {
			tag_seen = !strcmp(x->path, "tag:v1");
		}
	}
	assert_true(commit_seen);
	assert_true(tag_seen);
	sg_findings_free(&f);
	sg_findings_init(&f, 0);
	assert_int_equal(sg_git_scan_history(g, rs, &o, NULL, 0, &f, &st, &nt), 0);
	assert_int_equal(f.count, 2);
	sg_findings_free(&f);
	sg_notices_free(&nt);
	sg_git_free(g);
	sg_ruleset_free(rs);
}

static void test_shallow_walk(void **state)
{
	(void)state;
	assert_int_equal(sh("git init -q -b main s && cd s && for i in 1 2 3 4 5; do echo $i > f; "
	                    "git add f; git commit -q -m c$i; done && cd .. && git clone -q "
	                    "--depth 2 \"file://%s/s\" c",
	                    tmp),
	                 0);
	sg_git *g = open_repo("c");
	git_repository *repo;
	char path[512];
	snprintf(path, sizeof(path), "%s/c", tmp);
	assert_int_equal(git_repository_open(&repo, path), 0);
	sg_commit_graph graph;
	assert_int_equal(sg_commit_graph_init(&graph, repo), 0);
	assert_true(graph.is_shallow);
	git_oid head;
	assert_int_equal(git_reference_name_to_id(&head, repo, "HEAD"), 0);
	uint32_t *out;
	size_t n;
	assert_int_equal(sg_commit_walk(&out, &n, &graph, &head, 1, NULL, 0), 0);
	assert_int_equal(n, 2);
	assert_int_equal(graph.cut, 1);
	/* parents first */
	assert_true(git_oid_equal(&graph.nodes[out[1]].id, &head));
	free(out);
	sg_commit_graph_free(&graph);
	git_repository_free(repo);
	sg_git_free(g);
}

/* Commits read from the packs by hand give the graph libgit2 gives:
 * merges (an octopus too), time zones either side of UTC, and a
 * committer line of another shape (left to libgit2). */
static void test_walk_native_commits(void **state)
{
	(void)state;
	assert_int_equal(
	        sh("git init -q -b main w && cd w && "
	           "c() { echo $1 > f$1; git add f$1; GIT_COMMITTER_DATE=\"$2\" git commit -q -m "
	           "$1; } && "
	           "c 1 '1700000000 +0000' && git branch a && git branch b && "
	           "c 2 '1700000100 -0730' && git checkout -q a && c 3 '1700000200 +1400' && "
	           "git checkout -q b && c 4 '1700000300 +0100' && git checkout -q main && "
	           "GIT_COMMITTER_DATE='1700000400 +0000' git merge -q --no-edit a b && "
	           "c 5 '1700000500 -1200' && git gc -q"),
	        0);
	git_repository *repo;
	char path[512];
	snprintf(path, sizeof(path), "%s/w", tmp);
	assert_int_equal(git_repository_open(&repo, path), 0);
	git_oid head;
	assert_int_equal(git_reference_name_to_id(&head, repo, "HEAD"), 0);
	sg_commit_graph plain, native;
	sg_packs *packs = NULL;
	assert_int_equal(sg_commit_graph_init(&plain, repo), 0);
	assert_int_equal(sg_commit_graph_init(&native, repo), 0);
	assert_int_equal(sg_packs_open_repo(&packs, repo), 0);
	assert_non_null(packs);
	assert_int_equal(sg_commit_graph_use_packs(&native, packs), 0);
	uint32_t *a, *b;
	size_t na, nb;
	assert_int_equal(sg_commit_walk(&a, &na, &plain, &head, 1, NULL, 0), 0);
	assert_int_equal(sg_commit_walk(&b, &nb, &native, &head, 1, NULL, 0), 0);
	assert_int_equal(na, 6);
	assert_int_equal(nb, na);
	int octopus = 0;
	for (size_t i = 0; i < na; i++) {
		const sg_commit_node *x = &plain.nodes[a[i]], *y = &native.nodes[b[i]];
		assert_true(git_oid_equal(&x->id, &y->id));
		assert_true(git_oid_equal(&x->tree, &y->tree));
		assert_int_equal(x->time, y->time);
		assert_int_equal(x->nparents, y->nparents);
		for (uint32_t k = 0; k < x->nparents; k++)
			assert_true(
			        git_oid_equal(&plain.nodes[plain.parent_ids[x->parents + k]].id,
			                      &native.nodes[native.parent_ids[y->parents + k]].id));
		octopus |= x->nparents == 3;
	}
	assert_true(octopus);
	/* every commit came from the pack, none through libgit2 */
	assert_int_equal(sg_pack_reader_stats(native.reader).read, 6);
	assert_int_equal(sg_pack_reader_stats(native.reader).fallback, 0);
	free(a);
	free(b);
	sg_commit_graph_free(&plain);
	sg_commit_graph_free(&native);
	sg_packs_free(packs);
	git_repository_free(repo);

	/* the header parser itself: what it takes, and what it leaves */
	const char *t = "tree 0123456789abcdef0123456789abcdef01234567\n";
	const char *pa = "parent 89abcdef0123456789abcdef0123456789abcdef\n";
	const char *au = "author A U <a@example.com> 1 +0000\n";
	char buf[8192];
	git_oid tree, parents[SG_COMMIT_MAX_PARENTS];
	unsigned np;
	int64_t when;
	snprintf(buf, sizeof(buf), "%s%s%s%scommitter C <c@x> 1700000000 -0130\n\nmsg\n", t, pa, pa,
	         au);
	assert_int_equal(sg_commit_header_parse(buf, strlen(buf), &tree, parents, &np, &when), 0);
	assert_int_equal(np, 2);
	assert_int_equal(when, 1700000000);
	const char *odd[] = {
	        "committer C <c@x> -5 +0000\n",                   /* a negative time */
	        "committer C <c@x> 1700000000\n",                 /* no zone */
	        "committer C c@x 1700000000 +0000\n",             /* no '>' before the time */
	        "committer C <c@x> 17000000000000000000 +0000\n", /* 20 digits */
	        "committer C <c@x>  +0000\n",                     /* no time */
	};
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		snprintf(buf, sizeof(buf), "%s%s%s", t, au, odd[i]);
		assert_int_equal(
		        sg_commit_header_parse(buf, strlen(buf), &tree, parents, &np, &when), -1);
	}
	/* no author line, a truncated tree id, parents past the cap */
	snprintf(buf, sizeof(buf), "%scommitter C <c@x> 1 +0000\n", t);
	assert_int_equal(sg_commit_header_parse(buf, strlen(buf), &tree, parents, &np, &when), -1);
	assert_int_equal(sg_commit_header_parse(t, 20, &tree, parents, &np, &when), -1);
	size_t n = (size_t)snprintf(buf, sizeof(buf), "%s", t);
	for (int i = 0; i < SG_COMMIT_MAX_PARENTS; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s", pa);
	snprintf(buf + n, sizeof(buf) - n, "%scommitter C <c@x> 1 +0000\n", au);
	assert_int_equal(sg_commit_header_parse(buf, strlen(buf), &tree, parents, &np, &when), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_added_lines),
	        cmocka_unit_test(test_oidmap),
	        cmocka_unit_test(test_staged),
	        cmocka_unit_test(test_staged_path_hook),
	        cmocka_unit_test(test_range_and_history),
	        cmocka_unit_test(test_shallow_walk),
	        cmocka_unit_test(test_walk_native_commits),
	        cmocka_unit_test(test_staged_index_path),
	        cmocka_unit_test(test_staged_skips),
	        cmocka_unit_test(test_messages),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
