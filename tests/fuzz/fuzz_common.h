/* Shared by the fuzz targets: a fixed rule set that exercises every filter
 * the engine has (entropy, checksum, allow patterns, stop-words, path globs,
 * multi-line secrets and a pattern that backtracks), on top of the embedded
 * defaults, and a sink that discards report output. */
#ifndef SG_FUZZ_COMMON_H
#define SG_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "secretgate/secretgate.h"

static const char fuzz_rules_yaml[] =
        "rules:\n"
        "  - id: fuzz-assign\n"
        "    keywords: [password, secret, token, api_key]\n"
        "    pattern: "
        "'(?i)(?:password|secret|token|api_key)\\s*[:=]\\s*[\"'']?(?<secret>[A-Za-z0-9_\\-+/"
        "=]{8,64})'\n"
        "    entropy: 2.5\n"
        "    stopwords: [sample]\n"
        "    allow: ['^test']\n"
        "  - id: fuzz-prefixed\n"
        "    keywords: [ghp_, npm_]\n"
        "    pattern: '\\b(?<secret>(?:ghp|npm)_[A-Za-z0-9]{36})\\b'\n"
        "    checksum: github\n"
        "  - id: fuzz-pem\n"
        "    keywords: ['-----BEGIN']\n"
        "    pattern: '-----BEGIN [A-Z ]*PRIVATE KEY-----(?<secret>(?s:.{16,4096}?))-----END'\n"
        "    window: 8192\n"
        "  - id: fuzz-backtrack\n"
        "    keywords: [aaa]\n"
        "    pattern: '(?<secret>(a+)+b)'\n"
        "    confidence: low\n"
        "  - id: fuzz-paths\n"
        "    keywords: [pathkey]\n"
        "    pattern: 'pathkey=(\\w{6,})'\n"
        "    paths: ['**/*.env', 'config/[a-c]*.y?ml']\n"
        "    not_paths: ['**/test/**']\n";

/* Report output goes nowhere; writing it still runs every escaper. */
static inline FILE *fuzz_null(void)
{
	static FILE *f;
	if (!f)
		f = fopen("/dev/null", "w");
	return f;
}

/* The embedded rules plus fuzz_rules_yaml, finalised, and one scanner over
 * them with options so; a set-up failure aborts naming the target. */
static inline sg_ruleset *fuzz_rules_and_scanner(sg_scanner **scanner, const sg_scan_options *so,
                                                 const char *who)
{
	sg_ruleset *rules = NULL;
	if (sg_ruleset_new_default(&rules) < 0 ||
	    sg_ruleset_add_yaml(rules, "fuzz-rules", fuzz_rules_yaml, strlen(fuzz_rules_yaml)) <
	            0 ||
	    sg_ruleset_finalize(rules) < 0 || sg_scanner_new(scanner, rules, so) < 0) {
		fprintf(stderr, "%s: setup: %s\n", who, sg_error_last());
		abort();
	}
	return rules;
}

#endif
