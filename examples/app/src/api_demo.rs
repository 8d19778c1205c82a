//! `/api-demo`: calls to the app's own backend (`examples/api`, axum with clerk-backend's `ClerkLayer`)
//! with `clerk.fetch_json(AuthenticatedRequest::get(…))`: the session token goes as
//! `Authorization: Bearer …`, and the server answers from its verified claims.
//!
//! - `/api/health`: public; says whether the server sees a signed-in user.
//! - `/api/me`: signed in only; the server's Auth object (user, session, organization, claims).
//! - `/api/admin`: `org:admin` of the active organization only (403 for everyone else).
//!
//! Signed out, `fetch_json` does not call at all: it answers `ClerkError::SignedOut`. Each result shows
//! in `#api-<name>` with `data-outcome` = `ok`, `signed-out`, `http-<status>` or `error`. The calls run
//! again when the session or the organization changes, and on "Call again".
//!
//! Served by `trunk serve` alone there is no `/api` (the calls fail): run the app with the api server
//! (`cargo run -p leptos-clerk-example-api`, see its docs).

use leptos::prelude::*;
use leptos_clerk::{AuthenticatedRequest, ClerkError, use_auth, use_clerk};

/// The endpoints this page calls.
const ENDPOINTS: [(&str, &str, &str); 3] = [
    ("health", "/api/health", "public"),
    ("me", "/api/me", "signed in"),
    ("admin", "/api/admin", "org:admin"),
];

#[component]
pub fn ApiDemo() -> impl IntoView {
    let (again, set_again) = signal(0u32);
    view! {
        <h1>"Your API"</h1>
        <p class="muted">"This app's server (" <code>"examples/api"</code> ", axum and "
            <code>"clerk-backend"</code> ") checks the session token that "
            <code>"clerk.fetch_json(AuthenticatedRequest::get(url))"</code> " sends."</p>
        <p>
            <button class="button" id="api-call-again" on:click=move |_| set_again.update(|n| *n += 1)>
                "Call again"
            </button>
        </p>
        {ENDPOINTS
            .into_iter()
            .map(|(name, url, who)| view! { <Endpoint name url who again/> })
            .collect_view()}
    }
}

/// One endpoint: its answer as JSON, or the typed error.
#[component]
fn Endpoint(
    name: &'static str,
    url: &'static str,
    who: &'static str,
    again: ReadSignal<u32>,
) -> impl IntoView {
    let clerk = use_clerk();
    let auth = use_auth();
    let result = LocalResource::new(move || {
        // Called again when the session or its organization changes.
        auth.session_id.track();
        auth.org_id.track();
        again.track();
        async move {
            clerk
                .fetch_json::<serde_json::Value>(AuthenticatedRequest::get(url))
                .await
        }
    });
    let outcome = move || match result.get() {
        None => "loading".to_owned(),
        Some(Ok(_)) => "ok".to_owned(),
        Some(Err(e)) => outcome_of(&e),
    };
    let text = move || match result.get() {
        None => "…".to_owned(),
        Some(Ok(value)) => serde_json::to_string_pretty(&value).unwrap_or_default(),
        Some(Err(e)) => format!("{}: {e}", outcome_of(&e)),
    };
    view! {
        <section class="card">
            <h2><code>{format!("GET {url}")}</code> " " <span class="muted">{format!("({who})")}</span></h2>
            <pre class="json" id=format!("api-{name}") data-outcome=outcome>{text}</pre>
        </section>
    }
}

/// `signed-out` (no call was made), `http-<status>` (the server refused), else `error`.
fn outcome_of(e: &ClerkError) -> String {
    match e {
        ClerkError::SignedOut => "signed-out".to_owned(),
        ClerkError::Api { status, .. } => format!("http-{status}"),
        _ => "error".to_owned(),
    }
}
