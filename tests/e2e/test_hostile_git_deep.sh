#!/bin/sh
# A tree nested 10,000 directories deep (objects written directly, as git's
# own tools would take minutes): history and range scans finish, without
# exhausting the stack, and find the secret at the bottom.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"
sg_git_available || finish
hrepo "$T/deep"
tok=$(hostile_token deeptree)
c=$(python3 - "$T/deep" 10000 "$tok" <<'PY'
import hashlib, os, sys, zlib
repo, depth, tok = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def put(kind, body):
    data = b"%s %d\0" % (kind, len(body)) + body
    sha = hashlib.sha1(data).hexdigest()
    d = os.path.join(repo, ".git", "objects", sha[:2])
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, sha[2:]), "wb") as f:
        f.write(zlib.compress(data, 1))
    return sha
tree = put(b"tree", b"100644 f.txt\0" + bytes.fromhex(put(b"blob", b"x = %s\n" % tok.encode())))
for _ in range(depth):
    tree = put(b"tree", b"40000 d\0" + bytes.fromhex(tree))
print(put(b"commit", b"tree %s\nauthor H <h@example.com> 1700000000 +0000\n"
          b"committer H <h@example.com> 1700000000 +0000\n\ndeep\n" % tree.encode()))
PY
)
[ -n "$c" ] || { fail "fixture"; finish; }
git -C "$T/deep" update-ref refs/heads/main "$c"
for mode in --history HEAD; do
	# shellcheck disable=SC3045 # dash and bash both have ulimit -s
	(ulimit -s 1024 2>/dev/null
	 run_limited 60 "$SG" git -C "$T/deep" $SCAN --no-progress --format jsonl $mode
	 no_crash "deep tree $mode"
	 [ "$RC" -eq 1 ] || fail "deep tree $mode: exit $RC, wanted 1 ($ERR)"
	 contains "$OUT" "d/d/d/d/"
	 exit "$FAILED") || FAILED=1
done
finish
