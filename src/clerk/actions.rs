//! `set_active`, `sign_out`, `handle_unauthenticated` and the redirect helpers.

use std::future::Future;
use std::rc::Rc;

use futures::FutureExt;
use futures::future::LocalBoxFuture;
use gloo_storage::Storage;
use leptos::prelude::*;

use super::fapi::Answer;
use super::{Clerk, Select, SessionResource};
use crate::core::error::ClerkError;
use crate::core::redirect::{AfterAuth, after_auth_url, is_allowed_redirect, with_query_param};
use crate::core::request::{FapiRequest, Method};
use crate::core::wire;
use crate::io::browser;

/// Where an unfinished sign-out is kept (see [`Clerk::sign_out`]).
const PENDING_SIGN_OUT_KEY: &str = "clerk_pending_sign_out";

/// A sign-out the server has not been told of yet: which instance and which session, no token.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct PendingSignOut {
    /// The publishable key it was made with (another app on this origin ignores it).
    key: String,
    /// The one session removed, or `None`: every session of the client.
    session_id: Option<String>,
}

type BeforeEmit = Rc<dyn Fn() -> LocalBoxFuture<'static, ()>>;

/// What [`Clerk::set_active`] should make active. Leaving a part unset keeps it as it is.
///
/// ```
/// use leptos_clerk::SetActive;
/// let to_acme = SetActive::new().session("sess_123").organization("acme");
/// let personal = SetActive::new().personal_account();
/// let signed_out = SetActive::new().no_session();
/// # let _ = (to_acme, personal, signed_out);
/// ```
#[derive(Clone, Default)]
pub struct SetActive {
    session: Option<Option<String>>,
    organization: Option<Option<String>>,
    redirect_url: Option<String>,
    before_emit: Option<BeforeEmit>,
}

impl std::fmt::Debug for SetActive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SetActive")
            .field("session", &self.session)
            .field("organization", &self.organization)
            .field("redirect_url", &self.redirect_url)
            .finish_non_exhaustive()
    }
}

/// Something that names a session: its id or the session itself.
///
/// ```
/// use leptos_clerk::{SessionTarget, SetActive};
/// assert_eq!("sess_1".session_id(), "sess_1");
/// let by_id = SetActive::new().session("sess_1");
/// # let _ = by_id;
/// ```
pub trait SessionTarget {
    /// The session's id.
    fn session_id(&self) -> String;
}

impl SessionTarget for &str {
    fn session_id(&self) -> String {
        (*self).to_owned()
    }
}

impl SessionTarget for String {
    fn session_id(&self) -> String {
        self.clone()
    }
}

impl SessionTarget for &String {
    fn session_id(&self) -> String {
        (*self).clone()
    }
}

impl SessionTarget for &SessionResource {
    fn session_id(&self) -> String {
        self.id.clone()
    }
}

impl SessionTarget for &wire::Session {
    fn session_id(&self) -> String {
        self.id.clone()
    }
}

impl SetActive {
    /// Keeps everything; add what should change.
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes this session current (its id or the session).
    pub fn session(mut self, session: impl SessionTarget) -> Self {
        self.session = Some(Some(session.session_id()));
        self
    }

    /// Clears the current session (signed out locally; the session itself stays).
    pub fn no_session(mut self) -> Self {
        self.session = Some(None);
        self
    }

    /// Makes an organization active, by id (`org_…`) or slug.
    pub fn organization(mut self, id_or_slug: impl Into<String>) -> Self {
        self.organization = Some(Some(id_or_slug.into()));
        self
    }

    /// Makes the personal account active (no organization).
    pub fn personal_account(mut self) -> Self {
        self.organization = Some(None);
        self
    }

    /// Navigates here once the change is made (checked against the allowed origins).
    pub fn redirect_url(mut self, url: impl Into<String>) -> Self {
        self.redirect_url = Some(url.into());
        self
    }

    /// Runs after the server answered and before the new state is set (for example to
    /// navigate away first).
    pub fn before_emit<F, Fut>(mut self, f: F) -> Self
    where
        F: Fn() -> Fut + 'static,
        Fut: Future<Output = ()> + 'static,
    {
        self.before_emit = Some(Rc::new(move || f().boxed_local()));
        self
    }
}

/// What [`Clerk::sign_out`] should do.
///
/// ```
/// use leptos_clerk::SignOut;
/// let everything = SignOut::default();
/// let one = SignOut { session_id: Some("sess_1".into()), redirect_url: Some("/bye".into()) };
/// # let _ = (everything, one);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SignOut {
    /// Sign out of this session only (multi-session); `None` signs out of all.
    pub session_id: Option<String>,
    /// Where to go afterwards (default: `after_sign_out_url`, else `/`).
    pub redirect_url: Option<String>,
}

impl Clerk {
    /// Makes a session and/or organization active (Clerk's `setActive`). The server is asked
    /// first (a touch of the session); the new state is set once, after it answered.
    pub async fn set_active(&self, params: SetActive) -> Result<(), ClerkError> {
        if !self.client_loaded.try_get_untracked().unwrap_or(false) {
            return Err(ClerkError::NotLoaded);
        }
        let current = self.session_id.try_get_untracked().flatten();
        let target = match &params.session {
            None => current.clone(),
            Some(None) => None,
            Some(Some(id)) => {
                let known = self
                    .client_data
                    .try_with_untracked(|c| {
                        c.as_ref()
                            .and_then(|c| c.session(id))
                            .map(|s| s.status.is_signed_in())
                    })
                    .flatten();
                match known {
                    Some(true) => Some(id.clone()),
                    Some(false) => {
                        return Err(ClerkError::Invalid(format!(
                            "session {id} is not signed in"
                        )));
                    }
                    None => {
                        return Err(ClerkError::Invalid(format!(
                            "no session {id} on this client"
                        )));
                    }
                }
            }
        };
        let Some(session_id) = target else {
            if let Some(before) = &params.before_emit {
                before().await;
            }
            self.apply_client(
                self.client_data.try_get_untracked().flatten(),
                Select::Set(None),
            );
            self.clear_tokens();
            return Ok(());
        };
        let session = self
            .client_data
            .try_with_untracked(|c| c.as_ref().and_then(|c| c.session(&session_id).cloned()))
            .flatten()
            .ok_or(ClerkError::NotLoaded)?;
        let organization = match &params.organization {
            None => session.last_active_organization_id.clone(),
            Some(None) => {
                let forced = self
                    .environment_data
                    .try_with_untracked(|e| {
                        e.as_ref()?
                            .organization_settings
                            .force_organization_selection
                    })
                    .flatten()
                    .unwrap_or(false);
                if forced {
                    return Err(ClerkError::Invalid(
                        "this instance requires an active organization".into(),
                    ));
                }
                None
            }
            Some(Some(id_or_slug)) => Some(resolve_organization(&session, id_or_slug)?),
        };
        let intent = if params.organization.is_some() {
            "select_org"
        } else {
            "select_session"
        };
        let request =
            FapiRequest::new(Method::Post, format!("/client/sessions/{session_id}/touch"))
                .field(
                    "active_organization_id",
                    organization.clone().unwrap_or_default(),
                )
                .field("intent", intent);
        let answer = match self.fetch_answer::<wire::Session>(&request).await {
            Ok(answer) => answer,
            Err(e) => {
                if e.is_unauthenticated() {
                    let _ = self.handle_unauthenticated().await;
                }
                return Err(e);
            }
        };
        let client = self.client_after_touch(answer);
        if let Some(before) = &params.before_emit {
            before().await;
        }
        let org_changed = organization != session.last_active_organization_id;
        if org_changed && let Ok(inner) = self.inner() {
            inner.tokens.borrow_mut().remove_session(&session_id);
        }
        self.apply_client(client, Select::Set(Some(session_id.clone())));
        if let Err(e) = self.token(&session_id, Default::default()).await {
            leptos::logging::warn!("leptos-clerk: no token after set_active: {e}");
        }
        if let Some(url) = params.redirect_url {
            self.navigate(&url)?;
        }
        Ok(())
    }

    /// Clerk's deprecated `setSession(session, beforeEmit)`: [`set_active`](Self::set_active)
    /// with a session only.
    #[deprecated(note = "use set_active(SetActive::new().session(..))")]
    pub async fn set_session(&self, session: Option<&str>) -> Result<(), ClerkError> {
        let params = match session {
            Some(id) => SetActive::new().session(id),
            None => SetActive::new().no_session(),
        };
        self.set_active(params).await
    }

    /// The client after a touch: the answer's client, or the current one with the touched
    /// session replaced (the touch answer's `client` may be null).
    fn client_after_touch(&self, answer: Answer<wire::Session>) -> Option<wire::Client> {
        if answer.client.is_some() {
            return answer.client;
        }
        let session = answer.response;
        let mut client = self.client_data.try_get_untracked().flatten();
        if let Some(c) = client.as_mut() {
            match c.sessions.iter_mut().find(|s| s.id == session.id) {
                Some(slot) => *slot = session,
                None => c.sessions.push(session),
            }
        }
        client
    }

    /// Signs out: of every session (`DELETE /v1/client/sessions`), or of one with
    /// `session_id`. Other tabs follow. The local sign-out always completes, even offline
    /// (the error is still returned). As in clerk-js, `__session` and its suffixed copy are
    /// removed and a development instance's `__client_uat` becomes `0` (while another session
    /// stays signed in, they follow that one).
    ///
    /// A sign-out the server could not be told of (network trouble, 5xx, 429) is not lost: the
    /// intent is kept (in `localStorage`: which session, never a token), retried as the network
    /// comes back, and finished before anything else on the next load, which stays signed out
    /// meanwhile. [`pending_sign_out`](Self::pending_sign_out) says when one is waiting.
    pub async fn sign_out(&self, params: SignOut) -> Result<(), ClerkError> {
        let current = self.session_id.try_get_untracked().flatten();
        let signed_in = self
            .client_data
            .try_with_untracked(|c| c.as_ref().map(|c| c.signed_in_sessions().count()))
            .flatten()
            .unwrap_or(0);
        let result = match &params.session_id {
            Some(id) if signed_in > 1 => {
                let request =
                    FapiRequest::new(Method::Post, format!("/client/sessions/{id}/remove"));
                let result = self
                    .call::<serde::de::IgnoredAny>(request)
                    .await
                    .map(|_| ());
                if let Ok(inner) = self.inner() {
                    inner.tokens.borrow_mut().remove_session(id);
                }
                self.keep_sign_out_if_unfinished(&result, Some(id));
                if current.as_deref() != Some(id.as_str()) {
                    return result;
                }
                if result.is_err() {
                    self.apply_client(
                        self.client_data.try_get_untracked().flatten(),
                        Select::Set(None),
                    );
                }
                result
            }
            _ => {
                let request = FapiRequest::new(Method::Delete, "/client/sessions");
                let result = self.fetch_answer::<Option<wire::Client>>(&request).await;
                let client = match &result {
                    Ok(answer) => answer.response.clone(),
                    Err(_) => None,
                }
                .or_else(|| self.client_data.try_get_untracked().flatten());
                let result = result.map(|_| ());
                self.keep_sign_out_if_unfinished(&result, None);
                self.apply_client(client, Select::Set(None));
                self.clear_tokens();
                result
            }
        };
        self.broadcast_sign_out();
        let after = params
            .redirect_url
            .unwrap_or_else(|| self.build_after_sign_out_url());
        let _ = self.navigate(&after);
        result
    }

    /// Whether a sign-out is waiting for the server (it could not be reached when the user
    /// signed out): the page is signed out meanwhile, and the sign-out finishes as soon as the
    /// Frontend API answers. The prebuilt SignIn tells the user.
    ///
    /// ```no_run
    /// use leptos::prelude::*;
    /// use leptos_clerk::use_clerk;
    ///
    /// #[component]
    /// fn SignOutStatus() -> impl IntoView {
    ///     let clerk = use_clerk();
    ///     move || clerk.pending_sign_out().get().then(|| "Signing out as soon as we are back online…")
    /// }
    /// ```
    pub fn pending_sign_out(&self) -> Signal<bool> {
        self.pending_sign_out.read_only().into()
    }

    /// Keeps the intent of a sign-out whose request failed in a way a retry can fix.
    fn keep_sign_out_if_unfinished(
        &self,
        result: &Result<(), ClerkError>,
        session_id: Option<&str>,
    ) {
        let (Err(e), Ok(config)) = (result, self.config()) else {
            return;
        };
        if !e.is_retryable() {
            return;
        }
        let pending = PendingSignOut {
            key: config.options.publishable_key.clone(),
            session_id: session_id.map(str::to_owned),
        };
        if let Err(e) = gloo_storage::LocalStorage::set(PENDING_SIGN_OUT_KEY, &pending) {
            leptos::logging::warn!("leptos-clerk: could not keep the unfinished sign-out: {e}");
        }
        self.pending_sign_out.try_set(true);
        self.schedule_recovery();
    }

    /// Finishes a sign-out kept by [`sign_out`](Self::sign_out): `Ok` when there is none left
    /// (done, or refused for good: the session is already gone), the error when the server still
    /// cannot be reached (the intent stays).
    pub(crate) async fn finish_pending_sign_out(&self) -> Result<(), ClerkError> {
        let Ok(config) = self.config() else {
            return Ok(());
        };
        let stored: Option<PendingSignOut> =
            gloo_storage::LocalStorage::get(PENDING_SIGN_OUT_KEY).ok();
        let Some(pending) = stored.filter(|p| p.key == config.options.publishable_key) else {
            self.pending_sign_out.try_set(false);
            return Ok(());
        };
        self.pending_sign_out.try_set(true);
        let request = match &pending.session_id {
            Some(id) => FapiRequest::new(Method::Post, format!("/client/sessions/{id}/remove")),
            None => FapiRequest::new(Method::Delete, "/client/sessions"),
        };
        match self.call_raw::<serde::de::IgnoredAny>(request).await {
            Err(e) if e.is_retryable() => Err(e),
            outcome => {
                if let Err(e) = outcome {
                    leptos::logging::warn!(
                        "leptos-clerk: the unfinished sign-out was refused: {e}"
                    );
                }
                gloo_storage::LocalStorage::delete(PENDING_SIGN_OUT_KEY);
                self.pending_sign_out.try_set(false);
                Ok(())
            }
        }
    }

    /// Clerk's `handleUnauthenticated`: reloads the client; if the current session is gone,
    /// signs out locally and tells the other tabs. Network trouble keeps the state.
    pub async fn handle_unauthenticated(&self) -> Result<(), ClerkError> {
        self.handle_unauthenticated_inner(true).await
    }

    pub(crate) async fn handle_unauthenticated_inner(
        &self,
        broadcast: bool,
    ) -> Result<(), ClerkError> {
        let before = self.session_id.try_get_untracked().flatten();
        match self.fetch_client().await {
            Ok(client) => self.apply_client(client, Select::Keep),
            // network trouble and gateway errors keep the state; 4xx and 500 mean the client is gone
            Err(e) if e.is_network() || e.status().is_some_and(|s| s > 500) => return Err(e),
            Err(e) => {
                self.apply_client(
                    self.client_data.try_get_untracked().flatten(),
                    Select::Set(None),
                );
                self.clear_tokens();
                return Err(e);
            }
        }
        let after = self.session_id.try_get_untracked().flatten();
        if before.is_some() && after.is_none() {
            self.clear_tokens();
            if broadcast {
                self.broadcast_sign_out();
            }
        }
        Ok(())
    }

    /// Tells the other tabs that this one signed out.
    fn broadcast_sign_out(&self) {
        if let Ok(inner) = self.inner()
            && let Some(channels) = inner.channels.borrow().as_ref()
        {
            channels.post_sign_out();
        }
    }

    /// Navigates to a URL if it is a same-origin path or one of `allowed_redirect_origins`
    /// (clerk-js's `navigate`): within the app through `router_push` or a history push,
    /// elsewhere with a full page load. Any other URL is refused.
    ///
    /// ```no_run
    /// # fn demo(clerk: leptos_clerk::Clerk) -> Result<(), leptos_clerk::ClerkError> {
    /// clerk.navigate("/dashboard")?;
    /// assert!(clerk.navigate("https://evil.example.com/").is_err());
    /// # Ok(()) }
    /// ```
    pub fn navigate(&self, url: &str) -> Result<(), ClerkError> {
        let origin = browser::origin().unwrap_or_default();
        if !is_allowed_redirect(url, &origin, &self.options().allowed_redirect_origins) {
            return Err(ClerkError::Invalid(format!(
                "redirect to `{url}` is not allowed"
            )));
        }
        self.go(url, false);
        Ok(())
    }

    /// The sign-in page URL (the `sign_in_url` option, else the instance's, else `/sign-in`)
    /// with `redirect_url` set to the given URL, else to the current page (clerk-js's
    /// `buildSignInUrl`).
    ///
    /// ```no_run
    /// # fn demo(clerk: leptos_clerk::Clerk) {
    /// let url = clerk.build_sign_in_url(Some("/dashboard"));
    /// assert!(url.ends_with("redirect_url=%2Fdashboard"));
    /// # }
    /// ```
    pub fn build_sign_in_url(&self, redirect_url: Option<&str>) -> String {
        let here = redirect_url.map(str::to_owned).or_else(browser::href);
        self.build_auth_page_url(false, None, here.as_deref())
    }

    /// The sign-up page URL, like [`build_sign_in_url`](Self::build_sign_in_url) (clerk-js's
    /// `buildSignUpUrl`).
    pub fn build_sign_up_url(&self, redirect_url: Option<&str>) -> String {
        let here = redirect_url.map(str::to_owned).or_else(browser::href);
        self.build_auth_page_url(true, None, here.as_deref())
    }

    /// The sign-in or sign-up page as Clerk picks it: `page` (a component's prop), else the
    /// provider's `sign_in_url` / `sign_up_url`, else the environment's (the instance's
    /// settings), else the key's Account Portal. `None` when there is none (with
    /// `clerk-dev-server` and no option set): the prebuilt components then show no link.
    ///
    /// ```no_run
    /// # fn demo(clerk: leptos_clerk::Clerk) {
    /// assert_eq!(clerk.configured_auth_page(true, Some("/join")).as_deref(), Some("/join"));
    /// # }
    /// ```
    pub fn configured_auth_page(&self, sign_up: bool, page: Option<&str>) -> Option<String> {
        let options = self.options();
        let option = if sign_up {
            options.sign_up_url
        } else {
            options.sign_in_url
        };
        let hosted = self
            .environment_data
            .try_with_untracked(|e| {
                let d = &e.as_ref()?.display_config;
                Some(if sign_up {
                    d.sign_up_url.clone()
                } else {
                    d.sign_in_url.clone()
                })
            })
            .flatten();
        let portal = self
            .config()
            .ok()
            .and_then(|c| c.key.clone().ok())
            .and_then(|k| k.account_portal_url(if sign_up { "sign-up" } else { "sign-in" }));
        page.map(str::to_owned)
            .into_iter()
            .chain(option)
            .chain(hosted)
            .chain(portal)
            .find(|u| !u.is_empty())
    }

    /// The sign-in (`sign_up == false`) or sign-up page: `page` if given (a component's
    /// prop), else the provider's option, else the instance's, else the key's Account Portal,
    /// else `/sign-in` / `/sign-up`;
    /// carrying `redirect_url` when given, else the current page's own `redirect_url`
    /// parameter if it has one. This is how the prebuilt SignIn links to SignUp and back. A
    /// page on another origin gets the dev browser ([`build_url_with_auth`](Self::build_url_with_auth)).
    ///
    /// ```no_run
    /// # fn demo(clerk: leptos_clerk::Clerk) {
    /// let sign_up = clerk.build_auth_page_url(true, Some("/join"), None);
    /// assert!(sign_up.starts_with("/join"));
    /// # }
    /// ```
    pub fn build_auth_page_url(
        &self,
        sign_up: bool,
        page: Option<&str>,
        redirect_url: Option<&str>,
    ) -> String {
        let default = if sign_up { "/sign-up" } else { "/sign-in" };
        let base = self
            .configured_auth_page(sign_up, page)
            .unwrap_or_else(|| default.to_owned());
        let target = redirect_url
            .map(str::to_owned)
            .or_else(|| browser::query_param("redirect_url"));
        let url = match target {
            Some(target) => with_query_param(&base, "redirect_url", &target),
            None => base,
        };
        self.build_url_with_auth(&url)
    }

    /// Goes to the sign-in page, coming back here afterwards.
    pub fn redirect_to_sign_in(&self, redirect_url: Option<&str>) {
        let url = self.build_sign_in_url(redirect_url);
        self.go(&url, false);
    }

    /// Goes to the sign-up page, coming back here afterwards.
    pub fn redirect_to_sign_up(&self, redirect_url: Option<&str>) {
        let url = self.build_sign_up_url(redirect_url);
        self.go(&url, false);
    }

    /// Where to go after a completed sign-in (clerk-js's `buildAfterSignInUrl`): the
    /// `sign_in_force_redirect_url` option, else the page's allowed `redirect_url` parameter,
    /// else `sign_in_fallback_redirect_url`, else `/`.
    pub fn build_after_sign_in_url(&self) -> String {
        let o = self.options();
        self.build_after_auth_url(
            o.sign_in_force_redirect_url.as_deref(),
            o.sign_in_fallback_redirect_url.as_deref(),
        )
    }

    /// Where to go after a completed sign-up (clerk-js's `buildAfterSignUpUrl`), like
    /// [`build_after_sign_in_url`](Self::build_after_sign_in_url) with the sign-up options.
    pub fn build_after_sign_up_url(&self) -> String {
        let o = self.options();
        self.build_after_auth_url(
            o.sign_up_force_redirect_url.as_deref(),
            o.sign_up_fallback_redirect_url.as_deref(),
        )
    }

    /// Where to go after signing out (clerk-js's `buildAfterSignOutUrl`): the
    /// `after_sign_out_url` option through [`build_url_with_auth`](Self::build_url_with_auth),
    /// else `/`.
    pub fn build_after_sign_out_url(&self) -> String {
        match self.options().after_sign_out_url {
            Some(url) => self.build_url_with_auth(&url),
            None => "/".to_owned(),
        }
    }

    /// Where to go after a sign-in or sign-up with these force and fallback URLs (a prebuilt
    /// component's props): `force`, else the page's `redirect_url` parameter when it is a
    /// same-origin path or an allowed origin, else `fallback`, else `/`; through
    /// [`build_url_with_auth`](Self::build_url_with_auth), as clerk-js's `buildAfterSignInUrl`.
    ///
    /// ```no_run
    /// # fn demo(clerk: leptos_clerk::Clerk) {
    /// assert_eq!(clerk.build_after_auth_url(Some("/welcome"), None), "/welcome");
    /// # }
    /// ```
    pub fn build_after_auth_url(&self, force: Option<&str>, fallback: Option<&str>) -> String {
        let o = self.options();
        let rules = AfterAuth {
            force,
            fallback,
            allowed: &o.allowed_redirect_origins,
        };
        let redirect = browser::query_param("redirect_url");
        let url = after_auth_url(
            &rules,
            redirect.as_deref(),
            &browser::origin().unwrap_or_default(),
        );
        self.build_url_with_auth(&url)
    }
}

/// An organization id from an id or a slug of the session user's memberships.
fn resolve_organization(session: &wire::Session, id_or_slug: &str) -> Result<String, ClerkError> {
    if id_or_slug.starts_with("org_") {
        return Ok(id_or_slug.to_owned());
    }
    session
        .user
        .as_ref()
        .and_then(|u| {
            u.organization_memberships
                .iter()
                .find(|m| m.organization.slug == id_or_slug)
        })
        .map(|m| m.organization.id.clone())
        .ok_or_else(|| {
            ClerkError::Invalid(format!(
                "no organization `{id_or_slug}` among the user's memberships"
            ))
        })
}
