/* The env gate's second stage assembled: check's platform files, production
 * secrets in other files, drift against a snapshot and owners; and the init,
 * diff and snapshot commands. Like gate.c, it reads files and never prints. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lib/env/env_internal.h"
#include "secretgate/env_diff.h"
#include "secretgate/env_init.h"
#include "secretgate/env_platform.h"
#include "secretgate/env_snapshot.h"
#include "util/file.h"
#include "util/strv.h"

#define PLATFORM_MAX_FILE (1u << 20)
#define DOTENV_MAX_FILE   (1u << 20)

static int nomem(void)
{
	return sg_error_set(SG_ENOMEM, "out of memory");
}

/* Read root/name (a relative name) into text; SG_ENOTFOUND when absent. */
static int read_in(char **text, size_t *len, const char *root, const char *name, uint64_t max)
{
	char *path = sg_path_in(root, name);
	if (!path)
		return nomem();
	int rc = sg_file_read(text, len, path, max);
	free(path);
	return rc;
}

static int parse_dotenv(sg_dotenv *d, const char *root, const char *name, sg_scan_stats *st)
{
	char *text;
	size_t len;
	int rc = read_in(&text, &len, root, name, DOTENV_MAX_FILE);
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

/* ---- platform files ------------------------------------------------------ */

int sg_env_gate_platform(sg_platform *p, sg_dotenv *d, const sg_env_gate_options *o,
                         const sg_manifest *m, const char *environment, sg_scan_stats *st)
{
	const sg_environment *e = environment ? sg_manifest_environment(m, environment) : NULL;
	for (size_t i = 0; e && i < e->nplatform; i++) {
		char *text;
		size_t len;
		int rc = read_in(&text, &len, o->root, e->platform[i], PLATFORM_MAX_FILE);
		if (rc == SG_ENOTFOUND)
			return sg_error_set(
			        rc,
			        "platform: %s: not found (the manifest lists it under platform:)",
			        e->platform[i]);
		if (rc == 0) {
			st->files++;
			st->bytes += len;
			rc = sg_platform_parse(p, NULL, e->platform[i], text, len);
			free(text);
		}
		if (rc < 0)
			return sg_env_gate_fail(rc, "platform");
	}
	if (sg_platform_finish(p) < 0)
		return sg_env_gate_fail(SG_ENOMEM, "platform");
	/* compose env_file: the names (and non-secret values) it sets, when here */
	for (size_t i = 0, n = p->nenv_files; i < n; i++) {
		sg_dotenv env_file;
		sg_dotenv_init(&env_file);
		int rc = parse_dotenv(&env_file, o->root, p->env_files[i], st);
		if (rc == 0)
			rc = sg_platform_add_dotenv(p, &env_file);
		sg_dotenv_free(&env_file);
		if (rc < 0 && rc != SG_ENOTFOUND)
			return sg_env_gate_fail(rc, "platform");
	}
	if (d && sg_platform_layer(d, p, m, environment, o->rules) < 0)
		return sg_env_gate_fail(SG_ENOMEM, "platform");
	return 0;
}

/* ---- production secrets in other files ------------------------------------- */

static int is_dotenv_name(const char *path)
{
	const char *b = sg_env_base_name(path);
	return !strcmp(b, ".env") || !strncmp(b, ".env.", 5);
}

/* The other dotenv files: the .env* files git tracks, the other
 * environments' files and the usual development files at the root (git
 * ignores those, so the walk does not see them); never the environment's own. */
static int other_dotenv_files(char ***names, size_t *n, const sg_manifest *m,
                              const sg_environment *e, const char *root, sg_notices *nt)
{
	static const char *const usual[] = {".env", ".env.local", ".env.development",
	                                    ".env.development.local", NULL};
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < m->nenvironments; i++)
		for (size_t k = 0;
		     rc == 0 && &m->environments[i] != e && k < m->environments[i].nfiles; k++)
			rc = sg_strv_add_unique(names, n, m->environments[i].files[k]);
	for (size_t i = 0; rc == 0 && usual[i]; i++)
		if (!(e && sg_strv_has(e->files, e->nfiles, usual[i])))
			rc = sg_strv_add_unique(names, n, usual[i]);
	sg_file_list files = {0};
	if (rc == 0 && root) {
		sg_scan_stats walk;
		memset(&walk, 0, sizeof(walk));
		if (sg_fs_collect_repo(&files, root, &walk, nt) < 0)
			sg_notices_add(nt, "%s", sg_error_last());
	}
	for (size_t i = 0; rc == 0 && i < files.count; i++) {
		const char *shown =
		        files.display && files.display[i] ? files.display[i] : files.paths[i];
		if (is_dotenv_name(shown) && !(e && sg_strv_has(e->files, e->nfiles, shown)))
			rc = sg_strv_add_unique(names, n, shown);
	}
	sg_file_list_free(&files);
	return rc;
}

static int production_secrets_in_files(sg_findings *f, const sg_manifest *m,
                                       const sg_envcheck_options *eo, const char *root,
                                       sg_scan_stats *st, sg_notices *nt)
{
	const sg_environment *e = sg_manifest_environment(m, eo->environment);
	char **names = NULL;
	size_t n = 0;
	int rc = other_dotenv_files(&names, &n, m, e, root, nt);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		sg_dotenv d;
		sg_dotenv_init(&d);
		int r = parse_dotenv(&d, root, names[i], st);
		if (r < 0) {
			/* a broken file elsewhere must not hide the check: say so, go on */
			if (r != SG_ENOTFOUND)
				sg_notices_add(nt, "%s", sg_error_last());
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
	sg_strv_free(names, n);
	return rc < 0 ? sg_env_gate_fail(rc, "env check") : 0;
}

/* ---- snapshots -------------------------------------------------------------- */

static int new_salt(unsigned char salt[SG_LOCK_SALT_SIZE])
{
	size_t got = 0;
	while (got < SG_LOCK_SALT_SIZE) {
		ssize_t n = getrandom(salt + got, SG_LOCK_SALT_SIZE - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return sg_error_set(SG_EIO, "snapshot: no random bytes for the salt: %s",
			                    strerror(errno));
		got += (size_t)n;
	}
	return 0;
}

/* Through a temporary file and a rename: a lock is never half written. */
static int write_whole(const char *path, const char *text, size_t len)
{
	size_t n = strlen(path) + 24;
	char *tmp = malloc(n);
	if (!tmp)
		return nomem();
	snprintf(tmp, n, "%s.tmp%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "wx");
	int ok = f && fwrite(text, 1, len, f) == len;
	if (f && fclose(f) != 0)
		ok = 0;
	if (ok && rename(tmp, path) != 0)
		ok = 0;
	int rc = ok ? 0 : sg_error_set(SG_EIO, "%s: cannot write: %s", path, strerror(errno));
	if (!ok)
		unlink(tmp);
	free(tmp);
	return rc;
}

static int write_lock(const char *path, const sg_env_lock *l)
{
	char *text;
	size_t len;
	int rc = sg_env_lock_format(&text, &len, l);
	if (rc == 0) {
		rc = write_whole(path, text, len);
		free(text);
	}
	return rc < 0 ? sg_env_gate_fail(rc, "snapshot") : 0;
}

static int capture(sg_env_lock **out, const sg_env_gate_options *o, const sg_manifest *m,
                   const sg_envcheck_options *eo, const unsigned char salt[SG_LOCK_SALT_SIZE])
{
	const unsigned char *key = o->lock_key_len ? o->lock_key : NULL;
	int rc = sg_env_lock_capture(out, m, eo, key, o->lock_key_len, salt);
	if (rc < 0 && !key) {
		char why[512];
		snprintf(why, sizeof(why), "%s", sg_error_last());
		return sg_error_set(
		        rc,
		        "snapshot: %s (set SECRETGATE_LOCK_KEY: a CI secret, at least 32 "
		        "random bytes)",
		        why);
	}
	return rc < 0 ? sg_env_gate_fail(rc, "snapshot") : 0;
}

static int against(const sg_env_gate_options *o, sg_findings *f, sg_notices *nt,
                   const sg_manifest *m, const sg_envcheck_options *eo)
{
	char *text;
	size_t len;
	sg_env_lock *before = NULL, *now = NULL;
	int rc = sg_file_read(&text, &len, o->against, SG_LOCK_MAX_SIZE);
	if (rc == 0) {
		rc = sg_env_lock_parse(&before, o->against, text, len);
		free(text);
	}
	if (rc < 0)
		return sg_env_gate_fail(rc, "snapshot");
	if (strcmp(before->environment, o->environment) != 0) {
		rc = sg_error_set(SG_EINVALID,
		                  "snapshot: %s is a snapshot of environment %s, not %s",
		                  o->against, before->environment, o->environment);
		sg_env_lock_free(before);
		return rc;
	}
	rc = capture(&now, o, m, eo, before->salt);
	if (rc == 0 && before->key_id[0] && now->key_id[0] && strcmp(before->key_id, now->key_id))
		rc = sg_error_set(SG_EINVALID,
		                  "snapshot: %s was made with another SECRETGATE_LOCK_KEY: every "
		                  "secret would look changed (use the same key, or take a new "
		                  "snapshot)",
		                  o->against);
	if (rc == 0 && (rc = sg_env_lock_compare(f, before, now, o->against, !o->update)) < 0)
		rc = sg_env_gate_fail(rc, "snapshot");
	if (rc == 0 && o->update) {
		unsigned char salt[SG_LOCK_SALT_SIZE];
		sg_env_lock *fresh = NULL;
		rc = new_salt(salt);
		if (rc == 0)
			rc = capture(&fresh, o, m, eo, salt);
		if (rc == 0)
			rc = write_lock(o->against, fresh);
		if (rc == 0)
			sg_notices_add(nt, "updated %s: the current state of %s is accepted",
			               o->against, o->environment);
		sg_env_lock_free(fresh);
	}
	sg_env_lock_free(now);
	sg_env_lock_free(before);
	return rc;
}

int sg_env_check_stage2(const sg_env_gate_options *o, sg_findings *f, sg_scan_stats *st,
                        sg_notices *nt, const sg_manifest *m, sg_dotenv *d, const sg_platform *p)
{
	int rc = sg_platform_check(f, p, m, o->environment, o->rules);
	if (rc < 0)
		return sg_env_gate_fail(rc, "env check");
	sg_envcheck_options eo = SG_ENVCHECK_OPTIONS_INIT;
	eo.environment = o->environment;
	eo.dotenv = d;
	eo.environ = o->environ;
	eo.rules = o->rules;
	const sg_environment *e = sg_manifest_environment(m, o->environment);
	if (rc == 0 && e && e->production)
		rc = production_secrets_in_files(f, m, &eo, o->root, st, nt);
	if (rc == 0 && o->against)
		rc = against(o, f, nt, m, &eo);
	if (rc == 0 && (rc = sg_env_findings_name_owners(f, 0, m)) < 0)
		rc = sg_env_gate_fail(rc, "env check");
	return rc;
}

int sg_env_snapshot_write(const sg_env_gate_options *o, sg_scan_stats *st, sg_notices *nt)
{
	sg_manifest *m;
	int rc = sg_env_gate_manifest(&m, o, 1);
	if (rc < 0)
		return rc;
	rc = sg_env_gate_require("snapshot", o, m);
	char fallback[300];
	snprintf(fallback, sizeof(fallback), ".secretgate/%s.lock",
	         o->environment ? o->environment : "");
	const char *path = o->output ? o->output : fallback;
	sg_dotenv d;
	sg_dotenv_init(&d);
	sg_platform p;
	sg_platform_init(&p);
	sg_env_lock *l = NULL;
	unsigned char salt[SG_LOCK_SALT_SIZE];
	sg_envcheck_options eo = SG_ENVCHECK_OPTIONS_INIT;
	eo.environment = o->environment;
	eo.dotenv = &d;
	eo.environ = o->environ;
	eo.rules = o->rules;
	if (rc == 0)
		rc = sg_env_gate_dotenv(&d, o, o->environment, o->environ, m, st);
	if (rc == 0)
		rc = sg_env_gate_platform(&p, &d, o, m, o->environment, st);
	if (rc == 0)
		rc = new_salt(salt);
	if (rc == 0)
		rc = capture(&l, o, m, &eo, salt);
	if (rc == 0)
		rc = write_lock(path, l);
	if (rc == 0) {
		size_t set = 0, secrets = 0;
		for (size_t i = 0; i < l->count; i++) {
			set += l->items[i].state != SG_LOCK_UNSET;
			secrets += l->items[i].state == SG_LOCK_SECRET;
		}
		sg_notices_add(nt,
		               "wrote %s: environment %s, %zu variables, %zu set, %zu secret%s as "
		               "keyed digests",
		               path, o->environment, l->count, set, secrets,
		               secrets == 1 ? "" : "s");
	}
	sg_env_lock_free(l);
	sg_platform_free(&p);
	sg_dotenv_free(&d);
	sg_manifest_free(m);
	return rc;
}

/* ---- diff ---------------------------------------------------------------------- */

static int diff_side(sg_dotenv *d, sg_platform *p, const sg_env_gate_options *o, const char *env,
                     const char *const *files, size_t nfiles, const sg_manifest *m,
                     sg_scan_stats *st)
{
	sg_env_gate_options one = *o;
	one.environment = env;
	one.dotenv = files;
	one.ndotenv = nfiles;
	int rc = sg_env_gate_dotenv(d, &one, env, NULL, m, st);
	return rc < 0 ? rc : sg_env_gate_platform(p, d, &one, m, env, st);
}

int sg_env_diff_check(const sg_env_gate_options *o, const char *a, const char *b, sg_findings *f,
                      sg_scan_stats *st, sg_notices *nt)
{
	sg_manifest *m;
	int rc = sg_env_gate_manifest(&m, o, 1);
	if (rc < 0)
		return rc;
	for (int i = 0; i < 2 && rc == 0; i++) {
		const char *e = i ? b : a;
		if (m->nenvironments && !sg_manifest_environment(m, e))
			rc = sg_error_set(SG_EINVALID, "usage: unknown environment '%s'", e);
	}
	sg_dotenv da, db;
	sg_platform pa, pb;
	sg_dotenv_init(&da);
	sg_dotenv_init(&db);
	sg_platform_init(&pa);
	sg_platform_init(&pb);
	if (rc == 0)
		rc = diff_side(&da, &pa, o, a, o->from_a, o->nfrom_a, m, st);
	if (rc == 0)
		rc = diff_side(&db, &pb, o, b, o->from_b, o->nfrom_b, m, st);
	sg_envcheck_options oa = SG_ENVCHECK_OPTIONS_INIT, ob = SG_ENVCHECK_OPTIONS_INIT;
	oa.environment = a;
	oa.dotenv = &da;
	oa.rules = o->rules;
	ob.environment = b;
	ob.dotenv = &db;
	ob.rules = o->rules;
	if (rc == 0 && (rc = sg_env_diff(f, m, &oa, &ob)) < 0)
		rc = sg_env_gate_fail(rc, "env diff");
	if (rc == 0 && (rc = sg_env_findings_name_owners(f, 0, m)) < 0)
		rc = sg_env_gate_fail(rc, "env diff");
	sg_platform_free(&pa);
	sg_platform_free(&pb);
	sg_dotenv_free(&da);
	sg_dotenv_free(&db);
	sg_manifest_free(m);
	(void)nt;
	return rc;
}

/* ---- init ------------------------------------------------------------------------ */

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

typedef struct init_run {
	sg_env_init *ini;
	const char *root;
	sg_scan_stats *st;
	sg_notices *nt;
	int has_production_platform;
	char **compose; /* compose files without "prod" in the name */
	size_t ncompose;
} init_run;

static int init_platform_file(init_run *r, const char *name, const char *kind, const char *text,
                              size_t len)
{
	sg_platform p;
	sg_platform_init(&p);
	int rc = sg_platform_parse(&p, kind, name, text, len);
	if (rc == 0)
		rc = sg_platform_finish(&p);
	const char *env = "production";
	if (rc == 0 && !strcmp(kind, "docker-compose") && !strstr(sg_env_base_name(name), "prod")) {
		env = "development";
		rc = sg_strv_add_unique(&r->compose, &r->ncompose, name);
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
			sg_notices_add(r->nt, "%s", sg_error_last());
		sg_dotenv_free(&d);
	}
	sg_platform_free(&p);
	return rc;
}

static int init_gather(init_run *r, const sg_env_gate_options *o)
{
	sg_env_refs refs;
	sg_env_refs_init(&refs);
	sg_env_gate_options all = *o;
	all.npaths = 0;
	int rc = sg_env_refs_collect(&all, &refs, r->st, r->nt);
	for (size_t i = 0; rc == 0 && i < refs.count; i++)
		rc = sg_env_init_ref(r->ini, refs.items[i].name, refs.items[i].path,
		                     refs.items[i].line);
	sg_env_refs_free(&refs);

	sg_file_list files = {0};
	sg_scan_stats walk;
	memset(&walk, 0, sizeof(walk));
	if (rc == 0 && r->root)
		rc = sg_fs_collect_repo(&files, r->root, &walk, r->nt);
	else if (rc == 0) {
		const char *dot[] = {"."};
		rc = sg_fs_collect(&files, dot, 1, &walk, r->nt);
	}
	for (size_t i = 0; rc == 0 && i < files.count; i++) {
		const char *shown =
		        files.display && files.display[i] ? files.display[i] : files.paths[i];
		if (!strncmp(shown, "./", 2))
			shown += 2;
		const char *b = sg_env_base_name(shown);
		if (is_template(b)) {
			sg_dotenv d;
			sg_dotenv_init(&d);
			if (parse_dotenv(&d, r->root, shown, r->st) == 0)
				rc = sg_env_init_template(r->ini, &d);
			else
				sg_notices_add(r->nt, "%s", sg_error_last());
			sg_dotenv_free(&d);
			continue;
		}
		if (!strncmp(b, ".env", 4))
			continue; /* root dotenv files are read on their own, tracked or not */
		const char *kind = sg_platform_kind(shown, NULL, 0);
		char *text = NULL;
		size_t len = 0;
		if (!kind && (strstr(b, ".yml") || strstr(b, ".yaml"))) {
			if (sg_file_read(&text, &len, files.paths[i], PLATFORM_MAX_FILE) < 0)
				continue;
			kind = sg_platform_kind(shown, text, len);
		}
		if (!kind) {
			free(text);
			continue;
		}
		if (!text && sg_file_read(&text, &len, files.paths[i], PLATFORM_MAX_FILE) < 0) {
			sg_notices_add(r->nt, "%s", sg_error_last());
			continue;
		}
		r->st->files++;
		r->st->bytes += len;
		rc = init_platform_file(r, shown, kind, text, len);
		free(text);
	}
	sg_file_list_free(&files);
	return rc < 0 ? sg_env_gate_fail(rc, "env init") : 0;
}

/* Root dotenv files, tracked or not (.env is ignored by git, and rightly). */
static int init_dotenv(init_run *r)
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
			sg_notices_add(r->nt, "%s", sg_error_last());
		}
		sg_dotenv_free(&d);
	}
	return rc;
}

/* A compose-based service deploys with its compose files. */
static int init_compose_production(init_run *r)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && !r->has_production_platform && i < r->ncompose; i++) {
		sg_platform p;
		sg_platform_init(&p);
		char *text;
		size_t len;
		if (read_in(&text, &len, r->root, r->compose[i], PLATFORM_MAX_FILE) == 0) {
			rc = sg_platform_parse(&p, "docker-compose", r->compose[i], text, len);
			free(text);
			if (rc == 0)
				rc = sg_env_init_environment_platform(r->ini, "production",
				                                      r->compose[i]);
			if (rc == 0)
				rc = sg_env_init_platform(r->ini, "production", &p);
		}
		sg_platform_free(&p);
	}
	return rc;
}

static int write_manifest(const char *path, const char *text, size_t len)
{
	char *dir = strdup(path);
	if (!dir)
		return nomem();
	char *slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		if (*dir && mkdir(dir, 0777) != 0 && errno != EEXIST) {
			int rc = sg_error_set(SG_EIO, "env init: %s: %s", dir, strerror(errno));
			free(dir);
			return rc;
		}
	}
	free(dir);
	FILE *f = fopen(path, "w");
	int ok = f && fwrite(text, 1, len, f) == len;
	if (f && fclose(f) != 0)
		ok = 0;
	return ok ? 0
	          : sg_error_set(SG_EIO, "env init: %s: cannot write: %s", path, strerror(errno));
}

int sg_env_init_manifest(const sg_env_gate_options *o, char **text, size_t *len, sg_scan_stats *st,
                         sg_notices *nt)
{
	*text = NULL;
	*len = 0;
	const char *name = o->output            ? o->output
	                   : o->manifest        ? o->manifest
	                   : o->policy_manifest ? o->policy_manifest
	                                        : ".secretgate/env.yml";
	char *path = o->output || o->manifest ? strdup(name) : sg_path_in(o->root, name);
	if (!path)
		return nomem();
	struct stat sb;
	int exists = stat(path, &sb) == 0;
	if (exists && !o->force && !o->diff) {
		free(path);
		return sg_error_set(SG_EINVALID,
		                    "env init: %s exists; not overwritten (--force replaces it, "
		                    "--diff shows what init would add)",
		                    name);
	}
	sg_manifest *existing = NULL;
	if (o->diff && exists) {
		sg_env_gate_options named = *o;
		named.manifest = o->output ? o->output : o->manifest;
		int rc = sg_env_gate_manifest(&existing, &named, 1);
		if (rc < 0) {
			free(path);
			return rc;
		}
	}
	init_run r = {.root = o->root, .st = st, .nt = nt};
	int rc = sg_env_init_new(&r.ini, o->rules);
	/* Every project has these two; production is where a leak costs most. */
	if (rc == 0)
		rc = sg_env_init_environment(r.ini, "development", 0);
	if (rc == 0)
		rc = sg_env_init_environment_file(r.ini, "development", ".env");
	if (rc == 0)
		rc = sg_env_init_environment_file(r.ini, "development", ".env.local");
	if (rc == 0)
		rc = sg_env_init_environment(r.ini, "production", 1);
	if (rc == 0)
		rc = init_dotenv(&r);
	if (rc == 0)
		rc = init_gather(&r, o);
	if (rc == 0)
		rc = init_compose_production(&r);
	char *out = NULL;
	size_t out_len = 0;
	if (rc == 0 && o->diff && existing)
		rc = sg_env_init_additions(r.ini, existing, &out, &out_len);
	else if (rc == 0)
		rc = sg_env_init_write(r.ini, &out, &out_len);
	if (rc == 0 && o->diff) {
		if (existing && out_len == 0)
			sg_notices_add(
			        nt, "%s already declares every variable and environment init finds",
			        name);
		*text = out;
		*len = out_len;
		out = NULL;
	} else if (rc == 0) {
		rc = write_manifest(path, out, out_len);
		if (rc == 0)
			sg_notices_add(
			        nt,
			        "wrote %s: %zu variables; review it, then run `secretgate env "
			        "check --env development`",
			        name, sg_env_init_count(r.ini));
	}
	if (rc < 0 && strncmp(sg_error_last(), "env init", 8) &&
	    strncmp(sg_error_last(), "usage", 5))
		rc = sg_env_gate_fail(rc, "env init");
	free(out);
	sg_strv_free(r.compose, r.ncompose);
	sg_env_init_free(r.ini);
	sg_manifest_free(existing);
	free(path);
	return rc;
}
