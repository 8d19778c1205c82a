//! Sending FAPI requests: query context, dev-browser token, retries, the `{response, client}`
//! envelope and client piggy-backing.

use leptos::prelude::*;
use serde::de::DeserializeOwned;

use super::{Clerk, ClerkStatus, Select};
use crate::core::error::ClerkError;
use crate::core::request::{FapiRequest, Method, RequestContext};
use crate::core::wire::{self, ErrorCode};
use crate::io::{browser, http};

/// Network retries of GET requests, with their delays (clerk-js retries GETs only).
const GET_RETRY_DELAYS_MS: [u32; 3] = [0, 700, 1_400];

/// An enveloped answer: the resource the request was about and the client after it.
#[derive(serde::Deserialize)]
pub(crate) struct Answer<T> {
    pub response: T,
    #[serde(default)]
    pub client: Option<wire::Client>,
}

impl Clerk {
    /// Sends a request whose answer is `{response, client}` and returns the response. On every
    /// non-GET answer carrying a client, the client is applied first.
    pub(crate) async fn call<T: DeserializeOwned>(
        &self,
        request: FapiRequest,
    ) -> Result<T, ClerkError> {
        let piggyback = request.method != Method::Get;
        let answer = self.fetch_answer(&request).await?;
        Ok(self.take_response(answer, piggyback))
    }

    /// Like [`call`](Self::call), applying the answer's client even for a GET (`reload()`).
    pub(crate) async fn call_reload<T: DeserializeOwned>(
        &self,
        request: FapiRequest,
    ) -> Result<T, ClerkError> {
        let answer = self.fetch_answer(&request).await?;
        Ok(self.take_response(answer, true))
    }

    /// Sends a request whose answer is not enveloped (environment, tokens).
    pub(crate) async fn call_raw<T: DeserializeOwned>(
        &self,
        request: FapiRequest,
    ) -> Result<T, ClerkError> {
        decode(&self.send(&request).await?)
    }

    /// Sends a request and reads its `{response, client}` answer, applying nothing.
    pub(crate) async fn fetch_answer<T: DeserializeOwned>(
        &self,
        request: &FapiRequest,
    ) -> Result<Answer<T>, ClerkError> {
        decode(&self.send(request).await?)
    }

    fn take_response<T>(&self, answer: Answer<T>, piggyback: bool) -> T {
        if piggyback && let Some(client) = answer.client {
            self.apply_client(Some(client), Select::Keep);
        }
        answer.response
    }

    /// Sends a request with the standard query parameters and returns the body of a 2xx.
    pub(crate) async fn send(&self, request: &FapiRequest) -> Result<String, ClerkError> {
        let inner = self.inner()?;
        let endpoint = inner.config.endpoint.clone()?;
        let mut dev_browser_reset = false;
        let mut attempt = 0;
        loop {
            let dev_browser = inner.dev_browser.borrow().clone();
            let session_id = self.session_id.try_get_untracked().flatten();
            let ctx = RequestContext {
                session_id: session_id.as_deref(),
                dev_browser: dev_browser.as_deref(),
                ..RequestContext::default()
            };
            let mut http_request = endpoint.prepare(request, &ctx);
            if attempt > 0 {
                http_request
                    .url
                    .push_str(&format!("&_clerk_retry_attempt={attempt}"));
            }
            inner.requests.set(inner.requests.get() + 1);
            let result = http::send(&http_request, true, http::TIMEOUT_MS).await;
            let response = match result {
                Ok(response) => response,
                Err(err) => {
                    let retry = request.method == Method::Get
                        && err != ClerkError::Offline
                        && attempt + 1 < GET_RETRY_DELAYS_MS.len();
                    if retry {
                        attempt += 1;
                        gloo_timers::future::TimeoutFuture::new(GET_RETRY_DELAYS_MS[attempt]).await;
                        continue;
                    }
                    self.note_network_error();
                    return Err(err);
                }
            };
            if let Some(token) = response.dev_browser.filter(|t| !t.is_empty()) {
                self.store_dev_browser(&inner, &token);
            }
            if (200..300).contains(&response.status) {
                self.note_success();
                return Ok(response.body);
            }
            let err =
                ClerkError::from_response(response.status, &response.body, response.retry_after);
            let bad_dev_browser = response.status == 401
                && err.has_code(&ErrorCode::DevBrowserUnauthenticated)
                && inner.dev_browser.borrow().is_some();
            if bad_dev_browser && !dev_browser_reset {
                dev_browser_reset = true;
                self.reset_dev_browser().await?;
                continue;
            }
            if response.status >= 500 {
                self.note_network_error();
            } else {
                self.note_success();
            }
            return Err(err);
        }
    }

    /// Network trouble: keep the state, show it as degraded.
    pub(crate) fn note_network_error(&self) {
        if self.status_data.try_get_untracked() == Some(ClerkStatus::Ready) {
            self.set_status(ClerkStatus::Degraded);
        }
        self.schedule_recovery();
    }

    fn note_success(&self) {
        let loaded = self.client_loaded.try_get_untracked().unwrap_or(false);
        if loaded && self.status_data.try_get_untracked() == Some(ClerkStatus::Degraded) {
            self.set_status(ClerkStatus::Ready);
        }
    }

    /// Whether the browser reports no connection.
    pub(crate) fn offline(&self) -> bool {
        !browser::is_online()
    }
}

/// Reads a JSON body (one deserializer for every type: no detour through `serde_json::Value`,
/// which would compile a second decoder of every wire type into the wasm).
pub(crate) fn decode<T: DeserializeOwned>(body: &str) -> Result<T, ClerkError> {
    serde_json::from_str(body).map_err(|e| ClerkError::Decode(e.to_string()))
}
