/* secretgate never opens a network connection, yet libgit2 built against
 * mbedTLS (as Debian's is) parses every certificate in the system CA store
 * when it initialises: most of the start-up time of a pre-commit hook. The
 * command-line program therefore provides the two CA loaders itself, as
 * no-ops; the Makefile exports them so they take precedence over mbedTLS's.
 * The library does not do this: a program embedding it may need TLS. */
struct mbedtls_x509_crt;

int mbedtls_x509_crt_parse_file(struct mbedtls_x509_crt *chain, const char *path);
int mbedtls_x509_crt_parse_path(struct mbedtls_x509_crt *chain, const char *path);

int mbedtls_x509_crt_parse_file(struct mbedtls_x509_crt *chain, const char *path)
{
	(void)chain;
	(void)path;
	return 0;
}

int mbedtls_x509_crt_parse_path(struct mbedtls_x509_crt *chain, const char *path)
{
	(void)chain;
	(void)path;
	return 0;
}
