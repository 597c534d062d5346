/* Typed values: whether a value fits its declared type (bool, int, port,
 * url, email, duration, json, enum, pattern) and bounds, and whether it is a
 * placeholder. Messages say which rule was broken, never the value. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <errno.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "lib/env/env_internal.h"
#include "util/json.h"

int sg_env_parse_bool(int *out, const char *s, size_t len)
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
		if (sg_env_parse_bool(&b, s, len)) {
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
