#!/bin/sh
# Invalid UTF-8 and UTF-16 text: never a crash, reports stay valid JSON.
# A secret among invalid UTF-8 is found. UTF-16 files hold NUL bytes, so
# they are skipped as binary unless --binary (see docs/limits.md).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"
tok=$(hostile_token utf8)
# overlong, truncated, surrogate and stray continuation bytes around the secret
printf '\300\257 \355\240\200 \377\376 key="%s" \342\202\n\200\201 caf\351\n' "$tok" >"$T/bad-utf8.txt"
expect_rc 1 "$SG" scan $SCAN --format json "$T/bad-utf8.txt"
printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d["findings"])==1' \
	|| fail "json output is not valid JSON with one finding: $OUT"
for fmt in sarif gitlab; do
	OUT=$("$SG" scan $SCAN --format $fmt "$T/bad-utf8.txt" 2>"$T/.stderr"); rc=$?
	if [ "$rc" -eq 2 ] && grep -q "unknown format" "$T/.stderr"; then
		echo "note: format $fmt not in this build, not checked"
		continue
	fi
	[ "$rc" -eq 1 ] || fail "--format $fmt: exit $rc"
	printf '%s' "$OUT" | python3 -c 'import json,sys; json.load(sys.stdin)' || fail "$fmt output is not valid JSON"
done

# a file name that is not UTF-8 either
cp "$T/bad-utf8.txt" "$T/$(printf 'name-\377\376.txt')"
expect_rc 1 "$SG" scan $SCAN --format json "$T/$(printf 'name-\377\376.txt')"
printf '%s' "$OUT" | python3 -c 'import json,sys; json.load(sys.stdin)' || fail "json with a non-UTF-8 path is not valid JSON: $OUT"

# UTF-16 with and without byte-order marks
printf 'key="%s"\n' "$tok" | iconv -f UTF-8 -t UTF-16 >"$T/u16.txt"
printf 'key="%s"\n' "$tok" | iconv -f UTF-8 -t UTF-16BE >"$T/u16be.txt"
expect_rc 0 "$SG" scan $SCAN "$T/u16.txt" "$T/u16be.txt"
contains "$ERR" "2 binary"
run_limited 30 "$SG" scan $SCAN --binary "$T/u16.txt" "$T/u16be.txt"
[ "$RC" -le 1 ] || fail "--binary on UTF-16: exit $RC ($ERR)"
finish
