#!/bin/sh
# Broken repositories: a pack with flipped bytes, a truncated pack, a missing
# loose object, a garbage ref. Each run ends by itself with a one-line
# "secretgate: ..." message and exit 2 (or 1 when findings were still made),
# never a crash or a hang.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"
# libgit2's own error paths leak on broken packs (see lsan-libgit2.supp)
LSAN_OPTIONS="suppressions=$(cd "$(dirname "$0")" && pwd)/lsan-libgit2.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
sg_git_available || {
	# still check the working-tree scan of a broken repository
	hrepo "$T/r"; hcommit "$T/r" a.txt "x $(hostile_token w)"
	rm -rf "$T/r/.git/objects/"??
	cd "$T/r" && run_limited 30 "$SG" scan $SCAN; no_crash "scan"
	finish
}
build() {
	rm -rf "$T/r"
	hrepo "$T/r"
	for i in 1 2 3 4 5 6; do hcommit "$T/r" "f$i.txt" "line $i $(hostile_token "k$i")"; done
}
check() { # NAME: run every git mode over $T/r
	for mode in "--history" "HEAD~3..HEAD" "--all-refs"; do
		run_limited 60 "$SG" git -C "$T/r" $SCAN $mode --no-progress
		no_crash "$1 $mode"
		case $RC in
		1) ;; # findings from what could be read
		2) contains "$ERR" "secretgate: " ;;
		*) fail "$1 $mode: exit $RC, wanted 1 or 2 (stderr: $ERR)" ;;
		esac
	done
}

# flipped bytes in the middle of the pack
build
git -C "$T/r" repack -q -a -d
pack=$(ls "$T/r/.git/objects/pack/"*.pack)
size=$(wc -c <"$pack")
chmod u+w "$pack"
printf '\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377' |
	dd of="$pack" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
check "corrupt pack"

# truncated pack
build
git -C "$T/r" repack -q -a -d
pack=$(ls "$T/r/.git/objects/pack/"*.pack)
chmod u+w "$pack"
truncate -s $(($(wc -c <"$pack") / 2)) "$pack"
check "truncated pack"

# a missing blob (loose objects)
build
blob=$(git -C "$T/r" rev-parse HEAD~1:f5.txt)
rm -f "$T/r/.git/objects/$(printf %s "$blob" | cut -c1-2)/$(printf %s "$blob" | cut -c3-)"
check "missing blob"
# the missing object is named, and other commits are still scanned
run_limited 60 "$SG" git -C "$T/r" $SCAN --history --no-progress --format jsonl
contains "$OUT" "f6.txt"

# a missing tree and a missing commit
build
tree=$(git -C "$T/r" rev-parse 'HEAD~2^{tree}')
rm -f "$T/r/.git/objects/$(printf %s "$tree" | cut -c1-2)/$(printf %s "$tree" | cut -c3-)"
commit=$(git -C "$T/r" rev-parse HEAD~4)
rm -f "$T/r/.git/objects/$(printf %s "$commit" | cut -c1-2)/$(printf %s "$commit" | cut -c3-)"
check "missing tree and commit"

# a ref file holding garbage, and a loose object that is not zlib
build
printf 'not a sha\n' >"$T/r/.git/refs/heads/garbage"
blob=$(git -C "$T/r" rev-parse HEAD:f6.txt)
obj="$T/r/.git/objects/$(printf %s "$blob" | cut -c1-2)/$(printf %s "$blob" | cut -c3-)"
chmod u+w "$obj"; printf 'garbage' >"$obj"
check "garbage ref and object"
finish
