#!/bin/sh
# ci/secretgate-ci.sh with the real binary on GitHub- and GitLab-style variables: a pull
# request that disables the rule catching its own secret, allows its path, or lists it in
# the ignore file still blocks, because the policy is read from the range's base, and the
# policy change is reported; SECRETGATE_CI_POLICY_FROM=head trusts the request's policy.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ci_lib.sh"

cat >"$T/rules.yaml" <<'YAML'
rules:
  - id: ci-token
    description: CI test token
    severity: high
    keywords: [sgt_]
    pattern: '\b(?<secret>sgt_[a-z0-9]{24})\b'
YAML
TOKEN=$(printf 'sg%s_%s' t q7x2k9m4p1z8w3v6r5n00042)

# upstream main with a policy; a pull request that adds a token and weakens the policy
git init -q "$T/src"
commit "$T/src" app.py 'print("hi")'
commit "$T/src" .secretgate.yml 'fail_on: low'
git -C "$T/src" checkout -q -b feature
printf 'k = "%s"\n' "$TOKEN" >>"$T/src/app.py"
printf 'fail_on: low\nrules:\n  disable: [ci-token]\nallow:\n  paths: ["app.py"]\n' >"$T/src/.secretgate.yml"
git -C "$T/src" add -A && git -C "$T/src" commit -q -m "a token and a looser policy"
git -C "$T/src" checkout -q main
git clone -q --bare "$T/src" "$T/up.git"
git clone -q "$T/up.git" "$T/w"
W=$T/w
M=$(sha "$W" origin/main) F=$(sha "$W" origin/feature)

# A GitHub pull request checkout: the test merge commit, whose working tree holds the
# request's .secretgate.yml.
git clone -q "$T/up.git" "$T/pr"
git -C "$T/pr" checkout -q --detach origin/main
GIT_AUTHOR_DATE="@1700009000 +0000" GIT_COMMITTER_DATE="@1700009000 +0000" \
	git -C "$T/pr" merge -q --no-ff -m "Merge feature" origin/feature
grep -q ci-token "$T/pr/.secretgate.yml" || fail "setup: the merge result holds the PR's policy"

ARGS="SECRETGATE_CI_ARGS=--rules $T/rules.yaml"
GH="GITHUB_ACTIONS=true GITHUB_EVENT_NAME=pull_request GITHUB_REF=refs/pull/1/merge GITHUB_BASE_REF=main GITHUB_HEAD_REF=feature"

# --- GitHub: blocked, the token and both policy changes annotated
# shellcheck disable=SC2086
run_ci "$T/pr" $GH SECRETGATE="$SG" "$ARGS"
[ "$RC" -eq 1 ] || fail "github pull request: exit $RC, wanted 1 (stderr: $ERR)"
contains "$OUT" "::error file=app.py,line=2"
contains "$OUT" "title=secretgate ci-token"
contains "$OUT" "rule disabled: ci-token (rules.disable)"
contains "$OUT" "path allowed: app.py (allow.paths)"
contains "$ERR" "policy: $M (the range's base)"
lacks "$OUT$ERR" "$TOKEN"
# the dry run names where the policy comes from
# shellcheck disable=SC2086
dry "$T/pr" $GH
expect_line policy "$M (the range's base)" "github dry run"
# a reviewer approved the policy change: the request's own policy
# shellcheck disable=SC2086
run_ci "$T/pr" $GH SECRETGATE="$SG" "$ARGS" SECRETGATE_CI_POLICY_FROM=head
[ "$RC" -eq 0 ] || fail "github, policy from head: exit $RC, wanted 0 (stderr: $ERR)"
contains "$ERR" "policy: $F (SECRETGATE_CI_POLICY_FROM)"
# shellcheck disable=SC2086
dry "$T/pr" $GH SECRETGATE_CI_POLICY_FROM=head
contains "$OUT" "--policy-from $F"

# --- GitLab merge request: the same, in text
GL="GITLAB_CI=true CI_PIPELINE_SOURCE=merge_request_event CI_MERGE_REQUEST_IID=5 CI_MERGE_REQUEST_TARGET_BRANCH_NAME=main"
git -C "$W" checkout -q --detach "$F"
# shellcheck disable=SC2086
run_ci "$W" $GL CI_MERGE_REQUEST_DIFF_BASE_SHA="$M" CI_COMMIT_SHA="$F" SECRETGATE="$SG" "$ARGS"
[ "$RC" -eq 1 ] || fail "gitlab merge request: exit $RC, wanted 1 (stderr: $ERR)"
contains "$OUT" "app.py:2:"
contains "$OUT" "ci-token"
contains "$OUT" "policy-changed  rule disabled: ci-token"
contains "$ERR" "policy: $M (the range's base)"

# --- an ignore entry and an inline allow added by the request
git -C "$T/src" checkout -q -b feature2 main
printf 'k = "%s"\n' "$TOKEN" >>"$T/src/app.py"
printf 'j = "%s"  # secretgate:allow\n' "$(printf 'sg%s_%s' t q7x2k9m4p1z8w3v6r5n00043)" >"$T/src/lib.py"
"$SG" scan --rules "$T/rules.yaml" --format jsonl "$T/src/app.py" 2>/dev/null |
	sed 's/.*"fingerprint":"\([^"]*\)".*/\1/' >"$T/src/.secretgateignore"
grep -q '^ci-token:' "$T/src/.secretgateignore" || fail "setup: ignore entry"
git -C "$T/src" add -A && git -C "$T/src" commit -q -m "ignore my token"
git -C "$T/src" push -q "$T/up.git" feature2
git -C "$W" fetch -q origin
F2=$(sha "$W" origin/feature2)
git -C "$W" checkout -q --detach "$F2"
# shellcheck disable=SC2086
run_ci "$W" $GL CI_MERGE_REQUEST_DIFF_BASE_SHA="$M" CI_COMMIT_SHA="$F2" SECRETGATE="$SG" "$ARGS"
[ "$RC" -eq 1 ] || fail "gitlab, ignore entry: exit $RC, wanted 1 (stderr: $ERR)"
contains "$OUT" "fingerprint added to the ignore file"
contains "$OUT" "allow-added"
contains "$ERR" "2 blocking"
# SECRETGATE_CI_FAIL_ON_NEW_ALLOWS makes the marker block too
# shellcheck disable=SC2086
run_ci "$W" $GL CI_MERGE_REQUEST_DIFF_BASE_SHA="$M" CI_COMMIT_SHA="$F2" SECRETGATE="$SG" "$ARGS" \
	SECRETGATE_CI_FAIL_ON_NEW_ALLOWS=1
contains "$ERR" "3 blocking"
finish
