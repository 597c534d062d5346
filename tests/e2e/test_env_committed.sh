#!/bin/sh
# git --staged: committing a local env file blocks, templates pass, local_only is honoured.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
git init -q . && git config user.email e2e@example.com && git config user.name e2e
printf 'A=\n' > .env.example
git add .env.example
expect_rc 0 "$SG" git --staged
printf 'A=1\n' > .env
mkdir -p api && printf 'A=2\n' > api/.env.production
git add .env api/.env.production
expect_rc 1 "$SG" git --staged
contains "$OUT" "env-committed"
contains "$OUT" "git rm --cached -- .env"
contains "$OUT" "api/.env.production is a local env file"
lacks "$OUT" ".env.example is"
git rm -q --cached .env api/.env.production
# The manifest's local_only files block too; its templates replace the defaults.
mkdir -p .secretgate config
printf 'templates: [.env.defaults]\nlocal_only: [config/credentials.json]\n' > .secretgate/env.yml
printf '{}\n' > config/credentials.json
printf 'A=\n' > .env.defaults
git add .secretgate/env.yml config/credentials.json .env.defaults
expect_rc 1 "$SG" git --staged
contains "$OUT" "config/credentials.json is marked local_only in the manifest"
lacks "$OUT" ".env.defaults is"
finish
