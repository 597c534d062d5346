#!/bin/sh
# Precision on real, secret-free text: scan large bodies of ordinary code and documentation
# that ship with the system and count the files the default rules flag. Any finding there
# is a false positive (the corpora hold library code, headers, manuals and packages).
#
#   tests/bench/precision.sh path/to/secretgate [CORPUS...]
#
# With no CORPUS, every directory of the default list that exists is scanned. Prints, per
# corpus, the files scanned, the files flagged and the percentage, then the rules with the
# most flagged files over all corpora and a few example locations for each.
# Environment: PRECISION_TOP (rules listed, default 15), PRECISION_SHOW (locations shown per
# rule, default 3), PRECISION_KEEP (directory to keep the JSONL reports in).
set -eu
BIN=${1:?usage: precision.sh path/to/secretgate [CORPUS...]}
shift
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
[ -x "$BIN" ] || { echo "precision: $BIN is not executable" >&2; exit 2; }
command -v jq >/dev/null 2>&1 || { echo "precision: needs jq" >&2; exit 2; }

TOP=${PRECISION_TOP:-15}
SHOW=${PRECISION_SHOW:-3}

if [ $# -eq 0 ]; then
	set -- /usr/lib/python3.11 /usr/lib/python3/dist-packages /usr/include /usr/share/doc \
		/usr/lib/node_modules /usr/share/perl /usr/share/perl5 /usr/share/javascript \
		/usr/share/fpcsrc /usr/share/vim /usr/share/base-passwd /tmp/npmcorpus/node_modules
fi

if [ -n "${PRECISION_KEEP:-}" ]; then
	work=$PRECISION_KEEP
	mkdir -p "$work"
else
	work=$(mktemp -d "${TMPDIR:-/tmp}/sg-precision.XXXXXX")
	trap 'rm -rf "$work"' EXIT INT TERM
fi
: >"$work/all.tsv"

printf '%-36s %9s %8s %9s %9s\n' corpus files flagged percent findings
total_files=0
total_flagged=0
i=0
for corpus in "$@"; do
	[ -d "$corpus" ] || continue
	i=$((i + 1))
	out=$work/c$i.jsonl
	# exit 1 only means findings; 2 is an error worth seeing but not fatal here
	rc=0
	"$BIN" scan --no-config --color never --format jsonl "$corpus" >"$out" 2>"$work/c$i.err" || rc=$?
	if [ "$rc" -gt 1 ]; then
		echo "precision: $corpus: exit $rc: $(tail -1 "$work/c$i.err")" >&2
	fi
	files=$(sed -n 's/^secretgate: \([0-9][0-9]*\) files.*/\1/p' "$work/c$i.err" | tail -1)
	files=${files:-0}
	findings=$(wc -l <"$out" | tr -d ' ')
	flagged=$(jq -r '.path' "$out" | sort -u | wc -l | tr -d ' ')
	pct=$(awk -v f="$flagged" -v n="$files" 'BEGIN { if (n > 0) printf "%.3f%%", 100 * f / n; else print "-" }')
	printf '%-36s %9s %8s %9s %9s\n' "$corpus" "$files" "$flagged" "$pct" "$findings"
	jq -r '[.rule, .path, (.line | tostring)] | @tsv' "$out" >>"$work/all.tsv"
	total_files=$((total_files + files))
	total_flagged=$((total_flagged + flagged))
done
pct=$(awk -v f="$total_flagged" -v n="$total_files" 'BEGIN { if (n > 0) printf "%.3f%%", 100 * f / n; else print "-" }')
printf '%-36s %9s %8s %9s\n' total "$total_files" "$total_flagged" "$pct"

if [ -s "$work/all.tsv" ]; then
	echo
	echo "top rules by flagged files (false positives):"
	cut -f1,2 "$work/all.tsv" | sort -u | cut -f1 | sort | uniq -c | sort -rn | head -n "$TOP" |
		while read -r n rule; do
			printf '%6d  %s\n' "$n" "$rule"
			awk -F '\t' -v r="$rule" '$1 == r { print "          " $2 ":" $3 }' "$work/all.tsv" |
				head -n "$SHOW"
		done
fi
