//! The leptos-clerk example app: every part of the SDK on a page of its own, with `leptos_router`.
//!
//! | route                       | shows                                                                   |
//! |-----------------------------|-------------------------------------------------------------------------|
//! | `/`                         | `SignedIn` / `SignedOut`, `UserButton`, sign-in and sign-up buttons     |
//! | `/sign-in`, `/sign-up`      | the prebuilt `SignIn` and `SignUp`                                       |
//! | `/custom`                   | custom flows on `use_sign_in` / `use_sign_up` (password, code, TOTP)    |
//! | `/client`                   | the `Client` object and every `Session`, with their methods             |
//! | `/organizations`            | `OrganizationSwitcher`, creating one, the members                       |
//! | `/organizations/admin`      | `Protect` on a role; `/organizations/billing` on a permission           |
//! | `/dashboard`                | a route guarded before it renders, with `clerk.loaded().await`          |
//! | `/api-demo`                 | `clerk.fetch_json` to the app's own backend (`examples/api`)            |
//! | `/admin/users`              | admins: the users through the Backend API, search, pages, set a plan    |
//! | `/synced-users`             | the app's own table of users, kept by Clerk's webhooks                  |
//!
//! Run it with `./dev.sh` (the local dev server, no Clerk account needed). Build-time settings, read with
//! `option_env!` (a rebuild picks them up):
//! - `CLERK_PUBLISHABLE_KEY`: a real instance's key makes the app talk to that instance. Default: the key of
//!   the local dev server. A `<meta name="clerk-publishable-key" content="…">` in the page wins over it at
//!   runtime (`examples/api` adds its own key there when it serves `index.html`).
//! - `CLERK_PROXY_URL`: where FAPI calls go. Default `/` with the dev server (this origin; trunk forwards
//!   `/v1/` to the dev server) and none with a real key (the key's own Frontend API host).

mod admin_users;
mod api_demo;
mod client;
mod custom_flow;
mod dashboard;
mod home;
mod organizations;
mod synced_users;

use leptos::prelude::*;
use leptos_clerk::{
    ClerkLoaded, ClerkLoading, ClerkProvider, SignIn, SignInButton, SignUp, SignedIn, SignedOut,
    UserButton, use_auth, use_clerk,
};
use leptos_router::components::{A, ProtectedRoute, Route, Router, Routes};
use leptos_router::hooks::use_navigate;
use leptos_router::{NavigateOptions, path};

/// The key `clerk-dev-server` prints: its Frontend API host is `clerk-dev-server.lcl.dev`, a development host.
const DEV_SERVER_KEY: &str = "pk_test_Y2xlcmstZGV2LXNlcnZlci5sY2wuZGV2JA";

const PUBLISHABLE_KEY: &str = match option_env!("CLERK_PUBLISHABLE_KEY") {
    Some(key) => key,
    None => DEV_SERVER_KEY,
};

/// An empty proxy URL means none: FAPI calls go to the key's Frontend API host.
const PROXY_URL: &str = match (
    option_env!("CLERK_PROXY_URL"),
    option_env!("CLERK_PUBLISHABLE_KEY"),
) {
    (Some(proxy), _) => proxy,
    (None, Some(_)) => "",
    (None, None) => "/",
};

/// The key of the page's `<meta name="clerk-publishable-key">` (set by the server), else the build-time one.
fn publishable_key() -> String {
    document()
        .query_selector(r#"meta[name="clerk-publishable-key"]"#)
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
        .filter(|key| !key.is_empty())
        .unwrap_or_else(|| PUBLISHABLE_KEY.to_owned())
}

fn main() {
    log_panics();
    leptos::mount::mount_to_body(|| view! { <Router><App/></Router> });
}

/// Panics show up in the console with their message (the release build aborts on panic).
fn log_panics() {
    std::panic::set_hook(Box::new(|info| leptos::logging::error!("{info}")));
}

/// The provider sits inside `<Router>`, so Clerk's redirects (after sign-in, sign-out, "Add account"…) go
/// through the router: soft navigations, no page reload.
#[component]
fn App() -> impl IntoView {
    let navigate = use_navigate();
    let push = {
        let navigate = navigate.clone();
        Callback::new(move |to: String| navigate(&to, NavigateOptions::default()))
    };
    let replace = Callback::new(move |to: String| {
        navigate(
            &to,
            NavigateOptions {
                replace: true,
                ..NavigateOptions::default()
            },
        )
    });
    view! {
        <ClerkProvider
            publishable_key=publishable_key()
            proxy_url=PROXY_URL
            sign_in_url="/sign-in"
            sign_up_url="/sign-up"
            after_sign_out_url="/"
            router_push=push
            router_replace=replace
        >
            <Header/>
            <main class="page">
                <AppRoutes/>
            </main>
        </ClerkProvider>
    }
}

#[component]
fn AppRoutes() -> impl IntoView {
    // The guard needs the Clerk handle, so the routes are declared inside the provider.
    let signed_in = dashboard::signed_in_guard();
    // The sign-in page, with `redirect_url` = the page the visitor asked for.
    let clerk = use_clerk();
    let to_sign_in = move || clerk.build_sign_in_url(None);
    view! {
        <Routes fallback=|| view! { <h1 id="not-found">"Page not found"</h1> }>
            <Route path=path!("/") view=home::Home/>
            <Route path=path!("/sign-in") view=SignInPage/>
            <Route path=path!("/sign-up") view=SignUpPage/>
            <Route path=path!("/custom") view=custom_flow::CustomFlow/>
            <Route path=path!("/api-demo") view=api_demo::ApiDemo/>
            <Route path=path!("/admin/users") view=admin_users::AdminUsers/>
            <Route path=path!("/synced-users") view=synced_users::SyncedUsers/>
            <Route path=path!("/client") view=client::ClientPage/>
            <Route path=path!("/organizations") view=organizations::Organizations/>
            <Route path=path!("/organizations/admin") view=organizations::AdminOnly/>
            <Route path=path!("/organizations/billing") view=organizations::BillingOnly/>
            <ProtectedRoute
                path=path!("/dashboard")
                view=dashboard::Dashboard
                condition=signed_in
                redirect_path=to_sign_in
                fallback=|| view! { <p id="dashboard-checking">"Checking your session…"</p> }
            />
        </Routes>
    }
}

#[component]
fn Header() -> impl IntoView {
    let auth = use_auth();
    // A text the tests (and people) can read: where Clerk stands.
    let status = move || match auth.is_signed_in.get() {
        None => "loading",
        Some(true) => "signed-in",
        Some(false) => "signed-out",
    };
    view! {
        <header class="header">
            <A href="/" attr:class="brand">"leptos-clerk"</A>
            <nav aria-label="Pages">
                <A href="/dashboard" attr:id="nav-dashboard">"Dashboard"</A>
                <A href="/client" attr:id="nav-client">"Client"</A>
                <A href="/organizations" attr:id="nav-organizations">"Organizations"</A>
                <A href="/custom" attr:id="nav-custom">"Custom flows"</A>
                <A href="/api-demo" attr:id="nav-api-demo">"Your API"</A>
                <A href="/admin/users" attr:id="nav-admin-users">"Users"</A>
                <A href="/synced-users" attr:id="nav-synced-users">"Synced"</A>
            </nav>
            <div class="header-user" id="header-user" data-auth=status>
                <ClerkLoading>
                    <span class="muted">"Loading…"</span>
                </ClerkLoading>
                <ClerkLoaded>
                    <SignedIn>
                        <UserButton show_name=true/>
                    </SignedIn>
                    <SignedOut>
                        <SignInButton class="button" attr:id="header-sign-in"/>
                    </SignedOut>
                </ClerkLoaded>
            </div>
        </header>
    }
}

/// The prebuilt sign-in. In a multi-session instance it also adds accounts (the `UserButton`'s "Add
/// account" comes here). After signing in it goes to the page's `redirect_url` (the page that sent the
/// visitor here), else `/`.
#[component]
fn SignInPage() -> impl IntoView {
    view! {
        <div class="centered" id="sign-in-page">
            <SignIn/>
        </div>
    }
}

#[component]
fn SignUpPage() -> impl IntoView {
    view! {
        <div class="centered" id="sign-up-page">
            <SignUp/>
        </div>
    }
}
