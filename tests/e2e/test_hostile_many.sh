#!/bin/sh
# A million matches in one file: the report is capped (and says so), memory
# stays bounded, and the run ends in reasonable time.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"
n=1000000 limit=60 rss_mb=400
if sanitized; then n=200000 limit=120 rss_mb=2000; fi
# distinct high-entropy tokens, one per line, generated without a loop in sh
awk -v n="$n" 'BEGIN { a = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"; srand(7);
	for (i = 0; i < n; i++) { s = ""; for (k = 0; k < 24; k++) s = s substr(a, int(rand() * 55) + 1, 1);
		print "hostile_" s } }' >"$T/many.txt"
start=$(date +%s)
/usr/bin/time -f '%M' -o "$T/rss" timeout -k 5 $((limit + 30)) \
	"$SG" scan $SCAN --format jsonl "$T/many.txt" >"$T/out" 2>"$T/err"
rc=$?
took=$(($(date +%s) - start))
ERR=$(cat "$T/err")
[ "$rc" -eq 1 ] || fail "exit $rc, wanted 1 ($ERR)"
[ "$took" -le "$limit" ] || fail "$n matches took ${took}s (limit ${limit}s)"
kept=$(wc -l <"$T/out")
[ "$kept" -eq 1000 ] || fail "$kept findings kept, wanted the cap of 1000"
contains "$ERR" "not kept (cap reached)"
rss=$(tail -1 "$T/rss")
echo "$n matches: ${took}s, max RSS ${rss} kB"
[ "$rss" -le $((rss_mb * 1024)) ] || fail "max RSS ${rss} kB over ${rss_mb} MB"
finish
