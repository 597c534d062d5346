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
#include "secretgate/manifest.h"

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

/* The group fixture of the engine tests: `rs`, the AWS rule compiled once,
 * with the setup and teardown functions cmocka's group runner takes. */
#define TEST_AWS_RULESET_GROUP()                                                                   \
	static sg_ruleset *rs;                                                                     \
	static int setup(void **state)                                                             \
	{                                                                                          \
		(void)state;                                                                       \
		rs = test_ruleset(test_aws_rule);                                                  \
		return 0;                                                                          \
	}                                                                                          \
	static int teardown(void **state)                                                          \
	{                                                                                          \
		(void)state;                                                                       \
		sg_ruleset_free(rs);                                                               \
		return 0;                                                                          \
	}

/* A scratch directory /tmp/sg-NAME-XXXXXX for a test group, and its removal. */
static inline void test_tmpdir_make(char dir[64], const char *name)
{
	snprintf(dir, 64, "/tmp/sg-%s-XXXXXX", name);
	assert_non_null(mkdtemp(dir));
}

static inline void test_tmpdir_remove(const char *dir)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* An env manifest parsed from text as "env.yml"; the error is printed when
 * it does not parse. */
static inline sg_manifest *test_manifest_load(const char *text)
{
	sg_manifest *m = NULL;
	int rc = sg_manifest_parse(&m, "env.yml", text, strlen(text));
	if (rc)
		print_message("error: %s\n", sg_error_last());
	assert_int_equal(rc, 0);
	return m;
}

#endif
