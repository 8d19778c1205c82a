//! `<ClerkProvider>`: creates the [`Clerk`] handle, provides it as context and loads.

use leptos::callback::Callback;
use leptos::prelude::*;

use crate::clerk::{Clerk, ClerkOptions};

/// Provides Clerk to its children: creates the [`Clerk`] handle, then loads the environment
/// and the client (after the dev-browser step for development keys). Options are Clerk's, in
/// snake_case; see [`ClerkOptions`].
///
/// Nesting two providers is an error (it panics with a message saying so).
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::{ClerkProvider, SignedIn, SignedOut, SignInButton, SignOutButton};
///
/// #[component]
/// fn App() -> impl IntoView {
///     view! {
///         <ClerkProvider publishable_key="pk_test_…" sign_in_url="/sign-in">
///             <SignedOut><SignInButton/></SignedOut>
///             <SignedIn><SignOutButton/></SignedIn>
///         </ClerkProvider>
///     }
/// }
/// ```
///
/// ## Server-Side Rendering
/// The provider loads in the browser only. With the `ssr` feature and a
/// [`ClerkLayer`](crate::server::ClerkLayer) in front of the Leptos routes, the server
/// renders the request's verified state (signed in, with the user when
/// [`load_resources`](crate::server::load_resources) fetched it, or signed out) and sends it
/// with the page; with `hydrate`, the browser starts from exactly that state, then the live
/// state from the Frontend API takes over (and wins where they differ). Without a layer, or
/// without SSR, children render with the auth state `Loading`, so gated content stays hidden
/// until the client knows.
#[component]
pub fn ClerkProvider(
    /// `pk_test_…` or `pk_live_…`.
    #[prop(into)]
    publishable_key: String,
    /// Reach the Frontend API through this URL (absolute or a path on this origin).
    #[prop(optional, into)]
    proxy_url: Option<String>,
    /// Satellite domain (production multi-domain setups).
    #[prop(optional, into)]
    domain: Option<String>,
    /// The app's sign-in page.
    #[prop(optional, into)]
    sign_in_url: Option<String>,
    /// The app's sign-up page.
    #[prop(optional, into)]
    sign_up_url: Option<String>,
    /// Where to go after signing out.
    #[prop(optional, into)]
    after_sign_out_url: Option<String>,
    /// Always go here after signing in.
    #[prop(optional, into)]
    sign_in_force_redirect_url: Option<String>,
    /// Go here after signing in when no `redirect_url` is given.
    #[prop(optional, into)]
    sign_in_fallback_redirect_url: Option<String>,
    /// Always go here after signing up.
    #[prop(optional, into)]
    sign_up_force_redirect_url: Option<String>,
    /// Go here after signing up when no `redirect_url` is given.
    #[prop(optional, into)]
    sign_up_fallback_redirect_url: Option<String>,
    /// Other origins redirects may go to.
    #[prop(optional)]
    allowed_redirect_origins: Vec<String>,
    /// Touch the session on window focus.
    #[prop(default = true)]
    touch_session: bool,
    /// Refresh tokens in the background.
    #[prop(default = true)]
    polling: bool,
    /// Navigates within the app (for example with `leptos_router::hooks::use_navigate`).
    #[prop(optional, into)]
    router_push: Option<Callback<String>>,
    /// Like `router_push`, replacing the history entry.
    #[prop(optional, into)]
    router_replace: Option<Callback<String>>,
    /// How the prebuilt components look: theme, CSS variables, extra classes per element.
    #[prop(optional)]
    appearance: crate::ui::Appearance,
    /// The prebuilt components' strings; unset ones stay English.
    #[prop(optional)]
    localization: crate::ui::Localization,
    /// The children.
    children: Children,
) -> impl IntoView {
    let options = ClerkOptions {
        publishable_key,
        proxy_url,
        domain,
        sign_in_url,
        sign_up_url,
        after_sign_out_url,
        sign_in_force_redirect_url,
        sign_in_fallback_redirect_url,
        sign_up_force_redirect_url,
        sign_up_fallback_redirect_url,
        allowed_redirect_origins,
        touch_session,
        polling,
        router_push,
        router_replace,
        appearance,
        localization,
    };
    let clerk = provide_clerk(options);
    view! {
        {children()}
        <crate::components::DevNotice clerk=clerk/>
    }
}

/// Creates the [`Clerk`] handle in the current reactive owner, provides it as context and
/// starts loading: what [`ClerkProvider`] does, for apps that build their options in code.
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::{provide_clerk, ClerkOptions};
///
/// #[component]
/// fn App() -> impl IntoView {
///     let clerk = provide_clerk(ClerkOptions {
///         publishable_key: "pk_test_…".into(),
///         ..ClerkOptions::default()
///     });
///     view! { <p>{move || format!("{:?}", clerk.status().get())}</p> }
/// }
/// ```
#[track_caller]
pub fn provide_clerk(options: ClerkOptions) -> Clerk {
    if use_context::<Clerk>().is_some() {
        panic!(
            "<ClerkProvider> cannot be nested inside another <ClerkProvider>: keep one provider \
             at the root of the app and use `use_clerk()` below it"
        );
    }
    // On the server, the state the ClerkLayer verified; in a hydrating browser, the same value
    // read back from the page; elsewhere `None` (the browser finds out by loading).
    let initial = SharedValue::new(server_initial_state).into_inner();
    let clerk = Clerk::new(options, initial);
    provide_context(clerk);
    if cfg!(target_arch = "wasm32") {
        crate::clerk::set_current(clerk);
        clerk.watch();
        leptos::task::spawn_local(clerk.load());
    }
    clerk
}

#[cfg(feature = "ssr")]
fn server_initial_state() -> Option<crate::core::initial_state::InitialState> {
    crate::server::initial_state()
}

#[cfg(not(feature = "ssr"))]
fn server_initial_state() -> Option<crate::core::initial_state::InitialState> {
    None
}
