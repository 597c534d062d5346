#!/bin/sh
# sweep-repo.sh --out DIR [--baselines DIR] OWNER/NAME...
# One shard of an org-wide sweep: for each repository, a bare clone (branches and tags), then
# one `secretgate git --history` writing JSON lines and SARIF. Per repository OWNER__NAME:
#   DIR/OWNER__NAME.jsonl    findings, one a line
#   DIR/OWNER__NAME.sarif    SARIF for code scanning
#   DIR/OWNER__NAME.status   repository=OWNER/NAME, exit=CODE (0 clean, 1 findings, 2 error)
#                            and, on error, error=WHAT
# A repository's baseline is BASELINES/OWNER/NAME.baseline when that file exists.
# Findings do not fail this script (the merge step decides); it exits 2 on bad usage only.
#
# Environment: SECRETGATE (the binary), SECRETGATE_SWEEP_TOKEN (read token, sent as an HTTP
# header, never in a URL; SECRETGATE_SWEEP_USER names its user, default x-access-token),
# SECRETGATE_SWEEP_URL (default https://github.com),
# SECRETGATE_SWEEP_ARGS (extra scan arguments, e.g. "--fail-on high").
set -u
out=
baselines=
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=${2:-}; shift 2 || exit 2 ;;
	--baselines) baselines=${2:-}; shift 2 || exit 2 ;;
	--) shift; break ;;
	-*) echo "sweep-repo: unknown option: $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ -n "$out" ] || { echo "sweep-repo: --out DIR is required" >&2; exit 2; }
[ $# -gt 0 ] || { echo "sweep-repo: no repositories" >&2; exit 2; }
SG=${SECRETGATE:-secretgate}
case $SG in /*) ;; */*) SG=$(pwd)/$SG ;; esac
url=${SECRETGATE_SWEEP_URL:-https://github.com}
mkdir -p "$out" || exit 2
out=$(cd "$out" && pwd)
case $baselines in '' | /*) ;; *) baselines=$(pwd)/$baselines ;; esac
work=$(mktemp -d "${TMPDIR:-/tmp}/secretgate-sweep.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'rm -rf "$work"; exit 2' INT TERM

auth=
if [ -n "${SECRETGATE_SWEEP_TOKEN:-}" ]; then
	b64=$(printf '%s:%s' "${SECRETGATE_SWEEP_USER:-x-access-token}" "$SECRETGATE_SWEEP_TOKEN" | base64 | tr -d '\n')
	# Masked in GitHub's logs like the token itself.
	[ -n "${GITHUB_ACTIONS:-}" ] && echo "::add-mask::$b64"
	auth="AUTHORIZATION: basic $b64"
fi

clone() {
	if [ -n "$auth" ]; then
		git -c "http.extraHeader=$auth" clone --quiet --bare "$1" "$2"
	else
		git clone --quiet --bare "$1" "$2"
	fi
}

for repo in "$@"; do
	case $repo in
	*/*) ;;
	*) echo "sweep-repo: not owner/name: $repo" >&2; exit 2 ;;
	esac
	slug=$(printf '%s' "$repo" | sed 's#/#__#g')
	status=$out/$slug.status
	echo "== $repo"
	rm -rf "$work/repo.git"
	if ! clone "$url/$repo.git" "$work/repo.git"; then
		printf 'repository=%s\nexit=2\nerror=clone failed\n' "$repo" >"$status"
		continue
	fi
	set -- --history
	base=$baselines/$repo.baseline
	[ -n "$baselines" ] && [ -f "$base" ] && set -- "$@" --baseline "$base"
	# shellcheck disable=SC2086 # extra arguments, split on spaces
	(cd "$work/repo.git" && "$SG" git --format jsonl --output "$out/$slug.jsonl" \
		--report sarif="$out/$slug.sarif" "$@" ${SECRETGATE_SWEEP_ARGS:-})
	rc=$?
	case $rc in 0 | 1) ;; *) rc=2 ;; esac
	{
		printf 'repository=%s\nexit=%s\n' "$repo" "$rc"
		[ "$rc" -eq 2 ] && echo "error=secretgate failed"
	} >"$status"
	echo "   exit $rc"
done
rm -rf "$work/repo.git"
exit 0
