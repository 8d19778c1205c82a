//! The instance's keys: given, else read from the dev server's `/v1/__dev/instance`.

use crate::proxy::Proxy;

/// The keys and endpoints a server works with.
#[derive(Clone, Debug, Default)]
pub struct Keys {
    /// `pk_test_…` / `pk_live_…`.
    pub publishable_key: String,
    /// `sk_…`.
    pub secret_key: String,
    /// The Backend API, when not Clerk's.
    pub api_url: Option<String>,
    /// Empty when there is none (the webhook endpoint then answers 500).
    pub webhook_secret: String,
}

impl Keys {
    /// `given`'s keys where set; the rest from the dev server behind `proxy` (its production
    /// instance's publishable key with `production`).
    pub async fn resolve(given: Keys, proxy: &Proxy, production: bool) -> Result<Keys, String> {
        if !given.publishable_key.is_empty() && !given.secret_key.is_empty() {
            return Ok(given);
        }
        let instance = proxy.dev_instance().await?;
        let field = |name: &str| instance[name].as_str().map(str::to_owned);
        let key_field = if production {
            "production_publishable_key"
        } else {
            "publishable_key"
        };
        let or = |given: String, name: &str| -> Result<String, String> {
            if given.is_empty() {
                field(name).ok_or_else(|| format!("/v1/__dev/instance: no {name}"))
            } else {
                Ok(given)
            }
        };
        Ok(Keys {
            publishable_key: or(given.publishable_key, key_field)?,
            secret_key: or(given.secret_key, "secret_key")?,
            api_url: given
                .api_url
                .or_else(|| field("backend_api_url"))
                .or_else(|| proxy.base().map(str::to_owned)),
            webhook_secret: if given.webhook_secret.is_empty() {
                field("webhook_signing_secret").unwrap_or_default()
            } else {
                given.webhook_secret
            },
        })
    }
}
