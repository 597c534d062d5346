/* secretgate git: the staged change (pre-commit), a commit range (CI,
 * pre-push) or every blob of history (sweeps). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <git2.h>
#include "cli/cli.h"
#include "secretgate/env.h"
#include "secretgate/git.h"
#include "lib/sources/git_describe.h"

static const char git_help[] =
        "usage: secretgate git [options] --staged\n"
        "       secretgate git [options] RANGE...        (A..B, A...B, REV, ^REV)\n"
        "       secretgate git [options] --since REV     (REV..HEAD)\n"
        "       secretgate git [options] --all-refs\n"
        "       secretgate git [options] --history [REF...]\n"
        "\n"
        "Scan a git repository. --staged judges the lines the next commit adds, read from the\n"
        "index git names (GIT_INDEX_FILE, else .git/index; the pre-commit hook). A range judges\n"
        "what each commit added against its first parent, and commit and annotated tag\n"
        "messages, and reports commit, author and date. --history scans every blob reachable\n"
        "from all refs (or the REFs given) once and attributes each secret to the commit and\n"
        "path that first carried it, and every commit and tag message.\n"
        "\n"
        "Git options:\n"
        "      --staged            the index against HEAD (the empty tree before a first commit)\n"
        "      --since REV         the commits after REV up to HEAD\n"
        "      --all-refs          every commit reachable from any ref\n"
        "      --exclude-remotes   leave out commits reachable from remote-tracking refs\n"
        "      --history           every unique blob of history, attributed\n"
        "      --no-env-files      --staged: do not block committed .env files\n"
        "      --strict            staged and range modes: a file skipped as binary or over the\n"
        "                          size cap (skipped-binary, skipped-too-big) blocks\n"
        "      --per-commit        a range: diff every changed file of every commit instead of\n"
        "                          scanning each added blob once first (same findings, slower)\n"
        "      --index-reader=M    --staged: auto (default: the index read with its cache-tree,\n"
        "                          libgit2 for what that reader leaves), libgit2, cache-tree\n"
        "      --pack-reader=M     --history and ranges: native (default: blobs read from the\n"
        "                          packs by hand, libgit2 for what that reader leaves), libgit2\n"
        "      --policy-from REV   read .secretgate.yml, the ignore file and the baseline from\n"
        "                          REV (default for a range: its base; see docs/security.md)\n"
        "      --fail-on-new-allows  a range: inline allow markers it adds block\n"
        "      --progress          progress line on stderr (history and ranges) even when it is\n"
        "                          not a terminal\n"
        "      --no-progress       no progress line\n"
        "  -C DIR                  run as if started in DIR\n"
        "\n"
        "Examples:\n"
        "  secretgate git --staged\n"
        "  secretgate git origin/main..HEAD --format sarif --output secretgate.sarif\n"
        "  secretgate git --history --format jsonl\n"
        "\n";

typedef struct progress_state {
	int shown;
	int eager;      /* --progress: from the start, not only after a second */
	int tty;        /* stderr is a terminal: one line redrawn in place */
	double last_ms; /* otherwise: plain lines, one every few seconds */
} progress_state;

static void show_progress(void *ctx, const sg_git_progress *p)
{
	progress_state *ps = ctx;
	double secs = p->elapsed_ms / 1000.0;
	/* a scan over within a second needs no progress line */
	if (!ps->shown && !ps->eager && p->elapsed_ms < 1000)
		return;
	/* a log file or CI console gets no terminal escape codes, and a line
	 * every 5 s rather than every redraw */
	if (!ps->tty) {
		if (ps->shown && p->elapsed_ms - ps->last_ms < 5000 &&
		    p->blobs_done < p->blobs_total)
			return;
		ps->last_ms = p->elapsed_ms;
	}
	const char *start = ps->tty ? "\r" : "", *end = ps->tty ? "\033[K" : "\n";
	double left =
	        p->blobs_done && p->blobs_total > p->blobs_done
	                ? secs * (double)(p->blobs_total - p->blobs_done) / (double)p->blobs_done
	                : 0;
	if (p->what) {
		fprintf(stderr, "%ssecretgate: %llu/%llu %s, about %.0f s left%s", start,
		        (unsigned long long)p->blobs_done, (unsigned long long)p->blobs_total,
		        p->what, left, end);
		ps->shown = 1;
		return;
	}
	double rate = secs > 0 ? (double)p->bytes_done / 1e6 / secs : 0;
	fprintf(stderr, "%ssecretgate: %llu/%llu blobs, %.1f MB, %.1f MB/s, about %.0f s left%s",
	        start, (unsigned long long)p->blobs_done, (unsigned long long)p->blobs_total,
	        (double)p->bytes_done / 1e6, rate, left, end);
	ps->shown = 1;
}

static int file_exists(const char *p)
{
	struct stat sb;
	return stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* The env manifest, when the repository has one; a broken one is reported
 * and the default env-file policy applies. */
static sg_manifest *load_manifest(const cli_options *o, const char *root)
{
	char path[4096];
	sg_manifest *m = NULL;
	if (!root)
		return NULL;
	snprintf(path, sizeof(path), "%s.secretgate/env.yml", root);
	if (!file_exists(path))
		return NULL;
	if (sg_manifest_load(&m, path) < 0) {
		cli_notice(o, "%s: %s (default env-file policy used)", path, sg_error_last());
		return NULL;
	}
	return m;
}

/* What `secretgate git` is asked to do, filled from git_table. */
typedef struct git_args {
	int staged, history, all_refs, exclude_remotes, no_env_files, strict, per_commit;
	int fail_on_new_allows, progress, index_reader, pack_reader, help;
	const char *policy_from, *since, *dir;
} git_args;

/* *out = values[k] for the names[k] that v is, else a usage error. */
static int pick(int *out, const char *name, const char *v, const char *const *names,
                const int *values, size_t n, const char *choices)
{
	for (size_t k = 0; k < n; k++)
		if (!strcmp(v, names[k])) {
			*out = values[k];
			return 0;
		}
	cli_error("usage", "%s wants %s, not '%s'", name, choices, v);
	return -1;
}

static int set_index_reader(void *p, const char *name, const char *v)
{
	static const char *const names[] = {"auto", "libgit2", "cache-tree"};
	static const int readers[] = {SG_GIT_INDEX_AUTO, SG_GIT_INDEX_LIBGIT2,
	                              SG_GIT_INDEX_CACHE_TREE};
	return pick(&((git_args *)p)->index_reader, name, v, names, readers, 3,
	            "auto, libgit2 or cache-tree");
}

static int set_pack_reader(void *p, const char *name, const char *v)
{
	static const char *const names[] = {"native", "libgit2"};
	static const int readers[] = {SG_GIT_PACK_NATIVE, SG_GIT_PACK_LIBGIT2};
	return pick(&((git_args *)p)->pack_reader, name, v, names, readers, 2, "native or libgit2");
}

/* A revision option: non-empty. */
static int revision(const char **out, const char *name, const char *v)
{
	if (!*v) {
		cli_error("usage", "%s needs a revision", name);
		return -1;
	}
	*out = v;
	return 0;
}

static int set_policy_from(void *p, const char *name, const char *v)
{
	return revision(&((git_args *)p)->policy_from, name, v);
}

static int set_since(void *p, const char *name, const char *v)
{
	return revision(&((git_args *)p)->since, name, v);
}

static const cli_opt git_table[] = {
        CLI_FLAG("--help", "-h", git_args, help, 1),
        CLI_FLAG("--staged", "--cached", git_args, staged, 1),
        CLI_FLAG("--history", NULL, git_args, history, 1),
        CLI_FLAG("--all-refs", "--all", git_args, all_refs, 1),
        CLI_FLAG("--exclude-remotes", NULL, git_args, exclude_remotes, 1),
        CLI_FLAG("--no-env-files", NULL, git_args, no_env_files, 1),
        CLI_FLAG("--strict", NULL, git_args, strict, 1),
        CLI_FLAG("--per-commit", NULL, git_args, per_commit, 1),
        CLI_FLAG("--progress", NULL, git_args, progress, 1),
        CLI_FLAG("--no-progress", NULL, git_args, progress, 0),
        CLI_FLAG("--fail-on-new-allows", NULL, git_args, fail_on_new_allows, 1),
        {.name = "--index-reader", .has_value = 1, .set = set_index_reader},
        {.name = "--pack-reader", .has_value = 1, .set = set_pack_reader},
        {.name = "--policy-from", .has_value = 1, .set = set_policy_from},
        {.name = "--since", .has_value = 1, .set = set_since},
        CLI_VALUE("-C", NULL, git_args, dir),
        {0},
};

int cmd_git(int argc, char **argv)
{
	cli_options o = CLI_OPTIONS_INIT;
	git_args ga = {.progress = -1,
	               .index_reader = SG_GIT_INDEX_AUTO,
	               .pack_reader = SG_GIT_PACK_NATIVE};
	const char **revs = calloc((size_t)argc + 1, sizeof(char *));
	char *since = NULL;
	size_t nrevs = 0;
	int only_revs = 0;
	if (!revs)
		return EXIT_ERROR;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (only_revs || a[0] != '-' || !strcmp(a, "-")) {
			revs[nrevs++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_revs = 1;
			continue;
		}
		int r = cli_parse_option(git_table, &ga, NULL, &o, argc, argv, &i);
		if (r == 1 && ga.help) {
			fputs(git_help, stdout);
			fputs(cli_common_help, stdout);
			free(revs);
			return EXIT_CLEAN;
		}
		if (r == 1)
			continue;
		if (r == 0)
			cli_error_unknown_option("git", a, git_help);
		free(revs);
		return EXIT_ERROR;
	}
	if (ga.since) {
		size_t n = strlen(ga.since) + 8;
		if (!(since = malloc(n))) {
			free(revs);
			return EXIT_ERROR;
		}
		snprintf(since, n, "%s..HEAD", ga.since);
	}
	int staged = ga.staged, history = ga.history, all_refs = ga.all_refs;
	int exclude_remotes = ga.exclude_remotes, env_files = !ga.no_env_files;
	int fail_on_new_allows = ga.fail_on_new_allows, progress = ga.progress;
	const char *policy_from = ga.policy_from, *dir = ga.dir;
	if (since)
		revs[nrevs++] = since;
	int modes = staged + history + (!history && (nrevs > 0 || all_refs));
	if (modes != 1 || (history && all_refs)) {
		cli_error("usage",
		          modes ? "choose one of --staged, a range, or --history"
		                : "say what to scan: --staged, a range (A..B), --since "
		                  "REV, --all-refs or --history (see 'secretgate git --help')");
		free(since);
		free(revs);
		return EXIT_ERROR;
	}
	if (staged && (exclude_remotes || policy_from || fail_on_new_allows)) {
		cli_error("usage", "%s applies to ranges, not --staged",
		          exclude_remotes ? "--exclude-remotes"
		          : policy_from   ? "--policy-from"
		                          : "--fail-on-new-allows");
		free(since);
		free(revs);
		return EXIT_ERROR;
	}

	if (history && fail_on_new_allows) {
		cli_error("usage", "--fail-on-new-allows applies to ranges, not --history");
		free(since);
		free(revs);
		return EXIT_ERROR;
	}

	double t0 = cli_now_ms();
	sg_git *g = NULL;
	/* Reading every object re-hashed costs a fifth of a history sweep; a
	 * scanner judges content and vouches for nothing, as git cat-file does not
	 * re-hash either. The option is process-wide, so the CLI sets it. */
	git_libgit2_init();
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	/* Packs are read front to back: a few small windows and a modest object
	 * cache keep the resident set far below the pack's size. */
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)32 * 1024 * 1024);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)128 * 1024 * 1024);
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)64 * 1024 * 1024);
	if (sg_git_open(&g, dir ? dir : ".") < 0) {
		cli_error("git", "%s", sg_error_last());
		free(since);
		free(revs);
		return EXIT_ERROR;
	}
	const char *root = sg_git_workdir(g);
	sg_git_range range = {revs, nrevs, all_refs, exclude_remotes};
	cli_policy policy = {0};
	if (!staged && cli_policy_load(&policy, &o, g, history ? NULL : &range, policy_from) < 0) {
		sg_git_free(g);
		free(since);
		free(revs);
		return EXIT_ERROR;
	}
	o.policy = policy.policy;
	cli_context ctx;
	if (cli_context_load(&ctx, &o, root ? root : (dir ? dir : NULL)) < 0) {
		cli_policy_free(&policy);
		sg_git_free(g);
		free(since);
		free(revs);
		return EXIT_ERROR;
	}
	sg_git_info info;
	sg_git_describe(g, &info);
	memcpy(ctx.repository, info.repository, sizeof(ctx.repository));
	memcpy(ctx.head, info.head, sizeof(ctx.head));
	memcpy(ctx.forge_url, info.forge_url, sizeof(ctx.forge_url));
	ctx.forge = info.forge;
	sg_git_options go = SG_GIT_OPTIONS_INIT;
	go.jobs = o.jobs;
	go.binary = o.binary;
	go.max_blob_size = o.max_file_size ? o.max_file_size : ctx.config->max_file_size;
	go.scan.include_unverified = o.include_unverified;
	go.scan.min_confidence = o.min_confidence;
	go.scan.context_overrides = ctx.config->contexts;
	go.scan.ncontext_overrides = ctx.config->ncontexts;
	go.scan.inline_allow = !o.no_inline_allow;
	go.scan.defer_weak_fingerprints = 1; /* cli_finish's writers fill them */
	go.scan.artefacts = o.artefacts;
	go.strict = ga.strict;
	go.range_per_commit = ga.per_commit;
	go.index_reader = ga.index_reader;
	go.pack_reader = ga.pack_reader;
	/* git commits from another index for `commit -a`, `commit PATH` and
	 * `commit -i PATH`, and names it here, relative to the directory git
	 * runs in (which -C stands for) */
	const char *index_env = staged ? getenv("GIT_INDEX_FILE") : NULL;
	char *index_path = index_env && *index_env ? sg_path_in(dir, index_env) : NULL;
	go.index_path = index_path;
	sg_manifest *manifest = staged && env_files ? load_manifest(&o, root) : NULL;
	if (env_files) {
		go.staged_path = sg_envcheck_staged_hook;
		go.staged_path_ctx = manifest;
	}
	progress_state ps = {.eager = progress == 1, .tty = isatty(2)};
	if (!staged && !o.quiet && (progress == 1 || (progress == -1 && ps.tty))) {
		go.progress = show_progress;
		go.progress_ctx = &ps;
	}

	sg_findings f;
	sg_findings_init(&f, 0);
	sg_scan_stats st = {.mode = staged ? "git-staged" : history ? "git-history" : "git-range"};
	sg_notices nt;
	sg_notices_init(&nt);
	int r;
	if (staged) {
		r = sg_git_scan_staged(g, ctx.rules, &go, &f, &st, &nt);
	} else if (history) {
		r = sg_git_scan_history(g, ctx.rules, &go, revs, nrevs, &f, &st, &nt);
	} else {
		r = sg_git_scan_range(g, ctx.rules, &go, &range, &f, &st, &nt);
		/* what the range does to the policy, and the findings it accepts inline */
		if (r == 0 && policy.policy)
			r = sg_policy_changes(&f, g, policy.policy, &range, &policy.source);
		if (r == 0)
			r = sg_policy_list_allows(&f, fail_on_new_allows);
	}
	if (ps.shown && ps.tty)
		fputs("\r\033[K", stderr);
	int err = r < 0;
	if (err)
		cli_error("git", "%s", sg_error_last());
	cli_print_notices(&o, &nt);
	if (st.errors)
		err = 1;
	/* the html report tells a secret still at HEAD from one only history holds */
	if (!staged && cli_wants_format(&o, "html") && sg_git_mark_at_head(g, &f) < 0) {
		cli_error("git", "%s", sg_error_last());
		err = 1;
	}
	st.elapsed_ms = cli_now_ms() - t0;
	int rc = cli_finish(&o, &ctx, &f, &st, err);
	if (rc == EXIT_FINDINGS && !o.quiet && !history)
		(staged ? cli_print_commit_blocked : cli_print_range_blocked)(&f);
	sg_notices_free(&nt);
	sg_findings_free(&f);
	sg_manifest_free(manifest);
	free(index_path);
	cli_context_free(&ctx);
	cli_policy_free(&policy);
	sg_git_free(g);
	free(since);
	free(revs);
	return rc;
}
