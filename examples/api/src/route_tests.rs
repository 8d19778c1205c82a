//! The new routes through the whole router (`oneshot`): the admin API against the real dev server
//! in process (its Backend API, the seed's users), with session tokens signed by its key; the
//! webhook endpoint with deliveries signed as Svix signs them.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use clerk_backend::AuthenticateRequestOptions;
use clerk_backend::axum::ClerkLayer;
use clerk_backend::core::claims::TokenCategory;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::{AppState, router};
use leptos_clerk_example_api::synced;

const SEED: &str = include_str!("../../../dev-server/seed.toml");
const KEY: &str = include_str!("../../../dev-server/tests/fixtures/test-signing-key.pem");
const ORIGIN: &str = "http://127.0.0.1:3000";
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

struct Harness {
    app: axum::Router,
    dev: clerk_dev_server::AppState,
    state: Arc<AppState>,
}

async fn harness_with(secret: &str) -> Harness {
    let dev = clerk_dev_server::AppState::in_memory(SEED, Some(KEY)).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let dev_app = clerk_dev_server::app(dev.clone());
    tokio::spawn(async move { axum::serve(listener, dev_app).await.unwrap() });
    let mut options =
        AuthenticateRequestOptions::new(dev.publishable_key.clone(), dev.secret_key.clone());
    options.api_url = url;
    options.jwt_key = Some(dev.signer.public_pem());
    options.authorized_parties = vec![ORIGIN.into()];
    let layer = ClerkLayer::new(options).unwrap();
    let state = Arc::new(AppState {
        index: "<html><head></head><body></body></html>".into(),
        index_source: None,
        proxy: leptos_clerk_example_api::proxy::Proxy::none(),
        synced: Arc::new(synced::Store::open(":memory:").unwrap()),
    });
    let app = router(
        layer,
        secret,
        std::path::Path::new("/nonexistent"),
        state.clone(),
    );
    Harness { app, dev, state }
}

async fn harness() -> Harness {
    harness_with(SECRET).await
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A session token of the dev server for `user`, with an active organization `(id, role)`.
fn token(h: &Harness, user: &str, org: Option<(&str, &str)>) -> String {
    let iat = now() - 5;
    let mut claims = json!({
        "iss": "https://clerk-dev-server.lcl.dev", "sub": user, "sid": format!("sess_{user}"),
        "azp": ORIGIN, "iat": iat, "nbf": iat - 5, "exp": iat + 60, "v": 2, "fva": [0, -1],
    });
    if let Some((id, role)) = org {
        claims["o"] = json!({ "id": id, "rol": role, "slg": "acme" });
    }
    h.dev
        .signer
        .sign(&claims, TokenCategory::Session)
        .expect("signed")
}

fn admin(h: &Harness) -> String {
    token(h, "user_ada", Some(("org_acme", "admin")))
}

async fn call(
    h: &Harness,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header("accept", "application/json");
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let req = match body {
        Some(b) => req
            .header("content-type", "application/json")
            .body(Body::from(b.to_string())),
        None => req.body(Body::empty()),
    }
    .unwrap();
    let res = h.app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes)
            .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into_owned())),
    )
}

fn ids(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn admin_users_is_for_org_admins_only() {
    let h = harness().await;
    let (s, body) = call(&h, "GET", "/api/admin/users", None, None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{body}");
    let personal = token(&h, "user_ada", None);
    let (s, _) = call(&h, "GET", "/api/admin/users", Some(&personal), None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let member = token(&h, "user_alan", Some(("org_acme", "member")));
    let (s, _) = call(&h, "GET", "/api/admin/users", Some(&member), None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let body = json!({"public_metadata": {"plan": "pro"}});
    let (s, _) = call(
        &h,
        "POST",
        "/api/admin/users/user_grace/metadata",
        Some(&member),
        Some(body),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let grace = h.dev_user("user_grace").await;
    assert!(grace["public_metadata"].get("plan").is_none(), "{grace}");
}

#[tokio::test]
async fn admin_users_pages_and_searches() {
    let h = harness().await;
    let t = admin(&h);
    let (s, all) = call(&h, "GET", "/api/admin/users?limit=100", Some(&t), None).await;
    assert_eq!(s, StatusCode::OK, "{all}");
    assert_eq!(all["total_count"], 4);
    let all_ids = ids(&all);
    assert_eq!(all_ids.len(), 4);
    for id in ["user_ada", "user_grace", "user_alan", "user_katherine"] {
        assert!(all_ids.contains(&id.to_owned()), "{all_ids:?}");
    }
    let ada = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == "user_ada")
        .unwrap();
    assert_eq!(ada["email"], "ada+clerk_test@example.com");
    assert!(ada["public_metadata"].is_object());
    for key in ["id", "email", "first_name", "last_name", "public_metadata"] {
        assert!(ada.get(key).is_some(), "{key} in {ada}");
    }
    // pages of 3: the second holds the rest, in the same order, the total on each
    let (_, p1) = call(
        &h,
        "GET",
        "/api/admin/users?limit=3&offset=0",
        Some(&t),
        None,
    )
    .await;
    let (_, p2) = call(
        &h,
        "GET",
        "/api/admin/users?limit=3&offset=3",
        Some(&t),
        None,
    )
    .await;
    assert_eq!(p1["total_count"], 4);
    assert_eq!(p2["total_count"], 4);
    assert_eq!(p2["offset"], 3);
    let mut paged = ids(&p1);
    paged.extend(ids(&p2));
    assert_eq!(paged, all_ids);
    // search: a partial email; an empty query is none
    let (_, found) = call(&h, "GET", "/api/admin/users?query=grac", Some(&t), None).await;
    assert_eq!(ids(&found), ["user_grace"]);
    assert_eq!(found["total_count"], 1);
    let (_, none) = call(
        &h,
        "GET",
        "/api/admin/users?query=nobody-like-this",
        Some(&t),
        None,
    )
    .await;
    assert_eq!(none["total_count"], 0);
    let (_, empty) = call(&h, "GET", "/api/admin/users?query=&limit=2", Some(&t), None).await;
    assert_eq!(empty["total_count"], 4);
    assert_eq!(ids(&empty).len(), 2);
    // a limit out of range is clamped
    let (_, one) = call(&h, "GET", "/api/admin/users?limit=0", Some(&t), None).await;
    assert_eq!(ids(&one).len(), 1);
}

impl Harness {
    /// The user as the dev server's Backend API has it.
    async fn dev_user(&self, id: &str) -> Value {
        let dev = axum::Router::new().merge(clerk_dev_server::app(self.dev.clone()));
        let req = Request::get(format!("/v1/users/{id}"))
            .header("authorization", format!("Bearer {}", self.dev.secret_key))
            .body(Body::empty())
            .unwrap();
        let res = dev.oneshot(req).await.unwrap();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        serde_json::from_slice(&bytes).unwrap()
    }
}

#[tokio::test]
async fn admin_sets_public_metadata_by_deep_merge() {
    let h = harness().await;
    let t = admin(&h);
    let url = "/api/admin/users/user_grace/metadata";
    let (s, u) = call(
        &h,
        "POST",
        url,
        Some(&t),
        Some(json!({"public_metadata": {"plan": "pro", "limits": {"seats": 3, "projects": 1}}})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{u}");
    assert_eq!(u["id"], "user_grace");
    assert_eq!(u["public_metadata"]["plan"], "pro");
    // deep merge: the nested object keeps what is not named; null deletes
    let (_, u) = call(
        &h,
        "POST",
        url,
        Some(&t),
        Some(json!({"public_metadata": {"limits": {"seats": 5, "projects": null}}})),
    )
    .await;
    assert_eq!(
        u["public_metadata"],
        json!({"plan": "pro", "limits": {"seats": 5}})
    );
    let grace = h.dev_user("user_grace").await;
    assert_eq!(
        grace["public_metadata"],
        json!({"plan": "pro", "limits": {"seats": 5}})
    );
    // the list shows it too
    let (_, found) = call(&h, "GET", "/api/admin/users?query=grace", Some(&t), None).await;
    assert_eq!(found["data"][0]["public_metadata"]["plan"], "pro");
    // an unknown user is the Backend API's 404; a body without public_metadata a 422
    let (s, e) = call(
        &h,
        "POST",
        "/api/admin/users/user_nobody/metadata",
        Some(&t),
        Some(json!({"public_metadata": {"plan": "pro"}})),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{e}");
    assert_eq!(e["errors"][0]["code"], "resource_not_found");
    let (s, e) = call(&h, "POST", url, Some(&t), Some(json!({"plan": "pro"}))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
}

// ---- webhooks ------------------------------------------------------------------------------

fn user_event(kind: &str, id: &str, email: &str, first: &str, updated_at: i64) -> Value {
    json!({
        "object": "event", "type": kind, "timestamp": 1_700_000_000_000_i64, "instance_id": "ins_1",
        "data": {
            "object": "user", "id": id, "first_name": first, "last_name": "Lovelace",
            "primary_email_address_id": "idn_1",
            "email_addresses": [{"id": "idn_1", "object": "email_address", "email_address": email}],
            "public_metadata": {"plan": "free"}, "created_at": 1_700_000_000_000_i64, "updated_at": updated_at,
        },
    })
}

fn deleted_event(id: &str) -> Value {
    json!({ "object": "event", "type": "user.deleted", "timestamp": 1_700_000_000_000_i64,
        "data": { "object": "user", "id": id, "deleted": true } })
}

/// POSTs a delivery signed with `secret` (the body possibly changed after signing).
async fn deliver(
    h: &Harness,
    msg_id: &str,
    event: &Value,
    secret: &str,
    tamper: bool,
) -> (StatusCode, Value) {
    let body = event.to_string();
    let ts = now();
    let sig = clerk_backend::webhooks::sign(secret, msg_id, ts, body.as_bytes()).unwrap();
    let body = if tamper {
        body.replace("Ada", "Eve")
    } else {
        body
    };
    let req = Request::post("/api/webhooks/clerk")
        .header("content-type", "application/json")
        .header("svix-id", msg_id)
        .header("svix-timestamp", ts.to_string())
        .header("svix-signature", sig)
        .body(Body::from(body))
        .unwrap();
    let res = h.app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

async fn synced_users(h: &Harness) -> Value {
    let t = token(h, "user_ada", None);
    let (s, body) = call(h, "GET", "/api/synced-users", Some(&t), None).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    body
}

#[tokio::test]
async fn webhooks_insert_update_delete_once_per_delivery() {
    let h = harness().await;
    let created = user_event("user.created", "user_x", "ada@example.com", "Ada", 1);
    let (s, r) = deliver(&h, "msg_1", &created, SECRET, false).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["applied"], "inserted");
    assert_eq!(r["delivery_id"], "msg_1");
    let table = synced_users(&h).await;
    assert_eq!(table["total_count"], 1);
    let row = &table["data"][0];
    assert_eq!(row["id"], "user_x");
    assert_eq!(row["email"], "ada@example.com");
    assert_eq!(row["first_name"], "Ada");
    assert_eq!(row["public_metadata"], json!({"plan": "free"}));
    assert_eq!(row["last_event"], "user.created");

    let mut updated = user_event("user.updated", "user_x", "ada@example.org", "Augusta", 2);
    updated["data"]["public_metadata"] = json!({"plan": "pro"});
    let (_, r) = deliver(&h, "msg_2", &updated, SECRET, false).await;
    assert_eq!(r["applied"], "updated");
    // a retry of the creation (same svix-id) changes nothing
    let (s, r) = deliver(&h, "msg_1", &created, SECRET, false).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(r["applied"], "duplicate");
    let row = &synced_users(&h).await["data"][0];
    assert_eq!(row["email"], "ada@example.org");
    assert_eq!(row["first_name"], "Augusta");
    assert_eq!(row["public_metadata"]["plan"], "pro");
    assert_eq!(row["last_event"], "user.updated");

    // other events are acknowledged and ignored
    let session = json!({"object": "event", "type": "session.created", "timestamp": 1,
        "data": {"object": "session", "id": "sess_1", "user_id": "user_x", "client_id": "client_1", "status": "active"}});
    let (s, r) = deliver(&h, "msg_3", &session, SECRET, false).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["applied"], "ignored");

    let (_, r) = deliver(&h, "msg_4", &deleted_event("user_x"), SECRET, false).await;
    assert_eq!(r["applied"], "deleted");
    assert_eq!(synced_users(&h).await["total_count"], 0);
    // the deletion again (a replay): a duplicate; a new delivery of it: nothing to delete
    let (_, r) = deliver(&h, "msg_4", &deleted_event("user_x"), SECRET, false).await;
    assert_eq!(r["applied"], "duplicate");
    let (_, r) = deliver(&h, "msg_5", &deleted_event("user_x"), SECRET, false).await;
    assert_eq!(r["applied"], "ignored");
    // an update of a user whose creation was missed inserts it
    let (_, r) = deliver(&h, "msg_6", &updated, SECRET, false).await;
    assert_eq!(r["applied"], "inserted");
    assert_eq!(h.state.synced.list().unwrap().len(), 1);
}

#[tokio::test]
async fn webhooks_refuse_bad_signatures_and_change_nothing() {
    let h = harness().await;
    let created = user_event("user.created", "user_y", "ada@example.com", "Ada", 1);
    let (s, r) = deliver(&h, "msg_t", &created, SECRET, true).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{r}");
    assert_eq!(r["errors"][0]["code"], "webhook_invalid");
    let (s, _) = deliver(
        &h,
        "msg_w",
        &created,
        "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
        false,
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let unsigned = Request::post("/api/webhooks/clerk")
        .header("content-type", "application/json")
        .body(Body::from(created.to_string()))
        .unwrap();
    let res = h.app.clone().oneshot(unsigned).await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(h.state.synced.list().unwrap().is_empty());
    // the refused id was not recorded: the genuine delivery still applies
    let (s, r) = deliver(&h, "msg_t", &created, SECRET, false).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(r["applied"], "inserted");
    // without a secret the endpoint is misconfigured: 500
    let h = harness_with("").await;
    let (s, _) = deliver(&h, "msg_1", &created, SECRET, false).await;
    assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR);
}

#[tokio::test]
async fn synced_users_need_a_session_and_survive_a_reopen() {
    let h = harness().await;
    let (s, _) = call(&h, "GET", "/api/synced-users", None, None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // a file database keeps the rows (and the delivery ids) across a restart
    let dir = std::env::temp_dir().join(format!("synced-test-{}", std::process::id()));
    let path = dir.join("users.sqlite3").display().to_string();
    let _ = std::fs::remove_dir_all(&dir);
    {
        let store = synced::Store::open(&path).unwrap();
        let mut event = clerk_backend::webhooks::WebhookEvent::parse(
            user_event("user.created", "user_z", "z@example.com", "Zed", 1)
                .to_string()
                .as_bytes(),
        )
        .unwrap();
        event.delivery_id = Some("msg_z".into());
        assert_eq!(store.apply(&event).unwrap(), synced::Applied::Inserted);
    }
    let store = synced::Store::open(&path).unwrap();
    assert_eq!(store.list().unwrap()[0].id, "user_z");
    let mut again = clerk_backend::webhooks::WebhookEvent::parse(
        deleted_event("user_z").to_string().as_bytes(),
    )
    .unwrap();
    again.delivery_id = Some("msg_z".into());
    assert_eq!(store.apply(&again).unwrap(), synced::Applied::Duplicate);
    let _ = std::fs::remove_dir_all(&dir);
}
