//! Webhooks: Clerk's events, Svix-signed, delivered to a real HTTP receiver on loopback (axum in
//! the test), in order, retried, replayed; and the outbox across `kill -9` of the real binary.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use clerk_dev_server::{AppState, Options};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

use crate::common::*;

const SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

/// Verifies a Svix signature header the way a receiver does (written here, not the server's
/// code): HMAC-SHA256 over `{id}.{timestamp}.{body}` with the base64-decoded secret, any `v1,`
/// entry matching in constant time.
fn svix_verify(secret: &str, id: &str, timestamp: &str, body: &[u8], header: &str) -> bool {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").expect("whsec_"))
        .expect("base64");
    header.split(' ').any(|entry| {
        let Some(sig) = entry.strip_prefix("v1,") else {
            return false;
        };
        let Ok(sig) = STANDARD.decode(sig) else {
            return false;
        };
        let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
        mac.update(format!("{id}.{timestamp}.").as_bytes());
        mac.update(body);
        mac.verify_slice(&sig).is_ok()
    })
}

#[test]
fn the_svix_test_vector() {
    let (id, ts) = ("msg_27UH4WbU6Z5A5EzD8u03UvzRbpk", 1649367553);
    let body = br#"{"email":"test@example.com","username":"test_user"}"#;
    let expected = "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=";
    let secret = clerk_dev_server::webhooks::Secret::parse(SECRET).unwrap();
    assert_eq!(secret.sign(id, ts, body), expected);
    assert!(svix_verify(SECRET, id, "1649367553", body, expected));
    assert!(svix_verify(
        SECRET,
        id,
        "1649367553",
        body,
        &format!("v2,abc {expected}")
    ));
    assert!(!svix_verify(SECRET, id, "1649367554", body, expected));
    assert!(!svix_verify(SECRET, id, "1649367553", b"{}", expected));
    // Generated secrets are whsec_ + 24 bytes of standard base64, and parse back.
    let new = clerk_dev_server::webhooks::Secret::generate();
    let text = new.as_str().to_owned();
    assert_eq!(text.len(), "whsec_".len() + 32, "{text}");
    assert!(clerk_dev_server::webhooks::Secret::parse(&text).is_ok());
    for bad in ["C2FVsBQIhrscChlQIMV+b5sSYspob7oD", "whsec_", "whsec_!!!"] {
        assert!(
            clerk_dev_server::webhooks::Secret::parse(bad).is_err(),
            "{bad}"
        );
    }
    assert!(clerk_dev_server::webhooks::parse_endpoint("ftp://x/").is_err());
    assert!(clerk_dev_server::webhooks::parse_endpoint("/hook").is_err());
    assert!(clerk_dev_server::webhooks::parse_endpoint("http://127.0.0.1:9/hook").is_ok());
}

/// One POST the receiver got.
#[derive(Clone, Debug)]
struct Got {
    id: String,
    timestamp: String,
    signature: String,
    body: String,
    event: Value,
    at: Instant,
}

impl Got {
    fn kind(&self) -> &str {
        self.event["type"].as_str().unwrap_or_default()
    }
}

/// How the receiver answers.
#[derive(Clone, Default)]
struct Behaviour {
    /// Answer 500 to this many requests first.
    fail_first: usize,
    /// Answer 500 always.
    always_fail: bool,
    /// Wait this long before answering the next request (once).
    delay: Duration,
}

/// A webhook endpoint on loopback: records every request (also the failed ones).
#[derive(Clone)]
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Got>>>,
    behaviour: Arc<Mutex<Behaviour>>,
}

async fn hook(
    axum::extract::State(r): axum::extract::State<Receiver>,
    headers: HeaderMap,
    body: String,
) -> StatusCode {
    let header = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(header("content-type"), "application/json");
    let got = Got {
        id: header("svix-id"),
        timestamp: header("svix-timestamp"),
        signature: header("svix-signature"),
        event: serde_json::from_str(&body).unwrap_or(Value::Null),
        body,
        at: Instant::now(),
    };
    let (delay, fail) = {
        let mut b = r.behaviour.lock().unwrap();
        let fail = b.always_fail || b.fail_first > 0;
        b.fail_first = b.fail_first.saturating_sub(1);
        (std::mem::take(&mut b.delay), fail)
    };
    r.got.lock().unwrap().push(got);
    tokio::time::sleep(delay).await;
    if fail {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::NO_CONTENT
    }
}

impl Receiver {
    /// A receiver for a port nothing listens on yet (connections are refused until `listen`).
    fn unbound() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        Self {
            url: format!("http://127.0.0.1:{port}/clerk/webhooks"),
            got: Arc::default(),
            behaviour: Arc::default(),
        }
    }

    /// Starts answering on its port, on the current runtime.
    async fn listen(&self) {
        let addr = self
            .url
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap()
            .to_owned();
        let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
        let app = axum::Router::new()
            .route("/clerk/webhooks", axum::routing::post(hook))
            .with_state(self.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    }

    async fn start() -> Self {
        let r = Self::unbound();
        r.listen().await;
        r
    }

    fn all(&self) -> Vec<Got> {
        self.got.lock().unwrap().clone()
    }

    /// The deliveries answered 2xx (the receiver's view: not failed on purpose), first copy of
    /// each message.
    fn accepted(&self) -> Vec<Got> {
        let mut seen = HashSet::new();
        self.all()
            .into_iter()
            .filter(|g| seen.insert(g.id.clone()))
            .collect()
    }

    /// Waits until `done` holds for what arrived (10 s at most).
    async fn wait_until(&self, what: &str, done: impl Fn(&[Got]) -> bool) -> Vec<Got> {
        let start = Instant::now();
        loop {
            let got = self.all();
            if done(&got) {
                return got;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "timed out waiting for {what}; got {:?}",
                got.iter().map(Got::kind).collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits for an event of this type matching `pred`.
    async fn event(&self, kind: &str, pred: impl Fn(&Value) -> bool) -> Got {
        let got = self
            .wait_until(kind, |g| {
                g.iter().any(|g| g.kind() == kind && pred(&g.event))
            })
            .await;
        got.into_iter()
            .find(|g| g.kind() == kind && pred(&g.event))
            .unwrap()
    }
}

/// An in-memory server sending webhooks to `receivers`, with short retry delays.
fn server(receivers: &[&Receiver], backoff_ms: &[u64]) -> AppState {
    AppState::new(Options {
        seed_toml: Some(SEED.into()),
        signing_key_pem: Some(KEY.into()),
        webhooks: receivers.iter().map(|r| r.url.clone()).collect(),
        webhook_secret: Some(SECRET.into()),
        webhook_backoff_ms: Some(backoff_ms.to_vec()),
        ..Options::default()
    })
    .expect("state")
}

/// A complete sign-up with the test code; returns the sign-up.
async fn sign_up(b: &Browser, email: &str) -> Value {
    let r = b
        .post(
            "/v1/client/sign_ups",
            &[
                ("email_address", email),
                ("password", "webhook-test-password-7"),
            ],
        )
        .await
        .ok();
    let id = r["response"]["id"].as_str().unwrap().to_owned();
    let r = b
        .prepare_and_attempt(
            &format!("/v1/client/sign_ups/{id}"),
            "verification",
            "email_code",
        )
        .await;
    assert_eq!(r["response"]["status"], "complete", "{r}");
    r["response"].clone()
}

fn assert_signed(g: &Got) {
    assert!(g.id.starts_with("msg_") && g.id.len() == 31, "{}", g.id);
    let ts: i64 = g.timestamp.parse().expect("svix-timestamp is Unix seconds");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!((now - ts).abs() < 60, "timestamp {ts} vs now {now}");
    assert!(
        svix_verify(SECRET, &g.id, &g.timestamp, g.body.as_bytes(), &g.signature),
        "bad signature {} on {}",
        g.signature,
        g.body
    );
}

fn has_email(user: &Value, email: &str) -> bool {
    user["email_addresses"]
        .as_array()
        .is_some_and(|a| a.iter().any(|e| e["email_address"] == email))
}

async fn dev_webhooks(state: &AppState, query: &str) -> Value {
    send(
        state,
        axum::http::Request::get(format!("/v1/__dev/webhooks{query}"))
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .ok()
}

#[tokio::test]
async fn sign_up_sends_email_user_and_session_created_signed() {
    let rx = Receiver::start().await;
    let state = server(&[&rx], &[50, 100]);
    let b = Browser::new(&state).await;
    let email = "hooked+clerk_test@example.com";
    let su = sign_up(&b, email).await;
    let user_id = su["created_user_id"].as_str().unwrap();
    let session_id = su["created_session_id"].as_str().unwrap();

    let created = rx
        .event("user.created", |e| e["data"]["id"] == user_id)
        .await;
    let session = rx
        .event("session.created", |e| e["data"]["id"] == session_id)
        .await;
    let mail = rx
        .event("email.created", |e| e["data"]["to_email_address"] == email)
        .await;
    for g in [&created, &session, &mail] {
        assert_signed(g);
        let e = &g.event;
        assert_eq!(e["object"], "event");
        assert!(
            e["instance_id"].as_str().unwrap().starts_with("ins_"),
            "{e}"
        );
        assert!(
            e["timestamp"].as_i64().unwrap() > 1_600_000_000_000,
            "ms: {e}"
        );
        assert!(e["event_attributes"]["http_request"]["client_ip"].is_string());
        assert!(e["event_attributes"]["http_request"]["user_agent"].is_string());
    }
    // BAPI's User: object, private metadata, times in ms.
    let u = &created.event["data"];
    assert_eq!(u["object"], "user");
    assert!(has_email(u, email), "{u}");
    assert_eq!(u["password_enabled"], true);
    assert_eq!(u["email_addresses"][0]["object"], "email_address");
    assert_eq!(
        u["email_addresses"][0]["verification"]["status"],
        "verified"
    );
    assert!(u["private_metadata"].is_object());
    assert!(u["created_at"].as_i64().unwrap() > 1_600_000_000_000);
    assert!(
        u.get("organization_memberships").is_none(),
        "not FAPI's user"
    );
    // The session with its user.
    let s = &session.event["data"];
    assert_eq!(s["object"], "session");
    assert_eq!(s["status"], "active");
    assert_eq!(s["user_id"], user_id);
    assert_eq!(s["user"]["id"], user_id);
    assert!(s["client_id"].as_str().unwrap().starts_with("client_"));
    // The verification email, with its code.
    let m = &mail.event["data"];
    assert_eq!(m["object"], "email");
    assert_eq!(m["slug"], "verification_code");
    assert_eq!(m["data"]["otp_code"], "424242");
    assert_eq!(m["delivered_by_clerk"], false);
    assert!(m["id"].as_str().unwrap().starts_with("ema_"));
    // In the order of the changes: the email (prepare), then the user, then the session.
    let order: Vec<String> = rx.accepted().iter().map(|g| g.id.clone()).collect();
    let pos = |g: &Got| order.iter().position(|id| *id == g.id).unwrap();
    assert!(pos(&mail) < pos(&created) && pos(&created) < pos(&session));
    // Every message has its own id.
    let ids: HashSet<_> = rx.all().iter().map(|g| g.id.clone()).collect();
    assert_eq!(ids.len(), rx.all().len());
}

#[tokio::test]
async fn profile_update_sign_out_and_user_deletion() {
    let rx = Receiver::start().await;
    let state = server(&[&rx], &[50, 100]);
    let b = Browser::new(&state).await;
    let sid = b.sign_in(ADA, PASSWORD).await;
    rx.event("session.created", |e| e["data"]["id"] == sid.as_str())
        .await;
    // A sign-in is no user.updated (only activity times change).
    b.call("PATCH", "/v1/me", &[("first_name", "Augusta")])
        .await
        .ok();
    let updated = rx
        .event("user.updated", |e| e["data"]["first_name"] == "Augusta")
        .await;
    assert_signed(&updated);
    assert_eq!(updated.event["data"]["id"], "user_ada");
    let all = rx.accepted();
    let signed_in = all
        .iter()
        .position(|g| g.kind() == "session.created" && g.event["data"]["id"] == sid.as_str())
        .unwrap();
    let changed = all.iter().position(|g| g.id == updated.id).unwrap();
    assert!(
        all[signed_in..changed]
            .iter()
            .all(|g| g.kind() != "user.updated"),
        "only the profile change is a user.updated"
    );

    b.post(&format!("/v1/client/sessions/{sid}/end"), &[])
        .await
        .ok();
    let ended = rx
        .event("session.ended", |e| e["data"]["id"] == sid.as_str())
        .await;
    assert_eq!(ended.event["data"]["status"], "ended");

    let sid2 = b.sign_in(ADA, PASSWORD).await;
    b.call("DELETE", "/v1/client/sessions", &[]).await.ok();
    let removed = rx
        .event("session.removed", |e| e["data"]["id"] == sid2.as_str())
        .await;
    assert_eq!(removed.event["data"]["user"]["id"], "user_ada");

    // Deleting the user: its sessions are removed, its memberships deleted, then user.deleted.
    let c = Browser::new(&state).await;
    let sid3 = c.sign_in(ALAN, PASSWORD).await;
    c.call("DELETE", &format!("/v1/me?_clerk_session_id={sid3}"), &[])
        .await
        .ok();
    let deleted = rx
        .event("user.deleted", |e| e["data"]["id"] == "user_alan")
        .await;
    assert_eq!(deleted.event["data"]["deleted"], true);
    assert_eq!(deleted.event["data"]["object"], "user");
    rx.event("session.removed", |e| e["data"]["id"] == sid3.as_str())
        .await;
    rx.event("organizationMembership.deleted", |e| {
        e["data"]["public_user_data"]["user_id"] == "user_alan"
    })
    .await;
}

#[tokio::test]
async fn organizations_memberships_and_invitations() {
    let rx = Receiver::start().await;
    let state = server(&[&rx], &[50, 100]);
    let b = Browser::new(&state).await;
    b.sign_in(ADA, PASSWORD).await;
    let r = b
        .post(
            "/v1/organizations",
            &[("name", "Hooks Inc"), ("slug", "hooks-inc")],
        )
        .await
        .ok();
    let org = r["response"]["id"].as_str().unwrap().to_owned();
    let created = rx
        .event("organization.created", |e| e["data"]["id"] == org.as_str())
        .await;
    assert_eq!(created.event["data"]["object"], "organization");
    assert_eq!(created.event["data"]["slug"], "hooks-inc");
    let member = rx
        .event("organizationMembership.created", |e| {
            e["data"]["organization"]["id"] == org.as_str()
        })
        .await;
    let m = &member.event["data"];
    assert_eq!(m["object"], "organization_membership");
    assert_eq!(m["role"], "org:admin");
    assert_eq!(m["public_user_data"]["user_id"], "user_ada");
    assert!(m["permissions"].as_array().unwrap().len() > 1);

    b.call(
        "PATCH",
        &format!("/v1/organizations/{org}"),
        &[("name", "Hooks Incorporated")],
    )
    .await
    .ok();
    rx.event("organization.updated", |e| {
        e["data"]["name"] == "Hooks Incorporated"
    })
    .await;

    // Invite alan: the invitation and its email; alan accepts.
    let r = b
        .post(
            &format!("/v1/organizations/{org}/invitations"),
            &[("email_address", ALAN), ("role", "org:member")],
        )
        .await
        .ok();
    let inv = r["response"]["id"].as_str().unwrap().to_owned();
    let invited = rx
        .event("organizationInvitation.created", |e| {
            e["data"]["id"] == inv.as_str()
        })
        .await;
    assert_eq!(invited.event["data"]["status"], "pending");
    assert_eq!(invited.event["data"]["email_address"], ALAN);
    rx.event("email.created", |e| {
        e["data"]["slug"] == "organization_invitation" && e["data"]["to_email_address"] == ALAN
    })
    .await;
    let g = Browser::new(&state).await;
    g.sign_in(ALAN, PASSWORD).await;
    g.post(
        &format!("/v1/me/organization_invitations/{inv}/accept"),
        &[],
    )
    .await
    .ok();
    let accepted = rx
        .event("organizationInvitation.accepted", |e| {
            e["data"]["id"] == inv.as_str()
        })
        .await;
    assert_eq!(accepted.event["data"]["user_id"], "user_alan");
    rx.event("organizationMembership.created", |e| {
        e["data"]["organization"]["id"] == org.as_str()
            && e["data"]["public_user_data"]["user_id"] == "user_alan"
    })
    .await;

    // A role change, a revoked invitation, then the organization goes.
    b.call(
        "PATCH",
        &format!("/v1/organizations/{org}/memberships/user_alan"),
        &[("role", "org:admin")],
    )
    .await
    .ok();
    rx.event("organizationMembership.updated", |e| {
        e["data"]["role"] == "org:admin" && e["data"]["public_user_data"]["user_id"] == "user_alan"
    })
    .await;
    let r = b
        .post(
            &format!("/v1/organizations/{org}/invitations"),
            &[
                ("email_address", "nobody@example.com"),
                ("role", "org:member"),
            ],
        )
        .await
        .ok();
    let inv2 = r["response"]["id"].as_str().unwrap().to_owned();
    b.post(
        &format!("/v1/organizations/{org}/invitations/{inv2}/revoke"),
        &[],
    )
    .await
    .ok();
    rx.event("organizationInvitation.revoked", |e| {
        e["data"]["id"] == inv2.as_str() && e["data"]["status"] == "revoked"
    })
    .await;
    b.call("DELETE", &format!("/v1/organizations/{org}"), &[])
        .await
        .ok();
    let gone = rx
        .event("organization.deleted", |e| e["data"]["id"] == org.as_str())
        .await;
    assert_eq!(gone.event["data"]["deleted"], true);
    assert_eq!(gone.event["data"]["slug"], "hooks-inc");
    let all = rx.accepted();
    let deleted_members = all
        .iter()
        .filter(|g| {
            g.kind() == "organizationMembership.deleted"
                && g.event["data"]["organization"]["id"] == org.as_str()
        })
        .count();
    assert_eq!(
        deleted_members, 2,
        "both memberships go with the organization"
    );
}

#[tokio::test]
async fn one_endpoint_gets_its_events_in_order_even_through_retries() {
    let rx = Receiver::start().await;
    let other = Receiver::start().await;
    // The first two requests fail: the first event is retried before anything after it.
    rx.behaviour.lock().unwrap().fail_first = 2;
    let state = server(&[&rx, &other], &[100, 100, 100]);
    let b = Browser::new(&state).await;
    let sid = b.sign_in(ADA, PASSWORD).await;
    for i in 0..8 {
        b.call(
            "PATCH",
            &format!("/v1/me?_clerk_session_id={sid}"),
            &[("first_name", &format!("Name {i}"))],
        )
        .await
        .ok();
    }
    let wanted = |g: &[Got]| {
        g.iter()
            .any(|g| g.kind() == "user.updated" && g.event["data"]["first_name"] == "Name 7")
    };
    for r in [&rx, &other] {
        r.wait_until("the last update", wanted).await;
        let names: Vec<String> = r
            .accepted()
            .iter()
            .filter(|g| g.kind() == "user.updated")
            .map(|g| g.event["data"]["first_name"].as_str().unwrap().to_owned())
            .collect();
        let expected: Vec<String> = (0..8).map(|i| format!("Name {i}")).collect();
        assert_eq!(names, expected);
        // Nothing arrives before the retried first message is through.
        let all = r.all();
        let first_ok = all
            .iter()
            .rposition(|g| g.id == all[0].id)
            .expect("the first message");
        assert!(all[..first_ok].iter().all(|g| g.id == all[0].id));
    }
    assert_eq!(
        rx.all()[0].id,
        rx.all()[2].id,
        "retried with the same svix-id"
    );
    assert_eq!(
        rx.all()[0].id,
        other.all()[0].id,
        "one id for every endpoint"
    );
    // The outbox lists both endpoints' deliveries of the first message, delivered.
    let first = rx.all()[0].clone();
    let list = dev_webhooks(&state, &format!("?msg_id={}", first.id)).await;
    let data = list["data"].as_array().unwrap();
    assert_eq!(data.len(), 2, "{list}");
    let retried = data
        .iter()
        .find(|d| d["endpoint"] == rx.url.as_str())
        .unwrap();
    assert_eq!(retried["status"], "delivered");
    assert_eq!(retried["attempts"], 3, "{retried}");
    assert_eq!(retried["response_status"], 204);
    assert_eq!(retried["last_error"], Value::Null);
    assert_eq!(retried["event"]["type"], first.kind());
    let list = dev_webhooks(&state, "?type=session.created").await;
    assert_eq!(list["total_count"], 2, "one per endpoint: {list}");
}

#[tokio::test]
async fn a_receiver_that_comes_up_later_gets_the_event_and_failures_are_recorded() {
    let late = Receiver::unbound();
    let broken = Receiver::start().await;
    broken.behaviour.lock().unwrap().always_fail = true;
    let state = server(&[&late, &broken], &[300, 300, 300, 300, 300, 300]);
    let b = Browser::new(&state).await;
    let sid = b.sign_in(ADA, PASSWORD).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let list = dev_webhooks(&state, "").await;
    let pending = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["endpoint"] == late.url.as_str())
        .unwrap()
        .clone();
    assert_eq!(pending["status"], "pending", "{pending}");
    assert!(pending["attempts"].as_i64().unwrap() >= 1);
    assert!(
        pending["last_error"].as_str().unwrap().len() > 3,
        "{pending}"
    );
    assert_eq!(pending["response_status"], Value::Null);

    late.listen().await;
    let got = late
        .event("session.created", |e| e["data"]["id"] == sid.as_str())
        .await;
    assert_signed(&got);

    // The broken endpoint: 7 attempts (the first and 6 retries), then failed.
    let start = Instant::now();
    let failed = loop {
        let list = dev_webhooks(&state, "?status=failed").await;
        if let Some(d) = list["data"].as_array().unwrap().first() {
            break d.clone();
        }
        assert!(start.elapsed() < Duration::from_secs(10), "never failed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(failed["endpoint"], broken.url.as_str());
    assert_eq!(failed["attempts"], 7, "{failed}");
    assert_eq!(failed["response_status"], 500);
    assert_eq!(failed["last_error"], "HTTP 500 Internal Server Error");
    let msg = failed["msg_id"].as_str().unwrap().to_owned();
    let tries = broken.all().iter().filter(|g| g.id == msg).count();
    assert_eq!(tries, 7);

    // Replay it once the endpoint works: the same id and body again.
    broken.behaviour.lock().unwrap().always_fail = false;
    let r = send(
        &state,
        axum::http::Request::post(format!("/v1/__dev/webhooks/{msg}/replay"))
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .ok();
    assert_eq!(r["msg_id"], msg.as_str());
    broken
        .wait_until("the replay", |g| {
            g.iter().filter(|g| g.id == msg).count() == 8
        })
        .await;
    let copies: Vec<Got> = broken.all().into_iter().filter(|g| g.id == msg).collect();
    assert_eq!(copies[0].body, copies[7].body);
    assert_signed(&copies[7]);
    let start = Instant::now();
    loop {
        let list = dev_webhooks(&state, &format!("?msg_id={msg}")).await;
        let d = list["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["endpoint"] == broken.url.as_str())
            .unwrap()
            .clone();
        if d["status"] == "delivered" {
            assert_eq!(d["replays"], 1);
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(5), "{d}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    send(
        &state,
        axum::http::Request::post("/v1/__dev/webhooks/msg_nope/replay")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .err(404, "resource_not_found");
}

#[tokio::test]
async fn the_request_does_not_wait_for_delivery() {
    let rx = Receiver::start().await;
    rx.behaviour.lock().unwrap().delay = Duration::from_secs(3);
    let state = server(&[&rx], &[100]);
    let b = Browser::new(&state).await;
    b.sign_in(ADA, PASSWORD).await; // the first delivery is now stuck for 3 s
    rx.wait_until("a delivery in flight", |g| !g.is_empty())
        .await;
    let started = Instant::now();
    b.call("PATCH", "/v1/me", &[("first_name", "Quick")])
        .await
        .ok();
    let took = started.elapsed();
    assert!(
        took < Duration::from_millis(1500),
        "the request took {took:?}"
    );
    let got = rx
        .event("user.updated", |e| e["data"]["first_name"] == "Quick")
        .await;
    assert!(
        got.at > started + Duration::from_secs(2),
        "after the slow one"
    );
}

/// A Backend API call with the secret key and a JSON body.
async fn bapi(state: &AppState, method: &str, path: &str, body: Value) -> Resp {
    send(
        state,
        axum::http::Request::builder()
            .method(method)
            .uri(path)
            .header("authorization", format!("Bearer {}", state.secret_key))
            .header("content-type", "application/json")
            .body(axum::body::Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn backend_api_changes_send_the_same_events() {
    let rx = Receiver::start().await;
    let state = server(&[&rx], &[50, 100]);
    let r = bapi(
        &state,
        "POST",
        "/v1/users",
        serde_json::json!({
            "email_address": ["bapi-hook@example.com"],
            "password": "webhook-bapi-password-5",
            "private_metadata": {"tier": "gold"},
        }),
    )
    .await
    .ok();
    let id = r["id"].as_str().unwrap().to_owned();
    let created = rx
        .event("user.created", |e| e["data"]["id"] == id.as_str())
        .await;
    assert_signed(&created);
    assert_eq!(created.event["data"]["private_metadata"]["tier"], "gold");
    assert!(has_email(&created.event["data"], "bapi-hook@example.com"));
    bapi(
        &state,
        "PATCH",
        &format!("/v1/users/{id}/metadata"),
        serde_json::json!({"public_metadata": {"plan": "team"}}),
    )
    .await
    .ok();
    rx.event("user.updated", |e| {
        e["data"]["id"] == id.as_str() && e["data"]["public_metadata"]["plan"] == "team"
    })
    .await;

    // A session revoked through the Backend API.
    let b = Browser::new(&state).await;
    let sid = b.sign_in(ADA, PASSWORD).await;
    bapi(
        &state,
        "POST",
        &format!("/v1/sessions/{sid}/revoke"),
        serde_json::json!({}),
    )
    .await
    .ok();
    let revoked = rx
        .event("session.revoked", |e| e["data"]["id"] == sid.as_str())
        .await;
    assert_eq!(revoked.event["data"]["status"], "revoked");
    assert_eq!(revoked.event["data"]["user"]["id"], "user_ada");

    // An organization's private metadata (kept beside it) is an organization.updated.
    bapi(
        &state,
        "PATCH",
        "/v1/organizations/org_acme/metadata",
        serde_json::json!({"private_metadata": {"crm": 7}}),
    )
    .await
    .ok();
    rx.event("organization.updated", |e| {
        e["data"]["id"] == "org_acme" && e["data"]["private_metadata"]["crm"] == 7
    })
    .await;

    bapi(
        &state,
        "DELETE",
        &format!("/v1/users/{id}"),
        serde_json::json!({}),
    )
    .await
    .ok();
    rx.event("user.deleted", |e| e["data"]["id"] == id.as_str())
        .await;
}

#[tokio::test]
async fn no_endpoint_no_outbox_but_a_secret() {
    let state = state();
    assert!(state.webhooks.secret().starts_with("whsec_"));
    let b = Browser::new(&state).await;
    b.sign_in(ADA, PASSWORD).await;
    let list = dev_webhooks(&state, "").await;
    assert_eq!(list["total_count"], 0);
    assert_eq!(list["endpoints"], serde_json::json!([]));
    let instance = send(
        &state,
        axum::http::Request::get("/v1/__dev/instance")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .ok();
    assert_eq!(instance["webhook_signing_secret"], state.webhooks.secret());
}

// ---- the real binary: the outbox across kill -9 ----

mod binary {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    use crate::common::binary::{http, Server};

    /// A complete sign-up; `Ok(true)` only when the last step answered 2xx, complete.
    fn sign_up(addr: &str, email: &str) -> std::io::Result<bool> {
        let (s, r) = http(addr, "POST", "/v1/dev_browser", &[])?;
        if s != 200 {
            return Err(std::io::Error::other("dev_browser"));
        }
        let db = r["id"].as_str().unwrap().to_owned();
        let (s, r) = http(
            addr,
            "POST",
            &format!("/v1/client/sign_ups?__clerk_db_jwt={db}"),
            &[
                ("email_address", email),
                ("password", "webhook-load-password-3"),
            ],
        )?;
        if s != 200 {
            return Err(std::io::Error::other(format!("create {s}")));
        }
        let id = r["response"]["id"].as_str().unwrap().to_owned();
        let base = format!("/v1/client/sign_ups/{id}");
        let (s, _) = http(
            addr,
            "POST",
            &format!("{base}/prepare_verification?__clerk_db_jwt={db}"),
            &[("strategy", "email_code")],
        )?;
        if s != 200 {
            return Err(std::io::Error::other(format!("prepare {s}")));
        }
        let (s, r) = http(
            addr,
            "POST",
            &format!("{base}/attempt_verification?__clerk_db_jwt={db}"),
            &[("strategy", "email_code"), ("code", "424242")],
        )?;
        Ok(s == 200 && r["response"]["status"] == "complete")
    }

    #[test]
    fn kill_9_mid_burst_loses_no_user_created_event() {
        let dir =
            std::env::temp_dir().join(format!("clerk-dev-server-webhooks-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("dev.sqlite3");
        let rt = tokio::runtime::Runtime::new().unwrap();
        let rx = Receiver::unbound(); // down during the burst

        let server = Server::start(&db, &["--webhook", &rx.url]);
        let secret = server.webhook_secret.clone();
        let addr = server.addr.clone();
        let done = Arc::new(Mutex::new(Vec::<String>::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let (addr, done, stop) = (addr.clone(), done.clone(), stop.clone());
                std::thread::spawn(move || {
                    for i in 0.. {
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                        let email = format!("hook-{t}-{i}+clerk_test@example.com");
                        match sign_up(&addr, &email) {
                            Ok(true) => done.lock().unwrap().push(email),
                            Ok(false) => panic!("{email} did not complete"),
                            Err(_) => break, // the server is gone
                        }
                    }
                })
            })
            .collect();
        let started = Instant::now();
        while done.lock().unwrap().len() < 20 && started.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(Duration::from_millis(10));
        }
        server.kill9(); // mid-burst
        stop.store(true, Ordering::Relaxed);
        for t in threads {
            t.join().unwrap();
        }
        let acknowledged = done.lock().unwrap().clone();
        assert!(acknowledged.len() >= 20, "only {}", acknowledged.len());

        // The receiver comes up, then the server again (same database, same secret).
        rt.block_on(rx.listen());
        let server = Server::start(&db, &["--webhook", &rx.url]);
        assert_eq!(server.webhook_secret, secret, "the secret is kept");
        let wanted: HashSet<String> = acknowledged.iter().cloned().collect();
        let start = Instant::now();
        let by_email = loop {
            let mut by_email: HashMap<String, HashSet<String>> = HashMap::new();
            for g in rx.all() {
                if g.kind() != "user.created" {
                    continue;
                }
                assert!(svix_verify(
                    &secret,
                    &g.id,
                    &g.timestamp,
                    g.body.as_bytes(),
                    &g.signature
                ));
                for e in g.event["data"]["email_addresses"].as_array().unwrap() {
                    let email = e["email_address"].as_str().unwrap().to_owned();
                    by_email.entry(email).or_default().insert(g.id.clone());
                }
            }
            if wanted.iter().all(|e| by_email.contains_key(e)) {
                break by_email;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "{} of {} acknowledged users arrived",
                wanted.iter().filter(|e| by_email.contains_key(*e)).count(),
                wanted.len()
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let mut ids = HashSet::new();
        for email in &wanted {
            let mine = &by_email[email];
            assert_eq!(mine.len(), 1, "{email}: one svix-id, got {mine:?}");
            assert!(
                ids.insert(mine.iter().next().unwrap().clone()),
                "distinct ids"
            );
        }
        // Nothing failed; the outbox agrees.
        let (s, list) = http(
            &server.addr,
            "GET",
            "/v1/__dev/webhooks?type=user.created&status=failed",
            &[],
        )
        .unwrap();
        assert_eq!(s, 200);
        assert_eq!(list["total_count"], 0, "{list}");
        drop(server);
        drop(rt);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
