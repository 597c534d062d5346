#!/bin/sh
# bench_git.sh BIN: the git modes against git itself, on the same repositories
# in the same run.
#   history: `secretgate git --history` vs `git cat-file --batch-all-objects
#            --batch --unordered` on make-history-repo repositories of 3,000 and
#            20,000 commits (cached under build/bench/), with peak RSS and the
#            recall of the planted secrets (DIR.truth.jsonl), asserting that
#            the native pack reader and libgit2's (--pack-reader=libgit2)
#            report the same findings, byte for byte; BENCH_GIT_REPO=DIR adds
#            a repository of your own (e.g. a bare clone of curl), swept 3
#            times back to back with cat-file
#   ranges:  `secretgate git --all-refs` (blob first) vs `--history` and vs
#            `--all-refs --per-commit` (the diff of every change) on the same
#            repositories, asserting that both range paths report the same
#            findings (jsonl, byte for byte); BENCH_RANGE_COMMITS sets the sizes
#   range:   `secretgate git HEAD~1000..HEAD` vs `git log -p` of the same
#            range, wall and CPU, 3 runs back to back, on the 3,000-commit
#            repository and on BENCH_RANGE_REPO (e.g. a clone of curl) when
#            set, asserting that blob first and --per-commit report the same
#            findings and, with BENCH_RANGE_EXPECT=FILE, that they are FILE
#   staged:  `secretgate git --staged` for a 10-file change in a 4,000-file
#            and in a 100,000-file repository vs `git diff --cached --stat` on
#            the same change, with `perf stat -r 20` task-clock where perf runs,
#            the libgit2 reader beside the default one, asserting both report
#            the same findings
# BENCH_GIT_COMMITS overrides the list of history sizes (e.g. "3000").
set -u
bench_failed=0
BIN=${1:?usage: bench_git.sh BIN}
# the benchmarks run in other directories: the binary by its full path
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
[ -x "$BIN" ] || { echo "bench_git.sh: $BIN is not an executable" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=$root/build/bench
maker=${MAKE_HISTORY_REPO:-$root/../shared/bench/make-history-repo}
[ -x "$maker" ] || maker=$root/../../shared/bench/make-history-repo
mkdir -p "$cache"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

now_ms() { date +%s%3N; }
# a command's wall ms into $MS, peak RSS in kB into $RSS and CPU ms into $CPU
# (stdout and stderr discarded)
measure() {
	t0=$(now_ms)
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%M %U %S' -o "$cache/.rss" "$@" >/dev/null 2>&1
		RSS=$(tail -n 1 "$cache/.rss" | cut -d' ' -f1)
		CPU=$(tail -n 1 "$cache/.rss" | awk '{ printf "%d", ($2 + $3) * 1000 }')
	else
		"$@" >/dev/null 2>&1
		RSS='?' CPU='?'
	fi
	MS=$(($(now_ms) - t0))
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "?" }'; }

# history_readers REPO OUT: the libgit2 reader's findings against OUT's
history_readers() {
	"$BIN" git -C "$1" --history --no-progress -q --format jsonl --pack-reader=libgit2 \
		--output "$2.libgit2" >/dev/null 2>&1
	if cmp -s "$2" "$2.libgit2"; then
		printf '  findings identical (libgit2 reader) %s lines\n' "$(wc -l <"$2")"
	else
		printf '  FINDINGS DIFFER between the native and the libgit2 pack reader:\n'
		diff "$2.libgit2" "$2" | head -10
		bench_failed=1
	fi
}

echo "== git history sweep (cores: $(nproc 2>/dev/null || echo ?))"
if [ -n "${BENCH_GIT_REPO:-}" ]; then
	repo=$BENCH_GIT_REPO out=$cache/own-repo.findings.jsonl
	cat "$repo"/objects/pack/* "$repo"/.git/objects/pack/* >/dev/null 2>&1
	printf 'history %s:\n' "$repo"
	for run in 1 2 3; do
		measure git -C "$repo" cat-file --batch-all-objects --batch --unordered
		g_ms=$MS g_cpu=$CPU g_rss=$RSS
		measure "$BIN" git -C "$repo" --history --no-progress -q --format jsonl --output "$out"
		printf '  run %s: cat-file %6d ms CPU %6s ms RSS %s kB | secretgate %6d ms CPU %6s ms RSS %s kB | ratio %s (CPU %s)\n' \
			"$run" "$g_ms" "$g_cpu" "$g_rss" "$MS" "$CPU" "$RSS" "$(ratio "$MS" "$g_ms")" "$(ratio "$CPU" "$g_cpu")"
	done
	history_readers "$repo" "$out"
fi
for n in ${BENCH_GIT_COMMITS:-3000 20000}; do
	repo=$cache/hist-$n
	if [ ! -d "$repo/.git" ]; then
		if [ ! -x "$maker" ]; then
			echo "history $n: $maker not found, skipped"
			continue
		fi
		echo "building $repo (once; cached)"
		"$maker" "$repo" --commits "$n" >/dev/null || { echo "history $n: build failed"; continue; }
	fi
	# warm the page cache so both sides read from memory
	cat "$repo"/.git/objects/pack/* >/dev/null 2>&1
	out=$cache/hist-$n.findings.jsonl
	# alternate the two, twice, and keep the faster run of each
	best_git='' best_sg='' rss_git='' rss_sg='' cpu_git='' cpu_sg=''
	for _ in 1 2; do
		measure sh -c 'cd "$1" && git cat-file --batch-all-objects --batch --unordered' sh "$repo"
		if [ -z "$best_git" ] || [ "$MS" -lt "$best_git" ]; then best_git=$MS rss_git=$RSS cpu_git=$CPU; fi
		measure sh -c 'cd "$1" && exec "$2" git --history --no-progress -q --format jsonl --output "$3"' \
			sh "$repo" "$BIN" "$out"
		if [ -z "$best_sg" ] || [ "$MS" -lt "$best_sg" ]; then best_sg=$MS rss_sg=$RSS cpu_sg=$CPU; fi
	done
	blobs=$(cd "$repo" && git cat-file --batch-all-objects --batch-check='%(objecttype)' | grep -c blob)
	commits=$(cd "$repo" && git rev-list --all | wc -l)
	# recall: each planted secret is reported at the path it was planted in
	truth=$repo.truth.jsonl
	planted=0 found=0
	if [ -f "$truth" ]; then
		planted=$(wc -l <"$truth")
		found=$(sed -n 's/.*"path": *"\([^"]*\)".*/\1/p' "$truth" | while IFS= read -r p; do
			grep -q "\"path\":\"$p\"" "$out" && echo "$p"
		done | wc -l)
	fi
	printf 'history %s commits, %s blobs:\n' "$commits" "$blobs"
	printf '  git cat-file --batch-all-objects  %6d ms  CPU %6s ms  peak RSS %s kB\n' "$best_git" "$cpu_git" "$rss_git"
	printf '  secretgate git --history          %6d ms  CPU %6s ms  peak RSS %s kB\n' "$best_sg" "$cpu_sg" "$rss_sg"
	printf '  ratio secretgate / cat-file       %s\n' "$(ratio "$best_sg" "$best_git")"
	printf '  recall of planted secrets         %s/%s\n' "$found" "$planted"
	history_readers "$repo" "$out"
	if [ -f "$truth" ]; then
		for kind in $(sed -n 's/.*"kind": *"\([^"]*\)".*/\1/p' "$truth" | sort -u); do
			k_all=$(grep -c "\"kind\": *\"$kind\"" "$truth")
			k_found=$(grep "\"kind\": *\"$kind\"" "$truth" | sed -n 's/.*"path": *"\([^"]*\)".*/\1/p' |
				while IFS= read -r p; do grep -q "\"path\":\"$p\"" "$out" && echo "$p"; done | wc -l)
			printf '    %-20s %s/%s\n' "$kind" "$k_found" "$k_all"
		done
	fi
done

echo "== git ranges: --all-refs blob first, beside --history and --per-commit"
for n in ${BENCH_RANGE_COMMITS:-3000}; do
	repo=$cache/hist-$n
	[ -d "$repo/.git" ] || { echo "ranges $n: $repo not built, skipped"; continue; }
	cat "$repo"/.git/objects/pack/* >/dev/null 2>&1
	blobs_out=$cache/range-$n.blobs.jsonl commits_out=$cache/range-$n.commits.jsonl
	best_h='' best_b='' best_c='' cpu_h='' cpu_b='' cpu_c=''
	for round in 1 2 3; do
		measure sh -c 'cd "$1" && exec "$2" git --history --no-progress -q --format jsonl' sh "$repo" "$BIN"
		if [ -z "$best_h" ] || [ "$MS" -lt "$best_h" ]; then best_h=$MS cpu_h=$CPU; fi
		measure sh -c 'cd "$1" && exec "$2" git --all-refs -q --format jsonl --output "$3"' \
			sh "$repo" "$BIN" "$blobs_out"
		if [ -z "$best_b" ] || [ "$MS" -lt "$best_b" ]; then best_b=$MS cpu_b=$CPU; fi
		# the reference is slow: once is enough for the ratio
		if [ "$round" -eq 1 ]; then
			measure sh -c 'cd "$1" && exec "$2" git --all-refs --per-commit -q --format jsonl --output "$3"' \
				sh "$repo" "$BIN" "$commits_out"
			best_c=$MS cpu_c=$CPU
		fi
	done
	printf 'ranges %s commits:\n' "$n"
	printf '  secretgate git --history          %6d ms  CPU %6s ms\n' "$best_h" "$cpu_h"
	printf '  secretgate git --all-refs         %6d ms  CPU %6s ms\n' "$best_b" "$cpu_b"
	printf '  --all-refs --per-commit           %6d ms  CPU %6s ms\n' "$best_c" "$cpu_c"
	printf '  ratio --all-refs / --history      %s (CPU %s)\n' "$(ratio "$best_b" "$best_h")" "$(ratio "$cpu_b" "$cpu_h")"
	printf '  ratio --per-commit / --all-refs   %s (CPU %s)\n' "$(ratio "$best_c" "$best_b")" "$(ratio "$cpu_c" "$cpu_b")"
	if cmp -s "$blobs_out" "$commits_out"; then
		printf '  findings identical                %s lines\n' "$(wc -l <"$blobs_out")"
	else
		printf '  FINDINGS DIFFER between blob-first and per-commit:\n'
		diff "$commits_out" "$blobs_out" | head -10
		bench_failed=1
	fi
done

echo "== git range of 1,000 commits vs git log -p"
# range_vs_log REPO: the best of 3 rounds each, alternating
range_vs_log() {
	repo=$1 rev=HEAD~1000..HEAD
	if ! (cd "$repo" && git rev-parse -q --verify HEAD~1000 >/dev/null); then
		echo "range $repo: fewer than 1,001 commits, skipped"
		return
	fi
	cat "$repo"/.git/objects/pack/* >/dev/null 2>&1
	out=$cache/range-1000.blobs.jsonl ref=$cache/range-1000.commits.jsonl
	best_l='' best_s='' cpu_l='' cpu_s=''
	for _ in 1 2 3; do
		measure sh -c 'cd "$1" && exec git log -p "$2"' sh "$repo" "$rev"
		if [ -z "$best_l" ] || [ "$MS" -lt "$best_l" ]; then best_l=$MS cpu_l=$CPU; fi
		measure sh -c 'cd "$1" && exec "$2" git "$3" -q --format jsonl --output "$4"' \
			sh "$repo" "$BIN" "$rev" "$out"
		if [ -z "$best_s" ] || [ "$MS" -lt "$best_s" ]; then best_s=$MS cpu_s=$CPU; fi
	done
	(cd "$repo" && "$BIN" git "$rev" -q --per-commit --format jsonl --output "$ref") \
		>/dev/null 2>&1
	printf 'range %s in %s:\n' "$rev" "$repo"
	printf '  git log -p                        %6d ms  CPU %6s ms\n' "$best_l" "$cpu_l"
	printf '  secretgate git %s  %6d ms  CPU %6s ms\n' "$rev" "$best_s" "$cpu_s"
	printf '  ratio secretgate / git log -p     %s (CPU %s)\n' "$(ratio "$best_s" "$best_l")" \
		"$(ratio "$cpu_s" "$cpu_l")"
	if cmp -s "$out" "$ref"; then
		printf '  findings identical to --per-commit %s lines\n' "$(wc -l <"$out")"
	else
		printf '  FINDINGS DIFFER between blob-first and per-commit:\n'
		diff "$ref" "$out" | head -10
		bench_failed=1
	fi
	if [ -n "${2:-}" ]; then
		if cmp -s "$out" "$2"; then
			printf '  findings identical to %s\n' "$2"
		else
			printf '  FINDINGS DIFFER from %s:\n' "$2"
			diff "$2" "$out" | head -10
			bench_failed=1
		fi
	fi
}
[ -d "$cache/hist-3000/.git" ] && range_vs_log "$cache/hist-3000"
[ -n "${BENCH_RANGE_REPO:-}" ] && range_vs_log "$BENCH_RANGE_REPO" "${BENCH_RANGE_EXPECT:-}"

echo "== git staged scan: 10-file change in a 4,000-file repository"
srepo=$cache/staged-4000
if [ ! -d "$srepo/.git" ]; then
	rm -rf "$srepo"
	git init -q -b main "$srepo"
	awk -v dir="$srepo" 'BEGIN {
		for (i = 0; i < 4000; i++) {
			f = sprintf("%s/pkg%02d/mod%04d.py", dir, i % 80, i)
			if (i < 80) system("mkdir -p " dir "/pkg" sprintf("%02d", i))
			for (l = 0; l < 40; l++) printf("def f%d_%d(x):\n    return x * %d + %d\n", i, l, l, i) > f
			close(f)
		}
	}'
	(cd "$srepo" && git add -A && git -c user.name=b -c user.email=b@example.com commit -q -m base)
fi
(cd "$srepo" && git reset -q --hard && git clean -fdq)
i=0
while [ $i -lt 10 ]; do
	f=$(printf 'pkg%02d/mod%04d.py' $((i * 7 % 80)) $((i * 397 % 4000 / 80 * 80 + i * 7 % 80)))
	[ -f "$srepo/$f" ] || f=$(cd "$srepo" && git ls-files | sed -n "$((i * 397 + 1))p")
	printf 'def added_%d(y):\n    return y + %d\n' "$i" "$i" >>"$srepo/$f"
	i=$((i + 1))
done
(cd "$srepo" && git add -A)
changed=$(cd "$srepo" && git diff --cached --name-only | wc -l)
files=$(cd "$srepo" && git ls-files | wc -l)
# median of 7 runs each, alternating
runs_sg='' runs_git=''
for _ in 1 2 3 4 5 6 7; do
	t0=$(now_ms); (cd "$srepo" && "$BIN" git --staged -q >/dev/null 2>&1); runs_sg="$runs_sg $(($(now_ms) - t0))"
	t0=$(now_ms); (cd "$srepo" && git diff --cached --stat >/dev/null 2>&1); runs_git="$runs_git $(($(now_ms) - t0))"
done
median() { printf '%s\n' $1 | sort -n | sed -n 4p; }
t0=$(now_ms); (cd "$srepo" && "$BIN" version >/dev/null); startup=$(($(now_ms) - t0))
printf 'staged %s changed files of %s:\n' "$changed" "$files"
printf '  secretgate git --staged           %6d ms (median of 7; runs:%s)\n' "$(median "$runs_sg")" "$runs_sg"
printf '  git diff --cached --stat          %6d ms (median of 7; runs:%s)\n' "$(median "$runs_git")" "$runs_git"
printf '  secretgate version (process start) %5d ms\n' "$startup"
# CPU time, which a busy machine distorts less than wall time
cpu() { /usr/bin/time -f '%U %S' -o "$cache/.cpu" "$@" >/dev/null 2>&1; awk '{ printf "%d", ($1 + $2) * 1000 }' "$cache/.cpu"; }
if [ -x /usr/bin/time ]; then
	printf '  CPU: secretgate %s ms, git diff %s ms\n' \
		"$(cd "$srepo" && cpu "$BIN" git --staged -q)" "$(cd "$srepo" && cpu git diff --cached --stat)"
fi
# staged_perf REPO: task-clock of both readers and of git, 20 runs each
staged_perf() {
	if ! perf stat -e task-clock true >/dev/null 2>&1; then
		echo "  (perf stat unavailable: task-clock figures skipped)"
		return
	fi
	for what in "auto" "libgit2" "git"; do
		if [ "$what" = git ]; then
			set -- git diff --cached --stat
			label="git diff --cached --stat"
		else
			set -- "$BIN" git --staged -q --index-reader="$what"
			label="secretgate git --staged --index-reader=$what"
		fi
		ms=$(cd "$srepo" && perf stat -x, -r 20 -e task-clock "$@" 2>&1 >/dev/null |
			awk -F, '/task-clock/ { printf "%.1f", $1 }')
		printf '  perf stat -r 20 task-clock: %-46s %6s ms\n' "$label" "$ms"
		case $what in auto) ms_auto=$ms ;; git) ms_git=$ms ;; esac
	done
	printf '  ratio secretgate (auto) / git diff --cached --stat  %s (target 1.5)\n' \
		"$(ratio "$ms_auto" "$ms_git")"
	a=$(cd "$srepo" && "$BIN" git --staged --format jsonl --index-reader=auto 2>/dev/null)
	b=$(cd "$srepo" && "$BIN" git --staged --format jsonl --index-reader=libgit2 2>/dev/null)
	if [ "$a" != "$b" ]; then
		echo "  FINDINGS DIFFER between the index readers"
		bench_failed=1
	fi
}
staged_perf
(cd "$srepo" && git reset -q --hard)

echo "== git staged scan: 10-file change in a 100,000-file repository"
srepo=$cache/staged-100000
if [ ! -d "$srepo/.git" ]; then
	rm -rf "$srepo"
	git init -q -b main "$srepo"
	# 1,000 directories (10 x 100) of 100 small files
	awk -v dir="$srepo" 'BEGIN {
		for (a = 0; a < 10; a++) for (b = 0; b < 100; b++) {
			d = sprintf("%s/top%d/dir%02d", dir, a, b)
			system("mkdir -p " d)
			for (i = 0; i < 100; i++) {
				f = sprintf("%s/file%03d.txt", d, i)
				printf("line %d %d %d\nvalue = %d\n", a, b, i, a * b * i) > f
				close(f)
			}
		}
	}'
	(cd "$srepo" && git add -A && git -c user.name=b -c user.email=b@example.com commit -q -m base)
fi
(cd "$srepo" && git reset -q --hard && git clean -fdq)
i=0
while [ $i -lt 10 ]; do
	printf 'token = "%s"\n' "added$i" >>"$srepo/$(printf 'top%d/dir%02d/file%03d.txt' $i $((i * 7 % 100)) $((i * 13 % 100)))"
	i=$((i + 1))
done
(cd "$srepo" && git add -A)
printf 'staged %s changed files of %s:\n' "$(cd "$srepo" && git diff --cached --name-only | wc -l)" \
	"$(cd "$srepo" && git ls-files | wc -l)"
staged_perf
(cd "$srepo" && git reset -q --hard)
exit "$bench_failed"
