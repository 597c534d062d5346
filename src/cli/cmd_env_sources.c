/* The second stage of env check: an environment's platform files, its
 * production secrets found in development files, the --against snapshot,
 * and owners named in findings. */
#include <stdlib.h>
#include <string.h>
#include "cmd_env.h"
#include "env_finding.h"
#include "env_snapshot.h"

extern char **environ;

#define PLATFORM_MAX_FILE (1u << 20)

static int load_one(sg_platform *p, const char *kind, const char *name, const char *root,
                    sg_scan_stats *st, int required)
{
	char *path = cli_path_in(root, name), *text;
	size_t len;
	int rc = path ? cli_env_read_file(&text, &len, path, PLATFORM_MAX_FILE) : SG_ENOMEM;
	free(path);
	if (rc == SG_ENOTFOUND && !required)
		return 0;
	if (rc == SG_ENOTFOUND) {
		cli_error("platform", "%s: not found (the manifest lists it under platform:)",
		          name);
		return -1;
	}
	if (rc == 0) {
		st->files++;
		st->bytes += len;
		rc = sg_platform_parse(p, kind, name, text, len);
		free(text);
	}
	if (rc < 0)
		cli_error("platform", "%s", sg_error_last());
	return rc < 0 ? -1 : 0;
}

int cli_env_load_platform(sg_platform *p, const sg_manifest *m, const char *environment,
                          const char *root, sg_scan_stats *st)
{
	const sg_environment *e = environment ? sg_manifest_environment(m, environment) : NULL;
	for (size_t i = 0; e && i < e->nplatform; i++)
		if (load_one(p, NULL, e->platform[i], root, st, 1) < 0)
			return -1;
	if (sg_platform_finish(p) < 0) {
		cli_error("platform", "%s", sg_error_last());
		return -1;
	}
	/* compose env_file: the names (and non-secret values) it sets. */
	size_t nfiles = p->nenv_files;
	for (size_t i = 0; i < nfiles; i++) {
		sg_dotenv d;
		sg_dotenv_init(&d);
		sg_dotenv_options opts = SG_DOTENV_OPTIONS_INIT;
		opts.expand = 0;
		char *path = cli_path_in(root, p->env_files[i]), *text;
		size_t len;
		int rc = path ? cli_env_read_file(&text, &len, path, PLATFORM_MAX_FILE) : SG_ENOMEM;
		free(path);
		if (rc == SG_ENOTFOUND) {
			/* not on this machine: it is where the names come from */
			continue;
		}
		if (rc == 0) {
			rc = sg_dotenv_parse(&d, p->env_files[i], text, len, &opts);
			free(text);
		}
		if (rc == 0)
			rc = sg_platform_add_dotenv(p, &d);
		sg_dotenv_free(&d);
		if (rc < 0) {
			cli_error("platform", "%s", sg_error_last());
			return -1;
		}
	}
	return 0;
}

static int is_dotenv_name(const char *path)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	return !strcmp(b, ".env") || !strncmp(b, ".env.", 5);
}

static int listed(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return 1;
	return 0;
}

/* Add s to the list unless it is there. */
static int names_add(char ***names, size_t *n, const char *s)
{
	if (listed(*names, *n, s))
		return 0;
	char **nn = realloc(*names, (*n + 1) * sizeof(char *));
	if (!nn)
		return sg_error_set(SG_ENOMEM, "out of memory");
	*names = nn;
	if (!(nn[*n] = strdup(s)))
		return sg_error_set(SG_ENOMEM, "out of memory");
	(*n)++;
	return 0;
}

/* A production secret's value in a committed or development dotenv file:
 * the repository's .env* files and the non-production environments' files,
 * except this environment's own files. */
static int production_secrets_in_files(sg_findings *f, const sg_manifest *m,
                                       const sg_envcheck_options *eo, const char *root,
                                       const cli_options *o, sg_scan_stats *st)
{
	const sg_environment *e = sg_manifest_environment(m, eo->environment);
	char **names = NULL;
	size_t n = 0;
	int rc = 0;
	for (size_t i = 0; i < m->nenvironments && rc == 0; i++) {
		const sg_environment *x = &m->environments[i];
		for (size_t k = 0; x != e && k < x->nfiles; k++) {
			if ((rc = names_add(&names, &n, x->files[k])) < 0)
				break;
		}
	}
	/* The usual development files, listed in the manifest or not (git ignores
	 * them, so the walk below does not see them). */
	static const char *const usual[] = {".env", ".env.local", ".env.development",
	                                    ".env.development.local", NULL};
	for (size_t i = 0; rc == 0 && usual[i]; i++) {
		if (!(e && listed(e->files, e->nfiles, usual[i])))
			rc = names_add(&names, &n, usual[i]);
	}
	sg_file_list files = {0};
	if (rc == 0 && root) {
		sg_notices nt;
		sg_notices_init(&nt);
		sg_scan_stats walk;
		memset(&walk, 0, sizeof(walk));
		if (sg_fs_collect_repo(&files, root, &walk, &nt) < 0)
			cli_notice(o, "%s", sg_error_last());
		sg_notices_free(&nt);
	}
	for (size_t i = 0; rc == 0 && i < files.count; i++) {
		const char *shown =
		        files.display && files.display[i] ? files.display[i] : files.paths[i];
		if (is_dotenv_name(shown) && !(e && listed(e->files, e->nfiles, shown)))
			rc = names_add(&names, &n, shown);
	}
	sg_file_list_free(&files);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char *path = cli_path_in(root, names[i]), *text;
		size_t len;
		int r = path ? cli_env_read_file(&text, &len, path, 1u << 20) : SG_ENOMEM;
		free(path);
		if (r == SG_ENOTFOUND)
			continue;
		sg_dotenv d;
		sg_dotenv_init(&d);
		sg_dotenv_options opts = SG_DOTENV_OPTIONS_INIT;
		opts.expand = 0;
		if (r == 0) {
			st->files++;
			st->bytes += len;
			r = sg_dotenv_parse(&d, names[i], text, len, &opts);
			free(text);
		}
		if (r < 0) {
			/* a broken file elsewhere must not hide the check: say so, go on */
			cli_notice(o, "%s", sg_error_last());
			sg_dotenv_free(&d);
			continue;
		}
		for (size_t v = 0; rc == 0 && v < m->nvars; v++) {
			const sg_var *var = &m->vars[v];
			const char *value, *where;
			uint32_t line;
			if (!var->secret ||
			    !sg_envcheck_lookup(&value, &where, &line, eo, var->name))
				continue;
			size_t vlen = strlen(value);
			if (vlen < m->min_leak_length)
				continue;
			for (size_t k = 0; rc == 0 && k < d.count; k++) {
				if (d.items[k].value_len != vlen ||
				    memcmp(d.items[k].value, value, vlen))
					continue;
				char key[512];
				snprintf(key, sizeof(key), "%s:%s:%s", eo->environment, names[i],
				         d.items[k].key);
				rc = sg_env_finding(f, SG_ENV_DEV_SECRET, 1, names[i],
				                    d.items[k].line, key,
				                    "%s holds the value of %s's secret %s in %s:%u "
				                    "(production secrets stay out of other files)",
				                    d.items[k].key, eo->environment, var->name,
				                    names[i], d.items[k].line);
			}
		}
		sg_dotenv_free(&d);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rc < 0)
		cli_error("env check", "%s", sg_error_last());
	return rc;
}

int cli_env_check_more(const env_args *a, const cli_options *o, cli_context *ctx, const char *root,
                       sg_findings *f, sg_scan_stats *st, const sg_manifest *m, sg_dotenv *d,
                       const sg_platform *p)
{
	int rc = sg_platform_check(f, p, m, a->env, ctx->rules);
	if (rc < 0)
		cli_error("env check", "%s", sg_error_last());
	sg_envcheck_options eo = SG_ENVCHECK_OPTIONS_INIT;
	eo.environment = a->env;
	eo.dotenv = d;
	eo.environ = a->no_environ ? NULL : environ;
	eo.rules = ctx->rules;
	const sg_environment *e = sg_manifest_environment(m, a->env);
	if (rc == 0 && e && e->production)
		rc = production_secrets_in_files(f, m, &eo, root, o, st);
	if (rc == 0 && a->against)
		rc = cli_env_against(a, o, root, f, m, &eo);
	if (rc == 0 && (rc = sg_env_findings_name_owners(f, 0, m)) < 0)
		cli_error("env check", "%s", sg_error_last());
	return rc;
}
