//! `clerk-dev-server [--port N] [--db PATH | --memory] [--seed FILE] [--allowed-origin URL]...
//! [--webhook URL]... [--webhook-secret whsec_…]`
//! (`--help` lists the flags and their environment variables).

use std::future::IntoFuture;
use std::io::Write;
use std::path::PathBuf;

use clap::builder::FalseyValueParser;
use clap::error::ErrorKind;
use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches, Parser};
use clerk_dev_server::{app, AppState, Options};

/// A local Clerk Frontend API (FAPI) for offline development and tests.
///
/// Prints `listening on http://127.0.0.1:N`, `publishable key: pk_test_…`, `proxy url: …`,
/// `secret key: sk_test_…`, `backend api url: …`, `production publishable key: pk_live_…` and
/// `webhook signing secret: whsec_…`, then serves until Ctrl-C. A flag given on the command
/// line wins over its environment variable.
#[derive(Debug, Parser)]
#[command(name = "clerk-dev-server", version)]
struct Cli {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, env = "CLERK_DEV_PORT", value_name = "N", default_value_t = clerk_core::diagnosis::DEV_SERVER_PORT)]
    port: u16,
    /// SQLite database.
    #[arg(
        long,
        env = "CLERK_DEV_DB",
        value_name = "PATH",
        default_value = ".clerk-dev/clerk-dev.sqlite3"
    )]
    db: PathBuf,
    /// Keep everything in memory (excludes --db).
    #[arg(long, env = "CLERK_DEV_MEMORY", value_parser = FalseyValueParser::new())]
    memory: bool,
    /// TOML seed: settings, users, organizations (see dev-server/seed.toml).
    #[arg(long, env = "CLERK_DEV_SEED", value_name = "FILE")]
    seed: Option<PathBuf>,
    /// Another browser origin allowed to call the server (repeatable; the environment variable
    /// takes a comma-separated list); http://localhost:* and http://127.0.0.1:* always are.
    #[arg(
        long = "allowed-origin",
        env = "CLERK_DEV_ALLOWED_ORIGINS",
        value_name = "URL",
        value_delimiter = ','
    )]
    allowed_origins: Vec<String>,
    /// Send Clerk's webhook events (Svix-signed) to this URL (repeatable; the environment
    /// variable takes a comma-separated list).
    #[arg(
        long = "webhook",
        env = "CLERK_DEV_WEBHOOKS",
        value_name = "URL",
        value_delimiter = ',',
        value_parser = clerk_dev_server::webhooks::parse_endpoint
    )]
    webhooks: Vec<String>,
    /// The webhook signing secret (default: one generated on first start and kept in the
    /// database).
    #[arg(
        long = "webhook-secret",
        env = "CLERK_DEV_WEBHOOK_SECRET",
        value_name = "whsec_…",
        value_parser = parse_secret
    )]
    webhook_secret: Option<String>,
}

/// Checks a `--webhook-secret` (`whsec_` and standard base64).
fn parse_secret(text: &str) -> Result<String, String> {
    clerk_dev_server::webhooks::Secret::parse(text).map(|s| s.as_str().to_owned())
}

/// The port and options from the command line and environment; a usage error exits with 2.
fn parse() -> (u16, Options) {
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    // --db and --memory exclude each other on the command line; CLERK_DEV_DB (say, for dev.sh)
    // does not stop a --memory run.
    let db_on_command_line = matches.value_source("db") == Some(ValueSource::CommandLine);
    if cli.memory && db_on_command_line {
        Cli::command()
            .error(
                ErrorKind::ArgumentConflict,
                "--db and --memory exclude each other",
            )
            .exit();
    }
    let seed_toml = cli.seed.map(|path| {
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            Cli::command()
                .error(ErrorKind::Io, format!("--seed {}: {e}", path.display()))
                .exit()
        })
    });
    let options = Options {
        db_path: (!cli.memory).then_some(cli.db),
        seed_toml,
        allowed_origins: cli.allowed_origins,
        webhooks: cli.webhooks,
        webhook_secret: cli.webhook_secret,
        ..Options::default()
    };
    (cli.port, options)
}

#[tokio::main]
async fn main() {
    let (port, options) = parse();
    let state = match tokio::task::spawn_blocking(move || AppState::new(options)).await {
        Ok(Ok(state)) => state,
        Ok(Err(e)) => {
            eprintln!("clerk-dev-server: {e}");
            std::process::exit(1);
        }
        Err(e) => {
            eprintln!("clerk-dev-server: {e}");
            std::process::exit(1);
        }
    };
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("clerk-dev-server: cannot listen on 127.0.0.1:{port}: {e}");
            std::process::exit(1);
        }
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(port);
    let url = format!("http://127.0.0.1:{port}");
    let _ = state.backend_api_url.set(url.clone());
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "listening on {url}");
    let _ = writeln!(out, "publishable key: {}", state.publishable_key);
    let _ = writeln!(out, "proxy url: {url}");
    let _ = writeln!(out, "secret key: {}", state.secret_key);
    let _ = writeln!(out, "backend api url: {url}");
    let _ = writeln!(
        out,
        "production publishable key: {}",
        state.production_publishable_key
    );
    let _ = writeln!(out, "webhook signing secret: {}", state.webhooks.secret());
    let _ = out.flush();
    drop(out);

    let (pause_tx, mut pause_rx) = tokio::sync::mpsc::unbounded_channel::<u64>();
    *state.pause.lock().unwrap_or_else(|p| p.into_inner()) = Some(pause_tx);
    let mut listener = Some(listener);
    loop {
        let current = match listener.take() {
            Some(l) => l,
            None => match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
                Ok(l) => l,
                Err(e) => {
                    eprintln!("clerk-dev-server: cannot listen again on 127.0.0.1:{port}: {e}");
                    std::process::exit(1);
                }
            },
        };
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let serve = axum::serve(current, app(state.clone()))
            .with_graceful_shutdown(async move {
                let _ = stop_rx.await;
            })
            .into_future();
        tokio::pin!(serve);
        // serve until Ctrl-C (exit) or a pause request (stop listening for a while)
        let pause = tokio::select! {
            result = &mut serve => {
                if let Err(e) = result {
                    eprintln!("clerk-dev-server: {e}");
                    std::process::exit(1);
                }
                return;
            }
            _ = tokio::signal::ctrl_c() => None,
            seconds = pause_rx.recv() => seconds,
        };
        // graceful: answers in flight finish, idle connections close, the port is released
        let _ = stop_tx.send(());
        if let Err(e) = serve.await {
            eprintln!("clerk-dev-server: {e}");
        }
        let Some(seconds) = pause else { return };
        eprintln!("[clerk-dev-server] paused: not listening for {seconds} s");
        tokio::time::sleep(std::time::Duration::from_secs(seconds)).await;
        eprintln!("[clerk-dev-server] listening again on {url}");
    }
}
