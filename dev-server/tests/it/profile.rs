//! The user profile routes (`/me/email_addresses`, `/me/phone_numbers`, `/me/change_password`,
//! `/me/sessions/…`) and the organization settings (`PATCH /organizations/{id}`, roles).

use crate::common::*;
use clerk_core::wire::{EmailAddress, Organization, PhoneNumber, Session, User};

#[tokio::test]
async fn email_addresses_add_verify_make_primary_remove() {
    let state = state();
    let b = Browser::new(&state).await;
    b.post(
        "/v1/me/email_addresses",
        &[("email_address", "x@example.com")],
    )
    .await
    .err(401, "signed_out");
    b.sign_in(ADA, PASSWORD).await;
    // taken by another user, malformed, missing
    b.post("/v1/me/email_addresses", &[("email_address", GRACE)])
        .await
        .err(422, "form_identifier_exists");
    let r = b
        .post("/v1/me/email_addresses", &[("email_address", "nope")])
        .await
        .err(422, "form_param_format_invalid");
    assert_eq!(r.param(), "email_address");
    b.post("/v1/me/email_addresses", &[])
        .await
        .err(422, "form_param_missing");

    let new = "ada.second+clerk_test@example.com";
    let r = b
        .post("/v1/me/email_addresses", &[("email_address", new)])
        .await
        .ok();
    let email: EmailAddress = serde_json::from_value(r["response"].clone()).unwrap();
    assert_eq!(email.email_address, new);
    assert!(!email.is_verified());
    let user: User = serde_json::from_value(r["client"]["sessions"][0]["user"].clone()).unwrap();
    assert_eq!(user.email_addresses.len(), 2);
    // added twice
    b.post("/v1/me/email_addresses", &[("email_address", new)])
        .await
        .err(422, "form_identifier_exists");
    // an unverified address does not sign in
    let r = Browser::new(&state)
        .await
        .post("/v1/client/sign_ins", &[("identifier", new)])
        .await;
    assert_eq!(r.code(), "form_identifier_not_found");

    let path = format!("/v1/me/email_addresses/{}", email.id);
    b.post(
        &format!("{path}/attempt_verification"),
        &[("code", "424242")],
    )
    .await
    .err(422, "verification_missing");
    b.post(
        &format!("{path}/prepare_verification"),
        &[("strategy", "phone_code")],
    )
    .await
    .err(422, "form_param_value_invalid");
    b.post(
        &format!("{path}/prepare_verification"),
        &[("strategy", "email_code")],
    )
    .await
    .ok();
    assert_eq!(latest_code(&state, new).await, "424242");
    let r = b
        .post(
            &format!("{path}/attempt_verification"),
            &[("code", "000000")],
        )
        .await
        .err(422, "form_code_incorrect");
    assert_eq!(r.param(), "code");
    let r = b
        .post(
            &format!("{path}/attempt_verification"),
            &[("code", "424242")],
        )
        .await
        .ok();
    let email: EmailAddress = serde_json::from_value(r["response"].clone()).unwrap();
    assert!(email.is_verified());
    b.post(
        &format!("{path}/attempt_verification"),
        &[("code", "424242")],
    )
    .await
    .err(422, "verification_already_verified");
    // now it signs in, and it can be primary
    Browser::new(&state).await.sign_in(new, PASSWORD).await;
    let r = b
        .call(
            "PATCH",
            "/v1/me",
            &[("primary_email_address_id", &email.id)],
        )
        .await
        .ok();
    assert_eq!(r["response"]["primary_email_address_id"], email.id.as_str());
    let r = b.get("/v1/me/email_addresses").await.ok();
    assert_eq!(r["response"].as_array().unwrap().len(), 2);
    b.get(&path).await.ok();
    // the primary cannot go; the old one can
    b.call("DELETE", &path, &[])
        .await
        .err(422, "primary_identification_cannot_be_deleted");
    let old = user
        .email_addresses
        .iter()
        .find(|e| e.email_address == ADA)
        .unwrap()
        .id
        .clone();
    let r = b
        .call("DELETE", &format!("/v1/me/email_addresses/{old}"), &[])
        .await
        .ok();
    assert_eq!(r["response"]["deleted"], true);
    b.get(&format!("/v1/me/email_addresses/{old}"))
        .await
        .err(404, "resource_not_found");
    // the old address is free again
    let r = Browser::new(&state)
        .await
        .post("/v1/client/sign_ins", &[("identifier", ADA)])
        .await;
    assert_eq!(r.code(), "form_identifier_not_found");
}

#[tokio::test]
async fn phone_numbers_add_and_verify() {
    // with phone numbers off, they are refused
    let b = Browser::new(&state_with(&seed_without_phones())).await;
    b.sign_in(ADA, PASSWORD).await;
    b.post("/v1/me/phone_numbers", &[("phone_number", "+15555550142")])
        .await
        .err(403, "not_authorized");
    // the default seed has them on
    let state = state();
    let b = Browser::new(&state).await;
    b.sign_in(ADA, PASSWORD).await;
    b.post("/v1/me/phone_numbers", &[("phone_number", "12")])
        .await
        .err(422, "form_param_format_invalid");
    b.post("/v1/me/phone_numbers", &[("phone_number", "+15555550100")])
        .await
        .err(422, "form_identifier_exists");
    let r = b
        .post(
            "/v1/me/phone_numbers",
            &[("phone_number", "+1 (555) 555-0142")],
        )
        .await
        .ok();
    let phone: PhoneNumber = serde_json::from_value(r["response"].clone()).unwrap();
    assert_eq!(phone.phone_number, "+15555550142");
    let path = format!("/v1/me/phone_numbers/{}", phone.id);
    b.post(
        &format!("{path}/prepare_verification"),
        &[("strategy", "phone_code")],
    )
    .await
    .ok();
    let r = b
        .post(
            &format!("{path}/attempt_verification"),
            &[("code", "424242")],
        )
        .await
        .ok();
    assert_eq!(r["response"]["verification"]["status"], "verified");
    // the first verified number becomes primary
    let user: User = serde_json::from_value(r["client"]["sessions"][0]["user"].clone()).unwrap();
    assert_eq!(
        user.primary_phone_number_id.as_deref(),
        Some(phone.id.as_str())
    );
    b.call("DELETE", "/v1/me/phone_numbers/idn_nope", &[])
        .await
        .err(404, "resource_not_found");
}

#[tokio::test]
async fn change_password_checks_the_current_one_and_may_revoke_others() {
    let state = state();
    let a = Browser::new(&state).await;
    a.sign_in(ALAN, PASSWORD).await;
    let other = Browser::new(&state).await;
    let other_sid = other.sign_in(ALAN, PASSWORD).await;
    let r = a
        .post(
            "/v1/me/change_password",
            &[
                ("current_password", "wrong-password-here"),
                ("new_password", "a-new-good-password"),
            ],
        )
        .await
        .err(422, "form_password_incorrect");
    assert_eq!(r.param(), "current_password");
    let r = a
        .post(
            "/v1/me/change_password",
            &[("current_password", PASSWORD), ("new_password", "short")],
        )
        .await
        .err(422, "form_password_length_too_short");
    assert_eq!(r.param(), "new_password");
    a.post("/v1/me/change_password", &[("current_password", PASSWORD)])
        .await
        .err(422, "form_param_missing");
    let r = a
        .post(
            "/v1/me/change_password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "a-new-good-password"),
                ("sign_out_of_other_sessions", "true"),
            ],
        )
        .await
        .ok();
    assert_eq!(r["response"]["object"], "user");
    let r = other
        .get(&format!("/v1/client/sessions/{other_sid}"))
        .await
        .ok();
    assert_eq!(r["response"]["status"], "revoked");
    Browser::new(&state)
        .await
        .sign_in(ALAN, "a-new-good-password")
        .await;
}

#[tokio::test]
async fn active_sessions_list_every_client_and_revoke_one() {
    let state = state();
    let here = Browser::new(&state).await;
    let mine = here.sign_in(ADA, PASSWORD).await;
    let there = Browser::new(&state).await;
    let theirs = there.sign_in(ADA, PASSWORD).await;
    let r = here.get("/v1/me/sessions/active").await.ok();
    let list = r.as_array().expect("a plain array");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["latest_activity"]["object"], "session_activity");
    let sessions: Vec<Session> = serde_json::from_value(r.clone()).unwrap();
    assert!(sessions.iter().any(|s| s.id == mine));
    // this client's session has its token; the other client's session has none
    for s in list {
        let token = &s["last_active_token"];
        if s["id"] == mine.as_str() {
            assert!(token["jwt"].is_string(), "{s}");
        } else {
            assert_eq!(s["id"], theirs.as_str());
            assert!(token.is_null(), "no token of another client's session: {s}");
        }
    }
    let r = here
        .post(&format!("/v1/me/sessions/{theirs}/revoke"), &[])
        .await
        .ok();
    assert_eq!(r["response"]["status"], "revoked");
    let r = here.get("/v1/me/sessions/active").await.ok();
    assert_eq!(r.as_array().unwrap().len(), 1);
    // another user's session is not found
    let alan = Browser::new(&state).await;
    let alans = alan.sign_in(ALAN, PASSWORD).await;
    here.post(&format!("/v1/me/sessions/{alans}/revoke"), &[])
        .await
        .err(404, "resource_not_found");
}

#[tokio::test]
async fn organizations_rename_and_list_roles() {
    let state = state();
    let admin = Browser::new(&state).await;
    admin.sign_in(ADA, PASSWORD).await;
    let r = admin
        .call(
            "PATCH",
            "/v1/organizations/org_acme",
            &[("name", "Acme Corp"), ("slug", "acme-corp")],
        )
        .await
        .ok();
    let org: Organization = serde_json::from_value(r["response"].clone()).unwrap();
    assert_eq!(
        (org.name.as_str(), org.slug.as_str()),
        ("Acme Corp", "acme-corp")
    );
    admin.get("/v1/organizations/acme-corp").await.ok();
    admin
        .call(
            "PATCH",
            "/v1/organizations/org_acme",
            &[("slug", "Not A Slug")],
        )
        .await
        .err(422, "form_param_format_invalid");
    let r = admin.get("/v1/organizations/org_acme/roles").await.ok();
    let keys: Vec<&str> = r["response"]["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    assert!(
        keys.contains(&"org:admin") && keys.contains(&"org:billing_manager"),
        "{keys:?}"
    );
    // a plain member may not rename
    let member = Browser::new(&state).await;
    member.sign_in(ALAN, PASSWORD).await;
    member
        .call("PATCH", "/v1/organizations/org_acme", &[("name", "Mine")])
        .await
        .err(403, "not_authorized");
}

#[tokio::test]
async fn legal_consent_is_a_missing_field_until_accepted() {
    let seed = seed_with(&[(
        "\n[instance]\n",
        "\n[instance]\nlegal_consent = true\nterms_url = \"https://example.com/terms\"\n",
    )]);
    let state = state_with(&seed);
    let b = Browser::new(&state).await;
    let r = b.get("/v1/environment").await.ok();
    assert_eq!(r["user_settings"]["sign_up"]["legal_consent_enabled"], true);
    assert_eq!(
        r["display_config"]["terms_url"],
        "https://example.com/terms"
    );
    assert!(r["display_config"]["privacy_policy_url"].is_null());
    let email = "legal+clerk_test@example.com";
    let r = b
        .post(
            "/v1/client/sign_ups",
            &[("email_address", email), ("password", PASSWORD)],
        )
        .await
        .ok();
    assert_eq!(
        r["response"]["missing_fields"],
        serde_json::json!(["legal_accepted"])
    );
    let id = r["response"]["id"].as_str().unwrap().to_owned();
    let path = format!("/v1/client/sign_ups/{id}");
    let r = b
        .prepare_and_attempt(&path, "verification", "email_code")
        .await;
    assert_eq!(r["response"]["status"], "missing_requirements");
    let r = b
        .call("PATCH", &path, &[("legal_accepted", "true")])
        .await
        .ok();
    assert_eq!(r["response"]["status"], "complete");
    assert!(r["response"]["legal_accepted_at"].is_i64());
}

#[tokio::test]
async fn authenticator_app_and_backup_codes() {
    let state = state();
    let b = Browser::new(&state).await;
    b.sign_in(ADA, PASSWORD).await;
    let code_for =
        |secret: &str| clerk_dev_server::crypto::totp(secret, state.now() / 1000).unwrap();
    // nothing to verify or back up yet
    b.post("/v1/me/totp/attempt_verification", &[("code", "123456")])
        .await
        .err(400, "verification_missing");
    b.post("/v1/me/backup_codes", &[])
        .await
        .err(400, "no_second_factors");
    b.call("DELETE", "/v1/me/totp", &[])
        .await
        .err(404, "resource_not_found");
    // set up: a secret and its otpauth URI, not verified
    let r = b.post("/v1/me/totp", &[]).await.ok();
    let totp = &r["response"];
    assert_eq!(totp["object"], "totp");
    assert_eq!(totp["verified"], false);
    let secret = totp["secret"].as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 32, "160 bits in base32");
    let uri = totp["uri"].as_str().unwrap();
    assert!(
        uri.starts_with(
            "otpauth://totp/leptos%2Dclerk%20example%3Aada%2Bclerk%5Ftest%40example%2Ecom?secret="
        ),
        "{uri}"
    );
    assert_eq!(r["client"]["sessions"][0]["user"]["totp_enabled"], false);
    // a wrong code, then the right one: on, with a first set of backup codes
    b.post("/v1/me/totp/attempt_verification", &[("code", "000000")])
        .await
        .err(422, "form_code_incorrect");
    let r = b
        .post(
            "/v1/me/totp/attempt_verification",
            &[("code", &code_for(&secret))],
        )
        .await
        .ok();
    assert_eq!(r["response"]["verified"], true);
    assert!(r["response"]["secret"].is_null());
    let codes: Vec<String> = serde_json::from_value(r["response"]["backup_codes"].clone()).unwrap();
    assert_eq!(codes.len(), 10);
    let user: User = serde_json::from_value(r["client"]["sessions"][0]["user"].clone()).unwrap();
    assert!(user.totp_enabled && user.backup_code_enabled && user.two_factor_enabled);
    b.post("/v1/me/totp", &[])
        .await
        .err(400, "totp_already_enabled");
    // signing in again now asks for a second factor, which the app answers
    let other = Browser::new(&state).await;
    let si = other.password_sign_in(ADA, PASSWORD).await;
    assert_eq!(si["status"], "needs_second_factor");
    let sia = si["id"].as_str().unwrap().to_owned();
    let r = other
        .post(
            &format!("/v1/client/sign_ins/{sia}/attempt_second_factor"),
            &[("strategy", "totp"), ("code", &code_for(&secret))],
        )
        .await
        .ok();
    assert_eq!(r["response"]["status"], "complete");
    // a new set of backup codes replaces the old one: old codes no longer work
    let r = b.post("/v1/me/backup_codes", &[]).await.ok();
    assert_eq!(r["response"]["object"], "backup_code");
    let fresh: Vec<String> = serde_json::from_value(r["response"]["codes"].clone()).unwrap();
    assert_eq!(fresh.len(), 10);
    assert!(fresh.iter().all(|c| !codes.contains(c)));
    let third = Browser::new(&state).await;
    let sia = third.password_sign_in(ADA, PASSWORD).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let second = format!("/v1/client/sign_ins/{sia}/attempt_second_factor");
    third
        .post(&second, &[("strategy", "backup_code"), ("code", &codes[0])])
        .await
        .err(422, "form_code_incorrect");
    let r = third
        .post(&second, &[("strategy", "backup_code"), ("code", &fresh[0])])
        .await
        .ok();
    assert_eq!(r["response"]["status"], "complete");
    // removing the app turns two-step verification off, backup codes included
    let r = b.call("DELETE", "/v1/me/totp", &[]).await.ok();
    assert_eq!(r["response"]["object"], "totp");
    assert_eq!(r["response"]["deleted"], true);
    let user: User = serde_json::from_value(r["client"]["sessions"][0]["user"].clone()).unwrap();
    assert!(!user.totp_enabled && !user.backup_code_enabled && !user.two_factor_enabled);
}

#[tokio::test]
async fn deleting_the_user_frees_identifiers_memberships_and_sessions() {
    let state = state();
    let (laptop, phone) = (Browser::new(&state).await, Browser::new(&state).await);
    laptop.sign_in(ALAN, PASSWORD).await;
    phone.sign_in(ALAN, PASSWORD).await;
    let r = laptop.call("DELETE", "/v1/me", &[]).await.ok();
    assert_eq!(r["response"]["object"], "user");
    assert_eq!(r["response"]["id"], "user_alan");
    assert_eq!(r["response"]["deleted"], true);
    assert_eq!(r["client"]["sessions"], serde_json::json!([]));
    // signed out on every device
    let r = phone.get("/v1/client").await.ok();
    assert_eq!(r["response"]["sessions"], serde_json::json!([]));
    phone.get("/v1/me").await.err(401, "signed_out");
    // gone: no sign-in, no membership; the address can sign up again
    phone
        .post(
            "/v1/client/sign_ins",
            &[
                ("identifier", ALAN),
                ("password", PASSWORD),
                ("strategy", "password"),
            ],
        )
        .await
        .err(422, "form_identifier_not_found");
    let ada = Browser::new(&state).await;
    ada.sign_in(ADA, PASSWORD).await;
    let r = ada.get("/v1/organizations/org_acme/memberships").await.ok();
    assert_eq!(r["response"]["total_count"], 2);
    phone
        .post(
            "/v1/client/sign_ups",
            &[("email_address", ALAN), ("password", "a-new-life-1234")],
        )
        .await
        .ok();
}
