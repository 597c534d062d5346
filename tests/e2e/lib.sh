# shellcheck shell=sh
# Helpers for e2e scripts: . "$(dirname "$0")/lib.sh"
# A throw-away directory, removed on exit; assertions that name what failed.
set -u
T=$(mktemp -d "${TMPDIR:-/tmp}/sg-e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
# shellcheck disable=SC2034 # SG, OUT, ERR are for the scripts that source this
SG=${SECRETGATE:?}
FAILED=0

fail() { echo "not ok: $*"; FAILED=1; }
# skip WHY: a check that could not run here; run.sh counts it apart from passes.
skip() {
	echo "skip: $*"
	[ -n "${SG_E2E_SKIPS:-}" ] && printf '%s: %s\n' "$(basename "$0")" "$*" >>"$SG_E2E_SKIPS"
	return 0
}
# expect_rc WANT CMD...: run CMD, keep stdout in $OUT and stderr in $ERR.
# shellcheck disable=SC2034
expect_rc() {
	want=$1; shift
	OUT=$("$@" 2>"$T/.stderr"); rc=$?
	ERR=$(cat "$T/.stderr")
	[ "$rc" -eq "$want" ] || fail "exit $rc, wanted $want: $*${ERR:+ (stderr: $ERR)}"
}
contains() { case "$1" in *"$2"*) return 0 ;; esac; fail "expected to find '$2' in: $1"; return 1; }
lacks() { case "$1" in *"$2"*) fail "did not expect '$2' in: $1"; return 1 ;; esac; return 0; }
# Secret-looking strings are assembled at run time so the repository holds none.
gh_prefix() { printf 'gh%s_' "$1"; }
finish() { exit "$FAILED"; }
