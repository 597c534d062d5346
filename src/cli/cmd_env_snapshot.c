/* secretgate env snapshot, and env check --against/--update: an
 * environment's state in a lock file. The key for secret digests comes from
 * SECRETGATE_LOCK_KEY (a CI secret), never from a file in the repository. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>
#include "cmd_env.h"
#include "env_snapshot.h"

extern char **environ;

#define LOCK_KEY_VAR "SECRETGATE_LOCK_KEY"

static int new_salt(unsigned char salt[SG_LOCK_SALT_SIZE])
{
	size_t got = 0;
	while (got < SG_LOCK_SALT_SIZE) {
		ssize_t n = getrandom(salt + got, SG_LOCK_SALT_SIZE - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			cli_error("snapshot", "no random bytes for the salt: %s", strerror(errno));
			return -1;
		}
		got += (size_t)n;
	}
	return 0;
}

/* Write through a temporary file and rename: a lock is never half written. */
static int write_lock(const char *path, const sg_env_lock *l)
{
	char *text;
	size_t len;
	if (sg_env_lock_format(&text, &len, l) < 0) {
		cli_error("snapshot", "%s", sg_error_last());
		return -1;
	}
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	FILE *f = NULL;
	if (tmp) {
		snprintf(tmp, n, "%s.tmp%ld", path, (long)getpid());
		f = fopen(tmp, "wx");
	}
	int ok = f && fwrite(text, 1, len, f) == len;
	if (f && fclose(f) != 0)
		ok = 0;
	if (ok && rename(tmp, path) != 0)
		ok = 0;
	if (!ok) {
		cli_error("snapshot", "%s: cannot write: %s", path, strerror(errno));
		if (tmp)
			unlink(tmp);
	}
	free(tmp);
	free(text);
	return ok ? 0 : -1;
}

static int capture(sg_env_lock **out, const sg_manifest *m, const sg_envcheck_options *eo,
                   const unsigned char salt[SG_LOCK_SALT_SIZE])
{
	const char *key = getenv(LOCK_KEY_VAR);
	if (key && !*key)
		key = NULL;
	if (sg_env_lock_capture(out, m, eo, (const unsigned char *)key, key ? strlen(key) : 0,
	                        salt) < 0) {
		if (!key)
			cli_error("snapshot", "%s (set %s: a CI secret, at least 32 random bytes)",
			          sg_error_last(), LOCK_KEY_VAR);
		else
			cli_error("snapshot", "%s", sg_error_last());
		return -1;
	}
	return 0;
}

/* The environment's values as check sees them: process environment, dotenv
 * files, then the platform files' non-secret values. */
static int load_values(sg_dotenv *d, sg_platform *p, const env_args *a, const sg_manifest *m,
                       cli_context *ctx, const char *root, sg_scan_stats *st)
{
	if (cli_env_load_dotenv(d, a, m, root, st) < 0 ||
	    cli_env_load_platform(p, m, a->env, root, st) < 0)
		return -1;
	if (sg_platform_layer(d, p, m, a->env, ctx->rules) < 0) {
		cli_error("snapshot", "%s", sg_error_last());
		return -1;
	}
	return 0;
}

int cli_env_snapshot(const env_args *a, const cli_options *o, cli_context *ctx, const char *root,
                     sg_findings *f, sg_scan_stats *st)
{
	if (!a->env) {
		cli_error("usage", "env snapshot needs --env NAME");
		return -1;
	}
	sg_manifest *m;
	if (cli_env_load_manifest(&m, a, ctx, root, 1) < 0)
		return -1;
	if (m->nenvironments && !sg_manifest_environment(m, a->env)) {
		cli_error("usage", "unknown environment '%s'", a->env);
		sg_manifest_free(m);
		return -1;
	}
	char fallback[300];
	snprintf(fallback, sizeof(fallback), ".secretgate/%s.lock", a->env);
	const char *path = o->output ? o->output : fallback;
	sg_dotenv d;
	sg_dotenv_init(&d);
	sg_platform p;
	sg_platform_init(&p);
	sg_env_lock *l = NULL;
	unsigned char salt[SG_LOCK_SALT_SIZE];
	sg_envcheck_options eo = SG_ENVCHECK_OPTIONS_INIT;
	eo.environment = a->env;
	eo.dotenv = &d;
	eo.environ = a->no_environ ? NULL : environ;
	eo.rules = ctx->rules;
	int rc = load_values(&d, &p, a, m, ctx, root, st);
	if (rc == 0)
		rc = new_salt(salt);
	if (rc == 0)
		rc = capture(&l, m, &eo, salt);
	if (rc == 0)
		rc = write_lock(path, l);
	if (rc == 0) {
		size_t set = 0, secrets = 0;
		for (size_t i = 0; i < l->count; i++) {
			set += l->items[i].state != SG_LOCK_UNSET;
			secrets += l->items[i].state == SG_LOCK_SECRET;
		}
		if (!o->quiet)
			fprintf(stderr,
			        "secretgate: wrote %s: environment %s, %zu variables, %zu set, %zu "
			        "secret%s as keyed digests\n",
			        path, a->env, l->count, set, secrets, secrets == 1 ? "" : "s");
		rc = 1; /* the lock is the output: no report */
	}
	sg_env_lock_free(l);
	sg_platform_free(&p);
	sg_dotenv_free(&d);
	sg_manifest_free(m);
	(void)f;
	return rc;
}

int cli_env_against(const env_args *a, const cli_options *o, const char *root, sg_findings *f,
                    const sg_manifest *m, const sg_envcheck_options *eo)
{
	char *text;
	size_t len;
	int rc = cli_env_read_file(&text, &len, a->against, SG_LOCK_MAX_SIZE);
	sg_env_lock *before = NULL, *now = NULL;
	if (rc == 0) {
		rc = sg_env_lock_parse(&before, a->against, text, len);
		free(text);
	}
	if (rc < 0) {
		cli_error("snapshot", "%s", sg_error_last());
		return -1;
	}
	if (strcmp(before->environment, a->env) != 0) {
		cli_error("snapshot", "%s is a snapshot of environment %s, not %s", a->against,
		          before->environment, a->env);
		sg_env_lock_free(before);
		return -1;
	}
	sg_envcheck_options with_rules = *eo;
	rc = capture(&now, m, &with_rules, before->salt);
	if (rc == 0 && before->key_id[0] && now->key_id[0] &&
	    strcmp(before->key_id, now->key_id) != 0) {
		cli_error("snapshot",
		          "%s was made with another %s: every secret would look changed (use the "
		          "same key, or take a new snapshot)",
		          a->against, LOCK_KEY_VAR);
		rc = -1;
	}
	if (rc == 0 && (rc = sg_env_lock_compare(f, before, now, a->against, !a->update)) < 0)
		cli_error("snapshot", "%s", sg_error_last());
	if (rc == 0 && a->update) {
		unsigned char salt[SG_LOCK_SALT_SIZE];
		sg_env_lock *fresh = NULL;
		rc = new_salt(salt);
		if (rc == 0)
			rc = capture(&fresh, m, &with_rules, salt);
		if (rc == 0)
			rc = write_lock(a->against, fresh);
		if (rc == 0)
			cli_notice(o, "updated %s: the current state of %s is accepted", a->against,
			           a->env);
		sg_env_lock_free(fresh);
	}
	sg_env_lock_free(now);
	sg_env_lock_free(before);
	(void)root;
	return rc;
}
