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
	cli_env_opts e;
	size_t max_line;
} redact_args;

static const char *process_lookup(void *ctx, const char *name)
{
	return getenv(name);
}

static int set_max_line(void *p, const char *name, const char *v)
{
	return cli_parse_number(&((redact_args *)p)->max_line, name, v, 256, 64L << 20);
}

static const cli_opt redact_table[] = {
        {.name = "--max-line", .has_value = 1, .set = set_max_line},
        {0},
};

static int parse_args(redact_args *a, cli_options *o, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
			fputs(redact_help, stdout);
			return 1;
		}
		int r = s[0] == '-' ? cli_parse_option(redact_table, a, &a->e, o, argc, argv, &i)
		                    : 0;
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
	if (a->e.env || a->e.manifest) {
		const char *name = a->e.manifest ? a->e.manifest
		                                 : (ctx->config && ctx->config->manifest
		                                            ? ctx->config->manifest
		                                            : ".secretgate/env.yml");
		char *path = a->e.manifest ? strdup(a->e.manifest) : sg_path_in(root, name);
		rc = path ? sg_manifest_load(&m, path) : SG_ENOMEM;
		free(path);
		if (rc < 0) {
			cli_error("manifest", "%s", sg_error_last());
			return -1;
		}
		if (a->e.env && !sg_manifest_environment(m, a->e.env) && m->nenvironments) {
			cli_error("usage", "unknown environment '%s'", a->e.env);
			sg_manifest_free(m);
			return -1;
		}
	}
	sg_dotenv_options dopts = SG_DOTENV_OPTIONS_INIT;
	if (!a->e.no_environ)
		dopts.lookup = process_lookup;
	const sg_environment *e = m && a->e.env ? sg_manifest_environment(m, a->e.env) : NULL;
	size_t n = a->e.ndotenv ? a->e.ndotenv : (e ? e->nfiles : 0);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char *path = a->e.ndotenv ? strdup(a->e.dotenv[i]) : sg_path_in(root, e->files[i]);
		rc = path ? sg_dotenv_load(&d, path, &dopts) : SG_ENOMEM;
		free(path);
		if (rc == SG_ENOTFOUND && !a->e.ndotenv)
			rc = 0;
		if (rc < 0)
			cli_error("dotenv", "%s", sg_error_last());
	}
	sg_envcheck_options eo = SG_ENVCHECK_OPTIONS_INIT;
	eo.environment = a->e.env;
	eo.dotenv = &d;
	eo.environ = a->e.no_environ ? NULL : environ;
	size_t skipped = 0;
	const char *skipped_name = NULL;
	if (rc == 0 && m && (rc = sg_leakset_add_environment(ls, &skipped, &skipped_name, m, &eo)))
		cli_error("redact", "%s", sg_error_last());
	for (size_t i = 0; rc == 0 && i < a->e.nvars; i++) {
		const char *value, *path;
		uint32_t line;
		if (!sg_envcheck_lookup(&value, &path, &line, &eo, a->e.vars[i]) || !*value)
			continue;
		int r = sg_leakset_add(ls, a->e.vars[i], value, strlen(value));
		if (r == 1 && !skipped++)
			skipped_name = a->e.vars[i];
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
	int rc = sg_leakset_new(&ls, a.e.min_length);
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
