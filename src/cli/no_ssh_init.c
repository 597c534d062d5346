/* libgit2 starts libssh2 when it initialises, and libssh2 starts OpenSSL's
 * libcrypto with every built-in engine and its error strings: a fifth of a
 * pre-commit hook's start-up, for SSH transports a program that never opens
 * a connection does not use. The static link (see the Makefile) redirects
 * exactly libssh2_init here with -Wl,--wrap=, as a no-op that succeeds;
 * libssh2_exit then finds nothing to undo. The library does not do this: a
 * program embedding it may fetch over SSH. */
#include <libssh2.h>

int __wrap_libssh2_init(int flags);

/* the stand-in has the real function's exact type */
_Static_assert(__builtin_types_compatible_p(__typeof__(__wrap_libssh2_init),
                                            __typeof__(libssh2_init)),
               "libssh2_init prototype");

int __wrap_libssh2_init(int flags)
{
	(void)flags;
	return 0;
}
