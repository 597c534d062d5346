#!/bin/sh
# ci/secretgate-ci.sh with a fake secretgate: the exact arguments of each command, how exit
# codes combine (1 wins over 2), report files, env checks, GitHub outputs and summary, and
# the refusals (--show-secrets, leaks without an environment).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ci_lib.sh"

git init -q "$T/w"
commit "$T/w" a.txt one
commit "$T/w" a.txt two
W=$T/w
A=$(sha "$W" HEAD~1) B=$(sha "$W" HEAD)

# --- exit codes pass through
for rc in 0 1 2; do
	reset_fake
	echo "$rc" >"$T/rc_scan"
	run_ci "$W"
	[ "$RC" -eq "$rc" ] || fail "scan exiting $rc: script exited $RC (stderr: $ERR)"
	[ "$(calls)" = "[git][--format][text][$A..$B]" ] || fail "scan call: $(calls)"
done
reset_fake
echo 139 >"$T/rc_scan"
run_ci "$W"
[ "$RC" -eq 2 ] || fail "a crashing scanner must give 2, got $RC"
contains "$ERR" "exited with status 139"

# --- 1 wins over 2, whichever order
reset_fake
echo 2 >"$T/rc_scan"
echo 1 >"$T/rc_env"
run_ci "$W" SECRETGATE_CI_ENV=production
[ "$RC" -eq 1 ] || fail "scan 2 + env 1: got $RC, wanted 1"
reset_fake
echo 1 >"$T/rc_scan"
echo 2 >"$T/rc_env"
run_ci "$W" SECRETGATE_CI_ENV=production
[ "$RC" -eq 1 ] || fail "scan 1 + env 2: got $RC, wanted 1"
reset_fake
echo 2 >"$T/rc_env"
run_ci "$W" SECRETGATE_CI_ENV=production
[ "$RC" -eq 2 ] || fail "scan 0 + env 2: got $RC, wanted 2"

# --- every option where it belongs, options before the operands
reset_fake
NLS='
'
mkdir -p "$W/.secretgate" && : >"$W/.secretgate/baseline"
run_ci "$W" SECRETGATE_CI_CONFIG="my config.yml" SECRETGATE_CI_BASELINE=.secretgate/baseline \
	SECRETGATE_CI_FAIL_ON=high SECRETGATE_CI_ENV=production SECRETGATE_CI_DOTENV=.env.prod \
	SECRETGATE_CI_LEAKS_PATHS="dist${NLS}my bundle" SECRETGATE_CI_ARGS="-j 2"
[ "$RC" -eq 0 ] || fail "all options: exit $RC (stderr: $ERR)"
want="[git][--format][text][--config][my config.yml][--baseline][.secretgate/baseline][--fail-on][high][-j][2][$A..$B]
[env][check][--env][production][--format][text][--config][my config.yml][--dotenv][.env.prod]
[env][leaks][--env][production][--format][text][--config][my config.yml][--baseline][.secretgate/baseline][--fail-on][high][-j][2][dist][my bundle]"
[ "$(calls)" = "$want" ] || fail "all options: calls were
$(calls)
wanted
$want"

# --- a baseline named before it exists counts as empty, with a notice (examples work as copied)
rm -f "$W/.secretgate/baseline"
reset_fake
run_ci "$W" SECRETGATE_CI_BASELINE=.secretgate/baseline
[ "$RC" -eq 0 ] || fail "missing baseline: exit $RC (stderr: $ERR)"
[ "$(calls)" = "[git][--format][text][$A..$B]" ] || fail "missing baseline: $(calls)"
contains "$ERR" "baseline .secretgate/baseline does not exist yet; treated as empty"
contains "$ERR" "--write-baseline"

# --- files mode: paths one per line, spaces kept, no globbing
reset_fake
run_ci "$W" SECRETGATE_CI_MODE=files SECRETGATE_CI_PATHS="src${NLS}my dir${NLS}*.md"
[ "$(calls)" = "[scan][--format][text][src][my dir][*.md]" ] || fail "files mode: $(calls)"

# --- extra reports: written by the one scan
reset_fake
run_ci "$W" SECRETGATE_CI_REPORTS="sarif:out/sg.sarif${NLS}junit:sg.xml" SECRETGATE_CI_SARIF_CATEGORY=pr
want="[git][--format][text][--report][sarif=out/sg.sarif][--report][junit=sg.xml][--sarif-category][pr][$A..$B]"
[ "$(calls)" = "$want" ] || fail "reports: calls were
$(calls)"
reset_fake
run_ci "$W" SECRETGATE_CI_REPORTS="sarif"
[ "$RC" -eq 2 ] || fail "malformed SECRETGATE_CI_REPORTS: exit $RC, wanted 2"

# --- GitHub: annotations format, outputs, the summary written once (by the main scan)
reset_fake
: >"$T/gh_out"
: >"$T/gh_sum"
echo 1 >"$T/rc_scan"
run_ci "$W" GITHUB_ACTIONS=true GITHUB_EVENT_NAME=push GITHUB_SHA="$B" SECRETGATE_GITHUB_BEFORE="$A" \
	GITHUB_OUTPUT="$T/gh_out" GITHUB_STEP_SUMMARY="$T/gh_sum" SECRETGATE_CI_REPORTS="sarif:sg.sarif"
[ "$RC" -eq 1 ] || fail "github findings: exit $RC"
want="[git][--format][github][--report][sarif=sg.sarif][$A..$B]"
[ "$(calls)" = "$want" ] || fail "github calls: $(calls)"
contains "$(cat "$T/gh_out")" "range=$A..$B"
contains "$(cat "$T/gh_out")" "exit-code=1"
contains "$(cat "$T/gh_out")" "ci-system=github"
contains "$(cat "$T/gh_sum")" "### secretgate"
[ "$(cat "$T/summaries")" = "$T/gh_sum" ] ||
	fail "one scan, one job summary: $(cat "$T/summaries")"
reset_fake
run_ci "$W" GITHUB_ACTIONS=true GITHUB_SHA="$B" GITHUB_STEP_SUMMARY="$T/gh_sum" SECRETGATE_CI_SUMMARY=0
[ "$(cat "$T/summaries")" = "no-summary" ] || fail "SECRETGATE_CI_SUMMARY=0: $(cat "$T/summaries")"
reset_fake
run_ci "$W" SECRETGATE_CI_FORMAT=jsonl SECRETGATE_CI_OUTPUT=findings.jsonl GITHUB_ACTIONS=true GITHUB_SHA="$B"
[ "$(calls)" = "[git][--format][jsonl][--output][findings.jsonl][$A..$B]" ] || fail "format override: $(calls)"

# --- refusals, nothing run
reset_fake
run_ci "$W" SECRETGATE_CI_ARGS="--show-secrets"
[ "$RC" -eq 2 ] || fail "--show-secrets: exit $RC, wanted 2"
[ -z "$(calls)" ] || fail "--show-secrets: secretgate was run"
reset_fake
run_ci "$W" SECRETGATE_CI_MODE=none SECRETGATE_CI_LEAKS_PATHS=dist
[ "$RC" -eq 2 ] || fail "leaks without env: exit $RC, wanted 2"
contains "$ERR" "needs SECRETGATE_CI_ENV"

# --- the dry run runs nothing
reset_fake
echo 1 >"$T/rc_scan"
run_ci "$W" SECRETGATE_CI_DRY_RUN=1
[ "$RC" -eq 0 ] || fail "dry run: exit $RC"
[ -z "$(calls)" ] || fail "dry run ran secretgate: $(calls)"
OUT=$(cd "$W" && env -i PATH="$PATH" HOME="$HOME" SECRETGATE="$FAKE" sh "$CI_SCRIPT" --dry-run)
contains "$OUT" "range: $A..$B"
[ -z "$(calls)" ] || fail "--dry-run ran secretgate: $(calls)"

# --- the binary defaults to secretgate on PATH
reset_fake
OUT=$(cd "$W" && env -i PATH="$T/bin:$PATH" HOME="$HOME" sh "$CI_SCRIPT" 2>&1)
[ "$(calls)" = "[git][--format][text][$A..$B]" ] || fail "secretgate from PATH: $(calls) ($OUT)"

# --- help
OUT=$(sh "$CI_SCRIPT" --help)
contains "$OUT" "SECRETGATE_CI_DRY_RUN"

finish
