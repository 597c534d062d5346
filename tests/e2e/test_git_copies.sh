#!/bin/sh
# One rule for staged and range modes: a file at a new path is judged whole,
# even when it is an exact copy of a committed file (a secret copied to a new
# place is a new exposure); a rename is judged only on what it changes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/git_lib.sh"
R=$T/repo
newrepo "$R"
cd "$R" || exit 2
commit_file "$R" app.py "x = 1
key = \"$(aws 1)\"
y = 2" "key, accepted"
base=$(sha "$R" HEAD)
# an exact copy of a committed file
cp app.py public.py
git add public.py
expect_rc 1 sgit --staged --format jsonl
contains "$OUT" '"path":"public.py"'
lacks "$OUT" '"path":"app.py"'
git commit -q --no-verify -m copy
expect_rc 1 sgit "$base..HEAD" --format jsonl
contains "$OUT" '"path":"public.py"'
lacks "$OUT" '"path":"app.py"'
# a copy whose source changes in the same commit: still judged whole
base=$(sha "$R" HEAD)
cp app.py second.py
printf 'z = 3\n' >>app.py
git add app.py second.py
expect_rc 1 sgit --staged --format jsonl
contains "$OUT" '"path":"second.py"'
git commit -q --no-verify -m "copy and edit"
expect_rc 1 sgit "$base..HEAD" --format jsonl
contains "$OUT" '"path":"second.py"'
lacks "$OUT" '"path":"app.py"'
# a rename (the old path gone) adds nothing, in both modes
base=$(sha "$R" HEAD)
git mv public.py moved.py
expect_rc 0 sgit --staged
git commit -q --no-verify -m rename
expect_rc 0 sgit "$base..HEAD"
finish
