/* Deciding what of a parsed file an error message may quote. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "secretgate/secretgate.h"
#include "util/safe_text.h"
#include "lib/engine/checks.h"

int sg_text_is_name(const char *s)
{
	size_t len = s ? strlen(s) : 0;
	if (len == 0 || len > 64)
		return 0;
	int lower = 0, upper = 0, digit = 0, sep = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (islower(c))
			lower = 1;
		else if (isupper(c))
			upper = 1;
		else if (isdigit(c))
			digit = 1;
		else if (c == '_' || c == '-' || c == '.')
			sep = 1;
		else
			return 0;
	}
	/* a provider token's public prefix, at the start or after a '.' (key
	 * paths such as allow.NAME) */
	for (size_t i = 0; i < len; i++)
		if ((i == 0 || s[i - 1] == '.') && sg_redact_keep(s + i, len - i) > 1)
			return 0;
	/* names are one case with separators (API_KEY, max_file_size); random
	 * strings mix cases and digits or run long without a separator */
	if (lower && upper && digit && len >= 8)
		return 0;
	if (digit && !sep && len >= 12)
		return 0;
	if (len >= 24 && sg_entropy(s, len) >= 4.3)
		return 0;
	return 1;
}

const char *sg_text_quote(char buf[SG_TEXT_QUOTE_MAX], const char *s)
{
	if (!sg_text_is_name(s))
		return SG_TEXT_NOT_SHOWN;
	snprintf(buf, SG_TEXT_QUOTE_MAX, "'%s'", s);
	return buf;
}

const char *sg_text_name(const char *s)
{
	return sg_text_is_name(s) ? s : SG_TEXT_NOT_SHOWN;
}
