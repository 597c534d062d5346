/* The hook shims of hooks/, embedded at build time so that `hook install`
 * writes exactly the files the repository ships and `hook run` runs them. */
#ifndef SG_HOOKS_DIR
#error "SG_HOOKS_DIR must name the hooks/ directory"
#endif

#define SG_EMBED(name, file)                                                                       \
	__asm__(".section .rodata\n"                                                               \
	        ".global " name "\n"                                                               \
	        ".type " name ", @object\n" name ":\n"                                             \
	        ".incbin \"" SG_HOOKS_DIR "/" file "\"\n"                                          \
	        ".byte 0\n"                                                                        \
	        ".previous\n")

SG_EMBED("sg_hook_pre_commit", "pre-commit");
SG_EMBED("sg_hook_pre_push", "pre-push");
