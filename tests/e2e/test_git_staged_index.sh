#!/bin/sh
# secretgate git --staged reads the index by hand with its cache-tree; every
# change judged must be the one libgit2's reader (--index-reader=libgit2, the
# reference path) finds, and what the reader leaves to libgit2 must be judged
# there, never passed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/git_lib.sh"
R=$T/repo
newrepo "$R"
cd "$R" || exit 2

# run MODE: exit code, findings and summary (timings removed) of one reader
run() {
	sgit --staged --format jsonl --index-reader="$1" >"$T/out.$1" 2>"$T/err.$1"
	echo "rc=$?" >>"$T/out.$1"
	sed 's/ in [0-9.]* m\{0,1\}s:/:/' "$T/err.$1" >>"$T/out.$1"
}
# same WHAT own|libgit2: the default reader agrees with libgit2's; "own"
# also says the hand reader took this index and change itself
same() {
	run libgit2
	run auto
	if ! cmp -s "$T/out.libgit2" "$T/out.auto"; then
		fail "$1: the readers disagree"
		diff "$T/out.libgit2" "$T/out.auto" | head -20
	fi
	if [ "$2" = own ]; then
		run cache-tree
		cmp -s "$T/out.libgit2" "$T/out.cache-tree" || fail "$1: not read by hand: $(cat "$T/err.cache-tree")"
	else
		expect_rc 2 sgit --staged --index-reader=cache-tree
		contains "$ERR" "--index-reader=cache-tree"
	fi
}

# --- first commit: everything is an addition
mkdir -p src/lib docs
printf 'key = "%s"\n' "$(aws 1)" >src/lib/conf.py
printf 'plain\n' >docs/readme.txt
printf 'top\n' >top.txt
git add -A
same "unborn branch" own
expect_rc 1 sgit --staged
contains "$OUT" "src/lib/conf.py:1:"
git commit -q --no-verify -m first

# --- changes in two directories, one of them a secret; the rest skipped by the cache-tree
mkdir -p many
for i in 1 2 3 4 5 6 7 8 9; do mkdir -p "many/d$i" && printf 'x%s\n' "$i" >"many/d$i/f.txt"; done
git add -A && git commit -q --no-verify -m many
printf 'more\n' >>docs/readme.txt
printf 'token = "%s"\n' "$(stripe 1)" >>src/lib/conf.py
git add -A
same "modifications" own
grep -q 'src/lib/conf.py' "$T/out.auto" || fail "modification not judged: $(cat "$T/out.auto")"
[ "$(grep -c '"rule"' "$T/out.auto")" -eq 1 ] || fail "only the added line: $(cat "$T/out.auto")"
git reset -q --hard

# --- new files in a new and in an existing directory, a symbolic link, a .env file
mkdir -p newdir
printf 'k = "%s"\n' "$(aws 2)" >newdir/new.py
printf 'y\n' >many/d3/g.txt
ln -s top.txt link
printf 'DB_PASSWORD=hunter2hunter2\n' >.env
git add -A
same "additions" own
grep -q 'newdir/new.py' "$T/out.auto" || fail "new file not judged: $(cat "$T/out.auto")"
git reset -q --hard
rm -rf newdir link .env many/d3/g.txt

# --- deletions only add nothing
git rm -q many/d1/f.txt
same "a deletion" own
git reset -q --hard

# --- a rename beside an addition is left to libgit2's rename detection
git mv src/lib/conf.py src/conf.py
printf 'k = "%s"\n' "$(aws 3)" >>src/conf.py
git add -A
same "a rename" libgit2
git reset -q --hard

# --- a mode change, a file turned into a symbolic link
chmod +x top.txt && git add top.txt
same "a mode change" libgit2
git reset -q --hard
rm docs/readme.txt && ln -s ../top.txt docs/readme.txt && git add -A
same "a type change" libgit2
git reset -q --hard

# --- submodules: an added one is counted as skipped, a changed one ignored
head=$(git rev-parse HEAD)
git update-index --add --cacheinfo "160000,$head,vendor/sub"
same "an added submodule" own
git commit -q --no-verify -m sub
git update-index --cacheinfo "160000,$(git rev-parse HEAD~1),vendor/sub"
same "a changed submodule" own
git reset -q --hard

# --- intent-to-add and conflicts go to libgit2 (which notes the conflict)
printf 'k = "%s"\n' "$(aws 4)" >later.py
git add -N later.py
same "intent-to-add" libgit2
git rm -q --cached later.py && rm later.py
blob=$(git rev-parse HEAD:top.txt)
printf '0 %s\ttop.txt\n100644 %s 1\ttop.txt\n100644 %s 2\ttop.txt\n' \
	0000000000000000000000000000000000000000 "$blob" "$blob" | git update-index --index-info
same "a conflict" libgit2
contains "$(cat "$T/err.auto")" "unresolved merge conflict"
git reset -q --hard

# --- index versions 3 and 4; a split index, which libgit2 refuses too
printf 'k = "%s"\n' "$(aws 5)" >>many/d2/f.txt
git add many/d2/f.txt
git update-index --index-version 4
same "index version 4" own
git update-index --index-version 3
same "index version 3" own
git update-index --split-index
same "a split index" libgit2
grep -q 'rc=2' "$T/out.auto" || fail "split index passed: $(cat "$T/out.auto")"
git update-index --no-split-index
git reset -q --hard

# --- GIT_INDEX_FILE: the index git names, not the repository's
GIT_INDEX_FILE=$T/other.index git read-tree HEAD
printf 'k = "%s"\n' "$(aws 6)" >>many/d4/f.txt
GIT_INDEX_FILE=$T/other.index git add many/d4/f.txt
git checkout -q -- many/d4/f.txt
export GIT_INDEX_FILE="$T/other.index"
same "GIT_INDEX_FILE" own
grep -q 'many/d4/f.txt' "$T/out.auto" || fail "GIT_INDEX_FILE not read: $(cat "$T/out.auto")"
export GIT_INDEX_FILE="$T/missing.index"
expect_rc 2 sgit --staged
contains "$ERR" "missing.index"
unset GIT_INDEX_FILE

# --- a damaged index is refused by both readers, never read as clean
printf 'k = "%s"\n' "$(aws 7)" >>many/d5/f.txt
git add many/d5/f.txt
printf 'DIRC' >.git/index
expect_rc 2 sgit --staged
finish
