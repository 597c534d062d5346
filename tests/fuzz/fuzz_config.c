/* The .secretgate.yml loader: parse, apply the rules part to a rule set,
 * and run the allowlists over a finding. */
#include <string.h>
#include "fuzz_common.h"
#include "secretgate/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sg_config *c = NULL;
	int r = sg_config_parse(&c, ".secretgate.yml", (const char *)data, size);
	if (r < 0) {
		if (c || !sg_error_last()[0])
			abort();
		return 0;
	}
	sg_ruleset *rs;
	if (sg_ruleset_new_empty(&rs) < 0)
		abort();
	if (sg_ruleset_add_yaml(rs, "fuzz-rules", fuzz_rules_yaml, strlen(fuzz_rules_yaml)) < 0)
		abort();
	if (sg_config_apply_rules(c, rs) == 0)
		sg_ruleset_finalize(rs);
	char secret[] = "s3cr3t-Value_0123";
	sg_finding f = {0};
	f.rule_id = "fuzz-assign";
	f.path = "config/app.env";
	f.secret = secret;
	f.secret_len = strlen(secret);
	strcpy(f.fingerprint, "fuzz-assign:0123456789abcdef0123");
	sg_config_allows(c, &f);
	f.path = NULL;
	f.rule_id = NULL;
	sg_config_allows(c, &f);
	sg_ruleset_free(rs);
	sg_config_free(c);
	return 0;
}
