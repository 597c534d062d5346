/* A small YAML document tree over libyaml, with line numbers, for the rule
 * and config loaders. Duplicate mapping keys are rejected. */
#ifndef SG_YAMLNODE_H
#define SG_YAMLNODE_H

#include <stddef.h>

typedef enum { SG_YAML_SCALAR, SG_YAML_SEQ, SG_YAML_MAP } sg_yaml_type;

typedef struct sg_yaml_node {
	sg_yaml_type type;
	char *value;                 /* scalar text (NUL-terminated) */
	size_t len;                  /* scalar length */
	int quoted;                  /* scalar was quoted */
	unsigned line;               /* 1-based */
	struct sg_yaml_node **items; /* seq items, or map values */
	char **keys;                 /* map keys */
	unsigned *key_lines;
	size_t count;
} sg_yaml_node;

/* Parse one YAML document; errors name `name` and the line (SG_EINVALID).
 * An empty document yields *out == NULL and 0. */
int sg_yaml_parse(sg_yaml_node **out, const char *name, const char *text, size_t len);
void sg_yaml_free(sg_yaml_node *n);
/* Value of key in a mapping, or NULL. */
const sg_yaml_node *sg_yaml_get(const sg_yaml_node *map, const char *key);

#endif
