//! Start-up (dev browser, then environment and client in parallel), recovery from network
//! trouble, window events and cross-tab channels. The cookies are in `cookies.rs`.

use std::rc::Rc;

use gloo_storage::Storage;
use leptos::prelude::*;

use super::{Clerk, ClerkStatus, Inner, Select};
use crate::core::error::ClerkError;
use crate::core::request::{FapiRequest, Method, RequestContext};
use crate::core::token_cache::{CachedToken, TokenKey};
use crate::core::wire;
use crate::io::broadcast::Channels;
use crate::io::{browser, http};

const DEV_BROWSER_PARAM: &str = crate::core::cookies::DEV_BROWSER;
const ENVIRONMENT_STORAGE_KEY: &str = "clerk_environment";
const ENVIRONMENT_TTL_MS: f64 = 24.0 * 3600.0 * 1000.0;

#[derive(serde::Serialize, serde::Deserialize)]
struct EnvironmentSnapshot {
    saved_at: f64,
    key: String,
    environment: wire::Environment,
}

impl Clerk {
    /// Loads everything: the dev browser (development hosts), then the environment and the
    /// client in parallel. Sets the status and resolves [`loaded`](Self::loaded).
    pub(crate) async fn load(self) {
        let key = match self.config().and_then(|c| c.key.clone()) {
            Ok(key) => key,
            Err(e) => return self.fail(e),
        };
        if let Err(e) = self.config().and_then(|c| c.endpoint.clone().map(|_| ())) {
            return self.fail(e);
        }
        if !key.is_development()
            && let Ok(inner) = self.inner()
        {
            // clerk-js's setupProduction: no dev browser, and no cookie of one left behind
            Self::clear_dev_browser(&inner);
        }
        if key.is_dev_browser_host()
            && let Err(e) = self.ensure_dev_browser().await
        {
            self.note_startup_error(&e);
            // network trouble, 429 and 5xx (a proxy whose upstream is down) come back: retry them
            if e.is_retryable() {
                self.set_status(ClerkStatus::Degraded);
                self.schedule_recovery();
            } else {
                self.fail(e);
            }
            return;
        }
        // an unfinished sign-out goes first: the page must not come back signed in
        let _ = self.finish_pending_sign_out().await;
        let (environment, client) = futures::join!(self.load_environment(), self.fetch_client());
        if let Err(e) = environment {
            leptos::logging::warn!("leptos-clerk: could not load the environment: {e}");
        }
        self.finish_client_load(client);
    }

    fn finish_client_load(&self, client: Result<Option<wire::Client>, ClerkError>) {
        match client {
            Ok(client) => {
                let first = !self.client_loaded.try_get_untracked().unwrap_or(true);
                let select = if self.pending_sign_out.try_get_untracked().unwrap_or(false) {
                    // signed out here, whatever the server still says, until it is told
                    self.schedule_recovery();
                    Select::Set(None)
                } else if first {
                    Select::Initial
                } else {
                    Select::Keep
                };
                self.apply_client(client, select);
                self.set_status(ClerkStatus::Ready);
                self.resolve_loaded();
            }
            Err(e) if e.is_retryable() => {
                self.note_startup_error(&e);
                self.set_status(ClerkStatus::Degraded);
                self.schedule_recovery();
            }
            Err(e) => self.fail(e),
        }
    }

    fn fail(&self, error: ClerkError) {
        leptos::logging::error!("leptos-clerk: {error}");
        self.startup_error.try_set(Some(error.clone()));
        self.set_status(ClerkStatus::Failed(error));
        self.resolve_loaded();
    }

    pub(crate) async fn fetch_client(&self) -> Result<Option<wire::Client>, ClerkError> {
        self.call(FapiRequest::new(Method::Get, "/client")).await
    }

    async fn load_environment(&self) -> Result<(), ClerkError> {
        let inner = self.inner()?;
        let key = inner.config.key.clone()?;
        let fetched: Result<wire::Environment, ClerkError> = self
            .call_raw(FapiRequest::new(Method::Get, "/environment"))
            .await;
        match fetched {
            Ok(environment) => {
                let snapshot = EnvironmentSnapshot {
                    saved_at: (browser::now().timestamp_millis() as f64),
                    key: key.as_str().to_owned(),
                    environment: environment.clone(),
                };
                let _ = gloo_storage::LocalStorage::set(ENVIRONMENT_STORAGE_KEY, snapshot);
                self.environment_data.try_set(Some(environment));
                Ok(())
            }
            Err(e) => {
                let snapshot: Option<EnvironmentSnapshot> =
                    gloo_storage::LocalStorage::get(ENVIRONMENT_STORAGE_KEY).ok();
                let fresh = snapshot.filter(|s| {
                    s.key == key.as_str()
                        && (browser::now().timestamp_millis() as f64) - s.saved_at
                            < ENVIRONMENT_TTL_MS
                });
                if let Some(snapshot) = fresh {
                    self.environment_data.try_set(Some(snapshot.environment));
                }
                Err(e)
            }
        }
    }

    /// After network trouble, retry loading the client every few seconds and on `online`.
    pub(crate) fn schedule_recovery(&self) {
        let Ok(inner) = self.inner() else { return };
        if !cfg!(target_arch = "wasm32") || inner.retry_timer.borrow().is_some() {
            return;
        }
        let this = *self;
        let timer = gloo_timers::callback::Timeout::new(5_000, move || {
            if let Ok(inner) = this.inner() {
                inner.retry_timer.borrow_mut().take();
            }
            this.recover();
        });
        *inner.retry_timer.borrow_mut() = Some(timer);
    }

    /// Reloads the client if the SDK is degraded or never loaded.
    pub(crate) fn recover(&self) {
        let status = self.status_data.try_get_untracked();
        let loaded = self.client_loaded.try_get_untracked().unwrap_or(false);
        let pending = self.pending_sign_out.try_get_untracked().unwrap_or(false);
        if status != Some(ClerkStatus::Degraded) && loaded && !pending {
            return;
        }
        let this = *self;
        leptos::task::spawn_local(async move {
            if this.inner().is_ok_and(|i| i.dev_browser.borrow().is_none())
                && this
                    .inner()
                    .and_then(|i| i.config.key.clone())
                    .is_ok_and(|k| k.is_dev_browser_host())
                && let Err(e) = this.ensure_dev_browser().await
            {
                this.note_startup_error(&e);
                if e.is_retryable() {
                    this.schedule_recovery();
                }
                return;
            }
            if pending && this.finish_pending_sign_out().await.is_err() {
                this.schedule_recovery();
                return;
            }
            if this
                .environment_data
                .try_get_untracked()
                .flatten()
                .is_none()
            {
                let _ = this.load_environment().await;
            }
            let client = this.fetch_client().await;
            this.finish_client_load(client);
        });
    }

    // ---- dev browser -------------------------------------------------------------------

    /// The dev-browser token: from the page URL (then removed from it), else the cookie, else
    /// a new one from `POST /v1/dev_browser`.
    async fn ensure_dev_browser(&self) -> Result<(), ClerkError> {
        let inner = self.inner()?;
        if let Some(token) = browser::query_param(DEV_BROWSER_PARAM) {
            browser::strip_query_param(DEV_BROWSER_PARAM);
            self.store_dev_browser(&inner, &token);
            return Ok(());
        }
        if let Some(token) = Self::dev_browser_from_cookie(&inner) {
            // both names again, as clerk-js's refreshCookies does once the environment loads
            self.store_dev_browser(&inner, &token);
            return Ok(());
        }
        self.create_dev_browser(&inner).await
    }

    pub(crate) async fn reset_dev_browser(&self) -> Result<(), ClerkError> {
        let inner = self.inner()?;
        Self::clear_dev_browser(&inner);
        self.create_dev_browser(&inner).await
    }

    async fn create_dev_browser(&self, inner: &Rc<Inner>) -> Result<(), ClerkError> {
        let endpoint = inner.config.endpoint.clone()?;
        let request = endpoint.prepare(
            &FapiRequest::new(Method::Post, "/dev_browser"),
            &RequestContext::default(),
        );
        inner.requests.set(inner.requests.get() + 1);
        let response = http::send(&request, false, http::TIMEOUT_MS).await?;
        if !(200..300).contains(&response.status) {
            return Err(ClerkError::from_response(
                response.status,
                &response.body,
                None,
            ));
        }
        let dev_browser: wire::DevBrowser =
            serde_json::from_str(&response.body).map_err(|e| ClerkError::Decode(e.to_string()))?;
        self.store_dev_browser(inner, &dev_browser.id);
        Ok(())
    }

    // ---- events and channels -------------------------------------------------------------

    /// Listens to window focus, visibility and connectivity, and to the other tabs. Must run
    /// inside the provider's reactive owner (listeners go away with it).
    pub(crate) fn watch(&self) {
        let this = *self;
        let on_wake = move || {
            this.refresh_due();
            this.recover();
        };
        let visibility =
            leptos::prelude::window_event_listener_untyped("visibilitychange", move |_| {
                if browser::is_visible() {
                    on_wake();
                }
            });
        let focus = window_event_listener(leptos::ev::focus, move |_| {
            on_wake();
            this.touch_on_focus();
        });
        let online = window_event_listener(leptos::ev::online, move |_| on_wake());

        let channels = Channels::open(
            move || {
                let this = this;
                leptos::task::spawn_local(async move {
                    let _ = this.handle_unauthenticated_inner(false).await;
                });
            },
            move |message| this.receive_token(message),
        );
        if let Ok(inner) = self.inner() {
            *inner.channels.borrow_mut() = channels;
        }
        on_cleanup(move || {
            visibility.remove();
            focus.remove();
            online.remove();
            if let Ok(inner) = this.inner() {
                inner.channels.borrow_mut().take();
                inner.refresh_timer.borrow_mut().take();
                inner.retry_timer.borrow_mut().take();
            }
        });
    }

    fn receive_token(&self, message: crate::io::broadcast::TokenMessage) {
        let Ok(inner) = self.inner() else { return };
        let key = TokenKey::new(
            &message.session_id,
            message.template.as_deref(),
            message.organization_id.as_deref(),
        );
        if key.as_str() != message.token_id {
            return;
        }
        let Ok(token) = CachedToken::from_jwt(&message.token_raw) else {
            return;
        };
        let stored = inner.tokens.borrow_mut().insert(key, token);
        if stored && message.template.is_none() {
            self.set_last_active_token(
                &message.session_id,
                message.organization_id.as_deref(),
                &message.token_raw,
            );
        }
        self.schedule_refresh();
    }

    /// Touches the current session when the window gets focus, at most every 5 s.
    fn touch_on_focus(&self) {
        let Ok(inner) = self.inner() else { return };
        if !inner.config.options.touch_session || self.offline() {
            return;
        }
        let now = browser::now().timestamp_millis() as f64;
        if now - inner.last_touch_ms.get() < 5_000.0 {
            return;
        }
        inner.last_touch_ms.set(now);
        let Some(session) = self.session().get_untracked() else {
            return;
        };
        leptos::task::spawn_local(async move {
            let _ = session.touch_with_intent(Some("focus")).await;
        });
    }
}
