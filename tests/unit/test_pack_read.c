/* Tests for the pack reader: every blob of packs git builds (OFS_DELTA
 * chains, REF_DELTA, small and no delta base caches) reads back as `git
 * cat-file blob` prints it; what it cannot read (a loose object, a damaged
 * pack, a bad offset, a blob over the cap) falls back, and the history
 * sweep finds the same secrets with either reader. */
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
#include "../encode.h"
#include "lib/sources/pack_order.h"
#include "lib/sources/pack_read.h"
#include "lib/engine/prefilter.h"
#include "secretgate/git.h"
#include "secretgate/artefact.h"

static char tmp[256];

#define sh(...) test_sh(tmp, __VA_ARGS__)

static int setup(void **state)
{
	(void)state;
	git_libgit2_init();
	snprintf(tmp, sizeof(tmp), "%s/sg-pack-XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

/* The output of a shell command run in tmp/repo (NUL-safe), or NULL. */
static char *run(size_t *len, const char *repo, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
static char *run(size_t *len, const char *repo, const char *fmt, ...)
{
	char cmd[2048];
	int n = snprintf(cmd, sizeof(cmd), "cd '%s/%s' && ", tmp, repo);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd + n, sizeof(cmd) - (size_t)n, fmt, ap);
	va_end(ap);
	FILE *p = popen(cmd, "r");
	if (!p)
		return NULL;
	size_t cap = 4096, k = 0, got;
	char *b = malloc(cap);
	while (b && (got = fread(b + k, 1, cap - k, p)) > 0) {
		k += got;
		if (k == cap)
			b = realloc(b, cap *= 2);
	}
	pclose(p);
	if (b)
		b[k < cap ? k : cap - 1] = '\0';
	*len = k;
	return b;
}

/* A repository whose files change over 40 commits, so packing them makes
 * delta chains, packed with the extra repack flags. */
static void build_repo(const char *name, const char *repack)
{
	assert_int_equal(
	        sh("git init -q -b main %s && cd %s && i=0 && while [ $i -lt 40 ]; do "
	           "seq 1 $((2000 + i * 37)) | sed \"s/^/line $i /\" > big.txt && "
	           "echo \"note $i\" >> notes.txt && seq $i $((i * 3)) > s$((i %% 3)).txt && "
	           "git add -A && git commit -q -m c$i && i=$((i + 1)); done && "
	           "git %s repack -adf -q --depth=50 --window=50",
	           name, name, repack),
	        0);
}

typedef struct blob_at {
	char id[41];
	uint64_t offset;
} blob_at;

/* The repository's blobs with their offsets in its one pack. */
static blob_at *packed_blobs(const char *repo, size_t *n)
{
	size_t len;
	char *types = run(&len, repo,
	                  "git cat-file --batch-all-objects --batch-check='%%(objectname) "
	                  "%%(objecttype)' | awk '$2 == \"blob\" { print $1 }'");
	char *index = run(&len, repo, "cat .git/objects/pack/*.idx | git show-index");
	assert_non_null(types);
	assert_non_null(index);
	blob_at *out = calloc(4096, sizeof(*out));
	*n = 0;
	for (char *line = strtok(index, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned long long off;
		char id[41];
		if (sscanf(line, "%llu %40s", &off, id) != 2 || !strstr(types, id))
			continue;
		assert_true(*n < 4096);
		memcpy(out[*n].id, id, 41);
		out[*n].offset = off;
		(*n)++;
	}
	free(types);
	free(index);
	return out;
}

static sg_packs *open_packs(const char *repo_name)
{
	char path[512], dir[4096];
	snprintf(path, sizeof(path), "%s/%s", tmp, repo_name);
	git_repository *repo;
	assert_int_equal(git_repository_open(&repo, path), 0);
	char **names;
	size_t n;
	sg_packs *packs;
	assert_int_equal(sg_pack_index_names(repo, dir, sizeof(dir), &names, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(sg_packs_open(&packs, dir, names, n), 0);
	sg_pack_names_free(names, n);
	git_repository_free(repo);
	return packs;
}

/* Read every blob with a reader of cache_bytes; each must equal git's. With
 * a prefilter kept (kp), the hits the reader gives must be a scan's, and
 * *derived counts the blobs that had them. */
static sg_pack_stats read_all_hits(const char *repo, sg_packs *packs, size_t cache_bytes,
                                   const sg_prefilter *kp, size_t *derived)
{
	size_t n;
	blob_at *blobs = packed_blobs(repo, &n);
	assert_true(n >= 40);
	sg_pack_reader *r;
	assert_int_equal(sg_pack_reader_new(&r, packs, cache_bytes), 0);
	if (kp)
		assert_int_equal(sg_pack_reader_keep_hits(r, kp), 0);
	for (size_t i = 0; i < n; i++) {
		size_t want_len;
		char *want = run(&want_len, repo, "git cat-file blob %s", blobs[i].id);
		const unsigned char *data;
		size_t len;
		int rc = sg_pack_read_blob(r, 0, blobs[i].offset, 1u << 30, &data, &len);
		if (rc != 0)
			fail_msg("%s: %d (%s)", blobs[i].id, rc, sg_pack_reader_why(r));
		assert_int_equal(len, want_len);
		assert_memory_equal(data, want, len);
		free(want);
		size_t nh;
		const sg_hit *h;
		int known = sg_pack_reader_hits(r, &h, &nh);
		if (kp && known) {
			sg_hits direct = {0};
			assert_int_equal(sg_prefilter_scan(kp, (const char *)data, len, &direct),
			                 0);
			assert_int_equal(nh, direct.count);
			if (nh)
				assert_memory_equal(h, direct.items, nh * sizeof(*h));
			sg_hits_free(&direct);
			(*derived)++;
		}
		assert_true(kp || !known);
	}
	sg_pack_stats st = sg_pack_reader_stats(r);
	sg_pack_reader_free(r);
	free(blobs);
	return st;
}

/* How many of the pack's entries (git verify-pack -v lines) meet the awk
 * condition: delta entries have 7 fields, the 6th their chain depth. */
static int count_entries(const char *repo, const char *cond)
{
	char cmd[256];
	snprintf(
	        cmd, sizeof(cmd),
	        "git verify-pack -v .git/objects/pack/*.idx | awk '%s { n++ } END { print n + 0 }'",
	        cond);
	size_t len;
	char *out = run(&len, repo, cmd);
	int n = atoi(out);
	free(out);
	return n;
}

static sg_pack_stats read_all(const char *repo, sg_packs *packs, size_t cache_bytes)
{
	return read_all_hits(repo, packs, cache_bytes, NULL, NULL);
}

/* Keywords that end up across the seams of the deltas: within a line, from
 * one line into the next, and in the numbers that change. */
static sg_prefilter *seam_keywords(void)
{
	const char *kws[] = {"line 1", "ine", "5\nline", "note", "e 3", "0 line 2", "7\n", "1"};
	sg_prefilter *p;
	assert_int_equal(sg_prefilter_new(&p), 0);
	for (uint32_t i = 0; i < 8; i++)
		assert_int_equal(sg_prefilter_add(p, kws[i], i), 0);
	assert_int_equal(sg_prefilter_build(p), 0);
	return p;
}

static void test_ofs_delta_chains(void **state)
{
	(void)state;
	build_repo("ofs", "");
	/* git made chains of deltas on deltas, as the test needs */
	assert_true(count_entries("ofs", "NF == 7 && $6 >= 2") >= 10);
	sg_packs *packs = open_packs("ofs");
	/* the sweep's cache, a cache smaller than one big.txt, and none */
	sg_pack_stats st = read_all("ofs", packs, SG_PACK_CACHE_BYTES / 2);
	assert_true(st.cache_hits > 0);
	assert_int_equal(st.fallback, 0);
	read_all("ofs", packs, 64 * 1024);
	read_all("ofs", packs, 0);
	/* the hits kept beside the blobs: a scan's, through the chains, with a
	 * cache of every base and with one that loses them */
	sg_prefilter *kp = seam_keywords();
	size_t derived = 0, few = 0, none = 0;
	read_all_hits("ofs", packs, SG_PACK_CACHE_BYTES / 2, kp, &derived);
	read_all_hits("ofs", packs, 64 * 1024, kp, &few);
	read_all_hits("ofs", packs, 0, kp, &none);
	assert_true(derived >= 40);
	assert_int_equal(none, 0); /* no cache: nothing kept */
	sg_prefilter_free(kp);
	sg_packs_free(packs);
}

static void test_ref_delta(void **state)
{
	(void)state;
	build_repo("ref", "-c repack.useDeltaBaseOffset=false");
	assert_true(count_entries("ref", "NF == 7") >= 10);
	sg_packs *packs = open_packs("ref");
	read_all("ref", packs, SG_PACK_CACHE_BYTES / 2);
	sg_packs_free(packs);
}

static unsigned char *slurp(const char *repo, const char *cmd_suffix, size_t *len)
{
	return (unsigned char *)run(len, repo, "cat .git/objects/pack/*.%s", cmd_suffix);
}

/* What the reader cannot vouch for falls back: offsets outside entries, a
 * cap below the blob's size, a pack number that is not there. */
static void test_fallbacks(void **state)
{
	(void)state;
	sg_packs *packs = open_packs("ofs");
	sg_pack_reader *r;
	assert_int_equal(sg_pack_reader_new(&r, packs, 1 << 20), 0);
	const unsigned char *data;
	size_t len, n;
	uint64_t bad[] = {0, 5, 11, UINT64_MAX, 1ull << 40, 1ull << 50};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(sg_pack_read_blob(r, 0, bad[i], 1u << 30, &data, &len),
		                 SG_PACK_FALLBACK);
	assert_int_equal(sg_pack_read_blob(r, 7, 12, 1u << 30, &data, &len), SG_PACK_FALLBACK);
	assert_string_equal(sg_pack_reader_why(r), "not in a pack read here");
	blob_at *blobs = packed_blobs("ofs", &n);
	int capped = 0;
	for (size_t i = 0; i < n; i++)
		capped += sg_pack_read_blob(r, 0, blobs[i].offset, 100, &data, &len) ==
		          SG_PACK_FALLBACK;
	assert_true(capped > 0); /* every big.txt is over 100 bytes */
	free(blobs);
	sg_pack_reader_free(r);
	sg_packs_free(packs);

	/* a pack whose index names another pack is not read at all */
	size_t pack_len, idx_len;
	unsigned char *pack = slurp("ofs", "pack", &pack_len);
	unsigned char *idx = slurp("ofs", "idx", &idx_len);
	pack[pack_len - 1] ^= 1;
	assert_int_equal(sg_packs_from_memory(&packs, pack, pack_len, idx, idx_len), 0);
	assert_int_equal(sg_pack_reader_new(&r, packs, 1 << 20), 0);
	assert_int_equal(sg_pack_read_blob(r, 0, 12, 1u << 30, &data, &len), SG_PACK_FALLBACK);
	sg_pack_reader_free(r);
	sg_packs_free(packs);
	free(pack);
	free(idx);
}

/* A damaged byte anywhere in the pack: each read is right or falls back. */
static void test_corrupt_bytes(void **state)
{
	(void)state;
	size_t pack_len, idx_len, n;
	unsigned char *pack = slurp("ofs", "pack", &pack_len);
	unsigned char *idx = slurp("ofs", "idx", &idx_len);
	blob_at *blobs = packed_blobs("ofs", &n);
	char **want = calloc(n, sizeof(*want));
	size_t *want_len = calloc(n, sizeof(*want_len));
	for (size_t i = 0; i < n; i++)
		want[i] = run(&want_len[i], "ofs", "git cat-file blob %s", blobs[i].id);
	int fell_back = 0;
	for (size_t at = 12; at < pack_len - 20; at += pack_len / 61) {
		pack[at] ^= 0x5a;
		sg_packs *packs;
		sg_pack_reader *r;
		assert_int_equal(sg_packs_from_memory(&packs, pack, pack_len, idx, idx_len), 0);
		assert_int_equal(sg_pack_reader_new(&r, packs, 256 * 1024), 0);
		for (size_t i = 0; i < n; i++) {
			const unsigned char *data;
			size_t len;
			int rc = sg_pack_read_blob(r, 0, blobs[i].offset, 1u << 30, &data, &len);
			assert_true(rc == 0 || rc == SG_PACK_FALLBACK);
			fell_back += rc == SG_PACK_FALLBACK;
			if (rc == 0) {
				assert_int_equal(len, want_len[i]);
				assert_memory_equal(data, want[i], len);
			}
		}
		sg_pack_reader_free(r);
		sg_packs_free(packs);
		pack[at] ^= 0x5a;
	}
	assert_true(fell_back > 0);
	for (size_t i = 0; i < n; i++)
		free(want[i]);
	free(want);
	free(want_len);
	free(blobs);
	free(pack);
	free(idx);
}

static size_t history(const char *repo_name, int reader, sg_findings *f, int *rc)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", tmp, repo_name);
	sg_ruleset *rs = test_ruleset(test_aws_rule);
	sg_git *g;
	assert_int_equal(sg_git_open(&g, path), 0);
	sg_git_options o = SG_GIT_OPTIONS_INIT;
	o.pack_reader = reader;
	o.jobs = 2;
	sg_notices nt;
	sg_notices_init(&nt);
	sg_scan_stats st = {0};
	sg_findings_init(f, 0);
	*rc = sg_git_scan_history(g, rs, &o, NULL, 0, f, &st, &nt);
	sg_notices_free(&nt);
	sg_git_free(g);
	sg_ruleset_free(rs);
	return st.files;
}

/* The two readers' reports: the same findings, attributed alike. */
static void assert_same_findings(const sg_findings *a, const sg_findings *b)
{
	assert_int_equal(a->count, b->count);
	for (size_t i = 0; i < a->count; i++) {
		assert_string_equal(a->items[i].path, b->items[i].path);
		assert_string_equal(a->items[i].commit, b->items[i].commit);
		assert_string_equal(a->items[i].blob, b->items[i].blob);
		assert_string_equal(a->items[i].fingerprint, b->items[i].fingerprint);
		assert_int_equal(a->items[i].line, b->items[i].line);
		assert_int_equal(a->items[i].other_commits, b->items[i].other_commits);
	}
}

/* A secret in a packed blob and one in a loose object: both readers find
 * both, with the same findings. */
static void test_history_loose_and_packed(void **state)
{
	(void)state;
	char k1[21], k2[21];
	test_aws_key(k1, 1);
	test_aws_key(k2, 2);
	build_repo("mixed", "");
	assert_int_equal(sh("cd mixed && printf 'a = %s\\n' > p.txt && git add p.txt && "
	                    "git commit -q -m p && git repack -adq && "
	                    "printf 'b = %s\\n' > l.txt && git add l.txt && git commit -q -m l",
	                    k1, k2),
	                 0);
	sg_findings a, b;
	int ra, rb;
	size_t files_a = history("mixed", SG_GIT_PACK_NATIVE, &a, &ra);
	size_t files_b = history("mixed", SG_GIT_PACK_LIBGIT2, &b, &rb);
	assert_int_equal(ra, 0);
	assert_int_equal(rb, 0);
	assert_int_equal(files_a, files_b);
	assert_int_equal(a.count, 2);
	assert_same_findings(&a, &b);
	sg_findings_free(&a);
	sg_findings_free(&b);
}

/* Secrets inside the copies of deltas: one file gains a key every few
 * commits and keeps the earlier ones, packed in deep chains, so most of its
 * versions get their keyword hits moved from their bases'. Both readers
 * report the same findings, each attributed to the same commit and blob. */
static void test_history_secrets_in_delta_copies(void **state)
{
	(void)state;
	assert_int_equal(sh("git init -q -b main deltas && cd deltas && seq 1 3000 | "
	                    "sed 's/^/filler line /' > f.txt && git add f.txt && "
	                    "git commit -q -m c0"),
	                 0);
	for (int i = 1; i <= 24; i++) {
		char key[21];
		test_aws_key(key, (uint32_t)(100 + i));
		/* each commit changes a filler line; every third one adds a key */
		assert_int_equal(sh("cd deltas && sed -i 's/^filler line %d$/edited %d/' f.txt && "
		                    "git commit -q -am c%d",
		                    i * 97, i, i),
		                 0);
		if (i % 3 == 0)
			assert_int_equal(sh("cd deltas && sed -i '%d a key_%d = %s' f.txt && "
			                    "git commit -q -am k%d",
			                    i * 100, i, key, i),
			                 0);
	}
	assert_int_equal(sh("cd deltas && git repack -adfq --depth=50 --window=50"), 0);
	assert_true(count_entries("deltas", "NF == 7 && $6 >= 4") >= 5);
	sg_findings a, b;
	int ra, rb;
	history("deltas", SG_GIT_PACK_NATIVE, &a, &ra);
	history("deltas", SG_GIT_PACK_LIBGIT2, &b, &rb);
	assert_int_equal(ra, 0);
	assert_int_equal(rb, 0);
	assert_int_equal(a.count, 8);
	assert_same_findings(&a, &b);
	sg_findings_free(&a);
	sg_findings_free(&b);
}

/* Findings of one decode: where, what, how encoded. */
static void assert_same_decoded(const sg_findings *a, const sg_findings *b, const char *id)
{
	if (a->count != b->count)
		fail_msg("%s: %zu findings against %zu", id, a->count, b->count);
	for (size_t i = 0; i < a->count; i++) {
		assert_int_equal(a->items[i].line, b->items[i].line);
		assert_int_equal(a->items[i].column, b->items[i].column);
		assert_int_equal(a->items[i].offset, b->items[i].offset);
		assert_string_equal(a->items[i].fingerprint, b->items[i].fingerprint);
		assert_memory_equal(a->items[i].decoded, b->items[i].decoded,
		                    sizeof(a->items[i].decoded));
	}
}

static int by_offset(const void *x, const void *y)
{
	const blob_at *a = x, *b = y;
	return a->offset < b->offset ? -1 : a->offset > b->offset;
}

/* A blob made from one in which nothing decoded is decoded only on the lines
 * its delta did not copy whole: the findings and the verdict "nothing
 * decoded" must be what decoding all of it gives, for encoded keys put in
 * new lines, into the middle of copied lines, across an edit's seam (half a
 * run copied, half inserted) and as escapes. */
static void test_decoding_through_quiet_bases(void **state)
{
	(void)state;
	assert_int_equal(sh("git init -q -b main enc && cd enc && seq 1 3000 | "
	                    "sed 's/^/filler line /' > f.txt && git add f.txt && "
	                    "git commit -q -m c0"),
	                 0);
	for (int i = 1; i <= 30; i++) {
		char key[21], plain[64], b64[128], hex[128], pct[200];
		test_aws_key(key, (uint32_t)(300 + i));
		snprintf(plain, sizeof(plain), "aws = %s", key);
		test_base64(b64, plain);
		test_hex(hex, plain, 0);
		test_percent(pct, plain);
		/* a filler line edited in every commit: the deltas' seams */
		assert_int_equal(sh("cd enc && sed -i 's/^filler line %d$/edited %d/' f.txt && "
		                    "git commit -q -am c%d",
		                    i * 89, i, i),
		                 0);
		/* an encoded key put in, committed, then taken out again, so the
		 * versions with one and those without are deltas of each other */
		const char *edit;
		switch (i % 6) {
		case 0: /* a new line */
			edit = "sed -i '%d a blob: %s' f.txt";
			break;
		case 1: /* into the middle of a copied line */
			edit = "sed -i '%ds/line /line %s /' f.txt";
			break;
		case 2: /* a run whose first 12 characters were there before */
			edit = "sed -i '%ds/$/%s/' f.txt";
			break;
		case 3:
			edit = "sed -i '%ds/$/ %s/' f.txt";
			break;
		case 4: /* hex of one case, in place of a line */
			edit = "sed -i '%dc v = \"%s\"' f.txt";
			break;
		default: /* an escape cluster */
			edit = "sed -i '%d a url = %s' f.txt";
			break;
		}
		const char *what = i % 6 == 4   ? hex
		                   : i % 6 == 5 ? pct
		                   : i % 6 == 2 ? b64 + 12
		                                : b64;
		char cmd[512];
		if (i % 6 == 2) {
			assert_int_equal(sh("cd enc && sed -i '%ds/$/ x%.12s/' f.txt && "
			                    "git commit -q -am h%d",
			                    i * 100, b64, i),
			                 0);
		}
		snprintf(cmd, sizeof(cmd), edit, i * 100, what);
		/* lines taken out beside it leave the version with the key the
		 * smaller, which git makes a delta of the larger one without */
		assert_int_equal(
		        sh("cd enc && %s && sed -i '%d,%dd' f.txt && git commit -q -am k%d && "
		           "git checkout -q HEAD~1 -- f.txt && git commit -q -am r%d",
		           cmd, i * 100 + 40, i * 100 + 49, i, i),
		        0);
	}
	assert_int_equal(sh("cd enc && git repack -adfq --depth=50 --window=50"), 0);
	sg_packs *packs = open_packs("enc");
	size_t n;
	blob_at *blobs = packed_blobs("enc", &n);
	/* in pack order, as the sweep reads them: bases before their deltas */
	qsort(blobs, n, sizeof(*blobs), by_offset);
	sg_ruleset *rs = test_ruleset(test_aws_rule);
	sg_pack_reader *r;
	assert_int_equal(sg_pack_reader_new(&r, packs, SG_PACK_CACHE_BYTES / 2), 0);
	assert_int_equal(sg_pack_reader_keep_hits(r, sg_ruleset_prefilter(rs)), 0);
	sg_scanner *s, *whole;
	assert_int_equal(sg_scanner_new(&s, rs, NULL), 0);
	assert_int_equal(sg_scanner_new(&whole, rs, NULL), 0);
	size_t derived = 0, quiet = 0, found = 0;
	for (size_t i = 0; i < n; i++) {
		const unsigned char *data;
		size_t len;
		assert_int_equal(sg_pack_read_blob(r, 0, blobs[i].offset, 1u << 30, &data, &len),
		                 0);
		const char *t = (const char *)data;
		const sg_copy *copies;
		size_t nc;
		sg_origin o = {.path = "f.txt"};
		sg_findings a, b;
		sg_findings_init(&a, 0);
		sg_findings_init(&b, 0);
		if (sg_pack_reader_quiet_base(r, &copies, &nc)) {
			sg_scanner_offer(s, t, len,
			                 &(sg_chunk_known){.copies = copies, .ncopies = nc});
			derived++;
		}
		assert_int_equal(sg_decode_scan(s, t, len, &o, NULL, &a, NULL), 0);
		assert_int_equal(sg_decode_scan(whole, t, len, &o, NULL, &b, NULL), 0);
		sg_findings_sort(&a);
		sg_findings_sort(&b);
		assert_same_decoded(&a, &b, blobs[i].id);
		assert_int_equal(sg_scanner_decode_quiet(s, t, len),
		                 sg_scanner_decode_quiet(whole, t, len));
		if (sg_scanner_decode_quiet(s, t, len)) {
			sg_pack_reader_mark_quiet(r);
			quiet++;
		}
		for (size_t k = 0; k < a.count; k++)
			found += a.items[k].decoded[0] != 0;
		sg_findings_free(&a);
		sg_findings_free(&b);
	}
	/* the case was made: blobs were decoded in part, and keys were found */
	print_message("derived %zu quiet %zu found %zu of %zu blobs\n", derived, quiet, found, n);
	assert_true(derived >= 10);
	assert_true(quiet >= 5);
	assert_true(found >= 20);
	sg_scanner_free(s);
	sg_scanner_free(whole);
	sg_pack_reader_free(r);
	sg_ruleset_free(rs);
	sg_packs_free(packs);
	free(blobs);
}

/* A damaged blob entry on disk: the native reader leaves it to libgit2,
 * which reports it; the sweep ends in the same clear error either way. */
static void test_history_corrupt_pack(void **state)
{
	(void)state;
	char k1[21];
	test_aws_key(k1, 3);
	assert_int_equal(sh("git init -q -b main bad && cd bad && "
	                    "printf 'a = %s\\n' > p.txt && git add p.txt && git commit -q -m p && "
	                    "git repack -adq && chmod u+w .git/objects/pack/*.pack",
	                    k1),
	                 0);
	size_t len, n;
	char *id = run(&len, "bad", "git rev-parse HEAD:p.txt");
	blob_at *blobs = packed_blobs("bad", &n);
	uint64_t off = 0;
	for (size_t i = 0; i < n; i++)
		if (!strncmp(blobs[i].id, id, 40))
			off = blobs[i].offset;
	assert_true(off > 0);
	/* a byte inside the entry's deflate stream (after its 2-byte header) */
	assert_int_equal(sh("cd bad && p=$(ls .git/objects/pack/*.pack) && "
	                    "printf '\\377' | dd of=$p bs=1 seek=%llu conv=notrunc",
	                    (unsigned long long)off + 6),
	                 0);
	sg_findings a, b;
	int ra, rb;
	history("bad", SG_GIT_PACK_NATIVE, &a, &ra);
	history("bad", SG_GIT_PACK_LIBGIT2, &b, &rb);
	assert_true(ra < 0);
	assert_int_equal(ra, rb);
	sg_findings_free(&a);
	sg_findings_free(&b);
	free(blobs);
	free(id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_ofs_delta_chains),
	        cmocka_unit_test(test_ref_delta),
	        cmocka_unit_test(test_fallbacks),
	        cmocka_unit_test(test_corrupt_bytes),
	        cmocka_unit_test(test_history_loose_and_packed),
	        cmocka_unit_test(test_history_secrets_in_delta_copies),
	        cmocka_unit_test(test_decoding_through_quiet_bases),
	        cmocka_unit_test(test_history_corrupt_pack),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
