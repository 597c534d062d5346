# shellcheck shell=sh
# Helpers for the git e2e scripts (after lib.sh): fixture repositories built
# with the git CLI, a rule file for AWS- and Stripe-style keys, and secrets
# assembled at run time so this repository holds none.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME="Ada Tester" GIT_AUTHOR_EMAIL=ada@example.com
export GIT_COMMITTER_NAME="Ada Tester" GIT_COMMITTER_EMAIL=ada@example.com
# aws N: a distinct AWS-style key id per N (1..9)
aws() { printf 'AKIA%s%s' "QWERTYUIOPASD2" "$(printf '%s' "$1" | tr '1-9' 'BCDEFGHJK')Z"; }
stripe() { printf 'sk_%s_%s%s' live "abcdefghijklmnopqrstuvw" "$1"; }
RULES=$T/rules.yaml
cat >"$RULES" <<YAML
rules:
  - id: test-aws-key
    description: AWS access key id
    severity: critical
    keywords: [AKIA]
    pattern: '\b(AKIA[A-Z2-7]{16})\b'
    examples: ['k = $(aws 8)', '$(aws 9) x']
    negative_examples: ['AKIA123']
  - id: test-stripe
    description: Stripe secret key
    severity: critical
    keywords: [sk_live_]
    pattern: '\b(sk_live_[A-Za-z0-9]{24,})\b'
    examples: ['k = $(stripe 8)', '$(stripe 9)']
    negative_examples: ['sk_live_short']
YAML
# sgit ARGS...: secretgate git with the test rules, no config
sgit() { "$SG" git --rules "$RULES" --no-config "$@"; }
newrepo() { git init -q -b main "$1" && git -C "$1" config commit.gpgsign false; }
# commit_file REPO PATH TEXT [MESSAGE]
commit_file() {
	mkdir -p "$(dirname "$1/$2")"
	printf '%s\n' "$3" >"$1/$2"
	git -C "$1" add -- "$2" && git -C "$1" commit -q -m "${4:-edit $2}" --no-verify
}
sha() { git -C "$1" rev-parse "$2"; }
# first_commit_repo: R=$T/repo, a new repository with one commit (README), as
# the current directory.
first_commit_repo() {
	R=$T/repo
	newrepo "$R"
	cd "$R" || exit 2
	commit_file "$R" README "hello" "first"
}
count() { printf '%s' "$1" | grep -c "$2"; }
