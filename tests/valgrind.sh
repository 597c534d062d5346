#!/bin/sh
# The unit tests and a few CLI scans under valgrind memcheck: any memory
# error or definite leak fails. Uses a plain (unsanitized) build:
#   sh tests/valgrind.sh [BUILD-DIR]      (default build-valgrind)
# Each run's log is kept in BUILD-DIR/valgrind/ for reading.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 2
B=${1:-build-valgrind}
command -v valgrind >/dev/null 2>&1 || { echo "valgrind: not installed" >&2; exit 2; }
# -O1 keeps stack traces readable; PCRE2 runs interpreted (valgrind cannot
# follow JIT code, whose wide reads past a buffer end look like errors)
make --no-print-directory BUILD="$B" OPT="-O1 -g -DSG_NO_JIT" build >/dev/null || exit 2
# shellcheck disable=SC2046 # one make target per unit test; the names hold no spaces
make --no-print-directory BUILD="$B" OPT="-O1 -g -DSG_NO_JIT" \
	$(for t in tests/unit/test_*.c; do t=${t#tests/unit/}; echo "$B/tests/${t%.c}"; done) >/dev/null || exit 2
logs="$B/valgrind"
rm -rf "$logs"; mkdir -p "$logs"
T=$(mktemp -d "${TMPDIR:-/tmp}/sg-vg.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
pass=0 fail=0
# vg NAME WANT-EXIT CMD...: run CMD under memcheck; its own exit code must be WANT-EXIT
vg() {
	name=$1 want=$2; shift 2
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
		--show-leak-kinds=definite --track-origins=yes --log-file="$logs/$name.log" \
		"$@" >"$logs/$name.out" 2>"$logs/$name.err"
	rc=$?
	if [ "$rc" -eq "$want" ] && [ ! -s "$logs/$name.log" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $name (exit $rc, wanted $want)"
		sed 's/^/  /' "$logs/$name.log" | head -60
	fi
}
for t in "$B"/tests/test_*; do
	vg "$(basename "$t")" 0 "$t"
done

SG="$B/secretgate"
cat >"$T/rules.yaml" <<'YAML'
rules:
  - id: vg-token
    description: test token
    severity: high
    keywords: [vgtok_]
    pattern: '\b(?<secret>vgtok_[A-Za-z0-9]{24})\b'
  - id: vg-backtrack
    keywords: [aaaa]
    pattern: '(a|aa)+(b|c)+\d'
YAML
mkdir -p "$T/tree/sub"
printf 'k = vgtok_%s\n' "Zq3Rk8Lm2Np5Ws9Xc4Vb7Hj1" >"$T/tree/a.txt"
printf 'k = vgtok_%s # secretgate:allow\n' "Pq3Rk8Lm2Np5Ws9Xc4Vb7Hj2" >"$T/tree/sub/b.txt"
head -c 3000 /dev/zero | tr '\0' 'a' >"$T/tree/evil.txt"
head -c 10000 /dev/zero >"$T/tree/zero.bin"
ln -s loop "$T/tree/loop"
mkfifo "$T/tree/fifo"
R="--no-config --rules $T/rules.yaml"
vg scan-text 1 "$SG" scan $R -j 3 "$T/tree"
vg scan-json 1 "$SG" scan $R --format json "$T/tree"
for fmt in sarif junit github html gitlab; do
	vg "scan-$fmt" 1 "$SG" scan $R --format "$fmt" "$T/tree"
done
vg scan-baseline 0 "$SG" scan $R --write-baseline "$T/base" --baseline /dev/null -q "$T/tree/sub"
vg scan-stdin 1 sh -c 'exec "$@" <"$0"' "$T/tree/a.txt" "$SG" scan $R -
vg scan-missing 2 "$SG" scan $R "$T/nonexistent"
vg rules-list 0 "$SG" rules list $R
vg bad-rules 2 "$SG" scan $R --rules /dev/null/x "$T/tree"
if "$SG" git --help >/dev/null 2>&1; then
	export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
	export GIT_AUTHOR_NAME=V GIT_AUTHOR_EMAIL=v@example.com GIT_COMMITTER_NAME=V GIT_COMMITTER_EMAIL=v@example.com
	g="$T/repo"
	git init -q -b main "$g" && cp "$T/tree/a.txt" "$g/" && git -C "$g" add a.txt &&
		git -C "$g" commit -q -m one && printf 'x\n' >>"$g/a.txt" && git -C "$g" add a.txt &&
		git -C "$g" commit -q -m two && cp "$T/tree/sub/b.txt" "$g/" && git -C "$g" add b.txt
	vg git-staged 0 "$SG" git -C "$g" $R --staged --no-progress
	vg git-range 0 "$SG" git -C "$g" $R HEAD~1..HEAD --no-progress
	vg git-rev 1 "$SG" git -C "$g" $R HEAD --no-progress
	vg git-history 1 "$SG" git -C "$g" $R --history --no-progress -j 2
else
	echo "note: 'secretgate git' not in this build; git modes not checked"
fi
echo "valgrind: $pass passed, $fail failed (logs in $logs/)"
[ "$fail" -eq 0 ]
