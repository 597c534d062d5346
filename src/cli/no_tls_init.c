/* secretgate never opens a network connection, yet libgit2 built against
 * mbedTLS (as Debian's is) sets TLS up when it initialises: it gathers
 * entropy for a random generator and parses every certificate in the system
 * CA store, most of a pre-commit hook's start-up. The static link of the
 * program (see the Makefile) therefore redirects libgit2's mbedTLS stream
 * start-up here with -Wl,--wrap=, as a no-op, and its two TLS stream
 * constructors to an error, so a connection, were one ever attempted, fails
 * with a message instead of using TLS that was never set up. A dynamic link
 * cannot redirect calls made inside libgit2.so and pays for the set-up.
 * The library does not do this: a program embedding it may need TLS. */
#include <git2.h>
#include <git2/sys/stream.h>

/* libgit2's own declarations (src/libgit2/streams/mbedtls.h, not installed) */
int git_mbedtls_stream_global_init(void);
int git_mbedtls_stream_new(git_stream **out, const char *host, const char *port);
int git_mbedtls_stream_wrap(git_stream **out, git_stream *in, const char *host);

int __wrap_git_mbedtls_stream_global_init(void);
int __wrap_git_mbedtls_stream_new(git_stream **out, const char *host, const char *port);
int __wrap_git_mbedtls_stream_wrap(git_stream **out, git_stream *in, const char *host);

_Static_assert(__builtin_types_compatible_p(__typeof__(__wrap_git_mbedtls_stream_global_init),
                                            __typeof__(git_mbedtls_stream_global_init)),
               "stream_global_init prototype");
_Static_assert(__builtin_types_compatible_p(__typeof__(__wrap_git_mbedtls_stream_new),
                                            __typeof__(git_mbedtls_stream_new)),
               "stream_new prototype");
_Static_assert(__builtin_types_compatible_p(__typeof__(__wrap_git_mbedtls_stream_wrap),
                                            __typeof__(git_mbedtls_stream_wrap)),
               "stream_wrap prototype");

int __wrap_git_mbedtls_stream_global_init(void)
{
	return 0;
}

static int no_tls(git_stream **out)
{
	*out = NULL;
	git_error_set_str(GIT_ERROR_SSL, "secretgate is built without TLS: it opens no connection");
	return -1;
}

int __wrap_git_mbedtls_stream_new(git_stream **out, const char *host, const char *port)
{
	(void)host;
	(void)port;
	return no_tls(out);
}

int __wrap_git_mbedtls_stream_wrap(git_stream **out, git_stream *in, const char *host)
{
	(void)in;
	(void)host;
	return no_tls(out);
}
