#!/bin/sh
# Writes the man page: the sections a man page has (NAME, SYNOPSIS, DESCRIPTION,
# COMMANDS, OPTIONS, EXIT STATUS, ENVIRONMENT, FILES, EXAMPLES), with the commands'
# usage lines, their text and the shared options taken from the binary's own --help,
# so the two never disagree: docs/gen-man.sh build/secretgate > docs/secretgate.1
# (`make man` does this; an e2e test checks the committed page is current).
set -eu
BIN=${1:?usage: gen-man.sh path/to/secretgate}
version=$("$BIN" --version | awk '{print $2}')
COMMANDS="scan git explain env redact rules hook"

# roff-escape: backslashes, hyphens, and leading dots or quotes roff would take as requests
esc() { sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\\./\\\\\\&./" -e "s/^'/\\\\\\&'/"; }
# the shared options block, printed at the end of scan's and git's help
common_start='^Output and policy options:'
# a command's help without its usage lines and without the shared options
body() {
	"$BIN" "$1" --help | awk -v start="$common_start" '
		$0 ~ start { exit }
		/^usage: / || /^       secretgate / { next }
		{ print }' | sed -e '/./,$!d'
}

cat <<EOF2
.TH SECRETGATE 1 "" "secretgate $version" "User Commands"
.SH NAME
secretgate \\- stop secrets and broken configuration before they ship
.SH SYNOPSIS
.nf
EOF2
for cmd in $COMMANDS; do
	"$BIN" "$cmd" --help | sed -n -e 's/^usage: //p' -e 's/^       \(secretgate \)/\1/p' | esc
done
cat <<'EOF2'
secretgate version
secretgate help [\fIcommand\fR]
.fi
.SH DESCRIPTION
secretgate blocks a commit, a push, a pull request or a deploy when it would ship a
credential (in code, history, a build artefact or a log) or when an environment's required
configuration is missing or malformed. One binary runs as a git hook, a CI job and a
scheduled sweep; the default rules are built in, and nothing from a scanned repository is
ever executed. Secrets are redacted in every output unless \fB\-\-show\-secrets\fR is given.
.SH COMMANDS
EOF2
for cmd in $COMMANDS; do
	printf '.SS %s\n.nf\n' "$cmd"
	body "$cmd" | esc
	printf '.fi\n'
done
cat <<'EOF2'
.SS version
Print the version (and libgit2's).
.SS help
Print the list of commands, or a command's help.
.SH OPTIONS
These options are shared by the commands that scan (scan, git, env leaks and others;
each command's \fB\-\-help\fR lists its own). Short options take their value joined
or separate: \fB\-j1\fR, \fB\-j 1\fR; long ones \fB\-\-jobs=1\fR or \fB\-\-jobs 1\fR.
.nf
EOF2
"$BIN" scan --help | awk -v start="$common_start" '$0 ~ start { on = 1; next } on' | esc
cat <<'EOF2'
.fi
.SH EXIT STATUS
.TP
.B 0
nothing blocking
.TP
.B 1
blocking findings or violations
.TP
.B 2
usage, configuration or runtime error (with blocking findings present, 1 wins and the
error is still printed)
.SH ENVIRONMENT
.TP
.B SECRETGATE
the binary the hooks and \fIci/secretgate\-ci.sh\fR run (default: the one that installed
the hook, else \fBsecretgate\fR on \fBPATH\fR)
.TP
.B GIT_INDEX_FILE
the index \fBgit \-\-staged\fR reads, as git sets it for hooks
.TP
.B GITHUB_STEP_SUMMARY
with \fB\-\-format github\fR, the file the Markdown summary is appended to
.TP
.B NO_COLOR
no colour on a terminal (as \fB\-\-color never\fR)
.TP
.B SECRETGATE_CI_*
the settings of \fIci/secretgate\-ci.sh\fR (\fBsh ci/secretgate\-ci.sh \-\-help\fR)
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
.TP
.I .git/hooks/pre\-commit\fR, \fI.git/hooks/pre\-push
the hooks \fBsecretgate hook install\fR writes (or \fBcore.hooksPath\fR)
.SH EXAMPLES
.nf
secretgate hook install \-\-pre\-push       # block commits and pushes that add a secret
secretgate git \-\-staged                   # what the pre\-commit hook runs
secretgate git origin/main..HEAD \-fsarif \-o secretgate.sarif
secretgate git \-\-history \-\-report html=report.html \-\-report jsonl=findings.jsonl
secretgate scan dist/ \-j4
secretgate env check \-\-env production \-\-dotenv .env.production
secretgate redact < build.log > build.redacted.log
.fi
.SH SEE ALSO
The manual in the source tree's \fIdocs/\fR: hooks.md, git.md, ci.md, policy.md, env.md,
rules.md, limits.md.
EOF2
