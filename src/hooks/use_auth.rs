use leptos::prelude::*;

use crate::clerk::{Clerk, GetTokenOptions, SignOut};
use crate::core::authz::Has;
use crate::core::claims::SessionClaims;
use crate::core::error::ClerkError;
use crate::core::state::AuthState;
use crate::core::wire::Actor;

use super::use_clerk;

/// Options of [`use_auth_with_options`].
///
/// ```
/// use leptos_clerk::UseAuthOptions;
/// assert!(UseAuthOptions::default().treat_pending_as_signed_out);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UseAuthOptions {
    /// A pending session (tasks left) reads as signed out. Default true, as in Clerk.
    pub treat_pending_as_signed_out: bool,
}

impl Default for UseAuthOptions {
    fn default() -> Self {
        Self {
            treat_pending_as_signed_out: true,
        }
    }
}

/// What [`use_auth`] returns. Every field is its own memo: a token refresh or a touch does
/// not wake anything that reads only `is_signed_in`, `user_id` or `org_id`.
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::use_auth;
/// # #[component] fn A() -> impl IntoView {
/// let auth = use_auth();
/// let greeting = move || match auth.is_signed_in.get() {
///     None => "…".to_string(),
///     Some(false) => "Hello, stranger".to_string(),
///     Some(true) => format!("Hello, {}", auth.user_id.get().unwrap_or_default()),
/// };
/// # view! { <p>{greeting}</p> } }
/// ```
#[derive(Clone, Copy)]
pub struct UseAuthReturn {
    /// The whole state as one enum.
    pub state: Signal<AuthState>,
    /// Whether Clerk has loaded.
    pub is_loaded: Signal<bool>,
    /// `None` while loading.
    pub is_signed_in: Signal<Option<bool>>,
    /// The signed-in user.
    pub user_id: Signal<Option<String>>,
    /// The current session.
    pub session_id: Signal<Option<String>>,
    /// The active organization.
    pub org_id: Signal<Option<String>>,
    /// The role in it (`org:admin`).
    pub org_role: Signal<Option<String>>,
    /// Its slug.
    pub org_slug: Signal<Option<String>>,
    /// The impersonating actor, if any.
    pub actor: Signal<Option<Actor>>,
    /// The claims of the session's last token.
    pub session_claims: Signal<Option<SessionClaims>>,
    clerk: Clerk,
}

impl UseAuthReturn {
    /// Whether the user has a role, permission, feature or plan (reactive; false while
    /// loading or signed out).
    pub fn has(&self, check: &Has) -> bool {
        self.is_signed_in.get() == Some(true) && self.clerk.has(check)
    }

    /// A session token for the current session. `Ok(None)`: signed out.
    pub async fn get_token(&self, options: GetTokenOptions) -> Result<Option<String>, ClerkError> {
        match self.session_id.get_untracked() {
            Some(id) => self.clerk.token(&id, options).await,
            None => Ok(None),
        }
    }

    /// Signs out (all sessions, or the one given).
    pub async fn sign_out(&self, params: SignOut) -> Result<(), ClerkError> {
        self.clerk.sign_out(params).await
    }
}

/// Authentication state, Clerk's `useAuth`.
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::{use_auth, Has, GetTokenOptions};
///
/// #[component]
/// fn Greeting() -> impl IntoView {
///     let auth = use_auth();
///     let call_api = move |_| {
///         leptos::task::spawn_local(async move {
///             match auth.get_token(GetTokenOptions::default()).await {
///                 Ok(Some(jwt)) => { /* call your API with `Bearer {jwt}` */ }
///                 Ok(None) => { /* signed out */ }
///                 Err(e) => leptos::logging::error!("{e}"),
///             }
///         })
///     };
///     view! {
///         <p>{move || auth.user_id.get().unwrap_or_default()}</p>
///         <Show when=move || auth.has(&Has::role("org:admin"))>
///             <button on:click=call_api>"Admin action"</button>
///         </Show>
///     }
/// }
/// ```
///
/// ## Server-Side Rendering
/// On the server everything reads as loading.
#[track_caller]
pub fn use_auth() -> UseAuthReturn {
    use_auth_with_options(UseAuthOptions::default())
}

/// [`use_auth`] with options.
///
/// ```no_run
/// use leptos_clerk::{use_auth_with_options, UseAuthOptions};
/// let auth = use_auth_with_options(UseAuthOptions { treat_pending_as_signed_out: false });
/// ```
#[track_caller]
pub fn use_auth_with_options(options: UseAuthOptions) -> UseAuthReturn {
    let clerk = use_clerk();
    let pending_out = options.treat_pending_as_signed_out;
    let state = Memo::new(move |_| {
        clerk
            .auth_state()
            .get()
            .treat_pending_as_signed_out(pending_out)
    });
    let pick = move |f: fn(&AuthState) -> Option<&str>| -> Signal<Option<String>> {
        Memo::new(move |_| state.with(|s| f(s).map(str::to_owned))).into()
    };
    let signed_in = move |s: &AuthState| match s {
        AuthState::SignedIn(s) => Some(s.clone()),
        _ => None,
    };
    let org_role = Memo::new(move |_| state.with(|s| signed_in(s)?.org_role));
    let org_slug = Memo::new(move |_| state.with(|s| signed_in(s)?.org_slug));
    let actor = Memo::new(move |_| state.with(|s| signed_in(s)?.actor));
    let session_claims = Memo::new(move |_| {
        if state.with(|s| s.session_id().is_none()) {
            return None;
        }
        if let Some(claims) = clerk.seeded_claims() {
            return claims;
        }
        clerk.session().with(|s| {
            let token = s.as_ref()?.last_active_token.as_ref()?;
            SessionClaims::decode(&token.jwt).ok()
        })
    });
    UseAuthReturn {
        state: state.into(),
        is_loaded: Memo::new(move |_| state.with(AuthState::is_loaded)).into(),
        is_signed_in: Memo::new(move |_| state.with(AuthState::is_signed_in)).into(),
        user_id: pick(AuthState::user_id),
        session_id: pick(AuthState::session_id),
        org_id: pick(AuthState::org_id),
        org_role: org_role.into(),
        org_slug: org_slug.into(),
        actor: actor.into(),
        session_claims: session_claims.into(),
        clerk,
    }
}
