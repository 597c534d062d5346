#!/bin/sh
# A large uncompressed image is read by every worker: its layers are cut at
# member boundaries and walked in parallel straight from the file. The
# report must be the one a single worker gives (order included), layers and
# whiteouts must still be named, and the in-flight cap ends in a notice.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/art_lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$T" || exit 2
K1=$(akia 1) K2=$(akia 2) K3=$(akia 3) K4=$(akia 4) K5=$(akia 5) K6=$(akia 6) K7=$(akia 7)

# three 12 MB layers (plain tars, cut into pieces) and one gzipped layer;
# keys at the start, middle and end of the layers; layer 3 deletes a file
# layer 1 added
py "$HERE" "$K1" "$K2" "$K3" "$K4" "$K5" "$K6" "$K7" <<'PY' || exit 2
import gzip, io, sys, tarfile
sys.path.insert(0, sys.argv[1])
import docker_save
k = sys.argv[2:]
filler = b''.join(b'int value_%d = %d; /* plain code */\n' % (i, i) for i in range(150))
# names past 100 bytes take a pax header (layer 2) or a GNU long-name
# header (layer 3) in front of each member: a cut never falls between them
def layer(files, n=2000, fmt=tarfile.PAX_FORMAT, long=''):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode='w', format=fmt) as t:
        body = [('src/%sf%04d.c' % (long, i), filler) for i in range(n)]
        for pos, name, data in files:
            body.insert(pos if pos >= 0 else len(body), (name, data))
        for name, data in body:
            ti = tarfile.TarInfo(name); ti.size = len(data); t.addfile(ti, io.BytesIO(data))
    return b.getvalue()
env = lambda key: ('AWS_ACCESS_KEY_ID=%s\n' % key).encode()
layers = [
    layer([(0, 'etc/first.env', env(k[0])), (1000, 'etc/app/secret.env', env(k[1])),
           (1500, 'etc/long.env', env(k[6]) + filler * 4)]),
    layer([(-1, 'etc/last.env', env(k[2]))], long='p' * 120 + '/'),
    layer([(500, 'etc/app/.wh.secret.env', b''), (1500, 'srv/mid.env', env(k[3]))],
          fmt=tarfile.GNU_FORMAT, long='g' * 120 + '/'),
    gzip.compress(layer([(10, 'gz/in.env', env(k[4]))], n=50), 1),
]
docker_save.save('big.tar', layers, {'config': {'Env': ['TOKEN_KEY=%s' % k[5]]}})
# the same image cut inside the member that holds the seventh key, after it
big = open('big.tar', 'rb').read()
open('cut.tar', 'wb').write(big[:big.find(k[6].encode()) + 10000])
PY

expect_rc 1 sgscan -j 1 --format jsonl big.tar
one=$OUT
expect_rc 1 sgscan -j 2 --format jsonl big.tar
two=$OUT
[ "$one" = "$two" ] || fail "-j1 and -j2 reports differ: $one ---- $two"
n=$(printf '%s\n' "$two" | grep -c '"rule"')
[ "$n" -eq 7 ] || fail "$n findings, wanted 7: $two"
for key in "$K1" "$K2" "$K3" "$K4" "$K5" "$K6" "$K7"; do lacks "$two" "$key"; done
contains "$two" '/layer.tar!/etc/app/secret.env","line":1'
contains "$two" "image layer 1 of 4"
contains "$two" "deleted by layer 3 (whiteout) but still shipped in the image"
contains "$two" '/layer.tar!/etc/last.env'
contains "$two" "image layer 2 of 4"
contains "$two" '/layer.tar!/srv/mid.env'
contains "$two" '/layer.tar!/gz/in.env'
contains "$two" "image layer 4 of 4"
contains "$two" "in the image config (Env, Labels or history)"

# the same image compressed is read by one worker: the same findings
gzip -1 -c big.tar >big.tar.gz
expect_rc 1 sgscan -j 2 --format jsonl big.tar.gz
[ "$(printf '%s\n' "$OUT" | sed 's/big\.tar\.gz/big.tar/g')" = "$two" ] ||
	fail "the compressed image's report differs: $OUT"

# a member larger than the in-flight cap is read while no other is
expect_rc 1 sgscan -j 2 --archive-inflight 1MB --format jsonl big.tar
[ "$OUT" = "$two" ] || fail "with a small in-flight cap the report differs: $OUT"
contains "$ERR" "over the 1000000-byte in-flight cap (archive in-flight cap)"

# an image cut short inside a layer's member: the readable part is scanned
# as one worker scans it (the cut member is not read), and the cut gets a
# notice
expect_rc 1 sgscan -j 1 --format jsonl cut.tar
one=$OUT
expect_rc 1 sgscan -j 2 --format jsonl cut.tar
[ "$OUT" = "$one" ] || fail "a cut image's -j1 and -j2 reports differ: $one ---- $OUT"
contains "$ERR" "damaged or truncated archive"
lacks "$OUT" "etc/long.env"

# the whole-file caps still hold across workers
expect_rc 1 timeout 60 "$SG" scan --no-config -j 2 --archive-max-members 100 big.tar
contains "$ERR" "more than 100 members (archive member cap)"
n=$(printf '%s\n' "$ERR" | grep -c "archive member cap")
[ "$n" -eq 1 ] || fail "member cap notice given $n times: $ERR"
finish
