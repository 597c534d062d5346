/* Whether every match of a rule's pattern starts where one of its keywords
 * does. Such a rule is matched anchored at each keyword hit instead of being
 * searched for across the whole window around the hits: the same matches at
 * a fraction of the cost (most hits of a short keyword, "pat" in "path",
 * fail on the next byte). Failing that, the texts every match starts with
 * give the pairs of first bytes a match may start with, and the rule is
 * tried anchored where such a pair occurs. The reading is conservative: any
 * construct it does not know makes the answer no, and no costs only speed. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "lib/engine/rule.h"

/* The ']' closing the class opening at p ('['), or NULL. A ']' first is
 * literal; [:name:] nests. */
static const char *class_end(const char *p, const char *end)
{
	p++;
	if (p < end && *p == '^')
		p++;
	if (p < end && *p == ']')
		p++;
	for (; p < end && *p != ']'; p++) {
		if (*p == '\\') {
			p++;
		} else if (*p == '[' && p + 1 < end && p[1] == ':') {
			const char *c = strstr(p + 2, ":]");
			if (!c || c >= end)
				return NULL;
			p = c + 1;
		}
	}
	return p < end ? p : NULL;
}

/* The ')' closing the group opening at p ('('), or NULL when unbalanced. */
static const char *group_end(const char *p, const char *end)
{
	int depth = 0;
	for (; p < end; p++) {
		if (*p == '\\') {
			if (++p >= end)
				return NULL;
		} else if (*p == '[') {
			if (!(p = class_end(p, end)))
				return NULL;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')') {
			if (--depth == 0)
				return p;
		}
	}
	return NULL;
}

/* Where the body of the group at p starts, past its opener: (?: (?| (?<n>
 * (?P<n> (?flags: or a plain (. NULL for lookarounds and anything else. */
static const char *group_body(const char *p, const char *close)
{
	if (p[1] != '?')
		return p + 1;
	const char *q = p + 2;
	if (*q == ':' || *q == '|')
		return q + 1;
	if (*q == 'P')
		q++;
	if (*q == '<' && (isalpha((unsigned char)q[1]) || q[1] == '_')) {
		q++;
		while (q < close && (isalnum((unsigned char)*q) || *q == '_'))
			q++;
		return *q == '>' ? q + 1 : NULL;
	}
	while (q < close && (*q == 'i' || *q == 'm' || *q == 's' || *q == '-'))
		q++;
	return *q == ':' ? q + 1 : NULL;
}

/* Whether the group at p (closing at close) only sets options: (?i),
 * (?-i), (?ms); it has no width. */
static int sets_options(const char *p, const char *close)
{
	if (p[1] != '?' || close <= p + 2)
		return 0;
	const char *q = p + 2;
	while (q < close && strchr("ims-", *q))
		q++;
	return q == close;
}

static int is_literal(char c)
{
	return c && (isalnum((unsigned char)c) || strchr("_-/:=@,;!<>#%&~'\" ", c) != NULL);
}

/* The literal texts one alternative may start with: every match of it
 * begins with one of them. An open text is all the alternative has matched
 * so far, so what follows extends it; a closed one was cut where the reading
 * stopped (a quantifier, a class it does not spell out, anything unknown). */
#define PREFIX_MAX 48
#define PREFIXES   32
#define MAX_DEPTH  16 /* groups inside groups read; deeper, the reading gives up */

typedef struct prefix {
	char text[PREFIX_MAX];
	unsigned char len, open;
} prefix;

typedef struct prefixes {
	prefix v[PREFIXES];
	int n;
	int overflow; /* more texts than fit: the reading gives up */
} prefixes;

static void close_all(prefixes *ps)
{
	for (int i = 0; i < ps->n; i++)
		ps->v[i].open = 0;
}

static int any_open(const prefixes *ps)
{
	for (int i = 0; i < ps->n; i++)
		if (ps->v[i].open)
			return 1;
	return 0;
}

static void add(prefixes *ps, const prefix *x)
{
	for (int i = 0; i < ps->n; i++)
		if (ps->v[i].len == x->len && ps->v[i].open == x->open &&
		    !memcmp(ps->v[i].text, x->text, x->len))
			return;
	if (ps->n == PREFIXES) {
		ps->overflow = 1;
		return;
	}
	ps->v[ps->n++] = *x;
}

/* Each open text followed by each of the texts in tail (the ones kept open
 * when with_empty says the tail may match nothing). */
static void extend(prefixes *ps, const prefixes *tail, int with_empty)
{
	if (tail->n == 1 && !with_empty && !tail->overflow) {
		/* one text (a literal byte, most often): each open text grows in
		 * place */
		const prefix *b = &tail->v[0];
		for (int i = 0; i < ps->n; i++) {
			prefix *a = &ps->v[i];
			if (!a->open)
				continue;
			size_t room = PREFIX_MAX - a->len, take = b->len < room ? b->len : room;
			memcpy(a->text + a->len, b->text, take);
			a->len = (unsigned char)(a->len + take);
			a->open = b->open && take == b->len;
		}
		return;
	}
	prefixes out;
	out.n = 0;
	out.overflow = 0;
	for (int i = 0; i < ps->n && !out.overflow; i++) {
		const prefix *a = &ps->v[i];
		if (!a->open || with_empty)
			add(&out, a);
		if (!a->open)
			continue;
		for (int j = 0; j < tail->n; j++) {
			const prefix *b = &tail->v[j];
			prefix c = *a;
			size_t room = PREFIX_MAX - c.len, take = b->len < room ? b->len : room;
			memcpy(c.text + c.len, b->text, take);
			c.len = (unsigned char)(c.len + take);
			c.open = b->open && take == b->len;
			add(&out, &c);
		}
	}
	if (out.overflow && !ps->overflow && !tail->overflow) {
		/* more texts than fit: the shorter ones read so far still begin
		 * every match, they are just not extended */
		close_all(ps);
		return;
	}
	out.overflow |= ps->overflow || tail->overflow;
	*ps = out;
}

/* The bytes a class [p, close] stands for, when it spells them out: no
 * negation, no ranges, no escapes other than punctuation, at most eight. */
static int class_bytes(const char *p, const char *close, char *bytes)
{
	int n = 0;
	for (p++; p < close; p++) {
		char c = *p;
		if (c == '\\' && p + 1 < close && !isalnum((unsigned char)p[1]))
			c = *++p;
		else if (c == '^' || c == '\\' || c == '[' ||
		         (c == '-' && p[-1] != '[' && p + 1 < close))
			return 0;
		if (n == 8)
			return 0;
		bytes[n++] = c;
	}
	return n;
}

static void alt_prefixes(const char *p, const char *close, prefixes *out, int depth);

/* The texts every match of the sequence [p, end) starts with; they stay
 * open only when the whole sequence was read. */
static void seq_prefixes(const char *p, const char *end, prefixes *ps, int depth)
{
	ps->n = 1;
	ps->overflow = depth > MAX_DEPTH;
	ps->v[0].len = 0;
	ps->v[0].open = 1;
	while (p < end && any_open(ps) && !ps->overflow) {
		/* zero-width items: \b, ^, \A, \G, option settings, lookarounds */
		if (*p == '^') {
			p++;
			continue;
		}
		if (*p == '\\' && p + 1 < end && strchr("bBAG", p[1])) {
			p += 2;
			continue;
		}
		prefixes item; /* only its first n texts are read */
		item.n = 0;
		item.overflow = 0;
		const char *next;
		if (*p == '(') {
			const char *close = group_end(p, end);
			if (!close)
				break;
			next = close + 1;
			if (p[1] == '?' && (p[2] == '=' || p[2] == '!' ||
			                    (p[2] == '<' && (p[3] == '=' || p[3] == '!')))) {
				p = next;
				continue;
			}
			if (sets_options(p, close)) {
				p = next;
				continue;
			}
			const char *body = group_body(p, close);
			if (!body)
				break;
			alt_prefixes(body, close, &item, depth + 1);
		} else if (*p == '[') {
			const char *close = class_end(p, end);
			char bytes[8];
			int n = close ? class_bytes(p, close, bytes) : 0;
			if (!n)
				break;
			for (int i = 0; i < n; i++)
				add(&item, &(prefix){.text = {bytes[i]}, .len = 1, .open = 1});
			next = close + 1;
		} else if (*p == '\\' && p + 1 < end && !isalnum((unsigned char)p[1])) {
			add(&item, &(prefix){.text = {p[1]}, .len = 1, .open = 1});
			next = p + 2;
		} else if (is_literal(*p)) {
			add(&item, &(prefix){.text = {*p}, .len = 1, .open = 1});
			next = p + 1;
		} else {
			break;
		}
		/* the item's quantifier: '?' may leave it out, '+' takes it at
		 * least once (and what follows is not read); anything else stops */
		if (next < end && *next == '?') {
			extend(ps, &item, 1);
			next++;
			if (next < end && strchr("?+", *next))
				next++;
		} else if (next < end && *next == '+') {
			extend(ps, &item, 0);
			close_all(ps);
		} else if (next < end && strchr("*{", *next)) {
			close_all(ps);
		} else {
			extend(ps, &item, 0);
		}
		p = next;
	}
	if (p < end)
		close_all(ps);
}

/* The texts every match of the group body [p, close) starts with, over all
 * its alternatives; open ones may be extended by what follows the group. */
static void alt_prefixes(const char *p, const char *close, prefixes *out, int depth)
{
	out->n = 0;
	out->overflow = 0;
	const char *alt = p;
	for (const char *q = p; q <= close; q++) {
		if (q == close || *q == '|') {
			prefixes one;
			seq_prefixes(alt, q, &one, depth);
			for (int i = 0; i < one.n; i++)
				add(out, &one.v[i]);
			out->overflow |= one.overflow;
			alt = q + 1;
		} else if (*q == '\\') {
			q++;
		} else if (*q == '(' || *q == '[') {
			/* a nested group or a class: its '|' are not this group's */
			q = *q == '(' ? group_end(q, close) : class_end(q, close);
			if (!q) {
				out->overflow = 1;
				return;
			}
		}
	}
}

int sg_pattern_starts_with_keyword(const char *pattern, const sg_strlist *keywords)
{
	if (!pattern || !keywords->count)
		return 0;
	const char *end = pattern + strlen(pattern);
	prefixes ps;
	alt_prefixes(pattern, end, &ps, 0);
	if (ps.overflow || !ps.n)
		return 0;
	for (int i = 0; i < ps.n; i++) {
		int hit = 0;
		for (size_t k = 0; k < keywords->count && !hit; k++) {
			size_t kl = strlen(keywords->items[k]);
			hit = kl && kl <= ps.v[i].len &&
			      strncasecmp(ps.v[i].text, keywords->items[k], kl) == 0;
		}
		if (!hit)
			return 0;
	}
	return 1;
}

/* The keyword written literally at p in a pattern (a letter, digit, '_' or
 * '-' at a time, none quantified), or NULL. */
static const char *literal_keyword_at(const char *p, const char *end, const sg_strlist *keywords)
{
	for (size_t k = 0; k < keywords->count; k++) {
		const char *w = keywords->items[k];
		size_t n = strlen(w), i = 0;
		while (i < n && p + i < end &&
		       (isalnum((unsigned char)w[i]) || w[i] == '_' || w[i] == '-') &&
		       tolower((unsigned char)p[i]) == tolower((unsigned char)w[i]))
			i++;
		if (n && i == n && (p + n >= end || !strchr("*+?{", p[n])))
			return w;
	}
	return NULL;
}

/* The {n} at p (an exact count), its n, and where it ends; 0 when p holds
 * another quantifier, -1 when none. */
static int exact_count(const char *p, const char *end, size_t *n, const char **after)
{
	if (p >= end || !strchr("*+?{", *p))
		return -1;
	if (*p != '{')
		return 0;
	char *e;
	unsigned long v = strtoul(p + 1, &e, 10);
	if (e == p + 1 || e >= end || *e != '}' || v > 4096)
		return 0;
	*n = v;
	/* {n}+ and {n}? take n all the same */
	*after = e + 1 < end && (e[1] == '+' || e[1] == '?') ? e + 2 : e + 1;
	return 1;
}

/* Whether the group opened at p (body its first byte) changes case
 * folding: its "(?i:" or "(?-i:" flags, else what holds outside (cur). */
static int opener_folds(const char *p, const char *body, int cur)
{
	if (p[1] != '?')
		return cur;
	int on = 1;
	for (const char *q = p + 2; q < body - 1; q++) {
		if (*q == '-')
			on = 0;
		else if (*q == 'i')
			cur = on;
	}
	return cur;
}

/* Whether [p, end) has a '|' of its own (not inside a group or a class);
 * 1 also when it cannot be read. */
static int has_alternative(const char *p, const char *end)
{
	for (const char *q = p; q < end; q++) {
		if (*q == '\\' && ++q >= end)
			return 1;
		if ((*q == '[' && !(q = class_end(q, end))) ||
		    (*q == '(' && !(q = group_end(q, end))))
			return 1;
		if (*q == '|')
			return 1;
	}
	return 0;
}

/* Where a walk of a pattern's fixed-width start stopped. */
typedef struct fixed_stop {
	size_t width;       /* bytes from the start of every match */
	unsigned char byte; /* the literal there (literal mode) */
	int folds;          /* it is matched in either case */
} fixed_stop;

/* Walk the start of a pattern without alternatives while every item has a
 * fixed width. With keywords: stop where one of them is written literally
 * after some width. Without: stop at the first literal byte at least
 * min_width into the match. Returns 1 when it stopped so, 0 when in doubt. */
static int fixed_walk(const char *pattern, const sg_strlist *keywords, size_t min_width,
                      fixed_stop *out)
{
	const char *p = pattern, *end = pattern + strlen(pattern);
	/* no alternative of the whole pattern, before the stop or after */
	if (has_alternative(p, end))
		return 0;
	size_t width = 0;
	int depth = 0, folds[MAX_DEPTH + 1] = {0};
	while (p < end) {
		if (keywords && width && literal_keyword_at(p, end, keywords)) {
			out->width = width;
			return 1;
		}
		const char *next;
		int literal = -1;
		if (*p == '(') {
			const char *close = group_end(p, end), *body;
			if (close && sets_options(p, close)) {
				folds[depth] = opener_folds(p, close + 1, folds[depth]);
				p = close + 1;
				continue;
			}
			/* entered when it is taken once, whole (no '|' of its own) */
			if (!close || !(body = group_body(p, close)) || depth == MAX_DEPTH ||
			    (close + 1 < end && strchr("*+?{", close[1])) ||
			    has_alternative(body, close))
				return 0;
			folds[depth + 1] = opener_folds(p, body, folds[depth]);
			depth++;
			p = body;
			continue;
		}
		if (*p == ')') {
			if (--depth < 0)
				return 0;
			p++;
			continue;
		}
		if (*p == '\\') {
			if (p[1] == 'b') {
				p += 2; /* no width */
				continue;
			}
			if (!p[1] || !(strchr("dwsDWS", p[1]) || ispunct((unsigned char)p[1])))
				return 0;
			if (ispunct((unsigned char)p[1]))
				literal = (unsigned char)p[1];
			next = p + 2;
		} else if (*p == '[') {
			const char *c = class_end(p, end);
			if (!c)
				return 0;
			next = c + 1;
		} else if (*p == '.' || isalnum((unsigned char)*p) || *p == '_' || *p == '-') {
			if (*p != '.')
				literal = (unsigned char)*p;
			next = p + 1;
		} else {
			return 0; /* '|', '^', '$' and the rest */
		}
		size_t n = 1;
		const char *after = next;
		int q = exact_count(next, end, &n, &after);
		if (q == 0)
			return 0;
		if (!keywords && literal >= 0 && n > 0 && width >= min_width) {
			out->width = width;
			out->byte = (unsigned char)literal;
			out->folds = folds[depth] && isalpha(literal);
			return 1;
		}
		width += n;
		p = after;
	}
	return 0;
}

int sg_pattern_keyword_offset(const char *pattern, const sg_strlist *keywords)
{
	fixed_stop st;
	if (!pattern || !keywords->count || !fixed_walk(pattern, keywords, 0, &st))
		return 0;
	return st.width <= 256 ? (int)st.width : 0;
}

int sg_pattern_probe(const char *pattern, size_t min_width, size_t *width, unsigned char *byte,
                     int *folds)
{
	fixed_stop st;
	if (!pattern || !fixed_walk(pattern, NULL, min_width, &st) || st.width > 4096)
		return 0;
	*width = st.width;
	*byte = st.byte;
	*folds = st.folds;
	return 1;
}

static void mark(uint8_t *tab, unsigned c)
{
	if (c < 128) {
		tab[c] = 1;
		if (c >= 'a' && c <= 'z')
			tab[c - 32] = 1;
	}
}

int sg_pattern_start_pairs(const char *pattern, sg_start_pairs **pairs)
{
	*pairs = NULL;
	if (!pattern)
		return 0;
	prefixes ps;
	alt_prefixes(pattern, pattern + strlen(pattern), &ps, 0);
	if (ps.overflow || !ps.n)
		return 0;
	for (int i = 0; i < ps.n; i++)
		if (!ps.v[i].len || (unsigned char)ps.v[i].text[0] >= 128)
			return 0; /* a match may start with anything */
	sg_start_pairs *sp = calloc(1, sizeof(*sp));
	if (!sp)
		return SG_ENOMEM;
	for (int i = 0; i < ps.n; i++) {
		unsigned a = sg_fold_ascii((unsigned char)ps.v[i].text[0]);
		mark(sp->first, a);
		if (ps.v[i].len > 1 && (unsigned char)ps.v[i].text[1] < 128)
			mark(sp->second, sg_fold_ascii((unsigned char)ps.v[i].text[1]));
		else
			sp->any_second = 1;
		/* one byte: whatever follows it (and a 0 at the window's end) */
		for (unsigned b = 0; b < 256; b++)
			if (ps.v[i].len > 1 ? b == sg_fold_ascii((unsigned char)ps.v[i].text[1])
			                    : 1) {
				unsigned k = a | b << 8;
				sp->bits[k >> 6] |= 1ULL << (k & 63);
			}
	}
	*pairs = sp;
	return 1;
}
