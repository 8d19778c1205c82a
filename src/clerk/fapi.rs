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

impl Clerk {
    /// Sends a request and returns its `response` (or the whole body for raw endpoints). On
    /// every non-GET answer carrying a `client`, the client is applied first.
    pub(crate) async fn call<T: DeserializeOwned>(
        &self,
        request: FapiRequest,
    ) -> Result<T, ClerkError> {
        let piggyback = request.method != Method::Get;
        let value = self.send(&request).await?;
        self.take_response(value, piggyback)
    }

    /// Like [`call`](Self::call), applying the answer's client even for a GET (`reload()`).
    pub(crate) async fn call_reload<T: DeserializeOwned>(
        &self,
        request: FapiRequest,
    ) -> Result<T, ClerkError> {
        let value = self.send(&request).await?;
        self.take_response(value, true)
    }

    fn take_response<T: DeserializeOwned>(
        &self,
        mut value: serde_json::Value,
        piggyback: bool,
    ) -> Result<T, ClerkError> {
        if let serde_json::Value::Object(map) = &mut value {
            if piggyback && let Some(client) = map.get("client").filter(|c| c.is_object()) {
                let client: wire::Client = decode(client.clone())?;
                self.apply_client(Some(client), Select::Keep);
            }
            if let Some(response) = map.remove("response") {
                return decode(response);
            }
        }
        decode(value)
    }

    /// Sends a request with the standard query parameters and returns the JSON body of a 2xx.
    pub(crate) async fn send(
        &self,
        request: &FapiRequest,
    ) -> Result<serde_json::Value, ClerkError> {
        let inner = self.inner()?;
        let endpoint = inner.endpoint.clone()?;
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
                if response.body.trim().is_empty() {
                    return Ok(serde_json::Value::Null);
                }
                return serde_json::from_str(&response.body)
                    .map_err(|e| ClerkError::Decode(e.to_string()));
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

pub(crate) fn decode<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ClerkError> {
    serde_json::from_value(value).map_err(|e| ClerkError::Decode(e.to_string()))
}
