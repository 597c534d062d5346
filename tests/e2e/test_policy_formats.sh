#!/bin/sh
# Every --format through the CLI on a tree with a blocking, a suppressed and
# a hostile finding: well-formed output, secrets redacted, file contents
# escaped, the GitHub step summary written where $GITHUB_STEP_SUMMARY says.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/policy_lib.sh"

esc=$(printf '\033')
mkdir -p src
printf 'a = "%s"\nb = "%s" # secretgate:allow\n' "$(tok 1)" "$(tok 2)" >src/app.py
# a hostile file name and line: quotes, markup, a terminal escape, commas and colons
hostile='x"<script>y,z:%'
printf '<script>alert(1)</script> %s[31m "%s" \r\n' "$esc" "$(tok 3)" >"src/$hostile.txt"

for f in text json jsonl sarif junit github html gitlab; do
	expect_rc 1 sg --format "$f" --color always
	lacks "$OUT" "$(tok 1)"
	lacks "$OUT" "$(tok 3)"
	case "$OUT" in *"$esc"\[31m*) fail "$f: a terminal escape from the file reached the output" ;; esac
	case $f in
	json | sarif | gitlab) json_ok "$OUT" ;;
	jsonl) printf '%s\n' "$OUT" | while IFS= read -r line; do json_ok "$line"; done
		[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 3 ] || fail "jsonl: one line per finding" ;;
	junit) xml_ok "$OUT"; lacks "$OUT" "<script>" ;;
	html) lacks "$OUT" "<script>"; lacks "$OUT" "http:"; lacks "$OUT" "https:"
		lacks "$OUT" "src="; contains "$OUT" "default-src 'none'" ;;
	github) [ "$(printf '%s\n' "$OUT" | grep -c '^::error ')" -eq 2 ] || fail "github: two annotations: $OUT"
		[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 2 ] || fail "github: one line each: $OUT"
		contains "$OUT" "file=src/x\"<script>y%2Cz%3A%25.txt," ;;
	esac
done

# --show-secrets shows them, in every format
for f in text json jsonl sarif junit github html gitlab; do
	expect_rc 1 sg --format "$f" --show-secrets
	contains "$OUT" "$(tok 1)"
done

# sarif: suppressed findings are carried as suppressions, one rule object
expect_rc 1 sg --format sarif
contains "$OUT" '"version":"2.1.0"'
contains "$OUT" '"kind":"inSource"'
[ "$(printf '%s' "$OUT" | grep -o '"id":"pol-token"' | wc -l)" -eq 1 ] || fail "one rule object per rule"

# junit: a clean tree is one passing test case
rm -rf src && printf 'clean\n' >ok.txt
expect_rc 0 sg --format junit
contains "$OUT" 'tests="1" failures="0"'
xml_ok "$OUT"
printf 'a = "%s"\n' "$(tok 1)" >ok.txt

# github: the summary is appended to $GITHUB_STEP_SUMMARY, only in github format
: >"$T/summary.md"
expect_rc 1 env GITHUB_STEP_SUMMARY=$T/summary.md "$SG" scan --rules "$RULES" --format github
contains "$(cat "$T/summary.md")" "### secretgate: 1 blocking finding"
contains "$(cat "$T/summary.md")" "| **blocking** | high |"
expect_rc 1 env GITHUB_STEP_SUMMARY=$T/summary.md "$SG" scan --rules "$RULES" --format json
[ "$(grep -c '^### secretgate' "$T/summary.md")" -eq 1 ] || fail "summary written by json format"
expect_rc 1 env GITHUB_STEP_SUMMARY=$T/no/such/dir/summary.md "$SG" scan --rules "$RULES" --format github
contains "$ERR" "summary.md"

# --output writes the report to a file
expect_rc 1 sg --format html --output "$T/report.html"
[ -s "$T/report.html" ] || fail "--output wrote nothing"
lacks "$OUT" "<html"
finish
