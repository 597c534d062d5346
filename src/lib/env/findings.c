/* The env gate's rule ids as findings: description, severity and help for
 * each, and the one function that appends an env finding. Findings name
 * variables and places, never secret values. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "lib/env/env_internal.h"

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
        {SG_ENV_PLATFORM_MISSING,
         "Required variable neither set nor declared by the environment's platform file",
         SG_SEV_HIGH,
         "set it in the platform file, mark it as provided there (sync: false, a secret "
         "reference), or list it under the environment's provided:"},
        {SG_ENV_PLATFORM_SECRET, "Secret written as a value in a platform file", SG_SEV_CRITICAL,
         "move it to the platform's secret store, reference it from the file, and rotate it"},
        {SG_ENV_DEV_SECRET, "Production secret value found in a committed or development file",
         SG_SEV_CRITICAL,
         "remove it from the file, use a development credential there, and rotate the "
         "production one"},
        {SG_ENV_DIFF_MISSING, "Variable set in one environment and not the other", SG_SEV_MEDIUM,
         "set it in both environments or in neither"},
        {SG_ENV_DIFF_TYPE, "Variable valid in one environment and not the other", SG_SEV_MEDIUM,
         "fix the value that breaks the declaration"},
        {SG_ENV_SHARED_SECRET, "Secret has the same value in two environments", SG_SEV_CRITICAL,
         "give each environment its own credential and rotate the shared one"},
        {SG_ENV_DRIFT, "Environment changed since its snapshot", SG_SEV_HIGH,
         "if the change is intended, accept it with --update; otherwise restore the value"},
};

static const rule_info *rule_lookup(const char *id)
{
	for (size_t i = 0; i < sizeof(rules_table) / sizeof(rules_table[0]); i++)
		if (strcmp(rules_table[i].id, id) == 0)
			return &rules_table[i];
	return &rules_table[0];
}

static int vemit(sg_findings *out, const char *rule_id, int blocking, const char *path,
                 uint32_t line, uint32_t column, const char *key, const char *fmt, va_list ap)
{
	const rule_info *ri = rule_lookup(rule_id);
	char message[768];
	vsnprintf(message, sizeof(message), fmt, ap);
	sg_finding f;
	memset(&f, 0, sizeof(f));
	f.rule_id = ri->id;
	f.description = ri->description;
	f.severity = ri->severity;
	f.confidence = SG_CONF_HIGH;
	f.path = (char *)(path ? path : "(environment)");
	f.line = line;
	f.end_line = line;
	f.column = column ? column : 1;
	f.end_column = f.column;
	f.message = message;
	f.help = ri->help;
	/* Reported, not blocking: a warning, whatever --fail-on says. */
	if (!blocking)
		f.suppressed = SG_SUPPRESS_WARNING;
	sg_fingerprint_name(f.fingerprint, ri->id, key, strlen(key));
	int rc = sg_findings_push(out, &f);
	return rc < 0 ? rc : 0;
}

int sg_env_emit(sg_findings *out, const char *rule_id, const char *path, uint32_t line,
                uint32_t column, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vemit(out, rule_id, 1, path, line, column, key, fmt, ap);
	va_end(ap);
	return rc;
}

int sg_env_finding(sg_findings *out, const char *rule_id, int blocking, const char *path,
                   uint32_t line, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vemit(out, rule_id, blocking, path, line, 1, key, fmt, ap);
	va_end(ap);
	return rc;
}

int sg_env_findings_name_owners(sg_findings *f, size_t from, const sg_manifest *m)
{
	for (size_t i = from; m && i < f->count; i++) {
		sg_finding *x = &f->items[i];
		if (!x->message || strncmp(x->rule_id, "env-", 4) != 0)
			continue;
		size_t n = strcspn(x->message, " ");
		char name[256];
		if (n == 0 || n >= sizeof(name))
			continue;
		memcpy(name, x->message, n);
		name[n] = '\0';
		const char *owner = sg_manifest_owner(m, name);
		if (!owner || strstr(x->message, " (owner: "))
			continue;
		size_t len = strlen(x->message) + strlen(owner) + 12;
		char *msg = malloc(len);
		if (!msg)
			return sg_error_set(SG_ENOMEM, "out of memory");
		snprintf(msg, len, "%s (owner: %s)", x->message, owner);
		free(x->message);
		x->message = msg;
	}
	return 0;
}
