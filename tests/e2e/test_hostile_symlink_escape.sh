#!/bin/sh
# A walk never leaves the scanned root through a symbolic link: not a link
# inside a walked directory, not a tracked directory that was replaced by a
# link to somewhere else (default scan of a repository). A link named on the
# command line is followed, to a file as to a directory.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"
mkdir -p "$T/outside" "$T/repo/conf"
printf 'x = %s\n' "$(hostile_token outside)" >"$T/outside/secret.txt"
printf 'ok = 1\n' >"$T/repo/conf/secret.txt"
printf 'x = %s\n' "$(hostile_token inside)" >"$T/repo/inside.txt"
ln -s "$T/outside" "$T/repo/linked"
cd "$T/repo" || exit 2
git init -q -b main . && git add conf/secret.txt inside.txt && git -c commit.gpgsign=false commit -q --no-verify -m t
# a tracked directory replaced by a link to the outside
rm -r conf && ln -s "$T/outside" conf

# default scan of the repository: the tracked path conf/secret.txt now
# goes through a link and is not read
expect_rc 1 "$SG" scan $SCAN --format jsonl
n=$(printf '%s\n' "$OUT" | grep -c '"rule":"hostile-token"')
[ "$n" -eq 1 ] || fail "$n findings in the repository, wanted 1 (inside.txt): $OUT"
contains "$OUT" '"path":"inside.txt"'
lacks "$OUT" 'secret.txt'
contains "$ERR" "conf/secret.txt: a symbolic link on the way"

# a walk of a directory: links inside it are not followed
expect_rc 1 "$SG" scan $SCAN --format jsonl .
n=$(printf '%s\n' "$OUT" | grep -c '"rule":"hostile-token"')
[ "$n" -eq 1 ] || fail "$n findings in the walk, wanted 1: $OUT"
lacks "$OUT" 'secret.txt'

# the env gate reads the working tree's files the same way: a variable read
# only by the file outside is not seen by env check --refs
mkdir -p .secretgate
printf 'environments:\n  production: {}\nvars:\n  DB_HOST: {}\n' >.secretgate/env.yml
printf 'import os\nh = os.environ["OUTSIDE_ONLY_VAR"]\n' >>"$T/outside/secret.txt"
printf 'import os\nh = os.environ["DB_HOST"]\n' >app.py
expect_rc 0 env -i PATH="$PATH" DB_HOST=x "$SG" env check --env production --refs
lacks "$OUT" "OUTSIDE_ONLY_VAR"
contains "$ERR" "conf/secret.txt: a symbolic link on the way"
rm -r .secretgate app.py

# links named on the command line are followed: to a file, to a directory
ln -s "$T/outside/secret.txt" "$T/file-link"
expect_rc 1 "$SG" scan $SCAN --format jsonl "$T/file-link"
contains "$OUT" "\"path\":\"$T/file-link\""
expect_rc 1 "$SG" scan $SCAN --format jsonl "$T/repo/linked"
contains "$OUT" "\"path\":\"$T/repo/linked/secret.txt\""
finish
