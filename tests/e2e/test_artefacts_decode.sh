#!/bin/sh
# Encoded secrets: base64 (both alphabets, any alignment), hex, percent,
# \u / \x escapes and HTML entities are decoded and scanned again, two
# layers deep by default; Kubernetes Secret values, .dockerconfigjson and
# Authorization: Basic too. A finding says how it was found and points at
# the encoded run. Integrity hashes, data URIs, source maps and binary
# blobs stay silent.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/art_lib.sh"
cd "$T" || exit 2
K=$(akia 3)
PW=Xk9mP2vL7qR4tZw8
py "$K" "$PW" <<'PY'
import base64, json, os, sys
k, pw = sys.argv[1], sys.argv[2]
plain = 'aws_key = %s' % k
b64 = base64.b64encode(plain.encode()).decode()
w = lambda name, text: open(name, 'w').write(text)
w('b64.yml', 'app:\n  blob: %s\n' % b64)
# url-safe alphabet, no padding: '?' and '>' make '-' and '_' appear
u = base64.urlsafe_b64encode(('<?>?>' + plain + '?>').encode()).decode().rstrip('=')
assert '-' in u or '_' in u
w('b64url.txt', 'x = "%s"\n' % u)
# glued to a prefix: the run starts two characters before the encoding
w('aligned.txt', 'v = v2%s\n' % base64.b64encode(('#' + plain).encode()).decode())
w('hex.txt', 'payload = %s\n' % plain.encode().hex())
w('percent.txt', 'url = "https://example.com/?k=%s"\n' % ''.join('%%%02X' % ord(c) for c in k))
w('unicode.json', '{"k": "%s"}\n' % ''.join('\\u%04x' % ord(c) for c in k))
w('hexesc.c', 'const char *k = "%s";\n' % ''.join('\\x%02x' % ord(c) for c in k))
w('entities.html', '<p data-k="%s"></p>\n' % ''.join('&#%d;' % ord(c) for c in k))
w('double.txt', 'x: %s\n' % base64.b64encode(b64.encode()).decode())
w('allowed.txt', 'blob: %s  # secretgate:allow\n' % b64)
w('k8s.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: %s\n'
  % base64.b64encode(pw.encode()).decode())
auth = base64.b64encode(('deploy:' + pw).encode()).decode()
dcj = json.dumps({'auths': {'registry.example.com': {'auth': auth}}})
w('pull.yaml', 'apiVersion: v1\nkind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n'
  '  .dockerconfigjson: %s\n' % base64.b64encode(dcj.encode()).decode())
w('basic.sh', 'curl -H "Authorization: Basic %s" https://api.example.com/\n' % auth)
# things that must stay silent
rnd = os.urandom(3000)
w('quiet.js', '\n'.join([
    '"integrity": "sha512-%s"' % base64.b64encode(os.urandom(64)).decode(),
    'img.src = "data:image/png;base64,%s";' % base64.b64encode(rnd).decode(),
    '{"version":3,"mappings":"AAAA,SAASA,EAAEC,GAAG;AACnB,OAAOC,KAAKC,IAAIC,MAAMC;ACFlC,YAAYC,aAAaC"}',
    'const blob = "%s";' % base64.b64encode(os.urandom(2048)).decode(),
    'const id = "%s";' % os.urandom(32).hex(),
    'const text = "%s";' % base64.b64encode(b'just some ordinary text, nothing to see here').decode(),
    'printf("%s%d%%s", a, b); x = a && b; y = "\\n\\t";',
]) + '\n')
PY
expect_rc 1 sgscan --format jsonl b64.yml
contains "$OUT" '"path":"b64.yml","line":2,'
contains "$OUT" '"column":9,'
contains "$OUT" '"decoded":["base64"]'
lacks "$OUT" "$K"
fp_decoded=$(printf '%s' "$OUT" | sed 's/.*"fingerprint":"\([^"]*\)".*/\1/')
printf 'aws_key = %s\n' "$K" >plain.txt
fp_plain=$(sgscan --format jsonl plain.txt 2>/dev/null | sed 's/.*"fingerprint":"\([^"]*\)".*/\1/')
[ "$fp_plain" = "$fp_decoded" ] || fail "decoded fingerprint $fp_decoded differs from $fp_plain"

for f in b64url.txt:base64 aligned.txt:base64 hex.txt:hex percent.txt:percent unicode.json:escape \
	hexesc.c:escape entities.html:html; do
	expect_rc 1 sgscan --format jsonl "${f%%:*}"
	contains "$OUT" "\"decoded\":[\"${f#*:}\"]"
	contains "$OUT" '"rule":"aws-access-key-id"'
done
# the text report says it too
expect_rc 1 sgscan hex.txt
contains "$OUT" "hex.txt:1:11"
contains "$OUT" "decoded: hex"

# two layers by default, one with --decode-depth 1, none with --no-decode
expect_rc 1 sgscan --format jsonl double.txt
contains "$OUT" '"decoded":["base64","base64"]'
expect_rc 0 sgscan --decode-depth 1 double.txt
expect_rc 0 sgscan --no-decode b64.yml
expect_rc 0 sgscan --decode-depth 0 b64.yml

# a marker on the encoded line accepts it, as for a plain secret
expect_rc 0 sgscan allowed.txt
contains "$ERR" "1 suppressed"

# Kubernetes Secret data, pull secrets, basic auth
expect_rc 1 sgscan --format jsonl k8s.yaml
contains "$OUT" '"rule":"generic-password"'
contains "$OUT" '"line":6,'
contains "$OUT" '"decoded":["base64"]'
lacks "$OUT" "$PW"
expect_rc 1 sgscan --format jsonl pull.yaml
contains "$OUT" '"decoded":["base64","base64"]'
contains "$OUT" '"rule":"generic-password"'
expect_rc 1 sgscan --format jsonl basic.sh
contains "$OUT" '"decoded":["base64"]'
lacks "$OUT" "$PW"

# silence on data that only looks encoded
expect_rc 0 sgscan quiet.js
lacks "$OUT" "quiet.js"

# git: an encoded secret on a staged line is found there
git init -q -b main repo && cd repo && cp ../b64.yml . && git add b64.yml
expect_rc 1 "$SG" git --staged --no-config --format jsonl
contains "$OUT" '"decoded":["base64"]'
contains "$OUT" '"line":2,'
finish
