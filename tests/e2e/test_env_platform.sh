#!/bin/sh
# env check with platform files: declarations (set, or provided elsewhere),
# values for non-secret variables, hard-coded secrets, malformed files.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/envgate_lib.sh"
e2e_rules "$T/rules.yml"

# --- Next.js on Vercel and Netlify, deployed from GitHub Actions ------------
make_nextjs "$T/next" || exit 1
mkdir -p .secretgate
cat > .secretgate/env.yml <<'YAML'
environments:
  development: { files: [.env] }
  production: { production: true, platform: [vercel.json, .github/workflows/deploy.yml] }
  preview: { platform: [netlify.toml] }
vars:
  DATABASE_URL: { type: url, schemes: [postgres], secret: true, required: [production] }
  STRIPE_SECRET_KEY: { secret: true, required: [production, preview] }
  NEXT_PUBLIC_API_URL: { type: url, required: all }
  LOG_LEVEL: { type: enum, values: [debug, info, warn], required: [production, preview] }
  PORT: { type: port }
  DEBUG_SQL: { type: bool }
  ADMIN_EMAIL: { type: email }
  REQUEST_TIMEOUT: { type: duration }
  NEXT_TELEMETRY_DISABLED: { type: bool, platform_only: true }
  NODE_VERSION: { type: int, platform_only: true }
  SENTRY_AUTH_TOKEN: { secret: true, required: [production], platform_only: true }
YAML
# SENTRY_AUTH_TOKEN is in neither vercel.json nor the workflow.
expect_rc 1 env -i PATH="$PATH" DATABASE_URL=postgres://db/shop STRIPE_SECRET_KEY=x \
	SENTRY_AUTH_TOKEN=y "$SG" env check --env production --rules "$T/rules.yml"
contains "$OUT" ".secretgate/env.yml:16:1  env-platform-missing  SENTRY_AUTH_TOKEN is required in production but vercel.json and .github/workflows/deploy.yml neither set it nor declare it provided elsewhere"
# vercel.json's values are the environment's: LOG_LEVEL=warn, NEXT_PUBLIC_API_URL.
lacks "$OUT" "LOG_LEVEL"
lacks "$OUT" "NEXT_PUBLIC_API_URL"
# "@stripe-live-key" and ${{ secrets.X }} declare, they do not set.
lacks "$OUT" "STRIPE_SECRET_KEY is required in production but"
lacks "$OUT" "DATABASE_URL is required in production but"
# The workflow's job values count for production (PORT "8080", DEBUG_SQL "false").
lacks "$OUT" "env-malformed"
# Listing it under provided: (a secret store the files cannot show) settles it.
sed -i 's/production: { production: true, /production: { production: true, provided: [SENTRY_AUTH_TOKEN], /' .secretgate/env.yml
expect_rc 0 env -i PATH="$PATH" DATABASE_URL=postgres://db/shop STRIPE_SECRET_KEY=x \
	SENTRY_AUTH_TOKEN=y "$SG" env check --env production --rules "$T/rules.yml"

# A secret written as a value in a platform file; a bad value from netlify.toml.
tok=$(e2e_token)
cat > netlify.toml <<EOF
[build]
  command = "next build"
  publish = ".next"
[build.environment]
  NODE_VERSION = "20"
  NEXT_PUBLIC_API_URL = "https://preview.shop.example"
[context.preview.environment]
  LOG_LEVEL = "verbose"
  STRIPE_SECRET_KEY = "$(stripe_like test)"
[context.production.environment]
  NEXT_PUBLIC_API_URL = "$tok"
[[redirects]]
  from = "/old"
  to = "/new"
EOF
expect_rc 1 env -i PATH="$PATH" "$SG" env check --env preview --rules "$T/rules.yml"
contains "$OUT" "netlify.toml:9:1  env-platform-secret  STRIPE_SECRET_KEY is written as a value in netlify.toml:9 but it is a secret"
contains "$OUT" "netlify.toml:8:1  env-malformed  LOG_LEVEL is not a valid enum"
# The secret's value is never used as the environment's value, nor shown.
contains "$OUT" "env-missing  STRIPE_SECRET_KEY is required in preview but not set"
lacks "$OUT" "Zq8wX2pLm4Rt"
# Another context's values are not preview's.
lacks "$OUT" "$tok"
lacks "$OUT" "e2e-token"
# ... and a public variable whose value matches a secret rule, in production.
sed -i 's/platform: \[vercel.json, /platform: [netlify.toml, vercel.json, /' .secretgate/env.yml
expect_rc 1 env -i PATH="$PATH" DATABASE_URL=postgres://db/shop STRIPE_SECRET_KEY=x \
	SENTRY_AUTH_TOKEN=y "$SG" env check --env production --rules "$T/rules.yml"
contains "$OUT" "netlify.toml:11:1  env-platform-secret  NEXT_PUBLIC_API_URL is written as a value in netlify.toml:11 but its value matches the secret rule e2e-token"
lacks "$OUT" "$tok"

# Malformed files are errors with file and line.
cp vercel.json vercel.good
printf '{\n  "env": {\n    "A": "1",\n    "B" "2"\n  }\n}\n' > vercel.json
expect_rc 2 "$SG" env check --env production --no-environ
contains "$ERR" "secretgate: platform: vercel.json:4: expected ':' after a key"
mv vercel.good vercel.json
printf '[env]\n  A = "unterminated\n' > netlify.toml
expect_rc 2 "$SG" env check --env production --no-environ
contains "$ERR" "secretgate: platform: netlify.toml:2: newline in a single-line string"
git checkout -q -- netlify.toml 2>/dev/null || rm netlify.toml
sed -i 's/platform: \[netlify.toml, /platform: [/' .secretgate/env.yml
printf 'jobs:\n  a:\n    env: [unclosed\n' > .github/workflows/deploy.yml
expect_rc 2 "$SG" env check --env production --no-environ
contains "$ERR" "secretgate: platform: .github/workflows/deploy.yml:"
# A platform file the manifest names must exist.
rm .github/workflows/deploy.yml
expect_rc 2 "$SG" env check --env production --no-environ
contains "$ERR" "secretgate: platform: .github/workflows/deploy.yml: not found (the manifest lists it under platform:)"

# --- Django on Render, Heroku and Fly ------------------------------------------
make_django "$T/django" || exit 1
mkdir -p .secretgate
cat > .secretgate/env.yml <<'YAML'
environments:
  development: { files: [.env] }
  render: { production: true, platform: [render.yaml] }
  heroku: { production: true, platform: [app.json] }
  fly: { production: true, platform: [fly.toml], provided: [DJANGO_SECRET_KEY, 'DATABASE_*'] }
vars:
  DJANGO_SECRET_KEY: { secret: true, required: [render, heroku, fly] }
  DJANGO_DEBUG: { type: bool, required: all }
  DATABASE_URL: { type: url, secret: true, required: [render, fly] }
  ALLOWED_HOSTS: { required: [render, fly] }
  EMAIL_HOST_USER: { type: email }
  CELERY_CONCURRENCY: { type: int, min: 1, max: 3 }
  SENTRY_DSN: { secret: true, required: [render, heroku, fly] }
YAML
# Render: generateValue, fromDatabase and sync: false all declare.
expect_rc 1 "$SG" env check --env render --no-environ
contains "$OUT" "render.yaml:17:1  env-malformed  CELERY_CONCURRENCY is not a valid int: above the maximum 3 (set in render.yaml:17)"
lacks "$OUT" "env-platform-missing"
# Heroku: generator: secret and required: true declare; values are read.
expect_rc 1 "$SG" env check --env heroku --no-environ
lacks "$OUT" "env-platform-missing"
contains "$OUT" "DJANGO_SECRET_KEY is required in heroku but not set"
# Fly: [env] values (a TOML integer too), provided: names and globs.
expect_rc 1 "$SG" env check --env fly --no-environ
contains "$OUT" "fly.toml:11:1  env-malformed  CELERY_CONCURRENCY is not a valid int: above the maximum 3"
contains "$OUT" "env-platform-missing  SENTRY_DSN is required in fly but fly.toml neither sets it nor declares it provided elsewhere"
lacks "$OUT" "DATABASE_URL is required in fly but fly.toml"
lacks "$OUT" "ALLOWED_HOSTS"
# A secret in app.json as a value.
sed -i 's/"DJANGO_DEBUG": "False",/"DJANGO_DEBUG": "False", "SENTRY_DSN": "https:\/\/abc@o1.ingest.sentry.io\/1",/' app.json
sed -i '/"SENTRY_DSN": { "description"/d' app.json
expect_rc 1 "$SG" env check --env heroku --no-environ
contains "$OUT" "app.json:6:1  env-platform-secret  SENTRY_DSN is written as a value in app.json:6 but it is a secret"
# Unknown keys anywhere are ignored, not errors.
printf '\n[mounts]\n  source = "data"\n[experimental]\n  auto_rollback = true\n' >> fly.toml
expect_rc 1 "$SG" env check --env fly --no-environ
lacks "$ERR" "secretgate: platform"

# --- a compose service with Kubernetes for production --------------------------
make_compose "$T/compose" || exit 1
mkdir -p .secretgate
cat > .secretgate/env.yml <<'YAML'
environments:
  development: { files: [.env], platform: [docker-compose.yml] }
  production: { production: true, platform: [k8s/deployment.yaml] }
vars:
  REDIS_URL: { type: url, schemes: [redis], required: all }
  API_TOKEN: { secret: true, required: all }
  LISTEN_PORT: { type: port, required: all }
  WORKERS: { type: int, min: 1, max: 4 }
  FEATURE_CACHE: { type: bool, required: all }
  STORAGE_BACKEND: { type: enum, values: [local, s3], required: all }
  METRICS_TOKEN: { secret: true, required: [production], platform_only: true }
YAML
# Compose: map and list forms, merge keys through anchors, env_file, the host.
expect_rc 0 env -i PATH="$PATH" "$SG" env check --env development
# Kubernetes: value, secretKeyRef, envFrom ConfigMap (values), CronJob.
expect_rc 1 env -i PATH="$PATH" API_TOKEN=t "$SG" env check --env production
contains "$OUT" "k8s/deployment.yaml:23:1  env-malformed  WORKERS is not a valid int: above the maximum 4 (set in k8s/deployment.yaml:23)"
contains "$OUT" "env-platform-missing  METRICS_TOKEN is required in production but k8s/deployment.yaml neither sets it"
lacks "$OUT" "LISTEN_PORT"
lacks "$OUT" "STORAGE_BACKEND"
# envFrom a Secret defined elsewhere may provide any name.
sed -i 's/            - configMapRef: { name: api-config }/            - configMapRef: { name: api-config }\n            - secretRef: { name: sealed }/' k8s/deployment.yaml
expect_rc 1 env -i PATH="$PATH" API_TOKEN=t METRICS_TOKEN=m "$SG" env check --env production
lacks "$OUT" "env-platform-missing"
# A Secret with stringData in the repository is a hard-coded secret.
cat >> k8s/deployment.yaml <<EOF
---
apiVersion: v1
kind: Secret
metadata: { name: sealed }
stringData:
  METRICS_TOKEN: "$(printf 'mt-')0f3e9a77c1"
EOF
expect_rc 1 env -i PATH="$PATH" API_TOKEN=t METRICS_TOKEN=m "$SG" env check --env production
contains "$OUT" "k8s/deployment.yaml:58:1  env-platform-secret  METRICS_TOKEN is written as a value in k8s/deployment.yaml:58 but it is a secret"
lacks "$OUT" "0f3e9a77c1"
# Valid YAML with anchors never errors; broken YAML names the line.
printf 'services:\n  api:\n    environment:\n      A: [\n' > docker-compose.yml
expect_rc 2 env -i PATH="$PATH" "$SG" env check --env development
contains "$ERR" "secretgate: platform: docker-compose.yml:5:"
finish
