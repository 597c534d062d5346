/* env_finding: the second-stage config-gate rules and their findings. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "env_finding.h"
#include "manifest.h"

typedef struct rule_info {
	const char *id;
	const char *description;
	sg_severity severity;
	const char *help;
} rule_info;

static const rule_info rules_table[] = {
        {SG_ENV_PLATFORM_MISSING,
         "Required variable neither set nor declared by the environment's platform file",
         SG_SEV_HIGH,
         "set it in the platform file, mark it as provided there (sync: false, a secret "
         "reference), or list it under the environment's provided:"},
        {SG_ENV_PLATFORM_SECRET, "Secret written as a value in a platform file", SG_SEV_CRITICAL,
         "move it to the platform's secret store, reference it from the file, and rotate it"},
        {SG_ENV_DIFF_MISSING, "Variable set in one environment and not the other", SG_SEV_MEDIUM,
         "set it in both environments or in neither"},
        {SG_ENV_DIFF_TYPE, "Variable valid in one environment and not the other", SG_SEV_MEDIUM,
         "fix the value that breaks the declaration"},
        {SG_ENV_SHARED_SECRET, "Secret has the same value in two environments", SG_SEV_CRITICAL,
         "give each environment its own credential and rotate the shared one"},
        {SG_ENV_DEV_SECRET, "Production secret value found in a committed or development file",
         SG_SEV_CRITICAL,
         "remove it from the file, use a development credential there, and rotate the "
         "production one"},
        {SG_ENV_DRIFT, "Environment changed since its snapshot", SG_SEV_HIGH,
         "if the change is intended, accept it with --update; otherwise restore the value"},
};

int sg_env_finding(sg_findings *out, const char *rule_id, int blocking, const char *path,
                   uint32_t line, const char *key, const char *fmt, ...)
{
	const rule_info *ri = &rules_table[0];
	for (size_t i = 0; i < sizeof(rules_table) / sizeof(rules_table[0]); i++)
		if (strcmp(rules_table[i].id, rule_id) == 0)
			ri = &rules_table[i];
	char message[768];
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
	f.path = (char *)(path ? path : "(environment)");
	f.line = line;
	f.end_line = line;
	f.column = 1;
	f.end_column = 1;
	f.message = message;
	f.help = ri->help;
	/* Reported, not blocking: the same mark as a finding below --fail-on. */
	if (!blocking)
		f.suppressed = SG_SUPPRESS_SEVERITY;
	sg_fingerprint(f.fingerprint, ri->id, key, strlen(key));
	int rc = sg_findings_push(out, &f);
	return rc < 0 ? rc : 0;
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
