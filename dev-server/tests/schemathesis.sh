#!/usr/bin/env bash
# Checks the dev server against the FAPI contract (shared/fapi/2026-05-12.yml): first complete
# flows (tests/spec_flows.py) whose every answer must be documented and conform, then
# schemathesis fuzzing over the browser-SDK operations: no server error, responses conform to
# their schemas, status codes and content types conform.
#
#   dev-server/tests/schemathesis.sh            # builds the server (debug), starts it, runs, stops it
#   CLERK_DEV_SERVER_BIN=path ...               # use a built binary instead
#   FAPI_SPEC=path ...                          # the spec (default: ../shared/fapi/2026-05-12.yml)
#   ST_EXAMPLES=N ...                           # examples per operation (default 30)
#
# Scratch files (venv, reports, server log) go under target/schemathesis/.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK="$ROOT/target/schemathesis"
VENV="$WORK/venv"
ST_VERSION=4.32.5
SPEC="${FAPI_SPEC:-$ROOT/../shared/fapi/2026-05-12.yml}"
SEED="$ROOT/dev-server/seed.toml"
mkdir -p "$WORK"

[ -f "$SPEC" ] || { echo "schemathesis.sh: no spec at $SPEC (set FAPI_SPEC)" >&2; exit 2; }

# 1. schemathesis in a venv (idempotent).
if [ "$("$VENV/bin/schemathesis" --version 2>/dev/null || true)" != "schemathesis, version $ST_VERSION" ]; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$ST_VERSION"
fi

# 2. the server.
BIN="${CLERK_DEV_SERVER_BIN:-}"
if [ -z "$BIN" ]; then
  (cd "$ROOT" && cargo build -q -p clerk-dev-server)
  BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/clerk-dev-server"
fi
"$BIN" --port 0 --memory --seed "$SEED" >"$WORK/server.out" 2>"$WORK/server.err" &
PID=$!
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true' EXIT
URL=""
for _ in $(seq 1 300); do
  URL=$(sed -n 's/^listening on //p' "$WORK/server.out")
  [ -n "$URL" ] && break
  kill -0 "$PID" 2>/dev/null || { cat "$WORK/server.err" >&2; exit 1; }
  sleep 0.1
done
[ -n "$URL" ] || { echo "schemathesis.sh: the server did not start" >&2; exit 1; }

# 3. Each run gets a dev browser signed in as a seeded user (schemathesis sends the token as the
#    spec's `__dev_session`), and that session's id for `{session_id}`. Run 1 leaves out the
#    operations that sign the client out, so the user/organization operations run signed in;
#    run 2 takes every operation.
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
signed_in_browser() {
  local token sid
  token=$(curl -sf -X POST "$URL/v1/dev_browser" | json "['id']")
  sid=$(curl -sf -X POST "$URL/v1/client/sign_ins?__clerk_db_jwt=$token" \
    --data-urlencode "identifier=ada+clerk_test@example.com" \
    --data-urlencode "password=correct-horse-battery-staple" \
    --data-urlencode "strategy=password" | json "['response']['created_session_id']")
  cat >"$WORK/st-$1.toml" <<TOML
[auth.openapi.DevBrowser]
api_key = "$token"

[parameters]
session_id = "$sid"
organization_id = "org_acme"
template_name = "example"
TOML
}

SAFE='getEnvironment|createDevBrowser|getClient|createSignIn|getSignIn|prepareSignInFactorOne|attemptSignInFactorOne|prepareSignInFactorTwo|attemptSignInFactorTwo|createSignUps|getSignUps|updateSignUps|prepareSignUpsVerification|attemptSignUpsVerification|getSession|touchSession|createSessionToken|createSessionTokenWithTemplate|getUser|getOrganizationMemberships|createOrganization|getHealth|getJWKS|getOrganization|patchUser|resetPassword|UpdateOrganizationMembership|removeOrganizationMember|revokePendingOrganizationInvitation|postTOTP|verifyTOTP|deleteTOTP|createBackupCodes'
ALL="$SAFE|deleteUser|putClient|postClient|deleteClientSessions|removeClientSessionsAndRetainCookie|endSession|removeSession"

cd "$WORK"   # schemathesis writes .hypothesis/ into the working directory
STATUS=0
run() {
  local name=$1 ops=$2
  signed_in_browser "$name"
  echo "== schemathesis run $name"
  "$VENV/bin/schemathesis" --config-file "$WORK/st-$name.toml" run "$SPEC" \
    --url "$URL" \
    --include-operation-id-regex "^($ops)\$" \
    --phases examples,coverage,fuzzing \
    --mode positive \
    --max-examples "${ST_EXAMPLES:-30}" \
    --seed 1 \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    -H 'Origin: http://localhost:3000' \
    --generation-database none \
    --report junit --report-dir "$WORK/report-$name" \
    --no-color || STATUS=1
}
# Complete flows first (schemathesis may rename or lock the seeded users afterwards): every
# answer of multi-step sign-in, sign-up, session and organization flows checked against the spec.
echo "== spec_flows.py"
"$VENV/bin/python" "$ROOT/dev-server/tests/spec_flows.py" "$SPEC" "$URL" || STATUS=1
run signed-in "$SAFE"
run all "$ALL"
if grep -q "panicked" "$WORK/server.err"; then
  echo "schemathesis.sh: the server panicked (see $WORK/server.err)" >&2
  STATUS=1
fi
[ "$STATUS" = 0 ] && echo "schemathesis.sh: all runs passed"
exit $STATUS
