# shellcheck shell=sh
# Throw-away repositories shaped like real projects, for the env gate's second
# stage (platform files, init, diff, snapshot). Source after lib.sh; each
# function makes a git repository in the directory it is given. Values that
# look like credentials are assembled at run time.

# A token the e2e rule below matches (and no default rule does).
e2e_token() { printf 'e2etok_%s%s' "$(printf 'abcdefghij')" "${1:-0123456789}"; }
stripe_like() { printf 'sk_%s_%s' "$1" "$(printf 'Zq8wX2pLm4Rt')"; }

# A rule of our own so rule matches do not depend on the default set.
e2e_rules() {
	cat > "$1" <<'YAML'
rules:
  - id: e2e-token
    description: e2e token
    severity: high
    keywords: [e2etok_]
    pattern: '\b(e2etok_[a-z0-9]{20})\b'
    examples: ['x e2etok_abcdefghij0123456789', 'T=e2etok_zyxwvutsrq9876543210']
    negative_examples: ['e2etok_short']
YAML
}

# Next.js on Vercel or Netlify, deployed from GitHub Actions.
make_nextjs() {
	mkdir -p "$1" && cd "$1" || return 1
	git init -q .
	mkdir -p src/app src/lib .github/workflows
	cat > package.json <<'EOF'
{ "name": "shop", "private": true, "scripts": { "build": "next build" } }
EOF
	cat > src/app/page.tsx <<'EOF'
export default function Page() {
  const api = process.env.NEXT_PUBLIC_API_URL;
  return <main data-api={api} />;
}
EOF
	cat > src/lib/server.ts <<'EOF'
const db = process.env.DATABASE_URL;
const stripe = process.env.STRIPE_SECRET_KEY;
const level = process.env.LOG_LEVEL;
const port = Number(process.env.PORT);
const debug = process.env.DEBUG_SQL === "true";
const admin = process.env.ADMIN_EMAIL;
const timeout = process.env.REQUEST_TIMEOUT;
EOF
	printf 'DATABASE_URL=\nSTRIPE_SECRET_KEY=\nNEXT_PUBLIC_API_URL=\nLOG_LEVEL=\nPORT=\nDEBUG_SQL=\nADMIN_EMAIL=\nREQUEST_TIMEOUT=\n' > .env.example
	{
		printf 'DATABASE_URL=postgres://shop:%s@localhost:5432/shop\n' "$(printf 'devpass')"
		printf 'STRIPE_SECRET_KEY=%s\n' "$(stripe_like test)"
		printf 'NEXT_PUBLIC_API_URL=http://localhost:3000\nLOG_LEVEL=debug\nPORT=3000\n'
		printf 'DEBUG_SQL=true\nADMIN_EMAIL=dev@example.com\nREQUEST_TIMEOUT=30s\n'
	} > .env
	printf '.env\n.env.local\n' > .gitignore
	cat > vercel.json <<'EOF'
{
  "framework": "nextjs",
  "regions": ["fra1"],
  "env": {
    "NEXT_PUBLIC_API_URL": "https://api.shop.example",
    "LOG_LEVEL": "warn",
    "STRIPE_SECRET_KEY": "@stripe-live-key"
  },
  "build": { "env": { "NEXT_TELEMETRY_DISABLED": "1" } }
}
EOF
	cat > .github/workflows/deploy.yml <<'EOF'
name: deploy
on: { push: { branches: [main] } }
env:
  NODE_VERSION: "20"
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm test
  deploy:
    runs-on: ubuntu-latest
    environment: production
    env:
      DATABASE_URL: ${{ secrets.DATABASE_URL }}
      STRIPE_SECRET_KEY: ${{ secrets.STRIPE_SECRET_KEY }}
    steps:
      - run: npx vercel deploy --prod
        env:
          PORT: "8080"
          DEBUG_SQL: "false"
          ADMIN_EMAIL: ${{ vars.ADMIN_EMAIL }}
          REQUEST_TIMEOUT: 10s
EOF
	git add -A && git -c user.email=e@x -c user.name=e commit -qm init
}

# Django on Render, Heroku or Fly.
make_django() {
	mkdir -p "$1" && cd "$1" || return 1
	git init -q .
	mkdir -p shop
	cat > shop/settings.py <<'EOF'
import os
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = os.environ.get("DJANGO_DEBUG", "False") == "True"
DATABASE_URL = os.environ.get("DATABASE_URL")
ALLOWED_HOSTS = os.getenv("ALLOWED_HOSTS", "").split(",")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER")
CELERY_CONCURRENCY = int(os.environ.get("CELERY_CONCURRENCY", "2"))
SENTRY_DSN = os.environ.get("SENTRY_DSN")
EOF
	printf 'DJANGO_SECRET_KEY=\nDJANGO_DEBUG=\nDATABASE_URL=\nALLOWED_HOSTS=\nEMAIL_HOST_USER=\nCELERY_CONCURRENCY=\nSENTRY_DSN=\n' > .env.example
	{
		printf 'DJANGO_SECRET_KEY=%s\n' "$(printf 'dev-only-')not-a-real-key-4f9a"
		printf 'DJANGO_DEBUG=True\nDATABASE_URL=postgres://shop:%s@localhost/shop\n' "$(printf 'devpw')"
		printf 'ALLOWED_HOSTS=localhost\nEMAIL_HOST_USER=dev@example.com\nCELERY_CONCURRENCY=2\nSENTRY_DSN=\n'
	} > .env
	printf '.env\n' > .gitignore
	cat > render.yaml <<'EOF'
services:
  - type: web
    name: shop
    runtime: python
    buildCommand: pip install -r requirements.txt
    envVars:
      - key: DJANGO_DEBUG
        value: "False"
      - key: ALLOWED_HOSTS
        value: shop.onrender.com
      - key: DJANGO_SECRET_KEY
        generateValue: true
      - key: DATABASE_URL
        fromDatabase: { name: shop-db, property: connectionString }
      - key: SENTRY_DSN
        sync: false
      - key: CELERY_CONCURRENCY
        value: "4"
databases:
  - name: shop-db
EOF
	cat > app.json <<'EOF'
{
  "name": "shop",
  "stack": "heroku-22",
  "env": {
    "DJANGO_SECRET_KEY": { "description": "Django signing key", "generator": "secret" },
    "DJANGO_DEBUG": "False",
    "SENTRY_DSN": { "description": "error reporting", "required": true },
    "EMAIL_HOST_USER": { "value": "shop@example.com", "required": false }
  },
  "addons": ["heroku-postgresql"]
}
EOF
	cat > fly.toml <<'EOF'
# fly.toml app configuration file
app = "shop"
primary_region = "fra"

[build]
  dockerfile = "Dockerfile"

[env]
  DJANGO_DEBUG = "False"
  ALLOWED_HOSTS = 'shop.fly.dev'
  CELERY_CONCURRENCY = 4

[[services]]
  internal_port = 8000
  protocol = "tcp"
  [[services.ports]]
    port = 443
    handlers = ["tls", "http"]
EOF
	git add -A && git -c user.email=e@x -c user.name=e commit -qm init
}

# A service run with docker compose, with Kubernetes manifests for production.
make_compose() {
	mkdir -p "$1" && cd "$1" || return 1
	git init -q .
	mkdir -p cmd/api k8s
	cat > cmd/api/main.go <<'EOF'
package main

import "os"

func main() {
	_ = os.Getenv("REDIS_URL")
	_ = os.Getenv("API_TOKEN")
	_ = os.Getenv("LISTEN_PORT")
	_ = os.Getenv("WORKERS")
	_ = os.Getenv("FEATURE_CACHE")
	_ = os.Getenv("STORAGE_BACKEND")
}
EOF
	printf 'REDIS_URL=\nAPI_TOKEN=\nLISTEN_PORT=\nWORKERS=\nFEATURE_CACHE=\nSTORAGE_BACKEND=\n' > .env.example
	printf 'API_TOKEN=%s\nSTORAGE_BACKEND=local\n' "$(printf 'dev-')token-1234abcd" > .env
	printf '.env\n' > .gitignore
	cat > docker-compose.yml <<'EOF'
x-common: &common
  restart: unless-stopped
  environment: &common-env
    WORKERS: "2"
services:
  api:
    <<: *common
    build: .
    environment:
      <<: *common-env
      REDIS_URL: redis://redis:6379/0
      LISTEN_PORT: 8080
      FEATURE_CACHE: "on"
      API_TOKEN:
    env_file: .env
  worker:
    <<: *common
    build: .
    environment:
      - REDIS_URL=redis://redis:6379/1
      - STORAGE_BACKEND=s3
      - API_TOKEN
  redis:
    image: redis:7
EOF
	cat > k8s/deployment.yaml <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: api-config
data:
  LISTEN_PORT: "8080"
  STORAGE_BACKEND: s3
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: api
          image: api:1
          envFrom:
            - configMapRef: { name: api-config }
          env:
            - name: WORKERS
              value: "8"
            - name: FEATURE_CACHE
              value: "off"
            - name: REDIS_URL
              value: redis://redis.prod:6379/0
            - name: API_TOKEN
              valueFrom:
                secretKeyRef: { name: api-secrets, key: token }
            - name: POD_NAME
              valueFrom:
                fieldRef: { fieldPath: metadata.name }
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: cleanup
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: cleanup
              image: api:1
              env:
                - name: WORKERS
                  value: "1"
EOF
	git add -A && git -c user.email=e@x -c user.name=e commit -qm init
}
