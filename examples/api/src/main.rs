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
mod synced;

use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode, Uri, Version, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Extension, Json, Router};
use clap::Parser;
use clerk_backend::axum::{AuthRejection, ClerkAuth, ClerkLayer, SignedInAuth, WebhookSecret};
use clerk_backend::core::authz::Has;
use clerk_backend::{Auth, AuthenticateRequestOptions};
use http_body_util::BodyExt;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
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

/// The keys and endpoints the server works with.
struct Keys {
    publishable_key: String,
    secret_key: String,
    api_url: Option<String>,
    /// Empty when there is none (the webhook endpoint then answers 500).
    webhook_secret: String,
}

/// What the handlers share.
struct AppState {
    /// `index.html` with the publishable key added, as read at startup.
    index: String,
    /// Where `index.html` is read again for each page (`trunk watch` rebuilds it under new
    /// file names), with the key to add; the startup copy when it is missing.
    index_source: Option<(PathBuf, String)>,
    /// The dev server to proxy to, if any.
    upstream: Option<Upstream>,
    client: Client<HttpConnector, Body>,
    /// The users the webhooks wrote.
    synced: synced::Store,
}

/// The proxy's target.
struct Upstream {
    /// `http://host:port`, no trailing slash.
    base: String,
    /// `host:port`, for the `Host` header.
    authority: HeaderValue,
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
    let client = Client::builder(TokioExecutor::new()).build_http::<Body>();
    let upstream = upstream_of(&args.dev_server)?;

    let Keys {
        publishable_key,
        secret_key,
        api_url,
        webhook_secret,
    } = keys(&args, upstream.as_ref(), &client).await?;
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
    if upstream.is_some() {
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
        upstream,
        client,
        synced,
    });
    let app = router(layer, &webhook_secret, &args.dist, state.clone());

    println!("listening on {origin}");
    println!("publishable key: {publishable_key}");
    match &state.upstream {
        Some(u) => println!("proxy: /v1/ and /.well-known/ to {}", u.base),
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
        .route("/api/webhooks/clerk", post(synced::webhook))
        .layer(Extension(WebhookSecret(webhook_secret.to_owned())));
    Router::new()
        .route("/api/health", get(health))
        .route("/api/me", get(me))
        .route("/api/admin", get(admin))
        .route("/api/admin/users", get(admin::list_users))
        .route("/api/admin/users/{id}/metadata", post(admin::set_metadata))
        .route("/api/synced-users", get(synced::list))
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

/// The proxy target of `--dev-server` (an http URL), or none when it is empty.
fn upstream_of(url: &str) -> Result<Option<Upstream>, String> {
    let url = url.trim().trim_end_matches('/');
    if url.is_empty() {
        return Ok(None);
    }
    let uri: Uri = url
        .parse()
        .map_err(|e| format!("--dev-server {url}: {e}"))?;
    if uri.scheme_str() != Some("http") {
        return Err(format!(
            "--dev-server {url}: only http URLs (the local dev server) can be proxied"
        ));
    }
    let authority = uri
        .authority()
        .and_then(|a| HeaderValue::from_str(a.as_str()).ok())
        .ok_or_else(|| format!("--dev-server {url}: no host"))?;
    Ok(Some(Upstream {
        base: url.to_owned(),
        authority,
    }))
}

/// The keys: from the command line, else from the dev server's `/v1/__dev/instance`.
async fn keys(
    args: &Args,
    upstream: Option<&Upstream>,
    client: &Client<HttpConnector, Body>,
) -> Result<Keys, String> {
    if let (Some(pk), Some(sk)) = (&args.publishable_key, &args.secret_key) {
        return Ok(Keys {
            publishable_key: pk.clone(),
            secret_key: sk.clone(),
            api_url: args.api_url.clone(),
            webhook_secret: args.webhook_secret.clone().unwrap_or_default(),
        });
    }
    let Some(up) = upstream else {
        return Err("set CLERK_PUBLISHABLE_KEY and CLERK_SECRET_KEY (or --dev-server)".into());
    };
    let url = format!("{}/v1/__dev/instance", up.base);
    let uri: Uri = url.parse().map_err(|e| format!("{url}: {e}"))?;
    let response = client
        .get(uri)
        .await
        .map_err(|e| format!("GET {url}: {e} (is the dev server running? ./dev.sh starts it)"))?;
    if !response.status().is_success() {
        return Err(format!("GET {url}: {}", response.status()));
    }
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| format!("GET {url}: {e}"))?
        .to_bytes();
    let instance: Value = serde_json::from_slice(&body).map_err(|e| format!("GET {url}: {e}"))?;
    let field = |name: &str| instance[name].as_str().map(str::to_owned);
    let key_field = if args.production {
        "production_publishable_key"
    } else {
        "publishable_key"
    };
    let pk = args
        .publishable_key
        .clone()
        .or_else(|| field(key_field))
        .ok_or_else(|| format!("GET {url}: no {key_field}"))?;
    let sk = args
        .secret_key
        .clone()
        .or_else(|| field("secret_key"))
        .ok_or_else(|| format!("GET {url}: no secret_key"))?;
    let api_url = args
        .api_url
        .clone()
        .or_else(|| field("backend_api_url"))
        .or_else(|| Some(up.base.clone()));
    let webhook_secret = args
        .webhook_secret
        .clone()
        .or_else(|| field("webhook_signing_secret"))
        .unwrap_or_default();
    Ok(Keys {
        publishable_key: pk,
        secret_key: sk,
        api_url,
        webhook_secret,
    })
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

/// Hop-by-hop headers (RFC 9110 §7.6.1): never forwarded.
const HOP_BY_HOP: [&str; 8] = [
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

fn strip_hop_by_hop(headers: &mut HeaderMap) {
    let listed: Vec<String> = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(',').map(|s| s.trim().to_ascii_lowercase()))
        .collect();
    for name in HOP_BY_HOP
        .iter()
        .copied()
        .chain(listed.iter().map(String::as_str))
    {
        headers.remove(name);
    }
}

/// `/v1/*` and `/.well-known/*` to the dev server, streamed both ways: the method, the path
/// and query, the headers (`Cookie`, `Origin`, `Authorization`…) and the body go up; the
/// status, the headers (every `Set-Cookie`, `Location`…) and the body come back. Redirects
/// are not followed (the handshake's 307 is the browser's).
async fn proxy(State(state): State<Arc<AppState>>, request: Request<Body>) -> Response {
    let Some(up) = &state.upstream else {
        return (StatusCode::NOT_FOUND, "no proxy").into_response();
    };
    let (mut parts, body) = request.into_parts();
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let Ok(uri) = format!("{}{path}", up.base).parse::<Uri>() else {
        return (StatusCode::BAD_REQUEST, "bad path").into_response();
    };
    strip_hop_by_hop(&mut parts.headers);
    if let Some(host) = parts.headers.get(header::HOST).cloned() {
        parts.headers.insert("x-forwarded-host", host);
    }
    parts.headers.insert(header::HOST, up.authority.clone());
    parts.uri = uri;
    parts.version = Version::HTTP_11;
    match state.client.request(Request::from_parts(parts, body)).await {
        Ok(response) => {
            let (mut parts, body) = response.into_parts();
            strip_hop_by_hop(&mut parts.headers);
            Response::from_parts(parts, Body::new(body))
        }
        Err(e) => (StatusCode::BAD_GATEWAY, format!("proxy error: {e}")).into_response(),
    }
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

    #[test]
    fn only_http_upstreams() {
        assert!(upstream_of("").unwrap().is_none());
        let up = upstream_of("http://127.0.0.1:4010/").unwrap().unwrap();
        assert_eq!(up.base, "http://127.0.0.1:4010");
        assert_eq!(up.authority, "127.0.0.1:4010");
        assert!(upstream_of("https://clerk.example.com").is_err());
    }

    #[test]
    fn hop_by_hop_headers_stay_behind() {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONNECTION,
            HeaderValue::from_static("close, x-secret"),
        );
        h.insert("x-secret", HeaderValue::from_static("1"));
        h.insert(header::COOKIE, HeaderValue::from_static("a=b"));
        h.insert(
            header::TRANSFER_ENCODING,
            HeaderValue::from_static("chunked"),
        );
        strip_hop_by_hop(&mut h);
        assert_eq!(h.len(), 1);
        assert_eq!(h[header::COOKIE], "a=b");
    }
}
