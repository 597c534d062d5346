/* env_snapshot: capture, write, read and compare environment lock files.
 * A secret's digest is HMAC-SHA256(key, salt || name || 0 || value): without
 * the key (kept in CI secrets, never in the repository) a weak secret cannot
 * be guessed from the lock, and the salt keeps two locks from matching. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/env/env_internal.h"
#include "secretgate/env_platform.h"
#include "secretgate/env_snapshot.h"
#include "util/sha256.h"
#include "util/grow.h"

static const char key_id_label[] = "secretgate env lock key id";

void sg_hmac_sha256(unsigned char out[32], const void *key, size_t key_len, const void *data,
                    size_t len)
{
	unsigned char k[64] = {0}, pad[64], inner[32];
	sg_sha256 c;
	if (key_len > 64) {
		sg_sha256_init(&c);
		sg_sha256_update(&c, key, key_len);
		sg_sha256_final(&c, k);
	} else if (key_len) {
		memcpy(k, key, key_len);
	}
	for (int i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x36;
	sg_sha256_init(&c);
	sg_sha256_update(&c, pad, 64);
	sg_sha256_update(&c, data, len);
	sg_sha256_final(&c, inner);
	for (int i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x5c;
	sg_sha256_init(&c);
	sg_sha256_update(&c, pad, 64);
	sg_sha256_update(&c, inner, 32);
	sg_sha256_final(&c, out);
	memset(k, 0, sizeof(k));
	memset(pad, 0, sizeof(pad));
}

static void hex(char *out, const unsigned char *b, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

static int unhex(unsigned char *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v = 0;
		for (int k = 0; k < 2; k++) {
			char c = s[2 * i + k];
			int d = c >= '0' && c <= '9'   ? c - '0'
			        : c >= 'a' && c <= 'f' ? c - 'a' + 10
			                               : -1;
			if (d < 0)
				return -1;
			v = v << 4 | (unsigned)d;
		}
		out[i] = (unsigned char)v;
	}
	return s[2 * n] == '\0' ? 0 : -1;
}

void sg_env_lock_free(sg_env_lock *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->count; i++) {
		free(l->items[i].name);
		free(l->items[i].value);
	}
	free(l->items);
	free(l->environment);
	free(l);
}

static sg_lock_entry *lock_add(sg_env_lock *l, const char *name, size_t name_len)
{
	if (l->count >= SG_LOCK_MAX_VARS)
		return NULL;
	if (l->count == l->cap && SG_GROW(l->items, l->cap, 16) < 0)
		return NULL;
	sg_lock_entry *e = &l->items[l->count];
	memset(e, 0, sizeof(*e));
	if (!(e->name = strndup(name, name_len)))
		return NULL;
	l->count++;
	return e;
}

static const sg_lock_entry *lock_get(const sg_env_lock *l, const char *name)
{
	for (size_t i = 0; i < l->count; i++)
		if (!strcmp(l->items[i].name, name))
			return &l->items[i];
	return NULL;
}

static void key_id(char out[17], const unsigned char *key, size_t key_len)
{
	unsigned char mac[32];
	sg_hmac_sha256(mac, key, key_len, key_id_label, sizeof(key_id_label) - 1);
	hex(out, mac, 8);
}

int sg_env_lock_capture(sg_env_lock **out, const sg_manifest *m, const sg_envcheck_options *o,
                        const unsigned char *key, size_t key_len,
                        const unsigned char salt[SG_LOCK_SALT_SIZE])
{
	*out = NULL;
	sg_env_lock *l = calloc(1, sizeof(*l));
	if (!l || !(l->environment = strdup(o->environment ? o->environment : ""))) {
		free(l);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	memcpy(l->salt, salt, SG_LOCK_SALT_SIZE);
	if (key)
		key_id(l->key_id, key, key_len);
	sg_scanner *scanner = NULL;
	sg_scan_options so = SG_SCAN_OPTIONS_INIT;
	if (o->rules && sg_scanner_new(&scanner, o->rules, &so) < 0) {
		sg_env_lock_free(l);
		return SG_ENOMEM;
	}
	for (size_t i = 0; i < m->nvars; i++) {
		const sg_var *v = &m->vars[i];
		const char *value, *path;
		uint32_t line;
		sg_lock_entry *e = lock_add(l, v->name, strlen(v->name));
		if (!e) {
			sg_scanner_free(scanner);
			sg_env_lock_free(l);
			return sg_error_set(SG_ENOMEM, "out of memory");
		}
		if (!sg_envcheck_lookup(&value, &path, &line, o, v->name))
			continue;
		e->path = path;
		e->value_line = line;
		if (!v->secret && !sg_platform_secret_rule(scanner, value, strlen(value))) {
			e->state = SG_LOCK_VALUE;
			if (!(e->value = strdup(value))) {
				sg_scanner_free(scanner);
				sg_env_lock_free(l);
				return sg_error_set(SG_ENOMEM, "out of memory");
			}
			continue;
		}
		if (!key) {
			sg_scanner_free(scanner);
			sg_env_lock_free(l);
			return sg_error_set(SG_EINVALID,
			                    "secret %s is set but no key was given to digest it",
			                    v->name);
		}
		size_t nlen = strlen(v->name), vlen = strlen(value);
		unsigned char *msg = malloc(SG_LOCK_SALT_SIZE + nlen + 1 + vlen), mac[32];
		if (!msg) {
			sg_scanner_free(scanner);
			sg_env_lock_free(l);
			return sg_error_set(SG_ENOMEM, "out of memory");
		}
		memcpy(msg, salt, SG_LOCK_SALT_SIZE);
		memcpy(msg + SG_LOCK_SALT_SIZE, v->name, nlen + 1);
		memcpy(msg + SG_LOCK_SALT_SIZE + nlen + 1, value, vlen);
		sg_hmac_sha256(mac, key, key_len, msg, SG_LOCK_SALT_SIZE + nlen + 1 + vlen);
		memset(msg, 0, SG_LOCK_SALT_SIZE + nlen + 1 + vlen);
		free(msg);
		hex(e->digest, mac, 32);
		e->state = SG_LOCK_SECRET;
	}
	sg_scanner_free(scanner);
	*out = l;
	return 0;
}

/* ---- text form ----------------------------------------------------------- */

typedef struct buf {
	char *data;
	size_t len, cap;
} buf;

static int put(buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *d = realloc(b->data, cap);
		if (!d)
			return -1;
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

static int puts_b(buf *b, const char *s)
{
	return put(b, s, strlen(s));
}

/* A value in double quotes: \\ \" \n \r \t and \xHH for other control bytes. */
static int put_quoted(buf *b, const char *s)
{
	int rc = put(b, "\"", 1);
	for (; rc == 0 && *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[8];
		if (c == '\\' || c == '"')
			snprintf(esc, sizeof(esc), "\\%c", c);
		else if (c == '\n')
			snprintf(esc, sizeof(esc), "\\n");
		else if (c == '\r')
			snprintf(esc, sizeof(esc), "\\r");
		else if (c == '\t')
			snprintf(esc, sizeof(esc), "\\t");
		else if (c < 0x20 || c == 0x7f)
			snprintf(esc, sizeof(esc), "\\x%02x", c);
		else {
			rc = put(b, (const char *)&c, 1);
			continue;
		}
		rc = puts_b(b, esc);
	}
	return rc ? rc : put(b, "\"", 1);
}

int sg_env_lock_format(char **out, size_t *len, const sg_env_lock *l)
{
	buf b = {0};
	char salt[2 * SG_LOCK_SALT_SIZE + 1], line[160];
	hex(salt, l->salt, SG_LOCK_SALT_SIZE);
	int rc = puts_b(&b,
	                "# secretgate environment lock: written by `secretgate env snapshot`;\n"
	                "# accept changes with `secretgate env check --against FILE --update`.\n");
	snprintf(line, sizeof(line), "secretgate-env-lock %d\n", SG_LOCK_VERSION);
	rc = rc ? rc : puts_b(&b, line);
	rc = rc ? rc : puts_b(&b, "environment ");
	rc = rc ? rc : puts_b(&b, l->environment);
	snprintf(line, sizeof(line), "\nsalt %s\n", salt);
	rc = rc ? rc : puts_b(&b, line);
	if (l->key_id[0]) {
		snprintf(line, sizeof(line), "key-id %s\n", l->key_id);
		rc = rc ? rc : puts_b(&b, line);
	}
	for (size_t i = 0; rc == 0 && i < l->count; i++) {
		const sg_lock_entry *e = &l->items[i];
		static const char *const words[] = {"unset ", "set ", "secret "};
		rc = puts_b(&b, words[e->state]);
		rc = rc ? rc : puts_b(&b, e->name);
		if (rc == 0 && e->state == SG_LOCK_VALUE)
			rc = put(&b, " ", 1) ? -1 : put_quoted(&b, e->value);
		if (rc == 0 && e->state == SG_LOCK_SECRET)
			rc = puts_b(&b, " hmac-sha256:") ? -1 : puts_b(&b, e->digest);
		rc = rc ? rc : put(&b, "\n", 1);
	}
	if (rc) {
		free(b.data);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	*out = b.data;
	*len = b.len;
	return 0;
}

static int lock_bad(const char *name, uint32_t line, const char *why)
{
	return sg_error_set(SG_EINVALID, "%s:%u: %s", name, line, why);
}

static int valid_name(const char *s, size_t n)
{
	if (!n || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '.'))
			return 0;
	return 1;
}

/* The quoted value at s (up to end); *value gets the decoded text. */
static int parse_quoted(char **value, const char *s, const char *end)
{
	buf b = {0};
	if (s >= end || *s != '"')
		return -1;
	for (s++; s < end && *s != '"'; s++) {
		char c = *s;
		if (c == '\\') {
			if (++s >= end)
				break;
			c = *s == 'n' ? '\n' : *s == 'r' ? '\r' : *s == 't' ? '\t' : *s;
			if (*s == 'x') {
				unsigned char byte;
				char two[3] = {0};
				if (end - s < 3)
					break;
				memcpy(two, s + 1, 2);
				if (unhex(&byte, two, 1) < 0 || byte == 0)
					break;
				c = (char)byte;
				s += 2;
			} else if (!strchr("\\\"nrt", *s)) {
				break;
			}
		}
		if (put(&b, &c, 1) < 0)
			break;
	}
	if (s + 1 != end || *s != '"') {
		free(b.data);
		return -1;
	}
	if (!b.data && put(&b, "", 0) < 0)
		return -1;
	*value = b.data;
	return 0;
}

int sg_env_lock_parse(sg_env_lock **out, const char *name, const char *text, size_t len)
{
	*out = NULL;
	if (len > SG_LOCK_MAX_SIZE)
		return sg_error_set(SG_ETOOBIG, "%s: over %u bytes", name, SG_LOCK_MAX_SIZE);
	sg_env_lock *l = calloc(1, sizeof(*l));
	if (!l)
		return sg_error_set(SG_ENOMEM, "out of memory");
	const char *p = text, *end = text + len;
	uint32_t line = 0;
	int rc = 0, version = 0, salt = 0;
	while (p < end && rc == 0) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol : end;
		line++;
		const char *s = p;
		p = eol ? eol + 1 : end;
		if (le > s && le[-1] == '\r')
			le--;
		if (s == le || *s == '#')
			continue;
		if (memchr(s, '\0', (size_t)(le - s))) {
			rc = lock_bad(name, line, "NUL byte");
			break;
		}
		const char *sp = memchr(s, ' ', (size_t)(le - s));
		size_t wlen = sp ? (size_t)(sp - s) : (size_t)(le - s);
		const char *arg = sp ? sp + 1 : le;
		size_t alen = (size_t)(le - arg);
		char word[32];
		if (wlen >= sizeof(word)) {
			rc = lock_bad(name, line, "unknown line");
			break;
		}
		memcpy(word, s, wlen);
		word[wlen] = '\0';
		if (!version) {
			if (strcmp(word, "secretgate-env-lock"))
				rc = lock_bad(name, line, "not a secretgate lock file");
			else if (alen != 1 || arg[0] != '1')
				rc = lock_bad(name, line, "unsupported lock version (expected 1)");
			version = 1;
			continue;
		}
		if (!strcmp(word, "environment")) {
			free(l->environment);
			if (!(l->environment = strndup(arg, alen)))
				rc = sg_error_set(SG_ENOMEM, "out of memory");
		} else if (!strcmp(word, "salt")) {
			char hexs[2 * SG_LOCK_SALT_SIZE + 1];
			if (alen != 2 * SG_LOCK_SALT_SIZE)
				rc = lock_bad(name, line, "salt must be 32 hex digits");
			else {
				memcpy(hexs, arg, alen);
				hexs[alen] = '\0';
				if (unhex(l->salt, hexs, SG_LOCK_SALT_SIZE) < 0)
					rc = lock_bad(name, line, "salt must be 32 hex digits");
				salt = 1;
			}
		} else if (!strcmp(word, "key-id")) {
			unsigned char tmp[8];
			char hexs[17];
			if (alen != 16)
				rc = lock_bad(name, line, "key-id must be 16 hex digits");
			else {
				memcpy(hexs, arg, 16);
				hexs[16] = '\0';
				if (unhex(tmp, hexs, 8) < 0)
					rc = lock_bad(name, line, "key-id must be 16 hex digits");
				else
					memcpy(l->key_id, hexs, 17);
			}
		} else if (!strcmp(word, "set") || !strcmp(word, "secret") ||
		           !strcmp(word, "unset")) {
			const char *nsp = memchr(arg, ' ', alen);
			size_t nlen = nsp ? (size_t)(nsp - arg) : alen;
			const char *rest = nsp ? nsp + 1 : le;
			if (!valid_name(arg, nlen)) {
				rc = lock_bad(name, line, "bad variable name");
				break;
			}
			char vname[256];
			if (nlen >= sizeof(vname)) {
				rc = lock_bad(name, line, "variable name too long");
				break;
			}
			memcpy(vname, arg, nlen);
			vname[nlen] = '\0';
			if (lock_get(l, vname)) {
				rc = lock_bad(name, line, "variable listed twice");
				break;
			}
			sg_lock_entry *e = lock_add(l, arg, nlen);
			if (!e) {
				rc = l->count >= SG_LOCK_MAX_VARS
				             ? sg_error_set(SG_ETOOBIG,
				                            "%s:%u: more than %d variables", name,
				                            line, SG_LOCK_MAX_VARS)
				             : sg_error_set(SG_ENOMEM, "out of memory");
				break;
			}
			e->line = line;
			if (word[0] == 'u') {
				if (nsp)
					rc = lock_bad(name, line, "unset takes only a name");
			} else if (word[1] == 'e' && word[2] == 't') {
				e->state = SG_LOCK_VALUE;
				if (!nsp || parse_quoted(&e->value, rest, le) < 0)
					rc = lock_bad(name, line,
					              "set needs a name and a quoted value");
			} else {
				e->state = SG_LOCK_SECRET;
				size_t rlen = (size_t)(le - rest);
				unsigned char tmp[32];
				if (!nsp || rlen != 12 + 64 || memcmp(rest, "hmac-sha256:", 12))
					rc = lock_bad(name, line,
					              "secret needs hmac-sha256:<64 hex>");
				else {
					memcpy(e->digest, rest + 12, 64);
					e->digest[64] = '\0';
					if (unhex(tmp, e->digest, 32) < 0)
						rc = lock_bad(name, line,
						              "secret needs hmac-sha256:<64 hex>");
				}
			}
		} else {
			rc = lock_bad(name, line, "unknown line");
		}
	}
	if (rc == 0 && !version)
		rc = lock_bad(name, line, "not a secretgate lock file (empty)");
	if (rc == 0 && !salt)
		rc = lock_bad(name, line, "no salt line");
	if (rc == 0 && !l->environment)
		rc = lock_bad(name, line, "no environment line");
	if (rc) {
		sg_env_lock_free(l);
		return rc;
	}
	*out = l;
	return 0;
}

/* ---- drift --------------------------------------------------------------- */

int sg_env_lock_compare(sg_findings *out, const sg_env_lock *before, const sg_env_lock *now,
                        const char *lock_path, int blocking)
{
	int rc = 0;
	char key[512];
	const char *accepted = blocking ? "" : " (accepted with --update)";
	for (size_t i = 0; i < now->count && rc == 0; i++) {
		const sg_lock_entry *n = &now->items[i];
		const sg_lock_entry *b = lock_get(before, n->name);
		sg_lock_state was = b ? b->state : SG_LOCK_UNSET;
		snprintf(key, sizeof(key), "%s:%s", now->environment, n->name);
		const char *path = n->path ? n->path : lock_path;
		uint32_t line = n->path ? n->value_line : (b ? b->line : 0);
		if (was == SG_LOCK_UNSET && n->state == SG_LOCK_UNSET)
			continue;
		if (was == SG_LOCK_UNSET)
			rc = sg_env_finding(out, SG_ENV_DRIFT, blocking, path, line, key,
			                    "%s was added since the snapshot %s%s", n->name,
			                    lock_path, accepted);
		else if (n->state == SG_LOCK_UNSET)
			rc = sg_env_finding(out, SG_ENV_DRIFT, blocking, lock_path, b->line, key,
			                    "%s was removed since the snapshot %s%s", n->name,
			                    lock_path, accepted);
		else if (was != n->state)
			rc = sg_env_finding(out, SG_ENV_DRIFT, blocking, path, line, key,
			                    "%s changed since the snapshot %s: it is %s a secret "
			                    "now%s",
			                    n->name, lock_path,
			                    n->state == SG_LOCK_SECRET ? "" : "no longer",
			                    accepted);
		else if (n->state == SG_LOCK_SECRET && strcmp(n->digest, b->digest))
			rc = sg_env_finding(
			        out, SG_ENV_DRIFT, blocking, path, line, key,
			        "%s changed since the snapshot %s (secret: the value is not "
			        "shown)%s",
			        n->name, lock_path, accepted);
		else if (n->state == SG_LOCK_VALUE && strcmp(n->value, b->value)) {
			char was_v[96], now_v[96];
			snprintf(was_v, sizeof(was_v), "%.80s%s", b->value,
			         strlen(b->value) > 80 ? "..." : "");
			snprintf(now_v, sizeof(now_v), "%.80s%s", n->value,
			         strlen(n->value) > 80 ? "..." : "");
			for (char *c = was_v; *c; c++)
				if ((unsigned char)*c < 0x20)
					*c = ' ';
			for (char *c = now_v; *c; c++)
				if ((unsigned char)*c < 0x20)
					*c = ' ';
			rc = sg_env_finding(
			        out, SG_ENV_DRIFT, blocking, path, line, key,
			        "%s changed since the snapshot %s: was \"%s\", now \"%s\"%s",
			        n->name, lock_path, was_v, now_v, accepted);
		}
	}
	/* Variables the snapshot has and the manifest no longer declares. */
	for (size_t i = 0; i < before->count && rc == 0; i++) {
		const sg_lock_entry *b = &before->items[i];
		if (lock_get(now, b->name) || b->state == SG_LOCK_UNSET)
			continue;
		snprintf(key, sizeof(key), "%s:%s", now->environment, b->name);
		rc = sg_env_finding(out, SG_ENV_DRIFT, blocking, lock_path, b->line, key,
		                    "%s is in the snapshot %s but no longer declared%s", b->name,
		                    lock_path, accepted);
	}
	return rc;
}
