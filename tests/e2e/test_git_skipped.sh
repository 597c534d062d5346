#!/bin/sh
# Gate modes (staged, range) never pass silently over what they did not read:
# a file skipped as binary or over the size cap is a warning finding
# (skipped-binary, skipped-too-big) in every format, blocking with --strict.
# A text file with a stray NUL is still scanned as text.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/git_lib.sh"
first_commit_repo
base=$(sha "$R" HEAD)

# a source file with one NUL near the top: text, scanned, blocked
printf 'x = 1  # \000\nkey = "%s"\n' "$(aws 1)" >app.py
git add app.py
expect_rc 1 sgit --staged --format jsonl
contains "$OUT" '"line":2'
contains "$OUT" '"path":"app.py"'
lacks "$OUT" "skipped-binary"
# the same for a plain directory scan
expect_rc 1 "$SG" scan --rules "$RULES" --no-config app.py
git reset -q

# binary content: a warning finding in every format, not blocking by default
head -c 3000 /dev/urandom >logo.png
printf 'k = "%s"\n' "$(stripe 1)" >>logo.png
head -c 3000 /dev/urandom >>logo.png
git add logo.png
expect_rc 0 sgit --staged --format json
contains "$OUT" '"rule":"skipped-binary"'
contains "$OUT" '"path":"logo.png"'
contains "$OUT" "not scanned"
for fmt in text jsonl sarif junit github gitlab html; do
	expect_rc 0 sgit --staged --format "$fmt"
	contains "$OUT" "skipped-binary" || echo "  (format $fmt)"
	lacks "$OUT" "$(stripe 1)"
done
expect_rc 1 sgit --staged --strict --format jsonl
contains "$OUT" '"rule":"skipped-binary"'
contains "$OUT" '"suppressed":null'
# --binary reads it after all
expect_rc 1 sgit --staged --binary --format jsonl
contains "$OUT" 'stripe'

# over the size cap
{ i=0; while [ $i -lt 2000 ]; do echo "filler line $i"; i=$((i + 1)); done; } >big.txt
git add big.txt
expect_rc 0 sgit --staged --max-file-size 10k --format jsonl
contains "$OUT" '"rule":"skipped-too-big"'
contains "$OUT" '"path":"big.txt"'
expect_rc 1 sgit --staged --max-file-size 10k --strict
contains "$OUT" "skipped-too-big"

# range mode: the same, with the commit that added the file
git commit -q --no-verify -m "binary and big"
expect_rc 0 sgit "$base..HEAD" --max-file-size 10k --format jsonl
contains "$OUT" '"rule":"skipped-binary"'
contains "$OUT" '"rule":"skipped-too-big"'
contains "$OUT" "\"commit\":\"$(sha "$R" HEAD)\""
expect_rc 1 sgit "$base..HEAD" --max-file-size 10k --strict
# renaming a binary file adds nothing to warn about
base=$(sha "$R" HEAD)
git mv logo.png renamed.png
expect_rc 0 sgit --staged --format jsonl
lacks "$OUT" "skipped-binary"
git commit -q --no-verify -m "rename"
expect_rc 0 sgit "$base..HEAD" --format jsonl
lacks "$OUT" "skipped-binary"
# a history sweep is not a gate: skips are counted, not findings
expect_rc 0 sgit --history --max-file-size 10k --format jsonl
lacks "$OUT" "skipped-"
finish
