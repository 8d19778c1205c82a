//! Server-side rendering and server functions: Clerk's `auth()`, `currentUser()` and
//! `auth.protect()` for Leptos, over `clerk-backend`'s [`ClerkLayer`].
//!
//! Put a [`ClerkLayer`] in front of the Leptos routes **and** the server-function handler;
//! `leptos_axum` hands each request's [`Parts`](http::request::Parts), with the layer's
//! extensions, to the components and server functions it runs, so that:
//! - `ClerkProvider` renders the verified state on the server and sends it to the client
//!   (feature `ssr`), which hydrates from exactly that (feature `hydrate`);
//! - [`auth`], [`current_user`], [`protect`] and [`protect_with`] answer inside `#[server]`
//!   functions and SSR components; the axum extractors ([`ClerkAuth`], [`SignedInAuth`],
//!   [`CurrentUser`]) work in plain handlers and through `leptos_axum::extract()`.
//!
//! [`AuthError`] and [`BearerClient`] exist in both halves: a server function returns
//! `Result<T, AuthError>` and the client matches its variants; `#[server(client =
//! BearerClient)]` sends the session token as `Authorization: Bearer`, so a server function
//! still authenticates after the cookie's 60-second token has expired (a `POST` cannot go
//! through Clerk's handshake).
//!
//! ```ignore
//! use leptos::prelude::*;
//! use leptos_clerk::server::{AuthError, BearerClient};
//!
//! #[server(client = BearerClient)]
//! pub async fn whoami() -> Result<String, AuthError> {
//!     let session = leptos_clerk::server::protect()?;
//!     let user = leptos_clerk::server::current_user().await?;
//!     Ok(user.and_then(|u| u.first_name).unwrap_or(session.user_id))
//! }
//! ```

use std::future::Future;

use leptos::server_fn::client::Client;
use leptos::server_fn::client::browser::BrowserClient;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::request::browser::BrowserRequest;
use leptos::server_fn::response::browser::BrowserResponse;
use serde::{Deserialize, Serialize};

/// Why a server function refused its caller, as the client receives it (serialized as JSON,
/// with the HTTP status Clerk's `auth.protect()` gives: 401, 403 or 404).
///
/// ```
/// use leptos_clerk::server::AuthError;
/// let e = AuthError::Unauthenticated { reason: Some("session-token-expired".into()) };
/// assert_eq!(e.status(), 401);
/// assert!(matches!(e, AuthError::Unauthenticated { .. }));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// No signed-in session (401), with Clerk's reason when it says one.
    #[error("signed out{}", .reason.as_ref().map(|r| format!(" ({r})")).unwrap_or_default())]
    Unauthenticated {
        /// Clerk's `x-clerk-auth-reason` (`session-token-expired`, …).
        reason: Option<String>,
    },
    /// Signed in, but `has()` said no (403).
    #[error("forbidden: the signed-in user may not do this")]
    Forbidden,
    /// Signed in, but `has()` said no, hidden as Clerk does by default (404).
    #[error("not found")]
    NotFound,
    /// The Backend API failed (for [`current_user`]).
    #[error("the Clerk Backend API failed: {0}")]
    Upstream(String),
    /// No `ClerkLayer` in front of the Leptos routes or the server-function handler.
    #[error(
        "no ClerkLayer in front of this server function: add clerk_backend::axum::ClerkLayer to the router"
    )]
    MissingLayer,
    /// The server-function call itself failed (network, encoding…).
    #[error(transparent)]
    ServerFn(ServerFnErrorErr),
}

impl AuthError {
    /// The HTTP status this error answers with.
    ///
    /// ```
    /// assert_eq!(leptos_clerk::server::AuthError::Forbidden.status(), 403);
    /// ```
    pub fn status(&self) -> u16 {
        match self {
            Self::Unauthenticated { .. } => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::Upstream(_) => 502,
            Self::MissingLayer | Self::ServerFn(_) => 500,
        }
    }
}

impl FromServerFnError for AuthError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        Self::ServerFn(value)
    }
}

/// The server-function client that sends the current session's token as
/// `Authorization: Bearer <token>` (fresh from the token cache, minted when needed), then
/// calls like Leptos' `BrowserClient`. Signed out, it sends no header.
///
/// ```ignore
/// #[server(client = leptos_clerk::server::BearerClient)]
/// pub async fn my_orders() -> Result<Vec<String>, leptos_clerk::server::AuthError> {
///     let session = leptos_clerk::server::protect()?;
///     Ok(vec![session.user_id])
/// }
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct BearerClient;

impl<E, IS, OS> Client<E, IS, OS> for BearerClient
where
    E: FromServerFnError,
    IS: FromServerFnError,
    OS: FromServerFnError,
{
    type Request = BrowserRequest;
    type Response = BrowserResponse;

    fn send(req: Self::Request) -> impl Future<Output = Result<Self::Response, E>> + Send {
        send_wrapper::SendWrapper::new(async move {
            if let Some(token) = crate::clerk::current_session_token().await {
                req.headers()
                    .set("Authorization", &format!("Bearer {token}"));
            }
            <BrowserClient as Client<E, IS, OS>>::send(req).await
        })
    }

    fn open_websocket(
        path: &str,
    ) -> impl Future<
        Output = Result<
            (
                impl futures::Stream<Item = Result<bytes::Bytes, bytes::Bytes>> + Send + 'static,
                impl futures::Sink<bytes::Bytes> + Send + 'static,
            ),
            E,
        >,
    > + Send {
        <BrowserClient as Client<E, IS, OS>>::open_websocket(path)
    }

    fn spawn(future: impl Future<Output = ()> + Send + 'static) {
        <BrowserClient as Client<E, IS, OS>>::spawn(future)
    }
}

#[cfg(feature = "ssr")]
pub use ssr::*;

#[cfg(feature = "ssr")]
mod ssr {
    use axum::body::Body;
    use axum::extract::{Request, State};
    use axum::middleware::Next;
    use axum::response::{IntoResponse, Response};
    use http::request::Parts;
    use leptos::prelude::*;

    use super::AuthError;
    use crate::core::authz::Has;
    use crate::core::initial_state::InitialState;
    use crate::core::wire;

    pub use clerk_backend::api::{Organization, User};
    pub use clerk_backend::axum::{
        AuthRejection, ClerkAuth, ClerkLayer, CurrentUser, SignedInAuth, require_auth,
    };
    pub use clerk_backend::{Auth, AuthenticateRequestOptions, SessionAuth};

    impl From<AuthRejection> for AuthError {
        fn from(r: AuthRejection) -> Self {
            match r {
                AuthRejection::SignInRedirect(_) => Self::Unauthenticated { reason: None },
                AuthRejection::Unauthenticated { reason } => Self::Unauthenticated { reason },
                AuthRejection::Forbidden => Self::Forbidden,
                AuthRejection::NotFound => Self::NotFound,
                AuthRejection::MissingLayer => Self::MissingLayer,
                AuthRejection::Upstream(e) => Self::Upstream(e.to_string()),
                other => Self::Upstream(other.to_string()),
            }
        }
    }

    /// The request being rendered or served, as leptos_axum provides it.
    fn parts() -> Result<Parts, AuthError> {
        use_context::<Parts>().ok_or(AuthError::MissingLayer)
    }

    /// Sets the response's status for a refusal (a server function's or a page's).
    fn refuse(e: AuthError) -> AuthError {
        if let Some(options) = use_context::<leptos_axum::ResponseOptions>()
            && let Ok(status) = http::StatusCode::from_u16(e.status())
        {
            options.set_status(status);
        }
        e
    }

    /// The request's [`Auth`] (Clerk's `auth()`): signed in or signed out, as the
    /// [`ClerkLayer`] verified it. Inside `#[server]` functions and components rendered on
    /// the server.
    ///
    /// ```no_run
    /// # fn demo() -> Result<(), leptos_clerk::server::AuthError> {
    /// let auth = leptos_clerk::server::auth()?;
    /// let greeting = match auth.user_id() {
    ///     Some(id) => format!("hello {id}"),
    ///     None => "hello guest".to_owned(),
    /// };
    /// # Ok(()) }
    /// ```
    pub fn auth() -> Result<Auth, AuthError> {
        let parts = parts()?;
        parts
            .extensions
            .get::<Auth>()
            .cloned()
            .ok_or(AuthError::MissingLayer)
    }

    /// The signed-in session, or [`AuthError::Unauthenticated`] (status 401): Clerk's
    /// `auth.protect()` for a server function.
    ///
    /// ```no_run
    /// # fn demo() -> Result<(), leptos_clerk::server::AuthError> {
    /// let session = leptos_clerk::server::protect()?;
    /// println!("{} calls", session.user_id);
    /// # Ok(()) }
    /// ```
    pub fn protect() -> Result<SessionAuth, AuthError> {
        match auth()? {
            Auth::SignedIn(s) => Ok(*s),
            Auth::SignedOut { reason, .. } => Err(refuse(AuthError::Unauthenticated {
                reason: reason.map(|r| r.to_string()),
            })),
        }
    }

    /// Like [`protect`], and `has(check)` must hold, else [`AuthError::Forbidden`] (403):
    /// Clerk's `auth.protect({ role })`.
    ///
    /// ```no_run
    /// # fn demo() -> Result<(), leptos_clerk::server::AuthError> {
    /// use leptos_clerk::Has;
    /// let admin = leptos_clerk::server::protect_with(&Has::role("org:admin"))?;
    /// # Ok(()) }
    /// ```
    pub fn protect_with(check: &Has) -> Result<SessionAuth, AuthError> {
        let session = protect()?;
        if session.has(check) {
            Ok(session)
        } else {
            Err(refuse(AuthError::Forbidden))
        }
    }

    /// The signed-in user from the Backend API (Clerk's `currentUser()`), fetched at most
    /// once per request (also by [`load_resources`]); `Ok(None)` when signed out.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), leptos_clerk::server::AuthError> {
    /// if let Some(user) = leptos_clerk::server::current_user().await? {
    ///     println!("{:?}", user.first_name);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn current_user() -> Result<Option<User>, AuthError> {
        let parts = parts()?;
        clerk_backend::axum::current_user(&parts)
            .await
            .map_err(|e| refuse(e.into()))
    }

    /// The active organization [`load_resources`] fetched for this request.
    #[derive(Clone, Debug)]
    struct FetchedOrganization(Organization);

    /// Middleware (under a [`ClerkLayer`]) that fetches the signed-in user and the active
    /// organization from the Backend API before a page renders, so the server's HTML and
    /// the client's first render show them (Clerk's `loadUser` / `loadOrganization`).
    /// Only page requests pay for it; a failed fetch renders without them.
    ///
    /// ```no_run
    /// # fn app(layer: leptos_clerk::server::ClerkLayer, router: axum::Router) -> axum::Router {
    /// router
    ///     .layer(axum::middleware::from_fn(leptos_clerk::server::load_resources))
    ///     .layer(layer)
    /// # }
    /// ```
    pub async fn load_resources(request: Request<Body>, next: Next) -> Response {
        let (mut parts, body) = request.into_parts();
        if is_page_request(&parts)
            && let Some(Auth::SignedIn(session)) = parts.extensions.get::<Auth>().cloned()
        {
            let org = async {
                let id = session.org_id.as_deref()?;
                let state = parts
                    .extensions
                    .get::<clerk_backend::axum::ClerkRequestState>()?;
                state.client.organizations().get_organization(id).await.ok()
            };
            let (user, org) = futures::join!(clerk_backend::axum::current_user(&parts), org);
            if let Err(e) = user {
                leptos::logging::warn!("leptos-clerk: could not load the current user: {e}");
            }
            if let Some(org) = org {
                parts.extensions.insert(FetchedOrganization(org));
            }
        }
        next.run(Request::from_parts(parts, body)).await
    }

    fn is_page_request(parts: &Parts) -> bool {
        let header = |n: &str| parts.headers.get(n).and_then(|v| v.to_str().ok());
        match header("sec-fetch-dest") {
            Some(dest) => dest == "document" || dest == "iframe",
            None => header("accept").is_some_and(|a| a.contains("text/html")),
        }
    }

    /// Paths only a signed-in user (optionally passing a check) may load: signed-out page
    /// requests get `307` to the sign-in URL with `redirect_url` before any HTML is
    /// rendered, others `401`; a failed check is `404` (Clerk's `auth.protect()` in
    /// `clerkMiddleware` with `createRouteMatcher`). A pattern ending in `*` matches a
    /// prefix; any other matches the path exactly.
    ///
    /// ```no_run
    /// use leptos_clerk::server::{ProtectedRoutes, protect_routes};
    /// # fn app(layer: leptos_clerk::server::ClerkLayer, router: axum::Router) -> axum::Router {
    /// let routes = ProtectedRoutes::new(["/account", "/dashboard/*"]);
    /// router
    ///     .layer(axum::middleware::from_fn_with_state(routes, protect_routes))
    ///     .layer(layer)
    /// # }
    /// ```
    #[derive(Clone, Debug, Default)]
    pub struct ProtectedRoutes {
        patterns: Vec<String>,
        check: Option<Has>,
    }

    impl ProtectedRoutes {
        /// These path patterns.
        pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(patterns: I) -> Self {
            Self {
                patterns: patterns.into_iter().map(Into::into).collect(),
                check: None,
            }
        }

        /// Also require `has(check)` on these paths.
        ///
        /// ```
        /// use leptos_clerk::{Has, server::ProtectedRoutes};
        /// let admin = ProtectedRoutes::new(["/admin/*"]).has(Has::role("org:admin"));
        /// assert!(admin.matches("/admin/users") && !admin.matches("/administrator"));
        /// ```
        pub fn has(mut self, check: Has) -> Self {
            self.check = Some(check);
            self
        }

        /// Whether a path is protected.
        ///
        /// ```
        /// let r = leptos_clerk::server::ProtectedRoutes::new(["/account", "/app/*"]);
        /// assert!(r.matches("/account") && r.matches("/app") && r.matches("/app/x"));
        /// assert!(!r.matches("/account/x") && !r.matches("/apple"));
        /// ```
        pub fn matches(&self, path: &str) -> bool {
            self.patterns.iter().any(|p| {
                match p.strip_suffix("/*").or_else(|| p.strip_suffix('*')) {
                    Some(prefix) => {
                        path == prefix
                            || path
                                .strip_prefix(prefix)
                                .is_some_and(|rest| rest.starts_with('/') || prefix.ends_with('/'))
                    }
                    None => path == p,
                }
            })
        }
    }

    /// The middleware of [`ProtectedRoutes`]: `axum::middleware::from_fn_with_state(routes,
    /// protect_routes)`, under a [`ClerkLayer`].
    pub async fn protect_routes(
        State(routes): State<ProtectedRoutes>,
        request: Request<Body>,
        next: Next,
    ) -> Response {
        if !routes.matches(request.uri().path()) {
            return next.run(request).await;
        }
        let (parts, body) = request.into_parts();
        match parts.extensions.get::<Auth>() {
            None => AuthRejection::MissingLayer.into_response(),
            Some(Auth::SignedOut { .. }) => {
                clerk_backend::axum::reject_signed_out(&parts).into_response()
            }
            Some(Auth::SignedIn(s)) if routes.check.as_ref().is_some_and(|c| !s.has(c)) => {
                AuthRejection::NotFound.into_response()
            }
            Some(Auth::SignedIn(_)) => next.run(Request::from_parts(parts, body)).await,
        }
    }

    /// A Backend API object as the browser would see it: without private metadata.
    fn frontend<T: serde::de::DeserializeOwned>(object: &impl serde::Serialize) -> Option<T> {
        let mut value = serde_json::to_value(object).ok()?;
        value.as_object_mut()?.remove("private_metadata");
        serde_json::from_value(value).ok()
    }

    /// The state `ClerkProvider` renders on the server and sends to the client: `None` when
    /// no [`ClerkLayer`] ran (the page then renders as loading, as without SSR).
    pub(crate) fn initial_state() -> Option<InitialState> {
        let parts = use_context::<Parts>()?;
        let Some(auth) = parts.extensions.get::<Auth>() else {
            leptos::logging::warn!(
                "leptos-clerk: no ClerkLayer in front of the Leptos routes; the page renders as \
                 loading and the browser finds out who is signed in"
            );
            return None;
        };
        let Auth::SignedIn(session) = auth else {
            return Some(InitialState::default());
        };
        let user =
            clerk_backend::axum::fetched_user(&parts).and_then(|u| frontend::<wire::User>(&u));
        let organization = parts
            .extensions
            .get::<FetchedOrganization>()
            .and_then(|o| frontend::<wire::Organization>(&o.0));
        let authz = session.authorization();
        Some(InitialState {
            session_claims: Some(session.claims.clone()),
            session_id: Some(session.session_id.clone()),
            session_status: session.session_status.clone(),
            actor: session.actor.clone(),
            user_id: Some(session.user_id.clone()),
            user,
            org_id: session.org_id.clone(),
            org_role: session.org_role.clone(),
            org_slug: session.org_slug.clone(),
            org_permissions: session.org_permissions.clone(),
            organization,
            factor_verification_age: session.factor_verification_age.clone(),
            features: authz.features,
            plans: authz.plans,
        })
    }
}
