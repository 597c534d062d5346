#!/bin/sh
# sweep-merge.sh IN OUT
# Merges the per-repository results of a sweep (sweep-repo.sh: OWNER__NAME.status, .jsonl,
# .sarif, possibly from many shards downloaded into IN) into OUT:
#   OUT/secretgate-sweep.json   one report: {"version":1,"repositories":[...],
#                               "findings":[each finding plus "repository"],"summary":{...}}
#   OUT/sarif/OWNER__NAME.sarif one SARIF per repository
#   OUT/secretgate-sweep.html   one self-contained overview page (no scripts, no network)
#   OUT/summary.md              a Markdown table for the job summary
# Exit 0 when every repository is clean, 1 when any has findings, 2 when none has
# findings but some failed. POSIX sh and awk; no jq.
set -u
[ $# -eq 2 ] || { echo "usage: sweep-merge.sh IN OUT" >&2; exit 2; }
in=$1
out=$2
[ -d "$in" ] || { echo "sweep-merge: no such directory: $in" >&2; exit 2; }
mkdir -p "$out/sarif" || exit 2

statuses=$(find "$in" -name '*.status' -type f | LC_ALL=C sort)
if [ -z "$statuses" ]; then
	echo "sweep-merge: no results in $in" >&2
	exit 2
fi

tab=$(printf '\t')
# One line per repository: repo TAB exit TAB findings TAB critical high medium low info TAB error
rows=$out/.rows
: >"$rows"
findings_json=$out/.findings
: >"$findings_json"
printf '%s\n' "$statuses" | while IFS= read -r st; do
	dir=$(dirname "$st")
	slug=$(basename "$st" .status)
	repo=$(sed -n 's/^repository=//p' "$st" | head -n 1)
	rc=$(sed -n 's/^exit=//p' "$st" | head -n 1)
	err=$(sed -n 's/^error=//p' "$st" | head -n 1)
	case $repo in '' | *[!A-Za-z0-9_./-]*) echo "sweep-merge: bad repository name in $st" >&2; continue ;; esac
	case $rc in 0 | 1 | 2) ;; *) rc=2 err=${err:-no exit code} ;; esac
	counts="0${tab}0${tab}0${tab}0${tab}0${tab}0"
	if [ -f "$dir/$slug.jsonl" ]; then
		counts=$(awk -v tab="$tab" '
			/^[ \t]*$/ { next }
			{ n++; s = "unknown"
			  if (match($0, /"severity"[ \t]*:[ \t]*"[a-z]*"/)) { s = substr($0, RSTART, RLENGTH); sub(/.*"severity"[ \t]*:[ \t]*"/, "", s); sub(/"$/, "", s) }
			  c[s]++ }
			END { printf "%d%s%d%s%d%s%d%s%d%s%d\n", n, tab, c["critical"], tab, c["high"], tab, c["medium"], tab, c["low"], tab, c["info"] }
		' "$dir/$slug.jsonl")
		# Each finding gains a "repository" key; the names were checked above (no escaping needed).
		awk -v repo="$repo" '
			/^[ \t]*$/ { next }
			{ sub(/^[ \t]*\{[ \t]*/, ""); printf "{\"repository\":\"%s\"%s%s\n", repo, ($0 ~ /^\}/ ? "" : ","), $0 }
		' "$dir/$slug.jsonl" >>"$findings_json"
	elif [ "$rc" != 2 ]; then
		rc=2 err=${err:-no findings file}
	fi
	[ -f "$dir/$slug.sarif" ] && cp "$dir/$slug.sarif" "$out/sarif/$slug.sarif"
	printf '%s\t%s\t%s\t%s\t%s\n' "$repo" "$rc" "$counts" "$slug" "$err" >>"$rows"
done

# The JSON report.
awk -F '\t' -v findings="$findings_json" '
	function jstr(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
	{
		repos = repos (NR > 1 ? "," : "") sprintf("{\"repository\":%s,\"exit\":%d,\"findings\":%d,\"severities\":{\"critical\":%d,\"high\":%d,\"medium\":%d,\"low\":%d,\"info\":%d},\"sarif\":%s%s}", \
			jstr($1), $2, $3, $4, $5, $6, $7, $8, ($2 == 2 ? "null" : jstr("sarif/" $9 ".sarif")), ($10 != "" ? ",\"error\":" jstr($10) : ""))
		total += $3; n++
		if ($2 == 2) errors++; else if ($3 > 0 || $2 == 1) dirty++; else clean++
	}
	END {
		printf "{\"version\":1,\"repositories\":[%s],\"findings\":[", repos
		first = 1
		while ((getline line < findings) > 0) { printf "%s%s", (first ? "" : ","), line; first = 0 }
		printf "],\"summary\":{\"repositories\":%d,\"clean\":%d,\"with_findings\":%d,\"errors\":%d,\"findings\":%d}}\n", n, clean, dirty, errors, total
	}
' "$rows" >"$out/secretgate-sweep.json"

# The Markdown summary.
{
	echo "### secretgate sweep"
	echo
	echo "| repository | result | findings | critical | high | medium | low | info |"
	echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
	awk -F '\t' '{
		r = ($2 == 2) ? "error: " $10 : ($3 > 0 || $2 == 1) ? "findings" : "clean"
		printf "| %s | %s | %d | %d | %d | %d | %d | %d |\n", $1, r, $3, $4, $5, $6, $7, $8
	}' "$rows"
} >"$out/summary.md"

# The HTML overview: repositories, then findings by rule, then every finding (capped).
awk -F '\t' -v findings="$findings_json" -v max=5000 '
	function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); gsub(/"/, "\\&quot;", s); return s }
	function str(line, key,   re, s) {
		re = "\"" key "\"[ \t]*:[ \t]*\"([^\"\\\\]|\\\\.)*\""
		if (!match(line, re)) return ""
		s = substr(line, RSTART, RLENGTH)
		sub(/^"[^"]*"[ \t]*:[ \t]*"/, "", s); sub(/"$/, "", s)
		gsub(/\\"/, "\"", s); gsub(/\\\\/, "\\", s)
		return s
	}
	function num(line, key,   re, s) {
		re = "\"" key "\"[ \t]*:[ \t]*[0-9]+"
		if (!match(line, re)) return ""
		s = substr(line, RSTART, RLENGTH); sub(/.*:[ \t]*/, "", s)
		return s
	}
	{ row[NR] = $0; n = NR; total += $3; if ($2 == 2) errors++; else if ($3 > 0 || $2 == 1) dirty++; else clean++ }
	END {
		print "<!DOCTYPE html>"
		print "<html lang=\"en\"><head><meta charset=\"utf-8\"><title>secretgate sweep</title>"
		print "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		print "<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}"
		print "th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}th{background:#f3f3f3}td.n{text-align:right}"
		print ".clean{color:#176f2c}.findings{color:#b3261e;font-weight:bold}.error{color:#8a5a00}"
		print ".bar{display:inline-block;height:.8em;background:#b3261e;vertical-align:middle}"
		print ".sev-critical,.sev-high{color:#b3261e}.sev-medium{color:#8a5a00}code{font-size:90%}</style></head><body>"
		print "<h1>secretgate sweep</h1>"
		printf "<p>%d repositories: <span class=\"clean\">%d clean</span>, <span class=\"findings\">%d with findings</span>, <span class=\"error\">%d failed</span>; %d findings in all.</p>\n", n, clean, dirty, errors, total
		print "<h2>Repositories</h2><table><tr><th>repository</th><th>result</th><th>findings</th><th>critical</th><th>high</th><th>medium</th><th>low</th><th>info</th><th>SARIF</th></tr>"
		for (i = 1; i <= n; i++) {
			split(row[i], f, "\t")
			cls = (f[2] == 2) ? "error" : (f[3] > 0 || f[2] == 1) ? "findings" : "clean"
			res = (f[2] == 2) ? "error: " f[10] : cls
			printf "<tr><td>%s</td><td class=\"%s\">%s</td><td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d</td><td>%s</td></tr>\n", \
				esc(f[1]), cls, esc(res), f[3], f[4], f[5], f[6], f[7], f[8], (f[2] == 2 ? "" : "<code>sarif/" esc(f[9]) ".sarif</code>")
		}
		print "</table>"
		m = 0
		while ((getline line < findings) > 0) {
			m++
			rule = str(line, "rule"); byrule[rule]++
			if (m <= max) {
				body = body sprintf("<tr><td>%s</td><td>%s</td><td class=\"sev-%s\">%s</td><td><code>%s</code></td><td class=\"n\">%s</td><td><code>%s</code></td><td>%s</td></tr>\n", \
					esc(str(line, "repository")), esc(rule), esc(str(line, "severity")), esc(str(line, "severity")), \
					esc(str(line, "path")), num(line, "line"), esc(substr(str(line, "commit"), 1, 12)), esc(str(line, "date")))
			}
		}
		if (m > 0) {
			print "<h2>Findings by rule</h2><table><tr><th>rule</th><th>findings</th><th></th></tr>"
			top = 0
			for (r in byrule) if (byrule[r] > top) top = byrule[r]
			for (r in byrule)
				printf "<tr><td>%s</td><td class=\"n\">%d</td><td><span class=\"bar\" style=\"width:%dpx\"></span></td></tr>\n", esc(r), byrule[r], int(200 * byrule[r] / top)
			print "</table>"
			print "<h2>Findings</h2><table><tr><th>repository</th><th>rule</th><th>severity</th><th>path</th><th>line</th><th>commit</th><th>date</th></tr>"
			printf "%s", body
			print "</table>"
			if (m > max) printf "<p>%d more findings are in secretgate-sweep.json.</p>\n", m - max
		}
		print "<p>Secrets are never shown here: see each finding in the JSON report or in code scanning.</p>"
		print "</body></html>"
	}
' "$rows" >"$out/secretgate-sweep.html"

result=$(awk -F '\t' '$2 == 1 || $3 > 0 { f = 1 } $2 == 2 { e = 1 } END { print f ? 1 : e ? 2 : 0 }' "$rows")
rm -f "$rows" "$findings_json"
echo "sweep-merge: $(sed -n 's/.*"summary":{\(.*\)}}$/\1/p' "$out/secretgate-sweep.json")"
exit "$result"
