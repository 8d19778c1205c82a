"""Drives Backend API flows through a running clerk-dev-server (secret key as the bearer) and
validates every answer against the BAPI spec (status code documented, body conforms to the
schema of that status): users (create, list with filters, count, update, metadata merge and
replace, ban, lock, verify_password, delete), organizations (create, get by slug, update,
metadata, memberships, invitations), sessions (list, get, tokens, revoke) and application
invitations. Also checks that FAPI sees what BAPI did (a revoked session leaves the client).

Usage: python bapi_flows.py SPEC URL SECRET_KEY   (run by schemathesis.sh with its venv)
"""

import sys

import requests
import schemathesis

SPEC, URL, SK = sys.argv[1], sys.argv[2].rstrip("/"), sys.argv[3]
schema = schemathesis.openapi.from_path(SPEC)
checked = 0


def call(method, template, path=None, body=None, params=None):
    """Calls the Backend API and validates the answer against the operation `method template`."""
    global checked
    resp = requests.request(
        method,
        URL + "/v1" + (path or template),
        params=params or {},
        json=body,
        headers={"Authorization": f"Bearer {SK}"},
        timeout=30,
    )
    op = schema[template][method]
    documented = set(op.definition.raw.get("responses", {}).keys())
    if str(resp.status_code) not in documented and "default" not in documented:
        raise SystemExit(f"{method} {path or template} -> undocumented {resp.status_code} (documented: {sorted(documented)})\n{resp.text[:500]}")
    try:
        op.validate_response(resp)
    except Exception as e:  # noqa: BLE001 - report which call failed
        raise SystemExit(f"{method} {path or template} -> {resp.status_code}: {e}\n{resp.text[:2000]}")
    checked += 1
    return resp


def ok(resp):
    assert 200 <= resp.status_code < 300, f"{resp.status_code} {resp.text[:500]}"
    return resp.json()


def err(resp, status, code):
    assert resp.status_code == status, f"{resp.status_code} {resp.text[:500]}"
    assert resp.json()["errors"][0]["code"] == code, resp.text[:500]


U, UID = "/users", "/users/{user_id}"

# Users.
ok(call("GET", "/jwks"))
users = ok(call("GET", U, params={"limit": 500, "order_by": "+username"}))
names = [u["username"] for u in users if u["username"]]
assert names == sorted(names), names
assert ok(call("GET", "/users/count"))["total_count"] == len(users)
assert len(ok(call("GET", U, params={"limit": 2}))) == 2
assert ok(call("GET", U, params={"email_address": ["ada+clerk_test@example.com", "alan+clerk_test@example.com"]}))[0]["object"] == "user"
ok(call("GET", U, params={"query": "grace", "organization_id": "org_acme", "banned": "false"}))
err(call("GET", U, params={"order_by": "-height"}), 422, "form_param_value_invalid")
err(call("GET", U, params={"starting_after": "user_ada", "order_by": "username"}), 422, "form_param_value_invalid")
new = ok(call("POST", U, body={"email_address": ["bapi-flow@example.com"], "phone_number": ["+15555550155"], "username": "bapiflow",
                              "password": "bapi-flow-password-1", "first_name": "Bea", "external_id": "ext-1",
                              "public_metadata": {"plan": "free"}, "private_metadata": {"crm": 7}}))
uid = new["id"]
err(call("POST", U, body={"email_address": ["bapi-flow@example.com"], "password": "bapi-flow-password-1"}), 422, "form_identifier_exists")
err(call("POST", U, body={"email_address": ["nobody@example.com"], "password": "short"}), 422, "form_password_length_too_short")
err(call("POST", U, body={"email_address": ["nobody@example.com"]}), 422, "form_param_missing")
p = UID.replace("{user_id}", uid)
ok(call("GET", UID, p))
err(call("GET", UID, "/users/user_nope"), 404, "resource_not_found")
assert ok(call("PATCH", UID, p, {"last_name": "Flow", "username": "bapiflow2"}))["username"] == "bapiflow2"
m = ok(call("PATCH", UID + "/metadata", p + "/metadata", {"public_metadata": {"plan": None, "nested": {"a": 1}}, "unsafe_metadata": {"u": 1}}))
assert m["public_metadata"] == {"nested": {"a": 1}}, m["public_metadata"]
m = ok(call("PUT", UID + "/metadata", p + "/metadata", {"private_metadata": {}}))
assert m["private_metadata"] == {} and m["public_metadata"] == {"nested": {"a": 1}}
assert ok(call("POST", UID + "/verify_password", p + "/verify_password", {"password": "bapi-flow-password-1"}))["verified"] is True
call("POST", UID + "/verify_password", p + "/verify_password", {"password": "wrong"})
assert ok(call("POST", UID + "/ban", p + "/ban"))["banned"] is True
assert ok(call("POST", UID + "/unban", p + "/unban"))["banned"] is False
assert ok(call("POST", UID + "/lock", p + "/lock"))["locked"] is True
assert ok(call("POST", UID + "/unlock", p + "/unlock"))["locked"] is False

# Organizations.
O, OID = "/organizations", "/organizations/{organization_id}"
org = ok(call("POST", O, body={"name": "BAPI Flow", "slug": "bapi-flow", "created_by": uid, "private_metadata": {"tier": 1}}))
call("POST", O, body={"name": "Again", "slug": "bapi-flow"})
op = OID.replace("{organization_id}", org["id"])
assert ok(call("GET", OID, "/organizations/bapi-flow", params={"include_members_count": "true"}))["members_count"] == 1
ok(call("GET", O, params={"query": "flow", "user_id": [uid], "order_by": "-name"}))
ok(call("PATCH", OID, op, {"name": "BAPI Flow 2", "max_allowed_memberships": 5}))
ok(call("PATCH", OID + "/metadata", op + "/metadata", {"public_metadata": {"a": {"b": 1}}}))
ok(call("PUT", OID + "/metadata", op + "/metadata", {"private_metadata": {"z": 1}}))
M = OID + "/memberships"
ok(call("POST", M, op + "/memberships", {"user_id": "user_grace", "role": "org:member", "public_metadata": {"team": "x"}}))
call("POST", M, op + "/memberships", {"user_id": "user_grace", "role": "org:member"})
call("POST", M, op + "/memberships", {"user_id": "user_nope", "role": "org:member"})
ok(call("GET", M, op + "/memberships", params={"role": ["org:member"], "order_by": "-created_at"}))
MU = M + "/{user_id}"
ok(call("PATCH", MU, op + "/memberships/user_grace", {"role": "org:admin"}))
call("PATCH", MU, op + "/memberships/user_grace", {"role": "org:nope"})
ok(call("PATCH", MU + "/metadata", op + "/memberships/user_grace/metadata", {"private_metadata": {"k": 1}}))
ok(call("GET", "/users/{user_id}/organization_memberships", "/users/user_grace/organization_memberships"))
ok(call("DELETE", MU, op + "/memberships/user_grace"))
call("DELETE", MU, op + "/memberships/user_grace")
I = OID + "/invitations"
inv = ok(call("POST", I, op + "/invitations", {"email_address": "grace+clerk_test@example.com", "role": "org:member", "expires_in_days": 3}))
ok(call("GET", I, op + "/invitations", params={"status": "pending"}))
ok(call("GET", I + "/pending", op + "/invitations/pending"))
ok(call("GET", I + "/{invitation_id}", op + f"/invitations/{inv['id']}"))
ok(call("GET", "/users/{user_id}/organization_invitations", "/users/user_grace/organization_invitations"))
ok(call("POST", I + "/{invitation_id}/revoke", op + f"/invitations/{inv['id']}/revoke"))
call("POST", I + "/{invitation_id}/revoke", op + f"/invitations/{inv['id']}/revoke")
ok(call("DELETE", OID, op))
call("GET", OID, op)

# Sessions: the new user signs in through FAPI; BAPI sees it, mints tokens, revokes it; FAPI
# no longer lists it on the client.
t = requests.post(URL + "/v1/dev_browser", timeout=30).json()["id"]
sid = requests.post(URL + "/v1/client/sign_ins", params={"__clerk_db_jwt": t},
                    data={"identifier": "bapi-flow@example.com", "password": "bapi-flow-password-1", "strategy": "password"},
                    timeout=30).json()["response"]["created_session_id"]
S, SID = "/sessions", "/sessions/{session_id}"
sp = SID.replace("{session_id}", sid)
assert [s["id"] for s in ok(call("GET", S, params={"user_id": uid, "status": "active"}))] == [sid]
assert ok(call("GET", S, params={"user_id": uid, "paginated": "false"}))
ok(call("GET", SID, sp))
call("GET", SID, "/sessions/sess_nope")
assert ok(call("POST", SID + "/tokens", sp + "/tokens", {"expires_in_seconds": 600}))["object"] == "token"
ok(call("POST", SID + "/tokens/{template_name}", sp + "/tokens/example"))
call("POST", SID + "/tokens/{template_name}", sp + "/tokens/nope")
assert ok(call("POST", SID + "/revoke", sp + "/revoke"))["status"] == "revoked"
client = requests.get(URL + "/v1/client", params={"__clerk_db_jwt": t}, timeout=30).json()["response"]
assert client is None or client["sessions"] == [], client
call("POST", SID + "/tokens", sp + "/tokens")

# Application invitations.
inv = ok(call("POST", "/invitations", body={"email_address": "app-invite@example.com", "public_metadata": {"from": "flow"}, "expires_in_days": 7}))
call("POST", "/invitations", body={"email_address": "app-invite@example.com"})
ok(call("GET", "/invitations", params={"status": "pending", "query": "app-invite"}))
ok(call("POST", "/invitations/{invitation_id}/revoke", f"/invitations/{inv['id']}/revoke"))
call("POST", "/invitations/{invitation_id}/revoke", f"/invitations/{inv['id']}/revoke")

# Delete the user made above.
assert ok(call("DELETE", UID, p))["deleted"] is True
call("GET", UID, p)

print(f"bapi_flows.py: {checked} answers conform to the spec")
