//! The Backend API's organizations (by id or slug), their metadata, memberships and
//! invitations, and application invitations; FAPI's organization routes on the same paths keep
//! working for browsers.

use serde_json::json;

use crate::bapi_users::bapi;
use crate::common::*;

#[tokio::test]
async fn organizations_crud_metadata_and_lists() {
    let state = state();
    let o = bapi(&state, "POST", "/v1/organizations", Some(json!({
        "name": "Globex", "created_by": "user_alan", "public_metadata": {"tier": "gold"}, "private_metadata": {"crm": 1},
    })))
    .await
    .ok();
    assert_eq!(o["object"], "organization");
    assert_eq!(o["slug"], "globex");
    assert_eq!(o["created_by"], "user_alan");
    assert_eq!(o["private_metadata"]["crm"], 1);
    let id = o["id"].as_str().unwrap().to_owned();
    // by slug, with the member count; grace is its admin, in FAPI too
    let got = bapi(
        &state,
        "GET",
        "/v1/organizations/globex?include_members_count=true",
        None,
    )
    .await
    .ok();
    assert_eq!(got["id"], id);
    assert_eq!(got["members_count"], 1);
    let b = Browser::new(&state).await;
    b.sign_in(ALAN, PASSWORD).await;
    let mine = b
        .get("/v1/me/organization_memberships?paginated=true")
        .await
        .ok();
    assert!(mine["response"]["data"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["organization"]["id"] == id.as_str() && m["role"] == "org:admin"));

    let list = bapi(&state, "GET", "/v1/organizations?order_by=name", None)
        .await
        .ok();
    assert_eq!(list["total_count"], 2);
    assert_eq!(list["data"][0]["name"], "Acme");
    let q = bapi(&state, "GET", "/v1/organizations?query=glob", None)
        .await
        .ok();
    assert_eq!(q["total_count"], 1);
    let of_ada = bapi(&state, "GET", "/v1/organizations?user_id=user_ada", None)
        .await
        .ok();
    assert_eq!(of_ada["data"][0]["id"], "org_acme");

    let up = bapi(
        &state,
        "PATCH",
        &format!("/v1/organizations/{id}"),
        Some(json!({"name": "Globex Corp", "slug": "globex-corp", "max_allowed_memberships": 3})),
    )
    .await
    .ok();
    assert_eq!(up["slug"], "globex-corp");
    assert_eq!(up["max_allowed_memberships"], 3);
    bapi(
        &state,
        "PATCH",
        &format!("/v1/organizations/{id}"),
        Some(json!({"slug": "acme"})),
    )
    .await
    .err(422, "organization_slug_already_taken");
    bapi(
        &state,
        "PATCH",
        &format!("/v1/organizations/{id}"),
        Some(json!({"slug": "Not A Slug"})),
    )
    .await
    .err(422, "form_param_format_invalid");
    let m = bapi(
        &state,
        "PATCH",
        &format!("/v1/organizations/{id}/metadata"),
        Some(json!({"public_metadata": {"tier": null, "x": {"y": 1}}})),
    )
    .await
    .ok();
    assert_eq!(m["public_metadata"], json!({"x": {"y": 1}}));
    let m = bapi(
        &state,
        "PUT",
        &format!("/v1/organizations/{id}/metadata"),
        Some(json!({"private_metadata": {"z": 2}})),
    )
    .await
    .ok();
    assert_eq!(m["private_metadata"], json!({"z": 2}));
    assert_eq!(m["public_metadata"], json!({"x": {"y": 1}}));

    bapi(&state, "POST", "/v1/organizations", Some(json!({})))
        .await
        .err(422, "form_param_missing");
    bapi(
        &state,
        "POST",
        "/v1/organizations",
        Some(json!({"name": "X", "created_by": "user_nope"})),
    )
    .await
    .err(422, "form_param_value_invalid");
    bapi(&state, "GET", "/v1/organizations/org_nope", None)
        .await
        .err(404, "resource_not_found");
    bapi(&state, "GET", "/v1/organizations?order_by=size", None)
        .await
        .err(422, "form_param_value_invalid");

    let gone = bapi(&state, "DELETE", &format!("/v1/organizations/{id}"), None)
        .await
        .ok();
    assert_eq!(
        gone,
        json!({"object": "organization", "id": id, "slug": "globex-corp", "deleted": true})
    );
    bapi(&state, "GET", &format!("/v1/organizations/{id}"), None)
        .await
        .err(404, "resource_not_found");
    bapi(&state, "DELETE", &format!("/v1/organizations/{id}"), None)
        .await
        .err(404, "resource_not_found");

    // FAPI's routes on the same paths still answer browsers
    let a = Browser::new(&state).await;
    a.sign_in(ADA, PASSWORD).await;
    let fapi = a.get("/v1/organizations/org_acme").await.ok();
    assert_eq!(fapi["response"]["id"], "org_acme");
    assert!(fapi["client"].is_object());
}

#[tokio::test]
async fn memberships_and_organization_invitations() {
    let state = state();
    let base = "/v1/organizations/org_acme/memberships";
    let list = bapi(&state, "GET", base, None).await.ok();
    assert_eq!(list["total_count"], 3);
    assert_eq!(list["data"][0]["object"], "organization_membership");
    assert!(list["data"][0]["public_user_data"]["identifier"].is_string());
    let admins = bapi(&state, "GET", &format!("{base}?role=org:admin"), None)
        .await
        .ok();
    assert_eq!(admins["data"][0]["public_user_data"]["user_id"], "user_ada");
    let by_name = bapi(
        &state,
        "GET",
        &format!("{base}?order_by=-first_name&limit=1"),
        None,
    )
    .await
    .ok();
    assert_eq!(
        by_name["data"][0]["public_user_data"]["first_name"],
        "Grace"
    );

    let m = bapi(&state, "POST", base, Some(json!({"user_id": "user_katherine", "role": "org:member", "public_metadata": {"team": "x"}}))).await.ok();
    assert_eq!(m["role"], "org:member");
    assert_eq!(m["public_metadata"]["team"], "x");
    bapi(
        &state,
        "POST",
        base,
        Some(json!({"user_id": "user_katherine", "role": "org:member"})),
    )
    .await
    .err(422, "already_a_member_in_organization");
    bapi(
        &state,
        "POST",
        base,
        Some(json!({"user_id": "user_nope", "role": "org:member"})),
    )
    .await
    .err(404, "resource_not_found");
    bapi(&state, "POST", base, Some(json!({"user_id": "user_ada"})))
        .await
        .err(422, "form_param_missing");
    bapi(
        &state,
        "POST",
        "/v1/organizations/org_nope/memberships",
        Some(json!({"user_id": "user_katherine", "role": "org:member"})),
    )
    .await
    .err(404, "resource_not_found");
    bapi(
        &state,
        "GET",
        "/v1/organizations/org_nope/memberships",
        None,
    )
    .await
    .err(422, "form_param_value_invalid");

    let k = format!("{base}/user_katherine");
    let up = bapi(
        &state,
        "PATCH",
        &k,
        Some(json!({"role": "org:billing_manager"})),
    )
    .await
    .ok();
    assert_eq!(up["role"], "org:billing_manager");
    assert_eq!(up["role_name"], "Billing manager");
    bapi(&state, "PATCH", &k, Some(json!({"role": "org:nope"})))
        .await
        .err(422, "form_param_value_invalid");
    bapi(
        &state,
        "PATCH",
        &format!("{base}/user_nope"),
        Some(json!({"role": "org:member"})),
    )
    .await
    .err(404, "resource_not_found");
    let meta = bapi(
        &state,
        "PATCH",
        &format!("{k}/metadata"),
        Some(json!({"public_metadata": {"team": null, "desk": 4}, "private_metadata": {"p": 1}})),
    )
    .await
    .ok();
    assert_eq!(meta["public_metadata"], json!({"desk": 4}));
    assert_eq!(meta["private_metadata"], json!({"p": 1}));
    let users = bapi(
        &state,
        "GET",
        "/v1/users/user_katherine/organization_memberships",
        None,
    )
    .await
    .ok();
    assert_eq!(users["total_count"], 1);
    assert_eq!(users["data"][0]["organization"]["id"], "org_acme");
    let removed = bapi(&state, "DELETE", &k, None).await.ok();
    assert_eq!(removed["id"], m["id"]);
    bapi(&state, "DELETE", &k, None)
        .await
        .err(404, "resource_not_found");

    // invitations
    let inv_base = "/v1/organizations/acme/invitations";
    let i = bapi(&state, "POST", inv_base, Some(json!({"email_address": "Invitee@Example.com", "role": "org:member", "inviter_user_id": "user_ada", "private_metadata": {"src": "crm"}, "expires_in_days": 2}))).await.ok();
    assert_eq!(i["object"], "organization_invitation");
    assert_eq!(i["email_address"], "invitee@example.com");
    assert_eq!(i["status"], "pending");
    assert_eq!(i["inviter_id"], "user_ada");
    assert_eq!(i["public_inviter_data"]["user_id"], "user_ada");
    assert_eq!(i["private_metadata"]["src"], "crm");
    let iid = i["id"].as_str().unwrap().to_owned();
    bapi(
        &state,
        "POST",
        inv_base,
        Some(json!({"email_address": ADA, "role": "org:member"})),
    )
    .await
    .err(422, "already_a_member_in_organization");
    bapi(&state, "POST", inv_base, Some(json!({"email_address": "x@example.com", "role": "org:member", "inviter_user_id": "user_alan"}))).await.err(403, "not_authorized");
    bapi(
        &state,
        "POST",
        inv_base,
        Some(json!({"email_address": "x@example.com", "role": "org:boss"})),
    )
    .await
    .err(422, "form_param_value_invalid");
    let pending = bapi(&state, "GET", &format!("{inv_base}/pending"), None)
        .await
        .ok();
    assert_eq!(pending["total_count"], 1);
    let one = bapi(&state, "GET", &format!("{inv_base}/{iid}"), None)
        .await
        .ok();
    assert_eq!(one["id"], iid.as_str());
    let revoked = bapi(&state, "POST", &format!("{inv_base}/{iid}/revoke"), None)
        .await
        .ok();
    assert_eq!(revoked["status"], "revoked");
    bapi(&state, "POST", &format!("{inv_base}/{iid}/revoke"), None)
        .await
        .err(400, "organization_invitation_not_pending");
    let by_status = bapi(&state, "GET", &format!("{inv_base}?status=revoked"), None)
        .await
        .ok();
    assert_eq!(by_status["total_count"], 1);
    bapi(&state, "GET", &format!("{inv_base}/orginv_nope"), None)
        .await
        .err(404, "resource_not_found");
    bapi(
        &state,
        "GET",
        "/v1/organizations/org_nope/invitations",
        None,
    )
    .await
    .err(404, "resource_not_found");
}

#[tokio::test]
async fn application_invitations() {
    let state = state();
    let i = bapi(
        &state,
        "POST",
        "/v1/invitations",
        Some(json!({"email_address": "guest@example.com", "public_metadata": {"plan": "trial"}})),
    )
    .await
    .ok();
    assert_eq!(i["object"], "invitation");
    assert_eq!(i["status"], "pending");
    assert_eq!(i["public_metadata"]["plan"], "trial");
    assert_eq!(
        latest_code(&state, "guest@example.com").await,
        i["id"].as_str().unwrap()
    );
    bapi(
        &state,
        "POST",
        "/v1/invitations",
        Some(json!({"email_address": "guest@example.com"})),
    )
    .await
    .err(422, "duplicate_record");
    bapi(
        &state,
        "POST",
        "/v1/invitations",
        Some(json!({"email_address": "guest@example.com", "ignore_existing": true})),
    )
    .await
    .ok();
    bapi(
        &state,
        "POST",
        "/v1/invitations",
        Some(json!({"email_address": ADA})),
    )
    .await
    .err(422, "form_identifier_exists");
    bapi(
        &state,
        "POST",
        "/v1/invitations",
        Some(json!({"email_address": "x@example.com", "expires_in_days": 0})),
    )
    .await
    .err(422, "form_param_format_invalid");
    bapi(&state, "POST", "/v1/invitations", Some(json!({})))
        .await
        .err(422, "form_param_missing");
    let list = bapi(&state, "GET", "/v1/invitations", None).await.ok();
    assert_eq!(list.as_array().unwrap().len(), 2);
    let paged = bapi(
        &state,
        "GET",
        "/v1/invitations?paginated=true&limit=1",
        None,
    )
    .await
    .ok();
    assert_eq!(paged["total_count"], 2);
    assert_eq!(paged["data"].as_array().unwrap().len(), 1);
    let id = i["id"].as_str().unwrap();
    let r = bapi(
        &state,
        "POST",
        &format!("/v1/invitations/{id}/revoke"),
        None,
    )
    .await
    .ok();
    assert_eq!(r["status"], "revoked");
    assert_eq!(r["revoked"], true);
    bapi(
        &state,
        "POST",
        &format!("/v1/invitations/{id}/revoke"),
        None,
    )
    .await
    .err(400, "invitation_not_pending");
    bapi(&state, "POST", "/v1/invitations/inv_nope/revoke", None)
        .await
        .err(404, "resource_not_found");
    let revoked = bapi(&state, "GET", "/v1/invitations?status=revoked", None)
        .await
        .ok();
    assert_eq!(revoked.as_array().unwrap().len(), 1);
}
