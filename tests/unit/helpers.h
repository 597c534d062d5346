/* Shared by the unit tests: cmocka includes and small builders. Secret-looking
 * strings are assembled at run time so the repository holds none. */
#ifndef SG_TEST_HELPERS_H
#define SG_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "secretgate/secretgate.h"

/* A deterministic pseudo-random string over an alphabet. */
static inline void test_random_string(char *out, size_t n, const char *alphabet, uint32_t *seed)
{
	size_t k = strlen(alphabet);
	uint32_t x = *seed * 2654435761u + 0x9e3779b9u;
	for (size_t i = 0; i < n; i++) {
		/* xorshift32: cheap and well spread, unlike a low-bit LCG */
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		out[i] = alphabet[x % k];
	}
	*seed = x;
	out[n] = '\0';
}

/* An AWS-style access key id: "AK" "IA" + 16 of A-Z2-7. */
static inline void test_aws_key(char out[21], uint32_t seed)
{
	out[0] = 'A';
	out[1] = 'K';
	out[2] = 'I';
	out[3] = 'A';
	test_random_string(out + 4, 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", &seed);
}

/* Run a shell command in DIR with git's identity and configuration pinned,
 * output discarded: the throw-away repositories of the git tests. */
static inline int test_sh(const char *dir, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
static inline int test_sh(const char *dir, const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	int n = snprintf(cmd, sizeof(cmd),
	                 "cd '%s' && export GIT_CONFIG_NOSYSTEM=1 "
	                 "GIT_CONFIG_GLOBAL=/dev/null GIT_AUTHOR_NAME=Ada "
	                 "GIT_AUTHOR_EMAIL=ada@example.com GIT_COMMITTER_NAME=Ada "
	                 "GIT_COMMITTER_EMAIL=ada@example.com && (",
	                 dir);
	n += vsnprintf(cmd + n, sizeof(cmd) - (size_t)n, fmt, ap);
	va_end(ap);
	snprintf(cmd + n, sizeof(cmd) - (size_t)n, ") >/dev/null 2>&1");
	return system(cmd);
}

/* A rule set from YAML text, finalized. */
static inline sg_ruleset *test_ruleset(const char *yaml)
{
	sg_ruleset *rs = NULL;
	assert_int_equal(sg_ruleset_new_empty(&rs), 0);
	if (sg_ruleset_add_yaml(rs, "test.yaml", yaml, strlen(yaml)) != 0)
		fail_msg("rules: %s", sg_error_last());
	assert_int_equal(sg_ruleset_finalize(rs), 0);
	return rs;
}

static const char test_aws_rule[] =
        "rules:\n"
        "  - id: test-aws\n"
        "    description: test AWS key id\n"
        "    severity: critical\n"
        "    confidence: high\n"
        "    keywords: [akia]\n"
        "    pattern: '\\b(?<secret>AKIA[A-Z2-7]{16})\\b'\n"
        "    entropy: 3.0\n"
        "  - id: test-generic\n"
        "    severity: medium\n"
        "    confidence: low\n"
        "    keywords: [key]\n"
        "    pattern: '(?i)key\\s*[=:]\\s*\"(?<secret>[A-Za-z0-9]{16,})\"'\n"
        "    entropy: 3.0\n";

#endif
