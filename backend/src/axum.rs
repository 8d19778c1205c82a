//! axum integration: [`ClerkLayer`] authenticates every request once (Clerk's
//! `clerkMiddleware`), answers handshakes itself, and leaves the [`Auth`] in the request's
//! extensions; [`ClerkAuth`] and [`SignedInAuth`] read it in handlers (and through
//! `leptos_axum::extract()` in server functions).
//!
//! ```no_run
//! use axum::{Json, Router, routing::get};
//! use clerk_backend::axum::{ClerkAuth, ClerkLayer, SignedInAuth};
//! use clerk_backend::core::authz::Has;
//!
//! async fn me(SignedInAuth(session): SignedInAuth) -> String {
//!     session.user_id.clone()
//! }
//! async fn admin(auth: SignedInAuth) -> Result<&'static str, clerk_backend::axum::AuthRejection> {
//!     auth.protect(&Has::role("org:admin"))?;
//!     Ok("welcome, admin")
//! }
//! async fn home(ClerkAuth(auth): ClerkAuth) -> String {
//!     format!("signed in: {}", auth.is_signed_in())
//! }
//! # fn app() -> Result<Router, clerk_backend::ConfigError> {
//! let app = Router::new()
//!     .route("/", get(home))
//!     .route("/api/me", get(me))
//!     .route("/api/admin", get(admin))
//!     .layer(ClerkLayer::from_env()?);
//! # Ok(app) }
//! ```

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::{Layer, Service};

use crate::api::{ClerkApiError, ClerkClient, User};
use crate::core::authz::Has;
use crate::webhooks::{WebhookError, WebhookEvent};
use crate::{Auth, AuthenticateRequestOptions, ConfigError, RequestState, SessionAuth};

/// The request's authentication, as [`ClerkLayer`] left it in the extensions.
#[derive(Clone, Debug)]
pub struct ClerkRequestState {
    /// The full state (status, reason, headers).
    pub state: Arc<RequestState>,
    /// The Auth object of it.
    pub auth: Auth,
    /// The options it was made with (for sign-in redirects).
    pub options: Arc<AuthenticateRequestOptions>,
    /// The Backend API client of these options.
    pub client: ClerkClient,
    /// The signed-in user, fetched at most once per request ([`current_user`]).
    user: Arc<tokio::sync::OnceCell<User>>,
}

/// Clerk's `clerkMiddleware` as a tower layer.
///
/// For each request it runs [`authenticate_request`](crate::authenticate_request) once. A
/// state with a `Location` (a handshake, or the clean URL after one) is answered right away
/// with `307` and Clerk's headers; otherwise the [`Auth`] goes into the request's extensions
/// and the state's headers (refreshed cookies, `x-clerk-auth-*`) onto the response.
///
/// ```no_run
/// use clerk_backend::{AuthenticateRequestOptions, axum::ClerkLayer};
/// let mut opts = AuthenticateRequestOptions::new("pk_test_…", "sk_test_…");
/// opts.authorized_parties = vec!["https://app.example.com".into()];
/// let layer = ClerkLayer::new(opts)?;
/// let app: axum::Router = axum::Router::new().layer(layer);
/// # Ok::<(), clerk_backend::ConfigError>(())
/// ```
#[derive(Clone, Debug)]
pub struct ClerkLayer {
    options: Arc<AuthenticateRequestOptions>,
    client: ClerkClient,
}

impl ClerkLayer {
    /// A layer for these options, checked now (a bad key fails at startup, not per request).
    pub fn new(options: AuthenticateRequestOptions) -> Result<Self, ConfigError> {
        options.validate()?;
        let client = ClerkClient::new(options.secret_key.clone().unwrap_or_default())
            .with_api_url(options.api_url.clone());
        Ok(Self {
            options: Arc::new(options),
            client,
        })
    }

    /// A layer from Clerk's environment variables
    /// ([`AuthenticateRequestOptions::from_env`]).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::new(AuthenticateRequestOptions::from_env()?)
    }
}

impl<S> Layer<S> for ClerkLayer {
    type Service = ClerkService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ClerkService {
            inner,
            options: self.options.clone(),
            client: self.client.clone(),
        }
    }
}

/// The service [`ClerkLayer`] wraps around the app.
#[derive(Clone, Debug)]
pub struct ClerkService<S> {
    inner: S,
    options: Arc<AuthenticateRequestOptions>,
    client: ClerkClient,
}

impl<S> Service<Request<Body>> for ClerkService<S>
where
    S: Service<Request<Body>, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        let clone = self.inner.clone();
        // the service that was polled ready does the work
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let options = self.options.clone();
        let client = self.client.clone();
        Box::pin(async move {
            let (mut parts, body) = request.into_parts();
            let state = crate::authenticate_request(&parts, &options).await;
            if state.redirect().is_some() {
                let mut response = StatusCode::TEMPORARY_REDIRECT.into_response();
                append_headers(response.headers_mut(), &state.headers);
                return Ok(response);
            }
            let auth = state
                .to_auth()
                .unwrap_or_else(|| Auth::signed_out(state.reason.clone()));
            let headers = state.headers.clone();
            parts.extensions.insert(ClerkRequestState {
                state: Arc::new(state),
                auth: auth.clone(),
                options,
                client,
                user: Arc::default(),
            });
            parts.extensions.insert(auth);
            let mut response = inner.call(Request::from_parts(parts, body)).await?;
            append_headers(response.headers_mut(), &headers);
            Ok(response)
        })
    }
}

fn append_headers(to: &mut HeaderMap, from: &HeaderMap) {
    for (name, value) in from {
        if name == header::SET_COOKIE {
            to.append(name, value.clone());
        } else {
            to.insert(name, value.clone());
        }
    }
}

/// Why a handler refused the request, answered as Clerk's `auth.protect()` answers.
///
/// ```
/// use axum::response::IntoResponse;
/// use clerk_backend::axum::AuthRejection;
/// let r = AuthRejection::Forbidden.into_response();
/// assert_eq!(r.status(), 403);
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum AuthRejection {
    /// Signed out, on a page request: `307` to this sign-in URL (with `redirect_url`).
    SignInRedirect(String),
    /// Signed out, on an API request: `401` with Clerk's error envelope.
    Unauthenticated {
        /// Why the request is signed out.
        reason: Option<String>,
    },
    /// Signed in, but `has()` said no: `403`.
    Forbidden,
    /// Signed in, but `has()` said no, hidden as Clerk's default: `404`.
    NotFound,
    /// [`ClerkLayer`] is not in front of this handler: `500`, a programming error.
    MissingLayer,
    /// The Backend API failed while loading the user: `502` with its error.
    Upstream(ClerkApiError),
}

fn envelope(status: StatusCode, code: &str, message: &str, reason: Option<&str>) -> Response {
    let mut error =
        serde_json::json!({ "code": code, "message": message, "long_message": message });
    if let Some(r) = reason {
        error["meta"] = serde_json::json!({ "reason": r });
    }
    let body = serde_json::json!({ "errors": [error] }).to_string();
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        match self {
            Self::SignInRedirect(url) => {
                let mut r = StatusCode::TEMPORARY_REDIRECT.into_response();
                if let Ok(v) = HeaderValue::from_str(&url) {
                    r.headers_mut().insert(header::LOCATION, v);
                }
                r.headers_mut()
                    .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                r
            }
            Self::Unauthenticated { reason } => envelope(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "You are signed out: sign in to call this endpoint.",
                reason.as_deref(),
            ),
            Self::Forbidden => envelope(
                StatusCode::FORBIDDEN,
                "authorization_invalid",
                "You are not allowed to do this.",
                None,
            ),
            Self::NotFound => envelope(
                StatusCode::NOT_FOUND,
                "resource_not_found",
                "Not found.",
                None,
            ),
            Self::MissingLayer => envelope(
                StatusCode::INTERNAL_SERVER_ERROR,
                "clerk_layer_missing",
                "ClerkLayer must be registered before using ClerkAuth or SignedInAuth.",
                None,
            ),
            Self::Upstream(e) => envelope(
                StatusCode::BAD_GATEWAY,
                "clerk_api_unavailable",
                &e.to_string(),
                None,
            ),
        }
    }
}

impl std::fmt::Display for AuthRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::SignInRedirect(url) => write!(f, "signed out: redirect to {url}"),
            Self::Unauthenticated { reason } => write!(
                f,
                "signed out ({})",
                reason.as_deref().unwrap_or("no reason")
            ),
            Self::Forbidden => f.write_str("forbidden"),
            Self::NotFound => f.write_str("not found"),
            Self::MissingLayer => f.write_str("ClerkLayer is not installed"),
            Self::Upstream(e) => write!(f, "the Backend API failed: {e}"),
        }
    }
}

impl std::error::Error for AuthRejection {}

/// Whether a request is a page load (Clerk's rule: `sec-fetch-dest` document or iframe, or
/// no `sec-fetch-dest` and `Accept: text/html…`).
fn is_page_request(parts: &Parts) -> bool {
    let header = |n: &str| parts.headers.get(n).and_then(|v| v.to_str().ok());
    match header("sec-fetch-dest") {
        Some("document") | Some("iframe") => true,
        Some(_) => false,
        None => header("accept").is_some_and(|a| a.starts_with("text/html")),
    }
}

/// The sign-in URL for a signed-out page request: `sign_in_url`, else the account portal of
/// the instance, with `redirect_url` = the current URL (Clerk's `redirectToSignIn`).
pub fn sign_in_url(parts: &Parts, options: &AuthenticateRequestOptions) -> Option<String> {
    let current = crate::request::public_url(parts);
    let target = match options.sign_in_url.as_deref().filter(|u| !u.is_empty()) {
        Some(u) => url::Url::parse(u).or_else(|_| current.join(u)).ok()?,
        None => {
            let key = crate::core::key::PublishableKey::parse(&options.publishable_key).ok()?;
            let base = crate::request::accounts_base_url(key.frontend_api());
            url::Url::parse(&format!("{base}/sign-in")).ok()?
        }
    };
    let mut target = target;
    target
        .query_pairs_mut()
        .append_pair("redirect_url", current.as_str());
    let cross_origin = target.origin() != current.origin();
    if cross_origin
        && options.publishable_key.starts_with("pk_test_")
        && let Some(db) = crate::request::dev_browser_of(parts, options)
    {
        target
            .query_pairs_mut()
            .append_pair(crate::core::cookies::DEV_BROWSER, &db);
    }
    Some(target.to_string())
}

fn state_of(parts: &Parts) -> Result<&ClerkRequestState, AuthRejection> {
    parts
        .extensions
        .get::<ClerkRequestState>()
        .ok_or(AuthRejection::MissingLayer)
}

/// The Auth of any request: signed in or signed out, never rejected (Clerk's `getAuth(req)`).
///
/// ```
/// use clerk_backend::axum::ClerkAuth;
/// async fn handler(ClerkAuth(auth): ClerkAuth) -> String {
///     auth.user_id().unwrap_or("guest").to_owned()
/// }
/// ```
#[derive(Clone, Debug)]
pub struct ClerkAuth(pub Auth);

impl<S: Send + Sync> FromRequestParts<S> for ClerkAuth {
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(state_of(parts)?.auth.clone()))
    }
}

/// A signed-in session, or the request is refused as Clerk's `auth.protect()` refuses it: a
/// page request is redirected to sign in (`307`, with `redirect_url`), any other gets `401`
/// with Clerk's error envelope.
///
/// ```
/// use clerk_backend::axum::SignedInAuth;
/// async fn handler(SignedInAuth(session): SignedInAuth) -> String {
///     format!("hello {}", session.user_id)
/// }
/// ```
#[derive(Clone, Debug)]
pub struct SignedInAuth(pub SessionAuth);

impl SignedInAuth {
    /// `auth.protect(check)`: `Err(Forbidden)` (403) unless `has(check)`.
    ///
    /// ```
    /// # fn demo(auth: clerk_backend::axum::SignedInAuth) -> Result<(), clerk_backend::axum::AuthRejection> {
    /// auth.protect(&clerk_backend::core::authz::Has::permission("org:invoices:manage"))?;
    /// # Ok(()) }
    /// ```
    pub fn protect(&self, check: &Has) -> Result<&SessionAuth, AuthRejection> {
        if self.0.has(check) {
            Ok(&self.0)
        } else {
            Err(AuthRejection::Forbidden)
        }
    }

    /// Like [`protect`](Self::protect), answering `404` as Clerk does by default, so the
    /// resource's existence is not told.
    ///
    /// ```
    /// # fn demo(auth: clerk_backend::axum::SignedInAuth) -> Result<(), clerk_backend::axum::AuthRejection> {
    /// auth.protect_or_not_found(&clerk_backend::core::authz::Has::role("org:admin"))?;
    /// # Ok(()) }
    /// ```
    pub fn protect_or_not_found(&self, check: &Has) -> Result<&SessionAuth, AuthRejection> {
        self.protect(check).map_err(|_| AuthRejection::NotFound)
    }
}

/// The rejection of a signed-out request (Clerk's `protect()` table).
pub fn reject_signed_out(parts: &Parts) -> AuthRejection {
    let Ok(state) = state_of(parts) else {
        return AuthRejection::MissingLayer;
    };
    if is_page_request(parts)
        && let Some(url) = sign_in_url(parts, &state.options)
    {
        return AuthRejection::SignInRedirect(url);
    }
    let reason = match &state.auth {
        Auth::SignedOut { reason, .. } => reason.as_ref().map(ToString::to_string),
        Auth::SignedIn(_) => None,
    };
    AuthRejection::Unauthenticated { reason }
}

impl<S: Send + Sync> FromRequestParts<S> for SignedInAuth {
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match &state_of(parts)?.auth {
            Auth::SignedIn(s) => Ok(Self(SessionAuth::clone(s))),
            Auth::SignedOut { .. } => Err(reject_signed_out(parts)),
        }
    }
}

/// Middleware refusing signed-out requests for a whole router (Clerk's `requireAuth`, but
/// answering API requests with `401` instead of a redirect):
/// `router.route_layer(axum::middleware::from_fn(require_auth))`, under a [`ClerkLayer`].
///
/// ```no_run
/// use axum::{Router, middleware, routing::get};
/// use clerk_backend::axum::{ClerkLayer, require_auth};
/// # fn app(layer: ClerkLayer) -> Router {
/// Router::new()
///     .route("/dashboard", get(|| async { "secret" }))
///     .route_layer(middleware::from_fn(require_auth))
///     .layer(layer)
/// # }
/// ```
pub async fn require_auth(request: Request<Body>, next: axum::middleware::Next) -> Response {
    let (parts, body) = request.into_parts();
    match state_of(&parts).map(|s| s.auth.is_signed_in()) {
        Ok(true) => next.run(Request::from_parts(parts, body)).await,
        Ok(false) => reject_signed_out(&parts).into_response(),
        Err(e) => e.into_response(),
    }
}

/// The signed-in user from the Backend API (`GET /users/{id}`), fetched at most once per
/// request however many handlers, extractors and server functions ask; `Ok(None)` when
/// signed out (Clerk's `currentUser()`).
///
/// ```no_run
/// # async fn demo(parts: &axum::http::request::Parts) -> Result<(), clerk_backend::axum::AuthRejection> {
/// if let Some(user) = clerk_backend::axum::current_user(parts).await? {
///     println!("{:?}", user.primary_email_address());
/// }
/// # Ok(()) }
/// ```
pub async fn current_user(parts: &Parts) -> Result<Option<User>, AuthRejection> {
    let state = state_of(parts)?;
    let Some(user_id) = state.auth.user_id() else {
        return Ok(None);
    };
    state
        .user
        .get_or_try_init(|| async { state.client.users().get_user(user_id).await })
        .await
        .cloned()
        .map(Some)
        .map_err(AuthRejection::Upstream)
}

/// The user [`current_user`] already fetched for this request, without a call: `None` when
/// signed out or not fetched yet.
///
/// ```no_run
/// # fn demo(parts: &axum::http::request::Parts) {
/// let name = clerk_backend::axum::fetched_user(parts).and_then(|u| u.first_name);
/// # }
/// ```
pub fn fetched_user(parts: &Parts) -> Option<User> {
    state_of(parts).ok()?.user.get().cloned()
}

/// The signed-in user from the Backend API, or the request is refused as [`SignedInAuth`]
/// refuses it.
///
/// ```
/// use clerk_backend::axum::CurrentUser;
/// async fn profile(CurrentUser(user): CurrentUser) -> String {
///     user.first_name.unwrap_or_default()
/// }
/// ```
#[derive(Clone, Debug)]
pub struct CurrentUser(pub User);

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match current_user(parts).await? {
            Some(u) => Ok(Self(u)),
            None => Err(reject_signed_out(parts)),
        }
    }
}

/// The Backend API client of the [`ClerkLayer`] in front of this handler.
///
/// ```
/// use clerk_backend::axum::Clerk;
/// async fn count(Clerk(clerk): Clerk) -> String {
///     clerk.users().get_count(&Default::default()).await.map(|n| n.to_string()).unwrap_or_default()
/// }
/// ```
#[derive(Clone, Debug)]
pub struct Clerk(pub ClerkClient);

impl<S: Send + Sync> FromRequestParts<S> for Clerk {
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(state_of(parts)?.client.clone()))
    }
}

/// The signing secret [`ClerkWebhook`] checks with; put it in the extensions
/// (`.layer(axum::Extension(WebhookSecret(…)))`), else `CLERK_WEBHOOK_SIGNING_SECRET` is read.
///
/// ```
/// let secret = clerk_backend::axum::WebhookSecret("whsec_…".into());
/// ```
#[derive(Clone)]
pub struct WebhookSecret(pub String);

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("WebhookSecret")
            .field(&crate::redact(&self.0))
            .finish()
    }
}

/// A verified Clerk webhook event: the raw body is checked against the Svix signature before
/// anything is parsed; a refused delivery answers `400` with the reason.
///
/// ```
/// use clerk_backend::axum::ClerkWebhook;
/// use clerk_backend::webhooks::WebhookData;
/// async fn hook(ClerkWebhook(event): ClerkWebhook) -> &'static str {
///     if let WebhookData::User(user) = &event.data {
///         println!("{} {}", event.event_type, user.id);
///     }
///     "ok"
/// }
/// ```
#[derive(Clone, Debug)]
pub struct ClerkWebhook(pub WebhookEvent);

/// Why [`ClerkWebhook`] refused a request.
#[derive(Debug)]
pub struct WebhookRejection(pub WebhookError);

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        let status = match self.0 {
            WebhookError::EmptySecret | WebhookError::InvalidSecret => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            _ => StatusCode::BAD_REQUEST,
        };
        envelope(status, "webhook_invalid", &self.0.to_string(), None)
    }
}

impl<S: Send + Sync> axum::extract::FromRequest<S> for ClerkWebhook {
    type Rejection = WebhookRejection;

    async fn from_request(request: Request<Body>, state: &S) -> Result<Self, Self::Rejection> {
        let secret = request
            .extensions()
            .get::<WebhookSecret>()
            .map(|s| s.0.clone())
            .or_else(|| std::env::var("CLERK_WEBHOOK_SIGNING_SECRET").ok())
            .unwrap_or_default();
        let headers = request.headers().clone();
        let body = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|e| WebhookRejection(WebhookError::InvalidPayload(e.to_string())))?;
        crate::webhooks::verify(&headers, &body, &secret)
            .map(Self)
            .map_err(WebhookRejection)
    }
}
