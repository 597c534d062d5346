/* Builds a tree from libyaml's event stream; anchors and aliases are not
 * supported (a secret scanner's config has no need of them). */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "secretgate/secretgate.h"
#include "util/yamlnode.h"
#include "util/safe_text.h"

#define MAX_DEPTH 64

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

static int push_child(sg_yaml_node *n, sg_yaml_node *child, char *key, unsigned key_line)
{
	if ((n->count & (n->count - 1)) == 0) {
		size_t ncap = n->count ? n->count * 2 : 4;
		sg_yaml_node **items = realloc(n->items, ncap * sizeof(*items));
		if (!items)
			return -1;
		n->items = items;
		if (n->type == SG_YAML_MAP) {
			char **keys = realloc(n->keys, ncap * sizeof(*keys));
			if (!keys)
				return -1;
			n->keys = keys;
			unsigned *kl = realloc(n->key_lines, ncap * sizeof(*kl));
			if (!kl)
				return -1;
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
		if (push_child(n, child, key, key_line) < 0) {
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
