#!/bin/sh
# env init: a draft manifest from code, templates, dotenv, compose, k8s, CI and
# platform files; types and secrets inferred; no secret value copied; never
# overwrites without --force; --diff; env check passes right after it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/envgate_lib.sh"

# --- Next.js ---------------------------------------------------------------
make_nextjs "$T/next" || exit 1
expect_rc 0 "$SG" env init
contains "$ERR" "wrote .secretgate/env.yml: 10 variables"
M=$(cat .secretgate/env.yml)
contains "$M" "production: { production: true, platform: ['.github/workflows/deploy.yml', 'vercel.json'] }"
contains "$M" "ci: { platform: ['.github/workflows/deploy.yml'] }"
contains "$M" "development: { files: ['.env', '.env.local'] }"
# Types from values: url with its schemes, port, bool, email, duration, enum, int.
contains "$M" "  DATABASE_URL:  # .env:1, .github/workflows/deploy.yml:15, src/lib/server.ts:1, .env.example:1
    type: url
    schemes: ['postgres']
    secret: true
    required: ['production']"
contains "$M" "  NEXT_PUBLIC_API_URL:  # .env:3, src/app/page.tsx:2, .env.example:3, vercel.json:5
    type: url
    schemes: ['http', 'https']"
contains "$M" "  PORT:  # .env:5, src/lib/server.ts:4, .env.example:5, .github/workflows/deploy.yml:20
    type: port"
contains "$M" "  DEBUG_SQL:  # .env:6, src/lib/server.ts:5, .env.example:6, .github/workflows/deploy.yml:21
    type: bool"
contains "$M" "    type: email"
contains "$M" "  REQUEST_TIMEOUT:  # .env:8, src/lib/server.ts:7, .env.example:8, .github/workflows/deploy.yml:23
    type: duration"
contains "$M" "    type: enum
    values: ['debug', 'warn']"
# Secrets by name; a public name never is one; platform-only names skip templates.
contains "$M" "  STRIPE_SECRET_KEY:  # .env:2, .github/workflows/deploy.yml:16, src/lib/server.ts:2, .env.example:2 and 1 more
    secret: true
    required: ['production']"
contains "$M" "  NODE_VERSION:  # .github/workflows/deploy.yml:4
    type: int
    required: ['ci']
    platform_only: true"
# No secret value, and no value at all, is copied.
lacks "$M" "Zq8wX2pLm4Rt"
lacks "$M" "devpass"
lacks "$M" "localhost"
# Right after init the development check passes; production reports only
# what this shell lacks, and passes once the deploy values are there.
expect_rc 0 env -i PATH="$PATH" "$SG" env check --env development
expect_rc 1 env -i PATH="$PATH" "$SG" env check --env production
contains "$OUT" "env-missing  DATABASE_URL is required in production but not set"
contains "$OUT" "env-missing  STRIPE_SECRET_KEY is required in production but not set"
contains "$OUT" "env-missing  ADMIN_EMAIL is required in production but not set"
lacks "$OUT" "env-platform"
lacks "$OUT" "env-template-drift"
lacks "$OUT" "env-unknown"
expect_rc 0 env -i PATH="$PATH" DATABASE_URL=postgres://db.prod/shop \
	STRIPE_SECRET_KEY="$(stripe_like live)" ADMIN_EMAIL=ops@shop.example \
	"$SG" env check --env production --refs
# Never overwrites; --force does; --diff shows what it would add.
cp .secretgate/env.yml "$T/first.yml"
expect_rc 2 "$SG" env init
contains "$ERR" "secretgate: env init: .secretgate/env.yml exists; not overwritten (--force replaces it, --diff shows what init would add)"
expect_rc 0 "$SG" env init --diff
contains "$ERR" "already declares every variable and environment init finds"
printf 'const c = process.env.CACHE_TTL;\n' > src/lib/cache.ts
printf 'CACHE_TTL=5m\n' >> .env
expect_rc 0 "$SG" env init --diff
contains "$OUT" "+ vars:
+   CACHE_TTL:  # .env:9, src/lib/cache.ts:1
+     type: duration"
lacks "$OUT" "DATABASE_URL"
cmp -s .secretgate/env.yml "$T/first.yml" || fail "--diff changed the manifest"
expect_rc 0 "$SG" env init --force
contains "$(cat .secretgate/env.yml)" "CACHE_TTL:"

# --- Django ------------------------------------------------------------------
make_django "$T/django" || exit 1
expect_rc 0 "$SG" env init
M=$(cat .secretgate/env.yml)
contains "$M" "production: { production: true, platform: ['app.json', 'fly.toml', 'render.yaml'] }"
contains "$M" "  DJANGO_DEBUG:"
contains "$M" "    type: bool"
contains "$M" "  CELERY_CONCURRENCY:  # .env:6, shop/settings.py:7, .env.example:6, fly.toml:11 and 1 more
    type: int"
# generator: secret, sync: false and a password in a URL all mark secrets.
contains "$M" "  DJANGO_SECRET_KEY:  # .env:1, shop/settings.py:2, .env.example:1, app.json:5 and 1 more
    secret: true"
contains "$M" "  SENTRY_DSN:  # .env:7, shop/settings.py:8, .env.example:7, app.json:7 and 1 more
    secret: true"
contains "$M" "  DATABASE_URL:  # .env:3, shop/settings.py:4, .env.example:3, render.yaml:13
    type: url
    schemes: ['postgres']
    secret: true"
lacks "$M" "devpw"
lacks "$M" "not-a-real-key"
expect_rc 0 env -i PATH="$PATH" "$SG" env check --env development
expect_rc 0 env -i PATH="$PATH" DJANGO_SECRET_KEY=k DATABASE_URL=postgres://db/shop \
	SENTRY_DSN=https://k@o1.ingest.sentry.io/1 "$SG" env check --env production

# --- compose + Kubernetes ------------------------------------------------------
make_compose "$T/compose" || exit 1
e2e_rules "$T/rules.yml"
# A value matching a secret rule marks its variable secret whatever its name.
printf 'CACHE_KEYRING=%s\n' "$(e2e_token)" >> .env
printf 'CACHE_KEYRING=\n' >> .env.example
expect_rc 0 "$SG" env init --rules "$T/rules.yml"
M=$(cat .secretgate/env.yml)
contains "$M" "development: { files: ['.env', '.env.local'], platform: ['docker-compose.yml'] }"
contains "$M" "production: { production: true, platform: ['k8s/deployment.yaml'] }"
contains "$M" "  API_TOKEN:"
contains "$M" "    required: ['development', 'production']"
contains "$M" "  CACHE_KEYRING:  # .env:3, .env.example:7
    secret: true"
contains "$M" "    type: enum
    values: ['local', 's3']"
contains "$M" "  FEATURE_CACHE:  # cmd/api/main.go:10, .env.example:5, docker-compose.yml:13, k8s/deployment.yaml:25
    type: bool"
contains "$M" "    type: url
    schemes: ['redis']"
# The pod's own fieldRef names are not configuration.
lacks "$M" "POD_NAME"
lacks "$M" "e2etok_"
expect_rc 0 env -i PATH="$PATH" "$SG" env check --env development --rules "$T/rules.yml"
expect_rc 0 env -i PATH="$PATH" API_TOKEN=t CACHE_KEYRING=k "$SG" env check --env production \
	--rules "$T/rules.yml"
# Nothing to read at all is still a valid manifest.
mkdir "$T/empty" && cd "$T/empty" && git init -q .
expect_rc 0 "$SG" env init
expect_rc 0 "$SG" env lint
finish
