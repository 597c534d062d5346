#!/bin/sh
# .pre-commit-hooks.yaml with the real pre-commit framework (skipped when it is
# not installed; CI installs it): the repository as a hook source (a local
# clone, no network), a commit with a secret blocked, `pre-commit run
# --all-files` failing on a committed secret through secretgate-files, and the
# first push of a new repository scanned through the pre-push hook.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/git_lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v pre-commit >/dev/null 2>&1; then
	skip "pre-commit not installed; the manifest was not checked with it"
	finish
fi
export PRE_COMMIT_HOME="$T/cache" PRE_COMMIT_COLOR=never
mkdir -p "$T/bin"
{
	echo '#!/bin/sh'
	echo 'cmd=$1; shift'
	printf 'case $cmd in git | scan) exec "%s" "$cmd" --rules "%s" --no-config "$@" ;; esac\n' "$SG" "$RULES"
	printf 'exec "%s" "$cmd" "$@"\n' "$SG"
} >"$T/bin/secretgate"
chmod +x "$T/bin/secretgate"
export PATH="$T/bin:$PATH"
unset SECRETGATE

# the hook source: the manifest and the shims as this tree has them
S=$T/source
newrepo "$S"
cp "$root/.pre-commit-hooks.yaml" "$S/"
mkdir -p "$S/hooks" && cp "$root/hooks/pre-commit" "$root/hooks/pre-push" "$S/hooks/"
git -C "$S" add -A && git -C "$S" commit -q -m hooks
rev=$(git -C "$S" rev-parse HEAD)

R=$T/repo
newrepo "$R" && cd "$R" || exit 2
cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $S
    rev: $rev
    hooks:
      - id: secretgate
      - id: secretgate-files
      - id: secretgate-pre-push
YAML
git add .pre-commit-config.yaml && git commit -q --no-verify -m config
expect_rc 0 pre-commit install --hook-type pre-commit --hook-type pre-push
# validation on this version of pre-commit (3.0 rejects pre-commit's 3.2 stage names)
expect_rc 0 pre-commit validate-manifest "$root/.pre-commit-hooks.yaml"

printf 'clean\n' >ok.txt && git add ok.txt
git commit -q -m ok >"$T/out" 2>&1 || fail "clean commit blocked: $(cat "$T/out")"
printf 'key = "%s"\n' "$(aws 1)" >key.py && git add key.py
if git commit -q -m key >"$T/out" 2>&1; then fail "commit with a secret went through"; fi
contains "$(cat "$T/out")" "key.py"
lacks "$(cat "$T/out")" "$(aws 1)"
# committed anyway: --all-files sees no staged change, secretgate-files finds it
git commit -q --no-verify -m key
expect_rc 1 pre-commit run --all-files
contains "$OUT" "secretgate (secrets in files)"
contains "$OUT" "key.py"
expect_rc 0 pre-commit run secretgate --all-files

# the first push of a new repository: pre-commit names no range, only the branch
# (the other hooks, with no stages, would run too: only the pre-push hook here)
export SKIP=secretgate,secretgate-files
git init -q --bare "$T/remote.git"
git remote add origin "$T/remote.git"
if git push -q origin main >"$T/out" 2>&1; then fail "first push with a secret went through"; fi
contains "$(cat "$T/out")" "key.py"
git rm -q key.py && git commit -q --no-verify -m "drop key"
git push -q --no-verify origin main 2>/dev/null || fail "setup push"
printf 'more\n' >>ok.txt && git commit -q --no-verify -am more
git push -q origin main >"$T/out" 2>&1 || fail "clean push refused: $(cat "$T/out")"
finish
