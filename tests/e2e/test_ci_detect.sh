#!/bin/sh
# ci/secretgate-ci.sh: which CI system it detects and which range it chooses, for each
# system's pull/merge request, push, new-branch and tag variables, on a full clone.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ci_lib.sh"

# upstream: main M1-M2-M3, feature F1-F2 forked from M2.
git init -q "$T/src"
commit "$T/src" a.txt one
commit "$T/src" a.txt two
git -C "$T/src" checkout -q -b feature
commit "$T/src" f.txt f1
commit "$T/src" f.txt f2
git -C "$T/src" checkout -q main
commit "$T/src" a.txt three
git clone -q --bare "$T/src" "$T/up.git"
git clone -q "$T/up.git" "$T/w"
W=$T/w
M1=$(sha "$W" origin/main~2) M2=$(sha "$W" origin/main~1) M3=$(sha "$W" origin/main)
F1=$(sha "$W" origin/feature~1) F2=$(sha "$W" origin/feature)
Z=0000000000000000000000000000000000000000

# A pull request checkout: the test merge commit of feature into main, detached.
git clone -q "$T/up.git" "$T/pr"
git -C "$T/pr" checkout -q --detach origin/main
GIT_AUTHOR_DATE="@1700009000 +0000" GIT_COMMITTER_DATE="@1700009000 +0000" \
	git -C "$T/pr" merge -q --no-ff -m "Merge feature" origin/feature
MERGE=$(sha "$T/pr" HEAD)

# --- plain shell: the last commit
dry "$W"
expect_line ci local "plain shell"
expect_line range "$M2..$M3" "plain shell"
contains "$OUT" "run: $FAKE git --format text $M2..$M3"

# --- plain shell on a root commit: all of it
git init -q "$T/root"
commit "$T/root" r.txt only
R=$(sha "$T/root" HEAD)
dry "$T/root"
expect_line range "all of $R" "root commit"
contains "$OUT" "run: $FAKE git --format text --history $R"

# --- detection order and overrides
dry "$W" CI=true
expect_line ci local "CI=true alone"
dry "$W" GITHUB_ACTIONS=true GITLAB_CI=true
expect_line ci github "GitHub first"
dry "$W" JENKINS_URL=http://jenkins.example/ BUILDKITE=true
expect_line ci buildkite "Buildkite before Jenkins"
dry "$W" SECRETGATE_CI_SYSTEM=local GITHUB_ACTIONS=true
expect_line ci local "SECRETGATE_CI_SYSTEM"
run_ci "$W" SECRETGATE_CI_SYSTEM=travis SECRETGATE_CI_DRY_RUN=1
[ "$RC" -eq 2 ] || fail "unknown SECRETGATE_CI_SYSTEM: exit $RC, wanted 2"

# --- GitHub Actions
GH="GITHUB_ACTIONS=true"
# pull request, merge commit checked out, base named only by branch
dry "$T/pr" $GH GITHUB_EVENT_NAME=pull_request GITHUB_REF=refs/pull/1/merge \
	GITHUB_BASE_REF=main GITHUB_HEAD_REF=feature GITHUB_SHA="$MERGE"
expect_line ci github "github pr"
expect_line event pull_request "github pr"
expect_line range "$M3..$F2" "github pr from merge commit"
contains "$OUT" "run: $FAKE git --format github $M3..$F2"
# pull request with the event's shas, as the action passes them
dry "$T/pr" $GH GITHUB_EVENT_NAME=pull_request GITHUB_REF=refs/pull/1/merge \
	SECRETGATE_GITHUB_BASE_SHA="$M2" SECRETGATE_GITHUB_HEAD_SHA="$F2"
expect_line range "$M2..$F2" "github pr with event shas"
# pull request read from the event payload (needs jq, as on GitHub's runners)
if command -v jq >/dev/null 2>&1; then
	printf '{"pull_request":{"base":{"sha":"%s"},"head":{"sha":"%s"}}}\n' "$M3" "$F1" >"$T/event.json"
	dry "$T/pr" $GH GITHUB_EVENT_NAME=pull_request GITHUB_EVENT_PATH="$T/event.json"
	expect_line range "$M3..$F1" "github pr from event payload"
else
	skip "pull request from the event payload needs jq"
fi
# mode push on a pull request event ignores the pull request
dry "$W" $GH SECRETGATE_CI_MODE=push GITHUB_EVENT_NAME=pull_request GITHUB_SHA="$M3" \
	SECRETGATE_GITHUB_BASE_SHA="$M1" SECRETGATE_GITHUB_HEAD_SHA="$F2"
expect_line range "$M2..$M3" "github mode push on a pr event"
# push
dry "$W" $GH GITHUB_EVENT_NAME=push GITHUB_REF=refs/heads/main GITHUB_SHA="$M3" SECRETGATE_GITHUB_BEFORE="$M1"
expect_line range "$M1..$M3" "github push"
# push of a new branch: its commits since it left the default branch
dry "$W" $GH GITHUB_EVENT_NAME=push GITHUB_REF=refs/heads/feature GITHUB_SHA="$F2" SECRETGATE_GITHUB_BEFORE="$Z"
expect_line range "$M2..$F2" "github new branch"
contains "$(line reason)" "new branch"
# first push of the default branch: the last commit
dry "$W" $GH GITHUB_EVENT_NAME=push GITHUB_REF=refs/heads/main GITHUB_SHA="$M3" SECRETGATE_GITHUB_BEFORE="$Z"
expect_line range "$M2..$M3" "github new default branch"
# a force push whose old tip is gone: falls back to the branch
dry "$W" $GH GITHUB_EVENT_NAME=push GITHUB_REF=refs/heads/feature GITHUB_SHA="$F2" \
	SECRETGATE_GITHUB_BEFORE=1234567890123456789012345678901234567890 SECRETGATE_CI_FETCH=0
expect_line range "$M2..$F2" "github push, old tip unknown"
# other events: the last commit
dry "$W" $GH GITHUB_EVENT_NAME=workflow_dispatch GITHUB_SHA="$M3"
expect_line range "$M2..$M3" "github workflow_dispatch"

# --- GitLab CI
GL="GITLAB_CI=true"
dry "$W" $GL CI_PIPELINE_SOURCE=merge_request_event CI_MERGE_REQUEST_IID=5 \
	CI_MERGE_REQUEST_DIFF_BASE_SHA="$M2" CI_COMMIT_SHA="$F2" CI_MERGE_REQUEST_TARGET_BRANCH_NAME=main
expect_line ci gitlab "gitlab mr"
expect_line range "$M2..$F2" "gitlab mr"
contains "$OUT" "run: $FAKE git --format text $M2..$F2"
# merged-results pipeline: HEAD is the merge, the source branch sha names the head
dry "$T/pr" $GL CI_PIPELINE_SOURCE=merge_request_event CI_MERGE_REQUEST_IID=5 \
	CI_MERGE_REQUEST_DIFF_BASE_SHA="$M3" CI_COMMIT_SHA="$MERGE" CI_MERGE_REQUEST_SOURCE_BRANCH_SHA="$F2" \
	CI_MERGE_REQUEST_EVENT_TYPE=merged_result
expect_line range "$M3..$F2" "gitlab merged results"
# merge request with only the target branch
dry "$W" $GL CI_MERGE_REQUEST_IID=5 CI_MERGE_REQUEST_TARGET_BRANCH_NAME=main CI_COMMIT_SHA="$F2"
expect_line range "$M3..$F2" "gitlab mr by target branch"
dry "$W" $GL CI_PIPELINE_SOURCE=push CI_COMMIT_BEFORE_SHA="$F1" CI_COMMIT_SHA="$F2" CI_COMMIT_BRANCH=feature
expect_line range "$F1..$F2" "gitlab push"
dry "$W" $GL CI_PIPELINE_SOURCE=push CI_COMMIT_BEFORE_SHA="$Z" CI_COMMIT_SHA="$F2" \
	CI_COMMIT_BRANCH=feature CI_DEFAULT_BRANCH=main
expect_line range "$M2..$F2" "gitlab new branch"
dry "$W" $GL CI_PIPELINE_SOURCE=push CI_COMMIT_BEFORE_SHA="$Z" CI_COMMIT_SHA="$M3" CI_COMMIT_TAG=v1
expect_line range "$M2..$M3" "gitlab tag"

# --- Bitbucket Pipelines
BB="BITBUCKET_BUILD_NUMBER=7"
dry "$W" $BB BITBUCKET_COMMIT="$F2" BITBUCKET_BRANCH=feature BITBUCKET_PR_ID=3 BITBUCKET_PR_DESTINATION_BRANCH=main
expect_line ci bitbucket "bitbucket pr"
expect_line range "$M3..$F2" "bitbucket pr"
dry "$W" $BB BITBUCKET_COMMIT="$F2" BITBUCKET_BRANCH=feature
expect_line range "$M2..$F2" "bitbucket branch push"
dry "$W" $BB BITBUCKET_COMMIT="$M3" BITBUCKET_BRANCH=main
expect_line range "$M2..$M3" "bitbucket default branch push"

# --- CircleCI
dry "$W" CIRCLECI=true CIRCLE_SHA1="$F2" CIRCLE_BRANCH=feature
expect_line ci circleci "circleci"
expect_line range "$M2..$F2" "circleci branch"
dry "$W" CIRCLECI=true CIRCLE_SHA1="$F2" CIRCLE_BRANCH=feature \
	CIRCLE_COMPARE_URL="https://github.com/o/r/compare/$F1...$F2"
expect_line range "$F1..$F2" "circleci compare url"

# --- Jenkins
JK="JENKINS_URL=http://jenkins.example/"
dry "$W" $JK BUILD_ID=4 CHANGE_ID=9 CHANGE_TARGET=main GIT_COMMIT="$F2"
expect_line ci jenkins "jenkins change request"
expect_line range "$M3..$F2" "jenkins change request"
dry "$W" $JK BUILD_ID=4 BRANCH_NAME=main GIT_COMMIT="$M3" GIT_PREVIOUS_SUCCESSFUL_COMMIT="$M1"
expect_line range "$M1..$M3" "jenkins since last good build"
dry "$W" $JK BUILD_ID=4 GIT_BRANCH=origin/feature GIT_COMMIT="$F2"
expect_line range "$M2..$F2" "jenkins first build of a branch"

# --- Buildkite
BK="BUILDKITE=true"
dry "$W" $BK BUILDKITE_COMMIT="$F2" BUILDKITE_BRANCH=feature BUILDKITE_PULL_REQUEST=4 \
	BUILDKITE_PULL_REQUEST_BASE_BRANCH=main
expect_line ci buildkite "buildkite pr"
expect_line range "$M3..$F2" "buildkite pr"
dry "$W" $BK BUILDKITE_COMMIT="$F2" BUILDKITE_BRANCH=feature BUILDKITE_PULL_REQUEST=false \
	BUILDKITE_PIPELINE_DEFAULT_BRANCH=main
expect_line range "$M2..$F2" "buildkite branch"

# --- explicit base and range
dry "$W" GITLAB_CI=true SECRETGATE_CI_BASE="$M1"
expect_line range "$M1..$M3" "SECRETGATE_CI_BASE"
dry "$W" SECRETGATE_CI_RANGE="origin/main..origin/feature"
expect_line range "origin/main..origin/feature" "SECRETGATE_CI_RANGE"

# --- other modes
dry "$W" SECRETGATE_CI_MODE=history
contains "$OUT" "run: $FAKE git --format text --history"
dry "$W" SECRETGATE_CI_MODE=files
contains "$OUT" "run: $FAKE scan --format text ."
dry "$W" SECRETGATE_CI_MODE=none SECRETGATE_CI_ENV=production
lacks "$OUT" "run: $FAKE git"
contains "$OUT" "run: $FAKE env check --env production --format text"
run_ci "$W" SECRETGATE_CI_MODE=sideways SECRETGATE_CI_DRY_RUN=1
[ "$RC" -eq 2 ] || fail "unknown mode: exit $RC, wanted 2"
contains "$ERR" "unknown mode"

# --- not a repository
mkdir "$T/plain"
run_ci "$T/plain" SECRETGATE_CI_DRY_RUN=1
[ "$RC" -eq 2 ] || fail "outside a repository: exit $RC, wanted 2"
contains "$ERR" "not in a git repository"

finish
