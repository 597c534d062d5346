#!/bin/sh
# make bench: secretgate's speed beside a reference any machine has.
#   1. start-up: the mean wall time of a scan of one small file (what a hook pays)
#   2. throughput: `secretgate scan` over a realistic working tree at two sizes,
#      beside `grep -rcE -f P` with a dozen secret patterns over the same files
#   3. false positives on real code found on the machine (tests/bench/precision.sh)
#   4. the prefilter alone, in MB/s of CPU per core, on ~100 MB of cached C
#      headers with and without the lines that hold a rule keyword
#      (build/prefilter_speed, made by `make bench`)
#   5. the git benchmarks (tests/bench/bench_git.sh) when present
#   6. a 500 MB image and the cost of decoding (tests/bench/bench_artefacts.sh)
#   7. ~1 GB of node_modules against the 1.0 s target, beside a plain walk and read of the
#      same files (build/read_floor, made by `make bench`; tests/bench/bench_npm.sh)
# Corpora are built once under build/bench/ with ../shared/bench/make-history-repo.
set -eu
BIN=${1:?usage: run.sh path/to/secretgate}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/build/bench
mkdir -p "$out"
maker=${MAKE_HISTORY_REPO:-$root/../shared/bench/make-history-repo}
[ -x "$maker" ] || maker="python3 $maker"

now_ns() { date +%s%N; }
ms_since() { echo "$(( ($(now_ns) - $1) / 1000000 ))"; }

# ---- corpus: the working tree of a 1000-commit history, and four copies of it
if [ ! -d "$out/h1000" ]; then
	echo "bench: building corpus (make-history-repo --commits 1000)..."
	$maker "$out/h1000" --commits 1000 >/dev/null
fi
if [ ! -d "$out/tree1" ]; then
	mkdir -p "$out/tree1" "$out/tree4"
	(cd "$out/h1000" && git ls-files -z | xargs -0 tar cf - 2>/dev/null) | (cd "$out/tree1" && tar xf -)
	for i in 1 2 3 4; do mkdir -p "$out/tree4/c$i" && cp -r "$out/tree1/." "$out/tree4/c$i/"; done
fi

# a dozen secret patterns for grep, in ERE (shared with bench_artefacts.sh)
cp "$here/patterns.ere" "$out/patterns.txt"

cores=$(nproc)
nrules=$("$BIN" rules list --no-config | wc -l)
echo "bench: $nrules rules, $cores cores"

# ---- 1. start-up
printf 'hello = "world"\n' >"$out/small.txt"
runs=40
t=$(now_ns)
i=0
while [ $i -lt $runs ]; do "$BIN" scan --no-config -q "$out/small.txt" >/dev/null || true; i=$((i + 1)); done
total=$(( ($(now_ns) - t) / 1000 ))
t=$(now_ns)
i=0
while [ $i -lt $runs ]; do /bin/true; i=$((i + 1)); done
base=$(( ($(now_ns) - t) / 1000 ))
echo "startup: $(awk "BEGIN{printf \"%.2f\", $total/$runs/1000}") ms per scan of one small file" \
	"(process spawn alone: $(awk "BEGIN{printf \"%.2f\", $base/$runs/1000}") ms)"

# ---- 2. throughput, best of three. Output goes to a file, not /dev/null:
# GNU grep stops at a file's first match when its output is /dev/null (as
# with -q), which would time a fraction of the work.
best_ms() {
	b=""
	for _ in 1 2 3; do
		t=$(now_ns)
		"$@" >"$out/best_ms.out" 2>/dev/null || true
		m=$(ms_since "$t")
		if [ -z "$b" ] || [ "$m" -lt "$b" ]; then b=$m; fi
	done
	echo "$b"
}
for size in tree1 tree4; do
	dir=$out/$size
	bytes=$(du -sb "$dir" | cut -f1)
	mb=$(awk "BEGIN{printf \"%.1f\", $bytes/1e6}")
	files=$(find "$dir" -type f | wc -l)
	g=$(best_ms grep -rcE -f "$out/patterns.txt" "$dir")
	s1=$(best_ms "$BIN" scan --no-config -q -j 1 "$dir")
	sn=$(best_ms "$BIN" scan --no-config -q -j "$cores" "$dir")
	echo "scan $size: $files files, $mb MB: grep -rcE (12 patterns) ${g} ms;" \
		"secretgate -j1 ${s1} ms ($(awk "BEGIN{printf \"%.0f\", $bytes/1e6/($s1/1000)}") MB/s per thread);" \
		"-j$cores ${sn} ms; ratio secretgate/grep $(awk "BEGIN{printf \"%.2f\", $sn/($g>0?$g:1)}")"
done

# ---- 3. precision on real, secret-free text found on this machine
if [ -f "$here/precision.sh" ]; then
	sh "$here/precision.sh" "$BIN" || true
fi

# ---- 4. the prefilter alone
speed=${PREFILTER_SPEED:-$root/build/prefilter_speed}
if [ -x "$speed" ] && [ -d /usr/include ]; then
	if [ ! -s "$out/code-nokw.txt" ]; then
		find /usr/include -type f -name '*.h' -print0 | sort -z | xargs -0 cat 2>/dev/null |
			head -c 100000000 >"$out/code.txt" || true
		"$speed" --keywords >"$out/keywords.txt"
		LC_ALL=C grep -v -i -F -f "$out/keywords.txt" "$out/code.txt" >"$out/code-nokw.txt" || true
	fi
	echo "prefilter, keyword-free code: $("$speed" "$out/code-nokw.txt" 5)"
	echo "prefilter, code:              $("$speed" "$out/code.txt" 5)"
fi

# ---- 5. git benchmarks
if [ -f "$here/bench_git.sh" ]; then
	sh "$here/bench_git.sh" "$BIN"
fi

# ---- 6. archives, images and decoding
if [ -f "$here/bench_artefacts.sh" ]; then
	sh "$here/bench_artefacts.sh" "$BIN"
fi

# ---- 7. ~1 GB of node_modules against the 1.0 s target (skipped without the corpus)
if [ -f "$here/bench_npm.sh" ]; then
	sh "$here/bench_npm.sh" "$BIN"
fi
