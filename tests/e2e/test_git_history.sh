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
# a long history is attributed in stretches on several threads: a secret
# that spans them keeps its first commit, its count and its paths in order
L=$T/long
newrepo "$L"
for i in $(seq 1 120); do
	printf 'n = %s\n' "$i" >"$L/counter.py"
	case $i in
	10) printf 'k = "%s"\n' "$(aws 3)" >"$L/early.py" ;;
	60) mkdir -p "$L/moved" && git -C "$L" mv -k early.py moved/early.py ;;
	70) printf 'k = "%s"\n' "$(aws 3)" >"$L/again.py" ;;
	100) printf 't = "%s"\n' "$(stripe 2)" >"$L/late.py" ;;
	110) git -C "$L" rm -q moved/early.py again.py ;;
	esac
	git -C "$L" add -A && git -C "$L" commit -q --no-verify -m "step $i"
done
expect_rc 1 sgit -C "$L" --history --format jsonl -j 1
ONE=$OUT
[ "$(count "$ONE" '"rule"')" -eq 2 ] || fail "two secrets in the long history: $ONE"
key=$(printf '%s\n' "$ONE" | grep '"secret":"AKIA')
contains "$key" "\"commit\":\"$(git -C "$L" rev-list --reverse HEAD | sed -n 10p)\""
contains "$key" '"path":"early.py"'
# commits 10 to 109 carry it (the first not counted) at three paths
contains "$key" '"other_commits":99'
contains "$key" '"other_paths":2'
late=$(printf '%s\n' "$ONE" | grep '"secret":"sk_')
contains "$late" "\"commit\":\"$(git -C "$L" rev-list --reverse HEAD | sed -n 100p)\""
for j in 2 3 5; do
	expect_rc 1 sgit -C "$L" --history --format jsonl -j "$j"
	[ "$OUT" = "$ONE" ] || fail "-j $j attributes differently from -j 1: $OUT"
done
finish
