/* secretgate env diff A B: two environments' values compared (their
 * manifest files and platform files, or --from-a/--from-b exports). The
 * process environment is neither of them and is not read. */
#include <stdlib.h>
#include <string.h>
#include "cmd_env.h"
#include "env_diff.h"
#include "env_finding.h"

static int load_side(sg_dotenv *d, sg_platform *p, const env_args *a, const char *env,
                     const char *const *files, size_t nfiles, const sg_manifest *m,
                     cli_context *ctx, const char *root, sg_scan_stats *st)
{
	env_args one = *a;
	one.env = env;
	one.no_environ = 1;
	one.ndotenv = nfiles;
	for (size_t i = 0; i < nfiles; i++)
		one.dotenv[i] = files[i];
	if (cli_env_load_dotenv(d, &one, m, root, st) < 0 ||
	    cli_env_load_platform(p, m, env, root, st) < 0)
		return -1;
	if (sg_platform_layer(d, p, m, env, ctx->rules) < 0) {
		cli_error("env diff", "%s", sg_error_last());
		return -1;
	}
	return 0;
}

int cli_env_diff(const env_args *a, const cli_options *o, cli_context *ctx, const char *root,
                 sg_findings *f, sg_scan_stats *st)
{
	if (a->npaths != 2) {
		cli_error("usage", "env diff needs two environments: env diff A B");
		return -1;
	}
	const char *ea = a->paths[0], *eb = a->paths[1];
	sg_manifest *m;
	if (cli_env_load_manifest(&m, a, ctx, root, 1) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		const char *e = i ? eb : ea;
		if (m->nenvironments && !sg_manifest_environment(m, e)) {
			cli_error("usage", "unknown environment '%s'", e);
			sg_manifest_free(m);
			return -1;
		}
	}
	sg_dotenv da, db;
	sg_platform pa, pb;
	sg_dotenv_init(&da);
	sg_dotenv_init(&db);
	sg_platform_init(&pa);
	sg_platform_init(&pb);
	int rc = load_side(&da, &pa, a, ea, a->from_a, a->nfrom_a, m, ctx, root, st);
	if (rc == 0)
		rc = load_side(&db, &pb, a, eb, a->from_b, a->nfrom_b, m, ctx, root, st);
	sg_envcheck_options oa = SG_ENVCHECK_OPTIONS_INIT, ob = SG_ENVCHECK_OPTIONS_INIT;
	oa.environment = ea;
	oa.dotenv = &da;
	oa.rules = ctx->rules;
	ob.environment = eb;
	ob.dotenv = &db;
	ob.rules = ctx->rules;
	if (rc == 0 && (rc = sg_env_diff(f, m, &oa, &ob)) < 0)
		cli_error("env diff", "%s", sg_error_last());
	if (rc == 0 && (rc = sg_env_findings_name_owners(f, 0, m)) < 0)
		cli_error("env diff", "%s", sg_error_last());
	sg_platform_free(&pa);
	sg_platform_free(&pb);
	sg_dotenv_free(&da);
	sg_dotenv_free(&db);
	sg_manifest_free(m);
	(void)o;
	return rc;
}
