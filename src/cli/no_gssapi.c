/* When libgit2 is linked statically (see the Makefile), its HTTP Negotiate
 * authentication pulls in GSSAPI, and with it the whole Kerberos library
 * chain, which secretgate, never opening a connection, has no use for.
 * These stand-ins fail every call; they are compiled only for that link. */
#ifdef SG_STATIC_LIBGIT2

typedef unsigned int sg_gss_status;
struct sg_gss_oid {
	unsigned int length;
	void *elements;
};

static struct sg_gss_oid no_oid = {0, 0};
struct sg_gss_oid *GSS_C_NT_HOSTBASED_SERVICE = &no_oid;

/* GSS_S_FAILURE */
#define SG_GSS_FAILURE (13u << 16)
#define SG_GSS_UNAVAILABLE(name)                                                                   \
	sg_gss_status name(void);                                                                  \
	sg_gss_status name(void)                                                                   \
	{                                                                                          \
		return SG_GSS_FAILURE;                                                             \
	}

SG_GSS_UNAVAILABLE(gss_delete_sec_context)
SG_GSS_UNAVAILABLE(gss_display_status)
SG_GSS_UNAVAILABLE(gss_import_name)
SG_GSS_UNAVAILABLE(gss_indicate_mechs)
SG_GSS_UNAVAILABLE(gss_init_sec_context)
SG_GSS_UNAVAILABLE(gss_release_buffer)
SG_GSS_UNAVAILABLE(gss_release_name)
SG_GSS_UNAVAILABLE(gss_release_oid_set)

#else
/* ISO C wants at least one declaration in a translation unit */
typedef int sg_no_gssapi_unused;
#endif
