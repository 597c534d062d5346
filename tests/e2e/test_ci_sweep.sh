#!/bin/sh
# The org-wide sweep's scripts: sweep-plan.sh (shard matrix), sweep-repo.sh (clone and scan
# each repository of a shard, per-repository baseline) and sweep-merge.sh (one JSON report,
# one SARIF per repository, one HTML overview), with a fake secretgate and local "remote"
# repositories.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ci_lib.sh"
PLAN=$ROOT/ci/sweep-plan.sh
REPO=$ROOT/ci/sweep-repo.sh
MERGE=$ROOT/ci/sweep-merge.sh

# valid_json FILE: parses as JSON (with whichever of python3 or jq is here).
valid_json() {
	if command -v python3 >/dev/null 2>&1 && python3 -c 'import json' 2>/dev/null; then
		python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1" 2>&1 || { fail "not JSON: $1"; return 1; }
	elif command -v jq >/dev/null 2>&1; then
		jq . "$1" >/dev/null 2>&1 || { fail "not JSON: $1"; return 1; }
	else
		skip "JSON check of $1 needs python3 or jq"
	fi
	return 0
}

# --- sweep-plan.sh
OUT=$(printf 'b/one\na/two, a/three\n\nb/one https://github.com/c/four.git\n' | sh "$PLAN" --per-job 2)
[ "$OUT" = '{"include":[{"shard":1,"repos":"a/three b/one"},{"shard":2,"repos":"a/two c/four"}]}' ] ||
	fail "plan, 4 repositories by 2: $OUT"
OUT=$(echo x/y | sh "$PLAN")
[ "$OUT" = '{"include":[{"shard":1,"repos":"x/y"}]}' ] || fail "plan, one repository: $OUT"
i=0
while [ $i -lt 30 ]; do echo "org/r$i"; i=$((i + 1)); done >"$T/thirty"
OUT=$(sh "$PLAN" --per-job 1 --max-jobs 7 <"$T/thirty")
n=$(printf '%s' "$OUT" | grep -o '"shard"' | wc -l | tr -d ' ')
[ "$n" -eq 7 ] || fail "plan capped at 7 jobs: $n shards"
r=$(printf '%s' "$OUT" | grep -o 'org/r[0-9]*' | sort -u | wc -l | tr -d ' ')
[ "$r" -eq 30 ] || fail "plan capped at 7 jobs lost repositories: $r of 30"
printf '%s\n' "$OUT" >"$T/plan.json"
valid_json "$T/plan.json"
expect_rc 2 sh "$PLAN" </dev/null
printf 'not-a-repo\n' >"$T/bad"
expect_rc 2 sh "$PLAN" <"$T/bad"
contains "$ERR" "not owner/name"
expect_rc 2 sh "$PLAN" --per-job 0 <"$T/thirty"

# --- the "remote": o1/clean, o1/leaky (a commit whose subject says leak), o2/other
for r in o1/clean o1/leaky o2/other; do
	git init -q "$T/src/$r"
	commit "$T/src/$r" README "hello"
done
commit "$T/src/o1/leaky" config.txt "leak"
commit "$T/src/o2/other" config.txt "leak"
for r in o1/clean o1/leaky o2/other; do git clone -q --bare "$T/src/$r" "$T/srv/$r.git"; done

# A fake secretgate for sweeps: writes its --output and --report files per format;
# repositories whose history mentions "leak" get two findings (exit 1); with
# $T/sarif_fails present, writing SARIF fails (exit 2).
SWEEPFAKE=$T/bin/sweep-secretgate
cat >"$SWEEPFAKE" <<EOF
#!/bin/sh
printf '%s|' "\$(pwd)" "\$@" >>"$T/sweep_calls"; echo >>"$T/sweep_calls"
fmt= out= sarif=
while [ \$# -gt 0 ]; do
	case \$1 in
	--format) fmt=\$2; shift ;;
	--output) out=\$2; shift ;;
	--report) case \$2 in sarif=*) sarif=\${2#sarif=} ;; esac; shift ;;
	esac
	shift
done
leak=0
git log --all --format=%s | grep -q leak && leak=1
if [ "\$fmt" = jsonl ]; then
	: >"\$out"
	if [ \$leak = 1 ]; then
		echo '{"rule":"generic-api-key","description":"d","severity":"high","path":"a <b>.txt","line":3,"secret":"REDACTED","fingerprint":"f1","commit":"0123456789abcdef0123","date":"2024-01-02T03:04:05Z"}' >>"\$out"
		echo '{ "rule": "private-key", "severity": "critical", "path": "k\\\\"q.pem", "line": 1, "commit": "fedcba9876543210" }' >>"\$out"
	fi
fi
if [ -n "\$sarif" ]; then
	echo '{"version":"2.1.0","runs":[]}' >"\$sarif"
	[ -f "$T/sarif_fails" ] && exit 2
fi
exit \$leak
EOF
chmod +x "$SWEEPFAKE"
mkdir -p "$T/baselines/o1"
echo "f0" >"$T/baselines/o1/leaky.baseline"

TOKEN=tok$(date +%s)x
expect_rc 0 env SECRETGATE="$SWEEPFAKE" SECRETGATE_SWEEP_URL="file://$T/srv" SECRETGATE_SWEEP_TOKEN="$TOKEN" \
	SECRETGATE_SWEEP_ARGS="--fail-on high" \
	sh "$REPO" --out "$T/shard1" --baselines "$T/baselines" o1/clean o1/leaky
lacks "$OUT$ERR" "$TOKEN"
expect_rc 0 env SECRETGATE="$SWEEPFAKE" SECRETGATE_SWEEP_URL="file://$T/srv" \
	sh "$REPO" --out "$T/shard2" --baselines "$T/baselines" o2/other o3/missing
for f in o1__clean o1__leaky; do
	[ -f "$T/shard1/$f.jsonl" ] && [ -f "$T/shard1/$f.sarif" ] && [ -f "$T/shard1/$f.status" ] ||
		fail "shard1: missing results for $f"
done
contains "$(cat "$T/shard1/o1__clean.status")" "exit=0"
contains "$(cat "$T/shard1/o1__leaky.status")" "exit=1"
contains "$(cat "$T/shard2/o2__other.status")" "exit=1"
contains "$(cat "$T/shard2/o3__missing.status")" "exit=2"
contains "$(cat "$T/shard2/o3__missing.status")" "clone failed"
calls=$(cat "$T/sweep_calls")
# one scan per repository writes both files
contains "$calls" "|git|--format|jsonl|--output|$T/shard1/o1__leaky.jsonl|--report|sarif=$T/shard1/o1__leaky.sarif|--history|--baseline|$T/baselines/o1/leaky.baseline|--fail-on|high|"
contains "$calls" "|git|--format|jsonl|--output|$T/shard1/o1__clean.jsonl|--report|sarif=$T/shard1/o1__clean.sarif|--history|--fail-on|high|"
[ "$(printf '%s\n' "$calls" | grep -c o1__leaky)" -eq 1 ] || fail "more than one scan of o1/leaky"
lacks "$(printf '%s\n' "$calls" | grep o1__clean)" "--baseline"
expect_rc 2 sh "$REPO" o1/clean
# a scan that fails (here the SARIF one) makes the repository an error, not clean
touch "$T/sarif_fails"
expect_rc 0 env SECRETGATE="$SWEEPFAKE" SECRETGATE_SWEEP_URL="file://$T/srv" sh "$REPO" --out "$T/shard3" o1/clean
contains "$(cat "$T/shard3/o1__clean.status")" "exit=2"
rm -f "$T/sarif_fails"
expect_rc 2 sh "$REPO" --out "$T/x" not-a-repo

# --- sweep-merge.sh: shards downloaded side by side
mkdir -p "$T/results"
cp "$T/shard1/"* "$T/shard2/"* "$T/results/"
expect_rc 1 sh "$MERGE" "$T/results" "$T/report"
J=$T/report/secretgate-sweep.json
[ -f "$J" ] || fail "no merged JSON"
valid_json "$J"
contains "$(cat "$J")" '"summary":{"repositories":4,"clean":1,"with_findings":2,"errors":1,"findings":4}'
contains "$(cat "$J")" '{"repository":"o1/leaky","rule":"generic-api-key"'
contains "$(cat "$J")" '{"repository":"o2/other","rule": "private-key"'
contains "$(cat "$J")" '"repository":"o3/missing","exit":2,"findings":0'
if command -v jq >/dev/null 2>&1; then
	[ "$(jq '.findings | length' "$J")" = 4 ] || fail "merged JSON: $(jq '.findings | length' "$J") findings, wanted 4"
	[ "$(jq -r '.repositories[] | select(.repository == "o1/leaky") | .severities.critical' "$J")" = 1 ] ||
		fail "merged JSON: severities of o1/leaky"
else
	skip "merged JSON counts need jq"
fi
for f in o1__clean o1__leaky o2__other; do
	[ -f "$T/report/sarif/$f.sarif" ] || fail "no SARIF for $f"
done
H=$T/report/secretgate-sweep.html
[ -f "$H" ] || fail "no HTML overview"
html=$(cat "$H")
contains "$html" "<!DOCTYPE html>"
contains "$html" "</html>"
contains "$html" "a &lt;b&gt;.txt"
contains "$html" "k&quot;q.pem"
contains "$html" "4 repositories"
lacks "$html" "<script"
lacks "$html" "http://"
lacks "$html" "https://"
lacks "$html" "REDACTED"
# every opened table is closed
[ "$(grep -o '<table' "$H" | wc -l)" -eq "$(grep -o '</table>' "$H" | wc -l)" ] || fail "HTML tables unbalanced"
contains "$(cat "$T/report/summary.md")" "| o3/missing | error: clone failed |"
contains "$(cat "$T/report/summary.md")" "| o1/clean | clean | 0 |"

# all clean: exit 0; only errors: exit 2
mkdir -p "$T/clean" "$T/errs"
cp "$T/results/o1__clean."* "$T/clean/"
expect_rc 0 sh "$MERGE" "$T/clean" "$T/report-clean"
cp "$T/results/o3__missing."* "$T/errs/"
expect_rc 2 sh "$MERGE" "$T/errs" "$T/report-errs"
mkdir "$T/empty"
expect_rc 2 sh "$MERGE" "$T/empty" "$T/report-empty"

finish
