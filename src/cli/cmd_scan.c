/* secretgate scan [PATH...]: files, directories, standard input, or (with
 * no paths) the current repository's tracked and not-ignored files. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cli/cli.h"
#include "secretgate/artefact.h"

#define STDIN_DEFAULT_MAX (100ull * 1000 * 1000)

static const char scan_help[] =
        "usage: secretgate scan [options] [PATH...]\n"
        "\n"
        "Scan files and directories for secrets. With no PATH, scan the working tree of the\n"
        "current git repository (tracked files and untracked ones git does not ignore), or the\n"
        "current directory outside a repository. Named paths are scanned whole, ignored or not.\n"
        "'-' reads standard input.\n"
        "\n"
        "      --explain           for the named files, say why each candidate was or was\n"
        "                          not reported (as 'secretgate explain')\n"
        "\n"
        "Example:\n"
        "  secretgate scan dist/ build/ --format json --output report.json\n"
        "\n";

double cli_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Found by looking for .git upwards, without libgit2: initialising libgit2
 * loads the system's CA certificates, which a file scan never needs. */
char *cli_repo_root(void)
{
	char dir[4096];
	if (!getcwd(dir, sizeof(dir) - 8))
		return NULL;
	for (;;) {
		size_t n = strlen(dir);
		struct stat sb;
		snprintf(dir + n, sizeof(dir) - n, "%s.git", n && dir[n - 1] == '/' ? "" : "/");
		int found = stat(dir, &sb) == 0;
		dir[n] = '\0';
		if (found) {
			char *root = malloc(n + 2);
			if (root)
				snprintf(root, n + 2, "%s%s", dir,
				         n && dir[n - 1] == '/' ? "" : "/");
			return root;
		}
		char *slash = strrchr(dir, '/');
		if (!slash || slash == dir)
			return NULL;
		*slash = '\0';
	}
}

static int scan_stdin(cli_context *ctx, const sg_scan_options *so, uint64_t max, sg_findings *f,
                      sg_scan_stats *st, sg_notices *nt)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	for (;;) {
		if (!buf) {
			cli_error("stdin", "out of memory");
			return -1;
		}
		if (len == cap) {
			if (cap > max) {
				cli_error("stdin", "input larger than the %llu-byte cap",
				          (unsigned long long)max);
				free(buf);
				return -1;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				continue;
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t got = read(0, buf + len, cap - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			cli_error("stdin", "%s", strerror(errno));
			free(buf);
			return -1;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	sg_scanner *s;
	int r = sg_scanner_new(&s, ctx->rules, so);
	if (r == 0) {
		sg_origin o = {.path = "-"};
		r = sg_artefact_scan(s, buf, len, &o, NULL, f, nt);
		st->limit_hits += sg_scanner_limit_hits(s, NULL);
		sg_scanner_free(s);
	}
	if (r < 0)
		cli_error("stdin", "%s", sg_error_last());
	st->files = 1;
	st->bytes = len;
	free(buf);
	return r;
}

/* The progress line of a long file scan, on a terminal. */
static void show_progress(void *ctx, uint64_t done, uint64_t total, double elapsed_ms)
{
	int *shown = ctx;
	if (!*shown && (elapsed_ms < 1000 || (total && done >= total)))
		return; /* a scan over within a second needs none */
	if (!total) {   /* the walk is still listing files */
		fprintf(stderr, "\rsecretgate: %llu files scanned\033[K", (unsigned long long)done);
		*shown = 1;
		return;
	}
	double secs = elapsed_ms / 1000.0;
	double left = done && total > done ? secs * (double)(total - done) / (double)done : 0;
	fprintf(stderr, "\rsecretgate: %llu/%llu files, about %.0f s left\033[K",
	        (unsigned long long)done, (unsigned long long)total, left);
	*shown = 1;
}

int cmd_scan(int argc, char **argv)
{
	cli_options o = CLI_OPTIONS_INIT;
	const char **paths = calloc((size_t)argc + 1, sizeof(char *));
	size_t npaths = 0;
	int use_stdin = 0, only_paths = 0;
	if (!paths)
		return EXIT_ERROR;
	/* scan --explain is the explain command over the same arguments */
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--explain")) {
			for (int k = i; k + 1 < argc; k++)
				argv[k] = argv[k + 1];
			free(paths);
			return cmd_explain(argc - 1, argv);
		}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!only_paths && (!strcmp(a, "-h") || !strcmp(a, "--help"))) {
			fputs(scan_help, stdout);
			fputs(cli_common_help, stdout);
			free(paths);
			return EXIT_CLEAN;
		}
		if (!only_paths && !strcmp(a, "--")) {
			only_paths = 1;
			continue;
		}
		if (!strcmp(a, "-")) {
			use_stdin = 1;
			continue;
		}
		if (!only_paths && a[0] == '-') {
			int r = cli_parse_common(&o, argc, argv, &i);
			if (r == 1)
				continue;
			if (r == 0)
				cli_error_unknown_option("scan", a, scan_help);
			free(paths);
			return EXIT_ERROR;
		}
		paths[npaths++] = a;
	}
	if (use_stdin && npaths) {
		cli_error("usage", "'-' (standard input) cannot be combined with paths");
		free(paths);
		return EXIT_ERROR;
	}
	double t0 = cli_now_ms();
	char *root = cli_repo_root();
	cli_context ctx;
	if (cli_context_load(&ctx, &o, root) < 0) {
		free(root);
		free(paths);
		return EXIT_ERROR;
	}
	sg_fs_options fo = SG_FS_OPTIONS_INIT;
	fo.jobs = o.jobs;
	fo.binary = o.binary;
	fo.max_file_size = o.max_file_size ? o.max_file_size : ctx.config->max_file_size;
	fo.scan.include_unverified = o.include_unverified;
	fo.scan.min_confidence = o.min_confidence;
	fo.scan.context_overrides = ctx.config->contexts;
	fo.scan.ncontext_overrides = ctx.config->ncontexts;
	fo.scan.inline_allow = !o.no_inline_allow;
	fo.scan.artefacts = o.artefacts;
	fo.scan.defer_weak_fingerprints = 1; /* cli_finish's writers fill them */
	int progress_shown = 0;
	if (!o.quiet && isatty(2)) {
		fo.progress = show_progress;
		fo.progress_ctx = &progress_shown;
	}
	sg_findings f;
	sg_findings_init(&f, 0);
	sg_scan_stats st = {.mode = "scan"};
	sg_notices nt;
	sg_notices_init(&nt);
	int err = 0;
	if (use_stdin) {
		err = scan_stdin(&ctx, &fo.scan,
		                 fo.max_file_size ? fo.max_file_size : STDIN_DEFAULT_MAX, &f, &st,
		                 &nt) < 0;
	} else {
		const char *dot[] = {"."};
		int r = !npaths && root ? sg_fs_walk_scan_repo(ctx.rules, &fo, root, &f, &st, &nt)
		                        : sg_fs_walk_scan(ctx.rules, &fo, npaths ? paths : dot,
		                                          npaths ? npaths : 1, &f, &st, &nt);
		if (r < 0) {
			cli_error("scan", "%s", sg_error_last());
			err = 1;
		}
	}
	if (progress_shown)
		fputs("\r\033[K", stderr);
	cli_print_notices(&o, &nt);
	if (st.errors)
		err = 1;
	st.elapsed_ms = cli_now_ms() - t0;
	int rc = cli_finish(&o, &ctx, &f, &st, err);
	sg_notices_free(&nt);
	sg_findings_free(&f);
	cli_context_free(&ctx);
	free(root);
	free(paths);
	return rc;
}
