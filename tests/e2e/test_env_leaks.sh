#!/bin/sh
# env leaks: a build output carrying a secret value in each encoding.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
mkdir -p .secretgate dist
cat > .secretgate/env.yml <<'YAML'
environments:
  production: { files: [.env.production] }
vars:
  DB_PASSWORD: { secret: true }
  SHORT_SECRET: { secret: true }
  PUBLIC_NAME: {}
YAML
# Assembled at run time: a value with characters every encoding changes.
pw="pa55$(printf 'w0rd')/x+y \"z\"-$(printf '%s' 42)"
printf 'DB_PASSWORD=%s\nSHORT_SECRET=abc\nPUBLIC_NAME=my-public-name-value\n' "'$pw'" > .env.production
printf 'deploying with password %s\n' "$pw" > dist/deploy.log
printf 'window.cfg={user:"app",pass:"%s"};\n' "$(printf '%s' "$pw" | sed 's/"/\\"/g')" > dist/plain.js
printf 'const blob="%s";\n' "$(printf 'prefix:%s' "$pw" | base64 | tr -d '\n')" > dist/base64.js
printf 'GET /login?pw=%s HTTP/1.1\n' "$(printf '%s' "$pw" | sed 's,/,%2F,g; s,+,%2B,g; s, ,%20,g; s,",%22,g')" > dist/access.log
printf '{"version":3,"sourcesContent":["%s"]}\n' "$(printf '%s' "$pw" | sed 's,/,\\/,g; s,",\\",g')" > dist/app.js.map
printf 'nothing here\n' > dist/clean.txt

expect_rc 1 env -i PATH="$PATH" "$SG" env leaks --env production dist
contains "$OUT" "dist/deploy.log:1:25"
contains "$OUT" "(plain)"
contains "$OUT" "dist/plain.js:1:"
contains "$OUT" "dist/base64.js:1:"
contains "$OUT" "(base64)"
contains "$OUT" "dist/access.log:1:"
contains "$OUT" "(url-encoded)"
contains "$OUT" "dist/app.js.map:1:"
contains "$OUT" "(json-escaped)"
contains "$OUT" "value of secret variable DB_PASSWORD"
lacks "$OUT" "clean.txt"
lacks "$OUT" "PUBLIC_NAME"
lacks "$OUT" "pa55"
lacks "$ERR" "pa55"
# Short values are not searched, and the run says so.
contains "$ERR" "shorter than 8 bytes not searched (first: SHORT_SECRET)"

# JSON report: the variable and place, never the value.
expect_rc 1 env -i PATH="$PATH" "$SG" env leaks --env production dist --format json
contains "$OUT" '"rule":"env-leak"'
lacks "$OUT" "pa55"

# Values from the process environment, --var for undeclared names.
expect_rc 1 env -i PATH="$PATH" EXTRA_VALUE="extra-$(printf 'value')-123" sh -c \
	'printf "x=%s\n" "$EXTRA_VALUE" > dist/extra.txt; "$0" env leaks --env production --var EXTRA_VALUE dist' "$SG"
contains "$OUT" "EXTRA_VALUE found in dist/extra.txt"
rm dist/extra.txt

# Nothing leaked: exit 0.
expect_rc 0 env -i PATH="$PATH" "$SG" env leaks --env production dist/clean.txt
expect_rc 2 "$SG" env leaks --env production
contains "$ERR" "needs the PATHs"
finish
