#!/bin/sh
# A zip quine (a zip whose one member is the zip itself, byte for byte) is
# built at test time: opening it never ends on its own, so the depth cap
# ends it with a notice, fast, at the default depth and at the largest one,
# and the rest of the scan goes on.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/art_lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$T" || exit 2
mkdir d
python3 "$HERE/zip_quine.py" d/q.zip || exit 2
# it is one: python's zipfile (which checks the CRC) reads back the same bytes
python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); sys.exit(z.read(z.namelist()[0]) != open(sys.argv[1], "rb").read())' d/q.zip ||
	fail "zip_quine.py did not build a quine"

expect_rc 0 timeout 30 "$SG" scan --no-config d/q.zip
contains "$ERR" 'q.zip!/q.zip!/q.zip!/q.zip!/q.zip: archive nested deeper than 4 levels (archive depth cap), not opened'
expect_rc 0 timeout 30 "$SG" scan --no-config --archive-depth 16 d/q.zip
contains "$ERR" "nested deeper than 16 levels (archive depth cap)"
# inside a tarball, and beside a file with a key: that key is still reported
cp d/q.zip d/app.jar
tar cf d/bundle.tar -C d q.zip
printf 'AWS_ACCESS_KEY_ID=%s\n' "$(akia 7)" >d/app.env
expect_rc 1 timeout 30 "$SG" scan --no-config d
contains "$OUT" "d/app.env:1:"
contains "$ERR" 'd/bundle.tar!/q.zip!/q.zip!/q.zip!/q.zip!/q.zip: archive nested deeper than 4 levels'
contains "$ERR" 'd/app.jar!/q.zip!/q.zip!/q.zip!/q.zip!/q.zip: archive nested deeper than 4 levels'
finish
