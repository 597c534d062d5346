/* The dotenv parser: arbitrary text parsed with and without expansion,
 * layered over itself, then the checks and the redactor that consume
 * parsed values. */
#include <string.h>
#include "fuzz_common.h"
#include "secretgate/env.h"
#include "secretgate/redact.h"
#include "util/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *lookup(void *ctx, const char *name)
{
	(void)ctx;
	if (!strcmp(name, "HOME"))
		return "/home/fuzz";
	if (!strcmp(name, "LONG"))
		return "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz";
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	sg_dotenv d;
	sg_dotenv_options o = SG_DOTENV_OPTIONS_INIT;
	o.lookup = lookup;
	o.max_value = 4096;
	o.max_entries = 500;
	sg_dotenv_init(&d);
	int r = sg_dotenv_parse(&d, "a.env", text, size, &o);
	if (r < 0 && !sg_error_last()[0])
		abort();
	o.expand = 0;
	sg_dotenv_parse(&d, "b.env", text, size, &o);
	for (size_t i = 0; i < d.count; i++) {
		const sg_dotenv_entry *e = &d.items[i];
		if (!e->key || !e->value || strlen(e->value) > e->value_len ||
		    sg_dotenv_get(&d, e->key) == NULL)
			abort();
		sg_envcheck_is_placeholder(e->value, e->value_len);
		sg_json_valid(e->value, e->value_len);
		uint64_t ms;
		sg_duration_parse(&ms, e->value);
	}
	sg_findings f;
	sg_findings_init(&f, 0);
	sg_envcheck_duplicates(&f, &d);
	sg_leakset *ls;
	if (sg_leakset_new(&ls, 4) == 0) {
		for (size_t i = 0; i < d.count && i < 64; i++)
			sg_leakset_add(ls, d.items[i].key, d.items[i].value, d.items[i].value_len);
		sg_leakset_scan(ls, text, size, NULL, &f);
		sg_redactor *red;
		if (sg_redactor_new(&red, NULL, ls, NULL) == 0) {
			const char *out;
			size_t out_len;
			sg_redactor_line(red, &out, &out_len, text, size);
			sg_redactor_free(red);
		}
		sg_leakset_free(ls);
	}
	sg_env_refs refs;
	sg_env_refs_init(&refs);
	sg_env_refs_scan(&refs, "docker-compose.yml", text, size);
	sg_env_refs_scan(&refs, "src/app.js", text, size);
	sg_env_refs_free(&refs);
	sg_findings_free(&f);
	sg_dotenv_free(&d);
	return 0;
}
