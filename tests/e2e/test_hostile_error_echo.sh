#!/bin/sh
# No error message or notice echoes file content: every parser's error path
# (dotenv in env check / env lint / redact, the manifest, the config, the
# baseline, the ignore file, rule files) is fed a line holding a secret, and
# stderr and stdout must hold none of it (not even its random part).
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
git init -q -b main .
body=$(printf 'echo' | sha256sum | tr -d -c 'a-f0-9' | tr 'a-f' 'QWERTY' | cut -c1-36)
GH="$(gh_prefix p)$body"
SK="sk_$(printf live)_$(printf '%s' "$body" | cut -c1-28)"
RAND=$(printf '%s' "$body" | cut -c5-20)
# clean OUT/ERR of any part of the secrets
clean() {
	lacks "$OUT$ERR" "$GH" && lacks "$OUT$ERR" "$SK" && lacks "$OUT$ERR" "$RAND" || echo "  ($1)"
}
mkdir -p .secretgate
printf 'environments:\n  production: { files: [.env] }\nvars:\n  A: {}\n' >.secretgate/env.yml

# dotenv: a line holding only a token
printf 'A=1\n%s\n' "$GH" >.env
expect_rc 2 "$SG" env check --env production; clean "env check"
contains "$ERR" ".env:2:"
expect_rc 2 "$SG" env lint; clean "env lint"
expect_rc 2 sh -c "echo hello | '$SG' redact --env production"; clean redact
# dotenv: a token where a name belongs, and a broken quoted token
printf 'A=1\n%s x=1\n' "$SK" >.env
expect_rc 2 "$SG" env check --env production; clean "dotenv name"
printf "A='%s\n" "$SK" >.env
expect_rc 2 "$SG" env check --env production; clean "dotenv quote"
printf 'A=1\n' >.env

# manifest: a token as an unknown key, a duplicate key, an environment name, a version
printf 'vars:\n  A: { %s: 1 }\n' "$GH" >.secretgate/env.yml
expect_rc 2 "$SG" env lint; clean "manifest unknown key"
contains "$ERR" "env.yml:2:"
printf 'vars:\n  %s: {}\n  %s: {}\n' "$SK" "$SK" >.secretgate/env.yml
expect_rc 2 "$SG" env lint; clean "manifest duplicate"
printf 'vars:\n  %s: { required_in: [%s] }\n' A "$SK" >.secretgate/env.yml
expect_rc 2 "$SG" env lint; clean "manifest environment"
printf 'version: %s\nvars:\n  A: {}\n' "$SK" >.secretgate/env.yml
expect_rc 2 "$SG" env lint; clean "manifest version"
printf '%s: 1\nvars:\n  A: {}\n' "$GH" >.secretgate/env.yml
expect_rc 2 "$SG" env lint; clean "manifest top key"
rm -r .secretgate

# config: unknown keys, a bad regex and a disabled rule that holds a token
for cfg in "$GH: 1" "allow: { $SK: [] }" "rules: { $GH: [] }" \
	"allow: { patterns: ['($SK'] }" "rules: { disable: [$SK] }" \
	"max_file_size: $SK" \
	"$SK: 1
$SK: 2"; do
	printf '%s\n' "$cfg" >.secretgate.yml
	expect_rc 2 "$SG" scan; clean "config: $cfg"
	contains "$ERR" ".secretgate.yml:"
done
rm .secretgate.yml

# baseline and ignore file: a token where a fingerprint belongs
printf '%s\n' "$GH" >base
expect_rc 2 "$SG" scan --baseline base; clean baseline
contains "$ERR" "base:1:"
printf '%s src/a.py\n' "$GH" >.secretgateignore
expect_rc 2 "$SG" scan; clean "ignore file"
contains "$ERR" ".secretgateignore:1:"
rm .secretgateignore

# rule files: a token as a key, as an id, as a checksum name, as a top-level key
for r in "rules:
  - { id: x, pattern: 'x', keywords: [xx], $GH: 1 }" "rules:
  - { id: $SK, pattern: 'x' }" "rules:
  - { id: x, pattern: 'x', keywords: [xx], checksum: $GH }" "$SK: []
rules: []"; do
	printf '%s\n' "$r" >r.yaml
	expect_rc 2 "$SG" scan --rules r.yaml; clean "rules: $r"
	contains "$ERR" "r.yaml:"
done
finish
