//! `/v1/me`, memberships, organizations and invitations.

use crate::common::*;

#[tokio::test]
async fn me_reads_and_updates_the_signed_in_user() {
    let state = state();
    let b = Browser::new(&state).await;
    b.get("/v1/me").await.err(401, "signed_out");
    let sid = b.sign_in(ADA, PASSWORD).await;
    let r = b.get(&format!("/v1/me?_clerk_session_id={sid}")).await.ok();
    assert_eq!(r["response"]["id"], "user_ada");
    assert_eq!(r["response"]["public_metadata"]["plan"], "pro");
    assert_eq!(r["response"]["password_enabled"], true);
    assert_eq!(r["response"]["enterprise_accounts"], serde_json::json!([]));
    let user: clerk_core::wire::User = serde_json::from_value(r["response"].clone()).unwrap();
    assert_eq!(user.membership("org_acme").unwrap().role, "org:admin");
    let r = b
        .call(
            "PATCH",
            "/v1/me",
            &[
                ("first_name", "Augusta"),
                ("username", "countess"),
                ("unsafe_metadata", r#"{"a":1}"#),
            ],
        )
        .await
        .ok();
    assert_eq!(r["response"]["first_name"], "Augusta");
    assert_eq!(r["client"]["sessions"][0]["user"]["username"], "countess");
    assert_eq!(r["response"]["unsafe_metadata"]["a"], 1);
    // The new username signs in; the old one is free again.
    Browser::new(&state)
        .await
        .sign_in("countess", PASSWORD)
        .await;
    b.call("PATCH", "/v1/me", &[("username", "grace")])
        .await
        .err(422, "form_identifier_exists");
    b.call(
        "PATCH",
        "/v1/me",
        &[("primary_email_address_id", "idn_nope")],
    )
    .await
    .err(404, "resource_not_found");
    b.call("PATCH", "/v1/me", &[("unsafe_metadata", "nope")])
        .await
        .err(422, "form_param_format_invalid");
    // A session of another client is not usable here.
    let other = Browser::new(&state).await;
    other.call("PUT", "/v1/client", &[]).await.ok();
    other
        .get(&format!("/v1/me?_clerk_session_id={sid}"))
        .await
        .err(401, "signed_out");
}

#[tokio::test]
async fn membership_lists_paginated_or_plain() {
    let state = state();
    let b = Browser::new(&state).await;
    b.sign_in(ADA, PASSWORD).await;
    let r = b
        .get("/v1/me/organization_memberships?paginated=true&limit=10&offset=0")
        .await
        .ok();
    assert_eq!(r["response"]["total_count"], 1);
    assert_eq!(r["response"]["data"][0]["organization"]["name"], "Acme");
    assert_eq!(r["response"]["data"][0]["organization"]["members_count"], 3);
    assert_eq!(
        r["response"]["data"][0]["public_user_data"]["user_id"],
        "user_ada"
    );
    let page: clerk_core::wire::Paginated<clerk_core::wire::OrganizationMembership> =
        serde_json::from_value(r["response"].clone()).unwrap();
    assert_eq!(page.data[0].permissions.len(), 6);
    let r = b.get("/v1/me/organization_memberships").await.ok();
    assert!(r["response"].is_array());
    let r = b
        .get("/v1/me/organization_memberships?paginated=true&offset=1")
        .await
        .ok();
    assert_eq!(r["response"]["data"], serde_json::json!([]));
    assert_eq!(r["response"]["total_count"], 1);
    for bad in [
        "limit=0",
        "limit=501",
        "limit=x",
        "offset=-1",
        "paginated=maybe",
    ] {
        b.get(&format!("/v1/me/organization_memberships?{bad}"))
            .await
            .err(422, "form_param_format_invalid");
    }
}

#[tokio::test]
async fn organizations_create_read_members_invite_accept_leave() {
    let state = state();
    let admin = Browser::new(&state).await;
    admin.sign_in(ALAN, PASSWORD).await;
    let r = admin
        .post("/v1/organizations", &[("name", "Analytical Engines Ltd.")])
        .await
        .ok();
    let org = &r["response"];
    assert_eq!(org["object"], "organization");
    assert_eq!(org["slug"], "analytical-engines-ltd");
    assert_eq!(org["members_count"], 1);
    let org_id = org["id"].as_str().unwrap().to_owned();
    let m = &r["client"]["sessions"][0]["user"]["organization_memberships"];
    assert!(m
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["organization"]["id"] == org_id.as_str() && m["role"] == "org:admin"));
    admin
        .post(
            "/v1/organizations",
            &[("name", "Dup"), ("slug", "analytical-engines-ltd")],
        )
        .await
        .err(422, "organization_slug_already_taken");
    admin
        .post(
            "/v1/organizations",
            &[("name", "Bad"), ("slug", "Bad Slug")],
        )
        .await
        .err(422, "form_param_format_invalid");
    admin
        .post("/v1/organizations", &[])
        .await
        .err(422, "form_param_missing");
    assert_eq!(
        admin.get(&format!("/v1/organizations/{org_id}")).await.ok()["response"]["name"],
        "Analytical Engines Ltd."
    );
    assert_eq!(
        admin
            .get("/v1/organizations/analytical-engines-ltd")
            .await
            .ok()["response"]["id"],
        org_id.as_str()
    );

    // Invite ada; she sees and accepts the invitation.
    admin
        .post(
            &format!("/v1/organizations/{org_id}/invitations"),
            &[("email_address", ADA), ("role", "org:nope")],
        )
        .await
        .err(422, "form_param_value_invalid");
    let r = admin
        .post(
            &format!("/v1/organizations/{org_id}/invitations"),
            &[("email_address", ADA), ("role", "org:member")],
        )
        .await
        .ok();
    assert_eq!(r["response"]["object"], "organization_invitation");
    assert_eq!(r["response"]["status"], "pending");
    let inv = r["response"]["id"].as_str().unwrap().to_owned();
    let r = admin
        .get(&format!(
            "/v1/organizations/{org_id}/invitations?status=pending"
        ))
        .await
        .ok();
    assert_eq!(r["response"]["total_count"], 1);
    let ada = Browser::new(&state).await;
    let ada_session = ada.sign_in(ADA, PASSWORD).await;
    let r = ada.get("/v1/me/organization_invitations").await.ok();
    assert_eq!(
        r["response"]["data"][0]["public_organization_data"]["slug"],
        "analytical-engines-ltd"
    );
    ada.get(&format!("/v1/organizations/{org_id}"))
        .await
        .err(404, "resource_not_found");
    let r = ada
        .post(
            &format!("/v1/me/organization_invitations/{inv}/accept"),
            &[],
        )
        .await
        .ok();
    assert_eq!(r["response"]["status"], "accepted");
    ada.post(
        &format!("/v1/me/organization_invitations/{inv}/accept"),
        &[],
    )
    .await
    .err(422, "conflicting_state");
    ada.get(&format!("/v1/organizations/{org_id}")).await.ok();
    let claims = ada
        .token(&ada_session, &[("organization_id", &org_id)])
        .await;
    assert_eq!(claims["o"]["rol"], "member");

    // Members list; a member may not invite.
    let r = ada
        .get(&format!("/v1/organizations/{org_id}/memberships?limit=1"))
        .await
        .ok();
    assert_eq!(r["response"]["total_count"], 2);
    assert_eq!(r["response"]["data"].as_array().unwrap().len(), 1);
    ada.post(
        &format!("/v1/organizations/{org_id}/invitations"),
        &[("email_address", "x@example.com"), ("role", "org:member")],
    )
    .await
    .err(403, "not_authorized");
    admin
        .post(
            &format!("/v1/organizations/{org_id}/invitations"),
            &[("email_address", ADA), ("role", "org:member")],
        )
        .await
        .err(422, "already_a_member_in_organization");

    // Leaving clears the active organization.
    ada.post(
        &format!("/v1/client/sessions/{ada_session}/touch"),
        &[("active_organization_id", &org_id)],
    )
    .await
    .ok();
    let r = ada
        .call(
            "DELETE",
            &format!("/v1/me/organization_memberships/{org_id}"),
            &[],
        )
        .await
        .ok();
    assert_eq!(r["response"]["deleted"], true);
    assert!(r["client"]["sessions"][0]["last_active_organization_id"].is_null());
    ada.get(&format!("/v1/organizations/{org_id}"))
        .await
        .err(404, "resource_not_found");
}

#[tokio::test]
async fn admins_change_roles_remove_members_and_revoke_invitations() {
    let state = state();
    let alan = Browser::new(&state).await;
    alan.sign_in(ALAN, PASSWORD).await;
    let r = alan
        .post("/v1/organizations", &[("name", "Bletchley")])
        .await
        .ok();
    let org_id = r["response"]["id"].as_str().unwrap().to_owned();
    let invite = |email: &'static str| {
        let (alan, org_id) = (&alan, org_id.clone());
        async move {
            let r = alan
                .post(
                    &format!("/v1/organizations/{org_id}/invitations"),
                    &[("email_address", email), ("role", "org:member")],
                )
                .await
                .ok();
            r["response"]["id"].as_str().unwrap().to_owned()
        }
    };
    let inv = invite(ADA).await;
    let ada = Browser::new(&state).await;
    let ada_session = ada.sign_in(ADA, PASSWORD).await;
    ada.post(
        &format!("/v1/me/organization_invitations/{inv}/accept"),
        &[],
    )
    .await
    .ok();
    let member = |user: &str| format!("/v1/organizations/{org_id}/memberships/{user}");

    // a plain member may not change roles; bad roles and unknown members are refused
    ada.call("PATCH", &member("user_alan"), &[("role", "org:member")])
        .await
        .err(403, "not_authorized");
    alan.call("PATCH", &member("user_ada"), &[("role", "org:nope")])
        .await
        .err(422, "form_param_value_invalid");
    alan.call("PATCH", &member("user_ada"), &[])
        .await
        .err(422, "form_param_missing");
    alan.call("PATCH", &member("user_nobody"), &[("role", "org:admin")])
        .await
        .err(404, "resource_not_found");
    // the only admin cannot step down, nor leave
    alan.call("PATCH", &member("user_alan"), &[("role", "org:member")])
        .await
        .err(403, "organization_minimum_permissions_needed");
    alan.call(
        "DELETE",
        &format!("/v1/me/organization_memberships/{org_id}"),
        &[],
    )
    .await
    .err(403, "organization_minimum_permissions_needed");

    // promote ada: her membership and her next token say so
    let r = alan
        .call("PATCH", &member("user_ada"), &[("role", "org:admin")])
        .await
        .ok();
    assert_eq!(r["response"]["object"], "organization_membership");
    assert_eq!(r["response"]["role"], "org:admin");
    assert_eq!(r["response"]["public_user_data"]["user_id"], "user_ada");
    let claims = ada
        .token(&ada_session, &[("organization_id", &org_id)])
        .await;
    assert_eq!(claims["o"]["rol"], "admin");
    // now alan may step down, and ada may remove him
    alan.call("PATCH", &member("user_alan"), &[("role", "org:member")])
        .await
        .ok();
    ada.call("PATCH", &member("user_ada"), &[("role", "org:member")])
        .await
        .err(403, "organization_minimum_permissions_needed");
    let r = ada.call("DELETE", &member("user_alan"), &[]).await.ok();
    assert_eq!(r["response"]["public_user_data"]["user_id"], "user_alan");
    assert_eq!(r["response"]["role"], "org:member");
    let r = ada
        .get(&format!("/v1/organizations/{org_id}/memberships"))
        .await
        .ok();
    assert_eq!(r["response"]["total_count"], 1);
    alan.get(&format!("/v1/organizations/{org_id}"))
        .await
        .err(404, "resource_not_found");
    ada.call("DELETE", &member("user_alan"), &[])
        .await
        .err(404, "resource_not_found");

    // revoke a pending invitation, once
    let r = ada
        .post(
            &format!("/v1/organizations/{org_id}/invitations"),
            &[
                ("email_address", "someone@example.com"),
                ("role", "org:member"),
            ],
        )
        .await
        .ok();
    let pending = r["response"]["id"].as_str().unwrap().to_owned();
    let revoke = format!("/v1/organizations/{org_id}/invitations/{pending}/revoke");
    let r = ada.post(&revoke, &[]).await.ok();
    assert_eq!(r["response"]["status"], "revoked");
    ada.post(&revoke, &[])
        .await
        .err(403, "organization_invitation_not_pending");
    ada.post(
        &format!("/v1/organizations/{org_id}/invitations/orginv_nope/revoke"),
        &[],
    )
    .await
    .err(404, "resource_not_found");
    let r = ada
        .get(&format!(
            "/v1/organizations/{org_id}/invitations?status=pending"
        ))
        .await
        .ok();
    assert_eq!(r["response"]["total_count"], 0);
}

#[tokio::test]
async fn organizations_off_is_403() {
    let seed = seed_with(&[(
        "[organizations]\nenabled = true",
        "[organizations]\nenabled = false",
    )]);
    let state = state_with(&seed);
    let b = Browser::new(&state).await;
    b.sign_in(ADA, PASSWORD).await;
    b.post("/v1/organizations", &[("name", "X")])
        .await
        .err(403, "not_authorized");
    let env = b.get("/v1/environment").await.ok();
    assert_eq!(env["organization_settings"]["enabled"], false);
}

#[tokio::test]
async fn dev_codes_endpoint_lists_codes_newest_first() {
    let state = state();
    let b = Browser::new(&state).await;
    for _ in 0..2 {
        b.post(
            "/v1/client/sign_ins",
            &[("identifier", ADA), ("strategy", "email_code")],
        )
        .await
        .ok();
    }
    let r = b
        .get("/v1/__dev/codes?identifier=ADA%2Bclerk_test%40example.com")
        .await
        .ok();
    assert_eq!(r["codes"].as_array().unwrap().len(), 2);
    assert_eq!(r["latest"], "424242");
    assert_eq!(r["codes"][0]["purpose"], "sign_in");
    let r = b
        .get("/v1/__dev/codes?identifier=nobody%40example.com")
        .await
        .ok();
    assert!(r["latest"].is_null());
}

#[tokio::test]
async fn pause_needs_the_binary_and_a_sane_duration() {
    let state = state();
    let b = Browser::new(&state).await;
    b.post("/v1/__dev/pause?seconds=0", &[])
        .await
        .err(400, "form_param_format_invalid");
    b.post("/v1/__dev/pause?seconds=x", &[])
        .await
        .err(400, "form_param_format_invalid");
    // in-process there is no listener to stop
    b.post("/v1/__dev/pause?seconds=2", &[])
        .await
        .err(409, "conflicting_state");
}

#[tokio::test]
async fn admins_delete_an_organization_and_sessions_fall_back_to_personal() {
    let state = state();
    let admin = Browser::new(&state).await;
    admin.sign_in(ALAN, PASSWORD).await;
    let r = admin
        .post("/v1/organizations", &[("name", "Short Lived")])
        .await
        .ok();
    let org_id = r["response"]["id"].as_str().unwrap().to_owned();
    let r = admin
        .post(
            &format!("/v1/organizations/{org_id}/invitations"),
            &[("email_address", ADA), ("role", "org:member")],
        )
        .await
        .ok();
    let inv = r["response"]["id"].as_str().unwrap().to_owned();
    let ada = Browser::new(&state).await;
    let ada_session = ada.sign_in(ADA, PASSWORD).await;
    ada.post(
        &format!("/v1/me/organization_invitations/{inv}/accept"),
        &[],
    )
    .await
    .ok();
    let r = ada
        .post(
            &format!("/v1/client/sessions/{ada_session}/touch"),
            &[("active_organization_id", &org_id)],
        )
        .await
        .ok();
    assert_eq!(
        r["client"]["sessions"][0]["last_active_organization_id"],
        org_id.as_str()
    );

    // a plain member may not; an unknown organization is not found
    let path = format!("/v1/organizations/{org_id}");
    ada.call("DELETE", &path, &[])
        .await
        .err(403, "not_authorized");
    admin
        .call("DELETE", "/v1/organizations/org_nope", &[])
        .await
        .err(404, "resource_not_found");

    let r = admin.call("DELETE", &path, &[]).await.ok();
    assert_eq!(r["response"]["object"], "organization");
    assert_eq!(r["response"]["id"], org_id.as_str());
    assert_eq!(r["response"]["deleted"], true);
    let memberships = &r["client"]["sessions"][0]["user"]["organization_memberships"];
    assert!(memberships
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["organization"]["id"] != org_id.as_str()));
    admin.get(&path).await.err(404, "resource_not_found");
    // ada's session is back on her personal account, and the slug is free again
    let r = ada.get("/v1/client").await.ok();
    let session = &r["response"]["sessions"][0];
    assert!(
        session["last_active_organization_id"].is_null(),
        "{session}"
    );
    let r = ada.get("/v1/me/organization_invitations").await.ok();
    assert_eq!(r["response"]["total_count"], 0);
    admin
        .post("/v1/organizations", &[("name", "Short Lived")])
        .await
        .ok();
}
