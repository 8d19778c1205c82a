//! Verification keys: a PEM public key (networkless), or the instance's JWKS from the Backend
//! API, cached per instance (`api_url|api_version|secret_key`, as Clerk scopes it) for five
//! minutes. An unknown `kid` refetches once, at most every five seconds, with one fetch in
//! flight per instance.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

use jsonwebtoken::DecodingKey;

use crate::bapi::{Bapi, BapiError};
use crate::errors::{TokenVerificationError, TokenVerificationErrorReason as R, action};

/// Clerk's fixed JWKS cache lifetime.
const TTL: Duration = Duration::from_secs(300);
/// The shortest time between two fetches caused by an unknown `kid`.
const MISS_INTERVAL: Duration = Duration::from_secs(5);

/// A PEM public key (SPKI `BEGIN PUBLIC KEY` or PKCS#1 `BEGIN RSA PUBLIC KEY`, any size).
pub(crate) fn from_pem(pem: &str) -> Result<DecodingKey, TokenVerificationError> {
    if pem.trim().is_empty() {
        return Err(
            TokenVerificationError::new(R::JwkLocalMissing, "Missing local JWK.")
                .with_action(action::SET_CLERK_JWT_KEY),
        );
    }
    DecodingKey::from_rsa_pem(pem.as_bytes()).map_err(|e| {
        TokenVerificationError::new(
            R::TokenVerificationFailed,
            format!("Error verifying JWT signature. The JWT key is not an RSA public key in PEM form: {e}"),
        )
        .with_action(action::SET_CLERK_JWT_KEY)
    })
}

#[derive(Default)]
struct Cache {
    keys: HashMap<String, DecodingKey>,
    fetched_at: Option<Instant>,
}

struct Instance {
    cache: Mutex<Cache>,
    /// One fetch at a time per instance.
    fetching: tokio::sync::Mutex<()>,
}

static INSTANCES: LazyLock<Mutex<HashMap<String, Arc<Instance>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

fn instance(bapi: &Bapi<'_>) -> Arc<Instance> {
    let scope = format!("{}|{}|{}", bapi.api_url, bapi.api_version, bapi.secret_key);
    let mut all = INSTANCES.lock().unwrap_or_else(|e| e.into_inner());
    all.entry(scope)
        .or_insert_with(|| {
            Arc::new(Instance {
                cache: Mutex::new(Cache::default()),
                fetching: tokio::sync::Mutex::new(()),
            })
        })
        .clone()
}

enum Lookup {
    Hit(DecodingKey),
    /// Fetch: the cache is stale or skipped.
    Stale,
    /// Fetch because the kid is unknown (unless one was fetched very recently).
    Miss {
        recent: bool,
    },
}

fn lookup(cache: &Cache, kid: &str, skip_cache: bool) -> Lookup {
    let fresh = cache.fetched_at.is_some_and(|t| t.elapsed() < TTL);
    if skip_cache || !fresh {
        return Lookup::Stale;
    }
    match cache.keys.get(kid) {
        Some(k) => Lookup::Hit(k.clone()),
        None => Lookup::Miss {
            recent: cache
                .fetched_at
                .is_some_and(|t| t.elapsed() < MISS_INTERVAL),
        },
    }
}

fn kid_mismatch(kid: &str) -> TokenVerificationError {
    TokenVerificationError {
        reason: R::JwkKidMismatch,
        message: format!(
            "Unable to find a signing key in JWKS that matches the kid='{kid}' of the provided session token. Please make sure that the __session cookie or the HTTP authorization header contain a Clerk-generated session JWT."
        ),
        action: Some(
            "Go to your Dashboard and validate your secret and public keys are correct. Contact support@clerk.com if the issue persists.",
        ),
        carrier: None,
    }
}

/// The JWKS key with this `kid`, from the cache or the Backend API.
pub(crate) async fn remote(
    bapi: &Bapi<'_>,
    kid: &str,
    skip_cache: bool,
) -> Result<DecodingKey, TokenVerificationError> {
    let inst = instance(bapi);
    let check = |inst: &Instance| {
        let cache = inst.cache.lock().unwrap_or_else(|e| e.into_inner());
        lookup(&cache, kid, skip_cache)
    };
    match check(&inst) {
        Lookup::Hit(k) => return Ok(k),
        Lookup::Miss { recent: true } => return Err(kid_mismatch(kid)),
        _ => {}
    }
    let _one_fetch = inst.fetching.lock().await;
    // Another task may have fetched while this one waited.
    if !skip_cache {
        match check(&inst) {
            Lookup::Hit(k) => return Ok(k),
            Lookup::Miss { recent: true } => return Err(kid_mismatch(kid)),
            _ => {}
        }
    }
    let jwks = bapi.jwks().await.map_err(|e| match e {
        BapiError::Status { codes, .. } if codes.iter().any(|(c, _)| c == "clerk_key_invalid") => {
            let message = codes
                .iter()
                .find(|(c, _)| c == "clerk_key_invalid")
                .map(|(_, m)| m.clone())
                .unwrap_or_default();
            TokenVerificationError::new(R::SecretKeyInvalid, message)
                .with_action(action::CONTACT_SUPPORT)
        }
        BapiError::Status { status, .. } => TokenVerificationError::new(
            R::JwkRemoteFailedToLoad,
            format!(
                "Error loading Clerk JWKS from {} with code={status}",
                bapi.url("jwks")
            ),
        )
        .with_action(action::CONTACT_SUPPORT),
        BapiError::Network(e) => TokenVerificationError::new(
            R::JwkRemoteFailedToLoad,
            format!("Error loading Clerk JWKS from {}: {e}", bapi.url("jwks")),
        )
        .with_action(action::CONTACT_SUPPORT),
    })?;
    let mut keys = HashMap::new();
    for k in &jwks.keys {
        if k.kty == "RSA"
            && let Ok(key) = DecodingKey::from_rsa_components(&k.n, &k.e)
        {
            keys.insert(k.kid.clone(), key);
        }
    }
    if keys.is_empty() {
        return Err(TokenVerificationError::new(
            R::JwkRemoteFailedToLoad,
            "The JWKS endpoint did not contain any signing keys. Contact support@clerk.com.",
        )
        .with_action(action::CONTACT_SUPPORT));
    }
    let found = keys.get(kid).cloned();
    {
        let mut cache = inst.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.keys = keys;
        cache.fetched_at = Some(Instant::now());
    }
    found.ok_or_else(|| kid_mismatch(kid))
}
