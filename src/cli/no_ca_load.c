/* secretgate never opens a network connection, yet libgit2 built against
 * mbedTLS (as Debian's is) parses every certificate in the system CA store
 * when it initialises: most of the start-up time of a pre-commit hook. The
 * static link of the program (see the Makefile) therefore redirects exactly
 * mbedTLS's two CA loaders here with -Wl,--wrap=, as no-ops. A dynamic link
 * cannot redirect calls made inside libgit2.so and pays for the loading.
 * The library does not do this: a program embedding it may need TLS. */
#include <mbedtls/x509_crt.h>

int __wrap_mbedtls_x509_crt_parse_file(mbedtls_x509_crt *chain, const char *path);
int __wrap_mbedtls_x509_crt_parse_path(mbedtls_x509_crt *chain, const char *path);

/* the stand-ins have the loaders' exact types */
_Static_assert(__builtin_types_compatible_p(__typeof__(__wrap_mbedtls_x509_crt_parse_file),
                                            __typeof__(mbedtls_x509_crt_parse_file)),
               "parse_file prototype");
_Static_assert(__builtin_types_compatible_p(__typeof__(__wrap_mbedtls_x509_crt_parse_path),
                                            __typeof__(mbedtls_x509_crt_parse_path)),
               "parse_path prototype");

int __wrap_mbedtls_x509_crt_parse_file(mbedtls_x509_crt *chain, const char *path)
{
	(void)chain;
	(void)path;
	return 0;
}

int __wrap_mbedtls_x509_crt_parse_path(mbedtls_x509_crt *chain, const char *path)
{
	(void)chain;
	(void)path;
	return 0;
}
