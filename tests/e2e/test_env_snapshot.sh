#!/bin/sh
# env snapshot and env check --against/--update: drift since the last deploy.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/envgate_lib.sh"

# --- Django on Fly: values from fly.toml and the deploy environment ------------
make_django "$T/django" || exit 1
mkdir -p .secretgate
cat > .secretgate/env.yml <<'YAML'
environments:
  development: { files: [.env] }
  production: { production: true, platform: [fly.toml], provided: [DJANGO_SECRET_KEY, DATABASE_URL, SENTRY_DSN] }
vars:
  DJANGO_SECRET_KEY: { secret: true, required: [production] }
  DJANGO_DEBUG: { type: bool }
  DATABASE_URL: { type: url, secret: true, required: [production] }
  ALLOWED_HOSTS: {}
  EMAIL_HOST_USER: { type: email }
  CELERY_CONCURRENCY: { type: int }
  SENTRY_DSN: { secret: true }
YAML
key=$(printf 'lock-key-')0123456789abcdef0123456789abcdef
skey="$(printf 'django-')prod-signing-8c1f"
dburl="postgres://shop:$(printf 'pr0d')-pw@db.internal/shop"
run() { env -i PATH="$PATH" SECRETGATE_LOCK_KEY="$key" DJANGO_SECRET_KEY="$skey" DATABASE_URL="$dburl" "$@"; }

# Without a key, secrets cannot be recorded: an error, no file.
expect_rc 2 env -i PATH="$PATH" DJANGO_SECRET_KEY="$skey" "$SG" env snapshot --env production -o .secretgate/production.lock
contains "$ERR" "secretgate: snapshot: secret DJANGO_SECRET_KEY is set but no key was given to digest it (set SECRETGATE_LOCK_KEY"
[ -e .secretgate/production.lock ] && fail "a lock was written without a key"
expect_rc 0 run "$SG" env snapshot --env production -o .secretgate/production.lock
contains "$ERR" "wrote .secretgate/production.lock: environment production, 7 variables, 5 set, 2 secrets as keyed digests"
L=$(cat .secretgate/production.lock)
contains "$L" "secretgate-env-lock 1"
contains "$L" "environment production"
contains "$L" 'set ALLOWED_HOSTS "shop.fly.dev"'
contains "$L" 'set CELERY_CONCURRENCY "4"'
contains "$L" "unset SENTRY_DSN"
contains "$L" "secret DJANGO_SECRET_KEY hmac-sha256:"
# Never the value, never an unsalted hash of it.
lacks "$L" "$skey"
lacks "$L" "pr0d"
plain=$(printf '%s' "$skey" | sha256sum | cut -d' ' -f1)
lacks "$L" "$plain"
# A second snapshot has its own salt, so the digests differ.
expect_rc 0 run "$SG" env snapshot --env production -o "$T/again.lock"
d1=$(grep '^secret DJANGO_SECRET_KEY' .secretgate/production.lock)
d2=$(grep '^secret DJANGO_SECRET_KEY' "$T/again.lock")
[ "$d1" != "$d2" ] || fail "two locks share a digest: the salt is not per lock"

# Nothing changed: clean.
expect_rc 0 run "$SG" env check --env production --against .secretgate/production.lock
# A secret edited by hand, a value changed in fly.toml, one added, one removed.
skey2="$(printf 'django-')rotated-by-hand-77"
sed -i 's/CELERY_CONCURRENCY = 4/CELERY_CONCURRENCY = 6/; s/^  ALLOWED_HOSTS = .*//' fly.toml
expect_rc 1 env -i PATH="$PATH" SECRETGATE_LOCK_KEY="$key" DJANGO_SECRET_KEY="$skey2" \
	DATABASE_URL="$dburl" SENTRY_DSN=https://k@o1.ingest.sentry.io/1 \
	"$SG" env check --env production --against .secretgate/production.lock
contains "$OUT" "(environment):0:1  env-drift  DJANGO_SECRET_KEY changed since the snapshot .secretgate/production.lock (secret: the value is not shown)  [high, high confidence]"
contains "$OUT" 'fly.toml:11:1  env-drift  CELERY_CONCURRENCY changed since the snapshot .secretgate/production.lock: was "4", now "6"'
contains "$OUT" "env-drift  SENTRY_DSN was added since the snapshot"
contains "$OUT" ".secretgate/production.lock:10:1  env-drift  ALLOWED_HOSTS was removed since the snapshot"
lacks "$OUT" "DATABASE_URL"
lacks "$OUT" "rotated-by-hand"
# --update accepts the new state: reported as accepted, the next check is clean.
expect_rc 0 env -i PATH="$PATH" SECRETGATE_LOCK_KEY="$key" DJANGO_SECRET_KEY="$skey2" \
	DATABASE_URL="$dburl" SENTRY_DSN=https://k@o1.ingest.sentry.io/1 \
	"$SG" env check --env production --against .secretgate/production.lock --update
contains "$OUT" "(accepted with --update)"
contains "$ERR" "updated .secretgate/production.lock: the current state of production is accepted"
expect_rc 0 env -i PATH="$PATH" SECRETGATE_LOCK_KEY="$key" DJANGO_SECRET_KEY="$skey2" \
	DATABASE_URL="$dburl" SENTRY_DSN=https://k@o1.ingest.sentry.io/1 \
	"$SG" env check --env production --against .secretgate/production.lock
# Another key: an error, not every secret reported as changed.
expect_rc 2 env -i PATH="$PATH" SECRETGATE_LOCK_KEY=other DJANGO_SECRET_KEY="$skey2" \
	DATABASE_URL="$dburl" "$SG" env check --env production --against .secretgate/production.lock
contains "$ERR" "was made with another SECRETGATE_LOCK_KEY"
# A lock of another environment, a broken lock, a future version.
expect_rc 2 run "$SG" env check --env development --against .secretgate/production.lock
contains "$ERR" "is a snapshot of environment production, not development"
sed 's/^secret DATABASE_URL hmac-sha256:.*/secret DATABASE_URL hmac-sha256:nothex/' .secretgate/production.lock > "$T/bad.lock"
expect_rc 2 run "$SG" env check --env production --against "$T/bad.lock"
contains "$ERR" "bad.lock:"
contains "$ERR" ": secret needs hmac-sha256:<64 hex>"
sed 's/^secretgate-env-lock 1/secretgate-env-lock 2/' .secretgate/production.lock > "$T/v2.lock"
expect_rc 2 run "$SG" env check --env production --against "$T/v2.lock"
contains "$ERR" "v2.lock:3: unsupported lock version (expected 1)"
expect_rc 2 run "$SG" env check --env production --against "$T/missing.lock"
contains "$ERR" "missing.lock"

# --- compose + Kubernetes: a public value that matches a secret rule -----------
make_compose "$T/compose" || exit 1
e2e_rules "$T/rules.yml"
mkdir -p .secretgate
cat > .secretgate/env.yml <<'YAML'
environments:
  production: { production: true, platform: [k8s/deployment.yaml] }
vars:
  REDIS_URL: { type: url }
  WORKERS: { type: int }
  LISTEN_PORT: { type: port }
  FEATURE_CACHE: { type: bool }
  STORAGE_BACKEND: {}
  API_TOKEN: { secret: true }
  API_TOKEN_V2: {}
YAML
tok=$(e2e_token)
# Only non-secret values: no key needed; a rule match is digested all the same.
expect_rc 2 env -i PATH="$PATH" API_TOKEN_V2="$tok" "$SG" env snapshot --env production --rules "$T/rules.yml"
contains "$ERR" "secret API_TOKEN_V2 is set but no key was given"
expect_rc 0 env -i PATH="$PATH" "$SG" env snapshot --env production
contains "$(cat .secretgate/production.lock)" 'set WORKERS "8"'
lacks "$(cat .secretgate/production.lock)" "key-id"
expect_rc 0 env -i PATH="$PATH" SECRETGATE_LOCK_KEY="$key" API_TOKEN_V2="$tok" "$SG" env snapshot --env production --rules "$T/rules.yml" -o "$T/rule.lock"
contains "$(cat "$T/rule.lock")" "secret API_TOKEN_V2 hmac-sha256:"
lacks "$(cat "$T/rule.lock")" "$tok"
# The Deployment's WORKERS edited in the cluster file: drift.
sed -i 's/value: "8"/value: "12"/' k8s/deployment.yaml
expect_rc 1 env -i PATH="$PATH" "$SG" env check --env production --against .secretgate/production.lock --format json
contains "$OUT" 'WORKERS changed since the snapshot .secretgate/production.lock: was \"8\", now \"12\"'
finish
