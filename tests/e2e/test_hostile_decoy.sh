#!/bin/sh
# Decoys that make a rule's pattern run into the PCRE2 limit (an unterminated
# BEGIN ... PRIVATE KEY line followed by blanks, a token whose body runs
# away) must cost one window each: every real key before, between and after
# them is still reported, in scan, staged and range modes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/git_lib.sh"
export LC_ALL=C
# A token rule of our own whose pattern backtracks on a long run of its
# alphabet (the default token rules do not), to decoy a token rule too.
cat >"$T/token-rules.yaml" <<'YAML'
rules:
  - id: decoy-token
    description: token rule with a runaway pattern
    severity: high
    keywords: [dcy_]
    pattern: '\b(?<secret>dcy_(?:[a-z]+|[a-z0-9])+[A-Z]{2})\b'
    window: 4096
YAML
blanks() { printf '%150s\n' ''; }
body() { head -c 900 /dev/urandom | base64 -w 64; }
alnum() { head -c 2000 /dev/urandom | tr -d -c 'A-Za-z0-9' | cut -c1-"$1"; }
digits() { head -c 3000 /dev/urandom | tr -d -c '0-9' | cut -c1-"$1"; }
pem() { printf -- '-----BEGIN %s-----\n%s\n-----END %s-----\n' "$1" "$(body)" "$1"; }
decoy() { printf -- '-----BEGIN %s-----\n' "$1"; blanks; }
# token N: a real decoy-token token
token() { printf 'dcy_%s%sZQ\n' "$(alnum 20 | tr 'A-Z0-9' 'a-za-j')" "$1"; }
token_decoy() { printf 'dcy_%s\n' "$(head -c 2000 /dev/zero | tr '\0' 'a')"; }
KINDS="RSA PRIVATE KEY|EC PRIVATE KEY|DSA PRIVATE KEY|OPENSSH PRIVATE KEY|PRIVATE KEY|ENCRYPTED PRIVATE KEY|PGP PRIVATE KEY BLOCK"
F=$T/keys.txt
{
	IFS='|'
	for k in $KINDS; do
		decoy "$k"; pem "$k"; decoy "$k"; decoy "$k"; pem "$k"; decoy "$k"
	done
	unset IFS
	# SSH2 and PuTTY formats, with RSA decoys around them
	decoy 'RSA PRIVATE KEY'
	printf -- '---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\n'; blanks
	printf -- '---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\n%s\n---- END SSH2 ENCRYPTED PRIVATE KEY ----\n' "$(body)"
	printf -- '---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\n'; blanks
	printf 'PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nPrivate-Lines: 8\n%s\n' "$(body)"
	decoy 'RSA PRIVATE KEY'
	# token rules: default ones between private-key decoys, ours between its own decoys
	printf 'stripe = "sk_live_%s"\n' "$(alnum 32)"; decoy 'PRIVATE KEY'
	printf 'slack = "xoxb-%s-%s-%s"\n' "$(digits 12)" "$(digits 13)" "$(alnum 24)"; decoy 'EC PRIVATE KEY'
	printf 'aws = "AKIA%s"\n' "$(head -c 3000 /dev/urandom | tr -d -c 'A-Z2-7' | cut -c1-16)"
	token_decoy; token 1; token_decoy; token_decoy; token 2; token_decoy
} >"$F"
want() { # want OUT: every real key and token of the fixture, once
	for r in private-key-rsa private-key-ec private-key-dsa private-key-openssh private-key-pkcs8 \
		private-key-pkcs8-encrypted private-key-pgp; do
		n=$(printf '%s\n' "$1" | grep -c "\"rule\":\"$r\"")
		[ "$n" -eq 2 ] || fail "$2: $n $r findings, wanted 2"
	done
	for r in private-key-ssh2 private-key-putty stripe-secret-key slack-bot-token aws-access-key-id; do
		n=$(printf '%s\n' "$1" | grep -c "\"rule\":\"$r\"")
		[ "$n" -eq 1 ] || fail "$2: $n $r findings, wanted 1"
	done
	n=$(printf '%s\n' "$1" | grep -c '"rule":"decoy-token"')
	[ "$n" -eq 2 ] || fail "$2: $n decoy-token findings, wanted 2"
}
SGR="--no-config --rules $T/token-rules.yaml --format jsonl -j 1"
expect_rc 1 "$SG" scan $SGR "$F"
[ -n "${DECOY_KEEP:-}" ] && cp "$F" "$DECOY_KEEP"
want "$OUT" scan
contains "$ERR" "hit the regex limit"

R=$T/repo
newrepo "$R"
commit_file "$R" README "hello" "first"
cp "$F" "$R/keys.txt"
git -C "$R" add keys.txt
cd "$R" || exit 2
expect_rc 1 "$SG" git --staged $SGR
want "$OUT" staged
git commit -q --no-verify -m keys
expect_rc 1 "$SG" git HEAD~1..HEAD $SGR
want "$OUT" range
finish
