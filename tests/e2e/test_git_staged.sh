#!/bin/sh
# secretgate git --staged: what the next commit adds, read from the index.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/git_lib.sh"
R=$T/repo
newrepo "$R"
cd "$R" || exit 2

# --- first commit (unborn branch): the staged secret blocks, with the three ways out
printf 'x = 1\nkey = "%s"\n' "$(aws 1)" >app.py
git add app.py
expect_rc 1 sgit --staged
contains "$OUT" "app.py:2:"
contains "$OUT" "AKIA*"
lacks "$OUT" "$(aws 1)"
contains "$ERR" "commit blocked"
contains "$ERR" "secretgate:allow"
contains "$ERR" "--no-verify"
git commit -q --no-verify -m first

# --- a secret only in the working tree is not what the commit will contain
printf 'token = "%s"\n' "$(stripe 1)" >>app.py
expect_rc 0 sgit --staged
# staged clean, working tree dirty; and staged dirty, working tree cleaned
printf 'clean = 1\n' >notes.txt
git add notes.txt
expect_rc 0 sgit --staged
git add app.py
git show HEAD:app.py >app.py
git show :app.py | grep -q sk_live || fail "setup: secret not staged"
expect_rc 1 sgit --staged
contains "$OUT" "app.py:3:"
git reset -q
git checkout -q -- app.py
rm -f notes.txt

# --- an accepted secret in a file does not block an unrelated change to it
printf 'y = 2\n' >>app.py
git add app.py
expect_rc 0 sgit --staged
# line numbers are those of the staged file
printf 'z = 3\nother = "%s"\n' "$(aws 2)" >>app.py
git add app.py
expect_rc 1 sgit --staged --format jsonl
contains "$OUT" '"path":"app.py"'
contains "$OUT" '"line":5'
[ "$(count "$OUT" '"rule"')" -eq 1 ] || fail "only the added line is judged: $OUT"
git reset -q --hard

# --- renames are not re-reported; what a rename adds is (copies: test_git_copies.sh)
git mv app.py service.py
expect_rc 0 sgit --staged
printf 'more = "%s"\n' "$(stripe 2)" >>service.py
git add service.py
expect_rc 1 sgit --staged
contains "$OUT" "service.py:3:"
[ "$(count "$OUT" "service.py:")" -eq 1 ] || fail "rename re-reported: $OUT"
git reset -q --hard

# --- deletions add nothing
git rm -q app.py
expect_rc 0 sgit --staged
git reset -q --hard

# --- binary files are skipped (or scanned with --binary); oversized ones noted
printf 'bin\000ary %s\n' "$(aws 3)" >blob.bin
git add blob.bin
expect_rc 0 sgit --staged
expect_rc 1 sgit --staged --binary
git reset -q
rm -f blob.bin
{ i=0; while [ $i -lt 200 ]; do echo "filler line $i"; i=$((i + 1)); done; printf 'k = "%s"\n' "$(aws 4)"; } >big.txt
git add big.txt
expect_rc 0 sgit --staged --max-file-size 1k
contains "$ERR" "big.txt"
contains "$ERR" "cap"
expect_rc 1 sgit --staged
git reset -q
rm -f big.txt

# --- CRLF: converting line endings adds no line; a new CRLF line is judged
sed 's/$/\r/' app.py >app.tmp && mv app.tmp app.py
git add app.py
expect_rc 0 sgit --staged
printf 'crlf = "%s"\r\n' "$(stripe 3)" >>app.py
git add app.py
expect_rc 1 sgit --staged
contains "$OUT" "app.py:3:"
git reset -q --hard

# --- run from a subdirectory: paths stay relative to the root
mkdir -p src/deep
printf 'k = "%s"\n' "$(aws 5)" >src/deep/conf.py
git add src/deep/conf.py
(cd src/deep && expect_rc 1 sgit --staged && contains "$OUT" "src/deep/conf.py:1:") || FAILED=1
git reset -q
rm -rf src

# --- inline allow marks a false alarm; it is counted, not blocking
printf 'example = "%s"  # secretgate:allow\n' "$(aws 6)" >doc.py
git add doc.py
expect_rc 0 sgit --staged
contains "$ERR" "1 suppressed"
git reset -q
rm -f doc.py

# --- a committed .env file blocks
printf 'PORT=8080\n' >.env
git add .env
expect_rc 1 sgit --staged
contains "$OUT" "env-committed"
expect_rc 0 sgit --staged --no-env-files
git reset -q
rm -f .env

# --- submodules are skipped
newrepo "$T/sub"
commit_file "$T/sub" s.txt "$(aws 7)"
git -c protocol.file.allow=always submodule add -q "$T/sub" sub 2>/dev/null
expect_rc 0 sgit --staged --format jsonl
lacks "$OUT" "s.txt"
git rm -q --cached -f sub .gitmodules >/dev/null 2>&1
rm -rf sub .gitmodules .git/modules
git status --porcelain | grep -q . && fail "setup: tree not clean after submodule"

# --- a merge in progress is judged against HEAD
git checkout -q -b side
printf 'side = "%s"\n' "$(stripe 4)" >side.py
git add side.py && git commit -q --no-verify -m side
git checkout -q main
printf 'n\n' >main.txt && git add main.txt && git commit -q --no-verify -m main
git merge -q --no-commit --no-ff side >/dev/null 2>&1
[ -f .git/MERGE_HEAD ] || fail "setup: no merge in progress"
expect_rc 1 sgit --staged
contains "$OUT" "side.py:1:"
git merge --abort

# --- unborn branch in a repository that has commits, and no HEAD commit at all
git symbolic-ref HEAD refs/heads/orphan
expect_rc 1 sgit --staged
contains "$OUT" "app.py:2:"
git symbolic-ref HEAD refs/heads/main

# --- a bare repository has no index
git clone -q --bare "$R" "$T/bare.git"
(cd "$T/bare.git" && expect_rc 2 sgit --staged && contains "$ERR" "bare") || FAILED=1
finish
