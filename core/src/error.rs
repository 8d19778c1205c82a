//! `ClerkError`: every failure of the SDK, typed.

use super::claims::ClaimsError;
use super::key::KeyError;
use super::request::{EndpointError, FormError};
use super::wire::{ApiError, ErrorCode, ErrorEnvelope};

/// Everything that can go wrong talking to Clerk. Offline, network trouble, an API error and
/// "signed out" are distinct, so nothing reads "offline" as "signed out".
///
/// ```
/// use clerk_core::error::ClerkError;
/// use clerk_core::wire::ErrorCode;
/// let body = r#"{"errors":[{"code":"form_password_incorrect","message":"is incorrect",
///   "long_message":"Password is incorrect. Try again.","meta":{"param_name":"password"}}],
///   "clerk_trace_id":"t1"}"#;
/// let err = ClerkError::from_response(422, body, None);
/// assert_eq!(err.code(), Some(&ErrorCode::FormPasswordIncorrect));
/// assert_eq!(err.field_error("password"), Some("Password is incorrect. Try again."));
/// assert!(err.is_unauthenticated());
/// assert_eq!(err.to_string(), "Password is incorrect. Try again.");
/// ```
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ClerkError {
    /// FAPI answered with an error envelope.
    #[error("{}", api_text(errors, *status))]
    Api {
        /// HTTP status.
        status: u16,
        /// Clerk's errors, most important first.
        errors: Vec<ApiError>,
        /// The trace id to quote to Clerk's support.
        clerk_trace_id: Option<String>,
        /// Seconds to wait, from `Retry-After` on a 429.
        retry_after: Option<u32>,
    },
    /// The browser is offline.
    #[error("the browser is offline")]
    Offline,
    /// The request failed before an answer came (DNS, TLS, CORS, connection reset, timeout).
    #[error("network error: {0}")]
    Network(String),
    /// The answer could not be read.
    #[error("unexpected answer from Clerk: {0}")]
    Decode(String),
    /// The call needs a signed-in session and there is none.
    #[error("there is no signed-in session")]
    SignedOut,
    /// The call acts on the active organization and the session has none (the personal
    /// account is active).
    #[error("there is no active organization")]
    NoActiveOrganization,
    /// The call needs a loaded client and Clerk has not loaded yet.
    #[error("Clerk has not loaded yet")]
    NotLoaded,
    /// The publishable key is invalid.
    #[error("invalid publishable key: {0}")]
    Key(#[from] KeyError),
    /// The FAPI endpoint options are invalid.
    #[error("invalid Frontend API options: {0}")]
    Endpoint(#[from] EndpointError),
    /// A request body could not be encoded.
    #[error("invalid request body: {0}")]
    Form(#[from] FormError),
    /// A token could not be decoded.
    #[error("invalid token: {0}")]
    Claims(#[from] ClaimsError),
    /// The `ClerkProvider` that owned this handle is gone.
    #[error("the ClerkProvider of this handle was unmounted")]
    Unmounted,
    /// Called while rendering on the server: Clerk's actions run in the browser (server code
    /// uses `leptos_clerk::server`).
    #[error(
        "this runs in the browser only: on the server, use leptos_clerk::server (auth(), current_user())"
    )]
    NotInBrowser,
    /// An argument was refused before any request (unknown session, disallowed redirect…).
    #[error("{0}")]
    Invalid(String),
}

fn api_text(errors: &[ApiError], status: u16) -> String {
    errors
        .first()
        .map(|e| e.text().to_owned())
        .unwrap_or_else(|| format!("request failed with status {status}"))
}

impl ClerkError {
    /// Reads an error answer: the error envelope if the body is one, else a generic API error
    /// with the status.
    pub fn from_response(status: u16, body: &str, retry_after: Option<u32>) -> Self {
        match serde_json::from_str::<ErrorEnvelope>(body) {
            Ok(envelope) => Self::Api {
                status,
                errors: envelope.errors,
                clerk_trace_id: envelope.clerk_trace_id,
                retry_after,
            },
            Err(_) => Self::Api {
                status,
                errors: Vec::new(),
                clerk_trace_id: None,
                retry_after,
            },
        }
    }

    /// The HTTP status of an API error.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The API errors, empty for other kinds.
    pub fn errors(&self) -> &[ApiError] {
        match self {
            Self::Api { errors, .. } => errors,
            _ => &[],
        }
    }

    /// The code of the first API error.
    pub fn code(&self) -> Option<&ErrorCode> {
        self.errors().first().map(|e| &e.code)
    }

    /// Whether any API error has this code.
    pub fn has_code(&self, code: &ErrorCode) -> bool {
        self.errors().iter().any(|e| &e.code == code)
    }

    /// The message of the first error about a form field (`meta.param_name`).
    pub fn field_error(&self, param: &str) -> Option<&str> {
        self.errors()
            .iter()
            .find(|e| e.param_name() == Some(param))
            .map(ApiError::text)
    }

    /// Errors not tied to any form field, for a form-level message.
    pub fn global_errors(&self) -> impl Iterator<Item = &ApiError> {
        self.errors().iter().filter(|e| e.param_name().is_none())
    }

    /// Whether the error may mean the session is gone (clerk-js's `isUnauthenticatedError`):
    /// 401, 422, or 403 with `user_banned`/`user_deactivated`.
    pub fn is_unauthenticated(&self) -> bool {
        match self {
            Self::Api {
                status: 401 | 422, ..
            } => true,
            Self::Api { status: 403, .. } => {
                self.has_code(&ErrorCode::UserBanned) || self.has_code(&ErrorCode::UserDeactivated)
            }
            _ => false,
        }
    }

    /// Whether the error is the network's (offline or failed request), so state must be kept
    /// and the call retried later.
    pub fn is_network(&self) -> bool {
        matches!(self, Self::Offline | Self::Network(_))
    }

    /// Whether retrying may help: network trouble, 429 and 5xx.
    pub fn is_retryable(&self) -> bool {
        self.is_network()
            || matches!(self, Self::Api { status, .. } if *status == 429 || *status >= 500)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_envelope_bodies_keep_the_status() {
        let e = ClerkError::from_response(502, "<html>bad gateway</html>", None);
        assert_eq!(e.status(), Some(502));
        assert!(e.errors().is_empty());
        assert!(e.is_retryable());
        assert_eq!(e.to_string(), "request failed with status 502");
    }

    #[test]
    fn banned_users_are_unauthenticated() {
        let body = r#"{"errors":[{"code":"user_banned","message":"banned"}]}"#;
        assert!(ClerkError::from_response(403, body, None).is_unauthenticated());
        let body = r#"{"errors":[{"code":"not_authorized","message":"no"}]}"#;
        assert!(!ClerkError::from_response(403, body, None).is_unauthenticated());
        assert!(!ClerkError::Offline.is_unauthenticated());
        assert!(ClerkError::Offline.is_network());
    }

    #[test]
    fn global_errors_have_no_field() {
        let body = r#"{"errors":[{"code":"form_param_missing","message":"m","meta":{"param_name":"code"}},
            {"code":"too_many_requests","message":"slow down"}]}"#;
        let e = ClerkError::from_response(429, body, Some(3));
        assert_eq!(e.global_errors().count(), 1);
        assert_eq!(e.field_error("code"), Some("m"));
        assert!(matches!(
            e,
            ClerkError::Api {
                retry_after: Some(3),
                ..
            }
        ));
    }
}
