# shellcheck shell=sh
# Helpers for the hostile-input tests: . "$(dirname "$0")/hostile_lib.sh"
# (after lib.sh). A rule file of our own, so the tests do not depend on the
# default rule set, and a token built at run time.
RULES="$T/hostile-rules.yaml"
cat >"$RULES" <<'YAML'
rules:
  - id: hostile-token
    description: hostile test token
    severity: high
    keywords: [hostile_]
    pattern: '\b(?<secret>hostile_[A-Za-z0-9]{24})\b'
YAML
# hostile_token N: a distinct high-entropy token for N (24 characters after the prefix).
hostile_token() {
	printf 'hostile_%s' "$(printf '%s' "q$1" | sha256sum | tr -d -c 'a-f0-9' | tr '0-9' 'GHJKLMNPQR' | cut -c1-24)"
}
# sanitized: true when the binary was built with a sanitizer (slower, bigger).
sanitized() { grep -q -a -e __asan_init -e __tsan_init "$SG" 2>/dev/null; }
# run_limited SECONDS CMD...: like expect_rc's capture, but fails if CMD hangs.
# shellcheck disable=SC2034 # OUT is for the scripts that source this
run_limited() {
	secs=$1; shift
	OUT=$(timeout -k 5 "$secs" "$@" 2>"$T/.stderr"); RC=$?
	ERR=$(cat "$T/.stderr")
	[ "$RC" -ne 124 ] && [ "$RC" -ne 137 ] || fail "hung (killed after ${secs}s): $*"
}
# shellcheck disable=SC2034 # for the scripts that source this
SCAN="--no-config --rules $RULES"
# Git fixtures: no system or user configuration, fixed identities.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME="Hostile Tester" GIT_AUTHOR_EMAIL=hostile@example.com
export GIT_COMMITTER_NAME="Hostile Tester" GIT_COMMITTER_EMAIL=hostile@example.com
hrepo() { git init -q -b main "$1" && git -C "$1" config commit.gpgsign false; }
# hcommit REPO PATH TEXT: write, add and commit one file (no hooks)
hcommit() {
	mkdir -p "$(dirname "$1/$2")"
	printf '%s\n' "$3" >"$1/$2"
	git -C "$1" add -- "$2" && git -C "$1" commit -q --no-verify -m "edit $2"
}
# sg_git_available: `secretgate git` is in this build (checked, never silently)
sg_git_available() {
	if "$SG" git --help >/dev/null 2>&1; then return 0; fi
	echo "note: 'secretgate git' is not in this build; only 'secretgate scan' was checked"
	return 1
}
# no_crash: the last run_limited ended by itself, not by a signal
no_crash() { [ "$RC" -lt 128 ] || fail "$1: killed by signal $((RC - 128)) ($ERR)"; }
