/* Files embedded at build time: SG_EMBED(name, "path") puts the file's bytes
 * into .rodata as `const char name[]` (followed by a NUL byte) and its length
 * as `const unsigned long long name_size`. The path is relative to the
 * directory make runs in (the repository root) or absolute. The Makefile
 * names the file as a prerequisite of the object so that a change rebuilds
 * it. */
#ifndef SG_UTIL_EMBED_H
#define SG_UTIL_EMBED_H

#define SG_EMBED(name, path)                                                                       \
	__asm__(".section .rodata\n"                                                               \
	        ".global " #name "\n"                                                              \
	        ".type " #name ", @object\n"                                                       \
	        ".balign 8\n" #name ":\n"                                                          \
	        ".incbin \"" path "\"\n" #name "_end:\n"                                           \
	        ".byte 0\n"                                                                        \
	        ".balign 8\n"                                                                      \
	        ".global " #name "_size\n"                                                         \
	        ".type " #name "_size, @object\n" #name "_size:\n"                                 \
	        ".quad " #name "_end - " #name "\n"                                                \
	        ".previous\n")

#endif
