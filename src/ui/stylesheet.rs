//! The components' stylesheet, shipped in the crate: for apps that get leptos-clerk from a
//! registry or git, where no file path to `style/leptos-clerk.css` is at hand.

use leptos::prelude::*;

/// The whole stylesheet of the prebuilt components (`style/leptos-clerk.css`), as text. Serve it
/// from your own server when you render on it (a same-origin stylesheet passes a strict CSP),
/// or let [`ClerkStylesheet`] install it in the browser.
///
/// ```
/// assert!(leptos_clerk::ui::STYLESHEET.contains("@layer leptos-clerk"));
/// // with axum, e.g.:
/// // .route("/leptos-clerk.css", get(|| async {
/// //     ([(header::CONTENT_TYPE, "text/css")], leptos_clerk::ui::STYLESHEET)
/// // }))
/// ```
pub const STYLESHEET: &str = include_str!("../../style/leptos-clerk.css");

/// Installs [`STYLESHEET`] in the page, once, as a constructed stylesheet
/// (`document.adoptedStyleSheets`): no file to copy, no `<style>` element, so it works under a
/// strict Content-Security-Policy (`style-src 'self'`). Put it anywhere in the app, e.g. next
/// to the provider. It renders nothing, and does nothing on the server: a server-rendered app
/// links the stylesheet in its `<head>` instead (serve [`STYLESHEET`]), so the first paint is
/// styled.
///
/// Leave it out if you already link `style/leptos-clerk.css` (with trunk:
/// `<link data-trunk rel="css" href="…/leptos-clerk/style/leptos-clerk.css"/>`).
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::prelude::*;
/// use leptos_clerk::ui::ClerkStylesheet;
///
/// #[component]
/// fn App() -> impl IntoView {
///     view! {
///         <ClerkStylesheet/>
///         <ClerkProvider publishable_key="pk_test_…"><SignIn/></ClerkProvider>
///     }
/// }
/// ```
#[component]
pub fn ClerkStylesheet() -> impl IntoView {
    #[cfg(target_arch = "wasm32")]
    adopt();
}

/// Adds the stylesheet to `document.adoptedStyleSheets` unless a previous call did.
#[cfg(target_arch = "wasm32")]
fn adopt() {
    use wasm_bindgen::JsCast;
    thread_local! {
        static ADOPTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    if ADOPTED.with(|a| a.replace(true)) {
        return;
    }
    let result = (|| {
        let sheet = web_sys::CssStyleSheet::new()?;
        sheet.replace_sync(STYLESHEET)?;
        let document = document();
        let sheets = document.adopted_style_sheets();
        sheets.push(sheet.unchecked_ref());
        document.set_adopted_style_sheets(&sheets);
        Ok::<(), wasm_bindgen::JsValue>(())
    })();
    if let Err(e) = result {
        leptos::logging::error!("leptos-clerk: could not install the stylesheet: {e:?}");
    }
}
