//! The server's two error types: [`ApiErr`], a failed request, rendered as Clerk's error
//! envelope; and [`StartupError`], why the server could not start.

use std::path::PathBuf;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use clerk_core::wire::{ApiError, ErrorCode, ErrorEnvelope};

/// A failed request: an HTTP status and one Clerk API error. Rendered as
/// `{errors:[{code,message,long_message,meta}], clerk_trace_id}`.
#[derive(Clone, Debug)]
pub struct ApiErr {
    /// The HTTP status (4xx for anything the client did; 5xx only for server bugs).
    pub status: StatusCode,
    /// The error (boxed: results stay small).
    pub error: Box<ApiError>,
    /// Seconds for a `Retry-After` header, if any.
    pub retry_after: Option<u64>,
    /// What went wrong inside the server (5xx only): logged when the error becomes a response,
    /// never sent to the client.
    pub(crate) detail: Option<String>,
}

/// Shorthand for results of request handlers.
pub type ApiResult<T> = Result<T, ApiErr>;

impl ApiErr {
    /// An error with a status, a code and the two messages.
    pub fn new(status: StatusCode, code: ErrorCode, message: &str, long: &str) -> Self {
        Self {
            status,
            error: Box::new(ApiError::new(code, message, long)),
            retry_after: None,
            detail: None,
        }
    }

    /// Names the form field the error is about (`meta.param_name`).
    pub fn param(mut self, name: &str) -> Self {
        self.error = Box::new(self.error.with_param(name));
        self
    }

    /// Adds a `meta` entry.
    pub fn meta(mut self, key: &str, value: serde_json::Value) -> Self {
        let meta = self.error.meta.get_or_insert_with(Default::default);
        meta.extra.insert(key.to_owned(), value);
        self
    }

    /// Replaces the status.
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// 404 `resource_not_found`.
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ErrorCode::ResourceNotFound,
            "not found",
            &format!("No {what} was found with this identifier."),
        )
    }

    /// 422 `form_param_missing` for a field.
    pub fn missing(param: &str) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::FormParamMissing,
            "is missing",
            &format!("{param} must be included."),
        )
        .param(param)
    }

    /// 422 `form_param_format_invalid` for a field.
    pub fn invalid(param: &str, long: &str) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::FormParamFormatInvalid,
            "is invalid",
            long,
        )
        .param(param)
    }

    /// 422 `form_param_value_invalid` for a field.
    pub fn value_invalid(param: &str, long: &str) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::FormParamValueInvalid,
            "is invalid",
            long,
        )
        .param(param)
    }

    /// 401 `signed_out`: no signed-in session for this request.
    pub fn signed_out() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::SignedOut,
            "Signed out",
            "You are signed out.",
        )
    }

    /// 403 `not_authorized`.
    pub fn forbidden(long: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            ErrorCode::NotAuthorized,
            "Unauthorized request",
            long,
        )
    }

    /// 500 for bugs and storage failures. Never for bad input. The detail is logged when the
    /// error is turned into a response (see [`IntoResponse`]), not sent.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        let mut err = Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::InternalServerError,
            "Oops, an unexpected error occurred",
            "There was an internal error on our servers.",
        );
        err.detail = Some(detail.to_string());
        err
    }

    /// The internal detail if there is one, else the client-facing message.
    pub fn describe(&self) -> &str {
        self.detail.as_deref().unwrap_or_else(|| self.error.text())
    }
}

impl From<rusqlite::Error> for ApiErr {
    fn from(e: rusqlite::Error) -> Self {
        Self::internal(format!("storage: {e}"))
    }
}

impl From<serde_json::Error> for ApiErr {
    fn from(e: serde_json::Error) -> Self {
        Self::internal(format!("json: {e}"))
    }
}

impl IntoResponse for ApiErr {
    /// The envelope with a new trace id; a 5xx is logged with its detail and trace id.
    fn into_response(self) -> Response {
        let trace_id = crate::crypto::random_hex(16);
        if self.status.is_server_error() {
            eprintln!(
                "[clerk-dev-server] internal error ({trace_id}): {}",
                self.describe()
            );
        }
        let body = ErrorEnvelope {
            errors: vec![*self.error],
            meta: None,
            clerk_trace_id: Some(trace_id),
        };
        let mut resp = (self.status, axum::Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            if let Ok(v) = secs.to_string().parse() {
                resp.headers_mut().insert("retry-after", v);
            }
        }
        resp
    }
}

/// Why the server could not start: a bad seed, an unusable database or signing key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartupError {
    /// The seed is not valid TOML or does not match the seed schema.
    #[error("seed: {0}")]
    SeedSyntax(#[from] toml::de::Error),
    /// The seed's `[password]` table is not valid password settings.
    #[error("seed [password]: {0}")]
    PasswordSettings(#[source] serde_json::Error),
    /// The seed's data does not fit together (an unknown role, a member who is no seeded user…).
    #[error("{0}")]
    SeedData(String),
    /// A file could not be read or a directory created.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// The SQLite database could not be opened or set up.
    #[error("{}: {source}", path.as_ref().map_or("database".into(), |p| p.display().to_string()))]
    Database {
        /// The database file (`None`: in memory).
        path: Option<PathBuf>,
        /// The error.
        #[source]
        source: rusqlite::Error,
    },
    /// The signing key could not be generated, read or encoded.
    #[error("signing key: {0}")]
    SigningKey(String),
    /// Reading or writing the stored instance data failed.
    #[error("{0}")]
    Storage(String),
}

impl From<ApiErr> for StartupError {
    fn from(e: ApiErr) -> Self {
        Self::Storage(e.describe().to_owned())
    }
}
