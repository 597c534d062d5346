#!/bin/sh
# action-download.sh: the release binary for the GitHub Action (action.yml).
# Used at its release tag (v<VERSION>, or the moving v<MAJOR>), the action runs the
# static binary that release carries, after checking its SHA-256 against the release's
# SHA256SUMS-linux-<arch> file; a mismatch is an error and nothing runs. Used anywhere
# else (a branch, a commit, a local path), or when the release lacks the file, this
# writes no `binary` output and the action builds from source.
# Environment: SG_VERSION, SG_BIN (directory for the binary), ACTION_REPOSITORY
# (owner/name), ACTION_REF, RUNNER_ARCH, GITHUB_SERVER_URL, GITHUB_OUTPUT.
set -eu
say() { printf 'secretgate: %s\n' "$*" >&2; }
: "${SG_VERSION:?}" "${SG_BIN:?}" "${GITHUB_OUTPUT:?}"
major=${SG_VERSION%%.*}
case ${ACTION_REF:-} in
"v$SG_VERSION" | "v$major") ;;
*)
	say "the action is used at '${ACTION_REF:-a local path}', not at release tag v$SG_VERSION or v$major: building from source"
	exit 0
	;;
esac
if [ -z "${ACTION_REPOSITORY:-}" ]; then
	say "the action's repository is unknown: building from source"
	exit 0
fi
case ${RUNNER_ARCH:-$(uname -m)} in
X64 | x86_64) arch=x86_64 ;;
ARM64 | aarch64 | arm64) arch=arm64 ;;
*)
	say "no release binary for ${RUNNER_ARCH:-$(uname -m)} (x64 and arm64 have one): building from source"
	exit 0
	;;
esac
asset=secretgate-$SG_VERSION-linux-$arch
sums=SHA256SUMS-linux-$arch
base=${GITHUB_SERVER_URL:-https://github.com}/$ACTION_REPOSITORY/releases/download/v$SG_VERSION
tmp=$(mktemp -d "${TMPDIR:-/tmp}/secretgate-download.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fetch() {
	if command -v curl >/dev/null 2>&1; then
		curl -fsSL --retry 3 -o "$tmp/$1" "$base/$1" 2>/dev/null
	else
		wget -q -O "$tmp/$1" "$base/$1"
	fi
}
if ! fetch "$sums" || ! fetch "$asset"; then
	say "release v$SG_VERSION has no $asset or $sums: building from source"
	exit 0
fi
want=$(awk -v f="$asset" '$2 == f || $2 == "*" f { print $1 }' "$tmp/$sums")
got=$(sha256sum "$tmp/$asset" | cut -d' ' -f1)
if [ -z "$want" ] || [ "$want" != "$got" ]; then
	echo "::error title=secretgate::$asset does not match $sums of release v$SG_VERSION (expected ${want:-no entry}, got $got); it was not run"
	exit 2
fi
mkdir -p "$SG_BIN"
cp "$tmp/$asset" "$SG_BIN/secretgate"
chmod 755 "$SG_BIN/secretgate"
"$SG_BIN/secretgate" --version
say "release binary $asset, SHA-256 $got"
echo "binary=$SG_BIN/secretgate" >>"$GITHUB_OUTPUT"
