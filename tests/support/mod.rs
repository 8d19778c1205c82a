//! What the browser tests share: the dev server test.sh started, a fresh browser state, and
//! waiting with the reactive system ticking.
#![allow(dead_code)]

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The dev server test.sh started and its publishable key (read at compile time). Without them
/// the test fails, saying how to run it: a browser test never passes without its server.
#[track_caller]
pub fn dev_server() -> (&'static str, &'static str) {
    match (
        option_env!("CLERK_DEV_SERVER_URL").filter(|s| !s.is_empty()),
        option_env!("CLERK_PUBLISHABLE_KEY").filter(|s| !s.is_empty()),
    ) {
        (Some(url), Some(key)) => (url, key),
        _ => panic!(
            "the browser tests need a running clerk-dev-server: run `./test.sh browser`, which starts one \
             and sets CLERK_DEV_SERVER_URL and CLERK_PUBLISHABLE_KEY at compile time"
        ),
    }
}
/// The password of the seed's users.
pub const PASSWORD: &str = "correct-horse-battery-staple";

/// Forgets the dev-browser token and session cookie, so a test starts as a new browser.
pub fn forget_browser() {
    let doc: web_sys::HtmlDocument = document().unchecked_into();
    let cookies = doc.cookie().unwrap_or_default();
    for pair in cookies.split(';') {
        if let Some((name, _)) = pair.trim().split_once('=') {
            let _ = doc.set_cookie(&format!("{name}=; Path=/; Max-Age=0"));
        }
    }
}

/// A fresh `<div>` in the document to mount into.
pub fn host() -> web_sys::HtmlElement {
    let host = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    host.unchecked_into()
}

/// Waits `ms` milliseconds.
pub async fn sleep(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

/// Waits up to `ms` for `check` to hold, ticking the reactive system.
pub async fn until(ms: u32, mut check: impl FnMut() -> bool) -> bool {
    for _ in 0..ms / 25 {
        leptos::task::tick().await;
        if check() {
            return true;
        }
        sleep(25).await;
    }
    check()
}
