/* Internal layout of rules and rule sets, shared by the loader, the
 * prefilter and the scanner. The public header keeps them opaque. */
#ifndef SG_RULE_H
#define SG_RULE_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include "secretgate/secretgate.h"
#include "lib/engine/prefilter.h"

typedef enum { SG_PAIR_NONE = 0, SG_PAIR_ID, SG_PAIR_SECRET } sg_pair_role;

typedef struct sg_strlist {
	char **items;
	size_t count;
} sg_strlist;

struct sg_rule {
	char *id, *description, *source, *pattern, *checksum;
	unsigned line; /* where the rule starts in its source */
	sg_severity severity;
	sg_confidence confidence;
	double entropy;
	uint32_t window;
	int enabled;
	int kind;          /* sg_rule_kind: provider, generic or store (docs/context.md) */
	uint32_t contexts; /* contexts the rule runs in (1 << sg_context), 0 = all */
	int borrowed;      /* strings point into the embedded pack: not freed */
	int in_pack;       /* the rule and its lists live in the rule set's pack block */
	sg_strlist keywords, allow, stopwords, paths, not_paths, examples, negative, references;
	/* Compiled on first use (start-up stays cheap), under sg_rule_compile's lock. */
	pcre2_code *code;
	/* JIT compiling costs more than a pre-commit hook spends matching: a
	 * pattern starts interpreted and gets a JIT-compiled copy, published
	 * here, once it has run on enough windows. */
	pcre2_code *jit_code;
	unsigned uses;
	pcre2_code **allow_code;
	/* two-part credentials (pairing.c): the other part's rule id, this
	 * part's role, how many lines apart the parts may be, and whether an id
	 * part found alone is reported (an AKIA key id is; a Twilio SID is not) */
	char *pair_with;
	sg_pair_role pair_role;
	uint32_t pair_within;
	int pair_alone;
	const struct sg_rule *pair_partner; /* resolved by sg_pairing_prepare */
	int secret_group;
	/* every match starts where a keyword does (sg_pattern_starts_with_keyword):
	 * code is compiled anchored and tried only at the keyword hits */
	int keyword_anchored;
	/* how far before the keyword every match starts, for a rule whose
	 * pattern has a fixed width before it (sg_pattern_keyword_offset) */
	int keyword_offset;
	/* a byte every match holds at a fixed distance from its start, past the
	 * keyword (sg_pattern_probe), looked at before each anchored try:
	 * probe_width 0 when there is none; when the byte is matched in either
	 * case (probe_folds), probe_byte is already folded */
	uint32_t probe_width;
	unsigned char probe_byte;
	int probe_folds;
	/* else, when the pattern's start was read (sg_pattern_start_pairs): the
	 * pairs of first bytes a match may start with, ASCII letters in lower
	 * case, bit a | b << 8; code is compiled anchored and tried where one
	 * occurs. NULL otherwise: the window is searched. */
	struct sg_start_pairs *start_pairs;
	/* an anchored rule's byte every match holds (PCRE2's last code unit,
	 * taken in either case), or -1. The code is compiled without PCRE2's
	 * start-up checks, which for each try looked for that byte across the
	 * rest of the window (kilobytes on minified code); the scanner looks
	 * once a window and tries no offset past its last occurrence. */
	int need;
	int compile_state; /* 0 not yet, 1 ok, -1 failed */
	char *compile_error;
};

/* How a rule's matches are judged by context. */
typedef enum {
	SG_RULE_PROVIDER = 0, /* exact provider format: the same in every context */
	SG_RULE_GENERIC,      /* a credential-like name and a value: judged by context */
	SG_RULE_STORE,        /* a credential-store format: sure in a store, low in docs/tests */
} sg_rule_kind;
/* "provider", "generic", "store"; 0 or SG_EINVALID. */
int sg_rule_kind_parse(int *out, const char *name);
const char *sg_rule_kind_name(int kind);

struct sg_ruleset {
	sg_rule **rules;
	size_t count, cap;
	sg_prefilter *prefilter;
	/* the embedded pack's prebuilt prefilter, valid while the rule set is
	 * exactly the pack's rules (disabling a rule keeps it valid) */
	sg_prefilter *packed_prefilter;
	int pristine;
	/* the pack's rules and the string lists of all of them, one block each
	 * (sg_ruleset_add_pack): a hook's start-up does two allocations, not
	 * thousands */
	sg_rule *pack_rules;
	char **pack_items;
	/* the enabled rules with a pair (pairing.c): a chunk's findings are
	 * matched against this short list, not the whole rule set */
	const sg_rule **paired;
	size_t npaired;
	/* the rules without keywords, which read the head of the files they
	 * name: each chunk looks at this short list, not at every rule */
	sg_rule **path_rules;
	size_t npath_rules;
};

struct sg_yaml_node;
/* Add the rules of a parsed YAML list (config custom rules). */
int sg_ruleset_add_node(sg_ruleset *rs, const char *name, const struct sg_yaml_node *list,
                        int eager);
/* The code to match with: the JIT copy once there is one. */
const pcre2_code *sg_rule_code(sg_rule *r);
/* 1 when every match of pattern starts with one of keywords (read off the
 * pattern's leading literals; 0 whenever in doubt). */
int sg_pattern_starts_with_keyword(const char *pattern, const sg_strlist *keywords);
/* n > 0 when every match of pattern starts n bytes before one of keywords
 * (written literally after a prefix of fixed width, no alternative before
 * it, n at most 256); 0 whenever in doubt. */
int sg_pattern_keyword_offset(const char *pattern, const sg_strlist *keywords);
/* 1 when every match of pattern (no alternatives) holds the literal *byte
 * at *width bytes from its start, the first such at least min_width in,
 * after items of fixed width only; *folds when it is matched in either
 * case. 0 whenever in doubt. */
int sg_pattern_probe(const char *pattern, size_t min_width, size_t *width, unsigned char *byte,
                     int *folds);
/* The pairs of bytes a match may start with: bit a | b << 8 of bits, ASCII
 * letters keyed in lower case (a one-byte text pairs with any byte, and with
 * 0 at the subject's end). first and second say which bytes below 0x80 (in
 * either case) may be a pair's first and second; any_second when a one-byte
 * text lets any byte follow. */
typedef struct sg_start_pairs {
	uint64_t bits[65536 / 64];
	uint8_t first[128], second[128];
	int any_second;
} sg_start_pairs;
/* A byte as the pairs are keyed: ASCII letters in lower case. */
static inline unsigned sg_fold_ascii(unsigned char c)
{
	return (unsigned)c - 'A' < 26u ? c + 32u : c;
}
/* 1 and *pairs (the caller's to free) when the texts every match of pattern
 * starts with were read; 0 when in doubt, SG_ENOMEM. Upper-case ASCII
 * letters are keyed as lower case on both sides, so the set holds every
 * pair a case-insensitive pattern may start with. */
int sg_pattern_start_pairs(const char *pattern, sg_start_pairs **pairs);
/* Compile a rule's pattern and allow patterns (idempotent, thread-safe). */
int sg_rule_compile(sg_rule *r);
/* The embedded pack written by tools/rulepack (layout described there). */
extern const char sg_rules_pack[];
extern const unsigned long sg_rules_pack_size;
/* Read a pack into rs; its strings are borrowed from `data`, which must
 * outlive the rule set (the embedded pack lives as long as the program). */
int sg_ruleset_add_pack(sg_ruleset *rs, const char *data, size_t len);

#endif
