//! Sign-up flows: create, verify by email/phone code, update, validation errors.

use crate::common::*;

#[tokio::test]
async fn email_code_sign_up_creates_the_user_and_a_session() {
    let state = state();
    let b = Browser::new(&state).await;
    let email = "new+clerk_test@example.com";
    let r = b
        .post(
            "/v1/client/sign_ups",
            &[
                ("email_address", email),
                ("password", "a-fine-password-7"),
                ("first_name", "Katherine"),
                ("last_name", "Johnson"),
                ("username", "kjohnson"),
                ("unsafe_metadata", r#"{"theme":"dark"}"#),
                ("legal_accepted", "true"),
                ("locale", "en-US"),
            ],
        )
        .await
        .ok();
    let su = &r["response"];
    assert_eq!(su["object"], "sign_up_attempt");
    assert_eq!(su["status"], "missing_requirements");
    assert_eq!(
        su["required_fields"],
        serde_json::json!(["email_address", "password"])
    );
    assert_eq!(su["missing_fields"], serde_json::json!([]));
    assert_eq!(
        su["unverified_fields"],
        serde_json::json!(["email_address"])
    );
    assert_eq!(
        su["verifications"]["email_address"]["next_action"],
        "needs_prepare"
    );
    assert_eq!(
        su["verifications"]["email_address"]["supported_strategies"],
        serde_json::json!(["email_code"])
    );
    assert_eq!(su["password_enabled"], true);
    assert_eq!(su["unsafe_metadata"]["theme"], "dark");
    assert!(su["legal_accepted_at"].is_i64());
    assert_eq!(r["client"]["sign_up"]["id"], su["id"]);
    let id = su["id"].as_str().unwrap().to_owned();
    // Typed decode in the library.
    let _: clerk_core::wire::SignUp = serde_json::from_value(su.clone()).unwrap();

    b.post(
        &format!("/v1/client/sign_ups/{id}/attempt_verification"),
        &[("strategy", "email_code"), ("code", "424242")],
    )
    .await
    .err(422, "verification_missing");
    let r = b
        .post(
            &format!("/v1/client/sign_ups/{id}/prepare_verification"),
            &[("strategy", "email_code")],
        )
        .await
        .ok();
    assert_eq!(
        r["response"]["verifications"]["email_address"]["next_action"],
        "needs_attempt"
    );
    b.post(
        &format!("/v1/client/sign_ups/{id}/attempt_verification"),
        &[("strategy", "email_code"), ("code", "111111")],
    )
    .await
    .err(422, "form_code_incorrect");
    let r = b
        .post(
            &format!("/v1/client/sign_ups/{id}/attempt_verification"),
            &[
                ("strategy", "email_code"),
                ("code", &latest_code(&state, email).await),
            ],
        )
        .await
        .ok();
    let su = &r["response"];
    assert_eq!(su["status"], "complete");
    let user_id = su["created_user_id"].as_str().unwrap();
    let sid = su["created_session_id"].as_str().unwrap();
    let session = &r["client"]["sessions"][0];
    assert_eq!(session["id"], sid);
    assert_eq!(session["user"]["id"], user_id);
    assert_eq!(session["user"]["first_name"], "Katherine");
    assert_eq!(session["user"]["username"], "kjohnson");
    assert_eq!(
        session["user"]["email_addresses"][0]["email_address"],
        email
    );
    assert_eq!(
        session["user"]["email_addresses"][0]["verification"]["status"],
        "verified"
    );
    assert_eq!(session["user"]["unsafe_metadata"]["theme"], "dark");
    // The new user signs in with any of its identifiers.
    let c = Browser::new(&state).await;
    c.sign_in("kjohnson", "a-fine-password-7").await;
    c.sign_in(email, "a-fine-password-7").await;
    // A complete sign-up cannot change.
    b.call(
        "PATCH",
        &format!("/v1/client/sign_ups/{id}"),
        &[("first_name", "K")],
    )
    .await
    .err(422, "conflicting_state");
}

#[tokio::test]
async fn progressive_sign_up_with_patch() {
    let state = state();
    let b = Browser::new(&state).await;
    let r = b
        .post(
            "/v1/client/sign_ups",
            &[("email_address", "step+clerk_test@example.com")],
        )
        .await
        .ok();
    assert_eq!(
        r["response"]["missing_fields"],
        serde_json::json!(["password"])
    );
    let id = r["response"]["id"].as_str().unwrap().to_owned();
    let r = b
        .prepare_and_attempt(
            &format!("/v1/client/sign_ups/{id}"),
            "verification",
            "email_code",
        )
        .await;
    assert_eq!(r["response"]["status"], "missing_requirements");
    assert_eq!(r["response"]["unverified_fields"], serde_json::json!([]));
    let r = b
        .call(
            "PATCH",
            &format!("/v1/client/sign_ups/{id}"),
            &[("password", "another-fine-one-8")],
        )
        .await
        .ok();
    assert_eq!(r["response"]["status"], "complete");
    let r = b.get(&format!("/v1/client/sign_ups/{id}")).await.ok();
    assert_eq!(r["response"]["status"], "complete");
}

/// Form pairs, the expected error code and its `param_name`.
type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);

#[tokio::test]
async fn validation_errors_carry_clerk_codes_and_param_names() {
    let state = state();
    let b = Browser::new(&state).await;
    let cases: &[Case] = &[
        (
            &[("email_address", ADA)],
            "form_identifier_exists",
            "email_address",
        ),
        (
            &[("email_address", "ADA+CLERK_TEST@EXAMPLE.COM")],
            "form_identifier_exists",
            "email_address",
        ),
        (
            &[("username", "Grace")],
            "form_identifier_exists",
            "username",
        ),
        (
            &[("email_address", "not-an-email")],
            "form_param_format_invalid",
            "email_address",
        ),
        (
            &[("password", "short")],
            "form_password_length_too_short",
            "password",
        ),
        (
            &[("password", &"x".repeat(73))],
            "form_password_length_too_long",
            "password",
        ),
        (
            &[("password", "password123")],
            "form_password_pwned",
            "password",
        ),
        (
            &[("username", "ab")],
            "form_username_invalid_length",
            "username",
        ),
        (
            &[("username", "bad name!")],
            "form_username_invalid_character",
            "username",
        ),
        (
            &[("unsafe_metadata", "[1]")],
            "form_param_format_invalid",
            "unsafe_metadata",
        ),
        (
            &[("phone_number", "12")],
            "form_param_format_invalid",
            "phone_number",
        ),
        (
            &[("phone_number", "+1 (555) 555-0100")],
            "form_identifier_exists",
            "phone_number",
        ),
        (
            &[("strategy", "oauth_google")],
            "form_param_value_invalid",
            "strategy",
        ),
        (
            &[("legal_accepted", "yes")],
            "form_param_format_invalid",
            "legal_accepted",
        ),
    ];
    for (pairs, code, param) in cases {
        let r = b.post("/v1/client/sign_ups", pairs).await.err(422, code);
        assert_eq!(r.param(), *param, "{pairs:?}");
    }
    b.post(
        "/v1/client/sign_ups/sua_nope/prepare_verification",
        &[("strategy", "email_code")],
    )
    .await
    .err(400, "resource_not_found");
    b.get("/v1/client/sign_ups/sua_nope")
        .await
        .err(404, "resource_not_found");
    // with phone numbers off, a phone number is an unknown parameter
    let b = Browser::new(&state_with(&seed_without_phones())).await;
    let r = b
        .post("/v1/client/sign_ups", &[("phone_number", "+15555550199")])
        .await
        .err(422, "form_param_unknown");
    assert_eq!(r.param(), "phone_number");
}

#[tokio::test]
async fn password_rules_from_the_seed() {
    let seed = seed_with(&[(
        "[password]\nmin_length = 8",
        "[password]\nmin_length = 10\nrequire_numbers = true\nrequire_uppercase = true",
    )]);
    let state = state_with(&seed);
    let b = Browser::new(&state).await;
    b.post("/v1/client/sign_ups", &[("password", "abcdefghi")])
        .await
        .err(422, "form_password_length_too_short");
    b.post("/v1/client/sign_ups", &[("password", "abcdefghijk")])
        .await
        .err(422, "form_password_validation_failed");
    b.post("/v1/client/sign_ups", &[("password", "abcdefghij1")])
        .await
        .err(422, "form_password_validation_failed");
    b.post("/v1/client/sign_ups", &[("password", "Abcdefghij1")])
        .await
        .ok();
    let env = b.get("/v1/environment").await.ok();
    assert_eq!(env["user_settings"]["password_settings"]["min_length"], 10);
}

#[tokio::test]
async fn restricted_mode_refuses_sign_ups() {
    let seed = seed_with(&[(
        "token_lifetime_seconds = 60",
        "token_lifetime_seconds = 60\nsign_up_mode = \"restricted\"",
    )]);
    let state = state_with(&seed);
    let b = Browser::new(&state).await;
    b.post(
        "/v1/client/sign_ups",
        &[("email_address", "x+clerk_test@example.com")],
    )
    .await
    .err(403, "sign_up_mode_restricted");
}

#[tokio::test]
async fn concurrent_sign_ups_of_one_email_make_one_user() {
    let state = state();
    let mut ids = Vec::new();
    let mut browsers = Vec::new();
    for _ in 0..2 {
        let b = Browser::new(&state).await;
        let r = b
            .post(
                "/v1/client/sign_ups",
                &[
                    ("email_address", "twin+clerk_test@example.com"),
                    ("password", "twin-password-99"),
                ],
            )
            .await
            .ok();
        let id = r["response"]["id"].as_str().unwrap().to_owned();
        b.post(
            &format!("/v1/client/sign_ups/{id}/prepare_verification"),
            &[("strategy", "email_code")],
        )
        .await
        .ok();
        ids.push(id);
        browsers.push(b);
    }
    let first = browsers[0]
        .post(
            &format!("/v1/client/sign_ups/{}/attempt_verification", ids[0]),
            &[("strategy", "email_code"), ("code", "424242")],
        )
        .await
        .ok();
    assert_eq!(first["response"]["status"], "complete");
    browsers[1]
        .post(
            &format!("/v1/client/sign_ups/{}/attempt_verification", ids[1]),
            &[("strategy", "email_code"), ("code", "424242")],
        )
        .await
        .err(422, "form_identifier_exists");
}
