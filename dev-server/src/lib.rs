//! # clerk-dev-server
//!
//! A local Clerk Frontend API (FAPI) that the official clerk-js and `leptos-clerk` accept:
//! dev-browser and cookie clients, sign-in and sign-up flows, sessions and RS256 session
//! tokens, the handshake, users and organizations, stored in SQLite; and the part of the
//! Backend API (BAPI, `Authorization: Bearer <secret key>`) that `@clerk/backend` needs. One
//! process serves two instances: the development one (dev-browser clients, key
//! [`Inner::publishable_key`]) and a production one (`__client` cookie clients, key
//! [`Inner::production_publishable_key`]). [`app`] builds the whole HTTP service, so tests
//! call it in-process with `tower::ServiceExt::oneshot`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use clerk_dev_server::{app, AppState, Options};
//! let state = AppState::new(Options::default())?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! axum::serve(listener, app(state)).await?;
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod crypto;
pub mod error;
pub mod jwt;

mod admin;
mod config;
mod cookies;
mod environment;
mod handshake;
mod http;
mod identifiers;
mod org_rules;
mod password;
mod policy;
mod render;
mod render_bapi;
mod routes;
mod seed;
mod sessions;
mod store;
mod tokens;
mod verification;
pub mod webhooks;

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use clerk_core::key::PublishableKey;
use clerk_core::wire::InstanceType;
use rand::Rng;

use config::Settings;
pub use error::{ApiErr, ApiResult, StartupError};
pub use routes::app;

/// The Frontend API host encoded in the publishable key: a dev-browser host, so clients use
/// `__clerk_db_jwt` mode; they reach the server through `proxyUrl`. (Defined in the core, whose
/// start-up diagnosis recognises the dev server's key.)
pub use clerk_core::diagnosis::DEV_SERVER_FRONTEND_API_HOST as FRONTEND_API_HOST;

/// The Frontend API host of the production instance's key: not a dev-browser host (it ends in
/// none of `clerk_core::key::DEV_HOST_SUFFIXES`), so clients with that key use FAPI's
/// `__client` cookie, as on a real production instance. They too reach the server through
/// `proxyUrl`.
pub use clerk_core::diagnosis::DEV_SERVER_PRODUCTION_FRONTEND_API_HOST as PRODUCTION_FRONTEND_API_HOST;

/// Which of the server's two instances a request speaks to: dev-browser clients are the
/// development instance, cookie clients (`__client`, or its value as `Authorization`) the
/// production one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Instance {
    /// Key `pk_test_` of [`FRONTEND_API_HOST`]: dev-browser mode.
    Development,
    /// Key `pk_live_` of [`PRODUCTION_FRONTEND_API_HOST`]: cookie mode.
    Production,
}

/// How to build an [`AppState`].
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// SQLite file; `None` keeps everything in memory.
    pub db_path: Option<PathBuf>,
    /// Seed file text (TOML); `None` uses built-in defaults.
    pub seed_toml: Option<String>,
    /// Origins allowed besides `http://localhost:*` and `http://127.0.0.1:*`.
    pub allowed_origins: Vec<String>,
    /// A PKCS#8 PEM signing key to use when the database has none yet (tests use a fixed
    /// key to skip RSA key generation).
    pub signing_key_pem: Option<String>,
    /// Webhook endpoints (`--webhook`): every change is sent to each as Clerk's event.
    pub webhooks: Vec<String>,
    /// The webhook signing secret (`whsec_…`); `None` uses the stored one, else a new one.
    pub webhook_secret: Option<String>,
    /// The delays (ms) between a webhook delivery's attempts; `None`:
    /// [`webhooks::DEFAULT_BACKOFF_MS`] (tests shorten them).
    pub webhook_backoff_ms: Option<Vec<u64>>,
}

/// A verification code the server "sent" (kept for `GET /v1/__dev/codes`).
#[derive(Clone, Debug, serde::Serialize)]
pub(crate) struct DevCode {
    /// The email address or phone number.
    pub identifier: String,
    /// The code.
    pub code: String,
    /// `email_code`, `phone_code`, `reset_password_email_code`…
    pub strategy: String,
    /// `sign_in`, `sign_up`, `second_factor`, `invitation`…
    pub purpose: String,
    /// When it was sent (ms).
    pub created_at: i64,
    /// When it expires (ms).
    pub expire_at: i64,
}

/// Everything the handlers share.
pub struct Inner {
    /// Storage.
    pub(crate) db: store::Db,
    /// Instance settings.
    pub(crate) settings: Settings,
    /// Token signer.
    pub signer: jwt::Signer,
    /// The development instance's publishable key (`pk_test_`, dev-browser clients).
    pub publishable_key: String,
    /// The production instance's publishable key (`pk_live_`, cookie clients).
    pub production_publishable_key: String,
    /// The Backend API secret key (`sk_test_…`), generated once and kept beside the signing
    /// key.
    pub secret_key: String,
    /// The Backend API URL (`@clerk/backend`'s `apiUrl`): the listening URL, set by the
    /// binary once it listens; unset in-process.
    pub backend_api_url: std::sync::OnceLock<String>,
    /// Handshake nonces not yet exchanged: nonce → (`Set-Cookie` directives, expiry in ms).
    pub(crate) handshake_nonces: Mutex<HashMap<String, (Vec<String>, i64)>>,
    /// Extra allowed origins.
    pub(crate) allowed_origins: Vec<String>,
    /// Codes sent, newest last (bounded).
    pub(crate) codes: Mutex<VecDeque<DevCode>>,
    /// Shift of the clock in ms (tests move time forward).
    pub(crate) clock_offset_ms: AtomicI64,
    /// Last minted session token per session/org/origin, to fill `last_active_token`.
    pub(crate) token_cache: Mutex<HashMap<String, (String, i64)>>,
    /// Asks the serving loop to stop listening for a number of seconds
    /// (`POST /v1/__dev/pause`); set by the binary, absent in-process.
    pub pause: Mutex<Option<tokio::sync::mpsc::UnboundedSender<u64>>>,
    /// Webhooks: the signing secret, the endpoints, their delivery tasks.
    pub webhooks: webhooks::Hub,
}

/// The shared state of the server (cheap to clone).
#[derive(Clone)]
pub struct AppState(pub Arc<Inner>);

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// Opens the database, loads or creates the signing key and applies the seed's data on
    /// first start.
    pub fn new(options: Options) -> Result<Self, StartupError> {
        let settings = match &options.seed_toml {
            Some(text) => Settings::from_toml(text)?,
            None => Settings::from_seed(Default::default())?,
        };
        let db = store::Db::open(options.db_path.as_deref())?;
        let (pem, instance, secret_key) = db.tx(|tx| {
            Ok((
                tx.key("meta:signing_key")?,
                tx.key("meta:instance_id")?,
                tx.key("meta:secret_key")?,
            ))
        })?;
        let instance = instance.unwrap_or_else(|| crypto::new_id("ins"));
        let secret_key = secret_key.unwrap_or_else(new_secret_key);
        let signer = match pem.or(options.signing_key_pem.clone()) {
            Some(pem) => jwt::Signer::from_pem(&pem, &instance)?,
            None => jwt::Signer::generate(&instance)?,
        };
        let pem = signer.to_pem()?;
        db.tx(|tx| {
            tx.set_key("meta:signing_key", &pem)?;
            tx.set_key("meta:instance_id", &instance)?;
            tx.set_key("meta:secret_key", &secret_key)
        })?;
        let webhooks = webhooks::Hub::open(
            &db,
            &options.webhooks,
            options.webhook_secret.as_deref(),
            options.webhook_backoff_ms.as_deref(),
        )?;
        let state = Self(Arc::new(Inner {
            db,
            settings,
            signer,
            publishable_key: PublishableKey::build(FRONTEND_API_HOST, InstanceType::Development)
                .to_string(),
            production_publishable_key: PublishableKey::build(
                PRODUCTION_FRONTEND_API_HOST,
                InstanceType::Production,
            )
            .to_string(),
            secret_key,
            backend_api_url: std::sync::OnceLock::new(),
            handshake_nonces: Mutex::new(HashMap::new()),
            allowed_origins: options.allowed_origins,
            codes: Mutex::new(VecDeque::new()),
            clock_offset_ms: AtomicI64::new(0),
            token_cache: Mutex::new(HashMap::new()),
            pause: Mutex::new(None),
            webhooks,
        }));
        webhooks::install(&state);
        seed::apply(&state)?;
        Ok(state)
    }

    /// An in-memory server with this seed (TOML) and signing key (PEM).
    pub fn in_memory(seed_toml: &str, signing_key_pem: Option<&str>) -> Result<Self, StartupError> {
        Self::new(Options {
            seed_toml: Some(seed_toml.to_owned()),
            signing_key_pem: signing_key_pem.map(str::to_owned),
            ..Options::default()
        })
    }

    /// Now, in milliseconds since the epoch (shifted by [`AppState::advance_clock`]).
    pub fn now(&self) -> i64 {
        let real = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        real + self.clock_offset_ms.load(Ordering::Relaxed)
    }

    /// Moves the server's clock forward (tests of expiry and lockout).
    pub fn advance_clock(&self, ms: i64) {
        self.clock_offset_ms.fetch_add(ms, Ordering::Relaxed);
    }

    /// The issuer of the development instance's session tokens.
    pub fn issuer(&self) -> String {
        self.issuer_of(Instance::Development)
    }

    /// The issuer (`iss`) of an instance's tokens: `https://` and its Frontend API host.
    pub fn issuer_of(&self, instance: Instance) -> String {
        match instance {
            Instance::Development => format!("https://{FRONTEND_API_HOST}"),
            Instance::Production => format!("https://{PRODUCTION_FRONTEND_API_HOST}"),
        }
    }

    /// An instance's publishable key.
    pub fn publishable_key_of(&self, instance: Instance) -> &str {
        match instance {
            Instance::Development => &self.publishable_key,
            Instance::Production => &self.production_publishable_key,
        }
    }

    /// Whether `candidate` is the secret key (constant time).
    pub fn is_secret_key(&self, candidate: &str) -> bool {
        crypto::ct_eq(candidate, &self.secret_key)
    }

    /// Records (and logs) a code that would have been sent by email or SMS.
    pub(crate) fn record_code(&self, code: DevCode) {
        eprintln!(
            "[clerk-dev-server] {} for {} ({}): {}",
            code.strategy, code.identifier, code.purpose, code.code
        );
        let mut codes = self.codes.lock().unwrap_or_else(|p| p.into_inner());
        codes.push_back(code);
        while codes.len() > 1000 {
            codes.pop_front();
        }
    }

    /// Whether a browser origin may call the server.
    pub(crate) fn origin_allowed(&self, origin: &str) -> bool {
        let local = ["http://localhost", "http://127.0.0.1"].iter().any(|base| {
            origin == *base
                || origin
                    .strip_prefix(base)
                    .and_then(|rest| rest.strip_prefix(':'))
                    .is_some_and(|port| {
                        !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())
                    })
        });
        local
            || self
                .allowed_origins
                .iter()
                .any(|o| o.trim_end_matches('/') == origin)
    }
}

/// A new Backend API secret key: `sk_test_` and 40 random base62 characters (238 bits).
fn new_secret_key() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut rng = rand::rngs::OsRng;
    let tail: String = (0..40)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    format!("sk_test_{tail}")
}
