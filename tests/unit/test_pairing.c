/* Two-part credentials (src/lib/engine/pairing.c) with the default rules:
 * an id and its secret near each other are one finding, a part alone says
 * which part it is, ids that are no secret alone are dropped, and the
 * schema's mistakes are errors. */
#include "helpers.h"

static sg_ruleset *rs;

static int setup(void **state)
{
	(void)state;
	assert_int_equal(sg_ruleset_new_default(&rs), 0);
	assert_int_equal(sg_ruleset_finalize(rs), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sg_ruleset_free(rs);
	return 0;
}

static void scan(const sg_ruleset *set, const char *path, const char *text, sg_findings *out)
{
	sg_scanner *s;
	assert_int_equal(sg_scanner_new(&s, set, NULL), 0);
	sg_origin origin = {.path = path};
	sg_findings_init(out, 0);
	assert_int_equal(sg_scanner_scan(s, text, strlen(text), &origin, NULL, out), 0);
	sg_scanner_free(s);
}

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char HEX[] = "0123456789abcdef";
static const char ALNUM_LOWER[] = "abcdefghijklmnopqrstuvwxyz0123456789";

static void aws_secret(char out[41], uint32_t seed)
{
	test_random_string(out, 40, B64, &seed);
}

/* "AC" + 32 hex: a Twilio account SID */
static void twilio_sid(char out[35], uint32_t seed)
{
	out[0] = 'A';
	out[1] = 'C';
	test_random_string(out + 2, 32, HEX, &seed);
}

static void twilio_token(char out[33], uint32_t seed)
{
	test_random_string(out, 32, HEX, &seed);
}

static const sg_finding *find_rule(const sg_findings *f, const char *rule)
{
	for (size_t i = 0; i < f->count; i++)
		if (!strcmp(f->items[i].rule_id, rule))
			return &f->items[i];
	return NULL;
}

static void assert_pair(const sg_finding *x, const char *rule, const char *with, uint32_t line,
                        const char *id)
{
	assert_non_null(x);
	assert_string_equal(x->rule_id, rule);
	assert_non_null(x->pair);
	assert_string_equal(x->pair, "both");
	assert_string_equal(x->pair_rule, with);
	assert_int_equal(x->pair_line, line);
	assert_non_null(x->pair_secret);
	assert_string_equal(x->pair_secret, id);
	assert_int_equal(x->pair_secret_len, strlen(id));
}

static void test_env_pair(void **state)
{
	(void)state;
	char id[21], sec[41], text[256];
	test_aws_key(id, 11);
	aws_secret(sec, 12);
	snprintf(text, sizeof(text), "AWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\n", id, sec);
	sg_findings f;
	scan(rs, ".env", text, &f);
	assert_int_equal(f.count, 1);
	assert_pair(&f.items[0], "aws-secret-access-key", "aws-access-key-id", 1, id);
	assert_int_equal(f.items[0].line, 2);
	assert_int_equal(f.items[0].pair_column, 19);
	assert_string_equal(f.items[0].secret, sec);
	/* the secret's own fingerprint: baselines made before pairing still match */
	char fp[64];
	sg_fingerprint(fp, "aws-secret-access-key", sec, strlen(sec));
	assert_string_equal(f.items[0].fingerprint, fp);
	sg_findings_free(&f);
}

static void test_json_pair(void **state)
{
	(void)state;
	char digits[13], body[33], sec[29], text[512];
	uint32_t seed = 21;
	test_random_string(digits, 12, "0123456789", &seed);
	test_random_string(body, 32, ALNUM_LOWER, &seed);
	test_random_string(sec, 28,
	                   "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", &seed);
	char id[128];
	snprintf(id, sizeof(id), "%s-%s.apps.googleusercontent.com", digits, body);
	snprintf(text, sizeof(text),
	         "{\n  \"web\": {\n    \"client_id\": \"%s\",\n    \"project_id\": \"demo\",\n"
	         "    \"client_secret\": \"GOCSPX-%s\"\n  }\n}\n",
	         id, sec);
	sg_findings f;
	scan(rs, "client_secret.json", text, &f);
	assert_int_equal(f.count, 1);
	assert_pair(&f.items[0], "google-oauth-client-secret", "google-oauth-client-id", 3, id);
	sg_findings_free(&f);
}

static void test_yaml_pair(void **state)
{
	(void)state;
	char guid[37], sec[41], text[512];
	uint32_t seed = 31;
	char h[33];
	test_random_string(h, 32, HEX, &seed);
	snprintf(guid, sizeof(guid), "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
	char a[4], b[35];
	test_random_string(a, 3, "abcdefghijklmnopqrstuvwxyz", &seed);
	test_random_string(b, 34, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
	                   &seed);
	snprintf(sec, sizeof(sec), "%s7Q~%s", a, b);
	snprintf(text, sizeof(text),
	         "env:\n  AZURE_TENANT_ID: common\n  AZURE_CLIENT_ID: %s\n  AZURE_CLIENT_SECRET: "
	         "%s\n",
	         guid, sec);
	sg_findings f;
	scan(rs, "deploy.yaml", text, &f);
	assert_int_equal(f.count, 1);
	assert_pair(&f.items[0], "azure-ad-client-secret", "azure-ad-client-id", 3, guid);
	sg_findings_free(&f);
}

static void test_code_pair(void **state)
{
	(void)state;
	char sid[35], tok[33], text[512];
	twilio_sid(sid, 41);
	twilio_token(tok, 42);
	snprintf(text, sizeof(text),
	         "from twilio.rest import Client\n\n"
	         "account_sid = \"%s\"\n"
	         "twilio_auth_token = \"%s\"\n"
	         "client = Client(account_sid, twilio_auth_token)\n",
	         sid, tok);
	sg_findings f;
	scan(rs, "send.py", text, &f);
	assert_int_equal(f.count, 1);
	assert_pair(&f.items[0], "twilio-auth-token", "twilio-account-sid", 3, sid);
	sg_findings_free(&f);
}

static void test_secret_only(void **state)
{
	(void)state;
	char sec[41], text[128];
	aws_secret(sec, 51);
	snprintf(text, sizeof(text), "aws_secret_access_key = %s\n", sec);
	sg_findings f;
	scan(rs, "settings.py", text, &f);
	const sg_finding *x = find_rule(&f, "aws-secret-access-key");
	assert_non_null(x);
	assert_string_equal(x->pair, "secret only");
	assert_string_equal(x->pair_rule, "aws-access-key-id");
	assert_null(x->pair_secret);
	sg_findings_free(&f);
}

static void test_id_only_reported(void **state)
{
	(void)state;
	char id[21], text[128];
	test_aws_key(id, 61);
	snprintf(text, sizeof(text), "AWS_ACCESS_KEY_ID=%s\n", id);
	sg_findings f;
	scan(rs, ".env", text, &f);
	assert_int_equal(f.count, 1);
	assert_string_equal(f.items[0].rule_id, "aws-access-key-id");
	assert_string_equal(f.items[0].pair, "id only");
	assert_string_equal(f.items[0].pair_rule, "aws-secret-access-key");
	sg_findings_free(&f);
}

/* A Twilio account SID is an identifier: alone it is not reported. */
static void test_id_alone_dropped(void **state)
{
	(void)state;
	char sid[35], text[128];
	twilio_sid(sid, 71);
	snprintf(text, sizeof(text), "TWILIO_ACCOUNT_SID=%s\n", sid);
	sg_findings f;
	scan(rs, ".env", text, &f);
	assert_int_equal(f.count, 0);
	sg_findings_free(&f);
}

static void test_two_pairs_one_file(void **state)
{
	(void)state;
	char id1[21], id2[21], s1[41], s2[41], text[512];
	test_aws_key(id1, 81);
	test_aws_key(id2, 82);
	aws_secret(s1, 83);
	aws_secret(s2, 84);
	snprintf(text, sizeof(text),
	         "[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n\n"
	         "[deploy]\naws_access_key_id = %s\naws_secret_access_key = %s\n",
	         id1, s1, id2, s2);
	sg_findings f;
	scan(rs, "ini/credentials.ini", text, &f);
	size_t pairs = 0;
	for (size_t i = 0; i < f.count; i++) {
		const sg_finding *x = &f.items[i];
		/* the credentials-file rule is a secret part of the same id rule */
		if (strcmp(x->rule_id, "aws-credentials-file"))
			continue;
		pairs++;
		/* each secret took the id of its own profile, the nearest one */
		assert_pair(x, "aws-credentials-file", "aws-access-key-id", x->line - 1,
		            !strcmp(x->secret, s1) ? id1 : id2);
	}
	assert_int_equal(pairs, 2);
	assert_null(find_rule(&f, "aws-access-key-id"));
	sg_findings_free(&f);
}

static void test_parts_too_far_apart(void **state)
{
	(void)state;
	char id[21], sec[41], sid[35], tok[33], text[1024];
	test_aws_key(id, 91);
	aws_secret(sec, 92);
	twilio_sid(sid, 93);
	twilio_token(tok, 94);
	/* six lines between: one more than the default distance of five */
	snprintf(text, sizeof(text),
	         "AWS_ACCESS_KEY_ID=%s\nTWILIO_ACCOUNT_SID=%s\na=1\nb=2\nc=3\nd=4\n"
	         "AWS_SECRET_ACCESS_KEY=%s\nTWILIO_AUTH_TOKEN=%s\n",
	         id, sid, sec, tok);
	sg_findings f;
	scan(rs, ".env", text, &f);
	assert_int_equal(f.count, 3);
	const sg_finding *x = find_rule(&f, "aws-secret-access-key");
	assert_non_null(x);
	assert_string_equal(x->pair, "secret only");
	x = find_rule(&f, "aws-access-key-id");
	assert_non_null(x);
	assert_string_equal(x->pair, "id only");
	x = find_rule(&f, "twilio-auth-token");
	assert_non_null(x);
	assert_string_equal(x->pair, "secret only");
	/* the SID is not reported alone, even with a token six lines away */
	assert_null(find_rule(&f, "twilio-account-sid"));
	sg_findings_free(&f);
}

static const char pair_rules[] = "rules:\n"
                                 "  - id: t-id\n"
                                 "    keywords: [tid]\n"
                                 "    pattern: 'tid=(?<secret>[a-z]{8})'\n"
                                 "    pair: {with: t-secret, role: id, alone: false}\n"
                                 "  - id: t-secret\n"
                                 "    keywords: [tsec]\n"
                                 "    pattern: 'tsec=(?<secret>[a-z]{8})'\n"
                                 "    pair: {with: t-id, role: secret, within_lines: 1}\n";

static void test_within_lines(void **state)
{
	(void)state;
	sg_ruleset *set = test_ruleset(pair_rules);
	sg_findings f;
	scan(set, "a.txt", "tid=qwkzpmrt\ntsec=bnvhyjuk\n", &f);
	assert_int_equal(f.count, 1);
	assert_string_equal(f.items[0].pair, "both");
	assert_int_equal(f.items[0].pair_line, 1);
	sg_findings_free(&f);
	/* both parts on one line: distance 0 */
	scan(set, "a.txt", "tid=qwkzpmrt tsec=bnvhyjuk\n", &f);
	assert_int_equal(f.count, 1);
	assert_string_equal(f.items[0].pair, "both");
	sg_findings_free(&f);
	/* two lines apart: over the rule's distance of one */
	scan(set, "a.txt", "tid=qwkzpmrt\n\ntsec=bnvhyjuk\n", &f);
	assert_int_equal(f.count, 1);
	assert_string_equal(f.items[0].rule_id, "t-secret");
	assert_string_equal(f.items[0].pair, "secret only");
	sg_findings_free(&f);
	/* the id after the secret pairs too */
	scan(set, "a.txt", "tsec=bnvhyjuk\ntid=qwkzpmrt\n", &f);
	assert_int_equal(f.count, 1);
	assert_string_equal(f.items[0].pair, "both");
	assert_int_equal(f.items[0].pair_line, 2);
	sg_findings_free(&f);
	sg_ruleset_free(set);
}

static int load_error(const char *yaml)
{
	sg_ruleset *set = NULL;
	assert_int_equal(sg_ruleset_new_empty(&set), 0);
	int r = sg_ruleset_add_yaml(set, "bad.yaml", yaml, strlen(yaml));
	if (r == 0)
		r = sg_ruleset_finalize(set);
	sg_ruleset_free(set);
	return r;
}

static void test_schema_errors(void **state)
{
	(void)state;
	const char *head = "rules:\n  - id: a\n    keywords: [aa]\n    pattern: 'aa'\n";
	char y[512];
	snprintf(y, sizeof(y), "%s    pair: {with: nope, role: id}\n", head);
	assert_int_equal(load_error(y), SG_EINVALID);
	assert_non_null(strstr(sg_error_last(), "no rule 'nope'"));
	snprintf(y, sizeof(y), "%s    pair: {with: a, role: id}\n", head);
	assert_int_equal(load_error(y), SG_EINVALID);
	snprintf(y, sizeof(y), "%s    pair: {with: b, role: key}\n", head);
	assert_int_equal(load_error(y), SG_EINVALID);
	assert_non_null(strstr(sg_error_last(), "id or secret"));
	snprintf(y, sizeof(y), "%s    pair: {role: id}\n", head);
	assert_int_equal(load_error(y), SG_EINVALID);
	snprintf(y, sizeof(y), "%s    pair: {with: b, role: secret, alone: false}\n", head);
	assert_int_equal(load_error(y), SG_EINVALID);
	snprintf(y, sizeof(y), "%s    pair: {with: b, role: id, within_lines: 1000}\n", head);
	assert_int_equal(load_error(y), SG_EINVALID);
	snprintf(y, sizeof(y), "%s    pair: {with: b, role: id, near: 2}\n", head);
	assert_int_equal(load_error(y), SG_EINVALID);
	/* two parts of the same role */
	snprintf(y, sizeof(y),
	         "%s    pair: {with: b, role: id}\n  - id: b\n    keywords: [bb]\n"
	         "    pattern: 'bb'\n    pair: {with: a, role: id}\n",
	         head);
	assert_int_equal(load_error(y), SG_EINVALID);
	/* a well-formed pair loads */
	assert_int_equal(load_error(pair_rules), 0);
}

/* A rule replaced by a custom one without a pair leaves no stale partner. */
static void test_replaced_rule(void **state)
{
	(void)state;
	sg_ruleset *set = test_ruleset(pair_rules);
	const char *plain = "rules:\n  - id: t-id\n    keywords: [tid]\n"
	                    "    pattern: 'tid=(?<secret>[a-z]{8})'\n";
	assert_int_equal(sg_ruleset_add_yaml(set, "b.yaml", plain, strlen(plain)), SG_OK);
	assert_int_equal(sg_ruleset_finalize(set), SG_EINVALID); /* t-secret's pair is gone */
	sg_ruleset_free(set);
}

static void test_push_copies_pair(void **state)
{
	(void)state;
	char id[21], sec[41], text[256];
	test_aws_key(id, 101);
	aws_secret(sec, 102);
	snprintf(text, sizeof(text), "AWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\n", id, sec);
	sg_findings f, copy;
	scan(rs, ".env", text, &f);
	sg_findings_init(&copy, 0);
	assert_int_equal(sg_findings_push(&copy, &f.items[0]), 0);
	assert_ptr_not_equal(copy.items[0].pair_secret, f.items[0].pair_secret);
	assert_string_equal(copy.items[0].pair_secret, id);
	sg_findings_free(&f);
	sg_findings_free(&copy);
}

static void test_reports_carry_pair(void **state)
{
	(void)state;
	char id[21], sec[41], text[256];
	test_aws_key(id, 111);
	aws_secret(sec, 112);
	snprintf(text, sizeof(text), "AWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\n", id, sec);
	sg_findings f;
	scan(rs, ".env", text, &f);
	const char *formats[] = {"json", "jsonl", "sarif", "text"};
	for (size_t k = 0; k < 4; k++) {
		char *buf = NULL;
		size_t n = 0;
		FILE *out = open_memstream(&buf, &n);
		sg_report_options o = SG_REPORT_OPTIONS_INIT;
		sg_scan_stats st = {.mode = "scan"};
		assert_int_equal(sg_report_write(out, formats[k], &f, &st, &o), 0);
		fclose(out);
		if (k < 3)
			assert_non_null(strstr(buf, "\"pair\":{\"status\":\"both\","
			                            "\"with\":\"aws-access-key-id\",\"line\":1,"
			                            "\"column\":19,\"secret\":\"AKIA*****\"}"));
		else
			assert_non_null(strstr(buf, "pair: both, with aws-access-key-id AKIA***** "
			                            "at 1:19"));
		/* neither part in clear */
		assert_null(strstr(buf, id + 4));
		assert_null(strstr(buf, sec + 4));
		free(buf);
	}
	sg_findings_free(&f);
}

/* explain: a dropped id says why, a claimed one where it went */
static void test_explain_verdicts(void **state)
{
	(void)state;
	char sid[35], id[21], sec[41], text[512];
	twilio_sid(sid, 121);
	test_aws_key(id, 122);
	aws_secret(sec, 123);
	snprintf(text, sizeof(text),
	         "TWILIO_ACCOUNT_SID=%s\n\n\n\n\n\n\nAWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%"
	         "s\n",
	         sid, id, sec);
	sg_judgements v = {0};
	sg_scanner *s;
	assert_int_equal(sg_scanner_new(&s, rs, NULL), 0);
	sg_scanner_set_trace(s, &v);
	sg_origin origin = {.path = "app.env"};
	sg_findings f;
	sg_findings_init(&f, 0);
	assert_int_equal(sg_scanner_scan(s, text, strlen(text), &origin, NULL, &f), 0);
	int saw_sid = 0, saw_id = 0;
	for (size_t i = 0; i < v.count; i++) {
		const sg_judgement *j = &v.items[i];
		if (!strcmp(j->rule_id, "twilio-account-sid") && j->len) {
			saw_sid = 1;
			assert_int_equal(j->accepted, 0);
			assert_string_equal(j->check, "pair");
			assert_non_null(strstr(j->detail, "no twilio-auth-token within 5 lines"));
		}
		if (!strcmp(j->rule_id, "aws-access-key-id") && j->len) {
			saw_id = 1;
			assert_int_equal(j->accepted, 1);
			assert_string_equal(j->check, "pair");
			assert_non_null(
			        strstr(j->detail, "id part of aws-secret-access-key on line 9"));
		}
	}
	assert_true(saw_sid && saw_id);
	sg_findings_free(&f);
	sg_scanner_free(s);
	sg_judgements_free(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_env_pair),
	        cmocka_unit_test(test_json_pair),
	        cmocka_unit_test(test_yaml_pair),
	        cmocka_unit_test(test_code_pair),
	        cmocka_unit_test(test_secret_only),
	        cmocka_unit_test(test_id_only_reported),
	        cmocka_unit_test(test_id_alone_dropped),
	        cmocka_unit_test(test_two_pairs_one_file),
	        cmocka_unit_test(test_parts_too_far_apart),
	        cmocka_unit_test(test_within_lines),
	        cmocka_unit_test(test_schema_errors),
	        cmocka_unit_test(test_replaced_rule),
	        cmocka_unit_test(test_push_copies_pair),
	        cmocka_unit_test(test_reports_carry_pair),
	        cmocka_unit_test(test_explain_verdicts),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
