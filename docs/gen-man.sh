#!/bin/sh
# Writes the man page from the binary's own --help text, so the two never
# disagree: docs/gen-man.sh build/secretgate > docs/secretgate.1
# (`make man` does this; an e2e test checks the committed page is current).
set -eu
BIN=${1:?usage: gen-man.sh path/to/secretgate}
version=$("$BIN" --version | awk '{print $2}')

# roff-escape: backslashes, and leading dots or quotes that roff would take as requests
esc() { sed -e 's/\\/\\e/g' -e "s/^\\./\\\\\\&./" -e "s/^'/\\\\\\&'/"; }

cat <<EOF2
.TH SECRETGATE 1 "" "secretgate $version" "User Commands"
.SH NAME
secretgate \\- stop secrets and broken configuration before they ship
.SH SYNOPSIS
.B secretgate
.I command
.RI [ options ]
.SH DESCRIPTION
EOF2
printf '.nf\n'
"$BIN" --help | esc
printf '.fi\n'
for cmd in scan git explain env redact rules hook; do
	printf '.SH %s\n.nf\n' "$(echo "secretgate $cmd" | tr 'a-z' 'A-Z')"
	"$BIN" "$cmd" --help | esc
	printf '.fi\n'
done
cat <<'EOF2'
.SH EXIT STATUS
0 nothing blocking; 1 blocking findings or violations; 2 usage, configuration or runtime
error (with blocking findings present, 1 wins and the error is still printed).
.SH FILES
.TP
.I .secretgate.yml
policy at the repository root
.TP
.I .secretgateignore
fingerprints of accepted findings
.TP
.I .secretgate/env.yml
the environment manifest
EOF2
