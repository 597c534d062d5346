#!/bin/sh
# ci/secretgate-ci.sh in shallow clones, as CI systems make them: it fetches the base it
# lacks and deepens until base and head share history, so the range holds exactly the
# change's commits; with fetching forbidden it says what it could not do.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ci_lib.sh"

# upstream: main M1..M6, feature F1..F3 forked from M3; a pull request's merge ref.
git init -q "$T/src"
for i in 1 2 3; do commit "$T/src" m.txt "m$i"; done
git -C "$T/src" checkout -q -b feature
for i in 1 2 3; do commit "$T/src" f.txt "f$i"; done
git -C "$T/src" checkout -q main
for i in 4 5 6; do commit "$T/src" m.txt "m$i"; done
git -C "$T/src" checkout -q --detach main
GIT_AUTHOR_DATE="@1700009000 +0000" GIT_COMMITTER_DATE="@1700009000 +0000" \
	git -C "$T/src" merge -q --no-ff -m "Merge feature" feature
git -C "$T/src" update-ref refs/pull/1/merge HEAD
git -C "$T/src" update-ref refs/pull/1/head feature
git -C "$T/src" checkout -q main
git clone -q --bare "$T/src" "$T/up.git"
git -C "$T/up.git" fetch -q "$T/src" "+refs/pull/*:refs/pull/*"
# Like GitHub and GitLab, serve commits by id.
git -C "$T/up.git" config uploadpack.allowReachableSHA1InWant true
UP="file://$T/up.git"
M3=$(sha "$T/up.git" main~3) M6=$(sha "$T/up.git" main)
F2=$(sha "$T/up.git" feature~1) F3=$(sha "$T/up.git" feature)
MERGE=$(sha "$T/up.git" refs/pull/1/merge)

# --- GitLab merge request in a depth-1 clone of the feature branch (GIT_DEPTH=1)
git clone -q --depth 1 --branch feature "$UP" "$T/gl"
git -C "$T/gl" cat-file -e "$M6^{commit}" 2>/dev/null && fail "setup: base already present"
dry "$T/gl" GITLAB_CI=true CI_MERGE_REQUEST_IID=1 CI_MERGE_REQUEST_DIFF_BASE_SHA="$M6" \
	CI_COMMIT_SHA="$F3" SECRETGATE_CI_DEPTH=1
expect_line range "$M6..$F3" "gitlab mr, shallow"
contains "$(line fetched)" "$M6"
contains "$(line fetched)" "--deepen"
git -C "$T/gl" merge-base "$M6" "$F3" >/dev/null || fail "gitlab mr: base and head still unconnected"
[ "$(git -C "$T/gl" merge-base "$M6" "$F3")" = "$M3" ] || fail "gitlab mr: wrong merge base"

# --- GitHub pull request: actions/checkout fetches refs/pull/N/merge at depth 1
git init -q "$T/gh"
git -C "$T/gh" remote add origin "$UP"
git -C "$T/gh" fetch -q --depth 1 origin "+refs/pull/1/merge:refs/remotes/pull/1/merge"
git -C "$T/gh" checkout -q --detach refs/remotes/pull/1/merge
dry "$T/gh" GITHUB_ACTIONS=true GITHUB_EVENT_NAME=pull_request GITHUB_REF=refs/pull/1/merge \
	GITHUB_BASE_REF=main GITHUB_SHA="$MERGE"
expect_line head "$F3" "github pr, shallow merge checkout"
expect_line range "$M6..$F3" "github pr, shallow merge checkout"
# the same with the shas the action passes
rm -rf "$T/gh2"
git init -q "$T/gh2"
git -C "$T/gh2" remote add origin "$UP"
git -C "$T/gh2" fetch -q --depth 1 origin "+refs/pull/1/merge:refs/remotes/pull/1/merge"
git -C "$T/gh2" checkout -q --detach refs/remotes/pull/1/merge
dry "$T/gh2" GITHUB_ACTIONS=true GITHUB_EVENT_NAME=pull_request GITHUB_REF=refs/pull/1/merge \
	SECRETGATE_GITHUB_BASE_SHA="$M6" SECRETGATE_GITHUB_HEAD_SHA="$F3" GITHUB_SHA="$MERGE"
expect_line range "$M6..$F3" "github pr with shas, shallow"

# --- push of one commit to a branch: the parent is fetched
git clone -q --depth 1 --branch feature "$UP" "$T/push"
dry "$T/push" GITHUB_ACTIONS=true GITHUB_EVENT_NAME=push GITHUB_REF=refs/heads/feature \
	GITHUB_SHA="$F3" SECRETGATE_GITHUB_BEFORE="$F2"
expect_line range "$F2..$F3" "github push, shallow"

# --- a new branch in a shallow clone: the default branch is fetched and connected
git clone -q --depth 1 --branch feature "$UP" "$T/nb"
dry "$T/nb" GITLAB_CI=true CI_COMMIT_BEFORE_SHA=0000000000000000000000000000000000000000 \
	CI_COMMIT_SHA="$F3" CI_COMMIT_BRANCH=feature CI_DEFAULT_BRANCH=main
expect_line range "$M3..$F3" "gitlab new branch, shallow"

# --- fetching forbidden: the missing base is reported, what is present is scanned
git clone -q --depth 1 --branch feature "$UP" "$T/nofetch"
dry "$T/nofetch" GITLAB_CI=true CI_MERGE_REQUEST_IID=1 CI_MERGE_REQUEST_DIFF_BASE_SHA="$M6" \
	CI_COMMIT_SHA="$F3" SECRETGATE_CI_FETCH=0
contains "$ERR" "cannot find base $M6"
expect_line range "all of $F3" "no fetch"
contains "$(line reason)" "shallow clone"
[ -z "$(line fetched)" ] || fail "no fetch: fetched $(line fetched)"

# --- history mode unshallows and fetches every branch before the sweep
git clone -q --depth 1 --branch feature "$UP" "$T/hist"
reset_fake
run_ci "$T/hist" SECRETGATE_CI_MODE=history
[ "$RC" -eq 0 ] || fail "history: exit $RC (stderr: $ERR)"
[ "$(git -C "$T/hist" rev-parse --is-shallow-repository)" = false ] || fail "history: still shallow"
git -C "$T/hist" rev-parse --verify -q refs/remotes/origin/main >/dev/null || fail "history: main not fetched"
[ "$(calls)" = "[git][--format][text][--history]" ] || fail "history call: $(calls)"

finish
