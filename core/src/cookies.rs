//! The cookies Clerk's browser SDKs and servers share, under Clerk's names.
//!
//! clerk-js writes each of `__session`, `__client_uat` and `__clerk_db_jwt` twice: under the
//! plain name and under a name suffixed with [`cookie_suffix`] of the publishable key, so that
//! two Clerk applications on one domain do not read each other's cookies. Clerk's servers
//! choose between the two copies (see `clerk-backend`). Both halves of this project take the
//! names from here, so they agree by construction.
//!
//! ```
//! use clerk_core::cookies::{cookie_suffix, suffixed, SESSION};
//! let suffix = cookie_suffix("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k");
//! assert_eq!(suffix.len(), 8);
//! assert_eq!(suffixed(SESSION, &suffix), format!("__session_{suffix}"));
//! ```

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE;
use sha1::{Digest, Sha1};

/// The session token (a JWT of about 60 s), read by the app's own backend.
///
/// ```
/// assert_eq!(clerk_core::cookies::SESSION, "__session");
/// ```
pub const SESSION: &str = "__session";
/// The client's last authentication change in Unix seconds, `0` when signed out.
///
/// ```
/// assert_eq!(clerk_core::cookies::CLIENT_UAT, "__client_uat");
/// ```
pub const CLIENT_UAT: &str = "__client_uat";
/// The dev-browser token of a development instance (also a URL parameter of that name).
///
/// ```
/// assert_eq!(clerk_core::cookies::DEV_BROWSER, "__clerk_db_jwt");
/// ```
pub const DEV_BROWSER: &str = "__clerk_db_jwt";
/// The refresh token a production FAPI may leave (read suffixed only).
///
/// ```
/// assert_eq!(clerk_core::cookies::REFRESH, "__refresh");
/// ```
pub const REFRESH: &str = "__refresh";
/// The handshake payload (a signed JWT listing `Set-Cookie` directives), query or cookie.
///
/// ```
/// assert_eq!(clerk_core::cookies::HANDSHAKE, "__clerk_handshake");
/// ```
pub const HANDSHAKE: &str = "__clerk_handshake";
/// The handshake nonce, exchanged for the directives through the Backend API.
///
/// ```
/// assert_eq!(clerk_core::cookies::HANDSHAKE_NONCE, "__clerk_handshake_nonce");
/// ```
pub const HANDSHAKE_NONCE: &str = "__clerk_handshake_nonce";
/// The handshake loop guard (a counter living 2 s).
///
/// ```
/// assert_eq!(clerk_core::cookies::REDIRECT_COUNT, "__clerk_redirect_count");
/// ```
pub const REDIRECT_COUNT: &str = "__clerk_redirect_count";
/// The `__client` cookie FAPI keeps in production (cookie mode) on its own domain.
///
/// ```
/// assert_eq!(clerk_core::cookies::CLIENT, "__client");
/// ```
pub const CLIENT: &str = "__client";

/// Clerk's per-application cookie suffix: the first 8 characters of the URL-safe base64 of
/// the SHA-1 of the publishable key.
///
/// ```
/// use clerk_core::cookies::cookie_suffix;
/// let a = cookie_suffix("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k");
/// let b = cookie_suffix("pk_live_Y2xlcmsuZXhhbXBsZS5jb20k");
/// assert_ne!(a, b);
/// assert!(a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
/// ```
pub fn cookie_suffix(publishable_key: &str) -> String {
    let digest = Sha1::digest(publishable_key.as_bytes());
    let mut encoded = URL_SAFE.encode(digest);
    encoded.truncate(8);
    encoded
}

/// `{name}_{suffix}`.
///
/// ```
/// assert_eq!(clerk_core::cookies::suffixed("__client_uat", "AbC-_123"), "__client_uat_AbC-_123");
/// ```
pub fn suffixed(name: &str, suffix: &str) -> String {
    format!("{name}_{suffix}")
}

/// The `SameSite` attribute of a cookie.
///
/// ```
/// use clerk_core::cookies::SameSite;
/// assert_eq!(SameSite::Lax.as_str(), "Lax");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SameSite {
    /// `SameSite=Lax`: `__session` and `__clerk_db_jwt` on a top-level page.
    Lax,
    /// `SameSite=Strict`: `__client_uat` on a top-level page.
    Strict,
    /// `SameSite=None` (needs `Secure`): in a cross-origin iframe, on a third-party embedding
    /// domain, or with partitioned cookies.
    None,
}

impl SameSite {
    /// The attribute value.
    ///
    /// ```
    /// assert_eq!(clerk_core::cookies::SameSite::None.as_str(), "None");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Lax => "Lax",
            Self::Strict => "Strict",
            Self::None => "None",
        }
    }
}

/// Hostname suffixes of third-party embedding platforms whose pages need `SameSite=None`
/// cookies (clerk-js's `THIRD_PARTY_COOKIE_DOMAINS`, `@clerk/shared` `thirdPartyDomains.ts`).
///
/// ```
/// assert!(clerk_core::cookies::THIRD_PARTY_COOKIE_DOMAINS.contains(&".replit.dev"));
/// ```
pub const THIRD_PARTY_COOKIE_DOMAINS: &[&str] = &[
    ".lovable.app",
    ".lovableproject.com",
    ".webcontainer-api.io",
    ".vusercontent.net",
    ".v0.dev",
    ".v0.app",
    ".lp.dev",
    ".replit.dev",
];

/// The cookie clerk-js writes to find the registrable domain (eTLD+1) of the page.
///
/// ```
/// assert_eq!(clerk_core::cookies::ETLD_PROBE, "__clerk_test_etld");
/// ```
pub const ETLD_PROBE: &str = "__clerk_test_etld";

/// What the page is like, for [`CookiePlan`]: everything clerk-js reads from `window` to choose
/// cookie attributes, plus the clock.
///
/// ```
/// use clerk_core::cookies::PageFacts;
/// let page = PageFacts::top_level("http://localhost:8080");
/// assert!(!page.https && page.secure_context && page.host == "localhost:8080");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageFacts {
    /// `location.host` (with the port, if any).
    pub host: String,
    /// `location.protocol == "https:"`.
    pub https: bool,
    /// `window.isSecureContext`.
    pub secure_context: bool,
    /// Whether `window.safari` exists (Safari refuses `Secure` on `http://localhost`).
    pub safari: bool,
    /// Whether the page runs in an iframe whose top window is on another origin.
    pub cross_origin_iframe: bool,
    /// The environment's `partitioned_cookies` setting (CHIPS).
    pub partitioned: bool,
}

impl PageFacts {
    /// A top-level, non-Safari page at `origin` (`http(s)://host[:port]`), partitioned cookies
    /// off; `http://localhost` and `http://127.0.0.1` count as secure contexts, as in browsers.
    ///
    /// ```
    /// let page = clerk_core::cookies::PageFacts::top_level("https://app.example.com");
    /// assert!(page.https && page.secure_context);
    /// ```
    pub fn top_level(origin: &str) -> Self {
        let https = origin.starts_with("https://");
        let host = origin
            .split_once("://")
            .map_or(origin, |(_, h)| h)
            .to_owned();
        let hostname = hostname_of(&host);
        let local = matches!(hostname, "localhost" | "127.0.0.1" | "[::1]")
            || hostname.ends_with(".localhost");
        Self {
            secure_context: https || local,
            host,
            https,
            ..Self::default()
        }
    }

    /// `location.hostname`: the host without its port.
    ///
    /// ```
    /// let page = clerk_core::cookies::PageFacts::top_level("http://127.0.0.1:4010");
    /// assert_eq!(page.hostname(), "127.0.0.1");
    /// ```
    pub fn hostname(&self) -> &str {
        hostname_of(&self.host)
    }

    /// clerk-js's `requiresSameSiteNone()`: the page is on a third-party embedding platform.
    ///
    /// ```
    /// let page = clerk_core::cookies::PageFacts::top_level("https://x.replit.dev");
    /// assert!(page.requires_same_site_none());
    /// ```
    pub fn requires_same_site_none(&self) -> bool {
        let hostname = self.hostname();
        THIRD_PARTY_COOKIE_DOMAINS
            .iter()
            .any(|d| hostname.ends_with(d))
    }

    /// clerk-js's `getSecureAttribute(sameSite)`: always on https; otherwise only `None` needs
    /// it, and then only in a secure context outside Safari.
    ///
    /// ```
    /// use clerk_core::cookies::{PageFacts, SameSite};
    /// let local = PageFacts::top_level("http://localhost:8080");
    /// assert!(!local.secure(SameSite::Lax));
    /// assert!(local.secure(SameSite::None));
    /// ```
    pub fn secure(&self, same_site: SameSite) -> bool {
        if self.https {
            return true;
        }
        if same_site != SameSite::None || self.safari {
            return false;
        }
        self.secure_context
    }

    /// The `SameSite` clerk-js chooses: `None` when partitioned, in a cross-origin iframe or
    /// on a third-party embedding domain, else `top_level` (`Lax`, or `Strict` for
    /// `__client_uat`).
    ///
    /// ```
    /// use clerk_core::cookies::{PageFacts, SameSite};
    /// let mut page = PageFacts::top_level("https://app.example.com");
    /// assert_eq!(page.same_site(SameSite::Lax), SameSite::Lax);
    /// page.cross_origin_iframe = true;
    /// assert_eq!(page.same_site(SameSite::Lax), SameSite::None);
    /// ```
    pub fn same_site(&self, top_level: SameSite) -> SameSite {
        if self.partitioned || self.cross_origin_iframe || self.requires_same_site_none() {
            SameSite::None
        } else {
            top_level
        }
    }
}

fn hostname_of(host: &str) -> &str {
    if host.starts_with('[') {
        return host.split_inclusive(']').next().unwrap_or(host);
    }
    host.rsplit_once(':')
        .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
        .map_or(host, |(h, _)| h)
}

/// One `document.cookie` assignment: a write, or a removal (empty value, expiry in the past).
///
/// ```
/// use clerk_core::cookies::{CookieWrite, SameSite};
/// let w = CookieWrite {
///     name: "__session".into(), value: "jwt".into(), expires: None, domain: None,
///     same_site: Some(SameSite::Lax), secure: true, partitioned: false,
/// };
/// assert_eq!(w.to_cookie_string(), "__session=jwt; Path=/; SameSite=Lax; Secure");
/// assert!(!w.is_removal());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CookieWrite {
    /// The cookie name.
    pub name: String,
    /// The value (empty for a removal).
    pub value: String,
    /// `Expires`; `None` makes a session cookie. A removal carries the Unix epoch.
    pub expires: Option<chrono::DateTime<chrono::Utc>>,
    /// `Domain`; `None` is a host-only cookie.
    pub domain: Option<String>,
    /// `SameSite`, if set.
    pub same_site: Option<SameSite>,
    /// `Secure`.
    pub secure: bool,
    /// `Partitioned` (CHIPS).
    pub partitioned: bool,
}

impl CookieWrite {
    /// Whether this assignment removes the cookie.
    ///
    /// ```
    /// use clerk_core::cookies::{CookiePlan, PageFacts};
    /// let plan = CookiePlan::new("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k", PageFacts::top_level("http://localhost"), chrono::DateTime::UNIX_EPOCH);
    /// assert!(plan.session(None).iter().all(|w| w.is_removal()));
    /// ```
    pub fn is_removal(&self) -> bool {
        self.expires.is_some_and(|e| e.timestamp() <= 0)
    }

    /// The string to assign to `document.cookie` (js-cookie's encoding: `Path=/` always,
    /// `Expires` as an HTTP date).
    ///
    /// ```
    /// use clerk_core::cookies::{CookiePlan, PageFacts};
    /// let plan = CookiePlan::new("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k", PageFacts::top_level("http://localhost"), chrono::DateTime::UNIX_EPOCH);
    /// let removal = &plan.session(None)[0];
    /// assert!(removal.to_cookie_string().starts_with("__session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"));
    /// ```
    pub fn to_cookie_string(&self) -> String {
        let mut s = format!("{}={}; Path=/", self.name, self.value);
        if let Some(expires) = self.expires {
            s.push_str("; Expires=");
            s.push_str(&http_date(expires));
        }
        if let Some(domain) = &self.domain {
            s.push_str("; Domain=");
            s.push_str(domain);
        }
        if let Some(same_site) = self.same_site {
            s.push_str("; SameSite=");
            s.push_str(same_site.as_str());
        }
        if self.secure {
            s.push_str("; Secure");
        }
        if self.partitioned {
            s.push_str("; Partitioned");
        }
        s
    }
}

/// An HTTP date (`Thu, 01 Jan 1970 00:00:00 GMT`), as JavaScript's `toUTCString`.
fn http_date(at: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::{Datelike, Timelike};
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        DAYS[at.weekday().num_days_from_monday() as usize],
        at.day(),
        MONTHS[at.month0() as usize],
        at.year(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// How to find the domain of `__client_uat` (clerk-js's `getCookieDomain`).
///
/// ```
/// use clerk_core::cookies::{cookie_domain, CookieDomain};
/// assert_eq!(cookie_domain("localhost"), CookieDomain::Known("localhost".into()));
/// assert_eq!(
///     cookie_domain("app.example.co.uk"),
///     CookieDomain::Probe(vec!["co.uk".into(), "example.co.uk".into(), "app.example.co.uk".into()])
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CookieDomain {
    /// The domain is the hostname itself (localhost, a loopback address, a one-label host).
    Known(String),
    /// Try these in order, shortest first: the first one the browser accepts a probe cookie
    /// ([`ETLD_PROBE`]) for is the registrable domain; if none is, use the hostname.
    Probe(Vec<String>),
}

/// The candidates of clerk-js's `getCookieDomain(hostname)`.
///
/// ```
/// use clerk_core::cookies::{cookie_domain, CookieDomain};
/// assert_eq!(cookie_domain("127.0.0.1"), CookieDomain::Known("127.0.0.1".into()));
/// assert_eq!(cookie_domain("local-app"), CookieDomain::Known("local-app".into()));
/// ```
pub fn cookie_domain(hostname: &str) -> CookieDomain {
    if matches!(hostname, "localhost" | "127.0.0.1" | "0.0.0.0") {
        return CookieDomain::Known(hostname.to_owned());
    }
    let parts: Vec<&str> = hostname.split('.').collect();
    if parts.len() == 1 {
        return CookieDomain::Known(hostname.to_owned());
    }
    CookieDomain::Probe(
        (0..parts.len() - 1)
            .rev()
            .map(|i| parts[i..].join("."))
            .collect(),
    )
}

/// The value of `__client_uat`: the client's `updated_at` in whole Unix seconds when it has a
/// signed-in (active or pending) session, else `"0"` (clerk-js `cookies/clientUat.ts`).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// let at = Utc.timestamp_millis_opt(1_735_689_600_999).unwrap();
/// assert_eq!(clerk_core::cookies::client_uat_value(Some(at), true), "1735689600");
/// assert_eq!(clerk_core::cookies::client_uat_value(Some(at), false), "0");
/// assert_eq!(clerk_core::cookies::client_uat_value(None, true), "0");
/// ```
pub fn client_uat_value(
    updated_at: Option<chrono::DateTime<chrono::Utc>>,
    signed_in: bool,
) -> String {
    match updated_at.filter(|at| signed_in && at.timestamp_millis() != 0) {
        Some(at) => at.timestamp_millis().div_euclid(1000).to_string(),
        None => "0".to_owned(),
    }
}

/// clerk-js's `inCustomDevelopmentDomain()`: the page's `host` does not end with the
/// frontend API host minus its first `clerk.`. Only then does clerk-js write `__client_uat`
/// itself (on Clerk's own development domains FAPI does).
///
/// ```
/// use clerk_core::cookies::in_custom_development_domain;
/// assert!(in_custom_development_domain("foo-bar-13.clerk.accounts.dev", "localhost:3000"));
/// assert!(!in_custom_development_domain("foo-bar-13.clerk.accounts.dev", "foo-bar-13.accounts.dev"));
/// ```
pub fn in_custom_development_domain(frontend_api: &str, page_host: &str) -> bool {
    let domain = frontend_api.replacen("clerk.", "", 1);
    !page_host.ends_with(&domain)
}

/// clerk-js's cookie reads (`suffixed.get() || plain.get()`): the suffixed copy first, an
/// empty value counting as absent.
///
/// ```
/// use clerk_core::cookies::read_either;
/// assert_eq!(read_either(Some("b"), Some("a")), Some("b"));
/// assert_eq!(read_either(Some(""), Some("a")), Some("a"));
/// assert_eq!(read_either(None, None), None);
/// ```
pub fn read_either<'a>(suffixed: Option<&'a str>, plain: Option<&'a str>) -> Option<&'a str> {
    suffixed
        .filter(|v| !v.is_empty())
        .or(plain.filter(|v| !v.is_empty()))
}

/// The client facts `__client_uat` depends on.
///
/// ```
/// use clerk_core::cookies::ClientFacts;
/// let signed_out = ClientFacts { updated_at: None, signed_in: false };
/// assert!(!signed_out.signed_in);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientFacts {
    /// The client's `updated_at` (`None` when FAPI has no client for this browser yet).
    pub updated_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Whether it has an active or pending session.
    pub signed_in: bool,
}

/// Which cookies to write, under which names, with which attributes: clerk-js's
/// `cookies/session.ts`, `cookies/clientUat.ts` and `cookies/devBrowser.ts`, as a pure
/// function of the publishable key, the page and the clock. The browser part only assigns
/// each [`CookieWrite`] to `document.cookie`, in order.
///
/// ```
/// use clerk_core::cookies::{cookie_suffix, CookiePlan, PageFacts, SameSite};
/// let key = "pk_test_Y2xlcmsuZXhhbXBsZS5jb20k";
/// let plan = CookiePlan::new(key, PageFacts::top_level("http://localhost:3000"), chrono::DateTime::UNIX_EPOCH);
/// let writes = plan.session(Some("jwt"));
/// assert_eq!(writes[0].name, "__session");
/// assert_eq!(writes[1].name, format!("__session_{}", cookie_suffix(key)));
/// assert!(writes.iter().all(|w| w.value == "jwt" && w.same_site == Some(SameSite::Lax) && !w.secure));
/// ```
#[derive(Clone, Debug)]
pub struct CookiePlan {
    suffix: String,
    development: bool,
    frontend_api: Option<String>,
    page: PageFacts,
    now: chrono::DateTime<chrono::Utc>,
}

impl CookiePlan {
    /// A plan for this publishable key (`pk_test_` is development, `pk_live_` production; a
    /// key that does not decode gets no `__client_uat`), page and time.
    ///
    /// ```
    /// use clerk_core::cookies::{CookiePlan, PageFacts};
    /// let plan = CookiePlan::new("pk_live_Y2xlcmsuZXhhbXBsZS5jb20k", PageFacts::top_level("https://example.com"), chrono::DateTime::UNIX_EPOCH);
    /// assert!(!plan.is_development());
    /// ```
    pub fn new(publishable_key: &str, page: PageFacts, now: chrono::DateTime<chrono::Utc>) -> Self {
        let key = crate::key::PublishableKey::parse(publishable_key).ok();
        Self {
            suffix: cookie_suffix(publishable_key.trim()),
            development: key.as_ref().is_none_or(|k| k.is_development()),
            frontend_api: key.map(|k| k.frontend_api().to_owned()),
            page,
            now,
        }
    }

    /// Whether the key is a development key.
    ///
    /// ```
    /// use clerk_core::cookies::{CookiePlan, PageFacts};
    /// let plan = CookiePlan::new("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k", PageFacts::default(), chrono::DateTime::UNIX_EPOCH);
    /// assert!(plan.is_development());
    /// ```
    pub fn is_development(&self) -> bool {
        self.development
    }

    /// The key's cookie suffix.
    ///
    /// ```
    /// use clerk_core::cookies::{cookie_suffix, CookiePlan, PageFacts};
    /// let key = "pk_test_Y2xlcmsuZXhhbXBsZS5jb20k";
    /// assert_eq!(CookiePlan::new(key, PageFacts::default(), chrono::DateTime::UNIX_EPOCH).suffix(), cookie_suffix(key));
    /// ```
    pub fn suffix(&self) -> &str {
        &self.suffix
    }

    /// `[plain, suffixed]` names of a cookie.
    ///
    /// ```
    /// use clerk_core::cookies::{CookiePlan, PageFacts, SESSION};
    /// let plan = CookiePlan::new("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k", PageFacts::default(), chrono::DateTime::UNIX_EPOCH);
    /// let [plain, suffixed] = plan.names(SESSION);
    /// assert_eq!(plain, "__session");
    /// assert!(suffixed.starts_with("__session_"));
    /// ```
    pub fn names(&self, name: &str) -> [String; 2] {
        [name.to_owned(), suffixed(name, &self.suffix)]
    }

    fn year_from_now(&self) -> chrono::DateTime<chrono::Utc> {
        self.now
            .checked_add_months(chrono::Months::new(12))
            .unwrap_or(self.now)
    }

    fn epoch() -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::UNIX_EPOCH
    }

    /// The attributes clerk-js uses for `__session` and `__clerk_db_jwt`:
    /// (SameSite, Secure, Partitioned).
    fn lax_attributes(&self) -> (SameSite, bool, bool) {
        let same_site = self.page.same_site(SameSite::Lax);
        let secure = self.page.secure(same_site);
        (same_site, secure, self.page.partitioned && secure)
    }

    fn write(
        &self,
        name: String,
        value: &str,
        attrs: (SameSite, bool, bool),
        domain: Option<&str>,
    ) -> CookieWrite {
        CookieWrite {
            name,
            value: value.to_owned(),
            expires: Some(self.year_from_now()),
            domain: domain.map(str::to_owned),
            same_site: Some(attrs.0),
            secure: attrs.1,
            partitioned: attrs.2,
        }
    }

    fn removal(
        name: String,
        attrs: Option<(SameSite, bool, bool)>,
        domain: Option<&str>,
    ) -> CookieWrite {
        CookieWrite {
            name,
            value: String::new(),
            expires: Some(Self::epoch()),
            domain: domain.map(str::to_owned),
            same_site: attrs.map(|a| a.0),
            secure: attrs.is_some_and(|a| a.1),
            partitioned: attrs.is_some_and(|a| a.2),
        }
    }

    /// `__session` and `__session_<suffix>`: both set to the token (one year; `SameSite=Lax`,
    /// or `None` + `Secure` in a cross-origin iframe; `Secure` on https), or both removed when
    /// there is no token (no signed-in session, sign-out). With partitioned cookies, the
    /// unpartitioned copies are removed first.
    ///
    /// ```
    /// use clerk_core::cookies::{CookiePlan, PageFacts, SameSite};
    /// let mut page = PageFacts::top_level("https://app.example.com");
    /// page.cross_origin_iframe = true;
    /// let plan = CookiePlan::new("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k", page, chrono::DateTime::UNIX_EPOCH);
    /// let w = &plan.session(Some("jwt"))[0];
    /// assert_eq!((w.same_site, w.secure), (Some(SameSite::None), true));
    /// ```
    pub fn session(&self, token: Option<&str>) -> Vec<CookieWrite> {
        let attrs = self.lax_attributes();
        let mut writes = Vec::new();
        let unpartitioned = |writes: &mut Vec<CookieWrite>| {
            for same_site in [SameSite::Lax, SameSite::None] {
                let a = (same_site, self.page.secure(same_site), false);
                for name in self.names(SESSION) {
                    writes.push(Self::removal(name, Some(a), None));
                }
            }
        };
        match token.filter(|t| !t.is_empty()) {
            Some(token) => {
                if attrs.2 {
                    unpartitioned(&mut writes);
                }
                for name in self.names(SESSION) {
                    writes.push(self.write(name, token, attrs, None));
                }
            }
            None => {
                for name in self.names(SESSION) {
                    writes.push(Self::removal(name, Some(attrs), None));
                }
                if attrs.2 {
                    unpartitioned(&mut writes);
                }
            }
        }
        writes
    }

    /// Whether clerk-js would write `__client_uat` itself here
    /// (`setClientUatCookieForDevelopmentInstances`): a development key on a page outside the
    /// frontend API's own domain. In production FAPI sets it.
    ///
    /// ```
    /// use clerk_core::cookies::{CookiePlan, PageFacts};
    /// let now = chrono::DateTime::UNIX_EPOCH;
    /// let dev = CookiePlan::new("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k", PageFacts::top_level("http://localhost:3000"), now);
    /// let prod = CookiePlan::new("pk_live_Y2xlcmsuZXhhbXBsZS5jb20k", PageFacts::top_level("https://example.com"), now);
    /// assert!(dev.writes_client_uat() && !prod.writes_client_uat());
    /// ```
    pub fn writes_client_uat(&self) -> bool {
        self.development
            && self
                .frontend_api
                .as_deref()
                .is_some_and(|api| in_custom_development_domain(api, &self.page.host))
    }

    /// The `SameSite` and `Secure` of `__client_uat` (`Strict`, or `None` in a cross-origin
    /// iframe), also the attributes of the domain probe.
    ///
    /// ```
    /// use clerk_core::cookies::{CookiePlan, PageFacts, SameSite};
    /// let plan = CookiePlan::new("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k", PageFacts::top_level("http://localhost:3000"), chrono::DateTime::UNIX_EPOCH);
    /// assert_eq!(plan.client_uat_attributes(), (SameSite::Strict, false));
    /// ```
    pub fn client_uat_attributes(&self) -> (SameSite, bool) {
        let same_site = self.page.same_site(SameSite::Strict);
        (same_site, self.page.secure(same_site))
    }

    /// `__client_uat` and `__client_uat_<suffix>` for a development instance: the host-only
    /// copies removed, then both set on `domain` (from [`cookie_domain`]) to
    /// [`client_uat_value`], for one year, `SameSite=Strict`. Empty when clerk-js would not
    /// write them ([`writes_client_uat`](Self::writes_client_uat)) or there is no client yet.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use clerk_core::cookies::{ClientFacts, CookiePlan, PageFacts};
    /// let plan = CookiePlan::new("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k", PageFacts::top_level("http://localhost:3000"), chrono::DateTime::UNIX_EPOCH);
    /// let client = ClientFacts { updated_at: Some(Utc.timestamp_opt(1_700_000_000, 0).unwrap()), signed_in: true };
    /// let writes = plan.client_uat(Some(client), "localhost");
    /// let set: Vec<_> = writes.iter().filter(|w| !w.is_removal()).collect();
    /// assert_eq!(set.len(), 2);
    /// assert!(set.iter().all(|w| w.value == "1700000000" && w.domain.as_deref() == Some("localhost")));
    /// ```
    pub fn client_uat(&self, client: Option<ClientFacts>, domain: &str) -> Vec<CookieWrite> {
        let Some(client) = client.filter(|_| self.writes_client_uat()) else {
            return Vec::new();
        };
        let value = client_uat_value(client.updated_at, client.signed_in);
        let (same_site, secure) = self.client_uat_attributes();
        let partitioned = self.page.partitioned && secure;
        let mut writes = Vec::new();
        let names = self.names(CLIENT_UAT);
        for name in names.iter().rev() {
            writes.push(Self::removal(name.clone(), None, None));
        }
        if partitioned {
            for ss in [SameSite::Strict, SameSite::None] {
                for name in names.iter().rev() {
                    let a = (ss, self.page.secure(ss), false);
                    writes.push(Self::removal(name.clone(), Some(a), Some(domain)));
                }
            }
        }
        for name in names.iter().rev() {
            writes.push(self.write(
                name.clone(),
                &value,
                (same_site, secure, partitioned),
                Some(domain),
            ));
        }
        writes
    }

    /// `__clerk_db_jwt` and `__clerk_db_jwt_<suffix>`: every variant removed (with the current
    /// attributes, with none, and partitioned), then, with a token, both set for one year
    /// (`SameSite=Lax`, or `None` in a cross-origin iframe). `None` is clerk-js's `clear()`,
    /// which production instances run at start-up.
    ///
    /// ```
    /// use clerk_core::cookies::{CookiePlan, PageFacts};
    /// let plan = CookiePlan::new("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k", PageFacts::top_level("http://localhost:3000"), chrono::DateTime::UNIX_EPOCH);
    /// let set: Vec<_> = plan.dev_browser(Some("dvb_1")).into_iter().filter(|w| !w.is_removal()).collect();
    /// assert_eq!(set.len(), 2);
    /// assert!(plan.dev_browser(None).iter().all(|w| w.is_removal()));
    /// ```
    pub fn dev_browser(&self, token: Option<&str>) -> Vec<CookieWrite> {
        let attrs = self.lax_attributes();
        let names = self.names(DEV_BROWSER);
        let mut writes = Vec::new();
        for name in names.iter().rev() {
            writes.push(Self::removal(name.clone(), Some(attrs), None));
            writes.push(Self::removal(name.clone(), None, None));
            writes.push(Self::removal(
                name.clone(),
                Some((SameSite::None, true, true)),
                None,
            ));
        }
        if let Some(token) = token.filter(|t| !t.is_empty()) {
            for name in names.iter().rev() {
                writes.push(self.write(name.clone(), token, attrs, None));
            }
        }
        writes
    }

    /// clerk-js's `buildUrlWithAuth(to)`: for a development instance, a URL on another origin
    /// than `page_origin` carries the dev browser as the `__clerk_db_jwt` query parameter (an
    /// existing one is kept, `setDevBrowserInURL`). Production keys, same-origin URLs and
    /// relative paths are returned as they are; so is any URL when there is no dev browser.
    ///
    /// ```
    /// use clerk_core::cookies::{CookiePlan, PageFacts};
    /// let plan = CookiePlan::new("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k", PageFacts::top_level("http://localhost:3000"), chrono::DateTime::UNIX_EPOCH);
    /// let page = "http://localhost:3000";
    /// assert_eq!(plan.url_with_auth("/dashboard", page, Some("dvb_1")), "/dashboard");
    /// assert_eq!(
    ///     plan.url_with_auth("https://accounts.example.com/sign-in?a=1#x", page, Some("dvb_1")),
    ///     "https://accounts.example.com/sign-in?a=1&__clerk_db_jwt=dvb_1#x"
    /// );
    /// ```
    pub fn url_with_auth(&self, to: &str, page_origin: &str, dev_browser: Option<&str>) -> String {
        let Some(dev_browser) = dev_browser.filter(|d| !d.is_empty() && self.development) else {
            return to.to_owned();
        };
        let absolute = if to.starts_with("//") {
            let scheme = page_origin.split_once("://").map_or("https", |(s, _)| s);
            format!("{scheme}:{to}")
        } else {
            to.to_owned()
        };
        let Some(origin) = crate::redirect::origin_of(&absolute) else {
            return to.to_owned();
        };
        if origin.eq_ignore_ascii_case(page_origin) {
            return to.to_owned();
        }
        set_dev_browser_in_url(&absolute, dev_browser)
    }
}

/// `@clerk/shared`'s `setDevBrowserInURL`: removes `__clerk_db_jwt` from the query and sets it
/// again, last, to the value that was there, else `dev_browser`. Other parameters and the
/// fragment are kept as they are.
///
/// ```
/// use clerk_core::cookies::set_dev_browser_in_url;
/// assert_eq!(set_dev_browser_in_url("https://a.dev/?__clerk_db_jwt=old&x=1", "new"), "https://a.dev/?x=1&__clerk_db_jwt=old");
/// assert_eq!(set_dev_browser_in_url("https://a.dev", "new"), "https://a.dev?__clerk_db_jwt=new");
/// ```
pub fn set_dev_browser_in_url(url: &str, dev_browser: &str) -> String {
    let (before_hash, hash) = match url.split_once('#') {
        Some((b, h)) => (b, Some(h)),
        None => (url, None),
    };
    let (base, query) = match before_hash.split_once('?') {
        Some((b, q)) => (b, q),
        None => (before_hash, ""),
    };
    let mut existing = None;
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let key: String = form_urlencoded::parse(format!("{k}=").as_bytes())
                .next()
                .map(|(k, _)| k.into_owned())
                .unwrap_or_default();
            if key == DEV_BROWSER {
                if existing.is_none() && !v.is_empty() {
                    existing = Some(
                        form_urlencoded::parse(format!("x={v}").as_bytes())
                            .next()
                            .map(|(_, v)| v.into_owned())
                            .unwrap_or_default(),
                    );
                }
                false
            } else {
                true
            }
        })
        .collect();
    let value = existing.unwrap_or_else(|| dev_browser.to_owned());
    let pair = form_urlencoded::Serializer::new(String::new())
        .append_pair(DEV_BROWSER, &value)
        .finish();
    let mut out = base.to_owned();
    out.push('?');
    for k in kept {
        out.push_str(k);
        out.push('&');
    }
    out.push_str(&pair);
    if let Some(hash) = hash {
        out.push('#');
        out.push_str(hash);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffix_is_sha1_url_safe_base64_cut_to_eight() {
        // SHA-1("abc") = a9993e36 4706816a ba3e2571 7850c26c 9cd0d89d; base64 "qZk+NkcGgWq6PiVxeFDCbJzQ2J0="
        assert_eq!(cookie_suffix("abc"), "qZk-NkcG");
        // a digest whose first 8 base64 characters need the `/` → `_` mapping:
        // SHA-1("pk_test_") base64 is checked only for its alphabet here
        assert!(!cookie_suffix("pk_test_").contains(['+', '/', '=']));
    }

    use chrono::{TimeZone, Utc};

    const DEV_KEY: &str = "pk_test_Y2xlcmstZGV2LXNlcnZlci5sY2wuZGV2JA"; // clerk-dev-server.lcl.dev
    const PROD_KEY: &str = "pk_live_Y2xlcmsuZXhhbXBsZS5jb20k"; // clerk.example.com

    fn now() -> chrono::DateTime<Utc> {
        Utc.timestamp_opt(1_767_225_600, 0).unwrap() // 2026-01-01T00:00:00Z
    }

    fn set(writes: &[CookieWrite]) -> Vec<&CookieWrite> {
        writes.iter().filter(|w| !w.is_removal()).collect()
    }

    #[test]
    fn session_cookies_on_a_plain_http_page() {
        let plan = CookiePlan::new(
            DEV_KEY,
            PageFacts::top_level("http://127.0.0.1:8080"),
            now(),
        );
        let writes = plan.session(Some("a.b.c"));
        let suffix = cookie_suffix(DEV_KEY);
        assert_eq!(
            writes
                .iter()
                .map(CookieWrite::to_cookie_string)
                .collect::<Vec<_>>(),
            [
                "__session=a.b.c; Path=/; Expires=Fri, 01 Jan 2027 00:00:00 GMT; SameSite=Lax"
                    .to_owned(),
                format!(
                    "__session_{suffix}=a.b.c; Path=/; Expires=Fri, 01 Jan 2027 00:00:00 GMT; SameSite=Lax"
                ),
            ]
        );
        let removed = plan.session(None);
        assert_eq!(removed.len(), 2);
        assert!(removed.iter().all(|w| w.is_removal() && w.value.is_empty()));
        assert!(plan.session(Some("")).iter().all(CookieWrite::is_removal));
    }

    #[test]
    fn session_cookies_on_https_in_an_iframe_and_partitioned() {
        let page = PageFacts::top_level("https://app.example.com");
        let plan = CookiePlan::new(PROD_KEY, page.clone(), now());
        let w = &plan.session(Some("t"))[0];
        assert_eq!(
            (w.same_site, w.secure, w.partitioned),
            (Some(SameSite::Lax), true, false)
        );

        let iframe = PageFacts {
            cross_origin_iframe: true,
            ..page.clone()
        };
        let w = &CookiePlan::new(PROD_KEY, iframe, now()).session(Some("t"))[0];
        assert_eq!((w.same_site, w.secure), (Some(SameSite::None), true));

        let embed = PageFacts::top_level("https://my-app.replit.dev");
        let w = &CookiePlan::new(PROD_KEY, embed, now()).session(Some("t"))[0];
        assert_eq!(w.same_site, Some(SameSite::None));

        let partitioned = PageFacts {
            partitioned: true,
            ..page
        };
        let writes = CookiePlan::new(PROD_KEY, partitioned, now()).session(Some("t"));
        // the unpartitioned Lax and None copies of both names go first
        assert_eq!(writes.iter().filter(|w| w.is_removal()).count(), 4);
        let written = set(&writes);
        assert_eq!(written.len(), 2);
        assert!(
            written
                .iter()
                .all(|w| w.partitioned && w.secure && w.same_site == Some(SameSite::None))
        );
        assert!(
            written[0]
                .to_cookie_string()
                .ends_with("; SameSite=None; Secure; Partitioned")
        );
    }

    #[test]
    fn secure_attribute_follows_get_secure_attribute() {
        let http = PageFacts::top_level("http://localhost:3000");
        assert!(!http.secure(SameSite::Lax) && !http.secure(SameSite::Strict));
        assert!(http.secure(SameSite::None), "localhost is a secure context");
        let safari = PageFacts {
            safari: true,
            ..http.clone()
        };
        assert!(!safari.secure(SameSite::None));
        let insecure = PageFacts::top_level("http://app.internal:3000");
        assert!(!insecure.secure_context && !insecure.secure(SameSite::None));
        assert!(PageFacts::top_level("https://x.y").secure(SameSite::Strict));
    }

    #[test]
    fn client_uat_only_for_development_on_a_custom_domain() {
        let client = ClientFacts {
            updated_at: Some(Utc.timestamp_millis_opt(1_700_000_000_750).unwrap()),
            signed_in: true,
        };
        let dev = CookiePlan::new(
            DEV_KEY,
            PageFacts::top_level("http://127.0.0.1:8080"),
            now(),
        );
        assert!(dev.writes_client_uat());
        let writes = dev.client_uat(Some(client), "127.0.0.1");
        let suffix = cookie_suffix(DEV_KEY);
        // host-only copies removed first, then the domain copies written, suffixed first
        assert_eq!(
            writes.iter().map(CookieWrite::to_cookie_string).collect::<Vec<_>>(),
            [
                format!("__client_uat_{suffix}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"),
                "__client_uat=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT".to_owned(),
                format!(
                    "__client_uat_{suffix}=1700000000; Path=/; Expires=Fri, 01 Jan 2027 00:00:00 GMT; Domain=127.0.0.1; SameSite=Strict"
                ),
                "__client_uat=1700000000; Path=/; Expires=Fri, 01 Jan 2027 00:00:00 GMT; Domain=127.0.0.1; SameSite=Strict".to_owned(),
            ]
        );
        let out = ClientFacts {
            signed_in: false,
            ..client
        };
        assert!(
            set(&dev.client_uat(Some(out), "127.0.0.1"))
                .iter()
                .all(|w| w.value == "0")
        );
        assert!(
            dev.client_uat(None, "127.0.0.1").is_empty(),
            "no client yet: nothing"
        );

        let prod = CookiePlan::new(PROD_KEY, PageFacts::top_level("https://example.com"), now());
        assert!(!prod.writes_client_uat());
        assert!(prod.client_uat(Some(client), "example.com").is_empty());

        // a page on the development instance's own domain: FAPI writes it
        let key = crate::key::PublishableKey::build(
            "foo-bar-13.clerk.accounts.dev",
            crate::wire::InstanceType::Development,
        );
        let own = CookiePlan::new(
            key.as_str(),
            PageFacts::top_level("https://foo-bar-13.accounts.dev"),
            now(),
        );
        assert!(!own.writes_client_uat());
        let iframe = PageFacts {
            cross_origin_iframe: true,
            ..PageFacts::top_level("https://localhost:3000")
        };
        let plan = CookiePlan::new(key.as_str(), iframe, now());
        assert_eq!(plan.client_uat_attributes(), (SameSite::None, true));
    }

    #[test]
    fn client_uat_value_truncates_to_seconds() {
        let at = Utc.timestamp_millis_opt(1_735_689_600_999).unwrap();
        assert_eq!(client_uat_value(Some(at), true), "1735689600");
        assert_eq!(client_uat_value(Some(at), false), "0");
        assert_eq!(
            client_uat_value(Some(chrono::DateTime::UNIX_EPOCH), true),
            "0"
        );
    }

    #[test]
    fn dev_browser_cookies_clear_every_variant_then_set_both() {
        let plan = CookiePlan::new(
            DEV_KEY,
            PageFacts::top_level("http://127.0.0.1:8080"),
            now(),
        );
        let suffix = cookie_suffix(DEV_KEY);
        let writes = plan.dev_browser(Some("dvb_x"));
        assert_eq!(writes.iter().filter(|w| w.is_removal()).count(), 6);
        let written: Vec<_> = set(&writes).iter().map(|w| w.to_cookie_string()).collect();
        assert_eq!(
            written,
            [
                format!(
                    "__clerk_db_jwt_{suffix}=dvb_x; Path=/; Expires=Fri, 01 Jan 2027 00:00:00 GMT; SameSite=Lax"
                ),
                "__clerk_db_jwt=dvb_x; Path=/; Expires=Fri, 01 Jan 2027 00:00:00 GMT; SameSite=Lax"
                    .to_owned(),
            ]
        );
        assert!(plan.dev_browser(None).iter().all(CookieWrite::is_removal));
    }

    #[test]
    fn cookie_domain_candidates() {
        assert_eq!(
            cookie_domain("0.0.0.0"),
            CookieDomain::Known("0.0.0.0".into())
        );
        assert_eq!(
            cookie_domain("a.b.example.com"),
            CookieDomain::Probe(vec![
                "example.com".into(),
                "b.example.com".into(),
                "a.b.example.com".into()
            ])
        );
    }

    #[test]
    fn hostnames_and_custom_development_domains() {
        assert_eq!(
            PageFacts::top_level("http://[::1]:8080").hostname(),
            "[::1]"
        );
        assert_eq!(PageFacts::top_level("https://a.com").hostname(), "a.com");
        assert!(in_custom_development_domain(
            "clerk-dev-server.lcl.dev",
            "127.0.0.1:9000"
        ));
        // only the first `clerk.` goes, as in JavaScript's String.replace
        assert!(!in_custom_development_domain(
            "clerk.example.com",
            "app.example.com"
        ));
    }

    #[test]
    fn url_with_auth_decorates_cross_origin_development_urls_only() {
        let page = "http://localhost:3000";
        let dev = CookiePlan::new(DEV_KEY, PageFacts::top_level(page), now());
        assert_eq!(
            dev.url_with_auth("http://localhost:3000/x", page, Some("d")),
            "http://localhost:3000/x"
        );
        assert_eq!(dev.url_with_auth("/x?y=1", page, Some("d")), "/x?y=1");
        assert_eq!(
            dev.url_with_auth("https://other.dev/x", page, None),
            "https://other.dev/x"
        );
        assert_eq!(
            dev.url_with_auth("//other.dev/x", page, Some("d")),
            "http://other.dev/x?__clerk_db_jwt=d"
        );
        assert_eq!(
            dev.url_with_auth(
                "https://other.dev/x?__clerk_db_jwt=kept&a=b%20c",
                page,
                Some("d")
            ),
            "https://other.dev/x?a=b%20c&__clerk_db_jwt=kept"
        );
        let prod = CookiePlan::new(PROD_KEY, PageFacts::top_level(page), now());
        assert_eq!(
            prod.url_with_auth("https://other.dev/x", page, Some("d")),
            "https://other.dev/x"
        );
    }
}
