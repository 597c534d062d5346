#!/bin/sh
# Output edge cases: a report that cannot be written is an error, but
# blocking findings still win (exit 1, the error printed); --progress into
# a file or pipe writes plain lines, no terminal escape codes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/git_lib.sh"
R=$T/repo
newrepo "$R"
commit_file "$R" README "hello" "first"
commit_file "$R" app.py "k = \"$(aws 1)\"" "key"
cd "$R" || exit 2

expect_rc 1 sgit --history -o "$T/missing/dir/report.json" --format json
contains "$ERR" "secretgate: $T/missing/dir/report.json: No such file or directory"
contains "$ERR" "1 blocking"
expect_rc 1 "$SG" scan --rules "$RULES" --no-config -o "$T/missing/r.txt" app.py
contains "$ERR" "$T/missing/r.txt"
# nothing blocking: the error alone decides (exit 2)
expect_rc 2 "$SG" scan --rules "$RULES" --no-config -o "$T/missing/r.txt" README
contains "$ERR" "$T/missing/r.txt"

# --progress with stderr not a terminal: plain lines only
sgit --history --progress >/dev/null 2>"$T/progress.log"
contains "$(cat "$T/progress.log")" "blobs"
esc=$(printf '\033')
cr=$(printf '\r')
lacks "$(cat "$T/progress.log")" "$esc"
lacks "$(cat "$T/progress.log")" "$cr"
sgit HEAD~1..HEAD --progress >/dev/null 2>"$T/progress.log"
contains "$(cat "$T/progress.log")" "commits"
lacks "$(cat "$T/progress.log")" "$esc"
lacks "$(cat "$T/progress.log")" "$cr"
finish
