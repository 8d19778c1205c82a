//! The pages. Each is rendered on the server with the request's verified auth state and
//! hydrated from exactly that state:
//!
//! | path | what |
//! |---|---|
//! | `/` | signed in: the user's name (from `current_user`, via `load_resources`), a `#[server]` call; signed out: a sign-in button |
//! | `/account` | signed in only: the server redirects a signed-out page load to `/sign-in?redirect_url=…` |
//! | `/admin` | `org:admin` only: `<Protect>` renders its fallback on the server for anyone else; its data comes from a `protect_with` server function |
//! | `/synced-users` | the users Clerk's webhooks wrote (a server function reading the SQLite table) |
//! | `/sign-in`, `/sign-up` | the prebuilt components |

use leptos::prelude::*;
use leptos_clerk::server::{AuthError, BearerClient};
use leptos_clerk::{
    ClerkProvider, OrganizationSwitcher, Protect, SignIn, SignInButton, SignUp, SignedIn,
    SignedOut, UserButton, use_user,
};
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::hooks::use_navigate;
use leptos_router::{NavigateOptions, path};
use serde::{Deserialize, Serialize};

/// The page around the app (rendered on the server only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="data:,"/>
                <AutoReload options=options.clone()/>
                // hydrate when the browser is idle (at most 2 s later): the server's HTML paints
                // first, without waiting for the wasm; `body[data-hydrated]` says when it is live
                <HydrationScripts options defer=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// What the server tells the client to start Clerk with (the keys it resolved at startup).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ClientConfig {
    /// `pk_test_…` / `pk_live_…`.
    pub publishable_key: String,
}

#[cfg(feature = "ssr")]
pub mod server_state {
    //! What the server resolved at startup, for the components and server functions.
    use std::sync::{Arc, OnceLock};

    /// The client's configuration.
    pub static CONFIG: OnceLock<super::ClientConfig> = OnceLock::new();
    /// The webhook-synced users.
    pub static SYNCED: OnceLock<Arc<leptos_clerk_example_api::synced::Store>> = OnceLock::new();
}

fn client_config() -> ClientConfig {
    #[cfg(feature = "ssr")]
    {
        server_state::CONFIG.get().cloned().unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        ClientConfig::default()
    }
}

/// The app: the provider inside the router, so Clerk's redirects are soft navigations.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let config = SharedValue::new(client_config).into_inner();
    // effects run in the browser only, once hydrated: a marker for tests and for CSS
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/leptos-clerk-example-ssr.css"/>
        <Title text="leptos-clerk SSR"/>
        <Router>
            <WithClerk publishable_key=config.publishable_key/>
        </Router>
    }
}

#[component]
fn WithClerk(publishable_key: String) -> impl IntoView {
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
            publishable_key=publishable_key
            proxy_url="/"
            sign_in_url="/sign-in"
            sign_up_url="/sign-up"
            after_sign_out_url="/"
            router_push=push
            router_replace=replace
        >
            <header class="bar">
                <A href="/">"Home"</A>
                <A href="/account">"Account"</A>
                <A href="/admin">"Admin"</A>
                <A href="/synced-users">"Synced users"</A>
                <span class="grow"></span>
                <SignedIn>
                    <OrganizationSwitcher/>
                    <UserButton/>
                </SignedIn>
                <SignedOut>
                    <SignInButton/>
                </SignedOut>
            </header>
            <main class="page">
                <Routes fallback=|| view! { <h1 id="not-found">"Page not found"</h1> }>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/account") view=Account/>
                    <Route path=path!("/admin") view=Admin/>
                    <Route path=path!("/synced-users") view=SyncedUsers/>
                    <Route path=path!("/sign-in") view=|| view! { <SignIn/> }/>
                    <Route path=path!("/sign-up") view=|| view! { <SignUp/> }/>
                </Routes>
            </main>
        </ClerkProvider>
    }
}

/// What [`whoami`] answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Caller {
    /// The session's user.
    pub user_id: String,
    /// Its session.
    pub session_id: String,
    /// The user's first name, from the Backend API (`current_user`).
    pub first_name: Option<String>,
    /// The primary email address.
    pub email: Option<String>,
    /// The active organization's role, if any.
    pub org_role: Option<String>,
}

/// The caller, from `protect()` and `current_user()`: an [`AuthError`] when signed out.
#[server(endpoint = "whoami", client = BearerClient)]
pub async fn whoami() -> Result<Caller, AuthError> {
    let session = leptos_clerk::server::protect()?;
    let user = leptos_clerk::server::current_user().await?;
    Ok(Caller {
        user_id: session.user_id.clone(),
        session_id: session.session_id.clone(),
        first_name: user.as_ref().and_then(|u| u.first_name.clone()),
        email: user
            .as_ref()
            .and_then(|u| u.primary_email_address())
            .map(str::to_owned),
        org_role: session.org_role.clone(),
    })
}

/// The active organization's admin data: `org:admin` only (`protect_with`, 403 otherwise).
#[server(endpoint = "admin_report", client = BearerClient)]
pub async fn admin_report() -> Result<String, AuthError> {
    let session = leptos_clerk::server::protect_with(&leptos_clerk::Has::role("org:admin"))?;
    Ok(format!(
        "admin report for {}",
        session.org_slug.clone().unwrap_or_default()
    ))
}

/// A row of the webhook-synced users.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyncedRow {
    /// `user_…`.
    pub id: String,
    /// The primary email address.
    pub email: Option<String>,
    /// First and last name.
    pub name: String,
    /// The last event that wrote the row.
    pub last_event: String,
}

/// The users Clerk's webhooks wrote into the SQLite table (signed in only).
#[server(endpoint = "synced_users", client = BearerClient)]
pub async fn synced_users() -> Result<Vec<SyncedRow>, AuthError> {
    leptos_clerk::server::protect()?;
    let store = server_state::SYNCED.get().ok_or(AuthError::MissingLayer)?;
    let rows = store
        .list()
        .map_err(|e| AuthError::Upstream(e.to_string()))?;
    Ok(rows
        .into_iter()
        .map(|u| SyncedRow {
            name: format!(
                "{} {}",
                u.first_name.unwrap_or_default(),
                u.last_name.unwrap_or_default()
            )
            .trim()
            .to_owned(),
            id: u.id,
            email: u.email,
            last_event: u.last_event,
        })
        .collect())
}

/// The outcome of a server call, for the page and the tests (`data-outcome`).
fn outcome<T>(r: &Result<T, AuthError>) -> &'static str {
    match r {
        Ok(_) => "ok",
        Err(AuthError::Unauthenticated { .. }) => "unauthenticated",
        Err(AuthError::Forbidden) => "forbidden",
        Err(AuthError::NotFound) => "not-found",
        Err(_) => "error",
    }
}

#[component]
fn Home() -> impl IntoView {
    let user = use_user();
    let name = move || {
        user.user.with(|u| {
            u.as_ref()
                .map(|u| u.first_name.clone().unwrap_or_else(|| u.id.clone()))
                .unwrap_or_default()
        })
    };
    let call = Action::new(|_: &()| whoami());
    let result = move || {
        call.value().get().map(|r| {
            let text = match &r {
                Ok(c) => format!(
                    "{} ({})",
                    c.first_name.clone().unwrap_or_default(),
                    c.email.clone().unwrap_or_default()
                ),
                Err(e) => e.to_string(),
            };
            view! { <p id="whoami-result" data-outcome=outcome(&r)>{text}</p> }
        })
    };
    view! {
        <h1>"leptos-clerk, rendered on the server"</h1>
        <SignedIn>
            <section id="home-signed-in">
                <p>"Signed in as " <strong id="home-name">{name}</strong></p>
            </section>
        </SignedIn>
        <SignedOut>
            <section id="home-signed-out">
                <p>"You are signed out."</p>
                <SignInButton/>
            </section>
        </SignedOut>
        <button id="whoami" on:click=move |_| { call.dispatch(()); }>
            "Ask the server who I am"
        </button>
        {result}
    }
}

#[component]
fn Account() -> impl IntoView {
    let user = use_user();
    let email = move || {
        user.user.with(|u| {
            u.as_ref()
                .and_then(|u| u.primary_email_address())
                .map(|e| e.email_address.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <h1>"Account"</h1>
        <p id="account">"Only signed-in users get this page: " <span id="account-email">{email}</span></p>
    }
}

#[component]
fn Admin() -> impl IntoView {
    view! {
        <h1>"Admin"</h1>
        <Protect
            role="org:admin"
            fallback=|| view! { <p id="admin-refused">"Only admins of the active organization see this page."</p> }
        >
            <AdminReport/>
        </Protect>
    }
}

/// Rendered (and its data fetched) only once `<Protect>` opened: on the server for an admin.
#[component]
fn AdminReport() -> impl IntoView {
    let report = Resource::new(|| (), |_| admin_report());
    view! {
        <section id="admin-content">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || report.get().map(|r| {
                    let text = match &r { Ok(t) => t.clone(), Err(e) => e.to_string() };
                    view! { <p id="admin-report" data-outcome=outcome(&r)>{text}</p> }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SyncedUsers() -> impl IntoView {
    let rows = Resource::new(|| (), |_| synced_users());
    view! {
        <h1>"Synced users"</h1>
        <p>"Written by Clerk's webhooks (user.created, user.updated, user.deleted) into SQLite."</p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || rows.get().map(|r| {
                let outcome = outcome(&r);
                let list = r.unwrap_or_default();
                let count = list.len();
                view! {
                    <table id="synced-users" data-outcome=outcome data-count=count>
                        <tbody>
                            {list.into_iter().map(|u| {
                                let email = u.email.unwrap_or_default();
                                let data_email = email.clone();
                                let row_id = format!("synced-user-{}", u.id);
                                view! {
                                <tr id=row_id data-email=data_email>
                                    <td>{email}</td>
                                    <td>{u.name}</td>
                                    <td>{u.last_event}</td>
                                </tr>
                            }}).collect_view()}
                        </tbody>
                    </table>
                }
            })}
        </Suspense>
    }
}
