#!/bin/sh
# secretgate scan on throw-away directories: output formats, exit codes,
# redaction, stdin, named paths vs the repository's tracked files.
. "$(dirname "$0")/lib.sh"

cat >"$T/rules.yaml" <<'YAML'
rules:
  - id: t-token
    description: test token
    severity: critical
    keywords: [sgtest_]
    pattern: '\b(?<secret>sgtest_[A-Za-z0-9]{24})\b'
    entropy: 3.0
YAML
key=$(printf 'sg%s_%s' test Zq8vR2mK9pLxW4nB7cT1yH3d)
mkdir -p "$T/proj/src" "$T/proj/dist"
printf 'a = 1\nb = "%s"\n' "$key" >"$T/proj/src/app.py"
printf 'clean\n' >"$T/proj/src/clean.py"

# text: path:line:col rule redacted, exit 1
expect_rc 1 "$SG" scan --no-config --rules "$T/rules.yaml" "$T/proj/src"
contains "$OUT" "src/app.py:2:6"
contains "$OUT" "t-token"
lacks "$OUT" "$key"
contains "$ERR" "1 blocking"

# --show-secrets is the only way to see it
expect_rc 1 "$SG" scan --no-config --rules "$T/rules.yaml" --show-secrets "$T/proj/src"
contains "$OUT" "$key"

# json document and jsonl lines
expect_rc 1 "$SG" scan --no-config --rules "$T/rules.yaml" --format json -q "$T/proj/src"
contains "$OUT" '"version":1'
contains "$OUT" '"findings":['
contains "$OUT" '"summary":{'
contains "$OUT" '"line":2'
lacks "$OUT" "$key"
[ -z "$ERR" ] || fail "quiet printed: $ERR"
expect_rc 1 "$SG" scan --no-config --rules "$T/rules.yaml" --format jsonl -q "$T/proj/src"
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 1 ] || fail "jsonl should be one line: $OUT"

# --output FILE
expect_rc 1 "$SG" scan --no-config --rules "$T/rules.yaml" --format json -o "$T/out.json" -q "$T/proj/src"
contains "$(cat "$T/out.json")" '"rule":"t-token"'

# clean input exits 0
expect_rc 0 "$SG" scan --no-config --rules "$T/rules.yaml" "$T/proj/src/clean.py"

# stdin
OUT=$(printf 'k=%s\n' "$key" | "$SG" scan --no-config --rules "$T/rules.yaml" -q - ); rc=$?
[ "$rc" -eq 1 ] || fail "stdin exit $rc"
contains "$OUT" "-:1:3"

# same output whatever -j
a=$("$SG" scan --no-config --rules "$T/rules.yaml" -q -j 1 --format jsonl "$T/proj")
b=$("$SG" scan --no-config --rules "$T/rules.yaml" -q -j 4 --format jsonl "$T/proj")
[ "$a" = "$b" ] || fail "-j changes the output"

# the default rules are embedded: an AWS key id is found with no rule files at all
aws=$(printf 'AK%s%s' IA Q3EGRTZ7MNXL5W2P)
printf 'aws_access_key_id = %s\n' "$aws" >"$T/aws.txt"
expect_rc 1 "$SG" scan --no-config -q "$T/aws.txt"
contains "$OUT" "aws"
lacks "$OUT" "$aws"
# and the rule set passes its own examples
expect_rc 0 "$SG" rules test -q

# usage and input errors: one line, exit 2
expect_rc 2 "$SG" scan --no-such-flag
contains "$ERR" "secretgate: usage: unknown option '--no-such-flag'"
[ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ] || fail "error is not one line: $ERR"
expect_rc 2 "$SG" scan --no-config --rules "$T/rules.yaml" "$T/missing"
contains "$ERR" "missing"
expect_rc 2 "$SG" scan --format nope
printf 'rules:\n  - id: x\n    keywords: [abc]\n    pattern: "(unclosed"\n' >"$T/bad.yaml"
expect_rc 2 "$SG" scan --rules "$T/bad.yaml" "$T/proj/src"
contains "$ERR" "bad.yaml:2"
expect_rc 2 "$SG" nosuchcommand

# binary files skipped unless --binary; size cap
printf 'bin\000ary %s\n' "$key" >"$T/proj/dist/blob.bin"
expect_rc 0 "$SG" scan --no-config --rules "$T/rules.yaml" "$T/proj/dist"
contains "$ERR" "1 binary"
expect_rc 1 "$SG" scan --no-config --rules "$T/rules.yaml" --binary "$T/proj/dist"
expect_rc 0 "$SG" scan --no-config --rules "$T/rules.yaml" --max-file-size 10 "$T/proj/src"
contains "$ERR" "over the 10-byte cap"

# default scan in a repository: tracked + untracked-not-ignored, paths relative to root
if command -v git >/dev/null 2>&1; then
	cd "$T/proj" && git init -q . && printf 'dist/\n' >.gitignore
	printf 'x %s\n' "$key" >"$T/proj/dist/bundle.js"
	mkdir -p sub && cd sub || exit 2
	expect_rc 1 "$SG" scan --no-config --rules "$T/rules.yaml" -q
	contains "$OUT" "src/app.py:2"
	lacks "$OUT" "dist/bundle.js"
	# named paths are scanned whole, ignored or not
	expect_rc 1 "$SG" scan --no-config --rules "$T/rules.yaml" -q ../dist
	contains "$OUT" "bundle.js"
fi
finish
