#!/bin/sh
# Runs every tests/e2e/test_*.sh with SECRETGATE pointing at the binary under test.
# Each script exits 0 on success; its output is shown only when it fails.
: "${SECRETGATE:?SECRETGATE must name the binary}"
export SECRETGATE
here=$(cd "$(dirname "$0")" && pwd)
pass=0
fail=0
# Checks a script could not run here (a missing tool) are listed apart: a
# skipped check has not passed.
SG_E2E_SKIPS=$(mktemp)
export SG_E2E_SKIPS
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
skipped=$(wc -l <"$SG_E2E_SKIPS" | tr -d ' ')
if [ "$skipped" -gt 0 ]; then
	echo "e2e: skipped checks (install what they need to run them):"
	sort -u "$SG_E2E_SKIPS" | sed 's/^/  /'
fi
rm -f "$SG_E2E_SKIPS"
echo "e2e: $pass passed, $fail failed, $skipped checks skipped"
[ "$fail" -eq 0 ]
