#!/bin/sh
# Inline suppressions: secretgate:allow, gitleaks:allow and
# pragma: allowlist secret in any comment syntax, counted, never dropped.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/policy_lib.sh"

cat >app.py <<PY
a = "$(tok 1)"  # secretgate:allow
b = "$(tok 2)"  // gitleaks:allow
c = "$(tok 3)"  /* pragma: allowlist secret */
d = "$(tok 4)"  <!-- secretgate:allow test fixture -->
e = "$(tok 5)"
PY
expect_rc 1 sg --format jsonl
[ "$(nlines "$OUT" '"suppressed":"inline"')" -eq 4 ] || fail "four inline suppressions: $OUT"
[ "$(nlines "$OUT" '"suppressed":null')" -eq 1 ] || fail "one blocking: $OUT"
contains "$ERR" "1 blocking, 4 suppressed (4 inline)"

# the marker belongs to the line: the next line is not covered
printf 'x = 1 # secretgate:allow\ny = "%s"\n' "$(tok 6)" >app.py
expect_rc 1 sg
contains "$ERR" "1 blocking"

# all suppressed: exit 0, still reported and counted
printf 'x = "%s" # secretgate:allow\n' "$(tok 7)" >app.py
expect_rc 0 sg --format json
contains "$OUT" '"suppressed_by":{"inline":1}'
contains "$ERR" "0 blocking, 1 suppressed (1 inline)"

# --no-inline-allow turns the markers off
expect_rc 1 sg --no-inline-allow
finish
