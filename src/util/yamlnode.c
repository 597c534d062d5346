/* Builds a tree from libyaml's event stream; anchors and aliases are not
 * supported (a secret scanner's config has no need of them). */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "secretgate/secretgate.h"
#include "util/yamlnode.h"
#include "util/safe_text.h"

#define MAX_DEPTH SG_DOC_MAX_DEPTH

typedef struct {
	yaml_parser_t parser;
	const char *name;
	int depth;
} parse_ctx;

void sg_yaml_free(sg_yaml_node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->count; i++) {
		sg_yaml_free(n->items[i]);
		if (n->keys)
			free(n->keys[i]);
	}
	free(n->items);
	free(n->keys);
	free(n->key_lines);
	free(n->value);
	free(n);
}

const sg_yaml_node *sg_yaml_get(const sg_yaml_node *map, const char *key)
{
	if (!map || map->type != SG_YAML_MAP)
		return NULL;
	for (size_t i = 0; i < map->count; i++)
		if (strcmp(map->keys[i], key) == 0)
			return map->items[i];
	return NULL;
}

static int next_event(parse_ctx *c, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&c->parser, ev))
		return sg_error_set(SG_EINVALID, "%s:%zu: %s", c->name,
		                    c->parser.problem_mark.line + 1,
		                    c->parser.problem ? c->parser.problem : "invalid YAML");
	return 0;
}

int sg_yaml_push(sg_yaml_node *n, sg_yaml_node *child, char *key, unsigned key_line)
{
	if ((n->count & (n->count - 1)) == 0) {
		size_t ncap = n->count ? n->count * 2 : 4;
		sg_yaml_node **items = realloc(n->items, ncap * sizeof(*items));
		if (!items)
			return sg_error_set(SG_ENOMEM, "out of memory");
		n->items = items;
		if (n->type == SG_YAML_MAP) {
			char **keys = realloc(n->keys, ncap * sizeof(*keys));
			if (!keys)
				return sg_error_set(SG_ENOMEM, "out of memory");
			n->keys = keys;
			unsigned *kl = realloc(n->key_lines, ncap * sizeof(*kl));
			if (!kl)
				return sg_error_set(SG_ENOMEM, "out of memory");
			n->key_lines = kl;
		}
	}
	n->items[n->count] = child;
	if (n->type == SG_YAML_MAP) {
		n->keys[n->count] = key;
		n->key_lines[n->count] = key_line;
	}
	n->count++;
	return 0;
}

typedef struct key_ref {
	const char *key;
	unsigned line;
} key_ref;

static int cmp_key_ref(const void *a, const void *b)
{
	const key_ref *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	if (c)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Keys are checked once the mapping is complete, by sorting: a mapping of n
 * keys costs n log n, not n squared (a manifest of ten thousand variables
 * is read on every commit). The duplicate reported is the one that comes
 * first in the document, with the line of the key it repeats. */
static int check_unique_keys(const parse_ctx *c, const sg_yaml_node *n)
{
	if (n->count < 2)
		return 0;
	key_ref *refs = malloc(n->count * sizeof(*refs));
	if (!refs)
		return sg_error_set(SG_ENOMEM, "out of memory");
	for (size_t i = 0; i < n->count; i++)
		refs[i] = (key_ref){.key = n->keys[i], .line = n->key_lines[i]};
	qsort(refs, n->count, sizeof(*refs), cmp_key_ref);
	size_t dup = 0, first = 0, dup_first = 0;
	for (size_t i = 1; i < n->count; i++) {
		if (strcmp(refs[i].key, refs[i - 1].key) != 0) {
			first = i;
			continue;
		}
		if (!dup || refs[i].line < refs[dup].line) {
			dup = i;
			dup_first = first;
		}
	}
	int r = 0;
	if (dup) {
		char q[SG_TEXT_QUOTE_MAX];
		r = sg_error_set(SG_EINVALID, "%s:%u: duplicate key %s (first at line %u)", c->name,
		                 refs[dup].line, sg_text_quote(q, refs[dup].key),
		                 refs[dup_first].line);
	}
	free(refs);
	return r;
}

static int parse_node(parse_ctx *c, yaml_event_t *ev, sg_yaml_node **out);

static int parse_collection(parse_ctx *c, sg_yaml_node *n)
{
	yaml_event_t ev;
	for (;;) {
		if (next_event(c, &ev) < 0)
			return SG_EINVALID;
		if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			return n->type == SG_YAML_MAP ? check_unique_keys(c, n) : 0;
		}
		char *key = NULL;
		unsigned key_line = 0;
		if (n->type == SG_YAML_MAP) {
			if (ev.type != YAML_SCALAR_EVENT) {
				unsigned line = (unsigned)ev.start_mark.line + 1;
				yaml_event_delete(&ev);
				return sg_error_set(SG_EINVALID,
				                    "%s:%u: mapping keys must be plain scalars",
				                    c->name, line);
			}
			key_line = (unsigned)ev.start_mark.line + 1;
			key = strdup((const char *)ev.data.scalar.value);
			yaml_event_delete(&ev);
			if (!key)
				return sg_error_set(SG_ENOMEM, "out of memory");
			if (next_event(c, &ev) < 0) {
				free(key);
				return SG_EINVALID;
			}
		}
		sg_yaml_node *child = NULL;
		int r = parse_node(c, &ev, &child);
		if (r < 0) {
			free(key);
			return r;
		}
		if (sg_yaml_push(n, child, key, key_line) < 0) {
			free(key);
			sg_yaml_free(child);
			return sg_error_set(SG_ENOMEM, "out of memory");
		}
	}
}

/* Consumes *ev. */
static int parse_node(parse_ctx *c, yaml_event_t *ev, sg_yaml_node **out)
{
	unsigned line = (unsigned)ev->start_mark.line + 1;
	if (ev->type == YAML_ALIAS_EVENT) {
		yaml_event_delete(ev);
		return sg_error_set(SG_EINVALID, "%s:%u: aliases are not supported", c->name, line);
	}
	sg_yaml_node *n = calloc(1, sizeof(*n));
	if (!n) {
		yaml_event_delete(ev);
		return sg_error_set(SG_ENOMEM, "out of memory");
	}
	n->line = line;
	int r = 0;
	if (ev->type == YAML_SCALAR_EVENT) {
		n->type = SG_YAML_SCALAR;
		n->len = ev->data.scalar.length;
		n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
		n->value = malloc(n->len + 1);
		if (n->value) {
			memcpy(n->value, ev->data.scalar.value, n->len);
			n->value[n->len] = '\0';
		} else {
			r = sg_error_set(SG_ENOMEM, "out of memory");
		}
		yaml_event_delete(ev);
	} else if (ev->type == YAML_SEQUENCE_START_EVENT || ev->type == YAML_MAPPING_START_EVENT) {
		n->type = ev->type == YAML_SEQUENCE_START_EVENT ? SG_YAML_SEQ : SG_YAML_MAP;
		yaml_event_delete(ev);
		if (++c->depth > MAX_DEPTH)
			r = sg_error_set(SG_EINVALID, "%s:%u: nesting deeper than %d", c->name,
			                 line, MAX_DEPTH);
		else
			r = parse_collection(c, n);
		c->depth--;
	} else {
		yaml_event_delete(ev);
		r = sg_error_set(SG_EINVALID, "%s:%u: unexpected YAML event", c->name, line);
	}
	if (r < 0) {
		sg_yaml_free(n);
		return r;
	}
	*out = n;
	return 0;
}

int sg_yaml_parse(sg_yaml_node **out, const char *name, const char *text, size_t len)
{
	parse_ctx c = {.name = name};
	yaml_event_t ev;
	int r = 0;
	*out = NULL;
	if (!yaml_parser_initialize(&c.parser))
		return sg_error_set(SG_ENOMEM, "out of memory");
	yaml_parser_set_input_string(&c.parser, (const unsigned char *)text, len);
	for (;;) {
		if ((r = next_event(&c, &ev)) < 0)
			break;
		yaml_event_type_t t = ev.type;
		if (t == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT ||
		    t == YAML_SCALAR_EVENT || t == YAML_ALIAS_EVENT) {
			if (*out) {
				yaml_event_delete(&ev);
				r = sg_error_set(SG_EINVALID, "%s: more than one YAML document",
				                 name);
				break;
			}
			if ((r = parse_node(&c, &ev, out)) < 0)
				break;
			continue;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&c.parser);
	if (r < 0) {
		sg_yaml_free(*out);
		*out = NULL;
	}
	return r;
}

/* ---- third-party YAML: several documents, anchors and merge keys ------- */

typedef struct stream_conv {
	yaml_document_t *doc;
	size_t nodes;
} stream_conv;

static sg_yaml_node *convert(stream_conv *c, yaml_node_t *yn, int depth);

int sg_yaml_add(sg_yaml_node *n, sg_yaml_node *child, const char *key, unsigned key_line)
{
	char *k = NULL;
	if (key && !(k = strdup(key)))
		return sg_error_set(SG_ENOMEM, "out of memory");
	int r = sg_yaml_push(n, child, k, key_line);
	if (r < 0)
		free(k);
	return r;
}

static int convert_into(stream_conv *c, sg_yaml_node *dst, const yaml_node_pair_t *pr, int depth)
{
	yaml_node_t *k = yaml_document_get_node(c->doc, pr->key);
	if (!k || k->type != YAML_SCALAR_NODE || sg_yaml_get(dst, (char *)k->data.scalar.value))
		return 0; /* complex keys name nothing; a repeated key keeps the first */
	sg_yaml_node *child = convert(c, yaml_document_get_node(c->doc, pr->value), depth + 1);
	if (!child || sg_yaml_add(dst, child, (char *)k->data.scalar.value,
	                          (unsigned)k->start_mark.line + 1) < 0) {
		sg_yaml_free(child);
		return -1;
	}
	return 0;
}

/* Copy the entries of src (a merged map, or a list of them) that dst lacks. */
static int merge_into(stream_conv *c, sg_yaml_node *dst, yaml_node_t *src, int depth)
{
	if (src && src->type == YAML_SEQUENCE_NODE) {
		for (yaml_node_item_t *it = src->data.sequence.items.start;
		     it < src->data.sequence.items.top; it++)
			if (merge_into(c, dst, yaml_document_get_node(c->doc, *it), depth) < 0)
				return -1;
		return 0;
	}
	if (!src || src->type != YAML_MAPPING_NODE)
		return 0;
	for (yaml_node_pair_t *pr = src->data.mapping.pairs.start; pr < src->data.mapping.pairs.top;
	     pr++)
		if (convert_into(c, dst, pr, depth) < 0)
			return -1;
	return 0;
}

static sg_yaml_node *convert(stream_conv *c, yaml_node_t *yn, int depth)
{
	if (!yn || depth > SG_DOC_MAX_DEPTH || ++c->nodes > SG_DOC_MAX_NODES)
		return NULL;
	sg_yaml_node *n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->line = (unsigned)yn->start_mark.line + 1;
	if (yn->type == YAML_SCALAR_NODE) {
		n->type = SG_YAML_SCALAR;
		n->len = yn->data.scalar.length;
		n->quoted = yn->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
		if (!(n->value = malloc(n->len + 1))) {
			free(n);
			return NULL;
		}
		memcpy(n->value, yn->data.scalar.value, n->len);
		n->value[n->len] = '\0';
		/* a plain ~ or null is no value at all */
		if (!n->quoted && (!strcmp(n->value, "~") || !strcmp(n->value, "null")))
			n->value[0] = '\0', n->len = 0;
		return n;
	}
	if (yn->type == YAML_SEQUENCE_NODE) {
		n->type = SG_YAML_SEQ;
		for (yaml_node_item_t *it = yn->data.sequence.items.start;
		     it < yn->data.sequence.items.top; it++) {
			sg_yaml_node *child =
			        convert(c, yaml_document_get_node(c->doc, *it), depth + 1);
			if (!child || sg_yaml_add(n, child, NULL, 0) < 0) {
				sg_yaml_free(child);
				sg_yaml_free(n);
				return NULL;
			}
		}
		return n;
	}
	n->type = SG_YAML_MAP;
	yaml_node_t *merge = NULL;
	for (yaml_node_pair_t *pr = yn->data.mapping.pairs.start; pr < yn->data.mapping.pairs.top;
	     pr++) {
		yaml_node_t *k = yaml_document_get_node(c->doc, pr->key);
		if (k && k->type == YAML_SCALAR_NODE && !strcmp((char *)k->data.scalar.value, "<<"))
			merge = yaml_document_get_node(c->doc, pr->value);
		else if (convert_into(c, n, pr, depth) < 0) {
			sg_yaml_free(n);
			return NULL;
		}
	}
	if (merge && merge_into(c, n, merge, depth) < 0) {
		sg_yaml_free(n);
		return NULL;
	}
	return n;
}

int sg_yaml_each_document(const char *name, const char *text, size_t len, sg_yaml_doc_fn fn,
                          void *ctx)
{
	if (len > SG_DOC_MAX_SIZE)
		return sg_error_set(SG_ETOOBIG, "%s: over %u bytes", name, SG_DOC_MAX_SIZE);
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		return sg_error_set(SG_ENOMEM, "out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	int rc = 0;
	for (;;) {
		yaml_document_t doc;
		if (!yaml_parser_load(&parser, &doc)) {
			rc = sg_error_set(SG_EINVALID, "%s:%zu: %s", name,
			                  parser.problem_mark.line + 1,
			                  parser.problem ? parser.problem : "invalid YAML");
			break;
		}
		yaml_node_t *root = yaml_document_get_root_node(&doc);
		if (!root) {
			yaml_document_delete(&doc);
			break;
		}
		stream_conv c = {.doc = &doc};
		sg_yaml_node *tree = convert(&c, root, 0);
		yaml_document_delete(&doc);
		if (!tree) {
			rc = c.nodes > SG_DOC_MAX_NODES
			             ? sg_error_set(SG_ETOOBIG,
			                            "%s: more than %d values (anchors?)", name,
			                            SG_DOC_MAX_NODES)
			             : sg_error_set(SG_EINVALID,
			                            "%s: nesting deeper than %d or out of memory",
			                            name, SG_DOC_MAX_DEPTH);
			break;
		}
		rc = fn(ctx, tree);
		sg_yaml_free(tree);
		if (rc < 0)
			break;
	}
	yaml_parser_delete(&parser);
	return rc;
}
