/* Fingerprints: "<rule>:<20 hex>", a function of the rule id and the secret
 * only, so they survive rebases, line moves and reformatting and are the
 * same on every machine. They end up in CI logs, SARIF and committed
 * baselines, so they must not let a reader confirm a guessed secret
 * cheaply: a weak secret's fingerprint comes from a deliberately slow
 * derivation (PBKDF2-HMAC-SHA256), a strong one's from one SHA-256, which
 * is as good as slow when guessing is hopeless anyway. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "secretgate/secretgate.h"
#include "util/pool.h"
#include "util/sha256.h"
#include "lib/engine/checks.h"

/* A secret is strong when it is long and its estimated randomness (length
 * times Shannon entropy per character) is at least 128 bits: guessing it
 * from its fingerprint is then hopeless whatever the hash costs. */
#define STRONG_MIN_LEN  24
#define STRONG_MIN_BITS 128.0

int sg_fingerprint_is_weak(const char *secret, size_t len)
{
	return len < STRONG_MIN_LEN || (double)len * sg_entropy(secret, len) < STRONG_MIN_BITS;
}

static void format(char out[64], const char *rule_id, const unsigned char *d)
{
	int n = snprintf(out, 64, "%.40s:", rule_id);
	for (int i = 0; i < 10 && n + 2 < 64; i++)
		n += snprintf(out + n, (size_t)(64 - n), "%02x", d[i]);
}

/* One SHA-256 of rule id and bytes: the fingerprint of a strong secret, of
 * a name (env findings), and of every secret before weak ones were derived
 * slowly (still accepted from old baselines, see sg_fingerprint_legacy). */
static void fast(char out[64], const char *rule_id, const char *bytes, size_t len)
{
	sg_sha256 c;
	unsigned char d[32];
	sg_sha256_init(&c);
	sg_sha256_update(&c, "secretgate\n", 11);
	sg_sha256_update(&c, rule_id, strlen(rule_id));
	sg_sha256_update(&c, "\n", 1);
	sg_sha256_update(&c, bytes, len);
	sg_sha256_final(&c, d);
	format(out, rule_id, d);
}

/* The slow derivation is paid once per distinct weak secret and thread: the
 * same password in many files or many blobs of history is common. The key
 * is a one-hash digest that never leaves the process. */
#define CACHE_SLOTS 64
typedef struct cache_slot {
	unsigned char key[32];
	char fingerprint[64];
	int used;
} cache_slot;
static __thread cache_slot cache[CACHE_SLOTS];

static void derive(char out[64], const char *rule_id, const char *secret, size_t len)
{
	/* The rule id is the salt: stable across machines and clones (a random
	 * salt would need to be shared by every clone and CI run, so a reader of
	 * the baseline would have it too), and it keeps one table of guesses
	 * from serving every rule. */
	char salt[80];
	int slen = snprintf(salt, sizeof(salt), "secretgate-fp-2\n%.40s", rule_id);
	unsigned char d[10];
	sg_pbkdf2_sha256(d, sizeof(d), secret, len, salt, (size_t)slen, SG_FINGERPRINT_ITERATIONS);
	format(out, rule_id, d);
}

void sg_fingerprint(char out[64], const char *rule_id, const char *secret, size_t len)
{
	if (!sg_fingerprint_is_weak(secret, len)) {
		fast(out, rule_id, secret, len);
		return;
	}
	sg_sha256 c;
	unsigned char key[32];
	sg_sha256_init(&c);
	sg_sha256_update(&c, rule_id, strlen(rule_id) + 1);
	sg_sha256_update(&c, secret, len);
	sg_sha256_final(&c, key);
	cache_slot *slot = &cache[key[0] % CACHE_SLOTS];
	if (slot->used && memcmp(slot->key, key, 32) == 0) {
		memcpy(out, slot->fingerprint, 64);
		return;
	}
	derive(out, rule_id, secret, len);
	memcpy(slot->key, key, 32);
	memcpy(slot->fingerprint, out, 64);
	slot->used = 1;
}

const char *sg_finding_identity(const sg_finding *f)
{
	return f->identity[0] ? f->identity : f->fingerprint;
}

void sg_finding_fingerprint_fill(const sg_finding *f)
{
	sg_finding *x = (sg_finding *)f; /* the fingerprint is a cache */
	if (!x->fingerprint_pending || !x->secret)
		return;
	sg_fingerprint(x->fingerprint, x->rule_id, x->secret, x->secret_len);
	x->fingerprint_pending = 0;
}

void sg_findings_fingerprint_fill(const sg_findings *f)
{
	for (size_t i = 0; f && i < f->count; i++)
		sg_finding_fingerprint_fill(&f->items[i]);
}

typedef struct fill_job {
	const sg_findings *f;
	size_t *pending;
} fill_job;

static int fill_one(void *ctx, int worker, size_t i)
{
	(void)worker;
	fill_job *j = ctx;
	sg_finding_fingerprint_fill(&j->f->items[j->pending[i]]);
	return 0;
}

void sg_findings_fingerprint_fill_jobs(const sg_findings *f, int jobs)
{
	size_t n = 0;
	for (size_t i = 0; f && i < f->count; i++)
		n += f->items[i].fingerprint_pending && f->items[i].secret;
	fill_job j = {f, n > 1 && jobs != 1 ? malloc(n * sizeof(size_t)) : NULL};
	if (!j.pending) {
		sg_findings_fingerprint_fill(f);
		return;
	}
	n = 0;
	for (size_t i = 0; i < f->count; i++)
		if (f->items[i].fingerprint_pending && f->items[i].secret)
			j.pending[n++] = i;
	/* each worker fills its own findings, so the cache needs no lock */
	if (sg_pool_run(n, jobs, fill_one, &j) < 0)
		sg_findings_fingerprint_fill(f);
	free(j.pending);
}

void sg_fingerprint_legacy(char out[64], const char *rule_id, const char *secret, size_t len)
{
	fast(out, rule_id, secret, len);
}

void sg_fingerprint_name(char out[64], const char *rule_id, const char *name, size_t len)
{
	fast(out, rule_id, name, len);
}
