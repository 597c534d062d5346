# shellcheck shell=sh
# Helpers for the policy e2e scripts (after lib.sh): a rule file with one
# high- and one low-severity token shape that no default rule knows, tokens
# assembled at run time, and a throw-away git repository to scan.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME="Ada Tester" GIT_AUTHOR_EMAIL=ada@example.com
export GIT_COMMITTER_NAME="Ada Tester" GIT_COMMITTER_EMAIL=ada@example.com
# tok N / weak N: distinct test tokens per N (0..9999)
tok() { printf 'sg%s_%s%04d' t "q7x2k9m4p1z8w3v6r5n0" "$1"; }
weak() { printf 'sg%s_%s%04d' w "h3j8k2l5m9n1b4v7" "$1"; }
RULES=$T/rules.yaml
cat >"$RULES" <<'YAML'
rules:
  - id: pol-token
    description: policy test token
    severity: high
    keywords: [sgt_]
    pattern: '\b(?<secret>sgt_[a-z0-9]{24})\b'
  - id: pol-weak
    description: policy test weak token
    severity: low
    keywords: [sgw_]
    pattern: '\b(?<secret>sgw_[a-z0-9]{20})\b'
YAML
P=$T/proj
git init -q -b main "$P"
git -C "$P" config commit.gpgsign false
cd "$P" || exit 2
# sg ARGS...: secretgate scan of the repository with the test rules
sg() { "$SG" scan --rules "$RULES" "$@"; }
# json_ok TEXT: one JSON document (checked with python3 when present)
json_ok() {
	command -v python3 >/dev/null 2>&1 || { skip "JSON check needs python3"; return 0; }
	printf '%s' "$1" | python3 -c 'import json,sys; json.load(sys.stdin)' 2>"$T/.json" ||
		fail "malformed JSON: $(cat "$T/.json")"
}
xml_ok() {
	command -v python3 >/dev/null 2>&1 || { skip "XML check needs python3"; return 0; }
	printf '%s' "$1" | python3 -c 'import sys,xml.dom.minidom as m; m.parseString(sys.stdin.buffer.read())' 2>"$T/.xml" ||
		fail "malformed XML: $(cat "$T/.xml")"
}
nlines() { printf '%s\n' "$1" | grep -c "$2"; }
