//! Sessions: tokens and their claims, templates, touch/organization switch, end/remove,
//! single-session mode, pending sessions, expiry and inactivity.

use crate::common::*;
use base64::Engine;
use clerk_core::claims::SessionClaims;
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier;

fn verify_signature(state: &clerk_dev_server::AppState, jwt: &str) {
    let key = rsa::RsaPublicKey::from_public_key_pem(&state.signer.public_pem()).unwrap();
    let verifier = rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(key);
    let (input, sig) = jwt.rsplit_once('.').unwrap();
    let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(sig)
        .unwrap();
    let sig = rsa::pkcs1v15::Signature::try_from(sig.as_slice()).unwrap();
    verifier
        .verify(input.as_bytes(), &sig)
        .expect("valid RS256 signature");
}

#[tokio::test]
async fn session_tokens_are_rs256_with_v2_claims() {
    let state = state();
    let b = Browser::new(&state).await;
    let sid = b.sign_in(ADA, PASSWORD).await;
    let r = b
        .post(&format!("/v1/client/sessions/{sid}/tokens"), &[])
        .await
        .ok();
    assert_eq!(r.as_object().unwrap().len(), 2, "raw {{object, jwt}}: {r}");
    let jwt = r["jwt"].as_str().unwrap();
    verify_signature(&state, jwt);
    let c = SessionClaims::decode(jwt).unwrap();
    assert_eq!(c.header.alg, "RS256");
    assert_eq!(c.header.kid.as_deref(), Some(state.signer.kid()));
    assert_eq!(c.header.typ.as_deref(), Some("JWT"));
    assert_eq!(
        c.header.cat.as_deref(),
        Some("cl_B7d4PD111AAA"),
        "Clerk's session category"
    );
    assert_eq!((c.sid.as_str(), c.sub.as_str()), (sid.as_str(), "user_ada"));
    assert_eq!(c.iss, "https://clerk-dev-server.lcl.dev");
    assert_eq!(c.azp.as_deref(), Some(ORIGIN));
    assert_eq!(c.exp - c.iat, 60);
    assert_eq!(c.nbf, Some(c.iat - 10));
    assert_eq!(c.version, 2);
    assert_eq!(c.fva, Some(vec![0, -1]));
    assert_eq!(c.sts, Some(clerk_core::wire::SessionStatus::Active));
    assert!(c.org.is_none(), "no active organization yet");
    // Every mint is a new token.
    let again = b.token(&sid, &[]).await;
    assert_ne!(again["jti"], c.payload["jti"]);
}

#[tokio::test]
async fn organization_claims_follow_organization_id_and_touch() {
    let state = state();
    let b = Browser::new(&state).await;
    let sid = b.sign_in(ALAN, PASSWORD).await;
    let member = b.token(&sid, &[("organization_id", "org_acme")]).await;
    assert_eq!(member["o"]["id"], "org_acme");
    assert_eq!(member["o"]["slg"], "acme");
    assert_eq!(member["o"]["rol"], "member");
    assert_eq!(member["o"]["per"], "");
    // Not a member: 404 (the spec's codes for tokens are 401, 403, 404).
    b.post(
        &format!("/v1/client/sessions/{sid}/tokens"),
        &[("organization_id", "org_other")],
    )
    .await
    .err(404, "resource_not_found");
    // Touch with the slug switches; an absent organization_id then follows the session.
    let r = b
        .post(
            &format!("/v1/client/sessions/{sid}/touch"),
            &[("active_organization_id", "acme"), ("intent", "select_org")],
        )
        .await
        .ok();
    assert_eq!(r["response"]["last_active_organization_id"], "org_acme");
    let lat =
        SessionClaims::decode(r["response"]["last_active_token"]["jwt"].as_str().unwrap()).unwrap();
    assert_eq!(lat.org.unwrap().id, "org_acme");
    assert_eq!(b.token(&sid, &[]).await["o"]["id"], "org_acme");
    // Empty organization_id: personal account for this token only.
    assert!(b
        .token(&sid, &[("organization_id", "")])
        .await
        .get("o")
        .is_none());
    assert_eq!(b.token(&sid, &[]).await["o"]["id"], "org_acme");
    // Touch with an empty id: personal account.
    let r = b
        .post(
            &format!("/v1/client/sessions/{sid}/touch"),
            &[("active_organization_id", "")],
        )
        .await
        .ok();
    assert!(r["response"]["last_active_organization_id"].is_null());
    assert!(b.token(&sid, &[]).await.get("o").is_none());
    b.post(
        &format!("/v1/client/sessions/{sid}/touch"),
        &[("active_organization_id", "org_nope")],
    )
    .await
    .err(404, "resource_not_found");
    b.post(
        &format!("/v1/client/sessions/{sid}/touch"),
        &[("intent", "dance")],
    )
    .await
    .err(422, "form_param_value_invalid");
}

#[tokio::test]
async fn custom_role_permissions_are_encoded_per_feature() {
    let state = state();
    // grace has TOTP; complete her second factor by hand.
    let b = Browser::new(&state).await;
    let r = b
        .post(
            "/v1/client/sign_ins",
            &[
                ("identifier", GRACE),
                ("password", PASSWORD),
                ("strategy", "password"),
            ],
        )
        .await
        .ok();
    let id = r["response"]["id"].as_str().unwrap();
    let code = clerk_dev_server::crypto::totp("JBSWY3DPEHPK3PXP", state.now() / 1000).unwrap();
    let r = b
        .post(
            &format!("/v1/client/sign_ins/{id}/attempt_second_factor"),
            &[("strategy", "totp"), ("code", &code)],
        )
        .await
        .ok();
    let sid = r["response"]["created_session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = b
        .post(
            &format!("/v1/client/sessions/{sid}/tokens"),
            &[("organization_id", "org_acme")],
        )
        .await
        .ok();
    let c = SessionClaims::decode(r["jwt"].as_str().unwrap()).unwrap();
    assert_eq!(c.payload["o"]["rol"], "billing_manager");
    assert_eq!(c.payload["fea"], "o:invoices");
    let org = c.org.unwrap();
    assert_eq!(org.role.as_deref(), Some("org:billing_manager"));
    let mut perms = org.permissions.clone();
    perms.sort();
    assert_eq!(perms, ["org:invoices:manage", "org:invoices:read"]);
    // The membership in the client lists all permissions, system ones included.
    let me = b.get("/v1/me").await.ok();
    let m = &me["response"]["organization_memberships"][0];
    assert_eq!(m["role_name"], "Billing manager");
    assert!(m["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p == "org:sys_memberships:read"));
}

#[tokio::test]
async fn template_tokens_fill_shortcodes() {
    let state = state();
    let b = Browser::new(&state).await;
    let sid = b.sign_in(ADA, PASSWORD).await;
    b.post(
        &format!("/v1/client/sessions/{sid}/touch"),
        &[("active_organization_id", "org_acme")],
    )
    .await
    .ok();
    let r = b
        .post(&format!("/v1/client/sessions/{sid}/tokens/example"), &[])
        .await
        .ok();
    let jwt = r["jwt"].as_str().unwrap();
    verify_signature(&state, jwt);
    let (header, _) = clerk_core::claims::decode_jwt(jwt).unwrap();
    assert_eq!(
        header.cat.as_deref(),
        Some("cl_B7d4PD222AAA"),
        "JWT-template category"
    );
    let c = claims(jwt);
    assert_eq!(c["email"], ADA);
    assert_eq!(c["name"], "Ada Lovelace");
    assert_eq!(c["org"], "acme");
    assert_eq!(c["aud"], "example-backend");
    assert_eq!(c["sub"], "user_ada");
    assert_eq!(c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(), 120);
    b.post(&format!("/v1/client/sessions/{sid}/tokens/nope"), &[])
        .await
        .err(404, "resource_not_found");
}

#[tokio::test]
async fn end_and_remove_sign_sessions_out() {
    let state = state();
    let b = Browser::new(&state).await;
    let s1 = b.sign_in(ADA, PASSWORD).await;
    let s2 = b.sign_in(ALAN, PASSWORD).await;
    let r = b
        .post(&format!("/v1/client/sessions/{s1}/end"), &[])
        .await
        .ok();
    assert_eq!(r["response"]["status"], "ended");
    assert!(r["response"]["last_active_token"].is_null());
    let ids: Vec<&str> = r["client"]["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [s2.as_str()]);
    let r = b
        .post(&format!("/v1/client/sessions/{s2}/remove"), &[])
        .await
        .ok();
    assert_eq!(r["response"]["status"], "removed");
    assert!(r["client"]["last_active_session_id"].is_null());
    b.post(&format!("/v1/client/sessions/{s1}/tokens"), &[])
        .await
        .err(401, "signed_out");
    b.post(&format!("/v1/client/sessions/{s1}/touch"), &[])
        .await
        .err(401, "signed_out");
    b.get("/v1/me").await.err(401, "signed_out");
    // Other clients cannot see or touch the session.
    let other = Browser::new(&state).await;
    other
        .get(&format!("/v1/client/sessions/{s1}"))
        .await
        .err(401, "signed_out");
    other.call("PUT", "/v1/client", &[]).await.ok();
    other
        .get(&format!("/v1/client/sessions/{s1}"))
        .await
        .err(404, "resource_not_found");
}

#[tokio::test]
async fn single_session_mode_replaces_the_session() {
    let seed = seed_with(&[("single_session_mode = false", "single_session_mode = true")]);
    let state = state_with(&seed);
    let b = Browser::new(&state).await;
    let s1 = b.sign_in(ADA, PASSWORD).await;
    let s2 = b.sign_in(ALAN, PASSWORD).await;
    let r = b.get("/v1/client").await.ok();
    assert_eq!(r["response"]["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(r["response"]["sessions"][0]["id"], s2.as_str());
    let r = b.get(&format!("/v1/client/sessions/{s1}")).await.ok();
    assert_eq!(r["response"]["status"], "replaced");
    let env = b.get("/v1/environment").await.ok();
    assert_eq!(env["auth_config"]["single_session_mode"], true);
}

#[tokio::test]
async fn forced_organization_selection_gives_a_pending_session_with_a_task() {
    let seed = seed_with(&[(
        "creator_role = \"org:admin\"",
        "creator_role = \"org:admin\"\nforce_organization_selection = true",
    )]);
    let state = state_with(&seed);
    // A member of Acme gets Acme as active organization.
    let b = Browser::new(&state).await;
    let sid = b.sign_in(ALAN, PASSWORD).await;
    let r = b.get(&format!("/v1/client/sessions/{sid}")).await.ok();
    assert_eq!(r["response"]["status"], "active");
    assert_eq!(r["response"]["last_active_organization_id"], "org_acme");
    // A new user without organizations is pending until it picks one.
    let c = Browser::new(&state).await;
    let r = c
        .post(
            "/v1/client/sign_ups",
            &[
                ("email_address", "solo+clerk_test@example.com"),
                ("password", "solo-password-11"),
            ],
        )
        .await
        .ok();
    let id = r["response"]["id"].as_str().unwrap().to_owned();
    let r = c
        .prepare_and_attempt(
            &format!("/v1/client/sign_ups/{id}"),
            "verification",
            "email_code",
        )
        .await;
    let sid = r["response"]["created_session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let s = &r["client"]["sessions"][0];
    assert_eq!(s["status"], "pending");
    assert_eq!(
        s["tasks"],
        serde_json::json!([{"key": "choose-organization"}])
    );
    assert_eq!(c.token(&sid, &[]).await["sts"], "pending");
    c.post(
        &format!("/v1/client/sessions/{sid}/touch"),
        &[("active_organization_id", "")],
    )
    .await
    .err(422, "form_param_value_invalid");
    let r = c
        .post("/v1/organizations", &[("name", "Solo Inc")])
        .await
        .ok();
    let org = r["response"]["id"].as_str().unwrap().to_owned();
    let r = c
        .post(
            &format!("/v1/client/sessions/{sid}/touch"),
            &[("active_organization_id", &org)],
        )
        .await
        .ok();
    assert_eq!(r["response"]["status"], "active");
    assert!(r["response"].get("tasks").is_none());
    assert_eq!(c.token(&sid, &[]).await["sts"], "active");
}

#[tokio::test]
async fn sessions_expire_and_inactive_ones_are_abandoned() {
    let seed = seed_with(&[("token_lifetime_seconds = 60", "token_lifetime_seconds = 60\ninactivity_timeout_seconds = 600\nsession_lifetime_seconds = 3600")]);
    let state = state_with(&seed);
    let b = Browser::new(&state).await;
    let sid = b.sign_in(ADA, PASSWORD).await;
    state.advance_clock(500_000);
    b.post(&format!("/v1/client/sessions/{sid}/touch"), &[])
        .await
        .ok();
    state.advance_clock(500_000);
    let r = b.get(&format!("/v1/client/sessions/{sid}")).await.ok();
    assert_eq!(r["response"]["status"], "active", "touched 500 s ago");
    state.advance_clock(200_000);
    let r = b.get(&format!("/v1/client/sessions/{sid}")).await.ok();
    assert_eq!(r["response"]["status"], "abandoned");
    b.post(&format!("/v1/client/sessions/{sid}/tokens"), &[])
        .await
        .err(401, "signed_out");

    // Minting tokens counts as activity too.
    let sid = b.sign_in(ADA, PASSWORD).await;
    for _ in 0..3 {
        state.advance_clock(500_000);
        b.token(&sid, &[]).await;
    }

    let sid = b.sign_in(ADA, PASSWORD).await;
    for _ in 0..6 {
        state.advance_clock(550_000);
        b.post(&format!("/v1/client/sessions/{sid}/touch"), &[])
            .await
            .ok();
    }
    state.advance_clock(400_000); // past the one-hour lifetime despite the activity
    let r = b.get(&format!("/v1/client/sessions/{sid}")).await.ok();
    assert_eq!(r["response"]["status"], "expired");
    assert_eq!(
        b.get("/v1/client").await.ok()["response"]["sessions"],
        serde_json::json!([])
    );
}

#[tokio::test]
async fn a_same_origin_get_takes_azp_from_the_referer() {
    let state = state();
    let b = Browser::new(&state).await;
    b.sign_in(ADA, PASSWORD).await;
    // a same-origin GET through a proxy carries no Origin header, only a Referer
    let req = axum::http::Request::get(format!("/v1/client?__clerk_db_jwt={}", b.token))
        .header("referer", "http://localhost:8080/client?x=1")
        .body(axum::body::Body::empty())
        .unwrap();
    let r = send(&state, req).await.ok();
    let jwt = r["response"]["sessions"][0]["last_active_token"]["jwt"]
        .as_str()
        .expect("the session's token");
    assert_eq!(claims(jwt)["azp"], "http://localhost:8080");
}
