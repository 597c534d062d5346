#!/bin/sh
# make install lays out the binary, the hooks and the man page, make
# install-lib the library, its headers and pkg-config file; the man page
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
# ... and has the sections of a man page, not the --help text alone
for s in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS "EXIT STATUS" ENVIRONMENT FILES EXAMPLES; do
	grep -q "^\.SH $s\$" "$T/secretgate.1" || fail "man page has no $s section"
done
for c in scan git env redact rules hook; do
	grep -q "^\.SS $c\$" "$T/secretgate.1" || fail "man page: no $c under COMMANDS"
done
if command -v man >/dev/null 2>&1; then
	w=$(man --warnings -l "$T/secretgate.1" 2>&1 >/dev/null)
	[ -z "$w" ] || fail "man reports: $w"
fi
# joined short options, as the examples write them
expect_rc 0 "$SG" scan -j1 -fjson -q "$root/VERSION"
contains "$OUT" '"findings":['
expect_rc 2 "$SG" scan -j0 "$root/VERSION"

# install into a staging directory
if [ -n "${BUILD:-}" ] && [ -x "$BUILD/secretgate" ]; then
	(cd "$root" && make --no-print-directory install BUILD="$BUILD" DESTDIR="$T/stage" PREFIX=/usr >/dev/null 2>&1) \
		|| fail "make install failed"
	[ -x "$T/stage/usr/bin/secretgate" ] || fail "binary not installed"
	[ -x "$T/stage/usr/share/secretgate/hooks/pre-commit" ] || fail "pre-commit hook not installed"
	[ -x "$T/stage/usr/share/secretgate/hooks/pre-push" ] || fail "pre-push hook not installed"
	[ -f "$T/stage/usr/share/man/man1/secretgate.1" ] || fail "man page not installed"
	"$T/stage/usr/bin/secretgate" --version >/dev/null || fail "installed binary does not run"
	# the library: public headers, archive and a pkg-config file that finds them
	(cd "$root" && make --no-print-directory install-lib BUILD="$BUILD" DESTDIR="$T/stage" PREFIX=/usr >/dev/null 2>&1) \
		|| fail "make install-lib failed"
	[ -f "$T/stage/usr/lib/libsecretgate.a" ] || fail "library not installed"
	[ -f "$T/stage/usr/include/secretgate/policy.h" ] || fail "public headers not installed"
	pc="$T/stage/usr/lib/pkgconfig"
	flags=$(PKG_CONFIG_SYSROOT_DIR="$T/stage" PKG_CONFIG_PATH="$pc" pkg-config --cflags secretgate) \
		|| fail "pkg-config does not know secretgate"
	printf '#include <secretgate/secretgate.h>\n#include <secretgate/policy.h>\n#include <secretgate/env.h>\n#include <secretgate/git.h>\nint main(void) { return sg_report_format_known("json") ? 0 : 1; }\n' >"$T/use.c"
	# shellcheck disable=SC2086 # flags are words
	cc -std=c11 -Wall -Werror -fsyntax-only $flags "$T/use.c" || fail "installed headers do not compile on their own"
fi
finish
