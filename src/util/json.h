/* JSON helpers shared by the library. */
#ifndef SG_UTIL_JSON_H
#define SG_UTIL_JSON_H

#include <stddef.h>

/* 1 when the text is one JSON value (depth capped at 64). */
int sg_json_valid(const char *text, size_t len);

#endif
