/* secretgate redact: a streaming filter for build and deploy logs. Copies
 * standard input to standard output line by line with every rule match and
 * every secret value of the environment (in its encodings) masked. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "secretgate/env.h"
#include "secretgate/redact.h"

extern char **environ;

static const char redact_help[] =
        "usage: secretgate redact [--env NAME] [options] < input > output\n"
        "\n"
        "Copy standard input to standard output, masking every secret-rule match and, with\n"
        "--env, every value of the environment's secret variables (plain, base64, URL-encoded\n"
        "and JSON-escaped) as [REDACTED:<rule or variable>]. Output is flushed after each line;\n"
        "the stream is never held in memory beyond one line.\n"
        "\n"
        "Options:\n"
        "      --env NAME          mask the secret variables of this environment\n"
        "      --manifest FILE     default: config 'manifest', else .secretgate/env.yml\n"
        "      --dotenv FILE       dotenv file with values (repeatable, later wins)\n"
        "      --no-environ        do not take values from the process environment\n"
        "      --var NAME          also mask this variable's value (repeatable)\n"
        "      --min-length N      shortest value masked (default: manifest, else 8)\n"
        "      --max-line N        bytes held per line before it is emitted in pieces (64 KiB)\n"
        "      --rules PATH, --config FILE, --no-config   as for scan\n"
        "\n"
        "Example:\n"
        "  make deploy 2>&1 | secretgate redact --env production\n"
        "\n"
        "Exit codes: 0 copied, 2 usage, manifest or I/O error.\n";

typedef struct redact_args {
	const char *env, *manifest;
	const char *dotenv[CLI_MAX_LIST];
	size_t ndotenv;
	const char *vars[CLI_MAX_LIST];
	size_t nvars;
	int no_environ;
	size_t min_length, max_line;
} redact_args;

static const char *process_lookup(void *ctx, const char *name)
{
	return getenv(name);
}

static int parse_size(size_t *out, const char *opt, const char *v, long lo, long hi)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (*end || n < lo || n > hi) {
		cli_error("usage", "%s wants %ld to %ld, not '%s'", opt, lo, hi, v);
		return -1;
	}
	*out = (size_t)n;
	return 0;
}

static int parse_args(redact_args *a, cli_options *o, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
			fputs(redact_help, stdout);
			return 1;
		}
		if (!strcmp(s, "--no-environ")) {
			a->no_environ = 1;
			continue;
		}
		if (!strcmp(s, "--env") || !strcmp(s, "--manifest") || !strcmp(s, "--dotenv") ||
		    !strcmp(s, "--var") || !strcmp(s, "--min-length") || !strcmp(s, "--max-line")) {
			if (!v) {
				cli_error("usage", "%s needs a value", s);
				return -1;
			}
			i++;
			if (!strcmp(s, "--env"))
				a->env = v;
			else if (!strcmp(s, "--manifest"))
				a->manifest = v;
			else if (!strcmp(s, "--min-length")) {
				if (parse_size(&a->min_length, s, v, 1, 4096))
					return -1;
			} else if (!strcmp(s, "--max-line")) {
				if (parse_size(&a->max_line, s, v, 256, 64L << 20))
					return -1;
			} else {
				int dot = !strcmp(s, "--dotenv");
				size_t *n = dot ? &a->ndotenv : &a->nvars;
				if (*n == CLI_MAX_LIST) {
					cli_error("usage", "at most %d %s options", CLI_MAX_LIST,
					          s);
					return -1;
				}
				(dot ? a->dotenv : a->vars)[(*n)++] = v;
			}
			continue;
		}
		int r = s[0] == '-' ? cli_parse_common(o, argc, argv, &i) : 0;
		if (r == 1)
			continue;
		if (r == 0)
			cli_error("usage",
			          "unexpected argument '%s' for redact (it reads standard input)",
			          s);
		return -1;
	}
	return 0;
}

/* The values to mask: the environment's secret variables and any --var. */
static int load_values(sg_leakset *ls, const redact_args *a, const cli_context *ctx,
                       const char *root, const cli_options *o)
{
	sg_manifest *m = NULL;
	sg_dotenv d;
	sg_dotenv_init(&d);
	int rc = 0;
	if (a->env || a->manifest) {
		const char *name = a->manifest ? a->manifest
		                               : (ctx->config && ctx->config->manifest
		                                          ? ctx->config->manifest
		                                          : ".secretgate/env.yml");
		char *path = a->manifest ? strdup(a->manifest) : cli_path_in(root, name);
		rc = path ? sg_manifest_load(&m, path) : SG_ENOMEM;
		free(path);
		if (rc < 0) {
			cli_error("manifest", "%s", sg_error_last());
			return -1;
		}
		if (a->env && !sg_manifest_environment(m, a->env) && m->nenvironments) {
			cli_error("usage", "unknown environment '%s'", a->env);
			sg_manifest_free(m);
			return -1;
		}
	}
	sg_dotenv_options dopts = SG_DOTENV_OPTIONS_INIT;
	if (!a->no_environ)
		dopts.lookup = process_lookup;
	const sg_environment *e = m && a->env ? sg_manifest_environment(m, a->env) : NULL;
	size_t n = a->ndotenv ? a->ndotenv : (e ? e->nfiles : 0);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char *path = a->ndotenv ? strdup(a->dotenv[i]) : cli_path_in(root, e->files[i]);
		rc = path ? sg_dotenv_load(&d, path, &dopts) : SG_ENOMEM;
		free(path);
		if (rc == SG_ENOTFOUND && !a->ndotenv)
			rc = 0;
		if (rc < 0)
			cli_error("dotenv", "%s", sg_error_last());
	}
	sg_envcheck_options eo = SG_ENVCHECK_OPTIONS_INIT;
	eo.environment = a->env;
	eo.dotenv = &d;
	eo.environ = a->no_environ ? NULL : environ;
	size_t skipped = 0;
	const char *skipped_name = NULL;
	if (rc == 0 && m && (rc = sg_leakset_add_environment(ls, &skipped, &skipped_name, m, &eo)))
		cli_error("redact", "%s", sg_error_last());
	for (size_t i = 0; rc == 0 && i < a->nvars; i++) {
		const char *value, *path;
		uint32_t line;
		if (!sg_envcheck_lookup(&value, &path, &line, &eo, a->vars[i]) || !*value)
			continue;
		int r = sg_leakset_add(ls, a->vars[i], value, strlen(value));
		if (r == 1 && !skipped++)
			skipped_name = a->vars[i];
		rc = r < 0 ? r : 0;
	}
	if (rc == 0 && skipped)
		cli_notice(o, "%zu secret value%s too short to mask safely, not masked (first: %s)",
		           skipped, skipped == 1 ? "" : "s", skipped_name);
	sg_dotenv_free(&d);
	sg_manifest_free(m);
	return rc < 0 ? -1 : 0;
}

int cmd_redact(int argc, char **argv)
{
	redact_args a;
	memset(&a, 0, sizeof(a));
	cli_options o = CLI_OPTIONS_INIT;
	int pr = parse_args(&a, &o, argc, argv);
	if (pr != 0)
		return pr > 0 ? EXIT_CLEAN : EXIT_ERROR;
	char *root = cli_repo_root();
	cli_context ctx;
	if (cli_context_load(&ctx, &o, root) < 0) {
		free(root);
		return EXIT_ERROR;
	}
	sg_leakset *ls = NULL;
	sg_redactor *r = NULL;
	int rc = sg_leakset_new(&ls, a.min_length);
	if (rc == 0)
		rc = load_values(ls, &a, &ctx, root, &o);
	sg_redact_options ro = SG_REDACT_OPTIONS_INIT;
	ro.max_line = a.max_line;
	if (rc == 0 && (rc = sg_redactor_new(&r, ctx.rules, ls, &ro)) < 0)
		cli_error("redact", "%s", sg_error_last());
	uint64_t masked = 0;
	if (rc == 0 && (rc = sg_redactor_run(r, &masked, stdin, stdout)) < 0)
		cli_error("redact", "%s", sg_error_last());
	sg_redactor_free(r);
	sg_leakset_free(ls);
	cli_context_free(&ctx);
	free(root);
	return rc < 0 ? EXIT_ERROR : EXIT_CLEAN;
}
