#!/bin/sh
# .secretgateignore: fingerprints, optionally scoped to a path, comments;
# a bad line is an error naming file and line; ignore_file in the config.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/policy_lib.sh"

mkdir -p src docs
printf 'k = "%s"\n' "$(tok 1)" >src/a.py
printf 'k = "%s"\n' "$(tok 1)" >docs/b.md
printf 'k = "%s"\n' "$(tok 2)" >src/c.py
expect_rc 1 sg --format jsonl
fp1=$(printf '%s\n' "$OUT" | grep src/a.py | sed 's/.*"fingerprint":"\([^"]*\)".*/\1/')
fp2=$(printf '%s\n' "$OUT" | grep src/c.py | sed 's/.*"fingerprint":"\([^"]*\)".*/\1/')
[ -n "$fp1" ] && [ -n "$fp2" ] || fail "fingerprints not found: $OUT"
[ "$(nlines "$OUT" "$fp1")" -eq 2 ] || fail "same secret, same fingerprint in two files: $OUT"

# scoped to one path: only that occurrence is suppressed
printf '# accepted: fixture\n%s src/a.py   # test data\n' "$fp1" >.secretgateignore
expect_rc 1 sg --format jsonl
[ "$(nlines "$OUT" '"suppressed":"ignore-file"')" -eq 1 ] || fail "one scoped suppression: $OUT"
contains "$(printf '%s\n' "$OUT" | grep '"ignore-file"')" '"path":"src/a.py"'

# unscoped: everywhere; with both listed nothing blocks
printf '%s\n%s\n' "$fp1" "$fp2" >.secretgateignore
expect_rc 0 sg
contains "$ERR" "3 suppressed (3 ignore-file)"

# a malformed line: the error names file and line, and the whole list is
# ignored, so everything blocks (with findings present, exit 1 wins)
printf '%s\nnot-a-fingerprint\n' "$fp1" >.secretgateignore
expect_rc 1 sg
contains "$ERR" ".secretgateignore:2:"
contains "$ERR" "3 blocking"
# on a clean tree the same error is exit 2
mkdir -p "$T/clean" && git init -q "$T/clean" && cp .secretgateignore "$T/clean/"
(cd "$T/clean" && "$SG" scan --rules "$RULES" >/dev/null 2>&1)
[ $? -eq 2 ] || fail "a bad ignore file on a clean tree should exit 2"
rm .secretgateignore

# the config can name another ignore file
printf '%s\n%s\n' "$fp1" "$fp2" >.accepted-secrets
printf 'ignore_file: .accepted-secrets\n' >.secretgate.yml
expect_rc 0 sg
contains "$ERR" "3 ignore-file"
finish
