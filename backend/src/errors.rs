//! Why a token was refused: Clerk's `TokenVerificationError`, with its reason strings.

use std::fmt;

/// Clerk's `TokenVerificationErrorReason`: the kebab-case strings are Clerk's, byte for byte,
/// so the `x-clerk-auth-reason` header and logs can be searched like Clerk's.
///
/// ```
/// use clerk_backend::TokenVerificationErrorReason as R;
/// assert_eq!(R::TokenExpired.as_str(), "token-expired");
/// assert_eq!(R::TokenInvalidAuthorizedParties.to_string(), "token-invalid-authorized-parties");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenVerificationErrorReason {
    /// `exp` is in the past (beyond the clock skew).
    TokenExpired,
    /// Not a JWT, a wrong `typ`, or a category that is not a session token's.
    TokenInvalid,
    /// `alg` is not RS256, RS384 or RS512.
    TokenInvalidAlgorithm,
    /// `azp` is missing or not one of the authorized parties.
    TokenInvalidAuthorizedParties,
    /// `iss` is not the expected issuer (only when an issuer is configured).
    TokenInvalidIssuer,
    /// The signature does not match the key.
    TokenInvalidSignature,
    /// `nbf` is in the future.
    TokenNotActiveYet,
    /// `iat` is in the future.
    TokenIatInTheFuture,
    /// A claim has the wrong type (`sub`, `exp`…), the audience does not match, or the key
    /// cannot be used.
    TokenVerificationFailed,
    /// The Backend API refused the secret key.
    SecretKeyInvalid,
    /// No PEM key was given.
    JwkLocalMissing,
    /// The JWKS could not be fetched or was empty.
    JwkRemoteFailedToLoad,
    /// The JWKS holds an unusable key.
    JwkRemoteInvalid,
    /// The JWKS has no key.
    JwkRemoteMissing,
    /// Neither a PEM key nor a secret key was given.
    JwkFailedToResolve,
    /// No key of the JWKS has the token's `kid`.
    JwkKidMismatch,
}

impl TokenVerificationErrorReason {
    /// Clerk's string for the reason.
    pub fn as_str(self) -> &'static str {
        use TokenVerificationErrorReason::*;
        match self {
            TokenExpired => "token-expired",
            TokenInvalid => "token-invalid",
            TokenInvalidAlgorithm => "token-invalid-algorithm",
            TokenInvalidAuthorizedParties => "token-invalid-authorized-parties",
            TokenInvalidIssuer => "token-invalid-issuer",
            TokenInvalidSignature => "token-invalid-signature",
            TokenNotActiveYet => "token-not-active-yet",
            TokenIatInTheFuture => "token-iat-in-the-future",
            TokenVerificationFailed => "token-verification-failed",
            SecretKeyInvalid => "secret-key-invalid",
            JwkLocalMissing => "jwk-local-missing",
            JwkRemoteFailedToLoad => "jwk-remote-failed-to-load",
            JwkRemoteInvalid => "jwk-remote-invalid",
            JwkRemoteMissing => "jwk-remote-missing",
            JwkFailedToResolve => "jwk-failed-to-resolve",
            JwkKidMismatch => "jwk-kid-mismatch",
        }
    }
}

impl fmt::Display for TokenVerificationErrorReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where the token came from, as Clerk reports it (`token-carrier=…`).
///
/// ```
/// assert_eq!(clerk_backend::TokenCarrier::Cookie.as_str(), "cookie");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenCarrier {
    /// `Authorization: Bearer …`.
    Header,
    /// The `__session` cookie.
    Cookie,
}

impl TokenCarrier {
    /// `header` or `cookie`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Header => "header",
            Self::Cookie => "cookie",
        }
    }
}

/// What to do about an error (Clerk's `TokenVerificationErrorAction` texts).
pub(crate) mod action {
    pub const CONTACT_SUPPORT: &str = "Contact support@clerk.com";
    pub const ENSURE_CLERK_JWT: &str = "Make sure that this is a valid Clerk-generated JWT.";
    pub const SET_CLERK_JWT_KEY: &str = "Set the CLERK_JWT_KEY environment variable.";
}

/// A refused token: the reason, Clerk's message and action, and where the token came from.
///
/// ```
/// use clerk_backend::{TokenVerificationError, TokenVerificationErrorReason as R};
/// let e = TokenVerificationError::new(R::TokenInvalid, "Invalid JWT form.");
/// assert_eq!(e.reason, R::TokenInvalid);
/// assert_eq!(e.full_message(), "Invalid JWT form. (reason=token-invalid, token-carrier=undefined)");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message} (reason={reason})")]
pub struct TokenVerificationError {
    /// Clerk's reason.
    pub reason: TokenVerificationErrorReason,
    /// What went wrong, in Clerk's words.
    pub message: String,
    /// What to do about it.
    pub action: Option<&'static str>,
    /// Where the token came from, once known.
    pub carrier: Option<TokenCarrier>,
}

impl TokenVerificationError {
    /// An error with a reason and a message.
    pub fn new(reason: TokenVerificationErrorReason, message: impl Into<String>) -> Self {
        Self {
            reason,
            message: message.into(),
            action: None,
            carrier: None,
        }
    }

    pub(crate) fn with_action(mut self, action: &'static str) -> Self {
        self.action = Some(action);
        self
    }

    /// Clerk's `getFullMessage()`: `message action (reason=…, token-carrier=…)`.
    pub fn full_message(&self) -> String {
        let text = match self.action {
            Some(a) if !self.message.is_empty() => format!("{} {a}", self.message),
            Some(a) => a.to_owned(),
            None => self.message.clone(),
        };
        format!(
            "{text} (reason={}, token-carrier={})",
            self.reason,
            self.carrier.map_or("undefined", TokenCarrier::as_str)
        )
    }
}

/// A configuration the request cannot be authenticated with (Clerk throws for these): a
/// missing or malformed key, or a satellite set up wrongly.
///
/// ```
/// use clerk_backend::{AuthenticateRequestOptions, ConfigError};
/// let err = AuthenticateRequestOptions::new("pk_live_bad", "sk_live_x").validate().unwrap_err();
/// assert!(matches!(err, ConfigError::PublishableKey(_)));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// No secret key (`CLERK_SECRET_KEY`).
    #[error(
        "Missing Clerk Secret Key. Go to https://dashboard.clerk.com and get your key for your instance."
    )]
    MissingSecretKey,
    /// The secret key does not start with `sk_`.
    #[error("Invalid Clerk Secret Key: it starts with `sk_test_` or `sk_live_`.")]
    InvalidSecretKey,
    /// The publishable key does not decode.
    #[error("Invalid Clerk Publishable Key: {0}")]
    PublishableKey(#[from] clerk_core::key::KeyError),
    /// A satellite without `domain` or `proxy_url`.
    #[error(
        "Missing domain and proxyUrl. A satellite application needs to specify a domain or a proxyUrl"
    )]
    SatelliteWithoutDomain,
    /// A development satellite without `sign_in_url`.
    #[error("Missing signInUrl. Pass a signInUrl for dev instances if an app is satellite")]
    SatelliteWithoutSignInUrl,
    /// A satellite whose `sign_in_url` is relative or on its own origin.
    #[error(
        "The signInUrl needs to have a absolute url format on a different origin than your satellite application."
    )]
    SatelliteSignInUrl,
}
