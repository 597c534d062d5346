#!/bin/sh
# --fail-on and fail_on: findings below the blocking severity are reported
# and counted but do not block; the flag overrides the config.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/policy_lib.sh"

printf 'w = "%s"\n' "$(weak 1)" >a.py
expect_rc 1 sg
expect_rc 0 sg --fail-on high --format jsonl
contains "$OUT" '"suppressed":"below-fail-on"'
contains "$ERR" "0 blocking, 1 suppressed (1 below-fail-on)"
expect_rc 1 sg --fail-on low

printf 'fail_on: medium\n' >.secretgate.yml
expect_rc 0 sg
expect_rc 1 sg --fail-on info

# a high finding still blocks at fail_on: medium
printf 't = "%s"\n' "$(tok 1)" >>a.py
expect_rc 1 sg --format json
contains "$OUT" '"blocking":1'
contains "$OUT" '"below-fail-on":1'

expect_rc 2 sg --fail-on severe
contains "$ERR" "fail-on"
finish
