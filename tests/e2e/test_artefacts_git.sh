#!/bin/sh
# Archives committed to git are opened in every git mode: the staged index,
# a commit range and a history sweep name the member inside the blob.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/git_lib.sh"
. "$(dirname "$0")/art_lib.sh"
R=$T/repo
newrepo "$R"
cd "$R" || exit 2
K=$(akia 4)
mkjar() {
	python3 - "$1" "$2" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('META-INF/MANIFEST.MF', 'Manifest-Version: 1.0\n')
    z.writestr('BOOT-INF/classes/application.yml', 'x: 1\naws:\n  key: %s\n' % sys.argv[2])
PY
}
printf 'readme\n' >README && git add README && git commit -q -m init --no-verify
base=$(git rev-parse HEAD)

# --- staged: the jar is binary, and opened
mkdir -p dist && mkjar dist/app.jar "$K" && git add dist/app.jar
expect_rc 1 "$SG" git --staged --no-config
contains "$OUT" "dist/app.jar!/BOOT-INF/classes/application.yml:3:"
lacks "$OUT" "$K"
expect_rc 0 "$SG" git --staged --no-config --no-archives
git commit -q -m "add jar" --no-verify

# --- a range and the history name the member too
expect_rc 1 "$SG" git --no-config "$base..HEAD"
contains "$OUT" "dist/app.jar!/BOOT-INF/classes/application.yml:3:"
expect_rc 1 "$SG" git --no-config --history --format jsonl
contains "$OUT" '"path":"dist/app.jar!/BOOT-INF/classes/application.yml"'
contains "$OUT" '"commit":"'
# moved later: history still attributes it to the first path, member kept
git mv dist/app.jar dist/app-1.0.jar && git commit -q -m move --no-verify
expect_rc 1 "$SG" git --no-config --history --format jsonl
contains "$OUT" '"path":"dist/app.jar!/BOOT-INF/classes/application.yml"'

# --- a tarball replaced by a clean one: the range sees only the clean one
printf 'clean\n' >"$T/clean.txt"
bsdtar -czf dist/conf.tgz -C "$T" clean.txt
git add dist/conf.tgz && git commit -q -m "clean tarball" --no-verify
c=$(git rev-parse HEAD)
expect_rc 0 "$SG" git --no-config "$c~1..$c"
finish
