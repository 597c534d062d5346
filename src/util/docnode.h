/* docnode: JSON and TOML readers that build the YAML helper's tree
 * (sg_yaml_node, with line numbers), so platform files of every kind are
 * walked the same way. Both are capped and reject what they do not know. */
#ifndef SG_DOCNODE_H
#define SG_DOCNODE_H

#include <stddef.h>
#include "util/yamlnode.h"

/* Parse one JSON value. Errors are SG_EINVALID "NAME:LINE: why", SG_ETOOBIG
 * over a cap. Duplicate object keys are rejected. */
int sg_json_parse(sg_yaml_node **out, const char *name, const char *text, size_t len);

/* Parse a TOML document: tables, arrays of tables, dotted and quoted keys,
 * basic/literal/multi-line strings, numbers, booleans, dates (kept as text),
 * arrays and inline tables. Errors as for sg_json_parse. */
int sg_toml_parse(sg_yaml_node **out, const char *name, const char *text, size_t len);

#endif
