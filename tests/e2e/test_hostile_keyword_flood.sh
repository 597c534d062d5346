#!/bin/sh
# A flood of keyword occurrences (more than the per-file hit buffer holds)
# in front of a real secret must not hide it: the secret is still found at
# the right line, in bounded time and memory.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"
tok=$(hostile_token flood)
awk 'BEGIN { for (i = 0; i < 1200; i++) { s = ""; for (k = 0; k < 1000; k++) s = s "hostile_x "; print s } }' >"$T/flood.txt"
printf 'real %s end\n' "$tok" >>"$T/flood.txt"
/usr/bin/time -f '%M' -o "$T/rss" timeout -k 5 120 \
	"$SG" scan $SCAN --format jsonl "$T/flood.txt" >"$T/out" 2>"$T/err"
rc=$?
OUT=$(cat "$T/out")
[ "$rc" -eq 1 ] || fail "exit $rc, wanted 1: the secret after the flood was missed ($(cat "$T/err"))"
contains "$OUT" '"line":1201,'
rss=$(tail -1 "$T/rss")
limit=300
if sanitized; then limit=1500; fi
[ "$rss" -le $((limit * 1024)) ] || fail "max RSS ${rss} kB over ${limit} MB"
finish
