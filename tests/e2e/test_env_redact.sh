#!/bin/sh
# redact: a log stream with secret values (in their encodings) and rule matches masked.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/envgate_lib.sh"
cd "$T" || exit 1
mkdir -p .secretgate
cat > .secretgate/env.yml <<'YAML'
environments:
  production: {}
vars:
  DEPLOY_KEY: { secret: true }
YAML
e2e_rules rules.yml
key="dk-$(printf 'secret')/value+42"
tok="e2etok_$(printf 'abcdefghij')0123456789"
b64=$(printf '%s' "$key" | base64 | tr -d '\n')
url=$(printf '%s' "$key" | sed 's,/,%2F,g; s,+,%2B,g')
{
	echo "step 1: deploying with $key"
	echo "step 2: header Authorization: Basic $b64"
	echo "step 3: GET /hook?k=$url"
	echo "step 4: token $tok"
	echo "step 5: nothing secret"
	printf 'last line without newline %s' "$key"
} > log.txt
expect_rc 0 sh -c 'env -i PATH="$PATH" DEPLOY_KEY="$1" "$0" redact --env production --rules rules.yml < log.txt' "$SG" "$key"
contains "$OUT" "step 1: deploying with [REDACTED:DEPLOY_KEY]"
contains "$OUT" "Basic [REDACTED:DEPLOY_KEY]"
contains "$OUT" "k=[REDACTED:DEPLOY_KEY]"
contains "$OUT" "token [REDACTED:e2e-token]"
contains "$OUT" "step 5: nothing secret"
contains "$OUT" "last line without newline [REDACTED:DEPLOY_KEY]"
lacks "$OUT" "$key"
lacks "$OUT" "$b64"
lacks "$OUT" "$tok"
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 6 ] || fail "line count changed: $OUT"

# Streaming: each line comes out as soon as it is complete, before the input ends.
fifo="$T/in.fifo"
mkfifo "$fifo"
env -i PATH="$PATH" DEPLOY_KEY="$key" "$SG" redact --env production < "$fifo" > out.txt 2>/dev/null &
pid=$!
exec 3> "$fifo"
printf 'early %s\n' "$key" >&3
i=0
while [ $i -lt 50 ] && ! grep -q early out.txt 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
grep -q 'early \[REDACTED:DEPLOY_KEY\]' out.txt || fail "line not flushed before end of input"
exec 3>&-
wait $pid || fail "redact exited non-zero on a fifo"

# Over-long lines are cut into pieces without letting a secret through.
awk -v k="$key" 'BEGIN { s = ""; for (i = 0; i < 5000; i++) s = s "a"; printf "%s%s%s\n", s, k, s }' > long.txt
expect_rc 0 sh -c 'env -i PATH="$PATH" DEPLOY_KEY="$1" "$0" redact --env production --max-line 1024 < long.txt' "$SG" "$key"
lacks "$OUT" "$key"
contains "$OUT" "a[REDACTED:DEPLOY_KEY]a"

# Without --env only rule matches are masked.
expect_rc 0 sh -c 'echo "t $1 k $2" | "$0" redact --rules rules.yml' "$SG" "$tok" "$key"
contains "$OUT" "t [REDACTED:e2e-token] k $key"
expect_rc 2 "$SG" redact extra-arg
finish
