//! The Backend API (BAPI, `shared/bapi/2026-05-12.yml`): the routes a server SDK calls with
//! `Authorization: Bearer <secret key>`, mounted under `/v1` beside FAPI. Every route here goes
//! through [`secured`], which runs the [`SecretKey`] extractor first. The handlers of each
//! resource are in the submodules (`users`, `orgs`, `sessions`, `invitations`); what they do
//! to the records is in `crate::admin`, their shapes in `crate::render_bapi`.
//!
//! Some BAPI paths are FAPI paths too (`/organizations/{id}…`). [`dispatch`] sends a request
//! whose `Authorization` is `Bearer sk_…` to the Backend API's router ([`router`]) and every
//! other request to FAPI's, where the BAPI-only paths ([`routes`]) answer the 401s below.
//!
//! Errors follow Clerk's BAPI: no `Authorization: Bearer …` header is a 401
//! `authorization_header_format_invalid`; a bearer value that is not this instance's secret key
//! (whatever its shape) is a 401 `clerk_key_invalid`, which `@clerk/backend` reports as
//! `secret-key-invalid`. Unknown paths are a 404 `resource_not_found`.

mod invitations;
mod orgs;
mod sessions;
mod users;

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::routing::{get, patch, post};
use axum::Router;
use clerk_core::wire::ErrorCode;
use serde_json::{Map, Value};
use tower::ServiceExt;

use super::H;
use crate::admin::Metadata;
use crate::error::{ApiErr, ApiResult};
use crate::http::{run, Params, Reply, Req};
use crate::AppState;

/// The Backend API routes whose paths FAPI does not have (paths relative to `/v1`): merged into
/// FAPI's router too, so a request without the secret key gets Clerk's 401 there.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/jwks", get(secured(jwks)))
        .route(
            "/clients/handshake_payload",
            get(secured(handshake_payload)),
        )
        .route(
            "/users",
            get(secured(users::list)).post(secured(users::create)),
        )
        .route("/users/count", get(secured(users::count)))
        .route(
            "/users/{user_id}",
            get(secured(users::get))
                .patch(secured(users::update))
                .delete(secured(users::delete)),
        )
        .route(
            "/users/{user_id}/metadata",
            patch(secured(users::merge_metadata)).put(secured(users::replace_metadata)),
        )
        .route("/users/{user_id}/ban", post(secured(users::ban)))
        .route("/users/{user_id}/unban", post(secured(users::unban)))
        .route("/users/{user_id}/lock", post(secured(users::lock)))
        .route("/users/{user_id}/unlock", post(secured(users::unlock)))
        .route(
            "/users/{user_id}/verify_password",
            post(secured(users::verify_password)),
        )
        .route(
            "/users/{user_id}/organization_memberships",
            get(secured(users::memberships)),
        )
        .route(
            "/users/{user_id}/organization_invitations",
            get(secured(users::org_invitations)),
        )
        .route("/sessions", get(secured(sessions::list)))
        .route("/sessions/{session_id}", get(secured(sessions::get)))
        .route(
            "/sessions/{session_id}/revoke",
            post(secured(sessions::revoke)),
        )
        .route(
            "/sessions/{session_id}/tokens",
            post(secured(sessions::token)),
        )
        .route(
            "/sessions/{session_id}/tokens/{template_name}",
            post(secured(sessions::template_token)),
        )
        .route(
            "/invitations",
            get(secured(invitations::list)).post(secured(invitations::create)),
        )
        .route(
            "/invitations/{invitation_id}/revoke",
            post(secured(invitations::revoke)),
        )
}

/// Every Backend API route, the ones on FAPI's paths included (for requests with a secret key).
fn all_routes() -> Router<AppState> {
    routes()
        .route(
            "/organizations",
            get(secured(orgs::list)).post(secured(orgs::create)),
        )
        .route(
            "/organizations/{organization_id}",
            get(secured(orgs::get))
                .patch(secured(orgs::update))
                .delete(secured(orgs::delete)),
        )
        .route(
            "/organizations/{organization_id}/metadata",
            patch(secured(orgs::merge_metadata)).put(secured(orgs::replace_metadata)),
        )
        .route(
            "/organizations/{organization_id}/memberships",
            get(secured(orgs::memberships)).post(secured(orgs::add_member)),
        )
        .route(
            "/organizations/{organization_id}/memberships/{user_id}",
            patch(secured(orgs::update_member)).delete(secured(orgs::remove_member)),
        )
        .route(
            "/organizations/{organization_id}/memberships/{user_id}/metadata",
            patch(secured(orgs::member_metadata)),
        )
        .route(
            "/organizations/{organization_id}/invitations",
            get(secured(orgs::invitations)).post(secured(orgs::invite)),
        )
        .route(
            "/organizations/{organization_id}/invitations/pending",
            get(secured(orgs::pending_invitations)),
        )
        .route(
            "/organizations/{organization_id}/invitations/{invitation_id}",
            get(secured(orgs::invitation)),
        )
        .route(
            "/organizations/{organization_id}/invitations/{invitation_id}/revoke",
            post(secured(orgs::revoke_invitation)),
        )
}

/// The Backend API's router: every BAPI route under `/v1`, Clerk's 404 and 405 envelopes
/// for the rest.
pub fn router(state: AppState) -> Router {
    Router::new()
        .nest("/v1", all_routes())
        .fallback(super::not_found)
        .method_not_allowed_fallback(super::method_not_allowed)
        .with_state(state)
}

/// Whether a request speaks to the Backend API: `Authorization: Bearer sk_…` (FAPI's own
/// `Authorization` values, a client's token, never start so).
pub fn is_backend(headers: &HeaderMap) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .is_some_and(|(scheme, value)| {
            scheme.eq_ignore_ascii_case("bearer") && value.trim().starts_with("sk_")
        })
}

/// Sends Backend API requests ([`is_backend`]) to `bapi`, the others to `fapi`.
pub fn dispatch(fapi: Router, bapi: Router) -> Router {
    Router::new().fallback_service(tower::service_fn(move |req: Request| {
        let target = if is_backend(req.headers()) {
            bapi.clone()
        } else {
            fapi.clone()
        };
        target.oneshot(req)
    }))
}

/// Proof that the request carried the instance's secret key as `Authorization: Bearer`.
pub struct SecretKey;

impl FromRequestParts<AppState> for SecretKey {
    type Rejection = ApiErr;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiErr> {
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, value) = v.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| value.trim())
            })
            .filter(|v| !v.is_empty());
        let Some(key) = bearer else {
            return Err(ApiErr::new(
                StatusCode::UNAUTHORIZED,
                ErrorCode::from("authorization_header_format_invalid"),
                "Invalid Authorization header format",
                "Invalid Authorization header format. Must be 'Bearer <YOUR_API_KEY>'",
            ));
        };
        if state.is_secret_key(key) {
            Ok(SecretKey)
        } else {
            Err(ApiErr::new(
                StatusCode::UNAUTHORIZED,
                ErrorCode::from("clerk_key_invalid"),
                "The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.",
                "The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.",
            ))
        }
    }
}

/// A BAPI handler: the secret key is checked before the request is read.
fn secured(
    f: H,
) -> impl Fn(
    SecretKey,
    Req,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = axum::response::Response> + Send>>
       + Clone
       + Send
       + Sync
       + 'static {
    move |_: SecretKey, req: Req| Box::pin(run(req, f))
}

/// `GET /v1/jwks`: the instance's JSON Web Key Set (what `@clerk/backend` fetches with
/// `secretKey`).
fn jwks(req: &mut Req) -> ApiResult<Reply> {
    Reply::json(&req.state.signer.jwks())
}

/// `GET /v1/clients/handshake_payload?nonce=…`: `{directives: [Set-Cookie…]}` of a handshake
/// nonce, once; an unknown, used or expired nonce is a 404.
fn handshake_payload(req: &mut Req) -> ApiResult<Reply> {
    let nonce = req
        .query
        .text("nonce")
        .ok_or_else(|| ApiErr::missing("nonce"))?;
    let directives = crate::handshake::take_nonce(&req.state, &nonce, req.state.now())
        .ok_or_else(|| ApiErr::not_found("handshake nonce"))?;
    Reply::json(&serde_json::json!({ "directives": directives }))
}

/// The values of an array parameter: the key repeated (`email_address=a&email_address=b`,
/// as `@clerk/backend` sends them), also as `key[]`; blanks dropped; at most 100.
fn values(p: &Params, key: &str) -> ApiResult<Vec<String>> {
    let bracket = format!("{key}[]");
    let out: Vec<String> =
        p.0.iter()
            .filter(|(k, _)| k == key || *k == bracket)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect();
    if out.len() > 100 {
        return Err(ApiErr::invalid(
            key,
            &format!("{key} takes at most 100 values."),
        ));
    }
    Ok(out)
}

/// A JSON object field (`None`: absent or `null`).
fn object(p: &Params, key: &str) -> ApiResult<Option<Map<String, Value>>> {
    match p.get(key) {
        None => Ok(None),
        Some(t) if t.trim().is_empty() || t.trim() == "null" => Ok(None),
        Some(t) => match serde_json::from_str::<Value>(t) {
            Ok(Value::Object(m)) => Ok(Some(m)),
            _ => Err(ApiErr::invalid(
                key,
                &format!("{key} must be a JSON object."),
            )),
        },
    }
}

/// The three metadata fields of a body.
fn metadata(p: &Params) -> ApiResult<Metadata> {
    Ok(Metadata {
        public: object(p, "public_metadata")?,
        private: object(p, "private_metadata")?,
        unsafe_: object(p, "unsafe_metadata")?,
    })
}

/// An integer parameter (`None`: absent or blank).
fn int(p: &Params, key: &str) -> ApiResult<Option<i64>> {
    match p.text(key) {
        None => Ok(None),
        Some(v) => v
            .parse::<i64>()
            .map(Some)
            .map_err(|_| ApiErr::invalid(key, &format!("{key} must be an integer."))),
    }
}

/// An integer parameter within `min..=max`.
fn int_in(p: &Params, key: &str, min: i64, max: i64) -> ApiResult<Option<i64>> {
    let v = int(p, key)?;
    if v.is_some_and(|v| !(min..=max).contains(&v)) {
        return Err(ApiErr::invalid(
            key,
            &format!("{key} must be between {min} and {max}."),
        ));
    }
    Ok(v)
}

/// A nullable text field: `None` absent, `Some(None)` null or blank, `Some(Some(v))` trimmed.
fn nullable(p: &Params, key: &str) -> Option<Option<String>> {
    p.get(key).map(|v| {
        let v = v.trim();
        (!v.is_empty()).then(|| v.to_owned())
    })
}

/// An RFC 3339 time field, in ms.
fn time(p: &Params, key: &str) -> ApiResult<Option<i64>> {
    match p.text(key) {
        None => Ok(None),
        Some(v) => chrono::DateTime::parse_from_rfc3339(&v)
            .map(|t| Some(t.timestamp_millis()))
            .map_err(|_| ApiErr::invalid(key, &format!("{key} must be an RFC 3339 time."))),
    }
}

/// A JSON answer.
fn json(v: Value) -> ApiResult<Reply> {
    Reply::json(&v)
}

/// `limit` (1 to 500, default 10) and `offset` (any non-negative integer, however large: the
/// page is then empty) of a list.
fn page(p: &Params) -> ApiResult<(usize, usize)> {
    let limit = match p.text("limit") {
        None => 10,
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=500).contains(n))
            .ok_or_else(|| ApiErr::invalid("limit", "limit must be between 1 and 500."))?
            as usize,
    };
    let offset = match p.text("offset") {
        None => 0,
        Some(v) if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => {
            v.parse::<usize>().unwrap_or(usize::MAX)
        }
        Some(_) => return Err(ApiErr::invalid("offset", "offset must be 0 or more.")),
    };
    Ok((limit, offset))
}
