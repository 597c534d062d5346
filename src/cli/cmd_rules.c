/* secretgate rules list | test: the rules in force, and each rule checked
 * against its own examples (must match) and negative examples (must not). */
#include <string.h>
#include "cli/cli.h"

static const char rules_help[] =
        "usage: secretgate rules list [--rules PATH] [--config FILE] [--format text|json]\n"
        "       secretgate rules test [--rules PATH] [--config FILE] [RULE-ID...]\n"
        "\n"
        "'list' prints every rule in force; 'test' runs each rule on its examples and\n"
        "negative examples and exits 1 when one does not behave.\n"
        "\n"
        "Example:\n"
        "  secretgate rules test --rules my-rules/\n";

static int rules_list(const cli_options *o, const sg_ruleset *rs)
{
	int json = !strcmp(o->format, "json") || !strcmp(o->format, "jsonl");
	if (json)
		fputs("[", stdout);
	for (size_t i = 0; i < sg_ruleset_count(rs); i++) {
		const sg_rule *r = sg_ruleset_get(rs, i);
		if (json) {
			printf("%s\n{\"id\":\"%s\",\"severity\":\"%s\",\"enabled\":%s,"
			       "\"checksum\":",
			       i ? "," : "", sg_rule_id(r), sg_severity_name(sg_rule_severity(r)),
			       sg_rule_enabled(r) ? "true" : "false");
			if (sg_rule_checksum(r))
				printf("\"%s\"", sg_rule_checksum(r));
			else
				fputs("null", stdout);
			fputs(",\"description\":\"", stdout);
			for (const char *p = sg_rule_description(r); *p; p++)
				if (*p == '"' || *p == '\\')
					printf("\\%c", *p);
				else if ((unsigned char)*p >= 0x20)
					putchar(*p);
			fputs("\"}", stdout);
		} else {
			printf("%-32s %-8s %s%s\n", sg_rule_id(r),
			       sg_severity_name(sg_rule_severity(r)), sg_rule_description(r),
			       sg_rule_enabled(r) ? "" : " (disabled)");
		}
	}
	if (json)
		fputs("\n]\n", stdout);
	return EXIT_CLEAN;
}

static int wanted(const sg_rule *r, char **ids, int nids)
{
	if (nids == 0)
		return 1;
	for (int i = 0; i < nids; i++)
		if (!strcmp(ids[i], sg_rule_id(r)))
			return 1;
	return 0;
}

static int rules_test(const cli_options *o, const sg_ruleset *rs, char **ids, int nids)
{
	size_t rules = 0, checks = 0, failures = 0;
	for (size_t i = 0; i < sg_ruleset_count(rs); i++) {
		const sg_rule *r = sg_ruleset_get(rs, i);
		if (!wanted(r, ids, nids))
			continue;
		rules++;
		if (sg_rule_example_count(r, 0) == 0) {
			printf("FAIL %s: no examples\n", sg_rule_id(r));
			failures++;
		}
		for (int neg = 0; neg <= 1; neg++)
			for (size_t k = 0; k < sg_rule_example_count(r, neg); k++) {
				const char *ex = sg_rule_example(r, neg, k);
				int m = sg_rule_matches(r, ex, strlen(ex));
				checks++;
				if (m < 0) {
					printf("FAIL %s: %s\n", sg_rule_id(r), sg_error_last());
					failures++;
					break;
				}
				if (m != !neg) {
					printf("FAIL %s: %s %zu %s\n", sg_rule_id(r),
					       neg ? "negative example" : "example", k + 1,
					       neg ? "matched" : "did not match");
					failures++;
				}
			}
	}
	if (!o->quiet)
		printf("rules: %zu rules, %zu examples checked, %zu failed\n", rules, checks,
		       failures);
	return failures ? EXIT_FINDINGS : EXIT_CLEAN;
}

int cmd_rules(int argc, char **argv)
{
	cli_options o = CLI_OPTIONS_INIT;
	const char *sub = NULL;
	char **ids = argv;
	int nids = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(rules_help, stdout);
			return EXIT_CLEAN;
		}
		if (a[0] == '-') {
			int r = cli_parse_common(&o, argc, argv, &i);
			if (r == 1)
				continue;
			if (r == 0)
				cli_error("usage", "unknown option '%s' for rules", a);
			return EXIT_ERROR;
		}
		if (!sub)
			sub = a;
		else
			ids[nids++] = argv[i];
	}
	if (!sub || (strcmp(sub, "list") && strcmp(sub, "test"))) {
		cli_error("usage", "rules wants 'list' or 'test' (see 'secretgate rules --help')");
		return EXIT_ERROR;
	}
	cli_context ctx;
	if (cli_context_load(&ctx, &o, NULL) < 0)
		return EXIT_ERROR;
	int rc = !strcmp(sub, "list") ? rules_list(&o, ctx.rules)
	                              : rules_test(&o, ctx.rules, ids, nids);
	cli_context_free(&ctx);
	return rc;
}
