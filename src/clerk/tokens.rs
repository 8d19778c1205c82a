//! SessionResource tokens: a cache keyed by session, template and organization, one request per key
//! at a time, refreshed before expiry on a wall-clock schedule, shared with the other tabs.

use futures::FutureExt;
use leptos::prelude::*;

use super::{Clerk, TokenParams};
use crate::core::error::ClerkError;
use crate::core::request::{FapiRequest, Method};
use crate::core::token_cache::{CachedToken, DEFAULT_LEEWAY_SECONDS, TokenKey};
use crate::core::wire;
use crate::io::broadcast::TokenMessage;
use crate::io::browser;

/// Retries of a token mint after network trouble, 429 or 5xx, with their delays.
const MINT_RETRY_DELAYS_MS: [u32; 3] = [1_000, 2_000, 4_000];

/// The options of `get_token` (Clerk's `GetTokenOptions`).
///
/// ```
/// use leptos_clerk::GetTokenOptions;
/// let plain = GetTokenOptions::default();
/// let hasura = GetTokenOptions { template: Some("hasura".into()), ..Default::default() };
/// let personal = GetTokenOptions { organization_id: Some(String::new()), ..Default::default() };
/// assert!(plain.template.is_none() && hasura.template.is_some() && personal.organization_id.is_some());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GetTokenOptions {
    /// Never hand out a token with less than this many seconds left (default 10, at least 5).
    pub leeway_in_seconds: Option<i64>,
    /// A JWT template name.
    pub template: Option<String>,
    /// Mint a new token even if a cached one is still good.
    pub skip_cache: bool,
    /// The organization the token is for: `None` is the session's active organization,
    /// `Some("")` the personal account.
    pub organization_id: Option<String>,
}

impl Clerk {
    /// A token for a session. `Ok(None)` means the session is not signed in; errors are
    /// typed (offline, network, API).
    pub(crate) async fn token(
        &self,
        session_id: &str,
        options: GetTokenOptions,
    ) -> Result<Option<String>, ClerkError> {
        let inner = self.inner()?;
        if self.is_seeded() {
            // the server's snapshot has no tokens: mint from the browser's own client
            self.loaded().await?;
        }
        let session = self
            .client_data
            .try_with_untracked(|c| c.as_ref().and_then(|c| c.session(session_id).cloned()))
            .flatten();
        let Some(session) = session.filter(|s| s.status.is_signed_in()) else {
            return Ok(None);
        };
        let organization = match options.organization_id {
            None => session.last_active_organization_id.clone(),
            Some(id) if id.is_empty() => None,
            Some(id) => Some(id),
        };
        let template = options.template.filter(|t| !t.is_empty());
        let key = TokenKey::new(session_id, template.as_deref(), organization.as_deref());
        let leeway = options.leeway_in_seconds.unwrap_or(DEFAULT_LEEWAY_SECONDS);
        if !options.skip_cache
            && let Some(token) = inner.tokens.borrow().get(&key, browser::now(), leeway)
        {
            return Ok(Some(token.jwt.clone()));
        }
        let existing = inner.in_flight.borrow().get(&key).cloned();
        let future = match existing {
            Some(future) => future,
            None => {
                let params = TokenParams {
                    session_id: session_id.to_owned(),
                    template,
                    organization,
                };
                let this = *self;
                let key2 = key.clone();
                let future = async move {
                    let result = this.mint(&key2, &params, options.skip_cache).await;
                    if let Ok(inner) = this.inner() {
                        inner.in_flight.borrow_mut().remove(&key2);
                    }
                    result
                }
                .boxed_local()
                .shared();
                inner.in_flight.borrow_mut().insert(key, future.clone());
                future
            }
        };
        future.await
    }

    async fn mint(
        &self,
        key: &TokenKey,
        params: &TokenParams,
        skip_cache: bool,
    ) -> Result<Option<String>, ClerkError> {
        let sid = &params.session_id;
        let mut request = match &params.template {
            Some(template) => FapiRequest::new(
                Method::Post,
                format!("/client/sessions/{sid}/tokens/{template}"),
            ),
            None => FapiRequest::new(Method::Post, format!("/client/sessions/{sid}/tokens")).field(
                "organization_id",
                params.organization.clone().unwrap_or_default(),
            ),
        };
        if skip_cache {
            request = request.query("debug", "skip_cache");
        }
        let mut attempt = 0;
        let token: wire::Token = loop {
            if self.offline() {
                self.note_network_error();
                return Err(ClerkError::Offline);
            }
            match self.call_raw(request.clone()).await {
                Ok(token) => break token,
                Err(e)
                    if e.is_retryable()
                        && attempt < MINT_RETRY_DELAYS_MS.len()
                        && e != ClerkError::Offline =>
                {
                    gloo_timers::future::TimeoutFuture::new(MINT_RETRY_DELAYS_MS[attempt]).await;
                    attempt += 1;
                }
                Err(e) => {
                    if e.is_unauthenticated() {
                        let this = *self;
                        leptos::task::spawn_local(async move {
                            let _ = this.handle_unauthenticated().await;
                        });
                    }
                    return Err(e);
                }
            }
        };
        let inner = self.inner()?;
        if let Ok(cached) = CachedToken::from_jwt(&token.jwt) {
            let stored = inner.tokens.borrow_mut().insert(key.clone(), cached);
            inner
                .token_params
                .borrow_mut()
                .insert(key.clone(), params.clone());
            if stored {
                if params.template.is_none() {
                    self.set_last_active_token(sid, params.organization.as_deref(), &token.jwt);
                }
                if let Some(channels) = inner.channels.borrow().as_ref() {
                    channels.post_token(&TokenMessage {
                        session_id: sid.clone(),
                        organization_id: params.organization.clone(),
                        template: params.template.clone(),
                        token_id: key.as_str().to_owned(),
                        token_raw: token.jwt.clone(),
                    });
                }
            }
            self.schedule_refresh();
        }
        Ok(Some(token.jwt))
    }

    /// Records a plain session token on the session (`last_active_token`) when it is for the
    /// session's active organization.
    pub(crate) fn set_last_active_token(
        &self,
        session_id: &str,
        organization: Option<&str>,
        jwt: &str,
    ) {
        self.client_data.try_update(|client| {
            let Some(session) = client
                .as_mut()
                .and_then(|c| c.sessions.iter_mut().find(|s| s.id == session_id))
            else {
                return;
            };
            if session.last_active_organization_id.as_deref() == organization
                && session.last_active_token.as_ref().map(|t| t.jwt.as_str()) != Some(jwt)
            {
                session.last_active_token = Some(wire::Token {
                    jwt: jwt.to_owned(),
                });
            }
        });
        self.sync_cookies();
    }

    /// Seeds the cache with the sessions' last tokens, so the first `get_token` after a load
    /// costs no request.
    pub(crate) fn hydrate_tokens(&self, client: &wire::Client) {
        let Ok(inner) = self.inner() else { return };
        for session in client.signed_in_sessions() {
            let Some(token) = &session.last_active_token else {
                continue;
            };
            let Ok(cached) = CachedToken::from_jwt(&token.jwt) else {
                continue;
            };
            let organization = session.last_active_organization_id.clone();
            let key = TokenKey::new(&session.id, None, organization.as_deref());
            inner.tokens.borrow_mut().insert(key.clone(), cached);
            inner.token_params.borrow_mut().insert(
                key,
                TokenParams {
                    session_id: session.id.clone(),
                    template: None,
                    organization,
                },
            );
        }
    }

    /// Arms one timer for the earliest refresh. Timers may fire late (sleep, throttled tabs):
    /// the wall clock is checked again when they do, and on focus, visibility and `online`.
    pub(crate) fn schedule_refresh(&self) {
        let Ok(inner) = self.inner() else { return };
        if !inner.config.options.polling || !cfg!(target_arch = "wasm32") {
            return;
        }
        let now = browser::now();
        let next = inner.tokens.borrow().next_refresh(now);
        let timer = next.map(|at| {
            let delay = (at - now).num_milliseconds().clamp(0, i64::from(i32::MAX)) as u32;
            let this = *self;
            gloo_timers::callback::Timeout::new(delay, move || this.refresh_due())
        });
        *inner.refresh_timer.borrow_mut() = timer;
    }

    /// Refreshes every token whose time has come, in the background.
    pub(crate) fn refresh_due(&self) {
        let Ok(inner) = self.inner() else { return };
        let now = browser::now();
        inner.tokens.borrow_mut().evict_expired(now);
        let due = inner.tokens.borrow().due(now);
        for key in due {
            let params = inner.token_params.borrow().get(&key).cloned();
            let recent = inner
                .last_refresh
                .borrow()
                .get(&key)
                .is_some_and(|at| now.timestamp() - at < 5);
            let Some(params) = params.filter(|_| !recent) else {
                continue;
            };
            inner.last_refresh.borrow_mut().insert(key, now.timestamp());
            let this = *self;
            leptos::task::spawn_local(async move {
                let options = GetTokenOptions {
                    template: params.template.clone(),
                    organization_id: Some(params.organization.clone().unwrap_or_default()),
                    skip_cache: true,
                    ..GetTokenOptions::default()
                };
                let _ = this.token(&params.session_id, options).await;
            });
        }
        self.schedule_refresh();
    }

    /// Forgets every cached token.
    pub(crate) fn clear_tokens(&self) {
        if let Ok(inner) = self.inner() {
            inner.tokens.borrow_mut().clear();
            inner.token_params.borrow_mut().clear();
        }
        self.schedule_refresh();
    }
}
