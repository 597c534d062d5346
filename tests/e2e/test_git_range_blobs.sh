#!/bin/sh
# Ranges blob first: each blob the range adds is scanned once, and only the
# changes whose blob holds a finding are diffed. The findings must be those
# of judging every commit's diff (--per-commit): the same set, at the same
# commits, paths and lines, on a repository built to hit each attribution
# rule, and on a generated one when the generator is there.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/git_lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
R=$T/repo
newrepo "$R"
commit_file "$R" README "hello" "root"
cd "$R" || exit 2
# one line per finding: rule path commit line
triples() { sed -n 's/.*"rule":"\([^"]*\)".*"path":"\([^"]*\)","line":\([0-9]*\).*"commit":"\([^"]*\)".*/\1 \2 \4 \3/p' | sort; }

commit_file "$R" a.py "$(printf 'x = 1\nk = "%s"' "$(aws 1)")" "add a key"
C1=$(sha "$R" HEAD)
printf 'y = 2\n' >>a.py && git commit -q -am "edit beside the key" --no-verify
KEPT=$(git rev-parse HEAD:a.py)
# a copy at a new path is judged whole
cp a.py b.py && git add b.py && git commit -q -m "copy" --no-verify
C3=$(sha "$R" HEAD)
# a pure rename adds nothing; a rename with an edit is judged on the edit
git mv b.py c.py && git commit -q -m "rename" --no-verify
git mv c.py d.py && printf 's = "%s"\n' "$(stripe 1)" >>d.py && git add d.py &&
	git commit -q -m "rename and edit" --no-verify
C5=$(sha "$R" HEAD)
# the same blob at two paths in one commit: two findings
mkdir -p x y && printf 'k = "%s"\n' "$(aws 3)" >x/k.py && cp x/k.py y/k.py &&
	git add x y && git commit -q -m "twins" --no-verify
C6=$(sha "$R" HEAD)
# a binary file is a finding of its own
printf 'bin\000ary %s\n' "$(stripe 2)" >data.png && git add data.png &&
	git commit -q -m "binary" --no-verify
C7=$(sha "$R" HEAD)
# the key removed, then the file restored: a blob the range added before,
# at the same path, is new again in the commit that restores it
printf 'x = 1\ny = 2\n' >a.py && git commit -q -am "remove the key" --no-verify
git show "$KEPT" >a.py && git commit -q -am "restore the key" --no-verify
C9=$(sha "$R" HEAD)
# a branch's key is reported at the branch commit; a line the merge itself
# adds (an evil merge) at the merge
git checkout -q -b side "$C1"
commit_file "$R" e.py "k = \"$(aws 2)\"" "side key"
S1=$(sha "$R" HEAD)
git checkout -q main
git merge -q --no-ff --no-commit side >/dev/null 2>&1
printf 'z = "%s"\n' "$(stripe 3)" >>e.py && git add e.py && git commit -q -m "merge" --no-verify
M=$(sha "$R" HEAD)

cat >"$T/want" <<EOF
skipped-binary data.png $C7 1
aws-access-key-id a.py $C1 2
aws-access-key-id a.py $C9 2
aws-access-key-id b.py $C3 2
aws-access-key-id e.py $S1 1
aws-access-key-id x/k.py $C6 1
aws-access-key-id y/k.py $C6 1
stripe-secret-key d.py $C5 4
stripe-secret-key e.py $M 2
EOF
sort -o "$T/want" "$T/want"
expect_rc 1 sgit --all-refs --format jsonl
printf '%s\n' "$OUT" >"$T/blobs.jsonl"
triples <"$T/blobs.jsonl" >"$T/got"
diff "$T/want" "$T/got" >"$T/diff" || fail "blob-first findings differ from the expected set: $(cat "$T/diff")"
expect_rc 1 sgit --all-refs --per-commit --format jsonl
printf '%s\n' "$OUT" >"$T/commits.jsonl"
cmp -s "$T/blobs.jsonl" "$T/commits.jsonl" ||
	fail "blob-first and per-commit output differ: $(diff "$T/commits.jsonl" "$T/blobs.jsonl")"
# a range whose commits add nothing new still says so, and a short range agrees
expect_rc 0 sgit "$C5..$C5"
expect_rc 1 sgit "$C3~1..$C5" --format jsonl
[ "$(printf '%s\n' "$OUT" | triples)" = "$(printf 'aws-access-key-id b.py %s 2\nstripe-secret-key d.py %s 4' "$C3" "$C5" | sort)" ] ||
	fail "range $C3~1..$C5: $OUT"

# git orders a directory as if its name ended in '/', so "conf.py" comes
# before the directory "conf" and the tree is not in plain name order: a key
# added under conf/ beside an edit of conf.py is still found, and one added in
# a tree in plain order (lib/) beside unchanged neighbours too
git checkout -q main
mkdir -p conf lib && printf 'a = 1\n' >conf.py && printf 'b = 2\n' >conf/x.py &&
	for f in one two three four; do printf '%s = 1\n' "$f" >"lib/$f.py"; done &&
	git add conf.py conf lib && git commit -q -m "conf and lib" --no-verify
B0=$(sha "$R" HEAD)
printf 'a = 2\n' >conf.py && printf 'k = "%s"\n' "$(aws 4)" >>conf/x.py &&
	printf 'k = "%s"\n' "$(aws 5)" >>lib/three.py && git commit -q -am "keys in conf/ and lib/" --no-verify
B1=$(sha "$R" HEAD)
expect_rc 1 sgit "$B0..$B1" --format jsonl
[ "$(printf '%s\n' "$OUT" | triples)" = "$(printf 'aws-access-key-id conf/x.py %s 2\naws-access-key-id lib/three.py %s 2' "$B1" "$B1" | sort)" ] ||
	fail "range $B0..$B1 (directory named as a prefix of a file): $OUT"
printf '%s\n' "$OUT" >"$T/order-blobs.jsonl"
expect_rc 1 sgit "$B0..$B1" --per-commit --format jsonl
[ "$(cat "$T/order-blobs.jsonl")" = "$OUT" ] || fail "range $B0..$B1: blob-first and per-commit differ"

# a file holding a key turned into a directory that holds the file, beside
# an edit elsewhere: the commit deletes a path, so its whole trees are diffed
# and the move is seen as a rename, which adds no key (a diff of only the new
# path would call the file new and report the key again)
printf 'one = 1\ntwo = 2\nthree = 3\nk = "%s"\n' "$(aws 6)" >cfg && printf 'c = 1\n' >other.py &&
	git add cfg other.py && git commit -q -m "cfg file" --no-verify
T0=$(sha "$R" HEAD)
git rm -q cfg && mkdir cfg && git show "$T0:cfg" >cfg/main.py && printf 'four = 4\n' >>cfg/main.py &&
	printf 'c = 2\n' >other.py && git add cfg other.py && git commit -q -m "cfg dir" --no-verify
T1=$(sha "$R" HEAD)
expect_rc 1 sgit "$T0~1..$T1" --format jsonl
[ "$(printf '%s\n' "$OUT" | triples)" = "aws-access-key-id cfg $T0 4" ] ||
	fail "range $T0~1..$T1 (a file moved into a directory of its name): $OUT"
printf '%s\n' "$OUT" >"$T/type-blobs.jsonl"
expect_rc 1 sgit "$T0~1..$T1" --per-commit --format jsonl
[ "$(cat "$T/type-blobs.jsonl")" = "$OUT" ] || fail "range $T0~1..$T1: blob-first and per-commit differ"

# the same ranges read from one pack with deltas: by hand (the default),
# through libgit2, and commit by commit, the same report
cd "$R" || exit 2
git repack -adq -f --depth=10 --window=10
[ -n "$(ls .git/objects/pack/*.pack 2>/dev/null)" ] || fail "no pack after git repack"
expect_rc 1 sgit --all-refs --format jsonl
packed=$OUT
contains "$packed" "lib/three.py"
expect_rc 1 sgit --all-refs --format jsonl --pack-reader=libgit2
[ "$OUT" = "$packed" ] || fail "--all-refs from a pack: native and libgit2 readers differ"
expect_rc 1 sgit --all-refs --per-commit --format jsonl
[ "$OUT" = "$packed" ] || fail "--all-refs from a pack: blob-first and per-commit differ"

# a generated history: the planted secrets are all reported, and both paths agree
maker=${MAKE_HISTORY_REPO:-$top/../shared/bench/make-history-repo}
[ -x "$maker" ] || maker=$top/../../shared/bench/make-history-repo
if [ -x "$maker" ]; then
	"$maker" "$T/gen" --commits 120 >/dev/null 2>&1 || fail "make-history-repo failed"
	cd "$T/gen" || exit 2
	expect_rc 1 "$SG" git --no-config --all-refs --format jsonl
	printf '%s\n' "$OUT" >"$T/gen-blobs.jsonl"
	expect_rc 1 "$SG" git --no-config --all-refs --per-commit --format jsonl
	printf '%s\n' "$OUT" >"$T/gen-commits.jsonl"
	cmp -s "$T/gen-blobs.jsonl" "$T/gen-commits.jsonl" ||
		fail "generated repository: blob-first and per-commit differ: $(diff "$T/gen-commits.jsonl" "$T/gen-blobs.jsonl" | head -5)"
	planted=$(sed -n 's/.*"path": *"\([^"]*\)".*/\1/p' "$T/gen.truth.jsonl")
	[ -n "$planted" ] || fail "generated repository: no planted secrets listed"
	for p in $planted; do
		grep -q "\"path\":\"$p\"" "$T/gen-blobs.jsonl" || fail "planted secret in $p not reported"
	done
fi
finish
