/* Build-time tool: loads rules/NAME.yaml (compiling every pattern, so a bad
 * rule fails the build) and writes them in the packed form the binary embeds.
 * Reading the pack at start-up is pointer arithmetic; parsing the YAML is not.
 *
 *   rulepack OUT.pack rules/a.yaml rules/b.yaml ...
 *
 * Pack layout: "SGPK5\n", u32 rule count, u32 list strings of all rules
 * together (so the reader allocates once), then per rule: strings id,
 * description, source, pattern, checksum ("" for none), u32
 * line, severity, confidence, window, enabled, entropy x 1000, kind, contexts
 * (a bitmask of sg_context), the pair (string with, "" for none; u32 role,
 * within_lines, alone), then eight
 * lists (keywords, allow, stopwords, paths, not_paths, examples,
 * negative_examples, references), each a u32 count and that many strings;
 * then, at a 4-byte boundary, the prefilter blob (src/lib/engine/prefilter.c).
 * A string is its u32 length, its bytes and a NUL: the reader steps over it
 * and checks the NUL, where a search for the NUL cost start-up half a million
 * instructions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/engine/rule.h"

/* The tool is linked without the embedded rules. */
const char sg_rules_pack[] = "";
const unsigned long sg_rules_pack_size = 0;

static void put_u32(FILE *f, uint32_t v)
{
	unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
	                      (unsigned char)(v >> 24)};
	fwrite(b, 1, 4, f);
}

static void put_str(FILE *f, const char *s)
{
	s = s ? s : "";
	put_u32(f, (uint32_t)strlen(s));
	fputs(s, f);
	fputc('\0', f);
}

static void put_list(FILE *f, const sg_strlist *l)
{
	put_u32(f, (uint32_t)l->count);
	for (size_t i = 0; i < l->count; i++)
		put_str(f, l->items[i]);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: rulepack OUT.pack RULES.yaml...\n");
		return 2;
	}
	sg_ruleset *rs;
	if (sg_ruleset_new_empty(&rs) < 0)
		return 2;
	for (int i = 2; i < argc; i++)
		if (sg_ruleset_add_path(rs, argv[i]) < 0) {
			fprintf(stderr, "rulepack: %s\n", sg_error_last());
			return 1;
		}
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[1]);
	FILE *f = fopen(tmp, "wb");
	if (!f) {
		perror(tmp);
		return 2;
	}
	fwrite("SGPK5\n", 1, 6, f);
	put_u32(f, (uint32_t)rs->count);
	size_t items = 0;
	for (size_t i = 0; i < rs->count; i++) {
		const sg_rule *r = rs->rules[i];
		items += r->keywords.count + r->allow.count + r->stopwords.count + r->paths.count +
		         r->not_paths.count + r->examples.count + r->negative.count +
		         r->references.count;
	}
	put_u32(f, (uint32_t)items);
	for (size_t i = 0; i < rs->count; i++) {
		const sg_rule *r = rs->rules[i];
		put_str(f, r->id);
		put_str(f, r->description);
		put_str(f, r->source);
		put_str(f, r->pattern);
		put_str(f, r->checksum);
		put_u32(f, r->line);
		put_u32(f, (uint32_t)r->severity);
		put_u32(f, (uint32_t)r->confidence);
		put_u32(f, r->window);
		put_u32(f, (uint32_t)r->enabled);
		put_u32(f, (uint32_t)(r->entropy * 1000.0 + 0.5));
		put_u32(f, (uint32_t)r->kind);
		put_u32(f, r->contexts);
		put_str(f, r->pair_with);
		put_u32(f, (uint32_t)r->pair_role);
		put_u32(f, r->pair_within);
		put_u32(f, (uint32_t)r->pair_alone);
		put_list(f, &r->keywords);
		put_list(f, &r->allow);
		put_list(f, &r->stopwords);
		put_list(f, &r->paths);
		put_list(f, &r->not_paths);
		put_list(f, &r->examples);
		put_list(f, &r->negative);
		put_list(f, &r->references);
	}
	/* the prefilter of exactly these rules, so start-up need not build it */
	if (sg_ruleset_finalize(rs) < 0) {
		fprintf(stderr, "rulepack: %s\n", sg_error_last());
		return 1;
	}
	while (ftell(f) % 4)
		fputc('\0', f);
	if (sg_prefilter_write(rs->prefilter, f) < 0) {
		fprintf(stderr, "rulepack: %s\n", sg_error_last());
		return 1;
	}
	int bad = ferror(f);
	if (fclose(f) != 0 || bad || rename(tmp, argv[1]) != 0) {
		perror(argv[1]);
		return 2;
	}
	sg_ruleset_free(rs);
	return 0;
}
