/* A small YAML document tree over libyaml, with line numbers: the only
 * place that drives libyaml. sg_yaml_parse is strict (secretgate's own
 * files: rules, config, env manifest); sg_yaml_each_document is lenient
 * (files other tools own). */
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
/* Caps of a document read by the helpers (YAML streams, JSON, TOML). */
#define SG_DOC_MAX_SIZE  (1u << 20) /* bytes per document */
#define SG_DOC_MAX_DEPTH 64         /* nested arrays, objects and tables */
#define SG_DOC_MAX_NODES 200000     /* values per document, after alias expansion */

/* Third-party YAML (compose files, Kubernetes manifests, CI files): every
 * document of a stream in order, anchors, aliases and merge keys (<<)
 * resolved, a repeated key keeping its first value, complex keys dropped,
 * and a plain ~ or null read as empty. fn gets each document's tree (freed
 * after the call); a negative return stops the walk and is returned. */
typedef int (*sg_yaml_doc_fn)(void *ctx, const sg_yaml_node *root);
int sg_yaml_each_document(const char *name, const char *text, size_t len, sg_yaml_doc_fn fn,
                          void *ctx);

/* Append child to a mapping under key (owned by the node on success), or to
 * a sequence (key NULL). SG_ENOMEM when out of memory. */
int sg_yaml_push(sg_yaml_node *n, sg_yaml_node *child, char *key, unsigned key_line);
/* Append child to a mapping under a copy of key, or to a sequence (key
 * NULL); the node owns child on success. SG_ENOMEM when out of memory. */
int sg_yaml_add(sg_yaml_node *n, sg_yaml_node *child, const char *key, unsigned key_line);
/* Value of key in a mapping, or NULL. */
const sg_yaml_node *sg_yaml_get(const sg_yaml_node *map, const char *key);

#endif
