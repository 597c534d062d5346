#!/bin/sh
# A 200 MB file on one line with a secret near its end: scanned in linear
# time (well under the test's bound), with the right line and column.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"
mb=200 limit=20
if sanitized; then mb=40 limit=60; fi
pad=$((mb * 1000 * 1000))
tok=$(hostile_token big)
{ head -c "$pad" /dev/zero | tr '\0' 'x'; printf ' %s tail' "$tok"; } >"$T/big.txt"

# the default 100 MB cap skips it, and says so
if [ "$mb" -gt 100 ]; then
	expect_rc 0 "$SG" scan $SCAN "$T/big.txt"
	contains "$ERR" "over the 100000000-byte cap, skipped"
	contains "$ERR" "1 too big"
fi

start=$(date +%s)
run_limited $((limit + 10)) "$SG" scan $SCAN --max-file-size 300MB --format jsonl "$T/big.txt"
took=$(($(date +%s) - start))
[ "$RC" -eq 1 ] || fail "exit $RC, wanted 1 ($ERR)"
[ "$took" -le "$limit" ] || fail "a ${mb} MB line took ${took}s (limit ${limit}s)"
contains "$OUT" '"line":1,'
contains "$OUT" "\"column\":$((pad + 2)),"
lacks "$OUT" "$tok"
finish
