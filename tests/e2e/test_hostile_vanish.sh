#!/bin/sh
# Files that vanish or grow while a scan runs. A vanished file is a notice,
# not an error; a growing file is read up to the size it had when opened,
# so the scan ends. The race is set up with a large first file (read on one
# worker) while a helper removes the second file or appends to the third.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"
mb=150
if sanitized; then mb=100; fi
mkdir "$T/d"
head -c $((mb * 1000 * 1000)) /dev/zero | tr '\0' 'y' >"$T/a-big.txt"
printf 'x = %s\n' "$(hostile_token gone)" >"$T/d/gone.txt"
printf 'x = %s\n' "$(hostile_token grow)" >"$T/grow.txt"

# vanish: the directory is listed first, the file removed during the big read
( sleep 0.5; rm -f "$T/d/gone.txt" ) &
run_limited 120 "$SG" scan $SCAN --max-file-size 1GB -j 1 --format jsonl "$T/a-big.txt" "$T/d"
wait
case "$ERR" in
*"vanished before it was read"*)
	[ "$RC" -eq 0 ] || fail "vanished file: exit $RC, wanted 0 ($ERR)"
	lacks "$OUT" "gone.txt" ;;
*)
	echo "note: the scan was too fast for the race (exit $RC); the file was read before removal"
	[ "$RC" -eq 1 ] || fail "exit $RC" ;;
esac

# grow: a writer appends without pause while the file is scanned
( while :; do printf 'more data more data more data\n'; done >>"$T/grow.txt" ) 2>/dev/null &
writer=$!
sleep 0.2
run_limited 120 "$SG" scan $SCAN --max-file-size 1GB -j 1 --format jsonl "$T/a-big.txt" "$T/grow.txt"
kill "$writer" 2>/dev/null
wait "$writer" 2>/dev/null
[ "$RC" -eq 1 ] || fail "growing file: exit $RC, wanted 1 ($ERR)"
contains "$OUT" "grow.txt"
finish
