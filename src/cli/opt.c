/* Option parsing from tables, as libgit2's and curl's command-line tools do
 * it: each command lists its options (name, short alias, whether it takes a
 * value, the function that stores it) and one loop matches argv against
 * them. "--name VALUE", "--name=VALUE", "-x VALUE" and "-xVALUE" (joined, as
 * -j1 and -fjson) are accepted. */
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"

int cli_opt_parse(const cli_opt *table, void *args, int argc, char **argv, int *i)
{
	const char *a = argv[*i];
	for (const cli_opt *t = table; t->name; t++) {
		size_t l = strlen(t->name);
		const char *v = NULL;
		if (!t->has_value) {
			if (strcmp(a, t->name) && !(t->alias && !strcmp(a, t->alias)))
				continue;
		} else if (!strncmp(a, t->name, l) && a[l] == '=') {
			v = a + l + 1;
		} else if (t->alias && t->alias[0] == '-' && t->alias[1] && !t->alias[2] &&
		           a[0] == '-' && a[1] == t->alias[1] && a[2]) {
			v = a + 2;
		} else if (!strcmp(a, t->name) || (t->alias && !strcmp(a, t->alias))) {
			if (*i + 1 >= argc) {
				cli_error("usage", "%s needs a value", t->name);
				return -1;
			}
			v = argv[++*i];
		} else {
			continue;
		}
		if (t->set)
			return t->set(args, t->name, v) < 0 ? -1 : 1;
		if (t->has_value)
			*(const char **)((char *)args + t->field) = v;
		else
			*(int *)((char *)args + t->field) = t->flag;
		return 1;
	}
	return 0;
}

int cli_parse_option(const cli_opt *own, void *own_args, cli_env_opts *env, cli_options *o,
                     int argc, char **argv, int *i)
{
	int r = own ? cli_opt_parse(own, own_args, argc, argv, i) : 0;
	if (r == 0 && env)
		r = cli_opt_parse(cli_env_table, env, argc, argv, i);
	if (r == 0)
		r = cli_parse_common(o, argc, argv, i);
	return r;
}

int cli_parse_number(size_t *out, const char *opt, const char *v, long lo, long hi)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (*end || n < lo || n > hi) {
		cli_error("usage", "%s wants %ld to %ld, not '%s'", opt, lo, hi, v);
		return -1;
	}
	*out = (size_t)n;
	return 0;
}

/* ---- the options of env commands and redact ---- */

static int set_env(void *p, const char *name, const char *v)
{
	((cli_env_opts *)p)->env = v;
	return 0;
}

static int set_manifest(void *p, const char *name, const char *v)
{
	((cli_env_opts *)p)->manifest = v;
	return 0;
}

static int push(const char **list, size_t *n, const char *name, const char *v)
{
	if (*n == CLI_MAX_LIST) {
		cli_error("usage", "at most %d %s options", CLI_MAX_LIST, name);
		return -1;
	}
	list[(*n)++] = v;
	return 0;
}

static int add_dotenv(void *p, const char *name, const char *v)
{
	cli_env_opts *e = p;
	return push(e->dotenv, &e->ndotenv, name, v);
}

static int add_var(void *p, const char *name, const char *v)
{
	cli_env_opts *e = p;
	return push(e->vars, &e->nvars, name, v);
}

static int set_no_environ(void *p, const char *name, const char *v)
{
	((cli_env_opts *)p)->no_environ = 1;
	return 0;
}

static int set_min_length(void *p, const char *name, const char *v)
{
	return cli_parse_number(&((cli_env_opts *)p)->min_length, name, v, 1, 4096);
}

const cli_opt cli_env_table[] = {
        {.name = "--env", .has_value = 1, .set = set_env},
        {.name = "--manifest", .has_value = 1, .set = set_manifest},
        {.name = "--dotenv", .has_value = 1, .set = add_dotenv},
        {.name = "--var", .has_value = 1, .set = add_var},
        {.name = "--no-environ", .set = set_no_environ},
        {.name = "--min-length", .has_value = 1, .set = set_min_length},
        {0},
};
