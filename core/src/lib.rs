//! The pure core: Frontend API wire types, publishable keys, request building, session-token
//! claims, the auth state, authorization checks, token-cache arithmetic and redirect checks.
//!
//! Nothing here touches the browser or reads the clock: time is always an argument.
//! Its dependencies are serde, serde_json, chrono, thiserror, base64, form_urlencoded and sha1 only, so it
//! builds natively and in wasm, for the browser library, the servers and the dev server alike.
//! `leptos_clerk::core` re-exports this crate.
//!
//! ```
//! use clerk_core::key::PublishableKey;
//! let key = PublishableKey::parse("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k").unwrap();
//! assert_eq!(key.frontend_api(), "clerk.example.com");
//! assert!(key.is_development());
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod authz;
pub mod claims;
pub mod cookies;
pub mod diagnosis;
pub mod error;
pub mod initial_state;
pub mod key;
pub mod organization;
pub mod redirect;
pub mod request;
pub mod state;
pub mod token_cache;
pub mod wire;
