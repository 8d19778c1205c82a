//! The handshake payload: a list of `Set-Cookie` directives handed to the app's server either as
//! a signed JWT (`format=token`) or as a nonce it exchanges through the Backend API
//! (`format=nonce`, `GET /v1/clients/handshake_payload`). Nonces live in memory, are single use
//! and expire after [`NONCE_LIFETIME_MS`].

use clerk_core::claims::TokenCategory;

use crate::error::ApiResult;
use crate::AppState;

/// How long a handshake nonce can be exchanged: 2 minutes.
pub(crate) const NONCE_LIFETIME_MS: i64 = 120_000;

/// At most this many nonces wait at once (the oldest go first).
const MAX_NONCES: usize = 10_000;

/// The payload as a JWT: RS256 with the instance key, headers `{alg, kid, typ: "JWT", cat:
/// "cl_B7d4PD111AAA"}` and the claims `{handshake: [directives…]}` (what `@clerk/backend`'s
/// `verifyHandshakeToken` checks: `typ`, `alg`, the signature; no time claims).
pub(crate) fn token(state: &AppState, directives: &[String]) -> ApiResult<String> {
    state.signer.sign(
        &serde_json::json!({ "handshake": directives }),
        TokenCategory::Session,
    )
}

/// Stores the directives under a new random nonce (24 random bytes, hex).
pub(crate) fn store_nonce(state: &AppState, directives: Vec<String>, now: i64) -> String {
    let nonce = crate::crypto::random_hex(24);
    let mut nonces = state
        .handshake_nonces
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    nonces.retain(|_, (_, expire_at)| *expire_at > now);
    if nonces.len() >= MAX_NONCES {
        if let Some(oldest) = nonces
            .iter()
            .min_by_key(|(_, (_, expire_at))| *expire_at)
            .map(|(k, _)| k.clone())
        {
            nonces.remove(&oldest);
        }
    }
    nonces.insert(nonce.clone(), (directives, now + NONCE_LIFETIME_MS));
    nonce
}

/// The directives of a nonce, once: a used, expired or unknown nonce gives `None`.
pub(crate) fn take_nonce(state: &AppState, nonce: &str, now: i64) -> Option<Vec<String>> {
    let mut nonces = state
        .handshake_nonces
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    let (directives, expire_at) = nonces.remove(nonce)?;
    (expire_at > now).then_some(directives)
}
