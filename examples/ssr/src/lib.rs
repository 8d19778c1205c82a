//! The SSR example: a cargo-leptos app (Leptos' axum starter layout) on leptos-clerk, with the
//! dev server behind it. `src/main.rs` is the server (feature `ssr`); this library is also the
//! wasm half (feature `hydrate`), whose [`hydrate`] entry point cargo-leptos' scripts call.

#![recursion_limit = "256"]

pub mod app;

/// The wasm entry point: hydrates the server's HTML.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
