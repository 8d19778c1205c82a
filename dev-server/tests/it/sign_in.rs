//! Sign-in flows: password, email/phone codes, reset password, second factors, lockout.

use crate::common::*;

#[tokio::test]
async fn password_in_one_call_creates_an_active_session() {
    let state = state();
    let b = Browser::new(&state).await;
    let r = b
        .post(
            "/v1/client/sign_ins",
            &[
                ("identifier", ADA),
                ("password", PASSWORD),
                ("strategy", "password"),
            ],
        )
        .await
        .ok();
    let si = &r["response"];
    assert_eq!(si["object"], "sign_in_attempt");
    assert_eq!(si["status"], "complete");
    assert_eq!(si["identifier"], ADA);
    assert_eq!(si["user_data"]["first_name"], "Ada");
    let sid = si["created_session_id"].as_str().unwrap();
    let session = &r["client"]["sessions"][0];
    assert_eq!(session["id"], sid);
    assert_eq!(session["status"], "active");
    assert_eq!(session["user"]["username"], "ada");
    assert_eq!(
        session["user"]["organization_memberships"][0]["organization"]["slug"],
        "acme"
    );
    assert_eq!(
        session["user"]["organization_memberships"][0]["role"],
        "org:admin"
    );
    assert!(session["last_active_token"]["jwt"].is_string());
    assert_eq!(r["client"]["last_active_session_id"], sid);
    assert_eq!(r["client"]["last_authentication_strategy"], "password");
    // It decodes as the library's Client.
    let client: clerk_core::wire::Client = serde_json::from_value(r["client"].clone()).unwrap();
    assert_eq!(client.initial_session().unwrap().id, sid);
}

#[tokio::test]
async fn identifier_then_password_and_username_identifies_too() {
    let state = state();
    let b = Browser::new(&state).await;
    let r = b
        .post("/v1/client/sign_ins", &[("identifier", "ADA")])
        .await
        .ok();
    let si = &r["response"];
    assert_eq!(si["status"], "needs_first_factor");
    let factors: Vec<&str> = si["supported_first_factors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["strategy"].as_str().unwrap())
        .collect();
    assert_eq!(
        factors,
        ["password", "email_code", "reset_password_email_code"]
    );
    assert_eq!(
        si["supported_first_factors"][1]["safe_identifier"],
        "a***@example.com"
    );
    let id = si["id"].as_str().unwrap();
    let r = b
        .post(
            &format!("/v1/client/sign_ins/{id}/attempt_first_factor"),
            &[("strategy", "password"), ("password", PASSWORD)],
        )
        .await
        .ok();
    assert_eq!(r["response"]["status"], "complete");
    let r = b.get(&format!("/v1/client/sign_ins/{id}")).await.ok();
    assert_eq!(r["response"]["status"], "complete");
}

#[tokio::test]
async fn wrong_password_unknown_identifier_and_bad_strategy() {
    let state = state();
    let b = Browser::new(&state).await;
    let r = b
        .post(
            "/v1/client/sign_ins",
            &[
                ("identifier", ADA),
                ("password", "nope"),
                ("strategy", "password"),
            ],
        )
        .await
        .err(422, "form_password_incorrect");
    assert_eq!(r.param(), "password");
    let r = b
        .post("/v1/client/sign_ins", &[("identifier", "who@example.com")])
        .await
        .err(422, "form_identifier_not_found");
    assert_eq!(r.param(), "identifier");
    b.post(
        "/v1/client/sign_ins",
        &[("identifier", ADA), ("strategy", "oauth_google")],
    )
    .await
    .err(422, "strategy_for_user_invalid");
    b.post(
        "/v1/client/sign_ins",
        &[("identifier", ADA), ("transfer", "maybe")],
    )
    .await
    .err(422, "form_param_format_invalid");
    let r = b.post("/v1/client/sign_ins", &[]).await.ok();
    assert_eq!(r["response"]["status"], "needs_identifier");
    b.post(
        "/v1/client/sign_ins/sia_nope/attempt_first_factor",
        &[("strategy", "password"), ("password", "x")],
    )
    .await
    .err(404, "resource_not_found");
}

#[tokio::test]
async fn lockout_after_repeated_failures_then_it_expires() {
    let state = state();
    let b = Browser::new(&state).await;
    for _ in 0..9 {
        b.post(
            "/v1/client/sign_ins",
            &[
                ("identifier", ALAN),
                ("password", "bad"),
                ("strategy", "password"),
            ],
        )
        .await
        .err(422, "form_password_incorrect");
    }
    let r = b
        .post(
            "/v1/client/sign_ins",
            &[
                ("identifier", ALAN),
                ("password", "bad"),
                ("strategy", "password"),
            ],
        )
        .await
        .err(403, "user_locked");
    assert!(
        r.json["errors"][0]["meta"]["lockout_expires_in_seconds"]
            .as_i64()
            .unwrap()
            > 3000
    );
    // Even the right password is refused while locked.
    b.post(
        "/v1/client/sign_ins",
        &[
            ("identifier", ALAN),
            ("password", PASSWORD),
            ("strategy", "password"),
        ],
    )
    .await
    .err(403, "user_locked");
    state.advance_clock(61 * 60 * 1000);
    b.sign_in(ALAN, PASSWORD).await;
}

#[tokio::test]
async fn email_code_sign_in_with_attempt_limit_and_expiry() {
    let state = state();
    let b = Browser::new(&state).await;
    let r = b
        .post("/v1/client/sign_ins", &[("identifier", ADA)])
        .await
        .ok();
    let id = r["response"]["id"].as_str().unwrap().to_owned();
    let email_id = r["response"]["supported_first_factors"][1]["email_address_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Attempt before prepare.
    b.post(
        &format!("/v1/client/sign_ins/{id}/attempt_first_factor"),
        &[("strategy", "email_code"), ("code", "424242")],
    )
    .await
    .err(422, "verification_missing");
    let r = b
        .post(
            &format!("/v1/client/sign_ins/{id}/prepare_first_factor"),
            &[("strategy", "email_code"), ("email_address_id", &email_id)],
        )
        .await
        .ok();
    let v = &r["response"]["first_factor_verification"];
    assert_eq!(v["status"], "unverified");
    assert_eq!(v["strategy"], "email_code");
    assert!(v["expire_at"].as_i64().unwrap() > 0);
    assert_eq!(latest_code(&state, ADA).await, "424242");
    for _ in 0..2 {
        b.post(
            &format!("/v1/client/sign_ins/{id}/attempt_first_factor"),
            &[("strategy", "email_code"), ("code", "000000")],
        )
        .await
        .err(422, "form_code_incorrect");
    }
    b.post(
        &format!("/v1/client/sign_ins/{id}/attempt_first_factor"),
        &[("strategy", "email_code"), ("code", "000000")],
    )
    .await
    .err(422, "verification_failed");
    // Even the right code fails now; a new prepare resets.
    b.post(
        &format!("/v1/client/sign_ins/{id}/attempt_first_factor"),
        &[("strategy", "email_code"), ("code", "424242")],
    )
    .await
    .err(422, "verification_failed");
    b.post(
        &format!("/v1/client/sign_ins/{id}/prepare_first_factor"),
        &[("strategy", "email_code")],
    )
    .await
    .ok();
    state.advance_clock(11 * 60 * 1000);
    b.post(
        &format!("/v1/client/sign_ins/{id}/attempt_first_factor"),
        &[("strategy", "email_code"), ("code", "424242")],
    )
    .await
    .err(422, "verification_expired");
    let r = b
        .prepare_and_attempt(
            &format!("/v1/client/sign_ins/{id}"),
            "first_factor",
            "email_code",
        )
        .await;
    assert_eq!(r["response"]["status"], "complete");
    assert_eq!(r["client"]["last_authentication_strategy"], "email_code");
}

#[tokio::test]
async fn random_codes_for_real_addresses_are_readable_from_the_dev_endpoint() {
    let seed = seed_with(&[
        (
            "email = \"alan+clerk_test@example.com\"",
            "email = \"alan@example.com\"",
        ),
        (
            "{ user = \"alan+clerk_test@example.com\"",
            "{ user = \"alan\"",
        ),
    ]);
    let state = state_with(&seed);
    let b = Browser::new(&state).await;
    let r = b
        .post(
            "/v1/client/sign_ins",
            &[
                ("identifier", "alan@example.com"),
                ("strategy", "email_code"),
            ],
        )
        .await
        .ok();
    let id = r["response"]["id"].as_str().unwrap();
    assert_eq!(
        r["response"]["first_factor_verification"]["status"],
        "unverified"
    );
    let code = latest_code(&state, "alan@example.com").await;
    assert_ne!(code, "424242");
    b.post(
        &format!("/v1/client/sign_ins/{id}/attempt_first_factor"),
        &[("strategy", "email_code"), ("code", "424242")],
    )
    .await
    .err(422, "form_code_incorrect");
    let r = b
        .post(
            &format!("/v1/client/sign_ins/{id}/attempt_first_factor"),
            &[("strategy", "email_code"), ("code", &code)],
        )
        .await
        .ok();
    assert_eq!(r["response"]["status"], "complete");
}

#[tokio::test]
async fn phone_code_sign_in_when_phone_numbers_identify() {
    // the default seed has phone numbers as identifiers
    let state = state();
    let b = Browser::new(&state).await;
    let r = b
        .post(
            "/v1/client/sign_ins",
            &[
                ("identifier", "+1 (555) 555-0100"),
                ("strategy", "phone_code"),
            ],
        )
        .await
        .ok();
    let id = r["response"]["id"].as_str().unwrap();
    assert_eq!(
        r["response"]["first_factor_verification"]["strategy"],
        "phone_code"
    );
    assert_eq!(latest_code(&state, "+15555550100").await, "424242");
    let r = b
        .post(
            &format!("/v1/client/sign_ins/{id}/attempt_first_factor"),
            &[("strategy", "phone_code"), ("code", "424242")],
        )
        .await
        .ok();
    assert_eq!(r["response"]["status"], "complete");
    assert_eq!(r["client"]["sessions"][0]["user"]["id"], "user_alan");
}

#[tokio::test]
async fn reset_password_with_an_email_code() {
    let state = state();
    let b = Browser::new(&state).await;
    let other = Browser::new(&state).await;
    let other_session = other.sign_in(ALAN, PASSWORD).await;
    let r = b
        .post(
            "/v1/client/sign_ins",
            &[
                ("identifier", ALAN),
                ("strategy", "reset_password_email_code"),
            ],
        )
        .await
        .ok();
    let id = r["response"]["id"].as_str().unwrap().to_owned();
    b.post(
        &format!("/v1/client/sign_ins/{id}/reset_password"),
        &[("password", "a-new-password-1")],
    )
    .await
    .err(422, "conflicting_state");
    let r = b
        .post(
            &format!("/v1/client/sign_ins/{id}/attempt_first_factor"),
            &[
                ("strategy", "reset_password_email_code"),
                ("code", "424242"),
            ],
        )
        .await
        .ok();
    assert_eq!(r["response"]["status"], "needs_new_password");
    let r = b
        .post(
            &format!("/v1/client/sign_ins/{id}/reset_password"),
            &[("password", "short")],
        )
        .await
        .err(422, "form_password_length_too_short");
    assert_eq!(r.param(), "password");
    b.post(
        &format!("/v1/client/sign_ins/{id}/reset_password"),
        &[("password", "password123")],
    )
    .await
    .err(422, "form_password_pwned");
    let r = b
        .post(
            &format!("/v1/client/sign_ins/{id}/reset_password"),
            &[
                ("password", "a-new-password-1"),
                ("sign_out_of_other_sessions", "true"),
            ],
        )
        .await
        .ok();
    assert_eq!(r["response"]["status"], "complete");
    // The other client's session was signed out; the old password no longer works.
    other
        .post(&format!("/v1/client/sessions/{other_session}/tokens"), &[])
        .await
        .err(401, "signed_out");
    let c = Browser::new(&state).await;
    c.post(
        "/v1/client/sign_ins",
        &[
            ("identifier", ALAN),
            ("password", PASSWORD),
            ("strategy", "password"),
        ],
    )
    .await
    .err(422, "form_password_incorrect");
    c.sign_in(ALAN, "a-new-password-1").await;
}

fn totp_now(state: &clerk_dev_server::AppState, offset: i64) -> String {
    clerk_dev_server::crypto::totp("JBSWY3DPEHPK3PXP", state.now() / 1000 + offset).unwrap()
}

#[tokio::test]
async fn totp_and_backup_code_second_factors() {
    let state = state();
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
    let si = &r["response"];
    assert_eq!(si["status"], "needs_second_factor");
    let second: Vec<&str> = si["supported_second_factors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["strategy"].as_str().unwrap())
        .collect();
    assert_eq!(second, ["totp", "backup_code"]);
    assert!(r["client"]["sessions"].as_array().unwrap().is_empty());
    let id = si["id"].as_str().unwrap().to_owned();
    let wrong = if totp_now(&state, 0) == "123456" {
        "654321"
    } else {
        "123456"
    };
    b.post(
        &format!("/v1/client/sign_ins/{id}/attempt_second_factor"),
        &[("strategy", "totp"), ("code", wrong)],
    )
    .await
    .err(422, "form_code_incorrect");
    let r = b
        .post(
            &format!("/v1/client/sign_ins/{id}/attempt_second_factor"),
            &[("strategy", "totp"), ("code", &totp_now(&state, 0))],
        )
        .await
        .ok();
    assert_eq!(r["response"]["status"], "complete");
    assert_eq!(
        r["response"]["second_factor_verification"]["status"],
        "verified"
    );
    let sid = r["response"]["created_session_id"].as_str().unwrap();
    let claims = b.token(sid, &[]).await;
    assert_eq!(claims["fva"], serde_json::json!([0, 0]));

    // Backup codes work once.
    let c = Browser::new(&state).await;
    for (code, ok) in [("backup-code-1", true), ("backup-code-1", false)] {
        let r = c
            .post(
                "/v1/client/sign_ins",
                &[
                    ("identifier", "grace"),
                    ("password", PASSWORD),
                    ("strategy", "password"),
                ],
            )
            .await
            .ok();
        let id = r["response"]["id"].as_str().unwrap().to_owned();
        let r = c
            .post(
                &format!("/v1/client/sign_ins/{id}/attempt_second_factor"),
                &[("strategy", "backup_code"), ("code", code)],
            )
            .await;
        if ok {
            assert_eq!(r.ok()["response"]["status"], "complete");
        } else {
            r.err(422, "form_code_incorrect");
        }
    }
    c.post(
        "/v1/client/sign_ins/sia_x/attempt_second_factor",
        &[("strategy", "totp"), ("code", "1")],
    )
    .await
    .err(400, "resource_not_found");
}

#[tokio::test]
async fn phone_code_second_factor() {
    let seed = seed_with(&[(
        "phone = \"+15555550100\"",
        "phone = \"+15555550100\"\nphone_second_factor = true",
    )]);
    let state = state_with(&seed);
    let b = Browser::new(&state).await;
    let r = b
        .post(
            "/v1/client/sign_ins",
            &[
                ("identifier", ALAN),
                ("password", PASSWORD),
                ("strategy", "password"),
            ],
        )
        .await
        .ok();
    assert_eq!(r["response"]["status"], "needs_second_factor");
    assert_eq!(
        r["response"]["supported_second_factors"][0]["strategy"],
        "phone_code"
    );
    let id = r["response"]["id"].as_str().unwrap().to_owned();
    b.post(
        &format!("/v1/client/sign_ins/{id}/attempt_second_factor"),
        &[("strategy", "phone_code"), ("code", "424242")],
    )
    .await
    .err(422, "verification_missing");
    let r = b
        .post(
            &format!("/v1/client/sign_ins/{id}/prepare_second_factor"),
            &[("strategy", "phone_code")],
        )
        .await
        .ok();
    assert_eq!(
        r["response"]["second_factor_verification"]["status"],
        "unverified"
    );
    let r = b
        .post(
            &format!("/v1/client/sign_ins/{id}/attempt_second_factor"),
            &[("strategy", "phone_code"), ("code", "424242")],
        )
        .await
        .ok();
    assert_eq!(r["response"]["status"], "complete");
}

#[tokio::test]
async fn steps_out_of_order_are_422() {
    let state = state();
    let b = Browser::new(&state).await;
    let r = b
        .post(
            "/v1/client/sign_ins",
            &[
                ("identifier", ADA),
                ("password", PASSWORD),
                ("strategy", "password"),
            ],
        )
        .await
        .ok();
    let id = r["response"]["id"].as_str().unwrap().to_owned();
    b.post(
        &format!("/v1/client/sign_ins/{id}/prepare_first_factor"),
        &[("strategy", "email_code")],
    )
    .await
    .err(422, "conflicting_state");
    b.post(
        &format!("/v1/client/sign_ins/{id}/prepare_second_factor"),
        &[("strategy", "phone_code")],
    )
    .await
    .err(422, "conflicting_state");
    b.post(
        &format!("/v1/client/sign_ins/{id}/attempt_first_factor"),
        &[],
    )
    .await
    .err(422, "form_param_missing");
    // Another client cannot see this sign-in.
    let other = Browser::new(&state).await;
    other
        .get(&format!("/v1/client/sign_ins/{id}"))
        .await
        .err(404, "resource_not_found");
}
