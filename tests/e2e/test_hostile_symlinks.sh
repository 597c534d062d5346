#!/bin/sh
# Symbolic-link loops, links to parents, dangling links and links to
# devices: the walk never follows links, so it ends and reads nothing odd.
# A loop named on the command line is an error with a clear message.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"
mkdir -p "$T/d/sub"
printf 'x = %s\n' "$(hostile_token link)" >"$T/d/sub/real.txt"
ln -s . "$T/d/self-dir"
ln -s .. "$T/d/sub/parent"
ln -s "$T/d" "$T/d/sub/abs-root"
ln -s loop-b "$T/d/loop-a"
ln -s loop-a "$T/d/loop-b"
ln -s self "$T/d/self"
ln -s /nonexistent/nowhere "$T/d/dangling"
ln -s /dev/zero "$T/d/zero"
ln -s sub/real.txt "$T/d/link-to-file"
run_limited 30 "$SG" scan $SCAN --format jsonl "$T/d"
[ "$RC" -eq 1 ] || fail "exit $RC, wanted 1 ($ERR)"
n=$(printf '%s\n' "$OUT" | grep -c '"rule":"hostile-token"')
[ "$n" -eq 1 ] || fail "$n findings, wanted 1 (links followed?): $OUT"
run_limited 10 "$SG" scan $SCAN "$T/d/loop-a"
[ "$RC" -eq 2 ] || fail "loop on the command line: exit $RC, wanted 2"
contains "$ERR" "secretgate: "
contains "$ERR" "loop-a"
finish
