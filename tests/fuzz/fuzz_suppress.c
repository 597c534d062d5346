/* The .secretgateignore and baseline reader: parse, then the lookups a
 * scan does for each finding. */
#include <string.h>
#include "fuzz_common.h"
#include "secretgate/suppress.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sg_fingerprint_set set = {0};
	int r = sg_fingerprint_set_parse(&set, ".secretgateignore", (const char *)data, size);
	if (r < 0 && !sg_error_last()[0])
		abort();
	sg_finding f = {0};
	strcpy(f.fingerprint, "fuzz-assign:0123456789abcdef0123");
	char path[] = "src/a b/c.env";
	f.path = path;
	sg_fingerprint_set_has(&set, &f);
	/* every entry parsed must be found again by its own fingerprint */
	for (size_t i = 0; r == 0 && i < set.count; i++) {
		const char *e = set.items[i];
		const char *sp = strchr(e, ' ');
		size_t fl = sp ? (size_t)(sp - e) : strlen(e);
		if (fl >= sizeof(f.fingerprint))
			continue;
		memcpy(f.fingerprint, e, fl);
		f.fingerprint[fl] = '\0';
		f.path = sp ? (char *)sp + 1 : NULL;
		if (!sg_fingerprint_set_has(&set, &f))
			abort();
	}
	sg_fingerprint_set_free(&set);
	return 0;
}
