#!/bin/sh
# Precision on real, secret-free text: scan large bodies of ordinary code and documentation
# that ship with the system and count the files the default rules flag. Any finding there
# is a false positive (the corpora hold library code, headers, manuals and packages).
#
#   tests/bench/precision.sh path/to/secretgate [CORPUS...]
#
# With no CORPUS, every directory of the default list that exists is scanned, then each
# package of the npm corpus (NPM_CORPUS, default /tmp/npmcorpus) on its own, from inside its
# node_modules, so paths do not say "vendored" and the code is judged as the package's own.
# Prints, per corpus, the files scanned, the files with a blocking finding, the files with
# warnings only (low confidence: docs, tests, generated code) and the percentage blocking,
# then the rules with the most blocking files over all corpora and a few example locations.
# Environment: PRECISION_TOP (rules listed, default 15), PRECISION_SHOW (locations shown per
# rule, default 3), PRECISION_KEEP (directory to keep the JSONL reports in),
# PRECISION_NPM_INSTALL=1 (first add the popular packages below to NPM_CORPUS with npm; the
# corpus is only ever added to: packages are installed in a scratch directory and copied in
# when the corpus lacks them).
set -eu
BIN=${1:?usage: precision.sh path/to/secretgate [CORPUS...]}
shift
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
[ -x "$BIN" ] || { echo "precision: $BIN is not executable" >&2; exit 2; }
command -v jq >/dev/null 2>&1 || { echo "precision: needs jq" >&2; exit 2; }

TOP=${PRECISION_TOP:-15}
SHOW=${PRECISION_SHOW:-3}

NPM_CORPUS=${NPM_CORPUS:-/tmp/npmcorpus}
# cloud SDKs, payment and messaging SDKs, web frameworks, bundlers, a compiler
NPM_PACKAGES="aws-sdk @aws-sdk/client-s3 @aws-sdk/client-dynamodb googleapis firebase firebase-admin
@google-cloud/storage @azure/storage-blob @azure/identity stripe braintree square twilio
@sendgrid/mail @slack/web-api mailgun.js nodemailer express socket.io react react-dom vue
webpack rollup vite @babel/core typescript eslint mongoose pg mysql2 sequelize ioredis knex
@octokit/rest openai @supabase/supabase-js passport jquery moment"

npm_install() {
	command -v npm >/dev/null 2>&1 || { echo "precision: npm not found" >&2; return 1; }
	stage=$(mktemp -d "${TMPDIR:-/tmp}/sg-npmstage.XXXXXX")
	echo '{"name":"sg-precision-stage","version":"1.0.0","private":true}' >"$stage/package.json"
	# shellcheck disable=SC2086
	(cd "$stage" && npm install --no-audit --no-fund --ignore-scripts $NPM_PACKAGES) >&2 ||
		{ rm -rf "$stage"; return 1; }
	mkdir -p "$NPM_CORPUS/node_modules"
	# add what the corpus lacks; never replace or remove what is there
	for d in "$stage"/node_modules/* "$stage"/node_modules/@*/*; do
		[ -d "$d" ] || continue
		rel=${d#"$stage"/node_modules/}
		case $rel in @*/*) mkdir -p "$NPM_CORPUS/node_modules/${rel%%/*}" ;; @*) continue ;; esac
		[ -e "$NPM_CORPUS/node_modules/$rel" ] || cp -a "$d" "$NPM_CORPUS/node_modules/$rel"
	done
	rm -rf "$stage"
}
[ "${PRECISION_NPM_INSTALL:-0}" = 1 ] && npm_install

if [ $# -eq 0 ]; then
	set -- /usr/lib/python3.11 /usr/lib/python3/dist-packages /usr/include /usr/share/doc \
		/usr/lib/node_modules /usr/share/perl /usr/share/perl5 /usr/share/javascript \
		/usr/share/fpcsrc /usr/share/vim /usr/share/base-passwd npm:$NPM_CORPUS/node_modules
fi

if [ -n "${PRECISION_KEEP:-}" ]; then
	work=$PRECISION_KEEP
	mkdir -p "$work"
else
	work=$(mktemp -d "${TMPDIR:-/tmp}/sg-precision.XXXXXX")
	trap 'rm -rf "$work"' EXIT INT TERM
fi
: >"$work/all.tsv"

printf '%-36s %9s %8s %8s %9s %9s\n' corpus files blocking warning percent findings
total_files=0
total_flagged=0
i=0
for corpus in "$@"; do
	# npm:DIR scans each package of DIR from inside DIR (paths without node_modules/)
	pkgs=
	case $corpus in npm:*) corpus=${corpus#npm:}; pkgs=1 ;; esac
	[ -d "$corpus" ] || continue
	i=$((i + 1))
	out=$work/c$i.jsonl
	# exit 1 only means findings; 2 is an error worth seeing but not fatal here
	rc=0
	if [ -n "$pkgs" ]; then
		(cd "$corpus" && "$BIN" scan --no-config --color never --format jsonl -- *) \
			>"$out" 2>"$work/c$i.err" || rc=$?
	else
		"$BIN" scan --no-config --color never --format jsonl "$corpus" >"$out" \
			2>"$work/c$i.err" || rc=$?
	fi
	if [ "$rc" -gt 1 ]; then
		echo "precision: $corpus: exit $rc: $(tail -1 "$work/c$i.err")" >&2
	fi
	files=$(sed -n 's/^secretgate: \([0-9][0-9]*\) files.*/\1/p' "$work/c$i.err" | tail -1)
	files=${files:-0}
	findings=$(wc -l <"$out" | tr -d ' ')
	flagged=$(jq -r 'select(.blocking) | .path' "$out" | sort -u | wc -l | tr -d ' ')
	warned=$(jq -r 'select(.blocking | not) | .path' "$out" | sort -u | wc -l | tr -d ' ')
	pct=$(awk -v f="$flagged" -v n="$files" 'BEGIN { if (n > 0) printf "%.3f%%", 100 * f / n; else print "-" }')
	printf '%-36s %9s %8s %8s %9s %9s\n' "$corpus" "$files" "$flagged" "$warned" "$pct" "$findings"
	jq -r 'select(.blocking) | [.rule, .path, (.line | tostring)] | @tsv' "$out" >>"$work/all.tsv"
	total_files=$((total_files + files))
	total_flagged=$((total_flagged + flagged))
done
pct=$(awk -v f="$total_flagged" -v n="$total_files" 'BEGIN { if (n > 0) printf "%.3f%%", 100 * f / n; else print "-" }')
printf '%-36s %9s %8s %9s\n' total "$total_files" "$total_flagged" "$pct"

if [ -s "$work/all.tsv" ]; then
	echo
	echo "top rules by files with a blocking finding (false positives):"
	cut -f1,2 "$work/all.tsv" | sort -u | cut -f1 | sort | uniq -c | sort -rn | head -n "$TOP" |
		while read -r n rule; do
			printf '%6d  %s\n' "$n" "$rule"
			awk -F '\t' -v r="$rule" '$1 == r { print "          " $2 ":" $3 }' "$work/all.tsv" |
				head -n "$SHOW"
		done
fi
