//! `/dashboard`: a route guarded *before* it renders. `leptos_router`'s `ProtectedRoute` asks a condition
//! that answers `None` while it cannot tell (the route shows its fallback), then `Some(true)` (render the
//! page) or `Some(false)` (redirect). Signed-out visitors go to the sign-in page with
//! `redirect_url` set to this page, and come back here once signed in.

use leptos::prelude::*;
use leptos_clerk::{GetTokenOptions, use_auth, use_clerk, use_user};

/// `ProtectedRoute`'s condition. `clerk.loaded()` resolves once Clerk knows whether someone is signed in
/// (the same moment `is_loaded` turns true), so the page never renders for a signed-out visitor, not even
/// for a frame. Any `async` guard can await it the same way (a resource, an API call at start-up…).
pub fn signed_in_guard() -> impl Fn() -> Option<bool> + Clone + Send + 'static {
    let clerk = use_clerk();
    let loaded = LocalResource::new(move || async move { clerk.loaded().await.is_ok() });
    let signed_in = use_auth().is_signed_in;
    move || match loaded.get()? {
        // Still reactive afterwards: signing out (in this tab or another) leaves the page.
        true => signed_in.get(),
        // Clerk could not start (bad key, unreachable server): treat as signed out.
        false => Some(false),
    }
}

#[component]
pub fn Dashboard() -> impl IntoView {
    let auth = use_auth();
    let user = use_user().user;
    // Calls to your own backend carry a session token: `Authorization: Bearer {jwt}`.
    let token = LocalResource::new(move || async move {
        match auth.get_token(GetTokenOptions::default()).await {
            Ok(Some(jwt)) => format!("a {}-character session token", jwt.len()),
            Ok(None) => "no token: signed out".to_owned(),
            Err(e) => format!("no token: {e}"),
        }
    });
    view! {
        <h1>"Dashboard"</h1>
        <section class="card" id="dashboard">
            <p>"Welcome, " <strong id="dashboard-user">{move || user.with(|u| u.as_ref().map(|u| u.display_name()))}</strong>"."</p>
            <p class="muted">"This page rendered only after the guard saw a signed-in user. For your API: "
                <span id="dashboard-token">{move || token.get()}</span>"."</p>
        </section>
    }
}
