#!/bin/sh
# Range and history modes judge commit messages and annotated tag messages:
# reported at "commit:<id>" and "tag:<name>" with author (tagger) and date.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/git_lib.sh"
first_commit_repo
base=$(sha "$R" HEAD)
printf 'x = 1\n' >app.py
git add app.py
git commit -q --no-verify -m "deploy fix

the key for staging is $(aws 1) until we rotate"
c1=$(sha "$R" HEAD)
git tag -a v1.0 -m "release notes: token $(stripe 1)"
git tag lightweight
commit_file "$R" notes.txt "clean" "clean message"

expect_rc 1 sgit "$base..HEAD" --format jsonl
contains "$OUT" "\"path\":\"commit:$c1\""
contains "$OUT" "\"commit\":\"$c1\""
contains "$OUT" '"line":3'
contains "$OUT" '"author":"Ada Tester"'
contains "$OUT" '"date":"'
contains "$OUT" '"path":"tag:v1.0"'
lacks "$OUT" "$(aws 1)"
lacks "$OUT" "$(stripe 1)"
[ "$(count "$OUT" '"path":"commit:')" -eq 1 ] || fail "one message finding: $OUT"
# a range without the tagged commit does not judge the tag; naming the tag does
expect_rc 0 sgit "$c1..HEAD"
expect_rc 1 sgit --format jsonl --exclude-remotes v1.0
contains "$OUT" '"path":"tag:v1.0"'
# text output names the message as the place
expect_rc 1 sgit "$base..HEAD"
contains "$OUT" "commit:$c1:3:"
contains "$OUT" "tag:v1.0:1:"
# history sweeps judge them too
expect_rc 1 sgit --history --format jsonl
contains "$OUT" "\"path\":\"commit:$c1\""
contains "$OUT" '"path":"tag:v1.0"'
# with two workers the messages are read on a thread of their own beside
# the tree walk: the same report as one worker's
expect_rc 1 sgit --history --format jsonl -j1
one=$OUT
expect_rc 1 sgit --history --format jsonl -j2
[ "$OUT" = "$one" ] || fail "history -j1 and -j2 reports differ"
# packed, the messages are read from the packs by hand: the same reports,
# author, email and date (a zone west of UTC) included
GIT_AUTHOR_NAME='Zoë Tester' GIT_AUTHOR_EMAIL=zoe@example.com \
	GIT_AUTHOR_DATE='1700000000 -0330' git commit -q --no-verify --allow-empty \
	-m "rotate $(stripe 2) tonight"
expect_rc 1 sgit --history --format jsonl
loose_h=$OUT
expect_rc 1 sgit --all-refs --format jsonl
loose_r=$OUT
contains "$loose_h" '"author":"Zoë Tester"'
git gc -q
[ -z "$(find .git/objects -path '*/objects/[0-9a-f][0-9a-f]/*' -type f)" ] ||
	fail "loose objects left after gc"
for j in 1 2; do
	expect_rc 1 sgit --history --format jsonl -j "$j"
	[ "$OUT" = "$loose_h" ] || fail "packed history (-j $j) differs: $OUT"
	expect_rc 1 sgit --all-refs --format jsonl -j "$j"
	[ "$OUT" = "$loose_r" ] || fail "packed --all-refs (-j $j) differs: $OUT"
done
# inline allow works in a message like anywhere
newrepo "$T/r2"
git -C "$T/r2" commit -q --allow-empty -m "example $(aws 2) secretgate:allow"
expect_rc 0 sgit -C "$T/r2" --all-refs
finish
