/* What of a parsed file an error message may quote. Messages name the file
 * and line; they quote a key or value only when it reads as a name, never
 * when it could be a secret pasted in the wrong place. */
#ifndef SG_SAFE_TEXT_H
#define SG_SAFE_TEXT_H

/* 1 when s may appear in a message: at most 64 bytes of letters, digits,
 * '_', '-' and '.', and not secret-looking (no provider prefix such as
 * ghp_ or sk_live_, not a mix of cases and digits, not a long run of
 * letters and digits without separators). */
int sg_text_is_name(const char *s);
/* For messages: "'s'" (in buf) when s may be shown, else a fixed
 * placeholder that says it is not shown. */
#define SG_TEXT_QUOTE_MAX 72
#define SG_TEXT_NOT_SHOWN "(text not shown: it may be a secret)"
const char *sg_text_quote(char buf[SG_TEXT_QUOTE_MAX], const char *s);
/* s itself when it may be shown (a name in running text), else the placeholder. */
const char *sg_text_name(const char *s);

#endif
