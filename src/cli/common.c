/* Shared by every command: option parsing, loading rules and config,
 * applying suppressions, writing the report, choosing the exit code. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cli/cli.h"

/* Messages carry file names from the scanned tree: control bytes (newlines,
 * terminal escape sequences) are written as \xNN so a hostile name can
 * neither forge lines nor drive the terminal. */
static void put_escaped(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			fprintf(stderr, "\\x%02x", *p);
		else
			fputc(*p, stderr);
}

static void message_v(const char *what, const char *fmt, va_list ap)
{
	char buf[4096];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	fputs("secretgate: ", stderr);
	if (what) {
		put_escaped(what);
		fputs(": ", stderr);
	}
	put_escaped(buf);
	fputc('\n', stderr);
}

void cli_error(const char *what, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	message_v(what, fmt, ap);
	va_end(ap);
}

void cli_notice(const cli_options *o, const char *fmt, ...)
{
	va_list ap;
	if (o && o->quiet)
		return;
	va_start(ap, fmt);
	message_v(NULL, fmt, ap);
	va_end(ap);
}

void cli_print_notices(const cli_options *o, const sg_notices *nt)
{
	for (size_t i = 0; i < nt->count; i++)
		cli_notice(o, "%s", nt->items[i]);
	if (nt->dropped)
		cli_notice(o, "%zu more notices not shown", nt->dropped);
}

const char cli_common_help[] =
        "Output and policy options:\n"
        "  -f, --format FMT        text (default), json, jsonl, sarif, junit, github, html, "
        "gitlab\n"
        "  -o, --output FILE       write the report to FILE\n"
        "      --report FMT=FILE   also write FMT to FILE, from the same scan (repeatable)\n"
        "      --sarif-category NAME  sarif: the code scanning category (default: none, the\n"
        "                          upload's own)\n"
        "      --show-secrets      print secrets unredacted (never the default)\n"
        "  -j, --jobs N            worker threads (default: number of cores)\n"
        "      --rules PATH        add rules from a YAML file or directory (repeatable)\n"
        "      --config FILE       policy file (default: .secretgate.yml at the repository root)\n"
        "      --no-config         ignore .secretgate.yml\n"
        "      --baseline FILE     only findings not in FILE block\n"
        "      --write-baseline FILE  record the current findings' fingerprints in FILE\n"
        "      --fail-on SEV       lowest severity that blocks: info, low, medium, high, critical\n"
        "      --fail-on-confidence C  lowest confidence that blocks (default medium; low\n"
        "                          findings are warnings)\n"
        "      --min-confidence C  drop findings below confidence low, medium or high\n"
        "      --include-unverified  also report tokens whose checksum fails (marked)\n"
        "      --max-file-size N   skip files larger than N (default 100MB; k, MB, GB suffixes)\n"
        "      --binary            scan files that look binary too\n"
        "      --no-inline-allow   ignore secretgate:allow comments\n"
        "      --no-archives       do not open archives, packages and images\n"
        "      --archive-depth N   archives inside archives opened (default 4)\n"
        "      --archive-max-bytes N  uncompressed bytes read per top-level file (default 2GiB)\n"
        "      --archive-ratio N   stop a file expanding more than N times (default 200)\n"
        "      --archive-max-members N  members read per top-level file (default 100000)\n"
        "      --archive-max-name N  longest member name, in bytes (default 1024)\n"
        "      --archive-member-size N  largest member held in memory (default 100MB)\n"
        "      --archive-inflight N  bytes of an image's members read at once by the workers "
        "(default 256MiB)\n"
        "      --decode-depth N    layers of base64, hex, percent, escapes undone (default 2;\n"
        "                          0 or --no-decode: none)\n"
        "      --show-suppressed   text: list accepted findings too (they are always counted)\n"
        "      --color WHEN        auto (default), always, never\n"
        "  -q, --quiet             no summary or notices on stderr\n";

/* ---- the common options, as a table (see opt.c) ---- */

#define FLAG(fn, field, value)                                                                     \
	static int fn(void *p, const char *name, const char *v)                                    \
	{                                                                                          \
		((cli_options *)p)->field = value;                                                 \
		return 0;                                                                          \
	}
FLAG(set_show_secrets, show_secrets, 1)
FLAG(set_include_unverified, include_unverified, 1)
FLAG(set_binary, binary, 1)
FLAG(set_no_config, no_config, 1)
FLAG(set_no_inline_allow, no_inline_allow, 1)
FLAG(set_show_suppressed, show_suppressed, 1)
FLAG(set_quiet, quiet, 1)
FLAG(set_no_color, color, 0)
#define STORE(fn, field) FLAG(fn, field, v)
STORE(set_output, output)
STORE(set_config, config)
STORE(set_baseline, baseline)
STORE(set_write_baseline, write_baseline)

static int set_format(void *p, const char *name, const char *v)
{
	if (!sg_report_format_known(v)) {
		cli_error("usage",
		          "unknown format '%s' (text, json, jsonl, sarif, junit, "
		          "github, html, gitlab)",
		          v);
		return -1;
	}
	((cli_options *)p)->format = v;
	return 0;
}

/* --report FORMAT=FILE: one more report of the same scan. */
static int add_report(void *p, const char *name, const char *v)
{
	cli_options *o = p;
	/* the format name points into a table that outlives the options */
	static const char *const names[] = {"text",  "json",   "jsonl", "sarif",
	                                    "junit", "github", "html",  "gitlab"};
	const char *eq = strchr(v, '=');
	if (!eq || eq == v || !eq[1]) {
		cli_error("usage", "--report wants FORMAT=FILE, not '%s'", v);
		return -1;
	}
	if (o->nreports == CLI_MAX_LIST) {
		cli_error("usage", "at most %d --report options", CLI_MAX_LIST);
		return -1;
	}
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (strlen(names[k]) == (size_t)(eq - v) &&
		    !strncmp(names[k], v, (size_t)(eq - v))) {
			o->reports[o->nreports].format = names[k];
			o->reports[o->nreports++].path = eq + 1;
			return 0;
		}
	cli_error("usage", "--report: unknown format '%.*s'", (int)(eq - v), v);
	return -1;
}

static int set_sarif_category(void *p, const char *name, const char *v)
{
	((cli_options *)p)->sarif_category = v;
	return 0;
}

static int set_jobs(void *p, const char *name, const char *v)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (*end || n < 1 || n > 256) {
		cli_error("usage", "-j wants a number from 1 to 256, not '%s'", v);
		return -1;
	}
	((cli_options *)p)->jobs = (int)n;
	return 0;
}

static int add_rules(void *p, const char *name, const char *v)
{
	cli_options *o = p;
	if (o->nrules == CLI_MAX_LIST) {
		cli_error("usage", "at most %d --rules options", CLI_MAX_LIST);
		return -1;
	}
	o->rules[o->nrules++] = v;
	return 0;
}

static int set_fail_on(void *p, const char *name, const char *v)
{
	cli_options *o = p;
	if (sg_severity_parse(&o->fail_on, v) < 0) {
		cli_error("usage", "--fail-on: %s", sg_error_last());
		return -1;
	}
	o->fail_on_set = 1;
	return 0;
}

static int set_fail_on_confidence(void *p, const char *name, const char *v)
{
	cli_options *o = p;
	if (sg_confidence_parse(&o->fail_on_confidence, v) < 0) {
		cli_error("usage", "--fail-on-confidence: %s", sg_error_last());
		return -1;
	}
	o->fail_on_confidence_set = 1;
	return 0;
}

static int set_min_confidence(void *p, const char *name, const char *v)
{
	if (sg_confidence_parse(&((cli_options *)p)->min_confidence, v) < 0) {
		cli_error("usage", "--min-confidence: %s", sg_error_last());
		return -1;
	}
	return 0;
}

static int set_max_file_size(void *p, const char *name, const char *v)
{
	if (sg_config_parse_size(v, &((cli_options *)p)->max_file_size) < 0) {
		cli_error("usage", "--max-file-size: %s", sg_error_last());
		return -1;
	}
	return 0;
}

static int set_color(void *p, const char *name, const char *v)
{
	static const struct {
		const char *name;
		int value;
	} whens[] = {{"auto", -1}, {"always", 1}, {"never", 0}};
	for (size_t i = 0; i < sizeof(whens) / sizeof(whens[0]); i++)
		if (!strcmp(v, whens[i].name)) {
			((cli_options *)p)->color = whens[i].value;
			return 0;
		}
	cli_error("usage", "--color wants auto, always or never");
	return -1;
}

static const cli_opt common_table[] = {
        {.name = "--show-secrets", .set = set_show_secrets},
        {.name = "--include-unverified", .set = set_include_unverified},
        {.name = "--binary", .set = set_binary},
        {.name = "--no-config", .set = set_no_config},
        {.name = "--no-inline-allow", .set = set_no_inline_allow},
        {.name = "--show-suppressed", .set = set_show_suppressed},
        {.name = "--quiet", .alias = "-q", .set = set_quiet},
        {.name = "--no-color", .set = set_no_color},
        {.name = "--format", .alias = "-f", .has_value = 1, .set = set_format},
        {.name = "--output", .alias = "-o", .has_value = 1, .set = set_output},
        {.name = "--report", .has_value = 1, .set = add_report},
        {.name = "--sarif-category", .has_value = 1, .set = set_sarif_category},
        {.name = "--jobs", .alias = "-j", .has_value = 1, .set = set_jobs},
        {.name = "--rules", .has_value = 1, .set = add_rules},
        {.name = "--config", .has_value = 1, .set = set_config},
        {.name = "--baseline", .has_value = 1, .set = set_baseline},
        {.name = "--write-baseline", .has_value = 1, .set = set_write_baseline},
        {.name = "--fail-on", .has_value = 1, .set = set_fail_on},
        {.name = "--fail-on-confidence", .has_value = 1, .set = set_fail_on_confidence},
        {.name = "--min-confidence", .has_value = 1, .set = set_min_confidence},
        {.name = "--max-file-size", .has_value = 1, .set = set_max_file_size},
        {.name = "--color", .has_value = 1, .set = set_color},
        {0},
};

int cli_parse_common(cli_options *o, int argc, char **argv, int *i)
{
	int r = cli_opt_parse(common_table, o, argc, argv, i);
	return r ? r : cli_parse_artefacts(o, argc, argv, i);
}

static int file_exists(const char *p)
{
	struct stat sb;
	return stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

int cli_context_load(cli_context *ctx, const cli_options *o, const char *root)
{
	memset(ctx, 0, sizeof(*ctx));
	if (root && !(ctx->repo_root = strdup(root)))
		return -1;
	int r = 0;
	char *cfg = NULL;
	if (o->policy) {
		/* read from a revision already: never the working tree's */
		ctx->config = o->policy->config;
		ctx->config_borrowed = 1;
	} else if (o->config)
		cfg = strdup(o->config);
	else if (!o->no_config) {
		char *p = sg_path_in(root ? root : ".", ".secretgate.yml");
		if (p && file_exists(p))
			cfg = p;
		else
			free(p);
	}
	if (cfg) {
		r = sg_config_load(&ctx->config, cfg);
		if (r < 0)
			cli_error("config", "%s", sg_error_last());
		free(cfg);
	} else if (!ctx->config) {
		r = sg_config_new_default(&ctx->config);
	}
	if (r == 0 && (r = sg_ruleset_new_default(&ctx->rules)) < 0)
		cli_error("rules", "%s", sg_error_last());
	for (size_t i = 0; r == 0 && i < o->nrules; i++)
		if ((r = sg_ruleset_add_path(ctx->rules, o->rules[i])) < 0)
			cli_error("rules", "%s", sg_error_last());
	/* after --rules, so the config can disable a rule that came from there */
	if (r == 0 && (r = sg_config_apply_rules(ctx->config, ctx->rules)) < 0)
		cli_error("config", "%s", sg_error_last());
	if (r == 0 && (r = sg_ruleset_finalize(ctx->rules)) < 0)
		cli_error("rules", "%s", sg_error_last());
	if (r < 0)
		cli_context_free(ctx);
	return r;
}

void cli_context_free(cli_context *ctx)
{
	sg_ruleset_free(ctx->rules);
	if (!ctx->config_borrowed)
		sg_config_free(ctx->config);
	free(ctx->repo_root);
	memset(ctx, 0, sizeof(*ctx));
}

static void human_bytes(char *out, size_t n, uint64_t b)
{
	if (b >= 1000ull * 1000 * 1000)
		snprintf(out, n, "%.2f GB", (double)b / 1e9);
	else if (b >= 1000 * 1000)
		snprintf(out, n, "%.1f MB", (double)b / 1e6);
	else if (b >= 1000)
		snprintf(out, n, "%.1f kB", (double)b / 1e3);
	else
		snprintf(out, n, "%llu B", (unsigned long long)b);
}

int cli_wants_format(const cli_options *o, const char *fmt)
{
	if (!strcmp(o->format, fmt))
		return 1;
	for (size_t i = 0; i < o->nreports; i++)
		if (!strcmp(o->reports[i].format, fmt))
			return 1;
	return 0;
}

/* 1 when a report or the baseline written will print fingerprints (text
 * shows none). */
static int prints_fingerprints(const cli_options *o)
{
	if (strcmp(o->format, "text") || o->write_baseline)
		return 1;
	for (size_t i = 0; i < o->nreports; i++)
		if (strcmp(o->reports[i].format, "text"))
			return 1;
	return 0;
}

/* One --report file. Returns 0 or -1 (error printed). */
static int write_extra_report(const char *format, const char *path, const sg_findings *f,
                              const sg_scan_stats *st, const sg_report_options *base)
{
	sg_report_options ro = *base;
	ro.color = 0;
	ro.step_summary = NULL; /* the main report writes the summary once */
	FILE *out = fopen(path, "w");
	if (!out) {
		cli_error(path, "%s", strerror(errno));
		return -1;
	}
	int r = sg_report_write(out, format, f, st, &ro);
	if (r < 0)
		cli_error("report", "%s: %s", path, sg_error_last());
	if (fclose(out) != 0 && r == 0) {
		cli_error(path, "write failed: %s", strerror(errno));
		r = -1;
	}
	return r < 0 ? -1 : 0;
}

int cli_finish(const cli_options *o, cli_context *ctx, sg_findings *f, sg_scan_stats *st,
               int had_error)
{
	int rc = had_error ? EXIT_ERROR : EXIT_CLEAN;
	/* weak secrets' slow fingerprints, derived on every core at once rather
	 * than one by one as the writers reach them */
	if (prints_fingerprints(o))
		sg_findings_fingerprint_fill_jobs(f, o->jobs);
	sg_verdict_options vo = SG_VERDICT_OPTIONS_INIT;
	vo.root = ctx->repo_root;
	vo.baseline = o->baseline;
	vo.fail_on_set = o->fail_on_set;
	vo.fail_on = o->fail_on;
	vo.fail_on_confidence_set = o->fail_on_confidence_set;
	vo.fail_on_confidence = o->fail_on_confidence;
	vo.policy = o->policy;
	sg_notices problems, said;
	sg_notices_init(&problems);
	sg_notices_init(&said);
	vo.notices = &said;
	if (sg_verdict_apply(ctx->config, &vo, f, st, &problems) < 0)
		rc = EXIT_ERROR;
	for (size_t i = 0; i < problems.count; i++)
		cli_error("suppressions", "%s", problems.items[i]);
	for (size_t i = 0; i < said.count; i++)
		cli_notice(o, "%s", said.items[i]);
	sg_notices_free(&problems);
	sg_notices_free(&said);

	if (o->write_baseline && sg_baseline_write(o->write_baseline, f) < 0) {
		cli_error("baseline", "%s", sg_error_last());
		rc = EXIT_ERROR;
	}

	/* a report that cannot be written is an error, but findings still
	 * decide the exit code (1 wins over 2) and the summary is printed */
	FILE *out = stdout;
	if (o->output && !(out = fopen(o->output, "w"))) {
		cli_error(o->output, "%s", strerror(errno));
		rc = EXIT_ERROR;
	}
	sg_report_options ro = SG_REPORT_OPTIONS_INIT;
	ro.show_secrets = o->show_secrets;
	ro.show_suppressed = o->show_suppressed;
	ro.rules = ctx->rules;
	ro.sarif_category = o->sarif_category;
	ro.repository = ctx->repository[0] ? ctx->repository : NULL;
	ro.head = ctx->head[0] ? ctx->head : NULL;
	ro.forge_url = ctx->forge_url[0] ? ctx->forge_url : NULL;
	ro.forge = ctx->forge;
	/* the library never reads the environment: the Actions step summary file
	 * is passed in (github format only) */
	if (!strcmp(o->format, "github"))
		ro.step_summary = getenv("GITHUB_STEP_SUMMARY");
	if (!st->finished_at)
		st->finished_at = (int64_t)time(NULL);
	if (!st->started_at)
		st->started_at = st->finished_at - (int64_t)(st->elapsed_ms / 1000.0);
	ro.color = o->color == 1 ||
	           (o->color == -1 && out == stdout && isatty(1) && !getenv("NO_COLOR"));
	if (out && sg_report_write(out, o->format, f, st, &ro) < 0) {
		cli_error("report", "%s", sg_error_last());
		rc = EXIT_ERROR;
	}
	if (out && out != stdout && fclose(out) != 0) {
		cli_error(o->output, "write failed: %s", strerror(errno));
		rc = EXIT_ERROR;
	}
	for (size_t i = 0; i < o->nreports; i++)
		if (write_extra_report(o->reports[i].format, o->reports[i].path, f, st, &ro) < 0)
			rc = EXIT_ERROR;
	size_t blocking = sg_findings_blocking(f);
	/* a run that failed before reading anything has nothing to sum up: the
	 * error line is the whole story */
	int nothing = had_error && !st->files && !st->bytes && !f->count;
	if (!o->quiet && !nothing) {
		char bytes[32];
		human_bytes(bytes, sizeof(bytes), st->bytes);
		size_t sup = f->count - blocking;
		fprintf(stderr,
		        "secretgate: %llu files, %s in %.0f ms: %zu blocking, %zu suppressed",
		        (unsigned long long)st->files, bytes, st->elapsed_ms, blocking, sup);
		if (sup) {
			fputs(" (", stderr);
			int first = 1;
			for (int k = SG_SUPPRESS_NONE + 1; k < SG_SUPPRESS_COUNT; k++)
				if (st->suppressed[k]) {
					fprintf(stderr, "%s%llu %s", first ? "" : ", ",
					        (unsigned long long)st->suppressed[k],
					        sg_suppress_name((sg_suppress)k));
					first = 0;
				}
			fputc(')', stderr);
		}
		if (st->skipped_binary || st->skipped_too_big || st->skipped_other)
			fprintf(stderr, "; skipped %llu binary, %llu too big, %llu other",
			        (unsigned long long)st->skipped_binary,
			        (unsigned long long)st->skipped_too_big,
			        (unsigned long long)st->skipped_other);
		if (f->dropped)
			fprintf(stderr, "; %zu more findings not kept (cap reached)", f->dropped);
		fputc('\n', stderr);
		if (st->notice)
			fprintf(stderr, "secretgate: %s\n", st->notice);
	}
	if (blocking)
		rc = EXIT_FINDINGS;
	return rc;
}
