//! `verify_token`: Clerk's `verifyToken`, networkless with a PEM key or with the instance's
//! JWKS fetched by secret key.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clerk_core::claims::{ClaimsError, SessionClaims, TokenCategory};
use serde_json::{Map, Value};

use crate::bapi::Bapi;
use crate::errors::{TokenVerificationError, TokenVerificationErrorReason as R, action};
use crate::jwt::{self, ClaimRules, DecodedJwt};
use crate::keys;

/// Clerk's Backend API.
pub const DEFAULT_API_URL: &str = "https://api.clerk.com";
/// The Backend API path version.
pub const DEFAULT_API_VERSION: &str = "v1";
/// Clerk's default clock skew: 5 s.
pub const DEFAULT_CLOCK_SKEW: Duration = Duration::from_secs(5);

/// How a token is verified: the key (PEM, or JWKS by secret key) and the claim rules.
///
/// ```
/// use clerk_backend::VerifyTokenOptions;
/// let opts = VerifyTokenOptions::with_secret_key("sk_test_…")
///     .authorized_parties(["https://app.example.com"]);
/// assert_eq!(opts.clock_skew.as_secs(), 5);
/// assert_eq!(opts.api_url, "https://api.clerk.com");
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub struct VerifyTokenOptions {
    /// A PEM public key (`CLERK_JWT_KEY`): no network at all. Wins over `secret_key`.
    pub jwt_key: Option<String>,
    /// The secret key (`CLERK_SECRET_KEY`), to fetch the JWKS from the Backend API.
    pub secret_key: Option<String>,
    /// The Backend API (`CLERK_API_URL`, default `https://api.clerk.com`).
    pub api_url: String,
    /// `v1`.
    pub api_version: String,
    /// Origins allowed in `azp`; empty: not checked. When set, a token without `azp` fails.
    pub authorized_parties: Vec<String>,
    /// Accepted `aud` values; checked only when both this and the token's `aud` are set.
    pub audience: Vec<String>,
    /// The expected `iss`; `None`: not checked (as Clerk's default).
    pub issuer: Option<String>,
    /// Tolerance for `exp`, `nbf` and `iat` (default 5 s).
    pub clock_skew: Duration,
    /// Fetch the JWKS on every call.
    pub skip_jwks_cache: bool,
    /// The time to verify at; `None`: the system clock. Set in tests.
    pub now: Option<SystemTime>,
}

impl Default for VerifyTokenOptions {
    fn default() -> Self {
        Self {
            jwt_key: None,
            secret_key: None,
            api_url: DEFAULT_API_URL.to_owned(),
            api_version: DEFAULT_API_VERSION.to_owned(),
            authorized_parties: Vec::new(),
            audience: Vec::new(),
            issuer: None,
            clock_skew: DEFAULT_CLOCK_SKEW,
            skip_jwks_cache: false,
            now: None,
        }
    }
}

impl std::fmt::Debug for VerifyTokenOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyTokenOptions")
            .field("jwt_key", &self.jwt_key.as_deref().map(crate::redact))
            .field("secret_key", &self.secret_key.as_deref().map(crate::redact))
            .field("api_url", &self.api_url)
            .field("api_version", &self.api_version)
            .field("authorized_parties", &self.authorized_parties)
            .field("audience", &self.audience)
            .field("issuer", &self.issuer)
            .field("clock_skew", &self.clock_skew)
            .field("skip_jwks_cache", &self.skip_jwks_cache)
            .field("now", &self.now)
            .finish()
    }
}

impl VerifyTokenOptions {
    /// Verification with a PEM public key, no network.
    pub fn with_jwt_key(pem: impl Into<String>) -> Self {
        Self {
            jwt_key: Some(pem.into()),
            ..Self::default()
        }
    }

    /// Verification with the JWKS fetched from the Backend API by secret key.
    pub fn with_secret_key(secret_key: impl Into<String>) -> Self {
        Self {
            secret_key: Some(secret_key.into()),
            ..Self::default()
        }
    }

    /// Sets the authorized parties (`azp`).
    pub fn authorized_parties<S: Into<String>>(
        mut self,
        parties: impl IntoIterator<Item = S>,
    ) -> Self {
        self.authorized_parties = parties.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the Backend API URL.
    pub fn api_url(mut self, url: impl Into<String>) -> Self {
        self.api_url = url.into();
        self
    }

    pub(crate) fn now_ms(&self) -> f64 {
        let now = self.now.unwrap_or_else(SystemTime::now);
        now.duration_since(UNIX_EPOCH)
            .map_or(0.0, |d| d.as_millis() as f64)
    }

    pub(crate) fn bapi(&self) -> Option<Bapi<'_>> {
        self.secret_key.as_deref().map(|secret_key| Bapi {
            api_url: &self.api_url,
            api_version: &self.api_version,
            secret_key,
        })
    }

    pub(crate) fn rules(&self) -> ClaimRules<'_> {
        ClaimRules {
            audience: &self.audience,
            authorized_parties: &self.authorized_parties,
            issuer: self.issuer.as_deref(),
            clock_skew_ms: self.clock_skew.as_millis() as f64,
            header_types: None,
        }
    }
}

/// A verified JWT: its text, header and payload.
///
/// ```
/// # async fn demo(token: &str) -> Result<(), clerk_backend::TokenVerificationError> {
/// use clerk_backend::{verify_token, VerifyTokenOptions};
/// let verified = verify_token(token, &VerifyTokenOptions::with_secret_key("sk_test_…")).await?;
/// println!("user {}", verified.subject());
/// # Ok(()) }
/// ```
#[derive(Clone, PartialEq)]
pub struct VerifiedToken {
    raw: String,
    /// The JOSE header.
    pub header: Map<String, Value>,
    /// The claims.
    pub payload: Map<String, Value>,
}

impl std::fmt::Debug for VerifiedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifiedToken")
            .field("raw", &crate::redact(&self.raw))
            .field("header", &self.header)
            .field("payload", &self.payload)
            .finish()
    }
}

impl VerifiedToken {
    /// The token as text.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// `sub` (checked to be a string).
    pub fn subject(&self) -> &str {
        self.payload["sub"].as_str().unwrap_or_default()
    }

    /// The session-token view: ids, organization (v1 and v2), features, plans, factor ages.
    pub fn session_claims(&self) -> Result<SessionClaims, ClaimsError> {
        self.clone().into_session_claims()
    }

    /// [`session_claims`](Self::session_claims), without copying the claims.
    pub fn into_session_claims(self) -> Result<SessionClaims, ClaimsError> {
        let header = serde_json::from_value(Value::Object(self.header))
            .map_err(|e| ClaimsError::Json("header", e.to_string()))?;
        SessionClaims::from_parts(&self.raw, header, self.payload)
    }
}

/// Whether the header's `cat` is set and is not the session (or "ignore") category.
pub(crate) fn non_session_category(header: &Map<String, Value>) -> bool {
    match header.get("cat") {
        None => false,
        Some(Value::String(c)) => !matches!(
            TokenCategory::from_cat(c),
            TokenCategory::Session | TokenCategory::Ignore
        ),
        Some(_) => true,
    }
}

/// Resolves the verification key for a decoded token.
pub(crate) async fn key_for(
    jwt: &DecodedJwt,
    options: &VerifyTokenOptions,
    what: &str,
) -> Result<jsonwebtoken::DecodingKey, TokenVerificationError> {
    if let Some(pem) = options.jwt_key.as_deref().filter(|p| !p.is_empty()) {
        return keys::from_pem(pem);
    }
    if let Some(bapi) = options.bapi().filter(|b| !b.secret_key.is_empty()) {
        let kid = jwt
            .header
            .get("kid")
            .and_then(Value::as_str)
            .unwrap_or("undefined");
        return keys::remote(&bapi, kid, options.skip_jwks_cache).await;
    }
    Err(TokenVerificationError::new(
        R::JwkFailedToResolve,
        format!("Failed to resolve JWK during {what}."),
    )
    .with_action(action::SET_CLERK_JWT_KEY))
}

/// Verifies a session token (or any Clerk JWT but an M2M one) in Clerk's order: decode,
/// category, key, `typ`, `alg`, signature, `sub`, `aud`, `azp`, `iss`, `exp`, `nbf`, `iat`.
///
/// ```
/// # async fn demo(token: &str, pem: &str) {
/// use clerk_backend::{verify_token, TokenVerificationErrorReason, VerifyTokenOptions};
/// match verify_token(token, &VerifyTokenOptions::with_jwt_key(pem)).await {
///     Ok(t) => println!("signed in as {}", t.subject()),
///     Err(e) if e.reason == TokenVerificationErrorReason::TokenExpired => println!("refresh it"),
///     Err(e) => println!("refused: {}", e.full_message()),
/// }
/// # }
/// ```
pub async fn verify_token(
    token: &str,
    options: &VerifyTokenOptions,
) -> Result<VerifiedToken, TokenVerificationError> {
    verify_decoded(token, jwt::decode(token)?, options).await
}

/// [`verify_token`] of a token already decoded.
pub(crate) async fn verify_decoded(
    token: &str,
    jwt: DecodedJwt,
    options: &VerifyTokenOptions,
) -> Result<VerifiedToken, TokenVerificationError> {
    if jwt.header.get("cat").and_then(Value::as_str) == Some(TokenCategory::M2m.as_str()) {
        return Err(TokenVerificationError::new(
            R::TokenInvalid,
            "Invalid session token category.",
        )
        .with_action(action::ENSURE_CLERK_JWT));
    }
    let key = key_for(&jwt, options, "verification").await?;
    jwt::verify(&jwt, &key, &options.rules(), options.now_ms())?;
    Ok(VerifiedToken {
        raw: token.to_owned(),
        header: jwt.header,
        payload: jwt.payload,
    })
}
