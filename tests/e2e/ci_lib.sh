# shellcheck shell=sh
# Helpers for the tests of ci/: . "$(dirname "$0")/ci_lib.sh" after lib.sh.
# A fake secretgate that records its arguments, throw-away repositories built with git,
# and run_ci, which runs ci/secretgate-ci.sh in a clean environment (no variables of the
# CI system the tests themselves run in) plus the ones a test names.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CI_SCRIPT=$ROOT/ci/secretgate-ci.sh
mkdir -p "$T/home" "$T/tmp"

# The fake binary: one line per call, each argument in brackets; the exit code comes from
# $T/rc_env for `env ...` and $T/rc_scan for everything else (default 0).
FAKE=$T/bin/secretgate
mkdir -p "$T/bin"
cat >"$FAKE" <<EOF
#!/bin/sh
for a in "\$@"; do printf '[%s]' "\$a"; done >>"$T/calls"
echo >>"$T/calls"
echo "\${GITHUB_STEP_SUMMARY:-no-summary}" >>"$T/summaries"
case \$1 in env) f=$T/rc_env ;; *) f=$T/rc_scan ;; esac
[ -f "\$f" ] && exit "\$(cat "\$f")"
exit 0
EOF
chmod +x "$FAKE"
reset_fake() { rm -f "$T/calls" "$T/summaries" "$T/rc_env" "$T/rc_scan"; }
calls() { cat "$T/calls" 2>/dev/null; }

# Deterministic git: no user or system configuration, fixed identities and dates.
export HOME="$T/home" GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=Dev GIT_AUTHOR_EMAIL=dev@example.com \
	GIT_COMMITTER_NAME=Dev GIT_COMMITTER_EMAIL=dev@example.com
git config --global init.defaultBranch main
git config --global advice.detachedHead false
git config --global protocol.file.allow always
TICK=1700000000
commit() { # commit DIR FILE TEXT: add a commit, print nothing
	TICK=$((TICK + 60))
	printf '%s\n' "$3" >"$1/$2"
	git -C "$1" add "$2"
	GIT_AUTHOR_DATE="@$TICK +0000" GIT_COMMITTER_DATE="@$TICK +0000" \
		git -C "$1" commit -q -m "$2: $3"
}
sha() { git -C "$1" rev-parse "$2"; }

# run_ci DIR [VAR=VALUE...]: the script in DIR with only these variables; stdout in $OUT,
# stderr in $ERR, exit status in $RC.
run_ci() {
	d=$1
	shift
	OUT=$(cd "$d" && env -i PATH="$PATH" HOME="$HOME" TMPDIR="$T/tmp" GIT_CONFIG_NOSYSTEM=1 \
		SECRETGATE="$FAKE" "$@" sh "$CI_SCRIPT" 2>"$T/.ci_err")
	RC=$?
	ERR=$(cat "$T/.ci_err")
}
# dry DIR [VAR=VALUE...]: run_ci in dry-run mode, expecting exit 0.
dry() {
	run_ci "$@" SECRETGATE_CI_DRY_RUN=1
	[ "$RC" -eq 0 ] || fail "dry run exited $RC: $* (stderr: $ERR)"
}
# line KEY: the value of "KEY: ..." in $OUT.
line() { printf '%s\n' "$OUT" | sed -n "s/^$1: //p" | head -n 1; }
expect_line() { # expect_line KEY WANT WHAT
	got=$(line "$1")
	[ "$got" = "$2" ] || fail "$3: $1 is '$got', wanted '$2' (output: $OUT) (stderr: $ERR)"
}
