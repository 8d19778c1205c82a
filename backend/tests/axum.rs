//! The axum layer and extractors, in process (`oneshot`): statuses, headers and bodies.

mod support;

use std::time::{Duration, UNIX_EPOCH};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use axum::routing::get;
use clerk_backend::AuthenticateRequestOptions;
use clerk_backend::axum::{AuthRejection, ClerkAuth, ClerkLayer, SignedInAuth, require_auth};
use clerk_backend::core::authz::Has;
use serde_json::{Value, json};
use support::*;
use tower::ServiceExt;

fn options(pk: String) -> AuthenticateRequestOptions {
    let mut o = AuthenticateRequestOptions::new(pk, "sk_test_axum");
    o.jwt_key = Some(INSTANCE_PUBLIC_KEY.into());
    o.api_url = "http://127.0.0.1:9".into();
    o.now = Some(UNIX_EPOCH + Duration::from_secs(NOW as u64));
    o.authorized_parties = vec!["http://localhost:3000".into()];
    o
}

async fn me(SignedInAuth(s): SignedInAuth) -> String {
    s.user_id.clone()
}

async fn admin(auth: SignedInAuth) -> Result<&'static str, AuthRejection> {
    auth.protect(&Has::role("org:admin"))?;
    Ok("admin")
}

async fn hidden(auth: SignedInAuth) -> Result<&'static str, AuthRejection> {
    auth.protect_or_not_found(&Has::role("org:admin"))?;
    Ok("admin")
}

async fn whoami(ClerkAuth(auth): ClerkAuth) -> String {
    auth.user_id().unwrap_or("guest").to_owned()
}

fn app(pk: String) -> Router {
    let protected = Router::new()
        .route("/dashboard", get(|| async { "dashboard" }))
        .route_layer(axum::middleware::from_fn(require_auth));
    Router::new()
        .route("/api/me", get(me))
        .route("/api/admin", get(admin))
        .route("/api/hidden", get(hidden))
        .route("/whoami", get(whoami))
        .merge(protected)
        .layer(ClerkLayer::new(options(pk)).unwrap())
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

async fn call(app: Router, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut req = Request::get(format!("http://localhost:3000{path}"));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = app.oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body =
        String::from_utf8(to_bytes(res.into_body(), 1 << 20).await.unwrap().to_vec()).unwrap();
    Reply {
        status,
        headers,
        body,
    }
}

fn bearer(t: &str) -> String {
    format!("Bearer {t}")
}

fn org_token(role: &str) -> String {
    token_with(DEV_FAPI, |c| {
        c.insert(
            "o".into(),
            json!({"id": "org_1", "slg": "acme", "rol": role}),
        );
    })
}

#[tokio::test]
async fn signed_in_requests_reach_the_handlers() {
    let t = token(DEV_FAPI, -10);
    let r = call(app(dev_pk()), "/api/me", &[("authorization", &bearer(&t))]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body, "user_1");
    assert!(
        r.headers.get("x-clerk-auth-status").is_none(),
        "signed-in states add no debug headers"
    );
    let r = call(app(dev_pk()), "/whoami", &[("authorization", &bearer(&t))]).await;
    assert_eq!(r.body, "user_1");
    let cookie = format!(
        "__clerk_db_jwt=dvb_1; __session={t}; __client_uat={}",
        NOW - 30
    );
    let r = call(
        app(dev_pk()),
        "/dashboard",
        &[("cookie", &cookie), ("sec-fetch-dest", "document")],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body, "dashboard");
}

#[tokio::test]
async fn signed_out_api_requests_get_401_with_the_envelope() {
    let r = call(app(dev_pk()), "/api/me", &[("sec-fetch-dest", "empty")]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let body: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(body["errors"][0]["code"], "unauthenticated");
    assert_eq!(body["errors"][0]["meta"]["reason"], "dev-browser-missing");
    assert_eq!(r.headers["x-clerk-auth-status"], "signed-out");
    assert_eq!(r.headers["x-clerk-auth-reason"], "dev-browser-missing");
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/json");
    // ClerkAuth never rejects
    let r = call(app(dev_pk()), "/whoami", &[]).await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "guest"));
    // a refused token: signed out with its reason
    let wrong = token_with(DEV_FAPI, |c| {
        c.insert("azp".into(), json!("https://evil.example"));
    });
    let r = call(
        app(dev_pk()),
        "/api/me",
        &[("authorization", &bearer(&wrong))],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        r.headers["x-clerk-auth-reason"],
        "token-invalid-authorized-parties"
    );
}

#[tokio::test]
async fn signed_out_pages_redirect_to_sign_in() {
    // production: no dev browser needed; an ordinary visitor is signed out, then redirected
    let r = call(
        app(prod_pk()),
        "/dashboard",
        &[("sec-fetch-dest", "document")],
    )
    .await;
    assert_eq!(r.status, StatusCode::TEMPORARY_REDIRECT);
    let location = r.headers[header::LOCATION].to_str().unwrap();
    let url = url::Url::parse(location).unwrap();
    assert_eq!(
        url.origin().ascii_serialization(),
        "https://accounts.example.com"
    );
    assert_eq!(url.path(), "/sign-in");
    let redirect: Vec<_> = url.query_pairs().collect();
    assert_eq!(redirect[0].1, "http://localhost:3000/dashboard");
    // with a sign-in URL of the app's own
    let mut o = options(prod_pk());
    o.sign_in_url = Some("/sign-in".into());
    let app = Router::new()
        .route("/api/me", get(me))
        .layer(ClerkLayer::new(o).unwrap());
    let r = call(app, "/api/me", &[("accept", "text/html")]).await;
    assert_eq!(r.status, StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(
        r.headers[header::LOCATION],
        "http://localhost:3000/sign-in?redirect_url=http%3A%2F%2Flocalhost%3A3000%2Fapi%2Fme"
    );
}

#[tokio::test]
async fn handshakes_are_answered_by_the_layer() {
    // development document without a dev browser: 307 to FAPI's handshake, loop counter set
    let r = call(app(dev_pk()), "/api/me", &[("sec-fetch-dest", "document")]).await;
    assert_eq!(r.status, StatusCode::TEMPORARY_REDIRECT);
    let location = url::Url::parse(r.headers[header::LOCATION].to_str().unwrap()).unwrap();
    assert_eq!(location.host_str(), Some(DEV_FAPI));
    assert_eq!(location.path(), "/v1/client/handshake");
    assert!(
        location
            .query_pairs()
            .any(|(k, v)| k == "__clerk_hs_reason" && v == "dev-browser-missing")
    );
    assert_eq!(r.headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(
        r.headers[header::SET_COOKIE],
        "__clerk_redirect_count=1; SameSite=Lax; HttpOnly; Max-Age=2"
    );
    assert_eq!(r.body, "");
    // the handshake coming back: the cookies set, then the clean URL
    let t = token(DEV_FAPI, -10);
    let payload = sign(
        INSTANCE_KEY,
        json!({"alg": "RS256", "kid": "ins_test", "typ": "JWT"}),
        json!({"handshake": [format!("__session={t}; Path=/"), format!("__client_uat={}; Path=/", NOW - 30)]}),
    );
    let r = call(
        app(dev_pk()),
        &format!("/api/me?x=1&__clerk_handshake={payload}"),
        &[("sec-fetch-dest", "document")],
    )
    .await;
    assert_eq!(r.status, StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(
        r.headers[header::LOCATION],
        "http://localhost:3000/api/me?x=1"
    );
    let cookies: Vec<_> = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert_eq!(cookies.len(), 2);
    assert!(cookies[0].starts_with("__session="));
}

#[tokio::test]
async fn has_failures_answer_403_or_404() {
    let member = org_token("member");
    let r = call(
        app(dev_pk()),
        "/api/admin",
        &[("authorization", &bearer(&member))],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let body: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(body["errors"][0]["code"], "authorization_invalid");
    let r = call(
        app(dev_pk()),
        "/api/hidden",
        &[("authorization", &bearer(&member))],
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let admin_token = org_token("admin");
    let r = call(
        app(dev_pk()),
        "/api/admin",
        &[("authorization", &bearer(&admin_token))],
    )
    .await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "admin"));
}

#[tokio::test]
async fn extractors_without_the_layer_say_so() {
    let app = Router::new().route("/api/me", get(me));
    let r = call(app, "/api/me", &[]).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(r.body.contains("ClerkLayer must be registered"));
}

#[test]
fn a_bad_configuration_fails_at_startup() {
    assert!(
        ClerkLayer::new(AuthenticateRequestOptions::new(
            "pk_test_garbage",
            "sk_test_x"
        ))
        .is_err()
    );
    assert!(ClerkLayer::new(AuthenticateRequestOptions::new(dev_pk(), "")).is_err());
    assert!(ClerkLayer::new(AuthenticateRequestOptions::new(dev_pk(), "pk_test_x")).is_err());
    let mut satellite = AuthenticateRequestOptions::new(dev_pk(), "sk_test_x");
    satellite.is_satellite = true;
    assert!(ClerkLayer::new(satellite).is_err());
}
