#!/usr/bin/env bash
# Runs the example app against the local dev server:
#   clerk-dev-server on http://127.0.0.1:4010 (seed dev-server/seed.toml, database .clerk-dev/dev.db)
#   trunk serve of the example on http://127.0.0.1:8080, which proxies /v1/ to the dev server (same origin)
# Ctrl-C stops both. Installs what it needs first (scripts/setup.sh): quick when everything is there.
#
# API=1 ./dev.sh runs examples/app with its own server instead of trunk serve:
#   clerk-dev-server on :4010, sending its webhooks to http://127.0.0.1:3000/api/webhooks/clerk
#   examples/api on http://127.0.0.1:3000: the app built into target/dev-dist/app (rebuilt by `trunk watch` on
#     changes; reload the page),
#     /v1/ proxied to the dev server, and /api/* (/api/me, /api/admin/users, /api/synced-users, the webhooks;
#     synced users in .clerk-dev/synced-users.sqlite3, keys and webhook secret read from the dev server)
#
# EXAMPLE=examples/ssr ./dev.sh runs the SSR example (cargo-leptos, Leptos SSR + hydration on axum):
#   clerk-dev-server on :4010, sending its webhooks to http://127.0.0.1:3000/api/webhooks/clerk
#   `cargo leptos watch` of examples/ssr on http://127.0.0.1:3000 (rebuilds and reloads the page on changes), /v1/
#     proxied to the dev server, keys read from it; synced users in .clerk-dev/ssr-synced-users.sqlite3
#
# Environment: CLERK_DEV_SEED, CLERK_DEV_DB, EXAMPLE (examples/app, else examples/minimal), API, API_PORT (3000),
# SYNCED_USERS_DB. The port is 4010 because the examples' Trunk.toml proxies /v1/ there. With CLERK_PUBLISHABLE_KEY
# set (a real Clerk instance), no dev server is started and the app talks to that instance.
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck source=scripts/setup.sh
source scripts/setup.sh

PORT=4010
SEED=${CLERK_DEV_SEED:-dev-server/seed.toml}
DB=${CLERK_DEV_DB:-.clerk-dev/dev.db}
API=${API:-}
API_PORT=${API_PORT:-3000}
if [ -z "${EXAMPLE:-}" ]; then
  if [ -f examples/app/Trunk.toml ]; then EXAMPLE=examples/app; else EXAMPLE=examples/minimal; fi
fi

say "setup"
setup_tools

DEV_PID=""
API_PID=""
cleanup() {
  if [ -n "$API_PID" ]; then
    kill "$API_PID" 2>/dev/null || true
    wait "$API_PID" 2>/dev/null || true
    API_PID=""
  fi
  if [ -n "$DEV_PID" ]; then
    kill "$DEV_PID" 2>/dev/null || true
    wait "$DEV_PID" 2>/dev/null || true
    DEV_PID=""
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

SSR=""
[ "$EXAMPLE" = examples/ssr ] && SSR=1
if [ -n "$API" ]; then
  if [ "$EXAMPLE" != examples/app ]; then echo "error: API=1 serves examples/app only" >&2; exit 2; fi
  # Built first, so that examples/api listens soon after the dev server (whose first webhooks, a new
  # database's seed, are retried for 15 s). Its own dist/ (debug): the release dist/ of ./test.sh trunk stays.
  # The app reads the key from the page (examples/api adds it), so this build suits both instances.
  dist="$TARGET_DIR/dev-dist/app"
  say "trunk build examples/app into $dist"
  (cd examples/app && trunk build --locked --dist "$dist")
fi

if [ -n "${CLERK_PUBLISHABLE_KEY:-}" ]; then
  say "CLERK_PUBLISHABLE_KEY is set: using that Clerk instance, no dev server"
else
  webhook_args=()
  if [ -n "$API" ]; then
    say "building clerk-dev-server and examples/api"
    cargo build -p clerk-dev-server -p leptos-clerk-example-api
    webhook_args=(--webhook "http://127.0.0.1:$API_PORT/api/webhooks/clerk")
  elif [ -n "$SSR" ]; then
    say "building clerk-dev-server"
    cargo build -p clerk-dev-server
    webhook_args=(--webhook "http://127.0.0.1:3000/api/webhooks/clerk")
  else
    say "building clerk-dev-server"
    cargo build -p clerk-dev-server
  fi
  mkdir -p "$(dirname "$DB")" .clerk-dev
  log=.clerk-dev/dev-server.log
  : >"$log"
  seed_args=()
  [ -f "$SEED" ] && seed_args=(--seed "$SEED")
  "$DEV_SERVER_BIN" --port "$PORT" --db "$DB" "${seed_args[@]}" "${webhook_args[@]}" > >(tee -a "$log") 2>&1 &
  DEV_PID=$!
  for ((i = 0; i < 300; i++)); do
    grep -q '^listening on ' "$log" && break
    kill -0 "$DEV_PID" 2>/dev/null || break
    sleep 0.1
  done
  if grep -q '^listening on ' "$log"; then
    key=$(sed -n 's/^publishable key: //p' "$log" | head -n1)
    # The app reads these at build time; the proxy makes the dev server same-origin.
    export CLERK_PUBLISHABLE_KEY=$key CLERK_PROXY_URL=/
    say "dev server on http://127.0.0.1:$PORT (key $key, log $log)"
  else
    echo "error: clerk-dev-server did not start; see $log" >&2
    exit 1
  fi
fi

if [ -n "$SSR" ]; then
  say "examples/ssr on http://127.0.0.1:3000 (cargo leptos watch rebuilds and reloads on changes; Ctrl-C stops)"
  if [ -n "$DEV_PID" ]; then
    export CLERK_DEV_SERVER_URL="http://127.0.0.1:$PORT"
  else
    export CLERK_DEV_SERVER_URL=""   # a real instance: CLERK_PUBLISHABLE_KEY and CLERK_SECRET_KEY are used
  fi
  export SYNCED_USERS_DB=${SYNCED_USERS_DB:-$ROOT/.clerk-dev/ssr-synced-users.sqlite3}
  cd examples/ssr
  cargo leptos watch
  exit 0
fi

if [ -n "$API" ]; then
  if [ -z "$DEV_PID" ]; then
    cargo build -p leptos-clerk-example-api
  fi
  api_log=.clerk-dev/api.log
  mkdir -p .clerk-dev
  : >"$api_log"
  api_args=(--port "$API_PORT" --dist "$dist" --synced-db "${SYNCED_USERS_DB:-.clerk-dev/synced-users.sqlite3}")
  # with the dev server, the api server reads its keys and webhook secret from it; else from CLERK_* variables
  [ -z "$DEV_PID" ] && api_args+=(--dev-server "")
  "$TARGET_DIR/debug/leptos-clerk-example-api" "${api_args[@]}" > >(tee -a "$api_log") 2>&1 &
  API_PID=$!
  for ((i = 0; i < 300; i++)); do
    grep -q '^listening on ' "$api_log" && break
    kill -0 "$API_PID" 2>/dev/null || break
    sleep 0.1
  done
  if ! grep -q '^listening on ' "$api_log"; then
    echo "error: examples/api did not start; see $api_log" >&2
    exit 1
  fi
  say "examples/app on http://127.0.0.1:$API_PORT (examples/api; trunk watch rebuilds dist/; Ctrl-C stops)"
  cd examples/app
  trunk watch --locked --dist "$dist"
  exit 0
fi

say "trunk serve $EXAMPLE on http://127.0.0.1:8080 (Ctrl-C stops)"
cd "$EXAMPLE"
trunk serve --locked
