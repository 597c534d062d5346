#!/bin/sh
# The installed pre-commit hook judges what the commit will contain in every
# way git makes a commit: `commit -a`, `commit PATH`, `commit -i PATH` (git
# names another index in GIT_INDEX_FILE), --amend, --fixup, a merge whose
# conflict resolution adds a secret, an `exec` step of `rebase -i`, and a
# commit from a linked worktree (its own index and git directory).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/git_lib.sh"
R=$T/repo
newrepo "$R"
cd "$R" || exit 2
printf 'x = 1\n' >app.py
printf 'a = 1\n' >other.py
git add app.py other.py && git commit -q -m first
W=$T/sg-wrapper
printf '#!/bin/sh\ncmd=$1; shift\nexec "%s" "$cmd" --rules "%s" --no-config "$@"\n' "$SG" "$RULES" >"$W"
chmod +x "$W"
export SECRETGATE="$W"
expect_rc 0 "$SG" hook install

# blocked NAME CMD...: the commit is refused and HEAD has not moved
blocked() {
	name=$1; shift
	before=$(git rev-parse HEAD)
	if "$@" >"$T/out" 2>&1; then fail "$name: commit went through"; fi
	[ "$(git rev-parse HEAD)" = "$before" ] || fail "$name: HEAD moved"
	grep -q "commit blocked" "$T/out" || fail "$name: not blocked by secretgate: $(cat "$T/out")"
}
# passes NAME CMD...: a clean commit of the same form goes through
passes() {
	name=$1; shift
	"$@" >"$T/out" 2>&1 || fail "$name: clean commit refused: $(cat "$T/out")"
}
secret() { printf 'key = "%s"\n' "$(aws "$1")"; }

# commit -a: git writes the commit's index to .git/index.lock
secret 1 >>app.py
blocked "commit -a" git commit -q -a -m t
# commit PATH: a temporary index of HEAD plus PATH
blocked "commit PATH" git commit -q -m t app.py
# commit -i PATH: the index plus PATH
blocked "commit -i PATH" git commit -q -i -m t app.py
git checkout -q -- app.py
printf 'y = 2\n' >>app.py
passes "clean commit -a" git commit -q -a -m clean
printf 'z = 3\n' >>other.py
passes "clean commit PATH" git commit -q -m clean2 other.py

# --amend and --fixup
secret 2 >>app.py
blocked "commit --amend -a" git commit -q --amend -a --no-edit
git add app.py
blocked "commit --amend" git commit -q --amend --no-edit
blocked "commit --fixup" git commit -q --fixup HEAD
git reset -q
blocked "commit --fixup -a" git commit -q --fixup HEAD -a
git checkout -q -- app.py

# a merge whose conflict resolution adds a secret
git checkout -q -b side
printf 'x = "side"\n' >app.py && git commit -q -a -m side --no-verify
git checkout -q main
printf 'x = "main"\n' >app.py && git commit -q -a -m main --no-verify
if git merge -q side >/dev/null 2>&1; then fail "setup: merge did not conflict"; fi
{ printf 'x = "both"\n'; secret 3; } >app.py
blocked "merge resolution, commit -a" git commit -q -a --no-edit
git add app.py
blocked "merge resolution, merge --continue" env GIT_EDITOR=true git merge --continue
printf 'x = "both"\n' >app.py && git add app.py
passes "clean merge resolution" env GIT_EDITOR=true git merge --continue

# an exec step of an interactive rebase that commits a secret
before=$(git rev-parse HEAD)
step="exec sh -c 'printf \"k = \\\\\"%s\\\\\"\\\\\\\\n\" \"$(aws 4)\" >>app.py; git commit -q -a -m exec'"
printf '%s\n' "$step" >"$T/step"
cat >"$T/seq-editor" <<SEQ
#!/bin/sh
cat "$T/step" >>"\$1"
SEQ
chmod +x "$T/seq-editor"
if GIT_SEQUENCE_EDITOR="$T/seq-editor" git rebase -q -i HEAD >"$T/out" 2>&1; then
	fail "rebase exec: commit went through"
fi
grep -q "commit blocked" "$T/out" || fail "rebase exec: not blocked by secretgate: $(cat "$T/out")"
git rebase --abort 2>/dev/null
[ "$(git rev-parse HEAD)" = "$before" ] || fail "rebase exec: HEAD moved"
git log -p --all | grep -q "$(aws 4)" && fail "rebase exec: the secret was committed"
git checkout -q -- app.py

# a linked worktree: its own index, the hooks of the main repository
git worktree add -q -b wt "$T/linked" >/dev/null 2>&1 || fail "setup: worktree add"
cd "$T/linked" || exit 2
secret 5 >>app.py
blocked "worktree commit -a" git commit -q -a -m t
git add app.py
blocked "worktree commit" git commit -q -m t
git reset -q -- app.py
blocked "worktree commit PATH" git commit -q -m t app.py
git checkout -q -- app.py
printf 'w = 1\n' >>app.py
passes "worktree clean commit -a" git commit -q -a -m clean
cd "$R" || exit 2

# GIT_INDEX_FILE is read relative to the directory git runs in; a missing one is an error
secret 6 >>app.py
cp .git/index "$T/staged-index"
GIT_INDEX_FILE="$T/staged-index" git add app.py
expect_rc 0 sgit --staged
GIT_INDEX_FILE="$T/staged-index" expect_rc 1 sgit --staged
contains "$OUT" "app.py:"
GIT_INDEX_FILE=../staged-index expect_rc 1 sgit --staged
contains "$OUT" "app.py:"
# with -C DIR, as with git -C, relative to DIR
mkdir -p "$T/elsewhere"
(cd "$T/elsewhere" && GIT_INDEX_FILE=../staged-index expect_rc 1 sgit -C "$R" --staged &&
	contains "$OUT" "app.py:") || FAILED=1
GIT_INDEX_FILE="$T/no-such-index" expect_rc 2 sgit --staged
contains "$ERR" "GIT_INDEX_FILE"
finish
