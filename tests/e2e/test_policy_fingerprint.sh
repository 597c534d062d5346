#!/bin/sh
# Fingerprints of weak secrets are not one cheap hash of rule and secret (a
# reader of a baseline or CI log cannot confirm a guess with sha256sum);
# baselines written before keep working, with a notice to rewrite them; a
# strong token keeps the fingerprint it always had.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/policy_lib.sh"
# legacy RULE SECRET: the one-hash fingerprint older versions wrote
legacy() { printf '%s:%s' "$1" "$(printf 'secretgate\n%s\n%s' "$1" "$2" | sha256sum | cut -c1-20)"; }
W=$(weak 7)
printf 'w = "%s"\n' "$W" >app.py
expect_rc 1 sg --format jsonl
fp=$(printf '%s\n' "$OUT" | sed -n 's/.*"fingerprint":"\([^"]*\)".*/\1/p')
case "$fp" in pol-weak:????????????????????) ;; *) fail "fingerprint shape: $fp" ;; esac
[ "$fp" != "$(legacy pol-weak "$W")" ] || fail "weak fingerprint is one sha256 of rule and secret"
lacks "$OUT" "$W"

# the same secret on another line of another file: the same fingerprint
mkdir -p lib && printf '\n\n# moved\nW = "%s"\n' "$W" >lib/other.py && rm app.py
expect_rc 1 sg --format jsonl
contains "$OUT" "\"fingerprint\":\"$fp\""

# a baseline from before: still accepted, and a notice says to rewrite it
printf '# old\n%s\n' "$(legacy pol-weak "$W")" >"$T/old-base"
expect_rc 0 sg --baseline "$T/old-base"
contains "$ERR" "1 baseline"
contains "$ERR" "old fingerprint of a weak secret"
contains "$ERR" "--write-baseline"
lacks "$ERR" "$W"
expect_rc 0 sg --baseline "$T/old-base" --write-baseline "$T/new-base"
grep -q "^$fp\$" "$T/new-base" || fail "rewritten baseline lacks $fp: $(cat "$T/new-base")"
expect_rc 0 sg --baseline "$T/new-base"
lacks "$ERR" "old fingerprint"
# an old ignore file entry too
legacy pol-weak "$W" >.secretgateignore
expect_rc 0 sg
contains "$ERR" "1 ignore-file"
contains "$ERR" "old fingerprint of a weak secret"
rm .secretgateignore

# a strong secret keeps its one-hash fingerprint: old baselines match silently
S=$(printf 'sk_%s_%s' live "$(head -c 2000 /dev/urandom | tr -d -c 'A-Za-z0-9' | cut -c1-32)")
printf 's = "%s"\n' "$S" >lib/other.py
expect_rc 1 sg --format jsonl
legacy stripe-secret-key "$S" >"$T/strong-base"
expect_rc 0 sg --baseline "$T/strong-base"
lacks "$ERR" "old fingerprint"

# range mode, policy read from the base revision: an old baseline there
# still accepts the weak secret, with the notice
rm -rf lib app.py
git add -A >/dev/null 2>&1
printf 'baseline: .secretgate-baseline\n' >.secretgate.yml
legacy pol-weak "$W" >.secretgate-baseline
git add -A && git commit -q --no-verify -m policy
BASE=$(git rev-parse HEAD)
printf 'w = "%s"\n' "$W" >app.py
git add app.py && git commit -q --no-verify -m weak
expect_rc 0 "$SG" git --rules "$RULES" "$BASE..HEAD"
contains "$ERR" "1 baseline"
contains "$ERR" "old fingerprint of a weak secret"
lacks "$ERR" "$W"
finish
