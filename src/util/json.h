/* JSON helpers shared by the library. */
#ifndef SG_UTIL_JSON_H
#define SG_UTIL_JSON_H

#include <stddef.h>
#include <stdio.h>

/* 1 when the text is one JSON value (depth capped at 64). */
int sg_json_valid(const char *text, size_t len);

/* Length of the valid UTF-8 sequence at p (1 for ASCII), 0 when the bytes
 * there are not valid UTF-8 (writers then print a replacement). p is
 * NUL-terminated or holds at least 4 bytes. */
size_t sg_utf8_seq(const unsigned char *p);

/* The one JSON string escaper: \" \\ \n \r \t, other control bytes as
 * \u00XX. By default the text is also made safe to show: DEL and C1 controls
 * as \u00XX, invalid UTF-8 as \ufffd (what every report writes).
 * SG_JSON_RAW leaves bytes from 0x7f up as they are and SG_JSON_SLASH writes
 * '/' as "\/": the forms other programs' encoders produce, which the env
 * gate's leak search looks for. */
#define SG_JSON_RAW   1u
#define SG_JSON_SLASH 2u
/* s[0..len) escaped into out, which holds 6 * len + 1 bytes; returns the
 * length written (out is NUL-terminated). */
size_t sg_json_escape_mem(char *out, const char *s, size_t len, unsigned flags);
/* s written as the inside of a JSON string (no quotes). NULL writes nothing. */
void sg_json_escape(FILE *out, const char *s);

#endif
