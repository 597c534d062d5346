/* Shared by every command: option parsing, loading rules and config,
 * applying suppressions, writing the report, choosing the exit code. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cli.h"
#include "suppress.h"

int sg_config_parse_size(const char *s, uint64_t *out);

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

const char cli_common_help[] =
        "Output and policy options:\n"
        "  -f, --format FMT        text (default), json, jsonl, sarif, junit, github, html, "
        "gitlab\n"
        "  -o, --output FILE       write the report to FILE\n"
        "      --show-secrets      print secrets unredacted (never the default)\n"
        "  -j, --jobs N            worker threads (default: number of cores)\n"
        "      --rules PATH        add rules from a YAML file or directory (repeatable)\n"
        "      --config FILE       policy file (default: .secretgate.yml at the repository root)\n"
        "      --no-config         ignore .secretgate.yml\n"
        "      --baseline FILE     only findings not in FILE block\n"
        "      --write-baseline FILE  record the current findings' fingerprints in FILE\n"
        "      --fail-on SEV       lowest severity that blocks: info, low, medium, high, critical\n"
        "      --min-confidence C  drop findings below confidence low, medium or high\n"
        "      --include-unverified  also report tokens whose checksum fails (marked)\n"
        "      --max-file-size N   skip files larger than N (default 100MB; k, MB, GB suffixes)\n"
        "      --binary            scan files that look binary too\n"
        "      --no-inline-allow   ignore secretgate:allow comments\n"
        "      --show-suppressed   text: list accepted findings too (they are always counted)\n"
        "      --color WHEN        auto (default), always, never\n"
        "  -q, --quiet             no summary or notices on stderr\n";

/* Value of an option given as "--opt VALUE" or "--opt=VALUE". */
static const char *opt_value(int argc, char **argv, int *i, const char *lng, const char *shrt,
                             int *matched)
{
	const char *a = argv[*i];
	size_t l = strlen(lng);
	*matched = 0;
	if (!strncmp(a, lng, l) && a[l] == '=') {
		*matched = 1;
		return a + l + 1;
	}
	if (!strcmp(a, lng) || (shrt && !strcmp(a, shrt))) {
		*matched = 1;
		if (*i + 1 >= argc) {
			cli_error("usage", "%s needs a value", lng);
			return NULL;
		}
		return argv[++*i];
	}
	return NULL;
}

int cli_parse_common(cli_options *o, int argc, char **argv, int *i)
{
	const char *a = argv[*i], *v;
	int m;
	if (!strcmp(a, "--show-secrets"))
		o->show_secrets = 1;
	else if (!strcmp(a, "--include-unverified"))
		o->include_unverified = 1;
	else if (!strcmp(a, "--binary"))
		o->binary = 1;
	else if (!strcmp(a, "--no-config"))
		o->no_config = 1;
	else if (!strcmp(a, "--no-inline-allow"))
		o->no_inline_allow = 1;
	else if (!strcmp(a, "--show-suppressed"))
		o->show_suppressed = 1;
	else if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
		o->quiet = 1;
	else if (!strcmp(a, "--no-color"))
		o->color = 0;
	else if ((v = opt_value(argc, argv, i, "--format", "-f", &m)) || m) {
		if (!v)
			return -1;
		if (!sg_report_format_known(v)) {
			cli_error("usage",
			          "unknown format '%s' (text, json, jsonl, sarif, junit, "
			          "github, html, gitlab)",
			          v);
			return -1;
		}
		o->format = v;
	} else if ((v = opt_value(argc, argv, i, "--output", "-o", &m)) || m) {
		if (!v)
			return -1;
		o->output = v;
	} else if ((v = opt_value(argc, argv, i, "--jobs", "-j", &m)) || m) {
		char *end;
		long n = v ? strtol(v, &end, 10) : 0;
		if (!v || *end || n < 1 || n > 256) {
			if (v)
				cli_error("usage", "-j wants a number from 1 to 256, not '%s'", v);
			return -1;
		}
		o->jobs = (int)n;
	} else if ((v = opt_value(argc, argv, i, "--rules", NULL, &m)) || m) {
		if (!v)
			return -1;
		if (o->nrules == CLI_MAX_LIST) {
			cli_error("usage", "at most %d --rules options", CLI_MAX_LIST);
			return -1;
		}
		o->rules[o->nrules++] = v;
	} else if ((v = opt_value(argc, argv, i, "--config", NULL, &m)) || m) {
		if (!v)
			return -1;
		o->config = v;
	} else if ((v = opt_value(argc, argv, i, "--baseline", NULL, &m)) || m) {
		if (!v)
			return -1;
		o->baseline = v;
	} else if ((v = opt_value(argc, argv, i, "--write-baseline", NULL, &m)) || m) {
		if (!v)
			return -1;
		o->write_baseline = v;
	} else if ((v = opt_value(argc, argv, i, "--fail-on", NULL, &m)) || m) {
		if (!v)
			return -1;
		if (sg_severity_parse(&o->fail_on, v) < 0) {
			cli_error("usage", "--fail-on: %s", sg_error_last());
			return -1;
		}
		o->fail_on_set = 1;
	} else if ((v = opt_value(argc, argv, i, "--min-confidence", NULL, &m)) || m) {
		if (!v)
			return -1;
		if (sg_confidence_parse(&o->min_confidence, v) < 0) {
			cli_error("usage", "--min-confidence: %s", sg_error_last());
			return -1;
		}
	} else if ((v = opt_value(argc, argv, i, "--max-file-size", NULL, &m)) || m) {
		if (!v)
			return -1;
		if (sg_config_parse_size(v, &o->max_file_size) < 0) {
			cli_error("usage", "--max-file-size: %s", sg_error_last());
			return -1;
		}
	} else if ((v = opt_value(argc, argv, i, "--color", NULL, &m)) || m) {
		if (!v)
			return -1;
		if (!strcmp(v, "auto"))
			o->color = -1;
		else if (!strcmp(v, "always"))
			o->color = 1;
		else if (!strcmp(v, "never"))
			o->color = 0;
		else {
			cli_error("usage", "--color wants auto, always or never");
			return -1;
		}
	} else
		return 0;
	return 1;
}

static int file_exists(const char *p)
{
	struct stat sb;
	return stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

char *cli_path_in(const char *root, const char *name)
{
	if (!root || name[0] == '/')
		return strdup(name);
	size_t n = strlen(root) + strlen(name) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s%s%s", root ? root : "",
		         root && *root && root[strlen(root) - 1] != '/' ? "/" : "", name);
	return p;
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
		char *p = cli_path_in(root ? root : ".", ".secretgate.yml");
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

static int load_list(sg_fingerprint_set *set, const char *path, int must_exist)
{
	int r = sg_fingerprint_set_load(set, path);
	if (r == SG_ENOTFOUND && !must_exist)
		return 0;
	if (r < 0)
		cli_error("suppressions", "%s", sg_error_last());
	return r;
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

int cli_finish(const cli_options *o, cli_context *ctx, sg_findings *f, sg_scan_stats *st,
               int had_error)
{
	int rc = had_error ? EXIT_ERROR : EXIT_CLEAN;
	sg_fingerprint_set ignore = {0}, base = {0};
	size_t legacy_ignore = 0, legacy_base = 0;
	const char *root = ctx->repo_root;
	char *ignore_path = cli_path_in(root ? root : ".", ctx->config && ctx->config->ignore_file
	                                                           ? ctx->config->ignore_file
	                                                           : ".secretgateignore");
	const char *baseline =
	        o->baseline ? o->baseline : (ctx->config ? ctx->config->baseline : NULL);
	char *baseline_path = baseline && !o->baseline ? cli_path_in(root ? root : ".", baseline)
	                                               : (baseline ? strdup(baseline) : NULL);
	const sg_fingerprint_set *ign = &ignore, *bas = &base;
	if (o->policy) {
		/* the revision's lists; a --baseline outside the repository is
		 * still read from disk */
		ign = &o->policy->ignore;
		if (o->policy->baseline_file.path)
			bas = &o->policy->baseline;
		else if (o->baseline && load_list(&base, o->baseline, 1) < 0)
			rc = EXIT_ERROR;
	} else {
		if (ignore_path && load_list(&ignore, ignore_path, 0) < 0)
			rc = EXIT_ERROR;
		if (baseline_path && load_list(&base, baseline_path, o->baseline != NULL) < 0)
			rc = EXIT_ERROR;
	}
	sg_severity fail_on =
	        o->fail_on_set ? o->fail_on
	                       : (ctx->config && ctx->config->fail_on_set ? ctx->config->fail_on
	                                                                  : SG_SEV_INFO);
	for (size_t i = 0; i < f->count; i++) {
		sg_finding *x = &f->items[i];
		if (x->suppressed != SG_SUPPRESS_NONE)
			continue;
		if (ctx->config && sg_config_allows(ctx->config, x))
			continue;
		if (sg_fingerprint_set_has(ign, x))
			x->suppressed = SG_SUPPRESS_IGNORE;
		else if (sg_fingerprint_set_has(bas, x))
			x->suppressed = SG_SUPPRESS_BASELINE;
		else if (sg_fingerprint_set_has_legacy(ign, x) && ++legacy_ignore)
			x->suppressed = SG_SUPPRESS_IGNORE;
		else if (sg_fingerprint_set_has_legacy(bas, x) && ++legacy_base)
			x->suppressed = SG_SUPPRESS_BASELINE;
		else if (x->severity < fail_on)
			x->suppressed = SG_SUPPRESS_SEVERITY;
	}
	/* old lists keep working, but their entries for weak secrets are cheap
	 * to confirm a guess against: say so, without naming the entries */
	const char *base_name = bas != &base && o->policy->baseline_file.path
	                                ? o->policy->baseline_file.path
	                                : baseline_path;
	const char *ignore_name = ign != &ignore && o->policy->ignore_file.path
	                                  ? o->policy->ignore_file.path
	                                  : ignore_path;
	if (legacy_base)
		cli_notice(o,
		           "baseline %s: %zu entr%s use the old fingerprint of a weak secret, "
		           "which makes guessing it cheap; rewrite it with --write-baseline",
		           base_name ? base_name : "", legacy_base, legacy_base == 1 ? "y" : "ies");
	if (legacy_ignore)
		cli_notice(o,
		           "%s: %zu entr%s use the old fingerprint of a weak secret, which makes "
		           "guessing it cheap; replace them with the fingerprints now reported "
		           "(--show-suppressed)",
		           ignore_name ? ignore_name : "ignore file", legacy_ignore,
		           legacy_ignore == 1 ? "y" : "ies");
	sg_fingerprint_set_free(&ignore);
	sg_fingerprint_set_free(&base);
	free(ignore_path);
	free(baseline_path);
	for (size_t i = 0; i < f->count; i++)
		st->suppressed[f->items[i].suppressed & 7]++;

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
	size_t blocking = sg_findings_blocking(f);
	if (!o->quiet) {
		char bytes[32];
		human_bytes(bytes, sizeof(bytes), st->bytes);
		size_t sup = f->count - blocking;
		fprintf(stderr,
		        "secretgate: %llu files, %s in %.0f ms: %zu blocking, %zu suppressed",
		        (unsigned long long)st->files, bytes, st->elapsed_ms, blocking, sup);
		if (sup) {
			fputs(" (", stderr);
			int first = 1;
			for (int k = 1; k < SG_SUPPRESS_COUNT; k++)
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
