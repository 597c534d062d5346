#!/bin/sh
# A directory scan reads files while the walk is still listing them: every
# file is scanned once whatever the number of workers (many files, nested,
# more than the listing's first allocation), a repository's working tree is
# listed the same way, and a path that is not there stops the scan before
# anything is read.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/git_lib.sh"
D=$T/tree
i=0
while [ "$i" -lt 40 ]; do
	mkdir -p "$D/d$i/sub"
	j=0
	while [ "$j" -lt 12 ]; do
		printf 'value = %s\n' "$i-$j" >"$D/d$i/f$j.txt"
		j=$((j + 1))
	done
	i=$((i + 1))
done
# secrets in the first, a middle and the last directories, and deep down
printf 'key = "%s"\n' "$(aws 1)" >"$D/d0/a.py"
printf 'key = "%s"\n' "$(aws 2)" >"$D/d17/sub/b.py"
printf 'key = "%s"\n' "$(aws 3)" >"$D/d39/sub/c.py"
expect_rc 1 "$SG" scan --rules "$RULES" --no-config -j1 --format jsonl "$D"
one=$OUT
contains "$ERR" "483 files"
expect_rc 1 "$SG" scan --rules "$RULES" --no-config -j2 --format jsonl "$D"
[ "$OUT" = "$one" ] || fail "-j1 and -j2 reports differ"
expect_rc 1 "$SG" scan --rules "$RULES" --no-config -j4 --format jsonl "$D"
[ "$OUT" = "$one" ] || fail "-j1 and -j4 reports differ"
[ "$(printf '%s\n' "$one" | grep -c '"rule"')" = 3 ] || fail "expected 3 findings: $one"
contains "$one" "d17/sub/b.py"
contains "$one" "d39/sub/c.py"
# a scan with no path inside a repository lists its working tree (tracked
# files, then untracked ones git does not ignore) while the workers scan
G=$T/repo
git init -q "$G"
i=0
while [ "$i" -lt 300 ]; do
	printf 'n = %s\n' "$i" >"$G/f$i.txt"
	i=$((i + 1))
done
printf 'key = "%s"\n' "$(aws 4)" >"$G/tracked.py"
printf 'ignored.py\n' >"$G/.gitignore"
git -C "$G" add . && git -C "$G" -c user.email=t@t -c user.name=t commit -q -m init
printf 'key = "%s"\n' "$(aws 5)" >"$G/untracked.py"
printf 'key = "%s"\n' "$(aws 6)" >"$G/ignored.py"
cd "$G" || exit 2
expect_rc 1 "$SG" scan --rules "$RULES" --no-config -j1 --format jsonl
repo_one=$OUT
expect_rc 1 "$SG" scan --rules "$RULES" --no-config -j2 --format jsonl
[ "$OUT" = "$repo_one" ] || fail "repository scan: -j1 and -j2 reports differ"
contains "$repo_one" '"path":"tracked.py"'
contains "$repo_one" '"path":"untracked.py"'
lacks "$repo_one" "ignored.py"
cd "$T" || exit 2

# a missing path, even after a good one: an error, nothing scanned
expect_rc 2 "$SG" scan --rules "$RULES" --no-config "$D" "$T/not-there"
contains "$ERR" "$T/not-there: No such file or directory"
lacks "$OUT" "AKIA"
lacks "$ERR" "blocking"
finish
