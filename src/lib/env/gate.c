/* The env gate assembled: each env command's checks in one call, from
 * loading the manifest, the environment's dotenv layers, templates and the
 * files to look at, to the findings. The CLI parses options and prints; any
 * other program gets the same findings from here. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "secretgate/env.h"
#include "util/file.h"
#include "lib/env/env_internal.h"
#include "secretgate/env_platform.h"

#define ENV_MAX_FILE      (100ull * 1000 * 1000)
#define REFS_MAX_FILE     (4u << 20)
#define MANIFEST_MAX_FILE (1u << 20)
#define DOTENV_MAX_FILE   (1u << 20)

/* Prefix the last error with what failed: "<what>: <why>". */
static int fail(int rc, const char *what)
{
	char why[512];
	snprintf(why, sizeof(why), "%s", sg_error_last());
	return sg_error_set(rc < 0 ? rc : SG_ERROR, "%s: %s", what, why);
}

/* The manifest: the caller's, the policy's, or .secretgate/env.yml at the
 * root. Returns 0 with *m NULL when absent and not required. */
static int load_manifest(sg_manifest **m, const sg_env_gate_options *o, int required)
{
	*m = NULL;
	const char *name = o->manifest          ? o->manifest
	                   : o->policy_manifest ? o->policy_manifest
	                                        : ".secretgate/env.yml";
	char *path = o->manifest ? strdup(o->manifest) : sg_path_in(o->root, name);
	if (!path)
		return sg_error_set(SG_ENOMEM, "out of memory");
	char *text;
	size_t len;
	int rc = sg_file_read(&text, &len, path, MANIFEST_MAX_FILE);
	free(path);
	if (rc == SG_ENOTFOUND && !required && !o->manifest)
		return 0;
	if (rc == 0) {
		/* Errors and findings name the manifest as the user would. */
		rc = sg_manifest_parse(m, name, text, len);
		free(text);
	}
	if (rc == SG_ENOTFOUND)
		return sg_error_set(
		        rc, "manifest: %s not found (create it, or pass --manifest FILE)", name);
	return rc < 0 ? fail(rc, "manifest") : 0;
}

/* Interpolation in dotenv files falls back to the process environment the
 * caller passed (the library never reads its own). */
static const char *environ_lookup(void *ctx, const char *name)
{
	size_t n = strlen(name);
	for (char *const *e = ctx; *e; e++)
		if (!strncmp(*e, name, n) && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

/* Layer the dotenv files: the named ones in order, else the environment's
 * files (missing ones skipped: .env.local is optional by nature). */
static int load_dotenv(sg_dotenv *d, const sg_env_gate_options *o, const char *environment,
                       char *const *environ, const sg_manifest *m, sg_scan_stats *st)
{
	sg_dotenv_options opts = SG_DOTENV_OPTIONS_INIT;
	if (environ) {
		opts.lookup = environ_lookup;
		opts.lookup_ctx = (void *)environ;
	}
	const sg_environment *e = environment ? sg_manifest_environment(m, environment) : NULL;
	size_t n = o->ndotenv ? o->ndotenv : (e ? e->nfiles : 0);
	for (size_t i = 0; i < n; i++) {
		const char *name = o->ndotenv ? o->dotenv[i] : e->files[i];
		char *path = o->ndotenv ? strdup(name) : sg_path_in(o->root, name);
		char *text;
		size_t len;
		int rc = path ? sg_file_read(&text, &len, path, DOTENV_MAX_FILE) : SG_ENOMEM;
		free(path);
		if (rc == SG_ENOTFOUND && !o->ndotenv)
			continue;
		if (rc == SG_ENOMEM && !path)
			sg_error_set(rc, "out of memory");
		if (rc == 0) {
			rc = sg_dotenv_parse(d, name, text, len, &opts);
			st->files++;
			st->bytes += len;
			free(text);
		}
		if (rc < 0)
			return fail(rc, "dotenv");
	}
	return 0;
}

/* Every file under the paths (or the repository's files, or "."). */
static int collect(sg_file_list *files, const sg_env_gate_options *o, sg_scan_stats *st,
                   sg_notices *nt)
{
	int rc;
	if (o->npaths)
		rc = sg_fs_collect(files, o->paths, o->npaths, st, nt);
	else if (o->root)
		rc = sg_fs_collect_repo(files, o->root, st, nt);
	else {
		const char *dot[] = {"."};
		rc = sg_fs_collect(files, dot, 1, st, nt);
	}
	return rc < 0 ? fail(rc, "files") : rc;
}

/* Read the i-th collected file: 1 read, 0 skipped (too big, counted, with a
 * notice when note_too_big; unreadable, counted, with a notice). */
static int read_listed(char **text, size_t *len, const sg_file_list *files, size_t i, uint64_t max,
                       int note_too_big, sg_scan_stats *st, sg_notices *nt)
{
	/* opened as the scan opens files: no link below the root is followed */
	int fd = sg_file_list_open(files, i);
	if (fd < 0) {
		int e = errno;
		if (e == ELOOP) {
			sg_notices_add(nt,
			               "%s: a symbolic link on the way, not followed out of the "
			               "scanned tree",
			               files->display && files->display[i] ? files->display[i]
			                                                   : files->paths[i]);
			st->skipped_other++;
		} else {
			sg_notices_add(nt, "%s: %s", files->paths[i], strerror(e));
			st->errors++;
		}
		return 0;
	}
	int r = sg_file_read_fd(text, len, fd, files->paths[i], max);
	if (r == SG_ETOOBIG) {
		if (note_too_big)
			sg_notices_add(nt, "%s", sg_error_last());
		st->skipped_too_big++;
		return 0;
	}
	if (r < 0) {
		sg_notices_add(nt, "%s", sg_error_last());
		st->errors++;
		return 0;
	}
	return 1;
}

static const char *shown_path(const sg_file_list *files, size_t i)
{
	return files->display && files->display[i] ? files->display[i] : files->paths[i];
}

int sg_env_refs_collect(const sg_env_gate_options *o, sg_env_refs *refs, sg_scan_stats *st,
                        sg_notices *nt)
{
	sg_file_list files = {0};
	int rc = collect(&files, o, st, nt);
	for (size_t i = 0; rc == 0 && i < files.count; i++) {
		char *text;
		size_t len;
		if (!read_listed(&text, &len, &files, i, REFS_MAX_FILE, 0, st, nt))
			continue;
		if (memchr(text, '\0', len < 8192 ? len : 8192)) {
			st->skipped_binary++;
		} else {
			st->files++;
			st->bytes += len;
			if ((rc = sg_env_refs_scan(refs, shown_path(&files, i), text, len)) < 0)
				rc = fail(rc, "refs");
		}
		free(text);
	}
	sg_file_list_free(&files);
	return rc;
}

/* Templates: the manifest's, else .env.example when it exists. */
static int check_templates(sg_findings *f, const sg_manifest *m, const char *root, sg_notices *nt)
{
	static const char *const fallback[] = {".env.example"};
	const char *const *names = m->ntemplates ? (const char *const *)m->templates : fallback;
	size_t n = m->ntemplates ? m->ntemplates : 1;
	for (size_t i = 0; i < n; i++) {
		if (strpbrk(names[i], "*?["))
			continue; /* a glob names templates for the git gate, not one file */
		char *path = sg_path_in(root, names[i]), *text;
		size_t len;
		int rc = path ? sg_file_read(&text, &len, path, MANIFEST_MAX_FILE) : SG_ENOMEM;
		free(path);
		if (rc == SG_ENOTFOUND) {
			if (m->ntemplates)
				sg_notices_add(nt, "template %s not found", names[i]);
			continue;
		}
		if (rc == SG_ENOMEM && !path)
			sg_error_set(rc, "out of memory");
		if (rc == 0) {
			rc = sg_envcheck_template(f, m, names[i], text, len);
			free(text);
		}
		if (rc < 0)
			return fail(rc, "template");
	}
	return 0;
}

static int require_env(const char *command, const sg_env_gate_options *o, const sg_manifest *m)
{
	if (!o->environment)
		return sg_error_set(SG_EINVALID, "usage: env %s needs --env NAME", command);
	if (m && m->nenvironments && !sg_manifest_environment(m, o->environment))
		return sg_error_set(
		        SG_EINVALID,
		        "usage: unknown environment '%s' (the manifest declares:%s%s%s)",
		        o->environment, m->nenvironments > 0 ? " " : "", m->environments[0].name,
		        m->nenvironments > 1 ? ", ..." : "");
	return 0;
}

static sg_envcheck_options check_options(const sg_env_gate_options *o, const sg_dotenv *d)
{
	sg_envcheck_options eo = SG_ENVCHECK_OPTIONS_INIT;
	eo.environment = o->environment;
	eo.dotenv = d;
	eo.environ = o->environ;
	return eo;
}

int sg_env_check(const sg_env_gate_options *o, sg_findings *f, sg_scan_stats *st, sg_notices *nt)
{
	sg_manifest *m;
	sg_dotenv d;
	sg_dotenv_init(&d);
	int rc = load_manifest(&m, o, 1);
	if (rc < 0)
		return rc;
	rc = require_env("check", o, m);
	if (rc == 0)
		rc = load_dotenv(&d, o, o->environment, o->environ, m, st);
	/* Platform files: declarations, and values under the dotenv files. */
	sg_platform p;
	sg_platform_init(&p);
	if (rc == 0)
		rc = sg_env_gate_platform(&p, &d, o, m, o->environment, st);
	sg_envcheck_options eo = check_options(o, &d);
	eo.report_unknown = o->report_unknown;
	eo.rules = o->rules;
	if (rc == 0 && (rc = sg_envcheck_values(f, m, &eo)) < 0)
		rc = fail(rc, "env check");
	if (rc == 0 && (rc = sg_envcheck_manifest(f, m)) < 0)
		rc = fail(rc, "env check");
	if (rc == 0 && (rc = sg_envcheck_duplicates(f, &d)) < 0)
		rc = fail(rc, "env check");
	if (rc == 0)
		rc = check_templates(f, m, o->root, nt);
	if (rc == 0 && o->refs) {
		sg_env_refs refs;
		sg_env_refs_init(&refs);
		rc = sg_env_refs_collect(o, &refs, st, nt);
		if (rc == 0 && (rc = sg_envcheck_refs(f, m, &refs)) < 0)
			rc = fail(rc, "env check");
		sg_env_refs_free(&refs);
	}
	if (rc == 0)
		rc = sg_env_check_stage2(o, f, st, nt, m, &d, &p);
	sg_platform_free(&p);
	sg_dotenv_free(&d);
	sg_manifest_free(m);
	return rc;
}

/* lint: everything that needs no environment's values, for every
 * environment's files; never the process environment (lint is about the
 * files, not the shell it runs in). */
int sg_env_lint(const sg_env_gate_options *o, sg_findings *f, sg_scan_stats *st, sg_notices *nt)
{
	sg_manifest *m;
	int rc = load_manifest(&m, o, 1);
	if (rc < 0)
		return rc;
	rc = sg_envcheck_manifest(f, m);
	if (rc == 0)
		rc = check_templates(f, m, o->root, nt);
	for (size_t i = 0; rc == 0 && i < m->nenvironments; i++) {
		sg_dotenv d;
		sg_dotenv_init(&d);
		rc = load_dotenv(&d, o, m->environments[i].name, NULL, m, st);
		if (rc == 0)
			rc = sg_envcheck_duplicates(f, &d);
		sg_dotenv_free(&d);
		if (o->ndotenv)
			break; /* the named files are the same for every environment */
	}
	sg_manifest_free(m);
	return rc;
}

int sg_env_refs_check(const sg_env_gate_options *o, sg_findings *f, sg_scan_stats *st,
                      sg_notices *nt)
{
	sg_manifest *m = NULL;
	int rc = load_manifest(&m, o, 1);
	if (rc < 0)
		return rc;
	sg_env_refs refs;
	sg_env_refs_init(&refs);
	rc = sg_env_refs_collect(o, &refs, st, nt);
	if (rc == 0 && (rc = sg_envcheck_refs(f, m, &refs)) < 0)
		rc = fail(rc, "env refs");
	sg_env_refs_free(&refs);
	sg_manifest_free(m);
	return rc;
}

int sg_env_leaks(const sg_env_gate_options *o, sg_findings *f, sg_scan_stats *st, sg_notices *nt)
{
	sg_manifest *m;
	sg_dotenv d;
	sg_dotenv_init(&d);
	sg_leakset *ls = NULL;
	int rc = load_manifest(&m, o, o->nvars == 0);
	if (rc < 0)
		return rc;
	rc = m ? require_env("leaks", o, m) : 0;
	if (rc == 0)
		rc = load_dotenv(&d, o, o->environment, o->environ, m, st);
	st->files = 0;
	st->bytes = 0;
	size_t min = o->min_length ? o->min_length : (m ? m->min_leak_length : 8);
	if (rc == 0 && (rc = sg_leakset_new(&ls, min)) < 0)
		rc = fail(rc, "env leaks");
	sg_envcheck_options eo = check_options(o, &d);
	size_t skipped = 0;
	const char *skipped_name = NULL;
	if (rc == 0 && (rc = sg_leakset_add_environment(ls, &skipped, &skipped_name, m, &eo)) < 0)
		rc = fail(rc, "env leaks");
	for (size_t i = 0; rc == 0 && i < o->nvars; i++) {
		const char *value, *path;
		uint32_t line;
		if (!sg_envcheck_lookup(&value, &path, &line, &eo, o->vars[i]) || !*value) {
			sg_notices_add(nt, "%s is not set; not searched", o->vars[i]);
			continue;
		}
		int r = sg_leakset_add(ls, o->vars[i], value, strlen(value));
		if (r == 1 && !skipped++)
			skipped_name = o->vars[i];
		rc = r < 0 ? fail(r, "env leaks") : 0;
	}
	if (rc == 0 && skipped)
		sg_notices_add(nt,
		               "%zu secret value%s shorter than %zu bytes not searched (first: %s)",
		               skipped, skipped == 1 ? "" : "s", min, skipped_name);
	if (rc == 0 && sg_leakset_count(ls) == 0)
		sg_notices_add(nt, "no secret values to search for in environment %s",
		               o->environment ? o->environment : "(none)");
	sg_file_list files = {0};
	if (rc == 0)
		rc = collect(&files, o, st, nt);
	uint64_t max = o->max_file_size ? o->max_file_size : ENV_MAX_FILE;
	/* Bundles, maps and logs are searched whole, binary or not: a value
	 * baked into an image layer is as leaked as one in a script. */
	for (size_t i = 0; rc == 0 && i < files.count && sg_leakset_count(ls); i++) {
		char *text;
		size_t len;
		if (!read_listed(&text, &len, &files, i, max, 1, st, nt))
			continue;
		st->files++;
		st->bytes += len;
		sg_origin origin = {.path = shown_path(&files, i)};
		if ((rc = sg_leakset_scan(ls, text, len, &origin, f)) < 0)
			rc = fail(rc, "env leaks");
		free(text);
	}
	sg_file_list_free(&files);
	sg_leakset_free(ls);
	sg_dotenv_free(&d);
	sg_manifest_free(m);
	return rc;
}

/* For the second stage (commands.c), through env_internal.h. */
int sg_env_gate_fail(int rc, const char *what)
{
	return fail(rc, what);
}

int sg_env_gate_manifest(sg_manifest **m, const sg_env_gate_options *o, int required)
{
	return load_manifest(m, o, required);
}

int sg_env_gate_dotenv(sg_dotenv *d, const sg_env_gate_options *o, const char *environment,
                       char *const *environ, const sg_manifest *m, sg_scan_stats *st)
{
	return load_dotenv(d, o, environment, environ, m, st);
}

int sg_env_gate_require(const char *command, const sg_env_gate_options *o, const sg_manifest *m)
{
	return require_env(command, o, m);
}
