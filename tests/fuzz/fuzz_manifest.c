/* The env manifest loader (.secretgate/env.yml): parse, then every check
 * that reads the manifest, run against a small fixed set of values. */
#include <string.h>
#include "fuzz_common.h"
#include "secretgate/env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char fuzz_env[] = "DATABASE_URL=postgres://u:p@db:5432/app\n"
                               "PORT=8080\nDEBUG=true\nNEXT_PUBLIC_KEY=abc123abc123\n"
                               "TIMEOUT=1h30m\nMODE=fast\nJSON={\"a\":[1,2]}\nEMPTY=\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sg_manifest *m = NULL;
	int r = sg_manifest_parse(&m, "env.yml", (const char *)data, size);
	if (r < 0) {
		if (!sg_error_last()[0])
			abort();
		sg_manifest_free(m);
		return 0;
	}
	if (!m)
		return 0;
	sg_dotenv d;
	sg_dotenv_options dopts = SG_DOTENV_OPTIONS_INIT;
	sg_dotenv_init(&d);
	if (sg_dotenv_parse(&d, ".env", fuzz_env, strlen(fuzz_env), &dopts) < 0)
		abort();
	sg_findings f;
	sg_findings_init(&f, 0);
	sg_envcheck_manifest(&f, m);
	for (size_t e = 0; e <= m->nenvironments; e++) {
		const char *env = e < m->nenvironments ? m->environments[e].name : "production";
		sg_envcheck_options o = SG_ENVCHECK_OPTIONS_INIT;
		o.environment = env;
		o.dotenv = &d;
		sg_envcheck_values(&f, m, &o);
		for (size_t v = 0; v < m->nvars; v++) {
			char why[256];
			sg_var_required_in(&m->vars[v], env);
			sg_envcheck_value(why, sizeof(why), &m->vars[v], env, "8080", 4);
		}
		sg_leakset *ls;
		if (sg_leakset_new(&ls, m->min_leak_length) == 0) {
			size_t skipped = 0;
			const char *name = NULL;
			sg_leakset_add_environment(ls, &skipped, &name, m, &o);
			sg_leakset_scan(ls, (const char *)data, size, NULL, &f);
			sg_leakset_free(ls);
		}
	}
	sg_envcheck_template(&f, m, ".env.example", fuzz_env, strlen(fuzz_env));
	sg_manifest_is_public(m, "NEXT_PUBLIC_KEY");
	sg_manifest_var(m, "PORT");
	sg_envcheck_staged_path(&f, m, "config/.env.production");
	sg_findings_free(&f);
	sg_dotenv_free(&d);
	sg_manifest_free(m);
	return 0;
}
