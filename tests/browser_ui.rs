//! The prebuilt components in headless Chromium against a running clerk-dev-server, driven
//! through the DOM (values set and `input` events dispatched, buttons clicked, keys pressed):
//! the happy path of each component and its main errors (wrong password, wrong code, taken
//! email, unknown identifier, mismatched passwords), plus appearance and localization.
//!
//! Like `browser_clerk.rs`, these need `CLERK_DEV_SERVER_URL` and `CLERK_PUBLISHABLE_KEY` at
//! compile time (test.sh sets them); without them each test fails and says to run `./test.sh browser`.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use leptos_clerk::core::wire::{ErrorCode, SignInStatus, Strategy};
use leptos_clerk::ui::{Appearance, Localization, Theme, Variables};
use leptos_clerk::{
    Clerk, ClerkOptions, CreateOrganization, CreateOrganizationParams, OrganizationProfile,
    OrganizationSwitcher, SetActive, SignIn, SignInCreate, SignInStep, SignOut, SignUp,
    SignUpFields, SignUpStep, UserButton, UserProfile, provide_clerk,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

mod support;
use support::*;

// ---------------------------------------------------------------------------- harness

/// A mounted provider with one component; unmounted when dropped.
struct Mounted {
    host: HtmlElement,
    clerk: Clerk,
    _handle: Box<dyn std::any::Any>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.host.remove();
    }
}

/// Mounts `view` inside a provider (options changed by `configure`) once Clerk has loaded.
async fn mount<V: IntoView + 'static>(
    configure: impl FnOnce(&mut ClerkOptions) + 'static,
    view: impl FnOnce() -> V + 'static,
) -> Mounted {
    let (server, key) = dev_server();
    forget_browser();
    let host = support::host();
    let slot = Rc::new(Cell::new(None));
    let captured = slot.clone();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        let mut options = ClerkOptions {
            publishable_key: key.into(),
            proxy_url: Some(server.into()),
            ..ClerkOptions::default()
        };
        configure(&mut options);
        captured.set(Some(provide_clerk(options)));
        view()
    });
    let clerk = slot.get().unwrap();
    clerk.loaded().await.expect("clerk loads");
    Mounted {
        host,
        clerk,
        _handle: Box::new(handle),
    }
}

fn all(host: &HtmlElement, selector: &str) -> Vec<HtmlElement> {
    let nodes = host.query_selector_all(selector).unwrap();
    (0..nodes.length())
        .filter_map(|i| nodes.item(i)?.dyn_into::<HtmlElement>().ok())
        .collect()
}

fn text_of(el: &HtmlElement) -> String {
    el.text_content().unwrap_or_default().trim().to_owned()
}

/// The input labelled `label`.
fn input(host: &HtmlElement, label: &str) -> Option<HtmlElement> {
    let label = all(host, "label")
        .into_iter()
        .find(|l| text_of(l) == label)?;
    let id = label.get_attribute("for")?;
    document().get_element_by_id(&id)?.dyn_into().ok()
}

/// The button (or menu item) whose text is `text`.
fn button(host: &HtmlElement, text: &str) -> Option<HtmlElement> {
    all(host, "button")
        .into_iter()
        .find(|b| text_of(b) == text || b.get_attribute("aria-label").as_deref() == Some(text))
}

fn heading(host: &HtmlElement) -> String {
    all(host, "h1").last().map(text_of).unwrap_or_default()
}

/// Types into the input labelled `label` (sets the value, fires `input`).
async fn type_in(host: &HtmlElement, label: &str, value: &str) {
    assert!(
        until(5_000, || input(host, label).is_some()).await,
        "no input labelled {label:?}: {}",
        host.inner_html()
    );
    let el = input(host, label).unwrap();
    js_sys::Reflect::set(&el, &JsValue::from_str("value"), &JsValue::from_str(value)).unwrap();
    let event = web_sys::Event::new_with_event_init_dict("input", &{
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        init
    })
    .unwrap();
    el.dispatch_event(&event).unwrap();
    leptos::task::tick().await;
}

/// Picks `value` in the `<select>` whose accessible name is `name` (and fires `change`).
async fn choose(host: &HtmlElement, name: &str, value: &str) {
    let find = || {
        all(host, "select")
            .into_iter()
            .find(|s| s.get_attribute("aria-label").as_deref() == Some(name))
            .filter(|s| !s.has_attribute("disabled"))
    };
    assert!(
        until(8_000, || find().is_some()).await,
        "no select {name:?}: {}",
        host.inner_html()
    );
    let el = find().unwrap();
    js_sys::Reflect::set(&el, &JsValue::from_str("value"), &JsValue::from_str(value)).unwrap();
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("change", &init).unwrap();
    el.dispatch_event(&event).unwrap();
    leptos::task::tick().await;
}

fn value_of(host: &HtmlElement, label: &str) -> String {
    let el = input(host, label).unwrap();
    js_sys::Reflect::get(&el, &JsValue::from_str("value"))
        .unwrap()
        .as_string()
        .unwrap_or_default()
}

/// Clicks the button with this text once it is there and enabled.
async fn click(host: &HtmlElement, text: &str) {
    let ready = || button(host, text).is_some_and(|b| !b.has_attribute("disabled"));
    assert!(
        until(5_000, ready).await,
        "no enabled button {text:?}: {}",
        host.inner_html()
    );
    button(host, text).unwrap().click();
    leptos::task::tick().await;
}

/// Clicks the submit button with this text (when another button has the same text).
async fn submit(host: &HtmlElement, text: &str) {
    let find = || {
        all(host, "button[type=submit]")
            .into_iter()
            .find(|b| text_of(b) == text && !b.has_attribute("disabled"))
    };
    assert!(
        until(5_000, || find().is_some()).await,
        "no submit {text:?}: {}",
        host.inner_html()
    );
    find().unwrap().click();
    leptos::task::tick().await;
}

/// Waits for a heading.
async fn screen(host: &HtmlElement, title: &str) {
    assert!(
        until(8_000, || heading(host) == title).await,
        "expected the screen {title:?}, got {:?}: {}",
        heading(host),
        host.inner_html()
    );
}

/// The error shown next to the input labelled `label` (checks `aria-invalid` and
/// `aria-describedby` point at it).
async fn field_error(host: &HtmlElement, label: &str) -> String {
    let shown = || {
        input(host, label)
            .is_some_and(|i| i.get_attribute("aria-invalid").as_deref() == Some("true"))
    };
    assert!(
        until(8_000, shown).await,
        "no error on {label:?}: {}",
        host.inner_html()
    );
    let el = input(host, label).unwrap();
    let id = el
        .get_attribute("aria-describedby")
        .expect("aria-describedby");
    let error: HtmlElement = document().get_element_by_id(&id).unwrap().unchecked_into();
    text_of(&error)
}

/// The text of the form-level live area(s).
fn status(host: &HtmlElement) -> String {
    all(host, ".cl-form-status")
        .iter()
        .map(text_of)
        .collect::<Vec<_>>()
        .join(" | ")
}

async fn signed_in_as(clerk: Clerk, user_id: &str) -> bool {
    until(8_000, || {
        clerk
            .user()
            .get_untracked()
            .is_some_and(|u| u.id == user_id)
    })
    .await
}

fn key(target: &HtmlElement, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

fn focused_text() -> String {
    document()
        .active_element()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// Puts the test page at this path and query (no reload), like a visit to a sign-in page.
fn visit(url: &str) {
    window()
        .history()
        .unwrap()
        .push_state_with_url(&JsValue::NULL, "", Some(url))
        .unwrap();
}

fn path() -> String {
    let l = window().location();
    format!("{}{}", l.pathname().unwrap(), l.search().unwrap())
}

fn unique(tag: &str) -> String {
    let n = (js_sys::Math::random() * 1e12) as u64;
    format!("{tag}-{n}")
}

fn unique_email(tag: &str) -> String {
    format!("{}+clerk_test@example.com", unique(tag))
}

/// A unique test phone number (`+1 XXX-555-01XX`: the dev server's code is always 424242).
fn unique_phone() -> String {
    let n = (js_sys::Math::random() * 70_000.0) as u32;
    format!("+1{}55501{:02}", 200 + n / 100, n % 100)
}

async fn api_sign_in(clerk: Clerk, identifier: &str) -> String {
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

/// Signs up a new user through the API (signed in afterwards); returns its email.
async fn api_sign_up(clerk: Clerk) -> String {
    let email = unique_email("ui");
    api_sign_up_as(clerk, &email).await;
    email
}

/// Signs up "Test User" with this email through the API (signed in afterwards); returns the
/// new session's id.
async fn api_sign_up_as(clerk: Clerk, email: &str) -> String {
    let email = email.to_owned();
    let fields = SignUpFields {
        email_address: Some(email.clone()),
        password: Some(PASSWORD.into()),
        first_name: Some("Test".into()),
        last_name: Some("User".into()),
        ..SignUpFields::default()
    };
    let sign_up = clerk.create_sign_up(&fields).await.expect("create");
    let sign_up = sign_up
        .prepare_verification(Strategy::EmailCode)
        .await
        .expect("prepare");
    let sign_up = sign_up
        .attempt_verification(Strategy::EmailCode, "424242")
        .await
        .expect("attempt");
    let SignUpStep::Complete { session_id, .. } = sign_up.step() else {
        panic!("sign-up not complete: {:?}", sign_up.step());
    };
    clerk
        .set_active(SetActive::new().session(session_id.as_str()))
        .await
        .expect("set_active");
    session_id
}

// ---------------------------------------------------------------------------- SignIn

#[wasm_bindgen_test]
async fn sign_in_wrong_then_right_password() {
    // the force URL wins over the page's redirect_url
    visit("/sign-in?redirect_url=%2Fignored");
    let m = mount(|_| {}, || view! { <SignIn force_redirect_url="/forced"/> }).await;
    let host = &m.host;
    screen(host, "Sign in to leptos-clerk example").await;
    type_in(
        host,
        "Email address, username or phone number",
        "ada+clerk_test@example.com",
    )
    .await;
    click(host, "Continue").await;
    screen(host, "Enter your password").await;
    assert!(host.inner_html().contains("ada+clerk_test@example.com"));
    type_in(host, "Password", "not-the-password").await;
    click(host, "Continue").await;
    let error = field_error(host, "Password").await;
    assert!(error.contains("Password is incorrect"), "{error}");
    assert_eq!(
        value_of(host, "Password"),
        "not-the-password",
        "the input keeps what was typed"
    );
    type_in(host, "Password", PASSWORD).await;
    click(host, "Continue").await;
    assert!(
        signed_in_as(m.clerk, "user_ada").await,
        "{}",
        host.inner_html()
    );
    assert!(until(3_000, || path() == "/forced").await, "{}", path());
}

#[wasm_bindgen_test]
async fn sign_in_unknown_identifier_and_empty_fields() {
    let m = mount(|_| {}, || view! { <SignIn/> }).await;
    let host = &m.host;
    click(host, "Continue").await;
    assert_eq!(
        field_error(host, "Email address, username or phone number").await,
        "This field is required."
    );
    type_in(
        host,
        "Email address, username or phone number",
        "nobody+clerk_test@example.com",
    )
    .await;
    click(host, "Continue").await;
    // the required-field error is gone, the server's error took its place
    assert!(
        until(8_000, || {
            all(host, ".cl-form-field-error")
                .iter()
                .any(|e| text_of(e) != "This field is required.")
        })
        .await,
        "{}",
        host.inner_html()
    );
    let error = field_error(host, "Email address, username or phone number").await;
    assert!(
        error.to_lowercase().contains("couldn't find")
            || error.to_lowercase().contains("not found")
            || !error.is_empty(),
        "{error}"
    );
    assert_eq!(
        value_of(host, "Email address, username or phone number"),
        "nobody+clerk_test@example.com"
    );
    assert_eq!(heading(host), "Sign in to leptos-clerk example");
}

/// A wrong code first (an error next to the field, the code kept), then the right one.
async fn wrong_then_right_code(host: &HtmlElement) {
    type_in(host, "Verification code", "000000").await;
    click(host, "Continue").await;
    assert!(!field_error(host, "Verification code").await.is_empty());
    assert_eq!(value_of(host, "Verification code"), "000000");
    type_in(host, "Verification code", "424242").await;
    click(host, "Continue").await;
}

/// From the password screen, through "Use another method", to the code method whose button
/// starts with `method` (its screen titled `title`), then [`wrong_then_right_code`].
async fn code_instead_of_password(host: &HtmlElement, method: &str, title: &str) {
    screen(host, "Enter your password").await;
    click(host, "Use another method").await;
    screen(host, "Use another method").await;
    all(host, "button")
        .into_iter()
        .find(|b| text_of(b).starts_with(method))
        .unwrap_or_else(|| panic!("no method {method:?}: {}", host.inner_html()))
        .click();
    screen(host, title).await;
    wrong_then_right_code(host).await;
}

#[wasm_bindgen_test]
async fn sign_in_links_to_sign_up_only_when_there_is_a_page() {
    // no sign_up_url, and the dev server's instance has neither a sign-up URL nor an Account
    // Portal: no link (Clerk's rule, never a dead `/sign-up`)
    visit("/sign-in");
    let m = mount(|_| {}, || view! { <SignIn/> }).await;
    let host = &m.host;
    screen(host, "Sign in to leptos-clerk example").await;
    assert!(
        all(host, ".cl-footer-action-link").is_empty(),
        "{}",
        host.inner_html()
    );
}

#[wasm_bindgen_test]
async fn sign_in_with_an_email_code_through_another_method() {
    // an allowed redirect_url of the page is followed
    visit("/sign-in?redirect_url=%2Forders%2F7%3Fx%3D1");
    let m = mount(
        |o| o.sign_up_url = Some("/sign-up".into()),
        || view! { <SignIn/> },
    )
    .await;
    let host = &m.host;
    // the sign-up link keeps the page's redirect_url
    assert!(until(5_000, || !all(host, ".cl-footer-action-link").is_empty()).await);
    let sign_up = all(host, ".cl-footer-action-link").pop().unwrap();
    assert_eq!(
        sign_up.get_attribute("href").as_deref(),
        Some("/sign-up?redirect_url=%2Forders%2F7%3Fx%3D1")
    );
    type_in(host, "Email address, username or phone number", "alan").await;
    click(host, "Continue").await;
    code_instead_of_password(host, "Email code to", "Check your email").await;
    assert!(
        signed_in_as(m.clerk, "user_alan").await,
        "{}",
        host.inner_html()
    );
    assert!(
        until(3_000, || path() == "/orders/7?x=1").await,
        "{}",
        path()
    );
}

#[wasm_bindgen_test]
async fn sign_in_with_a_phone_number_and_an_sms_code() {
    let m = mount(|_| {}, || view! { <SignIn/> }).await;
    let host = &m.host;
    // the seed allows email, username and phone number as identifiers
    type_in(
        host,
        "Email address, username or phone number",
        "+1 (555) 555-0100",
    )
    .await;
    click(host, "Continue").await;
    code_instead_of_password(host, "Send SMS code to", "Check your phone").await;
    assert!(
        signed_in_as(m.clerk, "user_alan").await,
        "{}",
        host.inner_html()
    );
}

#[wasm_bindgen_test]
async fn sign_in_with_an_sms_code_as_second_factor() {
    let m = mount(|_| {}, || view! { <SignIn/> }).await;
    let host = &m.host;
    type_in(host, "Email address, username or phone number", "katherine").await;
    click(host, "Continue").await;
    type_in(host, "Password", PASSWORD).await;
    click(host, "Continue").await;
    // the seed gives her SMS codes as her only second factor
    screen(host, "Check your phone").await;
    assert!(
        m.clerk
            .client()
            .get_untracked()
            .and_then(|c| c.sign_in.clone())
            .is_some_and(|s| s.status == SignInStatus::NeedsSecondFactor),
        "{}",
        host.inner_html()
    );
    wrong_then_right_code(host).await;
    assert!(
        signed_in_as(m.clerk, "user_katherine").await,
        "{}",
        host.inner_html()
    );
}

#[wasm_bindgen_test]
async fn sign_in_with_a_backup_code_as_second_factor() {
    // a redirect_url to another origin is not followed: the fallback URL is
    visit("/sign-in?redirect_url=https%3A%2F%2Fevil.example%2F");
    let m = mount(
        |o| o.sign_in_fallback_redirect_url = Some("/home".into()),
        || view! { <SignIn/> },
    )
    .await;
    let host = &m.host;
    type_in(
        host,
        "Email address, username or phone number",
        "grace+clerk_test@example.com",
    )
    .await;
    click(host, "Continue").await;
    type_in(host, "Password", PASSWORD).await;
    click(host, "Continue").await;
    screen(host, "Two-step verification").await;
    click(host, "Use another method").await;
    click(host, "Use a backup code").await;
    screen(host, "Enter a backup code").await;
    type_in(host, "Backup code", "not-a-backup-code").await;
    click(host, "Continue").await;
    assert!(!field_error(host, "Backup code").await.is_empty());
    type_in(host, "Backup code", "backup-code-1").await;
    click(host, "Continue").await;
    assert!(
        signed_in_as(m.clerk, "user_grace").await,
        "{}",
        host.inner_html()
    );
    assert!(until(3_000, || path() == "/home").await, "{}", path());
}

#[wasm_bindgen_test]
async fn forgot_password_resets_it_with_a_code() {
    let m = mount(|_| {}, || view! { <SignIn/> }).await;
    let (host, clerk) = (&m.host, m.clerk);
    let email = api_sign_up(clerk).await;
    clerk.sign_out(SignOut::default()).await.expect("sign out");
    assert!(until(5_000, || clerk.user().get_untracked().is_none()).await);
    screen(host, "Sign in to leptos-clerk example").await;
    type_in(host, "Email address, username or phone number", &email).await;
    click(host, "Continue").await;
    click(host, "Forgot password?").await;
    screen(host, "Reset your password").await;
    type_in(host, "Verification code", "424242").await;
    click(host, "Continue").await;
    screen(host, "Set a new password").await;
    type_in(host, "New password", "a-brand-new-password").await;
    type_in(host, "Confirm password", "a-different-password").await;
    click(host, "Reset password").await;
    assert_eq!(
        field_error(host, "Confirm password").await,
        "The passwords don't match."
    );
    type_in(host, "New password", "short").await;
    type_in(host, "Confirm password", "short").await;
    click(host, "Reset password").await;
    assert_eq!(
        field_error(host, "New password").await,
        "Your password must contain 8 or more characters."
    );
    type_in(host, "New password", "a-brand-new-password").await;
    type_in(host, "Confirm password", "a-brand-new-password").await;
    click(host, "Reset password").await;
    assert!(
        until(8_000, || clerk.user().get_untracked().is_some()).await,
        "{}",
        host.inner_html()
    );
    // the new password works
    clerk.sign_out(SignOut::default()).await.expect("sign out");
    let sign_in = clerk
        .create_sign_in(&SignInCreate::password(&email, "a-brand-new-password"))
        .await
        .expect("the new password signs in");
    assert!(matches!(sign_in.step(), SignInStep::Complete { .. }));
}

// ---------------------------------------------------------------------------- SignUp

#[wasm_bindgen_test]
async fn sign_up_with_an_email_code() {
    let m = mount(|_| {}, || view! { <SignUp/> }).await;
    let host = &m.host;
    screen(host, "Create your account").await;
    let email = unique_email("signup-ui");
    type_in(host, "First name", "Sign").await;
    type_in(host, "Last name", "Up").await;
    type_in(host, "Email address", &email).await;
    type_in(host, "Password", PASSWORD).await;
    click(host, "Continue").await;
    screen(host, "Verify your email").await;
    assert!(host.inner_html().contains(&email));
    wrong_then_right_code(host).await;
    assert!(
        until(8_000, || m.clerk.user().get_untracked().is_some()).await,
        "{}",
        host.inner_html()
    );
    let user = m.clerk.user().get_untracked().unwrap();
    assert_eq!(user.primary_email_address().unwrap().email_address, email);
    assert_eq!(user.full_name().as_deref(), Some("Sign Up"));
}

#[wasm_bindgen_test]
async fn sign_up_with_a_phone_number_verifies_it_too() {
    let m = mount(|_| {}, || view! { <SignUp/> }).await;
    let host = &m.host;
    screen(host, "Create your account").await;
    let (email, phone) = (unique_email("signup-phone"), unique_phone());
    type_in(host, "Email address", &email).await;
    type_in(host, "Phone number", &phone).await;
    type_in(host, "Password", PASSWORD).await;
    click(host, "Continue").await;
    screen(host, "Verify your email").await;
    type_in(host, "Verification code", "424242").await;
    click(host, "Continue").await;
    // then the phone number, with a wrong code first
    screen(host, "Verify your phone number").await;
    assert!(host.inner_html().contains(&phone), "{}", host.inner_html());
    wrong_then_right_code(host).await;
    assert!(
        until(8_000, || m.clerk.user().get_untracked().is_some()).await,
        "{}",
        host.inner_html()
    );
    let user = m.clerk.user().get_untracked().unwrap();
    assert_eq!(user.primary_email_address().unwrap().email_address, email);
    let numbers: Vec<_> = user
        .phone_numbers
        .iter()
        .map(|p| (p.phone_number.as_str(), p.is_verified()))
        .collect();
    assert_eq!(numbers, [(phone.as_str(), true)]);
    assert_eq!(
        user.primary_phone_number_id.as_deref(),
        Some(user.phone_numbers[0].id.as_str())
    );
}

#[wasm_bindgen_test]
async fn sign_up_with_a_taken_email_keeps_the_form() {
    let m = mount(|_| {}, || view! { <SignUp/> }).await;
    let host = &m.host;
    type_in(host, "Email address", "ada+clerk_test@example.com").await;
    type_in(host, "Password", PASSWORD).await;
    type_in(host, "Username", &unique("user").replace('-', "_")).await;
    click(host, "Continue").await;
    let error = field_error(host, "Email address").await;
    assert!(error.contains("taken"), "{error}");
    assert_eq!(
        value_of(host, "Email address"),
        "ada+clerk_test@example.com"
    );
    assert_eq!(value_of(host, "Password"), PASSWORD);
    assert_eq!(heading(host), "Create your account");
}

// ---------------------------------------------------------------------------- UserButton

#[wasm_bindgen_test]
async fn user_button_menu_by_keyboard_switch_account_and_sign_out() {
    let m = mount(|_| {}, || view! { <UserButton/> }).await;
    let (host, clerk) = (&m.host, m.clerk);
    assert!(all(host, "button").is_empty(), "nothing while signed out");
    api_sign_in(clerk, "alan+clerk_test@example.com").await;
    api_sign_in(clerk, "ada+clerk_test@example.com").await;
    assert!(until(5_000, || button(host, "Open user menu").is_some()).await);
    let trigger = button(host, "Open user menu").unwrap();
    assert!(host.inner_html().contains("data-initials=\"AL\""));
    // click opens the menu on its first item
    trigger.click();
    assert!(
        until(3_000, || focused_text() == "Manage account").await,
        "{}",
        host.inner_html()
    );
    assert_eq!(
        trigger.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    assert!(host.inner_html().contains("ada+clerk_test@example.com"));
    let menu = all(host, "[role=menu]").pop().unwrap();
    key(&menu, "ArrowDown");
    assert_eq!(focused_text(), "Sign out");
    key(&menu, "End");
    assert_eq!(focused_text(), "Sign out of all accounts");
    key(&menu, "Home");
    assert_eq!(focused_text(), "Manage account");
    key(&menu, "ArrowUp");
    assert_eq!(focused_text(), "Sign out of all accounts", "wraps around");
    key(&menu, "Escape");
    assert!(until(3_000, || all(host, "[role=menu]").is_empty()).await);
    assert_eq!(
        trigger.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    assert_eq!(
        document().active_element().map(|e| e.outer_html()),
        Some(trigger.outer_html()),
        "focus is back on the button"
    );
    // ArrowDown on the button opens it too; switch to the other account
    key(&trigger, "ArrowDown");
    assert!(until(3_000, || !all(host, "[role=menu]").is_empty()).await);
    let alan = all(host, "[role=menuitem]")
        .into_iter()
        .find(|b| text_of(b).contains("Alan Turing"))
        .expect("the other account");
    alan.click();
    assert!(signed_in_as(clerk, "user_alan").await);
    // "Manage account" opens the profile in a dialog
    button(host, "Open user menu").unwrap().click();
    click(host, "Manage account").await;
    assert!(
        until(5_000, || !all(host, "dialog[open] .cl-user-profile")
            .is_empty())
        .await,
        "{}",
        host.inner_html()
    );
    click(host, "Close").await;
    assert!(until(3_000, || all(host, "dialog[open]").is_empty()).await);
    // "Sign out" signs out of this account only (as clerk-js does): ada's session stays on
    // the client
    button(host, "Open user menu").unwrap().click();
    click(host, "Sign out").await;
    assert!(until(8_000, || clerk.user().get_untracked().is_none()).await);
    assert!(until(3_000, || all(host, "button").is_empty()).await);
    let left = clerk.client().get_untracked().unwrap().signed_in_sessions();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].user.as_ref().unwrap().id, "user_ada");
}

// ---------------------------------------------------------------------------- UserProfile

#[wasm_bindgen_test]
async fn user_profile_names_emails_phones_password_and_devices() {
    let m = mount(|_| {}, || view! { <UserProfile/> }).await;
    let (host, clerk) = (&m.host, m.clerk);
    let email = api_sign_up(clerk).await;
    assert!(
        until(5_000, || input(host, "First name").is_some()
            && value_of(host, "First name") == "Test")
        .await,
        "{:?} {}",
        input(host, "First name").map(|_| value_of(host, "First name")),
        host.inner_html()
    );
    // names
    type_in(host, "First name", "Renamed").await;
    click(host, "Save").await;
    assert!(
        until(8_000, || status(host).contains("Saved.")).await,
        "{}",
        status(host)
    );
    assert_eq!(
        clerk.user().get_untracked().unwrap().first_name.as_deref(),
        Some("Renamed")
    );
    // add an email address taken by someone else, then a new one with a wrong then right code
    click(host, "Add email address").await;
    type_in(host, "Email address", "grace+clerk_test@example.com").await;
    click(host, "Continue").await;
    assert!(field_error(host, "Email address").await.contains("taken"));
    let second = unique_email("second");
    type_in(host, "Email address", &second).await;
    click(host, "Continue").await;
    type_in(host, "Verification code", "000000").await;
    submit(host, "Verify").await;
    assert!(!field_error(host, "Verification code").await.is_empty());
    type_in(host, "Verification code", "424242").await;
    submit(host, "Verify").await;
    let verified = || {
        clerk.user().get_untracked().is_some_and(|u| {
            u.email_addresses
                .iter()
                .any(|e| e.email_address == second && e.is_verified())
        })
    };
    assert!(until(8_000, verified).await, "{}", host.inner_html());
    // make it primary, then remove the old one
    click(host, "Set as primary").await;
    let primary = || {
        clerk
            .user()
            .get_untracked()
            .and_then(|u| u.primary_email_address().map(|e| e.email_address.clone()))
            == Some(second.clone())
    };
    assert!(until(8_000, primary).await, "{}", host.inner_html());
    click(host, "Remove").await;
    assert!(
        host.inner_html()
            .contains(&format!("Remove {email} from your account?"))
    );
    let confirm = all(host, ".cl-form-button-danger").pop().unwrap();
    confirm.click();
    let removed = || {
        clerk
            .user()
            .get_untracked()
            .is_some_and(|u| u.email_addresses.len() == 1)
    };
    assert!(until(8_000, removed).await, "{}", host.inner_html());

    // phone numbers: one taken by someone else, then a first one (primary once verified) and
    // a second one, which is removed
    click(host, "Add phone number").await;
    type_in(host, "Phone number", "+15555550100").await;
    click(host, "Continue").await;
    assert!(field_error(host, "Phone number").await.contains("taken"));
    let (first, second) = (unique_phone(), unique_phone());
    type_in(host, "Phone number", &first).await;
    click(host, "Continue").await;
    type_in(host, "Verification code", "000000").await;
    submit(host, "Verify").await;
    assert!(!field_error(host, "Verification code").await.is_empty());
    type_in(host, "Verification code", "424242").await;
    submit(host, "Verify").await;
    let primary_phone = || {
        clerk.user().get_untracked().is_some_and(|u| {
            u.phone_numbers.len() == 1
                && u.phone_numbers[0].phone_number == first
                && u.phone_numbers[0].is_verified()
                && u.primary_phone_number_id.as_deref() == Some(u.phone_numbers[0].id.as_str())
        })
    };
    assert!(until(8_000, primary_phone).await, "{}", host.inner_html());
    click(host, "Add phone number").await;
    type_in(host, "Phone number", &second).await;
    click(host, "Continue").await;
    type_in(host, "Verification code", "424242").await;
    submit(host, "Verify").await;
    let two = || {
        clerk
            .user()
            .get_untracked()
            .is_some_and(|u| u.phone_numbers.iter().filter(|p| p.is_verified()).count() == 2)
    };
    assert!(until(8_000, two).await, "{}", host.inner_html());
    // only the second one (not primary) can be removed
    click(host, "Remove").await;
    assert!(
        host.inner_html()
            .contains(&format!("Remove {second} from your account?")),
        "{}",
        host.inner_html()
    );
    let confirm = all(host, ".cl-form-button-danger").pop().unwrap();
    confirm.click();
    assert!(until(8_000, primary_phone).await, "{}", host.inner_html());

    // password: the wrong current one, then the right one
    click(host, "Security").await;
    type_in(host, "Current password", "wrong-password-here").await;
    type_in(host, "New password", "another-good-password").await;
    type_in(host, "Confirm password", "another-good-password").await;
    click(host, "Update password").await;
    assert!(
        field_error(host, "Current password")
            .await
            .contains("incorrect")
    );
    assert_eq!(value_of(host, "New password"), "another-good-password");
    type_in(host, "Current password", PASSWORD).await;
    click(host, "Update password").await;
    assert!(
        until(8_000, || status(host).contains("Saved.")).await,
        "{}",
        status(host)
    );
    assert_eq!(
        value_of(host, "Current password"),
        "",
        "cleared after the change"
    );
    // this device is listed
    assert!(
        until(5_000, || host.inner_html().contains("This device")).await,
        "{}",
        host.inner_html()
    );
}

/// The current code of an authenticator app holding this base32 secret (RFC 6238).
fn totp_now(secret: &str) -> String {
    use hmac::{Hmac, Mac};
    let (mut key, mut buffer, mut bits) = (Vec::new(), 0u32, 0);
    for c in secret.bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => continue,
        };
        buffer = (buffer << 5) | u32::from(value);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            key.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    let counter = (js_sys::Date::now() / 1000.0) as u64 / 30;
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(&key).unwrap();
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let at = (digest[19] & 0x0f) as usize;
    let bin = u32::from_be_bytes([
        digest[at] & 0x7f,
        digest[at + 1],
        digest[at + 2],
        digest[at + 3],
    ]);
    format!("{:06}", bin % 1_000_000)
}

#[wasm_bindgen_test]
async fn user_profile_sets_up_an_authenticator_app_and_backup_codes() {
    let m = mount(|_| {}, || view! { <UserProfile/> }).await;
    let (host, clerk) = (&m.host, m.clerk);
    api_sign_up(clerk).await;
    click(host, "Security").await;
    assert!(
        until(5_000, || host
            .inner_html()
            .contains("Two-step verification is off."))
        .await,
        "{}",
        host.inner_html()
    );
    click(host, "Add authenticator app").await;
    assert!(
        until(8_000, || !all(host, ".cl-totp-secret").is_empty()).await,
        "{}",
        host.inner_html()
    );
    let secret = text_of(&all(host, ".cl-totp-secret")[0]);
    assert_eq!(secret.len(), 32, "{secret}");
    let link = all(host, "a")
        .into_iter()
        .find(|a| text_of(a) == "Open in authenticator app")
        .expect("the otpauth link");
    let href = link.get_attribute("href").unwrap();
    assert!(
        href.starts_with("otpauth://totp/") && href.contains(&format!("secret={secret}")),
        "{href}"
    );
    // a wrong code keeps the form; the app's code turns it on and shows backup codes once
    type_in(host, "Verification code", "000000").await;
    submit(host, "Verify").await;
    assert!(!field_error(host, "Verification code").await.is_empty());
    type_in(host, "Verification code", &totp_now(&secret)).await;
    submit(host, "Verify").await;
    let shown = || {
        all(host, ".cl-backup-codes li")
            .iter()
            .map(text_of)
            .collect::<Vec<_>>()
    };
    assert!(
        until(8_000, || shown().len() == 10).await,
        "{}",
        host.inner_html()
    );
    let first = shown();
    let on = || {
        clerk
            .user()
            .get_untracked()
            .is_some_and(|u| u.totp_enabled && u.backup_code_enabled && u.two_factor_enabled)
    };
    assert!(until(5_000, on).await);
    click(host, "Done").await;
    // a new set of backup codes replaces the first
    click(host, "Regenerate backup codes").await;
    assert!(
        until(8_000, || shown().len() == 10 && shown() != first).await,
        "{}",
        host.inner_html()
    );
    click(host, "Done").await;
    // removing the app, after a confirmation, turns two-step verification off
    click(host, "Remove").await;
    assert!(
        host.inner_html()
            .contains("Remove the authenticator app? Signing in will no longer ask for its codes.")
    );
    let confirm = all(host, ".cl-form-button-danger").pop().unwrap();
    confirm.click();
    let off = || {
        clerk
            .user()
            .get_untracked()
            .is_some_and(|u| !u.totp_enabled && !u.backup_code_enabled && !u.two_factor_enabled)
    };
    assert!(until(8_000, off).await, "{}", host.inner_html());
    assert!(
        until(5_000, || host
            .inner_html()
            .contains("Two-step verification is off."))
        .await
    );
}

#[wasm_bindgen_test]
async fn user_profile_deletes_the_account() {
    visit("/account");
    let m = mount(
        |o| o.after_sign_out_url = Some("/goodbye".into()),
        || view! { <UserProfile/> },
    )
    .await;
    let (host, clerk) = (&m.host, m.clerk);
    let email = api_sign_up(clerk).await;
    click(host, "Security").await;
    click(host, "Delete account").await;
    assert!(
        host.inner_html()
            .contains("Delete your account for good? You will be signed out on every device."),
        "{}",
        host.inner_html()
    );
    all(host, ".cl-form-button-danger").pop().unwrap().click();
    assert!(
        until(8_000, || clerk.user().get_untracked().is_none()).await,
        "{}",
        host.inner_html()
    );
    assert!(until(3_000, || path() == "/goodbye").await, "{}", path());
    // the user is gone: its address signs in no one
    let error = clerk
        .create_sign_in(&SignInCreate::password(&email, PASSWORD))
        .await
        .unwrap_err();
    assert!(
        error.has_code(&ErrorCode::FormIdentifierNotFound),
        "{error:?}"
    );
}

// ---------------------------------------------------------------------------- organizations

#[wasm_bindgen_test]
async fn organization_switcher_switches_and_creates() {
    let m = mount(|_| {}, || view! { <OrganizationSwitcher/> }).await;
    let (host, clerk) = (&m.host, m.clerk);
    api_sign_in(clerk, "ada+clerk_test@example.com").await;
    clerk
        .set_active(SetActive::new().personal_account())
        .await
        .unwrap();
    let trigger = || all(host, ".cl-organization-switcher-trigger").pop();
    assert!(
        until(5_000, || trigger()
            .is_some_and(|t| text_of(&t).contains("Personal account")))
        .await
    );
    trigger().unwrap().click();
    let acme = || {
        all(host, "[role=menuitem]")
            .into_iter()
            .find(|b| text_of(b).contains("Acme"))
    };
    assert!(
        until(3_000, || acme().is_some()).await,
        "{}",
        host.inner_html()
    );
    acme().unwrap().click();
    let active = |id: &str| {
        clerk
            .organization()
            .get_untracked()
            .is_some_and(|o| o.id == id)
    };
    assert!(until(8_000, || active("org_acme")).await);
    assert!(
        until(3_000, || trigger()
            .is_some_and(|t| text_of(&t).contains("Acme")))
        .await
    );
    // create one in the dialog: a taken slug first
    trigger().unwrap().click();
    click(host, "Create organization").await;
    assert!(until(3_000, || !all(host, "dialog[open]").is_empty()).await);
    type_in(host, "Name", "Acme").await;
    assert!(
        until(3_000, || value_of(host, "Slug") == "acme").await,
        "the slug follows the name"
    );
    let submit = || {
        all(host, "dialog[open] .cl-form-button-primary")
            .pop()
            .unwrap()
            .click();
    };
    submit();
    assert!(field_error(host, "Slug").await.contains("taken"));
    let name = unique("Org");
    type_in(host, "Name", &name).await;
    type_in(host, "Slug", &name.to_lowercase()).await;
    submit();
    let created = || {
        clerk
            .organization()
            .get_untracked()
            .is_some_and(|o| o.name == name)
    };
    assert!(until(8_000, created).await, "{}", host.inner_html());
    assert!(
        until(3_000, || all(host, "dialog[open]").is_empty()).await,
        "the dialog closes"
    );
}

#[wasm_bindgen_test]
async fn create_organization_and_its_profile() {
    let name = unique("Team");
    let m = mount(
        |_| {},
        || {
            view! {
                <CreateOrganization/>
                <OrganizationProfile/>
            }
        },
    )
    .await;
    let (host, clerk) = (&m.host, m.clerk);
    api_sign_in(clerk, "ada+clerk_test@example.com").await;
    clerk
        .set_active(SetActive::new().personal_account())
        .await
        .unwrap();
    assert!(
        until(5_000, || host
            .inner_html()
            .contains("No organization is active."))
        .await
    );
    click(host, "Create organization").await;
    assert_eq!(field_error(host, "Name").await, "This field is required.");
    type_in(host, "Name", &name).await;
    click(host, "Create organization").await;
    assert!(
        until(8_000, || status(host).contains("Organization created.")).await,
        "{}",
        status(host)
    );
    let org_id = clerk
        .organization()
        .get_untracked()
        .expect("active")
        .id
        .clone();
    // the profile follows: rename it
    let profile: HtmlElement = all(host, ".cl-organization-profile").pop().unwrap();
    assert!(
        until(5_000, || input(&profile, "Name").is_some()
            && value_of(&profile, "Name") == name)
        .await,
        "{}",
        host.inner_html()
    );
    let renamed = format!("{name} Labs");
    type_in(&profile, "Name", &renamed).await;
    click(&profile, "Save").await;
    let is_renamed = || {
        clerk
            .organization()
            .get_untracked()
            .is_some_and(|o| o.name == renamed)
    };
    assert!(until(8_000, is_renamed).await, "{}", host.inner_html());
    // members: ada is the admin; invite someone, with a bad address first
    click(host, "Members").await;
    assert!(until(5_000, || host.inner_html().contains("Ada Lovelace")).await);
    assert!(host.inner_html().contains(">You<"));
    type_in(host, "Email address to invite", "not-an-email").await;
    click(host, "Invite").await;
    assert!(
        !field_error(host, "Email address to invite")
            .await
            .is_empty()
    );
    let invitee = unique_email("invitee");
    type_in(host, "Email address to invite", &invitee).await;
    click(host, "Invite").await;
    assert!(
        until(8_000, || host.inner_html().contains(&invitee)
            && status(host).contains("Invitation sent."))
        .await,
        "{}",
        host.inner_html()
    );
    assert_eq!(value_of(host, "Email address to invite"), "");
    let org = clerk.organization().get_untracked().expect("active");
    assert_eq!(org.id, org_id);
    let pending = org.get_invitations(Default::default()).await.unwrap();
    assert!(pending.data.iter().any(|i| i.email_address == invitee));
}

#[wasm_bindgen_test]
async fn organization_admins_change_roles_remove_members_revoke_and_leave() {
    let m = mount(|_| {}, || view! { <OrganizationProfile/> }).await;
    let (host, clerk) = (&m.host, m.clerk);
    // ada creates an organization and invites someone, who signs up on this device and
    // accepts; then ada's session is the current one again
    let ada = api_sign_in(clerk, "ada+clerk_test@example.com").await;
    let params = CreateOrganizationParams {
        name: unique("Crew"),
        slug: None,
    };
    let org = clerk
        .create_and_activate_organization(&params)
        .await
        .unwrap();
    let org_id = org.id.clone();
    let invitee = unique_email("member");
    org.invite_member(&invitee, "org:member").await.unwrap();
    api_sign_up_as(clerk, &invitee).await;
    let me = clerk.user().get_untracked().expect("the invitee");
    let mine = me
        .get_organization_invitations(Default::default())
        .await
        .unwrap();
    let invitation = mine
        .data
        .iter()
        .find(|i| i.organization_id == org_id)
        .expect("the invitation, seen by the invitee");
    assert_eq!(
        invitation
            .public_organization_data
            .as_ref()
            .map(|o| o.name.as_str()),
        Some(params.name.as_str())
    );
    invitation.accept().await.unwrap();
    let invitee_id = clerk.user().get_untracked().unwrap().id.clone();
    clerk
        .set_active(
            SetActive::new()
                .session(ada.as_str())
                .organization(org_id.as_str()),
        )
        .await
        .unwrap();
    assert!(signed_in_as(clerk, "user_ada").await);
    let role_of = |user: &str| {
        let user = user.to_owned();
        let org_id = org_id.clone();
        async move {
            let org = clerk.organization().get_untracked().expect("active");
            assert_eq!(org.id, org_id);
            let members = org.get_memberships(Default::default()).await.unwrap();
            members
                .data
                .into_iter()
                .find(|m| {
                    m.public_user_data
                        .as_ref()
                        .and_then(|d| d.user_id.as_deref())
                        == Some(user.as_str())
                })
                .map(|m| m.role)
        }
    };

    // the last admin cannot leave: the server's refusal is shown
    click(host, "Leave organization").await;
    assert!(host.inner_html().contains(&format!(
        "Leave {}? You will lose access to it.",
        params.name
    )));
    let confirm = all(host, ".cl-form-button-danger").pop().unwrap();
    confirm.click();
    assert!(
        until(8_000, || !all(host, ".cl-form-error").is_empty()).await,
        "{}",
        host.inner_html()
    );
    assert!(clerk.organization().get_untracked().is_some());

    // members: promote the invitee with the role picker
    click(host, "Members").await;
    choose(host, "Role of Test User", "org:admin").await;
    assert!(
        until(8_000, || status(host).contains("Role updated.")).await,
        "{}",
        status(host)
    );
    assert_eq!(role_of(&invitee_id).await.as_deref(), Some("org:admin"));
    // no picker and no remove button for yourself
    assert!(
        !host
            .inner_html()
            .contains("aria-label=\"Role of Ada Lovelace\""),
        "{}",
        host.inner_html()
    );
    // remove them, after a confirmation
    click(host, "Remove").await;
    assert!(
        host.inner_html()
            .contains("Remove Test User from the organization?")
    );
    let confirm = all(host, ".cl-form-button-danger").pop().unwrap();
    confirm.click();
    assert!(
        until(8_000, || status(host).contains("Member removed.")).await,
        "{}",
        status(host)
    );
    assert_eq!(role_of(&invitee_id).await, None);
    assert!(!host.inner_html().contains(&invitee));

    // invite someone, then revoke it
    let second = unique_email("revoked");
    type_in(host, "Email address to invite", &second).await;
    click(host, "Invite").await;
    assert!(until(8_000, || host.inner_html().contains(&second)).await);
    click(host, "Revoke").await;
    assert!(
        until(8_000, || status(host).contains("Invitation revoked.")
            && !host.inner_html().contains(&second))
        .await,
        "{}",
        host.inner_html()
    );
    let org = clerk.organization().get_untracked().expect("active");
    assert_eq!(org.id, org_id);
    let pending = org.get_invitations(Default::default()).await.unwrap();
    let revoked = pending
        .data
        .iter()
        .find(|i| i.email_address == second)
        .expect("the invitation");
    assert_eq!(revoked.status, "revoked");
}

// ---------------------------------------------------------------------------- appearance, localization

#[wasm_bindgen_test]
async fn appearance_and_localization_apply() {
    let configure = |o: &mut ClerkOptions| {
        o.appearance = Appearance::new()
            .theme(Theme::Dark)
            .variables(Variables {
                color_primary: Some("rgb(1, 2, 3)".into()),
                ..Default::default()
            })
            .element("form-button-primary", "my-button");
        o.localization = Localization {
            sign_in_title: Some("Anmelden bei {app}".into()),
            form_continue: Some("Weiter".into()),
            ..Default::default()
        }
        .error(ErrorCode::FormPasswordIncorrect, "Falsches Passwort.");
    };
    let local = Appearance::new().variables(Variables {
        border_radius: Some("0px".into()),
        ..Default::default()
    });
    let m = mount(
        configure,
        move || view! { <SignIn appearance=local.clone()/> },
    )
    .await;
    let host = &m.host;
    screen(host, "Anmelden bei leptos-clerk example").await;
    let root = all(host, ".cl-root").pop().unwrap();
    assert_eq!(root.get_attribute("data-cl-theme").as_deref(), Some("dark"));
    let style = root.style();
    assert_eq!(
        style.get_property_value("--cl-color-primary").unwrap(),
        "rgb(1, 2, 3)"
    );
    assert_eq!(
        style.get_property_value("--cl-border-radius").unwrap(),
        "0px"
    );
    let continue_button = button(host, "Weiter").expect("the localized button");
    assert!(continue_button.class_name().contains("my-button"));
    // an English fallback for what was not translated
    assert!(
        host.inner_html()
            .contains("Welcome back! Please sign in to continue")
    );
    // an error text overridden per code
    type_in(host, "Email address, username or phone number", "ada").await;
    click(host, "Weiter").await;
    type_in(host, "Password", "not-the-password").await;
    click(host, "Weiter").await;
    assert_eq!(field_error(host, "Password").await, "Falsches Passwort.");
}

#[wasm_bindgen_test]
async fn organization_profile_for_a_plain_member_is_read_only() {
    let m = mount(|_| {}, || view! { <OrganizationProfile/> }).await;
    let (host, clerk) = (&m.host, m.clerk);
    api_sign_in(clerk, "alan+clerk_test@example.com").await;
    clerk
        .set_active(SetActive::new().organization("acme"))
        .await
        .unwrap();
    assert!(
        until(5_000, || heading(host) == "Acme").await,
        "{}",
        host.inner_html()
    );
    // no form to rename it
    assert!(input(host, "Name").is_none(), "{}", host.inner_html());
    click(host, "Members").await;
    assert!(
        until(5_000, || host.inner_html().contains("Grace Hopper")).await,
        "{}",
        host.inner_html()
    );
    let html = host.inner_html();
    for role in ["Admin", "Billing manager", "Member"] {
        assert!(
            html.contains(&format!("<td><span>{role}</span></td>")),
            "{role}: {html}"
        );
    }
    // no role picker, no remove button
    assert!(!html.contains("<select"), "{html}");
    for text in ["Remove", "Revoke"] {
        assert!(button(host, text).is_none(), "{text}: {html}");
    }
    assert!(input(host, "Email address to invite").is_none());
    assert!(!html.contains("Pending invitations"));
}

/// The resources an app builds its own screens from, under clerk-js's names: roles, the
/// user's sessions with their activity, an email address's verification, deleting an
/// organization.
#[wasm_bindgen_test]
async fn the_public_resources_are_enough_for_custom_screens() {
    let m = mount(|_| {}, || view! { <p>"custom"</p> }).await;
    let clerk = m.clerk;
    api_sign_up(clerk).await;
    let user = clerk.user().get_untracked().expect("signed in");

    // sessions on every device, with what FAPI knows of them
    let sessions = user.get_sessions().await.unwrap();
    let current = clerk.session_id().get_untracked().expect("a session");
    assert!(sessions.iter().any(|s| s.id == current), "{sessions:?}");

    // an email address added, verified with its code and removed, all on the resource
    let address = unique_email("second");
    let email = user.create_email_address(&address).await.unwrap();
    assert!(!email.is_verified());
    email.prepare_verification().await.unwrap();
    let verified = email.attempt_verification("424242").await.unwrap();
    assert!(verified.is_verified());
    let user = clerk.user().get_untracked().unwrap();
    let listed = user.email_address_list();
    let mine = listed
        .iter()
        .find(|e| e.email_address == address)
        .expect("listed");
    mine.destroy().await.unwrap();
    let user = clerk.user().get_untracked().unwrap();
    assert!(
        user.email_addresses
            .iter()
            .all(|e| e.email_address != address)
    );

    // an organization: roles, then deleted, and the session falls back to the personal account
    let params = CreateOrganizationParams {
        name: unique("Doomed"),
        slug: None,
    };
    let org = clerk
        .create_and_activate_organization(&params)
        .await
        .unwrap();
    let active = clerk.organization().get_untracked().expect("active");
    assert_eq!(active.id, org.id);
    let roles = active.get_roles(Default::default()).await.unwrap();
    assert!(
        roles
            .data
            .iter()
            .any(|r| r.key == "org:admin" && !r.permissions.is_empty())
    );
    active.destroy().await.unwrap();
    assert!(
        until(5_000, || clerk.organization().get_untracked().is_none()).await,
        "the deleted organization is no longer active"
    );
    let user = clerk.user().get_untracked().unwrap();
    let memberships = user
        .get_organization_memberships(Default::default())
        .await
        .unwrap();
    assert!(memberships.data.iter().all(|m| m.organization.id != org.id));
}
