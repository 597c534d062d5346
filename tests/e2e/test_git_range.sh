#!/bin/sh
# secretgate git RANGE / --since / --all-refs: what each commit added against
# its first parent, with commit, author and date; merges; shallow clones.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/git_lib.sh"
R=$T/repo
newrepo "$R"
commit_file "$R" README "hello" "first"
cd "$R" || exit 2
BASE=$(sha "$R" HEAD)

# a secret added in one commit and removed in a later one is still reported
commit_file "$R" conf/keys.py "k = \"$(aws 1)\"" "add key"
ADD=$(sha "$R" HEAD)
commit_file "$R" conf/keys.py "k = None" "remove key"
expect_rc 1 sgit "$BASE..HEAD" --format jsonl
contains "$OUT" '"path":"conf/keys.py"'
contains "$OUT" "\"commit\":\"$ADD\""
contains "$OUT" '"author":"Ada Tester"'
contains "$OUT" '"email":"ada@example.com"'
contains "$OUT" '"date":"'
contains "$OUT" '"line":1'
[ "$(count "$OUT" '"rule"')" -eq 1 ] || fail "reported more than once: $OUT"
expect_rc 1 sgit --since "$BASE"
contains "$OUT" "conf/keys.py:1:"
# a range after the secret's removal is clean
expect_rc 0 sgit HEAD~1..HEAD
# the first commit of a repository is judged against the empty tree
expect_rc 0 sgit "$BASE"
expect_rc 1 sgit HEAD

# an accepted secret in a file does not make later commits to it blocking
commit_file "$R" old.py "$(printf 'a = 1\nk = "%s"' "$(stripe 1)")" "old secret"
OLD=$(sha "$R" HEAD)
printf 'b = 2\n' >>"$R/old.py"
git -C "$R" commit -q -am "unrelated" --no-verify
expect_rc 0 sgit "$OLD..HEAD"

# renames are not re-reported
git -C "$R" mv old.py renamed.py
git -C "$R" commit -q -m rename --no-verify
expect_rc 0 sgit HEAD~1..HEAD

# merges: branch commits are reported once, at the commit that added them;
# the merge itself only for what it adds against every parent
git -C "$R" checkout -q -b feature
commit_file "$R" feature.py "f = \"$(aws 2)\"" "feature key"
FEAT=$(sha "$R" HEAD)
git -C "$R" checkout -q main
commit_file "$R" main.txt "main side" "main work"
MAIN_BEFORE=$(sha "$R" HEAD)
git -C "$R" merge -q --no-ff -m "merge feature" feature
expect_rc 1 sgit "$MAIN_BEFORE..HEAD" --format jsonl
[ "$(count "$OUT" '"rule"')" -eq 1 ] || fail "merge re-reported the branch's secret: $OUT"
contains "$OUT" "\"commit\":\"$FEAT\""
# a range that only holds the merge commit: nothing new against both parents
expect_rc 0 sgit "$MAIN_BEFORE..HEAD" ^"$FEAT"
# an evil merge (a line added while merging) is reported at the merge
git -C "$R" checkout -q -b other "$MAIN_BEFORE"
commit_file "$R" other.txt "other side" "other work"
git -C "$R" checkout -q main
git -C "$R" merge -q --no-ff --no-commit other >/dev/null 2>&1
printf 'evil = "%s"\n' "$(stripe 2)" >>"$R/main.txt"
git -C "$R" add main.txt
git -C "$R" commit -q --no-verify -m "merge other"
MERGE=$(sha "$R" HEAD)
expect_rc 1 sgit HEAD~1..HEAD --format jsonl
contains "$OUT" "\"commit\":\"$MERGE\""
contains "$OUT" '"path":"main.txt"'
# A...B: both sides of the merge base
expect_rc 1 sgit "$MAIN_BEFORE...$FEAT"
contains "$OUT" "feature.py"

# --all-refs sees a branch that HEAD does not
git -C "$R" checkout -q -b hidden "$BASE"
commit_file "$R" hidden.py "h = \"$(aws 3)\"" "hidden"
git -C "$R" checkout -q main
expect_rc 1 sgit --all-refs
contains "$OUT" "hidden.py"
expect_rc 1 sgit --all-refs --format jsonl
[ "$(count "$OUT" '"rule"')" -eq 5 ] || fail "all refs: wanted 5 findings: $OUT"

# errors: an unknown revision is a usage-level error with a clear message
expect_rc 2 sgit nosuchrev..HEAD
contains "$ERR" "nosuchrev"
expect_rc 2 "$SG" git
contains "$ERR" "--staged"

# --- a shallow clone: what is present is scanned and a notice says it was cut short
git clone -q --depth 2 "file://$R" "$T/shallow" 2>/dev/null
(cd "$T/shallow" && expect_rc 1 sgit HEAD && contains "$ERR" "shallow" &&
	contains "$ERR" "cut short") || FAILED=1
(cd "$T/shallow" && expect_rc 2 sgit "$BASE..HEAD" && contains "$ERR" "shallow") || FAILED=1

# --- a missing object is an error, not a crash
git clone -q --no-local "$R" "$T/broken" 2>/dev/null
B=$T/broken
git -C "$B" repack -q -a -d
blob=$(git -C "$B" rev-parse "$FEAT:feature.py")
git -C "$B" cat-file -p "$blob" >/dev/null || fail "setup: no blob"
git -C "$B" unpack-objects -q <"$(ls "$B"/.git/objects/pack/*.pack)" 2>/dev/null
mkdir -p "$T/unpacked"
# rebuild the object store without that blob
( cd "$B" && mv .git/objects/pack "$T/packs" && mkdir .git/objects/pack &&
	for p in "$T"/packs/*.pack; do git unpack-objects -q <"$p"; done &&
	rm -f ".git/objects/$(printf '%s' "$blob" | cut -c1-2)/$(printf '%s' "$blob" | cut -c3-)" )
expect_rc 2 sgit -C "$B" "$MAIN_BEFORE..$FEAT" 2>/dev/null
contains "$ERR" "missing"
finish
