use leptos::prelude::*;

use crate::clerk::SignOut;
use crate::hooks::use_clerk;

/// An unstyled button that goes to the sign-in page (and comes back here afterwards).
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::SignInButton;
/// # #[component] fn A() -> impl IntoView {
/// view! { <SignInButton/> <SignInButton redirect_url="/dashboard">"Log in"</SignInButton> }
/// # }
/// ```
#[component]
pub fn SignInButton(
    /// Where to go after signing in (default: this page).
    #[prop(optional, into)]
    redirect_url: Option<String>,
    /// CSS class of the button.
    #[prop(optional, into)]
    class: Option<String>,
    /// The label (default "Sign in").
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let clerk = use_clerk();
    let go = move || clerk.redirect_to_sign_in(redirect_url.as_deref());
    plain_button(class, children, "Sign in", go)
}

/// The unstyled `<button>` of the redirect buttons: the children, or a default label.
fn plain_button(
    class: Option<String>,
    children: Option<Children>,
    default_label: &'static str,
    on_click: impl Fn() + 'static,
) -> impl IntoView {
    let label = children.map_or_else(|| default_label.into_any(), |c| c());
    view! { <button type="button" class=class on:click=move |_| on_click()>{label}</button> }
}

/// An unstyled button that goes to the sign-up page.
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::SignUpButton;
/// # #[component] fn A() -> impl IntoView {
/// view! { <SignUpButton/> }
/// # }
/// ```
#[component]
pub fn SignUpButton(
    /// Where to go after signing up (default: this page).
    #[prop(optional, into)]
    redirect_url: Option<String>,
    /// CSS class of the button.
    #[prop(optional, into)]
    class: Option<String>,
    /// The label (default "Sign up").
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let clerk = use_clerk();
    let go = move || clerk.redirect_to_sign_up(redirect_url.as_deref());
    plain_button(class, children, "Sign up", go)
}

/// An unstyled button that signs out (of all sessions, or of `session_id`).
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::SignOutButton;
/// # #[component] fn A() -> impl IntoView {
/// view! { <SignOutButton redirect_url="/goodbye"/> }
/// # }
/// ```
#[component]
pub fn SignOutButton(
    /// Sign out of this session only.
    #[prop(optional, into)]
    session_id: Option<String>,
    /// Where to go afterwards (default: `after_sign_out_url`, else `/`).
    #[prop(optional, into)]
    redirect_url: Option<String>,
    /// CSS class of the button.
    #[prop(optional, into)]
    class: Option<String>,
    /// The label (default "Sign out").
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let clerk = use_clerk();
    let busy = RwSignal::new(false);
    let go = move |_| {
        let params = SignOut {
            session_id: session_id.clone(),
            redirect_url: redirect_url.clone(),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            if let Err(e) = clerk.sign_out(params).await {
                leptos::logging::warn!("leptos-clerk: sign-out: {e}");
            }
            busy.try_set(false);
        });
    };
    let label = children.map_or_else(|| "Sign out".into_any(), |c| c());
    view! { <button type="button" class=class disabled=move || busy.get() on:click=go>{label}</button> }
}
