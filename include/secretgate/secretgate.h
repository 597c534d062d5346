/* libsecretgate: the public interface of the scanning library.
 * The library never prints and never exits; every function returns 0 or a
 * negative SG_E* code and leaves a one-line message in sg_error_last(). */
#ifndef SECRETGATE_H
#define SECRETGATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The version comes from the VERSION file at the top of the source tree
 * (the Makefile passes it); a build that does not say so is "unknown". */
#ifndef SG_VERSION
#define SG_VERSION "unknown"
#endif

/* Error codes. Only failures a caller handles get their own code. */
enum {
	SG_OK = 0,
	SG_ERROR = -1,     /* generic failure, message in sg_error_last() */
	SG_ENOMEM = -2,    /* allocation failed */
	SG_ENOTFOUND = -3, /* file, rule, revision or key not found */
	SG_ETOOBIG = -4,   /* input over a configured cap */
	SG_EINVALID = -5,  /* malformed input (YAML, regex, option value) */
	SG_EIO = -6,       /* read or write failed */
};

/* The last error message of the calling thread ("" when none). */
const char *sg_error_last(void);
/* Set the calling thread's last error; returns `code` for convenience. */
int sg_error_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sg_error_clear(void);

typedef enum {
	SG_SEV_INFO = 0,
	SG_SEV_LOW,
	SG_SEV_MEDIUM,
	SG_SEV_HIGH,
	SG_SEV_CRITICAL
} sg_severity;
typedef enum { SG_CONF_LOW = 0, SG_CONF_MEDIUM, SG_CONF_HIGH } sg_confidence;

const char *sg_severity_name(sg_severity s);
/* Returns 0 and sets *out, or SG_EINVALID for an unknown name. */
int sg_severity_parse(sg_severity *out, const char *name);
const char *sg_confidence_name(sg_confidence c);
int sg_confidence_parse(sg_confidence *out, const char *name);

/* Why a finding does not block. SG_SUPPRESS_NONE means it blocks. */
typedef enum {
	SG_SUPPRESS_NONE = 0,
	SG_SUPPRESS_INLINE,     /* secretgate:allow (or a migration marker) on the line */
	SG_SUPPRESS_IGNORE,     /* fingerprint listed in .secretgateignore */
	SG_SUPPRESS_BASELINE,   /* present in --baseline */
	SG_SUPPRESS_CONFIG,     /* config allowlist (paths, patterns, stop-words) */
	SG_SUPPRESS_SEVERITY,   /* below the blocking severity; reported, not blocking */
	SG_SUPPRESS_WARNING,    /* a warning finding (allow-added, ...); reported, not blocking */
	SG_SUPPRESS_CONFIDENCE, /* below the blocking confidence (docs/context.md): a warning */
} sg_suppress;
#define SG_SUPPRESS_COUNT (SG_SUPPRESS_CONFIDENCE + 1)
const char *sg_suppress_name(sg_suppress s);
/* 1 when a finding is shown as a warning: it does not block but is not
 * accepted either (below the blocking severity, or a warning finding). */
int sg_suppress_warns(sg_suppress s);

/* What kind of file a chunk is, decided once per chunk from its path and
 * first bytes (docs/context.md). Provider-format rules mean the same in
 * every context; the generic rules and the credential-store readers are
 * judged by it. */
typedef enum {
	SG_CTX_OTHER = 0,        /* nothing recognised: judged like source code */
	SG_CTX_CREDENTIAL_STORE, /* a file whose purpose is holding credentials */
	SG_CTX_CONFIG,           /* dotenv, ini, YAML/TOML/JSON/XML config, manifests */
	SG_CTX_SOURCE,           /* program text (see sg_chunk_context.language) */
	SG_CTX_DOCS,             /* documentation */
	SG_CTX_TEST,             /* tests, fixtures, examples, samples, templates */
	SG_CTX_GENERATED,        /* lockfiles, *.d.ts, bundles, source maps, vendored code */
	SG_CTX_COUNT
} sg_context;
const char *sg_context_name(sg_context c);
/* Returns 0 and sets *out, or SG_EINVALID for an unknown name. */
int sg_context_parse(sg_context *out, const char *name);

/* A path glob whose files get a given context (.secretgate.yml `context:`). */
typedef struct sg_context_override {
	const char *glob;
	sg_context context;
} sg_context_override;

/* ---- findings ------------------------------------------------------- */

/* Where a chunk came from. Strings are borrowed for the duration of a scan
 * call and copied into findings. Git fields are NULL outside git modes. */
typedef struct sg_origin {
	const char *path;   /* as reported: repo-relative or as given */
	const char *commit; /* hex id */
	const char *author;
	const char *email;
	const char *date; /* ISO 8601 */
	const char *blob; /* hex id */
} sg_origin;

/* Whether the secret of a git finding is still in HEAD's tree (reports that
 * tell a secret to remove from one only to rotate). */
typedef enum sg_head_state {
	SG_HEAD_UNKNOWN = 0,
	SG_HEAD_PRESENT, /* HEAD's tree still holds it */
	SG_HEAD_GONE,    /* only history does */
} sg_head_state;

typedef struct sg_finding {
	const char *rule_id;     /* owned by the rule set, lives as long as it */
	const char *description; /* owned by the rule set */
	sg_severity severity;
	sg_confidence confidence;
	char *path, *commit, *author, *email, *date, *blob; /* owned copies, may be NULL */
	uint32_t line, end_line, column, end_column;        /* 1-based */
	uint64_t offset; /* byte offset of the secret in the chunk */
	char *secret;    /* raw secret bytes, NUL-terminated; never print unredacted by default */
	size_t secret_len;
	char *match_line;     /* the source line holding the secret, capped; may be NULL */
	char *message;        /* optional human message (env checks); owned, may be NULL */
	const char *help;     /* optional static text on what to do; may be NULL */
	char fingerprint[64]; /* "<rule>:<hash>" content-based; empty while pending */
	/* A weak secret's fingerprint is slow to derive (about 7 ms), so it is
	 * derived only where one is read: sg_finding_fingerprint_fill. */
	int fingerprint_pending;
	char identity[64];     /* groups findings of one secret inside the library; a cheap
	                        * hash of rule and secret, never printed or written */
	sg_context context;    /* the chunk's context (docs/context.md) */
	int weak;              /* a low-entropy password (configuration, credential store) */
	const char *validated; /* "checksum" when a checksum proved it, else NULL */
	int unverified;        /* checksum failed; only kept with include_unverified */
	double entropy;
	/* how the secret was found: the encodings undone, outermost first
	 * (sg_decoding values, 0 ends the list); the location is the encoded run */
	uint8_t decoded[4];
	sg_suppress suppressed;
	/* history mode: how many other commits/paths carry the same blob */
	uint32_t other_commits, other_paths;
	char *other_path_list; /* history: those other paths, one per line (capped); may be NULL */
	sg_head_state at_head; /* git modes: whether HEAD still carries the secret */
	/* two-part credentials (an id and a secret): "both" when the other part
	 * was found within the rule's within_lines, "secret only" or "id only"
	 * when not; NULL when the rule is not a part of a pair */
	const char *pair;
	const char *pair_rule;           /* the other part's rule id, owned by the rule set */
	uint32_t pair_line, pair_column; /* where the other part is ("both" only) */
	uint64_t pair_offset;            /* its byte offset in the chunk ("both" only) */
	char *pair_secret;               /* the other part's bytes, owned; NULL unless "both" */
	size_t pair_secret_len;
} sg_finding;

typedef struct sg_findings {
	sg_finding *items;
	size_t count, cap;
	size_t dropped; /* findings over the per-scan cap, counted not kept */
	size_t max;     /* cap on kept findings, 0 = unlimited */
} sg_findings;

void sg_findings_init(sg_findings *f, size_t max);
void sg_findings_free(sg_findings *f);
/* Append a deep copy of *item (strings copied). */
int sg_findings_push(sg_findings *f, const sg_finding *item);
/* Move every finding of src into dst; src is left empty. */
int sg_findings_take(sg_findings *dst, sg_findings *src);
/* Deterministic order: path, commit, line, column, rule. */
void sg_findings_sort(sg_findings *f);
size_t sg_findings_blocking(const sg_findings *f);
void sg_finding_clear(sg_finding *item);

/* Redacted form of a secret into out (always NUL-terminated): a provider's
 * public prefix (ghp_, sk_live_, AKIA) or at most one character, then *****. */
void sg_redact(char *out, size_t outsz, const char *secret, size_t len);
/* How many leading bytes of the secret sg_redact shows. */
size_t sg_redact_keep(const char *secret, size_t len);
/* Content-based fingerprint "<rule>:<20 hex>" of rule id and secret: the
 * same on every machine and after any move. A weak secret's (short, or not
 * random-looking) is derived with PBKDF2-HMAC-SHA256 over
 * SG_FINGERPRINT_ITERATIONS rounds, so confirming a guess is slow. */
#define SG_FINGERPRINT_ITERATIONS 10000
void sg_fingerprint(char out[64], const char *rule_id, const char *secret, size_t len);
/* The key that groups findings of one secret (identity, else fingerprint). */
const char *sg_finding_identity(const sg_finding *f);
/* Derive a pending fingerprint (a no-op otherwise). Fingerprints are a
 * cache filled on first use, so these take findings that are otherwise
 * read-only; every writer of fingerprints (reports, baselines, matching
 * against fingerprint lists) calls them first. */
void sg_finding_fingerprint_fill(const sg_finding *f);
void sg_findings_fingerprint_fill(const sg_findings *f);
/* The same on `jobs` threads (0 = cores). */
void sg_findings_fingerprint_fill_jobs(const sg_findings *f, int jobs);
/* 1 when sg_fingerprint takes the slow derivation for this secret. */
int sg_fingerprint_is_weak(const char *secret, size_t len);
/* The fingerprint older versions gave every secret (one SHA-256): matched
 * against old baselines and ignore files only, never printed. */
void sg_fingerprint_legacy(char out[64], const char *rule_id, const char *secret, size_t len);
/* Fingerprint of something that is not a secret (a variable name, a blob
 * id, a policy message): one hash, cheap and stable. */
void sg_fingerprint_name(char out[64], const char *rule_id, const char *name, size_t len);

/* ---- rules ---------------------------------------------------------- */

typedef struct sg_rule sg_rule;
typedef struct sg_ruleset sg_ruleset;

/* Load the rules embedded in the binary. */
int sg_ruleset_new_default(sg_ruleset **out);
/* An empty rule set (for tests and custom-only configurations). */
int sg_ruleset_new_empty(sg_ruleset **out);
/* Add the rules of a YAML file or of every *.yml / *.yaml in a directory. */
int sg_ruleset_add_path(sg_ruleset *rs, const char *path);
/* Add rules from YAML text; `name` is used in error messages. */
int sg_ruleset_add_yaml(sg_ruleset *rs, const char *name, const char *text, size_t len);
/* Disable a rule by id; SG_ENOTFOUND when no such rule. */
int sg_ruleset_disable(sg_ruleset *rs, const char *id);
/* Build the prefilter; call once after the last add and before scanning. */
int sg_ruleset_finalize(sg_ruleset *rs);
void sg_ruleset_free(sg_ruleset *rs);

size_t sg_ruleset_count(const sg_ruleset *rs);
const sg_rule *sg_ruleset_get(const sg_ruleset *rs, size_t i);
const sg_rule *sg_ruleset_find(const sg_ruleset *rs, const char *id);

const char *sg_rule_id(const sg_rule *r);
const char *sg_rule_description(const sg_rule *r);
sg_severity sg_rule_severity(const sg_rule *r);
const char *sg_rule_checksum(const sg_rule *r); /* NULL when none */
const char *sg_rule_source(const sg_rule *r);   /* file the rule came from */
size_t sg_rule_keyword_count(const sg_rule *r);
const char *sg_rule_keyword(const sg_rule *r, size_t i);
size_t sg_rule_reference_count(const sg_rule *r);
const char *sg_rule_reference(const sg_rule *r, size_t i);
size_t sg_rule_example_count(const sg_rule *r, int negative);
const char *sg_rule_example(const sg_rule *r, int negative, size_t i);
int sg_rule_enabled(const sg_rule *r);

/* ---- scanning ------------------------------------------------------- */

/* Archives, images and encoded runs (source_archive.c, decode.c). Every
 * field 0 means its default, so a zeroed struct is the usual behaviour. */
typedef struct sg_artefact_options {
	int no_archives;          /* scan archives as plain bytes (not opened) */
	unsigned max_depth;       /* archives inside archives, 0 = 4 */
	uint64_t max_bytes;       /* uncompressed bytes per top-level file, 0 = 2 GiB */
	unsigned max_ratio;       /* uncompressed / compressed, 0 = 200 (past 16 MiB) */
	uint64_t max_members;     /* members per top-level file, 0 = 100,000 */
	unsigned max_name;        /* member name length, 0 = 1,024 bytes */
	uint64_t max_member_size; /* one member held in memory, 0 = 100 MB */
	int no_decode;            /* do not decode encoded runs */
	unsigned decode_depth;    /* layers of encoding undone, 0 = 2 */
	/* A large uncompressed tarball read from a file (an image) is read by
	 * this many threads, 0 = cores; at most max_inflight bytes of its
	 * members are read at once, 0 = 256 MiB. */
	int jobs;
	uint64_t max_inflight;
} sg_artefact_options;

typedef struct sg_scan_options {
	int include_unverified;        /* keep findings whose checksum failed */
	sg_confidence min_confidence;  /* drop findings below this */
	int inline_allow;              /* honour secretgate:allow comments (default 1) */
	size_t max_findings_per_chunk; /* 0 = default (1000) */
	uint32_t match_limit;          /* PCRE2 match limit per window, 0 = default */
	uint32_t depth_limit;          /* PCRE2 depth limit, 0 = default */
	/* per-path contexts, first match wins; borrowed, must outlive the scan */
	const sg_context_override *context_overrides;
	size_t ncontext_overrides;
	sg_artefact_options artefacts; /* archives and decoding */
	/* Leave weak secrets' fingerprints pending (sg_finding_fingerprint_fill):
	 * for a caller whose every reader of fingerprints fills them first, as
	 * sg_report_write, sg_baseline_write and sg_verdict_apply do. */
	int defer_weak_fingerprints;
} sg_scan_options;
#define SG_SCAN_OPTIONS_INIT                                                                       \
	{                                                                                          \
		.min_confidence = SG_CONF_LOW, .inline_allow = 1                                   \
	}

/* Lines a chunk's findings must fall on (git added lines). Sorted,
 * non-overlapping, inclusive, 1-based. NULL = every line. */
typedef struct sg_line_ranges {
	const uint32_t (*ranges)[2];
	size_t count;
} sg_line_ranges;

typedef struct sg_scanner sg_scanner; /* per-thread scratch: one per worker */

/* A scanner borrows the finalized rule set, which must outlive it. */
int sg_scanner_new(sg_scanner **out, const sg_ruleset *rs, const sg_scan_options *opts);
void sg_scanner_free(sg_scanner *s);
/* Scan one chunk, appending findings to out. Regex-limit events are counted
 * in sg_scanner_notices; they never fail the scan. */
int sg_scanner_scan(sg_scanner *s, const char *data, size_t len, const sg_origin *origin,
                    const sg_line_ranges *lines, sg_findings *out);
/* How many (rule, chunk) pairs hit a PCRE2 limit since the scanner was made;
 * the first rule id that did is stored in *first_rule when non-NULL. */
size_t sg_scanner_limit_hits(const sg_scanner *s, const char **first_rule);
/* Explained verdicts: with a trace set, the scanner records every candidate
 * (a pattern match, or a keyword whose window held no match) and the check
 * that accepted or rejected it. Without one (the default) nothing is
 * recorded and nothing costs more. */
typedef struct sg_judgement {
	const char *rule_id;
	sg_context context;
	const char *language; /* static; NULL outside source code */
	uint32_t line, column;
	uint64_t offset;
	size_t len;   /* 0 for a keyword without a pattern match */
	int accepted; /* 1: became a finding */
	sg_confidence confidence;
	const char *check; /* static name: entropy, placeholder, reference, checksum, ... */
	char detail[160];  /* human text; never holds the secret */
} sg_judgement;
typedef struct sg_judgements {
	sg_judgement *items;
	size_t count, cap;
	size_t dropped; /* over the cap (SG_JUDGEMENTS_MAX), counted */
} sg_judgements;
#define SG_JUDGEMENTS_MAX 100000
void sg_judgements_free(sg_judgements *v);
/* Record into v (NULL turns tracing off). v must outlive the scans. */
void sg_scanner_set_trace(sg_scanner *s, sg_judgements *v);

/* The context a chunk gets (overrides first, then path and first bytes). */
typedef struct sg_chunk_context {
	sg_context kind;
	const char *language; /* "c", "javascript", ...: static; NULL outside source */
	int store;            /* credential-store format (internal numbering), 0 = none */
} sg_chunk_context;
void sg_context_detect(sg_chunk_context *out, const char *path, const char *data, size_t len,
                       const sg_context_override *overrides, size_t noverrides);

/* Test a rule's pattern and filters on a text (rules test). Returns 1 when
 * the rule reports a finding in text, 0 when not, <0 on error. */
int sg_rule_matches(const sg_rule *r, const char *text, size_t len);

/* ---- paths --------------------------------------------------------- */

/* name under root (with a '/' between unless root ends in one), or name
 * itself when it is absolute or root is NULL. Caller frees; NULL when out of
 * memory. */
char *sg_path_in(const char *root, const char *name);

/* ---- notices: non-fatal problems a run met (the CLI prints them) ---- */

typedef struct sg_notices {
	char **items;
	size_t count, cap;
	size_t dropped; /* over the cap, counted */
} sg_notices;
/* Start an empty list (all zeros is one too); cannot fail. Adding is
 * thread-safe. */
int sg_notices_init(sg_notices *n);
void sg_notices_free(sg_notices *n);
void sg_notices_add(sg_notices *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- files and directories ------------------------------------------ */

typedef struct sg_fs_options {
	uint64_t max_file_size; /* 0 = 100 MB */
	int binary;             /* scan files with NUL bytes too */
	int jobs;               /* worker threads, 0 = cores */
	sg_scan_options scan;
	/* files scanned of total, now and then from a worker thread (serialised) */
	void (*progress)(void *ctx, uint64_t done, uint64_t total, double elapsed_ms);
	void *progress_ctx;
} sg_fs_options;
#define SG_FS_OPTIONS_INIT                                                                         \
	{                                                                                          \
		.scan = SG_SCAN_OPTIONS_INIT                                                       \
	}

typedef struct sg_file_list {
	char **paths;   /* path to open */
	char **display; /* path to report */
	size_t count, cap;
	/* how many leading bytes of each path are the root it was found under
	 * (a path named on the command line, the working tree): a link there is
	 * followed, no link after it is (see sg_file_list_open) */
	size_t *root_len;
	/* 1 where the listing saw a regular file (the walk's entry type, or a
	 * stat of a path named): its read may start before an fstat */
	unsigned char *regular;
} sg_file_list;
void sg_file_list_free(sg_file_list *l);
/* Open item i for reading without following a symbolic link anywhere below
 * its root, so a directory replaced by a link never leads out of the scanned
 * tree. Returns an fd or -1 with errno set (ELOOP: a link on the way). */
int sg_file_list_open(const sg_file_list *l, size_t i);

struct sg_scan_stats;
/* Collect the files under each path (files are taken as they are, directories
 * walked whole, symlinks not followed, special files skipped and counted). */
int sg_fs_collect(sg_file_list *out, const char *const *paths, size_t n,
                  struct sg_scan_stats *stats, sg_notices *notices);
/* Collect a repository working tree: tracked files and untracked files git
 * does not ignore. Paths are reported relative to the root. */
int sg_fs_collect_repo(sg_file_list *out, const char *workdir, struct sg_scan_stats *stats,
                       sg_notices *notices);
/* Scan the files on worker threads; findings are sorted. */
int sg_fs_scan(const sg_ruleset *rs, const sg_fs_options *opts, const sg_file_list *files,
               sg_findings *out, struct sg_scan_stats *stats, sg_notices *notices);
/* sg_fs_collect and sg_fs_scan at once: the files are scanned as the walk
 * finds them, so the walk's system calls overlap the scan. */
int sg_fs_walk_scan(const sg_ruleset *rs, const sg_fs_options *opts, const char *const *paths,
                    size_t n, sg_findings *out, struct sg_scan_stats *stats, sg_notices *notices);
/* sg_fs_collect_repo and sg_fs_scan at once, the same way. */
int sg_fs_walk_scan_repo(const sg_ruleset *rs, const sg_fs_options *opts, const char *workdir,
                         sg_findings *out, struct sg_scan_stats *stats, sg_notices *notices);

/* Add a scanner's regex-limit events to stats, with one notice naming the
 * first rule that hit a limit (`what` says what was scanned: files, blobs). */
void sg_scanner_report_limits(const sg_scanner *s, struct sg_scan_stats *stats, sg_notices *notices,
                              const char *what);

/* ---- reports ------------------------------------------------------ */

/* What a run looked at, for summaries. */
typedef struct sg_scan_stats {
	const char *mode; /* "scan", "git-staged", "git-range", "git-history", "env-check", ... */
	uint64_t files, bytes; /* chunks (files or blobs) scanned and their bytes */
	uint64_t skipped_binary, skipped_too_big, skipped_other, errors;
	uint64_t suppressed[SG_SUPPRESS_COUNT]; /* by sg_suppress value */
	uint64_t limit_hits;                    /* regex limit events */
	double elapsed_ms;
	const char *notice; /* optional one-line notice (shallow clone, capped report) */
	int64_t started_at, finished_at; /* Unix seconds, 0 = unknown (gitlab scan times) */
} sg_scan_stats;

typedef struct sg_report_options {
	int show_secrets;
	int color;               /* text only: ANSI colours */
	const sg_ruleset *rules; /* for SARIF rule metadata; may be NULL */
	const char *tool_version;
	/* github: append a Markdown summary to this file (the CLI passes
	 * $GITHUB_STEP_SUMMARY; the library never reads the environment). NULL = none. */
	const char *step_summary;
	/* text: list suppressed findings too (they are always counted) */
	int show_suppressed;
	/* sarif: runAutomationDetails category; NULL leaves it out, so code
	 * scanning's upload picks the category (its `category:` input or the
	 * workflow and job) */
	const char *sarif_category;
	/* html and the github summary: what was scanned, all optional. forge_url
	 * is the https base of a known forge (github.com, GitLab) for links. */
	const char *repository;
	const char *head; /* commit id of HEAD */
	const char *forge_url;
	const char *forge; /* "github" or "gitlab" with forge_url */
} sg_report_options;
#define SG_REPORT_OPTIONS_INIT                                                                     \
	{                                                                                          \
		.tool_version = SG_VERSION                                                         \
	}

/* Write findings in a format: text, json, jsonl, sarif, junit, github, html, gitlab.
 * SG_EINVALID for an unknown format name. */
int sg_report_write(FILE *out, const char *format, const sg_findings *f, const sg_scan_stats *stats,
                    const sg_report_options *opts);
int sg_report_format_known(const char *format);

#endif
