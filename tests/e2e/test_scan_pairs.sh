#!/bin/sh
# Two-part credentials with the default rules: an id and its secret near each
# other are one finding in every format, a part alone says which part it is,
# an id that is no secret alone does not block, and the paired finding keeps
# the secret's fingerprint (a baseline made before the id was added holds).
. "$(dirname "$0")/lib.sh"

# fake values, assembled here so the repository holds none
akid=$(printf 'AK%s%s' IA M35BPAGXIUWP53BD)
asec=$(printf '%s%s' n4xdeJg1Kza5KxxGWfvmaQt KnP/VSGVBrYSuIb9O)
sid=$(printf 'A%s%s' C 3059c9eda86e16960b4b71d70a6e1806)
tok=$(printf '%s%s' 19a41a9a302e0be4 4c71071545a25295)

mkdir -p "$T/p" "$T/alone"
printf 'AWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\nTWILIO_ACCOUNT_SID=%s\nTWILIO_AUTH_TOKEN=%s\n' \
	"$akid" "$asec" "$sid" "$tok" >"$T/p/app.env"

# text: one finding per pair, the id part redacted and located
expect_rc 1 "$SG" scan --no-config "$T/p"
contains "$OUT" "app.env:2:23  aws-secret-access-key"
contains "$OUT" "pair: both, with aws-access-key-id AKIA***** at 1:19"
contains "$OUT" "app.env:4:19  twilio-auth-token"
contains "$OUT" "pair: both, with twilio-account-sid A***** at 3:20"
lacks "$OUT" "app.env:1:"
lacks "$OUT" "app.env:3:"
lacks "$OUT" "$akid"
lacks "$OUT" "$sid"
contains "$ERR" "2 blocking"

# json, jsonl and sarif carry the pair object
for fmt in json jsonl sarif; do
	expect_rc 1 "$SG" scan --no-config --format "$fmt" -q "$T/p"
	contains "$OUT" '"pair":{"status":"both","with":"aws-access-key-id","line":1,"column":19,"secret":"AKIA*****"}'
	lacks "$OUT" "$akid"
done
# --show-secrets shows both parts
expect_rc 1 "$SG" scan --no-config --show-secrets --format jsonl -q "$T/p"
contains "$OUT" "\"secret\":\"$akid\""
contains "$OUT" "\"secret\":\"$asec\""

# one part alone: the secret says so; a Twilio SID alone is not reported
printf 'TWILIO_AUTH_TOKEN=%s\n' "$tok" >"$T/alone/token.env"
printf 'TWILIO_ACCOUNT_SID=%s\n' "$sid" >"$T/alone/sid.env"
expect_rc 1 "$SG" scan --no-config --format jsonl -q "$T/alone"
contains "$OUT" '"pair":{"status":"secret only","with":"twilio-account-sid"}'
lacks "$OUT" "sid.env"
expect_rc 0 "$SG" scan --no-config "$T/alone/sid.env"

# an AWS key id alone still blocks, and says which part it is
printf 'AWS_ACCESS_KEY_ID=%s\n' "$akid" >"$T/alone/id.env"
expect_rc 1 "$SG" scan --no-config "$T/alone/id.env"
contains "$OUT" "aws-access-key-id"
contains "$OUT" "pair: id only (no aws-secret-access-key nearby)"

# the redactor masks both parts of a pair found on one line
printf 'twilio sid=%s token twilio_auth_token=%s\n' "$sid" "$tok" >"$T/line.log"
expect_rc 0 "$SG" redact <"$T/line.log"
contains "$OUT" "[REDACTED:twilio-auth-token]"
contains "$OUT" "[REDACTED:twilio-account-sid]"
lacks "$OUT" "$sid"
lacks "$OUT" "$tok"

# fingerprints: a baseline of the secret alone still accepts it once its id
# is added next to it
mkdir -p "$T/fp"
printf 'AWS_SECRET_ACCESS_KEY=%s\n' "$asec" >"$T/fp/a.env"
expect_rc 1 "$SG" scan --no-config --write-baseline "$T/base.json" "$T/fp"
printf 'AWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\n' "$akid" "$asec" >"$T/fp/a.env"
expect_rc 0 "$SG" scan --no-config --baseline "$T/base.json" "$T/fp"
contains "$ERR" "1 suppressed"

finish
