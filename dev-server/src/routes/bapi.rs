//! The Backend API (BAPI, `shared/bapi/2026-05-12.yml`): the routes a server SDK calls with
//! `Authorization: Bearer <secret key>`, mounted under `/v1` beside FAPI. Every route here goes
//! through [`secured`], which runs the [`SecretKey`] extractor first; new BAPI resources (users,
//! organizations…) get their handlers in this module (or a `bapi_*` sibling) and a line in
//! [`routes`].
//!
//! Errors follow Clerk's BAPI: no `Authorization: Bearer …` header is a 401
//! `authorization_header_format_invalid`; a bearer value that is not this instance's secret key
//! (whatever its shape) is a 401 `clerk_key_invalid`, which `@clerk/backend` reports as
//! `secret-key-invalid`.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::routing::get;
use axum::Router;
use clerk_core::wire::ErrorCode;

use super::H;
use crate::error::{ApiErr, ApiResult};
use crate::http::{run, Reply, Req};
use crate::AppState;

/// The Backend API routes (paths relative to `/v1`).
pub fn routes() -> Router<AppState> {
    Router::new().route("/jwks", get(secured(jwks))).route(
        "/clients/handshake_payload",
        get(secured(handshake_payload)),
    )
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
