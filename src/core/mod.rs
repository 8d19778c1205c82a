//! The pure core: Frontend API wire types, publishable keys, request building, session-token
//! claims, the auth state, authorization checks, token-cache arithmetic and redirect checks.
//!
//! Nothing here touches the browser or reads the clock: time is always an argument. A CI check
//! fails if this module imports leptos, web_sys, wasm_bindgen or gloo.

pub mod authz;
pub mod claims;
pub mod error;
pub mod key;
pub mod redirect;
pub mod request;
pub mod state;
pub mod token_cache;
pub mod wire;
