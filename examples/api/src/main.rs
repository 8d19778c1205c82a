//! The example app's server: one origin for the pages, the Frontend API and the app's own API.
//!
//! | path              | what                                                                          |
//! |-------------------|-------------------------------------------------------------------------------|
//! | `/api/health`     | public: `{"ok": true, "auth": …}` (the Auth, signed in or out, with a reason) |
//! | `/api/me`         | `SignedInAuth`: the Auth as JSON (user, session, organization, claims)         |
//! | `/api/admin`      | `org:admin` only (`protect`): 403 for everyone else                           |
//! | `/api/admin/users` | `org:admin`: the users through the Backend API (`?query=&limit=&offset=`) ([`admin`]) |
//! | `/api/admin/users/{id}/metadata` | `POST`, `org:admin`: deep-merge `public_metadata` ([`admin`]) |
//! | `/api/webhooks/clerk` | `POST`: Clerk's webhooks (`ClerkWebhook`), kept in SQLite ([`synced`])     |
//! | `/api/synced-users` | signed in: the users the webhooks wrote ([`synced`])                       |
//! | `/v1/*`, `/.well-known/*` | proxied to the dev server (method, headers, cookies, body, status kept) |
//! | anything else     | `examples/app/dist` (`trunk build --release`), `index.html` for client routes  |
//!
//! Only `/api/*` but the webhook endpoint is behind [`ClerkLayer`] (the sender has no session; its
//! signature is the check): `authorized_parties` is this server's origin, and the
//! proxy URL is this server's origin too, so a handshake goes `/v1/client/handshake` → the dev
//! server → back here with a nonce, which the layer resolves through the Backend API.
//!
//! `index.html` is served with `<meta name="clerk-publishable-key">` added: the app reads its
//! key from there at runtime, so one build serves both of the dev server's instances
//! (development `pk_test_…`, production `pk_live_…`).
//!
//! Run it (with the dev server of `./dev.sh` on port 4010, whose keys it reads from
//! `/v1/__dev/instance` when none are given):
//!
//! ```sh
//! (cd examples/app && trunk build --release) && cargo run -p leptos-clerk-example-api
//! ```
//!
//! or `API=1 ./dev.sh`, which also starts the dev server with
//! `--webhook http://127.0.0.1:3000/api/webhooks/clerk`. The webhook signing secret is
//! `--webhook-secret` / `CLERK_WEBHOOK_SIGNING_SECRET`, else the dev server's
//! (`webhook_signing_secret` of `/v1/__dev/instance`).

mod admin;
#[cfg(test)]
mod route_tests;

use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{Request, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Extension, Json, Router};
use clap::Parser;
use clerk_backend::axum::{AuthRejection, ClerkAuth, ClerkLayer, SignedInAuth, WebhookSecret};
use clerk_backend::core::authz::Has;
use clerk_backend::{Auth, AuthenticateRequestOptions};
use leptos_clerk_example_api::keys::Keys;
use leptos_clerk_example_api::proxy::Proxy;
use leptos_clerk_example_api::synced;
use serde_json::{Value, json};
use tower_http::services::ServeDir;

/// The command line; every flag also reads an environment variable.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, env = "PORT", default_value_t = 3000)]
    port: u16,
    /// The app's built files (`trunk build --release` in examples/app).
    #[arg(long, env = "APP_DIST", default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../app/dist"))]
    dist: PathBuf,
    /// The dev server (an http URL): `/v1/*` and `/.well-known/*` are proxied there. Empty: no
    /// proxy (the app then talks to its key's Frontend API host itself).
    #[arg(
        long,
        env = "CLERK_DEV_SERVER_URL",
        default_value = "http://127.0.0.1:4010"
    )]
    dev_server: String,
    /// The instance's publishable key (default: the dev server's, from `/v1/__dev/instance`).
    #[arg(long, env = "CLERK_PUBLISHABLE_KEY")]
    publishable_key: Option<String>,
    /// The instance's secret key (default: the dev server's).
    #[arg(long, env = "CLERK_SECRET_KEY", hide_env_values = true)]
    secret_key: Option<String>,
    /// The Backend API (default: the dev server's backend api url, else Clerk's).
    #[arg(long, env = "CLERK_API_URL")]
    api_url: Option<String>,
    /// With keys read from the dev server: its production instance (`pk_live_`, cookie mode).
    #[arg(long)]
    production: bool,
    /// More origins whose tokens are accepted (`azp`), besides this server's own.
    #[arg(
        long = "authorized-party",
        env = "CLERK_AUTHORIZED_PARTIES",
        value_delimiter = ','
    )]
    authorized_parties: Vec<String>,
    /// The webhook signing secret (`whsec_…`; default: the dev server's).
    #[arg(long, env = "CLERK_WEBHOOK_SIGNING_SECRET", hide_env_values = true)]
    webhook_secret: Option<String>,
    /// The SQLite file of the synced users (`:memory:` for none; default: in the temp dir).
    #[arg(long, env = "SYNCED_USERS_DB")]
    synced_db: Option<String>,
}

/// Where the synced users live by default.
fn default_synced_db() -> String {
    std::env::temp_dir()
        .join("leptos-clerk-example-synced-users.sqlite3")
        .display()
        .to_string()
}

/// What the handlers share.
struct AppState {
    /// `index.html` with the publishable key added, as read at startup.
    index: String,
    /// Where `index.html` is read again for each page (`trunk watch` rebuilds it under new
    /// file names), with the key to add; the startup copy when it is missing.
    index_source: Option<(PathBuf, String)>,
    /// `/v1/*` to the dev server, if any.
    proxy: Proxy,
    /// The users the webhooks wrote.
    synced: Arc<synced::Store>,
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let proxy = Proxy::new(&args.dev_server)?;

    let Keys {
        publishable_key,
        secret_key,
        api_url,
        webhook_secret,
    } = Keys::resolve(
        Keys {
            publishable_key: args.publishable_key.clone().unwrap_or_default(),
            secret_key: args.secret_key.clone().unwrap_or_default(),
            api_url: args.api_url.clone(),
            webhook_secret: args.webhook_secret.clone().unwrap_or_default(),
        },
        &proxy,
        args.production,
    )
    .await?;
    let synced_db = args.synced_db.clone().unwrap_or_else(default_synced_db);
    let synced = synced::Store::open(&synced_db)?;

    let index_path = args.dist.join("index.html");
    let index = std::fs::read_to_string(&index_path).map_err(|e| {
        format!(
            "{}: {e} (build the app first: cd examples/app && trunk build --release)",
            index_path.display()
        )
    })?;
    let index = with_key_meta(&index, &publishable_key);

    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, args.port))
        .await
        .map_err(|e| format!("bind 127.0.0.1:{}: {e}", args.port))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let origin = format!("http://127.0.0.1:{port}");

    let mut options = AuthenticateRequestOptions::new(publishable_key.clone(), secret_key);
    if let Some(url) = api_url {
        options.api_url = url;
    }
    if proxy.base().is_some() {
        // handshakes come back through this server's /v1 proxy
        options.proxy_url = Some(origin.clone());
    }
    options.authorized_parties = std::iter::once(origin.clone())
        .chain(args.authorized_parties.iter().cloned())
        .collect();
    options.sign_in_url = Some("/sign-in".into());
    let layer = ClerkLayer::new(options).map_err(|e| e.to_string())?;

    let state = Arc::new(AppState {
        index,
        index_source: Some((index_path, publishable_key.clone())),
        proxy,
        synced: Arc::new(synced),
    });
    let app = router(layer, &webhook_secret, &args.dist, state.clone());

    println!("listening on {origin}");
    println!("publishable key: {publishable_key}");
    match state.proxy.base() {
        Some(base) => println!("proxy: /v1/ and /.well-known/ to {base}"),
        None => println!("proxy: none"),
    }
    println!("dist: {}", args.dist.display());
    println!("synced users: {synced_db}");
    if webhook_secret.is_empty() {
        println!("webhooks: no signing secret (POST /api/webhooks/clerk answers 500)");
    } else {
        println!("webhooks: POST {origin}/api/webhooks/clerk");
    }

    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}

/// `/api/*` behind the layer (but the webhooks, checked by signature); the proxy and the pages
/// outside it.
fn router(
    layer: ClerkLayer,
    webhook_secret: &str,
    dist: &std::path::Path,
    state: Arc<AppState>,
) -> Router {
    let spa_fallback = get(spa).with_state(state.clone());
    let files = ServeDir::new(dist)
        .append_index_html_on_directories(false)
        .fallback(spa_fallback);
    let webhooks = Router::new()
        .route(
            "/api/webhooks/clerk",
            post(synced::webhook).with_state(state.synced.clone()),
        )
        .layer(Extension(WebhookSecret(webhook_secret.to_owned())));
    Router::new()
        .route("/api/health", get(health))
        .route("/api/me", get(me))
        .route("/api/admin", get(admin))
        .route("/api/admin/users", get(admin::list_users))
        .route("/api/admin/users/{id}/metadata", post(admin::set_metadata))
        .route(
            "/api/synced-users",
            get(synced::list).with_state(state.synced.clone()),
        )
        .route("/api/{*rest}", any(api_not_found))
        // routes added before `layer` are the only ones it wraps
        .layer(layer)
        .merge(webhooks)
        .route("/v1/{*rest}", any(proxy))
        .route("/.well-known/{*rest}", any(proxy))
        .route("/", get(spa))
        .route("/index.html", get(spa))
        .fallback_service(files)
        .with_state(state)
}

/// `index.html` with `<meta name="clerk-publishable-key" content="…">` before `</head>`.
fn with_key_meta(index: &str, publishable_key: &str) -> String {
    let escaped: String = publishable_key
        .chars()
        .map(|c| match c {
            '&' => "&amp;".to_owned(),
            '"' => "&quot;".to_owned(),
            '<' => "&lt;".to_owned(),
            '>' => "&gt;".to_owned(),
            c => c.to_string(),
        })
        .collect();
    let meta = format!(r#"<meta name="clerk-publishable-key" content="{escaped}" />"#);
    match index.find("</head>") {
        Some(at) => format!("{}{meta}\n  {}", &index[..at], &index[at..]),
        None => format!("{meta}\n{index}"),
    }
}

/// `GET /api/health`: public; says who is calling, if anyone.
async fn health(ClerkAuth(auth): ClerkAuth) -> Json<Value> {
    Json(json!({ "ok": true, "auth": auth }))
}

/// `GET /api/me`: the signed-in Auth (a page request signed out goes to `/sign-in`, an API
/// request gets 401).
async fn me(SignedInAuth(session): SignedInAuth) -> Json<Auth> {
    Json(Auth::SignedIn(Box::new(session)))
}

/// `GET /api/admin`: admins of the active organization only.
async fn admin(auth: SignedInAuth) -> Result<Json<Value>, AuthRejection> {
    let session = auth.protect(&Has::role("org:admin"))?;
    Ok(Json(json!({
        "ok": true,
        "user_id": session.user_id,
        "org_id": session.org_id,
        "org_role": session.org_role,
    })))
}

/// Any other `/api/*`: 404 in Clerk's error envelope (not the app's `index.html`).
async fn api_not_found() -> Response {
    let body = json!({ "errors": [{ "code": "resource_not_found", "message": "Not found.",
        "long_message": "No such API endpoint." }] });
    (StatusCode::NOT_FOUND, Json(body)).into_response()
}

/// `index.html` (with the key) for client routes; a missing file (a path with an extension)
/// is a 404.
async fn spa(State(state): State<Arc<AppState>>, uri: Uri) -> Response {
    let last = uri.path().rsplit('/').next().unwrap_or("");
    if last.contains('.') && last != "index.html" {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        state.current_index(),
    )
        .into_response()
}

impl AppState {
    /// `index.html` as it is on disk now (with the key), else the startup copy.
    fn current_index(&self) -> String {
        self.index_source
            .as_ref()
            .and_then(|(path, key)| {
                std::fs::read_to_string(path)
                    .ok()
                    .map(|i| with_key_meta(&i, key))
            })
            .unwrap_or_else(|| self.index.clone())
    }
}

/// `/v1/*` and `/.well-known/*`: to the dev server ([`Proxy::forward`]).
async fn proxy(State(state): State<Arc<AppState>>, request: Request<Body>) -> Response {
    state.proxy.forward(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_goes_into_the_head() {
        let html = "<html><head><title>t</title></head><body></body></html>";
        let out = with_key_meta(html, "pk_test_a\"b");
        assert!(
            out.contains(r#"<meta name="clerk-publishable-key" content="pk_test_a&quot;b" />"#)
        );
        assert!(out.find("clerk-publishable-key").unwrap() < out.find("</head>").unwrap());
    }
}
