#!/bin/sh
# env lint: manifest hygiene, template drift and duplicate keys without any values.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
mkdir -p .secretgate
cat > .secretgate/env.yml <<'YAML'
environments:
  development: { files: [.env] }
templates: [.env.example]
vars:
  VITE_STRIPE_SECRET: { secret: true }
  SERVER_KEY: { secret: true }
YAML
printf 'SERVER_KEY=a\nSERVER_KEY=b\n' > .env
printf 'VITE_STRIPE_SECRET=\nSERVER_KEY=\n' > .env.example
expect_rc 1 "$SG" env lint
contains "$OUT" ".secretgate/env.yml:5:1"
contains "$OUT" "VITE_STRIPE_SECRET is marked secret but its public prefix"
contains "$OUT" "SERVER_KEY is assigned again at .env:2"
lacks "$OUT" "env-template-drift"
# Fixing both makes lint pass.
sed -i 's/VITE_STRIPE_SECRET/STRIPE_SECRET/' .secretgate/env.yml .env.example
printf 'SERVER_KEY=b\n' > .env
expect_rc 0 "$SG" env lint
# Unknown keys in the manifest are errors with file and line.
printf 'vars:\n  A: { tpye: int }\n' > .secretgate/env.yml
expect_rc 2 "$SG" env lint
contains "$ERR" ".secretgate/env.yml:2: unknown key 'tpye' in variable A"
finish
