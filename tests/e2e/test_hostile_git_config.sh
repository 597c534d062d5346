#!/bin/sh
# A repository whose configuration would run commands if honoured: fsmonitor,
# hooks (core.hooksPath and .git/hooks), clean/smudge/process filters with
# .gitattributes, textconv and external diff, pager, askpass, ssh and
# credential helpers. Every secretgate mode reads the repository; none of
# these commands may ever run.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"
R="$T/repo" M="$T/marks"
mkdir "$M"
hrepo "$R"
hcommit "$R" a.txt "first $(hostile_token c1)"
hcommit "$R" b.txt "second $(hostile_token c2)"
printf 'staged %s\n' "$(hostile_token c3)" >"$R/c.txt"
git -C "$R" add c.txt
printf 'untracked %s\n' "$(hostile_token c4)" >"$R/d.txt"

# the traps, set after the fixture is built (git itself would spring them)
trap_cmd() { printf 'touch %s/%s #' "$M" "$1"; }
mkdir "$R/evil-hooks"
for h in pre-commit post-checkout post-index-change reference-transaction fsmonitor-watchman \
	pre-auto-gc post-rewrite; do
	printf '#!/bin/sh\ntouch %s/hook-%s\n' "$M" "$h" >"$R/evil-hooks/$h"
	cp "$R/evil-hooks/$h" "$R/.git/hooks/$h"
	chmod +x "$R/evil-hooks/$h" "$R/.git/hooks/$h"
done
g() { git -C "$R" config "$@"; }
g core.hooksPath "$R/evil-hooks"
g core.fsmonitor "$(trap_cmd fsmonitor)"
g core.pager "$(trap_cmd pager)"
g core.askPass "$(trap_cmd askpass)"
g core.sshCommand "$(trap_cmd ssh)"
g credential.helper "!$(trap_cmd credential)"
g filter.evil.clean "$(trap_cmd clean)"
g filter.evil.smudge "$(trap_cmd smudge)"
g filter.evil.process "$(trap_cmd process)"
g filter.evil.required true
g diff.evil.textconv "$(trap_cmd textconv)"
g diff.external "$(trap_cmd external-diff)"
g gpg.program "$(trap_cmd gpg)"
g core.editor "$(trap_cmd editor)"
printf '* filter=evil diff=evil\n' >"$R/.git/info/attributes"
printf '* filter=evil diff=evil\n' >"$R/.gitattributes"

# the traps are live: git itself springs one (on a copy, so no state changes)
cp -r "$R" "$T/copy"
git -C "$T/copy" config core.hooksPath "$T/copy/evil-hooks"
git -C "$T/copy" status >/dev/null 2>&1
[ -e "$M/fsmonitor" ] || echo "note: this git did not run core.fsmonitor (older git); other traps still checked"
rm -f "$M"/*

cd "$R" || exit 1
run_limited 60 "$SG" scan $SCAN
no_crash "scan"
contains "$OUT" "d.txt"
if sg_git_available; then
	run_limited 60 "$SG" git $SCAN --staged --no-progress
	no_crash "git --staged"
	[ "$RC" -eq 1 ] || fail "git --staged: exit $RC, wanted 1 ($ERR)"
	contains "$OUT" "c.txt"
	run_limited 60 "$SG" git $SCAN HEAD~1..HEAD --no-progress
	no_crash "git range"
	contains "$OUT" "b.txt"
	run_limited 60 "$SG" git $SCAN --history --no-progress
	no_crash "git --history"
	contains "$OUT" "a.txt"
	contains "$OUT" "b.txt"
	run_limited 60 "$SG" git $SCAN --all-refs --no-progress
	no_crash "git --all-refs"
fi
cd / || exit 1
ran=$(ls "$M")
[ -z "$ran" ] || fail "commands from the repository configuration ran: $ran"
finish
