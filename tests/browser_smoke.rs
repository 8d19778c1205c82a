//! Browser smoke test: mounts the library in headless Chromium (`./test.sh browser`, through
//! wasm-bindgen-test-runner) and checks the DOM.
//!
//! `CLERK_DEV_SERVER_URL` and `CLERK_PUBLISHABLE_KEY` are read at compile time: test.sh starts a dev server
//! (`--port 0 --memory`) and exports both. Without them the test fails and says to run `./test.sh browser`.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos_clerk::{ClerkLoading, ClerkProvider, SignedIn, SignedOut};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

mod support;

/// A fresh `<div>` in the document to mount into.
fn fresh_host() -> web_sys::HtmlElement {
    let document = document();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    host.unchecked_into()
}

fn has(host: &web_sys::HtmlElement, selector: &str) -> bool {
    host.query_selector(selector).unwrap().is_some()
}

/// Waits (ticking the reactive system) until `selector` is in `host`, for up to `ms` milliseconds.
async fn wait_for(host: &web_sys::HtmlElement, selector: &str, ms: u32) -> bool {
    for _ in 0..ms / 50 {
        leptos::task::tick().await;
        if has(host, selector) {
            return true;
        }
        gloo_timers::future::TimeoutFuture::new(50).await;
    }
    has(host, selector)
}

#[wasm_bindgen_test]
async fn provider_shows_loading_first_then_signed_out() {
    let host = fresh_host();
    let (proxy_url, key) = support::dev_server();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        view! {
            <ClerkProvider publishable_key=key proxy_url=proxy_url>
                <ClerkLoading><p class="loading">"Loading"</p></ClerkLoading>
                <SignedOut><p class="signed-out">"Signed out"</p></SignedOut>
                <SignedIn><p class="signed-in">"Signed in"</p></SignedIn>
            </ClerkProvider>
        }
    });

    // Before Clerk has loaded: the loading content, and neither branch (no signed-out flash).
    assert!(
        has(&host, ".loading"),
        "ClerkLoading renders at once: {}",
        host.inner_html()
    );
    assert!(
        !has(&host, ".signed-out"),
        "no signed-out flash: {}",
        host.inner_html()
    );
    assert!(!has(&host, ".signed-in"), "{}", host.inner_html());
    leptos::task::tick().await;
    assert!(!has(&host, ".signed-in"), "{}", host.inner_html());

    // A first visit against the dev server: signed out once loaded.
    assert!(
        wait_for(&host, ".signed-out", 15_000).await,
        "SignedOut content after load: {}",
        host.inner_html()
    );
    assert!(!has(&host, ".loading"), "{}", host.inner_html());
    assert!(!has(&host, ".signed-in"), "{}", host.inner_html());
    drop(handle);
}
