#!/bin/sh
# sweep-plan.sh [--per-job N] [--max-jobs N] < repositories
# Reads repository names (owner/name; one per line, or separated by spaces or commas),
# drops duplicates and blank lines, and prints a GitHub Actions matrix on one line:
#   {"include":[{"shard":1,"repos":"a/b c/d"},{"shard":2,"repos":"e/f"}]}
# Repositories are dealt round-robin over the shards, so neighbours in the list (often of a
# similar size) land in different jobs. At most --max-jobs shards (default 256, the
# matrix limit): past that, each shard takes more repositories.
# Exit 2 on a malformed name or an empty list.
set -u
per_job=5
max_jobs=256
while [ $# -gt 0 ]; do
	case $1 in
	--per-job) per_job=${2:-}; shift 2 || exit 2 ;;
	--max-jobs) max_jobs=${2:-}; shift 2 || exit 2 ;;
	*) echo "sweep-plan: unknown argument: $1" >&2; exit 2 ;;
	esac
done
for n in "$per_job" "$max_jobs"; do
	case $n in '' | *[!0-9]* | 0) echo "sweep-plan: not a positive number: '$n'" >&2; exit 2 ;; esac
done

list=$(tr ', \t\r' '[\n*4]' | sed -e '/^$/d' -e 's#^https://github.com/##' -e 's#\.git$##' | LC_ALL=C sort -u)
if [ -z "$list" ]; then
	echo "sweep-plan: no repositories to sweep" >&2
	exit 2
fi
bad=$(printf '%s\n' "$list" | grep -Ev '^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$' || true)
if [ -n "$bad" ]; then
	echo "sweep-plan: not owner/name: $(printf '%s' "$bad" | head -n 1)" >&2
	exit 2
fi
count=$(printf '%s\n' "$list" | wc -l | tr -d ' ')
shards=$(((count + per_job - 1) / per_job))
[ "$shards" -le "$max_jobs" ] || shards=$max_jobs

printf '%s\n' "$list" | awk -v shards="$shards" '
	{ i = (NR - 1) % shards + 1; r[i] = (n[i]++ ? r[i] " " : "") $0 }
	END {
		printf "{\"include\":["
		for (i = 1; i <= shards; i++)
			printf "%s{\"shard\":%d,\"repos\":\"%s\"}", (i > 1 ? "," : ""), i, r[i]
		printf "]}\n"
	}'
