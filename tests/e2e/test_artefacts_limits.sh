#!/bin/sh
# Hostile archives: nesting past the depth cap, zip bombs (one huge member,
# overlapping entries), member floods, long and traversal names, links,
# encrypted and truncated archives. Each ends in a notice naming the cap or
# the damage; the scan goes on, never hangs, never writes a file.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/art_lib.sh"
cd "$T" || exit 2
K=$(akia 2)
mkdir out && cd out || exit 2

py "$K" <<'PY'
import sys, zipfile, io, tarfile, gzip, struct
k = sys.argv[1]
secret = ('key = %s\n' % k).encode()
def zbytes(members, method=zipfile.ZIP_DEFLATED):
    b = io.BytesIO()
    with zipfile.ZipFile(b, 'w', method) as z:
        for n, d in members:
            z.writestr(n, d)
    return b.getvalue()
# six archives deep: l0.zip > l1.zip > ... > l5.zip > secret.txt
data = zbytes([('secret.txt', secret)])
for i in range(5, 0, -1):
    data = zbytes([('l%d.zip' % i, data)])
open('out/deep.zip', 'wb').write(data)
# a bomb: 64 MiB of one letter in a few kilobytes (zeros would read as an
# empty tar), then the secret
open('out/bomb.gz', 'wb').write(gzip.compress(b'a' * (64 << 20), 9))
with zipfile.ZipFile('out/bomb.zip', 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('zeros.txt', b'a' * (64 << 20))
    z.writestr('after.txt', secret)
# overlapping entries: 200 central-directory entries share one 1 MiB member
one = zbytes([('x', b'b' * (1 << 20))])
eocd = one.rfind(b'PK\x05\x06')
cd_off = struct.unpack('<I', one[eocd + 16:eocd + 20])[0]
cd = one[cd_off:eocd]
body = one[:cd_off]
entries = cd * 200
tail = b'PK\x05\x06' + struct.pack('<HHHHIIH', 0, 0, 200, 200, len(entries), len(body), 0)
open('out/overlap.zip', 'wb').write(body + entries + tail)
# a flood of members, and the secret in the last one
open('out/many.zip', 'wb').write(zbytes([('m%03d.txt' % i, b'x\n') for i in range(50)] + [('last.txt', secret)]))
# a member name far past the name cap, then a normal member
open('out/longname.zip', 'wb').write(zbytes([('d/' + 'n' * 2000, secret), ('ok.txt', secret)]))
# traversal and absolute names, links to files outside
t = tarfile.open('out/hostile.tar', 'w')
for name in ['../../evil.txt', '/abs/evil2.txt']:
    ti = tarfile.TarInfo(name); ti.size = len(secret); t.addfile(ti, io.BytesIO(secret))
ti = tarfile.TarInfo('link'); ti.type = tarfile.SYMTYPE; ti.linkname = '/tmp/sg-outside-secret'; t.addfile(ti)
ti = tarfile.TarInfo('hard'); ti.type = tarfile.LNKTYPE; ti.linkname = '../../evil.txt'; t.addfile(ti)
t.close()
# a tarball cut short after its first member
b = io.BytesIO()
with tarfile.open(fileobj=b, mode='w:gz') as t:
    ti = tarfile.TarInfo('first.txt'); ti.size = len(secret); t.addfile(ti, io.BytesIO(secret))
    import random
    r = random.Random(1)
    junk = bytes(r.getrandbits(8) for _ in range(200000))
    ti = tarfile.TarInfo('second.bin'); ti.size = len(junk); t.addfile(ti, io.BytesIO(junk))
full = b.getvalue()
open('out/truncated.tgz', 'wb').write(full[:len(full) // 2])
z = zbytes([('a.txt', secret), ('b.txt', b'y' * 1000)])
open('out/truncated.zip', 'wb').write(z[:len(z) - 30])
# garbage behind zip and gzip magic
open('out/garbage.zip', 'wb').write(b'PK\x03\x04' + bytes(range(256)) * 8)
open('out/garbage.gz', 'wb').write(b'\x1f\x8b\x08\x00' + bytes(range(256)) * 8)
# a big member, for the byte and member-size caps
t = tarfile.open('out/big.tar', 'w')
big = b'z' * 100000 + b'\n' + secret
ti = tarfile.TarInfo('big.txt'); ti.size = len(big); t.addfile(ti, io.BytesIO(big))
t.close()
PY
printf 'key = %s\n' "$K" >/tmp/sg-outside-secret.$$
sed -i "s|/tmp/sg-outside-secret|/tmp/sg-outside-secret.$$|" hostile.tar 2>/dev/null
trap 'rm -rf "$T" /tmp/sg-outside-secret.$$' EXIT INT TERM

# --- depth: four archives inside the file are opened, the fifth is not
expect_rc 0 timeout 60 "$SG" scan --no-config deep.zip
contains "$ERR" "nested deeper than 4 levels (archive depth cap)"
expect_rc 1 timeout 60 "$SG" scan --no-config --archive-depth 6 deep.zip
contains "$OUT" "deep.zip!/l1.zip!/l2.zip!/l3.zip!/l4.zip!/l5.zip!/secret.txt:1:"

# --- bombs: the ratio cap stops them quickly and says so
expect_rc 0 timeout 60 "$SG" scan --no-config bomb.gz
contains "$ERR" "archive ratio cap"
# libarchive reads each local header once, however many directory entries name it
expect_rc 0 timeout 60 "$SG" scan --no-config overlap.zip
contains "$ERR" "1 files"
expect_rc 0 timeout 60 "$SG" scan --no-config bomb.zip
contains "$ERR" "archive ratio cap"
# a higher cap lets the same bytes through, to the secret after them
expect_rc 1 timeout 60 "$SG" scan --no-config --archive-ratio 100000 bomb.zip
contains "$OUT" "bomb.zip!/after.txt:1:"
expect_rc 0 timeout 60 "$SG" scan --no-config --archive-ratio 100000 --archive-max-bytes 1MB bomb.zip
contains "$ERR" "archive byte cap"

# --- member count and name length
expect_rc 0 "$SG" scan --no-config --archive-max-members 10 many.zip
contains "$ERR" "more than 10 members (archive member cap)"
expect_rc 1 "$SG" scan --no-config many.zip
contains "$OUT" "many.zip!/last.txt:1:"
expect_rc 1 "$SG" scan --no-config longname.zip
contains "$ERR" "member name of 2002 bytes"
contains "$OUT" "longname.zip!/ok.txt:1:"
lacks "$OUT" "nnnnnnnnnn"

# --- traversal names are names; links are never followed; nothing is written
expect_rc 1 "$SG" scan --no-config --format jsonl hostile.tar
contains "$OUT" '"path":"hostile.tar!/../../evil.txt"'
contains "$OUT" '"path":"hostile.tar!/abs/evil2.txt"'
lacks "$OUT" '"path":"hostile.tar!/link"'
lacks "$OUT" '"path":"hostile.tar!/hard"'
[ ! -e "$T/evil.txt" ] && [ ! -e "$T/../evil.txt" ] && [ ! -e /abs ] || fail "a member was written to disk"

# --- damaged archives: what was readable is scanned, the damage is a notice
expect_rc 1 timeout 60 "$SG" scan --no-config truncated.tgz
contains "$OUT" "truncated.tgz!/first.txt:1:"
contains "$ERR" "truncated.tgz"
expect_rc 0 timeout 60 "$SG" scan --no-config garbage.zip garbage.gz
contains "$ERR" "garbage.zip"
contains "$ERR" "garbage.gz"
# a zip without its end record is read front to back
expect_rc 1 timeout 60 "$SG" scan --no-config truncated.zip
contains "$OUT" "truncated.zip!/a.txt:1:"

# --- encrypted members: a notice, and the other files are still scanned
printf 'key = %s\n' "$K" >plain.txt
bsdtar --format zip --options zip:encryption=zipcrypt --passphrase pw -cf enc.zip plain.txt
expect_rc 1 "$SG" scan --no-config enc.zip plain.txt
contains "$ERR" "enc.zip!/plain.txt: encrypted, not read"
contains "$OUT" "plain.txt:1:"
lacks "$OUT" "enc.zip!/plain.txt:1"

# --- the member held in memory has a cap too
expect_rc 0 "$SG" scan --no-config --archive-member-size 1000 big.tar
contains "$ERR" "member larger than 1000 bytes (member size cap)"
expect_rc 1 "$SG" scan --no-config big.tar
contains "$OUT" "big.tar!/big.txt:2:"

# --- bad values are usage errors
expect_rc 2 "$SG" scan --no-config --archive-depth x big.tar
expect_rc 2 "$SG" scan --no-config --archive-ratio 0 big.tar
finish
