//! Clerk's server half for Rust: verify session tokens and authenticate requests exactly as
//! Clerk's own server SDK (`@clerk/backend`) does, with the same reasons, the same handshake
//! redirects and the same cookies, so a backend in Rust and one on Clerk's Node, Go or Python
//! SDKs agree about every request.
//!
//! - [`verify_token`]: one JWT, networkless with a PEM key or with the instance's JWKS
//!   (fetched by secret key, cached per instance).
//! - [`authenticate_request`]: one request (Bearer header or cookies), giving a
//!   [`RequestState`]: signed in, signed out with a reason, or a handshake redirect.
//! - [`Auth`]: who is calling, with `has()` for roles, permissions, features, plans and
//!   reverification, shared with the browser library through `clerk-core`.
//! - [`api::ClerkClient`]: the Backend API (users, organizations, memberships, invitations,
//!   sessions, tokens), with lenient models and Clerk's error envelope.
//! - [`webhooks::verify`]: a Clerk webhook delivery checked (Svix signatures) and typed.
//! - With the `axum` feature, [`axum::ClerkLayer`] (Clerk's `clerkMiddleware`) and the
//!   extractors [`axum::ClerkAuth`] and [`axum::SignedInAuth`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), clerk_backend::ConfigError> {
//! use clerk_backend::{authenticate_request, AuthenticateRequestOptions};
//! let opts = AuthenticateRequestOptions::from_env()?;
//! let (parts, ()) = http::Request::get("https://app.example.com/").body(()).unwrap().into_parts();
//! let state = authenticate_request(&parts, &opts).await;
//! println!("{:?} {:?}", state.status, state.reason);
//! # Ok(()) }
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod api;
mod auth;
mod bapi;
mod errors;
mod jwt;
mod keys;
mod request;
mod state;
mod verify;
pub mod webhooks;

#[cfg(feature = "axum")]
pub mod axum;

pub use auth::{Auth, SessionAuth};
pub use bapi::API_VERSION_HEADER;
pub use clerk_core as core;
pub use errors::{ConfigError, TokenCarrier, TokenVerificationError, TokenVerificationErrorReason};
pub use request::{AuthenticateRequestOptions, authenticate_request};
pub use state::{AuthReason, AuthStatus, RefreshError, RequestState};
pub use verify::{
    DEFAULT_API_URL, DEFAULT_API_VERSION, DEFAULT_CLOCK_SKEW, VerifiedToken, VerifyTokenOptions,
    verify_token,
};

/// The first 7 characters of a secret, as Clerk's `debug()` shows them.
pub(crate) fn redact(secret: &str) -> String {
    let head: String = secret.chars().take(7).collect();
    if secret.chars().count() > 7 {
        format!("{head}…")
    } else {
        head
    }
}
