//! Requests to the app's own backend with the session token: `Authorization: Bearer <token>`,
//! one forced refresh and retry on a 401.

use leptos::prelude::*;
use serde::de::DeserializeOwned;

use super::{Clerk, GetTokenOptions};
use crate::core::error::ClerkError;
use crate::io::http::network_error;

/// A request for [`Clerk::fetch`]: method, URL, headers, body, and which token to send.
///
/// ```
/// use leptos_clerk::AuthenticatedRequest;
/// let create = AuthenticatedRequest::post("/api/notes")
///     .json(&serde_json::json!({ "text": "hello" }))
///     .unwrap()
///     .header("X-Request-Id", "42");
/// assert_eq!(create.method(), "POST");
/// assert_eq!(create.url(), "/api/notes");
/// let hasura = AuthenticatedRequest::get("https://hasura.example.com/v1/graphql").template("hasura");
/// assert_eq!(hasura.token_options().template.as_deref(), Some("hasura"));
/// ```
#[derive(Clone, Debug)]
pub struct AuthenticatedRequest {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<String>,
    credentials: Option<web_sys::RequestCredentials>,
    token: GetTokenOptions,
}

impl AuthenticatedRequest {
    /// A request with any method (`"GET"`, `"PUT"`, …).
    ///
    /// ```
    /// let r = leptos_clerk::AuthenticatedRequest::new("OPTIONS", "/api");
    /// assert_eq!(r.method(), "OPTIONS");
    /// ```
    pub fn new(method: impl Into<String>, url: impl Into<String>) -> Self {
        Self {
            method: method.into().to_ascii_uppercase(),
            url: url.into(),
            headers: Vec::new(),
            body: None,
            credentials: None,
            token: GetTokenOptions::default(),
        }
    }

    /// A `GET`.
    ///
    /// ```
    /// assert_eq!(leptos_clerk::AuthenticatedRequest::get("/api/me").method(), "GET");
    /// ```
    pub fn get(url: impl Into<String>) -> Self {
        Self::new("GET", url)
    }

    /// A `POST`.
    ///
    /// ```
    /// assert_eq!(leptos_clerk::AuthenticatedRequest::post("/api/notes").method(), "POST");
    /// ```
    pub fn post(url: impl Into<String>) -> Self {
        Self::new("POST", url)
    }

    /// A `PUT`.
    ///
    /// ```
    /// assert_eq!(leptos_clerk::AuthenticatedRequest::put("/api/notes/1").method(), "PUT");
    /// ```
    pub fn put(url: impl Into<String>) -> Self {
        Self::new("PUT", url)
    }

    /// A `PATCH`.
    ///
    /// ```
    /// assert_eq!(leptos_clerk::AuthenticatedRequest::patch("/api/notes/1").method(), "PATCH");
    /// ```
    pub fn patch(url: impl Into<String>) -> Self {
        Self::new("PATCH", url)
    }

    /// A `DELETE`.
    ///
    /// ```
    /// assert_eq!(leptos_clerk::AuthenticatedRequest::delete("/api/notes/1").method(), "DELETE");
    /// ```
    pub fn delete(url: impl Into<String>) -> Self {
        Self::new("DELETE", url)
    }

    /// Adds a header (an `Authorization` header given here is replaced by the session token).
    ///
    /// ```
    /// let r = leptos_clerk::AuthenticatedRequest::get("/api").header("Accept", "text/csv");
    /// # let _ = r;
    /// ```
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets a text body (add a `Content-Type` header yourself).
    ///
    /// ```
    /// let r = leptos_clerk::AuthenticatedRequest::post("/api/csv")
    ///     .header("Content-Type", "text/csv")
    ///     .body("a,b\n1,2\n");
    /// # let _ = r;
    /// ```
    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// Sets a JSON body and `Content-Type: application/json`.
    ///
    /// ```
    /// let r = leptos_clerk::AuthenticatedRequest::post("/api/notes").json(&["a", "b"]);
    /// assert!(r.is_ok());
    /// ```
    pub fn json<T: serde::Serialize + ?Sized>(self, value: &T) -> Result<Self, ClerkError> {
        let body = serde_json::to_string(value).map_err(|e| ClerkError::Invalid(e.to_string()))?;
        Ok(self.header("Content-Type", "application/json").body(body))
    }

    /// Sends cookies too (`credentials: "include"` for another origin, `"omit"` for none);
    /// the default is the browser's, `"same-origin"`.
    ///
    /// ```
    /// use leptos::web_sys::RequestCredentials;
    /// let r = leptos_clerk::AuthenticatedRequest::get("https://api.example.com/me")
    ///     .credentials(RequestCredentials::Include);
    /// # let _ = r;
    /// ```
    pub fn credentials(mut self, credentials: web_sys::RequestCredentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Sends a token of this JWT template instead of the session token.
    ///
    /// ```
    /// let r = leptos_clerk::AuthenticatedRequest::get("/graphql").template("hasura");
    /// assert_eq!(r.token_options().template.as_deref(), Some("hasura"));
    /// ```
    pub fn template(mut self, template: impl Into<String>) -> Self {
        self.token.template = Some(template.into());
        self
    }

    /// Chooses the token in full (template, organization, leeway); `skip_cache` forces a
    /// fresh token for the first attempt.
    ///
    /// ```
    /// use leptos_clerk::{AuthenticatedRequest, GetTokenOptions};
    /// let personal = GetTokenOptions { organization_id: Some(String::new()), ..Default::default() };
    /// let r = AuthenticatedRequest::get("/api/me").token(personal.clone());
    /// assert_eq!(r.token_options(), &personal);
    /// ```
    pub fn token(mut self, options: GetTokenOptions) -> Self {
        self.token = options;
        self
    }

    /// The method.
    ///
    /// ```
    /// assert_eq!(leptos_clerk::AuthenticatedRequest::new("put", "/x").method(), "PUT");
    /// ```
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The URL.
    ///
    /// ```
    /// assert_eq!(leptos_clerk::AuthenticatedRequest::get("/x").url(), "/x");
    /// ```
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The token options.
    ///
    /// ```
    /// assert!(leptos_clerk::AuthenticatedRequest::get("/x").token_options().template.is_none());
    /// ```
    pub fn token_options(&self) -> &GetTokenOptions {
        &self.token
    }

    fn build(&self, token: &str) -> Result<gloo_net::http::Request, ClerkError> {
        let method = gloo_net::http::Method::from_bytes(self.method.as_bytes())
            .map_err(|e| ClerkError::Invalid(format!("method `{}`: {e}", self.method)))?;
        let headers = gloo_net::http::Headers::new();
        for (name, value) in &self.headers {
            if !name.eq_ignore_ascii_case("authorization") {
                headers.append(name, value);
            }
        }
        headers.set("Authorization", &format!("Bearer {token}"));
        let mut builder = gloo_net::http::RequestBuilder::new(&self.url)
            .method(method)
            .headers(headers);
        if let Some(credentials) = self.credentials {
            builder = builder.credentials(credentials);
        }
        match &self.body {
            Some(body) => builder.body(body.as_str()),
            None => builder.build(),
        }
        .map_err(|e| ClerkError::Invalid(e.to_string()))
    }
}

impl Clerk {
    /// Sends a request to your own backend as the signed-in user: waits for Clerk to load, adds
    /// `Authorization: Bearer <session token>` (a cached token while it is fresh, else a new
    /// one, as [`SessionResource::get_token`](crate::SessionResource::get_token)), and sends it
    /// with `fetch`. If the backend answers 401, it forces one fresh token (skipping the cache)
    /// and retries once.
    ///
    /// Any other status is the caller's to read. Errors: [`ClerkError::SignedOut`] when no
    /// session is signed in; the token's errors (offline, network, API); a network failure of
    /// the request itself ([`ClerkError::Offline`], [`ClerkError::Network`]); a second 401
    /// ([`ClerkError::Api`] with status 401, with Clerk's errors if the body has them).
    ///
    /// ```no_run
    /// use leptos::prelude::*;
    /// use leptos_clerk::{use_clerk, AuthenticatedRequest};
    ///
    /// #[component]
    /// fn Notes() -> impl IntoView {
    ///     let clerk = use_clerk();
    ///     let notes = LocalResource::new(move || async move {
    ///         let response = clerk.fetch(AuthenticatedRequest::get("/api/notes")).await?;
    ///         Ok::<_, leptos_clerk::ClerkError>(response.status())
    ///     });
    ///     view! { <p>{move || format!("{:?}", notes.get())}</p> }
    /// }
    /// ```
    pub async fn fetch(
        &self,
        request: AuthenticatedRequest,
    ) -> Result<gloo_net::http::Response, ClerkError> {
        if !cfg!(target_arch = "wasm32") {
            return Err(ClerkError::Network("requests need a browser".into()));
        }
        self.loaded().await?;
        let session_id = self
            .session_id
            .try_get_untracked()
            .flatten()
            .ok_or(ClerkError::SignedOut)?;
        let token = self
            .token(&session_id, request.token.clone())
            .await?
            .ok_or(ClerkError::SignedOut)?;
        let response = send(&request, &token).await?;
        if response.status() != 401 {
            return Ok(response);
        }
        let fresh = GetTokenOptions {
            skip_cache: true,
            ..request.token.clone()
        };
        let token = self
            .token(&session_id, fresh)
            .await?
            .ok_or(ClerkError::SignedOut)?;
        let response = send(&request, &token).await?;
        if response.status() != 401 {
            return Ok(response);
        }
        let body = response.text().await.unwrap_or_default();
        Err(ClerkError::from_response(401, &body, None))
    }

    /// [`fetch`](Self::fetch), then reads a 2xx answer as JSON. Any other status is a
    /// [`ClerkError::Api`] with that status (and Clerk-style errors, if the body has them); a
    /// body that does not decode is [`ClerkError::Decode`].
    ///
    /// ```no_run
    /// # async fn demo(clerk: leptos_clerk::Clerk) -> Result<(), leptos_clerk::ClerkError> {
    /// use leptos_clerk::AuthenticatedRequest;
    /// #[derive(serde::Deserialize)]
    /// struct Note { text: String }
    /// let notes: Vec<Note> = clerk.fetch_json(AuthenticatedRequest::get("/api/notes")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn fetch_json<T: DeserializeOwned>(
        &self,
        request: AuthenticatedRequest,
    ) -> Result<T, ClerkError> {
        let response = self.fetch(request).await?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.trim().parse().ok());
        let body = response
            .text()
            .await
            .map_err(|e| network_error(e.to_string()))?;
        if !(200..300).contains(&status) {
            return Err(ClerkError::from_response(status, &body, retry_after));
        }
        serde_json::from_str(&body).map_err(|e| ClerkError::Decode(e.to_string()))
    }
}

async fn send(
    request: &AuthenticatedRequest,
    token: &str,
) -> Result<gloo_net::http::Response, ClerkError> {
    request
        .build(token)?
        .send()
        .await
        .map_err(|e| network_error(e.to_string()))
}
