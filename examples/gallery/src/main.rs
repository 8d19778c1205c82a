//! Every prebuilt component of leptos-clerk on one page, light or dark, in any bundled language:
//! `/?c=sign-in&theme=dark&locale=de-DE` (`locale`: a tag `localizations::by_tag` knows; English
//! without it).
//! `e2e/ui.test.mjs` drives it (accessibility with axe-core, screenshots), and its release wasm
//! against `examples/minimal`'s gives the size the components add.
//!
//! Build-time settings, as in `examples/minimal`: `CLERK_PUBLISHABLE_KEY` (default: the local dev
//! server's key) and `CLERK_PROXY_URL` (default `/`: this origin proxies `/v1/` to the dev server).
//! To see what a misconfiguration looks like, `key` and `proxy` in the URL replace them
//! (`/?c=sign-in&key=sk_test_oops`, `proxy=none` for no `proxy_url`): `e2e/first-hour.test.mjs`
//! checks the failure states this way.

use leptos::ev;
use leptos::prelude::*;
use leptos_clerk::ui::{Appearance, Theme, localizations};
use leptos_clerk::{
    ClerkLoaded, ClerkProvider, CreateOrganization, OrganizationProfile, OrganizationSwitcher,
    SignIn, SignUp, SignedIn, SignedOut, UserAvatar, UserButton, UserProfile,
};

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

/// The pages: `c` query value and label.
const PAGES: [(&str, &str); 8] = [
    ("all", "All"),
    ("sign-in", "SignIn"),
    ("sign-up", "SignUp"),
    ("user-button", "UserButton"),
    ("user-profile", "UserProfile"),
    ("organization-switcher", "OrganizationSwitcher"),
    ("create-organization", "CreateOrganization"),
    ("organization-profile", "OrganizationProfile"),
];

/// A query parameter of the page's URL.
fn query(name: &str) -> Option<String> {
    let search = window().location().search().ok()?;
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// A query parameter, percent-decoded (`+` is a space).
fn query_decoded(name: &str) -> Option<String> {
    let raw = query(name)?.replace('+', " ");
    js_sys::decode_uri_component(&raw)
        .ok()
        .and_then(|v| v.as_string())
}

/// `/?c=…&theme=…`, with the page's `locale` when it has one (so links keep the language).
fn link(c: &str, theme: &str, locale: &str) -> String {
    if locale.is_empty() {
        format!("/?c={c}&theme={theme}")
    } else {
        format!("/?c={c}&theme={theme}&locale={locale}")
    }
}

fn page_now() -> String {
    query("c")
        .filter(|c| PAGES.iter().any(|(p, _)| p == c))
        .unwrap_or_else(|| "all".into())
}

#[component]
fn App() -> impl IntoView {
    let theme = match query("theme").as_deref() {
        Some("dark") => Theme::Dark,
        Some("auto") => Theme::Auto,
        _ => Theme::Light,
    };
    let theme_name = theme.as_str();
    // a known tag, or "" for English; leaked once so that the link closures stay `Copy`
    let locale: &'static str = query("locale")
        .filter(|tag| localizations::by_tag(tag).is_some())
        .map_or("", |tag| &*tag.leak());
    let localization = localizations::by_tag(locale).unwrap_or_default();
    let lang = if locale.is_empty() { "en" } else { locale };
    let page = RwSignal::new(page_now());
    // the components navigate with history.pushState + popstate (no router here)
    let listener = window_event_listener(ev::popstate, move |_| page.set(page_now()));
    on_cleanup(move || listener.remove());
    let href = move |c: &str, theme: &str| link(c, theme, locale);
    let nav = PAGES
        .iter()
        .map(|(c, label)| {
            let c = *c;
            view! {
                <a href=href(c, theme_name) aria-current=move || (page.get() == c).then_some("page")>
                    {*label}
                </a>
            }
        })
        .collect_view();
    let other_theme = if theme == Theme::Dark {
        "light"
    } else {
        "dark"
    };
    let publishable_key = query_decoded("key").unwrap_or_else(|| PUBLISHABLE_KEY.to_owned());
    // an empty proxy_url is none
    let proxy_url = match query_decoded("proxy") {
        Some(proxy) if proxy == "none" => String::new(),
        Some(proxy) => proxy,
        None => PROXY_URL.to_owned(),
    };
    view! {
        <ClerkProvider
            publishable_key=publishable_key
            proxy_url=proxy_url
            sign_in_url=href("sign-in", theme_name)
            sign_up_url=href("sign-up", theme_name)
            appearance=Appearance::new().theme(theme)
            localization=localization
            sign_in_fallback_redirect_url=href("user-button", theme_name)
            sign_up_fallback_redirect_url=href("user-button", theme_name)
            after_sign_out_url=href("sign-in", theme_name)
        >
            <div class="gallery" data-theme=theme_name lang=lang>
                <header class="gallery-header">
                    <h1>"leptos-clerk gallery"</h1>
                    <nav aria-label="Components">
                        {nav}
                        <a href=move || href(&page.get(), other_theme)>{format!("{other_theme} theme")}</a>
                    </nav>
                    <span class="gallery-status" id="status">
                        <ClerkLoaded>
                            <SignedIn>"Signed in"</SignedIn>
                            <SignedOut>"Signed out"</SignedOut>
                        </ClerkLoaded>
                    </span>
                </header>
                <main class="gallery-stage" id="stage">
                    {move || stage(&page.get(), theme_name, locale)}
                </main>
            </div>
        </ClerkProvider>
    }
}

/// Shown on signed-in pages to signed-out visitors.
fn sign_in_first(theme: &str, locale: &str) -> impl IntoView + use<> {
    let href = link("sign-in", theme, locale);
    view! {
        <SignedOut>
            <p class="gallery-note">"Sign in first: " <a href=href.clone()>"SignIn"</a></p>
        </SignedOut>
    }
}

fn stage(page: &str, theme: &str, locale: &str) -> AnyView {
    match page {
        "sign-in" => view! { <SignIn/> }.into_any(),
        "sign-up" => view! { <SignUp/> }.into_any(),
        "user-button" => view! {
            {sign_in_first(theme, locale)}
            <SignedIn>
                <div class="gallery-toolbar">
                    <UserAvatar/>
                    <UserButton show_name=true/>
                </div>
            </SignedIn>
        }
        .into_any(),
        "user-profile" => view! { {sign_in_first(theme, locale)} <UserProfile/> }.into_any(),
        "organization-switcher" => view! {
            {sign_in_first(theme, locale)}
            <SignedIn>
                <div class="gallery-toolbar">
                    <OrganizationSwitcher/>
                </div>
            </SignedIn>
        }
        .into_any(),
        "create-organization" => {
            let after = link("organization-profile", theme, locale);
            view! {
                {sign_in_first(theme, locale)}
                <SignedIn><CreateOrganization after_create_organization_url=after.clone()/></SignedIn>
            }
            .into_any()
        }
        "organization-profile" => {
            view! { {sign_in_first(theme, locale)} <OrganizationProfile/> }.into_any()
        }
        _ => view! {
            <SignedOut>
                <SignIn/>
                <SignUp/>
            </SignedOut>
            <SignedIn>
                <div class="gallery-toolbar">
                    <OrganizationSwitcher/>
                    <UserButton show_name=true/>
                </div>
                <UserProfile/>
                <OrganizationProfile/>
                <CreateOrganization/>
            </SignedIn>
        }
        .into_any(),
    }
}

fn main() {
    leptos::mount::mount_to_body(App);
}
