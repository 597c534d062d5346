/* The JSON and TOML readers, and every platform file reader over their
 * trees (and over YAML): arbitrary bytes never crash, leak or hang, and an
 * error always leaves a message. */
#include <string.h>
#include "fuzz_common.h"
#include "util/docnode.h"
#include "secretgate/env_platform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(const sg_yaml_node *n, int depth)
{
	if (!n || depth > SG_DOC_MAX_DEPTH + 1)
		abort();
	if (n->type == SG_YAML_SCALAR && (!n->value || strlen(n->value) > n->len))
		abort();
	for (size_t i = 0; i < n->count; i++) {
		if (n->type == SG_YAML_MAP && !n->keys[i])
			abort();
		walk(n->items[i], depth + 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	sg_yaml_node *root = NULL;
	if (sg_json_parse(&root, "a.json", text, size) == 0)
		walk(root, 0);
	else if (!sg_error_last()[0])
		abort();
	sg_yaml_free(root);
	root = NULL;
	if (sg_toml_parse(&root, "a.toml", text, size) == 0)
		walk(root, 0);
	else if (!sg_error_last()[0])
		abort();
	sg_yaml_free(root);
	static const char *const names[] = {"fly.toml",
	                                    "netlify.toml",
	                                    "vercel.json",
	                                    "app.json",
	                                    "render.yaml",
	                                    "docker-compose.yml",
	                                    ".github/workflows/ci.yml",
	                                    NULL};
	sg_platform p;
	sg_platform_init(&p);
	for (size_t i = 0; names[i]; i++)
		sg_platform_parse(&p, NULL, names[i], text, size);
	sg_platform_parse(&p, "kubernetes", "k8s/app.yaml", text, size);
	sg_platform_finish(&p);
	for (size_t i = 0; i < p.count; i++)
		if (!p.items[i].name || !p.items[i].path ||
		    (!p.items[i].value && !p.items[i].provided_by))
			abort();
	sg_platform_free(&p);
	return 0;
}
