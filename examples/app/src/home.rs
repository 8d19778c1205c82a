//! `/`: what a signed-out visitor and a signed-in user each see. `SignedIn` and `SignedOut` render nothing
//! while Clerk loads, so neither flashes before Clerk knows.

use leptos::prelude::*;
use leptos_clerk::{
    ClerkLoading, SignInButton, SignOutButton, SignUpButton, SignedIn, SignedOut, use_user,
};
use leptos_router::components::A;

#[component]
pub fn Home() -> impl IntoView {
    let user = use_user().user;
    let name = move || user.with(|u| u.as_ref().map(|u| u.display_name()));
    let email = move || {
        user.with(|u| {
            let u = u.as_ref()?;
            let email = u.primary_email_address()?.email_address.clone();
            // the display name falls back to the email address: don't say it twice
            (u.display_name() != email).then_some(email)
        })
    };
    view! {
        <h1>"leptos-clerk example"</h1>
        <ClerkLoading>
            <p class="muted" id="home-loading">"Loading…"</p>
        </ClerkLoading>
        <SignedOut>
            <section class="card" id="home-signed-out">
                <p>"You are signed out. Sign in with a seeded user (" <code>"ada+clerk_test@example.com"</code>
                    " / " <code>"correct-horse-battery-staple"</code> ") or create an account."</p>
                <div class="row">
                    // Both go to the pages set on the provider (`sign_in_url`, `sign_up_url`) and come back
                    // here afterwards (`redirect_url`).
                    <SignInButton class="button primary" attr:id="home-sign-in"/>
                    <SignUpButton class="button" attr:id="home-sign-up"/>
                </div>
            </section>
        </SignedOut>
        <SignedIn>
            <section class="card" id="home-signed-in">
                <p>"Signed in as " <strong id="home-user-name">{name}</strong> " "
                    <span class="muted">{email}</span></p>
                <ul class="links">
                    <li><A href="/client">"The Client and its sessions"</A></li>
                    <li><A href="/organizations">"Organizations"</A></li>
                    <li><A href="/dashboard">"The guarded dashboard"</A></li>
                </ul>
                <SignOutButton class="button" attr:id="home-sign-out">"Sign out of all accounts"</SignOutButton>
            </section>
        </SignedIn>
    }
}
