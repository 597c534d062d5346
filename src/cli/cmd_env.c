/* secretgate env check|lint|refs|leaks: the configuration gate. The library
 * assembles it (secretgate/env.h, sg_env_*); this file parses the options,
 * prints and reports through cli_finish like every other command. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli/cli.h"
#include "secretgate/env.h"

extern char **environ;

static const char env_help[] =
        "usage: secretgate env <command> [options]\n"
        "\n"
        "Commands:\n"
        "  check --env NAME   validate the environment's variables against the manifest\n"
        "  lint               check the manifest, templates and dotenv files (no values)\n"
        "  refs [PATH...]     compare the variables code reads with the manifest\n"
        "  leaks --env NAME PATH...  find the environment's secret values in files\n"
        "  init               write a draft manifest from the repository\n"
        "  diff A B           compare two environments' variables and secrets\n"
        "  snapshot --env NAME [-o FILE]  record the environment's state in a lock file\n"
        "\n"
        "Options:\n"
        "      --env NAME          environment declared in the manifest\n"
        "      --manifest FILE     default: config 'manifest', else .secretgate/env.yml\n"
        "      --dotenv FILE       dotenv file to read (repeatable, later wins); default:\n"
        "                          the environment's files from the manifest\n"
        "      --no-environ        ignore the process environment (it wins over dotenv files)\n"
        "      --refs              check: also compare code references (env refs)\n"
        "      --no-unknown        check: do not report undeclared dotenv variables\n"
        "      --list              refs: print every reference instead of checking\n"
        "      --min-length N      leaks: shortest value searched (default: manifest, else 8)\n"
        "      --var NAME          leaks: also search for this variable's value (repeatable)\n"
        "      --against FILE      check: report changes since the snapshot FILE\n"
        "      --update            check --against: accept the current state into FILE\n"
        "      --force             init: overwrite an existing manifest\n"
        "      --diff              init: show what would be added to the existing manifest\n"
        "      --from-a FILE, --from-b FILE  diff: values of A or B (dotenv syntax, an `env`\n"
        "                          export; repeatable); default: each environment's files\n"
        "  Snapshots digest secrets with the key in SECRETGATE_LOCK_KEY (a CI secret).\n"
        "\n"
        "Examples:\n"
        "  secretgate env check --env production\n"
        "  secretgate env check --env development --dotenv .env --dotenv .env.local --refs\n"
        "  secretgate env leaks --env production dist/\n"
        "\n"
        "Exit codes: 0 clean, 1 findings, 2 usage, manifest or dotenv syntax error.\n"
        "\n";

typedef struct env_args {
	const char *sub;
	cli_env_opts e;
	int refs, no_unknown, list;
	const char *against;
	int update, force, diff;
	const char *from_a[CLI_MAX_LIST], *from_b[CLI_MAX_LIST];
	size_t nfrom_a, nfrom_b;
	const char **paths;
	size_t npaths;
} env_args;

#define ENV_FLAG(fn, field)                                                                        \
	static int fn(void *p, const char *name, const char *v)                                    \
	{                                                                                          \
		((env_args *)p)->field = 1;                                                        \
		return 0;                                                                          \
	}
ENV_FLAG(set_refs, refs)
ENV_FLAG(set_no_unknown, no_unknown)
ENV_FLAG(set_list, list)
ENV_FLAG(set_update, update)
ENV_FLAG(set_force, force)
ENV_FLAG(set_diff, diff)

static int set_against(void *p, const char *name, const char *v)
{
	((env_args *)p)->against = v;
	return 0;
}

static int set_from(void *p, const char *name, const char *v)
{
	env_args *a = p;
	int first = name[7] == 'a';
	size_t *n = first ? &a->nfrom_a : &a->nfrom_b;
	if (*n == CLI_MAX_LIST) {
		cli_error("usage", "at most %d %s options", CLI_MAX_LIST, name);
		return -1;
	}
	(first ? a->from_a : a->from_b)[(*n)++] = v;
	return 0;
}

static const cli_opt env_table[] = {
        {.name = "--refs", .set = set_refs},
        {.name = "--no-unknown", .set = set_no_unknown},
        {.name = "--list", .set = set_list},
        {.name = "--against", .has_value = 1, .set = set_against},
        {.name = "--update", .set = set_update},
        {.name = "--force", .set = set_force},
        {.name = "--diff", .set = set_diff},
        {.name = "--from-a", .has_value = 1, .set = set_from},
        {.name = "--from-b", .has_value = 1, .set = set_from},
        {0},
};

static int parse_args(env_args *a, cli_options *o, int argc, char **argv)
{
	a->paths = calloc((size_t)argc + 1, sizeof(char *));
	if (!a->paths)
		return -1;
	for (int i = 2; i < argc; i++) {
		const char *s = argv[i];
		if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
			fputs(env_help, stdout);
			fputs(cli_common_help, stdout);
			return 1;
		}
		if (s[0] != '-' || !s[1]) {
			a->paths[a->npaths++] = s;
			continue;
		}
		int r = cli_parse_option(env_table, a, &a->e, o, argc, argv, &i);
		if (r == 1)
			continue;
		if (r == 0)
			cli_error("usage",
			          "unknown option '%s' for env %s (see 'secretgate env --help')", s,
			          a->sub);
		return -1;
	}
	return 0;
}

/* What the library needs to assemble the gate, from the options. */
static sg_env_gate_options gate_options(const env_args *a, const cli_options *o,
                                        const cli_context *ctx, const char *root)
{
	sg_env_gate_options g = SG_ENV_GATE_OPTIONS_INIT;
	g.root = root;
	g.environment = a->e.env;
	g.manifest = a->e.manifest;
	g.policy_manifest = ctx->config ? ctx->config->manifest : NULL;
	g.dotenv = a->e.dotenv;
	g.ndotenv = a->e.ndotenv;
	g.environ = a->e.no_environ ? NULL : environ;
	g.report_unknown = a->no_unknown ? 0 : -1;
	g.refs = a->refs;
	g.paths = a->paths;
	g.npaths = a->npaths;
	g.vars = a->e.vars;
	g.nvars = a->e.nvars;
	g.min_length = a->e.min_length;
	g.max_file_size = o->max_file_size;
	g.rules = ctx->rules;
	g.against = a->against;
	g.update = a->update;
	/* The key is the CLI's to read: the library never looks at the environment. */
	const char *key = getenv("SECRETGATE_LOCK_KEY");
	g.lock_key = (const unsigned char *)key;
	g.lock_key_len = key ? strlen(key) : 0;
	g.output = o->output;
	g.force = a->force;
	g.diff = a->diff;
	g.from_a = a->from_a;
	g.nfrom_a = a->nfrom_a;
	g.from_b = a->from_b;
	g.nfrom_b = a->nfrom_b;
	return g;
}

/* refs --list: every reference, printed instead of a report. */
static int list_refs(const sg_env_gate_options *g, sg_scan_stats *st, sg_notices *nt)
{
	sg_env_refs refs;
	sg_env_refs_init(&refs);
	int rc = sg_env_refs_collect(g, &refs, st, nt);
	for (size_t i = 0; rc == 0 && i < refs.count; i++)
		printf("%s:%u:%u: %s (%s)\n", refs.items[i].path, refs.items[i].line,
		       refs.items[i].column, refs.items[i].name, refs.items[i].form);
	sg_env_refs_free(&refs);
	return rc == 0 ? 1 : rc; /* listing done: no report */
}

/* init: the manifest is the output (no report); --diff prints the additions. */
static int init_manifest(const sg_env_gate_options *g, sg_scan_stats *st, sg_notices *nt)
{
	char *text;
	size_t len;
	int rc = sg_env_init_manifest(g, &text, &len, st, nt);
	if (rc == 0 && text)
		fwrite(text, 1, len, stdout);
	free(text);
	return rc < 0 ? rc : 1;
}

static int run(const env_args *a, const cli_options *o, cli_context *ctx, const char *root,
               sg_findings *f, sg_scan_stats *st)
{
	sg_env_gate_options g = gate_options(a, o, ctx, root);
	sg_notices nt;
	sg_notices_init(&nt);
	int rc;
	if (!strcmp(a->sub, "check"))
		rc = sg_env_check(&g, f, st, &nt);
	else if (!strcmp(a->sub, "lint"))
		rc = sg_env_lint(&g, f, st, &nt);
	else if (!strcmp(a->sub, "refs"))
		rc = a->list ? list_refs(&g, st, &nt) : sg_env_refs_check(&g, f, st, &nt);
	else if (!strcmp(a->sub, "init"))
		rc = init_manifest(&g, st, &nt);
	else if (!strcmp(a->sub, "diff"))
		rc = a->npaths == 2 ? sg_env_diff_check(&g, a->paths[0], a->paths[1], f, st, &nt)
		                    : sg_error_set(SG_EINVALID, "usage: env diff needs two "
		                                                "environments: env diff A B");
	else if (!strcmp(a->sub, "snapshot"))
		rc = (rc = sg_env_snapshot_write(&g, st, &nt)) < 0 ? rc : 1; /* the lock is it */
	else if (a->npaths)
		rc = sg_env_leaks(&g, f, st, &nt);
	else
		rc = sg_error_set(
		        SG_EINVALID,
		        "usage: env leaks needs the PATHs to search (build output, logs)");
	cli_print_notices(o, &nt);
	sg_notices_free(&nt);
	if (rc < 0)
		cli_error(NULL, "%s", sg_error_last());
	return rc;
}

int cmd_env(int argc, char **argv)
{
	env_args a;
	memset(&a, 0, sizeof(a));
	cli_options o = CLI_OPTIONS_INIT;
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		fputs(env_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_ERROR : EXIT_CLEAN;
	}
	a.sub = argv[1];
	static const char *const commands[][2] = {
	        {"check", "env-check"},      {"lint", "env-lint"}, {"refs", "env-refs"},
	        {"leaks", "env-leaks"},      {"init", "env-init"}, {"diff", "env-diff"},
	        {"snapshot", "env-snapshot"}};
	const char *mode = NULL;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(a.sub, commands[i][0]))
			mode = commands[i][1];
	if (!mode) {
		cli_error(
		        "usage",
		        "unknown env command '%s' (check, lint, refs, leaks, init, diff, snapshot)",
		        a.sub);
		return EXIT_ERROR;
	}
	int pr = parse_args(&a, &o, argc, argv);
	if (pr != 0) {
		free(a.paths);
		return pr > 0 ? EXIT_CLEAN : EXIT_ERROR;
	}
	if (a.npaths && !strcmp(a.sub, "check") && !a.refs) {
		cli_error("usage", "env check takes no paths (did you mean --refs or env leaks?)");
		free(a.paths);
		return EXIT_ERROR;
	}
	double t0 = cli_now_ms();
	char *root = cli_repo_root();
	cli_context ctx;
	if (cli_context_load(&ctx, &o, root) < 0) {
		free(root);
		free(a.paths);
		return EXIT_ERROR;
	}
	sg_findings f;
	sg_findings_init(&f, 0);
	sg_scan_stats st;
	memset(&st, 0, sizeof(st));
	st.mode = mode;
	int rc = run(&a, &o, &ctx, root, &f, &st);
	int exit_code;
	if (rc > 0) {
		exit_code = EXIT_CLEAN;
	} else if (rc < 0 && f.count == 0) {
		/* Nothing was checked (bad manifest, environment or dotenv file): the
		 * error line says it all, an empty report would only suggest success. */
		exit_code = EXIT_ERROR;
	} else {
		sg_findings_sort(&f);
		st.elapsed_ms = cli_now_ms() - t0;
		exit_code = cli_finish(&o, &ctx, &f, &st, rc < 0);
	}
	sg_findings_free(&f);
	cli_context_free(&ctx);
	free(root);
	free(a.paths);
	return exit_code;
}
