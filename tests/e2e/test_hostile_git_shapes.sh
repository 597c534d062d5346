#!/bin/sh
# Repository shapes that break naive readers: alternates (and a dangling
# alternate), a shallow clone, a submodule, a tree of 100,000 entries, and a
# 1 GB blob that must be skipped by the size cap without being read into
# memory (the run's peak memory stays far below the blob's size).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"
have_git=0
sg_git_available && have_git=1
# sgrun NAME DIR ARGS...: secretgate git in DIR (or scan when git is absent)
sgrun() {
	name=$1 dir=$2; shift 2
	if [ $have_git -eq 1 ]; then
		run_limited 120 "$SG" git -C "$dir" $SCAN --no-progress --format jsonl "$@"
	else
		run_limited 120 sh -c 'cd "$1" && shift && exec "$@"' sh "$dir" "$SG" scan $SCAN --format jsonl
	fi
	no_crash "$name"
}

# alternates: the clone's objects live in the origin
hrepo "$T/origin"
hcommit "$T/origin" a.txt "a $(hostile_token alt)"
git clone -q --shared "$T/origin" "$T/alt"
[ -s "$T/alt/.git/objects/info/alternates" ] || fail "fixture: no alternates file"
sgrun "alternates" "$T/alt" --history
[ "$RC" -eq 1 ] || fail "alternates: exit $RC, wanted 1 ($ERR)"
contains "$OUT" "a.txt"
# an alternate that points nowhere (and one that points at itself)
git clone -q "$T/origin" "$T/alt2"
printf '/nonexistent/objects\n%s\n' "$T/alt2/.git/objects" >"$T/alt2/.git/objects/info/alternates"
sgrun "dangling alternate" "$T/alt2" --history
[ "$RC" -le 2 ] || fail "dangling alternate: exit $RC"

# shallow clone: the graft point has no parent to diff against
for i in 1 2 3; do hcommit "$T/origin" "s$i.txt" "s $(hostile_token "sh$i")"; done
git clone -q --depth 1 "file://$T/origin" "$T/shallow"
[ -s "$T/shallow/.git/shallow" ] || fail "fixture: not shallow"
sgrun "shallow history" "$T/shallow" --history
[ "$RC" -eq 1 ] || fail "shallow --history: exit $RC, wanted 1 ($ERR)"
contains "$OUT" "s3.txt"
sgrun "shallow range" "$T/shallow" HEAD
[ "$RC" -le 2 ] || fail "shallow range: exit $RC"
if [ $have_git -eq 1 ]; then
	run_limited 60 "$SG" git -C "$T/shallow" $SCAN --no-progress HEAD~1..HEAD
	[ "$RC" -eq 2 ] || fail "range past the shallow boundary: exit $RC, wanted 2"
	contains "$ERR" "secretgate: "
fi

# a submodule: its gitlink is not a blob and its repository is not entered
hrepo "$T/sub"
hcommit "$T/sub" inner.txt "inner $(hostile_token subm)"
hrepo "$T/super"
hcommit "$T/super" top.txt "top"
git -C "$T/super" -c protocol.file.allow=always submodule -q add "$T/sub" sub 2>/dev/null
git -C "$T/super" commit -q --no-verify -m "add submodule"
sgrun "submodule" "$T/super" --history
[ "$RC" -le 1 ] || fail "submodule: exit $RC ($ERR)"
lacks "$OUT" "inner.txt"

# a tree of 100,000 entries (plus one secret), made with mktree, which
# sorts once (fast-import inserts one by one, which is quadratic)
hrepo "$T/wide"
tok=$(hostile_token wide)
empty=$(printf 'empty\n' | git -C "$T/wide" hash-object -w --stdin)
secret=$(printf 'x = %s\n' "$tok" | git -C "$T/wide" hash-object -w --stdin)
sub=$(printf '100644 blob %s\tsecret.txt\n' "$secret" | git -C "$T/wide" mktree)
tree=$( { awk -v e="$empty" 'BEGIN { for (i = 0; i < 100000; i++) printf "100644 blob %s\tf%06d.txt\n", e, i }'
	printf '040000 tree %s\tz\n' "$sub"; } | git -C "$T/wide" mktree)
c=$(git -C "$T/wide" commit-tree -m wide "$tree")
git -C "$T/wide" update-ref refs/heads/main "$c"
[ "$(git -C "$T/wide" ls-tree HEAD | wc -l)" -eq 100001 ] || fail "fixture: wide tree"
start=$(date +%s)
sgrun "wide tree history" "$T/wide" --history
[ "$RC" -eq 1 ] || fail "wide tree --history: exit $RC, wanted 1 ($ERR)"
contains "$OUT" "z/secret.txt"
sgrun "wide tree range" "$T/wide" HEAD
[ "$RC" -eq 1 ] || fail "wide tree range: exit $RC, wanted 1 ($ERR)"
took=$(($(date +%s) - start))
[ "$took" -le 60 ] || fail "100,000-entry tree took ${took}s"

# a 1 GB blob: a loose object written by streaming zeros, never a 1 GB file
hrepo "$T/huge"
hcommit "$T/huge" small.txt "small $(hostile_token huge)"
big=$(python3 - "$T/huge" <<'PY'
import hashlib, os, sys, zlib
repo, size = sys.argv[1], 1 << 30
head = b"blob %d\0" % size
chunk = bytes(1 << 20)
h, z = hashlib.sha1(head), zlib.compressobj(1)
tmp = os.path.join(repo, ".git", "objects", "tmp_big")
with open(tmp, "wb") as f:
    f.write(z.compress(head))
    for _ in range(size >> 20):
        h.update(chunk)
        f.write(z.compress(chunk))
    f.write(z.flush())
sha = h.hexdigest()
os.makedirs(os.path.join(repo, ".git", "objects", sha[:2]), exist_ok=True)
os.replace(tmp, os.path.join(repo, ".git", "objects", sha[:2], sha[2:]))
print(sha)
PY
)
[ -n "$big" ] || fail "fixture: 1 GB blob"
git -C "$T/huge" update-index --add --cacheinfo "100644,$big,huge.bin"
git -C "$T/huge" commit -q --no-verify -m "huge"
if [ $have_git -eq 1 ]; then
	for mode in --history HEAD "--staged"; do
		/usr/bin/time -f '%M' -o "$T/rss" timeout -k 5 120 \
			"$SG" git -C "$T/huge" $SCAN --no-progress --format jsonl $mode >"$T/out" 2>"$T/err"
		rc=$?
		rss=$(tail -1 "$T/rss")
		[ "$rc" -le 1 ] || fail "1 GB blob $mode: exit $rc ($(cat "$T/err"))"
		[ "$rss" -lt 307200 ] || fail "1 GB blob $mode: peak memory ${rss} kB (read into memory?)"
	done
	run_limited 120 "$SG" git -C "$T/huge" $SCAN --no-progress --history
	contains "$ERR" "too big"
	contains "$OUT" "small.txt"
fi
finish
