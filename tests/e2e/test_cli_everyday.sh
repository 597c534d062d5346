#!/bin/sh
# Everyday CLI: "did you mean" for a mistyped command, option or hook action;
# joined short options (-j1, -fjson, -oFILE); no summary line after an error
# that stopped the run before it scanned anything; a progress line for range
# and --all-refs scans (--progress, or a terminal after a second).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/git_lib.sh"
expect_rc 2 "$SG" scna
contains "$ERR" "did you mean 'scan'?"
expect_rc 2 "$SG" qwertyuiop
lacks "$ERR" "did you mean"
expect_rc 2 "$SG" scan --formt json .
contains "$ERR" "unknown option '--formt' for scan (did you mean '--format'?)"
expect_rc 2 "$SG" git --stagd
contains "$ERR" "did you mean '--staged'?"
expect_rc 2 "$SG" git --histroy
contains "$ERR" "did you mean '--history'?"
expect_rc 2 "$SG" scan --jbos=2 .
contains "$ERR" "did you mean '--jobs'?"
expect_rc 2 "$SG" hook instal
contains "$ERR" "did you mean 'install'?"
# usage errors print no summary line
lacks "$ERR" "blocking"

# joined short options
printf 'k = "%s"\n' "$(aws 1)" >"$T/k.py"
expect_rc 1 "$SG" scan -j1 -fjson --rules "$RULES" --no-config "$T/k.py"
contains "$OUT" '"findings":['
expect_rc 1 "$SG" scan -fjsonl -o"$T/out.jsonl" --rules "$RULES" --no-config "$T/k.py"
contains "$(cat "$T/out.jsonl")" '"secret":"AKIA*****"'
expect_rc 2 "$SG" scan -fpdf "$T/k.py"
contains "$ERR" "unknown format 'pdf'"

R=$T/repo
newrepo "$R" && cd "$R" || exit 2
commit_file "$R" a.txt "one"
commit_file "$R" b.txt "two"
# a revision that does not resolve: the error, and no summary of a scan that never ran
expect_rc 2 sgit HEAD~9..HEAD
contains "$ERR" "HEAD~9..HEAD"
lacks "$ERR" "0 files"
# progress for ranges and --all-refs
expect_rc 0 sgit --all-refs --progress
contains "$ERR" "2/2 commits"
expect_rc 0 sgit HEAD~1..HEAD --progress
contains "$ERR" "1/1 commits"
expect_rc 0 sgit HEAD~1..HEAD
lacks "$ERR" "commits,"
finish
