use leptos::prelude::*;

use crate::clerk::{Clerk, SetActive, SignUpFields, SignUpResource, SignUpStep};
use crate::core::error::ClerkError;

use super::use_clerk;

/// What [`use_sign_up`] returns.
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::use_sign_up;
/// # #[component] fn A() -> impl IntoView {
/// let flow = use_sign_up();
/// let email = move || flow.sign_up.get().and_then(|s| s.email_address.clone());
/// # view! { <p>{email}</p> } }
/// ```
#[derive(Clone, Copy)]
pub struct UseSignUpReturn {
    /// Whether Clerk has loaded.
    pub is_loaded: Signal<bool>,
    /// The sign-up in progress on this client.
    pub sign_up: Signal<Option<SignUpResource>>,
    /// Its typed next step.
    pub step: Signal<Option<SignUpStep>>,
    clerk: Clerk,
}

impl UseSignUpReturn {
    /// Starts a sign-up.
    pub async fn create(&self, fields: &SignUpFields) -> Result<SignUpResource, ClerkError> {
        self.clerk.create_sign_up(fields).await
    }

    /// Makes the completed sign-up's session active.
    pub async fn set_active(&self, params: SetActive) -> Result<(), ClerkError> {
        self.clerk.set_active(params).await
    }
}

/// The sign-up in progress, for custom flows (Clerk's `useSignUp`).
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::{use_sign_up, SignUpStep};
///
/// #[component]
/// fn Progress() -> impl IntoView {
///     let flow = use_sign_up();
///     view! {
///         <Show when=move || matches!(flow.step.get(), Some(SignUpStep::VerifyEmail))>
///             <p>"Check your inbox for a code."</p>
///         </Show>
///     }
/// }
/// ```
///
/// ## Server-Side Rendering
/// Nothing in progress on the server.
#[track_caller]
pub fn use_sign_up() -> UseSignUpReturn {
    let clerk = use_clerk();
    let data = Memo::new(move |_| clerk.client().with(|c| c.as_ref()?.sign_up.clone()));
    let sign_up = Signal::derive(move || data.get().map(|d| SignUpResource::new(clerk, d)));
    UseSignUpReturn {
        is_loaded: clerk.is_loaded(),
        sign_up,
        step: Signal::derive(move || sign_up.get().map(|s| s.step())),
        clerk,
    }
}
