#!/bin/sh
# Context-aware detection end to end: credential stores are read by format
# (weak credentials too), configuration passwords are findings even when weak,
# generic findings in tests and docs warn without blocking, real code is not a
# credential, findings say their context and whether they block, `context:`
# overrides a path, `explain` says why, and a committed keystore blocks.
. "$(dirname "$0")/lib.sh"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME="Ada Tester" GIT_AUTHOR_EMAIL=ada@example.com
export GIT_COMMITTER_NAME="Ada Tester" GIT_COMMITTER_EMAIL=ada@example.com
P=$T/proj
mkdir -p "$P" && cd "$P" || exit 2
# weak, word-like passwords, assembled at run time
pw1=$(printf 'hun%s%s' ter 22)
pw2=$(printf 'adm%s%s' in 123)

# a credential store: every credential, however weak, high confidence, blocking
printf 'machine ftp.acme.io login bob password %s\n' "$pw1" >.netrc
expect_rc 1 "$SG" scan --no-config --format jsonl .netrc
contains "$OUT" '"rule":"netrc-password"'
contains "$OUT" '"confidence":"high"'
contains "$OUT" '"context":"credential-store"'
contains "$OUT" '"blocking":true'
contains "$OUT" '"weak":true'
lacks "$OUT" "$pw1"

# a Laravel .env: the weak DB_PASSWORD is reported and said to be weak
printf 'APP_NAME=Shop\nDB_PASSWORD=%s\nMAIL_PASSWORD=null\nDB_PASSWORD2=${DB_PASS}\n' "$pw2" >.env
expect_rc 1 "$SG" scan --no-config --format jsonl .env
contains "$OUT" '"line":2'
lacks "$OUT" '"line":3'
lacks "$OUT" '"line":4'
contains "$OUT" 'weak password'

# configuration: "password": "..." is a finding even when weak
mkdir -p config
printf '{\n  "db": { "user": "app", "password": "%s" }\n}\n' "$pw1" >config/app.json
expect_rc 1 "$SG" scan --no-config --format jsonl config/app.json
contains "$OUT" '"rule":"config-password"'
contains "$OUT" '"context":"config"'
# a template is an example: no finding blocks
printf 'DB_PASSWORD=%s\n' "$pw2" >.env.example
expect_rc 0 "$SG" scan --no-config .env.example

# source code: member access, calls and doc comments are not credentials
mkdir -p src lib
printf '  const char *passwd = ssl_config->primary.key_passwd;\n' >lib/tls.c
printf 'const p = { "nextPageToken": "my_nextPageToken" };\n/**\n * password: "Xk29fjQ0zpLmW8vQ"\n */\n' >src/api.js
expect_rc 0 "$SG" scan --no-config lib src
# the same doc-comment value outside a comment, in code, blocks
printf 'const password = "Xk29fjQ0zpLmW8vQ";\n' >src/login.js
expect_rc 1 "$SG" scan --no-config --format sarif src/login.js
contains "$OUT" '"level":"error"'
contains "$OUT" '"context":"source"'

# tests and docs: a generic finding is a low-confidence warning, shown, counted
mkdir -p tests
cp src/login.js tests/login.js
expect_rc 0 "$SG" scan --no-config tests/login.js
contains "$OUT" 'warning: generic-password'
contains "$ERR" '1 low-confidence'
expect_rc 0 "$SG" scan --no-config --format json tests/login.js
contains "$OUT" '"blocking":false'
contains "$OUT" '"context":"test"'
expect_rc 0 "$SG" scan --no-config --format sarif tests/login.js
contains "$OUT" '"level":"warning"'
# --fail-on-confidence low makes warnings block; so does the config
expect_rc 1 "$SG" scan --no-config --fail-on-confidence low tests/login.js
printf 'fail_on_confidence: low\n' >policy.yml
expect_rc 1 "$SG" scan --config policy.yml tests/login.js
# a provider-format token keeps its confidence in tests
printf 'AKIA%s\n' "QYLPMN5HHHFPZAM2" | sed 's/^/aws_access_key_id = /' >tests/aws.ini
expect_rc 1 "$SG" scan --no-config tests/aws.ini

# context: overrides, first match wins
printf 'context:\n  "tests/**": source\n' >policy.yml
expect_rc 1 "$SG" scan --config policy.yml --format jsonl tests/login.js
contains "$OUT" '"context":"source"'
printf 'context:\n  "tests/**": sauce\n' >policy.yml
expect_rc 2 "$SG" scan --config policy.yml tests/login.js
contains "$ERR" 'context'

# explain: every candidate, its context, and the check that decided
expect_rc 0 "$SG" explain --no-config src/api.js
contains "$OUT" 'context source, language javascript'
contains "$OUT" 'derived from the name'
contains "$OUT" 'documentation comment'
lacks "$OUT" 'Xk29fjQ0zpLmW8vQ'
expect_rc 0 "$SG" explain --no-config .env:3
contains "$OUT" 'rejected placeholder'
expect_rc 1 "$SG" explain --no-config .netrc:1
contains "$OUT" 'REPORTED'
contains "$OUT" 'credential store'
expect_rc 0 "$SG" scan --explain --no-config src/api.js:1
contains "$OUT" 'derived from the name'
lacks "$OUT" 'documentation comment'

# the storage emulator's published account key is silent; a key of the same
# shape that is not the published one is reported
emu=$(printf '%s%s' 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsu' 'Fq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==')
printf 'conn = "DefaultEndpointsProtocol=https;AccountName=devstoreaccount1;AccountKey=%s;EndpointSuffix=core.windows.net"\n' "$emu" >src/emulator.cfg
expect_rc 0 "$SG" explain --no-config src/emulator.cfg
contains "$OUT" 'published on purpose'
printf 'conn = "DefaultEndpointsProtocol=https;AccountName=devstoreaccount1;AccountKey=%s;EndpointSuffix=core.windows.net"\n' "$(printf '%s' "$emu" | tr 'A-Za-z' 'N-ZA-Mn-za-m')" >src/other.cfg
expect_rc 1 "$SG" scan --no-config src/other.cfg
contains "$OUT" 'azure-storage-account-key'

# a committed keystore is itself a finding and blocks the commit
git init -q -b main "$T/repo"
cd "$T/repo" || exit 2
git config commit.gpgsign false
printf '\060\202\012\074\002\001\003\060\000\000keystore-body-%s' "$(date +%N)" >release.p12
git add release.p12
expect_rc 1 "$SG" git --staged
contains "$OUT" 'credential-store-file'
finish
