/* Text or binary: the file name first, then how much of the first bytes is
 * text. One NUL alone no longer makes a file binary: a NUL planted in a
 * source file would otherwise hide every secret after it. */
#include <string.h>
#include <strings.h>
#include "lib/sources/sniff.h"

/* Names that say text: code, configuration, documents, key material. */
static const char *const text_ext[] = {
        "c",      "h",     "cc",    "cpp",    "hpp",        "cs",   "go",     "rs",         "java",
        "kt",     "kts",   "scala", "groovy", "gradle",     "py",   "pyi",    "rb",         "php",
        "pl",     "pm",    "js",    "mjs",    "cjs",        "jsx",  "ts",     "tsx",        "vue",
        "svelte", "swift", "m",     "mm",     "lua",        "r",    "dart",   "ex",         "exs",
        "erl",    "hs",    "clj",   "sh",     "bash",       "zsh",  "fish",   "ps1",        "psm1",
        "bat",    "cmd",   "sql",   "tf",     "tfvars",     "hcl",  "yml",    "yaml",       "json",
        "jsonc",  "json5", "toml",  "ini",    "cfg",        "conf", "config", "properties", "env",
        "xml",    "html",  "htm",   "css",    "scss",       "less", "md",     "rst",        "txt",
        "csv",    "tsv",   "log",   "pem",    "key",        "crt",  "cer",    "pub",        "ppk",
        "asc",    "netrc", "npmrc", "pypirc", "dockerfile", "mk",   "cmake",  "nix",        "ipynb",
        NULL};

/* Names that say binary: images, media, archives, compiled objects, fonts. */
static const char *const binary_ext[] = {
        "png",  "jpg",   "jpeg", "gif",   "bmp", "ico",    "webp", "tif",   "tiff", "psd",  "mp3",
        "mp4",  "m4a",   "mov",  "avi",   "mkv", "wav",    "flac", "ogg",   "webm", "zip",  "gz",
        "tgz",  "bz2",   "xz",   "zst",   "7z",  "rar",    "tar",  "jar",   "war",  "apk",  "whl",
        "o",    "a",     "so",   "dylib", "dll", "exe",    "bin",  "class", "pyc",  "wasm", "pdf",
        "woff", "woff2", "ttf",  "otf",   "eot", "sqlite", "db",   "npy",   "pt",   "onnx", NULL};

static int ext_in(const char *ext, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (!strcasecmp(ext, list[i]))
			return 1;
	return 0;
}

/* 1 text by name, -1 binary by name, 0 unknown. */
static int name_says(const char *path)
{
	if (!path)
		return 0;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	if (!dot || dot == base) /* Dockerfile, Makefile, .env, .npmrc */
		return ext_in(dot ? dot + 1 : base, text_ext) ? 1 : 0;
	if (ext_in(dot + 1, text_ext))
		return 1;
	return ext_in(dot + 1, binary_ext) ? -1 : 0;
}

int sg_sniff_binary(const char *path, const char *data, size_t len)
{
	size_t n = len < SG_SNIFF_BYTES ? len : SG_SNIFF_BYTES;
	if (!memchr(data, '\0', n))
		return 0;
	int says = name_says(path);
	if (says < 0)
		return 1;
	size_t control = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)data[i];
		/* tab, newlines, form feed and escape occur in text */
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b) ||
		    c == 0x7f)
			control++;
	}
	/* control * 10 > n: more than a tenth; control * 100 > n: more than 1 in 100 */
	return says > 0 ? control * 10 > n : control * 100 > n;
}
