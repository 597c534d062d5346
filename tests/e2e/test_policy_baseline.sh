#!/bin/sh
# Baselines: --write-baseline records fingerprints (sorted, no secrets, no
# line numbers), --baseline makes only new findings block; regenerating is
# byte-identical; moving a secret (a rebase) keeps it accepted; git modes too.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/policy_lib.sh"

printf 'a = "%s"\nb = "%s"\nc = "%s"\n' "$(tok 3)" "$(tok 1)" "$(tok 2)" >app.py
expect_rc 1 sg --write-baseline "$T/base"
[ -f "$T/base" ] || fail "baseline not written"
body=$(grep -v '^#' "$T/base")
[ "$(printf '%s\n' "$body" | wc -l)" -eq 3 ] || fail "three entries: $body"
[ "$body" = "$(printf '%s\n' "$body" | LC_ALL=C sort)" ] || fail "baseline not sorted: $body"
lacks "$(cat "$T/base")" "$(tok 1)"
lacks "$(cat "$T/base")" "app.py"
printf '%s\n' "$body" | grep -qv '^pol-token:[0-9a-f]*$' && fail "only fingerprints: $body"

# rescan against it: nothing new, exit 0, counted as baseline
expect_rc 0 sg --baseline "$T/base"
contains "$ERR" "0 blocking, 3 suppressed (3 baseline)"

# regenerate: no diff
expect_rc 0 sg --baseline "$T/base" --write-baseline "$T/base2"
cmp -s "$T/base" "$T/base2" || fail "regenerated baseline differs: $(diff "$T/base" "$T/base2")"

# one more secret: exactly one new finding
printf 'd = "%s"\n' "$(tok 4)" >>app.py
expect_rc 1 sg --baseline "$T/base" --format jsonl
[ "$(nlines "$OUT" '"suppressed":null')" -eq 1 ] || fail "exactly one new: $OUT"
contains "$(printf '%s\n' "$OUT" | grep '"suppressed":null')" '"line":4'

# a rebase that moves the secrets to other lines and another file
rm app.py
mkdir -p lib
printf '# upstream header\n\n\nimport os\nX = {\n  "b": "%s",\n  "a": "%s", "c": "%s"}\n' \
	"$(tok 1)" "$(tok 3)" "$(tok 2)" >lib/moved.py
expect_rc 0 sg --baseline "$T/base"
contains "$ERR" "3 baseline"

# a baseline named with --baseline must exist: an error, and nothing is
# accepted (findings present: exit 1 wins)
expect_rc 1 sg --baseline "$T/missing"
contains "$ERR" "missing"
contains "$ERR" "3 blocking"

# the config's baseline key, relative to the repository root
cp "$T/base" .secretgate-baseline
printf 'baseline: .secretgate-baseline\n' >.secretgate.yml
expect_rc 0 sg
rm .secretgate.yml .secretgate-baseline

# git modes: a history sweep written as a baseline, then only new history blocks
git add -A && git commit -q --no-verify -m "keys"
expect_rc 1 "$SG" git --history --rules "$RULES" --write-baseline "$T/hist"
expect_rc 0 "$SG" git --history --rules "$RULES" --baseline "$T/hist"
printf 'e = "%s"\n' "$(tok 5)" >new.py
git add new.py && git commit -q --no-verify -m "one more"
expect_rc 1 "$SG" git --history --rules "$RULES" --baseline "$T/hist"
contains "$ERR" "1 blocking"
finish
