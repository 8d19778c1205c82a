#!/usr/bin/env bash
# Checks the dev server against the FAPI contract (shared/fapi/2026-05-12.yml): first complete
# flows (tests/spec_flows.py) whose every answer must be documented and conform, then
# schemathesis fuzzing over the browser-SDK operations: no server error, responses conform to
# their schemas, status codes and content types conform. Then the same for the Backend API
# (shared/bapi/2026-05-12.yml): tests/bapi_flows.py, and fuzzing of every operation the server
# serves, with the secret key as the bearer.
#
#   dev-server/tests/schemathesis.sh            # builds the server (debug), starts it, runs, stops it
#   CLERK_DEV_SERVER_BIN=path ...               # use a built binary instead
#   FAPI_SPEC=path ...                          # the spec (default: $LEPTOS_CLERK_SHARED_DIR/fapi/2026-05-12.yml)
#   BAPI_SPEC=path ...                          # the Backend API spec (default: $LEPTOS_CLERK_SHARED_DIR/bapi/2026-05-12.yml)
#   ST_EXAMPLES=N ...                           # examples per operation (default 30)
#
# Scratch files (venv, reports, server log) go under target/schemathesis/.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK="$ROOT/target/schemathesis"
VENV="$WORK/venv"
ST_VERSION=4.32.5
# Clerk's own files, not in this repository: $LEPTOS_CLERK_SHARED_DIR (default ../shared beside the checkout)
SHARED="${LEPTOS_CLERK_SHARED_DIR:-$ROOT/../shared}"
SPEC="${FAPI_SPEC:-$SHARED/fapi/2026-05-12.yml}"
BAPI_SPEC="${BAPI_SPEC:-$SHARED/bapi/2026-05-12.yml}"
SEED="$ROOT/dev-server/seed.toml"
mkdir -p "$WORK"

[ -f "$SPEC" ] || { echo "schemathesis.sh: no spec at $SPEC (set FAPI_SPEC)" >&2; exit 2; }
[ -f "$BAPI_SPEC" ] || { echo "schemathesis.sh: no spec at $BAPI_SPEC (set BAPI_SPEC)" >&2; exit 2; }

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

# 4. The Backend API. Its own flows first, then fuzzing with fixed path parameters: alan and
#    acme (which the fuzzing may rename, ban, remove from acme…), a signed-in session of a user
#    made here; throwaway records for the deleting and revoking operations.
SK=$(sed -n 's/^secret key: //p' "$WORK/server.out")
echo "== bapi_flows.py"
"$VENV/bin/python" "$ROOT/dev-server/tests/bapi_flows.py" "$BAPI_SPEC" "$URL" "$SK" || STATUS=1
bapi() { curl -sf -H "Authorization: Bearer $SK" -H 'Content-Type: application/json' "$@"; }
DOOMED_USER=$(bapi -X POST "$URL/v1/users" -d '{"username":"doomed","password":"doomed-password-1","skip_password_requirement":true,"email_address":["doomed@example.com"]}' | json "['id']")
DOOMED_ORG=$(bapi -X POST "$URL/v1/organizations" -d '{"name":"Doomed"}' | json "['id']")
INVITATION=$(bapi -X POST "$URL/v1/invitations" -d '{"email_address":"invited@example.com"}' | json "['id']")
ORG_INVITATION=$(bapi -X POST "$URL/v1/organizations/org_acme/invitations" -d '{"email_address":"org-invited@example.com","role":"org:member"}' | json "['id']")
bapi -X POST "$URL/v1/users" -d '{"email_address":["fuzzed-session@example.com"],"password":"fuzzed-session-password-1"}' >/dev/null
SESSION_BROWSER=$(curl -sf -X POST "$URL/v1/dev_browser" | json "['id']")
SESSION=$(curl -sf -X POST "$URL/v1/client/sign_ins?__clerk_db_jwt=$SESSION_BROWSER" \
  --data-urlencode "identifier=fuzzed-session@example.com" --data-urlencode "password=fuzzed-session-password-1" \
  --data-urlencode "strategy=password" | json "['response']['created_session_id']")
cat >"$WORK/st-bapi.toml" <<TOML
[parameters]
user_id = "user_alan"
organization_id = "org_acme"
session_id = "$SESSION"
template_name = "example"
invitation_id = "$ORG_INVITATION"

[[operations]]
include-operation-id = "DeleteUser"
parameters = { user_id = "$DOOMED_USER" }

[[operations]]
include-operation-id = "DeleteOrganization"
parameters = { organization_id = "$DOOMED_ORG" }

[[operations]]
include-operation-id = "RevokeInvitation"
parameters = { invitation_id = "$INVITATION" }

# With paginated=true these answer {data, total_count} (what @clerk/backend asks for and reads);
# the spec documents only the bare array.
[[operations]]
include-operation-id = "GetSessionList"
parameters = { paginated = false }

[[operations]]
include-operation-id = "ListInvitations"
parameters = { paginated = false }
TOML
BAPI_OPS='GetJWKS|GetSessionList|GetSession|RevokeSession|CreateSessionToken|CreateSessionTokenFromTemplate|GetUserList|CreateUser|GetUsersCount|GetUser|UpdateUser|DeleteUser|BanUser|UnbanUser|LockUser|UnlockUser|UpdateUserMetadata|ReplaceUserMetadata|UsersGetOrganizationMemberships|UsersGetOrganizationInvitations|VerifyPassword|CreateInvitation|ListInvitations|RevokeInvitation|ListOrganizations|CreateOrganization|GetOrganization|UpdateOrganization|DeleteOrganization|MergeOrganizationMetadata|ReplaceOrganizationMetadata|CreateOrganizationInvitation|ListOrganizationInvitations|ListPendingOrganizationInvitations|GetOrganizationInvitation|RevokeOrganizationInvitation|CreateOrganizationMembership|ListOrganizationMemberships|UpdateOrganizationMembership|DeleteOrganizationMembership|UpdateOrganizationMembershipMetadata'
echo "== schemathesis run bapi"
"$VENV/bin/schemathesis" --config-file "$WORK/st-bapi.toml" run "$BAPI_SPEC" \
  --url "$URL/v1" \
  --include-operation-id-regex "^($BAPI_OPS)\$" \
  --phases examples,coverage,fuzzing \
  --mode positive \
  --max-examples "${ST_EXAMPLES:-30}" \
  --seed 1 \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  -H "Authorization: Bearer $SK" \
  --generation-database none \
  --report junit --report-dir "$WORK/report-bapi" \
  --no-color || STATUS=1
if grep -q "panicked" "$WORK/server.err"; then
  echo "schemathesis.sh: the server panicked (see $WORK/server.err)" >&2
  STATUS=1
fi
[ "$STATUS" = 0 ] && echo "schemathesis.sh: all runs passed"
exit $STATUS
