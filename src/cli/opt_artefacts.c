/* Options for archives, images and decoding, shared by scan and git. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

int sg_config_parse_size(const char *s, uint64_t *out);

static int number(const char *opt, const char *v, unsigned long long max, uint64_t *out)
{
	char *end;
	unsigned long long n = strtoull(v, &end, 10);
	if (!*v || *end || n > max) {
		cli_error("usage", "%s wants a whole number from 0 to %llu", opt, max);
		return -1;
	}
	*out = n;
	return 0;
}

int cli_parse_artefacts(sg_artefact_options *ao, int argc, char **argv, int *i)
{
	const char *a = argv[*i];
	static const char *const valued[] = {"--archive-depth",    "--archive-max-bytes",
	                                     "--archive-ratio",    "--archive-max-members",
	                                     "--archive-max-name", "--archive-member-size",
	                                     "--decode-depth"};
	if (!strcmp(a, "--no-archives")) {
		ao->no_archives = 1;
		return 1;
	}
	if (!strcmp(a, "--no-decode")) {
		ao->no_decode = 1;
		return 1;
	}
	for (size_t k = 0; k < sizeof(valued) / sizeof(valued[0]); k++) {
		size_t l = strlen(valued[k]);
		const char *v;
		if (!strncmp(a, valued[k], l) && a[l] == '=')
			v = a + l + 1;
		else if (!strcmp(a, valued[k])) {
			if (*i + 1 >= argc) {
				cli_error("usage", "%s needs a value", valued[k]);
				return -1;
			}
			v = argv[++*i];
		} else
			continue;
		uint64_t n;
		int size = k == 1 || k == 5;
		if (size ? sg_config_parse_size(v, &n) < 0
		         : number(valued[k], v, 1000000000, &n) < 0) {
			if (size)
				cli_error("usage", "%s: %s", valued[k], sg_error_last());
			return -1;
		}
		if (n == 0 && k != 6) {
			cli_error("usage", "%s must be at least 1", valued[k]);
			return -1;
		}
		switch (k) {
		case 0:
			ao->max_depth = (unsigned)n;
			break;
		case 1:
			ao->max_bytes = n;
			break;
		case 2:
			ao->max_ratio = (unsigned)n;
			break;
		case 3:
			ao->max_members = n;
			break;
		case 4:
			ao->max_name = (unsigned)n;
			break;
		case 5:
			ao->max_member_size = n;
			break;
		default:
			/* depth 0 means: do not decode */
			ao->no_decode = n == 0;
			ao->decode_depth = (unsigned)(n > 4 ? 4 : n);
			break;
		}
		return 1;
	}
	return 0;
}
