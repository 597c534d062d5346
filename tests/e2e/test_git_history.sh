#!/bin/sh
# secretgate git --history: every unique blob once, attributed to the earliest
# commit and path that carried the secret, with counts of the others.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/git_lib.sh"
first_commit_repo
# a secret that lives only in history: added, copied, edited around, removed
commit_file "$R" conf/keys.py "k = \"$(aws 1)\"" "add key"
FIRST=$(sha "$R" HEAD)
mkdir -p backup
cp conf/keys.py backup/keys.py
git add backup && git commit -q --no-verify -m "copy"
printf 'other = 1\n' >>conf/keys.py
git commit -q --no-verify -am "edit around the key"
git rm -q conf/keys.py backup/keys.py
git commit -q --no-verify -m "remove keys"
# a second secret on a branch only
git checkout -q -b topic
commit_file "$R" topic.py "t = \"$(stripe 1)\"" "topic key"
TOPIC=$(sha "$R" HEAD)
git checkout -q main
# a binary blob and a clean file
printf 'bin\000%s' "$(aws 2)" >blob.bin
git add blob.bin && git commit -q --no-verify -m binary

expect_rc 1 sgit --history --format jsonl
[ "$(count "$OUT" '"rule"')" -eq 2 ] || fail "one finding per secret: $OUT"
key=$(printf '%s\n' "$OUT" | grep '"secret":"AKIA')
contains "$key" "\"commit\":\"$FIRST\""
contains "$key" '"path":"conf/keys.py"'
contains "$key" '"other_paths":1'
# the secret is carried by the add, the copy and the edit commits
contains "$key" '"other_commits":2'
contains "$OUT" "\"commit\":\"$TOPIC\""
contains "$OUT" '"path":"topic.py"'
contains "$ERR" "skipped 1 binary"
# each unique blob is scanned once: README, two versions of keys.py, topic.py
contains "$ERR" "4 files"

# only the refs given
expect_rc 1 sgit --history main --format jsonl
lacks "$OUT" "topic.py"
expect_rc 1 sgit --history topic
contains "$OUT" "topic.py"
expect_rc 2 sgit --history nosuchref
contains "$ERR" "nosuchref"

# a bare clone (as sweeps use) and packed objects give the same answer
git clone -q --bare "$R" "$T/bare.git"
git -C "$T/bare.git" fetch -q origin '+refs/heads/*:refs/heads/*' 2>/dev/null
(cd "$T/bare.git" && expect_rc 1 sgit --history --format jsonl &&
	[ "$(count "$OUT" '"rule"')" -eq 2 ]) || fail "bare repository"
git gc -q
expect_rc 1 sgit --history --format jsonl -j 1
[ "$(count "$OUT" '"rule"')" -eq 2 ] || fail "after gc: $OUT"

# a progress line only when asked (stderr is not a terminal here)
expect_rc 1 sgit --history --progress
contains "$ERR" "blobs"
expect_rc 1 sgit --history
lacks "$ERR" "blobs,"

# a shallow clone: what is present is swept, with a notice
git clone -q --depth 1 "file://$R" "$T/shallow" 2>/dev/null
(cd "$T/shallow" && expect_rc 0 sgit --history && contains "$ERR" "shallow") || FAILED=1
finish
