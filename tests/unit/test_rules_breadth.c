/* Provider breadth: every rule family file is exercised by tokens generated
 * at run time (seeded), in several file syntaxes, through the full default
 * rule set. Context rules (plain hex, base64 or UUID keys) must fire next to
 * the provider's name and stay silent under an unrelated name; random
 * digests and ids in code must not trip any of the provider families. */
#include "helpers.h"

#define MIN_RULES 700
#define SEEDS     6

/* token spec: literal text plus {c:n} (c = alphabet below) or {uuid} */
static const char *alphabet(char c)
{
	switch (c) {
	case 'a':
		return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	case 'h':
		return "0123456789abcdef";
	case 'H':
		return "0123456789ABCDEF";
	case 'u':
		return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
	case 'b':
		return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	case 'l':
		return "abcdefghijklmnopqrstuvwxyz0123456789";
	case 'U':
		return "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	case 'L':
		return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	case 'd':
		return "0123456789";
	case '2':
		return "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	default:
		return NULL;
	}
}

static void expand(char *out, size_t cap, const char *spec, uint32_t *seed)
{
	size_t at = 0;
	for (const char *p = spec; *p && at + 1 < cap;) {
		if (p[0] == '{' && strncmp(p, "{uuid}", 6) == 0) {
			static const int groups[] = {8, 4, 4, 4, 12};
			for (int g = 0; g < 5; g++) {
				if (g)
					out[at++] = '-';
				test_random_string(out + at, (size_t)groups[g], alphabet('h'),
				                   seed);
				at += (size_t)groups[g];
			}
			p += 6;
		} else if (p[0] == '{' && alphabet(p[1]) && p[2] == ':') {
			char *end;
			size_t n = strtoul(p + 3, &end, 10);
			assert_true(*end == '}' && at + n + 1 < cap);
			test_random_string(out + at, n, alphabet(p[1]), seed);
			at += n;
			p = end + 1;
		} else {
			out[at++] = *p++;
		}
	}
	out[at] = '\0';
}

typedef struct entry {
	const char *family; /* rules/<family>.yaml */
	const char *rule;   /* the rule expected to report it */
	const char *spec;
	const char *var; /* variable the value is assigned to */
	int context;     /* 1: the rule needs the provider's name nearby */
	const char *path;
} entry;

/* Prefixes are split so this file holds no token-shaped literal. */
static const entry entries[] = {
        /* families that predate the breadth work: one representative each */
        {"ai", "llamacloud-api-key",
         "ll"
         "x-{a:48}",
         "llama_cloud_key", 0, NULL},
        {"aws", "aws-access-key-id",
         "AK"
         "IA{2:16}",
         "aws_access_key_id", 0, NULL},
        {"azure", "azure-ad-client-secret", "{a:3}8Q~{u:34}", "azure_client_secret", 0, NULL},
        {"cloud", "digitalocean-pat",
         "do"
         "p_v1_{h:64}",
         "do_token", 0, NULL},
        {"connection-strings", "postgres-uri",
         "postgres://svc:{a:18}@db-{l:6}.prod.internal:5432/app", "database_url", 0, NULL},
        {"credential-files", "netrc-password", "{a:20}", NULL, 0, ".netrc"},
        {"crypto", "age-secret-key", NULL, NULL, 0, NULL},
        {"generic", "generic-password", "{a:20}", "db_password", 0, NULL},
        {"github", "github-fine-grained-pat",
         "github"
         "_pat_{a:22}_{a:59}",
         "gh_token", 0, NULL},
        {"gitlab", "gitlab-pat",
         "gl"
         "pat-{u:20}",
         "gitlab_token", 0, NULL},
        {"google", "gcp-api-key",
         "AI"
         "za{u:35}",
         "google_api_key", 0, NULL},
        {"private-keys", "wireguard-private-key", NULL, NULL, 0, "wg0.conf"},
        {"registries", "dockerhub-pat",
         "dckr"
         "_pat_{u:27}",
         "docker_token", 0, NULL},
        {"slack", "slack-bot-token",
         "xo"
         "xb-{d:12}-{d:13}-{a:24}",
         "slack_token", 0, NULL},
        {"stripe", "stripe-secret-key",
         "sk"
         "_live_{a:32}",
         "stripe_key", 0, NULL},
        {"payments", "mercadopago-access-token",
         "APP"
         "_USR-{d:16}-{d:6}-{h:32}-{d:9}",
         "mp_token", 0, NULL},
        {"messaging", "pubnub-secret-key",
         "sec"
         "-c-{a:48}",
         "pubnub_secret", 0, NULL},
        {"messaging", "matrix-access-token",
         "sy"
         "t_{u:12}_{a:20}_{a:6}",
         "matrix_token", 0, NULL},
        {"messaging", "sinch-api-secret", "{u:32}", "sinch_key_secret", 1, NULL},
        /* the breadth families: prefixed formats and context rules */
        {"observability", "axiom-api-token",
         "xa"
         "at-{uuid}",
         "axiom_token", 0, NULL},
        {"observability", "checkly-api-key",
         "cu"
         "_{h:32}",
         "checkly_key", 0, NULL},
        {"observability", "bugsnag-api-key", "{h:32}", "bugsnag_api_key", 1, NULL},
        {"observability", "sumologic-access-key", "{a:64}", "sumologic_access_key", 1, NULL},
        {"analytics", "configcat-sdk-key",
         "configcat"
         "-sdk-1/{u:22}/{u:22}",
         "configcat_key", 0, NULL},
        {"analytics", "amplitude-api-key", "{h:32}", "amplitude_secret_key", 1, NULL},
        {"analytics", "braze-api-key", "{uuid}", "braze_rest_api_key", 1, NULL},
        {"databases", "astra-db-token",
         "Astra"
         "CS:{L:24}:{h:64}",
         "astra_token", 0, NULL},
        {"databases", "xata-api-key",
         "xa"
         "u_{a:36}",
         "xata_key", 0, NULL},
        {"databases", "typesense-api-key", "{a:32}", "typesense_api_key", 1, NULL},
        {"security", "onepassword-secret-key",
         "A"
         "3-{U:6}-{U:11}-{U:5}-{U:5}-{U:5}",
         "op_secret_key", 0, NULL},
        {"security", "auth0-client-secret", "{u:64}", "auth0_client_secret", 1, NULL},
        {"security", "shodan-api-key", "{a:32}", "shodan_api_key", 1, NULL},
        {"productivity", "youtrack-permanent-token",
         "pe"
         "rm:{a:8}.{a:8}.{a:30}",
         "youtrack_token", 0, NULL},
        {"productivity", "todoist-api-token", "{h:40}", "todoist_api_token", 1, NULL},
        {"crm", "zoho-oauth-token",
         "10"
         "00.{h:32}.{h:32}",
         "zoho_refresh_token", 0, NULL},
        {"crm", "pipedrive-api-token", "{h:40}", "pipedrive_api_token", 1, NULL},
        {"cms-media", "builderio-private-key",
         "bp"
         "k-{h:32}",
         "builder_private_key", 0, NULL},
        {"cms-media", "webflow-api-token", "{h:64}", "webflow_api_token", 1, NULL},
        {"data-apis", "tavily-api-key",
         "tv"
         "ly-{a:32}",
         "tavily_key", 0, NULL},
        {"data-apis", "riot-api-key",
         "RG"
         "API-{uuid}",
         "riot_key", 0, NULL},
        {"data-apis", "openweathermap-api-key", "{h:32}", "openweathermap_api_key", 1, NULL},
        {"devtools", "readme-api-key",
         "rd"
         "me_{l:70}",
         "readme_key", 0, NULL},
        {"devtools", "coveralls-repo-token", "{a:32}", "coveralls_repo_token", 1, NULL},
        {"hosting", "akamai-edgegrid-token",
         "ak"
         "ab-{l:16}-{l:16}",
         "akamai_access_token", 0, NULL},
        {"hosting", "civo-api-key", "{a:50}", "civo_api_key", 1, NULL},
        {"web3", "coingecko-api-key",
         "CG"
         "-{a:25}",
         "coingecko_key", 0, NULL},
        {"web3", "etherscan-api-key", "{U:34}", "etherscan_api_key", 1, NULL},
};

static const char *const syntaxes[] = {
        "%s = \"%s\"\n",      "const %s = '%s';\n",
        "%s: %s\n",           "%s=%s\n",
        "{\"%s\": \"%s\"}\n", "%s := \"%s\"\n",
        "ENV %s=%s\n",        "  <add key=\"%s\" value=\"%s\" />\n",
};
#define NSYN (sizeof(syntaxes) / sizeof(syntaxes[0]))

static sg_ruleset *rules;

static int setup(void **state)
{
	(void)state;
	if (sg_ruleset_new_default(&rules) < 0 || sg_ruleset_finalize(rules) < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sg_ruleset_free(rules);
	return 0;
}

/* family of a rule: the basename of its source file without ".yaml" */
static void family_of(const sg_rule *r, char *out, size_t cap)
{
	const char *src = sg_rule_source(r), *b = strrchr(src, '/');
	b = b ? b + 1 : src;
	size_t n = strcspn(b, ".");
	snprintf(out, cap, "%.*s", (int)n, b);
}

static int is_breadth_family(const char *fam)
{
	static const char *const f[] = {"observability", "analytics", "databases", "security",
	                                "productivity",  "crm",       "cms-media", "data-apis",
	                                "devtools",      "hosting",   "web3"};
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (strcmp(fam, f[i]) == 0)
			return 1;
	return 0;
}

typedef struct scan_result {
	int expected;   /* the expected rule reported */
	int breadth;    /* some breadth-family rule reported */
	char first[96]; /* first rule reported, for messages */
} scan_result;

static scan_result scan(const char *text, const char *path, const char *rule)
{
	scan_result res = {0, 0, ""};
	sg_scanner *s;
	sg_findings f;
	assert_int_equal(sg_scanner_new(&s, rules, NULL), 0);
	sg_findings_init(&f, 0);
	sg_origin o = {path ? path : "src/settings.txt", NULL, NULL, NULL, NULL, NULL};
	assert_int_equal(sg_scanner_scan(s, text, strlen(text), &o, NULL, &f), 0);
	for (size_t i = 0; i < f.count; i++) {
		char fam[64];
		const sg_rule *r = sg_ruleset_find(rules, f.items[i].rule_id);
		family_of(r, fam, sizeof(fam));
		if (i == 0)
			snprintf(res.first, sizeof(res.first), "%s", f.items[i].rule_id);
		res.expected |= rule && strcmp(f.items[i].rule_id, rule) == 0;
		res.breadth |= is_breadth_family(fam);
	}
	sg_findings_free(&f);
	sg_scanner_free(s);
	return res;
}

static void test_rule_count(void **state)
{
	(void)state;
	if (sg_ruleset_count(rules) < MIN_RULES)
		fail_msg("%zu rules, want at least %d", sg_ruleset_count(rules), MIN_RULES);
}

/* Every family file has an entry here, so a new file cannot go untested. */
static void test_every_family_has_a_case(void **state)
{
	(void)state;
	for (size_t i = 0; i < sg_ruleset_count(rules); i++) {
		char fam[64];
		family_of(sg_ruleset_get(rules, i), fam, sizeof(fam));
		int found = 0;
		for (size_t e = 0; e < sizeof(entries) / sizeof(entries[0]) && !found; e++)
			found = strcmp(entries[e].family, fam) == 0;
		if (!found)
			fail_msg("family %s has no case in test_rules_breadth.c", fam);
	}
	for (size_t e = 0; e < sizeof(entries) / sizeof(entries[0]); e++) {
		const sg_rule *r = sg_ruleset_find(rules, entries[e].rule);
		if (!r)
			fail_msg("no rule %s", entries[e].rule);
		char fam[64];
		family_of(r, fam, sizeof(fam));
		if (strcmp(fam, entries[e].family) != 0)
			fail_msg("rule %s lives in %s, not %s", entries[e].rule, fam,
			         entries[e].family);
	}
}

/* The few formats that need more than a spec: a Bech32 age key and files. */
static void special_text(const entry *e, uint32_t seed, char *text, size_t cap)
{
	char v[128];
	if (strcmp(e->rule, "netrc-password") == 0) {
		expand(v, sizeof(v), e->spec, &seed);
		snprintf(text, cap,
		         "machine api.internal.example login deploy pass"
		         "word %s\n",
		         v);
	} else if (strcmp(e->rule, "wireguard-private-key") == 0) {
		/* 32 random bytes in base64: 43 characters and '=' */
		static const char b64[] =
		        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
		test_random_string(v, 42, b64, &seed);
		v[42] = "AEIMQUYcgkosw048"[seed % 16];
		v[43] = '=';
		v[44] = '\0';
		snprintf(text, cap,
		         "[Interface]\nPrivate"
		         "Key = %s\nAddress = 10.8.0.2/32\n",
		         v);
	} else {
		/* age: Bech32 (BCH checksum) over 32 random bytes */
		static const char cs[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
		const char *hrp = "age-secret-key-";
		uint8_t d[64 + 6];
		size_t n = 0;
		uint32_t bits = 0, acc = 0;
		char raw[33];
		test_random_string(raw, 32, "abcdefghijklmnopqrstuvwxyz012345", &seed);
		for (size_t i = 0; i < 32; i++) {
			acc = acc << 8 | (uint8_t)raw[i];
			bits += 8;
			while (bits >= 5)
				d[n++] = (acc >> (bits -= 5)) & 31;
		}
		if (bits)
			d[n++] = (acc << (5 - bits)) & 31;
		static const uint32_t gen[] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd,
		                               0x2a1462b3};
		uint32_t chk = 1;
		size_t hl = strlen(hrp);
		uint8_t pre[64];
		size_t pn = 0;
		for (size_t i = 0; i < hl; i++)
			pre[pn++] = (uint8_t)(hrp[i] >> 5);
		pre[pn++] = 0;
		for (size_t i = 0; i < hl; i++)
			pre[pn++] = hrp[i] & 31;
		for (size_t i = 0; i < pn + n + 6; i++) {
			uint8_t x = i < pn ? pre[i] : i < pn + n ? d[i - pn] : 0;
			uint32_t top = chk >> 25;
			chk = ((chk & 0x1ffffff) << 5) ^ x;
			for (int g = 0; g < 5; g++)
				if ((top >> g) & 1)
					chk ^= gen[g];
		}
		chk ^= 1;
		for (int i = 0; i < 6; i++)
			d[n + (size_t)i] = (chk >> (5 * (5 - i))) & 31;
		char key[160] = "AGE-SECRET-"
		                "KEY-1";
		size_t at = strlen(key);
		for (size_t i = 0; i < n + 6; i++)
			key[at++] = (char)(cs[d[i]] - 32 * (cs[d[i]] >= 'a'));
		key[at] = '\0';
		snprintf(text, cap, "# created: 2025-01-01\n%s\n", key);
	}
}

static void test_families_found_in_every_syntax(void **state)
{
	(void)state;
	size_t tried = 0, found = 0;
	for (size_t e = 0; e < sizeof(entries) / sizeof(entries[0]); e++) {
		const entry *en = &entries[e];
		for (uint32_t k = 0; k < SEEDS; k++) {
			uint32_t seed = (uint32_t)(e * 7919 + k * 104729 + 17);
			char sec[512], text[1024];
			if (!en->spec || !en->var) {
				special_text(en, seed, text, sizeof(text));
				scan_result r = scan(text, en->path, en->rule);
				tried++, found += r.expected;
				if (!r.expected)
					fail_msg("%s: not found (got %s) in:\n%s", en->rule,
					         r.first, text);
				continue;
			}
			expand(sec, sizeof(sec), en->spec, &seed);
			for (size_t y = 0; y < NSYN; y++) {
				snprintf(text, sizeof(text), syntaxes[y], en->var, sec);
				scan_result r = scan(text, en->path, en->rule);
				tried++, found += r.expected;
				if (!r.expected)
					fail_msg("%s: not found (got '%s') in: %s", en->rule,
					         r.first, text);
			}
		}
	}
	assert_int_equal(tried, found);
}

/* A context rule's value under an unrelated name is not that provider's. */
static void test_context_rules_need_the_provider_name(void **state)
{
	(void)state;
	static const char *const names[] = {"checksum", "build_id", "commit", "digest",
	                                    "nonce_hex"};
	for (size_t e = 0; e < sizeof(entries) / sizeof(entries[0]); e++) {
		const entry *en = &entries[e];
		if (!en->context)
			continue;
		for (uint32_t k = 0; k < SEEDS; k++) {
			uint32_t seed = (uint32_t)(e * 31 + k * 977 + 5);
			char sec[512], text[1024];
			expand(sec, sizeof(sec), en->spec, &seed);
			for (size_t y = 0; y < NSYN; y++) {
				snprintf(text, sizeof(text), syntaxes[y], names[(k + y) % 5], sec);
				scan_result r = scan(text, NULL, en->rule);
				if (r.expected || r.breadth)
					fail_msg("%s: reported without its provider's name: %s",
					         r.first, text);
			}
		}
	}
}

/* Digests, ids and encoded blobs that fill real code: no provider finding. */
static void test_hard_negatives(void **state)
{
	(void)state;
	static const char *const specs[] = {
	        "{h:32}", "{h:40}", "{h:64}", "{uuid}", "{b:44}", "{u:43}",
	        "{a:32}", "{U:34}", "{a:40}", "{h:24}", "{d:16}", "{l:26}",
	};
	static const char *const lines[] = {
	        "integrity = \"sha512-%s\"\n",
	        "const sha = '%s';\n",
	        "  \"resolved\": \"https://registry.example.org/x/-/x-1.0.0.tgz#%s\",\n",
	        "commit: %s\n",
	        "ETag: \"%s\"\n",
	        "id = \"%s\"  # request id\n",
	        "<Checksum>%s</Checksum>\n",
	        "hash_%s.js\n",
	        "let cacheKey = `%s`;\n",
	        "SESSION_ID=%s\n",
	};
	uint32_t seed = 99;
	for (size_t s = 0; s < sizeof(specs) / sizeof(specs[0]); s++)
		for (size_t l = 0; l < sizeof(lines) / sizeof(lines[0]); l++)
			for (int k = 0; k < 4; k++) {
				char v[256], text[512];
				expand(v, sizeof(v), specs[s], &seed);
				snprintf(text, sizeof(text), lines[l], v);
				scan_result r = scan(text, "src/app.js", NULL);
				if (r.breadth)
					fail_msg("%s reported a hard negative: %s", r.first, text);
			}
}

/* Same bytes, same confidence and severity: the provider rule is kept even
 * when its id sorts after the catch-all's. */
static void test_provider_rule_beats_generic(void **state)
{
	(void)state;
	sg_ruleset *rs;
	assert_int_equal(sg_ruleset_new_empty(&rs), 0);
	const char *y = "rules:\n"
	                "  - id: generic-thing\n    keywords: [key]\n"
	                "    pattern: 'key = (?<secret>[a-z]{12})'\n"
	                "    severity: high\n    confidence: medium\n"
	                "  - id: zzz-provider\n    keywords: [zzz]\n"
	                "    pattern: 'zzz_key = (?<secret>[a-z]{12})'\n"
	                "    severity: high\n    confidence: medium\n";
	assert_int_equal(sg_ruleset_add_yaml(rs, "t.yaml", y, strlen(y)), 0);
	assert_int_equal(sg_ruleset_finalize(rs), 0);
	sg_scanner *s;
	sg_findings f;
	assert_int_equal(sg_scanner_new(&s, rs, NULL), 0);
	sg_findings_init(&f, 0);
	const char *text = "zzz_key = qwertyuiopas\n";
	assert_int_equal(sg_scanner_scan(s, text, strlen(text), NULL, NULL, &f), 0);
	assert_int_equal(f.count, 1);
	assert_string_equal(f.items[0].rule_id, "zzz-provider");
	sg_findings_free(&f);
	sg_scanner_free(s);
	sg_ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_rule_count),
	        cmocka_unit_test(test_every_family_has_a_case),
	        cmocka_unit_test(test_families_found_in_every_syntax),
	        cmocka_unit_test(test_context_rules_need_the_provider_name),
	        cmocka_unit_test(test_hard_negatives),
	        cmocka_unit_test(test_provider_rule_beats_generic),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
