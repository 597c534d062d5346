#!/bin/sh
# More than 100,000 refs (a monorepo's tags) do not stop --history or
# --all-refs: the revision cap is for the command line only.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/git_lib.sh"
first_commit_repo
commit_file "$R" app.py "key = \"$(aws 1)\"" "key"
tip=$(sha "$R" HEAD)
first=$(sha "$R" HEAD~1)
# 100,050 tags written cheaply as one packed-refs file; half on each commit
awk -v a="$tip" -v b="$first" 'BEGIN {
	print "# pack-refs with: peeled fully-peeled "
	for (i = 0; i < 100050; i++) printf "%s refs/tags/t%06d\n", (i % 2 ? a : b), i
}' >.git/packed-refs
[ "$(git tag | wc -l)" -eq 100050 ] || fail "setup: tags not written"
expect_rc 1 sgit --history --format jsonl
contains "$OUT" '"path":"app.py"'
lacks "$ERR" "more than"
expect_rc 1 sgit --all-refs --format jsonl
contains "$OUT" '"path":"app.py"'
lacks "$ERR" "more than"
# pushing a new branch judges it against 100,050 remote-tracking refs
git checkout -q -b feature
commit_file "$R" new.py "s = \"$(stripe 1)\"" "feature key"
sed '1d; s#refs/tags/#refs/remotes/origin/#' .git/packed-refs >"$T/remotes"
cat "$T/remotes" >>.git/packed-refs
expect_rc 1 sgit --exclude-remotes feature --format jsonl
contains "$OUT" '"path":"new.py"'
lacks "$OUT" '"path":"app.py"'
finish
