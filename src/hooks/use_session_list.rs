use leptos::prelude::*;

use crate::clerk::{Clerk, SessionResource, SetActive};
use crate::core::error::ClerkError;

use super::use_clerk;

/// What [`use_session_list`] returns.
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::use_session_list;
/// # #[component] fn A() -> impl IntoView {
/// let list = use_session_list();
/// let accounts = move || list.sessions.with(Vec::len);
/// # view! { <p>{accounts}</p> } }
/// ```
#[derive(Clone, Copy)]
pub struct UseSessionListReturn {
    /// Whether Clerk has loaded.
    pub is_loaded: Signal<bool>,
    /// The client's signed-in sessions (active and pending).
    pub sessions: Signal<Vec<SessionResource>>,
    clerk: Clerk,
}

impl UseSessionListReturn {
    /// Makes a session (and/or organization) active.
    pub async fn set_active(&self, params: SetActive) -> Result<(), ClerkError> {
        self.clerk.set_active(params).await
    }
}

/// The signed-in sessions of this client, Clerk's `useSessionList` (multi-session apps).
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::{use_session_list, SetActive};
///
/// #[component]
/// fn Accounts() -> impl IntoView {
///     let list = use_session_list();
///     view! {
///         <For each=move || list.sessions.get() key=|s| s.id.clone() let:session>
///             <button on:click=move |_| {
///                 let id = session.id.clone();
///                 leptos::task::spawn_local(async move {
///                     let _ = list.set_active(SetActive::new().session(id.as_str())).await;
///                 });
///             }>{session.public_user_data.clone().unwrap_or_default().identifier}</button>
///         </For>
///     }
/// }
/// ```
///
/// ## Server-Side Rendering
/// Empty on the server.
#[track_caller]
pub fn use_session_list() -> UseSessionListReturn {
    let clerk = use_clerk();
    let sessions = Memo::new(move |_| {
        clerk
            .client()
            .with(|c| {
                c.as_ref()
                    .map(|c| c.data().signed_in_sessions().cloned().collect::<Vec<_>>())
            })
            .unwrap_or_default()
    });
    UseSessionListReturn {
        is_loaded: clerk.is_loaded(),
        sessions: Signal::derive(move || {
            sessions
                .get()
                .into_iter()
                .map(|s| SessionResource::new(clerk, s))
                .collect()
        }),
        clerk,
    }
}
