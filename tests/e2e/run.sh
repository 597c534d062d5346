#!/bin/sh
# Runs every tests/e2e/test_*.sh with SECRETGATE pointing at the binary under test.
# Each script exits 0 on success; its output is shown only when it fails.
: "${SECRETGATE:?SECRETGATE must name the binary}"
export SECRETGATE
here=$(cd "$(dirname "$0")" && pwd)
pass=0
fail=0
for t in "$here"/test_*.sh; do
	[ -f "$t" ] || continue
	log=$(mktemp)
	if sh "$t" >"$log" 2>&1; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $(basename "$t")"
		sed 's/^/  /' "$log"
	fi
	rm -f "$log"
done
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
