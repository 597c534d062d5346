#!/bin/sh
# ci/action-download.sh, the action's release binary: used at its release tag it
# installs the release's binary after checking its SHA-256; a binary that does
# not match is refused (exit 2, nothing installed); at any other ref, without
# the release file, or on an architecture without a binary it leaves the build
# to the action. The release is a file:// tree laid out like a forge's.
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
command -v curl >/dev/null 2>&1 || command -v wget >/dev/null 2>&1 || {
	echo "note: neither curl nor wget; the download was not checked"
	finish
}
v=$(cat "$root/VERSION")
rel="$T/forge/acme/secretgate/releases/download/v$v"
mkdir -p "$rel"
cp "$SG" "$rel/secretgate-$v-linux-x86_64"
(cd "$rel" && sha256sum "secretgate-$v-linux-x86_64" >SHA256SUMS-linux-x86_64)
dl() {
	: >"$T/out"
	rm -rf "${T:?}/bin"
	expect_rc "$1" env SG_VERSION="$v" SG_BIN="$T/bin" GITHUB_OUTPUT="$T/out" \
		GITHUB_SERVER_URL="file://$T/forge" ACTION_REPOSITORY=acme/secretgate \
		ACTION_REF="$2" RUNNER_ARCH="${3:-X64}" sh "$root/ci/action-download.sh"
}
dl 0 "v$v"
contains "$(cat "$T/out")" "binary=$T/bin/secretgate"
"$T/bin/secretgate" --version >/dev/null || fail "downloaded binary does not run"
dl 0 "v${v%%.*}"
contains "$(cat "$T/out")" "binary="
# a branch or a commit: the action builds its own sources
dl 0 main
lacks "$(cat "$T/out")" "binary="
contains "$ERR" "building from source"
# no arm64 file in this release; no binary at all for other architectures
dl 0 "v$v" ARM64
lacks "$(cat "$T/out")" "binary="
dl 0 "v$v" X86
lacks "$(cat "$T/out")" "binary="
# a binary that does not match the checksum is never run
printf 'tampered' >>"$rel/secretgate-$v-linux-x86_64"
dl 2 "v$v"
contains "$OUT" "::error"
contains "$OUT" "does not match"
[ ! -e "$T/bin/secretgate" ] || fail "a binary with a wrong checksum was installed"
lacks "$(cat "$T/out")" "binary="
finish
