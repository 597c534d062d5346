/* The raw commit readers of history sweeps and ranges: the header parser
 * and the author line and message taken from the raw text. What they give
 * lies inside the input; the author line parses as libgit2 parses it. */
#include <string.h>
#include "fuzz_common.h"
#include "lib/sources/commit_walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *raw = (const char *)data, *end = raw + size;
	git_oid tree, parents[SG_COMMIT_MAX_PARENTS];
	unsigned np = 0;
	int64_t when = -1;
	if (sg_commit_header_parse(raw, size, &tree, parents, &np, &when) == 0 &&
	    (np >= SG_COMMIT_MAX_PARENTS || when < 0))
		abort();
	char author[256];
	const char *msg;
	size_t mlen;
	if (sg_commit_message_parts(raw, size, author, sizeof(author), &msg, &mlen) != 0)
		return 0;
	if (strlen(author) >= sizeof(author) || strchr(author, '\n'))
		abort();
	if (msg && (msg < raw || msg + mlen > end || memchr(msg, '\0', mlen)))
		abort();
	if (!msg && mlen)
		abort();
	git_signature *who = NULL;
	if (git_signature_from_buffer(&who, author) == 0 && (!who->name || !who->email))
		abort();
	git_signature_free(who);
	return 0;
}
