//! Small wrappers over `window`: clock, connectivity, location, cookies, navigation.

use chrono::{DateTime, Utc};
use wasm_bindgen::JsCast;

use crate::core::cookies::{self, CookieDomain, CookieWrite, PageFacts, SameSite};

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

/// What clerk-js reads from `window` to choose cookie attributes: host, https, secure
/// context, Safari, cross-origin iframe. Partitioned cookies are off.
pub(crate) fn page_facts() -> PageFacts {
    let Some(w) = window() else {
        return PageFacts::default();
    };
    let location = w.location();
    PageFacts {
        host: location.host().unwrap_or_default(),
        https: location.protocol().is_ok_and(|p| p == "https:"),
        secure_context: w.is_secure_context(),
        safari: js_sys::Reflect::has(&w, &"safari".into()).unwrap_or(false),
        cross_origin_iframe: in_cross_origin_iframe(&w),
        partitioned: false,
    }
}

/// clerk-js's `inCrossOriginIframe()`: in a frame, and some ancestor's location is unreadable.
fn in_cross_origin_iframe(w: &web_sys::Window) -> bool {
    let top = match w.top() {
        Ok(Some(top)) => top,
        Ok(None) => return false,
        Err(_) => return true,
    };
    let in_frame =
        wasm_bindgen::JsValue::from(top.clone()) != wasm_bindgen::JsValue::from(w.clone());
    in_frame && top.location().href().is_err()
}

/// Assigns each cookie write to `document.cookie`, in order.
pub(crate) fn write_cookies(writes: &[CookieWrite]) {
    let Some(doc) = html_document() else { return };
    for write in writes {
        let _ = doc.set_cookie(&write.to_cookie_string());
    }
}

thread_local! {
    static COOKIE_DOMAIN: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// clerk-js's `getCookieDomain`: the page's registrable domain (eTLD+1), found once per page by
/// setting a probe cookie on ever longer suffixes of the hostname with the attributes the real
/// cookie will have; the hostname when no probe sticks.
pub(crate) fn cookie_domain(same_site: SameSite, secure: bool) -> String {
    if let Some(known) = COOKIE_DOMAIN.with(|d| d.borrow().clone()) {
        return known;
    }
    let hostname = window()
        .and_then(|w| w.location().hostname().ok())
        .unwrap_or_default();
    let candidates = match cookies::cookie_domain(&hostname) {
        CookieDomain::Known(domain) => return domain,
        CookieDomain::Probe(candidates) => candidates,
    };
    let probe = |domain: &str, value: &str, removal: bool| CookieWrite {
        name: cookies::ETLD_PROBE.to_owned(),
        value: value.to_owned(),
        expires: removal.then_some(chrono::DateTime::UNIX_EPOCH),
        domain: Some(domain.to_owned()),
        same_site: Some(same_site),
        secure,
        partitioned: false,
    };
    let found = candidates
        .iter()
        .find(|domain| {
            write_cookies(&[probe(domain, "1", false)]);
            let stuck = cookie(cookies::ETLD_PROBE).as_deref() == Some("1");
            write_cookies(&[probe(domain, "", true)]);
            stuck
        })
        .cloned()
        .unwrap_or(hostname);
    COOKIE_DOMAIN.with(|d| *d.borrow_mut() = Some(found.clone()));
    found
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
