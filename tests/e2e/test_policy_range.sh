#!/bin/sh
# A pull request cannot set its own policy: in range mode .secretgate.yml, the
# ignore file and the baseline are read from the range's base (blobs, not the
# working tree), every change to them is a policy-changed finding, and inline
# allow markers the range adds are listed as allow-added.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/policy_lib.sh"

sgr() { "$SG" git --rules "$RULES" "$@"; }
# pr NAME: a branch off main to play a pull request on
pr() { git checkout -q -B "$1" main; }
ci() { git add -A && git commit -q --no-verify -m "$1"; }
fp_of() { printf '%s\n' "$1" | grep "\"rule\":\"$2\"" | head -n 1 | sed 's/.*"fingerprint":"\([^"]*\)".*/\1/'; }

printf 'print("hello")\n' >app.py
ci base
# the fingerprint a token gets (scan of a scratch tree)
mkdir -p "$T/fp" && printf 'k = "%s"\n' "$(tok 1)" >"$T/fp/x.py"
OUT=$("$SG" scan --rules "$RULES" --format jsonl "$T/fp" 2>/dev/null)
FP1=$(fp_of "$OUT" pol-token)
[ -n "$FP1" ] || fail "no fingerprint for the test token: $OUT"

# --- the base has no policy file: defaults; a PR that adds one disabling the rule
pr disable
printf 'k = "%s"\n' "$(tok 1)" >>app.py
printf 'rules:\n  disable: [pol-token]\n' >.secretgate.yml
ci "disable the rule"
expect_rc 1 sgr main..disable --format jsonl
[ "$(nlines "$OUT" '"rule":"pol-token"')" -eq 1 ] || fail "the token is still found: $OUT"
contains "$OUT" '"message":"rule disabled: pol-token (rules.disable)"'
contains "$(printf '%s\n' "$OUT" | grep policy-changed)" '"path":".secretgate.yml","line":2'
contains "$(printf '%s\n' "$OUT" | grep policy-changed)" '"suppressed":null'
contains "$ERR" "2 blocking"
# the PR's own policy only when asked for it
expect_rc 0 sgr main..disable --policy-from disable
expect_rc 0 sgr main..disable --policy-from=HEAD

# --- a path allow
pr allow-path
printf 'k = "%s"\n' "$(tok 1)" >>app.py
printf 'allow:\n  paths: ["*.py"]\n' >.secretgate.yml
ci "allow python files"
expect_rc 1 sgr main..allow-path
contains "$OUT" "path allowed: *.py (allow.paths)"
contains "$OUT" "app.py:2"
contains "$ERR" "2 blocking, 0 suppressed"

# --- fail_on raised above the finding's severity, and a secret pattern allowed
pr fail-on
printf 'k = "%s"\n' "$(tok 1)" >>app.py
printf 'fail_on: critical\nallow:\n  patterns: ["^sgt_"]\n' >.secretgate.yml
ci "only critical blocks"
expect_rc 1 sgr main..fail-on
contains "$OUT" "fail_on raised from info to critical: findings below critical no longer block"
contains "$OUT" "secret pattern allowed (allow.patterns, line 3)"
lacks "$OUT" "^sgt_"
contains "$ERR" "3 blocking"

# --- an untracked .secretgate.yml (and ignore file) in the working tree is not read
pr untracked
printf 'k = "%s"\n' "$(tok 1)" >>app.py
ci "a token"
printf 'rules:\n  disable: [pol-token]\n' >.secretgate.yml
printf '%s\n' "$FP1" >.secretgateignore
[ "$(git status --porcelain | grep -c '^??.*secretgate')" -eq 2 ] || fail "setup: both untracked"
expect_rc 1 sgr main..untracked
contains "$OUT" "pol-token"
lacks "$OUT" "policy-changed"
contains "$ERR" "1 blocking, 0 suppressed"
rm -f .secretgate.yml .secretgateignore

# --- the base has a policy; the PR weakens and tightens it
pr main-policy
printf 'fail_on: low\nrules:\n  disable: [pol-weak]\n' >.secretgate.yml
ci "a policy"
git checkout -q main && git merge -q --ff-only main-policy
pr tighten
printf 'fail_on: info\n' >.secretgate.yml
ci "stricter"
expect_rc 0 sgr main..tighten --format jsonl
contains "$OUT" '"message":"fail_on lowered from low to info: more findings block"'
contains "$OUT" '"message":"rule enabled again: pol-weak (rules.disable)"'
contains "$OUT" '"suppressed":"warning"'
# the base's policy is the one in force: its disabled rule stays off
pr weak
printf 'w = "%s"\n' "$(weak 1)" >>app.py
ci "a weak token"
expect_rc 0 sgr main..weak
lacks "$OUT" "pol-weak"

# --- fingerprints added to the baseline (the config's, and one named by --baseline)
pr main-baseline
printf 'baseline: .secretgate-baseline\n' >>.secretgate.yml
printf '# accepted\n' >.secretgate-baseline
ci "an empty baseline"
git checkout -q main && git merge -q --ff-only main-baseline
pr baseline
printf 'k = "%s"\n' "$(tok 1)" >>app.py
printf '%s\n' "$FP1" >>.secretgate-baseline
ci "accept my token"
expect_rc 1 sgr main..baseline --format jsonl
contains "$OUT" "1 fingerprint added to the baseline: $FP1"
contains "$(printf '%s\n' "$OUT" | grep policy-changed)" '"path":".secretgate-baseline","line":2'
[ "$(nlines "$OUT" '"rule":"pol-token".*"suppressed":null')" -eq 1 ] || fail "token blocks: $OUT"
expect_rc 1 sgr main..baseline --baseline .secretgate-baseline
contains "$OUT" "added to the baseline"
contains "$ERR" "2 blocking"
# a --baseline file outside the repository is read from disk, as given
printf '%s\n' "$FP1" >"$T/outside-baseline"
# (the repository's baseline is then not policy, and its change no finding)
expect_rc 0 sgr main..baseline --baseline "$T/outside-baseline" --format jsonl
contains "$OUT" '"suppressed":"baseline"'
lacks "$OUT" "policy-changed"
# --baseline naming a file the base does not have is an error
expect_rc 2 sgr main..baseline --baseline new-baseline
contains "$ERR" "new-baseline: not in revision"

# --- entries added to .secretgateignore
pr ignore
printf 'k = "%s"\n' "$(tok 1)" >>app.py
printf '%s\n' "$FP1" >.secretgateignore
ci "ignore my token"
expect_rc 1 sgr main..ignore
contains "$OUT" "1 fingerprint added to the ignore file: $FP1"
contains "$ERR" "2 blocking, 0 suppressed"
# removing one is a warning
git checkout -q main && git merge -q --ff-only ignore
pr unignore
rm .secretgateignore
ci "no more ignores"
expect_rc 0 sgr main..unignore --format jsonl
contains "$OUT" '"message":"1 fingerprint removed from the ignore file"'
contains "$ERR" "0 blocking"
# the base's ignore file applies to what the range adds
git checkout -q -B main ignore
pr ignored
printf 'k2 = "%s"\n' "$(tok 1)" >>app.py
ci "the same token again"
expect_rc 0 sgr main..ignored
contains "$ERR" "0 blocking, 1 suppressed (1 ignore-file)"
git checkout -q -B main main-baseline

# --- an inline allow marker added in the range: listed, blocking only on request
pr inline
printf 'k = "%s"  # secretgate:allow\n' "$(tok 1)" >>app.py
ci "an allowed token"
expect_rc 0 sgr main..inline --format jsonl
contains "$OUT" '"rule":"allow-added"'
contains "$OUT" "an inline allow marker accepts a pol-token finding on this line"
contains "$(printf '%s\n' "$OUT" | grep allow-added)" '"suppressed":"warning"'
lacks "$(printf '%s\n' "$OUT" | grep allow-added)" "$(tok 1)"
expect_rc 0 sgr main..inline
contains "$OUT" "allow-added"
expect_rc 1 sgr main..inline --fail-on-new-allows
contains "$ERR" "1 blocking"
expect_rc 2 "$SG" git --staged --fail-on-new-allows
expect_rc 2 "$SG" git --staged --policy-from main

# --- a config the base cannot parse is an error; one the head cannot parse a finding
pr broken
printf 'rules: [oops\n' >.secretgate.yml
ci "broken config"
expect_rc 1 sgr main..broken
contains "$OUT" "a policy file cannot be read at this commit"
expect_rc 2 sgr broken..main
contains "$ERR" "secretgate: policy:"

# --- a config outside the repository is read from disk; the range's is not compared
pr outside
printf 'k = "%s"\n' "$(tok 1)" >>app.py
printf 'rules:\n  disable: [pol-weak]\n' >.secretgate.yml
ci "a token"
printf 'rules:\n  disable: [pol-token]\n' >"$T/trusted.yml"
expect_rc 0 sgr main..outside --config "$T/trusted.yml"
lacks "$OUT" "policy-changed"

# --- the base moved on: its own later policy changes are not the range's
git checkout -q -B main ignore
pr late
printf 'print(2)\n' >late.py
ci "a change that leaves the policy alone"
git checkout -q main
git rm -q .secretgateignore && ci "the base drops its ignore entry"
expect_rc 0 sgr main..late --format jsonl
lacks "$OUT" "policy-changed"
git checkout -q -B main main-baseline

# --- a custom rule (which would replace the built-in one of that id)
pr custom
printf 'k = "%s"\n' "$(tok 1)" >>app.py
printf 'rules:\n  custom:\n    - id: pol-token\n      description: never\n      severity: low\n      keywords: [zzzz]\n      pattern: zzzz(q)\n' >.secretgate.yml
ci "a custom rule"
expect_rc 1 sgr main..custom
contains "$OUT" "custom rule added: pol-token"
contains "$OUT" "app.py:2"

# --- a baseline written from a range records its secrets, not its policy changes
expect_rc 1 sgr main..disable --write-baseline "$T/written"
contains "$(cat "$T/written")" "pol-token:"
lacks "$(cat "$T/written")" "policy-changed"

# --- a history sweep reads the working tree, or --policy-from
git checkout -q disable
expect_rc 0 "$SG" git --history --rules "$RULES" disable
expect_rc 1 "$SG" git --history --rules "$RULES" --policy-from main disable
contains "$OUT" "pol-token"
expect_rc 2 "$SG" git --history --rules "$RULES" --policy-from no-such-rev
git checkout -q outside

# --- a range without a single base reads the working tree, as before
expect_rc 1 sgr outside --format jsonl
lacks "$OUT" "policy-changed"
finish
