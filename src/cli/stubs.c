/* Weak fallbacks for commands whose implementation lives in its own file;
 * the real definitions replace these at link time. */
#include "cli/cli.h"

#define UNAVAILABLE(fn, name)                                                                      \
	__attribute__((weak)) int fn(int argc, char **argv)                                        \
	{                                                                                          \
		(void)argc;                                                                        \
		(void)argv;                                                                        \
		cli_error(name, "not available in this build");                                    \
		return EXIT_ERROR;                                                                 \
	}

UNAVAILABLE(cmd_git, "git")
UNAVAILABLE(cmd_env, "env")
UNAVAILABLE(cmd_redact, "redact")
UNAVAILABLE(cmd_hook, "hook")
