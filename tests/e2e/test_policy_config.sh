#!/bin/sh
# .secretgate.yml through the CLI: allow paths, patterns, stop-words and
# per-rule entries, disabled and custom rules, the size cap; errors name
# file, line and key and exit 2.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/policy_lib.sh"

mkdir -p src tests/fixtures docs
printf 'k = "%s"\n' "$(tok 1)" >src/app.py
printf 'k = "%s"\n' "$(tok 2)" >tests/fixtures/keys.py
printf 'k = "%s"\n' "$(weak 3)" >docs/guide.md
expect_rc 1 sg
contains "$ERR" "3 blocking"

# allow.paths
printf 'allow:\n  paths: ["tests/fixtures/**"]\n' >.secretgate.yml
expect_rc 1 sg --format jsonl
contains "$(printf '%s\n' "$OUT" | grep fixtures)" '"suppressed":"config"'
contains "$ERR" "2 blocking, 1 suppressed (1 config)"

# allow.patterns (regex on the secret) and allow.stopwords
printf 'allow:\n  patterns: ["0001$"]\n  stopwords: ["H3J8"]\n' >.secretgate.yml
expect_rc 1 sg
contains "$ERR" "1 blocking, 2 suppressed (2 config)"

# per-rule entries touch that rule only
printf 'allow:\n  rules:\n    pol-weak:\n      paths: ["docs/**"]\n    pol-token:\n      stopwords: [nomatch]\n' >.secretgate.yml
expect_rc 1 sg
contains "$ERR" "2 blocking, 1 suppressed (1 config)"

# rules.custom and rules.disable (a custom rule of the same file, and a
# default rule); here the config alone defines the rules
cat >.secretgate.yml <<'YAML'
rules:
  custom:
    - id: acme-internal
      description: ACME internal key
      severity: critical
      keywords: [acme_]
      pattern: '\b(?<secret>acme_[a-z0-9]{16})\b'
    - id: acme-legacy
      keywords: [acme_]
      pattern: '\b(?<secret>acme_[a-z0-9]{16})\b'
  disable: [acme-legacy]
YAML
printf 'x = %s%s\n' "acme_" "k3j4h5g6f7d8s9a0" >src/acme.py
expect_rc 1 "$SG" scan --format jsonl
contains "$OUT" '"rule":"acme-internal"'
lacks "$OUT" '"rule":"acme-legacy"'
first_default=$("$SG" rules list --no-config 2>/dev/null | awk 'NF{print $1; exit}')
if [ -n "$first_default" ]; then
	printf 'rules:\n  disable: [%s]\n' "$first_default" >.secretgate.yml
	expect_rc 1 sg
fi
rm src/acme.py

# max_file_size
head -c 3000 /dev/zero | tr '\0' 'x' >big.txt
printf '\n%s\n' "$(tok 9)" >>big.txt
printf 'max_file_size: 2k\n' >.secretgate.yml
expect_rc 1 sg
contains "$ERR" "1 too big"
rm big.txt

# errors: unknown key, wrong type, bad regex, unknown rule id: exit 2, file:line: key
check_error() {
	printf '%b' "$1" >.secretgate.yml
	expect_rc 2 sg
	contains "$ERR" "$2"
}
check_error 'version: 1\nallow:\n  pathz: [a]\n' '.secretgate.yml:3: allow.pathz: unknown key'
check_error 'colour: red\n' '.secretgate.yml:1: colour: unknown key'
check_error 'fail_on: [high]\n' '.secretgate.yml:1: fail_on: must be'
check_error 'allow:\n  paths: docs\n' '.secretgate.yml:2: allow.paths: must be a list'
check_error 'allow:\n  patterns:\n    - ok\n    - "(broken"\n' '.secretgate.yml:4: allow.patterns: bad regex'
check_error 'rules:\n  disable:\n    - no-such-rule\n' '.secretgate.yml:3: rules.disable: no rule with id'
check_error 'rules:\n  custom:\n    - id: bad\n      keywords: [ba]\n      pattern: "(x"\n' ".secretgate.yml:3: rule 'bad'"
check_error 'allow:\n  rules:\n    pol-token:\n      patterns: ["[z-a]"]\n' '.secretgate.yml:4: allow.rules.pol-token.patterns: bad regex'

# --config names another file; --no-config ignores it
printf 'allow:\n  paths: ["**"]\n' >"$T/allow-all.yml"
expect_rc 0 sg --config "$T/allow-all.yml"
expect_rc 1 sg --no-config
expect_rc 2 sg --config "$T/nope.yml"
finish
