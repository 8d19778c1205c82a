//! Why Clerk could not start, told so that a developer can fix it: a bad or secret key, a
//! Frontend API that cannot be reached, a proxy that is missing or answers with something that
//! is not Clerk, `clerk-dev-server` not running. The browser library turns its start-up error
//! into a [`StartupProblem`] with [`diagnose`]; the prebuilt components and the provider's
//! development notice show its [`title`](StartupProblem::title) and [`fix`](StartupProblem::fix).
//!
//! ```
//! use clerk_core::diagnosis::{diagnose, StartupContext, StartupProblem};
//! use clerk_core::error::ClerkError;
//! let ctx = StartupContext { publishable_key: "sk_test_abc", proxy_url: None };
//! let problem = diagnose(&ClerkError::from(clerk_core::key::KeyError::Prefix), &ctx);
//! assert_eq!(problem, StartupProblem::SecretKey);
//! assert!(problem.fix().contains("pk_test_"));
//! ```

use crate::error::ClerkError;
use crate::key::{KeyError, PublishableKey};

/// The Frontend API host of `clerk-dev-server`'s development key. Nothing answers at this name:
/// apps reach the dev server through `proxy_url`.
///
/// ```
/// use clerk_core::key::PublishableKey;
/// let key = PublishableKey::build(clerk_core::diagnosis::DEV_SERVER_FRONTEND_API_HOST,
///     clerk_core::wire::InstanceType::Development);
/// assert!(key.is_dev_browser_host());
/// ```
pub const DEV_SERVER_FRONTEND_API_HOST: &str = "clerk-dev-server.lcl.dev";

/// The Frontend API host of `clerk-dev-server`'s production key (not a dev-browser host, so
/// clients use FAPI's `__client` cookie as on a real production instance).
///
/// ```
/// assert!(clerk_core::diagnosis::DEV_SERVER_PRODUCTION_FRONTEND_API_HOST.ends_with(".localhost"));
/// ```
pub const DEV_SERVER_PRODUCTION_FRONTEND_API_HOST: &str = "clerk.dev-server.localhost";

/// The port `clerk-dev-server` listens on by default, which the examples' proxies expect.
///
/// ```
/// assert_eq!(clerk_core::diagnosis::DEV_SERVER_PORT, 4010);
/// ```
pub const DEV_SERVER_PORT: u16 = 4010;

/// What the app was started with, as far as the diagnosis needs it.
///
/// ```
/// use clerk_core::diagnosis::StartupContext;
/// let ctx = StartupContext { publishable_key: "pk_test_…", proxy_url: Some("/") };
/// assert_eq!(ctx.proxy_url, Some("/"));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StartupContext<'a> {
    /// The publishable key as given (possibly empty or garbled).
    pub publishable_key: &'a str,
    /// The `proxy_url` option, if any (empty counts as none).
    pub proxy_url: Option<&'a str>,
}

/// Whether `publishable_key` is a development key, or a key too broken to tell: a production
/// key is the only one whose start-up problems are hidden from end users.
///
/// ```
/// use clerk_core::diagnosis::is_development_key;
/// assert!(is_development_key("garbage"));
/// assert!(!is_development_key("pk_live_Y2xlcmsuZXhhbXBsZS5jb20k"));
/// ```
pub fn is_development_key(publishable_key: &str) -> bool {
    !publishable_key.trim().starts_with("pk_live_")
}

impl StartupContext<'_> {
    fn key(&self) -> Option<PublishableKey> {
        PublishableKey::parse(self.publishable_key.trim()).ok()
    }

    fn frontend_api(&self) -> String {
        self.key()
            .map(|k| k.frontend_api().to_owned())
            .unwrap_or_default()
    }

    fn is_dev_server_key(&self) -> bool {
        let host = self.frontend_api();
        host == DEV_SERVER_FRONTEND_API_HOST || host == DEV_SERVER_PRODUCTION_FRONTEND_API_HOST
    }
}

/// Why Clerk could not start (or cannot reach its Frontend API yet).
///
/// ```
/// use clerk_core::diagnosis::StartupProblem;
/// let p = StartupProblem::Offline;
/// assert!(!p.is_misconfiguration());
/// assert!(StartupProblem::EmptyKey.is_misconfiguration());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StartupProblem {
    /// No publishable key was given.
    EmptyKey,
    /// A secret key (`sk_…`) was given as the publishable key.
    SecretKey,
    /// The publishable key is not one.
    BadKey(KeyError),
    /// `proxy_url` is malformed, or relative with no page origin.
    BadProxyUrl(String),
    /// `clerk-dev-server`'s key with no `proxy_url`: requests go to a host nothing answers at.
    ProxyMissing {
        /// The key's Frontend API host.
        frontend_api: String,
    },
    /// `proxy_url` answered with something that is not Clerk (a web page: the app server or
    /// trunk has no proxy route for it).
    ProxyNotClerk {
        /// The `proxy_url` option.
        proxy_url: String,
        /// What came back, for the message.
        detail: String,
    },
    /// The proxy answered 502/503/504 without Clerk's envelope, or the request through it
    /// failed: whatever it forwards to (`clerk-dev-server` when developing) is not running.
    ProxyUpstreamDown {
        /// The `proxy_url` option.
        proxy_url: String,
        /// What came back, for the message.
        detail: String,
    },
    /// The Frontend API host could not be reached (DNS, TLS, CORS, connection) while the
    /// browser says it is online.
    Unreachable {
        /// The Frontend API host.
        frontend_api: String,
        /// The browser's error.
        detail: String,
    },
    /// The browser is offline.
    Offline,
    /// Clerk answered, and refused (an unknown instance, a rejected origin…), or answered in
    /// a way that cannot be read.
    Refused(String),
}

impl StartupProblem {
    /// Whether fixing it is the developer's job (as opposed to a network that may come back).
    ///
    /// ```
    /// use clerk_core::diagnosis::StartupProblem;
    /// assert!(StartupProblem::SecretKey.is_misconfiguration());
    /// ```
    pub fn is_misconfiguration(&self) -> bool {
        !matches!(self, Self::Offline | Self::Unreachable { .. })
    }

    /// One line: what is wrong.
    ///
    /// ```
    /// use clerk_core::diagnosis::StartupProblem;
    /// assert_eq!(StartupProblem::EmptyKey.title(), "The publishable key is empty");
    /// ```
    pub fn title(&self) -> String {
        match self {
            Self::EmptyKey => "The publishable key is empty".into(),
            Self::SecretKey => "A secret key was given as the publishable key".into(),
            Self::BadKey(e) => format!("The publishable key is not valid: {e}"),
            Self::BadProxyUrl(e) => format!("The proxy URL is not valid: {e}"),
            Self::ProxyMissing { frontend_api } => format!(
                "This is clerk-dev-server's key, and there is no proxy_url: requests go to \
                 {frontend_api}, where nothing answers"
            ),
            Self::ProxyNotClerk { proxy_url, detail } => format!(
                "The proxy URL {proxy_url} did not answer like Clerk's Frontend API ({detail})"
            ),
            Self::ProxyUpstreamDown { proxy_url, detail } => format!(
                "Nothing answers behind the proxy URL {proxy_url} ({detail}): is clerk-dev-server running?"
            ),
            Self::Unreachable {
                frontend_api,
                detail,
            } => format!("Clerk's Frontend API at {frontend_api} cannot be reached ({detail})"),
            Self::Offline => "The browser is offline".into(),
            Self::Refused(detail) => format!("Clerk refused to start: {detail}"),
        }
    }

    /// What to do about it.
    ///
    /// ```
    /// use clerk_core::diagnosis::StartupProblem;
    /// assert!(StartupProblem::Offline.fix().contains("connection"));
    /// ```
    pub fn fix(&self) -> String {
        let port = DEV_SERVER_PORT;
        match self {
            Self::EmptyKey | Self::BadKey(_) => "Pass the publishable key of your Clerk instance \
                 (pk_test_… or pk_live_…, from the Clerk dashboard's API keys page) to ClerkProvider, \
                 or the key clerk-dev-server prints on its second line."
                .into(),
            Self::SecretKey => "Never put a secret key (sk_…) in browser code: anyone can read it. \
                 Rotate it in the Clerk dashboard, and pass the publishable key (pk_test_… or \
                 pk_live_…) instead."
                .into(),
            Self::BadProxyUrl(_) => "Set proxy_url to an absolute http(s) URL or a path that starts \
                 with `/` (\"/\" when the page's own server forwards /v1/ to the Frontend API)."
                .into(),
            Self::ProxyMissing { .. } => format!(
                "Set proxy_url=\"/\" on ClerkProvider and forward /v1/ to the dev server: with trunk, \
                 add to Trunk.toml: [[proxy]] backend = \"http://127.0.0.1:{port}/v1/\""
            ),
            Self::ProxyNotClerk { .. } => format!(
                "Forward the proxy URL's /v1/ path to the Frontend API. With trunk and clerk-dev-server, \
                 add to Trunk.toml: [[proxy]] backend = \"http://127.0.0.1:{port}/v1/\"; with your \
                 own server, proxy /v1/ there."
            ),
            Self::ProxyUpstreamDown { .. } => format!(
                "Start the dev server (`cargo run -p clerk-dev-server` in the leptos-clerk repository, \
                 or `clerk-dev-server` once installed with cargo install); it listens on \
                 127.0.0.1:{port}, where the proxy must point. Clerk keeps retrying and starts when it answers."
            ),
            Self::Unreachable { .. } => "Check the key's instance and the network (a firewall, an \
                 ad blocker, a VPN). Clerk keeps retrying and starts when it answers."
                .into(),
            Self::Offline => "Check your connection: Clerk starts as soon as the browser is back online.".into(),
            Self::Refused(_) => "Check that the key belongs to an existing instance and that this \
                 origin is allowed for it (the Clerk dashboard's domains)."
                .into(),
        }
    }
}

/// Turns the error Clerk failed to start with into the problem to show.
///
/// ```
/// use clerk_core::diagnosis::{diagnose, StartupContext, StartupProblem};
/// use clerk_core::error::ClerkError;
/// let ctx = StartupContext { publishable_key: "", proxy_url: None };
/// assert_eq!(
///     diagnose(&ClerkError::from(clerk_core::key::KeyError::Empty), &ctx),
///     StartupProblem::EmptyKey
/// );
/// ```
pub fn diagnose(error: &ClerkError, ctx: &StartupContext<'_>) -> StartupProblem {
    // an empty proxy_url is no proxy (as for the endpoint)
    let proxy = ctx
        .proxy_url
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned);
    match error {
        ClerkError::Key(KeyError::Empty) => StartupProblem::EmptyKey,
        ClerkError::Key(KeyError::Prefix) if ctx.publishable_key.trim().starts_with("sk_") => {
            StartupProblem::SecretKey
        }
        ClerkError::Key(e) => StartupProblem::BadKey(e.clone()),
        ClerkError::Endpoint(e) => StartupProblem::BadProxyUrl(e.to_string()),
        ClerkError::Offline => StartupProblem::Offline,
        ClerkError::Network(detail) => match proxy {
            Some(proxy_url) => StartupProblem::ProxyUpstreamDown {
                proxy_url,
                detail: detail.clone(),
            },
            None if ctx.is_dev_server_key() => StartupProblem::ProxyMissing {
                frontend_api: ctx.frontend_api(),
            },
            None => StartupProblem::Unreachable {
                frontend_api: ctx.frontend_api(),
                detail: detail.clone(),
            },
        },
        ClerkError::Api { status, errors, .. } if errors.is_empty() => match proxy {
            Some(proxy_url) if matches!(status, 502..=504) => StartupProblem::ProxyUpstreamDown {
                proxy_url,
                detail: format!("HTTP {status}"),
            },
            Some(proxy_url) => StartupProblem::ProxyNotClerk {
                proxy_url,
                detail: format!("HTTP {status} without Clerk's error body"),
            },
            None => StartupProblem::Refused(format!("HTTP {status}")),
        },
        ClerkError::Decode(detail) => match proxy {
            Some(proxy_url) => StartupProblem::ProxyNotClerk {
                proxy_url,
                detail: format!("not Clerk's JSON: {detail}"),
            },
            None => StartupProblem::Refused(format!("an answer that is not Clerk's: {detail}")),
        },
        other => StartupProblem::Refused(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::InstanceType;

    fn dev_server_key() -> String {
        PublishableKey::build(DEV_SERVER_FRONTEND_API_HOST, InstanceType::Development)
            .as_str()
            .to_owned()
    }

    fn key_error(raw: &str) -> ClerkError {
        PublishableKey::parse(raw).unwrap_err().into()
    }

    #[test]
    fn keys() {
        let ctx = |k| StartupContext {
            publishable_key: k,
            proxy_url: None,
        };
        assert_eq!(diagnose(&key_error(""), &ctx("")), StartupProblem::EmptyKey);
        assert_eq!(
            diagnose(&key_error("sk_test_abc"), &ctx("sk_test_abc")),
            StartupProblem::SecretKey
        );
        assert_eq!(
            diagnose(&key_error("pk_test_%%%"), &ctx("pk_test_%%%")),
            StartupProblem::BadKey(KeyError::Base64)
        );
        assert_eq!(
            diagnose(&key_error("hello"), &ctx("hello")),
            StartupProblem::BadKey(KeyError::Prefix)
        );
        assert!(StartupProblem::SecretKey.fix().contains("Never"));
    }

    #[test]
    fn network_failures_by_where_they_went() {
        let key = dev_server_key();
        let err = ClerkError::Network("TypeError: Failed to fetch".into());
        let no_proxy = StartupContext {
            publishable_key: &key,
            proxy_url: None,
        };
        assert_eq!(
            diagnose(&err, &no_proxy),
            StartupProblem::ProxyMissing {
                frontend_api: DEV_SERVER_FRONTEND_API_HOST.into()
            }
        );
        let with_proxy = StartupContext {
            publishable_key: &key,
            proxy_url: Some("/"),
        };
        assert!(matches!(
            diagnose(&err, &with_proxy),
            StartupProblem::ProxyUpstreamDown { .. }
        ));
        let real =
            PublishableKey::build("foo-bar-13.clerk.accounts.dev", InstanceType::Development);
        let real_ctx = StartupContext {
            publishable_key: real.as_str(),
            proxy_url: None,
        };
        let p = diagnose(&err, &real_ctx);
        assert!(
            matches!(&p, StartupProblem::Unreachable { frontend_api, .. } if frontend_api == "foo-bar-13.clerk.accounts.dev")
        );
        assert!(!p.is_misconfiguration());
        assert_eq!(
            diagnose(&ClerkError::Offline, &real_ctx),
            StartupProblem::Offline
        );
    }

    #[test]
    fn proxies_that_do_not_answer_like_clerk() {
        let key = dev_server_key();
        let ctx = StartupContext {
            publishable_key: &key,
            proxy_url: Some("/"),
        };
        let bad_gateway = ClerkError::from_response(502, "<html>Bad Gateway</html>", None);
        assert!(matches!(
            diagnose(&bad_gateway, &ctx),
            StartupProblem::ProxyUpstreamDown { detail, .. } if detail == "HTTP 502"
        ));
        let not_found = ClerkError::from_response(404, "Not Found", None);
        assert!(matches!(
            diagnose(&not_found, &ctx),
            StartupProblem::ProxyNotClerk { .. }
        ));
        let html = ClerkError::Decode("expected value at line 1 column 1".into());
        let p = diagnose(&html, &ctx);
        assert!(matches!(p, StartupProblem::ProxyNotClerk { .. }));
        assert!(p.fix().contains("[[proxy]]"));
        // Clerk's own envelope is Clerk refusing, not the proxy
        let refused = ClerkError::from_response(
            400,
            r#"{"errors":[{"code":"origin_invalid","message":"bad origin"}]}"#,
            None,
        );
        assert!(matches!(
            diagnose(&refused, &ctx),
            StartupProblem::Refused(_)
        ));
    }

    #[test]
    fn every_problem_says_what_and_how() {
        let problems = [
            StartupProblem::EmptyKey,
            StartupProblem::SecretKey,
            StartupProblem::BadKey(KeyError::Base64),
            StartupProblem::BadProxyUrl("x".into()),
            StartupProblem::ProxyMissing {
                frontend_api: "h".into(),
            },
            StartupProblem::ProxyNotClerk {
                proxy_url: "/".into(),
                detail: "d".into(),
            },
            StartupProblem::ProxyUpstreamDown {
                proxy_url: "/".into(),
                detail: "d".into(),
            },
            StartupProblem::Unreachable {
                frontend_api: "h".into(),
                detail: "d".into(),
            },
            StartupProblem::Offline,
            StartupProblem::Refused("r".into()),
        ];
        for p in problems {
            assert!(!p.title().is_empty() && !p.fix().is_empty(), "{p:?}");
        }
    }
}
