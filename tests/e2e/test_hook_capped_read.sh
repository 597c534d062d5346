#!/bin/sh
# hook install reads a manager's file whole or not at all: a lefthook.yml over
# the 1 MiB cap is refused with "<path>: too large (over N bytes)" and left
# byte for byte as it was, never cut at the cap and written back shorter.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/git_lib.sh"

R=$T/big
newrepo "$R" && cd "$R" || exit 2
{
	printf 'pre-push:\n  commands:\n'
	i=0
	while [ $i -lt 45000 ]; do
		printf '    c%d:\n      run: true\n' $i
		i=$((i + 1))
	done
} >lefthook.yml
[ "$(wc -c <lefthook.yml)" -gt 1048576 ] || fail "test file not over the cap"
cp lefthook.yml "$T/lefthook.orig"
expect_rc 2 "$SG" hook install
contains "$ERR" "lefthook.yml: too large (over 1048576 bytes)"
lacks "$ERR" "run: true"
cmp -s lefthook.yml "$T/lefthook.orig" || fail "lefthook.yml changed: $(wc -c <lefthook.yml) bytes now"
finish
