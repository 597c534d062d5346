/* Code references: where code reads environment variables (process.env,
 * getenv, os.environ, ${{ secrets.X }}, compose ${X}, ...) and the
 * undeclared and unused variables that follow. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <errno.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "lib/env/env_internal.h"
#include "util/glob.h"
#include "util/grow.h"

#define MAX_REFS_DEFAULT 100000u

void sg_env_refs_init(sg_env_refs *r)
{
	memset(r, 0, sizeof(*r));
}

void sg_env_refs_free(sg_env_refs *r)
{
	for (size_t i = 0; i < r->count; i++) {
		free(r->items[i].name);
		free(r->items[i].path);
	}
	free(r->items);
	sg_env_refs_init(r);
}

/* Each form: a literal that must occur (a cheap prefilter), then a regex
 * whose first group is the name. */
static const struct ref_form {
	const char *form;
	const char *literal;
	const char *regex;
	int compose_only;
} ref_forms[] = {
        {"process.env", "process.env",
         "process\\.env(?:\\.([A-Za-z_][A-Za-z0-9_]*)|\\[\\s*[\"'`]([A-Za-z_][A-Za-z0-9_]*)[\"'`]"
         "\\s*\\])",
         0},
        {"import.meta.env", "import.meta.env", "import\\.meta\\.env\\.([A-Za-z_][A-Za-z0-9_]*)", 0},
        {"os.environ", "os.environ",
         "os\\.environ(?:\\[\\s*[\"']([A-Za-z_][A-Za-z0-9_]*)[\"']\\s*\\]|\\.get\\(\\s*[\"']([A-"
         "Za-z_][A-Za-z0-9_]*)[\"'])",
         0},
        /* getenv covers os.getenv, System.getenv, C getenv and PHP getenv. */
        {"getenv", "getenv", "(?<![A-Za-z0-9_])getenv\\(\\s*[\"']([A-Za-z_][A-Za-z0-9_]*)[\"']", 0},
        {"os.Getenv", "os.", "os\\.(?:Getenv|LookupEnv)\\(\\s*\"([A-Za-z_][A-Za-z0-9_]*)\"", 0},
        {"ENV[]", "ENV",
         "(?<![A-Za-z0-9_.])ENV(?:\\[\\s*[\"']([A-Za-z_][A-Za-z0-9_]*)[\"']\\s*\\]|\\.fetch\\(\\s*"
         "[\"']([A-Za-z_][A-Za-z0-9_]*)[\"'])",
         0},
        {"env::var", "env::var", "env::var(?:_os)?\\(\\s*\"([A-Za-z_][A-Za-z0-9_]*)\"", 0},
        {"Deno.env", "Deno.env", "Deno\\.env\\.get\\(\\s*[\"']([A-Za-z_][A-Za-z0-9_]*)[\"']", 0},
        {"${{ secrets }}", "${{",
         "\\$\\{\\{\\s*(?:secrets|vars)\\.([A-Za-z_][A-Za-z0-9_]*)\\s*\\}\\}", 0},
        {"${}", "${", "(?<!\\$)\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:[:?+-][^}]*)?\\}", 1},
};

static int is_compose_file(const char *path)
{
	const char *b = sg_env_base_name(path);
	return sg_glob_match("docker-compose*.y*ml", b) == 1 ||
	       sg_glob_match("compose*.y*ml", b) == 1 || sg_glob_match("*.compose.y*ml", b) == 1;
}

static int refs_push(sg_env_refs *r, const char *name, size_t name_len, const char *path,
                     uint32_t line, uint32_t column, const char *form)
{
	size_t max = r->max ? r->max : MAX_REFS_DEFAULT;
	if (r->count >= max)
		return sg_error_set(SG_ETOOBIG, "more than %zu variable references", max);
	if (r->count == r->cap && SG_GROW(r->items, r->cap, 64) < 0)
		return sg_error_set(SG_ENOMEM, "out of memory");
	sg_env_ref *ref = &r->items[r->count];
	ref->name = strndup(name, name_len);
	ref->path = strdup(path);
	if (!ref->name || !ref->path) {
		free(ref->name);
		free(ref->path);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	ref->line = line;
	ref->column = column;
	ref->form = form;
	r->count++;
	return 0;
}

int sg_env_refs_scan(sg_env_refs *r, const char *path, const char *data, size_t len)
{
	int compose = is_compose_file(path);
	int rc = 0;
	for (size_t f = 0; f < sizeof(ref_forms) / sizeof(ref_forms[0]) && rc == 0; f++) {
		const struct ref_form *rf = &ref_forms[f];
		if (rf->compose_only && !compose)
			continue;
		if (!memmem(data, len, rf->literal, strlen(rf->literal)))
			continue;
		int err;
		PCRE2_SIZE off;
		pcre2_code *code = pcre2_compile((PCRE2_SPTR)rf->regex, PCRE2_ZERO_TERMINATED, 0,
		                                 &err, &off, NULL);
		if (!code)
			return sg_error_set(SG_ERROR, "internal: bad reference pattern %s",
			                    rf->form);
		pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
		if (!md) {
			pcre2_code_free(code);
			return sg_error_set(SG_ENOMEM, "out of memory");
		}
		size_t start = 0, line_start = 0, counted = 0;
		uint32_t line = 1;
		while (start <= len && rc == 0) {
			int m = pcre2_match(code, (PCRE2_SPTR)data, len, start, 0, md, NULL);
			if (m < 0)
				break;
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
			size_t ns = 0, ne = 0;
			for (int g = 1; g < m; g++)
				if (ov[2 * g] != PCRE2_UNSET) {
					ns = ov[2 * g];
					ne = ov[2 * g + 1];
					break;
				}
			for (; counted < ov[0]; counted++)
				if (data[counted] == '\n') {
					line++;
					line_start = counted + 1;
				}
			if (ne > ns)
				rc = refs_push(r, data + ns, ne - ns, path, line,
				               (uint32_t)(ov[0] - line_start + 1), rf->form);
			start = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
		}
		pcre2_match_data_free(md);
		pcre2_code_free(code);
	}
	return rc;
}

/* Names every runtime or platform sets: reading them is not configuration. */
static const char *const builtin_ignore_refs[] = {
        "NODE_ENV", "PATH", "HOME", "USER", "PWD",      "SHELL", "TMPDIR",
        "TEMP",     "TERM", "LANG", "TZ",   "HOSTNAME", "CI",    "GITHUB_TOKEN",
        "MODE",     "DEV",  "PROD", "SSR",  "BASE_URL", NULL};

int sg_env_ref_is_runtime(const char *name)
{
	for (size_t i = 0; builtin_ignore_refs[i]; i++)
		if (strcmp(builtin_ignore_refs[i], name) == 0)
			return 1;
	return 0;
}

static int ref_ignored(const sg_manifest *m, const char *name)
{
	for (size_t i = 0; builtin_ignore_refs[i]; i++)
		if (strcmp(builtin_ignore_refs[i], name) == 0)
			return 1;
	for (size_t i = 0; m && i < m->nignore_refs; i++)
		if (strcmp(m->ignore_refs[i], name) == 0 ||
		    sg_glob_match(m->ignore_refs[i], name) == 1)
			return 1;
	return 0;
}

int sg_envcheck_refs(sg_findings *out, const sg_manifest *m, const sg_env_refs *r)
{
	int rc = 0;
	for (size_t i = 0; i < r->count && rc == 0; i++) {
		const sg_env_ref *ref = &r->items[i];
		if (sg_manifest_var(m, ref->name) || ref_ignored(m, ref->name))
			continue;
		/* One finding per name and file: the first read. */
		size_t k;
		for (k = 0; k < i; k++)
			if (strcmp(r->items[k].name, ref->name) == 0 &&
			    strcmp(r->items[k].path, ref->path) == 0)
				break;
		if (k < i)
			continue;
		char key[512];
		snprintf(key, sizeof(key), "%s:%s", ref->path, ref->name);
		rc = sg_env_emit(out, SG_ENV_UNDECLARED, ref->path, ref->line, ref->column, key,
		                 "%s is read here (%s) but %s does not declare it", ref->name,
		                 ref->form, m ? m->path : "the manifest");
	}
	for (size_t i = 0; m && i < m->nvars && rc == 0; i++) {
		const sg_var *v = &m->vars[i];
		if (v->deprecated || v->platform_only)
			continue;
		size_t k;
		for (k = 0; k < r->count; k++)
			if (strcmp(r->items[k].name, v->name) == 0)
				break;
		if (k == r->count)
			rc = sg_env_emit(out, SG_ENV_UNUSED, m->path, v->line, 1, v->name,
			                 "%s is declared but nothing in the scanned code reads it",
			                 v->name);
	}
	return rc;
}
