/* The environment lock reader: arbitrary text, then a lock that parsed is
 * written back and must read again to the same entries. */
#include <string.h>
#include "fuzz_common.h"
#include "secretgate/env_snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sg_env_lock *l = NULL, *again = NULL;
	if (sg_env_lock_parse(&l, "a.lock", (const char *)data, size) < 0) {
		if (!sg_error_last()[0])
			abort();
		return 0;
	}
	char *text;
	size_t len;
	if (sg_env_lock_format(&text, &len, l) == 0) {
		/* the environment line is free text: one with a newline cannot round-trip */
		if (!strchr(l->environment, '\n') && !strchr(l->environment, '\r') &&
		    !strchr(l->environment, ' ') && l->environment[0]) {
			if (sg_env_lock_parse(&again, "b.lock", text, len) < 0 ||
			    again->count != l->count)
				abort();
			for (size_t i = 0; i < l->count; i++)
				if (strcmp(again->items[i].name, l->items[i].name) ||
				    again->items[i].state != l->items[i].state ||
				    (l->items[i].value &&
				     strcmp(again->items[i].value, l->items[i].value)))
					abort();
		}
		free(text);
	}
	sg_env_lock_free(again);
	sg_env_lock_free(l);
	return 0;
}
