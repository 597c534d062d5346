#!/bin/sh
# The pre-push hook judges every commit no remote-tracking ref has: a push on
# top of a refused one is still refused, a commit that reached the remote
# another way (a push by URL) is judged again while the branch carries it, a
# new branch and a root commit are judged whole, and the same holds through
# the pre-commit framework's variables (no from-ref for a new branch).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/git_lib.sh"
first_commit_repo
W=$T/sg-wrapper
printf '#!/bin/sh\ncmd=$1; shift\nexec "%s" "$cmd" --rules "%s" --no-config "$@"\n' "$SG" "$RULES" >"$W"
chmod +x "$W"
export SECRETGATE="$W"
expect_rc 0 "$SG" hook install --pre-push
git init -q --bare "$T/remote.git"
git remote add origin "$T/remote.git"
git push -q origin main 2>"$T/err" || fail "clean first push refused: $(cat "$T/err")"

# refused NAME CMD...: the push fails and names the secret's file
refused() {
	name=$1; shift
	if "$@" >"$T/out" 2>&1; then fail "$name: push went through"; fi
	grep -q "secret.py" "$T/out" || fail "$name: not refused by secretgate: $(cat "$T/out")"
}

# push 1 carries a secret; push 2, a fast-forward on top, still does
commit_file "$R" secret.py "k = \"$(aws 1)\"" "secret"
refused "push 1" git push -q origin main
commit_file "$R" more.txt "more" "on top"
refused "push 2 (fast-forward on top)" git push -q origin main
# the secret reaches the remote by another way (an emergency push by URL,
# which moves no remote-tracking ref); the branch still carries it
git push -q --no-verify "$T/remote.git" main 2>/dev/null || fail "setup: push by URL"
commit_file "$R" third.txt "third" "third"
refused "push 3 (remote has the secret, no tracking ref does)" git push -q origin main
[ "$(git rev-parse origin/main)" != "$(git rev-parse main)" ] || fail "push 3 moved origin/main"

# a new branch is judged on everything no remote-tracking ref has
git push -q --no-verify origin main 2>/dev/null || fail "setup: emergency push"
git checkout -q -b feature
commit_file "$R" feature.txt "clean" "clean feature"
git push -q origin feature 2>"$T/err" || fail "clean new branch refused: $(cat "$T/err")"
commit_file "$R" secret.py "k = \"$(stripe 1)\"" "secret on feature"
git checkout -q -b feature2
refused "new branch" git push -q origin feature2
# a root commit (an orphan branch) is judged whole
git checkout -q --orphan fresh
git rm -q -rf . >/dev/null
commit_file "$R" secret.py "k = \"$(aws 2)\"" "root with a secret"
refused "root commit" git push -q origin fresh

# the pre-commit framework: PRE_COMMIT_TO_REF, no from-ref for a new branch,
# nothing on standard input
hook=$(git rev-parse --git-path hooks/pre-push)
tip=$(git rev-parse fresh)
PRE_COMMIT_TO_REF=$tip expect_rc 1 sh "$hook" origin "$T/remote.git" </dev/null
contains "$ERR" "secret.py"
# with a from-ref: every commit no remote-tracking ref has, not FROM..TO
git checkout -q feature2
from=$(git rev-parse feature2~1)
PRE_COMMIT_FROM_REF=$from PRE_COMMIT_TO_REF=$(git rev-parse feature2) \
	expect_rc 1 sh "$hook" origin "$T/remote.git" </dev/null
contains "$ERR" "secret.py"
git push -q --no-verify origin feature2 2>/dev/null
commit_file "$R" clean2.txt "clean" "clean on top"
PRE_COMMIT_FROM_REF=$(git rev-parse origin/feature2) PRE_COMMIT_TO_REF=$(git rev-parse HEAD) \
	expect_rc 0 sh "$hook" origin "$T/remote.git" </dev/null
finish
