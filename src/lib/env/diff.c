/* env_diff: compare two environments variable by variable. Values are
 * compared, never printed: a finding names the variable and where each
 * value is set. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "secretgate/env_diff.h"
#include "lib/env/env_internal.h"
#include "secretgate/env_platform.h"

static int names_add(char ***v, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i], s))
			return 0;
	char **nv = realloc(*v, (*n + 1) * sizeof(char *));
	if (!nv)
		return -1;
	*v = nv;
	nv[(*n)++] = (char *)s; /* borrowed */
	return 0;
}

static void where(char *buf, size_t size, const char *path, uint32_t line)
{
	if (line)
		snprintf(buf, size, "%s:%u", path, line);
	else
		snprintf(buf, size, "%s", path);
}

/* The host (and port) of a URL, after any user:password@. */
static int url_host(const char *v, const char **host, size_t *len)
{
	const char *s = strstr(v, "://");
	if (!s)
		return 0;
	s += 3;
	size_t n = strcspn(s, "/?#");
	const char *at = memrchr(s, '@', n);
	if (at) {
		n -= (size_t)(at + 1 - s);
		s = at + 1;
	}
	*host = s;
	*len = n;
	return n > 0;
}

static int is_production(const sg_manifest *m, const char *env)
{
	const sg_environment *e = sg_manifest_environment(m, env);
	return e && e->production;
}

int sg_env_diff(sg_findings *out, const sg_manifest *m, const sg_envcheck_options *a,
                const sg_envcheck_options *b)
{
	char **names = NULL;
	size_t n = 0;
	int rc = 0;
	for (size_t i = 0; i < m->nvars && rc == 0; i++)
		if (!m->vars[i].deprecated)
			rc = names_add(&names, &n, m->vars[i].name);
	const sg_envcheck_options *both[2] = {a, b};
	for (int s = 0; s < 2 && rc == 0; s++)
		for (size_t i = 0; both[s]->dotenv && i < both[s]->dotenv->count && rc == 0; i++)
			if (!sg_manifest_var(m, both[s]->dotenv->items[i].key))
				rc = names_add(&names, &n, both[s]->dotenv->items[i].key);
	if (rc < 0) {
		free(names);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	sg_scanner *scanner = NULL;
	sg_scan_options so = SG_SCAN_OPTIONS_INIT;
	if (a->rules && (rc = sg_scanner_new(&scanner, a->rules, &so)) < 0) {
		free(names);
		return rc;
	}
	int production = is_production(m, a->environment) || is_production(m, b->environment);
	const char *ea = a->environment, *eb = b->environment;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *name = names[i];
		const sg_var *v = sg_manifest_var(m, name);
		const char *va = NULL, *vb = NULL, *pa, *pb;
		uint32_t la, lb;
		int sa = sg_envcheck_lookup(&va, &pa, &la, a, name) && *va;
		int sb = sg_envcheck_lookup(&vb, &pb, &lb, b, name) && *vb;
		char wa[300] = "", wb[300] = "", key[512];
		if (sa)
			where(wa, sizeof(wa), pa, la);
		if (sb)
			where(wb, sizeof(wb), pb, lb);
		snprintf(key, sizeof(key), "%s:%s:%s", ea, eb, name);
		if (sa != sb) {
			/* A default fills the gap: the variable is never missing. */
			const char *unset_env = sa ? eb : ea;
			if (v && sg_per_env_get(&v->default_value, unset_env))
				continue;
			rc = sg_env_finding(out, SG_ENV_DIFF_MISSING, 1, sa ? pa : pb, sa ? la : lb,
			                    key, "%s is set in %s (%s) but not in %s", name,
			                    sa ? ea : eb, sa ? wa : wb, sa ? eb : ea);
			continue;
		}
		if (!sa)
			continue;
		if (v) {
			char why_a[256], why_b[256];
			int bad_a = sg_envcheck_value(why_a, sizeof(why_a), v, ea, va, strlen(va));
			int bad_b = sg_envcheck_value(why_b, sizeof(why_b), v, eb, vb, strlen(vb));
			if (bad_a < 0 || bad_b < 0) {
				rc = bad_a < 0 ? bad_a : bad_b;
				break;
			}
			if (bad_a != bad_b)
				rc = sg_env_finding(
				        out, SG_ENV_DIFF_TYPE, 1, bad_a ? pa : pb, bad_a ? la : lb,
				        key, "%s is a valid %s in %s but not in %s: %s (set in %s)",
				        name, sg_var_type_name(v->type), bad_a ? eb : ea,
				        bad_a ? ea : eb, bad_a ? why_a : why_b, bad_a ? wa : wb);
			if (rc)
				break;
		}
		int secret = (v && v->secret) ||
		             sg_platform_secret_rule(scanner, va, strlen(va)) != NULL ||
		             sg_platform_secret_rule(scanner, vb, strlen(vb)) != NULL;
		if (!secret)
			continue;
		const char *ha, *hb;
		size_t hla, hlb;
		if (strcmp(va, vb) == 0)
			rc = sg_env_finding(
			        out, SG_ENV_SHARED_SECRET, production, pb, lb, key,
			        "%s has the same secret value in %s (%s) and %s (%s)%s", name, ea,
			        wa, eb, wb,
			        production ? "" : " (not blocking: neither is production-like)");
		else if (url_host(va, &ha, &hla) && url_host(vb, &hb, &hlb) && hla == hlb &&
		         memcmp(ha, hb, hla) == 0)
			rc = sg_env_finding(
			        out, SG_ENV_SHARED_SECRET, production, pb, lb, key,
			        "%s points at the same host in %s (%s) and %s (%s)%s", name, ea, wa,
			        eb, wb,
			        production ? "" : " (not blocking: neither is production-like)");
	}
	sg_scanner_free(scanner);
	free(names);
	return rc;
}
