# Helpers for the hostile-input tests: . "$(dirname "$0")/hostile_lib.sh"
# (after lib.sh). A rule file of our own, so the tests do not depend on the
# default rule set, and a token built at run time.
RULES="$T/hostile-rules.yaml"
cat >"$RULES" <<'YAML'
rules:
  - id: hostile-token
    description: hostile test token
    severity: high
    keywords: [hostile_]
    pattern: '\b(?<secret>hostile_[A-Za-z0-9]{24})\b'
YAML
# hostile_token N: a distinct high-entropy token for N (24 characters after the prefix).
hostile_token() {
	printf 'hostile_%s' "$(printf '%s' "q$1" | sha256sum | tr -d -c 'a-f0-9' | tr '0-9' 'GHJKLMNPQR' | cut -c1-24)"
}
# sanitized: true when the binary was built with a sanitizer (slower, bigger).
sanitized() { grep -q -a -e __asan_init -e __tsan_init "$SG" 2>/dev/null; }
# run_limited SECONDS CMD...: like expect_rc's capture, but fails if CMD hangs.
run_limited() {
	secs=$1; shift
	OUT=$(timeout -k 5 "$secs" "$@" 2>"$T/.stderr"); RC=$?
	ERR=$(cat "$T/.stderr")
	[ "$RC" -ne 124 ] && [ "$RC" -ne 137 ] || fail "hung (killed after ${secs}s): $*"
}
SCAN="--no-config --rules $RULES"
