//! Sending prepared FAPI requests with `fetch` (gloo-net).

use futures::FutureExt;
use gloo_net::http::Request;
use web_sys::RequestCredentials;

use crate::core::error::ClerkError;
use crate::core::request::HttpRequest;

/// A FAPI answer, before interpretation.
#[derive(Debug)]
pub(crate) struct HttpResponse {
    pub status: u16,
    pub body: String,
    /// `Clerk-Db-Jwt`: a rotated dev-browser token.
    pub dev_browser: Option<String>,
    /// `Retry-After` on a 429, in seconds.
    pub retry_after: Option<u32>,
}

/// How long a request may take before it counts as a network failure.
pub(crate) const TIMEOUT_MS: u32 = 15_000;

/// Sends a request. `credentials` sends cookies cross-origin (`credentials: 'include'`); the
/// dev-browser request goes without. Network failures become [`ClerkError::Offline`] when the
/// browser says it is offline, else [`ClerkError::Network`].
pub(crate) async fn send(
    request: &HttpRequest,
    credentials: bool,
    timeout_ms: u32,
) -> Result<HttpResponse, ClerkError> {
    if !cfg!(target_arch = "wasm32") {
        return Err(ClerkError::Network("requests need a browser".into()));
    }
    let mode = if credentials {
        RequestCredentials::Include
    } else {
        RequestCredentials::Omit
    };
    let builder = match request.method {
        "GET" => Request::get(&request.url),
        _ => Request::post(&request.url),
    }
    .credentials(mode);
    let built = match &request.body {
        Some(body) => builder
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body.as_str()),
        None => builder.build(),
    }
    .map_err(|e| ClerkError::Network(e.to_string()))?;

    let exchange = async {
        let response = built.send().await?;
        let body = response.text().await?;
        Ok::<_, gloo_net::Error>((response, body))
    };
    let timeout = gloo_timers::future::TimeoutFuture::new(timeout_ms);
    futures::select! {
        result = exchange.fuse() => match result {
            Ok((response, body)) => Ok(HttpResponse {
                status: response.status(),
                dev_browser: response.headers().get("clerk-db-jwt"),
                retry_after: response
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.trim().parse().ok()),
                body,
            }),
            Err(e) => Err(network_error(e.to_string())),
        },
        _ = timeout.fuse() => Err(network_error(format!("no answer within {timeout_ms} ms"))),
    }
}

pub(crate) fn network_error(detail: String) -> ClerkError {
    if super::browser::is_online() {
        ClerkError::Network(detail)
    } else {
        ClerkError::Offline
    }
}
