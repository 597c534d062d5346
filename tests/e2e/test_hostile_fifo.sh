#!/bin/sh
# FIFOs, sockets and device files: skipped, never opened for reading (a
# FIFO with no writer would block forever), whether found in a directory or
# named on the command line.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"
mkdir "$T/d"
mkfifo "$T/d/pipe" || { fail "mkfifo failed"; finish; }
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$T/d/sock" 2>/dev/null
printf 'x = %s\n' "$(hostile_token fifo)" >"$T/d/real.txt"
run_limited 20 "$SG" scan $SCAN --format jsonl "$T/d"
[ "$RC" -eq 1 ] || fail "directory with a FIFO: exit $RC, wanted 1 ($ERR)"
contains "$OUT" "real.txt"
contains "$ERR" "other"
run_limited 20 "$SG" scan $SCAN "$T/d/pipe"
[ "$RC" -eq 0 ] || fail "FIFO on the command line: exit $RC, wanted 0 ($ERR)"
contains "$ERR" "not a regular file, skipped"
for dev in /dev/zero /dev/urandom /dev/null /dev/tty; do
	[ -e "$dev" ] || continue
	run_limited 20 "$SG" scan $SCAN "$dev"
	[ "$RC" -eq 0 ] || fail "$dev: exit $RC, wanted 0 ($ERR)"
done
# a device node inside a scanned directory (made only where mknod is allowed)
if mknod "$T/d/zero" c 1 5 2>/dev/null; then
	run_limited 20 "$SG" scan $SCAN "$T/d"
	[ "$RC" -eq 1 ] || fail "directory with a device: exit $RC"
else
	echo "note: mknod not permitted here; devices checked by name only"
fi
finish
