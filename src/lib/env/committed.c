/* Committed env files: whether a staged path is a local env file that must
 * not be committed (.env, .env.*, the manifest's local_only globs) rather
 * than a template. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "lib/env/env_internal.h"
#include "util/glob.h"

static const char *const default_templates[] = {".env.example", ".env.sample", ".env.template",
                                                ".env.dist", NULL};

const char *sg_env_base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static int is_template(const sg_manifest *m, const char *path)
{
	const char *base = sg_env_base_name(path);
	if (m && m->ntemplates) {
		for (size_t i = 0; i < m->ntemplates; i++) {
			const char *t = m->templates[i];
			/* A template named without a directory applies in every directory. */
			if (strcmp(t, path) == 0 || sg_glob_match(t, path) == 1 ||
			    (!strchr(t, '/') &&
			     (strcmp(t, base) == 0 || sg_glob_match(t, base) == 1)))
				return 1;
		}
		return 0;
	}
	for (size_t i = 0; default_templates[i]; i++)
		if (strcmp(base, default_templates[i]) == 0)
			return 1;
	return 0;
}

int sg_envcheck_committed(char *message, size_t message_size, const sg_manifest *m,
                          const char *path)
{
	const char *base = sg_env_base_name(path);
	const char *why = NULL;
	if (is_template(m, path))
		return 0;
	if (strcmp(base, ".env") == 0 || strncmp(base, ".env.", 5) == 0)
		why = "is a local env file";
	for (size_t i = 0; !why && m && i < m->nlocal_only; i++) {
		const char *g = m->local_only[i];
		if (strcmp(g, path) == 0 || sg_glob_match(g, path) == 1 ||
		    (!strchr(g, '/') && sg_glob_match(g, base) == 1))
			why = "is marked local_only in the manifest";
	}
	if (!why)
		return 0;
	if (message && message_size)
		snprintf(message, message_size,
		         "%s %s and must not be committed: run `git rm --cached -- %s`, add it to "
		         ".gitignore, and commit a template (.env.example) without values instead",
		         path, why, path);
	return 1;
}

int sg_envcheck_staged_path(sg_findings *out, const sg_manifest *m, const char *path)
{
	char message[512];
	if (!sg_envcheck_committed(message, sizeof(message), m, path))
		return 0;
	int rc = sg_env_emit(out, SG_ENV_COMMITTED, path, 1, 1, path, "%s", message);
	return rc < 0 ? rc : 1;
}

int sg_envcheck_staged_hook(void *ctx, const char *path, sg_findings *out)
{
	return sg_envcheck_staged_path(out, ctx, path);
}
