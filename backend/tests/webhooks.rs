//! Webhook verification against the reference implementations: Svix's published test vector,
//! deliveries signed by the `svix` npm package, and our signatures accepted by `svix` and by
//! `@clerk/backend/webhooks`' `verifyWebhook`; tampered, wrong-secret, stale and future
//! deliveries refused. Needs Node and `e2e/node_modules` (as the differential test).

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, Request, StatusCode};
use axum::routing::post;
use clerk_backend::axum::{ClerkWebhook, WebhookSecret};
use clerk_backend::webhooks::{WebhookData, WebhookError, sign, verify, verify_at};
use serde_json::{Value, json};
use tower::ServiceExt;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn headers(id: &str, ts: i64, sig: &str, prefix: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(
        format!("{prefix}-id").parse::<http::HeaderName>().unwrap(),
        id.parse().unwrap(),
    );
    h.insert(
        format!("{prefix}-timestamp")
            .parse::<http::HeaderName>()
            .unwrap(),
        ts.to_string().parse().unwrap(),
    );
    h.insert(
        format!("{prefix}-signature")
            .parse::<http::HeaderName>()
            .unwrap(),
        sig.parse().unwrap(),
    );
    h
}

fn event(kind: &str, data: Value) -> String {
    json!({"object": "event", "type": kind, "timestamp": 1_700_000_000_000i64, "instance_id": "ins_1",
        "event_attributes": {"http_request": {"client_ip": "127.0.0.1", "user_agent": "test"}}, "data": data})
    .to_string()
}

fn oracle(input: Value) -> Value {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    assert!(
        std::path::Path::new(&format!("{root}/e2e/node_modules/svix")).exists(),
        "e2e/node_modules/svix is missing: run ./test.sh (or `npm ci` in e2e/) first"
    );
    let mut child = Command::new("node")
        .arg(format!("{root}/e2e/lib/webhook-oracle.mjs"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node must be installed (./test.sh installs it)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "the webhook oracle failed");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn svix_test_vector() {
    let body = br#"{"email":"test@example.com","username":"test_user"}"#;
    let sig = sign(
        "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
        "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
        1_649_367_553,
        body,
    )
    .unwrap();
    assert_eq!(sig, "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=");
    // the vector is not a Clerk event: the signature passes and the payload is refused as such
    let h = headers(
        "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
        1_649_367_553,
        &sig,
        "svix",
    );
    let err = verify_at(
        &h,
        body,
        "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
        1_649_367_553,
    )
    .unwrap_err();
    assert!(matches!(err, WebhookError::InvalidPayload(_)), "{err:?}");
}

#[test]
fn deliveries_signed_by_svix_verify_and_ours_are_accepted_by_svix_and_clerk() {
    let ts = now();
    let bodies = [
        event(
            "user.created",
            json!({"id": "user_1", "object": "user", "first_name": "Ada", "email_addresses": []}),
        ),
        event(
            "user.deleted",
            json!({"id": "user_1", "object": "user", "deleted": true}),
        ),
        event(
            "session.ended",
            json!({"id": "sess_1", "object": "session", "user_id": "user_1", "client_id": "client_1", "status": "ended"}),
        ),
        event(
            "organizationMembership.created",
            json!({"id": "orgmem_1", "object": "organization_membership", "role": "org:admin", "organization": {"id": "org_1", "name": "Acme", "slug": "acme"}}),
        ),
        event(
            "email.created",
            json!({"id": "ema_1", "object": "email", "slug": "verification_code", "to_email_address": "a@b.c"}),
        ),
        event("waitlistEntry.created", json!({"id": "wle_1"})),
    ];
    let ours: Vec<String> = bodies
        .iter()
        .enumerate()
        .map(|(i, b)| sign(SECRET, &format!("msg_{i}"), ts, b.as_bytes()).unwrap())
        .collect();
    let answer = oracle(json!({
        "secret": SECRET,
        "sign": bodies.iter().enumerate().map(|(i, b)| json!({"id": format!("msg_{i}"), "timestamp": ts, "body": b})).collect::<Vec<_>>(),
        "verify": bodies.iter().zip(&ours).enumerate().map(|(i, (b, s))| json!({
            "headers": {"svix-id": format!("msg_{i}"), "svix-timestamp": ts.to_string(), "svix-signature": s},
            "body": b,
        })).collect::<Vec<_>>(),
    }));
    // svix signs exactly as we do, and its signatures verify here
    for (i, b) in bodies.iter().enumerate() {
        let theirs = answer["signed"][i].as_str().unwrap();
        assert_eq!(theirs, ours[i]);
        let e = verify(
            &headers(&format!("msg_{i}"), ts, theirs, "svix"),
            b.as_bytes(),
            SECRET,
        )
        .unwrap();
        assert_eq!(e.delivery_id.as_deref(), Some(format!("msg_{i}").as_str()));
        assert_eq!(e.instance_id.as_deref(), Some("ins_1"));
        assert_eq!(e.timestamp, 1_700_000_000_000);
        // the unbranded header names too
        assert!(
            verify(
                &headers(&format!("msg_{i}"), ts, theirs, "webhook"),
                b.as_bytes(),
                SECRET
            )
            .is_ok()
        );
    }
    for v in answer["verified"].as_array().unwrap() {
        assert_eq!(v["svix"], "ok", "{v}");
        assert_eq!(v["clerk"], "ok", "{v}");
    }
    // typed data
    let e = verify(
        &headers("msg_0", ts, &ours[0], "svix"),
        bodies[0].as_bytes(),
        SECRET,
    )
    .unwrap();
    assert!(matches!(&e.data, WebhookData::User(u) if u.first_name.as_deref() == Some("Ada")));
    let e = verify(
        &headers("msg_1", ts, &ours[1], "svix"),
        bodies[1].as_bytes(),
        SECRET,
    )
    .unwrap();
    assert!(matches!(&e.data, WebhookData::Deleted(d) if d.deleted));
    let e = verify(
        &headers("msg_2", ts, &ours[2], "svix"),
        bodies[2].as_bytes(),
        SECRET,
    )
    .unwrap();
    assert!(matches!(&e.data, WebhookData::Session(s) if s.status.as_str() == "ended"));
    let e = verify(
        &headers("msg_3", ts, &ours[3], "svix"),
        bodies[3].as_bytes(),
        SECRET,
    )
    .unwrap();
    assert!(
        matches!(&e.data, WebhookData::OrganizationMembership(m) if m.organization.slug == "acme")
    );
    let e = verify(
        &headers("msg_5", ts, &ours[5], "svix"),
        bodies[5].as_bytes(),
        SECRET,
    )
    .unwrap();
    assert!(matches!(&e.data, WebhookData::Unknown(v) if v["id"] == "wle_1"));
}

#[test]
fn bad_deliveries_are_refused() {
    let ts = now();
    let body = event("user.created", json!({"id": "user_1"}));
    let sig = sign(SECRET, "msg_1", ts, body.as_bytes()).unwrap();
    let ok = headers("msg_1", ts, &sig, "svix");
    assert!(verify(&ok, body.as_bytes(), SECRET).is_ok());
    // tampered body
    let tampered = body.replace("user_1", "user_2");
    assert_eq!(
        verify(&ok, tampered.as_bytes(), SECRET).unwrap_err(),
        WebhookError::InvalidSignature
    );
    // wrong secret
    assert_eq!(
        verify(
            &ok,
            body.as_bytes(),
            "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"
        )
        .unwrap_err(),
        WebhookError::InvalidSignature
    );
    // another id
    assert_eq!(
        verify(&headers("msg_2", ts, &sig, "svix"), body.as_bytes(), SECRET).unwrap_err(),
        WebhookError::InvalidSignature
    );
    // stale and future (beyond 300 s), and just inside
    let old = sign(SECRET, "msg_1", ts - 301, body.as_bytes()).unwrap();
    assert_eq!(
        verify(
            &headers("msg_1", ts - 301, &old, "svix"),
            body.as_bytes(),
            SECRET
        )
        .unwrap_err(),
        WebhookError::TimestampTooOld
    );
    let ahead = sign(SECRET, "msg_1", ts + 301, body.as_bytes()).unwrap();
    assert_eq!(
        verify(
            &headers("msg_1", ts + 301, &ahead, "svix"),
            body.as_bytes(),
            SECRET
        )
        .unwrap_err(),
        WebhookError::TimestampInFuture
    );
    let inside = sign(SECRET, "msg_1", ts - 290, body.as_bytes()).unwrap();
    assert!(
        verify(
            &headers("msg_1", ts - 290, &inside, "svix"),
            body.as_bytes(),
            SECRET
        )
        .is_ok()
    );
    // several signatures: one good among others passes; v2 entries are ignored
    let several = format!("v1,AAAA v2,{} {sig}", &sig[3..]);
    assert!(
        verify(
            &headers("msg_1", ts, &several, "svix"),
            body.as_bytes(),
            SECRET
        )
        .is_ok()
    );
    let none_v1 = format!("v2,{}", &sig[3..]);
    assert_eq!(
        verify(
            &headers("msg_1", ts, &none_v1, "svix"),
            body.as_bytes(),
            SECRET
        )
        .unwrap_err(),
        WebhookError::InvalidSignature
    );
    // headers and secrets
    let mut missing = ok.clone();
    missing.remove("svix-signature");
    assert_eq!(
        verify(&missing, body.as_bytes(), SECRET).unwrap_err(),
        WebhookError::MissingHeader("svix-signature")
    );
    let bad_ts = headers("msg_1", 0, &sig, "svix");
    let mut bad_ts = bad_ts;
    bad_ts.insert("svix-timestamp", "soon".parse().unwrap());
    assert_eq!(
        verify(&bad_ts, body.as_bytes(), SECRET).unwrap_err(),
        WebhookError::InvalidHeader("svix-timestamp")
    );
    assert_eq!(
        verify(&ok, body.as_bytes(), "").unwrap_err(),
        WebhookError::EmptySecret
    );
    assert_eq!(
        verify(&ok, body.as_bytes(), "whsec_!!!").unwrap_err(),
        WebhookError::InvalidSecret
    );
}

#[tokio::test]
async fn the_extractor_answers_400_for_a_bad_signature() {
    let app = Router::new()
        .route(
            "/webhooks",
            post(|ClerkWebhook(e): ClerkWebhook| async move { e.event_type }),
        )
        .layer(axum::Extension(WebhookSecret(SECRET.into())));
    let ts = now();
    let body = event("user.updated", json!({"id": "user_1"}));
    let sig = sign(SECRET, "msg_9", ts, body.as_bytes()).unwrap();
    let call = |sig: String, body: String| {
        let app = app.clone();
        async move {
            let req = Request::post("/webhooks")
                .header("svix-id", "msg_9")
                .header("svix-timestamp", ts.to_string())
                .header("svix-signature", sig)
                .body(Body::from(body))
                .unwrap();
            let res = app.oneshot(req).await.unwrap();
            let status = res.status();
            (
                status,
                String::from_utf8(to_bytes(res.into_body(), 1 << 16).await.unwrap().to_vec())
                    .unwrap(),
            )
        }
    };
    assert_eq!(
        call(sig.clone(), body.clone()).await,
        (StatusCode::OK, "user.updated".into())
    );
    let (status, text) = call(sig, body.replace("user_1", "user_X")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["errors"][0]["code"], "webhook_invalid");
    assert_eq!(v["errors"][0]["message"], "no webhook signature matches");
}
