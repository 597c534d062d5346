#!/bin/sh
# secretgate-ci.sh: run secretgate in any CI system.
#
# Detects the CI system from its environment (GitHub Actions, GitLab CI, Bitbucket
# Pipelines, CircleCI, Jenkins, Buildkite, or a plain shell), works out what to scan
# (the merge/pull request's commits, the pushed range, or the last commit), fetches what a
# shallow checkout lacks when it can, and runs secretgate. Exit codes are secretgate's:
# 0 clean, 1 blocking findings or violations, 2 usage, configuration or runtime error.
#
# Settings (environment variables; all optional):
#   SECRETGATE                 the binary (default: secretgate on PATH, else ../build/secretgate)
#   SECRETGATE_CI_MODE         auto (default) | pr | push | history | files | none
#                              pr and auto prefer the merge/pull request, push ignores it,
#                              history sweeps every ref, files scans SECRETGATE_CI_PATHS,
#                              none runs only the env checks below
#   SECRETGATE_CI_PATHS        files mode: paths, one per line (default: .)
#   SECRETGATE_CI_RANGE        use this revision range as is (A..B)
#   SECRETGATE_CI_BASE         use this base revision; the range is BASE..HEAD
#   SECRETGATE_CI_HEAD         the head revision (default: HEAD, or what the CI names)
#   SECRETGATE_CI_DEFAULT_BRANCH   the repository's default branch, when it cannot be found
#   SECRETGATE_CI_ENV          run `env check --env NAME`
#   SECRETGATE_CI_DOTENV       ... with `--dotenv FILE`
#   SECRETGATE_CI_LEAKS_PATHS  run `env leaks --env NAME` on these paths (one per line)
#   SECRETGATE_CI_CONFIG       --config FILE
#   SECRETGATE_CI_BASELINE     --baseline FILE; a file that does not exist yet counts as an
#                              empty baseline (every finding blocks), with a notice
#   SECRETGATE_CI_FAIL_ON      --fail-on SEVERITY
#   SECRETGATE_CI_POLICY_FROM  the revision .secretgate.yml, the ignore file and the baseline
#                              are read from (default: the range's base, so a pull request
#                              cannot set its own policy); head: the pull request's own,
#                              for a run after a reviewer approved its policy change
#   SECRETGATE_CI_FAIL_ON_NEW_ALLOWS  1: inline allow markers the range adds block
#   SECRETGATE_CI_FORMAT       format printed to the log (default: github on GitHub Actions,
#                              text elsewhere)
#   SECRETGATE_CI_OUTPUT       write that format to this file instead of the log
#   SECRETGATE_CI_REPORTS      extra report files of the main scan: FORMAT:FILE entries
#                              separated by spaces or newlines (sarif:out.sarif junit:out.xml),
#                              written by the same scan (--report FORMAT=FILE)
#   SECRETGATE_CI_SARIF_CATEGORY  --sarif-category NAME (code scanning's category)
#   SECRETGATE_CI_ARGS         extra arguments for every scan (split on spaces)
#   SECRETGATE_CI_SUMMARY      0 to keep the GitHub job summary empty
#   SECRETGATE_CI_FETCH        0 to never run git fetch
#   SECRETGATE_CI_REMOTE       remote to fetch from (default: origin)
#   SECRETGATE_CI_DEPTH        commits to fetch at a time in a shallow clone (default: 50)
#   SECRETGATE_CI_SYSTEM       skip detection: github gitlab bitbucket circleci jenkins
#                              buildkite local
#   SECRETGATE_CI_DRY_RUN      1: print the CI system, the range and the commands, run nothing
#                              (what the range needs is still fetched)
# Options: -n/--dry-run (same as SECRETGATE_CI_DRY_RUN=1), -h/--help.
# shellcheck disable=SC2317 # range_* functions are called as "range_$CI_SYSTEM"
set -u

ME=secretgate-ci
say() { printf '%s: %s\n' "$ME" "$*" >&2; }
die() { say "$*"; exit 2; }

while [ $# -gt 0 ]; do
	case $1 in
	-n | --dry-run) SECRETGATE_CI_DRY_RUN=1 ;;
	-h | --help) sed -n '2,/^# Options/p' "$0" | sed -e 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument: $1 (settings are environment variables; see --help)" ;;
	esac
	shift
done

DRY=${SECRETGATE_CI_DRY_RUN:-0}
case $DRY in 1 | true | yes) DRY=1 ;; *) DRY=0 ;; esac
MODE=${SECRETGATE_CI_MODE:-auto}
REMOTE=${SECRETGATE_CI_REMOTE:-origin}
DEPTH=${SECRETGATE_CI_DEPTH:-50}
NL='
'

case $MODE in
auto | pr | push | history | files | none) ;;
*) die "SECRETGATE_CI_MODE: unknown mode '$MODE' (auto, pr, push, history, files, none)" ;;
esac
case $DEPTH in '' | *[!0-9]*) die "SECRETGATE_CI_DEPTH: not a number: $DEPTH" ;; esac

# The binary.
if [ -n "${SECRETGATE:-}" ]; then
	SG=$SECRETGATE
elif command -v secretgate >/dev/null 2>&1; then
	SG=secretgate
elif [ -x "$(dirname "$0")/../build/secretgate" ]; then
	SG=$(cd "$(dirname "$0")/.." && pwd)/build/secretgate
else
	SG=secretgate
fi

# Secrets never go to CI logs.
case " ${SECRETGATE_CI_ARGS:-} " in
*" --show-secrets "* | *" --show-secrets="*) die "--show-secrets is refused: CI logs are kept and shared" ;;
esac

# ---------------------------------------------------------------- helpers

# q ARG: ARG quoted for a shell, only when it needs it.
q() {
	case $1 in
	'' | *[!A-Za-z0-9_./:=@%+,^~-]*) printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")" ;;
	*) printf '%s' "$1" ;;
	esac
}
ARGS=
add() { for a in "$@"; do ARGS="$ARGS $(q "$a")"; done; }
# add_lines TEXT: one argument per non-empty line.
add_lines() {
	old_ifs=$IFS
	IFS=$NL
	set -f
	for a in $1; do [ -n "$a" ] && add "$a"; done
	set +f
	IFS=$old_ifs
}

is_zero() { case $1 in '' | *[!0]*) return 1 ;; esac; }
is_sha() { case $1 in '' | *[!0-9a-f]*) return 1 ;; esac; [ ${#1} -ge 7 ]; }
have_commit() { git cat-file -e "$1^{commit}" 2>/dev/null; }
rev() { git rev-parse --verify --quiet "$1^{commit}" 2>/dev/null; }
is_shallow() { [ "$(git rev-parse --is-shallow-repository 2>/dev/null)" = true ]; }
can_fetch() {
	case ${SECRETGATE_CI_FETCH:-1} in 0 | false | no) return 1 ;; esac
	git remote get-url "$REMOTE" >/dev/null 2>&1
}
# What was fetched, for the explanation (fetch also runs in command substitutions).
FETCH_LOG=$(mktemp "${TMPDIR:-/tmp}/secretgate-ci.XXXXXX") || die "cannot create a temporary file"
trap 'rm -f "$FETCH_LOG"' EXIT
trap 'rm -f "$FETCH_LOG"; exit 2' INT TERM
fetch() {
	can_fetch || return 1
	say "git fetch $REMOTE $*"
	printf ' %s' "$*" >>"$FETCH_LOG"
	git fetch --quiet --no-tags "$REMOTE" "$@" >&2
}
depth_opt() { is_shallow && printf -- '--depth=%s' "$DEPTH"; }

# ensure_branch NAME: refs/remotes/REMOTE/NAME exists (fetched when missing); prints its sha.
ensure_branch() {
	r=$(rev "refs/remotes/$REMOTE/$1") || r=
	if [ -z "$r" ]; then
		# shellcheck disable=SC2046
		fetch $(depth_opt) "+refs/heads/$1:refs/remotes/$REMOTE/$1" || true
		r=$(rev "refs/remotes/$REMOTE/$1") || r=
	fi
	[ -n "$r" ] || r=$(rev "refs/heads/$1") || r=
	[ -n "$r" ] && printf '%s\n' "$r"
}
# ensure_commit SHA: the commit is present (fetched by id when missing).
ensure_commit() {
	have_commit "$1" && return 0
	is_sha "$1" || return 1
	# shellcheck disable=SC2046
	fetch $(depth_opt) "$1" || return 1
	have_commit "$1"
}
# connect BASE HEAD: in a shallow clone, deepen until BASE and HEAD share history, so the
# range holds only HEAD's own commits. Fails when no common history is found.
connect() {
	git merge-base "$1" "$2" >/dev/null 2>&1 && return 0
	is_shallow || return 1
	n=$DEPTH
	i=0
	while [ $i -lt 6 ]; do
		fetch "--deepen=$n" || return 1
		git merge-base "$1" "$2" >/dev/null 2>&1 && return 0
		is_shallow || return 1
		n=$((n * 2))
		i=$((i + 1))
	done
	fetch --unshallow || return 1
	git merge-base "$1" "$2" >/dev/null 2>&1
}
# default_branch: the repository's default branch name, or nothing.
default_branch() {
	if [ -n "${SECRETGATE_CI_DEFAULT_BRANCH:-}" ]; then
		printf '%s\n' "$SECRETGATE_CI_DEFAULT_BRANCH"
		return
	fi
	if [ -n "${CI_DEFAULT_BRANCH:-}" ]; then printf '%s\n' "$CI_DEFAULT_BRANCH"; return; fi
	if [ -n "${BUILDKITE_PIPELINE_DEFAULT_BRANCH:-}" ]; then
		printf '%s\n' "$BUILDKITE_PIPELINE_DEFAULT_BRANCH"
		return
	fi
	if [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -r "$GITHUB_EVENT_PATH" ] && command -v jq >/dev/null 2>&1; then
		b=$(jq -r '.repository.default_branch // empty' "$GITHUB_EVENT_PATH" 2>/dev/null)
		[ -n "$b" ] && { printf '%s\n' "$b"; return; }
	fi
	b=$(git symbolic-ref --quiet --short "refs/remotes/$REMOTE/HEAD" 2>/dev/null) && {
		printf '%s\n' "${b#"$REMOTE"/}"
		return
	}
	for b in main master; do
		if rev "refs/remotes/$REMOTE/$b" >/dev/null || rev "refs/heads/$b" >/dev/null; then
			printf '%s\n' "$b"
			return
		fi
	done
}
# github_event KEY: a value from the GitHub event payload (needs jq), or nothing.
github_event() {
	[ -n "${GITHUB_EVENT_PATH:-}" ] && [ -r "$GITHUB_EVENT_PATH" ] || return 0
	command -v jq >/dev/null 2>&1 || return 0
	jq -r "$1 // empty" "$GITHUB_EVENT_PATH" 2>/dev/null || true
}

# ---------------------------------------------------------------- detection

detect() {
	if [ -n "${SECRETGATE_CI_SYSTEM:-}" ]; then
		printf '%s\n' "$SECRETGATE_CI_SYSTEM"
	elif [ "${GITHUB_ACTIONS:-}" = true ]; then
		echo github
	elif [ "${GITLAB_CI:-}" = true ]; then
		echo gitlab
	elif [ -n "${BITBUCKET_BUILD_NUMBER:-}" ]; then
		echo bitbucket
	elif [ "${CIRCLECI:-}" = true ]; then
		echo circleci
	elif [ "${BUILDKITE:-}" = true ]; then
		echo buildkite
	elif [ -n "${JENKINS_URL:-}" ] || { [ -n "${JENKINS_HOME:-}" ] && [ -n "${BUILD_ID:-}" ]; }; then
		echo jenkins
	else
		echo local
	fi
}
CI_SYSTEM=$(detect)
case $CI_SYSTEM in
github | gitlab | bitbucket | circleci | jenkins | buildkite | local) ;;
*) die "SECRETGATE_CI_SYSTEM: unknown CI system '$CI_SYSTEM'" ;;
esac

# The range: BASE (empty: scan all of HEAD's history), HEAD_SHA, and why.
BASE=
HEAD_REV=
HEAD_SHA=
REASON=
EVENT=

# pick_base REV WHY: REV (a sha or branch name) is the base when it can be resolved and
# connected to HEAD; returns 1 otherwise.
pick_base() {
	b=
	if is_sha "$1" && ensure_commit "$1"; then
		b=$(rev "$1")
	elif ! is_sha "$1"; then
		b=$(ensure_branch "$1") || b=
		[ -n "$b" ] || b=$(rev "$1") || b=
	fi
	if [ -z "$b" ]; then
		say "cannot find base $1 ($2)"
		return 1
	fi
	if ! connect "$b" "$HEAD_SHA"; then
		say "base $1 shares no history with $HEAD_SHA ($2)"
		return 1
	fi
	BASE=$b
	REASON=$2
}
# branch_base BRANCH: a pushed branch without a known previous tip: its commits since it
# left the default branch; on the default branch itself, the last commit.
branch_base() {
	d=$(default_branch)
	if [ -n "$d" ] && [ "$1" != "$d" ]; then
		db=$(ensure_branch "$d") || db=
		if [ -n "$db" ] && connect "$db" "$HEAD_SHA"; then
			BASE=$(git merge-base "$db" "$HEAD_SHA")
			REASON="branch $1: commits since it left $d"
			return 0
		fi
	fi
	last_commit "${1:+branch $1: }last commit"
}
# last_commit WHY: HEAD's first parent..HEAD, or all of HEAD when it is a root commit.
last_commit() {
	if p=$(rev "$HEAD_SHA^1") && [ -n "$p" ]; then
		BASE=$p
		REASON=$1
	elif is_shallow && fetch --deepen=1 && p=$(rev "$HEAD_SHA^1") && [ -n "$p" ]; then
		BASE=$p
		REASON=$1
	elif is_shallow; then
		BASE=
		REASON="shallow clone and no parent could be fetched: what the clone holds of $HEAD_SHA"
	else
		BASE=
		REASON="root commit: all of its history"
	fi
}
set_head() {
	HEAD_REV=${SECRETGATE_CI_HEAD:-$1}
	ensure_commit "$HEAD_REV" || true
	HEAD_SHA=$(rev "$HEAD_REV") || die "cannot resolve head revision $HEAD_REV"
}
# pushed BEFORE BRANCH WHY: the pushed range BEFORE..HEAD; a new branch (BEFORE all zeros or
# empty) or an unreachable BEFORE falls back to branch_base.
pushed() {
	if [ -n "$1" ] && ! is_zero "$1"; then
		pick_base "$1" "$3" && return 0
	elif [ -n "$1" ]; then
		REASON_NEW=1
	fi
	branch_base "$2"
}

range_github() {
	EVENT=${GITHUB_EVENT_NAME:-}
	base=${SECRETGATE_GITHUB_BASE_SHA:-}
	head=${SECRETGATE_GITHUB_HEAD_SHA:-}
	case $EVENT in
	pull_request | pull_request_target | merge_group)
		if [ "$MODE" != push ]; then
			[ -n "$base" ] || base=$(github_event '.pull_request.base.sha // .merge_group.base_sha')
			[ -n "$head" ] || head=$(github_event '.pull_request.head.sha // .merge_group.head_sha')
			if [ -z "$head" ]; then
				# actions/checkout checks out the test merge commit refs/pull/N/merge: its
				# second parent is the pull request's head.
				head=HEAD
				case ${GITHUB_REF:-} in
				refs/pull/*/merge)
					# A depth-1 checkout does not know the merge commit's parents yet.
					rev HEAD^2 >/dev/null || { is_shallow && fetch --deepen=1; }
					rev HEAD^2 >/dev/null && head=$(rev HEAD^2)
					;;
				esac
			fi
			set_head "$head"
			[ -n "$base" ] && pick_base "$base" "pull request base $base" && return
			[ -n "${GITHUB_BASE_REF:-}" ] &&
				pick_base "$GITHUB_BASE_REF" "pull request into $GITHUB_BASE_REF" && return
			branch_base "${GITHUB_HEAD_REF:-}"
			return
		fi
		;;
	esac
	set_head "${GITHUB_SHA:-HEAD}"
	before=${SECRETGATE_GITHUB_BEFORE:-}
	[ -n "$before" ] || before=$(github_event '.before')
	branch=
	case ${GITHUB_REF:-} in refs/heads/*) branch=${GITHUB_REF#refs/heads/} ;; esac
	if [ "$EVENT" = push ] && [ -n "$before" ]; then
		pushed "$before" "$branch" "pushed range from $before"
	elif [ "$EVENT" = push ]; then
		branch_base "$branch"
	else
		last_commit "${EVENT:-no} event: last commit"
	fi
}

range_gitlab() {
	EVENT=${CI_PIPELINE_SOURCE:-}
	if [ "$MODE" != push ] && [ -n "${CI_MERGE_REQUEST_IID:-}" ]; then
		# Merged-results pipelines run on a merge commit: scan the source branch's commits.
		set_head "${CI_MERGE_REQUEST_SOURCE_BRANCH_SHA:-${CI_COMMIT_SHA:-HEAD}}"
		[ -n "${CI_MERGE_REQUEST_DIFF_BASE_SHA:-}" ] &&
			pick_base "$CI_MERGE_REQUEST_DIFF_BASE_SHA" "merge request base $CI_MERGE_REQUEST_DIFF_BASE_SHA" && return
		[ -n "${CI_MERGE_REQUEST_TARGET_BRANCH_NAME:-}" ] &&
			pick_base "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" "merge request into $CI_MERGE_REQUEST_TARGET_BRANCH_NAME" && return
		branch_base "${CI_MERGE_REQUEST_SOURCE_BRANCH_NAME:-}"
		return
	fi
	set_head "${CI_COMMIT_SHA:-HEAD}"
	if [ -n "${CI_COMMIT_TAG:-}" ]; then
		last_commit "tag $CI_COMMIT_TAG: last commit"
	else
		pushed "${CI_COMMIT_BEFORE_SHA:-}" "${CI_COMMIT_BRANCH:-${CI_COMMIT_REF_NAME:-}}" \
			"pushed range from ${CI_COMMIT_BEFORE_SHA:-}"
	fi
}

range_bitbucket() {
	set_head "${BITBUCKET_COMMIT:-HEAD}"
	if [ "$MODE" != push ] && [ -n "${BITBUCKET_PR_ID:-}" ]; then
		EVENT=pull-request
		[ -n "${BITBUCKET_PR_DESTINATION_BRANCH:-}" ] &&
			pick_base "$BITBUCKET_PR_DESTINATION_BRANCH" "pull request into $BITBUCKET_PR_DESTINATION_BRANCH" && return
		[ -n "${BITBUCKET_PR_DESTINATION_COMMIT:-}" ] &&
			pick_base "$BITBUCKET_PR_DESTINATION_COMMIT" "pull request base $BITBUCKET_PR_DESTINATION_COMMIT" && return
	fi
	if [ -n "${BITBUCKET_TAG:-}" ]; then
		last_commit "tag $BITBUCKET_TAG: last commit"
	else
		EVENT=${EVENT:-push}
		branch_base "${BITBUCKET_BRANCH:-}"
	fi
}

range_circleci() {
	set_head "${CIRCLE_SHA1:-HEAD}"
	# CIRCLE_COMPARE_URL (older projects) ends in BEFORE...AFTER.
	cmp=${CIRCLE_COMPARE_URL:-}
	cmp=${cmp##*/}
	case $cmp in
	*...*)
		EVENT=push
		pushed "${cmp%%...*}" "${CIRCLE_BRANCH:-}" "compare range from ${cmp%%...*}" && return
		;;
	esac
	[ -n "${CIRCLE_PULL_REQUEST:-}" ] && [ "$MODE" != push ] && EVENT=pull-request
	if [ -n "${CIRCLE_TAG:-}" ]; then
		last_commit "tag $CIRCLE_TAG: last commit"
	else
		branch_base "${CIRCLE_BRANCH:-}"
	fi
}

range_jenkins() {
	set_head "${GIT_COMMIT:-HEAD}"
	if [ "$MODE" != push ] && [ -n "${CHANGE_ID:-}" ] && [ -n "${CHANGE_TARGET:-}" ]; then
		EVENT=change-request
		pick_base "$CHANGE_TARGET" "change request into $CHANGE_TARGET" && return
	fi
	EVENT=${EVENT:-build}
	prev=${GIT_PREVIOUS_SUCCESSFUL_COMMIT:-${GIT_PREVIOUS_COMMIT:-}}
	if [ -n "$prev" ] && [ "$prev" != "$(rev "$HEAD_SHA")" ]; then
		pick_base "$prev" "since the previous build $prev" && return
	fi
	branch=${BRANCH_NAME:-${GIT_BRANCH:-}}
	branch=${branch#"$REMOTE"/}
	branch_base "$branch"
}

range_buildkite() {
	set_head "${BUILDKITE_COMMIT:-HEAD}"
	pr=${BUILDKITE_PULL_REQUEST:-false}
	if [ "$MODE" != push ] && [ "$pr" != false ] && [ -n "$pr" ]; then
		EVENT=pull-request
		[ -n "${BUILDKITE_PULL_REQUEST_BASE_BRANCH:-}" ] &&
			pick_base "$BUILDKITE_PULL_REQUEST_BASE_BRANCH" "pull request into $BUILDKITE_PULL_REQUEST_BASE_BRANCH" && return
	fi
	EVENT=${EVENT:-build}
	if [ -n "${BUILDKITE_TAG:-}" ]; then
		last_commit "tag $BUILDKITE_TAG: last commit"
	else
		branch_base "${BUILDKITE_BRANCH:-}"
	fi
}

range_local() {
	set_head HEAD
	last_commit "last commit"
}

# ---------------------------------------------------------------- what to run

REASON_NEW=
RANGE=
if [ -n "${SECRETGATE_CI_DIR:-}" ]; then cd "$SECRETGATE_CI_DIR" || die "cannot enter $SECRETGATE_CI_DIR"; fi
case $MODE in
auto | pr | push)
	git rev-parse --git-dir >/dev/null 2>&1 || die "not in a git repository: $(pwd)"
	if [ -n "${SECRETGATE_CI_RANGE:-}" ]; then
		RANGE=$SECRETGATE_CI_RANGE
		REASON="SECRETGATE_CI_RANGE"
	elif [ -n "${SECRETGATE_CI_BASE:-}" ]; then
		set_head HEAD
		pick_base "$SECRETGATE_CI_BASE" "SECRETGATE_CI_BASE" ||
			die "cannot use base $SECRETGATE_CI_BASE"
	else
		"range_$CI_SYSTEM"
	fi
	if [ -z "$RANGE" ] && [ -n "$BASE" ]; then RANGE=$BASE..$HEAD_SHA; fi
	[ -n "$REASON_NEW" ] && REASON="new branch; $REASON"
	;;
history)
	git rev-parse --git-dir >/dev/null 2>&1 || die "not in a git repository: $(pwd)"
	if can_fetch; then
		# A sweep needs every ref and every commit, not the single shallow branch CI checks out.
		unshallow=
		is_shallow && unshallow=--unshallow
		say "git fetch $REMOTE (all branches and tags)"
		# shellcheck disable=SC2086
		git fetch --quiet --tags $unshallow "$REMOTE" "+refs/heads/*:refs/remotes/$REMOTE/*" >&2 ||
			say "fetch failed; sweeping what this clone has"
	fi
	REASON="every ref"
	;;
files) REASON="files" ;;
none) REASON="environment checks only" ;;
esac

# Extra reports, one FORMAT:FILE per line.
REPORTS=$(printf '%s\n' "${SECRETGATE_CI_REPORTS:-}" | tr '[:blank:]' '[\n*]')
old_ifs=$IFS
IFS=$NL
set -f
for r in $REPORTS; do
	case $r in
	'' | ?*:?*) ;;
	*) die "SECRETGATE_CI_REPORTS: want FORMAT:FILE, got '$r'" ;;
	esac
done
set +f
IFS=$old_ifs

# Where the policy comes from: secretgate reads it from the range's base unless told.
POLICY_FROM=
POLICY_WHY=
case $MODE in
auto | pr | push)
	case ${SECRETGATE_CI_POLICY_FROM:-} in
	'') ;;
	head) POLICY_FROM=${HEAD_SHA:-HEAD} ;;
	*) POLICY_FROM=$SECRETGATE_CI_POLICY_FROM ;;
	esac
	if [ -n "$POLICY_FROM" ]; then
		POLICY_WHY="$POLICY_FROM (SECRETGATE_CI_POLICY_FROM)"
	elif [ -n "$BASE" ] && [ -z "${SECRETGATE_CI_RANGE:-}" ]; then
		POLICY_WHY="$BASE (the range's base)"
	elif [ -n "$RANGE" ]; then
		POLICY_WHY="the base of $RANGE"
	else
		POLICY_WHY="the working tree (no base revision)"
	fi
	;;
esac

FORMAT=${SECRETGATE_CI_FORMAT:-}
if [ -z "$FORMAT" ]; then
	if [ "$CI_SYSTEM" = github ]; then FORMAT=github; else FORMAT=text; fi
fi
case ${SECRETGATE_CI_SUMMARY:-1} in 0 | false | no) unset GITHUB_STEP_SUMMARY ;; esac

BASELINE_NOTED=
# common_opts KIND: options every scan takes (KIND scan: also baseline and fail-on).
common_opts() {
	[ -n "${SECRETGATE_CI_CONFIG:-}" ] && add --config "$SECRETGATE_CI_CONFIG"
	if [ "$1" = scan ]; then
		if [ -n "${SECRETGATE_CI_BASELINE:-}" ] && [ -f "$SECRETGATE_CI_BASELINE" ]; then
			add --baseline "$SECRETGATE_CI_BASELINE"
		elif [ -n "${SECRETGATE_CI_BASELINE:-}" ]; then
			# an example copied before its baseline exists: every finding counts
			msg="baseline $SECRETGATE_CI_BASELINE does not exist yet; treated as empty (create it with: secretgate git --history --write-baseline $SECRETGATE_CI_BASELINE)"
			if [ -n "$BASELINE_NOTED" ]; then
				:
			elif [ "$CI_SYSTEM" = github ]; then
				echo "::notice title=secretgate::$msg"
			else
				say "notice: $msg"
			fi
			BASELINE_NOTED=1
		fi
		[ -n "${SECRETGATE_CI_FAIL_ON:-}" ] && add --fail-on "$SECRETGATE_CI_FAIL_ON"
		if [ -n "${SECRETGATE_CI_ARGS:-}" ]; then
			set -f
			# shellcheck disable=SC2086
			add $SECRETGATE_CI_ARGS
			set +f
		fi
	fi
	return 0
}
# main_scan FORMAT OUTPUT: the mode's scan command into ARGS.
main_scan() {
	ARGS=
	case $MODE in
	history) add git ;;
	files) add scan ;;
	*) add git ;;
	esac
	add --format "$1"
	[ -n "$2" ] && add --output "$2"
	# every extra report comes from this one scan
	old_ifs=$IFS
	IFS=$NL
	set -f
	for r in $REPORTS; do
		[ -n "$r" ] && add --report "${r%%:*}=${r#*:}"
	done
	set +f
	IFS=$old_ifs
	[ -n "${SECRETGATE_CI_SARIF_CATEGORY:-}" ] && add --sarif-category "$SECRETGATE_CI_SARIF_CATEGORY"
	common_opts scan
	case $MODE in
	history) add --history ;;
	files) add_lines "${SECRETGATE_CI_PATHS:-.}" ;;
	*)
		[ -n "$POLICY_FROM" ] && add --policy-from "$POLICY_FROM"
		if [ -n "$RANGE" ]; then
			case ${SECRETGATE_CI_FAIL_ON_NEW_ALLOWS:-0} in 1 | true | yes) add --fail-on-new-allows ;; esac
			add "$RANGE"
		else
			add --history "$HEAD_SHA"
		fi
		;;
	esac
}

RESULT=0
note_rc() {
	case $1 in
	0) ;;
	1) RESULT=1 ;;
	2) [ "$RESULT" = 1 ] || RESULT=2 ;;
	*)
		say "secretgate exited with status $1"
		[ "$RESULT" = 1 ] || RESULT=2
		;;
	esac
}
# run: the command in ARGS.
# shellcheck disable=SC2120 # its arguments come from ARGS
run() {
	if [ "$DRY" = 1 ]; then
		printf 'run: %s%s\n' "$(q "$SG")" "$ARGS"
		return 0
	fi
	eval "set -- $ARGS"
	"$SG" "$@"
	note_rc $?
}

# The explanation: in a dry run on stdout (for people and tests), otherwise on stderr.
explain() {
	if [ "$DRY" = 1 ]; then printf '%s\n' "$*"; else say "$*"; fi
}
explain "ci: $CI_SYSTEM"
explain "mode: $MODE"
[ -n "$EVENT" ] && explain "event: $EVENT"
case $MODE in
auto | pr | push)
	[ -n "$BASE" ] && explain "base: $BASE"
	[ -n "$HEAD_SHA" ] && explain "head: $HEAD_SHA"
	explain "range: ${RANGE:-all of $HEAD_SHA}"
	explain "reason: $REASON"
	explain "policy: $POLICY_WHY"
	if is_shallow && [ -n "$RANGE" ]; then explain "shallow: yes"; fi
	;;
*) explain "reason: $REASON" ;;
esac
[ -s "$FETCH_LOG" ] && explain "fetched:$(cat "$FETCH_LOG")"

if [ "$DRY" != 1 ] && [ -n "${GITHUB_OUTPUT:-}" ]; then
	{
		echo "ci-system=$CI_SYSTEM"
		echo "range=$RANGE"
	} >>"$GITHUB_OUTPUT"
fi
if [ "$DRY" != 1 ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ "$MODE" != none ]; then
	case $MODE in
	history | files) what=$MODE ;;
	*) what="\`${RANGE:-all of $HEAD_SHA}\` ($REASON)" ;;
	esac
	printf '### secretgate\n\nScanned: %s\n\n' "$what" >>"$GITHUB_STEP_SUMMARY"
fi

if [ "$MODE" != none ]; then
	main_scan "$FORMAT" "${SECRETGATE_CI_OUTPUT:-}"
	run
fi

if [ -n "${SECRETGATE_CI_ENV:-}" ]; then
	ARGS=
	add env check --env "$SECRETGATE_CI_ENV" --format "$FORMAT"
	common_opts env
	[ -n "${SECRETGATE_CI_DOTENV:-}" ] && add --dotenv "$SECRETGATE_CI_DOTENV"
	run
fi
if [ -n "${SECRETGATE_CI_LEAKS_PATHS:-}" ]; then
	[ -n "${SECRETGATE_CI_ENV:-}" ] || die "SECRETGATE_CI_LEAKS_PATHS needs SECRETGATE_CI_ENV (the environment whose values must not leak)"
	ARGS=
	add env leaks --env "$SECRETGATE_CI_ENV" --format "$FORMAT"
	common_opts scan
	add_lines "$SECRETGATE_CI_LEAKS_PATHS"
	run
fi

if [ "$DRY" = 1 ]; then exit 0; fi
[ -n "${GITHUB_OUTPUT:-}" ] && echo "exit-code=$RESULT" >>"$GITHUB_OUTPUT"
case $RESULT in
0) say "clean" ;;
1) say "blocked: see the findings above" ;;
*) say "error: see the messages above" ;;
esac
exit "$RESULT"
