#!/bin/sh
# env check: each check on a throw-away project, every output format, exit codes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/envgate_lib.sh"
cd "$T" || exit 1
mkdir -p .secretgate
cat > .secretgate/env.yml <<'YAML'
version: 1
environments:
  development: { files: [.env, .env.local] }
  ci: {}
  production: {}
public_prefixes: [NEXT_PUBLIC_, VITE_]
vars:
  DATABASE_URL: { type: url, schemes: [postgres], secret: true, required: [ci, production] }
  PORT: { type: port, default: "3000" }
  WORKERS: { type: int, min: 1, max: 16 }
  LOG_LEVEL: { type: enum, values: [debug, info, warn], default: { production: warn, _: debug } }
  SMTP_ENABLED: { type: bool }
  SMTP_PASSWORD: { secret: true, required_when: { SMTP_ENABLED: "true" } }
  API_KEY: { secret: true, required: all }
  NEXT_PUBLIC_API_URL: { type: url, required: all }
  NEXT_PUBLIC_TOKEN: {}
  LEGACY_TOKEN: { deprecated: "removed in v2" }
YAML
# A rule of our own so the public-value check does not depend on the default set.
e2e_rules rules.yml
tok="e2etok_$(printf 'abcdefghij')0123456789"
key_value="k3y-$(printf 'value')-1234"
printf 'DATABASE_URL=mysql://db/app\nWORKERS=99\nSMTP_ENABLED=yes\nAPI_KEY=changeme\n' > .env
printf 'NEXT_PUBLIC_API_URL=https://api.example.com\nNEXT_PUBLIC_TOKEN=%s\n' "$tok" >> .env
printf 'LEGACY_TOKEN=old\nSTRAY=1\nexport PORT=8080\nPORT=8081\n' >> .env
printf 'API_KEY="%s"\n' "$key_value" > .env.local
printf 'DATABASE_URL=\nPORT=\nWORKERS=\nLOG_LEVEL=\nSMTP_ENABLED=\nSMTP_PASSWORD=\nAPI_KEY=\n' > .env.example
printf 'NEXT_PUBLIC_API_URL=\nNEXT_PUBLIC_TOKEN=\nUNDECLARED_IN_TEMPLATE=\n' >> .env.example

# development: the environment's files, .env.local wins over .env.
expect_rc 1 env -i PATH="$PATH" "$SG" env check --env development --rules rules.yml
contains "$OUT" "env-malformed"
contains "$OUT" "DATABASE_URL is not a valid url: scheme must be one of: postgres"
contains "$OUT" "WORKERS is not a valid int: above the maximum 16"
contains "$OUT" "SMTP_PASSWORD is required when SMTP_ENABLED=true but not set"
contains "$OUT" "LEGACY_TOKEN is deprecated: removed in v2"
contains "$OUT" "STRAY is set in .env:8"
contains "$OUT" "env-public-secret"
contains "$OUT" "NEXT_PUBLIC_TOKEN is public"
contains "$OUT" "PORT is assigned again at .env:10 (first at .env:9)"
# Layered files override without being duplicates.
lacks "$OUT" "API_KEY is assigned again"
contains "$OUT" "UNDECLARED_IN_TEMPLATE is in .env.example"
# Deprecated variables need not be in the template.
lacks "$OUT" "LEGACY_TOKEN is declared"
# .env.local's API_KEY replaced the placeholder.
lacks "$OUT" "env-placeholder"
# Never a value, in any format.
lacks "$OUT" "$tok"
lacks "$OUT" "$key_value"
lacks "$OUT" "mysql://"

# The process environment wins over dotenv files (CI secrets).
expect_rc 1 env -i PATH="$PATH" API_KEY=changeme "$SG" env check --env development --dotenv .env.local
contains "$OUT" "API_KEY holds a placeholder value (set in (environment))"

# Empty counts as missing (CI turns unset secrets into empty strings).
expect_rc 1 env -i PATH="$PATH" API_KEY= NEXT_PUBLIC_API_URL=https://x.example "$SG" env check --env ci --no-unknown
contains "$OUT" "API_KEY is required in ci but empty in (environment)"
contains "$OUT" "DATABASE_URL is required in ci but not set"

# A clean production environment passes (template drift aside, fixed here).
printf 'DATABASE_URL=\nPORT=\nWORKERS=\nLOG_LEVEL=\nSMTP_ENABLED=\nSMTP_PASSWORD=\nAPI_KEY=\n' > .env.example
printf 'NEXT_PUBLIC_API_URL=\nNEXT_PUBLIC_TOKEN=\n' >> .env.example
expect_rc 0 env -i PATH="$PATH" DATABASE_URL=postgres://db:5432/app API_KEY="$key_value" \
	NEXT_PUBLIC_API_URL=https://api.example.com "$SG" env check --env production
[ -z "$OUT" ] || contains "$OUT" "no findings"

# Formats: json, jsonl, sarif, junit, github all carry the findings.
for fmt in json jsonl sarif junit github; do
	expect_rc 1 env -i PATH="$PATH" "$SG" env check --env production --format "$fmt"
	contains "$OUT" "env-missing"
	lacks "$OUT" "$key_value"
done
expect_rc 1 env -i PATH="$PATH" "$SG" env check --env production --format json
contains "$OUT" '"version":1'
contains "$OUT" '"message":"API_KEY is required in production but not set"'

# --fail-on lets low-severity findings pass.
expect_rc 0 env -i PATH="$PATH" DATABASE_URL=postgres://db/app API_KEY="$key_value" \
	NEXT_PUBLIC_API_URL=https://api.example.com STRAY=1 "$SG" env check --env production --fail-on medium

# Errors: exit 2, one line naming file and line.
expect_rc 2 "$SG" env check --env staging
contains "$ERR" "unknown environment 'staging'"
expect_rc 2 "$SG" env check
contains "$ERR" "needs --env NAME"
printf 'GOOD=1\nBROKEN="never closed\n' > bad.env
expect_rc 2 "$SG" env check --env development --dotenv bad.env
contains "$ERR" "secretgate: dotenv: bad.env:2: unterminated \"-quoted value"
expect_rc 2 "$SG" env check --env development --dotenv missing.env
contains "$ERR" "missing.env"
printf 'vars:\n  A: {}\n  A: {}\n' > dup.yml
expect_rc 2 "$SG" env check --env x --manifest dup.yml
contains "$ERR" "dup.yml:3: duplicate key 'A'"
mkdir empty && cd empty || exit 1
expect_rc 2 "$SG" env check --env production
contains "$ERR" ".secretgate/env.yml not found"
finish
