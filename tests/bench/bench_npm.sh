#!/bin/sh
# make bench, part 7: a working-tree scan of ~1 GB of node_modules (tens of thousands of
# small files) against the target of 1.0 s wall on 2 cores, with the CPU it costs on one
# core, and the findings asserted unchanged.
#
#   tests/bench/bench_npm.sh path/to/secretgate
#
# The corpus (NPM_CORPUS, default /tmp/npmcorpus) is only read. Without it the part is
# skipped with a message; build it once with
#   NPM_BENCH_INSTALL=1 tests/bench/bench_npm.sh build/secretgate
# which runs `npm install --ignore-scripts` of NPM_BENCH_PACKAGES into NPM_CORPUS when that
# directory does not exist yet (an existing corpus is never changed).
#
# Findings: the -j1 and -jN reports must be identical, and identical to the reference
# report build/bench/npm-findings.ref.<corpus>.jsonl, where <corpus> is a checksum of the
# corpus's file names and sizes (another corpus, or this one with packages added, has a
# reference of its own). The first run on a corpus records its reference; set
# NPM_REFERENCE_BIN=path/to/an/older/secretgate to record it with that binary instead
# (a before/after check of a change). Exit status 1 when the findings differ.
#
# The floor: READ_FLOOR (build/read_floor, made by `make bench`) walks the corpus and reads
# every file whole on as many threads, best of 3, so the scan's wall time is also given as a
# multiple of what opening and reading the files costs on this machine in this run.
set -eu
BIN=${1:?usage: bench_npm.sh path/to/secretgate}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/build/bench
mkdir -p "$out"
NPM_CORPUS=${NPM_CORPUS:-/tmp/npmcorpus}
TARGET_MS=${NPM_TARGET_MS:-1000}
# popular packages (cloud SDKs, payment and messaging SDKs, UI kits, editors, charting, a
# compiler, a bundler, a linter): about 1 GB and 109,000 files of node_modules
NPM_BENCH_PACKAGES=${NPM_BENCH_PACKAGES:-aws-sdk axios express firebase googleapis lodash stripe twilio typescript webpack @mui/material @mui/icons-material rxjs moment @angular/core react-dom @babel/core eslint @aws-sdk/client-s3 @aws-sdk/client-dynamodb @aws-sdk/client-ec2 @azure/storage-blob @google-cloud/storage openai monaco-editor three echarts}

if [ ! -d "$NPM_CORPUS/node_modules" ] && [ "${NPM_BENCH_INSTALL:-0}" = 1 ]; then
	if [ -e "$NPM_CORPUS" ]; then
		echo "npm: $NPM_CORPUS exists without node_modules; not touching it" >&2
	elif command -v npm >/dev/null 2>&1; then
		mkdir -p "$NPM_CORPUS"
		# shellcheck disable=SC2086
		(cd "$NPM_CORPUS" && npm install --no-audit --no-fund --ignore-scripts $NPM_BENCH_PACKAGES) >&2
	else
		echo "npm: npm not found (apt-get install npm)" >&2
	fi
fi
if [ ! -d "$NPM_CORPUS/node_modules" ]; then
	echo "npm: skipped: no corpus at $NPM_CORPUS/node_modules (build it with" \
		"NPM_BENCH_INSTALL=1 sh tests/bench/bench_npm.sh $BIN, or set NPM_CORPUS)"
	exit 0
fi

cores=$(nproc)
jobs=$((cores < 2 ? cores : 2))
bytes=$(du -sb "$NPM_CORPUS/node_modules" | cut -f1)
files=$(find "$NPM_CORPUS/node_modules" -type f | wc -l | tr -d ' ')
scan() { "$1" scan --no-config -q --format jsonl -j "$2" "$NPM_CORPUS"; }
now_ns() { date +%s%N; }

# the corpus into the page cache first: the target is for cached text
scan "$BIN" "$jobs" >"$out/npm-findings.jsonl" || true

best_wall=""
for _ in 1 2 3; do
	t=$(now_ns)
	scan "$BIN" "$jobs" >/dev/null || true
	ms=$((($(now_ns) - t) / 1000000))
	if [ -z "$best_wall" ] || [ "$ms" -lt "$best_wall" ]; then best_wall=$ms; fi
done

cpu=""
if command -v perf >/dev/null 2>&1; then
	for _ in 1 2 3; do
		perf stat -x, -e task-clock -o "$out/npm-perf.txt" -- "$BIN" scan --no-config -q \
			--format jsonl -j 1 "$NPM_CORPUS" >"$out/npm-findings-j1.jsonl" 2>/dev/null || true
		c=$(awk -F, '/task-clock/ { printf "%d", $1 }' "$out/npm-perf.txt")
		if [ -n "$c" ] && { [ -z "$cpu" ] || [ "$c" -lt "$cpu" ]; }; then cpu=$c; fi
	done
else
	scan "$BIN" 1 >"$out/npm-findings-j1.jsonl" || true
fi

floor=""
READ_FLOOR=${READ_FLOOR:-$root/build/read_floor}
if [ -x "$READ_FLOOR" ]; then
	for _ in 1 2 3; do
		f=$("$READ_FLOOR" "$NPM_CORPUS/node_modules" "$jobs" | cut -d' ' -f1)
		if [ -z "$floor" ] || [ "$f" -lt "$floor" ]; then floor=$f; fi
	done
fi
verdict=$([ "$best_wall" -le "$TARGET_MS" ] && echo "meets" || echo "misses")
mbs=$(awk "BEGIN{printf \"%.0f\", $bytes/1e6/($best_wall/1000)}")
echo "npm: $files files, $(awk "BEGIN{printf \"%.0f\", $bytes/1e6}") MB: scan -j$jobs" \
	"${best_wall} ms wall (best of 3, $mbs MB/s), $verdict the ${TARGET_MS} ms target;" \
	"-j1 ${cpu:-?} ms CPU (perf task-clock, best of 3)"
if [ -n "$floor" ]; then
	echo "npm: read floor (walk and read every file, $jobs threads, best of 3) ${floor} ms;" \
		"the scan $(awk "BEGIN{printf \"%.2f\", $best_wall/($floor > 0 ? $floor : 1)}")x the floor"
fi

# findings: the same whatever the thread count, and the same as the reference
status=0
if ! cmp -s "$out/npm-findings.jsonl" "$out/npm-findings-j1.jsonl"; then
	echo "npm: FINDINGS DIFFER between -j1 and -j$jobs" >&2
	status=1
fi
corpus_id=$(find "$NPM_CORPUS/node_modules" -type f -printf '%P %s\n' | LC_ALL=C sort | cksum |
	cut -d' ' -f1)
ref=$out/npm-findings.ref.$corpus_id.jsonl
if [ -n "${NPM_REFERENCE_BIN:-}" ]; then
	scan "$NPM_REFERENCE_BIN" "$jobs" >"$ref" || true
	echo "npm: reference findings recorded with $NPM_REFERENCE_BIN"
elif [ ! -f "$ref" ]; then
	cp "$out/npm-findings.jsonl" "$ref"
	echo "npm: reference findings recorded ($(wc -l <"$ref" | tr -d ' ') findings)"
fi
if cmp -s "$out/npm-findings.jsonl" "$ref"; then
	echo "npm: findings identical to the reference ($(wc -l <"$ref" | tr -d ' ') findings)"
else
	echo "npm: FINDINGS CHANGED against $ref:" >&2
	diff "$ref" "$out/npm-findings.jsonl" | head -20 >&2 || true
	status=1
fi
exit $status
