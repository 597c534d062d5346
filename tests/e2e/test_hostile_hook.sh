#!/bin/sh
# The hook shims with hostile paths: a repository whose path holds a
# newline, a quote, a dollar sign and a terminal escape sequence, staged
# files named likewise, and a secretgate binary whose path has spaces. The
# pre-commit hook still blocks the secret, never runs a name as a command,
# and its messages carry no raw escape sequence.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"
sg_git_available || finish
if ! "$SG" hook --help >/dev/null 2>&1; then
	echo "note: 'secretgate hook' is not in this build; hook shims not checked"
	finish
fi
esc=$(printf '\033')
D="$T/$(printf 'a dir\nwith $(touch pwned) `touch pwned2` \047q\047 \033[31m')"
mkdir -p "$D" || { fail "cannot make the directory"; finish; }
R="$D/repo"
hrepo "$R"
cd "$R" || exit 2
hcommit "$R" README "hello"
# secretgate through a wrapper whose own path has spaces
W="$T/sg wrapper dir/sg wrapper"
mkdir -p "$(dirname "$W")"
{
	echo '#!/bin/sh'
	echo 'cmd=$1; shift'
	printf 'exec "%s" "$cmd" --rules "%s" --no-config "$@"\n' "$SG" "$RULES"
} >"$W"
chmod +x "$W"
export SECRETGATE="$W"
expect_rc 0 "$SG" hook install
[ -x "$(git rev-parse --git-path hooks/pre-commit)" ] || fail "hook not installed"

name1=$(printf 'new\nline $(touch pwned3).py')
name2=$(printf '\033]0;title\007-file.py')
printf 'k = %s\n' "$(hostile_token hook1)" >"$name1"
printf 'k = %s\n' "$(hostile_token hook2)" >"$name2"
git add -- "$name1" "$name2"
OUT=$(git commit -q -m "hostile" 2>&1); rc=$?
[ "$rc" -ne 0 ] || fail "the hook let a secret through"
contains "$OUT" "hostile-token"
lacks "$OUT" "$esc"
[ "$(git rev-list --count HEAD)" -eq 1 ] || fail "the commit was made"
# clean changes with the same hostile names pass
git rm -q --cached -- "$name1" "$name2"
printf 'nothing\n' >"$name1"
git add -- "$name1"
OUT=$(git commit -q -m "clean" 2>&1); rc=$?
[ "$rc" -eq 0 ] || fail "clean commit blocked: $OUT"
cd "$T" || exit 2
for p in pwned pwned2 pwned3; do
	[ ! -e "$D/$p" ] && [ ! -e "$R/$p" ] && [ ! -e "$T/$p" ] || fail "a path was run as a command ($p)"
done
finish
