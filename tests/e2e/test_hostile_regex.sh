#!/bin/sh
# A rule whose pattern backtracks catastrophically on a crafted line: the
# PCRE2 match and depth limits stop it, a notice names the rule, the scan
# goes on, and other rules' findings (same file and other files) are still
# reported.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"
cat >>"$RULES" <<'YAML'
  - id: hostile-backtrack
    description: nested quantifiers
    severity: low
    keywords: [aaaa]
    pattern: '(?<secret>(a|aa)+(b|c)+\d)'
  - id: hostile-nested
    description: nested groups
    severity: low
    keywords: ['((((']
    pattern: '(?<secret>(\((?:[^()]|(?1))*\))+x)'
    window: 65536
YAML
tok=$(hostile_token regex)
{
	printf 'first %s\n' "$tok"
	head -c 4000 /dev/zero | tr '\0' 'a'; printf 'bcbcbcbcbcbcbcbcbcbcbc!\n'
	head -c 30000 /dev/zero | tr '\0' '('; printf '\n'
	printf 'last %s\n' "$(hostile_token regex2)"
} >"$T/evil.txt"
printf 'other %s\n' "$(hostile_token other)" >"$T/other.txt"
start=$(date +%s)
run_limited 60 "$SG" scan $SCAN --format jsonl -j 1 "$T/evil.txt" "$T/other.txt"
took=$(($(date +%s) - start))
[ "$RC" -eq 1 ] || fail "exit $RC, wanted 1 ($ERR)"
[ "$took" -le 20 ] || fail "took ${took}s"
contains "$ERR" "hit the regex limit"
contains "$ERR" "hostile-backtrack"
n=$(printf '%s\n' "$OUT" | grep -c '"rule":"hostile-token"')
[ "$n" -eq 3 ] || fail "$n hostile-token findings, wanted 3: $OUT"
contains "$OUT" '"line":4,'
finish
