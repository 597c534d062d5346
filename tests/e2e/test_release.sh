#!/bin/sh
# Releases: the version lives in VERSION alone (the binary reports it, CHANGELOG.md
# has its section, every snippet that pins secretgate pins v<VERSION> or v<MAJOR>);
# the action at the repository root is publishable (name, description, branding,
# documented inputs and outputs, a clear error off Linux, the release download
# before the source build); the release workflow builds both architectures and
# moves the major tag; building needs no test library. (.ci/run runs make dist.)
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
v=$(cat "$root/VERSION")
major=v${v%%.*}
case $v in [0-9]*.[0-9]*.[0-9]*) ;; *) fail "VERSION is not X.Y.Z: $v" ;; esac
expect_rc 0 "$SG" --version
contains "$OUT" "secretgate $v "
# no other copy of the version in the sources
grep -rn "\"$v\"" "$root/src" "$root/tools" >"$T/copies" && fail "version written out in: $(cat "$T/copies")"
grep -q "^## $v" "$root/CHANGELOG.md" || fail "CHANGELOG.md has no section for $v"
# every pinned reference to secretgate names a tag the release makes
for f in "$root"/docs/*.md "$root"/ci/*.yml "$root"/ci/examples/*.yml "$root"/action.yml "$root"/.pre-commit-hooks.yaml; do
	grep -nE 'secretgate[^ ]*@v[0-9]|(rev|ref|secretgate-ref|SECRETGATE_REF): *v[0-9]' "$f" |
		grep -oE '(@|: *)v[0-9][0-9.]*' | sed -E 's/^(@|: *)//' | while read -r tag; do
		[ "$tag" = "v$v" ] || [ "$tag" = "$major" ] || echo "${f#"$root"/}: $tag"
	done
done >"$T/tags"
[ -s "$T/tags" ] && fail "tags that no release makes (want v$v or $major): $(cat "$T/tags")"
grep -q "OWNER/secretgate@v$v" "$root/docs/ci.md" || fail "docs/ci.md does not show the action at v$v"

# the action at the root
A=$root/action.yml
[ -f "$A" ] || fail "no action.yml at the repository root"
[ ! -e "$root/ci/action.yml" ] || fail "ci/action.yml is still there"
for k in '^name: ' '^description: ' '^branding:' '^  icon: ' '^  color: ' '^inputs:' '^outputs:' '^  using: composite'; do
	grep -q "$k" "$A" || fail "action.yml lacks $k"
done
contains "$(cat "$A")" "action-download.sh"
contains "$(cat "$A")" "ci/secretgate-ci.sh"
contains "$(cat "$A")" "runs on Linux runners"
contains "$(cat "$A")" "sarif-category"
[ -f "$root/ci/action-download.sh" ] || fail "ci/action-download.sh missing"
# the release workflow
R=$(cat "$root/.github/workflows/release.yml")
contains "$R" "tags:"
contains "$R" "make dist"
contains "$R" "arm64"
contains "$R" "x86_64"
contains "$R" "SHA256SUMS-linux-"
contains "$R" 'git push -f origin "refs/tags/$major"'
# make: building alone needs no cmocka; dist makes a static binary and checksums
(cd "$root" && make --no-print-directory -n deps) >"$T/deps" 2>&1
lacks "$(cat "$T/deps")" "cmocka"
(cd "$root" && make --no-print-directory -n dist) >"$T/dist" 2>&1
contains "$(cat "$T/dist")" "FULL_STATIC=1"
contains "$(cat "$T/dist")" "sha256sum"
contains "$(cat "$T/dist")" "secretgate-$v.tar.gz"
finish
