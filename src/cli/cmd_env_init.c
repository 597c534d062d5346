/* secretgate env init: a draft manifest from the repository (code
 * references, templates, dotenv files, compose, Kubernetes, CI workflows and
 * platform files). Refuses to overwrite without --force; --diff shows what
 * it would add to an existing manifest. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cmd_env.h"
#include "env_init.h"

#define INIT_MAX_FILE (1u << 20)

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static int is_template(const char *b)
{
	return !strcmp(b, ".env.example") || !strcmp(b, ".env.sample") ||
	       !strcmp(b, ".env.template") || !strcmp(b, ".env.dist");
}

/* The environment a root dotenv file belongs to: .env and .env.local are
 * development's, .env.NAME and .env.NAME.local are NAME's. */
static int dotenv_environment(char *env, size_t size, const char *b)
{
	if (!strcmp(b, ".env") || !strcmp(b, ".env.local")) {
		snprintf(env, size, "development");
		return 1;
	}
	if (strncmp(b, ".env.", 5) || is_template(b))
		return 0;
	const char *name = b + 5;
	size_t n = strcspn(name, ".");
	if (n == 0 || n >= size || (name[n] && strcmp(name + n, ".local")))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || name[i] == '-' || name[i] == '_'))
			return 0;
	memcpy(env, name, n);
	env[n] = '\0';
	return 1;
}

static int parse_dotenv(sg_dotenv *d, const char *root, const char *name, sg_scan_stats *st)
{
	char *path = cli_path_in(root, name), *text;
	size_t len;
	int rc = path ? cli_env_read_file(&text, &len, path, INIT_MAX_FILE) : SG_ENOMEM;
	free(path);
	if (rc < 0)
		return rc;
	sg_dotenv_options opts = SG_DOTENV_OPTIONS_INIT;
	opts.expand = 0;
	st->files++;
	st->bytes += len;
	rc = sg_dotenv_parse(d, name, text, len, &opts);
	free(text);
	return rc;
}

typedef struct init_run {
	sg_env_init *ini;
	const char *root;
	sg_scan_stats *st;
	const cli_options *o;
	int has_production_platform;
	char **compose; /* compose files without "prod" in the name */
	size_t ncompose;
} init_run;

static int add_platform_file(init_run *r, const char *name, const char *kind, const char *text,
                             size_t len)
{
	sg_platform p;
	sg_platform_init(&p);
	int rc = sg_platform_parse(&p, kind, name, text, len);
	if (rc == 0)
		rc = sg_platform_finish(&p);
	const char *env = "production";
	if (rc == 0 && !strcmp(kind, "docker-compose") && !strstr(base_name(name), "prod")) {
		env = "development";
		char **nc = realloc(r->compose, (r->ncompose + 1) * sizeof(char *));
		if (nc && (nc[r->ncompose] = strdup(name)))
			r->compose = nc, r->ncompose++;
		else
			rc = sg_error_set(SG_ENOMEM, "out of memory");
	} else if (rc == 0 && !strcmp(kind, "github-actions")) {
		env = "ci";
		/* a job's environment: is an environment of the project */
		for (size_t i = 0; rc == 0 && i < p.nenvironments; i++) {
			rc = sg_env_init_environment(r->ini, p.environments[i],
			                             !strcmp(p.environments[i], "production"));
			if (rc == 0)
				rc = sg_env_init_environment_platform(r->ini, p.environments[i],
				                                      name);
		}
	} else if (rc == 0) {
		r->has_production_platform = 1;
	}
	if (rc == 0)
		rc = sg_env_init_environment_platform(r->ini, env, name);
	if (rc == 0)
		rc = sg_env_init_platform(r->ini, env, &p);
	/* compose env_file: the names it sets, when the file is here */
	for (size_t i = 0; rc == 0 && i < p.nenv_files; i++) {
		sg_dotenv d;
		sg_dotenv_init(&d);
		int r2 = parse_dotenv(&d, r->root, p.env_files[i], r->st);
		if (r2 == 0)
			rc = sg_env_init_dotenv(r->ini, &d);
		else if (r2 != SG_ENOTFOUND)
			cli_notice(r->o, "%s", sg_error_last());
		sg_dotenv_free(&d);
	}
	sg_platform_free(&p);
	return rc;
}

static int gather(init_run *r, const env_args *a)
{
	int rc = 0;
	sg_env_refs refs;
	sg_env_refs_init(&refs);
	env_args all = *a;
	all.npaths = 0;
	if (cli_env_gather_refs(&refs, &all, r->root, r->st, r->o) < 0) {
		sg_env_refs_free(&refs);
		return -1;
	}
	for (size_t i = 0; rc == 0 && i < refs.count; i++)
		rc = sg_env_init_ref(r->ini, refs.items[i].name, refs.items[i].path,
		                     refs.items[i].line);
	sg_env_refs_free(&refs);

	sg_file_list files = {0};
	sg_notices nt;
	sg_notices_init(&nt);
	sg_scan_stats walk;
	memset(&walk, 0, sizeof(walk));
	if (rc == 0 && r->root)
		rc = sg_fs_collect_repo(&files, r->root, &walk, &nt);
	else if (rc == 0) {
		const char *dot[] = {"."};
		rc = sg_fs_collect(&files, dot, 1, &walk, &nt);
	}
	for (size_t i = 0; i < nt.count; i++)
		cli_notice(r->o, "%s", nt.items[i]);
	sg_notices_free(&nt);
	for (size_t i = 0; rc == 0 && i < files.count; i++) {
		const char *shown =
		        files.display && files.display[i] ? files.display[i] : files.paths[i];
		if (!strncmp(shown, "./", 2))
			shown += 2;
		const char *b = base_name(shown);
		if (is_template(b)) {
			sg_dotenv d;
			sg_dotenv_init(&d);
			int r2 = parse_dotenv(&d, r->root, shown, r->st);
			if (r2 == 0)
				rc = sg_env_init_template(r->ini, &d);
			else
				cli_notice(r->o, "%s", sg_error_last());
			sg_dotenv_free(&d);
			continue;
		}
		if (!strncmp(b, ".env", 4))
			continue; /* root dotenv files are read below, tracked or not */
		const char *kind = sg_platform_kind(shown, NULL, 0);
		char *text = NULL;
		size_t len = 0;
		if (!kind && (strstr(b, ".yml") || strstr(b, ".yaml"))) {
			if (cli_env_read_file(&text, &len, files.paths[i], INIT_MAX_FILE) < 0)
				continue;
			kind = sg_platform_kind(shown, text, len);
		}
		if (!kind) {
			free(text);
			continue;
		}
		if (!text && cli_env_read_file(&text, &len, files.paths[i], INIT_MAX_FILE) < 0) {
			cli_notice(r->o, "%s", sg_error_last());
			continue;
		}
		r->st->files++;
		r->st->bytes += len;
		rc = add_platform_file(r, shown, kind, text, len);
		free(text);
		if (rc < 0)
			cli_error("env init", "%s", sg_error_last());
	}
	sg_file_list_free(&files);
	return rc;
}

/* Root dotenv files, tracked or not (.env is ignored by git, and rightly). */
static int gather_dotenv(init_run *r)
{
	static const char *const names[] = {".env",
	                                    ".env.local",
	                                    ".env.development",
	                                    ".env.development.local",
	                                    ".env.staging",
	                                    ".env.production",
	                                    ".env.test",
	                                    ".env.preview",
	                                    NULL};
	int rc = 0;
	for (size_t i = 0; rc == 0 && names[i]; i++) {
		char env[64];
		if (!dotenv_environment(env, sizeof(env), names[i]))
			continue;
		sg_dotenv d;
		sg_dotenv_init(&d);
		int r2 = parse_dotenv(&d, r->root, names[i], r->st);
		if (r2 == 0) {
			rc = sg_env_init_environment_file(r->ini, env, names[i]);
			if (rc == 0)
				rc = sg_env_init_dotenv(r->ini, &d);
		} else if (r2 != SG_ENOTFOUND) {
			cli_notice(r->o, "%s", sg_error_last());
		}
		sg_dotenv_free(&d);
	}
	return rc;
}

static int write_manifest(const char *path, const char *text, size_t len)
{
	char *dir = strdup(path);
	if (!dir)
		return -1;
	char *slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		if (*dir && mkdir(dir, 0777) != 0 && errno != EEXIST) {
			cli_error("env init", "%s: %s", dir, strerror(errno));
			free(dir);
			return -1;
		}
	}
	free(dir);
	FILE *f = fopen(path, "w");
	int ok = f && fwrite(text, 1, len, f) == len;
	if (f && fclose(f) != 0)
		ok = 0;
	if (!ok)
		cli_error("env init", "%s: cannot write: %s", path, strerror(errno));
	return ok ? 0 : -1;
}

int cli_env_init(const env_args *a, const cli_options *o, cli_context *ctx, const char *root,
                 sg_findings *f, sg_scan_stats *st)
{
	const char *name = a->manifest
	                           ? a->manifest
	                           : (ctx->config && ctx->config->manifest ? ctx->config->manifest
	                                                                   : ".secretgate/env.yml");
	char *path = a->manifest ? strdup(a->manifest) : cli_path_in(root, name);
	if (!path)
		return -1;
	struct stat sb;
	int exists = stat(path, &sb) == 0;
	if (exists && !a->force && !a->diff) {
		cli_error("env init",
		          "%s exists; not overwritten (--force replaces it, --diff shows what init "
		          "would add)",
		          name);
		free(path);
		return -1;
	}
	sg_manifest *existing = NULL;
	if (a->diff && exists && cli_env_load_manifest(&existing, a, ctx, root, 1) < 0) {
		free(path);
		return -1;
	}
	init_run r = {NULL, root, st, o, 0, NULL, 0};
	int rc = sg_env_init_new(&r.ini, ctx->rules);
	/* Every project has these two; production is the one a leak costs most in. */
	if (rc == 0)
		rc = sg_env_init_environment(r.ini, "development", 0);
	if (rc == 0)
		rc = sg_env_init_environment_file(r.ini, "development", ".env");
	if (rc == 0)
		rc = sg_env_init_environment_file(r.ini, "development", ".env.local");
	if (rc == 0)
		rc = sg_env_init_environment(r.ini, "production", 1);
	if (rc == 0)
		rc = gather_dotenv(&r);
	if (rc == 0)
		rc = gather(&r, a);
	/* A compose-based service deploys with its compose file. */
	for (size_t i = 0; rc == 0 && !r.has_production_platform && i < r.ncompose; i++) {
		sg_platform p;
		sg_platform_init(&p);
		char *full = cli_path_in(root, r.compose[i]), *text;
		size_t len;
		if (full && cli_env_read_file(&text, &len, full, INIT_MAX_FILE) == 0) {
			rc = sg_platform_parse(&p, "docker-compose", r.compose[i], text, len);
			free(text);
			if (rc == 0)
				rc = sg_env_init_environment_platform(r.ini, "production",
				                                      r.compose[i]);
			if (rc == 0)
				rc = sg_env_init_platform(r.ini, "production", &p);
		}
		free(full);
		sg_platform_free(&p);
	}
	char *text = NULL;
	size_t len = 0;
	if (rc == 0 && a->diff && existing)
		rc = sg_env_init_additions(r.ini, existing, &text, &len);
	else if (rc == 0)
		rc = sg_env_init_write(r.ini, &text, &len);
	if (rc < 0 && rc != -1)
		cli_error("env init", "%s", sg_error_last());
	if (rc == 0 && a->diff) {
		if (existing && len == 0)
			cli_notice(o,
			           "%s already declares every variable and environment init finds",
			           name);
		else
			fwrite(text, 1, len, stdout);
		rc = 1;
	} else if (rc == 0) {
		rc = write_manifest(path, text, len);
		if (rc == 0 && !o->quiet)
			fprintf(stderr,
			        "secretgate: wrote %s: %zu variables; review it, then run "
			        "`secretgate "
			        "env check --env development`\n",
			        name, sg_env_init_count(r.ini));
		if (rc == 0)
			rc = 1; /* the manifest is the output: no report */
	}
	free(text);
	for (size_t i = 0; i < r.ncompose; i++)
		free(r.compose[i]);
	free(r.compose);
	sg_env_init_free(r.ini);
	sg_manifest_free(existing);
	free(path);
	(void)f;
	return rc;
}
