#!/bin/sh
# Reports from one scan: --report FORMAT=FILE (repeatable) next to the main
# output; SARIF's category only when asked; JUnit classnames Jenkins does not
# split into a path; the HTML report's repository, HEAD, fingerprints, other
# places of the same secret, whether HEAD still holds it, forge links (no
# credentials from the remote URL) and "and N more" folded into <details>.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/git_lib.sh"
R=$T/repo
newrepo "$R" && cd "$R" || exit 2
# a remote URL with a user and password, assembled here so the file holds none
pw=hunter$(printf '%s' 2pass)
git remote add origin "$(printf 'https://%s:%s@%s' deploy "$pw" github.com/acme/widgets.git)"
commit_file "$R" config.py "key = \"$(aws 1)\"" "add config"
first=$(sha "$R" HEAD)
# the same secret in another file, and removed from config.py later
commit_file "$R" tools/copy.py "# old
k = \"$(aws 1)\"" "copy"
commit_file "$R" config.py "key = None" "drop the key"
commit_file "$R" live.py "s = \"$(stripe 1)\"" "live key"
# a secret removed for good: only history holds it
commit_file "$R" gone.py "g = \"$(stripe Z)\"" "gone key"
git rm -q gone.py && git commit -q -m "remove gone.py"
for i in 1 2 3 4 5 6 7 8 9; do
	mkdir -p "many/d$i" && printf 'k = "%s"\n' "$(aws "$i")" >"many/d$i/f.py"
done
for i in 1 2 3 4 5 6 7 8 9; do printf 'k = "%s"\n' "$(stripe "$i")" >"many/s$i.py"; done
git add many && git commit -q -m many
head=$(sha "$R" HEAD)

expect_rc 1 sgit --history --report sarif="$T/r.sarif" --report junit="$T/r.xml" \
	--report html="$T/r.html" --report=jsonl="$T/r.jsonl" --format json
# one scan: one summary line on stderr, every file from it
[ "$(printf '%s\n' "$ERR" | grep -c 'blocking,')" -eq 1 ] || fail "more than one summary: $ERR"
JSON=$OUT
n=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["findings"]))')
[ "$(wc -l <"$T/r.jsonl")" -eq "$n" ] || fail "jsonl holds $(wc -l <"$T/r.jsonl") findings, json $n"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["runs"][0]["results"])==int(sys.argv[2])' \
	"$T/r.sarif" "$n" || fail "sarif does not hold the $n findings"
# SARIF: no category unless asked (code scanning then takes the upload's)
lacks "$(cat "$T/r.sarif")" "automationDetails"
expect_rc 1 sgit --history -q --format sarif --sarif-category secretgate-history
contains "$OUT" '"automationDetails":{"id":"secretgate-history/"}'
# JUnit: classname is not the path (Jenkins would split it at its last dot)
lacks "$(cat "$T/r.xml")" 'classname="config.py"'
contains "$(cat "$T/r.xml")" 'classname="secretgate.'

contains "$(cat "$T/r.xml")" 'file="config.py"'
# HTML
H=$(cat "$T/r.html")
contains "$H" "https://github.com/acme/widgets"
lacks "$H" "$pw"
lacks "$H" "deploy:"
contains "$H" "HEAD <code><a rel=\"noreferrer\" href=\"https://github.com/acme/widgets/commit/$head\">$head"
fp=$(printf '%s\n' "$JSON" | python3 -c 'import json,sys; print([f["fingerprint"] for f in json.load(sys.stdin)["findings"] if f["path"]=="config.py"][0])')
contains "$H" "$fp"
contains "$H" "same secret in 2 other places"
contains "$H" "<li><code>tools/copy.py</code></li>"
contains "$H" "href=\"https://github.com/acme/widgets/blob/$first/config.py#L1\""
contains "$H" "still at HEAD"
contains "$H" "history only"
contains "$H" "<details><summary>and "
lacks "$H" "<script"
lacks "$H" "$(aws 1)"
# the GitHub job summary links each finding to its file at its commit
: >"$T/summary.md"
GITHUB_STEP_SUMMARY="$T/summary.md" sgit --history -q --format github >/dev/null
contains "$(cat "$T/summary.md")" "<a href=\"https://github.com/acme/widgets/blob/$first/config.py#L1\"><code>config.py"
# a remote that is no known forge: no links, no credentials
git remote set-url origin "$(printf 'ssh://%s:%s@%s' me pw git.example.org/acme/widgets.git)"
expect_rc 1 sgit --history -q --format html
lacks "$OUT" "href=\"http"
lacks "$OUT" ":pw@"
contains "$OUT" "git.example.org/acme/widgets.git"
# bad --report values are usage errors
expect_rc 2 sgit --history --report html
contains "$ERR" "FORMAT=FILE"
expect_rc 2 sgit --history --report pdf="$T/x.pdf"
contains "$ERR" "unknown format"
finish
