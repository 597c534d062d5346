#!/bin/sh
# Directory nesting 1,000 deep: walked without recursion (no stack or file
# descriptor per level), the secret at the bottom found.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"
deep=$(awk 'BEGIN { for (i = 0; i < 1000; i++) printf "d/"; }')
mkdir -p "$T/tree/$deep" || { fail "cannot make the tree"; finish; }
printf 'x = %s\n' "$(hostile_token deep)" >"$T/tree/${deep}leaf.txt"
# shellcheck disable=SC3045 # dash and bash both have ulimit -n and -s
(ulimit -n 64 2>/dev/null; ulimit -s 1024 2>/dev/null
 run_limited 60 "$SG" scan $SCAN --format jsonl "$T/tree"
 [ "$RC" -eq 1 ] || fail "exit $RC, wanted 1 ($ERR)"
 contains "$OUT" "${deep}leaf.txt"
 exit "$FAILED") || FAILED=1
finish
