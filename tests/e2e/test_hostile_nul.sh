#!/bin/sh
# Files of NUL bytes: skipped as binary by default, scanned with --binary,
# and a secret after the NULs is still found at the right line.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"
head -c 10000000 /dev/zero >"$T/zeros.bin"
: >"$T/empty"
expect_rc 0 "$SG" scan $SCAN "$T/zeros.bin" "$T/empty"
contains "$ERR" "1 binary"
run_limited 60 "$SG" scan $SCAN --binary "$T/zeros.bin"
[ "$RC" -eq 0 ] || fail "--binary on NULs: exit $RC ($ERR)"
tok=$(hostile_token nul)
{ head -c 100000 /dev/zero; printf '\n\0\0%s\0\n' "$tok"; } >"$T/mixed.bin"
expect_rc 0 "$SG" scan $SCAN "$T/mixed.bin"
expect_rc 1 "$SG" scan $SCAN --binary --format jsonl "$T/mixed.bin"
contains "$OUT" '"line":2,'
contains "$OUT" '"column":3,'
finish
