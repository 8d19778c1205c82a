use leptos::prelude::*;

use crate::clerk::UserResource;
use crate::core::error::ClerkError;

use super::use_clerk;

/// What [`use_user`] returns.
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::use_user;
/// # #[component] fn A() -> impl IntoView {
/// let u = use_user();
/// let refresh = move |_| leptos::task::spawn_local(async move { let _ = u.reload().await; });
/// # view! { <button on:click=refresh>"Refresh"</button> } }
/// ```
#[derive(Clone, Copy)]
pub struct UseUserReturn {
    /// Whether Clerk has loaded.
    pub is_loaded: Signal<bool>,
    /// `None` while loading.
    pub is_signed_in: Signal<Option<bool>>,
    /// The signed-in user.
    pub user: Signal<Option<UserResource>>,
    clerk: crate::Clerk,
}

impl UseUserReturn {
    /// Reloads the user from the server (for example after the backend changed its
    /// metadata) and refreshes the session token so its claims follow.
    pub async fn reload(&self) -> Result<(), ClerkError> {
        let Some(user) = self.user.get_untracked() else {
            return Err(ClerkError::SignedOut);
        };
        user.reload().await?;
        if let Some(session) = self.clerk.session().get_untracked() {
            session
                .get_token(crate::GetTokenOptions {
                    skip_cache: true,
                    ..Default::default()
                })
                .await?;
        }
        Ok(())
    }
}

/// The signed-in user, Clerk's `useUser`.
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::use_user;
///
/// #[component]
/// fn Hello() -> impl IntoView {
///     let u = use_user();
///     view! { <p>"Hello " {move || u.user.get().map(|u| u.display_name())}</p> }
/// }
/// ```
///
/// ## Server-Side Rendering
/// Loading on the server.
#[track_caller]
pub fn use_user() -> UseUserReturn {
    let clerk = use_clerk();
    UseUserReturn {
        is_loaded: clerk.is_loaded(),
        is_signed_in: Memo::new(move |_| clerk.auth_state().with(|s| s.is_signed_in())).into(),
        user: clerk.user(),
        clerk,
    }
}
