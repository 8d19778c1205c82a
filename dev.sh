#!/usr/bin/env bash
# Runs the example app against the local dev server:
#   clerk-dev-server on http://127.0.0.1:4010 (seed dev-server/seed.toml, database .clerk-dev/dev.db)
#   trunk serve of the example on http://127.0.0.1:8080, which proxies /v1/ to the dev server (same origin)
# Ctrl-C stops both. Installs what it needs first (scripts/setup.sh): quick when everything is there.
#
# Environment: CLERK_DEV_SEED, CLERK_DEV_DB, EXAMPLE (examples/app, else examples/minimal). The port is 4010 because
# the examples' Trunk.toml proxies /v1/ there. With CLERK_PUBLISHABLE_KEY set (a real Clerk instance), no dev
# server is started and the app talks to that instance.
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck source=scripts/setup.sh
source scripts/setup.sh

PORT=4010
SEED=${CLERK_DEV_SEED:-dev-server/seed.toml}
DB=${CLERK_DEV_DB:-.clerk-dev/dev.db}
if [ -z "${EXAMPLE:-}" ]; then
  if [ -f examples/app/Trunk.toml ]; then EXAMPLE=examples/app; else EXAMPLE=examples/minimal; fi
fi

say "setup"
setup_tools

DEV_PID=""
cleanup() {
  if [ -n "$DEV_PID" ]; then
    kill "$DEV_PID" 2>/dev/null || true
    wait "$DEV_PID" 2>/dev/null || true
    DEV_PID=""
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -n "${CLERK_PUBLISHABLE_KEY:-}" ]; then
  say "CLERK_PUBLISHABLE_KEY is set: using that Clerk instance, no dev server"
else
  say "building clerk-dev-server"
  cargo build -p clerk-dev-server
  mkdir -p "$(dirname "$DB")"
  log=.clerk-dev/dev-server.log
  : >"$log"
  seed_args=()
  [ -f "$SEED" ] && seed_args=(--seed "$SEED")
  "$DEV_SERVER_BIN" --port "$PORT" --db "$DB" "${seed_args[@]}" > >(tee -a "$log") 2>&1 &
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

say "trunk serve $EXAMPLE on http://127.0.0.1:8080 (Ctrl-C stops)"
cd "$EXAMPLE"
trunk serve --locked
