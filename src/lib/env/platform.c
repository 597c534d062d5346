/* env_platform: one reader per platform file kind, all walking the same
 * tree (YAML, JSON and TOML through the document helpers). What a reader
 * does not know it ignores: these files carry far more than environment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/docnode.h"
#include "lib/env/env_internal.h"
#include "secretgate/env_platform.h"
#include "util/strv.h"
#include "util/glob.h"
#include "util/grow.h"

struct platform_k8s_ref {
	char *map; /* ConfigMap or Secret name */
	int secret;
	char *path;
	uint32_t line;
};
struct platform_k8s_map {
	char *name;
	int secret;
	sg_yaml_node *data; /* owned */
	char *path;
};

void sg_platform_init(sg_platform *p)
{
	memset(p, 0, sizeof(*p));
}

void sg_platform_free(sg_platform *p)
{
	for (size_t i = 0; i < p->count; i++) {
		free(p->items[i].name);
		free(p->items[i].value);
		free(p->items[i].path);
		free(p->items[i].provided_by);
		free(p->items[i].environment);
	}
	free(p->items);
	sg_strv_free(p->env_files, p->nenv_files);
	sg_strv_free(p->wildcards, p->nwildcards);
	sg_strv_free(p->environments, p->nenvironments);
	for (size_t i = 0; i < p->nrefs; i++) {
		free(p->refs[i].map);
		free(p->refs[i].path);
	}
	free(p->refs);
	for (size_t i = 0; i < p->nmaps; i++) {
		free(p->maps[i].name);
		free(p->maps[i].path);
		sg_yaml_free(p->maps[i].data);
	}
	free(p->maps);
	sg_platform_init(p);
}

static int nomem(void)
{
	return sg_error_set(SG_ENOMEM, "out of memory");
}

/* Record one variable. value NULL: provided elsewhere, as provided_by says. */
static int add_var(sg_platform *p, const char *kind, const char *path, uint32_t line,
                   const char *name, const char *value, const char *provided_by,
                   const char *environment, int secret_hint)
{
	if (!name || !*name)
		return 0;
	if (p->count == p->cap && SG_GROW(p->items, p->cap, 16) < 0)
		return nomem();
	sg_platform_var *v = &p->items[p->count];
	memset(v, 0, sizeof(*v));
	v->kind = kind;
	v->line = line;
	v->secret_hint = secret_hint;
	v->name = strdup(name);
	v->path = strdup(path);
	v->value = value ? strdup(value) : NULL;
	v->provided_by = provided_by ? strdup(provided_by) : NULL;
	v->environment = environment ? strdup(environment) : NULL;
	p->count++;
	if (!v->name || !v->path || (value && !v->value) || (provided_by && !v->provided_by) ||
	    (environment && !v->environment))
		return nomem();
	if (environment)
		return sg_strv_add_unique(&p->environments, &p->nenvironments, environment);
	return 0;
}

int sg_platform_value_is_reference(const char *value)
{
	return value && (strstr(value, "${") != NULL || strstr(value, "$(") != NULL);
}

/* A value or reference: ${{ secrets.X }} and ${{ vars.X }} are provided by
 * the CI, ${X} by the host. */
static int add_value(sg_platform *p, const char *kind, const char *path, uint32_t line,
                     const char *name, const char *value, const char *environment)
{
	const char *s;
	if (value && (s = strstr(value, "${{"))) {
		char how[160];
		const char *q = s + 3;
		while (*q == ' ')
			q++;
		size_t n = strcspn(q, " }");
		snprintf(how, sizeof(how), "%.*s", (int)(n < 120 ? n : 120), q);
		return add_var(p, kind, path, line, name, NULL, how, environment,
		               strncmp(q, "secrets.", 8) == 0);
	}
	if (sg_platform_value_is_reference(value))
		return add_var(p, kind, path, line, name, NULL, "interpolated from the host",
		               environment, 0);
	return add_var(p, kind, path, line, name, value, NULL, environment, 0);
}

typedef int (*doc_fn)(sg_platform *p, const char *path, const sg_yaml_node *root);

typedef struct each_ctx {
	sg_platform *p;
	const char *path;
	doc_fn fn;
} each_ctx;

static int each_doc(void *ctx, const sg_yaml_node *root)
{
	each_ctx *e = ctx;
	return e->fn(e->p, e->path, root);
}

/* Every document of a YAML stream, in order. */
static int yaml_each(sg_platform *p, const char *path, const char *text, size_t len, doc_fn fn)
{
	each_ctx e = {.p = p, .path = path, .fn = fn};
	return sg_yaml_each_document(path, text, len, each_doc, &e);
}

static const char *str(const sg_yaml_node *n)
{
	return n && n->type == SG_YAML_SCALAR ? n->value : NULL;
}

/* ---- docker-compose ------------------------------------------------------ */

static int compose_doc(sg_platform *p, const char *path, const sg_yaml_node *root)
{
	const sg_yaml_node *services = sg_yaml_get(root, "services");
	if (!services && root->type == SG_YAML_MAP && !sg_yaml_get(root, "version"))
		services = NULL;
	int rc = 0;
	for (size_t s = 0; services && services->type == SG_YAML_MAP && s < services->count; s++) {
		const sg_yaml_node *svc = services->items[s];
		const sg_yaml_node *env = sg_yaml_get(svc, "environment");
		for (size_t i = 0; env && i < env->count && rc == 0; i++) {
			if (env->type == SG_YAML_MAP) {
				const char *v = str(env->items[i]);
				if (v && *v)
					rc = add_value(p, "docker-compose", path, env->key_lines[i],
					               env->keys[i], v, NULL);
				else
					rc = add_var(p, "docker-compose", path, env->key_lines[i],
					             env->keys[i], NULL, "the host environment",
					             NULL, 0);
				continue;
			}
			const char *item = str(env->items[i]);
			if (!item)
				continue;
			const char *eq = strchr(item, '=');
			char name[256];
			size_t n = eq ? (size_t)(eq - item) : strlen(item);
			if (n == 0 || n >= sizeof(name))
				continue;
			memcpy(name, item, n);
			name[n] = '\0';
			if (eq)
				rc = add_value(p, "docker-compose", path, env->items[i]->line, name,
				               eq + 1, NULL);
			else
				rc = add_var(p, "docker-compose", path, env->items[i]->line, name,
				             NULL, "the host environment", NULL, 0);
		}
		const sg_yaml_node *files = sg_yaml_get(svc, "env_file");
		if (str(files) && *str(files))
			rc = rc ? rc
			        : sg_strv_add_unique(&p->env_files, &p->nenv_files, str(files));
		for (size_t i = 0; files && files->type == SG_YAML_SEQ && i < files->count && !rc;
		     i++) {
			const sg_yaml_node *f = files->items[i];
			const char *name = str(f) ? str(f) : str(sg_yaml_get(f, "path"));
			if (name && *name)
				rc = sg_strv_add_unique(&p->env_files, &p->nenv_files, name);
		}
		if (rc)
			return rc;
	}
	return rc;
}

/* ---- Kubernetes ------------------------------------------------------------ */

static int k8s_ref(sg_platform *p, const char *path, const sg_yaml_node *ref, int secret)
{
	const char *name = str(sg_yaml_get(ref, "name"));
	if (!name)
		return 0;
	struct platform_k8s_ref *nr;
	if (p->nrefs == p->refs_cap) {
		size_t cap = p->refs_cap ? p->refs_cap * 2 : 8;
		if (!(nr = realloc(p->refs, cap * sizeof(*nr))))
			return nomem();
		p->refs = nr;
		p->refs_cap = cap;
	}
	nr = &p->refs[p->nrefs];
	nr->map = strdup(name);
	nr->path = strdup(path);
	nr->secret = secret;
	nr->line = ref->line;
	p->nrefs++;
	return nr->map && nr->path ? 0 : nomem();
}

static int k8s_containers(sg_platform *p, const char *path, const sg_yaml_node *list)
{
	int rc = 0;
	for (size_t c = 0; list && list->type == SG_YAML_SEQ && c < list->count && !rc; c++) {
		const sg_yaml_node *env = sg_yaml_get(list->items[c], "env");
		for (size_t i = 0; env && env->type == SG_YAML_SEQ && i < env->count && !rc; i++) {
			const sg_yaml_node *e = env->items[i];
			const char *name = str(sg_yaml_get(e, "name"));
			const sg_yaml_node *from = sg_yaml_get(e, "valueFrom");
			const char *value = str(sg_yaml_get(e, "value"));
			if (!name)
				continue;
			if (from) {
				const sg_yaml_node *sk = sg_yaml_get(from, "secretKeyRef");
				const sg_yaml_node *ck = sg_yaml_get(from, "configMapKeyRef");
				char how[300];
				if (sk)
					snprintf(how, sizeof(how), "Secret %s",
					         str(sg_yaml_get(sk, "name"))
					                 ? str(sg_yaml_get(sk, "name"))
					                 : "?");
				else if (ck)
					snprintf(how, sizeof(how), "ConfigMap %s",
					         str(sg_yaml_get(ck, "name"))
					                 ? str(sg_yaml_get(ck, "name"))
					                 : "?");
				else
					snprintf(how, sizeof(how), "the pod (fieldRef)");
				rc = add_var(p, "kubernetes", path, e->line, name, NULL, how, NULL,
				             sk != NULL);
				if (rc == 0 && !sk && !ck)
					p->items[p->count - 1].runtime = 1;
			} else {
				rc = add_value(p, "kubernetes", path, e->line, name,
				               value ? value : "", NULL);
			}
		}
		const sg_yaml_node *from = sg_yaml_get(list->items[c], "envFrom");
		for (size_t i = 0; from && from->type == SG_YAML_SEQ && i < from->count && !rc;
		     i++) {
			const sg_yaml_node *cm = sg_yaml_get(from->items[i], "configMapRef");
			const sg_yaml_node *sr = sg_yaml_get(from->items[i], "secretRef");
			if (cm)
				rc = k8s_ref(p, path, cm, 0);
			if (sr && !rc)
				rc = k8s_ref(p, path, sr, 1);
		}
	}
	return rc;
}

static int k8s_doc(sg_platform *p, const char *path, const sg_yaml_node *root)
{
	const char *kind = str(sg_yaml_get(root, "kind"));
	if (!kind)
		return 0;
	if (!strcmp(kind, "List")) {
		const sg_yaml_node *items = sg_yaml_get(root, "items");
		for (size_t i = 0; items && items->type == SG_YAML_SEQ && i < items->count; i++) {
			int rc = k8s_doc(p, path, items->items[i]);
			if (rc)
				return rc;
		}
		return 0;
	}
	if (!strcmp(kind, "ConfigMap") || !strcmp(kind, "Secret")) {
		const char *name = str(sg_yaml_get(sg_yaml_get(root, "metadata"), "name"));
		int secret = !strcmp(kind, "Secret");
		const sg_yaml_node *data = sg_yaml_get(root, secret ? "stringData" : "data");
		if (!data && secret)
			data = sg_yaml_get(root, "data");
		if (!name || !data || data->type != SG_YAML_MAP)
			return 0;
		/* Keep a copy: envFrom may name it from another document. */
		sg_yaml_node *copy = calloc(1, sizeof(*copy));
		if (!copy)
			return nomem();
		copy->type = SG_YAML_MAP;
		for (size_t i = 0; i < data->count; i++) {
			sg_yaml_node *v = calloc(1, sizeof(*v));
			const char *val =
			        secret && !sg_yaml_get(root, "stringData")
			                ? "" /* base64 data: only the names matter */
			                : (str(data->items[i]) ? str(data->items[i]) : "");
			if (!v || !(v->value = strdup(val)) ||
			    sg_yaml_add(copy, v, data->keys[i], data->key_lines[i]) < 0) {
				if (v)
					free(v->value);
				free(v);
				sg_yaml_free(copy);
				return nomem();
			}
			v->type = SG_YAML_SCALAR;
			v->len = strlen(val);
			v->line = data->key_lines[i];
		}
		struct platform_k8s_map *nm;
		if (p->nmaps == p->maps_cap) {
			size_t cap = p->maps_cap ? p->maps_cap * 2 : 8;
			if (!(nm = realloc(p->maps, cap * sizeof(*nm)))) {
				sg_yaml_free(copy);
				return nomem();
			}
			p->maps = nm;
			p->maps_cap = cap;
		}
		nm = &p->maps[p->nmaps++];
		nm->name = strdup(name);
		nm->path = strdup(path);
		nm->secret = secret;
		nm->data = copy;
		return nm->name && nm->path ? 0 : nomem();
	}
	const sg_yaml_node *spec = sg_yaml_get(root, "spec");
	if (!strcmp(kind, "CronJob"))
		spec = sg_yaml_get(sg_yaml_get(spec, "jobTemplate"), "spec");
	const sg_yaml_node *pod = strcmp(kind, "Pod") == 0
	                                  ? spec
	                                  : sg_yaml_get(sg_yaml_get(spec, "template"), "spec");
	if (!pod)
		return 0;
	int rc = k8s_containers(p, path, sg_yaml_get(pod, "containers"));
	return rc ? rc : k8s_containers(p, path, sg_yaml_get(pod, "initContainers"));
}

int sg_platform_finish(sg_platform *p)
{
	int rc = 0;
	for (size_t r = 0; r < p->nrefs && !rc; r++) {
		const struct platform_k8s_ref *ref = &p->refs[r];
		const struct platform_k8s_map *map = NULL;
		for (size_t i = 0; i < p->nmaps; i++)
			if (p->maps[i].secret == ref->secret && !strcmp(p->maps[i].name, ref->map))
				map = &p->maps[i];
		char how[300];
		snprintf(how, sizeof(how), "%s %s (envFrom)", ref->secret ? "Secret" : "ConfigMap",
		         ref->map);
		if (!map) {
			/* Defined elsewhere (a sealed secret, the cluster): any name may come from
			 * it. */
			rc = sg_strv_add_unique(&p->wildcards, &p->nwildcards, how);
			continue;
		}
		for (size_t i = 0; i < map->data->count && !rc; i++) {
			const char *v = map->data->items[i]->value;
			if (ref->secret && !*v)
				rc = add_var(p, "kubernetes", map->path, map->data->key_lines[i],
				             map->data->keys[i], NULL, how, NULL, 1);
			else
				rc = add_var(p, "kubernetes", map->path, map->data->key_lines[i],
				             map->data->keys[i], v, NULL, NULL, ref->secret);
		}
	}
	for (size_t i = 0; i < p->nrefs; i++) {
		free(p->refs[i].map);
		free(p->refs[i].path);
	}
	p->nrefs = 0;
	return rc;
}

/* ---- render.yaml ----------------------------------------------------------- */

static int render_envvars(sg_platform *p, const char *path, const sg_yaml_node *vars)
{
	int rc = 0;
	for (size_t i = 0; vars && vars->type == SG_YAML_SEQ && i < vars->count && !rc; i++) {
		const sg_yaml_node *e = vars->items[i];
		const char *key = str(sg_yaml_get(e, "key"));
		const char *value = str(sg_yaml_get(e, "value"));
		const char *sync = str(sg_yaml_get(e, "sync"));
		if (!key)
			continue;
		if (value)
			rc = add_value(p, "render", path, e->line, key, value, NULL);
		else if (sync && !strcmp(sync, "false"))
			rc = add_var(p, "render", path, e->line, key, NULL,
			             "the Render dashboard (sync: false)", NULL, 1);
		else if (sg_yaml_get(e, "generateValue"))
			rc = add_var(p, "render", path, e->line, key, NULL,
			             "Render (generateValue)", NULL, 1);
		else if (sg_yaml_get(e, "fromDatabase") || sg_yaml_get(e, "fromService"))
			rc = add_var(p, "render", path, e->line, key, NULL,
			             "another Render service", NULL, 0);
		else if (sg_yaml_get(e, "fromGroup"))
			rc = add_var(p, "render", path, e->line, key, NULL, "a Render env group",
			             NULL, 0);
	}
	return rc;
}

static int render_doc(sg_platform *p, const char *path, const sg_yaml_node *root)
{
	static const char *const lists[] = {"services", "envVarGroups", "databases"};
	int rc = 0;
	for (size_t l = 0; l < 3 && !rc; l++) {
		const sg_yaml_node *list = sg_yaml_get(root, lists[l]);
		for (size_t i = 0; list && list->type == SG_YAML_SEQ && i < list->count && !rc; i++)
			rc = render_envvars(p, path, sg_yaml_get(list->items[i], "envVars"));
	}
	return rc;
}

/* ---- GitHub Actions ---------------------------------------------------------- */

static int gha_env(sg_platform *p, const char *path, const sg_yaml_node *env,
                   const char *environment)
{
	int rc = 0;
	for (size_t i = 0; env && env->type == SG_YAML_MAP && i < env->count && !rc; i++)
		rc = add_value(p, "github-actions", path, env->key_lines[i], env->keys[i],
		               str(env->items[i]) ? str(env->items[i]) : "", environment);
	return rc;
}

static int gha_doc(sg_platform *p, const char *path, const sg_yaml_node *root)
{
	int rc = gha_env(p, path, sg_yaml_get(root, "env"), NULL);
	const sg_yaml_node *jobs = sg_yaml_get(root, "jobs");
	for (size_t j = 0; jobs && jobs->type == SG_YAML_MAP && j < jobs->count && !rc; j++) {
		const sg_yaml_node *job = jobs->items[j];
		const sg_yaml_node *en = sg_yaml_get(job, "environment");
		const char *environment = str(en) ? str(en) : str(sg_yaml_get(en, "name"));
		if (environment && (!*environment || strstr(environment, "${{")))
			environment = NULL; /* chosen at run time: applies to each */
		rc = gha_env(p, path, sg_yaml_get(job, "env"), environment);
		const sg_yaml_node *steps = sg_yaml_get(job, "steps");
		for (size_t s = 0; steps && steps->type == SG_YAML_SEQ && s < steps->count && !rc;
		     s++)
			rc = gha_env(p, path, sg_yaml_get(steps->items[s], "env"), environment);
		if (!rc && environment)
			rc = sg_strv_add_unique(&p->environments, &p->nenvironments, environment);
	}
	return rc;
}

/* ---- TOML and JSON kinds ------------------------------------------------------ */

static int table_values(sg_platform *p, const char *kind, const char *path, const sg_yaml_node *t,
                        const char *environment)
{
	int rc = 0;
	for (size_t i = 0; t && t->type == SG_YAML_MAP && i < t->count && !rc; i++) {
		const char *v = str(t->items[i]);
		if (!v)
			continue; /* a nested table holds no variable */
		/* vercel: "@name" is a reference to a stored secret */
		if (!strcmp(kind, "vercel") && v[0] == '@')
			rc = add_var(p, kind, path, t->key_lines[i], t->keys[i], NULL,
			             "a Vercel secret", environment, 1);
		else
			rc = add_value(p, kind, path, t->key_lines[i], t->keys[i], v, environment);
	}
	return rc;
}

static int netlify_doc(sg_platform *p, const char *path, const sg_yaml_node *root)
{
	int rc = table_values(p, "netlify", path,
	                      sg_yaml_get(sg_yaml_get(root, "build"), "environment"), NULL);
	const sg_yaml_node *ctx = sg_yaml_get(root, "context");
	for (size_t i = 0; ctx && ctx->type == SG_YAML_MAP && i < ctx->count && !rc; i++)
		rc = table_values(p, "netlify", path, sg_yaml_get(ctx->items[i], "environment"),
		                  ctx->keys[i]);
	return rc;
}

static int heroku_env(sg_platform *p, const char *path, const sg_yaml_node *env,
                      const char *environment)
{
	int rc = 0;
	for (size_t i = 0; env && env->type == SG_YAML_MAP && i < env->count && !rc; i++) {
		const sg_yaml_node *e = env->items[i];
		const char *name = env->keys[i];
		if (str(e)) {
			rc = add_value(p, "heroku", path, env->key_lines[i], name, str(e),
			               environment);
			continue;
		}
		const char *value = str(sg_yaml_get(e, "value"));
		const char *gen = str(sg_yaml_get(e, "generator"));
		const char *req = str(sg_yaml_get(e, "required"));
		if (gen && !strcmp(gen, "secret"))
			rc = add_var(p, "heroku", path, env->key_lines[i], name, NULL,
			             "Heroku (generator: secret)", environment, 1);
		else if (value)
			rc = add_value(p, "heroku", path, env->key_lines[i], name, value,
			               environment);
		else
			rc = add_var(p, "heroku", path, env->key_lines[i], name, NULL,
			             req && !strcmp(req, "false") ? "the deployer (optional)"
			                                          : "the deployer (required)",
			             environment, 0);
		if (!rc && req && !strcmp(req, "true"))
			p->items[p->count - 1].required = 1;
	}
	return rc;
}

static int heroku_doc(sg_platform *p, const char *path, const sg_yaml_node *root)
{
	int rc = heroku_env(p, path, sg_yaml_get(root, "env"), NULL);
	const sg_yaml_node *envs = sg_yaml_get(root, "environments");
	for (size_t i = 0; envs && envs->type == SG_YAML_MAP && i < envs->count && !rc; i++)
		rc = heroku_env(p, path, sg_yaml_get(envs->items[i], "env"), envs->keys[i]);
	return rc;
}

static int vercel_doc(sg_platform *p, const char *path, const sg_yaml_node *root)
{
	int rc = table_values(p, "vercel", path, sg_yaml_get(root, "env"), NULL);
	return rc ? rc
	          : table_values(p, "vercel", path, sg_yaml_get(sg_yaml_get(root, "build"), "env"),
	                         NULL);
}

static int fly_doc(sg_platform *p, const char *path, const sg_yaml_node *root)
{
	return table_values(p, "fly", path, sg_yaml_get(root, "env"), NULL);
}

/* ---- dispatch ----------------------------------------------------------------- */

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int yaml_name(const char *b)
{
	return ends_with(b, ".yml") || ends_with(b, ".yaml");
}

const char *sg_platform_kind(const char *path, const char *text, size_t len)
{
	const char *b = base_name(path);
	if (yaml_name(b) && (!strncmp(b, "docker-compose", 14) || !strncmp(b, "compose", 7) ||
	                     strstr(b, ".compose.")))
		return "docker-compose";
	if (!strcmp(b, "fly.toml"))
		return "fly";
	if (!strcmp(b, "render.yaml") || !strcmp(b, "render.yml"))
		return "render";
	if (!strcmp(b, "netlify.toml"))
		return "netlify";
	if (!strcmp(b, "vercel.json"))
		return "vercel";
	if (!strcmp(b, "app.json"))
		return "heroku";
	if (yaml_name(b) &&
	    (strstr(path, ".github/workflows/") == path || strstr(path, "/.github/workflows/")))
		return "github-actions";
	/* Kubernetes: YAML that says apiVersion and kind near its start. */
	if (yaml_name(b) && text) {
		size_t n = len < 4096 ? len : 4096;
		if (memmem(text, n, "apiVersion:", 11) && memmem(text, n, "kind:", 5))
			return "kubernetes";
	}
	return NULL;
}

int sg_platform_parse(sg_platform *p, const char *kind, const char *path, const char *text,
                      size_t len)
{
	if (!kind)
		kind = sg_platform_kind(path, text, len);
	if (!kind)
		return sg_error_set(SG_EINVALID, "%s: not a platform file secretgate knows", path);
	if (!strcmp(kind, "docker-compose"))
		return yaml_each(p, path, text, len, compose_doc);
	if (!strcmp(kind, "kubernetes"))
		return yaml_each(p, path, text, len, k8s_doc);
	if (!strcmp(kind, "render"))
		return yaml_each(p, path, text, len, render_doc);
	if (!strcmp(kind, "github-actions"))
		return yaml_each(p, path, text, len, gha_doc);
	sg_yaml_node *root = NULL;
	int toml = !strcmp(kind, "fly") || !strcmp(kind, "netlify");
	int rc = toml ? sg_toml_parse(&root, path, text, len)
	              : sg_json_parse(&root, path, text, len);
	if (rc < 0)
		return rc;
	if (root->type != SG_YAML_MAP)
		rc = 0;
	else if (!strcmp(kind, "fly"))
		rc = fly_doc(p, path, root);
	else if (!strcmp(kind, "netlify"))
		rc = netlify_doc(p, path, root);
	else if (!strcmp(kind, "vercel"))
		rc = vercel_doc(p, path, root);
	else if (!strcmp(kind, "heroku"))
		rc = heroku_doc(p, path, root);
	sg_yaml_free(root);
	return rc;
}

int sg_platform_add_dotenv(sg_platform *p, const sg_dotenv *d)
{
	for (size_t i = 0; i < d->count; i++) {
		int rc = add_var(p, "docker-compose", d->items[i].path, d->items[i].line,
		                 d->items[i].key, d->items[i].value, NULL, NULL, 0);
		if (rc < 0)
			return rc;
		p->items[p->count - 1].local_file = 1;
	}
	return 0;
}

/* ---- the environment's view ------------------------------------------------------- */

int sg_platform_var_in(const sg_platform_var *v, const char *environment)
{
	return !v->environment || (environment && !strcmp(v->environment, environment));
}

const char *sg_platform_secret_rule(sg_scanner *scanner, const char *value, size_t len)
{
	if (!scanner || !len)
		return NULL;
	sg_findings f;
	const char *id = NULL;
	sg_findings_init(&f, 4);
	sg_origin origin = {0};
	origin.path = "(value)";
	/* low confidence never blocks, so it never makes a value a secret either */
	if (sg_scanner_scan(scanner, value, len, &origin, NULL, &f) == 0)
		for (size_t i = 0; !id && i < f.count; i++)
			if (f.items[i].confidence > SG_CONF_LOW)
				id = f.items[i].rule_id;
	sg_findings_free(&f);
	return id;
}

static int dotenv_push(sg_dotenv *d, const sg_platform_var *v)
{
	if (d->count == d->cap && SG_GROW(d->items, d->cap, 16) < 0)
		return nomem();
	sg_dotenv_entry *e = &d->items[d->count];
	memset(e, 0, sizeof(*e));
	e->key = strdup(v->name);
	e->value = strdup(v->value);
	e->path = strdup(v->path);
	if (!e->key || !e->value || !e->path) {
		free(e->key);
		free(e->value);
		free(e->path);
		return nomem();
	}
	e->value_len = strlen(v->value);
	e->line = v->line;
	d->count++;
	return 0;
}

int sg_platform_layer(sg_dotenv *d, const sg_platform *p, const sg_manifest *m,
                      const char *environment, const sg_ruleset *rules)
{
	sg_scanner *scanner = NULL;
	sg_scan_options so = SG_SCAN_OPTIONS_INIT;
	int rc = rules ? sg_scanner_new(&scanner, rules, &so) : 0;
	/* Environment-specific entries first, so they win over the general ones. */
	for (int pass = 0; pass < 2 && rc == 0; pass++)
		for (size_t i = 0; i < p->count && rc == 0; i++) {
			const sg_platform_var *v = &p->items[i];
			if (!v->value || !sg_platform_var_in(v, environment) ||
			    (pass == 0) != (v->environment != NULL) || sg_dotenv_get(d, v->name))
				continue;
			const sg_var *mv = sg_manifest_var(m, v->name);
			if ((mv && mv->secret) || v->secret_hint ||
			    sg_platform_secret_rule(scanner, v->value, strlen(v->value)))
				continue; /* secrets never come from a committed file */
			rc = dotenv_push(d, v);
		}
	sg_scanner_free(scanner);
	return rc;
}

static int provided_in_manifest(const sg_environment *e, const char *name)
{
	for (size_t i = 0; e && i < e->nprovided; i++)
		if (!strcmp(e->provided[i], name) || sg_glob_match(e->provided[i], name) == 1)
			return 1;
	return 0;
}

int sg_platform_check(sg_findings *out, const sg_platform *p, const sg_manifest *m,
                      const char *environment, const sg_ruleset *rules)
{
	const sg_environment *e = sg_manifest_environment(m, environment);
	sg_scanner *scanner = NULL;
	sg_scan_options so = SG_SCAN_OPTIONS_INIT;
	int rc = rules ? sg_scanner_new(&scanner, rules, &so) : 0;
	char key[512], files[512] = "";
	for (size_t i = 0; e && i < e->nplatform; i++)
		snprintf(files + strlen(files), sizeof(files) - strlen(files), "%s%s",
		         i ? (i + 1 == e->nplatform ? " and " : ", ") : "", e->platform[i]);
	for (size_t i = 0; e && e->nplatform && !p->nwildcards && i < m->nvars && rc == 0; i++) {
		const sg_var *v = &m->vars[i];
		if (v->deprecated || !sg_var_required_in(v, environment) ||
		    sg_per_env_get(&v->default_value, environment) ||
		    provided_in_manifest(e, v->name))
			continue;
		int found = 0;
		for (size_t k = 0; k < p->count && !found; k++)
			found = !strcmp(p->items[k].name, v->name) &&
			        sg_platform_var_in(&p->items[k], environment);
		if (found)
			continue;
		snprintf(key, sizeof(key), "%s:%s", environment, v->name);
		rc = sg_env_finding(out, SG_ENV_PLATFORM_MISSING, 1, m->path, v->line, key,
		                    "%s is required in %s but %s neither set%s it nor declare%s it "
		                    "provided elsewhere (or list it under provided: for %s)",
		                    v->name, environment, files, e->nplatform > 1 ? "" : "s",
		                    e->nplatform > 1 ? "" : "s", environment);
	}
	for (size_t k = 0; k < p->count && rc == 0; k++) {
		const sg_platform_var *pv = &p->items[k];
		if (!pv->value || !*pv->value || pv->local_file ||
		    !sg_platform_var_in(pv, environment))
			continue;
		const sg_var *v = sg_manifest_var(m, pv->name);
		const char *rule = sg_platform_secret_rule(scanner, pv->value, strlen(pv->value));
		if (!rule && !(v && v->secret) && !pv->secret_hint)
			continue;
		snprintf(key, sizeof(key), "%s:%s", pv->path, pv->name);
		char why[160];
		if (rule)
			snprintf(why, sizeof(why), "its value matches the secret rule %s", rule);
		else
			snprintf(why, sizeof(why), "it is a secret");
		rc = sg_env_finding(out, SG_ENV_PLATFORM_SECRET, 1, pv->path, pv->line, key,
		                    "%s is written as a value in %s:%u but %s (keep it in the "
		                    "platform's secret store)",
		                    pv->name, pv->path, pv->line, why);
	}
	sg_scanner_free(scanner);
	return rc;
}
