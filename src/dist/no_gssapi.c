/* For the statically linked binaries (the default build and make dist):
 * libgit2's HTTP Negotiate authentication calls GSS-API, and Debian ships no
 * archive of Kerberos to link it statically. secretgate opens no connection,
 * so these report the mechanism unavailable. The prototypes are those of the
 * GSS-API C bindings (RFC 2744); no other link provides these names. */
#include <stddef.h>
#include <stdint.h>

typedef uint32_t OM_uint32;
typedef struct gss_OID_desc_struct {
	OM_uint32 length;
	void *elements;
} gss_OID_desc, *gss_OID;
typedef struct gss_OID_set_desc_struct {
	size_t count;
	gss_OID elements;
} gss_OID_set_desc, *gss_OID_set;
typedef struct gss_buffer_desc_struct {
	size_t length;
	void *value;
} gss_buffer_desc, *gss_buffer_t;
typedef struct gss_name_struct *gss_name_t;
typedef struct gss_ctx_id_struct *gss_ctx_id_t;
typedef struct gss_cred_id_struct *gss_cred_id_t;
typedef struct gss_channel_bindings_struct *gss_channel_bindings_t;

#define SG_GSS_S_UNAVAILABLE (16u << 16)

static gss_OID_desc no_oid = {0, NULL};
gss_OID GSS_C_NT_HOSTBASED_SERVICE = &no_oid;

OM_uint32 gss_init_sec_context(OM_uint32 *minor, gss_cred_id_t cred, gss_ctx_id_t *ctx,
                               gss_name_t target, gss_OID mech, OM_uint32 req_flags,
                               OM_uint32 time_req, gss_channel_bindings_t bindings,
                               gss_buffer_t input, gss_OID *actual_mech, gss_buffer_t output,
                               OM_uint32 *ret_flags, OM_uint32 *time_rec);
OM_uint32 gss_delete_sec_context(OM_uint32 *minor, gss_ctx_id_t *ctx, gss_buffer_t output);
OM_uint32 gss_display_status(OM_uint32 *minor, OM_uint32 status, int status_type, gss_OID mech,
                             OM_uint32 *message_context, gss_buffer_t string);
OM_uint32 gss_import_name(OM_uint32 *minor, gss_buffer_t name, gss_OID name_type,
                          gss_name_t *out);
OM_uint32 gss_indicate_mechs(OM_uint32 *minor, gss_OID_set *mechs);
OM_uint32 gss_release_buffer(OM_uint32 *minor, gss_buffer_t buffer);
OM_uint32 gss_release_name(OM_uint32 *minor, gss_name_t *name);
OM_uint32 gss_release_oid_set(OM_uint32 *minor, gss_OID_set *set);

static OM_uint32 unavailable(OM_uint32 *minor)
{
	if (minor)
		*minor = 0;
	return SG_GSS_S_UNAVAILABLE;
}

OM_uint32 gss_init_sec_context(OM_uint32 *minor, gss_cred_id_t cred, gss_ctx_id_t *ctx,
                               gss_name_t target, gss_OID mech, OM_uint32 req_flags,
                               OM_uint32 time_req, gss_channel_bindings_t bindings,
                               gss_buffer_t input, gss_OID *actual_mech, gss_buffer_t output,
                               OM_uint32 *ret_flags, OM_uint32 *time_rec)
{
	if (output) {
		output->length = 0;
		output->value = NULL;
	}
	return unavailable(minor);
}

OM_uint32 gss_delete_sec_context(OM_uint32 *minor, gss_ctx_id_t *ctx, gss_buffer_t output)
{
	if (ctx)
		*ctx = NULL;
	return unavailable(minor);
}

OM_uint32 gss_display_status(OM_uint32 *minor, OM_uint32 status, int status_type, gss_OID mech,
                             OM_uint32 *message_context, gss_buffer_t string)
{
	if (message_context)
		*message_context = 0;
	if (string) {
		string->length = 0;
		string->value = NULL;
	}
	return unavailable(minor);
}

OM_uint32 gss_import_name(OM_uint32 *minor, gss_buffer_t name, gss_OID name_type,
                          gss_name_t *out)
{
	if (out)
		*out = NULL;
	return unavailable(minor);
}

OM_uint32 gss_indicate_mechs(OM_uint32 *minor, gss_OID_set *mechs)
{
	if (mechs)
		*mechs = NULL;
	return unavailable(minor);
}

OM_uint32 gss_release_buffer(OM_uint32 *minor, gss_buffer_t buffer)
{
	return unavailable(minor);
}

OM_uint32 gss_release_name(OM_uint32 *minor, gss_name_t *name)
{
	return unavailable(minor);
}

OM_uint32 gss_release_oid_set(OM_uint32 *minor, gss_OID_set *set)
{
	return unavailable(minor);
}
