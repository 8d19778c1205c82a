//! The Backend API client (`createClerkClient` in Clerk's SDK): users, organizations, sessions,
//! invitations and the JWKS, over one `request` that follows Clerk's conventions (Bearer secret
//! key, `Clerk-API-Version`, array parameters repeated, unset parameters left out, only top-level
//! body keys in snake case, so metadata keeps your key names).
//!
//! ```no_run
//! # async fn demo() -> Result<(), clerk_backend::api::ClerkApiError> {
//! use clerk_backend::api::{ClerkClient, UserListParams};
//! let clerk = ClerkClient::new("sk_test_…");
//! let user = clerk.users().get_user("user_123").await?;
//! let page = clerk.users().get_user_list(&UserListParams { query: Some("ada".into()), limit: Some(20), ..Default::default() }).await?;
//! println!("{} of {}", page.data.len(), page.total_count);
//! clerk.users().update_user_metadata("user_123", serde_json::json!({"public_metadata": {"plan": "pro"}})).await?;
//! # Ok(()) }
//! ```

mod models;
mod organizations;
mod sessions;
mod users;

use std::sync::Arc;
use std::time::Duration;

use futures_util::Stream;
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use models::*;
pub use organizations::{InvitationListParams, Invitations, OrganizationListParams, Organizations};
pub use sessions::{SessionListParams, Sessions};
pub use users::{UserListParams, Users};

use crate::bapi::API_VERSION_HEADER;

/// How many times a 429 or 503 is retried, and the longest wait honoured.
const RETRIES: u32 = 3;
const MAX_WAIT: Duration = Duration::from_secs(10);

/// One error of Clerk's envelope.
///
/// ```
/// let e: clerk_backend::api::ApiErrorItem = serde_json::from_str(r#"{"code":"resource_not_found","message":"not found"}"#).unwrap();
/// assert_eq!(e.code, "resource_not_found");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct ApiErrorItem {
    /// Machine-readable (`resource_not_found`, `form_param_missing`…).
    #[serde(default)]
    pub code: String,
    /// Short text.
    #[serde(default)]
    pub message: String,
    /// Longer text.
    #[serde(default)]
    pub long_message: Option<String>,
    /// Details (`param_name`…).
    #[serde(default)]
    pub meta: Option<Value>,
}

/// A failed Backend API call: the status, Clerk's errors, the trace id and `Retry-After`.
///
/// ```
/// use clerk_backend::api::ClerkApiError;
/// fn is_missing(e: &ClerkApiError) -> bool { e.status == Some(404) || e.has_code("resource_not_found") }
/// ```
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{}", self.describe())]
pub struct ClerkApiError {
    /// The HTTP status; `None` when no answer came (network, timeout).
    pub status: Option<u16>,
    /// Clerk's errors (a network failure is one `unexpected_error`).
    pub errors: Vec<ApiErrorItem>,
    /// `clerk_trace_id` of the body, else the `cf-ray` header.
    pub clerk_trace_id: Option<String>,
    /// `Retry-After`, in seconds.
    pub retry_after: Option<u64>,
}

impl ClerkApiError {
    fn describe(&self) -> String {
        let first = self.errors.first();
        format!(
            "Clerk Backend API error{}: {} ({})",
            self.status.map(|s| format!(" {s}")).unwrap_or_default(),
            first.map_or("no details", |e| e
                .long_message
                .as_deref()
                .unwrap_or(&e.message)),
            first.map_or("unknown", |e| e.code.as_str()),
        )
    }

    /// Whether one of the errors has this code.
    pub fn has_code(&self, code: &str) -> bool {
        self.errors.iter().any(|e| e.code == code)
    }

    fn network(message: String) -> Self {
        Self {
            status: None,
            errors: vec![ApiErrorItem {
                code: "unexpected_error".into(),
                message,
                ..Default::default()
            }],
            clerk_trace_id: None,
            retry_after: None,
        }
    }
}

/// Query parameters with Clerk's rules: arrays repeat the key, unset values are left out.
#[derive(Clone, Debug, Default)]
pub(crate) struct Query(Vec<(String, String)>);

impl Query {
    pub(crate) fn opt<T: ToString>(&mut self, key: &str, value: &Option<T>) -> &mut Self {
        if let Some(v) = value {
            self.0.push((key.to_owned(), v.to_string()));
        }
        self
    }

    pub(crate) fn list(&mut self, key: &str, values: &[String]) -> &mut Self {
        for v in values {
            self.0.push((key.to_owned(), v.clone()));
        }
        self
    }

    pub(crate) fn flag(&mut self, key: &str, value: bool) -> &mut Self {
        if value {
            self.0.push((key.to_owned(), "true".into()));
        }
        self
    }
}

struct Inner {
    http: reqwest::Client,
    api_url: String,
    api_version: String,
    secret_key: String,
}

/// The Backend API client: cheap to clone, one connection pool.
///
/// ```
/// let clerk = clerk_backend::api::ClerkClient::new("sk_test_…").with_api_url("http://127.0.0.1:4010");
/// assert_eq!(clerk.api_url(), "http://127.0.0.1:4010");
/// ```
#[derive(Clone)]
pub struct ClerkClient {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for ClerkClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClerkClient")
            .field("api_url", &self.inner.api_url)
            .field("secret_key", &crate::redact(&self.inner.secret_key))
            .finish()
    }
}

impl ClerkClient {
    /// A client for Clerk's Backend API (`https://api.clerk.com/v1`) with this secret key.
    pub fn new(secret_key: impl Into<String>) -> Self {
        Self::build(
            secret_key.into(),
            crate::DEFAULT_API_URL.to_owned(),
            crate::DEFAULT_API_VERSION.to_owned(),
        )
    }

    /// From `CLERK_SECRET_KEY` and `CLERK_API_URL`.
    ///
    /// ```no_run
    /// let clerk = clerk_backend::api::ClerkClient::from_env()?;
    /// # Ok::<(), clerk_backend::ConfigError>(())
    /// ```
    pub fn from_env() -> Result<Self, crate::ConfigError> {
        let key = std::env::var("CLERK_SECRET_KEY")
            .ok()
            .filter(|k| !k.is_empty())
            .ok_or(crate::ConfigError::MissingSecretKey)?;
        let client = Self::new(key);
        Ok(
            match std::env::var("CLERK_API_URL")
                .ok()
                .filter(|u| !u.is_empty())
            {
                Some(url) => client.with_api_url(url),
                None => client,
            },
        )
    }

    fn build(secret_key: String, api_url: String, api_version: String) -> Self {
        let http = reqwest::Client::builder()
            .user_agent(concat!("clerk-backend-rust/", env!("CARGO_PKG_VERSION")))
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap_or_default();
        Self {
            inner: Arc::new(Inner {
                http,
                api_url: api_url.trim_end_matches('/').to_owned(),
                api_version,
                secret_key,
            }),
        }
    }

    /// The same client against another Backend API (the dev server prints its own).
    pub fn with_api_url(&self, api_url: impl Into<String>) -> Self {
        Self::build(
            self.inner.secret_key.clone(),
            api_url.into(),
            self.inner.api_version.clone(),
        )
    }

    /// The Backend API's base URL.
    pub fn api_url(&self) -> &str {
        &self.inner.api_url
    }

    /// Users.
    pub fn users(&self) -> Users<'_> {
        Users(self)
    }

    /// Organizations, their memberships and invitations.
    pub fn organizations(&self) -> Organizations<'_> {
        Organizations(self)
    }

    /// Sessions.
    pub fn sessions(&self) -> Sessions<'_> {
        Sessions(self)
    }

    /// Invitations to the application.
    pub fn invitations(&self) -> Invitations<'_> {
        Invitations(self)
    }

    /// `GET /jwks`: the instance's public keys.
    pub async fn get_jwks(&self) -> Result<Jwks, ClerkApiError> {
        self.call(Method::GET, "/jwks", None).await
    }

    /// A call without query parameters.
    pub(crate) async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<T, ClerkApiError> {
        self.request(method, path, &Query::default(), body).await
    }

    /// Any Backend API call: `path` under `/v1`, Clerk's error envelope turned into
    /// [`ClerkApiError`], 429 and 503 retried up to three times after `Retry-After` (at most 10 s).
    pub(crate) async fn request<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        query: &Query,
        body: Option<&Value>,
    ) -> Result<T, ClerkApiError> {
        let url = format!("{}/{}{}", self.inner.api_url, self.inner.api_version, path);
        let mut attempt = 0;
        loop {
            let mut req = self
                .inner
                .http
                .request(method.clone(), &url)
                .bearer_auth(&self.inner.secret_key)
                .header("Clerk-API-Version", API_VERSION_HEADER);
            if !query.0.is_empty() {
                req = req.query(&query.0);
            }
            if let Some(b) = body {
                req = req.json(b);
            }
            let response = req
                .send()
                .await
                .map_err(|e| ClerkApiError::network(e.to_string()))?;
            let status = response.status();
            let retry_after = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok());
            let cf_ray = response
                .headers()
                .get("cf-ray")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            if (status == StatusCode::TOO_MANY_REQUESTS
                || status == StatusCode::SERVICE_UNAVAILABLE)
                && attempt < RETRIES
            {
                let wait = Duration::from_secs(retry_after.unwrap_or(1)).min(MAX_WAIT);
                attempt += 1;
                tokio::time::sleep(wait).await;
                continue;
            }
            let text = response
                .text()
                .await
                .map_err(|e| ClerkApiError::network(e.to_string()))?;
            if status.is_success() {
                let json = if text.trim().is_empty() {
                    "null"
                } else {
                    &text
                };
                return serde_json::from_str(json).map_err(|e| {
                    ClerkApiError::network(format!("the Backend API's answer does not decode: {e}"))
                });
            }
            #[derive(Deserialize, Default)]
            struct Envelope {
                #[serde(default)]
                errors: Vec<ApiErrorItem>,
                #[serde(default)]
                clerk_trace_id: Option<String>,
            }
            let envelope: Envelope = serde_json::from_str(&text).unwrap_or_default();
            return Err(ClerkApiError {
                status: Some(status.as_u16()),
                errors: envelope.errors,
                clerk_trace_id: envelope.clerk_trace_id.or(cf_ray),
                retry_after,
            });
        }
    }
}

/// Every item of a paged list as a stream, fetching `page_size` at a time.
pub(crate) fn paginate<'a, T, F, Fut>(
    page_size: i64,
    fetch: F,
) -> impl Stream<Item = Result<T, ClerkApiError>> + 'a
where
    T: 'a,
    F: Fn(i64, i64) -> Fut + 'a,
    Fut: std::future::Future<Output = Result<Page<T>, ClerkApiError>> + 'a,
{
    let page_size = page_size.clamp(1, 500);
    futures_util::stream::unfold(
        (0i64, Vec::<T>::new().into_iter(), false, fetch),
        move |(offset, mut buffered, done, fetch)| async move {
            if let Some(item) = buffered.next() {
                return Some((Ok(item), (offset, buffered, done, fetch)));
            }
            if done {
                return None;
            }
            match fetch(page_size, offset).await {
                Ok(page) => {
                    let n = page.data.len() as i64;
                    let last = n < page_size || offset + n >= page.total_count;
                    let mut buffered = page.data.into_iter();
                    buffered
                        .next()
                        .map(|item| (Ok(item), (offset + n, buffered, last, fetch)))
                }
                Err(e) => Some((Err(e), (offset, buffered, true, fetch))),
            }
        },
    )
}
