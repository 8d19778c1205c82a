//! The cookies Clerk's browser SDKs and servers share, under Clerk's names.
//!
//! clerk-js writes each of `__session`, `__client_uat` and `__clerk_db_jwt` twice: under the
//! plain name and under a name suffixed with [`cookie_suffix`] of the publishable key, so that
//! two Clerk applications on one domain do not read each other's cookies. Clerk's servers
//! choose between the two copies (see `clerk-backend`). Both halves of this project take the
//! names from here, so they agree by construction.
//!
//! ```
//! use clerk_core::cookies::{cookie_suffix, suffixed, SESSION};
//! let suffix = cookie_suffix("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k");
//! assert_eq!(suffix.len(), 8);
//! assert_eq!(suffixed(SESSION, &suffix), format!("__session_{suffix}"));
//! ```

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE;
use sha1::{Digest, Sha1};

/// The session token (a JWT of about 60 s), read by the app's own backend.
///
/// ```
/// assert_eq!(clerk_core::cookies::SESSION, "__session");
/// ```
pub const SESSION: &str = "__session";
/// The client's last authentication change in Unix seconds, `0` when signed out.
///
/// ```
/// assert_eq!(clerk_core::cookies::CLIENT_UAT, "__client_uat");
/// ```
pub const CLIENT_UAT: &str = "__client_uat";
/// The dev-browser token of a development instance (also a URL parameter of that name).
///
/// ```
/// assert_eq!(clerk_core::cookies::DEV_BROWSER, "__clerk_db_jwt");
/// ```
pub const DEV_BROWSER: &str = "__clerk_db_jwt";
/// The refresh token a production FAPI may leave (read suffixed only).
///
/// ```
/// assert_eq!(clerk_core::cookies::REFRESH, "__refresh");
/// ```
pub const REFRESH: &str = "__refresh";
/// The handshake payload (a signed JWT listing `Set-Cookie` directives), query or cookie.
///
/// ```
/// assert_eq!(clerk_core::cookies::HANDSHAKE, "__clerk_handshake");
/// ```
pub const HANDSHAKE: &str = "__clerk_handshake";
/// The handshake nonce, exchanged for the directives through the Backend API.
///
/// ```
/// assert_eq!(clerk_core::cookies::HANDSHAKE_NONCE, "__clerk_handshake_nonce");
/// ```
pub const HANDSHAKE_NONCE: &str = "__clerk_handshake_nonce";
/// The handshake loop guard (a counter living 2 s).
///
/// ```
/// assert_eq!(clerk_core::cookies::REDIRECT_COUNT, "__clerk_redirect_count");
/// ```
pub const REDIRECT_COUNT: &str = "__clerk_redirect_count";
/// The `__client` cookie FAPI keeps in production (cookie mode) on its own domain.
///
/// ```
/// assert_eq!(clerk_core::cookies::CLIENT, "__client");
/// ```
pub const CLIENT: &str = "__client";

/// Clerk's per-application cookie suffix: the first 8 characters of the URL-safe base64 of
/// the SHA-1 of the publishable key.
///
/// ```
/// use clerk_core::cookies::cookie_suffix;
/// let a = cookie_suffix("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k");
/// let b = cookie_suffix("pk_live_Y2xlcmsuZXhhbXBsZS5jb20k");
/// assert_ne!(a, b);
/// assert!(a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
/// ```
pub fn cookie_suffix(publishable_key: &str) -> String {
    let digest = Sha1::digest(publishable_key.as_bytes());
    let mut encoded = URL_SAFE.encode(digest);
    encoded.truncate(8);
    encoded
}

/// `{name}_{suffix}`.
///
/// ```
/// assert_eq!(clerk_core::cookies::suffixed("__client_uat", "AbC-_123"), "__client_uat_AbC-_123");
/// ```
pub fn suffixed(name: &str, suffix: &str) -> String {
    format!("{name}_{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffix_is_sha1_url_safe_base64_cut_to_eight() {
        // SHA-1("abc") = a9993e36 4706816a ba3e2571 7850c26c 9cd0d89d; base64 "qZk+NkcGgWq6PiVxeFDCbJzQ2J0="
        assert_eq!(cookie_suffix("abc"), "qZk-NkcG");
        // a digest whose first 8 base64 characters need the `/` → `_` mapping:
        // SHA-1("pk_test_") base64 is checked only for its alphabet here
        assert!(!cookie_suffix("pk_test_").contains(['+', '/', '=']));
    }
}
