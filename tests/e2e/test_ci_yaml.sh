#!/bin/sh
# Every workflow, action and CI template parses as YAML (libyaml, through a small checker
# built here) with no repeated keys; every input ci/action.yml or a reusable workflow
# declares is used as inputs.NAME; every steps.ID / needs.JOB it references exists; composite
# run steps name their shell; no run script pastes ${{ ... }} (inputs and event fields reach
# scripts through env, so a branch name cannot inject shell); third-party actions are pinned.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
YC=$T/yamlcheck
CC=${CC:-cc}
if ! $CC -std=gnu11 -O1 -Wall -Wextra -Werror -o "$YC" "$ROOT/tests/e2e/yamlcheck.c" -lyaml 2>"$T/cc.log"; then
	fail "cannot build yamlcheck (libyaml-dev): $(cat "$T/cc.log")"
	finish
fi

# The checker itself: a good file, a syntax error, a repeated key.
printf 'a:\n  b: [1, 2]\n  c: "x"\n' >"$T/good.yml"
expect_rc 0 "$YC" -f "$T/good.yml"
contains "$OUT" "a.b[1]	2"
contains "$OUT" "a.c	x"
printf 'a: [\n' >"$T/bad.yml"
expect_rc 1 "$YC" "$T/bad.yml"
contains "$ERR" "bad.yml:2:"
printf 'a: 1\nb: 2\na: 3\n' >"$T/dup.yml"
expect_rc 1 "$YC" "$T/dup.yml"
contains "$ERR" "duplicate key 'a'"

# ... and the flattened form the checks below read: a run script with an expression is seen.
printf 'jobs:\n  j:\n    steps:\n      - run: echo "${{ github.event.pull_request.title }}"\n' >"$T/inj.yml"
"$YC" -f "$T/inj.yml" | grep -Eq '(^|\.)run	.*\$\{\{' || fail "yamlcheck -f: run script not seen"

files=$( (find "$ROOT/.github" "$ROOT/ci" \( -name '*.yml' -o -name '*.yaml' \) -type f; echo "$ROOT/action.yml") | LC_ALL=C sort)
for want in action.yml ci/gitlab-ci.yml .github/workflows/ci.yml .github/workflows/sweep.yml; do
	[ -f "$ROOT/$want" ] || fail "missing $want"
done
[ "$(printf '%s\n' "$files" | grep -c 'ci/examples/')" -ge 4 ] || fail "ci/examples/ should hold at least four examples"

for f in $files; do
	rel=${f#"$ROOT"/}
	if ! "$YC" -f "$f" >"$T/flat" 2>"$T/err"; then
		fail "$rel does not parse: $(cat "$T/err")"
		continue
	fi
	text=$(cat "$f")

	# Declared inputs (an action's, a reusable or dispatchable workflow's) are all used.
	inputs=$(sed -n -E 's/^(inputs|on\.workflow_call\.inputs|on\.workflow_dispatch\.inputs)\.([A-Za-z0-9_-]+)\..*/\2/p' "$T/flat" | LC_ALL=C sort -u)
	for name in $inputs; do
		printf '%s\n' "$text" | grep -Eq "inputs\.$name([^A-Za-z0-9_-]|\$)" ||
			fail "$rel: input '$name' is declared but never used as inputs.$name"
	done

	# steps.ID and needs.JOB name a step id / a job of this file.
	ids=$(sed -n -E 's/^.*\.id	(.*)$/\1/p' "$T/flat" | LC_ALL=C sort -u)
	for id in $(printf '%s\n' "$text" | grep -oE 'steps\.[A-Za-z0-9_-]+\.' | sed -e 's/^steps\.//' -e 's/\.$//' | LC_ALL=C sort -u); do
		printf '%s\n' "$ids" | grep -qx "$id" || fail "$rel: steps.$id refers to no step id"
	done
	jobs=$(sed -n -E 's/^jobs\.([A-Za-z0-9_-]+)\..*/\1/p' "$T/flat" | LC_ALL=C sort -u)
	for j in $(printf '%s\n' "$text" | grep -oE 'needs\.[A-Za-z0-9_-]+\.' | sed -e 's/^needs\.//' -e 's/\.$//' | LC_ALL=C sort -u); do
		printf '%s\n' "$jobs" | grep -qx "$j" || fail "$rel: needs.$j refers to no job"
	done

	# No expression pasted into a run script.
	if grep -E '(^|\.)run	.*\$\{\{' "$T/flat" >"$T/inj"; then
		fail "$rel: a run script contains \${{ }} (pass it through env): $(head -n 1 "$T/inj")"
	fi

	# Actions from elsewhere carry a ref.
	grep -E '\.uses	' "$T/flat" | cut -f 2 | while IFS= read -r u; do
		case $u in ./* | docker://*) ;; *@?*) ;; *) echo "$u" ;; esac
	done >"$T/unpinned"
	[ -s "$T/unpinned" ] && fail "$rel: action without @ref: $(head -n 1 "$T/unpinned")"

	# Workflows have triggers and jobs; every job says where it runs or what it calls.
	case $rel in
	.github/workflows/* | ci/examples/*)
		if grep -q '^jobs\.' "$T/flat"; then
			grep -q '^on[.	]' "$T/flat" || fail "$rel: no 'on:'"
			for j in $jobs; do
				grep -Eq "^jobs\.$j\.(runs-on|uses)	" "$T/flat" || fail "$rel: job $j has neither runs-on nor uses"
			done
		fi
		;;
	esac
done

# The action: a composite action whose run steps all name a shell, and the scripts it runs exist.
A=$ROOT/action.yml
"$YC" -f "$A" >"$T/action" 2>/dev/null
contains "$(cat "$T/action")" "runs.using	composite"
for n in $(sed -n -E 's/^runs\.steps\[([0-9]+)\]\.run	.*/\1/p' "$T/action"); do
	grep -q "^runs\.steps\[$n\]\.shell	" "$T/action" || fail "action.yml: run step $n has no shell"
done
for input in mode paths env leaks-paths baseline config fail-on sarif; do
	grep -q "^inputs\.$input\.description	" "$T/action" || fail "action.yml: input $input missing or undocumented"
done
grep -q 'secretgate-ci\.sh' "$A" || fail "action.yml does not run ci/secretgate-ci.sh"
grep -q 'actions/cache' "$A" || fail "action.yml does not cache the build"
lacks "$(grep '^runs\.' "$T/action")" "--show-secrets"

# The project's own CI covers what it must.
W=$(cat "$ROOT/.github/workflows/ci.yml")
contains "$W" "ubuntu-latest"
contains "$W" "debian:12"
contains "$W" "SANITIZE=address,undefined"
contains "$W" "make fuzz-smoke"
contains "$W" "uses: ./"
S=$(cat "$ROOT/.github/workflows/sweep.yml")
contains "$S" "workflow_call"
contains "$S" "workflow_dispatch"
contains "$S" "max-parallel"
contains "$S" "fromJSON(needs.plan.outputs.matrix)"
contains "$S" "ci/sweep-merge.sh"

# The GitLab template produces the reports it promises.
"$YC" -f "$ROOT/ci/gitlab-ci.yml" >"$T/gl" 2>/dev/null
contains "$(cat "$T/gl")" ".secretgate.artifacts.reports.secret_detection	gl-secret-detection-report.json"
contains "$(cat "$T/gl")" ".secretgate.artifacts.reports.junit	secretgate-junit.xml"
contains "$(cat "$T/gl")" "secretgate.extends	.secretgate"

finish
