use leptos::prelude::*;

use crate::clerk::SessionResource;

use super::use_clerk;

/// What [`use_session`] returns.
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::use_session;
/// # #[component] fn A() -> impl IntoView {
/// let s = use_session();
/// let expires = move || s.session.get().map(|s| s.expire_at.to_rfc3339());
/// # view! { <p>{expires}</p> } }
/// ```
#[derive(Clone, Copy)]
pub struct UseSessionReturn {
    /// Whether Clerk has loaded.
    pub is_loaded: Signal<bool>,
    /// `None` while loading; pending sessions count as signed in here.
    pub is_signed_in: Signal<Option<bool>>,
    /// The current session (active or pending).
    pub session: Signal<Option<SessionResource>>,
}

/// The current session, Clerk's `useSession`.
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::use_session;
///
/// #[component]
/// fn LastActive() -> impl IntoView {
///     let s = use_session();
///     view! { <p>{move || s.session.get().map(|s| s.last_active_at.to_rfc3339())}</p> }
/// }
/// ```
///
/// ## Server-Side Rendering
/// Loading on the server.
#[track_caller]
pub fn use_session() -> UseSessionReturn {
    let clerk = use_clerk();
    UseSessionReturn {
        is_loaded: clerk.is_loaded(),
        is_signed_in: Memo::new(move |_| clerk.auth_state().with(|s| s.is_signed_in())).into(),
        session: clerk.session(),
    }
}
