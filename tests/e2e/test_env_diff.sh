#!/bin/sh
# env diff A B, production secrets in development files, owners.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/envgate_lib.sh"
e2e_rules "$T/rules.yml"

# --- Next.js: staging mirrors production? ------------------------------------
make_nextjs "$T/next" || exit 1
mkdir -p .secretgate
cat > .secretgate/env.yml <<'YAML'
environments:
  development: { files: [.env] }
  staging: { files: [.env.staging] }
  preview: { files: [.env.preview] }
  production: { production: true, files: [.env.production], platform: [vercel.json] }
owners:
  'STRIPE_*': payments
  '*': platform-team
vars:
  DATABASE_URL: { type: url, schemes: [postgres], secret: true, owner: data-team }
  STRIPE_SECRET_KEY: { secret: true, pattern: { production: '^sk_live_', _: '^sk_test_' } }
  NEXT_PUBLIC_API_URL: { type: url }
  LOG_LEVEL: { type: enum, values: [debug, info, warn] }
  PORT: { type: port }
  DEBUG_SQL: { type: bool }
  ADMIN_EMAIL: { type: email }
  REQUEST_TIMEOUT: { type: duration, default: 30s }
  NEXT_TELEMETRY_DISABLED: { platform_only: true }
YAML
live=$(stripe_like live)
printf 'DATABASE_URL=postgres://shop:%s@db.prod.internal/shop\nSTRIPE_SECRET_KEY=%s\nPORT=8080\nDEBUG_SQL=false\nADMIN_EMAIL=ops@shop.example\n' \
	"$(printf 'pr0d')-pw-1" "$live" > .env.production
# staging: the production database (same URL), its own Stripe key, no ADMIN_EMAIL,
# a PORT that is no port.
printf 'DATABASE_URL=postgres://shop:%s@db.prod.internal/shop\nSTRIPE_SECRET_KEY=%s\nPORT=80800\nDEBUG_SQL=true\nNEXT_PUBLIC_API_URL=https://staging.shop.example\nLOG_LEVEL=info\n' \
	"$(printf 'pr0d')-pw-1" "$(stripe_like test)" > .env.staging
expect_rc 1 "$SG" env diff staging production
contains "$OUT" ".env.production:1:1  env-shared-secret  DATABASE_URL has the same secret value in staging (.env.staging:1) and production (.env.production:1) (owner: data-team)  [critical, high confidence]"
contains "$OUT" ".env.production:5:1  env-diff-missing  ADMIN_EMAIL is set in production (.env.production:5) but not in staging (owner: platform-team)"
contains "$OUT" ".env.staging:3:1  env-diff-type  PORT is a valid port in production but not in staging: not a port number (1-65535) (set in .env.staging:3) (owner: platform-team)"
# vercel.json's values are production's: both set NEXT_PUBLIC_API_URL and LOG_LEVEL.
lacks "$OUT" "NEXT_PUBLIC_API_URL is set"
lacks "$OUT" "LOG_LEVEL is set"
# Per-environment patterns: each key is valid where it is, so no type finding.
lacks "$OUT" "STRIPE_SECRET_KEY is a valid"
lacks "$OUT" "STRIPE_SECRET_KEY has the same"
# A default fills a gap; values are never printed.
lacks "$OUT" "REQUEST_TIMEOUT"
lacks "$OUT" "pr0d"
lacks "$OUT" "Zq8wX2pLm4Rt"
# The same host with other credentials still points at production.
sed -i "1s/.*/DATABASE_URL=postgres:\/\/stage:other-pw@db.prod.internal\/shop/" .env.staging
expect_rc 1 "$SG" env diff staging production
contains "$OUT" "env-shared-secret  DATABASE_URL points at the same host in staging (.env.staging:1) and production (.env.production:1)"
lacks "$OUT" "other-pw"

# Two environments that are not production-like: reported, not blocking.
cp .env.staging .env.preview
expect_rc 0 "$SG" env diff staging preview
contains "$OUT" "DATABASE_URL has the same secret value in staging (.env.staging:1) and preview (.env.preview:1) (not blocking: neither is production-like)"
contains "$OUT" "STRIPE_SECRET_KEY has the same secret value"
contains "$ERR" "0 blocking"
# Two exports (env > file) instead of the manifest's files.
printf 'STRIPE_SECRET_KEY=%s\nPORT=8080\n' "$live" > "$T/staging.env"
printf 'STRIPE_SECRET_KEY=%s\nPORT=8080\n' "$live" > "$T/prod.env"
expect_rc 1 "$SG" env diff staging production --from-a "$T/staging.env" --from-b "$T/prod.env" --format jsonl
contains "$OUT" '"rule":"env-shared-secret"'
contains "$OUT" 'STRIPE_SECRET_KEY has the same secret value in staging'
contains "$OUT" '(owner: payments)'
lacks "$OUT" "Zq8wX2pLm4Rt"
# A value matching a secret rule counts as a secret even when undeclared.
tok=$(e2e_token)
printf 'WEBHOOK=%s\n' "$tok" >> "$T/staging.env"
printf 'WEBHOOK=%s\n' "$tok" >> "$T/prod.env"
expect_rc 1 "$SG" env diff staging production --from-a "$T/staging.env" --from-b "$T/prod.env" --rules "$T/rules.yml"
contains "$OUT" "WEBHOOK has the same secret value"
lacks "$OUT" "$tok"
# Usage errors.
expect_rc 2 "$SG" env diff staging
contains "$ERR" "env diff needs two environments: env diff A B"
expect_rc 2 "$SG" env diff staging prod
contains "$ERR" "unknown environment 'prod'"

# --- env check --env production: its secrets in other files -------------------
printf 'DATABASE_URL=postgres://shop:%s@db.prod.internal/shop\n' "$(printf 'pr0d')-pw-1" > .env.local
git add -f .env.staging 2>/dev/null
expect_rc 1 env -i PATH="$PATH" "$SG" env check --env production
contains "$OUT" ".env.local:1:1  env-production-secret-in-file  DATABASE_URL holds the value of production's secret DATABASE_URL in .env.local:1 (production secrets stay out of other files) (owner: data-team)  [critical, high confidence]"
lacks "$OUT" ".env.production:1:1  env-production-secret-in-file"
lacks "$OUT" "pr0d"
# The production values may come from the process environment too; a
# development environment's file is searched as well.
rm .env.local
printf 'STRIPE_SECRET_KEY=%s\n' "$live" > .env
expect_rc 1 env -i PATH="$PATH" STRIPE_SECRET_KEY="$live" "$SG" env check --env production --dotenv "$T/prod.env"
contains "$OUT" ".env:1:1  env-production-secret-in-file  STRIPE_SECRET_KEY holds the value of production's secret STRIPE_SECRET_KEY in .env:1"
# Other environments are not searched for (only production-like ones are).
expect_rc 1 env -i PATH="$PATH" STRIPE_SECRET_KEY="$live" "$SG" env check --env staging
lacks "$OUT" "env-production-secret-in-file"
finish
