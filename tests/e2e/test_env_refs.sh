#!/bin/sh
# env refs: variables the code reads against the manifest, both ways.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
mkdir -p .secretgate src .github/workflows
cat > .secretgate/env.yml <<'YAML'
environments: { production: {} }
ignore_refs: ['INTERNAL_*']
vars:
  API_KEY: {}
  DATABASE_URL: {}
  DEPLOY_TOKEN: {}
  NEVER_READ: {}
YAML
printf 'const k = process.env.API_KEY;\nconst u = import.meta.env.VITE_URL;\n' > src/app.js
printf 'import os\nos.environ["DATABASE_URL"]\nos.getenv("PY_ONLY")\nos.getenv("INTERNAL_X")\n' > src/app.py
printf 'fn main() { std::env::var("RUST_ONLY"); }\n' > src/main.rs
printf 'jobs:\n  d:\n    env:\n      T: ${{ secrets.DEPLOY_TOKEN }}\n' > .github/workflows/deploy.yml
printf 'services:\n  app:\n    environment:\n      - DB=${COMPOSE_ONLY:-x}\n' > docker-compose.yml
expect_rc 1 "$SG" env refs .
contains "$OUT" "VITE_URL is read here (import.meta.env)"
contains "$OUT" "src/app.js:2:"
contains "$OUT" "PY_ONLY is read here (getenv)"
contains "$OUT" "RUST_ONLY is read here (env::var)"
contains "$OUT" "COMPOSE_ONLY is read here"
contains "$OUT" "NEVER_READ is declared but nothing in the scanned code reads it"
lacks "$OUT" "API_KEY is"
lacks "$OUT" "DEPLOY_TOKEN is"
lacks "$OUT" "INTERNAL_X"
# --list prints every reference.
expect_rc 0 "$SG" env refs --list src
contains "$OUT" "src/app.py:2:1: DATABASE_URL (os.environ)"
# env check --refs includes the same findings.
expect_rc 1 env -i PATH="$PATH" "$SG" env check --env production --refs --format jsonl
contains "$OUT" '"rule":"env-undeclared"'
contains "$OUT" '"rule":"env-unused"'
finish
