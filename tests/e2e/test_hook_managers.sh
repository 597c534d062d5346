#!/bin/sh
# hook install next to hook managers and shared hook directories: husky gets a
# line in .husky/pre-commit that survives husky rewriting .husky/_, lefthook
# and overcommit a marked block, simple-git-hooks and the pre-commit framework
# the snippet to add (their hooks untouched), a tracked core.hooksPath the
# line to add instead of a machine-local path. A hook without its execute bit
# stays off; uninstall puts back what was there. The block messages say what
# to do for a committed .env file and for pushed commits.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/git_lib.sh"
# the managers' lines call `secretgate` from PATH: a wrapper adding the test rules
mkdir -p "$T/bin"
{
	echo '#!/bin/sh'
	echo 'cmd=$1; shift'
	printf 'case $cmd in git) exec "%s" git --rules "%s" --no-config "$@" ;; esac\n' "$SG" "$RULES"
	printf 'exec "%s" "$cmd" "$@"\n' "$SG"
} >"$T/bin/secretgate"
chmod +x "$T/bin/secretgate"
export PATH="$T/bin:$PATH"
export SECRETGATE="$T/bin/secretgate"

# ---- husky 9: core.hooksPath=.husky/_, whose wrappers run .husky/<name> with sh -e
husky_wrappers() {
	mkdir -p .husky/_
	for h in pre-commit pre-push; do
		printf '#!/bin/sh\n[ -f ".husky/%s" ] || exit 0\nexec sh -e ".husky/%s" "$@"\n' "$h" "$h" >".husky/_/$h"
		chmod +x ".husky/_/$h"
	done
}
R=$T/husky
newrepo "$R" && cd "$R" || exit 2
commit_file "$R" README hi
husky_wrappers
printf 'echo husky-own-hook-ran >>"$(git rev-parse --git-dir)/ran"\n' >.husky/pre-commit
git config core.hooksPath .husky/_
before=$(cat .husky/_/pre-commit)
expect_rc 0 "$SG" hook install --pre-push
contains "$OUT" "husky"
[ "$(cat .husky/_/pre-commit)" = "$before" ] || fail "husky: its wrapper was changed"
[ ! -e .husky/_/pre-commit.before-secretgate ] || fail "husky: its wrapper was moved aside"
grep -q husky-own-hook-ran .husky/pre-commit || fail "husky: the user's hook lost"
grep -qx 'secretgate hook run pre-commit' .husky/pre-commit || fail "husky: no line in .husky/pre-commit"
grep -q 'secretgate hook run pre-push' .husky/pre-push || fail "husky: no line in .husky/pre-push"
lacks "$(cat .husky/pre-commit)" "$T"
expect_rc 0 "$SG" hook install
contains "$OUT" "already runs secretgate"
[ "$(grep -c secretgate .husky/pre-commit)" -eq 1 ] || fail "husky: second install added a line"
printf 'key = "%s"\n' "$(aws 1)" >key.py
git add key.py
if git commit -q -m key 2>"$T/err"; then fail "husky: secret committed"; fi
contains "$(cat "$T/err")" "key.py"
grep -q husky-own-hook-ran .git/ran || fail "husky: the user's hook did not run"
# husky rewrites .husky/_ on every install (npm's prepare): still blocked
rm -rf .husky/_ && husky_wrappers
if git commit -q -m key 2>/dev/null; then fail "husky: secret committed after .husky/_ was rewritten"; fi
expect_rc 0 "$SG" hook uninstall
lacks "$(cat .husky/pre-commit)" "secretgate"
grep -q husky-own-hook-ran .husky/pre-commit || fail "husky: uninstall lost the user's hook"
[ ! -e .husky/pre-push ] || fail "husky: uninstall left the pre-push file it created"
git commit -q -m key 2>/dev/null || fail "husky: still blocked after uninstall"

# ---- a tracked core.hooksPath: nothing machine-local written, the line printed
R=$T/tracked
newrepo "$R" && cd "$R" || exit 2
mkdir .githooks
printf '#!/bin/sh\nexit 0\n' >.githooks/pre-commit
chmod +x .githooks/pre-commit
git add .githooks && git commit -q -m hooks
git config core.hooksPath .githooks
expect_rc 2 "$SG" hook install
contains "$ERR" "warning"
contains "$ERR" ".githooks"
contains "$ERR" "secretgate hook run pre-commit"
[ "$(cat .githooks/pre-commit)" = "$(printf '#!/bin/sh\nexit 0')" ] || fail "tracked: hook changed"
[ -z "$(git status --porcelain)" ] || fail "tracked: files written: $(git status --porcelain)"

# ---- lefthook: a block in lefthook.yml, removed again by uninstall
R=$T/lefthook
newrepo "$R" && cd "$R" || exit 2
printf 'pre-push:\n  commands:\n    test:\n      run: make test\n' >lefthook.yml
cp lefthook.yml "$T/lefthook.orig"
expect_rc 0 "$SG" hook install
contains "$OUT" "lefthook"
grep -q '^pre-commit:' lefthook.yml || fail "lefthook: no pre-commit section"
grep -q 'run: secretgate hook run pre-commit' lefthook.yml || fail "lefthook: no command"
[ ! -e .git/hooks/pre-commit ] || fail "lefthook: a native hook was written too"
# a pre-push section is already there: the snippet is printed, the file kept
expect_rc 2 "$SG" hook install --pre-push
contains "$ERR" "already has a 'pre-push:' section"
contains "$ERR" "use_stdin: true"
expect_rc 0 "$SG" hook uninstall
cmp -s lefthook.yml "$T/lefthook.orig" || fail "lefthook: uninstall did not restore the file: $(cat lefthook.yml)"

# ---- overcommit: an ad hoc PreCommit hook
R=$T/overcommit
newrepo "$R" && cd "$R" || exit 2
printf 'CommitMsg:\n  TrailingPeriod:\n    enabled: true\n' >.overcommit.yml
printf '#!/usr/bin/env ruby\n# overcommit hook\n' >.git/hooks/pre-commit
chmod +x .git/hooks/pre-commit
expect_rc 0 "$SG" hook install
contains "$OUT" "overcommit --sign"
grep -q "command: \['secretgate', 'hook', 'run', 'pre-commit'\]" .overcommit.yml || fail "overcommit: no hook"
grep -q "overcommit hook" .git/hooks/pre-commit || fail "overcommit: its hook replaced"

# ---- simple-git-hooks and the pre-commit framework: snippets, hooks untouched
R=$T/simple
newrepo "$R" && cd "$R" || exit 2
printf '{"name":"x","simple-git-hooks":{"pre-commit":"npm test"}}\n' >package.json
expect_rc 2 "$SG" hook install
contains "$ERR" "simple-git-hooks"
contains "$ERR" "npx simple-git-hooks"
[ ! -e .git/hooks/pre-commit ] || fail "simple-git-hooks: a hook was written"
R=$T/precommit
newrepo "$R" && cd "$R" || exit 2
printf '#!/usr/bin/env bash\n# File generated by pre-commit: https://pre-commit.com\nexit 0\n' >.git/hooks/pre-commit
chmod +x .git/hooks/pre-commit
cp .git/hooks/pre-commit "$T/pc.orig"
expect_rc 2 "$SG" hook install
contains "$ERR" "pre-commit framework"
contains "$ERR" "entry: secretgate git --staged"
cmp -s .git/hooks/pre-commit "$T/pc.orig" || fail "pre-commit framework: its hook changed"
[ ! -e .git/hooks/pre-commit.before-secretgate ] || fail "pre-commit framework: hook moved"

# ---- a hook without its execute bit stays off; uninstall puts it back
R=$T/noexec
newrepo "$R" && cd "$R" || exit 2
commit_file "$R" README hi
printf '#!/bin/sh\necho off-hook-ran >>"$(git rev-parse --git-dir)/ran"\nexit 1\n' >.git/hooks/pre-commit
chmod 644 .git/hooks/pre-commit
expect_rc 0 "$SG" hook install
contains "$OUT" "not executable"
printf 'fine\n' >ok.txt && git add ok.txt
git commit -q -m ok 2>"$T/err" || fail "noexec: commit blocked: $(cat "$T/err")"
[ ! -e .git/ran ] || fail "noexec: a hook git ignored started running"
expect_rc 0 "$SG" hook uninstall
contains "$OUT" "put back"
grep -q off-hook-ran .git/hooks/pre-commit || fail "noexec: hook not put back"
[ ! -x .git/hooks/pre-commit ] || fail "noexec: hook came back executable"
[ ! -e .git/hooks/pre-commit.before-secretgate ] || fail "noexec: kept copy left behind"
expect_rc 0 "$SG" hook uninstall
contains "$OUT" "not written by secretgate"

# ---- hook run: the shim, for a manager's command line
R=$T/run
newrepo "$R" && cd "$R" || exit 2
commit_file "$R" README hi
printf 'key = "%s"\n' "$(aws 2)" >k.py && git add k.py
expect_rc 1 "$SG" hook run pre-commit
contains "$OUT" "k.py"
expect_rc 2 "$SG" hook run post-commit

# ---- the block messages
# a committed .env file: no inline allow offered (it cannot apply to a whole file)
git reset -q
printf 'A=1\n' >.env && git add .env
expect_rc 1 "$SG" git --staged --no-config
contains "$ERR" "git rm --cached -- .env"
lacks "$ERR" "secretgate:allow"
# pushed commits: which ones, and how to rewrite them
git reset -q && rm -f .env
git add k.py && git commit -q --no-verify -m "add key"
bad=$(git rev-parse --short=12 HEAD)
commit_file "$R" later.txt "later"
expect_rc 1 "$SG" git --rules "$RULES" --no-config HEAD~2..HEAD
contains "$ERR" "1 commit (listed above): $bad"
contains "$ERR" "git rebase -i $bad~1"
contains "$ERR" "--no-verify"
finish
