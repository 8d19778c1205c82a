//! Webhooks as Clerk sends them (through Svix): every change to a user, session, organization,
//! membership or invitation, and every code "sent" by email or SMS, becomes Clerk's event
//! (`{object: "event", type, timestamp, instance_id, event_attributes, data}`), signed with the
//! Svix / Standard Webhooks scheme and POSTed to each `--webhook` endpoint.
//!
//! - **Where events come from**: one place, the store. [`crate::store::Db::watch`] hands this
//!   module every transaction's changes to the watched kinds (before and after JSON) just before
//!   the transaction commits, whichever route (FAPI, the Backend API, the seed) made them;
//!   `events` turns them into events.
//! - **The outbox** (`outbox`): the events and one delivery row per endpoint are written in
//!   that same transaction, so a committed change always has its event, even after `kill -9`.
//!   Deliveries are at least once, with the same `svix-id` across attempts and restarts.
//! - **Delivery** (`deliver`): one task per endpoint sends its deliveries one at a time, oldest
//!   first (in order per endpoint), retrying with backoff; the request that caused an event
//!   never waits for it.
//!
//! Signing (Svix's `webhooks.rs`): the secret is `whsec_` + standard base64 of the key; the
//! signed content is `{svix-id}.{svix-timestamp}.{body}`; the signature is HMAC-SHA256 of it,
//! base64, written `v1,<signature>`. Each attempt is signed with its own timestamp (Unix
//! seconds), as Svix does, so receivers' 5-minute tolerance holds for retries and replays.

mod deliver;
mod events;
pub(crate) mod outbox;
mod payload;

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::error::StartupError;
use crate::store::Db;
use crate::AppState;

/// Attempts per delivery round: the first at once, then one after each of these delays (ms).
pub const DEFAULT_BACKOFF_MS: [u64; 5] = [500, 1_000, 2_000, 4_000, 8_000];

/// The prefix of a signing secret.
const SECRET_PREFIX: &str = "whsec_";

/// Where the generated secret is kept (beside `meta:secret_key`).
const SECRET_KEY: &str = "meta:webhook_secret";

/// A webhook signing secret (`whsec_…`) and its key bytes.
#[derive(Clone)]
pub struct Secret {
    text: String,
    key: Vec<u8>,
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(whsec_…)")
    }
}

impl Secret {
    /// Parses `whsec_<standard base64>`; the key must not be empty.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let b64 = text
            .strip_prefix(SECRET_PREFIX)
            .ok_or_else(|| format!("a webhook secret starts with {SECRET_PREFIX}"))?;
        let key = STANDARD
            .decode(b64)
            .map_err(|e| format!("a webhook secret is whsec_ and standard base64: {e}"))?;
        if key.is_empty() {
            return Err("the webhook secret is empty".into());
        }
        Ok(Self {
            text: text.to_owned(),
            key,
        })
    }

    /// A new random secret (24 bytes, as Svix makes them).
    pub fn generate() -> Self {
        let mut key = vec![0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut key);
        Self {
            text: format!("{SECRET_PREFIX}{}", STANDARD.encode(&key)),
            key,
        }
    }

    /// The secret as configured (`whsec_…`).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The `svix-signature` value of a message: `v1,` and the base64 HMAC-SHA256 of
    /// `{msg_id}.{timestamp}.{body}`.
    pub fn sign(&self, msg_id: &str, timestamp: i64, body: &[u8]) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes keys of any length");
        mac.update(msg_id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
    }
}

/// Checks a `--webhook` URL: absolute `http` or `https` with a host.
pub fn parse_endpoint(text: &str) -> Result<String, String> {
    let text = text.trim();
    let url = reqwest::Url::parse(text).map_err(|e| format!("{text:?} is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!("{text:?} is not an http(s) URL"));
    }
    Ok(text.to_owned())
}

/// The request that caused an event (`event_attributes.http_request`).
#[derive(Clone, Debug, Default)]
pub(crate) struct HttpRequest {
    /// The first `X-Forwarded-For` address, else the loopback address the server listens on.
    pub client_ip: String,
    /// `User-Agent`.
    pub user_agent: String,
}

impl HttpRequest {
    /// From the request's headers.
    pub(crate) fn from_headers(headers: &axum::http::HeaderMap) -> Self {
        let text = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .unwrap_or_default()
                .to_owned()
        };
        let forwarded = text("x-forwarded-for");
        let client_ip = forwarded
            .split(',')
            .next()
            .map(str::trim)
            .filter(|ip| !ip.is_empty())
            .unwrap_or("127.0.0.1")
            .to_owned();
        Self {
            client_ip,
            user_agent: text("user-agent"),
        }
    }
}

thread_local! {
    /// The request being handled on this (blocking-pool) thread.
    static CURRENT_REQUEST: RefCell<Option<HttpRequest>> = const { RefCell::new(None) };
}

/// Marks the request handled on this thread until dropped (events made meanwhile carry it).
pub(crate) struct RequestScope(());

impl RequestScope {
    /// Enters the scope of a request.
    pub(crate) fn enter(request: &HttpRequest) -> Self {
        CURRENT_REQUEST.with(|c| *c.borrow_mut() = Some(request.clone()));
        Self(())
    }
}

impl Drop for RequestScope {
    fn drop(&mut self) {
        CURRENT_REQUEST.with(|c| *c.borrow_mut() = None);
    }
}

/// The request of the current thread's scope (empty outside one: the seed).
fn current_request() -> HttpRequest {
    CURRENT_REQUEST
        .with(|c| c.borrow().clone())
        .unwrap_or_default()
}

/// An endpoint and the signal that wakes its delivery task.
pub(crate) struct Endpoint {
    pub url: String,
    pub wake: Arc<tokio::sync::Notify>,
}

/// The webhook configuration of a server: the signing secret, the endpoints, the retry
/// schedule.
pub struct Hub {
    secret: Secret,
    pub(crate) endpoints: Vec<Endpoint>,
    pub(crate) backoff_ms: Vec<u64>,
    started: AtomicBool,
}

impl Hub {
    /// Creates the outbox tables and loads the signing secret: `secret` when given (and then
    /// kept), else the stored one, else a new one (stored).
    pub(crate) fn open(
        db: &Db,
        endpoints: &[String],
        secret: Option<&str>,
        backoff_ms: Option<&[u64]>,
    ) -> Result<Self, StartupError> {
        let given = secret
            .map(Secret::parse)
            .transpose()
            .map_err(|e| StartupError::Storage(format!("webhook secret: {e}")))?;
        let endpoints = endpoints
            .iter()
            .map(|e| parse_endpoint(e).map_err(|e| StartupError::Storage(format!("webhook: {e}"))))
            .collect::<Result<Vec<_>, _>>()?;
        let secret = db.tx(|tx| {
            outbox::create_tables(tx)?;
            let secret = match given {
                Some(s) => s,
                None => match tx.key(SECRET_KEY)?.map(|t| Secret::parse(&t)) {
                    Some(Ok(s)) => s,
                    _ => Secret::generate(),
                },
            };
            tx.set_key(SECRET_KEY, secret.as_str())?;
            Ok(secret)
        })?;
        Ok(Self {
            secret,
            endpoints: endpoints
                .into_iter()
                .map(|url| Endpoint {
                    url,
                    wake: Arc::new(tokio::sync::Notify::new()),
                })
                .collect(),
            backoff_ms: backoff_ms.map_or(DEFAULT_BACKOFF_MS.to_vec(), <[u64]>::to_vec),
            started: AtomicBool::new(false),
        })
    }

    /// The signing secret (`whsec_…`).
    pub fn secret(&self) -> &str {
        self.secret.as_str()
    }

    /// The endpoints' URLs.
    pub fn endpoint_urls(&self) -> Vec<String> {
        self.endpoints.iter().map(|e| e.url.clone()).collect()
    }

    /// Wakes every delivery task (new or replayed deliveries).
    pub(crate) fn wake(&self) {
        for e in &self.endpoints {
            e.wake.notify_one();
        }
    }
}

/// Watches the store for changes (only when there is an endpoint) and starts delivering.
pub(crate) fn install(state: &AppState) {
    if state.webhooks.endpoints.is_empty() {
        return;
    }
    let weak = Arc::downgrade(&state.0);
    state.db.watch(
        events::WATCHED,
        Box::new(move |tx, changes| match weak.upgrade() {
            Some(inner) => events::enqueue(tx, &AppState(inner), changes),
            None => Ok(()),
        }),
    );
    start(state);
}

/// Starts one delivery task per endpoint on the current tokio runtime, once (nothing outside
/// a runtime: the next call from inside one starts them).
pub(crate) fn start(state: &AppState) {
    let hub = &state.webhooks;
    if hub.endpoints.is_empty() || hub.started.load(Ordering::Acquire) {
        return;
    }
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    if hub.started.swap(true, Ordering::AcqRel) {
        return;
    }
    let client = match reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!(
            "clerk-dev-server/",
            env!("CARGO_PKG_VERSION"),
            " (Svix-compatible webhooks)"
        ))
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("[clerk-dev-server] webhooks: no HTTP client: {e}");
            return;
        }
    };
    for (index, endpoint) in hub.endpoints.iter().enumerate() {
        runtime.spawn(deliver::run(
            Arc::downgrade(&state.0),
            index,
            endpoint.wake.clone(),
            client.clone(),
            hub.secret.clone(),
        ));
    }
}
