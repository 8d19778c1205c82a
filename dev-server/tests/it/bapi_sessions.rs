//! The Backend API's sessions: list, get, tokens (checked against the JWKS), revoke (the browser
//! then sees the session gone); unknown Backend API paths.

use serde_json::json;

use crate::bapi_users::bapi;
use crate::common::*;

#[tokio::test]
async fn sessions_list_get_tokens_and_revoke() {
    let state = state();
    let b = Browser::new(&state).await;
    let sid = b.sign_in(ADA, PASSWORD).await;
    b.post(
        &format!("/v1/client/sessions/{sid}/touch"),
        &[("active_organization_id", "org_acme")],
    )
    .await
    .ok();

    let list = bapi(&state, "GET", "/v1/sessions?user_id=user_ada", None)
        .await
        .ok();
    assert_eq!(list[0]["id"], sid.as_str());
    assert_eq!(list[0]["object"], "session");
    assert_eq!(list[0]["status"], "active");
    assert_eq!(list[0]["last_active_organization_id"], "org_acme");
    let client_id = list[0]["client_id"].as_str().unwrap().to_owned();
    let by_client = bapi(
        &state,
        "GET",
        &format!("/v1/sessions?client_id={client_id}&paginated=true"),
        None,
    )
    .await
    .ok();
    assert_eq!(by_client["total_count"], 1);
    let ended = bapi(
        &state,
        "GET",
        "/v1/sessions?user_id=user_ada&status=ended",
        None,
    )
    .await
    .ok();
    assert_eq!(ended, json!([]));
    bapi(&state, "GET", "/v1/sessions", None)
        .await
        .err(422, "form_param_missing");
    bapi(
        &state,
        "GET",
        "/v1/sessions?user_id=user_ada&status=sleeping",
        None,
    )
    .await
    .err(422, "form_param_value_invalid");
    let one = bapi(&state, "GET", &format!("/v1/sessions/{sid}"), None)
        .await
        .ok();
    assert_eq!(one["user_id"], "user_ada");
    bapi(&state, "GET", "/v1/sessions/sess_nope", None)
        .await
        .err(404, "resource_not_found");

    // a session token: the session's organization, the lifetime asked for, verified by the JWKS
    let t = bapi(
        &state,
        "POST",
        &format!("/v1/sessions/{sid}/tokens"),
        Some(json!({"expires_in_seconds": 600})),
    )
    .await
    .ok();
    assert_eq!(t["object"], "token");
    let c = verify_with_jwks(&state, t["jwt"].as_str().unwrap()).await;
    assert_eq!(c["sid"], sid.as_str());
    assert_eq!(c["o"]["id"], "org_acme");
    assert_eq!(c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(), 600);
    assert!(c.get("azp").is_none());
    bapi(
        &state,
        "POST",
        &format!("/v1/sessions/{sid}/tokens"),
        Some(json!({"expires_in_seconds": 5})),
    )
    .await
    .err(422, "form_param_format_invalid");
    let tt = bapi(
        &state,
        "POST",
        &format!("/v1/sessions/{sid}/tokens/example"),
        Some(json!({"expires_in_seconds": 90})),
    )
    .await
    .ok();
    let c = claims(tt["jwt"].as_str().unwrap());
    assert_eq!(c["email"], ADA);
    assert_eq!(c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(), 90);
    bapi(
        &state,
        "POST",
        &format!("/v1/sessions/{sid}/tokens/nope"),
        None,
    )
    .await
    .err(404, "resource_not_found");
    bapi(&state, "POST", "/v1/sessions/sess_nope/tokens", None)
        .await
        .err(404, "resource_not_found");

    // revoke: FAPI no longer lists it, tokens stop
    let r = bapi(&state, "POST", &format!("/v1/sessions/{sid}/revoke"), None)
        .await
        .ok();
    assert_eq!(r["status"], "revoked");
    let client = b.get("/v1/client").await.ok();
    assert_eq!(client["response"]["sessions"], json!([]));
    b.post(&format!("/v1/client/sessions/{sid}/tokens"), &[])
        .await
        .err(401, "signed_out");
    bapi(&state, "POST", &format!("/v1/sessions/{sid}/tokens"), None)
        .await
        .err(404, "resource_not_found");
    let again = bapi(&state, "POST", &format!("/v1/sessions/{sid}/revoke"), None)
        .await
        .ok();
    assert_eq!(again["status"], "revoked");
    let revoked = bapi(
        &state,
        "GET",
        "/v1/sessions?user_id=user_ada&status=revoked",
        None,
    )
    .await
    .ok();
    assert_eq!(revoked[0]["id"], sid.as_str());
}

#[tokio::test]
async fn unknown_backend_api_paths_are_404s_in_the_envelope() {
    let state = state();
    for path in [
        "/v1/nope",
        "/v1/users/user_ada/nope",
        "/v1/client",
        "/v2/users",
    ] {
        bapi(&state, "GET", path, None)
            .await
            .err(404, "resource_not_found");
    }
    bapi(&state, "PUT", "/v1/users", None)
        .await
        .err(405, "request_method_not_allowed");
    // without the key an unknown path stays FAPI's 404
    bapi_get(&state, "/v1/nope", None)
        .await
        .err(404, "resource_not_found");
}
