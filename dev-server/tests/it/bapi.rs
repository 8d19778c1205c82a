//! The Backend API: the secret key, its errors (Clerk's codes), `/v1/jwks`, and the instance
//! description of `/v1/__dev/instance`.

use crate::common::*;
use clerk_core::key::PublishableKey;

#[tokio::test]
async fn the_secret_key_and_both_instances_are_described() {
    let state = state();
    let key = state.secret_key.clone();
    let tail = key.strip_prefix("sk_test_").expect("sk_test_ prefix");
    assert_eq!(tail.len(), 40);
    assert!(tail.bytes().all(|b| b.is_ascii_alphanumeric()), "{key}");
    assert_ne!(key, crate::common::state().secret_key, "random per server");

    let inst = send(
        &state,
        axum::http::Request::get("/v1/__dev/instance")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .ok();
    assert_eq!(inst["secret_key"], key);
    assert_eq!(inst["publishable_key"], state.publishable_key);
    assert_eq!(inst["issuer"], "https://clerk-dev-server.lcl.dev");
    assert!(inst["backend_api_url"].is_null(), "unset in-process");
    assert!(inst["public_key_pem"]
        .as_str()
        .unwrap()
        .contains("PUBLIC KEY"));
    let live = PublishableKey::parse(inst["production_publishable_key"].as_str().unwrap()).unwrap();
    assert!(!live.is_development() && !live.is_dev_browser_host());
    assert_eq!(live.frontend_api(), "clerk.dev-server.localhost");
    assert_eq!(
        inst["production_issuer"],
        "https://clerk.dev-server.localhost"
    );
}

#[tokio::test]
async fn backend_api_routes_need_the_secret_key() {
    let state = state();
    for path in ["/v1/jwks", "/v1/clients/handshake_payload?nonce=x"] {
        // No header, or not a bearer: Clerk's `authorization_header_format_invalid`.
        bapi_get(&state, path, None)
            .await
            .err(401, "authorization_header_format_invalid");
        let r = send(
            &state,
            axum::http::Request::get(path)
                .header("authorization", format!("Basic {}", state.secret_key))
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
        r.err(401, "authorization_header_format_invalid");
        // A bearer that is not the key, whatever its shape: `clerk_key_invalid` (what
        // @clerk/backend turns into `secret-key-invalid`).
        let wrong_same_length = format!("sk_test_{}", "A".repeat(40));
        let b = Browser::new(&state).await;
        for wrong in [
            wrong_same_length.as_str(),
            "sk_test_clerk_dev_server",
            "sk_live_nope",
            "garbage",
            b.token.as_str(),
            &state.publishable_key,
        ] {
            let r = bapi_get(&state, path, Some(wrong))
                .await
                .err(401, "clerk_key_invalid");
            assert_eq!(
                r.json["errors"][0]["message"],
                "The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct."
            );
        }
    }
    // The right key.
    let jwks = bapi_get(&state, "/v1/jwks", Some(&state.secret_key))
        .await
        .ok();
    let public = send(
        &state,
        axum::http::Request::get("/.well-known/jwks.json")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .ok();
    assert_eq!(jwks, public, "the same JWKS as FAPI's public one");
    assert_eq!(jwks["keys"][0]["kid"], state.signer.kid());
    // Lower-case scheme, as HTTP allows.
    let r = send(
        &state,
        axum::http::Request::get("/v1/jwks")
            .header("authorization", format!("bearer {}", state.secret_key))
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    r.ok();
    // A wrong method is still Clerk's 405 envelope.
    let r = send(
        &state,
        axum::http::Request::post("/v1/jwks")
            .header("authorization", format!("Bearer {}", state.secret_key))
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    r.err(405, "request_method_not_allowed");
}

#[tokio::test]
async fn handshake_payload_needs_a_nonce() {
    let state = state();
    bapi_get(
        &state,
        "/v1/clients/handshake_payload",
        Some(&state.secret_key),
    )
    .await
    .err(422, "form_param_missing");
    bapi_get(
        &state,
        "/v1/clients/handshake_payload?nonce=unknown",
        Some(&state.secret_key),
    )
    .await
    .err(404, "resource_not_found");
}
