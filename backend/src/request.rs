//! `authenticate_request`: Clerk's decision for one request, step for step with
//! `@clerk/backend`'s `authenticateRequest` (header token; else the cookie flow with the
//! handshake, dev browser, satellites, `__client_uat` and the loop guard).

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use clerk_core::cookies::{self, cookie_suffix};
use clerk_core::key::PublishableKey;
use http::request::Parts;
use http::{HeaderMap, HeaderValue, Method, header};
use serde_json::Value;
use url::Url;

use crate::auth::SessionAuth;
use crate::bapi::BapiError;
use crate::errors::{
    ConfigError, TokenCarrier, TokenVerificationError, TokenVerificationErrorReason as R,
};
use crate::jwt::{self, DecodedJwt};
use crate::state::{AuthReason, RefreshError, RequestState};
use crate::verify::{
    DEFAULT_API_URL, DEFAULT_API_VERSION, DEFAULT_CLOCK_SKEW, VerifiedToken, VerifyTokenOptions,
    key_for, non_session_category, verify_decoded, verify_token,
};

/// The Backend API version Clerk's handshake asks FAPI for.
const SUPPORTED_BAPI_VERSION: &str = "2026-05-12";

/// Everything `authenticate_request` needs: the instance's keys and Clerk's options.
///
/// ```
/// use clerk_backend::AuthenticateRequestOptions;
/// let mut opts = AuthenticateRequestOptions::new("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k", "sk_test_xyz");
/// opts.authorized_parties = vec!["http://localhost:3000".into()];
/// opts.proxy_url = Some("http://127.0.0.1:4010".into());
/// assert!(opts.validate().is_ok());
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub struct AuthenticateRequestOptions {
    /// `pk_test_…` (development) or `pk_live_…` (production) (`CLERK_PUBLISHABLE_KEY`).
    pub publishable_key: String,
    /// `sk_…` (`CLERK_SECRET_KEY`): fetches the JWKS and handshake payloads.
    pub secret_key: Option<String>,
    /// A PEM public key (`CLERK_JWT_KEY`): networkless token verification.
    pub jwt_key: Option<String>,
    /// The Backend API (`CLERK_API_URL`).
    pub api_url: String,
    /// `v1` (`CLERK_API_VERSION`).
    pub api_version: String,
    /// The Frontend API proxy (`CLERK_PROXY_URL`); a path such as `/__clerk` is resolved
    /// against the request's public origin. The handshake redirects there.
    pub proxy_url: Option<String>,
    /// A satellite's domain (`CLERK_DOMAIN`).
    pub domain: Option<String>,
    /// Whether this app is a satellite (`CLERK_IS_SATELLITE`).
    pub is_satellite: bool,
    /// The sign-in page (`CLERK_SIGN_IN_URL`); a satellite's is on the primary domain.
    pub sign_in_url: Option<String>,
    /// The sign-up page (`CLERK_SIGN_UP_URL`).
    pub sign_up_url: Option<String>,
    /// Origins allowed in `azp`. Set it: it refuses tokens minted for other sites.
    pub authorized_parties: Vec<String>,
    /// Accepted `aud` values.
    pub audience: Vec<String>,
    /// The expected `iss` (not checked when `None`, as Clerk's default).
    pub issuer: Option<String>,
    /// Tolerance for `exp`, `nbf`, `iat` (5 s).
    pub clock_skew: Duration,
    /// Fetch the JWKS on every request.
    pub skip_jwks_cache: bool,
    /// Satellites: sync on a signed-out first visit too (Clerk's `satelliteAutoSync`).
    pub satellite_auto_sync: bool,
    /// The time to decide at; `None`: the system clock. Set in tests.
    pub now: Option<SystemTime>,
}

impl std::fmt::Debug for AuthenticateRequestOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthenticateRequestOptions")
            .field("publishable_key", &self.publishable_key)
            .field("secret_key", &self.secret_key.as_deref().map(crate::redact))
            .field("jwt_key", &self.jwt_key.as_deref().map(crate::redact))
            .field("api_url", &self.api_url)
            .field("proxy_url", &self.proxy_url)
            .field("domain", &self.domain)
            .field("is_satellite", &self.is_satellite)
            .field("sign_in_url", &self.sign_in_url)
            .field("authorized_parties", &self.authorized_parties)
            .finish_non_exhaustive()
    }
}

impl AuthenticateRequestOptions {
    /// Options for an instance's publishable and secret key; everything else Clerk's defaults.
    pub fn new(publishable_key: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Self {
            publishable_key: publishable_key.into(),
            secret_key: Some(secret_key.into()),
            jwt_key: None,
            api_url: DEFAULT_API_URL.to_owned(),
            api_version: DEFAULT_API_VERSION.to_owned(),
            proxy_url: None,
            domain: None,
            is_satellite: false,
            sign_in_url: None,
            sign_up_url: None,
            authorized_parties: Vec::new(),
            audience: Vec::new(),
            issuer: None,
            clock_skew: DEFAULT_CLOCK_SKEW,
            skip_jwks_cache: false,
            satellite_auto_sync: false,
            now: None,
        }
    }

    /// From Clerk's environment variables: `CLERK_PUBLISHABLE_KEY`, `CLERK_SECRET_KEY`,
    /// `CLERK_JWT_KEY`, `CLERK_API_URL`, `CLERK_API_VERSION`, `CLERK_PROXY_URL`,
    /// `CLERK_DOMAIN`, `CLERK_IS_SATELLITE`, `CLERK_SIGN_IN_URL`, `CLERK_SIGN_UP_URL`, and
    /// `CLERK_AUTHORIZED_PARTIES` (comma-separated).
    ///
    /// ```no_run
    /// let opts = clerk_backend::AuthenticateRequestOptions::from_env()?;
    /// # Ok::<(), clerk_backend::ConfigError>(())
    /// ```
    pub fn from_env() -> Result<Self, ConfigError> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let mut o = Self::new(var("CLERK_PUBLISHABLE_KEY").unwrap_or_default(), "");
        o.secret_key = var("CLERK_SECRET_KEY");
        o.jwt_key = var("CLERK_JWT_KEY");
        if let Some(u) = var("CLERK_API_URL") {
            o.api_url = u;
        }
        if let Some(v) = var("CLERK_API_VERSION") {
            o.api_version = v;
        }
        o.proxy_url = var("CLERK_PROXY_URL");
        o.domain = var("CLERK_DOMAIN");
        o.is_satellite = var("CLERK_IS_SATELLITE").is_some_and(|v| v == "true" || v == "1");
        o.sign_in_url = var("CLERK_SIGN_IN_URL");
        o.sign_up_url = var("CLERK_SIGN_UP_URL");
        o.authorized_parties = var("CLERK_AUTHORIZED_PARTIES")
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        o.validate()?;
        Ok(o)
    }

    /// The checks Clerk makes before authenticating (it throws; this returns the error).
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.validate_for(None)
    }

    fn validate_for(&self, origin: Option<&str>) -> Result<(), ConfigError> {
        match self.secret_key.as_deref() {
            None | Some("") => return Err(ConfigError::MissingSecretKey),
            Some(k) if !k.starts_with("sk_") => return Err(ConfigError::InvalidSecretKey),
            _ => {}
        }
        let key = PublishableKey::parse(&self.publishable_key)?;
        if self.is_satellite {
            match self.sign_in_url.as_deref() {
                None if key.is_development() => return Err(ConfigError::SatelliteWithoutSignInUrl),
                Some(url) if origin.is_some() => {
                    let parsed = Url::parse(url).map_err(|_| ConfigError::SatelliteSignInUrl)?;
                    if Some(parsed.origin().ascii_serialization().as_str()) == origin {
                        return Err(ConfigError::SatelliteSignInUrl);
                    }
                }
                _ => {}
            }
            if self.proxy_url.as_deref().unwrap_or_default().is_empty()
                && self.domain.as_deref().unwrap_or_default().is_empty()
            {
                return Err(ConfigError::SatelliteWithoutDomain);
            }
        }
        Ok(())
    }

    /// The token-verification part of these options.
    pub fn verify_options(&self) -> VerifyTokenOptions {
        VerifyTokenOptions {
            jwt_key: self.jwt_key.clone(),
            secret_key: self.secret_key.clone(),
            api_url: self.api_url.clone(),
            api_version: self.api_version.clone(),
            authorized_parties: self.authorized_parties.clone(),
            audience: self.audience.clone(),
            issuer: self.issuer.clone(),
            clock_skew: self.clock_skew,
            skip_jwks_cache: self.skip_jwks_cache,
            now: self.now,
        }
    }
}

// ---- the request, as Clerk reads it --------------------------------------------------------

/// Clerk's cookie parsing (the npm `cookie` package, 1.x): `;`-separated `name=value`, spaces
/// and tabs trimmed, the first of a name wins, values percent-decoded when they can be.
pub(crate) fn parse_cookies(header: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let s = header;
    let len = s.len();
    if len < 2 {
        return out;
    }
    let trim = |v: &str| v.trim_matches([' ', '\t']).to_owned();
    let mut index = 0;
    while index < len {
        let Some(eq) = s[index..].find('=').map(|i| i + index) else {
            break;
        };
        let end = s[index..].find(';').map_or(len, |i| i + index);
        if eq > end {
            index = s[..eq].rfind(';').map_or(0, |i| i + 1);
            continue;
        }
        let key = trim(&s[index..eq]);
        if let std::collections::hash_map::Entry::Vacant(slot) = out.entry(key) {
            let raw = trim(&s[eq + 1..end]);
            let value = if raw.contains('%') && strict_percent_escapes(&raw) {
                percent_encoding::percent_decode_str(&raw)
                    .decode_utf8()
                    .map_or(raw.clone(), |v| v.into_owned())
            } else {
                raw
            };
            slot.insert(value);
        }
        index = end + 1;
    }
    out
}

/// Whether every `%` starts a `%XX` escape (`decodeURIComponent` throws otherwise).
fn strict_percent_escapes(s: &str) -> bool {
    let b = s.as_bytes();
    (0..b.len()).filter(|&i| b[i] == b'%').all(|i| {
        b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
    })
}

/// `parseInt(v) || 0`.
fn parse_int_js(v: &str) -> i64 {
    let t = v.trim_start();
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let n: String = digits.chars().take_while(char::is_ascii_digit).collect();
    let value = n
        .parse::<i64>()
        .unwrap_or(if n.is_empty() { 0 } else { i64::MAX });
    if neg { -value } else { value }
}

/// `Number(v) || 0`, for the loop counter.
fn number_js(v: &str) -> f64 {
    let t = v.trim();
    if t.is_empty() {
        return 0.0;
    }
    t.parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
        .unwrap_or(0.0)
}

fn js_number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// `URLSearchParams.delete` for several names: the query is re-serialised, and dropped when
/// empty.
fn delete_params(url: &mut Url, names: &[&str]) {
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !names.contains(&k.as_ref()))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    set_pairs(url, &kept);
}

fn set_pairs(url: &mut Url, pairs: &[(String, String)]) {
    if pairs.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
}

fn set_param(url: &mut Url, name: &str, value: &str) {
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if let Some(i) = pairs.iter().position(|(k, _)| k == name) {
        pairs[i].1 = value.to_owned();
        let mut seen = false;
        pairs.retain(|(k, _)| {
            if k != name {
                return true;
            }
            let keep = !seen;
            seen = true;
            keep
        });
    } else {
        pairs.push((name.to_owned(), value.to_owned()));
    }
    set_pairs(url, &pairs);
}

fn append_param(url: &mut Url, name: &str, value: &str) {
    url.query_pairs_mut().append_pair(name, value);
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty())
}

/// The public URL of the request, rebuilt from `x-forwarded-proto` / `x-forwarded-host`
/// (first values) or `Host`, as Clerk's `ClerkRequest` does.
fn clerk_url(parts: &Parts) -> Url {
    let headers = &parts.headers;
    let host = header_text(headers, "host");
    let initial = match (parts.uri.scheme_str(), parts.uri.authority()) {
        (Some(s), Some(a)) => format!("{s}://{a}{}", path_and_query(parts)),
        _ => format!(
            "http://{}{}",
            host.unwrap_or("localhost"),
            path_and_query(parts)
        ),
    };
    let Ok(initial) = Url::parse(&initial) else {
        return Url::parse("http://localhost/").expect("a valid URL");
    };
    let first = |v: &str| v.split(',').next().unwrap_or_default().to_owned();
    let resolved_host = header_text(headers, "x-forwarded-host")
        .map(first)
        .or(host.map(str::to_owned));
    let resolved_proto = header_text(headers, "x-forwarded-proto")
        .map(first)
        .unwrap_or_else(|| initial.scheme().to_owned());
    let Some(resolved_host) = resolved_host else {
        return initial;
    };
    let origin = format!("{resolved_proto}://{resolved_host}");
    if origin == initial.origin().ascii_serialization() {
        return initial;
    }
    Url::parse(&origin)
        .and_then(|base| base.join(&path_and_query(parts)))
        .unwrap_or(initial)
}

fn path_and_query(parts: &Parts) -> String {
    parts
        .uri
        .path_and_query()
        .map_or_else(|| "/".to_owned(), |pq| pq.as_str().to_owned())
}

/// What Clerk's `AuthenticateContext` derives from the options and the request.
struct Context<'a> {
    opts: &'a AuthenticateRequestOptions,
    verify: VerifyTokenOptions,
    development: bool,
    /// The Frontend API: the proxy URL, `clerk.<domain>` for a production satellite, or the
    /// key's host.
    frontend_api: String,
    original_frontend_api: String,
    suffix: String,
    url: Url,
    method: Method,
    token_in_header: Option<String>,
    referrer: Option<String>,
    sec_fetch_dest: Option<String>,
    accept: Option<String>,
    headers: HeaderMap,
    cookies: HashMap<String, String>,
    suffixed: bool,
    session_token_in_cookie: Option<String>,
    refresh_token: Option<String>,
    client_uat: i64,
    dev_browser: Option<String>,
    handshake_token: Option<String>,
    handshake_nonce: Option<String>,
    redirect_count: f64,
    now_ms: f64,
    /// The plain and the suffixed `__session`, decoded once.
    plain_session: Option<Result<DecodedJwt, TokenVerificationError>>,
    suffixed_session: Option<Result<DecodedJwt, TokenVerificationError>>,
}

fn iat_of(decoded: Option<&Result<DecodedJwt, TokenVerificationError>>) -> f64 {
    decoded
        .and_then(|r| r.as_ref().ok())
        .and_then(|j| j.payload.get("iat").and_then(Value::as_f64))
        .unwrap_or(0.0)
}

fn strip_scheme_everywhere(s: &str) -> String {
    let mut out = s.to_owned();
    for scheme in ["https://", "http://"] {
        loop {
            let lower = out.to_ascii_lowercase();
            let Some(i) = lower.find(scheme) else { break };
            out.replace_range(i..i + scheme.len(), "");
        }
    }
    out
}

impl<'a> Context<'a> {
    fn new(parts: &Parts, opts: &'a AuthenticateRequestOptions, key: &PublishableKey) -> Self {
        let url = clerk_url(parts);
        let headers = &parts.headers;
        let text = |n: &str| header_text(headers, n).map(str::to_owned);
        let proxy_url = opts
            .proxy_url
            .as_deref()
            .filter(|p| !p.is_empty())
            .map(|p| {
                if p.starts_with('/') {
                    format!("{}{p}", url.origin().ascii_serialization())
                } else {
                    p.to_owned()
                }
            });
        let development = key.is_development();
        let satellite_domain = opts
            .domain
            .as_deref()
            .filter(|d| !d.is_empty() && opts.is_satellite && !development);
        let original_frontend_api = match satellite_domain {
            Some(d) => format!("clerk.{d}"),
            None => key.frontend_api().to_owned(),
        };
        let frontend_api = proxy_url.unwrap_or_else(|| original_frontend_api.clone());
        let cookie_header = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join("; ");
        let mut verify = opts.verify_options();
        let now_ms = verify.now_ms();
        verify.now = Some(opts.now.unwrap_or_else(SystemTime::now));
        let mut ctx = Self {
            opts,
            verify,
            development,
            frontend_api,
            original_frontend_api,
            suffix: cookie_suffix(&opts.publishable_key),
            method: parts.method.clone(),
            token_in_header: parse_authorization(header_text(headers, "authorization")),
            referrer: text("referer"),
            sec_fetch_dest: text("sec-fetch-dest"),
            accept: text("accept"),
            headers: headers.clone(),
            cookies: parse_cookies(&cookie_header),
            url,
            suffixed: false,
            session_token_in_cookie: None,
            refresh_token: None,
            client_uat: 0,
            dev_browser: None,
            handshake_token: None,
            handshake_nonce: None,
            redirect_count: 0.0,
            now_ms,
            plain_session: None,
            suffixed_session: None,
        };
        ctx.plain_session = ctx.cookie(cookies::SESSION).map(|t| jwt::decode(&t));
        ctx.suffixed_session = ctx
            .suffixed_cookie(cookies::SESSION)
            .map(|t| jwt::decode(&t));
        ctx.suffixed = ctx.uses_suffixed_cookies();
        ctx.session_token_in_cookie = ctx.either_cookie(cookies::SESSION);
        ctx.refresh_token = ctx.suffixed_cookie(cookies::REFRESH);
        ctx.client_uat = ctx
            .either_cookie(cookies::CLIENT_UAT)
            .map_or(0, |v| parse_int_js(&v));
        ctx.dev_browser = ctx
            .query(cookies::DEV_BROWSER)
            .or_else(|| ctx.either_cookie(cookies::DEV_BROWSER));
        ctx.handshake_token = ctx
            .query(cookies::HANDSHAKE)
            .or_else(|| ctx.cookie(cookies::HANDSHAKE));
        ctx.redirect_count = ctx
            .cookie(cookies::REDIRECT_COUNT)
            .map_or(0.0, |v| number_js(&v));
        ctx.handshake_nonce = ctx
            .query(cookies::HANDSHAKE_NONCE)
            .or_else(|| ctx.cookie(cookies::HANDSHAKE_NONCE));
        ctx
    }

    fn query(&self, name: &str) -> Option<String> {
        self.url
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .filter(|v| !v.is_empty())
    }

    fn has_query(&self, name: &str) -> bool {
        self.url.query_pairs().any(|(k, _)| k == name)
    }

    fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.get(name).filter(|v| !v.is_empty()).cloned()
    }

    fn suffixed_cookie(&self, name: &str) -> Option<String> {
        self.cookie(&cookies::suffixed(name, &self.suffix))
    }

    fn either_cookie(&self, name: &str) -> Option<String> {
        if self.suffixed {
            self.suffixed_cookie(name)
        } else {
            self.cookie(name)
        }
    }

    /// The session cookie Clerk reads, decoded.
    fn decoded_session_cookie(&self) -> Result<DecodedJwt, TokenVerificationError> {
        let chosen = if self.suffixed {
            &self.suffixed_session
        } else {
            &self.plain_session
        };
        chosen.clone().unwrap_or_else(|| {
            Err(TokenVerificationError::new(
                R::TokenInvalid,
                "no session cookie",
            ))
        })
    }

    /// Clerk's `usesSuffixedCookies()`, rule for rule.
    fn uses_suffixed_cookies(&self) -> bool {
        let suffixed_uat = self.suffixed_cookie(cookies::CLIENT_UAT);
        let uat = self.cookie(cookies::CLIENT_UAT);
        let suffixed_session = self.suffixed_session.as_ref();
        let session = self.plain_session.as_ref();
        if let Some(decoded) = session {
            let decoded = decoded.as_ref().ok();
            let iss = decoded.and_then(|j| j.payload.get("iss"));
            let has_issuer = iss.is_some_and(|v| match v {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::Number(n) => n.as_f64() != Some(0.0),
                Value::String(s) => !s.is_empty(),
                _ => true,
            });
            if !has_issuer {
                return false;
            }
            let belongs = iss
                .and_then(Value::as_str)
                .is_some_and(|i| strip_scheme_everywhere(i) == self.original_frontend_api);
            if !belongs {
                return true;
            }
        }
        if suffixed_uat.is_none() && suffixed_session.is_none() {
            return false;
        }
        let session_iat = iat_of(session);
        let suffixed_iat = iat_of(suffixed_session);
        let is_zero = |v: &Option<String>| v.as_deref() == Some("0");
        if !is_zero(&suffixed_uat) && !is_zero(&uat) && session_iat > suffixed_iat {
            return false;
        }
        if is_zero(&suffixed_uat) && !is_zero(&uat) {
            return false;
        }
        if self.development {
            let now_s = (self.now_ms / 1000.0).trunc();
            let expired = suffixed_session
                .and_then(|r| r.as_ref().ok())
                .is_some_and(|j| {
                    j.payload
                        .get("exp")
                        .and_then(Value::as_f64)
                        .is_some_and(|e| e <= now_s)
                });
            if !is_zero(&suffixed_uat) && is_zero(&uat) && expired {
                return false;
            }
        }
        if suffixed_uat.is_none() && suffixed_session.is_some() {
            return false;
        }
        true
    }

    fn origin_text(&self) -> String {
        self.url.origin().ascii_serialization()
    }

    fn is_cross_origin_referrer(&self) -> bool {
        self.referrer
            .as_deref()
            .and_then(|r| Url::parse(r).ok())
            .is_some_and(|r| r.origin().ascii_serialization() != self.origin_text())
    }

    fn is_known_clerk_referrer(&self) -> bool {
        let Some(referrer) = self.referrer.as_deref().and_then(|r| Url::parse(r).ok()) else {
            return false;
        };
        let host = referrer.host_str().unwrap_or_default();
        let fapi_host = if self.frontend_api.starts_with("http") {
            Url::parse(&self.frontend_api)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned))
                .unwrap_or_default()
        } else {
            self.frontend_api.clone()
        };
        if !fapi_host.is_empty() && host == fapi_host {
            return true;
        }
        if self.development {
            let legacy = [".lcl.dev", ".lclstage.dev", ".lclclerk.com"];
            let current = [
                ".accounts.dev",
                ".accountsstage.dev",
                ".accounts.lclclerk.com",
            ];
            if legacy
                .iter()
                .any(|s| host.starts_with("accounts.") && host.ends_with(s))
                || current
                    .iter()
                    .any(|s| host.ends_with(s) && !host.ends_with(&format!(".clerk{s}")))
            {
                return true;
            }
        }
        let accounts = format!("https://{}", accounts_host(&self.frontend_api));
        Url::parse(&accounts).is_ok_and(|a| {
            a.origin().ascii_serialization() == referrer.origin().ascii_serialization()
        })
    }

    fn eligible_for_handshake(&self) -> bool {
        if self.method != Method::GET {
            return false;
        }
        match self.sec_fetch_dest.as_deref() {
            Some("document") | Some("iframe") => true,
            None => self
                .accept
                .as_deref()
                .is_some_and(|a| a.starts_with("text/html")),
            Some(_) => false,
        }
    }

    fn is_document_get(&self) -> bool {
        self.sec_fetch_dest.as_deref() == Some("document") && self.method == Method::GET
    }

    /// `buildRedirectToHandshake`: the FAPI handshake URL for this request.
    fn handshake_location(&self, reason: &AuthReason) -> Option<String> {
        let mut redirect = self.url.clone();
        delete_params(&mut redirect, &[cookies::DEV_BROWSER, "__dev_session"]);
        let base = if self.frontend_api.starts_with("http") {
            self.frontend_api.clone()
        } else {
            format!("https://{}", self.frontend_api)
        };
        let base = format!("{}/", base.trim_end_matches('/'));
        let mut url = Url::parse(&base).ok()?.join("v1/client/handshake").ok()?;
        append_param(&mut url, "redirect_url", redirect.as_str());
        append_param(&mut url, "__clerk_api_version", SUPPORTED_BAPI_VERSION);
        append_param(
            &mut url,
            "suffixed_cookies",
            if self.suffixed { "true" } else { "false" },
        );
        append_param(&mut url, "__clerk_hs_reason", &reason.to_string());
        append_param(&mut url, "format", "nonce");
        if let Some(token) = self
            .session_token_in_cookie
            .as_deref()
            .or(self.token_in_header.as_deref())
        {
            append_param(&mut url, cookies::SESSION, token);
        }
        if self.development
            && let Some(db) = &self.dev_browser
        {
            append_param(&mut url, cookies::DEV_BROWSER, db);
        }
        Some(url.to_string())
    }

    /// `handleMaybeHandshakeStatus`.
    fn maybe_handshake(
        &self,
        reason: AuthReason,
        message: String,
        location: Option<String>,
    ) -> RequestState {
        if !self.eligible_for_handshake() {
            return RequestState::signed_out(reason, message, HeaderMap::new());
        }
        let Some(location) = location.or_else(|| self.handshake_location(&reason)) else {
            return RequestState::signed_out(
                AuthReason::UnexpectedError,
                message,
                HeaderMap::new(),
            );
        };
        let mut headers = HeaderMap::new();
        if let Ok(v) = HeaderValue::from_str(&location) {
            headers.insert(header::LOCATION, v);
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
        if self.redirect_count == 3.0 {
            return RequestState::signed_out(reason, message, HeaderMap::new());
        }
        let next = js_number_text(self.redirect_count + 1.0);
        if let Ok(v) = HeaderValue::from_str(&format!(
            "{}={next}; SameSite=Lax; HttpOnly; Max-Age=2",
            cookies::REDIRECT_COUNT
        )) {
            headers.append(header::SET_COOKIE, v);
        }
        RequestState::handshake(reason, message, headers)
    }
}

#[cfg(feature = "axum")]
/// The request's public URL (from `x-forwarded-*` or `Host`).
pub(crate) fn public_url(parts: &Parts) -> Url {
    clerk_url(parts)
}

#[cfg(feature = "axum")]
/// `buildAccountsBaseUrl`: `https://accounts.<domain>` of a Frontend API host.
pub(crate) fn accounts_base_url(frontend_api: &str) -> String {
    format!("https://{}", accounts_host(frontend_api))
}

#[cfg(feature = "axum")]
/// The dev-browser token of a request (query, else the cookie Clerk would read).
pub(crate) fn dev_browser_of(parts: &Parts, opts: &AuthenticateRequestOptions) -> Option<String> {
    let key = PublishableKey::parse(&opts.publishable_key).ok()?;
    Context::new(parts, opts, &key).dev_browser
}

/// `buildAccountsBaseUrl` without the scheme.
fn accounts_host(frontend_api: &str) -> String {
    if frontend_api.contains("clerk.accountsstage.") {
        return frontend_api.replacen("clerk.accountsstage.", "accountsstage.", 1);
    }
    if let Some(i) = frontend_api.find("clerk.accounts.") {
        let mut s = frontend_api.to_owned();
        s.replace_range(i..i + "clerk.accounts.".len(), "accounts.");
        return s;
    }
    frontend_api.replacen("clerk.", "accounts.", 1)
}

/// Clerk's `parseAuthorizationHeader`: `Bearer <t>` → `t`; a value without a space is the
/// token itself; any other scheme gives none.
fn parse_authorization(value: Option<&str>) -> Option<String> {
    let value = value?;
    let mut parts = value.split(' ');
    let scheme = parts.next().unwrap_or_default();
    match parts.next() {
        None | Some("") => Some(scheme.to_owned()).filter(|s| !s.is_empty()),
        Some(token) if scheme == "Bearer" => Some(token.to_owned()),
        Some(_) => None,
    }
}

fn is_machine_jwt(token: &str, decoded: Option<&DecodedJwt>) -> bool {
    if !jwt::is_jwt_format(token) {
        return false;
    }
    let Some(j) = decoded else {
        return false;
    };
    let oauth = matches!(
        j.header.get("typ").and_then(Value::as_str),
        Some("at+jwt") | Some("application/at+jwt")
    );
    let m2m = j
        .payload
        .get("sub")
        .and_then(Value::as_str)
        .is_some_and(|s| s.starts_with("mch_"));
    oauth || m2m
}

fn has_non_session_category(decoded: Option<&DecodedJwt>) -> bool {
    decoded.is_some_and(|j| non_session_category(&j.header))
}

/// `getCookieName` / `getCookieValue` of a `Set-Cookie` directive.
fn directive_name_value(directive: &str) -> (&str, &str) {
    let pair = directive.split(';').next().unwrap_or_default();
    let mut it = pair.split('=');
    (it.next().unwrap_or_default(), it.next().unwrap_or_default())
}

fn session_of(verified: VerifiedToken) -> Result<SessionAuth, TokenVerificationError> {
    verified
        .into_session_claims()
        .map(SessionAuth::from_claims)
        .map_err(|e| {
            TokenVerificationError::new(R::TokenInvalid, format!("Invalid session token: {e}."))
        })
}

async fn verify_session(
    token: &str,
    options: &VerifyTokenOptions,
) -> Result<SessionAuth, TokenVerificationError> {
    session_of(verify_token(token, options).await?)
}

async fn verify_decoded_session(
    token: &str,
    decoded: DecodedJwt,
    options: &VerifyTokenOptions,
) -> Result<SessionAuth, TokenVerificationError> {
    session_of(verify_decoded(token, decoded, options).await?)
}

/// Authenticates one request as Clerk's `authenticateRequest` does (with `acceptsToken:
/// 'session_token'`): never fails; a configuration error is a signed-out state with
/// `unexpected-error` and the error as message (check with
/// [`AuthenticateRequestOptions::validate`] at startup).
///
/// ```
/// # async fn demo() {
/// use clerk_backend::{authenticate_request, AuthStatus, AuthenticateRequestOptions};
/// let opts = AuthenticateRequestOptions::new("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k", "sk_test_x");
/// let (parts, ()) = http::Request::get("http://localhost:3000/api/me").body(()).unwrap().into_parts();
/// let state = authenticate_request(&parts, &opts).await;
/// assert_eq!(state.status, AuthStatus::SignedOut);
/// assert_eq!(state.reason.unwrap().to_string(), "dev-browser-missing");
/// # }
/// ```
pub async fn authenticate_request(
    parts: &Parts,
    options: &AuthenticateRequestOptions,
) -> RequestState {
    let origin = header_text(&parts.headers, "origin");
    let key = match options
        .validate_for(origin)
        .and_then(|()| PublishableKey::parse(&options.publishable_key).map_err(ConfigError::from))
    {
        Ok(k) => k,
        Err(e) => {
            return RequestState::signed_out(
                AuthReason::UnexpectedError,
                e.to_string(),
                HeaderMap::new(),
            );
        }
    };
    let ctx = Context::new(parts, options, &key);
    if let Some(token) = ctx.token_in_header.clone() {
        return with_token_in_header(&ctx, &token).await;
    }
    with_token_in_cookie(&ctx).await
}

async fn with_token_in_header(ctx: &Context<'_>, token: &str) -> RequestState {
    let decoded = jwt::decode(token);
    if is_machine_jwt(token, decoded.as_ref().ok())
        || has_non_session_category(decoded.as_ref().ok())
    {
        return RequestState::signed_out(
            AuthReason::TokenTypeMismatch,
            String::new(),
            HeaderMap::new(),
        );
    }
    let verified = match decoded {
        Ok(d) => verify_decoded_session(token, d, &ctx.verify).await,
        Err(e) => Err(e),
    };
    match verified {
        Ok(session) => RequestState::signed_in(session, HeaderMap::new()),
        Err(e) => session_token_error(ctx, e, TokenCarrier::Header).await,
    }
}

async fn with_token_in_cookie(ctx: &Context<'_>) -> RequestState {
    let has_active_client = ctx.client_uat != 0;
    let has_session_token = ctx.session_token_in_cookie.is_some();
    if ctx.handshake_nonce.is_some() || ctx.handshake_token.is_some() {
        match resolve_handshake(ctx).await {
            Ok(state) => return state,
            Err(HandshakeFailure::Token(e)) if ctx.development => {
                // Clerk throws here ("mismatched keys"); this answers signed out instead.
                let message = if e.reason == R::TokenInvalidSignature {
                    "Clerk: Handshake token verification failed due to an invalid signature. If you have switched Clerk keys locally, clear your cookies and try again.".to_owned()
                } else {
                    format!(
                        "Clerk: Handshake token verification failed: {}.",
                        e.full_message()
                    )
                };
                return RequestState::signed_out(
                    AuthReason::Token(e.reason),
                    message,
                    HeaderMap::new(),
                );
            }
            Err(_) => {} // Clerk logs and goes on with the cookies it has
        }
    }
    let multi_domain = ctx.opts.is_satellite && ctx.is_document_get();
    let synced = ctx
        .url
        .query_pairs()
        .find(|(k, _)| k == "__clerk_synced")
        .map(|(_, v)| v.into_owned());
    let needs_sync = synced.as_deref() == Some("false");
    let sync_done = synced.as_deref() == Some("true");
    let has_cookies = has_session_token || has_active_client;
    let skip_satellite = !ctx.opts.satellite_auto_sync && !has_cookies && !needs_sync;
    if multi_domain && !sync_done {
        if skip_satellite {
            return RequestState::signed_out(
                AuthReason::SessionTokenAndUatMissing,
                String::new(),
                HeaderMap::new(),
            );
        }
        if !has_cookies || needs_sync {
            if !ctx.development {
                return ctx.maybe_handshake(AuthReason::SatelliteNeedsSyncing, String::new(), None);
            }
            let sign_in = ctx
                .opts
                .sign_in_url
                .as_deref()
                .and_then(|u| Url::parse(u).ok());
            let Some(mut sign_in) = sign_in else {
                return RequestState::signed_out(
                    AuthReason::UnexpectedError,
                    ConfigError::SatelliteSignInUrl.to_string(),
                    HeaderMap::new(),
                );
            };
            append_param(&mut sign_in, "__clerk_redirect_url", ctx.url.as_str());
            return ctx.maybe_handshake(
                AuthReason::SatelliteNeedsSyncing,
                String::new(),
                Some(sign_in.to_string()),
            );
        }
    }
    if ctx.development
        && !ctx.opts.is_satellite
        && let Some(back) = ctx.query("__clerk_redirect_url")
    {
        let Ok(mut back) = Url::parse(&back) else {
            return RequestState::signed_out(
                AuthReason::UnexpectedError,
                "Invalid __clerk_redirect_url".into(),
                HeaderMap::new(),
            );
        };
        if let Some(db) = &ctx.dev_browser {
            append_param(&mut back, cookies::DEV_BROWSER, db);
        }
        set_param(&mut back, "__clerk_synced", "true");
        return ctx.maybe_handshake(
            AuthReason::PrimaryRespondsToSyncing,
            String::new(),
            Some(back.to_string()),
        );
    }
    if ctx.development && ctx.has_query(cookies::DEV_BROWSER) {
        return ctx.maybe_handshake(AuthReason::DevBrowserSync, String::new(), None);
    }
    if ctx.development && ctx.dev_browser.is_none() {
        return ctx.maybe_handshake(AuthReason::DevBrowserMissing, String::new(), None);
    }
    if !has_active_client && !has_session_token {
        return RequestState::signed_out(
            AuthReason::SessionTokenAndUatMissing,
            String::new(),
            HeaderMap::new(),
        );
    }
    if !has_active_client && has_session_token {
        return ctx.maybe_handshake(AuthReason::SessionTokenButNoClientUat, String::new(), None);
    }
    let Some(token) = ctx.session_token_in_cookie.clone() else {
        return ctx.maybe_handshake(AuthReason::ClientUatButNoSessionToken, String::new(), None);
    };
    let decoded = match ctx.decoded_session_cookie() {
        Ok(d) => d,
        Err(e) => return session_token_error(ctx, e, TokenCarrier::Cookie).await,
    };
    if is_machine_jwt(&token, Some(&decoded)) || non_session_category(&decoded.header) {
        return RequestState::signed_out(
            AuthReason::TokenTypeMismatch,
            String::new(),
            HeaderMap::new(),
        );
    }
    let iat = decoded.payload.get("iat").and_then(Value::as_f64);
    if iat.is_some_and(|iat| iat < ctx.client_uat as f64) {
        return ctx.maybe_handshake(
            AuthReason::SessionTokenIatBeforeClientUat,
            String::new(),
            None,
        );
    }
    let session = match verify_decoded_session(&token, decoded, &ctx.verify).await {
        Ok(s) => s,
        Err(e) => return session_token_error(ctx, e, TokenCarrier::Cookie).await,
    };
    let cross_domain = !ctx.opts.is_satellite
        && ctx.is_document_get()
        && ctx.is_cross_origin_referrer()
        && !ctx.is_known_clerk_referrer()
        && ctx.redirect_count == 0.0;
    if cross_domain {
        return ctx.maybe_handshake(
            AuthReason::PrimaryDomainCrossOriginSync,
            "Cross-origin request from satellite domain requires handshake".into(),
            None,
        );
    }
    RequestState::signed_in(session, HeaderMap::new())
}

/// `handleSessionTokenError`.
async fn session_token_error(
    ctx: &Context<'_>,
    mut err: TokenVerificationError,
    carrier: TokenCarrier,
) -> RequestState {
    let refresh_error = if err.reason == R::TokenExpired
        && ctx.refresh_token.is_some()
        && ctx.method == Method::GET
    {
        match refresh(ctx).await {
            Ok((session, headers)) => return RequestState::signed_in(session, headers),
            Err(e) => Some(e),
        }
    } else if ctx.method != Method::GET {
        Some(RefreshError::NonEligibleNonGet)
    } else if ctx.refresh_token.is_none() {
        Some(RefreshError::NonEligibleNoRefreshCookie)
    } else {
        None
    };
    err.carrier = Some(carrier);
    let reason = match err.reason {
        R::TokenExpired => Some(AuthReason::SessionTokenExpired(
            refresh_error.unwrap_or(RefreshError::UnexpectedSdkError),
        )),
        R::TokenNotActiveYet => Some(AuthReason::SessionTokenNbf),
        R::TokenIatInTheFuture => Some(AuthReason::SessionTokenIatInTheFuture),
        _ => None,
    };
    match reason {
        Some(reason) => ctx.maybe_handshake(reason, err.full_message(), None),
        None => RequestState::signed_out(
            AuthReason::Token(err.reason),
            err.full_message(),
            HeaderMap::new(),
        ),
    }
}

/// Refreshes an expired cookie token through the Backend API (`__refresh` cookie, GET only).
async fn refresh(ctx: &Context<'_>) -> Result<(SessionAuth, HeaderMap), RefreshError> {
    let expired = ctx
        .session_token_in_cookie
        .as_deref()
        .or(ctx.token_in_header.as_deref());
    let expired = expired.ok_or(RefreshError::MissingSessionToken)?;
    let refresh_token = ctx
        .refresh_token
        .as_deref()
        .ok_or(RefreshError::MissingRefreshToken)?;
    let decoded =
        jwt::decode(expired).map_err(|_| RefreshError::ExpiredSessionTokenDecodeFailed)?;
    let sid = decoded
        .payload
        .get("sid")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or(RefreshError::ExpiredSessionTokenMissingSidClaim)?;
    let bapi = ctx.verify.bapi().ok_or(RefreshError::UnexpectedSdkError)?;
    let request_headers: serde_json::Map<String, Value> = ctx
        .headers
        .iter()
        .filter_map(|(k, v)| Some((k.as_str().to_owned(), Value::from(vec![v.to_str().ok()?]))))
        .collect();
    let body = serde_json::json!({
        "format": "cookie",
        "suffixed_cookies": ctx.suffixed,
        "expired_token": expired,
        "refresh_token": refresh_token,
        "request_origin": ctx.origin_text(),
        "request_headers": request_headers,
    });
    let directives = bapi
        .refresh_session(sid, &body)
        .await
        .map_err(|e| match e {
            BapiError::Network(_) => RefreshError::FetchError,
            e @ BapiError::Status { .. } => match e.first_code() {
                Some("unexpected_error") => RefreshError::FetchError,
                Some(code) if !code.is_empty() => RefreshError::Bapi(code.to_owned()),
                _ => RefreshError::UnexpectedBapiError,
            },
        })?;
    if directives.is_empty() {
        return Err(RefreshError::UnexpectedSdkError);
    }
    let mut headers = HeaderMap::new();
    let mut token = String::new();
    for d in &directives {
        if let Ok(v) = HeaderValue::from_str(d) {
            headers.append(header::SET_COOKIE, v);
        }
        let (name, value) = directive_name_value(d);
        if name.starts_with(cookies::SESSION) {
            token = value.to_owned();
        }
    }
    let session = verify_session(&token, &ctx.verify)
        .await
        .map_err(|_| RefreshError::InvalidSessionToken)?;
    Ok((session, headers))
}

enum HandshakeFailure {
    /// The handshake token did not verify (Clerk throws in development).
    Token(TokenVerificationError),
    /// Anything else (Clerk logs and goes on).
    Other,
}

/// The directives of a handshake: by nonce from the Backend API, or from a handshake token.
async fn handshake_directives(ctx: &Context<'_>) -> Result<Vec<String>, HandshakeFailure> {
    if let Some(nonce) = &ctx.handshake_nonce {
        let Some(bapi) = ctx.verify.bapi() else {
            return Ok(Vec::new());
        };
        return Ok(bapi.handshake_payload(nonce).await.unwrap_or_default());
    }
    let Some(token) = &ctx.handshake_token else {
        return Ok(Vec::new());
    };
    let decoded = jwt::decode(token).map_err(HandshakeFailure::Token)?;
    let key = key_for(&decoded, &ctx.verify, "handshake verification")
        .await
        .map_err(HandshakeFailure::Token)?;
    let alg = jwt::check_header(&decoded.header, None).map_err(HandshakeFailure::Token)?;
    if non_session_category(&decoded.header) {
        return Err(HandshakeFailure::Token(TokenVerificationError::new(
            R::TokenInvalid,
            "Invalid handshake token category.",
        )));
    }
    jwt::check_signature(&decoded, &key, alg, "Handshake").map_err(HandshakeFailure::Token)?;
    Ok(decoded
        .payload
        .get("handshake")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default())
}

/// `resolveHandshake`: the cookies to set, then the new token verified.
async fn resolve_handshake(ctx: &Context<'_>) -> Result<RequestState, HandshakeFailure> {
    let directives = handshake_directives(ctx).await?;
    let mut headers = HeaderMap::new();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("null"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        HeaderValue::from_static("true"),
    );
    let mut token = String::new();
    for d in &directives {
        if let Ok(v) = HeaderValue::from_str(d) {
            headers.append(header::SET_COOKIE, v);
        }
        let (name, value) = directive_name_value(d);
        if name.starts_with(cookies::SESSION) {
            token = value.to_owned();
        }
    }
    if ctx.development {
        let mut clean = ctx.url.clone();
        delete_params(
            &mut clean,
            &[
                cookies::HANDSHAKE,
                "__clerk_help",
                cookies::DEV_BROWSER,
                cookies::HANDSHAKE_NONCE,
            ],
        );
        if let Ok(v) = HeaderValue::from_str(clean.as_str()) {
            headers.append(header::LOCATION, v);
        }
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if token.is_empty() {
        return Ok(RequestState::signed_out(
            AuthReason::SessionTokenMissing,
            String::new(),
            headers,
        ));
    }
    match verify_token(&token, &ctx.verify).await {
        Ok(v) => match session_of(v) {
            Ok(s) => Ok(RequestState::signed_in(s, headers)),
            Err(_) => Err(HandshakeFailure::Other),
        },
        Err(e)
            if ctx.development
                && matches!(
                    e.reason,
                    R::TokenExpired | R::TokenNotActiveYet | R::TokenIatInTheFuture
                ) =>
        {
            // Clock skew in development: Clerk retries with a day of tolerance.
            let mut lenient = ctx.verify.clone();
            lenient.clock_skew = Duration::from_secs(86_400);
            match verify_session(&token, &lenient).await {
                Ok(s) => Ok(RequestState::signed_in(s, headers)),
                Err(_) => Err(HandshakeFailure::Other),
            }
        }
        Err(_) => Err(HandshakeFailure::Other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_parse_as_clerk_parses_them() {
        let c = parse_cookies("a=1; b = 2 ;a=3; c=%41%zz; d=x%41; e=; =f; g");
        assert_eq!(c["a"], "1");
        assert_eq!(c["b"], "2");
        assert_eq!(c["c"], "%41%zz"); // undecodable: kept
        assert_eq!(c["d"], "xA");
        assert_eq!(c["e"], "");
        assert_eq!(c[""], "f");
        assert!(!c.contains_key("g"));
        assert!(parse_cookies("x").is_empty());
    }

    #[test]
    fn authorization_header_like_clerk() {
        assert_eq!(
            parse_authorization(Some("Bearer abc")).as_deref(),
            Some("abc")
        );
        assert_eq!(parse_authorization(Some("abc")).as_deref(), Some("abc"));
        assert_eq!(parse_authorization(Some("Basic abc")), None);
        assert_eq!(parse_authorization(Some("bearer abc")), None);
        assert_eq!(
            parse_authorization(Some("Bearer ")).as_deref(),
            Some("Bearer")
        );
        assert_eq!(
            parse_authorization(Some("Bearer a b")).as_deref(),
            Some("a")
        );
        assert_eq!(parse_authorization(None), None);
    }

    #[test]
    fn javascript_number_parsing() {
        assert_eq!(parse_int_js("1700000000"), 1_700_000_000);
        assert_eq!(parse_int_js("12abc"), 12);
        assert_eq!(parse_int_js("abc"), 0);
        assert_eq!(parse_int_js(" -5"), -5);
        assert_eq!(number_js("2"), 2.0);
        assert_eq!(number_js("x"), 0.0);
        assert_eq!(js_number_text(3.0), "3");
    }

    #[test]
    fn accounts_portal_host() {
        assert_eq!(accounts_host("clerk.example.com"), "accounts.example.com");
        assert_eq!(
            accounts_host("foo-1.clerk.accounts.dev"),
            "foo-1.accounts.dev"
        );
    }

    #[test]
    fn deleting_params_reserialises_the_query() {
        let mut u = Url::parse("http://a/p?x=1&__clerk_db_jwt=2&y=a%20b").unwrap();
        delete_params(&mut u, &["__clerk_db_jwt"]);
        assert_eq!(u.as_str(), "http://a/p?x=1&y=a+b");
        let mut u = Url::parse("http://a/p?__clerk_db_jwt=2").unwrap();
        delete_params(&mut u, &["__clerk_db_jwt"]);
        assert_eq!(u.as_str(), "http://a/p");
    }
}
