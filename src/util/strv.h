/* strv: lists of owned strings (char **, count), as the loaders keep them. */
#ifndef SG_STRV_H
#define SG_STRV_H

#include <stddef.h>

/* Free each string and the list. */
void sg_strv_free(char **v, size_t n);
/* Whether s is in the list. */
int sg_strv_has(char *const *v, size_t n, const char *s);
/* Append a copy of s unless the list has it: 0, or SG_ENOMEM. */
int sg_strv_add_unique(char ***v, size_t *n, const char *s);

#endif
