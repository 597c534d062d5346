/* secretgate explain PATH[:LINE]...: why each candidate in a file was or
 * was not reported: the rule, the file's context, and the check that
 * accepted or rejected it. Then the findings, as scan reports them. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli/cli.h"
#include "util/file.h"

#define EXPLAIN_DEFAULT_MAX (100ull << 20)

static const char explain_help[] =
        "usage: secretgate explain [options] PATH[:LINE]...\n"
        "\n"
        "For every candidate in each file (a rule's keyword or pattern match), print the\n"
        "rule, the file's context and the check that accepted or rejected it (entropy and\n"
        "threshold, placeholder, reference, checksum, context), then the findings as\n"
        "'scan' reports them. With :LINE, only candidates on that line. Secrets are\n"
        "redacted unless --show-secrets.\n"
        "\n";

/* "file:12" is line 12 of file unless a file is named "file:12". */
static char *split_line(const char *arg, uint32_t *line)
{
	struct stat sb;
	*line = 0;
	const char *colon = strrchr(arg, ':');
	if (stat(arg, &sb) == 0 || !colon || !colon[1])
		return strdup(arg);
	for (const char *p = colon + 1; *p; p++)
		if (!isdigit((unsigned char)*p))
			return strdup(arg);
	*line = (uint32_t)strtoul(colon + 1, NULL, 10);
	return strndup(arg, (size_t)(colon - arg));
}

static int cmp_verdict(const void *a, const void *b)
{
	const sg_judgement *x = a, *y = b;
	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return strcmp(x->rule_id, y->rule_id);
}

static void print_verdict(const char *path, const sg_judgement *v, const char *data, int show)
{
	char sec[96];
	if (v->len && show)
		snprintf(sec, sizeof(sec), "%.*s", (int)(v->len < 80 ? v->len : 80),
		         data + v->offset);
	else if (v->len)
		sg_redact(sec, sizeof(sec), data + v->offset, v->len);
	else
		snprintf(sec, sizeof(sec), "-");
	for (char *p = sec; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	printf("  %s:%u:%u  %-28s %-8s %-11s %s  %s\n", path, v->line, v->column, v->rule_id,
	       v->accepted ? "REPORTED" : "rejected", v->check, sec, v->detail);
}

int cmd_explain(int argc, char **argv)
{
	cli_options o = CLI_OPTIONS_INIT;
	const char **args = calloc((size_t)argc + 1, sizeof(char *));
	size_t nargs = 0;
	if (!args)
		return EXIT_ERROR;
	for (int i = 1; i < argc; i++) {
		int c = cli_parse_common(&o, argc, argv, &i);
		if (c < 0) {
			free(args);
			return EXIT_ERROR;
		}
		if (c)
			continue;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(explain_help, stdout);
			fputs(cli_common_help, stdout);
			free(args);
			return EXIT_CLEAN;
		}
		if (argv[i][0] == '-' && argv[i][1]) {
			cli_error("usage", "explain: unknown option '%s'", argv[i]);
			free(args);
			return EXIT_ERROR;
		}
		args[nargs++] = argv[i];
	}
	if (!nargs) {
		cli_error("usage", "explain needs a PATH[:LINE]");
		free(args);
		return EXIT_ERROR;
	}
	char *root = cli_repo_root();
	cli_context ctx;
	if (cli_context_load(&ctx, &o, root) < 0) {
		free(root);
		free(args);
		return EXIT_ERROR;
	}
	sg_scan_options so = SG_SCAN_OPTIONS_INIT;
	so.include_unverified = o.include_unverified;
	so.min_confidence = o.min_confidence;
	so.inline_allow = !o.no_inline_allow;
	so.context_overrides = ctx.config->contexts;
	so.ncontext_overrides = ctx.config->ncontexts;
	uint64_t max = o.max_file_size             ? o.max_file_size
	               : ctx.config->max_file_size ? ctx.config->max_file_size
	                                           : EXPLAIN_DEFAULT_MAX;
	sg_findings f;
	sg_findings_init(&f, 0);
	sg_scan_stats st = {.mode = "explain"};
	double t0 = cli_now_ms();
	int err = 0;
	sg_scanner *s = NULL;
	if (sg_scanner_new(&s, ctx.rules, &so) < 0) {
		cli_error("explain", "%s", sg_error_last());
		err = 1;
	}
	for (size_t a = 0; s && a < nargs; a++) {
		uint32_t line;
		char *path = split_line(args[a], &line);
		char *data = NULL;
		size_t len = 0;
		if (!path || sg_file_read(&data, &len, path, max) < 0) {
			cli_error("explain", "%s", path ? sg_error_last() : "out of memory");
			err = 1;
			free(path);
			continue;
		}
		sg_chunk_context cc;
		sg_context_detect(&cc, path, data, len, so.context_overrides,
		                  so.ncontext_overrides);
		printf("%s: context %s%s%s\n", path, sg_context_name(cc.kind),
		       cc.language ? ", language " : "", cc.language ? cc.language : "");
		sg_judgements v = {0};
		sg_scanner_set_trace(s, &v);
		sg_findings mine;
		sg_findings_init(&mine, 0);
		sg_origin origin = {.path = path};
		if (sg_scanner_scan(s, data, len, &origin, NULL, &mine) < 0) {
			cli_error(path, "%s", sg_error_last());
			err = 1;
		}
		sg_scanner_set_trace(s, NULL);
		size_t shown = 0;
		if (v.count > 1)
			qsort(v.items, v.count, sizeof(*v.items), cmp_verdict);
		for (size_t i = 0; i < v.count; i++)
			if (!line || v.items[i].line == line) {
				print_verdict(path, &v.items[i], data, o.show_secrets);
				shown++;
			}
		if (!shown)
			printf("  no candidate%s: no rule's keyword or format is there\n",
			       line ? " on that line" : "");
		if (v.dropped)
			printf("  (%zu more verdicts not kept)\n", v.dropped);
		/* the findings of that line only, when one was asked for */
		for (size_t i = 0; i < mine.count; i++)
			if ((!line || mine.items[i].line == line) &&
			    sg_findings_push(&f, &mine.items[i]) < 0)
				err = 1;
		sg_findings_free(&mine);
		sg_judgements_free(&v);
		st.files++;
		st.bytes += len;
		free(data);
		free(path);
	}
	sg_scanner_free(s);
	free(args);
	sg_findings_sort(&f);
	st.elapsed_ms = cli_now_ms() - t0;
	fputs(f.count ? "\nfindings:\n" : "", stdout);
	int rc = cli_finish(&o, &ctx, &f, &st, err);
	sg_findings_free(&f);
	cli_context_free(&ctx);
	free(root);
	return rc;
}
