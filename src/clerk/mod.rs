//! The `Clerk` handle: reactive state (client, session, user, organization, status) and the
//! non-reactive machinery behind it (transport, token cache, timers, channels).

#[macro_use]
mod macros;
mod actions;
mod cookies;
mod fapi;
mod fetch;
mod load;
mod options;
mod organization;
mod resources;
mod sign_in;
mod sign_up;
mod tokens;
mod user;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use futures::FutureExt;
use futures::channel::oneshot;
use futures::future::{LocalBoxFuture, Shared};
use leptos::prelude::*;

use crate::core::authz::Authorization;
use crate::core::error::ClerkError;
use crate::core::initial_state::InitialState;
use crate::core::key::PublishableKey;
use crate::core::request::FapiEndpoint;
use crate::core::state::{self, AuthState};
use crate::core::token_cache::{TokenCache, TokenKey};
use crate::core::wire;

pub use actions::SessionTarget;
pub use actions::{SetActive, SignOut};
pub use fetch::AuthenticatedRequest;
pub use options::ClerkOptions;
pub use organization::{
    CreateOrganizationParams, MembershipsPage, OrganizationInvitationResource,
    OrganizationResource, UpdateOrganizationParams, UserOrganizationInvitationResource,
};
pub use resources::{ClientResource, SessionResource};
pub use sign_in::{
    AttemptFactor, PrepareFactor, ResetPassword, SignInCreate, SignInResource, SignInStep,
};
pub use sign_up::{SignUpFields, SignUpResource, SignUpStep};
pub use tokens::GetTokenOptions;
pub use user::{
    EmailAddressResource, PhoneNumberResource, SessionWithActivitiesResource, UpdateUser,
    UserResource,
};

/// Where the SDK stands.
///
/// ```
/// use leptos_clerk::ClerkStatus;
/// assert!(ClerkStatus::Degraded.is_usable());
/// assert!(!ClerkStatus::Loading.is_usable());
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ClerkStatus {
    /// Loading the environment and the client.
    Loading,
    /// Loaded and in touch with Clerk.
    Ready,
    /// Network trouble: state is kept and requests are retried.
    Degraded,
    /// Could not start (bad key, rejected origin…).
    Failed(ClerkError),
}

impl ClerkStatus {
    /// Whether the SDK can be used (ready or degraded).
    pub fn is_usable(&self) -> bool {
        matches!(self, Self::Ready | Self::Degraded)
    }
}

/// The Clerk handle: `Copy`, with read-only signals for the state and async methods for the
/// actions. Get it with [`use_clerk`](crate::use_clerk) inside a
/// [`ClerkProvider`](crate::ClerkProvider).
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::{use_clerk, SetActive};
///
/// #[component]
/// fn SwitchToAcme() -> impl IntoView {
///     let clerk = use_clerk();
///     let switch = move |_| {
///         leptos::task::spawn_local(async move {
///             let _ = clerk.set_active(SetActive::new().organization("acme")).await;
///         })
///     };
///     view! { <button on:click=switch>"Acme"</button> }
/// }
/// ```
#[derive(Clone, Copy)]
pub struct Clerk {
    client_data: RwSignal<Option<wire::Client>>,
    session_id: RwSignal<Option<String>>,
    environment_data: RwSignal<Option<wire::Environment>>,
    status_data: RwSignal<ClerkStatus>,
    /// Why the first load has not succeeded yet (cleared once Clerk is ready).
    startup_error: RwSignal<Option<ClerkError>>,
    /// A sign-out the server has not been told of yet (see `sign_out`).
    pending_sign_out: RwSignal<bool>,
    client_loaded: RwSignal<bool>,
    session_data: Memo<Option<wire::Session>>,
    auth_data: Memo<AuthState>,
    authz_data: Memo<Authorization>,
    derived: StoredValue<Option<Derived>>,
    /// The server-verified state the handle started from, until the browser's own client
    /// replaces it (SSR and hydration).
    seed: RwSignal<Option<Seed>>,
    config: StoredValue<Arc<Config>>,
    /// The browser's machinery; `None` on the server, where nothing loads.
    inner: Option<StoredValue<Rc<Inner>, LocalStorage>>,
}

/// What the handle knows from the server until the browser's client arrives.
#[derive(Clone, Debug, PartialEq)]
struct Seed {
    authorization: Authorization,
    claims: Option<crate::core::claims::SessionClaims>,
}

impl std::fmt::Debug for Clerk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Clerk")
            .field("status", &self.status_data.try_get_untracked())
            .field("session_id", &self.session_id.try_get_untracked())
            .finish_non_exhaustive()
    }
}

type TokenFuture = Shared<LocalBoxFuture<'static, Result<Option<String>, ClerkError>>>;

/// What the cache needs to refresh a token on its own.
#[derive(Clone, Debug)]
pub(crate) struct TokenParams {
    pub session_id: String,
    pub template: Option<String>,
    pub organization: Option<String>,
}

/// The handle's settings, the same on the server and in the browser.
pub(crate) struct Config {
    pub options: ClerkOptions,
    pub key: Result<PublishableKey, ClerkError>,
    pub endpoint: Result<FapiEndpoint, ClerkError>,
}

/// The non-reactive part of the handle in the browser.
pub(crate) struct Inner {
    pub config: Arc<Config>,
    pub dev_browser: RefCell<Option<String>>,
    pub tokens: RefCell<TokenCache>,
    pub token_params: RefCell<HashMap<TokenKey, TokenParams>>,
    pub last_refresh: RefCell<HashMap<TokenKey, i64>>,
    pub in_flight: RefCell<HashMap<TokenKey, TokenFuture>>,
    pub loaded_tx: RefCell<Option<oneshot::Sender<()>>>,
    pub loaded_rx: Shared<oneshot::Receiver<()>>,
    pub refresh_timer: RefCell<Option<gloo_timers::callback::Timeout>>,
    pub retry_timer: RefCell<Option<gloo_timers::callback::Timeout>>,
    pub channels: RefCell<Option<crate::io::broadcast::Channels>>,
    pub last_touch_ms: Cell<f64>,
    pub requests: Cell<u32>,
}

/// The public signals, made once per handle (they need the handle itself, so they are set
/// right after it is built).
#[derive(Clone, Copy)]
struct Derived {
    client: Memo<Option<ClientResource>>,
    session: Memo<Option<SessionResource>>,
    user: Memo<Option<UserResource>>,
    organization: Memo<Option<OrganizationResource>>,
    membership: Memo<Option<wire::OrganizationMembership>>,
}

impl Derived {
    fn new(clerk: Clerk) -> Self {
        // Memos of the resources, so that `.with()` reads them without a copy and readers
        // rerun only when the data changed.
        let session_data = clerk.session_data;
        let client_data = clerk.client_data;
        Self {
            client: Memo::new(move |_| {
                client_data.with(|c| c.clone().map(|data| ClientResource::new(clerk, data)))
            }),
            session: Memo::new(move |_| {
                session_data.with(|s| s.clone().map(|data| SessionResource::new(clerk, data)))
            }),
            user: Memo::new(move |_| {
                session_data.with(|s| {
                    let user = s.as_ref()?.user.clone()?;
                    Some(UserResource::new(clerk, user))
                })
            }),
            organization: Memo::new(move |_| {
                session_data.with(|s| {
                    let org = state::active_organization(s.as_ref()?)?.clone();
                    Some(OrganizationResource::new(clerk, org))
                })
            }),
            membership: Memo::new(move |_| {
                session_data.with(|s| state::active_membership(s.as_ref()?).cloned())
            }),
        }
    }
}

thread_local! {
    /// The browser's handle, for code outside the component tree (the server-function client).
    static CURRENT: Cell<Option<Clerk>> = const { Cell::new(None) };
}

/// Makes `clerk` the handle [`current_session_token`] uses.
pub(crate) fn set_current(clerk: Clerk) {
    CURRENT.with(|c| c.set(Some(clerk)));
}

/// A fresh token of the current session of the browser's handle, once it has loaded; `None`
/// when signed out, outside the browser, or when no token can be had (then the caller is
/// signed out on the server, which answers with a typed error).
pub(crate) async fn current_session_token() -> Option<String> {
    let clerk = CURRENT.with(Cell::get)?;
    clerk.loaded().await.ok()?;
    let session = clerk.session().try_get_untracked()??;
    match session.get_token(GetTokenOptions::default()).await {
        Ok(token) => token,
        Err(e) => {
            leptos::logging::warn!("leptos-clerk: no session token for the server function: {e}");
            None
        }
    }
}

/// How `apply_client` picks the current session.
pub(crate) enum Select {
    /// First load: the last active session, else the first signed-in one.
    Initial,
    /// Keep the current one if it is still signed in.
    Keep,
    /// This one, if signed in; `None` signs out locally.
    Set(Option<String>),
}

impl Clerk {
    /// Creates the handle (signals in the current reactive owner) without loading anything.
    /// With an `initial` state (from the server), it starts from that state: signed in or out,
    /// as the server rendered, until the browser's own client arrives.
    pub(crate) fn new(options: ClerkOptions, initial: Option<InitialState>) -> Self {
        let key = PublishableKey::parse(&options.publishable_key).map_err(ClerkError::from);
        let origin = crate::io::browser::origin();
        let endpoint = key.clone().and_then(|k| {
            FapiEndpoint::new(
                &k,
                options.proxy_url.as_deref(),
                options.domain.as_deref(),
                origin.as_deref(),
            )
            .map_err(ClerkError::from)
        });
        let config = Arc::new(Config {
            options,
            key,
            endpoint,
        });
        let inner = cfg!(target_arch = "wasm32").then(|| {
            let (loaded_tx, loaded_rx) = oneshot::channel();
            StoredValue::new_local(Rc::new(Inner {
                config: config.clone(),
                dev_browser: RefCell::new(None),
                tokens: RefCell::new(TokenCache::default()),
                token_params: RefCell::new(HashMap::new()),
                last_refresh: RefCell::new(HashMap::new()),
                in_flight: RefCell::new(HashMap::new()),
                loaded_tx: RefCell::new(Some(loaded_tx)),
                loaded_rx: loaded_rx.shared(),
                refresh_timer: RefCell::new(None),
                retry_timer: RefCell::new(None),
                channels: RefCell::new(None),
                last_touch_ms: Cell::new(0.0),
                requests: Cell::new(0),
            }))
        });
        let seeded = initial.as_ref().map(|i| {
            let claims = i.session_claims.clone().and_then(|c| {
                let header = serde_json::from_value(serde_json::json!({"alg": "RS256"})).ok()?;
                crate::core::claims::SessionClaims::from_parts("", header, c).ok()
            });
            let seed = Seed {
                authorization: i.authorization(),
                claims: claims.filter(|_| i.is_signed_in()),
            };
            let client = i.client();
            let session = client.last_active_session_id.clone();
            (client, session, seed)
        });
        let (client, session, seed) = match seeded {
            Some((client, session, seed)) => (Some(client), session, Some(seed)),
            None => (None, None, None),
        };
        let loaded = client.is_some();
        let client_data = RwSignal::new(client);
        let session_id = RwSignal::new(session);
        let client_loaded = RwSignal::new(loaded);
        let seed = RwSignal::new(seed);
        let session_data = Memo::new(move |_| {
            let id = session_id.get()?;
            client_data.with(|c| c.as_ref()?.session(&id).cloned())
        });
        let auth_data = Memo::new(move |_| {
            let loaded = client_loaded.get();
            session_data.with(|s| AuthState::derive(loaded, s.as_ref()))
        });
        let authz_data = Memo::new(move |_| {
            if let Some(a) = seed.with(|s| s.as_ref().map(|s| s.authorization.clone())) {
                return a;
            }
            session_data
                .with(|s| s.as_ref().map(state::authorization))
                .unwrap_or_default()
        });
        let clerk = Self {
            client_data,
            session_id,
            authz_data,
            derived: StoredValue::new(None),
            environment_data: RwSignal::new(None),
            status_data: RwSignal::new(ClerkStatus::Loading),
            startup_error: RwSignal::new(None),
            pending_sign_out: RwSignal::new(false),
            client_loaded,
            session_data,
            auth_data,
            seed,
            config: StoredValue::new(config),
            inner,
        };
        clerk.derived.set_value(Some(Derived::new(clerk)));
        clerk
    }

    /// The browser's machinery: an error on the server, where Clerk does not load.
    pub(crate) fn inner(&self) -> Result<Rc<Inner>, ClerkError> {
        let inner = self.inner.ok_or(ClerkError::NotInBrowser)?;
        inner.try_get_value().ok_or(ClerkError::Unmounted)
    }

    /// Whether the state still comes from the server (not yet from the browser's client).
    pub(crate) fn is_seeded(&self) -> bool {
        self.seed.with_untracked(Option::is_some)
    }

    /// The claims the server verified, while the state still comes from it.
    pub(crate) fn seeded_claims(&self) -> Option<Option<crate::core::claims::SessionClaims>> {
        self.seed.with(|s| s.as_ref().map(|s| s.claims.clone()))
    }

    /// The options the provider was given.
    pub fn options(&self) -> ClerkOptions {
        self.config
            .try_with_value(|c| c.options.clone())
            .unwrap_or_default()
    }

    /// The handle's settings.
    pub(crate) fn config(&self) -> Result<Arc<Config>, ClerkError> {
        self.config.try_get_value().ok_or(ClerkError::Unmounted)
    }

    fn derived(&self) -> Option<Derived> {
        self.derived.try_get_value().flatten()
    }

    /// The device's client: its sessions and the sign-in and sign-up in progress.
    pub fn client(&self) -> Signal<Option<ClientResource>> {
        self.derived()
            .map_or_else(|| Signal::derive(|| None), |d| d.client.into())
    }

    /// The current session (active or pending), `None` when signed out.
    pub fn session(&self) -> Signal<Option<SessionResource>> {
        self.derived()
            .map_or_else(|| Signal::derive(|| None), |d| d.session.into())
    }

    /// The current session's id, `None` when signed out. Unlike [`session`](Self::session),
    /// it does not change when the session's data does (a new token, a touch).
    ///
    /// ```no_run
    /// # fn demo(clerk: leptos_clerk::Clerk) {
    /// use leptos::prelude::*;
    /// let signed_in = move || clerk.session_id().with(Option::is_some);
    /// # }
    /// ```
    pub fn session_id(&self) -> Signal<Option<String>> {
        self.session_id.read_only().into()
    }

    /// The signed-in user.
    pub fn user(&self) -> Signal<Option<UserResource>> {
        self.derived()
            .map_or_else(|| Signal::derive(|| None), |d| d.user.into())
    }

    /// The active organization (clerk-js's `clerk.organization`), `None` for the personal
    /// account.
    ///
    /// ```no_run
    /// # async fn demo(clerk: leptos_clerk::Clerk) -> Result<(), leptos_clerk::ClerkError> {
    /// use leptos::prelude::*;
    /// if let Some(org) = clerk.organization().get_untracked() {
    ///     let roles = org.get_roles(Default::default()).await?;
    ///     println!("{} has {} roles", org.name, roles.total_count);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn organization(&self) -> Signal<Option<OrganizationResource>> {
        self.derived()
            .map_or_else(|| Signal::derive(|| None), |d| d.organization.into())
    }

    /// The membership in the active organization.
    pub fn membership(&self) -> Signal<Option<wire::OrganizationMembership>> {
        self.derived()
            .map_or_else(|| Signal::derive(|| None), |d| d.membership.into())
    }

    /// The instance's environment (settings), once loaded.
    pub fn environment(&self) -> Signal<Option<wire::Environment>> {
        self.environment_data.read_only().into()
    }

    /// Loading, ready, degraded or failed.
    pub fn status(&self) -> Signal<ClerkStatus> {
        self.status_data.read_only().into()
    }

    /// Why Clerk has not started, told for the developer (bad or secret key, Frontend API or
    /// proxy unreachable, clerk-dev-server not running, offline): `None` while loading normally
    /// and once ready. Clerk keeps retrying network trouble, so it can go back to `None`. The
    /// prebuilt components show it instead of loading forever, and with a development key the
    /// provider shows it in a dismissible notice.
    ///
    /// ```no_run
    /// use leptos::prelude::*;
    /// use leptos_clerk::use_clerk;
    ///
    /// #[component]
    /// fn WhyNot() -> impl IntoView {
    ///     let clerk = use_clerk();
    ///     move || clerk.startup_problem().get().map(|p| view! { <p>{p.title()} " " {p.fix()}</p> })
    /// }
    /// ```
    pub fn startup_problem(&self) -> Signal<Option<crate::core::diagnosis::StartupProblem>> {
        let error = self.startup_error;
        let config = self.config;
        Signal::derive(move || {
            let config = config.try_get_value()?;
            error.with(|e| {
                let ctx = crate::core::diagnosis::StartupContext {
                    publishable_key: &config.options.publishable_key,
                    proxy_url: config.options.proxy_url.as_deref(),
                };
                e.as_ref()
                    .map(|e| crate::core::diagnosis::diagnose(e, &ctx))
            })
        })
    }

    /// Records why the first load failed (shown by [`startup_problem`](Self::startup_problem)).
    pub(crate) fn note_startup_error(&self, error: &ClerkError) {
        if !self.client_loaded.try_get_untracked().unwrap_or(true) || self.is_seeded() {
            self.startup_error.try_set(Some(error.clone()));
        }
    }

    /// The auth state (pending sessions included as [`AuthState::Pending`]).
    pub fn auth_state(&self) -> Signal<AuthState> {
        self.auth_data.into()
    }

    /// Whether the client has been loaded (the auth state is known).
    pub fn is_loaded(&self) -> Signal<bool> {
        self.client_loaded.read_only().into()
    }

    /// Waits until the client is loaded, for route guards and resources outside components.
    /// Fails if Clerk could not start; keeps waiting through network trouble.
    ///
    /// ```no_run
    /// # async fn guard(clerk: leptos_clerk::Clerk) -> Result<(), leptos_clerk::ClerkError> {
    /// use leptos::prelude::*;
    /// clerk.loaded().await?;
    /// let signed_in = clerk.auth_state().get_untracked().is_signed_in() == Some(true);
    /// # Ok(()) }
    /// ```
    pub async fn loaded(&self) -> Result<(), ClerkError> {
        let rx = self.inner()?.loaded_rx.clone();
        let _ = rx.await;
        match self.status_data.try_get_untracked() {
            Some(ClerkStatus::Failed(e)) => Err(e),
            Some(_) => Ok(()),
            None => Err(ClerkError::Unmounted),
        }
    }

    /// The number of FAPI requests sent so far.
    pub fn request_count(&self) -> u32 {
        self.inner().map(|i| i.requests.get()).unwrap_or(0)
    }

    /// What `has()` checks against for the current session: organization role and
    /// permissions, features, plans and factor ages. Changes only when one of those does.
    pub fn authorization(&self) -> Signal<Authorization> {
        self.authz_data.into()
    }

    /// Whether the current user has a role, permission, feature or plan (reactive).
    pub fn has(&self, check: &crate::core::authz::Has) -> bool {
        self.authz_data.with(|a| a.has(check))
    }

    /// Replaces the client and chooses the current session, in one update.
    pub(crate) fn apply_client(&self, client: Option<wire::Client>, select: Select) {
        let Ok(inner) = self.inner() else { return };
        let current = self.session_id.get_untracked();
        let signed_in = |id: &str| {
            client
                .as_ref()
                .and_then(|c| c.session(id))
                .is_some_and(|s| s.status.is_signed_in())
        };
        let next = match select {
            Select::Initial => client
                .as_ref()
                .and_then(wire::Client::initial_session)
                .map(|s| s.id.clone()),
            Select::Keep => current.clone().filter(|id| signed_in(id)),
            Select::Set(id) => id.filter(|id| signed_in(id)),
        };
        if let Some(client) = &client {
            self.hydrate_tokens(client);
        }
        if let Some(old) = current
            .as_deref()
            .filter(|old| Some(*old) != next.as_deref())
        {
            inner.tokens.borrow_mut().remove_session(old);
        }
        self.client_data.try_set(client);
        self.session_id.try_set(next);
        self.client_loaded.try_set(true);
        if self.is_seeded() {
            self.seed.try_set(None);
        }
        self.sync_cookies();
        self.schedule_refresh();
    }

    pub(crate) fn set_status(&self, status: ClerkStatus) {
        if status == ClerkStatus::Ready && self.startup_error.with_untracked(Option::is_some) {
            self.startup_error.try_set(None);
        }
        if self.status_data.try_get_untracked().as_ref() != Some(&status) {
            self.status_data.try_set(status);
        }
    }

    pub(crate) fn resolve_loaded(&self) {
        if let Ok(inner) = self.inner()
            && let Some(tx) = inner.loaded_tx.borrow_mut().take()
        {
            let _ = tx.send(());
        }
    }

    /// Navigates to a URL: within the app through `router_push`/`router_replace` or a
    /// history push, elsewhere with a full page load.
    pub(super) fn go(&self, url: &str, replace: bool) {
        let options = self.options();
        let origin = crate::io::browser::origin().unwrap_or_default();
        let same_origin = crate::core::redirect::is_same_origin_path(url)
            || crate::core::redirect::origin_of(url).is_some_and(|o| o == origin);
        if !same_origin {
            crate::io::browser::assign(url);
            return;
        }
        let path = url.strip_prefix(origin.as_str()).unwrap_or(url).to_owned();
        let callback = if replace {
            options.router_replace.or(options.router_push)
        } else {
            options.router_push
        };
        match callback {
            Some(cb) => cb.run(path),
            None => crate::io::browser::push(&path, replace),
        }
    }
}
