/* The rule YAML loader: any text either loads or fails with a message;
 * what loads is finalized, scanned with, and checked against its own
 * examples the way `rules test` does. */
#include <string.h>
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sg_ruleset *rs;
	if (sg_ruleset_new_empty(&rs) < 0)
		abort();
	int r = sg_ruleset_add_yaml(rs, "fuzz.yaml", (const char *)data, size);
	if (r < 0 && !sg_error_last()[0])
		abort(); /* every failure leaves a message */
	if (r == 0 && sg_ruleset_finalize(rs) == 0) {
		for (size_t i = 0; i < sg_ruleset_count(rs); i++) {
			const sg_rule *rule = sg_ruleset_get(rs, i);
			(void)sg_rule_description(rule);
			for (int neg = 0; neg <= 1; neg++)
				for (size_t k = 0; k < sg_rule_example_count(rule, neg); k++) {
					const char *ex = sg_rule_example(rule, neg, k);
					sg_rule_matches(rule, ex, strlen(ex));
				}
		}
		sg_scanner *s;
		sg_findings f;
		sg_findings_init(&f, 0);
		if (sg_scanner_new(&s, rs, NULL) < 0)
			abort();
		sg_origin o = {.path = "a/b.yaml"};
		sg_scanner_scan(s, (const char *)data, size, &o, NULL, &f);
		sg_scanner_free(s);
		sg_findings_free(&f);
	}
	sg_ruleset_free(rs);
	return 0;
}
