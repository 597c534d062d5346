/* Credential stores read by format. A store's purpose is holding
 * credentials, so every value under a credential-like key is one, however
 * weak; only placeholders, references and empty values are not. The
 * readers are small and forgiving: a line they do not understand is
 * skipped, never an error. */
#include <ctype.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>
#include "secretgate/secretgate.h"
#include "lib/engine/credfile.h"

#define LINE_MAX_READ 65536 /* longer lines are read as far as this */

typedef struct store_name {
	const char *name; /* base name, or a path suffix when it holds a '/' */
	int type;
} store_name;

static const store_name store_names[] = {
        {".git-credentials", SG_STORE_GIT},
        {"git-credentials", SG_STORE_GIT},
        {".netrc", SG_STORE_NETRC},
        {"_netrc", SG_STORE_NETRC},
        {".pgpass", SG_STORE_PGPASS},
        {"pgpass.conf", SG_STORE_PGPASS},
        {".esmtprc", SG_STORE_MAILRC},
        {".msmtprc", SG_STORE_MAILRC},
        {"msmtprc", SG_STORE_MAILRC},
        {".fetchmailrc", SG_STORE_MAILRC},
        {".muttrc", SG_STORE_MAILRC},
        {"deployment-config.json", SG_STORE_JSON},
        {".ftpconfig", SG_STORE_JSON},
        {".remote-sync.json", SG_STORE_JSON},
        {"sftp-config.json", SG_STORE_JSON},
        {".vscode/sftp.json", SG_STORE_JSON},
        {"robomongo.json", SG_STORE_JSON},
        {"robo3t.json", SG_STORE_JSON},
        {"logins.json", SG_STORE_JSON},
        {"terraform.tfstate", SG_STORE_JSON},
        {"terraform.tfstate.backup", SG_STORE_JSON},
        {".dockercfg", SG_STORE_JSON},
        {".docker/config.json", SG_STORE_JSON},
        {".composer/auth.json", SG_STORE_JSON},
        {"data-sources.json", SG_STORE_JSON},
        {"credentials.json", SG_STORE_JSON},
        {"secrets.json", SG_STORE_JSON},
        {".idea/WebServers.xml", SG_STORE_XML},
        {"WebServers.xml", SG_STORE_XML},
        {"recentservers.xml", SG_STORE_XML},
        {"sitemanager.xml", SG_STORE_XML},
        {"filezilla.xml", SG_STORE_XML},
        {"data-sources.xml", SG_STORE_XML},
        {".m2/settings.xml", SG_STORE_XML},
        {"credentials.xml", SG_STORE_XML},
        {".s3cfg", SG_STORE_INI},
        {".pypirc", SG_STORE_INI},
        {".aws/credentials", SG_STORE_INI},
        {".boto", SG_STORE_INI},
        {".my.cnf", SG_STORE_INI},
        {"rclone.conf", SG_STORE_INI},
        {".gem/credentials", SG_STORE_YAML},
        {".cargo/credentials", SG_STORE_INI},
        {".cargo/credentials.toml", SG_STORE_INI},
        {".kube/config", SG_STORE_YAML},
        {"kubeconfig", SG_STORE_YAML},
        {"mongoid.yml", SG_STORE_YAML},
        {"secrets.yml", SG_STORE_YAML},
        {"secrets.yaml", SG_STORE_YAML},
        {"credentials.yml", SG_STORE_YAML},
        {"credentials.yaml", SG_STORE_YAML},
        {"gh/hosts.yml", SG_STORE_YAML},
        {".npmrc", SG_STORE_NPMRC},
        {".yarnrc", SG_STORE_NPMRC},
        {".yarnrc.yml", SG_STORE_NPMRC},
        {"shadow", SG_STORE_SHADOW},
        {"shadow-", SG_STORE_SHADOW},
        {"gshadow", SG_STORE_SHADOW},
        {"master.passwd", SG_STORE_SHADOW},
        {".htpasswd", SG_STORE_HTPASSWD},
        {"htpasswd", SG_STORE_HTPASSWD},
        {".vnc/passwd", SG_STORE_KEYSTORE},
};

/* encrypted stores that are opaque whatever their extension says */
static const char *const opaque_names[] = {"credentials-config.json", "login.keychain-db",
                                           "key3.db", "key4.db", NULL};

static const char *const keystore_ext[] = {"jks",           "keystore", "p12",   "pfx",    "kdbx",
                                           "kdb",           "bks",      "jceks", "pkcs12", "psafe3",
                                           "agilekeychain", "keychain", NULL};
static const char *const private_key_names[] = {
        "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk", NULL};

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcasecmp(s + n - m, suffix) && (n == m || s[n - m - 1] == '/');
}

int sg_credfile_is_opaque(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	/* first letters before whole names: this runs for every file */
	for (const char *const *n = opaque_names; *n; n++)
		if (base[0] == (*n)[0] && !strcmp(base, *n))
			return 1;
	const char *dot = strrchr(base, '.');
	if (!dot || dot == base)
		return 0;
	int first = tolower((unsigned char)dot[1]);
	for (const char *const *e = keystore_ext; *e; e++)
		if ((*e)[0] == first && !strcasecmp(dot + 1, *e))
			return 1;
	return 0;
}

#define NSTORE_NAMES (sizeof(store_names) / sizeof(store_names[0]))

/* Each store name's base name's first letter (lower case), and whether the
 * name is a path suffix: read once, not for every file. */
static unsigned char name_first[NSTORE_NAMES], name_suffix[NSTORE_NAMES];
static pthread_once_t names_once = PTHREAD_ONCE_INIT;

static void names_init(void)
{
	for (size_t i = 0; i < NSTORE_NAMES; i++) {
		const char *n = store_names[i].name, *slash = strrchr(n, '/');
		name_first[i] = (unsigned char)tolower((unsigned char)(slash ? slash[1] : n[0]));
		name_suffix[i] = slash != NULL;
	}
}

int sg_credfile_type(const char *path, const char *base)
{
	pthread_once(&names_once, names_init);
	int first = tolower((unsigned char)base[0]);
	for (size_t i = 0; i < NSTORE_NAMES; i++) {
		/* the base names must agree on their first letter before anything costs more */
		if (name_first[i] != first)
			continue;
		const char *n = store_names[i].name;
		if (name_suffix[i] ? ends_with(path, n) : !strcasecmp(base, n))
			return store_names[i].type;
	}
	if (sg_credfile_is_opaque(path))
		return SG_STORE_KEYSTORE;
	for (const char *const *k = private_key_names; *k; k++)
		if (base[0] == (*k)[0] && !strcmp(base, *k))
			return SG_STORE_PRIVATE_KEY;
	/* .env, .env.production, prod.env; not .env.example (a template, which
	 * the test context takes first) */
	if (!strcasecmp(base, ".env") || !strncasecmp(base, ".env.", 5) ||
	    (strlen(base) > 4 && !strcasecmp(base + strlen(base) - 4, ".env")))
		return SG_STORE_DOTENV;
	const char *dot = strrchr(base, '.');
	if (dot && (!strcasecmp(dot, ".sql") || !strcasecmp(dot, ".dump")))
		return SG_STORE_SQL;
	if (dot && !strcasecmp(dot, ".php") &&
	    (strcasestr(base, "config") || strcasestr(base, "settings")))
		return SG_STORE_PHP;
	return SG_STORE_NONE;
}

int sg_credfile_is_store(int type)
{
	return type != SG_STORE_NONE && type != SG_STORE_SQL && type != SG_STORE_PHP;
}

/* ---- values ------------------------------------------------------------ */

static int ci_has(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; n <= len && i + n <= len; i++)
		if (!strncasecmp(s + i, needle, n))
			return 1;
	return 0;
}

static int ci_eq(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && !strncasecmp(s, word, len);
}

/* Base64 whose plain text says what it is: "not my real password". */
static int base64_of_words(const char *s, size_t len)
{
	static const char alphabet[] =
	        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	if (len < 12 || len > 200 || len % 4)
		return 0;
	char plain[160];
	size_t n = 0;
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < len && s[i] != '='; i++) {
		const char *p = memchr(alphabet, s[i], 64);
		if (!p)
			return 0;
		acc = (acc << 6) | (uint32_t)(p - alphabet);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			unsigned char c = (unsigned char)(acc >> bits);
			if (c < 0x20 || c >= 0x7f)
				return 0;
			plain[n++] = (char)c;
		}
	}
	return ci_has(plain, n, "password") || ci_has(plain, n, "secret") ||
	       ci_has(plain, n, "example");
}

/* lower_case_words_like_this: an identifier (mysql_native_password). */
static int snake_identifier(const char *s, size_t len)
{
	size_t underscores = 0, run = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || s[i] == '_') {
			if (run < 3) /* words, not sk_test_... */
				return 0;
			underscores += i < len;
			run = 0;
		} else if (!islower((unsigned char)s[i]))
			return 0;
		else
			run++;
	}
	return underscores >= 2;
}

/* 1.2.1, ^4.17.0, >=2.0: a version (package.json dependencies). */
static int version_number(const char *s, size_t len)
{
	size_t i = 0, dots = 0;
	while (i < len && strchr("v^~<>=", s[i]))
		i++;
	if (i == len || !isdigit((unsigned char)s[i]))
		return 0;
	for (; i < len; i++) {
		if (s[i] == '.')
			dots++;
		else if (!isdigit((unsigned char)s[i]))
			return 0;
	}
	return dots > 0;
}

int sg_value_is_placeholder(const char *s, size_t len)
{
	static const char *const words[] = {"changeme",
	                                    "change_me",
	                                    "change-me",
	                                    "placeholder",
	                                    "redacted",
	                                    "your_",
	                                    "your-",
	                                    "yourpassword",
	                                    "insert_",
	                                    "replace_me",
	                                    "replaceme",
	                                    "notreal",
	                                    "not_a_real",
	                                    "xxxx",
	                                    "****",
	                                    "....",
	                                    "<your",
	                                    "example.com",
	                                    "EXAMPLE",
	                                    "2YotnFZFEjr1zCsicMWpAA",
	                                    "tGzv3JOkF0XG5Qx2TlKWIA",
	                                    NULL};
	static const char *const exact[] = {
	        "true",       "false",         "yes", "no",   "on", "off", "null", "nil", "none",
	        "~",          "undefined",     "''",  "\"\"", "-",  "*",   "x",    "!",   "!!",
	        "<password>", "password_here", "...", NULL};
	if (len == 0)
		return 1;
	for (const char *const *w = exact; *w; w++)
		if (ci_eq(s, len, *w))
			return 1;
	for (const char *const *w = words; *w; w++)
		if (ci_has(s, len, *w))
			return 1;
	if (s[0] == '<' && s[len - 1] == '>')
		return 1;
	if (base64_of_words(s, len) || snake_identifier(s, len) || version_number(s, len))
		return 1;
	size_t same = 1;
	for (size_t i = 1; i < len && s[i] == s[0]; i++)
		same++;
	return same == len && len > 2;
}

int sg_value_is_reference(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	/* $VAR, ${VAR}, $(cmd); not a crypt hash ($6$salt$...) */
	if (s[0] == '$' && len > 1) {
		if (s[1] == '{' || s[1] == '(')
			return 1;
		size_t i = 1;
		while (i < len && isalnum((unsigned char)s[i]))
			i++;
		if (!(i < len && s[i] == '$') && (isalpha((unsigned char)s[1]) || s[1] == '_'))
			return 1;
	}
	/* YAML tags and aliases (!vault, *default), Maven filters (@db.pass@) */
	if (len > 1 && (s[0] == '!' || s[0] == '*' || s[0] == '&') && isalpha((unsigned char)s[1]))
		return 1;
	if (len > 2 && s[0] == '@' && s[len - 1] == '@')
		return 1;
	static const char *const marks[] = {"${",   "{{",     "%(",    "<%",
	                                    "#{",   "$(",     "env(",  "getenv(",
	                                    "ENV[", "vault:", "op://", "secretsmanager:",
	                                    "ssm:", "ref+",   "ENC[",  NULL};
	for (const char *const *m = marks; *m; m++)
		if (ci_has(s, len, *m))
			return 1;
	if (len > 2 && s[0] == '%' && s[len - 1] == '%')
		return 1;
	/* a printf format: %s, %d, %-8s */
	if (len <= 5 && s[0] == '%' && isalpha((unsigned char)s[len - 1]))
		return 1;
	return 0;
}

int sg_value_is_public(const char *s, size_t len)
{
	static const char *const prefixes[] = {"pk.eyJ",          "pk_live_", "pk_test_",
	                                       "sb_publishable_", "phc_",     NULL};
	for (const char *const *p = prefixes; *p; p++)
		if (len > strlen(*p) && !strncmp(s, *p, strlen(*p)))
			return 1;
	return 0;
}

/* ISO dates and clock times: 2016-09-08, 21:47:36 */
int sg_value_is_date(const char *v, size_t n)
{
	for (size_t i = 0; i + 10 <= n; i++)
		if (isdigit((unsigned char)v[i]) && isdigit((unsigned char)v[i + 3]) &&
		    (v[i + 4] == '-' || v[i + 4] == '/') && isdigit((unsigned char)v[i + 5]) &&
		    isdigit((unsigned char)v[i + 6]) && v[i + 7] == v[i + 4] &&
		    isdigit((unsigned char)v[i + 8]) && isdigit((unsigned char)v[i + 9]))
			return 1;
	for (size_t i = 0; i + 8 <= n; i++)
		if (isdigit((unsigned char)v[i]) && isdigit((unsigned char)v[i + 1]) &&
		    v[i + 2] == ':' && isdigit((unsigned char)v[i + 3]) &&
		    isdigit((unsigned char)v[i + 4]) && v[i + 5] == ':' &&
		    isdigit((unsigned char)v[i + 6]) && isdigit((unsigned char)v[i + 7]))
			return 1;
	return 0;
}

static int short_word(const char *w)
{
	static const char *const words[] = {"in", "on", "at", "be", "of", "to", "by", "is",
	                                    "it", "as", "or", "no", "up", "id", "my", "we",
	                                    "me", "do", "go", "if", "an", NULL};
	for (const char *const *x = words; *x; x++)
		if (tolower((unsigned char)w[0]) == (*x)[0] &&
		    tolower((unsigned char)w[1]) == (*x)[1])
			return 1;
	return 0;
}

/* Words run together (PassWordMustBeAtLeast6Chars., Access-Control-Allow-
 * Credentials): most of the value is letters in runs that read as words. */
int sg_value_is_words(const char *v, size_t n)
{
	size_t words = 0, in_words = 0, letters = 0, i = 0;
	while (i < n) {
		if (!isalpha((unsigned char)v[i])) {
			i++;
			continue;
		}
		size_t j = i + 1;
		while (j < n && islower((unsigned char)v[j]))
			j++;
		/* an acronym: a run of capitals */
		if (j == i + 1)
			while (j < n && isupper((unsigned char)v[j]) &&
			       !(j + 1 < n && islower((unsigned char)v[j + 1])))
				j++;
		size_t wl = j - i, vowels = 0, caps = 0;
		for (size_t k = i; k < j; k++) {
			vowels += strchr("aeiouAEIOU", v[k]) != NULL ||
			          (k > i && (v[k] == 'y' || v[k] == 'Y'));
			caps += isupper((unsigned char)v[k]) != 0;
		}
		letters += wl;
		if ((wl >= 3 && vowels && vowels < wl && caps <= 1) ||
		    (wl == 2 && short_word(v + i))) {
			words++;
			in_words += wl;
		} else if (wl >= 2 && wl <= 5 && caps == wl) {
			in_words += wl; /* an acronym among words: JSX, URL */
		}
		i = j;
	}
	return words >= 2 && in_words * 10 >= n * 7 && in_words * 20 >= letters * 17;
}

/* ---- keys ---------------------------------------------------------------- */

static int key_char(int c)
{
	return isalnum(c) || c == '_' || c == '-' || c == '.';
}

/* Does the key name a password (only_passwords) or any credential? */
static int credential_key(const char *k, size_t n, int only_passwords, int dotenv)
{
	char low[128];
	if (n == 0 || n >= sizeof(low))
		return 0;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)k[i]);
	low[n] = '\0';
	int pw = strstr(low, "password") || strstr(low, "passwd") || strstr(low, "passphrase") ||
	         strstr(low, "pwd") || !strcmp(low, "pass") ||
	         (n > 4 && !strcmp(low + n - 4, "pass")) || !strncmp(low, "pass_", 5) ||
	         !strncmp(low, "pass-", 5) || strstr(low, "_pass_");
	/* names that hold something about a credential, not the credential */
	static const char *const about[] = {
	        "file",    "path",     "url",      "uri",         "type",    "hint",     "policy",
	        "length",  "expir",    "enable",   "requir",      "prompt",  "command",  "cmd",
	        "helper",  "mode",     "method",   "store",       "save",    "remember", "field",
	        "arn",     "bypass",   "passive",  "passport",    "compass", "through",  "format",
	        "label",   "reset",    "change",   "_env",        "_var",    "min",      "max",
	        "rule",    "strength", "timeout",  "ttl",         "_at",     "date",     "time",
	        "count",   "valid",    "hash_alg", "encoding",    "prefix",  "dir",      "forgot",
	        "confirm", "again",    "repeat",   "placeholder", "title",   "text",     "error",
	        "message", "msg",      NULL};
	/* and, for names that are not passwords, what they are about */
	static const char *const about_other[] = {"endpoint",    "server", "host", "port",
	                                          "user",        "name",   "cert", "public",
	                                          "publishable", NULL};
	for (const char *const *w = about; *w; w++)
		if (strstr(low, *w))
			return 0;
	if (n >= 3 && low[n - 2] == 'i' && low[n - 1] == 'd' &&
	    (low[n - 3] == '_' || low[n - 3] == '-' || k[n - 2] == 'I'))
		return 0;
	if (pw || only_passwords)
		return pw;
	for (const char *const *w = about_other; *w; w++)
		if (strstr(low, *w))
			return 0;
	if (strstr(low, "secret") || strstr(low, "token") || strstr(low, "apikey") ||
	    strstr(low, "api_key") || strstr(low, "api-key") || strstr(low, "credential") ||
	    strstr(low, "private_key") || strstr(low, "privatekey") || strstr(low, "access_key") ||
	    strstr(low, "accesskey") || strstr(low, "key-data") || strstr(low, "client_key") ||
	    !strcmp(low, "auth") || !strcmp(low, "_auth") || strstr(low, "authkey") ||
	    strstr(low, "auth_key") || strstr(low, "connectionstring") || strstr(low, "dsn"))
		return 1;
	/* .env names a key by its suffix: MAILGUN_KEY, APP_KEY */
	return dotenv && n > 4 && !strcmp(low + n - 4, "_key");
}
/* ---- readers ------------------------------------------------------------- */

typedef struct reader {
	const char *data;
	size_t len;
	sg_cred_cb cb;
	void *ctx;
	int rc;
	int only_passwords; /* configuration: passwords only, judged stricter */
	int explain;        /* hand rejected values to cb too */
	size_t key_start, key_len;
} reader;

/* In configuration a value must also not be prose or a label: no blanks,
 * ASCII, and not the key's own word ("password": "Password"). */
static int config_value(const char *v, size_t n, const char *key, size_t kn)
{
	for (size_t i = 0; i < n; i++)
		if (isspace((unsigned char)v[i]) || (unsigned char)v[i] >= 0x80)
			return 0;
	static const char *const words[] = {"password",     "passwd",   "pass",
	                                    "pwd",          "secret",   "passphrase",
	                                    "mot_de_passe", "passwort", NULL};
	for (const char *const *w = words; *w; w++)
		if (ci_eq(v, n, *w))
			return 0;
	if (sg_value_is_words(v, n) && (v[n - 1] == '.' || v[n - 1] == '!'))
		return 0; /* a sentence: PassWordMustBeAtLeast6Chars. */
	return !(n == kn && !strncasecmp(v, key, n));
}

/* A value under a credential name that is not a credential (explain only). */
static void reject(reader *r, size_t s, size_t e, const char *why)
{
	if (r->explain && e > s)
		r->cb(r->ctx, SG_CRED_PASSWORD, s, e, why);
}

static int emit(reader *r, sg_cred_what what, size_t s, size_t e)
{
	const char *v = r->data + s;
	size_t n = e - s;
	const char *why = NULL;
	if (what == SG_CRED_FILE)
		;
	else if (sg_value_is_placeholder(v, n))
		why = "placeholder: empty, a placeholder, a boolean, null, a version";
	else if (sg_value_is_reference(v, n))
		why = "reference: a value kept elsewhere (${VAR}, {{ x }}, !vault)";
	else if (sg_value_is_public(v, n))
		why = "placeholder: a key published on purpose (pk_, pk., phc_)";
	else if (r->only_passwords && !config_value(v, n, r->data + r->key_start, r->key_len))
		why = "context: prose, a label or the key's own word, not a password";
	else if (what == SG_CRED_PASSWORD && sg_value_is_date(v, n))
		why = "context: a date or timestamp";
	if (why) {
		reject(r, s, e, why);
		return 0;
	}
	int rc = r->cb(r->ctx, what, s, e, NULL);
	if (rc < 0)
		r->rc = rc;
	return rc;
}

/* A value after a separator at p: quoted, or up to a delimiter. */
static int value_span(const char *d, size_t p, size_t end, size_t *vs, size_t *ve)
{
	if (p >= end)
		return 0;
	char q = d[p];
	if (q == '"' || q == '\'' || q == '`') {
		size_t i = p + 1;
		while (i < end && d[i] != q) {
			if (d[i] == '\\' && i + 1 < end)
				i++;
			i++;
		}
		if (i >= end)
			return 0;
		*vs = p + 1;
		*ve = i;
		return 1;
	}
	size_t i = p;
	while (i < end && !isspace((unsigned char)d[i]) && d[i] != ',' && d[i] != ';' &&
	       d[i] != '}' && d[i] != ']' && d[i] != '<' && d[i] != '>' && d[i] != '#')
		i++;
	*vs = p;
	*ve = i;
	return i > p;
}

static size_t skip_blank(const char *d, size_t p, size_t end)
{
	while (p < end && (d[p] == ' ' || d[p] == '\t'))
		p++;
	return p;
}

/* A cheap first look: "pass" or "pwd" anywhere in the line. */
static int may_name_password(const char *s, size_t n)
{
	for (size_t i = 0; i + 2 < n; i++) {
		int c = s[i] | 0x20;
		if (c != 'p')
			continue;
		int a = s[i + 1] | 0x20, b = s[i + 2] | 0x20;
		if ((a == 'a' && b == 's') || (a == 'w' && b == 'd'))
			return 1;
	}
	return 0;
}

/* An unquoted value that is code, not a literal: a member chain
 * (options.credentials?.password), a call, a statement's end, a type
 * annotation (password: str = None). */
int sg_value_is_code(const char *d, size_t vs, size_t ve, size_t le)
{
	const char *v = d + vs;
	size_t n = ve - vs;
	size_t after = skip_blank(d, ve, le);
	if (after < le &&
	    (d[after] == ';' || d[after] == '(' || d[after] == '=' || d[after] == '.'))
		return 1;
	if (n >= 2 && ((v[0] == '!' && v[1] == '!') || (v[0] == '&' && v[1] == '&')))
		return 1;
	if (memmem(v, n, "?.", 2) || memmem(v, n, "->", 2) || memmem(v, n, "::", 2) ||
	    memchr(v, '(', n) || memchr(v, ')', n))
		return 1;
	/* identifier(.identifier)+ with no digit: self._authkey, config.withCredentials */
	int dots = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] == '.') {
			if (i == 0 || i + 1 == n || v[i - 1] == '.')
				return 0;
			dots++;
		} else if (!(isalpha((unsigned char)v[i]) || v[i] == '_' || v[i] == '$'))
			return 0;
	}
	return dots > 0;
}

/* The value spells the key's own name (FConn.Password:=APassword,
 * "nextPageToken": "my_nextPageToken", _auth = 'mysql_native_password'). */
static int derived_from_key(const char *k, size_t kn, const char *v, size_t vn)
{
	char key[128], val[256];
	size_t kl = 0, vl = 0;
	for (size_t i = 0; i < kn && kl + 1 < sizeof(key); i++)
		if (isalnum((unsigned char)k[i]))
			key[kl++] = (char)tolower((unsigned char)k[i]);
	for (size_t i = 0; i < vn && vl + 1 < sizeof(val); i++)
		if (isalnum((unsigned char)v[i]))
			val[vl++] = (char)tolower((unsigned char)v[i]);
	key[kl] = val[vl] = '\0';
	if (kl < 4 || vl < 4)
		return 0;
	/* the key's last word: Password in FConn.Password, password in db_password */
	const char *last = k + kn;
	while (last > k && isalnum((unsigned char)last[-1]) &&
	       !(isupper((unsigned char)last[-1]) && last - 1 > k &&
	         islower((unsigned char)last[-2])))
		last--;
	if (last > k && isupper((unsigned char)last[-1]))
		last--;
	char word[64];
	size_t wl = 0;
	for (const char *p = last; p < k + kn && wl + 1 < sizeof(word); p++)
		if (isalnum((unsigned char)*p))
			word[wl++] = (char)tolower((unsigned char)*p);
	word[wl] = '\0';
	return strstr(val, key) || (vl >= 6 && strstr(key, val)) ||
	       (wl >= 6 && strstr(val, word) && vl <= wl + 10 &&
	        !isdigit((unsigned char)val[vl - 1]));
}

/* Does the text before the quote at q read "define(" (PHP constants)? */
static int define_call(const char *d, size_t ls, size_t q)
{
	size_t i = q;
	while (i > ls && (d[i - 1] == ' ' || d[i - 1] == '\t'))
		i--;
	return i >= ls + 7 && !strncasecmp(d + i - 7, "define(", 7);
}

/* key = value, key: value, "key": "value", key="value", <Key ..>value</Key>,
 * name="password" value="...", $key = '...', 'key' => '...', and for netrc
 * style files "key value". */
static void read_line_kv(reader *r, size_t ls, size_t le, int spaced, int only_pw, int dotenv)
{
	const char *d = r->data;
	if (only_pw && !may_name_password(d + ls, le - ls))
		return;
	size_t first = skip_blank(d, ls, le);
	if (first < le && (d[first] == '#' || d[first] == ';') && !spaced)
		return;
	if (first + 1 < le && d[first] == '/' && d[first + 1] == '/' && d[first + 2] != '/' &&
	    !spaced)
		return;
	size_t i = ls;
	while (i < le && r->rc == 0) {
		if (!key_char((unsigned char)d[i]) ||
		    (i > ls && key_char((unsigned char)d[i - 1]))) {
			i++;
			continue;
		}
		size_t ks = i;
		while (i < le && key_char((unsigned char)d[i]))
			i++;
		size_t ke = i;
		if (!credential_key(d + ks, ke - ks, only_pw, dotenv))
			continue;
		r->key_start = ks;
		r->key_len = ke - ks;
		char open = ks > ls ? d[ks - 1] : 0;
		size_t p = ke;
		if ((open == '"' || open == '\'') && p < le && d[p] == open) {
			p++;
			/* $cfg['Servers'][$i]['password'] = '...' */
			if (p < le && d[p] == ']')
				p++;
		}
		p = skip_blank(d, p, le);
		size_t vs, ve;
		if (open == '<') {
			/* an element: <Pass encoding="base64">value</Pass> */
			const char *gt = memchr(d + p, '>', le - p);
			if (!gt || gt[-1] == '/')
				continue;
			vs = (size_t)(gt - d) + 1;
			const char *lt = memchr(d + vs, '<', le - vs);
			if (!lt)
				continue;
			ve = (size_t)(lt - d);
			while (vs < ve && isspace((unsigned char)d[vs]))
				vs++;
			while (ve > vs && isspace((unsigned char)d[ve - 1]))
				ve--;
			if (ve > vs)
				emit(r, SG_CRED_PASSWORD, vs, ve);
			i = ve;
			continue;
		}
		if ((open == '"' || open == '\'') && p + 6 < le &&
		    !strncasecmp(d + p, "value=", 6)) {
			/* <property name="password" value="..."/>, <add key="Pwd" value=".."/> */
			if (value_span(d, p + 6, le, &vs, &ve)) {
				emit(r, SG_CRED_PASSWORD, vs, ve);
				i = ve;
			}
			continue;
		}
		size_t sep = p;
		if (p + 1 < le &&
		    ((d[p] == '=' && d[p + 1] == '>') || (d[p] == ':' && d[p + 1] == '=')))
			p += 2;
		else if (p < le &&
		         (d[p] == '=' || (d[p] == ':' && !(p + 1 < le && d[p + 1] == '/'))))
			p++;
		else if ((open == '\'' || open == '"') && p < le && d[p] == ',' &&
		         define_call(d, ls, ks - 1))
			p++; /* PHP define('DB_PASSWORD', '...') */
		else if (p > ke && p < le && (d[p] == '"' || d[p] == '\'') && ks == first)
			; /* server.cfg: rcon_password "..." */
		else if (!(spaced && p > ke))
			continue;
		if (p < le && d[p] == '=' && p > sep)
			continue; /* ==, a comparison */
		p = skip_blank(d, p, le);
		if (!value_span(d, p, le, &vs, &ve))
			continue;
		int quoted = d[p] == '"' || d[p] == '\'' || d[p] == '`';
		/* structure, not a value: {"type": "string"}, [..], (..) */
		if (!quoted && (d[vs] == '{' || d[vs] == '[' || d[vs] == '('))
			continue;
		if (!quoted && sg_value_is_code(d, vs, ve, le)) {
			reject(r, vs, ve, "context: code (a member chain, call or statement)");
			continue;
		}
		/* a token or key is not three letters long; a weak password may be */
		if (ve - vs < 6 && !credential_key(d + ks, ke - ks, 1, 0)) {
			reject(r, vs, ve, "context: too short for a token or key");
			continue;
		}
		if (derived_from_key(d + ks, ke - ks, d + vs, ve - vs)) {
			reject(r, vs, ve, "context: spells the name it is assigned to");
			continue;
		}
		emit(r, SG_CRED_PASSWORD, vs, ve);
		i = ve > i ? ve : i;
	}
}

/* scheme://user:password@host */
static void read_line_urls(reader *r, size_t ls, size_t le)
{
	const char *d = r->data;
	size_t i = ls;
	while (i + 3 < le && r->rc == 0) {
		const char *m = memmem(d + i, le - i, "://", 3);
		if (!m)
			return;
		size_t us = (size_t)(m - d) + 3, p = us, colon = 0;
		while (p < le && d[p] != '@' && d[p] != '/' && !isspace((unsigned char)d[p]) &&
		       d[p] != '"' && d[p] != '\'' && d[p] != '<' && d[p] != '>') {
			if (d[p] == ':' && !colon)
				colon = p;
			p++;
		}
		if (p < le && d[p] == '@' && colon && colon + 1 < p)
			emit(r, SG_CRED_PASSWORD, colon + 1, p);
		i = p > us ? p : us;
	}
}

/* user:hash (shadow, htpasswd) or host:port:db:user:password (pgpass). */
static void read_line_fields(reader *r, size_t ls, size_t le, int field, int hash)
{
	const char *d = r->data;
	size_t first = skip_blank(d, ls, le);
	if (first >= le || d[first] == '#')
		return;
	size_t p = first;
	for (int f = 0; f < field; f++) {
		while (p < le && d[p] != ':') {
			if (d[p] == '\\' && p + 1 < le)
				p++;
			p++;
		}
		if (p >= le)
			return;
		p++;
	}
	size_t e = p;
	if (hash)
		while (e < le && d[e] != ':' && !isspace((unsigned char)d[e]))
			e++;
	else
		e = le;
	while (e > p && isspace((unsigned char)d[e - 1]))
		e--;
	/* locked or disabled accounts: *, !, !!, x, and a ! before a hash */
	while (hash && p < e && d[p] == '!')
		p++;
	if (e - p < 2 || (hash && (d[p] == '*' || (e - p == 1 && d[p] == 'x'))))
		return;
	emit(r, hash ? SG_CRED_HASH : SG_CRED_PASSWORD, p, e);
}

static int hash_shaped(const char *s, size_t n, int pass_column)
{
	if (n >= 20 && s[0] == '$' &&
	    (s[1] == '1' || s[1] == '2' || s[1] == '5' || s[1] == '6' || s[1] == 'a' ||
	     s[1] == 'y'))
		return memchr(s + 1, '$', n - 1) != NULL;
	if (n >= 20 &&
	    (!strncmp(s, "pbkdf2_", 7) || !strncmp(s, "sha1$", 5) || !strncmp(s, "bcrypt$", 7) ||
	     !strncmp(s, "{SSHA}", 6) || !strncmp(s, "{SHA}", 5)))
		return 1;
	if (!pass_column || !(n == 32 || n == 40 || n == 64 || n == 128))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Password hashes in the rows of INSERT statements (SQL dumps). */
static void read_sql(reader *r)
{
	const char *d = r->data;
	size_t ls = 0;
	int in_insert = 0, pass_column = 0;
	while (ls < r->len && r->rc == 0) {
		const char *nl = memchr(d + ls, '\n', r->len - ls);
		size_t le = nl ? (size_t)(nl - d) : r->len;
		size_t cap = le - ls > LINE_MAX_READ ? ls + LINE_MAX_READ : le;
		size_t first = skip_blank(d, ls, cap);
		if (cap - first >= 11 && !strncasecmp(d + first, "INSERT INTO", 11)) {
			in_insert = 1;
			/* hex digests count only in a table of users or a password column */
			pass_column = ci_has(d + first, cap - first, "pass") ||
			              ci_has(d + first, cap - first, "user") ||
			              ci_has(d + first, cap - first, "account") ||
			              ci_has(d + first, cap - first, "member") ||
			              ci_has(d + first, cap - first, "admin") ||
			              ci_has(d + first, cap - first, "login");
		}
		for (size_t i = ls; in_insert && i < cap; i++) {
			if (d[i] != '\'')
				continue;
			size_t j = i + 1;
			while (j < cap && d[j] != '\'') {
				if (d[j] == '\\' && j + 1 < cap)
					j++;
				j++;
			}
			if (j >= cap)
				break;
			if (hash_shaped(d + i + 1, j - i - 1, pass_column))
				emit(r, SG_CRED_HASH, i + 1, j);
			i = j;
		}
		size_t t = le;
		while (t > ls && isspace((unsigned char)d[t - 1]))
			t--;
		if (t > ls && d[t - 1] == ';')
			in_insert = 0;
		ls = nl ? le + 1 : r->len;
	}
}

int sg_credfile_read(int type, const char *data, size_t len, int only_passwords, int explain,
                     sg_cred_cb cb, void *ctx)
{
	reader r = {data, len, cb, ctx, 0, only_passwords, explain, 0, 0};
	if (type == SG_STORE_KEYSTORE) {
		if (len)
			emit(&r, SG_CRED_FILE, 0, len < 64 ? len : 64);
		return r.rc;
	}
	if (type == SG_STORE_PRIVATE_KEY) {
		size_t head = len < 4096 ? len : 4096;
		/* PEM and PuTTY keys are the private-key rules' business */
		if (len && !memmem(data, head, "-----BEGIN", 10) &&
		    !memmem(data, head, "PuTTY", 5) && !memmem(data, head, "ssh-", 4))
			emit(&r, SG_CRED_FILE, 0, len < 64 ? len : 64);
		return r.rc;
	}
	if (type == SG_STORE_SQL) {
		read_sql(&r);
		return r.rc;
	}
	size_t ls = 0;
	while (ls < len && r.rc == 0) {
		const char *nl = memchr(data + ls, '\n', len - ls);
		size_t le = nl ? (size_t)(nl - data) : len;
		size_t cap = le - ls > LINE_MAX_READ ? ls + LINE_MAX_READ : le;
		if (cap > ls && data[cap - 1] == '\r')
			cap--;
		switch (type) {
		case SG_STORE_GIT:
			read_line_urls(&r, ls, cap);
			break;
		case SG_STORE_PGPASS:
			read_line_fields(&r, ls, cap, 4, 0);
			break;
		case SG_STORE_SHADOW:
		case SG_STORE_HTPASSWD:
			read_line_fields(&r, ls, cap, 1, 1);
			break;
		case SG_STORE_NETRC:
		case SG_STORE_MAILRC:
			read_line_kv(&r, ls, cap, 1, 1, 0);
			if (type == SG_STORE_MAILRC)
				read_line_urls(&r, ls, cap);
			break;
		default:
			read_line_kv(&r, ls, cap, 0, only_passwords, type == SG_STORE_DOTENV);
			if (!only_passwords)
				read_line_urls(&r, ls, cap);
		}
		ls = nl ? le + 1 : len;
	}
	return r.rc;
}
