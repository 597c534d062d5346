/* Credential stores read by format: the files whose purpose is holding
 * credentials (.netrc, .pgpass, .git-credentials, deploy-tool configs,
 * keystores...). Each credential in them is reported, weak or not. */
#ifndef SG_CREDFILE_H
#define SG_CREDFILE_H

#include <stddef.h>

typedef enum {
	SG_STORE_NONE = 0,
	SG_STORE_GENERIC,     /* a context override, or a format read as key/value */
	SG_STORE_GIT,         /* .git-credentials: URLs with user:password@ */
	SG_STORE_NETRC,       /* .netrc, _netrc: machine/login/password tokens */
	SG_STORE_PGPASS,      /* .pgpass: host:port:db:user:password */
	SG_STORE_MAILRC,      /* .esmtprc, .msmtprc, .fetchmailrc, .muttrc */
	SG_STORE_JSON,        /* deploy-tool configs, robomongo, logins.json, tfstate */
	SG_STORE_XML,         /* WebServers.xml, FileZilla, DBeaver, Maven settings */
	SG_STORE_INI,         /* .s3cfg, .pypirc, .aws/credentials, .my.cnf, .boto */
	SG_STORE_YAML,        /* kubeconfig, mongoid.yml, secrets.yml, gh hosts.yml */
	SG_STORE_NPMRC,       /* .npmrc, .yarnrc */
	SG_STORE_DOTENV,      /* .env that is not a template */
	SG_STORE_SHADOW,      /* /etc/shadow-style user:hash lines */
	SG_STORE_HTPASSWD,    /* .htpasswd user:hash lines */
	SG_STORE_KEYSTORE,    /* .jks .p12 .pfx .kdbx ...: opaque, itself a finding */
	SG_STORE_PRIVATE_KEY, /* id_rsa and friends: itself a finding when not PEM */
	SG_STORE_SQL,         /* SQL dumps: password hashes in INSERT statements (config) */
	SG_STORE_PHP,         /* PHP configuration: $dbpasswd = '...' (config) */
} sg_store_type;

/* What a reader found. */
typedef enum {
	SG_CRED_PASSWORD = 0, /* a password, token or key value */
	SG_CRED_HASH,         /* a password hash */
	SG_CRED_FILE,         /* the whole file is a credential (keystore) */
} sg_cred_what;

/* The store format a file name says, SG_STORE_NONE for an ordinary file.
 * `path` is the whole path (for .aws/credentials, .vscode/sftp.json). */
int sg_credfile_type(const char *path, const char *base);
/* Whether a type is a credential store as a whole (SQL dumps and PHP
 * configuration are configuration files read by the same readers). */
int sg_credfile_is_store(int type);
/* Whether a file of this name is opaque (a binary keystore): the sources
 * hand it to the scanner even though it looks binary. */
int sg_credfile_is_opaque(const char *path);

/* rejected is NULL for a credential, else why the value under a credential
 * name is not one (only with explain set). */
typedef int (*sg_cred_cb)(void *ctx, sg_cred_what what, size_t start, size_t end,
                          const char *rejected);
/* Read data as a store of `type`; cb gets each credential's byte span.
 * only_passwords: report password-like keys only (configuration files).
 * explain: also hand cb the values rejected, with the reason. */
int sg_credfile_read(int type, const char *data, size_t len, int only_passwords, int explain,
                     sg_cred_cb cb, void *ctx);

/* A value no one would use as a credential: empty, a placeholder
 * (changeme, <password>, xxxx), a boolean or null. */
int sg_value_is_placeholder(const char *s, size_t len);
/* A reference to a credential kept elsewhere: ${VAR}, $VAR, %(x)s, {{ x }},
 * <%= x %>, env(...), vault:, op://. */
int sg_value_is_reference(const char *s, size_t len);

/* A value that is code, not a literal: a member chain, a call, a statement's
 * end or a type annotation. d[vs, ve) is the value, le the end of its line. */
int sg_value_is_code(const char *d, size_t vs, size_t ve, size_t le);
/* An ISO date or a clock time inside the value (2016-09-08T21:47:36Z). */
int sg_value_is_date(const char *v, size_t n);
/* Words run together (PassWordMustBeAtLeast6Chars, Access-Control-Allow-
 * Credentials): a name, a header or a sentence, not a random value. */
int sg_value_is_words(const char *v, size_t n);
/* Keys published on purpose (Stripe pk_, Mapbox pk., PostHog phc_). */
int sg_value_is_public(const char *s, size_t len);

#endif
