/* secretgate: the command table. Each command parses its options, calls
 * the library and maps the result to output and an exit code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <git2.h>
#include "cli/cli.h"

typedef struct cli_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} cli_cmd;

static const cli_cmd cli_cmds[] = {
        {"scan", cmd_scan, "scan files, directories or standard input (default: this repository)"},
        {"git", cmd_git, "scan staged changes, a commit range, or all history"},
        {"env", cmd_env, "check an environment's configuration against the manifest"},
        {"redact", cmd_redact, "copy standard input to standard output with secrets masked"},
        {"explain", cmd_explain, "say why each candidate in a file was or was not reported"},
        {"rules", cmd_rules, "list the rules in force, or test them against their examples"},
        {"hook", cmd_hook, "install the pre-commit (and pre-push) hook"},
        {"version", cmd_version, "print the version"},
        {"help", cmd_help, "show help for a command"},
};

int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int maj, min, rev;
	git_libgit2_version(&maj, &min, &rev);
	printf("secretgate %s (libgit2 %d.%d.%d)\n", SG_VERSION, maj, min, rev);
	return EXIT_CLEAN;
}

static void usage(FILE *out)
{
	fputs("usage: secretgate <command> [options]\n\nCommands:\n", out);
	for (size_t i = 0; i < sizeof(cli_cmds) / sizeof(cli_cmds[0]); i++)
		fprintf(out, "  %-9s %s\n", cli_cmds[i].name, cli_cmds[i].summary);
	fputs("\nRun 'secretgate <command> --help' for a command's options.\n"
	      "Exit codes: 0 nothing blocking, 1 blocking findings, 2 usage, config or runtime "
	      "error.\n",
	      out);
}

int cmd_help(int argc, char **argv)
{
	if (argc > 1) {
		for (size_t i = 0; i < sizeof(cli_cmds) / sizeof(cli_cmds[0]); i++)
			if (!strcmp(cli_cmds[i].name, argv[1]) && cli_cmds[i].fn != cmd_help) {
				char *args[] = {argv[1], "--help", NULL};
				return cli_cmds[i].fn(2, args);
			}
		cli_error("help", "unknown command '%s'", argv[1]);
		return EXIT_ERROR;
	}
	usage(stdout);
	return EXIT_CLEAN;
}

int main(int argc, char **argv)
{
	/* a core file would hold whatever files were being scanned, secrets included */
	struct rlimit no_core = {0, 0};
	setrlimit(RLIMIT_CORE, &no_core);
	/* With TZ unset, glibc's mktime (libarchive calls it for every zip
	 * member's time) frees and re-reads the zone on every call; naming the
	 * same default zone once makes later calls return at once, from every
	 * worker, with the same times. */
	if (!getenv("TZ")) {
		setenv("TZ", ":/etc/localtime", 1);
		tzset();
	}
	if (argc < 2) {
		usage(stderr);
		return EXIT_ERROR;
	}
	const char *name = argv[1];
	if (!strcmp(name, "--version") || !strcmp(name, "-V"))
		return cmd_version(argc - 1, argv + 1);
	if (!strcmp(name, "--help") || !strcmp(name, "-h"))
		return cmd_help(1, argv + 1);
	for (size_t i = 0; i < sizeof(cli_cmds) / sizeof(cli_cmds[0]); i++)
		if (!strcmp(cli_cmds[i].name, name)) {
			int rc = cli_cmds[i].fn(argc - 1, argv + 1);
			if (fflush(stdout) != 0 && rc == EXIT_CLEAN) {
				cli_error("output", "write failed");
				rc = EXIT_ERROR;
			}
			return rc;
		}
	const char *names[sizeof(cli_cmds) / sizeof(cli_cmds[0])];
	for (size_t i = 0; i < sizeof(cli_cmds) / sizeof(cli_cmds[0]); i++)
		names[i] = cli_cmds[i].name;
	const char *s = cli_suggest(name, names, sizeof(names) / sizeof(names[0]));
	if (s)
		cli_error("usage", "unknown command '%s' (did you mean '%s'?)", name, s);
	else
		cli_error("usage", "unknown command '%s' (try 'secretgate --help')", name);
	return EXIT_ERROR;
}
