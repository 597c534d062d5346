/* Options for archives, images and decoding, shared by scan and git: a
 * table of cli_opt (opt.c) over cli_options.artefacts. */
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "secretgate/policy.h"

static sg_artefact_options *ao(void *p)
{
	return &((cli_options *)p)->artefacts;
}

static int set_no_archives(void *p, const char *name, const char *v)
{
	ao(p)->no_archives = 1;
	return 0;
}

static int set_no_decode(void *p, const char *name, const char *v)
{
	ao(p)->no_decode = 1;
	return 0;
}

static int set_depth(void *p, const char *name, const char *v)
{
	size_t n;
	if (cli_parse_number(&n, name, v, 1, 16) < 0)
		return -1;
	ao(p)->max_depth = (unsigned)n;
	return 0;
}

static int set_ratio(void *p, const char *name, const char *v)
{
	size_t n;
	if (cli_parse_number(&n, name, v, 1, 1000000000) < 0)
		return -1;
	ao(p)->max_ratio = (unsigned)n;
	return 0;
}

static int set_members(void *p, const char *name, const char *v)
{
	size_t n;
	if (cli_parse_number(&n, name, v, 1, 1000000000) < 0)
		return -1;
	ao(p)->max_members = n;
	return 0;
}

static int set_name(void *p, const char *name, const char *v)
{
	size_t n;
	if (cli_parse_number(&n, name, v, 1, 65536) < 0)
		return -1;
	ao(p)->max_name = (unsigned)n;
	return 0;
}

static int size_value(uint64_t *out, const char *name, const char *v)
{
	if (sg_config_parse_size(v, out) < 0 || *out == 0) {
		cli_error("usage", "%s: %s", name,
		          *sg_error_last() ? sg_error_last() : "must be > 0");
		return -1;
	}
	return 0;
}

static int set_bytes(void *p, const char *name, const char *v)
{
	return size_value(&ao(p)->max_bytes, name, v);
}

static int set_member_size(void *p, const char *name, const char *v)
{
	return size_value(&ao(p)->max_member_size, name, v);
}

static int set_decode_depth(void *p, const char *name, const char *v)
{
	size_t n;
	if (cli_parse_number(&n, name, v, 0, 4) < 0)
		return -1;
	/* depth 0 means: do not decode */
	ao(p)->no_decode = n == 0;
	ao(p)->decode_depth = (unsigned)n;
	return 0;
}

static const cli_opt artefact_table[] = {
        {.name = "--no-archives", .set = set_no_archives},
        {.name = "--no-decode", .set = set_no_decode},
        {.name = "--archive-depth", .has_value = 1, .set = set_depth},
        {.name = "--archive-max-bytes", .has_value = 1, .set = set_bytes},
        {.name = "--archive-ratio", .has_value = 1, .set = set_ratio},
        {.name = "--archive-max-members", .has_value = 1, .set = set_members},
        {.name = "--archive-max-name", .has_value = 1, .set = set_name},
        {.name = "--archive-member-size", .has_value = 1, .set = set_member_size},
        {.name = "--decode-depth", .has_value = 1, .set = set_decode_depth},
        {0},
};

int cli_parse_artefacts(cli_options *o, int argc, char **argv, int *i)
{
	return cli_opt_parse(artefact_table, o, argc, argv, i);
}
