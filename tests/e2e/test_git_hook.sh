#!/bin/sh
# secretgate hook install and the hook shims: an existing hook is kept and
# chained, installing twice changes nothing, core.hooksPath is honoured, a
# blocked commit says what to do, pre-push judges the pushed commits, and
# paths with spaces and quotes work.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/git_lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
D="$T/dir with space's"
mkdir -p "$D"
R="$D/repo"
newrepo "$R"
cd "$R" || exit 2
commit_file "$R" README "hello" "first"
# the hooks run secretgate through a wrapper that adds the test rules
W="$D/sg wrapper"
{
	echo '#!/bin/sh'
	echo 'cmd=$1; shift'
	printf 'exec "%s" "$cmd" --rules "%s" --no-config "$@"\n' "$SG" "$RULES"
} >"$W"
chmod +x "$W"
export SECRETGATE="$W"

# an existing hook, which must keep running
cat >.git/hooks/pre-commit <<'HOOK'
#!/bin/sh
echo ran >>"$(git rev-parse --git-dir)/existing-hook-ran"
[ ! -f STOP ] || { echo "existing hook says no" >&2; exit 3; }
HOOK
chmod +x .git/hooks/pre-commit
expect_rc 0 "$SG" hook install
contains "$OUT" "kept the existing pre-commit hook"
[ -x .git/hooks/pre-commit.before-secretgate ] || fail "existing hook not kept"
grep -q "existing-hook-ran" .git/hooks/pre-commit.before-secretgate || fail "kept hook changed"
grep -q "secretgate-hook" .git/hooks/pre-commit || fail "hook not installed"
# the installed hook is the shim in hooks/, after the lines install adds
tail -n +4 .git/hooks/pre-commit >"$T/installed"
tail -n +2 "$here/../../hooks/pre-commit" >"$T/shipped"
cmp -s "$T/installed" "$T/shipped" || fail "installed hook differs from hooks/pre-commit"

# installing twice changes nothing
before=$(ls -la .git/hooks | sort; cat .git/hooks/pre-commit .git/hooks/pre-commit.before-secretgate)
expect_rc 0 "$SG" hook install
contains "$OUT" "already installed"
after=$(ls -la .git/hooks | sort; cat .git/hooks/pre-commit .git/hooks/pre-commit.before-secretgate)
[ "$before" = "$after" ] || fail "second install changed the hooks"

# a clean commit passes and the chained hook ran
printf 'ok\n' >clean.txt
git add clean.txt
git commit -q -m clean 2>"$T/err" || fail "clean commit blocked: $(cat "$T/err")"
[ "$(wc -l <.git/existing-hook-ran)" -eq 1 ] || fail "chained hook did not run once"

# a secret blocks the commit, with what, where and the ways out on stderr
printf 'key = "%s"\n' "$(aws 1)" >"odd name's file.py"
git add "odd name's file.py"
if git commit -q -m secret 2>"$T/err" >"$T/out"; then fail "secret commit went through"; fi
msg=$(cat "$T/err" "$T/out")
contains "$msg" "odd name's file.py:1:"
contains "$msg" "AKIA*"
contains "$msg" "secretgate:allow"
contains "$msg" "--no-verify"
lacks "$msg" "$(aws 1)"
# the emergency exit works
git commit -q --no-verify -m "emergency" || fail "--no-verify did not bypass"
# the chained hook's refusal stands
touch STOP
printf 'x\n' >>clean.txt
git add clean.txt
if git commit -q -m "stop" 2>"$T/err"; then fail "chained hook's refusal ignored"; fi
contains "$(cat "$T/err")" "existing hook says no"
rm -f STOP
git reset -q

# --force replaces a foreign hook (keeping a copy)
printf '#!/bin/sh\nexit 0\n' >.git/hooks/pre-commit
expect_rc 0 "$SG" hook install --force
[ -f .git/hooks/pre-commit.secretgate-backup ] || fail "--force kept no copy"
grep -q "secretgate-hook" .git/hooks/pre-commit || fail "--force did not install"

# core.hooksPath (relative to the working tree) is honoured
git config core.hooksPath "my hooks"
expect_rc 0 "$SG" hook install --pre-push
[ -x "my hooks/pre-commit" ] || fail "core.hooksPath: no pre-commit"
[ -x "my hooks/pre-push" ] || fail "core.hooksPath: no pre-push"
tail -n +4 "my hooks/pre-push" >"$T/installed"
tail -n +2 "$here/../../hooks/pre-push" >"$T/shipped"
cmp -s "$T/installed" "$T/shipped" || fail "installed hook differs from hooks/pre-push"

# pre-push: a pushed commit that adds a secret is refused; a clean one passes
git init -q --bare "$D/remote.git"
git remote add origin "$D/remote.git"
git push -q --no-verify origin main 2>/dev/null || fail "setup push"
git rm -q --cached "odd name's file.py" && rm -f "odd name's file.py"
git commit -q --no-verify -m "drop key"
git push -q origin main 2>"$T/err" || fail "clean push refused: $(cat "$T/err")"
printf 's = "%s"\n' "$(stripe 1)" >pushed.py
git add pushed.py && git commit -q --no-verify -m "key to push"
if git push -q origin main 2>"$T/err"; then fail "push with a secret went through"; fi
contains "$(cat "$T/err")" "pushed.py"
# a new branch is judged on the commits no remote-tracking ref has
git checkout -q -b newbranch
if git push -q origin newbranch 2>"$T/err"; then fail "new branch with a secret pushed"; fi
contains "$(cat "$T/err")" "pushed.py"
git push -q --no-verify origin newbranch 2>/dev/null

# outside a repository: a clear error
(cd "$T" && expect_rc 2 "$SG" hook install && contains "$ERR" "hook") || FAILED=1
finish
