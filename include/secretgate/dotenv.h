/* dotenv: a parser for .env files (KEY=value lines) with the quoting,
 * escaping and ${VAR} expansion rules the common dotenv loaders share. */
#ifndef SG_DOTENV_H
#define SG_DOTENV_H

#include <stddef.h>
#include <stdint.h>
#include "secretgate/secretgate.h"

/* One variable as the file set it. Later assignments replace earlier ones. */
typedef struct sg_dotenv_entry {
	char *key;
	char *value; /* NUL-terminated; may contain newlines (multi-line quotes) */
	size_t value_len;
	char *path;    /* file it came from */
	uint32_t line; /* line where the assignment starts */
	int quote;     /* 0 unquoted, or the quote character: ' " ` */
} sg_dotenv_entry;

/* A key assigned more than once in the same file: the later assignment wins.
 * (A key set again by a later file is layering, not a duplicate.) */
typedef struct sg_dotenv_duplicate {
	char *key;
	char *path; /* the later, winning assignment */
	uint32_t line;
	char *first_path; /* the assignment it replaced */
	uint32_t first_line;
} sg_dotenv_duplicate;

typedef struct sg_dotenv {
	sg_dotenv_entry *items;
	size_t count, cap;
	sg_dotenv_duplicate *duplicates;
	size_t nduplicates, duplicates_cap;
} sg_dotenv;

/* Looks a name up outside the files (normally the process environment) for
 * ${VAR} expansion; returns NULL when unset. */
typedef const char *(*sg_dotenv_lookup_fn)(void *ctx, const char *name);

typedef struct sg_dotenv_options {
	int expand;                 /* expand ${VAR} and ${VAR:-default} (default 1) */
	sg_dotenv_lookup_fn lookup; /* consulted after the variables parsed so far; may be NULL */
	void *lookup_ctx;
	size_t max_file_size; /* 0 = 1 MiB */
	size_t max_value;     /* 0 = 64 KiB per value */
	size_t max_entries;   /* 0 = 10000 variables */
} sg_dotenv_options;
#define SG_DOTENV_OPTIONS_INIT                                                                     \
	{                                                                                          \
		.expand = 1                                                                        \
	}

void sg_dotenv_init(sg_dotenv *env);
void sg_dotenv_free(sg_dotenv *env);

/* Parse text (named `name` in errors and entries) into env, on top of what
 * env already holds, so several files can be layered: later files win.
 * Syntax errors return SG_EINVALID with "NAME:LINE: why"; a value or file
 * over its cap returns SG_ETOOBIG. On error env keeps the entries parsed
 * before the failing line. */
int sg_dotenv_parse(sg_dotenv *env, const char *name, const char *text, size_t len,
                    const sg_dotenv_options *opts);
/* Read and parse a file; SG_ENOTFOUND when it does not exist. */
int sg_dotenv_load(sg_dotenv *env, const char *path, const sg_dotenv_options *opts);

/* The entry for key, or NULL. The pointer lives until env changes. */
const sg_dotenv_entry *sg_dotenv_get(const sg_dotenv *env, const char *key);

#endif
