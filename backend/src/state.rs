//! What `authenticate_request` answers: Clerk's `RequestState`.

use std::fmt;

use http::{HeaderMap, HeaderName, HeaderValue};

use crate::auth::{Auth, SessionAuth};
use crate::errors::TokenVerificationErrorReason;

/// `signed-in`, `signed-out` or `handshake`.
///
/// ```
/// assert_eq!(clerk_backend::AuthStatus::Handshake.as_str(), "handshake");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthStatus {
    /// A verified session.
    SignedIn,
    /// No usable session.
    SignedOut,
    /// The browser must visit FAPI to refresh its cookies: answer the redirect in `headers`.
    Handshake,
}

impl AuthStatus {
    /// Clerk's string.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignedIn => "signed-in",
            Self::SignedOut => "signed-out",
            Self::Handshake => "handshake",
        }
    }
}

/// Why a refresh of an expired token was not possible (Clerk's `RefreshTokenErrorReason`, or
/// a Backend API error code).
///
/// ```
/// use clerk_backend::RefreshError;
/// assert_eq!(RefreshError::NonEligibleNoRefreshCookie.to_string(), "non-eligible-no-refresh-cookie");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RefreshError {
    /// No suffixed `__refresh` cookie.
    NonEligibleNoRefreshCookie,
    /// Not a GET.
    NonEligibleNonGet,
    /// The refreshed token did not verify.
    InvalidSessionToken,
    /// No session token to refresh.
    MissingSessionToken,
    /// No refresh token.
    MissingRefreshToken,
    /// The expired token does not decode.
    ExpiredSessionTokenDecodeFailed,
    /// The expired token has no `sid`.
    ExpiredSessionTokenMissingSidClaim,
    /// The Backend API could not be reached.
    FetchError,
    /// The Backend API failed without an error code.
    UnexpectedBapiError,
    /// Anything else.
    UnexpectedSdkError,
    /// The Backend API's error code.
    Bapi(String),
}

impl fmt::Display for RefreshError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NonEligibleNoRefreshCookie => "non-eligible-no-refresh-cookie",
            Self::NonEligibleNonGet => "non-eligible-non-get",
            Self::InvalidSessionToken => "invalid-session-token",
            Self::MissingSessionToken => "missing-session-token",
            Self::MissingRefreshToken => "missing-refresh-token",
            Self::ExpiredSessionTokenDecodeFailed => "expired-session-token-decode-failed",
            Self::ExpiredSessionTokenMissingSidClaim => "expired-session-token-missing-sid-claim",
            Self::FetchError => "fetch-error",
            Self::UnexpectedBapiError => "unexpected-bapi-error",
            Self::UnexpectedSdkError => "unexpected-sdk-error",
            Self::Bapi(code) => code,
        })
    }
}

/// Why a request is signed out or needs a handshake: Clerk's `AuthErrorReason` strings (and
/// the token errors), so `x-clerk-auth-reason` reads exactly as with Clerk's SDKs.
///
/// ```
/// use clerk_backend::{AuthReason, RefreshError};
/// assert_eq!(AuthReason::DevBrowserMissing.to_string(), "dev-browser-missing");
/// assert_eq!(
///     AuthReason::SessionTokenExpired(RefreshError::NonEligibleNoRefreshCookie).to_string(),
///     "session-token-expired-refresh-non-eligible-no-refresh-cookie"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthReason {
    /// `client-uat-but-no-session-token`.
    ClientUatButNoSessionToken,
    /// `dev-browser-missing`.
    DevBrowserMissing,
    /// `dev-browser-sync`.
    DevBrowserSync,
    /// `primary-responds-to-syncing`.
    PrimaryRespondsToSyncing,
    /// `primary-domain-cross-origin-sync`.
    PrimaryDomainCrossOriginSync,
    /// `satellite-needs-syncing`.
    SatelliteNeedsSyncing,
    /// `session-token-and-uat-missing`: the ordinary signed-out visitor.
    SessionTokenAndUatMissing,
    /// `session-token-missing`.
    SessionTokenMissing,
    /// `session-token-expired-refresh-<why the refresh failed>`.
    SessionTokenExpired(RefreshError),
    /// `session-token-iat-before-client-uat`.
    SessionTokenIatBeforeClientUat,
    /// `session-token-nbf`.
    SessionTokenNbf,
    /// `session-token-iat-in-the-future`.
    SessionTokenIatInTheFuture,
    /// `session-token-but-no-client-uat`.
    SessionTokenButNoClientUat,
    /// `active-organization-mismatch`.
    ActiveOrganizationMismatch,
    /// `token-type-mismatch`: a machine token or a template token where a session token goes.
    TokenTypeMismatch,
    /// `unexpected-error`.
    UnexpectedError,
    /// A token verification error (`token-expired`, `token-invalid-signature`…).
    Token(TokenVerificationErrorReason),
}

impl fmt::Display for AuthReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::ClientUatButNoSessionToken => "client-uat-but-no-session-token",
            Self::DevBrowserMissing => "dev-browser-missing",
            Self::DevBrowserSync => "dev-browser-sync",
            Self::PrimaryRespondsToSyncing => "primary-responds-to-syncing",
            Self::PrimaryDomainCrossOriginSync => "primary-domain-cross-origin-sync",
            Self::SatelliteNeedsSyncing => "satellite-needs-syncing",
            Self::SessionTokenAndUatMissing => "session-token-and-uat-missing",
            Self::SessionTokenMissing => "session-token-missing",
            Self::SessionTokenExpired(r) => return write!(f, "session-token-expired-refresh-{r}"),
            Self::SessionTokenIatBeforeClientUat => "session-token-iat-before-client-uat",
            Self::SessionTokenNbf => "session-token-nbf",
            Self::SessionTokenIatInTheFuture => "session-token-iat-in-the-future",
            Self::SessionTokenButNoClientUat => "session-token-but-no-client-uat",
            Self::ActiveOrganizationMismatch => "active-organization-mismatch",
            Self::TokenTypeMismatch => "token-type-mismatch",
            Self::UnexpectedError => "unexpected-error",
            Self::Token(r) => r.as_str(),
        })
    }
}

/// The outcome of [`authenticate_request`](crate::authenticate_request).
///
/// `headers` go on the response: `Set-Cookie` from a handshake or refresh, and for signed-out
/// and handshake states Clerk's `x-clerk-auth-status` / `-reason` / `-message`. When they
/// hold a `Location`, answer `307` with them (a handshake, or the clean URL after one).
///
/// ```
/// # async fn demo(parts: &http::request::Parts, opts: &clerk_backend::AuthenticateRequestOptions) {
/// let state = clerk_backend::authenticate_request(parts, opts).await;
/// if let Some(location) = state.redirect() {
///     println!("307 to {location:?}");
/// } else if let Some(auth) = state.to_auth() {
///     println!("signed in: {}", auth.is_signed_in());
/// }
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct RequestState {
    /// Signed in, signed out or handshake.
    pub status: AuthStatus,
    /// Why, when not signed in.
    pub reason: Option<AuthReason>,
    /// Clerk's message (may be empty).
    pub message: String,
    /// Response headers to send.
    pub headers: HeaderMap,
    pub(crate) session: Option<SessionAuth>,
}

impl RequestState {
    pub(crate) fn signed_in(session: SessionAuth, headers: HeaderMap) -> Self {
        Self {
            status: AuthStatus::SignedIn,
            reason: None,
            message: String::new(),
            headers,
            session: Some(session),
        }
    }

    pub(crate) fn signed_out(reason: AuthReason, message: String, headers: HeaderMap) -> Self {
        Self::with_debug_headers(AuthStatus::SignedOut, reason, message, headers)
    }

    pub(crate) fn handshake(reason: AuthReason, message: String, headers: HeaderMap) -> Self {
        Self::with_debug_headers(AuthStatus::Handshake, reason, message, headers)
    }

    fn with_debug_headers(
        status: AuthStatus,
        reason: AuthReason,
        message: String,
        mut headers: HeaderMap,
    ) -> Self {
        let mut set = |name: &'static str, value: &str| {
            if let Ok(v) = HeaderValue::from_str(value) {
                headers.insert(HeaderName::from_static(name), v);
            }
        };
        if !message.is_empty() {
            set("x-clerk-auth-message", &message);
        }
        set("x-clerk-auth-reason", &reason.to_string());
        set("x-clerk-auth-status", status.as_str());
        Self {
            status,
            reason: Some(reason),
            message,
            headers,
            session: None,
        }
    }

    /// Whether a session is signed in (pending sessions count as signed out).
    pub fn is_signed_in(&self) -> bool {
        self.status == AuthStatus::SignedIn
    }

    /// The session token of a signed-in state.
    pub fn token(&self) -> Option<&str> {
        self.session.as_ref().map(SessionAuth::token)
    }

    /// The `Location` to answer with a 307, if any.
    pub fn redirect(&self) -> Option<&HeaderValue> {
        self.headers.get(http::header::LOCATION)
    }

    /// Clerk's `toAuth()`: `None` for a handshake; a pending session is signed out (with
    /// `session_status: Some(Pending)`).
    pub fn to_auth(&self) -> Option<Auth> {
        self.to_auth_with(true)
    }

    /// `toAuth({treatPendingAsSignedOut})`.
    pub fn to_auth_with(&self, treat_pending_as_signed_out: bool) -> Option<Auth> {
        match self.status {
            AuthStatus::Handshake => None,
            AuthStatus::SignedOut => Some(Auth::signed_out(self.reason.clone())),
            AuthStatus::SignedIn => {
                let session = self.session.clone()?;
                if treat_pending_as_signed_out
                    && session.session_status == Some(clerk_core::wire::SessionStatus::Pending)
                {
                    return Some(Auth::SignedOut {
                        reason: None,
                        session_status: session.session_status,
                    });
                }
                Some(Auth::SignedIn(Box::new(session)))
            }
        }
    }
}
