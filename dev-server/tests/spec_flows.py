"""Drives complete flows through a running clerk-dev-server and validates every answer against
the FAPI spec (status code documented, body conforms to the schema of that status).

schemathesis's fuzzing mostly hits unknown ids; this covers the 200 answers of multi-step flows
(sign-in with password, email code, TOTP and backup codes, reset password; sign-up with an email
code; sessions, tokens, /me, organizations).

Usage: python spec_flows.py SPEC URL   (run by schemathesis.sh with its venv)
"""

import base64
import hashlib
import hmac
import struct
import sys
import time

import requests
import schemathesis

SPEC, URL = sys.argv[1], sys.argv[2].rstrip("/")
schema = schemathesis.openapi.from_path(SPEC)
ORIGIN = "http://localhost:3000"
checked = 0


def call(method, template, path=None, token=None, data=None, params=None):
    """Calls the server and validates the answer against the operation `method template`."""
    global checked
    query = dict(params or {})
    if token:
        query["__dev_session"] = token
    resp = requests.request(
        method,
        URL + (path or template),
        params=query,
        data=data or {},
        headers={"Origin": ORIGIN},
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


def totp(secret_b32, at=None):
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    counter = int((at or time.time()) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[19] & 0x0F
    code = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{code % 1_000_000:06d}"


def dev_browser():
    return requests.post(URL + "/v1/dev_browser", timeout=30).json()["id"]


SI = "/v1/client/sign_ins/{sign_in_id}"
SU = "/v1/client/sign_ups/{sign_up_id}"
SE = "/v1/client/sessions/{session_id}"

# Boot.
t = dev_browser()
call("GET", "/v1/environment", token=t)
call("PATCH", "/v1/environment", token=t)
call("GET", "/v1/client", token=t)
call("PUT", "/v1/client", token=t)
call("POST", "/v1/client", token=t)
call("GET", "/v1/health", token=t)
call("GET", "/.well-known/jwks.json")

# Password sign-in, two steps, with wrong and right passwords.
si = ok(call("POST", "/v1/client/sign_ins", data={"identifier": "ada"}, token=t))["response"]
assert si["status"] == "needs_first_factor"
sid_path = SI.replace("{sign_in_id}", si["id"])
call("POST", SI + "/attempt_first_factor", sid_path + "/attempt_first_factor", t, {"strategy": "password", "password": "wrong"})
call("GET", SI, sid_path, t)
r = ok(call("POST", SI + "/attempt_first_factor", sid_path + "/attempt_first_factor", t, {"strategy": "password", "password": "correct-horse-battery-staple"}))
ada_session = r["response"]["created_session_id"]

# Email-code sign-in.
si = ok(call("POST", "/v1/client/sign_ins", data={"identifier": "alan+clerk_test@example.com"}, token=t))["response"]
sid_path = SI.replace("{sign_in_id}", si["id"])
call("POST", SI + "/prepare_first_factor", sid_path + "/prepare_first_factor", t, {"strategy": "email_code"})
call("POST", SI + "/attempt_first_factor", sid_path + "/attempt_first_factor", t, {"strategy": "email_code", "code": "000000"})
ok(call("POST", SI + "/attempt_first_factor", sid_path + "/attempt_first_factor", t, {"strategy": "email_code", "code": "424242"}))

# TOTP and backup-code second factors.
for strategy, code in [("totp", None), ("backup_code", "backup-code-2")]:
    si = ok(call("POST", "/v1/client/sign_ins", data={"identifier": "grace", "password": "correct-horse-battery-staple", "strategy": "password"}, token=t))["response"]
    assert si["status"] == "needs_second_factor", si
    sid_path = SI.replace("{sign_in_id}", si["id"])
    call("POST", SI + "/attempt_second_factor", sid_path + "/attempt_second_factor", t, {"strategy": strategy, "code": "999999"})
    ok(call("POST", SI + "/attempt_second_factor", sid_path + "/attempt_second_factor", t, {"strategy": strategy, "code": code or totp("JBSWY3DPEHPK3PXP")}))

# Reset password.
t2 = dev_browser()
si = ok(call("POST", "/v1/client/sign_ins", data={"identifier": "alan", "strategy": "reset_password_email_code"}, token=t2))["response"]
sid_path = SI.replace("{sign_in_id}", si["id"])
ok(call("POST", SI + "/attempt_first_factor", sid_path + "/attempt_first_factor", t2, {"strategy": "reset_password_email_code", "code": "424242"}))
call("POST", SI + "/reset_password", sid_path + "/reset_password", t2, {"password": "short"})
ok(call("POST", SI + "/reset_password", sid_path + "/reset_password", t2, {"password": "a-brand-new-password-3"}))

# Sign-up with an email code, step by step.
t3 = dev_browser()
su = ok(call("POST", "/v1/client/sign_ups", data={"email_address": "flow+clerk_test@example.com", "first_name": "Flo"}, token=t3))["response"]
su_path = SU.replace("{sign_up_id}", su["id"])
call("POST", "/v1/client/sign_ups", data={"email_address": "ada+clerk_test@example.com"}, token=t3)
ok(call("PATCH", SU, su_path, t3, {"password": "flow-password-77", "username": "flowuser"}))
call("GET", SU, su_path, t3)
ok(call("POST", SU + "/prepare_verification", su_path + "/prepare_verification", t3, {"strategy": "email_code"}))
call("POST", SU + "/attempt_verification", su_path + "/attempt_verification", t3, {"strategy": "email_code", "code": "111111"})
r = ok(call("POST", SU + "/attempt_verification", su_path + "/attempt_verification", t3, {"strategy": "email_code", "code": "424242"}))
assert r["response"]["status"] == "complete"
flow_session = r["response"]["created_session_id"]

# Sessions, tokens, /me, organizations (as ada on the first browser).
se = SE.replace("{session_id}", ada_session)
call("GET", SE, se, t)
ok(call("POST", SE + "/touch", se + "/touch", t, {"active_organization_id": "acme", "intent": "select_org"}))
ok(call("POST", SE + "/tokens", se + "/tokens", t))
ok(call("POST", SE + "/tokens", se + "/tokens", t, {"organization_id": ""}))
call("POST", SE + "/tokens", se + "/tokens", t, {"organization_id": "org_nope"})
ok(call("POST", SE + "/tokens/{template_name}", se + "/tokens/example", t))
call("POST", SE + "/tokens/{template_name}", se + "/tokens/nope", t)
params = {"_clerk_session_id": ada_session}
ok(call("GET", "/v1/me", token=t, params=params))
ok(call("PATCH", "/v1/me", token=t, params=params, data={"first_name": "Ada"}))
ok(call("GET", "/v1/me/organization_memberships", token=t, params={**params, "paginated": "true", "limit": "5", "offset": "0"}))
ok(call("GET", "/v1/me/organization_memberships", token=t, params=params))
org = ok(call("POST", "/v1/organizations", token=t, params=params, data={"name": "Flow Org"}))["response"]
call("POST", "/v1/organizations", token=t, params=params, data={"name": "Flow Org"})
ok(call("GET", "/v1/organizations/{organization_id}", f"/v1/organizations/{org['id']}", t, params=params))
ok(call("POST", SE + "/touch", se + "/touch", t, {"active_organization_id": ""}))

# Members and invitations of acme, as its admin ada: a role change, the last-manager guard,
# removing a member, revoking an invitation (twice: the second is refused).
M = "/v1/organizations/{organization_id}/memberships/{user_id}"
alan = "/v1/organizations/org_acme/memberships/user_alan"
ok(call("PATCH", M, alan, t, params=params, data={"role": "org:billing_manager"}))
call("PATCH", M, alan, t, params=params, data={"role": "org:nope"})
call("PATCH", M, "/v1/organizations/org_acme/memberships/user_ada", t, params=params, data={"role": "org:member"})
call("DELETE", M, "/v1/organizations/org_acme/memberships/user_nobody", t, params=params)
ok(call("DELETE", M, alan, t, params=params))
INV = "/v1/organizations/{organization_id}/invitations"
inv = ok(call("POST", INV, "/v1/organizations/org_acme/invitations", t, params=params,
              data={"email_address": "flow-invitee@example.com", "role": "org:member"}))["response"]
revoke = f"/v1/organizations/org_acme/invitations/{inv['id']}/revoke"
ok(call("POST", INV + "/{invitation_id}/revoke", revoke, t, params=params))
call("POST", INV + "/{invitation_id}/revoke", revoke, t, params=params)

# Two-step verification, as ada: an authenticator app (a wrong code, then the right one),
# backup codes, removal; then backup codes are refused (no second factor left).
r = ok(call("POST", "/v1/me/totp", token=t, params=params))["response"]
call("POST", "/v1/me/totp/attempt_verification", token=t, params=params, data={"code": "000000"})
ok(call("POST", "/v1/me/totp/attempt_verification", token=t, params=params, data={"code": totp(r["secret"])}))
ok(call("POST", "/v1/me/backup_codes", token=t, params=params))
ok(call("DELETE", "/v1/me/totp", token=t, params=params))
call("POST", "/v1/me/backup_codes", token=t, params=params)

# Sign-out paths.
fe = SE.replace("{session_id}", flow_session)
ok(call("POST", SE + "/end", fe + "/end", t3))
ok(call("POST", SE + "/remove", fe + "/remove", t3))
ok(call("DELETE", "/v1/client/sessions", token=t))
ok(call("DELETE", "/v1/client", token=t2))
call("GET", "/v1/me", token=t)

print(f"spec_flows.py: {checked} answers conform to the spec")
