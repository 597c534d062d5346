#!/bin/sh
# A finding is new when any line it spans is added: a private key committed
# with one corrupted line (no match) and repaired in the next commit is
# reported at the repair, in staged and in range mode.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/git_lib.sh"
first_commit_repo
base=$(sha "$R" HEAD)
# a random PEM body, its armour assembled here; line 6 is broken in the first version
pem() {
	kind="RSA PRIVATE KEY"
	printf -- '-----BEGIN %s-----\n' "$kind"
	sed "$1" "$T/body"
	printf -- '-----END %s-----\n' "$kind"
}
head -c 1200 /dev/urandom | base64 -w 64 >"$T/body"
pem '5s/^.*$/!! corrupted line !!/' >id_rsa
git add id_rsa
git commit -q --no-verify -m "key, broken"
expect_rc 0 "$SG" git --no-config "$base..HEAD"
# the repair changes one line in the middle of the key
pem '' >id_rsa
git add id_rsa
expect_rc 1 "$SG" git --no-config --staged --format jsonl
contains "$OUT" '"rule":"private-key-rsa"'
contains "$OUT" '"line":2'
git commit -q --no-verify -m "key, repaired"
expect_rc 1 "$SG" git --no-config "$base..HEAD" --format jsonl
contains "$OUT" '"rule":"private-key-rsa"'
contains "$OUT" "\"commit\":\"$(sha "$R" HEAD)\""
# a change after the key (outside every line it spans) is still not new
printf 'x = 1\n' >>id_rsa
git add id_rsa
expect_rc 0 "$SG" git --no-config --staged
finish
