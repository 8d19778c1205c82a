//! The Backend API's users: lists with filters and orders, count, create, update, metadata
//! (merge and replace), ban, lock, verify_password, delete; the same store as FAPI's (a FAPI
//! sign-up is a BAPI user, BAPI metadata is in the browser's user and template tokens).

use axum::body::Body;
use axum::http::Request;
use serde_json::{json, Value};

use crate::common::*;

/// A Backend API call with the secret key and a JSON body.
pub async fn bapi(
    state: &clerk_dev_server::AppState,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Resp {
    let b = Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", format!("Bearer {}", state.secret_key))
        .header("content-type", "application/json");
    let body = body
        .map(|b| Body::from(b.to_string()))
        .unwrap_or_else(Body::empty);
    send(state, b.body(body).unwrap()).await
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn users_list_filter_order_count_and_page() {
    let state = state();
    let all = bapi(&state, "GET", "/v1/users?limit=500", None).await.ok();
    assert_eq!(all.as_array().unwrap().len(), 4);
    assert_eq!(all[0]["object"], "user");
    assert_eq!(
        all[0]["email_addresses"][0]["verification"]["strategy"],
        "admin"
    );
    let count = bapi(&state, "GET", "/v1/users/count", None).await.ok();
    assert_eq!(count, json!({"object": "total_count", "total_count": 4}));

    let by_name = bapi(&state, "GET", "/v1/users?order_by=%2Busername", None)
        .await
        .ok();
    assert_eq!(ids(&by_name)[..3], ["user_ada", "user_alan", "user_grace"]);
    let desc = bapi(
        &state,
        "GET",
        "/v1/users?order_by=-username&limit=1&offset=1",
        None,
    )
    .await
    .ok();
    assert_eq!(ids(&desc), ["user_grace"]);

    let two = bapi(
        &state,
        "GET",
        "/v1/users?email_address=ADA%2Bclerk_test%40example.com&email_address=alan%2Bclerk_test%40example.com",
        None,
    )
    .await
    .ok();
    let mut got = ids(&two);
    got.sort();
    assert_eq!(got, ["user_ada", "user_alan"]);
    let n = bapi(
        &state,
        "GET",
        "/v1/users/count?phone_number=%2B15555550101",
        None,
    )
    .await
    .ok();
    assert_eq!(n["total_count"], 1);
    let org = bapi(
        &state,
        "GET",
        "/v1/users/count?organization_id=org_acme",
        None,
    )
    .await
    .ok();
    assert_eq!(org["total_count"], 3);
    let q = bapi(&state, "GET", "/v1/users?query=turing", None)
        .await
        .ok();
    assert_eq!(ids(&q), ["user_alan"]);
    let none = bapi(&state, "GET", "/v1/users?web3_wallet=0xabc", None)
        .await
        .ok();
    assert_eq!(none, json!([]));
    let later = bapi(
        &state,
        "GET",
        "/v1/users/count?created_at_after=9999999999999",
        None,
    )
    .await
    .ok();
    assert_eq!(later["total_count"], 0);

    // cursor paging over -created_at: after the first user come the others
    let first = ids(&all)[0].clone();
    let rest = bapi(
        &state,
        "GET",
        &format!("/v1/users?starting_after={first}"),
        None,
    )
    .await
    .ok();
    assert_eq!(ids(&rest), ids(&all)[1..]);

    for bad in [
        "/v1/users?order_by=height",
        "/v1/users?starting_after=user_ada&order_by=username",
        "/v1/users?starting_after=user_ada&offset=1",
        "/v1/users?starting_after=user_nope",
    ] {
        bapi(&state, "GET", bad, None)
            .await
            .err(422, "form_param_value_invalid");
    }
    bapi(&state, "GET", "/v1/users?limit=501", None)
        .await
        .err(422, "form_param_format_invalid");
    bapi(&state, "GET", "/v1/users?banned=maybe", None)
        .await
        .err(422, "form_param_format_invalid");
    bapi(&state, "GET", "/v1/users?created_at_before=soon", None)
        .await
        .err(422, "form_param_format_invalid");
    // without the key
    bapi_get(&state, "/v1/users", None)
        .await
        .err(401, "authorization_header_format_invalid");
    bapi_get(&state, "/v1/users/user_ada", Some("sk_test_wrong"))
        .await
        .err(401, "clerk_key_invalid");
}

#[tokio::test]
async fn create_get_update_and_delete_a_user() {
    let state = state();
    let u = bapi(
        &state,
        "POST",
        "/v1/users",
        Some(json!({
            "email_address": ["New@Example.com", "second@example.com"],
            "phone_number": ["+1 555 555 0177"],
            "username": "NewOne",
            "password": "a-good-password-9",
            "first_name": "New",
            "external_id": "crm-42",
            "public_metadata": {"plan": "pro"},
            "private_metadata": {"crm": {"id": 42}},
        })),
    )
    .await
    .ok();
    let id = u["id"].as_str().unwrap().to_owned();
    assert_eq!(u["username"], "newone");
    assert_eq!(u["email_addresses"][0]["email_address"], "new@example.com");
    assert_eq!(u["primary_email_address_id"], u["email_addresses"][0]["id"]);
    assert_eq!(u["phone_numbers"][0]["phone_number"], "+15555550177");
    assert_eq!(u["password_enabled"], true);
    assert_eq!(u["private_metadata"]["crm"]["id"], 42);
    assert_eq!(u["external_id"], "crm-42");
    let got = bapi(&state, "GET", &format!("/v1/users/{id}"), None)
        .await
        .ok();
    assert_eq!(got["id"], id);
    let by_ext = bapi(&state, "GET", "/v1/users?external_id=crm-42", None)
        .await
        .ok();
    assert_eq!(ids(&by_ext), [id.as_str()]);

    // the user signs in through FAPI with the identifiers BAPI made
    let b = Browser::new(&state).await;
    b.sign_in("second@example.com", "a-good-password-9").await;

    // errors
    let dup = bapi(
        &state,
        "POST",
        "/v1/users",
        Some(json!({"email_address": ["new@example.com"], "password": "a-good-password-9"})),
    )
    .await;
    assert_eq!(
        dup.err(422, "form_identifier_exists").param(),
        "email_address"
    );
    bapi(
        &state,
        "POST",
        "/v1/users",
        Some(json!({"email_address": ["x@example.com"]})),
    )
    .await
    .err(422, "form_param_missing");
    bapi(
        &state,
        "POST",
        "/v1/users",
        Some(json!({"email_address": ["x@example.com"], "password": "short"})),
    )
    .await
    .err(422, "form_password_length_too_short");
    bapi(
        &state,
        "POST",
        "/v1/users",
        Some(json!({"email_address": ["not-an-email"], "password": "a-good-password-9"})),
    )
    .await
    .err(422, "form_param_format_invalid");
    bapi(&state, "POST", "/v1/users", Some(json!({"email_address": ["x@example.com"], "password": "a-good-password-9", "public_metadata": "nope"}))).await.err(422, "form_param_format_invalid");
    bapi(&state, "POST", "/v1/users", Some(json!({"external_id": "crm-42", "email_address": ["y@example.com"], "password": "a-good-password-9"}))).await.err(422, "form_identifier_exists");
    bapi(&state, "GET", "/v1/users/user_nope", None)
        .await
        .err(404, "resource_not_found");
    bapi(
        &state,
        "PATCH",
        "/v1/users/user_nope",
        Some(json!({"first_name": "X"})),
    )
    .await
    .err(404, "resource_not_found");

    // update: names, username (taken is a 422), null clears, password
    let up = bapi(&state, "PATCH", &format!("/v1/users/{id}"), Some(json!({"first_name": null, "last_name": "Person", "username": "renamed", "password": "another-good-one-8"}))).await.ok();
    assert!(up["first_name"].is_null());
    assert_eq!(up["last_name"], "Person");
    assert_eq!(up["username"], "renamed");
    bapi(
        &state,
        "PATCH",
        &format!("/v1/users/{id}"),
        Some(json!({"username": "alan"})),
    )
    .await
    .err(422, "form_identifier_exists");
    bapi(
        &state,
        "PATCH",
        &format!("/v1/users/{id}"),
        Some(json!({"primary_email_address_id": "idn_nope"})),
    )
    .await
    .err(422, "form_param_value_invalid");
    Browser::new(&state)
        .await
        .sign_in("renamed", "another-good-one-8")
        .await;

    // delete: its sessions go, its identifiers are free again
    let gone = bapi(&state, "DELETE", &format!("/v1/users/{id}"), None)
        .await
        .ok();
    assert_eq!(gone["object"], "user");
    assert_eq!(gone["deleted"], true);
    bapi(&state, "GET", &format!("/v1/users/{id}"), None)
        .await
        .err(404, "resource_not_found");
    bapi(&state, "DELETE", &format!("/v1/users/{id}"), None)
        .await
        .err(404, "resource_not_found");
    let client = b.get("/v1/client").await.ok();
    assert_eq!(client["response"]["sessions"], json!([]));
    bapi(
        &state,
        "POST",
        "/v1/users",
        Some(json!({"email_address": ["new@example.com"], "password": "a-good-password-9"})),
    )
    .await
    .ok();
}

#[tokio::test]
async fn metadata_merges_deeply_replaces_and_reaches_the_browser_and_tokens() {
    let seed = format!(
        "{SEED}\n[[jwt_templates]]\nname = \"meta\"\nclaims = {{ meta = \"{{{{user.public_metadata}}}}\" }}\n"
    );
    let state = state_with(&seed);
    let path = "/v1/users/user_ada/metadata";
    bapi(
        &state,
        "PUT",
        path,
        Some(json!({"public_metadata": {"plan": "pro", "limits": {"seats": 5, "projects": 2}}})),
    )
    .await
    .ok();
    let u = bapi(&state, "PATCH", path, Some(json!({
        "public_metadata": {"limits": {"projects": null, "storage": 10}, "plan": null, "new": {"deep": {"x": null, "y": 1}}},
        "private_metadata": {"secret": 1},
    })))
    .await
    .ok();
    assert_eq!(
        u["public_metadata"],
        json!({"limits": {"seats": 5, "storage": 10}, "new": {"deep": {"y": 1}}})
    );
    assert_eq!(u["private_metadata"], json!({"secret": 1}));
    // PUT replaces only the given fields
    let u = bapi(
        &state,
        "PUT",
        path,
        Some(json!({"unsafe_metadata": {"theme": "dark"}})),
    )
    .await
    .ok();
    assert_eq!(u["private_metadata"], json!({"secret": 1}));
    assert_eq!(u["unsafe_metadata"], json!({"theme": "dark"}));
    let u = bapi(&state, "PUT", path, Some(json!({"private_metadata": {}})))
        .await
        .ok();
    assert_eq!(u["private_metadata"], json!({}));
    bapi(&state, "PATCH", path, Some(json!({"public_metadata": [1]})))
        .await
        .err(422, "form_param_format_invalid");
    bapi(
        &state,
        "PATCH",
        "/v1/users/user_nope/metadata",
        Some(json!({})),
    )
    .await
    .err(404, "resource_not_found");

    // the browser's user and a template token carry it; private metadata stays out of FAPI
    let b = Browser::new(&state).await;
    let sid = b.sign_in(ADA, PASSWORD).await;
    let me = b.get("/v1/me").await.ok();
    assert_eq!(me["response"]["public_metadata"]["limits"]["seats"], 5);
    assert!(me["response"]
        .get("private_metadata")
        .is_none_or(|v| v.is_null()));
    let r = b
        .post(&format!("/v1/client/sessions/{sid}/tokens/meta"), &[])
        .await
        .ok();
    assert_eq!(
        claims(r["jwt"].as_str().unwrap())["meta"]["new"]["deep"]["y"],
        1
    );
}

#[tokio::test]
async fn a_fapi_sign_up_is_a_bapi_user() {
    let state = state();
    let b = Browser::new(&state).await;
    let r = b
        .post(
            "/v1/client/sign_ups",
            &[
                ("email_address", "fresh+clerk_test@example.com"),
                ("password", "a-fine-password-7"),
            ],
        )
        .await
        .ok();
    let id = r["response"]["id"].as_str().unwrap().to_owned();
    let done = b
        .prepare_and_attempt(
            &format!("/v1/client/sign_ups/{id}"),
            "verification",
            "email_code",
        )
        .await;
    let user_id = done["response"]["created_user_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let list = bapi(
        &state,
        "GET",
        "/v1/users?email_address=fresh%2Bclerk_test%40example.com",
        None,
    )
    .await
    .ok();
    assert_eq!(ids(&list), [user_id]);
    assert_eq!(
        list[0]["email_addresses"][0]["verification"]["strategy"],
        "email_code"
    );
    assert_eq!(
        list[0]["email_addresses"][0]["verification"]["object"],
        "verification_otp"
    );
}

#[tokio::test]
async fn ban_lock_and_verify_password() {
    let state = state();
    let b = Browser::new(&state).await;
    b.sign_in(ALAN, PASSWORD).await;
    let u = bapi(&state, "POST", "/v1/users/user_alan/ban", None)
        .await
        .ok();
    assert_eq!(u["banned"], true);
    // the browser is signed out, and may not sign in again
    assert_eq!(
        b.get("/v1/client").await.ok()["response"]["sessions"],
        json!([])
    );
    b.post(
        "/v1/client/sign_ins",
        &[
            ("identifier", ALAN),
            ("password", PASSWORD),
            ("strategy", "password"),
        ],
    )
    .await
    .err(403, "user_banned");
    let banned = bapi(&state, "GET", "/v1/users?banned=true", None)
        .await
        .ok();
    assert_eq!(ids(&banned), ["user_alan"]);
    bapi(&state, "POST", "/v1/users/user_alan/unban", None)
        .await
        .ok();
    b.sign_in(ALAN, PASSWORD).await;

    let u = bapi(&state, "POST", "/v1/users/user_alan/lock", None)
        .await
        .ok();
    assert_eq!(u["locked"], true);
    assert!(u["lockout_expires_in_seconds"].as_i64().unwrap() > 3000);
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
    let u = bapi(&state, "POST", "/v1/users/user_alan/unlock", None)
        .await
        .ok();
    assert_eq!(u["locked"], false);
    b.sign_in(ALAN, PASSWORD).await;
    bapi(&state, "POST", "/v1/users/user_nope/ban", None)
        .await
        .err(404, "resource_not_found");

    let path = "/v1/users/user_alan/verify_password";
    let ok = bapi(&state, "POST", path, Some(json!({"password": PASSWORD})))
        .await
        .ok();
    assert_eq!(ok, json!({"verified": true}));
    bapi(&state, "POST", path, Some(json!({"password": "wrong"})))
        .await
        .err(422, "incorrect_password");
    bapi(&state, "POST", path, Some(json!({})))
        .await
        .err(422, "form_param_missing");
    bapi(
        &state,
        "POST",
        "/v1/users/user_nope/verify_password",
        Some(json!({"password": "x"})),
    )
    .await
    .err(404, "resource_not_found");
    let nopw = bapi(
        &state,
        "POST",
        "/v1/users",
        Some(json!({"email_address": ["nopw@example.com"], "skip_password_requirement": true})),
    )
    .await
    .ok();
    bapi(
        &state,
        "POST",
        &format!("/v1/users/{}/verify_password", nopw["id"].as_str().unwrap()),
        Some(json!({"password": "x"})),
    )
    .await
    .err(400, "password_not_set");
}
