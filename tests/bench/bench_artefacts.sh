#!/bin/sh
# Archives, images and decoding (make bench):
#   1. a 500 MB docker-save image: `secretgate scan image.tar` beside
#      `tar -xOf image.tar | grep -cE` with the same dozen patterns as run.sh
#   2. what decoding costs: the same scan with and without --no-decode over
#      real code (/tmp/npmcorpus/node_modules when present, else the bench tree)
#   3. decoded findings on that code (each one is a false positive)
#   tests/bench/bench_artefacts.sh path/to/secretgate
set -eu
BIN=${1:?usage: bench_artefacts.sh path/to/secretgate}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/build/bench
mkdir -p "$out"
now_ns() { date +%s%N; }
best_ms() {
	b=""
	for _ in 1 2 3; do
		t=$(now_ns)
		sh -c "$1" >/dev/null 2>&1 || true
		m=$((($(now_ns) - t) / 1000000))
		if [ -z "$b" ] || [ "$m" -lt "$b" ]; then b=$m; fi
	done
	echo "$b"
}
pat=$here/patterns.ere
# the image's text: the bench tree when run.sh built it, else system headers
# (real code without secrets: the scan's cost, not the report's, is measured)
src=$out/tree1
[ -d "$src" ] || src=/usr/include
[ -d "$src" ] || src=$root

# ---- 1. a 500 MB image: five layers of source text, the last one deletes a file
img=$out/image.tar
if [ ! -f "$img" ]; then
	echo "bench: building a 500 MB image..."
	python3 - "$img" "$src" <<'PY'
import hashlib, io, json, os, sys, tarfile
path, src = sys.argv[1], sys.argv[2]
texts = []
for d, _, fs in os.walk(src):
    if '/.git' in d or '/build' in d:
        continue
    for f in fs:
        p = os.path.join(d, f)
        if os.path.isfile(p) and not os.path.islink(p) and os.path.getsize(p) < 1 << 20:
            texts.append((os.path.relpath(p, src), open(p, 'rb').read()))
def layer(n, target):
    b = io.BytesIO()
    size = 0
    with tarfile.open(fileobj=b, mode='w') as t:
        i = 0
        while size < target:
            name, data = texts[i % len(texts)]
            ti = tarfile.TarInfo('app/l%d/%d/%s' % (n, i // len(texts), name))
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))
            size += len(data) + 512
            i += 1
        if n == 4:
            ti = tarfile.TarInfo('app/l0/0/.wh.README.md'); ti.size = 0; t.addfile(ti)
    return b.getvalue()
layers = [layer(n, 100 << 20) for n in range(5)]
diff = ['sha256:' + hashlib.sha256(l).hexdigest() for l in layers]
cfg = json.dumps({'config': {'Env': ['PATH=/usr/bin']}, 'history': [{'created_by': 'COPY . /app'}],
                  'rootfs': {'type': 'layers', 'diff_ids': diff}}).encode()
ch = hashlib.sha256(cfg).hexdigest()
with tarfile.open(path, 'w') as t:
    names = []
    for i, l in enumerate(layers):
        n = '%064x/layer.tar' % i
        names.append(n)
        ti = tarfile.TarInfo(n); ti.size = len(l); t.addfile(ti, io.BytesIO(l))
    for n, data in ((ch + '.json', cfg),
                    ('manifest.json', json.dumps([{'Config': ch + '.json', 'Layers': names}]).encode())):
        ti = tarfile.TarInfo(n); ti.size = len(data); t.addfile(ti, io.BytesIO(data))
PY
fi
bytes=$(stat -c %s "$img")
mb=$(awk "BEGIN{printf \"%.0f\", $bytes/1e6}")
g=$(best_ms "tar -xOf '$img' | grep -cE -f '$pat'")
s=$(best_ms "'$BIN' scan --no-config -q '$img'")
echo "image: $mb MB docker-save tarball: tar -xOf | grep -cE (12 patterns) ${g} ms" \
	"($(awk "BEGIN{printf \"%.0f\", $bytes/1e6/($g/1000)}") MB/s);" \
	"secretgate scan ${s} ms ($(awk "BEGIN{printf \"%.0f\", $bytes/1e6/($s/1000)}") MB/s);" \
	"ratio secretgate/grep $(awk "BEGIN{printf \"%.2f\", $s/($g>0?$g:1)}")"

# ---- 2. and 3. decoding over real code
code=/tmp/npmcorpus/node_modules
[ -d "$code" ] || code=$out/tree4
cores=$(nproc)
off=$(best_ms "'$BIN' scan --no-config -q -j $cores --no-decode '$code'")
on=$(best_ms "'$BIN' scan --no-config -q -j $cores '$code'")
decoded=$("$BIN" scan --no-config -q -j "$cores" --format jsonl "$code" 2>/dev/null | grep -c '"decoded"' || true)
echo "decode: $code: --no-decode ${off} ms, decoding ${on} ms" \
	"(cost $(awk "BEGIN{printf \"%.0f\", ($on-$off)*100/($off>0?$off:1)}")%);" \
	"$decoded decoded findings (each a false positive on this code)"
