/* envcheck: the configuration gate (values against the manifest, templates,
 * code references, committed env files, leaked secret values, log redaction).
 * Findings name variables and places, never secret values. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <errno.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "envcheck.h"

#define MAX_REFS_DEFAULT 100000u
#define JSON_MAX_DEPTH   64

/* ---- findings ----------------------------------------------------------- */

typedef struct rule_info {
	const char *id;
	const char *description;
	sg_severity severity;
	const char *help;
} rule_info;

static const rule_info rules_table[] = {
        {SG_ENV_MISSING, "Required variable is missing or empty", SG_SEV_HIGH,
         "set it in the environment (CI secrets, deploy config) or a dotenv file"},
        {SG_ENV_MALFORMED, "Variable value does not match its declared type", SG_SEV_HIGH,
         "fix the value or the declaration in the manifest"},
        {SG_ENV_PLACEHOLDER, "Variable still holds a placeholder value", SG_SEV_HIGH,
         "replace the placeholder with the real value"},
        {SG_ENV_DEPRECATED, "Deprecated variable is still set", SG_SEV_MEDIUM,
         "remove it from this environment"},
        {SG_ENV_UNKNOWN, "Variable set in a dotenv file is not declared", SG_SEV_LOW,
         "declare it in the manifest or remove it (or set unknown: ignore)"},
        {SG_ENV_DUPLICATE, "Variable assigned more than once; the last assignment wins", SG_SEV_LOW,
         "keep a single assignment"},
        {SG_ENV_PUBLIC_SECRET, "Secret exposed through a public (client-bundled) variable",
         SG_SEV_CRITICAL,
         "rename it without the public prefix and read it on the server only; rotate it if it "
         "shipped"},
        {SG_ENV_TEMPLATE_DRIFT, "Template and manifest list different variables", SG_SEV_MEDIUM,
         "make the template list exactly the manifest's variables"},
        {SG_ENV_UNUSED, "Declared variable is never read by the code", SG_SEV_LOW,
         "remove the declaration or add the name to ignore_refs"},
        {SG_ENV_UNDECLARED, "Code reads a variable the manifest does not declare", SG_SEV_MEDIUM,
         "declare it in the manifest (or add it to ignore_refs)"},
        {SG_ENV_LEAK, "Value of a secret variable found in a file", SG_SEV_CRITICAL,
         "remove the file from the artefact, rebuild without the secret, and rotate it"},
        {SG_ENV_COMMITTED, "Local env file staged for commit", SG_SEV_CRITICAL,
         "untrack it: git rm --cached <file>, add it to .gitignore; rotate what it held"},
};

static const rule_info *rule_lookup(const char *id)
{
	for (size_t i = 0; i < sizeof(rules_table) / sizeof(rules_table[0]); i++)
		if (strcmp(rules_table[i].id, id) == 0)
			return &rules_table[i];
	return &rules_table[0];
}

/* Append one env finding. key feeds the fingerprint: names and places only. */
static int emit(sg_findings *out, const char *rule_id, const char *path, uint32_t line,
                uint32_t column, const char *key, const char *fmt, ...)
        __attribute__((format(printf, 7, 8)));

static int emit(sg_findings *out, const char *rule_id, const char *path, uint32_t line,
                uint32_t column, const char *key, const char *fmt, ...)
{
	const rule_info *ri = rule_lookup(rule_id);
	char message[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	sg_finding f;
	memset(&f, 0, sizeof(f));
	f.rule_id = ri->id;
	f.description = ri->description;
	f.severity = ri->severity;
	f.confidence = SG_CONF_HIGH;
	f.path = (char *)path;
	f.line = line;
	f.end_line = line;
	f.column = column ? column : 1;
	f.end_column = f.column;
	f.message = message;
	f.help = ri->help;
	sg_fingerprint_name(f.fingerprint, ri->id, key, strlen(key));
	int rc = sg_findings_push(out, &f);
	return rc < 0 ? rc : 0;
}

/* ---- value types ---------------------------------------------------------- */

static int parse_bool_value(int *out, const char *s, size_t len)
{
	static const char *const yes[] = {"true", "yes", "on", "1", "y", NULL};
	static const char *const no[] = {"false", "no", "off", "0", "n", NULL};
	for (size_t i = 0; yes[i]; i++)
		if (strlen(yes[i]) == len && strncasecmp(s, yes[i], len) == 0)
			return *out = 1, 0;
	for (size_t i = 0; no[i]; i++)
		if (strlen(no[i]) == len && strncasecmp(s, no[i], len) == 0)
			return *out = 0, 0;
	return -1;
}

static int parse_int_value(long long *out, const char *s, size_t len)
{
	char buf[32];
	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	for (size_t i = (buf[0] == '-' || buf[0] == '+'); i < len; i++)
		if (!isdigit((unsigned char)buf[i]))
			return -1;
	char *end;
	errno = 0;
	*out = strtoll(buf, &end, 10);
	return errno || *end || end == buf ? -1 : 0;
}

/* JSON: a small recursive-descent validator. */
typedef struct json {
	const char *p, *end;
} json;

static void json_ws(json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int json_value(json *j, int depth);

static int json_string(json *j)
{
	if (j->p >= j->end || *j->p != '"')
		return -1;
	j->p++;
	while (j->p < j->end && *j->p != '"') {
		unsigned char c = (unsigned char)*j->p;
		if (c < 0x20)
			return -1;
		if (c == '\\') {
			j->p++;
			if (j->p >= j->end)
				return -1;
			if (*j->p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (j->p + i >= j->end || !isxdigit((unsigned char)j->p[i]))
						return -1;
				j->p += 4;
			} else if (!strchr("\"\\/bfnrt", *j->p)) {
				return -1;
			}
		}
		j->p++;
	}
	if (j->p >= j->end)
		return -1;
	j->p++;
	return 0;
}

static int json_number(json *j)
{
	const char *s = j->p;
	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p >= j->end || !isdigit((unsigned char)*j->p))
		return -1;
	if (*j->p == '0')
		j->p++;
	else
		while (j->p < j->end && isdigit((unsigned char)*j->p))
			j->p++;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (j->p >= j->end || !isdigit((unsigned char)*j->p))
			return -1;
		while (j->p < j->end && isdigit((unsigned char)*j->p))
			j->p++;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (j->p >= j->end || !isdigit((unsigned char)*j->p))
			return -1;
		while (j->p < j->end && isdigit((unsigned char)*j->p))
			j->p++;
	}
	return j->p > s ? 0 : -1;
}

static int json_literal(json *j, const char *lit)
{
	size_t n = strlen(lit);
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n) != 0)
		return -1;
	j->p += n;
	return 0;
}

static int json_container(json *j, int depth, char close, int object)
{
	j->p++;
	json_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		return 0;
	}
	for (;;) {
		json_ws(j);
		if (object) {
			if (json_string(j))
				return -1;
			json_ws(j);
			if (j->p >= j->end || *j->p != ':')
				return -1;
			j->p++;
		}
		if (json_value(j, depth + 1))
			return -1;
		json_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == close) {
			j->p++;
			return 0;
		}
		return -1;
	}
}

static int json_value(json *j, int depth)
{
	if (depth > JSON_MAX_DEPTH)
		return -1;
	json_ws(j);
	if (j->p >= j->end)
		return -1;
	switch (*j->p) {
	case '{':
		return json_container(j, depth, '}', 1);
	case '[':
		return json_container(j, depth, ']', 0);
	case '"':
		return json_string(j);
	case 't':
		return json_literal(j, "true");
	case 'f':
		return json_literal(j, "false");
	case 'n':
		return json_literal(j, "null");
	default:
		return json_number(j);
	}
}

int sg_json_valid(const char *text, size_t len)
{
	json j = {text, text + len};
	if (json_value(&j, 0))
		return 0;
	json_ws(&j);
	return j.p == j.end;
}

int sg_duration_parse(uint64_t *ms, const char *text)
{
	static const struct {
		const char *unit;
		double ms;
	} units[] = {{"ns", 1e-6}, {"us", 1e-3},   {"ms", 1},       {"s", 1000},
	             {"m", 60000}, {"h", 3600000}, {"d", 86400000}, {"w", 604800000}};
	const char *p = text;
	double total = 0;
	*ms = 0;
	if (strcmp(text, "0") == 0)
		return 0;
	if (!*p)
		return -1;
	while (*p) {
		if (!isdigit((unsigned char)*p))
			return -1;
		/* Digits with an optional fraction; strtod would also take exponents and hex. */
		const char *num = p;
		while (isdigit((unsigned char)*p))
			p++;
		if (*p == '.') {
			p++;
			if (!isdigit((unsigned char)*p))
				return -1;
			while (isdigit((unsigned char)*p))
				p++;
		}
		double n = strtod(num, NULL);
		size_t best = 0, best_len = 0;
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			size_t l = strlen(units[i].unit);
			if (strncmp(p, units[i].unit, l) == 0 && l > best_len)
				best = i, best_len = l;
		}
		if (!best_len)
			return -1;
		total += n * units[best].ms;
		p += best_len;
	}
	if (total > 1e18)
		return -1;
	*ms = (uint64_t)total;
	return 0;
}

static int valid_port(const char *s, size_t len)
{
	long long n;
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return parse_int_value(&n, s, len) == 0 && n >= 1 && n <= 65535;
}

/* url: scheme://authority[path]; the authority may be empty (file:///x,
 * sqlite:///db) but its port, when written, must be a port. */
static int check_url(char *why, size_t why_size, const sg_var *v, const char *s, size_t len)
{
	size_t i = 0;
	for (size_t k = 0; k < len; k++)
		if ((unsigned char)s[k] <= ' ') {
			snprintf(why, why_size, "a url must not contain whitespace");
			return 1;
		}
	if (len == 0 || !isalpha((unsigned char)s[0]))
		goto bad;
	while (i < len &&
	       (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.'))
		i++;
	if (i + 3 > len || memcmp(s + i, "://", 3) != 0)
		goto bad;
	size_t scheme_len = i;
	if (v->nschemes) {
		size_t k;
		for (k = 0; k < v->nschemes; k++)
			if (strlen(v->schemes[k]) == scheme_len &&
			    strncasecmp(v->schemes[k], s, scheme_len) == 0)
				break;
		if (k == v->nschemes) {
			size_t n = (size_t)snprintf(why, why_size, "scheme must be one of:");
			for (k = 0; k < v->nschemes && n < why_size; k++)
				n += (size_t)snprintf(why + n, why_size - n, " %s", v->schemes[k]);
			return 1;
		}
	}
	const char *auth = s + i + 3, *end = s + len;
	const char *auth_end = auth;
	while (auth_end < end && *auth_end != '/' && *auth_end != '?' && *auth_end != '#')
		auth_end++;
	const char *host = auth;
	for (const char *q = auth; q < auth_end; q++)
		if (*q == '@')
			host = q + 1;
	const char *port = NULL;
	if (host < auth_end && *host == '[') {
		const char *rb = memchr(host, ']', (size_t)(auth_end - host));
		if (!rb)
			goto bad;
		if (rb + 1 < auth_end) {
			if (rb[1] != ':')
				goto bad;
			port = rb + 2;
		}
	} else {
		/* Several hosts (mongodb://a:1,b:2) are checked one by one for their port. */
		const char *h = host;
		while (h < auth_end) {
			const char *comma = memchr(h, ',', (size_t)(auth_end - h));
			const char *hend = comma ? comma : auth_end;
			const char *colon = memchr(h, ':', (size_t)(hend - h));
			if (colon && !valid_port(colon + 1, (size_t)(hend - colon - 1))) {
				snprintf(why, why_size, "the url's port is not a port number");
				return 1;
			}
			h = comma ? comma + 1 : auth_end;
		}
	}
	if (port && !valid_port(port, (size_t)(auth_end - port))) {
		snprintf(why, why_size, "the url's port is not a port number");
		return 1;
	}
	if (auth == auth_end && auth_end == end)
		goto bad;
	return 0;
bad:
	snprintf(why, why_size, "not a url (scheme://host/...)");
	return 1;
}

static int check_email(const char *s, size_t len)
{
	const char *at = memchr(s, '@', len);
	if (!at || at == s || memchr(at + 1, '@', len - (size_t)(at - s) - 1))
		return 0;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == '<' || s[i] == '>' || s[i] == ',')
			return 0;
	const char *d = at + 1, *end = s + len;
	if (d == end || *d == '.' || end[-1] == '.')
		return 0;
	const char *dot = memchr(d, '.', (size_t)(end - d));
	if (!dot)
		return 0;
	for (const char *q = d; q + 1 < end; q++)
		if (q[0] == '.' && q[1] == '.')
			return 0;
	return 1;
}

static int check_pattern(char *why, size_t why_size, const char *re, const char *s, size_t len)
{
	int err;
	PCRE2_SIZE off;
	pcre2_code *code =
	        pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
	if (!code)
		return sg_error_set(SG_EINVALID, "bad pattern '%s'", re);
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
	pcre2_match_context *mc = pcre2_match_context_create(NULL);
	if (!md || !mc) {
		pcre2_match_data_free(md);
		pcre2_match_context_free(mc);
		pcre2_code_free(code);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	pcre2_set_match_limit(mc, 100000);
	int rc = pcre2_match(code, (PCRE2_SPTR)s, len, 0, 0, md, mc);
	pcre2_match_data_free(md);
	pcre2_match_context_free(mc);
	pcre2_code_free(code);
	if (rc >= 0)
		return 0;
	snprintf(why, why_size, "does not match the pattern %s", re);
	return 1;
}

int sg_envcheck_value(char *why, size_t why_size, const sg_var *v, const char *environment,
                      const char *s, size_t len)
{
	long long n;
	int b;
	uint64_t ms;
	why[0] = '\0';
	if (v->min_length && len < v->min_length) {
		snprintf(why, why_size, "shorter than %zu bytes", v->min_length);
		return 1;
	}
	if (v->max_length && len > v->max_length) {
		snprintf(why, why_size, "longer than %zu bytes", v->max_length);
		return 1;
	}
	switch (v->type) {
	case SG_VAR_STRING:
		break;
	case SG_VAR_INT:
		if (parse_int_value(&n, s, len)) {
			snprintf(why, why_size, "not an integer");
			return 1;
		}
		if (v->has_min && n < v->min) {
			snprintf(why, why_size, "below the minimum %lld", v->min);
			return 1;
		}
		if (v->has_max && n > v->max) {
			snprintf(why, why_size, "above the maximum %lld", v->max);
			return 1;
		}
		break;
	case SG_VAR_BOOL:
		if (parse_bool_value(&b, s, len)) {
			snprintf(why, why_size, "not a boolean (true/false, yes/no, on/off, 1/0)");
			return 1;
		}
		break;
	case SG_VAR_URL: {
		int rc = check_url(why, why_size, v, s, len);
		if (rc)
			return rc;
		break;
	}
	case SG_VAR_PORT:
		if (!valid_port(s, len)) {
			snprintf(why, why_size, "not a port number (1-65535)");
			return 1;
		}
		break;
	case SG_VAR_EMAIL:
		if (!check_email(s, len)) {
			snprintf(why, why_size, "not an email address");
			return 1;
		}
		break;
	case SG_VAR_ENUM: {
		size_t k;
		for (k = 0; k < v->nvalues; k++)
			if (strlen(v->values[k]) == len && memcmp(v->values[k], s, len) == 0)
				break;
		if (k == v->nvalues) {
			size_t off = (size_t)snprintf(why, why_size, "not one of:");
			for (k = 0; k < v->nvalues && off < why_size; k++)
				off += (size_t)snprintf(why + off, why_size - off, " %s",
				                        v->values[k]);
			return 1;
		}
		break;
	}
	case SG_VAR_JSON:
		if (!sg_json_valid(s, len)) {
			snprintf(why, why_size, "not valid JSON");
			return 1;
		}
		break;
	case SG_VAR_DURATION: {
		char buf[64];
		if (len >= sizeof(buf) ||
		    (memcpy(buf, s, len), buf[len] = '\0', sg_duration_parse(&ms, buf) != 0)) {
			snprintf(why, why_size, "not a duration (like 30s, 5m, 1h30m, 250ms)");
			return 1;
		}
		break;
	}
	}
	const char *re = sg_per_env_get(&v->pattern, environment);
	if (re)
		return check_pattern(why, why_size, re, s, len);
	return 0;
}

static int contains_ci(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; i + n <= len; i++)
		if (strncasecmp(s + i, needle, n) == 0)
			return 1;
	return 0;
}

int sg_envcheck_is_placeholder(const char *s, size_t len)
{
	static const char *const exact[] = {
	        "changeme",    "change-me", "change_me",  "todo",       "tbd",           "fixme",
	        "placeholder", "replaceme", "replace-me", "replace_me", "dummy",         "example",
	        "secret",      "password",  "xxx",        "...",        "your-key-here", NULL};
	static const char *const inside[] = {"changeme",   "change_me",   "change-me",
	                                     "replace_me", "replace-me",  "replaceme",
	                                     "xxxxxxxx",   "placeholder", NULL};
	while (len && isspace((unsigned char)*s))
		s++, len--;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (len == 0)
		return 0;
	for (size_t i = 0; exact[i]; i++)
		if (strlen(exact[i]) == len && strncasecmp(s, exact[i], len) == 0)
			return 1;
	if (len >= 3) {
		size_t k = 0;
		while (k < len && (s[k] == 'x' || s[k] == 'X' || s[k] == '*'))
			k++;
		if (k == len)
			return 1;
	}
	if (len >= 2 && s[0] == '<' && s[len - 1] == '>')
		return 1;
	if (len > 5 && (strncasecmp(s, "your_", 5) == 0 || strncasecmp(s, "your-", 5) == 0))
		return 1;
	for (size_t i = 0; inside[i]; i++)
		if (contains_ci(s, len, inside[i]))
			return 1;
	return 0;
}

/* ---- an environment's values -------------------------------------------- */

int sg_envcheck_lookup(const char **value, const char **path, uint32_t *line,
                       const sg_envcheck_options *o, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; o->environ && o->environ[i]; i++)
		if (strncmp(o->environ[i], name, n) == 0 && o->environ[i][n] == '=') {
			*value = o->environ[i] + n + 1;
			*path = "(environment)";
			*line = 0;
			return 1;
		}
	const sg_dotenv_entry *e = o->dotenv ? sg_dotenv_get(o->dotenv, name) : NULL;
	if (!e)
		return 0;
	*value = e->value;
	*path = e->path;
	*line = e->line;
	return 1;
}

static int condition_holds(const sg_manifest *m, const sg_envcheck_options *o,
                           const sg_condition *c)
{
	const char *value, *path;
	uint32_t line;
	if (!sg_envcheck_lookup(&value, &path, &line, o, c->var)) {
		const sg_var *cv = sg_manifest_var(m, c->var);
		value = cv ? sg_per_env_get(&cv->default_value, o->environment) : NULL;
		if (!value)
			return 0;
	}
	int a, b;
	/* SMTP_ENABLED=1 satisfies required_when { SMTP_ENABLED: "true" }. */
	if (parse_bool_value(&a, value, strlen(value)) == 0 &&
	    parse_bool_value(&b, c->value, strlen(c->value)) == 0)
		return a == b;
	return strcmp(value, c->value) == 0;
}

static int is_required(const sg_manifest *m, const sg_envcheck_options *o, const sg_var *v,
                       char *why, size_t why_size)
{
	if (sg_var_required_in(v, o->environment)) {
		snprintf(why, why_size, "required in %s", o->environment);
		return 1;
	}
	if (!v->nrequired_when)
		return 0;
	for (size_t i = 0; i < v->nrequired_when; i++)
		if (!condition_holds(m, o, &v->required_when[i]))
			return 0;
	snprintf(why, why_size, "required when %s=%s", v->required_when[0].var,
	         v->required_when[0].value);
	return 1;
}

/* Does the value match a secret rule? Returns the rule id or NULL. */
static const char *matching_rule(sg_scanner *s, const char *value, size_t len)
{
	sg_findings f;
	const char *id = NULL;
	sg_findings_init(&f, 4);
	sg_origin origin = {0};
	origin.path = "(value)";
	if (sg_scanner_scan(s, value, len, &origin, NULL, &f) == 0 && f.count)
		id = f.items[0].rule_id;
	sg_findings_free(&f);
	return id;
}

static int where(char *buf, size_t size, const char *path, uint32_t line)
{
	if (line)
		return snprintf(buf, size, "%s:%u", path, line);
	return snprintf(buf, size, "%s", path);
}

int sg_envcheck_values(sg_findings *out, const sg_manifest *m, const sg_envcheck_options *o)
{
	int rc = 0;
	const char *env = o->environment ? o->environment : "";
	sg_scanner *scanner = NULL;
	sg_scan_options scan_opts = SG_SCAN_OPTIONS_INIT;
	if (o->rules && (rc = sg_scanner_new(&scanner, o->rules, &scan_opts)) < 0)
		return rc;
	for (size_t i = 0; m && i < m->nvars && rc == 0; i++) {
		const sg_var *v = &m->vars[i];
		const char *value, *path;
		uint32_t line;
		char why[256], at[512], key[512];
		snprintf(key, sizeof(key), "%s:%s", env, v->name);
		int set = sg_envcheck_lookup(&value, &path, &line, o, v->name);
		if (set)
			where(at, sizeof(at), path, line);
		if (v->deprecated) {
			if (set)
				rc = emit(out, SG_ENV_DEPRECATED, path, line, 1, key,
				          "%s is deprecated%s%s (set in %s)", v->name,
				          v->deprecated_message ? ": " : "",
				          v->deprecated_message ? v->deprecated_message : "", at);
			continue;
		}
		if (!set || !*value) {
			if (sg_per_env_get(&v->default_value, env))
				continue;
			if (!is_required(m, o, v, why, sizeof(why)))
				continue;
			if (!set)
				rc = emit(out, SG_ENV_MISSING, m->path, v->line, 1, key,
				          "%s is %s but not set", v->name, why);
			else
				rc = emit(out, SG_ENV_MISSING, path, line, 1, key,
				          "%s is %s but empty in %s (empty counts as missing)",
				          v->name, why, at);
			continue;
		}
		size_t len = strlen(value);
		if (!v->allow_placeholder && sg_envcheck_is_placeholder(value, len)) {
			rc = emit(out, SG_ENV_PLACEHOLDER, path, line, 1, key,
			          "%s holds a placeholder value (set in %s)", v->name, at);
			continue;
		}
		int bad = sg_envcheck_value(why, sizeof(why), v, env, value, len);
		if (bad < 0) {
			rc = bad;
			break;
		}
		if (bad)
			rc = emit(out, SG_ENV_MALFORMED, path, line, 1, key,
			          "%s is not a valid %s: %s (set in %s)", v->name,
			          sg_var_type_name(v->type), why, at);
		if (rc == 0 && scanner && sg_manifest_is_public(m, v->name)) {
			const char *rule = matching_rule(scanner, value, len);
			if (rule)
				rc = emit(out, SG_ENV_PUBLIC_SECRET, path, line, 1, key,
				          "%s is public (inlined into client bundles) but its "
				          "value matches the secret rule %s (set in %s)",
				          v->name, rule, at);
		}
	}
	/* Unknown names only count in dotenv files: the process environment is full
	 * of variables that are none of the manifest's business. */
	int unknown = o->report_unknown >= 0 ? o->report_unknown : (m ? m->report_unknown : 1);
	for (size_t i = 0; unknown && m && o->dotenv && i < o->dotenv->count && rc == 0; i++) {
		const sg_dotenv_entry *e = &o->dotenv->items[i];
		if (sg_manifest_var(m, e->key))
			continue;
		char key[512];
		snprintf(key, sizeof(key), "%s:%s", e->path, e->key);
		rc = emit(out, SG_ENV_UNKNOWN, e->path, e->line, 1, key,
		          "%s is set in %s:%u but not declared in %s", e->key, e->path, e->line,
		          m->path);
		if (rc == 0 && scanner && sg_manifest_is_public(m, e->key)) {
			const char *rule = matching_rule(scanner, e->value, e->value_len);
			if (rule)
				rc = emit(out, SG_ENV_PUBLIC_SECRET, e->path, e->line, 1, key,
				          "%s is public (inlined into client bundles) but its "
				          "value matches the secret rule %s",
				          e->key, rule);
		}
	}
	sg_scanner_free(scanner);
	return rc;
}

int sg_envcheck_manifest(sg_findings *out, const sg_manifest *m)
{
	int rc = 0;
	for (size_t i = 0; m && i < m->nvars && rc == 0; i++) {
		const sg_var *v = &m->vars[i];
		if (v->secret && sg_manifest_is_public(m, v->name))
			rc = emit(out, SG_ENV_PUBLIC_SECRET, m->path, v->line, 1, v->name,
			          "%s is marked secret but its public prefix makes bundlers "
			          "inline it into client code",
			          v->name);
	}
	return rc;
}

int sg_envcheck_duplicates(sg_findings *out, const sg_dotenv *d)
{
	int rc = 0;
	for (size_t i = 0; d && i < d->nduplicates && rc == 0; i++) {
		const sg_dotenv_duplicate *dup = &d->duplicates[i];
		char key[512];
		snprintf(key, sizeof(key), "%s:%s", dup->path, dup->key);
		rc = emit(out, SG_ENV_DUPLICATE, dup->path, dup->line, 1, key,
		          "%s is assigned again at %s:%u (first at %s:%u); the last one wins",
		          dup->key, dup->path, dup->line, dup->first_path, dup->first_line);
	}
	return rc;
}

int sg_envcheck_template(sg_findings *out, const sg_manifest *m, const char *path, const char *text,
                         size_t len)
{
	sg_dotenv t;
	sg_dotenv_options opts = SG_DOTENV_OPTIONS_INIT;
	opts.expand = 0;
	sg_dotenv_init(&t);
	int rc = sg_dotenv_parse(&t, path, text, len, &opts);
	for (size_t i = 0; rc == 0 && i < t.count; i++) {
		const sg_var *v = sg_manifest_var(m, t.items[i].key);
		char key[512];
		snprintf(key, sizeof(key), "%s:+%s", path, t.items[i].key);
		if (!v)
			rc = emit(out, SG_ENV_TEMPLATE_DRIFT, path, t.items[i].line, 1, key,
			          "%s is in %s but %s does not declare it", t.items[i].key, path,
			          m->path);
		else if (v->deprecated)
			rc = emit(out, SG_ENV_TEMPLATE_DRIFT, path, t.items[i].line, 1, key,
			          "%s is deprecated but still listed in %s", t.items[i].key, path);
	}
	for (size_t i = 0; rc == 0 && i < m->nvars; i++) {
		const sg_var *v = &m->vars[i];
		if (v->deprecated || sg_dotenv_get(&t, v->name))
			continue;
		char key[512];
		snprintf(key, sizeof(key), "%s:-%s", path, v->name);
		rc = emit(out, SG_ENV_TEMPLATE_DRIFT, m->path, v->line, 1, key,
		          "%s is declared in %s but missing from %s", v->name, m->path, path);
	}
	sg_dotenv_free(&t);
	return rc;
}

/* ---- committed env files ------------------------------------------------ */

static const char *const default_templates[] = {".env.example", ".env.sample", ".env.template",
                                                ".env.dist", NULL};

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static int is_template(const sg_manifest *m, const char *path)
{
	const char *base = base_name(path);
	if (m && m->ntemplates) {
		for (size_t i = 0; i < m->ntemplates; i++) {
			const char *t = m->templates[i];
			/* A template named without a directory applies in every directory. */
			if (strcmp(t, path) == 0 || sg_glob_match(t, path) == 1 ||
			    (!strchr(t, '/') &&
			     (strcmp(t, base) == 0 || sg_glob_match(t, base) == 1)))
				return 1;
		}
		return 0;
	}
	for (size_t i = 0; default_templates[i]; i++)
		if (strcmp(base, default_templates[i]) == 0)
			return 1;
	return 0;
}

int sg_envcheck_committed(char *message, size_t message_size, const sg_manifest *m,
                          const char *path)
{
	const char *base = base_name(path);
	const char *why = NULL;
	if (is_template(m, path))
		return 0;
	if (strcmp(base, ".env") == 0 || strncmp(base, ".env.", 5) == 0)
		why = "is a local env file";
	for (size_t i = 0; !why && m && i < m->nlocal_only; i++) {
		const char *g = m->local_only[i];
		if (strcmp(g, path) == 0 || sg_glob_match(g, path) == 1 ||
		    (!strchr(g, '/') && sg_glob_match(g, base) == 1))
			why = "is marked local_only in the manifest";
	}
	if (!why)
		return 0;
	if (message && message_size)
		snprintf(message, message_size,
		         "%s %s and must not be committed: run `git rm --cached -- %s`, add it to "
		         ".gitignore, and commit a template (.env.example) without values instead",
		         path, why, path);
	return 1;
}

int sg_envcheck_staged_path(sg_findings *out, const sg_manifest *m, const char *path)
{
	char message[512];
	if (!sg_envcheck_committed(message, sizeof(message), m, path))
		return 0;
	int rc = emit(out, SG_ENV_COMMITTED, path, 1, 1, path, "%s", message);
	return rc < 0 ? rc : 1;
}

/* ---- code references ----------------------------------------------------- */

void sg_env_refs_init(sg_env_refs *r)
{
	memset(r, 0, sizeof(*r));
}

void sg_env_refs_free(sg_env_refs *r)
{
	for (size_t i = 0; i < r->count; i++) {
		free(r->items[i].name);
		free(r->items[i].path);
	}
	free(r->items);
	sg_env_refs_init(r);
}

/* Each form: a literal that must occur (a cheap prefilter), then a regex
 * whose first group is the name. */
static const struct ref_form {
	const char *form;
	const char *literal;
	const char *regex;
	int compose_only;
} ref_forms[] = {
        {"process.env", "process.env",
         "process\\.env(?:\\.([A-Za-z_][A-Za-z0-9_]*)|\\[\\s*[\"'`]([A-Za-z_][A-Za-z0-9_]*)[\"'`]"
         "\\s*\\])",
         0},
        {"import.meta.env", "import.meta.env", "import\\.meta\\.env\\.([A-Za-z_][A-Za-z0-9_]*)", 0},
        {"os.environ", "os.environ",
         "os\\.environ(?:\\[\\s*[\"']([A-Za-z_][A-Za-z0-9_]*)[\"']\\s*\\]|\\.get\\(\\s*[\"']([A-"
         "Za-z_][A-Za-z0-9_]*)[\"'])",
         0},
        /* getenv covers os.getenv, System.getenv, C getenv and PHP getenv. */
        {"getenv", "getenv", "(?<![A-Za-z0-9_])getenv\\(\\s*[\"']([A-Za-z_][A-Za-z0-9_]*)[\"']", 0},
        {"os.Getenv", "os.", "os\\.(?:Getenv|LookupEnv)\\(\\s*\"([A-Za-z_][A-Za-z0-9_]*)\"", 0},
        {"ENV[]", "ENV",
         "(?<![A-Za-z0-9_.])ENV(?:\\[\\s*[\"']([A-Za-z_][A-Za-z0-9_]*)[\"']\\s*\\]|\\.fetch\\(\\s*"
         "[\"']([A-Za-z_][A-Za-z0-9_]*)[\"'])",
         0},
        {"env::var", "env::var", "env::var(?:_os)?\\(\\s*\"([A-Za-z_][A-Za-z0-9_]*)\"", 0},
        {"Deno.env", "Deno.env", "Deno\\.env\\.get\\(\\s*[\"']([A-Za-z_][A-Za-z0-9_]*)[\"']", 0},
        {"${{ secrets }}", "${{",
         "\\$\\{\\{\\s*(?:secrets|vars)\\.([A-Za-z_][A-Za-z0-9_]*)\\s*\\}\\}", 0},
        {"${}", "${", "(?<!\\$)\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:[:?+-][^}]*)?\\}", 1},
};

static int is_compose_file(const char *path)
{
	const char *b = base_name(path);
	return sg_glob_match("docker-compose*.y*ml", b) == 1 ||
	       sg_glob_match("compose*.y*ml", b) == 1 || sg_glob_match("*.compose.y*ml", b) == 1;
}

static int refs_push(sg_env_refs *r, const char *name, size_t name_len, const char *path,
                     uint32_t line, uint32_t column, const char *form)
{
	size_t max = r->max ? r->max : MAX_REFS_DEFAULT;
	if (r->count >= max)
		return sg_error_set(SG_ETOOBIG, "more than %zu variable references", max);
	if (r->count == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		sg_env_ref *items = realloc(r->items, cap * sizeof(*items));
		if (!items)
			return sg_error_set(SG_ENOMEM, "out of memory");
		r->items = items;
		r->cap = cap;
	}
	sg_env_ref *ref = &r->items[r->count];
	ref->name = strndup(name, name_len);
	ref->path = strdup(path);
	if (!ref->name || !ref->path) {
		free(ref->name);
		free(ref->path);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	ref->line = line;
	ref->column = column;
	ref->form = form;
	r->count++;
	return 0;
}

int sg_env_refs_scan(sg_env_refs *r, const char *path, const char *data, size_t len)
{
	int compose = is_compose_file(path);
	int rc = 0;
	for (size_t f = 0; f < sizeof(ref_forms) / sizeof(ref_forms[0]) && rc == 0; f++) {
		const struct ref_form *rf = &ref_forms[f];
		if (rf->compose_only && !compose)
			continue;
		if (!memmem(data, len, rf->literal, strlen(rf->literal)))
			continue;
		int err;
		PCRE2_SIZE off;
		pcre2_code *code = pcre2_compile((PCRE2_SPTR)rf->regex, PCRE2_ZERO_TERMINATED, 0,
		                                 &err, &off, NULL);
		if (!code)
			return sg_error_set(SG_ERROR, "internal: bad reference pattern %s",
			                    rf->form);
		pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
		if (!md) {
			pcre2_code_free(code);
			return sg_error_set(SG_ENOMEM, "out of memory");
		}
		size_t start = 0, line_start = 0, counted = 0;
		uint32_t line = 1;
		while (start <= len && rc == 0) {
			int m = pcre2_match(code, (PCRE2_SPTR)data, len, start, 0, md, NULL);
			if (m < 0)
				break;
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
			size_t ns = 0, ne = 0;
			for (int g = 1; g < m; g++)
				if (ov[2 * g] != PCRE2_UNSET) {
					ns = ov[2 * g];
					ne = ov[2 * g + 1];
					break;
				}
			for (; counted < ov[0]; counted++)
				if (data[counted] == '\n') {
					line++;
					line_start = counted + 1;
				}
			if (ne > ns)
				rc = refs_push(r, data + ns, ne - ns, path, line,
				               (uint32_t)(ov[0] - line_start + 1), rf->form);
			start = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
		}
		pcre2_match_data_free(md);
		pcre2_code_free(code);
	}
	return rc;
}

/* Names every runtime or platform sets: reading them is not configuration. */
static const char *const builtin_ignore_refs[] = {
        "NODE_ENV", "PATH", "HOME", "USER", "PWD",      "SHELL", "TMPDIR",
        "TEMP",     "TERM", "LANG", "TZ",   "HOSTNAME", "CI",    "GITHUB_TOKEN",
        "MODE",     "DEV",  "PROD", "SSR",  "BASE_URL", NULL};

static int ref_ignored(const sg_manifest *m, const char *name)
{
	for (size_t i = 0; builtin_ignore_refs[i]; i++)
		if (strcmp(builtin_ignore_refs[i], name) == 0)
			return 1;
	for (size_t i = 0; m && i < m->nignore_refs; i++)
		if (strcmp(m->ignore_refs[i], name) == 0 ||
		    sg_glob_match(m->ignore_refs[i], name) == 1)
			return 1;
	return 0;
}

int sg_envcheck_refs(sg_findings *out, const sg_manifest *m, const sg_env_refs *r)
{
	int rc = 0;
	for (size_t i = 0; i < r->count && rc == 0; i++) {
		const sg_env_ref *ref = &r->items[i];
		if (sg_manifest_var(m, ref->name) || ref_ignored(m, ref->name))
			continue;
		/* One finding per name and file: the first read. */
		size_t k;
		for (k = 0; k < i; k++)
			if (strcmp(r->items[k].name, ref->name) == 0 &&
			    strcmp(r->items[k].path, ref->path) == 0)
				break;
		if (k < i)
			continue;
		char key[512];
		snprintf(key, sizeof(key), "%s:%s", ref->path, ref->name);
		rc = emit(out, SG_ENV_UNDECLARED, ref->path, ref->line, ref->column, key,
		          "%s is read here (%s) but %s does not declare it", ref->name, ref->form,
		          m ? m->path : "the manifest");
	}
	for (size_t i = 0; m && i < m->nvars && rc == 0; i++) {
		const sg_var *v = &m->vars[i];
		if (v->deprecated)
			continue;
		size_t k;
		for (k = 0; k < r->count; k++)
			if (strcmp(r->items[k].name, v->name) == 0)
				break;
		if (k == r->count)
			rc = emit(out, SG_ENV_UNUSED, m->path, v->line, 1, v->name,
			          "%s is declared but nothing in the scanned code reads it",
			          v->name);
	}
	return rc;
}

/* ---- leaked secret values ----------------------------------------------- */

typedef struct needle {
	char *bytes;
	size_t len;
	const char *encoding;
	size_t var; /* index into names */
} needle;

struct sg_leakset {
	size_t min_length;
	char **names;
	size_t nnames;
	needle *needles;
	size_t count, cap;
	size_t max_len;
};

int sg_leakset_new(sg_leakset **out, size_t min_length)
{
	*out = calloc(1, sizeof(sg_leakset));
	if (!*out)
		return sg_error_set(SG_ENOMEM, "out of memory");
	(*out)->min_length = min_length ? min_length : 8;
	return 0;
}

void sg_leakset_free(sg_leakset *ls)
{
	if (!ls)
		return;
	for (size_t i = 0; i < ls->count; i++)
		free(ls->needles[i].bytes);
	for (size_t i = 0; i < ls->nnames; i++)
		free(ls->names[i]);
	free(ls->names);
	free(ls->needles);
	free(ls);
}

size_t sg_leakset_count(const sg_leakset *ls)
{
	return ls ? ls->nnames : 0;
}

size_t sg_leakset_max_needle(const sg_leakset *ls)
{
	return ls ? ls->max_len : 0;
}

/* Takes ownership of bytes. Identical needles are kept once. */
static int add_needle(sg_leakset *ls, char *bytes, size_t len, const char *encoding, size_t var)
{
	if (len < ls->min_length / 2 + 1) {
		free(bytes);
		return 0;
	}
	for (size_t i = 0; i < ls->count; i++)
		if (ls->needles[i].len == len && memcmp(ls->needles[i].bytes, bytes, len) == 0) {
			free(bytes);
			return 0;
		}
	if (ls->count == ls->cap) {
		size_t cap = ls->cap ? ls->cap * 2 : 16;
		needle *n = realloc(ls->needles, cap * sizeof(*n));
		if (!n) {
			free(bytes);
			return sg_error_set(SG_ENOMEM, "out of memory");
		}
		ls->needles = n;
		ls->cap = cap;
	}
	ls->needles[ls->count++] = (needle){bytes, len, encoding, var};
	if (len > ls->max_len)
		ls->max_len = len;
	return 0;
}

/* The base64 characters that depend only on value when it sits `shift` bytes
 * into a base64-encoded stream: a value inside a larger encoded blob is found
 * whatever its alignment. */
static char *base64_aligned(const char *value, size_t len, int shift, const char *alphabet,
                            size_t *out_len)
{
	size_t total = len + (size_t)shift;
	unsigned char *in = calloc(total + 2, 1);
	char *enc = malloc((total + 2) / 3 * 4 + 1);
	if (!in || !enc) {
		free(in);
		free(enc);
		return NULL;
	}
	memcpy(in + shift, value, len);
	size_t o = 0;
	for (size_t i = 0; i < total; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		enc[o++] = alphabet[(v >> 18) & 63];
		enc[o++] = alphabet[(v >> 12) & 63];
		enc[o++] = alphabet[(v >> 6) & 63];
		enc[o++] = alphabet[v & 63];
	}
	free(in);
	size_t first = ((size_t)shift * 8 + 5) / 6;
	size_t last = total * 8 / 6;
	if (last <= first) {
		free(enc);
		*out_len = 0;
		return NULL;
	}
	memmove(enc, enc + first, last - first);
	*out_len = last - first;
	enc[*out_len] = '\0';
	return enc;
}

static char *url_encode(const char *s, size_t len, const char *hex, size_t *out_len)
{
	char *o = malloc(len * 3 + 1);
	if (!o)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isalnum(c) || strchr("-_.~", c))
			o[n++] = (char)c;
		else {
			o[n++] = '%';
			o[n++] = hex[c >> 4];
			o[n++] = hex[c & 15];
		}
	}
	o[n] = '\0';
	*out_len = n;
	return o;
}

static char *json_escape(const char *s, size_t len, int escape_slash, size_t *out_len)
{
	char *o = malloc(len * 6 + 1);
	if (!o)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		switch (c) {
		case '"':
			esc = "\\\"";
			break;
		case '\\':
			esc = "\\\\";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		case '\t':
			esc = "\\t";
			break;
		case '/':
			esc = escape_slash ? "\\/" : NULL;
			break;
		}
		if (esc) {
			memcpy(o + n, esc, strlen(esc));
			n += strlen(esc);
		} else if (c < 0x20) {
			n += (size_t)sprintf(o + n, "\\u%04x", c);
		} else {
			o[n++] = (char)c;
		}
	}
	o[n] = '\0';
	*out_len = n;
	return o;
}

int sg_leakset_add(sg_leakset *ls, const char *name, const char *value, size_t len)
{
	static const char b64[] =
	        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	static const char b64url[] =
	        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	if (len < ls->min_length)
		return 1;
	char **names = realloc(ls->names, (ls->nnames + 1) * sizeof(char *));
	if (!names)
		return sg_error_set(SG_ENOMEM, "out of memory");
	ls->names = names;
	if (!(ls->names[ls->nnames] = strdup(name)))
		return sg_error_set(SG_ENOMEM, "out of memory");
	size_t var = ls->nnames++;
	int rc = 0;
	size_t n;
	char *b;
	if (!(b = strndup(value, len)))
		return sg_error_set(SG_ENOMEM, "out of memory");
	rc = add_needle(ls, b, len, "plain", var);
	for (int shift = 0; shift < 3 && rc == 0; shift++) {
		if ((b = base64_aligned(value, len, shift, b64, &n)))
			rc = add_needle(ls, b, n, "base64", var);
		if (rc == 0 && (b = base64_aligned(value, len, shift, b64url, &n)))
			rc = add_needle(ls, b, n, "base64url", var);
	}
	if (rc == 0 && (b = url_encode(value, len, "0123456789ABCDEF", &n)))
		rc = add_needle(ls, b, n, "url-encoded", var);
	if (rc == 0 && (b = url_encode(value, len, "0123456789abcdef", &n)))
		rc = add_needle(ls, b, n, "url-encoded", var);
	if (rc == 0 && (b = json_escape(value, len, 0, &n)))
		rc = add_needle(ls, b, n, "json-escaped", var);
	if (rc == 0 && (b = json_escape(value, len, 1, &n)))
		rc = add_needle(ls, b, n, "json-escaped", var);
	return rc;
}

int sg_leakset_each(const sg_leakset *ls, const char *data, size_t len, sg_leak_fn fn, void *ctx)
{
	for (size_t i = 0; ls && i < ls->count; i++) {
		const needle *nd = &ls->needles[i];
		const char *p = data, *end = data + len;
		while (p < end) {
			const char *hit = memmem(p, (size_t)(end - p), nd->bytes, nd->len);
			if (!hit)
				break;
			int rc = fn(ctx, ls->names[nd->var], nd->encoding, (size_t)(hit - data),
			            nd->len);
			if (rc)
				return rc;
			p = hit + nd->len;
		}
	}
	return 0;
}

typedef struct leak_scan {
	const char *data;
	const sg_origin *origin;
	sg_findings *out;
} leak_scan;

static int leak_found(void *ctx, const char *name, const char *encoding, size_t offset,
                      size_t length)
{
	leak_scan *s = ctx;
	uint32_t line = 1, column = 1;
	for (size_t i = 0; i < offset; i++) {
		if (s->data[i] == '\n') {
			line++;
			column = 1;
		} else {
			column++;
		}
	}
	char key[512];
	snprintf(key, sizeof(key), "%s:%s", name, encoding);
	const char *path = s->origin && s->origin->path ? s->origin->path : "(input)";
	size_t before = s->out->count;
	int rc = emit(s->out, SG_ENV_LEAK, path, line, column, key,
	              "value of secret variable %s found in %s (%s)", name, path, encoding);
	if (rc == 0 && s->out->count > before) {
		sg_finding *f = &s->out->items[s->out->count - 1];
		f->offset = offset;
		f->end_column = column + (uint32_t)length;
		if (s->origin) {
			/* Git origins carry their commit details into the finding. */
			const char *src[] = {s->origin->commit, s->origin->author, s->origin->email,
			                     s->origin->date, s->origin->blob};
			char **dst[] = {&f->commit, &f->author, &f->email, &f->date, &f->blob};
			for (size_t k = 0; k < 5; k++)
				if (src[k] && !(*dst[k] = strdup(src[k])))
					return sg_error_set(SG_ENOMEM, "out of memory");
		}
	}
	return rc;
}

int sg_leakset_scan(const sg_leakset *ls, const char *data, size_t len, const sg_origin *origin,
                    sg_findings *out)
{
	leak_scan s = {data, origin, out};
	return sg_leakset_each(ls, data, len, leak_found, &s);
}

int sg_leakset_add_environment(sg_leakset *ls, size_t *skipped, const char **skipped_name,
                               const sg_manifest *m, const sg_envcheck_options *o)
{
	*skipped = 0;
	if (skipped_name)
		*skipped_name = NULL;
	for (size_t i = 0; m && i < m->nvars; i++) {
		const sg_var *v = &m->vars[i];
		const char *value, *path;
		uint32_t line;
		if (!v->secret || !sg_envcheck_lookup(&value, &path, &line, o, v->name) || !*value)
			continue;
		int rc = sg_leakset_add(ls, v->name, value, strlen(value));
		if (rc < 0)
			return rc;
		if (rc == 1) {
			if (skipped_name && !*skipped)
				*skipped_name = v->name;
			(*skipped)++;
		}
	}
	return 0;
}

/* ---- streaming redaction ---------------------------------------------- */

typedef struct span {
	size_t start, end;
	const char *label;
} span;

struct sg_redactor {
	const sg_ruleset *rules;
	const sg_leakset *leaks;
	sg_scanner *scanner;
	size_t max_line;
	span *spans;
	size_t nspans, spans_cap;
	char *out;
	size_t out_cap;
	uint64_t masked;
	const char *text; /* the text find_spans is looking at */
	size_t text_len;
};

int sg_redactor_new(sg_redactor **out, const sg_ruleset *rules, const sg_leakset *leaks,
                    const sg_redact_options *opts)
{
	sg_redactor *r = calloc(1, sizeof(*r));
	if (!r)
		return sg_error_set(SG_ENOMEM, "out of memory");
	r->rules = rules;
	r->leaks = leaks;
	r->max_line = opts && opts->max_line ? opts->max_line : 64u << 10;
	if (r->max_line < 256)
		r->max_line = 256;
	if (rules) {
		/* A log line has no inline allow comments worth honouring. */
		sg_scan_options scan_opts = SG_SCAN_OPTIONS_INIT;
		scan_opts.inline_allow = 0;
		int rc = sg_scanner_new(&r->scanner, rules, &scan_opts);
		if (rc < 0) {
			free(r);
			return rc;
		}
	}
	*out = r;
	return 0;
}

void sg_redactor_free(sg_redactor *r)
{
	if (!r)
		return;
	sg_scanner_free(r->scanner);
	free(r->spans);
	free(r->out);
	free(r);
}

static int add_span(sg_redactor *r, size_t start, size_t end, const char *label)
{
	if (end <= start)
		return 0;
	if (r->nspans == r->spans_cap) {
		size_t cap = r->spans_cap ? r->spans_cap * 2 : 16;
		span *s = realloc(r->spans, cap * sizeof(*s));
		if (!s)
			return sg_error_set(SG_ENOMEM, "out of memory");
		r->spans = s;
		r->spans_cap = cap;
	}
	r->spans[r->nspans++] = (span){start, end, label};
	return 0;
}

static int is_base64_char(char c)
{
	return isalnum((unsigned char)c) || c == '+' || c == '/' || c == '-' || c == '_' ||
	       c == '=';
}

static int leak_span(void *ctx, const char *name, const char *encoding, size_t offset,
                     size_t length)
{
	sg_redactor *r = ctx;
	size_t start = offset, end = offset + length;
	/* The characters around an encoded value still carry a few of its bits:
	 * mask the whole base64 run ('=' only pads the end). */
	if (strncmp(encoding, "base64", 6) == 0) {
		while (start > 0 && r->text[start - 1] != '=' && is_base64_char(r->text[start - 1]))
			start--;
		while (end < r->text_len && is_base64_char(r->text[end]))
			end++;
	}
	return add_span(r, start, end, name);
}

static int span_cmp(const void *a, const void *b)
{
	const span *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start ? 1 : 0;
}

/* Collect and merge the spans to mask in text. */
static int find_spans(sg_redactor *r, const char *text, size_t len)
{
	r->nspans = 0;
	r->text = text;
	r->text_len = len;
	int rc = sg_leakset_each(r->leaks, text, len, leak_span, r);
	if (rc)
		return rc;
	if (r->scanner) {
		sg_findings f;
		sg_findings_init(&f, 256);
		sg_origin origin = {0};
		origin.path = "(stdin)";
		rc = sg_scanner_scan(r->scanner, text, len, &origin, NULL, &f);
		for (size_t i = 0; rc == 0 && i < f.count; i++) {
			const sg_finding *fi = &f.items[i];
			if (fi->offset + fi->secret_len <= len)
				rc = add_span(r, fi->offset, fi->offset + fi->secret_len,
				              fi->rule_id);
		}
		sg_findings_free(&f);
		if (rc)
			return rc;
	}
	if (r->nspans > 1)
		qsort(r->spans, r->nspans, sizeof(span), span_cmp);
	size_t n = 0;
	for (size_t i = 0; i < r->nspans; i++) {
		if (n && r->spans[i].start <= r->spans[n - 1].end) {
			if (r->spans[i].end > r->spans[n - 1].end)
				r->spans[n - 1].end = r->spans[i].end;
			continue;
		}
		r->spans[n++] = r->spans[i];
	}
	r->nspans = n;
	return 0;
}

/* Write text[0..upto) with the spans that start before upto masked. */
static int render(sg_redactor *r, const char *text, size_t upto, size_t *out_len)
{
	size_t need = upto + 1;
	for (size_t i = 0; i < r->nspans; i++)
		need += 16 + strlen(r->spans[i].label);
	if (need > r->out_cap) {
		char *o = realloc(r->out, need);
		if (!o)
			return sg_error_set(SG_ENOMEM, "out of memory");
		r->out = o;
		r->out_cap = need;
	}
	size_t pos = 0, n = 0;
	for (size_t i = 0; i < r->nspans && r->spans[i].start < upto; i++) {
		memcpy(r->out + n, text + pos, r->spans[i].start - pos);
		n += r->spans[i].start - pos;
		n += (size_t)sprintf(r->out + n, "[REDACTED:%s]", r->spans[i].label);
		pos = r->spans[i].end;
		r->masked++;
	}
	if (pos < upto) {
		memcpy(r->out + n, text + pos, upto - pos);
		n += upto - pos;
	}
	r->out[n] = '\0';
	*out_len = n;
	return 0;
}

int sg_redactor_line(sg_redactor *r, const char **out, size_t *out_len, const char *line,
                     size_t len)
{
	int rc = find_spans(r, line, len);
	if (rc == 0)
		rc = render(r, line, len, out_len);
	*out = rc == 0 ? r->out : NULL;
	return rc;
}

int sg_redactor_run(sg_redactor *r, uint64_t *masked, FILE *in, FILE *out)
{
	/* What a piece boundary must keep in view: the longest leak needle, and
	 * a generous bound for rule matches. */
	size_t hold = sg_leakset_max_needle(r->leaks) + 1;
	if (hold < 4096)
		hold = 4096;
	if (hold > r->max_line / 2)
		hold = r->max_line / 2;
	char *buf = malloc(r->max_line + 1);
	if (!buf)
		return sg_error_set(SG_ENOMEM, "out of memory");
	size_t len = 0;
	int rc = 0, c = 0;
	r->masked = 0;
	while (rc == 0) {
		c = getc_unlocked(in);
		if (c != EOF && c != '\n' && len < r->max_line) {
			buf[len++] = (char)c;
			continue;
		}
		if (c == EOF && ferror(in)) {
			rc = sg_error_set(SG_EIO, "read failed: %s", strerror(errno));
			break;
		}
		size_t emit_len;
		if (c == '\n' || c == EOF) {
			const char *masked_line;
			rc = sg_redactor_line(r, &masked_line, &emit_len, buf, len);
			if (rc == 0 && (fwrite(r->out, 1, emit_len, out) != emit_len ||
			                (c == '\n' && putc('\n', out) == EOF) || fflush(out) != 0))
				rc = sg_error_set(SG_EIO, "write failed: %s", strerror(errno));
			len = 0;
			if (c == EOF)
				break;
			continue;
		}
		/* A full piece of an over-long line: emit all but the held-back tail,
		 * extended to the end of any span crossing the cut. */
		buf[len++] = (char)c;
		if ((rc = find_spans(r, buf, len)))
			break;
		size_t cut = len - hold;
		for (size_t i = 0; i < r->nspans; i++)
			if (r->spans[i].start < cut && r->spans[i].end > cut)
				cut = r->spans[i].end;
		if ((rc = render(r, buf, cut, &emit_len)))
			break;
		if (fwrite(r->out, 1, emit_len, out) != emit_len) {
			rc = sg_error_set(SG_EIO, "write failed: %s", strerror(errno));
			break;
		}
		memmove(buf, buf + cut, len - cut);
		len -= cut;
	}
	if (masked)
		*masked = r->masked;
	free(buf);
	return rc;
}
