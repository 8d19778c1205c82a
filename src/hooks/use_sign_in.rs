use leptos::prelude::*;

use crate::clerk::{Clerk, SetActive, SignInCreate, SignInResource, SignInStep};
use crate::core::error::ClerkError;

use super::use_clerk;

/// What [`use_sign_in`] returns.
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::use_sign_in;
/// # #[component] fn A() -> impl IntoView {
/// let flow = use_sign_in();
/// let identifier = move || flow.sign_in.get().and_then(|s| s.identifier.clone());
/// # view! { <p>{identifier}</p> } }
/// ```
#[derive(Clone, Copy)]
pub struct UseSignInReturn {
    /// Whether Clerk has loaded.
    pub is_loaded: Signal<bool>,
    /// The sign-in in progress on this client.
    pub sign_in: Signal<Option<SignInResource>>,
    /// Its typed next step.
    pub step: Signal<Option<SignInStep>>,
    clerk: Clerk,
}

impl UseSignInReturn {
    /// Starts a sign-in.
    pub async fn create(&self, params: &SignInCreate) -> Result<SignInResource, ClerkError> {
        self.clerk.create_sign_in(params).await
    }

    /// Makes the completed sign-in's session active.
    pub async fn set_active(&self, params: SetActive) -> Result<(), ClerkError> {
        self.clerk.set_active(params).await
    }
}

/// The sign-in in progress, for custom flows (Clerk's `useSignIn`): create, prepare,
/// attempt, each answering the typed next step.
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::{use_sign_in, AttemptFactor, SetActive, SignInCreate, SignInStep};
///
/// #[component]
/// fn PasswordSignIn() -> impl IntoView {
///     let flow = use_sign_in();
///     let submit = move |(email, password): (String, String)| {
///         leptos::task::spawn_local(async move {
///             let Ok(sign_in) = flow.create(&SignInCreate::identifier(&email)).await else { return };
///             let Ok(sign_in) = sign_in.attempt_first_factor(&AttemptFactor::password(&password)).await else { return };
///             if let SignInStep::Complete { session_id } = sign_in.step() {
///                 let _ = flow.set_active(SetActive::new().session(session_id.as_str())).await;
///             }
///         });
///     };
///     # let _ = submit;
///     view! { <p>{move || format!("{:?}", flow.step.get())}</p> }
/// }
/// ```
///
/// ## Server-Side Rendering
/// Nothing in progress on the server.
#[track_caller]
pub fn use_sign_in() -> UseSignInReturn {
    let clerk = use_clerk();
    let data = Memo::new(move |_| clerk.client().with(|c| c.as_ref()?.sign_in.clone()));
    let sign_in = Signal::derive(move || data.get().map(|d| SignInResource::new(clerk, d)));
    UseSignInReturn {
        is_loaded: clerk.is_loaded(),
        sign_in,
        step: Signal::derive(move || sign_in.get().map(|s| s.step())),
        clerk,
    }
}
