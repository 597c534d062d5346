/* The hook shims, hooks/pre-commit and hooks/pre-push, embedded so that
 * `secretgate hook install` writes exactly the files the repository holds. */
#include "util/embed.h"

SG_EMBED(sg_hook_pre_commit, "hooks/pre-commit");
SG_EMBED(sg_hook_pre_push, "hooks/pre-push");
