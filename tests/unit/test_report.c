/* Tests for the report writers: SARIF structure as GitHub code scanning reads
 * it, JSON well-formedness of json/jsonl/sarif/gitlab (a small validating
 * parser below), well-formed JUnit and HTML, an HTML page that loads nothing,
 * escaping of hostile file contents in every format, and redaction. */
#include <ctype.h>
#include <unistd.h>
#include "helpers.h"
#include "lib/report/report.h"

/* ---- a small JSON parser: validates and builds a tree to walk ---------- */

typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } jtype;

typedef struct jv {
	jtype t;
	double num;
	int b;
	char *str;        /* decoded string */
	char **keys;      /* object keys */
	struct jv **kids; /* array items / object values */
	size_t n;
} jv;

typedef struct jp {
	const char *p, *end;
	const char *err;
} jp;

static void jfree(jv *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		jfree(v->kids[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->kids);
	free(v->keys);
	free(v->str);
	free(v);
}

static void jws(jp *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
		s->p++;
}

static jv *jparse_value(jp *s, int depth);

static char *jparse_string(jp *s)
{
	if (s->p >= s->end || *s->p != '"') {
		s->err = "expected string";
		return NULL;
	}
	s->p++;
	size_t cap = 64, n = 0;
	char *out = malloc(cap);
	while (s->p < s->end && *s->p != '"') {
		unsigned char c = (unsigned char)*s->p;
		if (n + 8 >= cap)
			out = realloc(out, cap *= 2);
		if (c < 0x20) {
			s->err = "raw control character in string";
			free(out);
			return NULL;
		}
		if (c >= 0x80) {
			size_t k = sg_utf8_seq((const unsigned char *)s->p);
			if (!k) {
				s->err = "invalid UTF-8 in string";
				free(out);
				return NULL;
			}
			memcpy(out + n, s->p, k);
			n += k;
			s->p += k;
			continue;
		}
		if (c == '\\') {
			s->p++;
			if (s->p >= s->end) {
				s->err = "truncated escape";
				free(out);
				return NULL;
			}
			char e = *s->p++;
			const char *map = strchr("\"\"\\\\//b\bf\fn\nr\rt\t", e);
			if (e == 'u') {
				unsigned cp = 0;
				for (int i = 0; i < 4; i++, s->p++) {
					if (s->p >= s->end || !isxdigit((unsigned char)*s->p)) {
						s->err = "bad \\u escape";
						free(out);
						return NULL;
					}
					cp = cp * 16 +
					     (unsigned)(isdigit((unsigned char)*s->p)
					                        ? *s->p - '0'
					                        : (tolower(*s->p) - 'a' + 10));
				}
				/* keep it simple: code points are recorded as '?' */
				out[n++] = cp < 0x80 && cp >= 0x20 ? (char)cp : '?';
			} else if (map && ((map - "\"\"\\\\//b\bf\fn\nr\rt\t") % 2 == 0)) {
				out[n++] = map[1];
			} else {
				s->err = "bad escape";
				free(out);
				return NULL;
			}
			continue;
		}
		out[n++] = (char)c;
		s->p++;
	}
	if (s->p >= s->end) {
		s->err = "unterminated string";
		free(out);
		return NULL;
	}
	s->p++;
	out[n] = '\0';
	return out;
}

static jv *jnew(jtype t)
{
	jv *v = calloc(1, sizeof(*v));
	v->t = t;
	return v;
}

static void jpush(jv *v, char *key, jv *kid)
{
	v->kids = realloc(v->kids, (v->n + 1) * sizeof(*v->kids));
	if (v->t == J_OBJ)
		v->keys = realloc(v->keys, (v->n + 1) * sizeof(*v->keys));
	if (v->t == J_OBJ)
		v->keys[v->n] = key;
	v->kids[v->n++] = kid;
}

static jv *jparse_value(jp *s, int depth)
{
	jws(s);
	if (depth > 64) {
		s->err = "too deep";
		return NULL;
	}
	if (s->p >= s->end) {
		s->err = "unexpected end";
		return NULL;
	}
	char c = *s->p;
	if (c == '{' || c == '[') {
		jv *v = jnew(c == '{' ? J_OBJ : J_ARR);
		char close = c == '{' ? '}' : ']';
		s->p++;
		jws(s);
		if (s->p < s->end && *s->p == close) {
			s->p++;
			return v;
		}
		for (;;) {
			char *key = NULL;
			jws(s);
			if (v->t == J_OBJ) {
				if (!(key = jparse_string(s))) {
					jfree(v);
					return NULL;
				}
				for (size_t i = 0; i < v->n; i++)
					if (!strcmp(v->keys[i], key)) {
						s->err = "duplicate key";
						free(key);
						jfree(v);
						return NULL;
					}
				jws(s);
				if (s->p >= s->end || *s->p != ':') {
					s->err = "expected ':'";
					free(key);
					jfree(v);
					return NULL;
				}
				s->p++;
			}
			jv *kid = jparse_value(s, depth + 1);
			if (!kid) {
				free(key);
				jfree(v);
				return NULL;
			}
			jpush(v, key, kid);
			jws(s);
			if (s->p < s->end && *s->p == ',') {
				s->p++;
				continue;
			}
			if (s->p < s->end && *s->p == close) {
				s->p++;
				return v;
			}
			s->err = "expected ',' or close";
			jfree(v);
			return NULL;
		}
	}
	if (c == '"') {
		char *str = jparse_string(s);
		if (!str)
			return NULL;
		jv *v = jnew(J_STR);
		v->str = str;
		return v;
	}
	if (!strncmp(s->p, "true", 4) || !strncmp(s->p, "false", 5)) {
		jv *v = jnew(J_BOOL);
		v->b = *s->p == 't';
		s->p += v->b ? 4 : 5;
		return v;
	}
	if (!strncmp(s->p, "null", 4)) {
		s->p += 4;
		return jnew(J_NULL);
	}
	if (c == '-' || isdigit((unsigned char)c)) {
		/* JSON grammar: -?(0|[1-9]d*)(.d+)?([eE][+-]?d+)? */
		const char *q = s->p;
		if (*q == '-')
			q++;
		if (q < s->end && *q == '0')
			q++;
		else if (q < s->end && isdigit((unsigned char)*q))
			while (q < s->end && isdigit((unsigned char)*q))
				q++;
		else {
			s->err = "bad number";
			return NULL;
		}
		if (q < s->end && *q == '.') {
			q++;
			if (q >= s->end || !isdigit((unsigned char)*q)) {
				s->err = "bad fraction";
				return NULL;
			}
			while (q < s->end && isdigit((unsigned char)*q))
				q++;
		}
		if (q < s->end && (*q == 'e' || *q == 'E')) {
			q++;
			if (q < s->end && (*q == '+' || *q == '-'))
				q++;
			if (q >= s->end || !isdigit((unsigned char)*q)) {
				s->err = "bad exponent";
				return NULL;
			}
			while (q < s->end && isdigit((unsigned char)*q))
				q++;
		}
		jv *v = jnew(J_NUM);
		v->num = strtod(s->p, NULL);
		s->p = q;
		return v;
	}
	s->err = "unexpected character";
	return NULL;
}

/* Parse exactly one JSON document from text; fails the test when malformed. */
static jv *json_doc(const char *text, size_t len)
{
	jp s = {text, text + len, NULL};
	jv *v = jparse_value(&s, 0);
	if (v) {
		jws(&s);
		if (s.p != s.end) {
			s.err = "trailing data";
			jfree(v);
			v = NULL;
		}
	}
	if (!v)
		fail_msg("malformed JSON (%s) at offset %ld: %.60s", s.err, (long)(s.p - text),
		         s.p);
	return v;
}

static const jv *jget(const jv *o, const char *key)
{
	if (!o || o->t != J_OBJ)
		return NULL;
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->keys[i], key))
			return o->kids[i];
	return NULL;
}

/* A required property of a type; fails the test naming the path otherwise. */
static const jv *jreq(const jv *o, const char *key, jtype t, const char *where)
{
	const jv *v = jget(o, key);
	if (!v)
		fail_msg("%s: missing required property '%s'", where, key);
	if (v->t != t)
		fail_msg("%s.%s: wrong type %d, wanted %d", where, key, v->t, t);
	return v;
}

static const char *jstr(const jv *o, const char *key, const char *where)
{
	return jreq(o, key, J_STR, where)->str;
}

static long jint(const jv *o, const char *key, const char *where)
{
	const jv *v = jreq(o, key, J_NUM, where);
	if (v->num != (double)(long)v->num)
		fail_msg("%s.%s: not an integer", where, key);
	return (long)v->num;
}

/* ---- an XML-ish well-formedness check (JUnit, HTML) --------------------- */

static const char *const html_void[] = {"meta", "br", "hr", "img", "input", "link", NULL};

static int is_void(const char *name, size_t n)
{
	for (size_t i = 0; html_void[i]; i++)
		if (strlen(html_void[i]) == n && !strncmp(html_void[i], name, n))
			return 1;
	return 0;
}

/* Tags balance, attribute values are quoted, '<' and '&' appear in text only
 * as markup or entities, bytes are valid UTF-8 without control characters. */
static void check_markup(const char *text, size_t len, int html)
{
	const char *stack[256];
	size_t lens[256], depth = 0;
	const char *p = text, *end = text + len;
	while (p < end) {
		unsigned char c = (unsigned char)*p;
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			fail_msg("control byte 0x%02x at offset %ld", c, (long)(p - text));
		if (c >= 0x80) {
			size_t k = sg_utf8_seq((const unsigned char *)p);
			if (!k)
				fail_msg("invalid UTF-8 at offset %ld", (long)(p - text));
			p += k;
			continue;
		}
		if (c == '&') {
			const char *q = p + 1;
			if (q < end && *q == '#')
				q++;
			while (q < end && isalnum((unsigned char)*q))
				q++;
			if (q >= end || *q != ';' || q == p + 1)
				fail_msg("bare '&' at offset %ld: %.30s", (long)(p - text), p);
			p = q + 1;
			continue;
		}
		if (c == '>')
			fail_msg("bare '>' at offset %ld", (long)(p - text));
		if (c != '<') {
			p++;
			continue;
		}
		if (!strncmp(p, "<?", 2) || !strncmp(p, "<!", 2)) {
			const char *q = memchr(p, '>', (size_t)(end - p));
			assert_non_null(q);
			p = q + 1;
			continue;
		}
		int closing = p[1] == '/';
		const char *name = p + 1 + closing, *q = name;
		while (q < end && (isalnum((unsigned char)*q) || *q == '-' || *q == ':'))
			q++;
		size_t nl = (size_t)(q - name);
		if (!nl)
			fail_msg("'<' not starting a tag at offset %ld: %.30s", (long)(p - text),
			         p);
		/* attributes: name="value" with no '<' inside */
		while (q < end && *q != '>' && !(*q == '/' && q[1] == '>')) {
			if (*q == ' ' || *q == '\n') {
				q++;
				continue;
			}
			const char *an = q;
			while (q < end && (isalnum((unsigned char)*q) || *q == '-' || *q == ':'))
				q++;
			if (q == an || *q != '=' || q[1] != '"')
				fail_msg("bad attribute at offset %ld: %.40s", (long)(an - text),
				         an);
			q += 2;
			while (q < end && *q != '"') {
				if (*q == '<')
					fail_msg("'<' inside attribute at offset %ld",
					         (long)(q - text));
				q++;
			}
			q++;
		}
		int self = *q == '/';
		q += self ? 2 : 1;
		if (closing) {
			if (!depth || lens[depth - 1] != nl || strncmp(stack[depth - 1], name, nl))
				fail_msg("unbalanced </%.*s> at offset %ld", (int)nl, name,
				         (long)(p - text));
			depth--;
		} else if (!self && !(html && is_void(name, nl))) {
			assert_true(depth < 256);
			stack[depth] = name;
			lens[depth++] = nl;
			if (html && nl == 5 && !strncmp(name, "style", 5)) {
				const char *close = strstr(q, "</style>");
				assert_non_null(close);
				for (const char *k = q; k < close; k++)
					if (*k == '<')
						fail_msg("'<' inside <style>");
				q = close;
			}
		}
		p = q;
	}
	if (depth)
		fail_msg("unclosed <%.*s>", (int)lens[depth - 1], stack[depth - 1]);
}

/* ---- fixtures --------------------------------------------------------------- */

static char aws[21], aws2[21];

static const char hostile[] = "evil\"<script>alert(1)</script>\x1b[31m\x1b]0;title\x07 & 'q'\n"
                              "next line\r\\ \xc2\x9b \xff\xfe end";

static void push(sg_findings *f, const char *rule, const char *desc, sg_severity sev,
                 const char *path, uint32_t line, const char *secret, sg_suppress sup,
                 const char *commit, const char *author, const char *date)
{
	sg_finding x = {0};
	x.rule_id = rule;
	x.description = desc;
	x.severity = sev;
	x.confidence = SG_CONF_HIGH;
	x.path = (char *)path;
	x.line = line;
	x.end_line = line;
	x.column = 5;
	x.end_column = 5 + (uint32_t)strlen(secret) - 1;
	x.secret = (char *)secret;
	x.secret_len = strlen(secret);
	x.suppressed = sup;
	x.commit = (char *)commit;
	x.author = (char *)author;
	x.email = author ? (char *)"dev@example.test" : NULL;
	x.date = (char *)date;
	sg_fingerprint(x.fingerprint, rule, secret, x.secret_len);
	assert_int_equal(sg_findings_push(f, &x), 0);
}

/* Findings covering every suppression kind, three rules, git fields. */
static void fixture(sg_findings *f)
{
	test_aws_key(aws, 7);
	test_aws_key(aws2, 8);
	sg_findings_init(f, 0);
	const char *c1 = "0123456789abcdef0123456789abcdef01234567";
	push(f, "test-aws", "AWS key id", SG_SEV_CRITICAL, "src/app.py", 3, aws, SG_SUPPRESS_NONE,
	     c1, "Ada", "2023-01-15T10:00:00Z");
	push(f, "test-aws", "AWS key id", SG_SEV_CRITICAL, "deploy/prod.env", 9, aws2,
	     SG_SUPPRESS_INLINE, c1, "Ada", "2023-03-02T10:00:00Z");
	push(f, "test-generic", "Generic key", SG_SEV_MEDIUM, "src/config.js", 12,
	     "Q3JlZGVudGlhbHNIZXJlMTIz", SG_SUPPRESS_IGNORE, c1, "Bob", "2023-06-20T10:00:00Z");
	push(f, "test-generic", "Generic key", SG_SEV_MEDIUM, "lib/x.c", 1,
	     "ZmFrZWJ1dG5vdHJlYWwxMjM0", SG_SUPPRESS_BASELINE, c1, "Bob", "2023-06-21T10:00:00Z");
	push(f, "test-token", "Token", SG_SEV_LOW, "docs/a b%.md", 2, "tok0123456789abcdefXYZ",
	     SG_SUPPRESS_CONFIG, c1, "Cy", "2024-02-01T10:00:00Z");
	push(f, "test-token", "Token", SG_SEV_LOW, "docs/b.md", 4, "tok9876543210abcdefXYZ",
	     SG_SUPPRESS_SEVERITY, c1, "Cy", "2024-02-03T10:00:00Z");
}

/* Findings whose every string is hostile. */
static void hostile_fixture(sg_findings *f, const char *secret)
{
	sg_findings_init(f, 0);
	push(f, "test-aws", hostile, SG_SEV_HIGH, hostile, 1, secret, SG_SUPPRESS_NONE,
	     "0123456789abcdef0123456789abcdef01234567", hostile, "2024-05-05T00:00:00Z");
	f->items[0].message = strdup(hostile);
	free(f->items[0].email);
	f->items[0].email = strdup(hostile);
	push(f, "test-aws", "plain", SG_SEV_HIGH, hostile, 2, secret, SG_SUPPRESS_INLINE, NULL,
	     NULL, NULL);
}

static char *render(const char *format, const sg_findings *f, const sg_report_options *o,
                    size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&buf, &n);
	assert_non_null(out);
	sg_scan_stats st = {.mode = "git-history", .files = 10, .bytes = 12345, .elapsed_ms = 12};
	st.started_at = 1700000000;
	st.finished_at = 1700000002;
	if (sg_report_write(out, format, f, &st, o) != 0)
		fail_msg("%s: %s", format, sg_error_last());
	fclose(out);
	if (len)
		*len = n;
	return buf;
}

static const char *const all_formats[] = {"text",   "json", "jsonl",  "sarif", "junit",
                                          "github", "html", "gitlab", NULL};

/* ---- SARIF -------------------------------------------------------------------- */

static void test_sarif_structure(void **state)
{
	sg_findings f;
	fixture(&f);
	sg_report_options o = SG_REPORT_OPTIONS_INIT;
	size_t len;
	char *out = render("sarif", &f, &o, &len);
	jv *doc = json_doc(out, len);
	assert_string_equal(jstr(doc, "version", "sarif"), "2.1.0");
	assert_non_null(strstr(jstr(doc, "$schema", "sarif"), "sarif-2.1.0"));
	const jv *runs = jreq(doc, "runs", J_ARR, "sarif");
	assert_int_equal(runs->n, 1);
	const jv *run = runs->kids[0];
	const jv *driver = jreq(jreq(run, "tool", J_OBJ, "run"), "driver", J_OBJ, "tool");
	assert_string_equal(jstr(driver, "name", "driver"), "secretgate");
	jstr(driver, "version", "driver");
	assert_non_null(strstr(jstr(driver, "informationUri", "driver"), "://"));
	const jv *rules = jreq(driver, "rules", J_ARR, "driver");

	/* one rule object per rule id used, no more, no fewer */
	assert_int_equal(rules->n, 3);
	for (size_t i = 0; i < rules->n; i++) {
		const jv *r = rules->kids[i];
		const char *id = jstr(r, "id", "rule");
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(jstr(rules->kids[k], "id", "rule"), id);
		jstr(jreq(r, "shortDescription", J_OBJ, id), "text", id);
		jstr(jreq(r, "fullDescription", J_OBJ, id), "text", id);
		const jv *help = jreq(r, "help", J_OBJ, id);
		assert_true(strlen(jstr(help, "text", id)) > 20);
		jstr(help, "markdown", id);
		const char *lvl = jstr(jreq(r, "defaultConfiguration", J_OBJ, id), "level", id);
		assert_non_null(strstr(" none note warning error ", lvl));
		const jv *props = jreq(r, "properties", J_OBJ, id);
		const jv *tags = jreq(props, "tags", J_ARR, id);
		assert_true(tags->n >= 1);
		for (size_t k = 0; k < tags->n; k++)
			assert_int_equal(tags->kids[k]->t, J_STR);
		double sevnum = strtod(jstr(props, "security-severity", id), NULL);
		assert_true(sevnum > 0 && sevnum <= 10);
	}
	const jv *results = jreq(run, "results", J_ARR, "run");
	assert_int_equal(results->n, f.count);
	int used[3] = {0};
	for (size_t i = 0; i < results->n; i++) {
		const jv *res = results->kids[i];
		const char *rid = jstr(res, "ruleId", "result");
		long idx = jint(res, "ruleIndex", "result");
		assert_true(idx >= 0 && (size_t)idx < rules->n);
		assert_string_equal(jstr(rules->kids[idx], "id", "rule"), rid);
		used[idx] = 1;
		assert_non_null(strstr(" none note warning error ", jstr(res, "level", rid)));
		jstr(jreq(res, "message", J_OBJ, rid), "text", rid);
		const jv *locs = jreq(res, "locations", J_ARR, rid);
		assert_int_equal(locs->n, 1);
		const jv *phys = jreq(locs->kids[0], "physicalLocation", J_OBJ, rid);
		const char *uri = jstr(jreq(phys, "artifactLocation", J_OBJ, rid), "uri", rid);
		assert_true(uri[0] != '/' && !strchr(uri, ' ') && !strstr(uri, "://"));
		const jv *region = jreq(phys, "region", J_OBJ, rid);
		long sl = jint(region, "startLine", rid), el = jint(region, "endLine", rid);
		long sc = jint(region, "startColumn", rid), ec = jint(region, "endColumn", rid);
		assert_true(sl >= 1 && el >= sl && sc >= 1 && ec > sc);
		assert_int_equal(sl, f.items[i].line);
		const jv *pf = jreq(res, "partialFingerprints", J_OBJ, rid);
		assert_true(pf->n >= 1);
		assert_string_equal(pf->kids[0]->str, f.items[i].fingerprint);
		const jv *sup = jget(res, "suppressions");
		sg_suppress want = f.items[i].suppressed;
		if (want == SG_SUPPRESS_NONE || want == SG_SUPPRESS_SEVERITY) {
			assert_null(sup);
		} else {
			assert_non_null(sup);
			assert_int_equal(sup->t, J_ARR);
			assert_int_equal(sup->n, 1);
			assert_string_equal(jstr(sup->kids[0], "kind", rid),
			                    want == SG_SUPPRESS_INLINE ? "inSource" : "external");
		}
	}
	assert_true(used[0] && used[1] && used[2]);
	/* a path with a space and '%' is percent-encoded */
	assert_non_null(strstr(out, "\"docs/a%20b%25.md\""));
	jfree(doc);
	free(out);
	sg_findings_free(&f);
}

static void test_sarif_clean_run(void **state)
{
	sg_findings f;
	sg_findings_init(&f, 0);
	sg_report_options o = SG_REPORT_OPTIONS_INIT;
	size_t len;
	char *out = render("sarif", &f, &o, &len);
	jv *doc = json_doc(out, len);
	const jv *run = jreq(doc, "runs", J_ARR, "sarif")->kids[0];
	assert_int_equal(jreq(run, "results", J_ARR, "run")->n, 0);
	assert_int_equal(jreq(jreq(jreq(run, "tool", J_OBJ, "run"), "driver", J_OBJ, "tool"),
	                      "rules", J_ARR, "driver")
	                         ->n,
	                 0);
	jfree(doc);
	free(out);
}

/* ---- JSON family ---------------------------------------------------------------- */

static void test_json_formats_well_formed(void **state)
{
	sg_findings f, h;
	fixture(&f);
	hostile_fixture(&h, hostile);
	for (int show = 0; show < 2; show++) {
		sg_report_options o = SG_REPORT_OPTIONS_INIT;
		o.show_secrets = show;
		const sg_findings *sets[] = {&f, &h};
		for (int s = 0; s < 2; s++) {
			const char *docs[] = {"json", "sarif", "gitlab"};
			for (int k = 0; k < 3; k++) {
				size_t len;
				char *out = render(docs[k], sets[s], &o, &len);
				jfree(json_doc(out, len));
				free(out);
			}
			/* jsonl: one document per line, one line per finding */
			size_t len;
			char *out = render("jsonl", sets[s], &o, &len);
			size_t lines = 0;
			for (char *p = out, *nl; p < out + len; p = nl + 1) {
				nl = memchr(p, '\n', (size_t)(out + len - p));
				assert_non_null(nl);
				jfree(json_doc(p, (size_t)(nl - p)));
				lines++;
			}
			assert_int_equal(lines, sets[s]->count);
			free(out);
		}
	}
	sg_findings_free(&f);
	sg_findings_free(&h);
}

static void test_json_summary_counts(void **state)
{
	sg_findings f;
	fixture(&f);
	sg_report_options o = SG_REPORT_OPTIONS_INIT;
	size_t len;
	char *out = render("json", &f, &o, &len);
	jv *doc = json_doc(out, len);
	assert_int_equal(jint(doc, "version", "json"), 1);
	assert_int_equal(jreq(doc, "findings", J_ARR, "json")->n, 6);
	const jv *sum = jreq(doc, "summary", J_OBJ, "json");
	assert_int_equal(jint(sum, "blocking", "summary"), 1);
	assert_int_equal(jint(sum, "suppressed", "summary"), 5);
	const jv *by = jreq(sum, "suppressed_by", J_OBJ, "summary");
	assert_int_equal(jint(by, "inline", "by"), 1);
	assert_int_equal(jint(by, "ignore-file", "by"), 1);
	assert_int_equal(jint(by, "baseline", "by"), 1);
	assert_int_equal(jint(by, "config", "by"), 1);
	assert_int_equal(jint(by, "below-fail-on", "by"), 1);
	jfree(doc);
	free(out);
	sg_findings_free(&f);
}

static void test_gitlab_structure(void **state)
{
	sg_findings f;
	fixture(&f);
	sg_report_options o = SG_REPORT_OPTIONS_INIT;
	size_t len;
	char *out = render("gitlab", &f, &o, &len);
	jv *doc = json_doc(out, len);
	jstr(doc, "version", "gitlab");
	const jv *vulns = jreq(doc, "vulnerabilities", J_ARR, "gitlab");
	/* accepted findings are left out; blocking and below-fail-on stay */
	assert_int_equal(vulns->n, 2);
	for (size_t i = 0; i < vulns->n; i++) {
		const jv *v = vulns->kids[i];
		const char *id = jstr(v, "id", "vulnerability");
		assert_int_equal(strlen(id), 36);
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(jstr(vulns->kids[k], "id", "v"), id);
		assert_string_equal(jstr(v, "category", id), "secret_detection");
		jstr(v, "name", id);
		jstr(v, "description", id);
		assert_non_null(
		        strstr(" Info Unknown Low Medium High Critical ", jstr(v, "severity", id)));
		const jv *loc = jreq(v, "location", J_OBJ, id);
		jstr(loc, "file", id);
		assert_true(jint(loc, "start_line", id) >= 1);
		assert_int_equal(strlen(jstr(jreq(loc, "commit", J_OBJ, id), "sha", id)), 40);
		const jv *ids = jreq(v, "identifiers", J_ARR, id);
		assert_true(ids->n >= 1);
		jstr(ids->kids[0], "type", id);
		jstr(ids->kids[0], "name", id);
		jstr(ids->kids[0], "value", id);
	}
	const jv *scan = jreq(doc, "scan", J_OBJ, "gitlab");
	assert_string_equal(jstr(scan, "type", "scan"), "secret_detection");
	assert_string_equal(jstr(scan, "status", "scan"), "success");
	assert_string_equal(jstr(scan, "start_time", "scan"), "2023-11-14T22:13:20");
	assert_string_equal(jstr(scan, "end_time", "scan"), "2023-11-14T22:13:22");
	const char *parts[] = {"analyzer", "scanner"};
	for (int k = 0; k < 2; k++) {
		const jv *a = jreq(scan, parts[k], J_OBJ, "scan");
		jstr(a, "id", parts[k]);
		jstr(a, "name", parts[k]);
		jstr(a, "version", parts[k]);
		jstr(jreq(a, "vendor", J_OBJ, parts[k]), "name", parts[k]);
	}
	jfree(doc);
	free(out);
	sg_findings_free(&f);
}

/* ---- JUnit and HTML ---------------------------------------------------------------- */

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void test_junit(void **state)
{
	sg_findings f, empty;
	fixture(&f);
	sg_findings_init(&empty, 0);
	sg_report_options o = SG_REPORT_OPTIONS_INIT;
	size_t len;
	char *out = render("junit", &f, &o, &len);
	check_markup(out, len, 0);
	assert_int_equal(count(out, "<testcase "), f.count);
	assert_int_equal(count(out, "<failure "), 1);
	assert_int_equal(count(out, "<skipped "), 5);
	free(out);
	/* clean: one passing case */
	out = render("junit", &empty, &o, &len);
	check_markup(out, len, 0);
	assert_int_equal(count(out, "<testcase "), 1);
	assert_int_equal(count(out, "<failure"), 0);
	assert_non_null(strstr(out, "tests=\"1\" failures=\"0\""));
	free(out);
	sg_findings_free(&f);
}

static void check_self_contained(const char *html)
{
	const char *banned[] = {"http:",   "https:",  "//",    "src=",    "url(",
	                        "@import", "<script", "<link", "<iframe", "<object",
	                        "<embed",  "<img",    NULL};
	for (int i = 0; banned[i]; i++)
		if (strstr(html, banned[i]))
			fail_msg("HTML references something outside itself: '%s' in %.80s",
			         banned[i], strstr(html, banned[i]) - 40);
	assert_non_null(strstr(html, "Content-Security-Policy"));
	assert_non_null(strstr(html, "default-src 'none'"));
}

static void test_html(void **state)
{
	sg_findings f, empty;
	fixture(&f);
	sg_findings_init(&empty, 0);
	sg_report_options o = SG_REPORT_OPTIONS_INIT;
	size_t len;
	char *out = render("html", &f, &o, &len);
	check_markup(out, len, 1);
	check_self_contained(out);
	/* the timeline chart, and the three groupings */
	assert_non_null(strstr(out, "<svg"));
	assert_true(count(out, "<rect ") >= 4);
	assert_non_null(strstr(out, "By rule"));
	assert_non_null(strstr(out, "By path"));
	assert_non_null(strstr(out, "By author"));
	assert_non_null(strstr(out, "1 blocking finding"));
	assert_int_equal(count(out, "<tr"), f.count + 1);
	const char *dump = getenv("SG_TEST_HTML_OUT");
	if (dump) {
		FILE *d = fopen(dump, "w");
		assert_non_null(d);
		fwrite(out, 1, len, d);
		fclose(d);
	}
	free(out);
	out = render("html", &empty, &o, &len);
	check_markup(out, len, 1);
	check_self_contained(out);
	assert_non_null(strstr(out, "No blocking findings"));
	free(out);
	sg_findings_free(&f);
}

/* ---- escaping and redaction in every format ------------------------------------------ */

static void test_hostile_contents_escaped(void **state)
{
	sg_findings h;
	/* a "secret" that is itself hostile, shown in full to reach every path */
	hostile_fixture(&h, hostile);
	for (int show = 0; show < 2; show++) {
		sg_report_options o = SG_REPORT_OPTIONS_INIT;
		o.show_secrets = show;
		o.show_suppressed = 1; /* text: every finding, accepted ones included */
		for (int i = 0; all_formats[i]; i++) {
			const char *fmt = all_formats[i];
			size_t len;
			char *out = render(fmt, &h, &o, &len);
			/* no terminal escape sequence survives: ESC, BEL, C1 CSI */
			if (memchr(out, 0x1b, len) || memchr(out, 0x07, len) ||
			    memchr(out, '\r', len) || strstr(out, "\xc2\x9b"))
				fail_msg("%s: raw control bytes in output", fmt);
			for (size_t k = 0; k < len;) {
				size_t seq = sg_utf8_seq((unsigned char *)out + k);
				if (!seq)
					fail_msg("%s: invalid UTF-8 at %zu", fmt, k);
				k += seq;
			}
			if (!strcmp(fmt, "junit") || !strcmp(fmt, "html")) {
				check_markup(out, len, fmt[0] == 'h');
				assert_null(strstr(out, "<script>"));
			}
			if (!strcmp(fmt, "html"))
				check_self_contained(out);
			if (!strcmp(fmt, "text")) {
				/* each finding keeps to its own line(s): 2 + commit line */
				assert_int_equal(count(out, "\n"), 3);
			}
			if (!strcmp(fmt, "github")) {
				/* one command per blocking finding, each on one line */
				assert_int_equal(count(out, "\n"), 1);
				assert_int_equal(strncmp(out, "::error file=", 13), 0);
				assert_int_equal(count(out, "::"), 2);
			}
			free(out);
		}
	}
	sg_findings_free(&h);
}

static void test_redaction(void **state)
{
	sg_findings f;
	char key[21];
	test_aws_key(key, 99);
	sg_findings_init(&f, 0);
	push(&f, "test-aws", "AWS key id", SG_SEV_HIGH, "a.txt", 1, key, SG_SUPPRESS_NONE, NULL,
	     NULL, NULL);
	for (int i = 0; all_formats[i]; i++) {
		sg_report_options o = SG_REPORT_OPTIONS_INIT;
		char *out = render(all_formats[i], &f, &o, NULL);
		if (strstr(out, key))
			fail_msg("%s: secret printed without --show-secrets", all_formats[i]);
		free(out);
		o.show_secrets = 1;
		out = render(all_formats[i], &f, &o, NULL);
		if (!strstr(out, key))
			fail_msg("%s: secret missing with --show-secrets", all_formats[i]);
		free(out);
	}
	sg_findings_free(&f);
}

/* ---- GitHub ------------------------------------------------------------------------------ */

static void test_github_property_escaping(void **state)
{
	sg_findings f;
	sg_findings_init(&f, 0);
	push(&f, "test-aws", "d%1\nx", SG_SEV_HIGH, "./a,b:c%d\ne", 4, "tok_abcdefghijklmnop",
	     SG_SUPPRESS_NONE, NULL, NULL, NULL);
	push(&f, "test-aws", "low one", SG_SEV_LOW, "b.txt", 1, "tok_bcdefghijklmnopq",
	     SG_SUPPRESS_SEVERITY, NULL, NULL, NULL);
	push(&f, "test-aws", "accepted", SG_SEV_HIGH, "c.txt", 1, "tok_cdefghijklmnopqr",
	     SG_SUPPRESS_BASELINE, NULL, NULL, NULL);
	sg_report_options o = SG_REPORT_OPTIONS_INIT;
	char *out = render("github", &f, &o, NULL);
	assert_non_null(strstr(out, "::error file=a%2Cb%3Ac%25d%0Ae,line=4,col=5,"));
	assert_non_null(strstr(out, "::d%251%0Ax: "));
	assert_non_null(strstr(out, "::warning file=b.txt,line=1,"));
	assert_null(strstr(out, "c.txt"));
	free(out);
	sg_findings_free(&f);
}

static void test_github_step_summary(void **state)
{
	char path[] = "/tmp/sg-summary-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	sg_findings f;
	sg_findings_init(&f, 0);
	push(&f, "test-aws", "AWS", SG_SEV_HIGH, "a|b*c_[x](y)@team #1 <b>.txt", 4,
	     "tok_abcdefghijklmnop", SG_SUPPRESS_NONE, NULL, NULL, NULL);
	push(&f, "test-aws", "AWS", SG_SEV_HIGH, "ok.txt", 5, "tok_bcdefghijklmnopq",
	     SG_SUPPRESS_INLINE, NULL, NULL, NULL);
	sg_report_options o = SG_REPORT_OPTIONS_INIT;
	o.step_summary = path;
	free(render("github", &f, &o, NULL));
	free(render("github", &f, &o, NULL)); /* appends, as steps do */
	FILE *in = fopen(path, "r");
	assert_non_null(in);
	char buf[8192];
	size_t n = fread(buf, 1, sizeof(buf) - 1, in);
	fclose(in);
	unlink(path);
	buf[n] = '\0';
	assert_int_equal(count(buf, "### secretgate: 1 blocking finding"), 2);
	assert_non_null(strstr(buf, "Not blocking: 1 inline."));
	/* every table row has exactly seven pipes: nothing from the path adds a column,
	 * emphasis, a link, a mention or an HTML tag */
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] != '|')
			continue;
		assert_int_equal(count(line, "|"), 7);
		assert_null(strstr(line, "@team"));
		assert_null(strstr(line, "<b>"));
		assert_null(strstr(line, "]("));
	}
	sg_findings_free(&f);
}

static void test_unknown_format(void **state)
{
	sg_findings f;
	sg_findings_init(&f, 0);
	FILE *out = fopen("/dev/null", "w");
	assert_int_equal(sg_report_write(out, "yaml", &f, NULL, NULL), SG_EINVALID);
	fclose(out);
	for (int i = 0; all_formats[i]; i++)
		assert_true(sg_report_format_known(all_formats[i]));
	assert_false(sg_report_format_known("xml"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_sarif_structure),
	        cmocka_unit_test(test_sarif_clean_run),
	        cmocka_unit_test(test_json_formats_well_formed),
	        cmocka_unit_test(test_json_summary_counts),
	        cmocka_unit_test(test_gitlab_structure),
	        cmocka_unit_test(test_junit),
	        cmocka_unit_test(test_html),
	        cmocka_unit_test(test_hostile_contents_escaped),
	        cmocka_unit_test(test_redaction),
	        cmocka_unit_test(test_github_property_escaping),
	        cmocka_unit_test(test_github_step_summary),
	        cmocka_unit_test(test_unknown_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
