/* yamlcheck: parse YAML files with libyaml, for the tests of ci/ and .github/.
 *
 *   yamlcheck FILE...      every file parses (all documents) and no mapping repeats a key;
 *                          problems print as FILE:LINE:COLUMN: what, exit 1
 *   yamlcheck -f FILE      also print every scalar as PATH<TAB>VALUE, one a line, where PATH
 *                          joins mapping keys with '.' and sequence items as [N]
 *                          (runs.steps[0].shell<TAB>bash); a mapping or sequence with no
 *                          entries prints as PATH<TAB>{} or PATH<TAB>[]
 *
 * Built on the fly by tests/e2e/test_ci_yaml.sh: cc -o yamlcheck yamlcheck.c -lyaml
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static int flatten;

static void put_escaped(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			fputs("\\n", stdout);
		else if (s[i] == '\t')
			fputs("\\t", stdout);
		else if (s[i] == '\\')
			fputs("\\\\", stdout);
		else
			putchar(s[i]);
	}
}

static int walk(const char *file, yaml_document_t *doc, yaml_node_t *node, char *path, size_t len,
		size_t cap, int depth)
{
	int bad = 0;
	if (!node)
		return 0;
	if (depth > 64) {
		fprintf(stderr, "%s:%lu:%lu: nesting too deep\n", file,
			(unsigned long)node->start_mark.line + 1, (unsigned long)node->start_mark.column + 1);
		return 1;
	}
	switch (node->type) {
	case YAML_SCALAR_NODE:
		if (flatten) {
			fwrite(path, 1, len, stdout);
			putchar('\t');
			put_escaped(node->data.scalar.value, node->data.scalar.length);
			putchar('\n');
		}
		break;
	case YAML_SEQUENCE_NODE: {
		yaml_node_item_t *it = node->data.sequence.items.start;
		if (flatten && it == node->data.sequence.items.top)
			printf("%.*s\t[]\n", (int)len, path);
		for (int i = 0; it < node->data.sequence.items.top; it++, i++) {
			int n = snprintf(path + len, cap - len, "[%d]", i);
			if (n < 0 || (size_t)n >= cap - len) {
				fprintf(stderr, "%s: path too long\n", file);
				return 1;
			}
			bad |= walk(file, doc, yaml_document_get_node(doc, *it), path, len + (size_t)n, cap,
				    depth + 1);
		}
		path[len] = 0;
		break;
	}
	case YAML_MAPPING_NODE: {
		yaml_node_pair_t *p = node->data.mapping.pairs.start;
		if (flatten && p == node->data.mapping.pairs.top)
			printf("%.*s\t{}\n", (int)len, path);
		for (; p < node->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(doc, p->key);
			if (!k || k->type != YAML_SCALAR_NODE) {
				fprintf(stderr, "%s:%lu:%lu: a key that is not a scalar\n", file,
					k ? (unsigned long)k->start_mark.line + 1 : 0UL,
					k ? (unsigned long)k->start_mark.column + 1 : 0UL);
				bad = 1;
				continue;
			}
			for (yaml_node_pair_t *q = node->data.mapping.pairs.start; q < p; q++) {
				yaml_node_t *k2 = yaml_document_get_node(doc, q->key);
				if (k2 && k2->type == YAML_SCALAR_NODE &&
				    k2->data.scalar.length == k->data.scalar.length &&
				    memcmp(k2->data.scalar.value, k->data.scalar.value, k->data.scalar.length) == 0) {
					fprintf(stderr, "%s:%lu:%lu: duplicate key '%.*s'\n", file,
						(unsigned long)k->start_mark.line + 1,
						(unsigned long)k->start_mark.column + 1, (int)k->data.scalar.length,
						(const char *)k->data.scalar.value);
					bad = 1;
				}
			}
			size_t need = (len ? 1 : 0) + k->data.scalar.length;
			if (len + need + 1 >= cap) {
				fprintf(stderr, "%s: path too long\n", file);
				return 1;
			}
			size_t n = len;
			if (len)
				path[n++] = '.';
			memcpy(path + n, k->data.scalar.value, k->data.scalar.length);
			n += k->data.scalar.length;
			path[n] = 0;
			bad |= walk(file, doc, yaml_document_get_node(doc, p->value), path, n, cap, depth + 1);
			path[len] = 0;
		}
		break;
	}
	default:
		break;
	}
	return bad;
}

static int check(const char *file)
{
	FILE *f = fopen(file, "rb");
	if (!f) {
		perror(file);
		return 1;
	}
	yaml_parser_t parser;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	int bad = 0, docs = 0;
	for (;;) {
		yaml_document_t doc;
		if (!yaml_parser_load(&parser, &doc)) {
			fprintf(stderr, "%s:%lu:%lu: %s%s%s\n", file, (unsigned long)parser.problem_mark.line + 1,
				(unsigned long)parser.problem_mark.column + 1,
				parser.problem ? parser.problem : "parse error", parser.context ? " " : "",
				parser.context ? parser.context : "");
			bad = 1;
			break;
		}
		yaml_node_t *root = yaml_document_get_root_node(&doc);
		if (!root) {
			yaml_document_delete(&doc);
			break;
		}
		docs++;
		char path[4096] = "";
		bad |= walk(file, &doc, root, path, 0, sizeof path, 0);
		yaml_document_delete(&doc);
	}
	if (!bad && docs == 0) {
		fprintf(stderr, "%s: empty document\n", file);
		bad = 1;
	}
	yaml_parser_delete(&parser);
	fclose(f);
	return bad;
}

int main(int argc, char **argv)
{
	int i = 1, bad = 0;
	if (i < argc && strcmp(argv[i], "-f") == 0) {
		flatten = 1;
		i++;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: yamlcheck [-f] FILE...\n");
		return 2;
	}
	for (; i < argc; i++)
		bad |= check(argv[i]);
	return bad;
}
