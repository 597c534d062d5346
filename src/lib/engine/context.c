/* The context of a chunk: what kind of file it is, decided once from its
 * path and first bytes, so the generic logic can judge a value by where it
 * stands (docs/context.md). Cheap on purpose: string tests on the path and
 * a look at the first line, never a pass over the whole chunk. */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include "secretgate/secretgate.h"
#include "lib/engine/rule.h"
#include "lib/engine/context.h"
#include "lib/engine/credfile.h"
#include "util/glob.h"

#define FIRST_BYTES   4096 /* how much of a chunk the sniffing reads */
#define MINIFIED_LINE 1000

static const char *const context_names[SG_CTX_COUNT] = {
        "other", "credential-store", "config", "source", "docs", "test", "generated"};

const char *sg_context_name(sg_context c)
{
	return (unsigned)c < SG_CTX_COUNT ? context_names[c] : "unknown";
}

int sg_context_parse(sg_context *out, const char *name)
{
	for (int i = 0; i < SG_CTX_COUNT; i++)
		if (name && !strcasecmp(name, context_names[i])) {
			*out = (sg_context)i;
			return 0;
		}
	return sg_error_set(SG_EINVALID,
	                    "unknown context '%s' (credential-store, config, source, docs, test, "
	                    "generated, other)",
	                    name ? name : "");
}

static const char *const kind_names[] = {"provider", "generic", "store"};

int sg_rule_kind_parse(int *out, const char *name)
{
	for (int i = 0; i < 3; i++)
		if (name && !strcmp(name, kind_names[i])) {
			*out = i;
			return 0;
		}
	return SG_EINVALID;
}

const char *sg_rule_kind_name(int kind)
{
	return (unsigned)kind < 3 ? kind_names[kind] : "unknown";
}

/* ---- path helpers ---------------------------------------------------- */

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* The extension after the last dot of the base name, "" when none. */
static const char *extension(const char *base)
{
	const char *d = strrchr(base, '.');
	return d && d != base ? d + 1 : "";
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcasecmp(s + n - m, suffix);
}

static int in_list(const char *s, const char *const *list)
{
	int first = tolower((unsigned char)s[0]);
	for (; *list; list++)
		if (tolower((unsigned char)(*list)[0]) == first && !strcasecmp(s, *list))
			return 1;
	return 0;
}

/* Does a directory component of path (not the base name) equal one of list? */
static int has_dir(const char *path, const char *const *list)
{
	const char *p = path;
	for (;;) {
		const char *slash = strchr(p, '/');
		if (!slash)
			return 0;
		size_t n = (size_t)(slash - p);
		/* the first letters must agree before the lengths are measured */
		int first = tolower((unsigned char)p[0]);
		for (const char *const *l = list; *l; l++)
			if (tolower((unsigned char)(*l)[0]) == first && strlen(*l) == n &&
			    !strncasecmp(p, *l, n))
				return 1;
		p = slash + 1;
	}
}

/* ---- the contexts ------------------------------------------------------ */

static const char *const generated_dirs[] = {"node_modules",
                                             "vendor",
                                             "bower_components",
                                             "jspm_packages",
                                             "third_party",
                                             "third-party",
                                             "3rdparty",
                                             "site-packages",
                                             "dist-packages",
                                             ".yarn",
                                             "Pods",
                                             "Carthage",
                                             NULL};
static const char *const lockfiles[] = {"package-lock.json",
                                        "npm-shrinkwrap.json",
                                        "yarn.lock",
                                        "pnpm-lock.yaml",
                                        "Cargo.lock",
                                        "Gemfile.lock",
                                        "poetry.lock",
                                        "Pipfile.lock",
                                        "composer.lock",
                                        "go.sum",
                                        "mix.lock",
                                        "packages.lock.json",
                                        "flake.lock",
                                        "bun.lockb",
                                        ".pnp.cjs",
                                        ".pnp.js",
                                        NULL};

static int generated_by_name(const char *path, const char *base)
{
	if (has_dir(path, generated_dirs) || in_list(base, lockfiles))
		return 1;
	static const char *const suffixes[] = {
	        ".d.ts",    ".d.mts",       ".d.cts",  ".min.js",    ".min.mjs",
	        ".min.cjs", ".min.css",     ".map",    ".bundle.js", ".chunk.js",
	        ".pb.go",   "_pb2.py",      ".pb.h",   ".pb.cc",     ".generated.cs",
	        ".g.dart",  ".designer.cs", "-min.js", ".umd.js",    ".prod.js",
	        NULL};
	for (const char *const *s = suffixes; *s; s++)
		if (ends_with(base, *s))
			return 1;
	return 0;
}

/* First bytes that say a tool wrote the file, or a minified one-line bundle. */
static int generated_by_content(const char *data, size_t len)
{
	size_t n = len < FIRST_BYTES ? len : FIRST_BYTES;
	const char *nl = memchr(data, '\n', n);
	size_t first = nl ? (size_t)(nl - data) : n;
	if (first >= MINIFIED_LINE && n >= MINIFIED_LINE)
		return 1;
	size_t head = n < 512 ? n : 512;
	return memmem(data, head, "DO NOT EDIT", 11) || memmem(data, head, "@generated", 10) ||
	       memmem(data, head, "Code generated by", 17) ||
	       memmem(data, head, "auto-generated", 14) || memmem(data, head, "autogenerated", 13);
}

/* base starts with word and then not a letter: example.js, sample_1.env */
static int word_prefix(const char *base, const char *word)
{
	size_t l = strlen(word);
	return !strncasecmp(base, word, l) && !isalpha((unsigned char)base[l]);
}

static const char *const test_dirs[] = {
        "test",      "tests",         "__tests__", "spec",         "specs",     "fixtures",
        "fixture",   "testdata",      "test-data", "test_data",    "testing",   "examples",
        "example",   "samples",       "sample",    "mocks",        "__mocks__", "mock",
        "e2e",       "demo",          "demos",     "__fixtures__", "testfiles", "unittests",
        "snapshots", "__snapshots__", NULL};

static int test_by_name(const char *path, const char *base)
{
	if (has_dir(path, test_dirs))
		return 1;
	static const char *const suffixes[] = {
	        "_test.go",     "_test.py",     "_test.rb",      "_spec.rb",       ".test.js",
	        ".test.ts",     ".test.jsx",    ".test.tsx",     ".test.mjs",      ".spec.js",
	        ".spec.ts",     ".spec.jsx",    ".spec.tsx",     ".spec.mjs",      "Test.java",
	        "Tests.java",   "Test.kt",      "Tests.cs",      "Test.cs",        "_test.c",
	        "_test.cc",     "_test.cpp",    "_tests.rs",     ".examples.json", ".example",
	        ".sample",      ".template",    ".tmpl",         ".dist",          ".example.json",
	        ".sample.json", ".example.yml", ".example.yaml", ".sample.yml",    NULL};
	for (const char *const *s = suffixes; *s; s++)
		if (ends_with(base, *s))
			return 1;
	if (!strncasecmp(base, "test_", 5) || word_prefix(base, "test") ||
	    word_prefix(base, "tests") || word_prefix(base, "spec") ||
	    word_prefix(base, "example") || word_prefix(base, "examples") ||
	    word_prefix(base, "sample") || word_prefix(base, "samples"))
		return 1;
	/* .env.example, config.example.php, settings.sample.ini */
	return strstr(base, ".example.") || strstr(base, ".sample.") ||
	       strstr(base, ".template.") || strstr(base, ".dist.");
}

static const char *language_by_ext(const char *ext);

static const char *const docs_ext[] = {
        "md",   "markdown", "mdx", "rst",  "txt", "adoc", "asciidoc", "textile", "pod",
        "texi", "texinfo",  "tex", "rdoc", "org", "wiki", "html",     "htm",     "1",
        "2",    "3",        "5",   "7",    "8",   "man",  "ronn",     NULL};
static const char *const docs_names[] = {"README",  "CHANGELOG",    "CHANGES", "NEWS",    "HISTORY",
                                         "AUTHORS", "CONTRIBUTING", "LICENSE", "COPYING", "THANKS",
                                         "TODO",    "INSTALL",      "FAQ",     NULL};
static const char *const docs_dirs[] = {"doc",  "docs",    "documentation", "man",
                                        "wiki", "locales", "locale",        "i18n",
                                        "l10n", "lang",    "translations",  NULL};

static int docs_by_name(const char *path, const char *base, const char *ext)
{
	if (in_list(ext, docs_ext))
		return 1;
	/* README, README.rst, LICENSE-MIT; not todoList.js */
	for (const char *const *n = docs_names; *n; n++) {
		size_t l = strlen(*n);
		if (!strncasecmp(base, *n, l) &&
		    (!base[l] || ((base[l] == '.' || base[l] == '-' || base[l] == '_') &&
		                  !language_by_ext(ext))))
			return 1;
	}
	return has_dir(path, docs_dirs) && !language_by_ext(ext);
}

static const char *const config_ext[] = {
        "env",     "ini",    "cfg",          "conf",     "cnf",   "properties", "yml",
        "yaml",    "toml",   "json",         "json5",    "jsonc", "xml",        "plist",
        "tf",      "tfvars", "hcl",          "config",   "prefs", "reg",        "service",
        "desktop", "npmrc",  "editorconfig", "htaccess", NULL};
static const char *const config_names[] = {"settings.py",
                                           "local_settings.py",
                                           "production.py",
                                           "config.py",
                                           "Dockerfile",
                                           "Containerfile",
                                           "docker-compose.yml",
                                           "docker-compose.yaml",
                                           "compose.yml",
                                           "compose.yaml",
                                           "Procfile",
                                           "Vagrantfile",
                                           "nginx.conf",
                                           "my.cnf",
                                           ".env",
                                           "crontab",
                                           NULL};

static int php_config(const char *path, const char *base)
{
	if (!ends_with(base, ".php") && !ends_with(base, ".inc"))
		return 0;
	static const char *const dirs[] = {"config", "conf", "configs", "settings", NULL};
	return strcasestr(base, "config") || strcasestr(base, "settings") ||
	       !strcasecmp(base, "database.php") || !strcasecmp(base, "db.php") ||
	       !strcasecmp(base, "connect.php") || !strcasecmp(base, "conn.php") ||
	       has_dir(path, dirs);
}

static int config_by_name(const char *path, const char *base, const char *ext)
{
	if (in_list(ext, config_ext) || in_list(base, config_names))
		return 1;
	if (!strncasecmp(base, ".env", 4) || !strncasecmp(base, "Dockerfile", 10))
		return 1;
	return php_config(path, base);
}

typedef struct language {
	const char *name;
	const char *const *ext;
} language;

static const char *const ext_c[] = {"c", "h", NULL};
static const char *const ext_cpp[] = {"cc", "cpp", "cxx", "hpp", "hh", "hxx", "ino", NULL};
static const char *const ext_js[] = {"js", "mjs", "cjs", "jsx", "vue", "svelte", NULL};
static const char *const ext_ts[] = {"ts", "mts", "cts", "tsx", NULL};
static const char *const ext_py[] = {"py", "pyi", "pyw", NULL};
static const char *const ext_go[] = {"go", NULL};
static const char *const ext_java[] = {"java", "kt", "kts", "scala", "groovy", "gradle", NULL};
static const char *const ext_cs[] = {"cs", "vb", "fs", NULL};
static const char *const ext_rb[] = {"rb", "rake", "gemspec", "erb", NULL};
static const char *const ext_php[] = {"php", "phtml", "inc", NULL};
static const char *const ext_rs[] = {"rs", NULL};
static const char *const ext_sh[] = {"sh",  "bash", "zsh", "ksh", "fish",
                                     "ps1", "psm1", "bat", "cmd", NULL};
static const char *const ext_swift[] = {"swift", "m", "mm", NULL};
static const char *const ext_pl[] = {"pl", "pm", "t", NULL};
static const char *const ext_pas[] = {"pas", "pp", "inc", "lpr", "dpr", NULL};
static const char *const ext_other[] = {"lua", "r",   "jl",   "dart", "ex",    "exs",  "erl",
                                        "hs",  "ml",  "clj",  "cljs", "el",    "lisp", "nim",
                                        "zig", "sql", "tcl",  "awk",  "cmake", "mk",   "s",
                                        "asm", "css", "scss", "less", NULL};
static const language languages[] = {
        {"c", ext_c},         {"cpp", ext_cpp}, {"javascript", ext_js}, {"typescript", ext_ts},
        {"python", ext_py},   {"go", ext_go},   {"java", ext_java},     {"csharp", ext_cs},
        {"ruby", ext_rb},     {"php", ext_php}, {"rust", ext_rs},       {"shell", ext_sh},
        {"swift", ext_swift}, {"perl", ext_pl}, {"pascal", ext_pas},    {"other", ext_other},
};

static const char *language_by_ext(const char *ext)
{
	if (!*ext)
		return NULL;
	for (size_t i = 0; i < sizeof(languages) / sizeof(languages[0]); i++)
		if (in_list(ext, languages[i].ext))
			return languages[i].name;
	return NULL;
}

static const char *language_by_shebang(const char *data, size_t len)
{
	if (len < 3 || data[0] != '#' || data[1] != '!')
		return NULL;
	size_t n = len < 128 ? len : 128;
	const char *nl = memchr(data, '\n', n);
	size_t l = nl ? (size_t)(nl - data) : n;
	if (memmem(data, l, "python", 6))
		return "python";
	if (memmem(data, l, "node", 4))
		return "javascript";
	if (memmem(data, l, "ruby", 4))
		return "ruby";
	if (memmem(data, l, "perl", 4))
		return "perl";
	if (memmem(data, l, "php", 3))
		return "php";
	return "shell";
}

void sg_context_detect(sg_chunk_context *out, const char *path, const char *data, size_t len,
                       const sg_context_override *ov, size_t nov)
{
	memset(out, 0, sizeof(*out));
	if (!path)
		path = "";
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	const char *base = base_name(path), *ext = extension(base);
	int store = sg_credfile_type(path, base);
	for (size_t i = 0; i < nov; i++)
		if (sg_glob_match(ov[i].glob, path)) {
			out->kind = ov[i].context;
			if (out->kind == SG_CTX_CREDENTIAL_STORE)
				out->store = store ? store : SG_STORE_GENERIC;
			else if (out->kind == SG_CTX_SOURCE)
				out->language = language_by_ext(ext);
			return;
		}
	/* vendored and generated first: a .env inside node_modules is a package's
	 * fixture, not this project's credentials */
	if (generated_by_name(path, base)) {
		out->kind = SG_CTX_GENERATED;
		return;
	}
	if (test_by_name(path, base)) {
		out->kind = SG_CTX_TEST;
		out->store = store;
		return;
	}
	if (sg_credfile_is_store(store)) {
		out->kind = SG_CTX_CREDENTIAL_STORE;
		out->store = store;
		return;
	}
	if (data && len && generated_by_content(data, len)) {
		out->kind = SG_CTX_GENERATED;
		return;
	}
	if (docs_by_name(path, base, ext)) {
		out->kind = SG_CTX_DOCS;
		return;
	}
	if (store || config_by_name(path, base, ext)) {
		/* SQL dumps and PHP configuration: configuration, read by format */
		out->kind = SG_CTX_CONFIG;
		out->store = store;
		return;
	}
	const char *lang = language_by_ext(ext);
	if (!lang && data)
		lang = language_by_shebang(data, len);
	if (lang) {
		out->kind = SG_CTX_SOURCE;
		out->language = lang;
	}
}

sg_confidence sg_context_confidence(int kind, sg_context c, sg_confidence rule_confidence)
{
	if (kind == SG_RULE_PROVIDER)
		return rule_confidence;
	if (sg_context_is_incidental(c))
		return SG_CONF_LOW;
	if (c == SG_CTX_CREDENTIAL_STORE)
		return SG_CONF_HIGH;
	return rule_confidence;
}
