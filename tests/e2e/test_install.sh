#!/bin/sh
# make install lays out the binary, the hooks and the man page; the man page
# is current with --help; every command has --help with an example.
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)

expect_rc 0 "$SG" --version
contains "$OUT" "secretgate "
for cmd in scan git env redact rules hook; do
	expect_rc 0 "$SG" "$cmd" --help
	contains "$OUT" "usage: secretgate $cmd"
	case "$OUT" in *xample*) ;; *) fail "$cmd --help has no example" ;; esac
done
expect_rc 0 "$SG" help scan
contains "$OUT" "usage: secretgate scan"

# the committed man page is what docs/gen-man.sh makes from this binary
sh "$root/docs/gen-man.sh" "$SG" >"$T/secretgate.1"
cmp -s "$T/secretgate.1" "$root/docs/secretgate.1" || fail "docs/secretgate.1 is stale: run 'make man'"

# install into a staging directory
if [ -n "${BUILD:-}" ] && [ -x "$BUILD/secretgate" ]; then
	(cd "$root" && make --no-print-directory install BUILD="$BUILD" DESTDIR="$T/stage" PREFIX=/usr >/dev/null 2>&1) \
		|| fail "make install failed"
	[ -x "$T/stage/usr/bin/secretgate" ] || fail "binary not installed"
	[ -x "$T/stage/usr/share/secretgate/hooks/pre-commit" ] || fail "pre-commit hook not installed"
	[ -x "$T/stage/usr/share/secretgate/hooks/pre-push" ] || fail "pre-push hook not installed"
	[ -f "$T/stage/usr/share/man/man1/secretgate.1" ] || fail "man page not installed"
	"$T/stage/usr/bin/secretgate" --version >/dev/null || fail "installed binary does not run"
fi
finish
