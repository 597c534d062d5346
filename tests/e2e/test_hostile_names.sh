#!/bin/sh
# Paths with newlines, spaces, tabs and terminal escape sequences: every
# output (report and stderr notices) escapes them, JSON stays valid, and
# nothing written to a terminal can move the cursor or retitle the window.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"
esc=$(printf '\033')
mkdir "$T/d"
# create the files (names with a newline cannot go through read)
printf 'x = %s\n' "$(hostile_token n1)" >"$T/d/$(printf 'new\nline.txt')"
printf 'x = %s\n' "$(hostile_token n2)" >"$T/d/with space.txt"
printf 'x = %s\n' "$(hostile_token n3)" >"$T/d/$(printf 'tab\there.txt')"
printf 'x = %s\n' "$(hostile_token n4)" >"$T/d/$(printf '\033]0;pwned\007title.txt')"
printf 'x = %s\n' "$(hostile_token n5)" >"$T/d/$(printf '\033[2J\033[31mred.txt')"

expect_rc 1 "$SG" scan $SCAN --color never "$T/d"
all="$OUT$ERR"
lacks "$all" "$esc"
lacks "$all" "$(printf '\007')"
[ "$(printf '%s\n' "$OUT" | grep -c 'hostile-token')" -eq 5 ] ||
	fail "every finding on one line each: $OUT"
contains "$OUT" "with space.txt"

expect_rc 1 "$SG" scan $SCAN --format json "$T/d"
printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
paths = sorted(f["path"].rsplit("/", 1)[1] for f in d["findings"])
want = sorted(["new\nline.txt", "with space.txt", "tab\there.txt",
               "\033]0;pwned\007title.txt", "\033[2J\033[31mred.txt"])
assert paths == want, paths' || fail "json paths do not round-trip: $OUT"
lacks "$OUT" "$esc"

# notices and errors on stderr name the path escaped too
chmod 000 "$T/d/$(printf '\033[2J\033[31mred.txt')"
ln -s /nonexistent "$T/$(printf 'bad\033[31mlink')"
expect_rc 2 "$SG" scan $SCAN "$T/$(printf 'bad\033[31mlink')"
lacks "$ERR" "$esc"
contains "$ERR" "bad"
for fmt in jsonl sarif junit github html gitlab; do
	OUT=$("$SG" scan $SCAN --format $fmt "$T/d" 2>"$T/.stderr"); rc=$?
	if [ "$rc" -eq 2 ] && grep -q "unknown format" "$T/.stderr"; then
		echo "note: format $fmt not in this build, not checked"; continue
	fi
	lacks "$OUT" "$esc"
	lacks "$(cat "$T/.stderr")" "$esc"
done
finish
