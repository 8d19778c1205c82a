//! The `Set-Cookie` strings the server writes: FAPI's own cookies (`__client`, the
//! production `__client_uat`, the production handshake payload) and the handshake's directives,
//! which the app's server forwards to the browser on its own domain.
//!
//! Names come from `clerk_core::cookies`. None has a `Domain`: the server and the apps of a
//! test run share the host `127.0.0.1` (cookies ignore ports), so host-only cookies reach both.
//! `Secure` is added only for https: FAPI's cookies when the request came over https
//! (`X-Forwarded-Proto`), the directives when the app's `redirect_url` is https.

use clerk_core::cookies::{
    cookie_suffix, suffixed, CLIENT, CLIENT_UAT, DEV_BROWSER, HANDSHAKE, HANDSHAKE_NONCE, SESSION,
};

use crate::{AppState, Instance};

/// One year, the lifetime clerk-js gives `__session`, `__client_uat` and `__clerk_db_jwt`.
pub(crate) const ONE_YEAR_SECS: i64 = 365 * 24 * 3600;

/// How long the production handshake cookie lives: as long as its nonce.
pub(crate) const HANDSHAKE_COOKIE_SECS: i64 = crate::handshake::NONCE_LIFETIME_MS / 1000;

/// `SameSite` values.
#[derive(Clone, Copy)]
enum SameSite {
    Lax,
    Strict,
}

/// `name=value; Path=/; Max-Age=…; SameSite=…[; Secure][; HttpOnly]`.
fn cookie(
    name: &str,
    value: &str,
    max_age: i64,
    same_site: SameSite,
    secure: bool,
    http_only: bool,
) -> String {
    let same_site = match same_site {
        SameSite::Lax => "Lax",
        SameSite::Strict => "Strict",
    };
    let mut out = format!("{name}={value}; Path=/; Max-Age={max_age}; SameSite={same_site}");
    if secure {
        out.push_str("; Secure");
    }
    if http_only {
        out.push_str("; HttpOnly");
    }
    out
}

/// FAPI's `__client` cookie of a cookie-mode client (HttpOnly, a year).
pub(crate) fn fapi_client(token: &str, secure: bool) -> String {
    cookie(CLIENT, token, ONE_YEAR_SECS, SameSite::Lax, secure, true)
}

/// FAPI's `__client_uat` cookies for a production client, plain and suffixed with the
/// production key's suffix: `SameSite=Lax`, a year, readable by the app's server.
pub(crate) fn fapi_client_uat(state: &AppState, uat: i64, secure: bool) -> [String; 2] {
    let suffix = cookie_suffix(&state.production_publishable_key);
    let value = uat.to_string();
    [
        cookie(
            CLIENT_UAT,
            &value,
            ONE_YEAR_SECS,
            SameSite::Lax,
            secure,
            false,
        ),
        cookie(
            &suffixed(CLIENT_UAT, &suffix),
            &value,
            ONE_YEAR_SECS,
            SameSite::Lax,
            secure,
            false,
        ),
    ]
}

/// The production handshake payload as a cookie (`__clerk_handshake` or
/// `__clerk_handshake_nonce`), living as long as a nonce.
pub(crate) fn fapi_handshake(name: &str, value: &str, secure: bool) -> String {
    cookie(
        name,
        value,
        HANDSHAKE_COOKIE_SECS,
        SameSite::Lax,
        secure,
        true,
    )
}

/// What the handshake tells the app's server to set.
pub(crate) struct DirectiveInput<'a> {
    /// The instance (its key gives the cookie suffix).
    pub instance: Instance,
    /// A fresh session token, `None` when signed out.
    pub session_token: Option<&'a str>,
    /// The `__client_uat` value.
    pub client_uat: i64,
    /// The dev-browser token (development only).
    pub dev_browser: Option<&'a str>,
    /// `suffixed_cookies=true`: write the suffixed copies too.
    pub suffixed: bool,
    /// The app is on https.
    pub secure: bool,
}

/// The handshake's `Set-Cookie` directives, each cookie under its plain name and, with
/// `suffixed`, under its suffixed name too (clerk-js always writes both copies): signed in,
/// `__session` holds the token; signed out, `__session` is cleared. `__client_uat` is always set
/// (0 when signed out), `__clerk_db_jwt` in development. In production the handshake cookie
/// itself is cleared, so a later request does not resolve the same (single-use) payload again.
/// The attributes are clerk-js's (`core/auth/cookies/*.ts`): `__session` and `__clerk_db_jwt`
/// `SameSite=Lax`, `__client_uat` `SameSite=Strict`, a year each.
pub(crate) fn directives(state: &AppState, d: &DirectiveInput) -> Vec<String> {
    let suffix = cookie_suffix(state.publishable_key_of(d.instance));
    let names = |name: &str| {
        let mut out = vec![name.to_owned()];
        if d.suffixed {
            out.push(suffixed(name, &suffix));
        }
        out
    };
    let mut out = Vec::new();
    for name in names(SESSION) {
        out.push(match d.session_token {
            Some(token) => cookie(&name, token, ONE_YEAR_SECS, SameSite::Lax, d.secure, false),
            None => cookie(&name, "", 0, SameSite::Lax, d.secure, false),
        });
    }
    for name in names(CLIENT_UAT) {
        out.push(cookie(
            &name,
            &d.client_uat.to_string(),
            ONE_YEAR_SECS,
            SameSite::Strict,
            d.secure,
            false,
        ));
    }
    if let Some(token) = d.dev_browser {
        for name in names(DEV_BROWSER) {
            out.push(cookie(
                &name,
                token,
                ONE_YEAR_SECS,
                SameSite::Lax,
                d.secure,
                false,
            ));
        }
    }
    if d.instance == Instance::Production {
        for name in [HANDSHAKE, HANDSHAKE_NONCE] {
            out.push(cookie(name, "", 0, SameSite::Lax, d.secure, true));
        }
    }
    out
}
