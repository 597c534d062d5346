#!/bin/sh
# scan opens archives and packages in memory: every format libarchive reads
# that python3 or bsdtar can write, nested ones, and compressed streams.
# A finding names its place as outer!/member:line.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/art_lib.sh"
cd "$T" || exit 2
K=$(akia 1)
mkdir -p src/conf
printf 'server:\n  port: 8080\naws:\n  key: %s\n' "$K" >src/conf/app.yml

# --- the zip family: the same member in every container name
py "$K" <<'PY'
import sys, zipfile, io
k = sys.argv[1]
text = 'server:\n  port: 8080\naws:\n  key: %s\n' % k
for name in ['app.jar', 'app.war', 'app.ear', 'lib.aar', 'app.apk', 'pkg-1.0-py3-none-any.whl',
             'pkg.egg', 'Pkg.1.0.nupkg', 'ext.vsix', 'ext.xpi', 'doc.docx', 'sheet.xlsx',
             'deck.pptx', 'doc.odt', 'lambda.zip']:
    with zipfile.ZipFile(name, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('META-INF/MANIFEST.MF', 'Manifest-Version: 1.0\n')
        z.writestr('BOOT-INF/classes/application.yml', text)
# a crx is a zip behind its own header
body = open('app.jar', 'rb').read()
open('ext.crx', 'wb').write(b'Cr24' + (3).to_bytes(4, 'little') + (0).to_bytes(4, 'little') + body)
# detected by magic bytes, whatever the name
open('artifact.bin', 'wb').write(body)
# a jar in a war in an ear
inner = io.BytesIO()
with zipfile.ZipFile(inner, 'w') as z:
    z.writestr('conf/db.properties', 'x=1\naws.key=%s\n' % k)
mid = io.BytesIO()
with zipfile.ZipFile(mid, 'w') as z:
    z.writestr('WEB-INF/lib/inner.jar', inner.getvalue())
with zipfile.ZipFile('nested.ear', 'w') as z:
    z.writestr('web.war', mid.getvalue())
PY
expect_rc 1 sgscan --format jsonl app.jar
contains "$OUT" '"path":"app.jar!/BOOT-INF/classes/application.yml"'
contains "$OUT" '"line":4'
lacks "$OUT" "$K"
for f in app.war app.ear lib.aar app.apk pkg-1.0-py3-none-any.whl pkg.egg Pkg.1.0.nupkg ext.vsix \
	ext.xpi doc.docx sheet.xlsx deck.pptx doc.odt lambda.zip ext.crx artifact.bin; do
	expect_rc 1 sgscan "$f"
	contains "$OUT" "$f!/BOOT-INF/classes/application.yml:4:8"
done
expect_rc 1 sgscan nested.ear
contains "$OUT" "nested.ear!/web.war!/WEB-INF/lib/inner.jar!/conf/db.properties:2:"

# --- tar, compressed tars, and the formats bsdtar writes
bsdtar -cf plain.tar src
bsdtar -czf app.tgz src
bsdtar -cjf app.tar.bz2 src
bsdtar -cJf app.tar.xz src
bsdtar --zstd -cf app.tar.zst src
bsdtar --lz4 -cf app.tar.lz4 src
bsdtar --format 7zip -cf app.7z src
bsdtar --format newc -cf app.cpio src
bsdtar --format odc -cf app-odc.cpio src
bsdtar --format iso9660 -cf app.iso src
cp app.tgz pkg-1.0.crate
for f in plain.tar app.tgz app.tar.bz2 app.tar.xz app.tar.zst app.tar.lz4 app.7z app.cpio \
	app-odc.cpio app.iso pkg-1.0.crate; do
	expect_rc 1 sgscan "$f"
	contains "$OUT" "$f!/src/conf/app.yml:4:8"
done

# xar (macOS installer packages) is not opened: its reader needs libxml2,
# whose loading would cost every run; the file is judged as a binary file
bsdtar --format xar -cf app.xar src
expect_rc 0 sgscan app.xar
lacks "$OUT" "app.xar!/"

# --- ar and a .deb (ar holding tars), a .gem (a tar holding gzipped tars)
(cd src/conf && bsdtar --format ar -cf ../../lib.a app.yml)
expect_rc 1 sgscan lib.a
contains "$OUT" "lib.a!/app.yml:4:8"
printf '2.0\n' >debian-binary
bsdtar -czf control.tar.gz src/conf
bsdtar -cJf data.tar.xz src
bsdtar --format ar -cf pkg_1.0_amd64.deb debian-binary control.tar.gz data.tar.xz
expect_rc 1 sgscan pkg_1.0_amd64.deb
contains "$OUT" "pkg_1.0_amd64.deb!/data.tar.xz!/src/conf/app.yml:4:8"
contains "$OUT" "pkg_1.0_amd64.deb!/control.tar.gz!/src/conf/app.yml:4:8"
cp app.tgz data.tar.gz
printf -- '--- !ruby/object:Gem::Specification\nname: pkg\n' | gzip >metadata.gz
bsdtar -cf pkg-1.0.gem metadata.gz data.tar.gz
expect_rc 1 sgscan pkg-1.0.gem
contains "$OUT" "pkg-1.0.gem!/data.tar.gz!/src/conf/app.yml:4:8"

# --- an rpm: lead, signature and header (empty here), then a gzipped cpio payload
bsdtar --format newc -czf payload.cpio.gz src
py <<'PY'
lead = bytes([0xed, 0xab, 0xee, 0xdb, 3, 0, 0, 0, 0, 1]) + b'pkg-1.0'.ljust(66, b'\0') + bytes([0, 1, 0, 5]) + b'\0' * 16
hdr = bytes([0x8e, 0xad, 0xe8, 0x01, 0, 0, 0, 0]) + bytes(8)
open('pkg-1.0.x86_64.rpm', 'wb').write(lead + hdr + hdr + open('payload.cpio.gz', 'rb').read())
PY
expect_rc 1 sgscan pkg-1.0.x86_64.rpm
contains "$OUT" "pkg-1.0.x86_64.rpm!/src/conf/app.yml:4:8"

# --- single compressed streams: the member is named after the stream
for z in gzip bzip2 xz zstd lz4; do
	case $z in gzip) ext=gz ;; bzip2) ext=bz2 ;; *) ext=$z ;; esac
	$z -c <src/conf/app.yml >"app.yml.$ext" 2>/dev/null
	expect_rc 1 sgscan "app.yml.$ext"
	contains "$OUT" "app.yml.$ext!/app.yml:4:8"
done

# --- a directory of artefacts: plain files and archives side by side
mkdir dist && cp app.jar app.tgz dist/ && printf 'k = "%s"\n' "$K" >dist/plain.txt
expect_rc 1 sgscan dist
contains "$OUT" "dist/app.jar!/BOOT-INF/classes/application.yml:4:8"
contains "$OUT" "dist/app.tgz!/src/conf/app.yml:4:8"
contains "$OUT" "dist/plain.txt:1:"

# --- standard input is an archive too
expect_rc 1 sh -c "\"$SG\" scan --no-config - <app.tgz"
contains "$OUT" "-!/src/conf/app.yml:4:8"

# --- text that only begins like an archive is still read as text
printf '070707 is a number; key = "%s"\n' "$K" >numbers.txt
printf 'BZh9 is a tag; key = "%s"\n' "$K" >tag.txt
expect_rc 1 sgscan numbers.txt tag.txt
contains "$OUT" "numbers.txt:1:"
contains "$OUT" "tag.txt"
expect_rc 1 sh -c "\"$SG\" scan --no-config - <numbers.txt"
contains "$OUT" "-:1:"

# --- --no-archives: the old behaviour, archives are binary files
expect_rc 0 sgscan --no-archives app.jar app.tgz
contains "$ERR" "2 binary"

# --- fingerprints: the same secret in any container has one fingerprint
fp1=$(sgscan --format jsonl app.jar 2>/dev/null | sed 's/.*"fingerprint":"\([^"]*\)".*/\1/')
fp2=$(sgscan --format jsonl app.tar.xz 2>/dev/null | sed 's/.*"fingerprint":"\([^"]*\)".*/\1/')
[ -n "$fp1" ] && [ "$fp1" = "$fp2" ] || fail "fingerprints differ: $fp1 / $fp2"

# --- SARIF: a member is a nested artifact location inside its archive
expect_rc 1 sgscan --format sarif nested.ear
contains "$OUT" '"parentIndex"'
contains "$OUT" '"uri":"conf/db.properties"'
finish
