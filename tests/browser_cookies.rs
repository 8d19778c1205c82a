//! The cookies Clerk's servers read and the authenticated fetch, in headless Chromium against
//! a running clerk-dev-server: `__session`, `__client_uat` and `__clerk_db_jwt` with their
//! suffixed twins after sign-in and sign-out, the dev browser read from the suffixed cookie,
//! the plain one and the URL, cross-origin URLs carrying it, and `Clerk::fetch` against a
//! backend that verifies the token's RS256 signature with the dev server's JWKS.
//!
//! test.sh starts the dev server and sets `CLERK_DEV_SERVER_URL` and `CLERK_PUBLISHABLE_KEY`
//! at compile time. Without them each test fails and says to run `./test.sh browser`.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use leptos_clerk::core::cookies::cookie_suffix;
use leptos_clerk::{
    AuthenticatedRequest, Clerk, ClerkError, ClerkOptions, SetActive, SignInCreate, SignInStep,
    SignOut, SignedIn, SignedOut, provide_clerk, use_auth,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

mod support;
use support::*;

const ADA: &str = "ada+clerk_test@example.com";

fn text(host: &web_sys::HtmlElement, selector: &str) -> Option<String> {
    host.query_selector(selector)
        .unwrap()
        .and_then(|e| e.text_content())
}

fn page() -> impl IntoView {
    let auth = use_auth();
    view! {
        <SignedOut><p class="out">"signed out"</p></SignedOut>
        <SignedIn><p class="in">"signed in"</p></SignedIn>
        <p class="user">{move || auth.user_id.get().unwrap_or_default()}</p>
    }
}

fn mount_with(
    options: impl FnOnce(ClerkOptions) -> ClerkOptions + 'static,
) -> (
    web_sys::HtmlElement,
    Clerk,
    leptos::mount::UnmountHandle<impl Mountable>,
) {
    let (server, key) = dev_server();
    let host = host();
    let slot = Rc::new(Cell::new(None));
    let captured = slot.clone();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        captured.set(Some(provide_clerk(options(ClerkOptions {
            publishable_key: key.into(),
            proxy_url: Some(server.into()),
            ..ClerkOptions::default()
        }))));
        page()
    });
    (host, slot.get().unwrap(), handle)
}

fn mount() -> (
    web_sys::HtmlElement,
    Clerk,
    leptos::mount::UnmountHandle<impl Mountable>,
) {
    mount_with(|o| o)
}

async fn sign_in(clerk: Clerk, identifier: &str) -> String {
    let sign_in = clerk
        .create_sign_in(&SignInCreate::password(identifier, PASSWORD))
        .await
        .expect("sign-in");
    let SignInStep::Complete { session_id } = sign_in.step() else {
        panic!("sign-in not complete: {:?}", sign_in.step());
    };
    clerk
        .set_active(SetActive::new().session(session_id.as_str()))
        .await
        .expect("set_active");
    session_id
}

/// A cookie of the page, as `document.cookie` shows it.
fn cookie(name: &str) -> Option<String> {
    let doc: web_sys::HtmlDocument = document().unchecked_into();
    doc.cookie().ok()?.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then(|| v.to_owned())
    })
}

fn set_cookie(line: &str) {
    let doc: web_sys::HtmlDocument = document().unchecked_into();
    doc.set_cookie(line).unwrap();
}

/// `[plain, suffixed]` values of a cookie.
fn both(name: &str) -> [Option<String>; 2] {
    let suffix = cookie_suffix(dev_server().1);
    [cookie(name), cookie(&format!("{name}_{suffix}"))]
}

fn get(target: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(target, &key.into()).unwrap()
}

/// A cookie's attributes from the Cookie Store API: (sameSite, path, secure, expires in ms).
async fn attributes(name: &str) -> (String, String, bool, f64) {
    let store = get(&window(), "cookieStore");
    let get_fn: js_sys::Function = get(&store, "get").unchecked_into();
    let promise: js_sys::Promise = get_fn.call1(&store, &name.into()).unwrap().unchecked_into();
    let item = wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    assert!(!item.is_null(), "no cookie {name}");
    (
        get(&item, "sameSite").as_string().unwrap_or_default(),
        get(&item, "path").as_string().unwrap_or_default(),
        get(&item, "secure").as_bool().unwrap_or(false),
        get(&item, "expires").as_f64().unwrap_or(0.0),
    )
}

const YEAR_MS: f64 = 365.0 * 24.0 * 3600.0 * 1000.0;

#[wasm_bindgen_test]
async fn sign_in_leaves_clerks_cookies_and_sign_out_clears_them() {
    forget_browser();
    let (host, clerk, _handle) = mount();
    clerk.loaded().await.expect("clerk loads");
    assert!(until(2_000, || text(&host, ".out").is_some()).await);

    let [db, db_suffixed] = both("__clerk_db_jwt");
    let db = db.expect("__clerk_db_jwt");
    assert!(db.starts_with("dvb_"), "{db}");
    assert_eq!(db_suffixed.as_deref(), Some(db.as_str()), "suffixed twin");
    assert_eq!(both("__client_uat"), [Some("0".into()), Some("0".into())]);
    assert_eq!(both("__session"), [None, None]);

    sign_in(clerk, ADA).await;
    assert!(until(2_000, || text(&host, ".in").is_some()).await);
    let token = clerk
        .session()
        .get_untracked()
        .and_then(|s| s.last_active_token.clone())
        .expect("a session token")
        .jwt;
    assert_eq!(
        both("__session"),
        [Some(token.clone()), Some(token.clone())]
    );
    let updated = clerk.client().get_untracked().unwrap().updated_at;
    let seconds = updated.timestamp_millis().div_euclid(1000);
    assert!(seconds > 0);
    assert_eq!(
        both("__client_uat"),
        [Some(seconds.to_string()), Some(seconds.to_string())]
    );
    assert_eq!(both("__clerk_db_jwt"), [Some(db.clone()), Some(db.clone())]);

    // the attributes clerk-js gives them on an http page
    let suffix = cookie_suffix(dev_server().1);
    let now = js_sys::Date::now();
    for (name, same_site) in [
        ("__session".to_owned(), "lax"),
        (format!("__session_{suffix}"), "lax"),
        ("__client_uat".to_owned(), "strict"),
        (format!("__client_uat_{suffix}"), "strict"),
        ("__clerk_db_jwt".to_owned(), "lax"),
        (format!("__clerk_db_jwt_{suffix}"), "lax"),
    ] {
        let (ss, path, secure, expires) = attributes(&name).await;
        assert_eq!(
            (ss.as_str(), path.as_str(), secure),
            (same_site, "/", false),
            "{name}"
        );
        let year = expires - now;
        assert!(
            (YEAR_MS - 2.0 * 86_400_000.0..YEAR_MS + 2.0 * 86_400_000.0).contains(&year),
            "{name} expires in {year} ms"
        );
    }

    // a new token (refresh) follows into both session cookies
    let fresh = clerk
        .session()
        .get_untracked()
        .unwrap()
        .get_token(leptos_clerk::GetTokenOptions {
            skip_cache: true,
            ..Default::default()
        })
        .await
        .unwrap()
        .unwrap();
    assert_ne!(fresh, token);
    assert_eq!(both("__session"), [Some(fresh.clone()), Some(fresh)]);

    clerk.sign_out(SignOut::default()).await.unwrap();
    assert!(until(2_000, || text(&host, ".out").is_some()).await);
    assert_eq!(both("__session"), [None, None], "session cookies removed");
    assert_eq!(
        both("__client_uat"),
        [Some("0".into()), Some("0".into())],
        "client_uat is 0 after sign-out"
    );
    assert_eq!(
        both("__clerk_db_jwt"),
        [Some(db.clone()), Some(db)],
        "the dev browser outlives sign-out"
    );
}

#[wasm_bindgen_test]
async fn the_dev_browser_is_read_suffixed_first_then_plain_then_from_the_url() {
    forget_browser();
    let (host, clerk, handle) = mount();
    clerk.loaded().await.unwrap();
    sign_in(clerk, ADA).await;
    let [db, _] = both("__clerk_db_jwt");
    let db = db.unwrap();
    drop(handle);
    host.remove();
    let suffix = cookie_suffix(dev_server().1);

    // 1. the suffixed cookie wins over a stale plain one
    set_cookie("__clerk_db_jwt=dvb_stale; Path=/");
    let (host, clerk, handle) = mount();
    clerk.loaded().await.unwrap();
    assert!(
        until(3_000, || text(&host, ".user").as_deref()
            == Some("user_ada"))
        .await,
        "signed in with the suffixed dev browser: {}",
        host.inner_html()
    );
    assert_eq!(both("__clerk_db_jwt"), [Some(db.clone()), Some(db.clone())]);
    drop(handle);
    host.remove();

    // 2. only the plain cookie (written by clerk-js or an older SDK): read, and both written
    set_cookie(&format!("__clerk_db_jwt_{suffix}=; Path=/; Max-Age=0"));
    assert_eq!(both("__clerk_db_jwt"), [Some(db.clone()), None]);
    let (host, clerk, handle) = mount();
    clerk.loaded().await.unwrap();
    assert!(
        until(3_000, || text(&host, ".user").as_deref()
            == Some("user_ada"))
        .await
    );
    assert_eq!(both("__clerk_db_jwt"), [Some(db.clone()), Some(db.clone())]);
    drop(handle);
    host.remove();

    // 3. no cookie, the token in the URL (a redirect from another origin): read, then removed
    forget_browser();
    let history = window().history().unwrap();
    let here = window().location().href().unwrap();
    let url = web_sys::Url::new(&here).unwrap();
    url.search_params().set("__clerk_db_jwt", &db);
    let with_param = url.href();
    history
        .replace_state_with_url(&JsValue::NULL, "", Some(&with_param))
        .unwrap();
    let (host, clerk, _handle) = mount();
    clerk.loaded().await.unwrap();
    assert!(
        until(3_000, || text(&host, ".user").as_deref()
            == Some("user_ada"))
        .await,
        "from {with_param}: {} {:?} {:?} {:?}",
        host.inner_html(),
        clerk.status().get_untracked(),
        both("__clerk_db_jwt"),
        window().location().href()
    );
    assert!(
        !window()
            .location()
            .href()
            .unwrap()
            .contains("__clerk_db_jwt"),
        "the parameter is removed from the address bar"
    );
    assert_eq!(both("__clerk_db_jwt"), [Some(db.clone()), Some(db)]);
    history
        .replace_state_with_url(&JsValue::NULL, "", Some(&here))
        .unwrap();
    clerk.sign_out(SignOut::default()).await.unwrap();
}

#[wasm_bindgen_test]
async fn cross_origin_redirect_urls_carry_the_dev_browser() {
    forget_browser();
    let portal = "https://accounts.elsewhere.test";
    let (_host, clerk, _handle) = mount_with(move |o| ClerkOptions {
        sign_in_url: Some(format!("{portal}/sign-in")),
        after_sign_out_url: Some(format!("{portal}/bye")),
        ..o
    });
    clerk.loaded().await.unwrap();
    let [db, _] = both("__clerk_db_jwt");
    let param = format!("__clerk_db_jwt={}", db.unwrap());

    assert_eq!(clerk.build_url_with_auth("/dashboard"), "/dashboard");
    let origin = window().location().origin().unwrap();
    let same = format!("{origin}/x?y=1");
    assert_eq!(
        clerk.build_url_with_auth(&same),
        same,
        "same origin: unchanged"
    );
    let other = clerk.build_url_with_auth(&format!("{portal}/x?y=1#h"));
    assert_eq!(other, format!("{portal}/x?y=1&{param}#h"));

    let sign_in = clerk.build_sign_in_url(Some("/after"));
    assert!(
        sign_in.starts_with(&format!("{portal}/sign-in?redirect_url=%2Fafter&"))
            && sign_in.ends_with(&param),
        "{sign_in}"
    );
    assert_eq!(
        clerk.build_after_sign_out_url(),
        format!("{portal}/bye?{param}")
    );
}

/// Puts a fake backend at `http://backend.invalid/` in front of `window.fetch`: it answers 401
/// unless `Authorization: Bearer` carries an unexpired RS256 JWT signed by a key of the dev
/// server's JWKS (`/.well-known/jwks.json`, fetched for real), and 200 `{sub, sid, jti}` otherwise. It records every
/// token it was sent in `window.__backend.seen`, and rejects `window.__backend.reject` valid
/// tokens first. `/forbidden` answers 403 with a Clerk-style error to a valid token.
fn install_backend() -> JsValue {
    let install = js_sys::Function::new_with_args(
        "server",
        r#"
        if (window.__backend) { window.__backend.seen = []; window.__backend.reject = 0; return window.__backend; }
        const state = { seen: [], reject: 0 };
        window.__backend = state;
        const original = window.fetch.bind(window);
        const b64 = s => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4)), c => c.charCodeAt(0));
        const json = (status, body) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
        async function verify(jwt) {
            const [h, p, s] = jwt.split('.');
            if (!s) return null;
            const header = JSON.parse(new TextDecoder().decode(b64(h)));
            const jwks = await (await original(server + '/.well-known/jwks.json')).json();
            const jwk = jwks.keys.find(k => k.kid === header.kid);
            if (!jwk || header.alg !== 'RS256') return null;
            const key = await crypto.subtle.importKey('jwk', jwk, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
            const ok = await crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, b64(s), new TextEncoder().encode(h + '.' + p));
            if (!ok) return null;
            const claims = JSON.parse(new TextDecoder().decode(b64(p)));
            return claims.exp * 1000 > Date.now() ? claims : null;
        }
        window.fetch = async (input, init) => {
            if (!(input instanceof Request) || !input.url.startsWith('http://backend.invalid/')) return original(input, init);
            const auth = input.headers.get('Authorization') || '';
            if (!auth.startsWith('Bearer ')) return json(401, { error: 'no token' });
            const token = auth.slice(7);
            const claims = await verify(token).catch(e => { state.error = String(e); return null; });
            if (!claims) return json(401, { error: 'bad token' });
            state.seen.push(token);
            if (state.reject > 0) { state.reject -= 1; return json(401, { error: 'rejected' }); }
            if (input.url.endsWith('/forbidden')) return json(403, { errors: [{ code: 'forbidden', message: 'not yours', long_message: 'Not yours.' }] });
            return json(200, { sub: claims.sub, sid: claims.sid, jti: claims.jti });
        };
        return state;
        "#,
    );
    install
        .call1(&JsValue::NULL, &dev_server().0.into())
        .unwrap()
}

fn seen(state: &JsValue) -> Vec<String> {
    js_sys::Array::from(&get(state, "seen"))
        .iter()
        .filter_map(|v| v.as_string())
        .collect()
}

#[derive(serde::Deserialize, Debug)]
struct Me {
    sub: String,
    sid: String,
    jti: String,
}

const BACKEND: &str = "http://backend.invalid/me";

#[wasm_bindgen_test]
async fn fetch_sends_the_session_token_and_retries_once_after_a_401() {
    forget_browser();
    let backend = install_backend();
    let (_host, clerk, _handle) = mount();
    clerk.loaded().await.unwrap();

    // the backend is strict: no header, or a token with a broken signature, is a 401
    let bare = gloo_net::http::Request::get(BACKEND).send().await.unwrap();
    assert_eq!(bare.status(), 401);

    // signed out: a typed error, nothing sent
    let err = clerk
        .fetch(AuthenticatedRequest::get(BACKEND))
        .await
        .unwrap_err();
    assert_eq!(err, ClerkError::SignedOut);
    assert!(seen(&backend).is_empty());

    let session_id = sign_in(clerk, ADA).await;
    let token = clerk
        .session()
        .get_untracked()
        .and_then(|s| s.last_active_token.clone())
        .unwrap()
        .jwt;
    let forged = format!("{}AAAA", &token[..token.len() - 4]);
    let forged = gloo_net::http::Request::get(BACKEND)
        .header("Authorization", &format!("Bearer {forged}"))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 401, "the signature is checked");

    // signed in: the session token, from the cache (no request to Clerk)
    let before = clerk.request_count();
    let me: Me = clerk
        .fetch_json(AuthenticatedRequest::get(BACKEND).header("Authorization", "Bearer nope"))
        .await
        .unwrap_or_else(|e| {
            panic!(
                "the backend accepts the session token: {e:?} {:?}",
                get(&backend, "error")
            )
        });
    assert_eq!(
        (me.sub.as_str(), me.sid.as_str()),
        ("user_ada", session_id.as_str())
    );
    assert_eq!(seen(&backend), vec![token.clone()]);
    assert_eq!(
        clerk.request_count(),
        before,
        "a cached token costs no request"
    );

    // a 401: one fresh token (skipping the cache), one retry
    js_sys::Reflect::set(&backend, &"reject".into(), &1.into()).unwrap();
    let before = clerk.request_count();
    let response = clerk
        .fetch(AuthenticatedRequest::get(BACKEND))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let retried: Me = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    let sent = seen(&backend);
    assert_eq!(sent.len(), 3, "{sent:?}");
    assert_eq!(sent[1], token, "first the cached token");
    assert_ne!(sent[2], token, "then a fresh one");
    assert_ne!(retried.jti, me.jti);
    assert_eq!(clerk.request_count(), before + 1, "one token request");

    // a second 401: a typed error, no third attempt
    js_sys::Reflect::set(&backend, &"reject".into(), &2.into()).unwrap();
    let err = clerk
        .fetch(AuthenticatedRequest::get(BACKEND))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(401), "{err:?}");
    assert_eq!(seen(&backend).len(), 5);
    assert_eq!(get(&backend, "reject").as_f64(), Some(0.0));

    // other statuses are the caller's to read; fetch_json makes them typed errors
    let forbidden = "http://backend.invalid/forbidden";
    let response = clerk
        .fetch(AuthenticatedRequest::get(forbidden))
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let err = clerk
        .fetch_json::<Me>(AuthenticatedRequest::get(forbidden))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403), "{err:?}");
    assert_eq!(err.to_string(), "Not yours.");

    clerk.sign_out(SignOut::default()).await.unwrap();
    let err = clerk
        .fetch(AuthenticatedRequest::get(BACKEND))
        .await
        .unwrap_err();
    assert_eq!(err, ClerkError::SignedOut);
}
