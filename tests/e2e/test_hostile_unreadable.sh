#!/bin/sh
# Unreadable files and directories: a notice naming each, exit 2 (a runtime
# error) when nothing blocks, exit 1 when other files' findings do, and
# those findings are still reported. chmod 000 does not stop root, so as
# root the scan runs as an unprivileged user (setpriv) over a copy of the
# tree that user owns; when that is impossible the check says so.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"
mkdir -p "$T/d/closed-dir"
printf 'x = %s\n' "$(hostile_token open)" >"$T/d/open.txt"
printf 'x = %s\n' "$(hostile_token closed)" >"$T/d/closed.txt"
printf 'x = %s\n' "$(hostile_token inner)" >"$T/d/closed-dir/inner.txt"
printf 'nothing here\n' >"$T/d/plain.txt"
chmod 000 "$T/d/closed.txt" "$T/d/closed-dir"

run=""
if [ "$(id -u)" -eq 0 ]; then
	if command -v setpriv >/dev/null 2>&1 &&
	   setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
		# the unprivileged user must reach the binary, the rules and the tree
		chown -R 65534:65534 "$T/d" && chmod 755 "$T" && chmod 644 "$RULES"
		run="setpriv --reuid=65534 --regid=65534 --clear-groups --"
		if ! $run test -x "$SG"; then
			cp "$SG" "$T/sg" && chmod 755 "$T/sg" && SG="$T/sg"
		fi
	else
		skip "running as root without setpriv: unreadable-file check not possible here"
		chmod 755 "$T/d/closed-dir"; chmod 644 "$T/d/closed.txt"
		finish
	fi
fi
run_limited 30 $run "$SG" scan $SCAN --format jsonl "$T/d"
[ "$RC" -eq 1 ] || fail "exit $RC, wanted 1: findings win over errors ($ERR)"
contains "$OUT" "open.txt"
lacks "$OUT" "closed.txt"
contains "$ERR" "closed.txt: cannot open: Permission denied"
contains "$ERR" "closed-dir: cannot read directory: Permission denied"
run_limited 30 $run "$SG" scan $SCAN "$T/d/closed.txt" "$T/d/plain.txt"
[ "$RC" -eq 2 ] || fail "only an unreadable file: exit $RC, wanted 2 ($ERR)"
contains "$ERR" "closed.txt"
chmod 755 "$T/d/closed-dir"
finish
