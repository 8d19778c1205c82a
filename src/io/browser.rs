//! Small wrappers over `window`: clock, connectivity, location, cookies, navigation.

use chrono::{DateTime, Utc};
use wasm_bindgen::JsCast;

/// The wall clock.
pub(crate) fn now() -> DateTime<Utc> {
    Utc::now()
}

/// The browser window; `None` outside a browser (server-side rendering, native tests), which
/// makes every helper here inert.
fn window() -> Option<web_sys::Window> {
    if cfg!(target_arch = "wasm32") {
        web_sys::window()
    } else {
        None
    }
}

/// Whether the browser thinks it is online (true when it cannot tell).
pub(crate) fn is_online() -> bool {
    window().is_none_or(|w| w.navigator().on_line())
}

/// Whether the page is visible.
pub(crate) fn is_visible() -> bool {
    window()
        .and_then(|w| w.document())
        .is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
}

/// The page's origin, such as `http://localhost:8080`.
pub(crate) fn origin() -> Option<String> {
    window()?.location().origin().ok()
}

/// The page's full URL.
pub(crate) fn href() -> Option<String> {
    window()?.location().href().ok()
}

/// A query parameter of the page URL.
pub(crate) fn query_param(name: &str) -> Option<String> {
    let search = window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)
}

/// Removes a query parameter from the address bar without navigating.
pub(crate) fn strip_query_param(name: &str) {
    let Some(w) = window() else { return };
    let Ok(href) = w.location().href() else {
        return;
    };
    let Ok(url) = web_sys::Url::new(&href) else {
        return;
    };
    url.search_params().delete(name);
    if let Ok(history) = w.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url.href()));
    }
}

fn html_document() -> Option<web_sys::HtmlDocument> {
    window()?.document()?.dyn_into().ok()
}

/// A first-party cookie's value.
pub(crate) fn cookie(name: &str) -> Option<String> {
    let all = html_document()?.cookie().ok()?;
    all.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then(|| v.to_owned())
    })
}

/// Writes a first-party cookie for the whole site (`Path=/; SameSite=Lax`, `Secure` on https),
/// or removes it when `value` is `None`.
pub(crate) fn set_cookie(name: &str, value: Option<&str>, max_age_seconds: i64) {
    let Some(doc) = html_document() else { return };
    let secure = origin().is_some_and(|o| o.starts_with("https:"));
    let (value, max_age) = match value {
        Some(v) => (v, max_age_seconds),
        None => ("", 0),
    };
    let secure = if secure { "; Secure" } else { "" };
    let _ = doc.set_cookie(&format!(
        "{name}={value}; Path=/; Max-Age={max_age}; SameSite=Lax{secure}"
    ));
}

/// Full navigation (another origin, or no router).
pub(crate) fn assign(url: &str) {
    if let Some(w) = window() {
        let _ = w.location().assign(url);
    }
}

/// Soft navigation to a same-origin URL: push it onto the history and fire `popstate`, which
/// `leptos_router` follows.
pub(crate) fn push(url: &str, replace: bool) {
    let Some(w) = window() else { return };
    let Ok(history) = w.history() else { return };
    let state = wasm_bindgen::JsValue::NULL;
    let pushed = if replace {
        history.replace_state_with_url(&state, "", Some(url))
    } else {
        history.push_state_with_url(&state, "", Some(url))
    };
    if pushed.is_err() {
        assign(url);
        return;
    }
    if let Ok(event) = web_sys::Event::new("popstate") {
        let _ = w.dispatch_event(&event);
    }
}
