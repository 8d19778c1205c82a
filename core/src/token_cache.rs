//! Session-token cache arithmetic: when a cached token may be handed out, when to refresh
//! it, which of two tokens is fresher. Time is always an argument.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::claims::{ClaimsError, decode_jwt};

/// A token is never handed out with less than this left, whatever the caller's leeway
/// (clerk-js's poller interval).
///
/// ```
/// use clerk_core::token_cache::{MIN_LEEWAY_SECONDS, DEFAULT_LEEWAY_SECONDS};
/// assert!(MIN_LEEWAY_SECONDS <= DEFAULT_LEEWAY_SECONDS);
/// ```
pub const MIN_LEEWAY_SECONDS: i64 = 5;

/// The leeway of `get_token` when the caller gives none.
///
/// ```
/// use clerk_core::token_cache::DEFAULT_LEEWAY_SECONDS;
/// assert_eq!(DEFAULT_LEEWAY_SECONDS, 10);
/// ```
pub const DEFAULT_LEEWAY_SECONDS: i64 = 10;

/// Tokens are refreshed this long before they expire (clerk-js: 15 s + 2 s of margin).
///
/// ```
/// use clerk_core::token_cache::REFRESH_BEFORE_SECONDS;
/// // a 60 s token is refreshed 43 s after it was issued
/// assert_eq!(60 - REFRESH_BEFORE_SECONDS, 43);
/// ```
pub const REFRESH_BEFORE_SECONDS: i64 = 17;

/// The cache key: session, template and organization, joined as clerk-js's `tokenId`.
///
/// ```
/// use clerk_core::token_cache::TokenKey;
/// assert_eq!(TokenKey::new("sess_1", None, Some("org_1")).as_str(), "sess_1-org_1");
/// assert_eq!(TokenKey::new("sess_1", Some("hasura"), None).as_str(), "sess_1-hasura");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TokenKey {
    id: String,
    session_id: String,
}

impl TokenKey {
    /// The key of a session's token, for a template and organization (empty ones are left out).
    pub fn new(session_id: &str, template: Option<&str>, organization_id: Option<&str>) -> Self {
        let id = [Some(session_id), template, organization_id]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        Self {
            id,
            session_id: session_id.to_owned(),
        }
    }

    /// The joined key.
    pub fn as_str(&self) -> &str {
        &self.id
    }

    /// The session part.
    pub fn session_id(&self) -> &str {
        &self.session_id
    }
}

/// A token with the times the cache needs.
///
/// ```
/// use clerk_core::token_cache::CachedToken;
/// let t = CachedToken { jwt: "x".into(), iat: 1000, exp: 1060, oiat: None };
/// let at = |s| chrono::DateTime::from_timestamp(s, 0).unwrap();
/// assert!(t.is_usable(at(1040), 10));
/// assert!(!t.is_usable(at(1052), 10));
/// assert_eq!(t.refresh_at(), at(1043));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CachedToken {
    /// The JWT.
    pub jwt: String,
    /// Issued at (seconds).
    pub iat: i64,
    /// Expires at (seconds).
    pub exp: i64,
    /// Origin issued-at from the header (seconds), if any.
    pub oiat: Option<i64>,
}

impl CachedToken {
    /// Reads `iat`, `exp` and `oiat` from a JWT; tokens without both times cannot be cached.
    pub fn from_jwt(jwt: &str) -> Result<Self, ClaimsError> {
        let (header, payload) = decode_jwt(jwt)?;
        let int = |k: &'static str| {
            payload
                .get(k)
                .and_then(|v| v.as_i64())
                .ok_or(ClaimsError::Missing(k))
        };
        Ok(Self {
            jwt: jwt.to_owned(),
            iat: int("iat")?,
            exp: int("exp")?,
            oiat: header.oiat,
        })
    }

    /// Seconds left before expiry.
    pub fn remaining(&self, now: DateTime<Utc>) -> i64 {
        self.exp - now.timestamp()
    }

    /// Whether the token may be handed out: more than `leeway_seconds` (at least
    /// [`MIN_LEEWAY_SECONDS`]) left.
    pub fn is_usable(&self, now: DateTime<Utc>, leeway_seconds: i64) -> bool {
        self.remaining(now) > leeway_seconds.max(MIN_LEEWAY_SECONDS)
    }

    /// When a background refresh should run.
    pub fn refresh_at(&self) -> DateTime<Utc> {
        let at = (self.exp - REFRESH_BEFORE_SECONDS).max(self.iat);
        DateTime::from_timestamp(at, 0).unwrap_or_default()
    }

    /// Whether this token is fresher than `other`: a later origin issued-at, or on a tie a
    /// later `iat`.
    pub fn is_fresher_than(&self, other: &Self) -> bool {
        let key = |t: &Self| (t.oiat.unwrap_or(t.iat), t.iat);
        key(self) > key(other)
    }
}

/// Tokens by key. Pure: the browser layer adds single-flight requests and timers on top.
///
/// ```
/// use clerk_core::token_cache::{TokenCache, TokenKey, CachedToken};
/// let at = |s| chrono::DateTime::from_timestamp(s, 0).unwrap();
/// let mut cache = TokenCache::default();
/// let key = TokenKey::new("sess_1", None, None);
/// cache.insert(key.clone(), CachedToken { jwt: "a".into(), iat: 0, exp: 60, oiat: None });
/// assert_eq!(cache.get(&key, at(30), 10).map(|t| t.jwt.as_str()), Some("a"));
/// assert!(cache.get(&key, at(55), 10).is_none());
/// assert_eq!(cache.due(at(43)), vec![key]);
/// ```
#[derive(Clone, Debug, Default)]
pub struct TokenCache {
    entries: HashMap<TokenKey, CachedToken>,
}

impl TokenCache {
    /// The token under `key` if it is still usable at `now` with this leeway.
    pub fn get(
        &self,
        key: &TokenKey,
        now: DateTime<Utc>,
        leeway_seconds: i64,
    ) -> Option<&CachedToken> {
        self.entries
            .get(key)
            .filter(|t| t.is_usable(now, leeway_seconds))
    }

    /// The token under `key`, usable or not.
    pub fn peek(&self, key: &TokenKey) -> Option<&CachedToken> {
        self.entries.get(key)
    }

    /// Stores a token unless the one already there is fresher (a late answer never replaces a
    /// newer token). Returns whether it was stored.
    pub fn insert(&mut self, key: TokenKey, token: CachedToken) -> bool {
        match self.entries.get(&key) {
            Some(current) if current.is_fresher_than(&token) => false,
            _ => {
                self.entries.insert(key, token);
                true
            }
        }
    }

    /// Forgets every token.
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// Forgets the tokens of one session.
    pub fn remove_session(&mut self, session_id: &str) {
        self.entries.retain(|k, _| k.session_id != session_id);
    }

    /// Drops expired tokens.
    pub fn evict_expired(&mut self, now: DateTime<Utc>) {
        self.entries.retain(|_, t| t.remaining(now) > 0);
    }

    /// Keys whose refresh time has come (and that have not expired), in key order.
    pub fn due(&self, now: DateTime<Utc>) -> Vec<TokenKey> {
        let mut keys: Vec<TokenKey> = self
            .entries
            .iter()
            .filter(|(_, t)| t.refresh_at() <= now && t.remaining(now) > 0)
            .map(|(k, _)| k.clone())
            .collect();
        keys.sort();
        keys
    }

    /// The earliest refresh time of a live token.
    pub fn next_refresh(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.entries
            .values()
            .filter(|t| t.remaining(now) > 0)
            .map(CachedToken::refresh_at)
            .min()
    }

    /// Number of tokens held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no token is held.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(s, 0).unwrap()
    }

    fn token(jwt: &str, iat: i64, oiat: Option<i64>) -> CachedToken {
        CachedToken {
            jwt: jwt.into(),
            iat,
            exp: iat + 60,
            oiat,
        }
    }

    #[test]
    fn leeway_never_goes_below_the_minimum() {
        let t = token("a", 0, None);
        assert!(t.is_usable(at(54), 0));
        assert!(!t.is_usable(at(55), 0));
        assert!(!t.is_usable(at(55), -100));
        assert!(t.is_usable(at(29), 30));
        assert!(!t.is_usable(at(30), 30));
    }

    #[test]
    fn a_laptop_waking_up_gets_no_expired_token() {
        let mut cache = TokenCache::default();
        let key = TokenKey::new("s", None, None);
        cache.insert(key.clone(), token("a", 0, None));
        // slept through the refresh time and the expiry
        assert!(cache.get(&key, at(3600), 10).is_none());
        assert!(
            cache.due(at(3600)).is_empty(),
            "expired tokens are not refreshed, they are refetched"
        );
        cache.evict_expired(at(3600));
        assert!(cache.is_empty());
    }

    #[test]
    fn late_answers_never_replace_fresher_tokens() {
        let mut cache = TokenCache::default();
        let key = TokenKey::new("s", None, None);
        assert!(cache.insert(key.clone(), token("new", 100, None)));
        assert!(!cache.insert(key.clone(), token("old", 50, None)));
        assert_eq!(cache.peek(&key).unwrap().jwt, "new");
        // origin issued-at wins over iat
        assert!(cache.insert(key.clone(), token("origin-newer", 90, Some(200))));
        assert!(!cache.insert(key.clone(), token("iat-newer", 150, Some(150))));
        assert_eq!(cache.peek(&key).unwrap().jwt, "origin-newer");
    }

    #[test]
    fn sessions_are_forgotten_apart() {
        let mut cache = TokenCache::default();
        cache.insert(TokenKey::new("s1", None, None), token("a", 0, None));
        cache.insert(TokenKey::new("s1", Some("t"), None), token("b", 0, None));
        cache.insert(TokenKey::new("s2", None, None), token("c", 0, None));
        cache.remove_session("s1");
        assert_eq!(cache.len(), 1);
        assert_eq!(cache.next_refresh(at(0)), Some(at(43)));
        cache.clear();
        assert_eq!(cache.next_refresh(at(0)), None);
    }

    #[test]
    fn tokens_without_times_are_not_cacheable() {
        assert!(CachedToken::from_jwt("a.b.c").is_err());
    }
}
