#!/bin/sh
# --write-baseline writes a temporary file beside the target and renames it.
# A symbolic link planted at the temporary name (predictable from the pid)
# must not be followed: the file it points to stays untouched, the baseline
# is still written, and no temporary file is left behind.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"
mkdir "$T/d" "$T/out"
printf 'x = %s\n' "$(hostile_token tmp)" >"$T/d/a.txt"
printf 'precious\n' >"$T/victim"
B="$T/out/baseline"
# exec keeps the shell's pid, so the link sits at the name secretgate would pick
sh -c 'ln -s "$1" "$2.tmp$$" && shift 2 && exec "$@"' sh "$T/victim" "$B" \
	"$SG" scan $SCAN --write-baseline "$B" "$T/d" >"$T/stdout" 2>"$T/stderr"
rc=$?
[ "$rc" -le 2 ] || fail "exit $rc"
[ "$(cat "$T/victim")" = "precious" ] || fail "the planted link was followed: $(head -c 200 "$T/victim")"
if [ -f "$B" ]; then
	grep -q '^hostile-token:' "$B" || fail "baseline lacks the finding"
else
	fail "no baseline written ($(cat "$T/stderr"))"
fi
left=$(find "$T/out" -name 'baseline.tmp*' ! -type l)
[ -z "$left" ] || fail "temporary file left behind: $left"
finish
