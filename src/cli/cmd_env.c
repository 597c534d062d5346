/* secretgate env check|lint|refs|leaks: the configuration gate. Loads the
 * manifest, the environment's values and the files to look at, then reports
 * through cli_finish like every other command. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"
#include "cmd_env.h"

extern char **environ;

#define ENV_MAX_FILE  (100ull * 1000 * 1000)
#define REFS_MAX_FILE (4u << 20)

static const char env_help[] =
        "usage: secretgate env <command> [options]\n"
        "\n"
        "Commands:\n"
        "  check --env NAME   validate the environment's variables against the manifest\n"
        "  lint               check the manifest, templates and dotenv files (no values)\n"
        "  refs [PATH...]     compare the variables code reads with the manifest\n"
        "  leaks --env NAME PATH...  find the environment's secret values in files\n"
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
        "\n"
        "Examples:\n"
        "  secretgate env check --env production\n"
        "  secretgate env check --env development --dotenv .env --dotenv .env.local --refs\n"
        "  secretgate env leaks --env production dist/\n"
        "\n"
        "Exit codes: 0 clean, 1 findings, 2 usage, manifest or dotenv syntax error.\n"
        "\n";

static int read_file(char **out, size_t *len, const char *path, uint64_t max)
{
	*out = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return sg_error_set(errno == ENOENT ? SG_ENOTFOUND : SG_EIO, "%s: %s", path,
		                    strerror(errno));
	struct stat sb;
	if (fstat(fileno(f), &sb) == 0 && (uint64_t)sb.st_size > max) {
		fclose(f);
		return sg_error_set(SG_ETOOBIG, "%s: over the %llu-byte cap", path,
		                    (unsigned long long)max);
	}
	size_t cap = sb.st_size > 0 ? (size_t)sb.st_size + 1 : 4096, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
		if (n + 1 == cap) {
			if (n >= max) {
				free(buf);
				fclose(f);
				return sg_error_set(SG_ETOOBIG, "%s: over the %llu-byte cap", path,
				                    (unsigned long long)max);
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb)
				free(buf);
			buf = nb;
			cap *= 2;
		}
	}
	int err = ferror(f);
	fclose(f);
	if (!buf)
		return sg_error_set(SG_ENOMEM, "out of memory");
	if (err) {
		free(buf);
		return sg_error_set(SG_EIO, "%s: read failed", path);
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

/* The manifest: --manifest, the config's `manifest`, or .secretgate/env.yml
 * at the root. Returns 0 with *m NULL when absent and not required. */
static int load_manifest(sg_manifest **m, const env_args *a, const cli_context *ctx,
                         const char *root, int required)
{
	*m = NULL;
	const char *name = a->manifest
	                           ? a->manifest
	                           : (ctx->config && ctx->config->manifest ? ctx->config->manifest
	                                                                   : ".secretgate/env.yml");
	char *path = a->manifest ? strdup(a->manifest) : cli_path_in(root, name);
	if (!path)
		return -1;
	char *text;
	size_t len;
	int rc = read_file(&text, &len, path, 1u << 20);
	if (rc == SG_ENOTFOUND && !required && !a->manifest) {
		free(path);
		return 0;
	}
	if (rc == 0) {
		/* Errors and findings name the manifest as the user would. */
		rc = sg_manifest_parse(m, a->manifest ? a->manifest : name, text, len);
		free(text);
	}
	if (rc == SG_ENOTFOUND)
		cli_error("manifest", "%s not found (create it, or pass --manifest FILE)", name);
	else if (rc < 0)
		cli_error("manifest", "%s", sg_error_last());
	free(path);
	return rc < 0 ? -1 : 0;
}

static const char *process_lookup(void *ctx, const char *name)
{
	return getenv(name);
}

/* Layer the dotenv files: --dotenv in order, else the environment's files
 * (missing ones skipped: .env.local is optional by nature). */
static int load_dotenv(sg_dotenv *d, const env_args *a, const sg_manifest *m, const char *root,
                       sg_scan_stats *st)
{
	sg_dotenv_options opts = SG_DOTENV_OPTIONS_INIT;
	if (!a->no_environ)
		opts.lookup = process_lookup;
	const sg_environment *e = a->env ? sg_manifest_environment(m, a->env) : NULL;
	size_t n = a->ndotenv ? a->ndotenv : (e ? e->nfiles : 0);
	for (size_t i = 0; i < n; i++) {
		const char *name = a->ndotenv ? a->dotenv[i] : e->files[i];
		char *path = a->ndotenv ? strdup(name) : cli_path_in(root, name);
		char *text;
		size_t len;
		int rc = path ? read_file(&text, &len, path, 1u << 20) : SG_ENOMEM;
		free(path);
		if (rc == SG_ENOTFOUND && !a->ndotenv)
			continue;
		if (rc == 0) {
			rc = sg_dotenv_parse(d, name, text, len, &opts);
			st->files++;
			st->bytes += len;
			free(text);
		}
		if (rc < 0) {
			cli_error("dotenv", "%s", sg_error_last());
			return -1;
		}
	}
	return 0;
}

/* Every file under the paths (or the repository's files, or "."). */
static int collect(sg_file_list *files, const env_args *a, const char *root, sg_scan_stats *st,
                   const cli_options *o)
{
	sg_notices nt;
	sg_notices_init(&nt);
	int rc;
	if (a->npaths)
		rc = sg_fs_collect(files, a->paths, a->npaths, st, &nt);
	else if (root)
		rc = sg_fs_collect_repo(files, root, st, &nt);
	else {
		const char *dot[] = {"."};
		rc = sg_fs_collect(files, dot, 1, st, &nt);
	}
	for (size_t i = 0; i < nt.count; i++)
		cli_notice(o, "%s", nt.items[i]);
	sg_notices_free(&nt);
	if (rc < 0)
		cli_error("files", "%s", sg_error_last());
	return rc;
}

static int gather_refs(sg_env_refs *refs, const env_args *a, const char *root, sg_scan_stats *st,
                       const cli_options *o)
{
	sg_file_list files = {0};
	int rc = collect(&files, a, root, st, o);
	for (size_t i = 0; rc == 0 && i < files.count; i++) {
		char *text;
		size_t len;
		int r = read_file(&text, &len, files.paths[i], REFS_MAX_FILE);
		if (r == SG_ETOOBIG) {
			st->skipped_too_big++;
			continue;
		}
		if (r < 0) {
			cli_notice(o, "%s", sg_error_last());
			st->errors++;
			continue;
		}
		if (memchr(text, '\0', len < 8192 ? len : 8192)) {
			st->skipped_binary++;
		} else {
			st->files++;
			st->bytes += len;
			const char *shown = files.display && files.display[i] ? files.display[i]
			                                                      : files.paths[i];
			if ((rc = sg_env_refs_scan(refs, shown, text, len)) < 0)
				cli_error("refs", "%s", sg_error_last());
		}
		free(text);
	}
	sg_file_list_free(&files);
	return rc;
}

/* Templates: the manifest's, else .env.example when it exists. */
static int check_templates(sg_findings *f, const sg_manifest *m, const char *root,
                           const cli_options *o)
{
	static const char *const fallback[] = {".env.example"};
	const char *const *names = m->ntemplates ? (const char *const *)m->templates : fallback;
	size_t n = m->ntemplates ? m->ntemplates : 1;
	for (size_t i = 0; i < n; i++) {
		if (strpbrk(names[i], "*?["))
			continue; /* a glob names templates for the git gate, not one file */
		char *path = cli_path_in(root, names[i]), *text;
		size_t len;
		int rc = path ? read_file(&text, &len, path, 1u << 20) : SG_ENOMEM;
		free(path);
		if (rc == SG_ENOTFOUND) {
			if (m->ntemplates)
				cli_notice(o, "template %s not found", names[i]);
			continue;
		}
		if (rc == 0) {
			rc = sg_envcheck_template(f, m, names[i], text, len);
			free(text);
		}
		if (rc < 0) {
			cli_error("template", "%s", sg_error_last());
			return -1;
		}
	}
	return 0;
}

static int parse_args(env_args *a, cli_options *o, int argc, char **argv)
{
	a->paths = calloc((size_t)argc + 1, sizeof(char *));
	if (!a->paths)
		return -1;
	for (int i = 2; i < argc; i++) {
		const char *s = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
			fputs(env_help, stdout);
			fputs(cli_common_help, stdout);
			return 1;
		}
		if (!strcmp(s, "--refs"))
			a->refs = 1;
		else if (!strcmp(s, "--no-unknown"))
			a->no_unknown = 1;
		else if (!strcmp(s, "--no-environ"))
			a->no_environ = 1;
		else if (!strcmp(s, "--list"))
			a->list = 1;
		else if (!strcmp(s, "--update"))
			a->update = 1;
		else if (!strcmp(s, "--force"))
			a->force = 1;
		else if (!strcmp(s, "--diff"))
			a->diff = 1;
		else if (!strcmp(s, "--env") || !strcmp(s, "--manifest") ||
		         !strcmp(s, "--dotenv") || !strcmp(s, "--var") ||
		         !strcmp(s, "--min-length") || !strcmp(s, "--against") ||
		         !strcmp(s, "--from-a") || !strcmp(s, "--from-b")) {
			if (!v) {
				cli_error("usage", "%s needs a value", s);
				return -1;
			}
			i++;
			if (!strcmp(s, "--env"))
				a->env = v;
			else if (!strcmp(s, "--against"))
				a->against = v;
			else if (!strcmp(s, "--manifest"))
				a->manifest = v;
			else if (!strcmp(s, "--min-length")) {
				char *end;
				long n = strtol(v, &end, 10);
				if (*end || n < 1 || n > 4096) {
					cli_error("usage", "--min-length wants 1 to 4096, not '%s'",
					          v);
					return -1;
				}
				a->min_length = (size_t)n;
			} else if (!strcmp(s, "--from-a") || !strcmp(s, "--from-b")) {
				int first = s[7] == 'a';
				size_t *n = first ? &a->nfrom_a : &a->nfrom_b;
				if (*n == CLI_MAX_LIST) {
					cli_error("usage", "at most %d %s options", CLI_MAX_LIST,
					          s);
					return -1;
				}
				(first ? a->from_a : a->from_b)[(*n)++] = v;
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
		} else if (s[0] == '-' && s[1]) {
			int r = cli_parse_common(o, argc, argv, &i);
			if (r == 1)
				continue;
			if (r == 0)
				cli_error("usage",
				          "unknown option '%s' for env %s (see 'secretgate env "
				          "--help')",
				          s, a->sub);
			return -1;
		} else {
			a->paths[a->npaths++] = s;
		}
	}
	return 0;
}

static int require_env(const env_args *a, const sg_manifest *m)
{
	if (!a->env) {
		cli_error("usage", "env %s needs --env NAME", a->sub);
		return -1;
	}
	if (m && m->nenvironments && !sg_manifest_environment(m, a->env)) {
		cli_error("usage", "unknown environment '%s' (the manifest declares:%s%s%s)",
		          a->env, m->nenvironments > 0 ? " " : "", m->environments[0].name,
		          m->nenvironments > 1 ? ", ..." : "");
		return -1;
	}
	return 0;
}

static int run_check(const env_args *a, const cli_options *o, cli_context *ctx, const char *root,
                     sg_findings *f, sg_scan_stats *st)
{
	sg_manifest *m;
	sg_dotenv d;
	sg_dotenv_init(&d);
	if (load_manifest(&m, a, ctx, root, 1) < 0)
		return -1;
	sg_platform p;
	sg_platform_init(&p);
	int rc = require_env(a, m);
	if (rc == 0)
		rc = load_dotenv(&d, a, m, root, st);
	/* Platform files: declarations, and values under the dotenv files. */
	if (rc == 0 && (rc = cli_env_load_platform(&p, m, a->env, root, st)) == 0 &&
	    (rc = sg_platform_layer(&d, &p, m, a->env, ctx->rules)) < 0)
		cli_error("env check", "%s", sg_error_last());
	sg_envcheck_options eo = SG_ENVCHECK_OPTIONS_INIT;
	eo.environment = a->env;
	eo.dotenv = &d;
	eo.environ = a->no_environ ? NULL : environ;
	eo.report_unknown = a->no_unknown ? 0 : -1;
	eo.rules = ctx->rules;
	if (rc == 0 && (rc = sg_envcheck_values(f, m, &eo)) < 0)
		cli_error("env check", "%s", sg_error_last());
	if (rc == 0 && (rc = sg_envcheck_manifest(f, m)) < 0)
		cli_error("env check", "%s", sg_error_last());
	if (rc == 0 && (rc = sg_envcheck_duplicates(f, &d)) < 0)
		cli_error("env check", "%s", sg_error_last());
	if (rc == 0)
		rc = check_templates(f, m, root, o);
	if (rc == 0 && a->refs) {
		sg_env_refs refs;
		sg_env_refs_init(&refs);
		rc = gather_refs(&refs, a, root, st, o);
		if (rc == 0 && (rc = sg_envcheck_refs(f, m, &refs)) < 0)
			cli_error("env check", "%s", sg_error_last());
		sg_env_refs_free(&refs);
	}
	if (rc == 0)
		rc = cli_env_check_more(a, o, ctx, root, f, st, m, &d, &p);
	sg_platform_free(&p);
	sg_dotenv_free(&d);
	sg_manifest_free(m);
	return rc;
}

/* lint: everything that needs no environment's values, for every environment's files. */
static int run_lint(const env_args *a, const cli_options *o, cli_context *ctx, const char *root,
                    sg_findings *f, sg_scan_stats *st)
{
	sg_manifest *m;
	if (load_manifest(&m, a, ctx, root, 1) < 0)
		return -1;
	int rc = sg_envcheck_manifest(f, m);
	if (rc == 0)
		rc = check_templates(f, m, root, o);
	for (size_t i = 0; rc == 0 && i < m->nenvironments; i++) {
		sg_dotenv d;
		sg_dotenv_init(&d);
		env_args one = *a;
		one.env = m->environments[i].name;
		one.no_environ = 1; /* lint is about the files, not this shell */
		rc = load_dotenv(&d, &one, m, root, st);
		if (rc == 0)
			rc = sg_envcheck_duplicates(f, &d);
		sg_dotenv_free(&d);
		if (a->ndotenv)
			break; /* the named files are the same for every environment */
	}
	sg_manifest_free(m);
	return rc;
}

static int run_refs(const env_args *a, const cli_options *o, cli_context *ctx, const char *root,
                    sg_findings *f, sg_scan_stats *st)
{
	sg_manifest *m = NULL;
	if (!a->list && load_manifest(&m, a, ctx, root, 1) < 0)
		return -1;
	sg_env_refs refs;
	sg_env_refs_init(&refs);
	int rc = gather_refs(&refs, a, root, st, o);
	if (rc == 0 && a->list) {
		for (size_t i = 0; i < refs.count; i++)
			printf("%s:%u:%u: %s (%s)\n", refs.items[i].path, refs.items[i].line,
			       refs.items[i].column, refs.items[i].name, refs.items[i].form);
		rc = 1; /* listing done: no report */
	} else if (rc == 0 && (rc = sg_envcheck_refs(f, m, &refs)) < 0) {
		cli_error("env refs", "%s", sg_error_last());
	}
	sg_env_refs_free(&refs);
	sg_manifest_free(m);
	return rc;
}

static int run_leaks(const env_args *a, const cli_options *o, cli_context *ctx, const char *root,
                     sg_findings *f, sg_scan_stats *st)
{
	sg_manifest *m;
	sg_dotenv d;
	sg_dotenv_init(&d);
	sg_leakset *ls = NULL;
	if (!a->npaths) {
		cli_error("usage", "env leaks needs the PATHs to search (build output, logs)");
		return -1;
	}
	if (load_manifest(&m, a, ctx, root, a->nvars == 0) < 0)
		return -1;
	int rc = m ? require_env(a, m) : 0;
	if (rc == 0)
		rc = load_dotenv(&d, a, m, root, st);
	st->files = 0;
	st->bytes = 0;
	size_t min = a->min_length ? a->min_length : (m ? m->min_leak_length : 8);
	if (rc == 0)
		rc = sg_leakset_new(&ls, min);
	sg_envcheck_options eo = SG_ENVCHECK_OPTIONS_INIT;
	eo.environment = a->env;
	eo.dotenv = &d;
	eo.environ = a->no_environ ? NULL : environ;
	size_t skipped = 0;
	const char *skipped_name = NULL;
	if (rc == 0)
		rc = sg_leakset_add_environment(ls, &skipped, &skipped_name, m, &eo);
	for (size_t i = 0; rc == 0 && i < a->nvars; i++) {
		const char *value, *path;
		uint32_t line;
		if (!sg_envcheck_lookup(&value, &path, &line, &eo, a->vars[i]) || !*value) {
			cli_notice(o, "%s is not set; not searched", a->vars[i]);
			continue;
		}
		int r = sg_leakset_add(ls, a->vars[i], value, strlen(value));
		if (r == 1 && !skipped++)
			skipped_name = a->vars[i];
		rc = r < 0 ? r : 0;
	}
	if (rc < 0)
		cli_error("env leaks", "%s", sg_error_last());
	if (rc == 0 && skipped)
		cli_notice(o, "%zu secret value%s shorter than %zu bytes not searched (first: %s)",
		           skipped, skipped == 1 ? "" : "s", min, skipped_name);
	if (rc == 0 && sg_leakset_count(ls) == 0)
		cli_notice(o, "no secret values to search for in environment %s",
		           a->env ? a->env : "(none)");
	sg_file_list files = {0};
	if (rc == 0)
		rc = collect(&files, a, root, st, o);
	uint64_t max = o->max_file_size ? o->max_file_size : ENV_MAX_FILE;
	/* Bundles, maps and logs are searched whole, binary or not: a value
	 * baked into an image layer is as leaked as one in a script. */
	for (size_t i = 0; rc == 0 && i < files.count && sg_leakset_count(ls); i++) {
		char *text;
		size_t len;
		int r = read_file(&text, &len, files.paths[i], max);
		if (r == SG_ETOOBIG) {
			cli_notice(o, "%s", sg_error_last());
			st->skipped_too_big++;
			continue;
		}
		if (r < 0) {
			cli_notice(o, "%s", sg_error_last());
			st->errors++;
			continue;
		}
		st->files++;
		st->bytes += len;
		sg_origin origin = {0};
		origin.path = files.display && files.display[i] ? files.display[i] : files.paths[i];
		if ((rc = sg_leakset_scan(ls, text, len, &origin, f)) < 0)
			cli_error("env leaks", "%s", sg_error_last());
		free(text);
	}
	sg_file_list_free(&files);
	sg_leakset_free(ls);
	sg_dotenv_free(&d);
	sg_manifest_free(m);
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
	env_run_fn run = NULL;
	const char *mode = NULL;
	if (!strcmp(a.sub, "check"))
		run = run_check, mode = "env-check";
	else if (!strcmp(a.sub, "lint"))
		run = run_lint, mode = "env-lint";
	else if (!strcmp(a.sub, "refs"))
		run = run_refs, mode = "env-refs";
	else if (!strcmp(a.sub, "leaks"))
		run = run_leaks, mode = "env-leaks";
	else if (!strcmp(a.sub, "init"))
		run = cli_env_init, mode = "env-init";
	else if (!strcmp(a.sub, "diff"))
		run = cli_env_diff, mode = "env-diff";
	else if (!strcmp(a.sub, "snapshot"))
		run = cli_env_snapshot, mode = "env-snapshot";
	if (!run) {
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
	if (a.npaths && run == run_check && !a.refs) {
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

/* For the other env subcommands (cmd_env.h). */
int cli_env_read_file(char **out, size_t *len, const char *path, uint64_t max)
{
	return read_file(out, len, path, max);
}

int cli_env_load_manifest(sg_manifest **m, const env_args *a, const cli_context *ctx,
                          const char *root, int required)
{
	return load_manifest(m, a, ctx, root, required);
}

int cli_env_load_dotenv(sg_dotenv *d, const env_args *a, const sg_manifest *m, const char *root,
                        sg_scan_stats *st)
{
	return load_dotenv(d, a, m, root, st);
}

int cli_env_gather_refs(sg_env_refs *refs, const env_args *a, const char *root, sg_scan_stats *st,
                        const cli_options *o)
{
	return gather_refs(refs, a, root, st, o);
}
