//! Publishable keys: `pk_test_…` / `pk_live_…`, base64 of `"{frontend api host}$"`.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};

use super::wire::InstanceType;

/// Host suffixes of Clerk development and staging Frontend APIs. A key whose host ends with
/// one of these talks to FAPI in dev-browser mode (a token in the query instead of cookies).
///
/// ```
/// use clerk_core::key::DEV_HOST_SUFFIXES;
/// assert!(DEV_HOST_SUFFIXES.iter().any(|s| "foo-bar-13.clerk.accounts.dev".ends_with(s)));
/// ```
pub const DEV_HOST_SUFFIXES: &[&str] = &[
    ".lcl.dev",
    ".lclstage.dev",
    ".stg.dev",
    ".stgstage.dev",
    ".dev.lclclerk.com",
    ".stg.lclclerk.com",
    ".accounts.lclclerk.com",
    "accountsstage.dev",
    "accounts.dev",
];

/// Why a publishable key was refused.
///
/// ```
/// use clerk_core::key::{PublishableKey, KeyError};
/// assert_eq!(PublishableKey::parse("sk_test_abc"), Err(KeyError::Prefix));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The key is empty.
    #[error("the publishable key is empty")]
    Empty,
    /// It does not start with `pk_test_` or `pk_live_`.
    #[error("a publishable key starts with `pk_test_` or `pk_live_` (is this a secret key?)")]
    Prefix,
    /// The part after the prefix is not base64.
    #[error("the publishable key's payload is not valid base64")]
    Base64,
    /// The decoded payload is not text.
    #[error("the publishable key's payload is not UTF-8 text")]
    Utf8,
    /// The decoded payload does not end with exactly one `$`.
    #[error("the publishable key's payload must end with a single `$`")]
    Dollar,
    /// The host has no `.`.
    #[error("the publishable key's host `{0}` has no dot")]
    Host(String),
}

/// A decoded publishable key.
///
/// ```
/// use clerk_core::key::PublishableKey;
/// use clerk_core::wire::InstanceType;
/// let key = PublishableKey::build("foo-bar-13.clerk.accounts.dev", InstanceType::Development);
/// assert!(key.as_str().starts_with("pk_test_"));
/// let parsed = PublishableKey::parse(key.as_str()).unwrap();
/// assert_eq!(parsed.frontend_api(), "foo-bar-13.clerk.accounts.dev");
/// assert!(parsed.is_dev_browser_host());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishableKey {
    raw: String,
    instance_type: InstanceType,
    frontend_api: String,
}

impl PublishableKey {
    /// Decodes a key. Padding of the base64 part is optional, as in browsers' `atob`.
    pub fn parse(key: &str) -> Result<Self, KeyError> {
        let key = key.trim();
        if key.is_empty() {
            return Err(KeyError::Empty);
        }
        let (instance_type, payload) = if let Some(rest) = key.strip_prefix("pk_live_") {
            (InstanceType::Production, rest)
        } else if let Some(rest) = key.strip_prefix("pk_test_") {
            (InstanceType::Development, rest)
        } else {
            return Err(KeyError::Prefix);
        };
        if payload.is_empty() || payload.contains('_') {
            return Err(KeyError::Base64);
        }
        let bytes = STANDARD_NO_PAD
            .decode(payload.trim_end_matches('='))
            .map_err(|_| KeyError::Base64)?;
        let text = String::from_utf8(bytes).map_err(|_| KeyError::Utf8)?;
        let host = text.strip_suffix('$').ok_or(KeyError::Dollar)?;
        if host.contains('$') {
            return Err(KeyError::Dollar);
        }
        if !host.contains('.') {
            return Err(KeyError::Host(host.to_owned()));
        }
        Ok(Self {
            raw: key.to_owned(),
            instance_type,
            frontend_api: host.to_owned(),
        })
    }

    /// Builds the key of a Frontend API host (`pk_live_` for production, else `pk_test_`).
    pub fn build(frontend_api: &str, instance_type: InstanceType) -> Self {
        let prefix = match instance_type {
            InstanceType::Production => "pk_live_",
            _ => "pk_test_",
        };
        let payload = STANDARD.encode(format!("{frontend_api}$"));
        Self {
            raw: format!("{prefix}{}", payload.trim_end_matches('=')),
            instance_type: match instance_type {
                InstanceType::Production => InstanceType::Production,
                _ => InstanceType::Development,
            },
            frontend_api: frontend_api.to_owned(),
        }
    }

    /// The key as given.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The Frontend API host, such as `clerk.example.com` (may carry a port).
    pub fn frontend_api(&self) -> &str {
        &self.frontend_api
    }

    /// The instance's Account Portal page (`sign-in` or `sign-up`), where Clerk sends users when
    /// an app configures no page of its own: `https://accounts.example.com/sign-up` for the
    /// production host `clerk.example.com`, `https://foo-bar-13.accounts.dev/sign-up` for the
    /// development host `foo-bar-13.clerk.accounts.dev`. `None` for a host with no Account
    /// Portal (`clerk-dev-server`, a custom proxy host).
    ///
    /// ```
    /// use clerk_core::key::PublishableKey;
    /// use clerk_core::wire::InstanceType;
    /// let prod = PublishableKey::build("clerk.example.com", InstanceType::Production);
    /// assert_eq!(prod.account_portal_url("sign-up").as_deref(), Some("https://accounts.example.com/sign-up"));
    /// let dev = PublishableKey::build("foo-bar-13.clerk.accounts.dev", InstanceType::Development);
    /// assert_eq!(dev.account_portal_url("sign-in").as_deref(), Some("https://foo-bar-13.accounts.dev/sign-in"));
    /// let local = PublishableKey::build("clerk-dev-server.lcl.dev", InstanceType::Development);
    /// assert_eq!(local.account_portal_url("sign-in"), None);
    /// ```
    pub fn account_portal_url(&self, page: &str) -> Option<String> {
        let host = self.frontend_api.split(':').next().unwrap_or_default();
        let portal = if let Some(slug) = host.strip_suffix(".clerk.accounts.dev") {
            format!("{slug}.accounts.dev")
        } else if let Some(domain) = host.strip_prefix("clerk.") {
            format!("accounts.{domain}")
        } else {
            return None;
        };
        (!portal.starts_with('.')).then(|| format!("https://{portal}/{page}"))
    }

    /// Production for `pk_live_`, development for `pk_test_`.
    pub fn instance_type(&self) -> InstanceType {
        self.instance_type.clone()
    }

    /// Whether the key is a development key (`pk_test_`).
    pub fn is_development(&self) -> bool {
        self.instance_type != InstanceType::Production
    }

    /// Whether the host is a Clerk development host, where clients identify themselves with a
    /// dev-browser token rather than a cookie.
    pub fn is_dev_browser_host(&self) -> bool {
        let host = self.frontend_api.split(':').next().unwrap_or_default();
        DEV_HOST_SUFFIXES.iter().any(|s| host.ends_with(s))
    }
}

impl std::fmt::Display for PublishableKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(text: &str) -> String {
        STANDARD.encode(text)
    }

    #[test]
    fn decodes_padded_and_unpadded_keys() {
        let padded = format!("pk_test_{}", encode("abc.clerk.accounts.dev$"));
        assert!(padded.ends_with('='));
        let unpadded = padded.trim_end_matches('=');
        for key in [padded.as_str(), unpadded] {
            let k = PublishableKey::parse(key).unwrap();
            assert_eq!(k.frontend_api(), "abc.clerk.accounts.dev");
            assert!(k.is_development() && k.is_dev_browser_host());
        }
    }

    #[test]
    fn live_keys_are_production_and_use_cookies() {
        let k =
            PublishableKey::parse(&format!("pk_live_{}", encode("clerk.example.com$"))).unwrap();
        assert_eq!(k.instance_type(), InstanceType::Production);
        assert!(!k.is_dev_browser_host());
    }

    #[test]
    fn hosts_may_carry_a_port() {
        let k = PublishableKey::parse(&format!("pk_test_{}", encode("127.0.0.1:3000$"))).unwrap();
        assert_eq!(k.frontend_api(), "127.0.0.1:3000");
    }

    #[test]
    fn bad_keys_say_what_is_wrong() {
        let cases = [
            ("", KeyError::Empty),
            ("   ", KeyError::Empty),
            ("pk_prod_abc", KeyError::Prefix),
            ("sk_test_abc", KeyError::Prefix),
            ("pk_test_", KeyError::Base64),
            ("pk_test_!!!!", KeyError::Base64),
            ("pk_test_a_b", KeyError::Base64),
        ];
        for (key, err) in cases {
            assert_eq!(PublishableKey::parse(key), Err(err), "{key:?}");
        }
        let no_dollar = format!("pk_test_{}", encode("clerk.example.com"));
        assert_eq!(PublishableKey::parse(&no_dollar), Err(KeyError::Dollar));
        let two_dollars = format!("pk_test_{}", encode("clerk$.example.com$"));
        assert_eq!(PublishableKey::parse(&two_dollars), Err(KeyError::Dollar));
        let no_dot = format!("pk_test_{}", encode("localhost$"));
        assert_eq!(
            PublishableKey::parse(&no_dot),
            Err(KeyError::Host("localhost".into()))
        );
        let binary = format!("pk_test_{}", STANDARD.encode([0xff, 0xfe, b'$']));
        assert_eq!(PublishableKey::parse(&binary), Err(KeyError::Utf8));
    }

    #[test]
    fn build_round_trips() {
        let k = PublishableKey::build("clerk.example.com", InstanceType::Production);
        assert!(k.as_str().starts_with("pk_live_"));
        assert_eq!(PublishableKey::parse(k.as_str()).unwrap(), k);
    }
}
