//! The library in headless Chromium against a running clerk-dev-server: sign-up and sign-in,
//! sessions and organizations following into `use_auth` and the token claims, sign-out across
//! providers, fine-grained re-renders and offline behaviour.
//!
//! test.sh starts the dev server and sets `CLERK_DEV_SERVER_URL` and `CLERK_PUBLISHABLE_KEY`
//! at compile time. Without them each test fails and says to run `./test.sh browser`.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use leptos_clerk::core::claims::SessionClaims;
use leptos_clerk::core::wire::Strategy;
use leptos_clerk::{
    Clerk, ClerkError, ClerkOptions, GetTokenOptions, Protect, SetActive, SignInCreate, SignInStep,
    SignOut, SignUpFields, SignUpStep, SignedIn, SignedOut, provide_clerk, use_auth,
};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

mod support;
use support::*;

fn text(host: &web_sys::HtmlElement, selector: &str) -> Option<String> {
    host.query_selector(selector)
        .unwrap()
        .and_then(|e| e.text_content())
}

/// The test page: signed-in and signed-out branches, and what `use_auth` says.
fn page() -> impl IntoView {
    let auth = use_auth();
    view! {
        <SignedOut><p class="out">"signed out"</p></SignedOut>
        <SignedIn><p class="in">"signed in"</p></SignedIn>
        <p class="user">{move || auth.user_id.get().unwrap_or_default()}</p>
        <p class="org">{move || auth.org_id.get().unwrap_or_default()}</p>
        <p class="role">{move || auth.org_role.get().unwrap_or_default()}</p>
        <Protect role="org:admin" fallback=|| view! { <p class="not-admin">"not admin"</p> }>
            <p class="admin">"admin"</p>
        </Protect>
        <Protect permission="org:invoices:manage" fallback=|| view! { <p class="no-invoices">"no"</p> }>
            <p class="invoices">"invoices"</p>
        </Protect>
    }
}

/// Mounts a provider with the test page; returns the host and the handle.
fn mount() -> (
    web_sys::HtmlElement,
    Clerk,
    leptos::mount::UnmountHandle<impl Mountable>,
) {
    let (server, key) = dev_server();
    let host = host();
    let slot = Rc::new(Cell::new(None));
    let captured = slot.clone();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        captured.set(Some(provide_clerk(ClerkOptions {
            publishable_key: key.into(),
            proxy_url: Some(server.into()),
            ..ClerkOptions::default()
        })));
        page()
    });
    (host, slot.get().unwrap(), handle)
}

async fn loaded(host: &web_sys::HtmlElement, clerk: Clerk) {
    clerk.loaded().await.expect("clerk loads");
    assert!(
        until(2_000, || text(host, ".out").is_some()).await,
        "{}",
        host.inner_html()
    );
}

fn unique_email(tag: &str) -> String {
    let n = (js_sys::Math::random() * 1e12) as u64;
    format!("{tag}-{n}+clerk_test@example.com")
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

fn claims(jwt: &str) -> SessionClaims {
    SessionClaims::decode(jwt).expect("a session token")
}

#[wasm_bindgen_test]
async fn sign_up_with_an_email_code_then_signed_in_children_appear() {
    forget_browser();
    let (host, clerk, _handle) = mount();
    loaded(&host, clerk).await;
    assert!(text(&host, ".in").is_none(), "{}", host.inner_html());

    let email = unique_email("signup");
    let fields = SignUpFields {
        email_address: Some(email.clone()),
        password: Some(PASSWORD.into()),
        first_name: Some("Test".into()),
        ..SignUpFields::default()
    };
    let sign_up = clerk.create_sign_up(&fields).await.expect("create");
    assert_eq!(sign_up.step(), SignUpStep::VerifyEmail);
    let sign_up = sign_up
        .prepare_verification(Strategy::EmailCode)
        .await
        .expect("prepare");
    let wrong = sign_up
        .attempt_verification(Strategy::EmailCode, "000000")
        .await;
    let Err(err) = wrong else {
        panic!("a wrong code must fail")
    };
    assert!(err.field_error("code").is_some(), "{err:?}");
    let sign_up = sign_up
        .attempt_verification(Strategy::EmailCode, "424242")
        .await
        .expect("attempt");
    let SignUpStep::Complete {
        session_id,
        user_id,
    } = sign_up.step()
    else {
        panic!("sign-up not complete: {:?}", sign_up.step());
    };
    // the new session is on the client, but not current until set_active
    assert!(text(&host, ".in").is_none());
    clerk
        .set_active(SetActive::new().session(session_id.as_str()))
        .await
        .expect("set_active");
    assert!(
        until(2_000, || text(&host, ".in").is_some()).await,
        "{}",
        host.inner_html()
    );
    assert!(text(&host, ".out").is_none());
    assert_eq!(text(&host, ".user").as_deref(), Some(user_id.as_str()));
    let user = clerk.user().get_untracked().expect("a user");
    assert_eq!(user.primary_email_address().unwrap().email_address, email);
    assert_eq!(user.first_name.as_deref(), Some("Test"));

    clerk.sign_out(SignOut::default()).await.expect("sign out");
    assert!(
        until(2_000, || text(&host, ".out").is_some()).await,
        "{}",
        host.inner_html()
    );
    assert_eq!(text(&host, ".user").as_deref(), Some(""));
}

#[wasm_bindgen_test]
async fn sessions_and_organizations_follow_into_use_auth_and_token_claims() {
    forget_browser();
    let (host, clerk, _handle) = mount();
    loaded(&host, clerk).await;

    let wrong = clerk
        .create_sign_in(&SignInCreate::password(
            "ada+clerk_test@example.com",
            "not-the-password",
        ))
        .await;
    let Err(ClerkError::Api { errors, .. }) = wrong else {
        panic!("wrong password must fail")
    };
    assert_eq!(errors[0].code.as_str(), "form_password_incorrect");

    let ada = sign_in(clerk, "ada+clerk_test@example.com").await;
    assert!(until(2_000, || text(&host, ".in").is_some()).await);
    assert_eq!(text(&host, ".user").as_deref(), Some("user_ada"));

    // organization by slug: use_auth and the next token's claims follow
    clerk
        .set_active(SetActive::new().organization("acme"))
        .await
        .expect("org");
    assert!(
        until(2_000, || text(&host, ".org").as_deref() == Some("org_acme")).await,
        "{}",
        host.inner_html()
    );
    assert_eq!(text(&host, ".role").as_deref(), Some("org:admin"));
    let session = clerk.session().get_untracked().unwrap();
    let jwt = session
        .get_token(GetTokenOptions::default())
        .await
        .unwrap()
        .unwrap();
    let c = claims(&jwt);
    assert_eq!(c.sid, ada);
    assert_eq!(c.org.as_ref().map(|o| o.id.as_str()), Some("org_acme"));
    assert_eq!(
        c.org.as_ref().and_then(|o| o.role.as_deref()),
        Some("org:admin")
    );
    // the personal account: claims drop the organization
    clerk
        .set_active(SetActive::new().personal_account())
        .await
        .expect("personal");
    assert!(until(2_000, || text(&host, ".org").as_deref() == Some("")).await);
    let jwt = clerk
        .session()
        .get_untracked()
        .unwrap()
        .get_token(GetTokenOptions::default())
        .await
        .unwrap()
        .unwrap();
    assert!(claims(&jwt).org.is_none());

    // a second session on the same client, then back to the first
    let alan = sign_in(clerk, "alan+clerk_test@example.com").await;
    assert!(
        until(2_000, || text(&host, ".user").as_deref()
            == Some("user_alan"))
        .await
    );
    let client = clerk.client().get_untracked().unwrap();
    assert_eq!(client.signed_in_sessions().len(), 2);
    let jwt = clerk
        .session()
        .get_untracked()
        .unwrap()
        .get_token(GetTokenOptions::default())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(claims(&jwt).sid, alan);
    clerk
        .set_active(SetActive::new().session(ada.as_str()))
        .await
        .expect("back to ada");
    assert!(
        until(2_000, || text(&host, ".user").as_deref()
            == Some("user_ada"))
        .await
    );

    // a template token
    let template = GetTokenOptions {
        template: Some("example".into()),
        ..Default::default()
    };
    let jwt = clerk
        .session()
        .get_untracked()
        .unwrap()
        .get_token(template)
        .await
        .unwrap()
        .unwrap();
    let (_, payload) = leptos_clerk::core::claims::decode_jwt(&jwt).unwrap();
    assert_eq!(payload["email"], "ada+clerk_test@example.com");

    // sign out of one session: the other stays signed in
    clerk
        .sign_out(SignOut {
            session_id: Some(alan.clone()),
            redirect_url: None,
        })
        .await
        .expect("remove alan");
    assert_eq!(
        clerk
            .client()
            .get_untracked()
            .unwrap()
            .signed_in_sessions()
            .len(),
        1
    );
    assert_eq!(text(&host, ".user").as_deref(), Some("user_ada"));
    clerk.sign_out(SignOut::default()).await.expect("sign out");
    assert!(until(2_000, || text(&host, ".out").is_some()).await);
}

#[wasm_bindgen_test]
async fn concurrent_get_token_calls_share_one_request() {
    forget_browser();
    let (host, clerk, _handle) = mount();
    loaded(&host, clerk).await;
    sign_in(clerk, "ada+clerk_test@example.com").await;
    let session = clerk.session().get_untracked().unwrap();
    let fresh = || GetTokenOptions {
        skip_cache: true,
        ..Default::default()
    };
    let before = clerk.request_count();
    let (a, b, c) = futures::join!(
        session.get_token(fresh()),
        session.get_token(fresh()),
        session.get_token(GetTokenOptions::default()),
    );
    let (a, b, c) = (
        a.unwrap().unwrap(),
        b.unwrap().unwrap(),
        c.unwrap().unwrap(),
    );
    assert_eq!(a, b, "the two skip_cache calls share one mint");
    assert_eq!(
        clerk.request_count() - before,
        1,
        "one request for three calls"
    );
    // the cached token is handed out with no request, and never with less than the leeway left
    let before = clerk.request_count();
    let cached = session
        .get_token(GetTokenOptions::default())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(clerk.request_count(), before);
    assert!(cached == a || cached == c);
    let exp = claims(&cached).exp;
    let now = (js_sys::Date::now() / 1000.0) as i64;
    assert!(exp - now > 10);
    let long = GetTokenOptions {
        leeway_in_seconds: Some(3_600),
        ..Default::default()
    };
    let refreshed = session.get_token(long).await.unwrap().unwrap();
    assert_eq!(
        clerk.request_count(),
        before + 1,
        "a leeway longer than the lifetime mints"
    );
    assert_ne!(refreshed, cached);
    clerk.sign_out(SignOut::default()).await.unwrap();
    // signed out: Ok(None), not an error
    assert_eq!(
        session.get_token(GetTokenOptions::default()).await.unwrap(),
        None
    );
}

#[wasm_bindgen_test]
async fn tokens_and_sign_out_are_shared_between_providers() {
    forget_browser();
    let (host_a, a, _ha) = mount();
    loaded(&host_a, a).await;
    sign_in(a, "ada+clerk_test@example.com").await;
    // a second "tab": same browser (same client), its own provider and state
    let (host_b, b, _hb) = mount();
    b.loaded().await.unwrap();
    assert!(
        until(3_000, || text(&host_b, ".in").is_some()).await,
        "{}",
        host_b.inner_html()
    );
    // a token minted in one is shared with the other: no request of its own (a second later,
    // so it is strictly fresher than the one B loaded with the client)
    sleep(1_100).await;
    let fresh = GetTokenOptions {
        skip_cache: true,
        ..Default::default()
    };
    let minted = a
        .session()
        .get_untracked()
        .unwrap()
        .get_token(fresh)
        .await
        .unwrap()
        .unwrap();
    let session_b = b.session().get_untracked().unwrap();
    let mut shared = None;
    for _ in 0..40 {
        let before = b.request_count();
        let token = session_b
            .get_token(GetTokenOptions::default())
            .await
            .unwrap();
        if token.as_deref() == Some(minted.as_str()) && b.request_count() == before {
            shared = token;
            break;
        }
        sleep(50).await;
    }
    assert_eq!(
        shared.as_deref(),
        Some(minted.as_str()),
        "the other provider got the token"
    );

    a.sign_out(SignOut::default()).await.unwrap();
    assert!(until(2_000, || text(&host_a, ".out").is_some()).await);
    assert!(
        until(5_000, || text(&host_b, ".out").is_some()).await,
        "the other provider follows: {}",
        host_b.inner_html()
    );
}

#[wasm_bindgen_test]
async fn token_refreshes_and_touches_do_not_rerender_auth_readers() {
    forget_browser();
    let (server, key) = dev_server();
    let host = host();
    let slot = Rc::new(Cell::new(None));
    let captured = slot.clone();
    let renders = Rc::new(RenderCounts::default());
    let counts = renders.clone();
    let _handle = leptos::mount::mount_to(host.clone(), move || {
        captured.set(Some(provide_clerk(ClerkOptions {
            publishable_key: key.into(),
            proxy_url: Some(server.into()),
            ..ClerkOptions::default()
        })));
        let auth = use_auth();
        let clerk = leptos_clerk::use_clerk();
        let (c1, c2, c3, c4) = (
            counts.clone(),
            counts.clone(),
            counts.clone(),
            counts.clone(),
        );
        let signed_in = send_wrapper::SendWrapper::new(move || {
            c1.signed_in.set(c1.signed_in.get() + 1);
            format!("{:?}", auth.is_signed_in.get())
        });
        let user = send_wrapper::SendWrapper::new(move || {
            c2.user.set(c2.user.get() + 1);
            auth.user_id.get()
        });
        let org = send_wrapper::SendWrapper::new(move || {
            c3.org.set(c3.org.get() + 1);
            auth.org_id.get()
        });
        let session = send_wrapper::SendWrapper::new(move || {
            c4.session.set(c4.session.get() + 1);
            clerk
                .session()
                .with(|s| s.as_ref().map(|s| s.updated_at.timestamp_millis()))
        });
        view! {
            <p class="signed">{move || signed_in()}</p>
            <p class="user">{move || user()}</p>
            <p class="org">{move || org()}</p>
            <p class="session">{move || session()}</p>
        }
    });
    let clerk = slot.get().unwrap();
    clerk.loaded().await.unwrap();
    sign_in(clerk, "ada+clerk_test@example.com").await;
    assert!(
        until(2_000, || text(&host, ".user").as_deref()
            == Some("user_ada"))
        .await
    );
    sleep(100).await;
    let before = renders.snapshot();

    let session = clerk.session().get_untracked().unwrap();
    for _ in 0..3 {
        session
            .get_token(GetTokenOptions {
                skip_cache: true,
                ..Default::default()
            })
            .await
            .unwrap();
        session.touch().await.unwrap();
        leptos::task::tick().await;
    }
    sleep(100).await;
    let after = renders.snapshot();
    assert_eq!(
        (after.0, after.1, after.2),
        (before.0, before.1, before.2),
        "is_signed_in / user_id / org_id readers must not re-render"
    );
    assert!(
        after.3 > before.3,
        "a reader of the whole session does re-render ({before:?} -> {after:?})"
    );
    clerk.sign_out(SignOut::default()).await.unwrap();
}

#[derive(Default)]
struct RenderCounts {
    signed_in: Cell<u32>,
    user: Cell<u32>,
    org: Cell<u32>,
    session: Cell<u32>,
}

impl RenderCounts {
    fn snapshot(&self) -> (u32, u32, u32, u32) {
        (
            self.signed_in.get(),
            self.user.get(),
            self.org.get(),
            self.session.get(),
        )
    }
}

#[wasm_bindgen_test]
async fn a_returning_user_is_signed_in_after_two_requests() {
    forget_browser();
    let (host, clerk, handle) = mount();
    loaded(&host, clerk).await;
    sign_in(clerk, "ada+clerk_test@example.com").await;
    drop(handle);
    host.remove();
    // a new page load of the same browser: dev-browser cookie kept, signed in from the start
    let (host, clerk, _handle) = mount();
    assert!(
        text(&host, ".out").is_none() && text(&host, ".in").is_none(),
        "nothing before load"
    );
    assert!(
        until(5_000, || text(&host, ".in").is_some()).await,
        "{}",
        host.inner_html()
    );
    assert_eq!(text(&host, ".user").as_deref(), Some("user_ada"));
    assert_eq!(
        clerk.request_count(),
        2,
        "GET /environment and GET /client (the token comes with the client)"
    );
    let before = clerk.request_count();
    let jwt = clerk
        .session()
        .get_untracked()
        .unwrap()
        .get_token(GetTokenOptions::default())
        .await;
    assert!(jwt.unwrap().is_some());
    assert_eq!(
        clerk.request_count(),
        before,
        "the first token after load is free"
    );
    clerk.sign_out(SignOut::default()).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_bad_key_fails_with_a_typed_error() {
    let host = host();
    let slot = Rc::new(Cell::new(None));
    let captured = slot.clone();
    let _handle = leptos::mount::mount_to(host.clone(), move || {
        captured.set(Some(provide_clerk(ClerkOptions {
            publishable_key: "sk_test_not_a_publishable_key".into(),
            ..ClerkOptions::default()
        })));
        view! {
            <leptos_clerk::ClerkFailed><p class="failed">"failed"</p></leptos_clerk::ClerkFailed>
            <leptos_clerk::ClerkLoading><p class="loading">"loading"</p></leptos_clerk::ClerkLoading>
            {page()}
        }
    });
    let clerk = slot.get().unwrap();
    let err = clerk.loaded().await.unwrap_err();
    assert!(matches!(err, ClerkError::Key(_)), "{err:?}");
    assert!(
        until(1_000, || text(&host, ".failed").is_some()).await,
        "{}",
        host.inner_html()
    );
    assert!(text(&host, ".loading").is_none() && text(&host, ".out").is_none());
}

/// Stops the dev server's listener for `seconds` (it comes back with its state).
async fn pause_server(seconds: u32) {
    let url = format!("{}/v1/__dev/pause?seconds={seconds}", dev_server().0);
    let response = gloo_net::http::Request::post(&url)
        .send()
        .await
        .expect("pause");
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
}

#[wasm_bindgen_test]
async fn a_server_outage_gives_typed_errors_and_never_signs_out() {
    forget_browser();
    let (host, clerk, _handle) = mount();
    loaded(&host, clerk).await;
    sign_in(clerk, "ada+clerk_test@example.com").await;
    assert!(until(2_000, || text(&host, ".in").is_some()).await);
    let session = clerk.session().get_untracked().unwrap();

    pause_server(4).await;
    sleep(300).await;
    // a touch is not retried: the typed network error at once
    let err = session.touch().await.unwrap_err();
    assert!(matches!(err, ClerkError::Network(_)), "{err:?}");
    assert!(err.is_network() && !err.is_unauthenticated());
    leptos::task::tick().await;
    assert_eq!(
        clerk.status().get_untracked(),
        leptos_clerk::ClerkStatus::Degraded
    );
    // the state is kept: still signed in, same user
    assert!(text(&host, ".in").is_some() && text(&host, ".out").is_none());
    assert_eq!(text(&host, ".user").as_deref(), Some("user_ada"));

    // a token mint retries through the outage and succeeds once the server is back
    let jwt = session
        .get_token(GetTokenOptions {
            skip_cache: true,
            ..Default::default()
        })
        .await
        .expect("the mint retries until the server is back")
        .expect("signed in");
    assert_eq!(claims(&jwt).sub, "user_ada");
    assert!(
        until(8_000, || clerk.status().get_untracked()
            == leptos_clerk::ClerkStatus::Ready)
        .await,
        "back to ready: {:?}",
        clerk.status().get_untracked()
    );
    assert!(text(&host, ".in").is_some());
    clerk.sign_out(SignOut::default()).await.unwrap();
}
