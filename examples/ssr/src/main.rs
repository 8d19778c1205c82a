//! The SSR example's server: Leptos' axum integration behind clerk-backend's `ClerkLayer`.
//!
//! - `ClerkLayer` authenticates every page and server-function request (answering Clerk's
//!   handshake itself); `load_resources` fetches the signed-in user and organization for page
//!   loads, so the HTML shows them; `ProtectedRoutes` sends signed-out page loads of `/account`
//!   to `/sign-in?redirect_url=…` before anything renders.
//! - `/v1/*` and `/.well-known/*` go to the dev server (one origin for pages, the Frontend API
//!   and the handshake); `/api/webhooks/clerk` takes Clerk's webhooks into SQLite.
//!
//! Run it with `EXAMPLE=examples/ssr ./dev.sh` (cargo-leptos watch, with the dev server), or
//! after `cargo leptos build --release`: `target/release/leptos-clerk-example-ssr` with
//! `LEPTOS_SITE_ROOT=target/site`. Configuration comes from the environment:
//! `CLERK_DEV_SERVER_URL` (default `http://127.0.0.1:4010`; its keys are read from
//! `/v1/__dev/instance`), or `CLERK_PUBLISHABLE_KEY` / `CLERK_SECRET_KEY` / `CLERK_API_URL`;
//! `CLERK_WEBHOOK_SIGNING_SECRET`; `SYNCED_USERS_DB` (default: a file in the temp dir);
//! `LEPTOS_SITE_ADDR` (default `127.0.0.1:3000`; port 0 picks a free one).

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    match server::run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(not(feature = "ssr"))]
fn main() {}

#[cfg(feature = "ssr")]
mod server {
    use std::sync::Arc;

    use axum::Router;
    use axum::extract::Request;
    use axum::middleware::{from_fn, from_fn_with_state};
    use axum::routing::{any, post};
    use clerk_backend::axum::WebhookSecret;
    use leptos::prelude::*;
    use leptos_axum::{LeptosRoutes, generate_route_list};
    use leptos_clerk::server::{
        AuthenticateRequestOptions, ClerkLayer, ProtectedRoutes, load_resources, protect_routes,
    };
    use leptos_clerk_example_api::keys::Keys;
    use leptos_clerk_example_api::proxy::Proxy;
    use leptos_clerk_example_api::synced;
    use leptos_clerk_example_ssr::app::{App, ClientConfig, server_state, shell};

    fn env(name: &str) -> String {
        std::env::var(name).unwrap_or_default()
    }

    pub async fn run() -> Result<(), String> {
        // cargo-leptos sets LEPTOS_* for what it runs; run by hand, this package's metadata
        // gives the defaults (and LEPTOS_* variables still override them).
        let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
        let from_file = std::env::var_os("LEPTOS_OUTPUT_NAME").is_none();
        let conf = get_configuration(from_file.then_some(manifest)).map_err(|e| e.to_string())?;
        let leptos_options = conf.leptos_options;
        let dev_server = std::env::var("CLERK_DEV_SERVER_URL")
            .unwrap_or_else(|_| "http://127.0.0.1:4010".into());
        let proxy = Proxy::new(&dev_server)?;
        let keys = Keys::resolve(
            Keys {
                publishable_key: env("CLERK_PUBLISHABLE_KEY"),
                secret_key: env("CLERK_SECRET_KEY"),
                api_url: std::env::var("CLERK_API_URL").ok(),
                webhook_secret: env("CLERK_WEBHOOK_SIGNING_SECRET"),
            },
            &proxy,
            false,
        )
        .await?;
        let db = std::env::var("SYNCED_USERS_DB").unwrap_or_else(|_| {
            std::env::temp_dir()
                .join("leptos-clerk-example-ssr-synced-users.sqlite3")
                .display()
                .to_string()
        });
        let store = Arc::new(synced::Store::open(&db)?);
        let _ = server_state::SYNCED.set(store.clone());
        let _ = server_state::CONFIG.set(ClientConfig {
            publishable_key: keys.publishable_key.clone(),
        });

        let listener = tokio::net::TcpListener::bind(leptos_options.site_addr)
            .await
            .map_err(|e| format!("bind {}: {e}", leptos_options.site_addr))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let origin = format!("http://{addr}");

        let mut options =
            AuthenticateRequestOptions::new(keys.publishable_key.clone(), keys.secret_key);
        if let Some(url) = keys.api_url {
            options.api_url = url;
        }
        if proxy.base().is_some() {
            // handshakes come back through this server's /v1 proxy
            options.proxy_url = Some(origin.clone());
        }
        options.authorized_parties = vec![origin.clone()];
        options.sign_in_url = Some("/sign-in".into());
        let layer = ClerkLayer::new(options).map_err(|e| e.to_string())?;

        let routes = generate_route_list(App);
        let pages = Router::new()
            .leptos_routes(&leptos_options, routes, {
                let options = leptos_options.clone();
                move || shell(options.clone())
            })
            .fallback(leptos_axum::file_and_error_handler(shell))
            .with_state(leptos_options.clone())
            .layer(from_fn_with_state(
                ProtectedRoutes::new(["/account"]),
                protect_routes,
            ))
            .layer(from_fn(load_resources))
            .layer(layer);
        let fapi = {
            let proxy = proxy.clone();
            move |request: Request| {
                let proxy = proxy.clone();
                async move { proxy.forward(request).await }
            }
        };
        let webhooks = Router::new()
            .route("/api/webhooks/clerk", post(synced::webhook))
            .with_state(store)
            .layer(axum::Extension(WebhookSecret(keys.webhook_secret)));
        let app = Router::new()
            .route("/v1/{*rest}", any(fapi.clone()))
            .route("/.well-known/{*rest}", any(fapi))
            .merge(webhooks)
            .merge(pages);

        println!("listening on {origin}");
        println!("publishable key: {}", keys.publishable_key);
        match proxy.base() {
            Some(base) => println!("proxy: /v1/ and /.well-known/ to {base}"),
            None => println!("proxy: none"),
        }
        println!("synced users: {db}");
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| e.to_string())
    }
}
