//! The smallest app that mounts leptos-clerk. It proves the wasm build and the trunk pipeline, and the e2e test
//! `e2e/minimal.test.mjs` checks it in headless Chromium against the dev server.
//!
//! Build-time settings (read with `option_env!`, so a rebuild picks them up):
//! - `CLERK_PUBLISHABLE_KEY`: defaults to the key of the local dev server (`./dev.sh`).
//! - `CLERK_PROXY_URL`: where FAPI calls go. Defaults to `/` (this page's own origin, which proxies `/v1/` to the
//!   dev server) when no key is set, and to none (the key's own Frontend API host) when a real key is set.
//!   Set it to an empty string for no proxy.

use leptos::prelude::*;
use leptos_clerk::{ClerkLoading, ClerkProvider, SignedIn, SignedOut};

/// The key clerk-dev-server prints (its Frontend API host is `clerk-dev-server.lcl.dev`, a development host).
const DEV_SERVER_KEY: &str = "pk_test_Y2xlcmstZGV2LXNlcnZlci5sY2wuZGV2JA";

const PUBLISHABLE_KEY: &str = match option_env!("CLERK_PUBLISHABLE_KEY") {
    Some(key) => key,
    None => DEV_SERVER_KEY,
};

const PROXY_URL: &str = match (
    option_env!("CLERK_PROXY_URL"),
    option_env!("CLERK_PUBLISHABLE_KEY"),
) {
    (Some(proxy), _) => proxy,
    (None, Some(_)) => "",
    (None, None) => "/",
};

#[component]
fn App() -> impl IntoView {
    view! {
        <main>
            <h1>"leptos-clerk"</h1>
            <ClerkProvider publishable_key=PUBLISHABLE_KEY.to_owned() proxy_url=PROXY_URL>
                <ClerkLoading>
                    <p id="loading">"Loading…"</p>
                </ClerkLoading>
                <SignedOut>
                    <p id="signed-out">"You are signed out."</p>
                </SignedOut>
                <SignedIn>
                    <p id="signed-in">"You are signed in."</p>
                </SignedIn>
            </ClerkProvider>
        </main>
    }
}

fn main() {
    leptos::mount::mount_to_body(App);
}
