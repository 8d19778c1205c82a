//! The cookies Clerk's servers read, written as clerk-js writes them: `__session`,
//! `__client_uat` (development instances) and `__clerk_db_jwt`, each also under the key's
//! suffixed name. Which cookies, names, values and attributes is `core::cookies::CookiePlan`;
//! this module only reads the page and assigns `document.cookie`.

use leptos::prelude::*;

use super::{Clerk, Inner};
use crate::core::cookies::{
    CLIENT_UAT, ClientFacts, CookiePlan, DEV_BROWSER, SESSION, read_either,
};
use crate::io::browser;

impl Clerk {
    fn cookie_plan(inner: &Inner) -> CookiePlan {
        CookiePlan::new(
            &inner.config.options.publishable_key,
            browser::page_facts(),
            browser::now(),
        )
    }

    /// Whether both copies of a cookie hold `value`.
    fn both_hold(plan: &CookiePlan, name: &str, value: &str) -> bool {
        plan.names(name)
            .iter()
            .all(|n| browser::cookie(n).as_deref() == Some(value))
    }

    /// Keeps the cookies Clerk's servers read in step with the state, as clerk-js does on
    /// every token update and client change: `__session` (+ suffixed) holds the current
    /// session's last token and goes when there is no signed-in session; for development
    /// instances on their own domain, `__client_uat` (+ suffixed) holds the client's
    /// `updated_at` in seconds, `0` when signed out.
    pub(crate) fn sync_cookies(&self) {
        if !cfg!(target_arch = "wasm32") {
            return;
        }
        let Ok(inner) = self.inner() else { return };
        let plan = Self::cookie_plan(&inner);
        let token = self
            .session_data
            .try_with_untracked(|s| {
                let s = s.as_ref()?;
                s.status
                    .is_signed_in()
                    .then(|| s.last_active_token.as_ref().map(|t| t.jwt.clone()))?
            })
            .flatten()
            .filter(|t| !t.is_empty());
        match &token {
            Some(t) if !Self::both_hold(&plan, SESSION, t) => {
                browser::write_cookies(&plan.session(Some(t)));
            }
            None if plan
                .names(SESSION)
                .iter()
                .any(|n| browser::cookie(n).is_some()) =>
            {
                browser::write_cookies(&plan.session(None));
            }
            _ => {}
        }
        if !plan.writes_client_uat() || !self.client_loaded.try_get_untracked().unwrap_or(false) {
            return;
        }
        let client = self
            .client_data
            .try_with_untracked(|c| match c {
                Some(c) => ClientFacts {
                    updated_at: Some(c.updated_at),
                    signed_in: c.signed_in_sessions().next().is_some(),
                },
                None => ClientFacts {
                    updated_at: None,
                    signed_in: false,
                },
            })
            .unwrap_or(ClientFacts {
                updated_at: None,
                signed_in: false,
            });
        let value = crate::core::cookies::client_uat_value(client.updated_at, client.signed_in);
        if Self::both_hold(&plan, CLIENT_UAT, &value) {
            return;
        }
        let (same_site, secure) = plan.client_uat_attributes();
        let domain = browser::cookie_domain(same_site, secure);
        browser::write_cookies(&plan.client_uat(Some(client), &domain));
    }

    /// The dev-browser token in the cookie, suffixed name first (clerk-js's
    /// `devBrowserCookie.get()`).
    pub(crate) fn dev_browser_from_cookie(inner: &Inner) -> Option<String> {
        let [plain, suffixed] = Self::cookie_plan(inner).names(DEV_BROWSER);
        let (plain, suffixed) = (browser::cookie(&plain), browser::cookie(&suffixed));
        read_either(suffixed.as_deref(), plain.as_deref()).map(str::to_owned)
    }

    /// Keeps a dev-browser token in memory and in both cookies (clerk-js's `setDevBrowser`).
    /// Unchanged tokens (FAPI repeats `Clerk-Db-Jwt` on its answers) cost no cookie writes.
    pub(crate) fn store_dev_browser(&self, inner: &Inner, token: &str) {
        let plan = Self::cookie_plan(inner);
        let unchanged = inner.dev_browser.borrow().as_deref() == Some(token)
            && Self::both_hold(&plan, DEV_BROWSER, token);
        *inner.dev_browser.borrow_mut() = Some(token.to_owned());
        if !unchanged {
            browser::write_cookies(&plan.dev_browser(Some(token)));
        }
    }

    /// Forgets the dev-browser token, in memory and in every cookie variant (clerk-js's
    /// `clear()`, run by production instances at start-up and before a new dev browser).
    pub(crate) fn clear_dev_browser(inner: &Inner) {
        inner.dev_browser.borrow_mut().take();
        browser::write_cookies(&Self::cookie_plan(inner).dev_browser(None));
    }

    /// clerk-js's `buildUrlWithAuth`: for a development instance, a URL on another origin
    /// carries the dev-browser token as the `__clerk_db_jwt` query parameter, so that the
    /// other origin (an account portal, a primary domain, an app on another port) shares this
    /// browser's sign-in. Same-origin URLs, paths and every URL of a production instance are
    /// returned unchanged.
    ///
    /// ```no_run
    /// # fn demo(clerk: leptos_clerk::Clerk) {
    /// assert_eq!(clerk.build_url_with_auth("/dashboard"), "/dashboard");
    /// let portal = clerk.build_url_with_auth("https://accounts.example.dev/sign-in");
    /// // development keys: "https://accounts.example.dev/sign-in?__clerk_db_jwt=dvb_…"
    /// # }
    /// ```
    pub fn build_url_with_auth(&self, to: &str) -> String {
        let Ok(inner) = self.inner() else {
            return to.to_owned();
        };
        let dev_browser = inner
            .dev_browser
            .borrow()
            .clone()
            .or_else(|| Self::dev_browser_from_cookie(&inner));
        let origin = browser::origin().unwrap_or_default();
        Self::cookie_plan(&inner).url_with_auth(to, &origin, dev_browser.as_deref())
    }

    /// Navigates to [`build_url_with_auth`](Self::build_url_with_auth)`(to)` (clerk-js's
    /// `redirectWithAuth`), if the URL is allowed (see [`navigate`](Self::navigate)).
    ///
    /// ```no_run
    /// # fn demo(clerk: leptos_clerk::Clerk) -> Result<(), leptos_clerk::ClerkError> {
    /// clerk.redirect_with_auth("/settings")?;
    /// # Ok(()) }
    /// ```
    pub fn redirect_with_auth(&self, to: &str) -> Result<(), crate::ClerkError> {
        self.navigate(&self.build_url_with_auth(to))
    }
}
