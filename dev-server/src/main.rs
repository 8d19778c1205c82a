//! `clerk-dev-server [--port N] [--db PATH | --memory] [--seed FILE] [--allowed-origin URL]...`

use std::future::IntoFuture;
use std::io::Write;
use std::path::PathBuf;

use clerk_dev_server::{app, AppState, Options};

const USAGE: &str = "usage: clerk-dev-server [--port N] [--db PATH | --memory] [--seed FILE] [--allowed-origin URL]...

  --port N              port on 127.0.0.1 (default 8787; 0 picks a free one)
  --db PATH             SQLite database (default .clerk-dev/clerk-dev.sqlite3)
  --memory              keep everything in memory
  --seed FILE           TOML seed: settings, users, organizations (see dev-server/seed.toml)
  --allowed-origin URL  another browser origin allowed to call the server (repeatable);
                        http://localhost:* and http://127.0.0.1:* always are";

fn parse() -> Result<(u16, Options), String> {
    let mut args = std::env::args().skip(1);
    let mut port = 8787u16;
    let mut options = Options {
        db_path: Some(PathBuf::from(".clerk-dev/clerk-dev.sqlite3")),
        ..Options::default()
    };
    let mut memory = false;
    let mut db_given = false;
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "--port" => {
                port = value("--port")?
                    .parse()
                    .map_err(|_| "--port needs a number from 0 to 65535".to_owned())?
            }
            "--db" => {
                options.db_path = Some(PathBuf::from(value("--db")?));
                db_given = true;
            }
            "--memory" => memory = true,
            "--seed" => {
                let path = value("--seed")?;
                options.seed_toml = Some(
                    std::fs::read_to_string(&path).map_err(|e| format!("--seed {path}: {e}"))?,
                );
            }
            "--allowed-origin" => options.allowed_origins.push(value("--allowed-origin")?),
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if memory && db_given {
        return Err("--db and --memory exclude each other".into());
    }
    if memory {
        options.db_path = None;
    }
    Ok((port, options))
}

#[tokio::main]
async fn main() {
    let (port, options) = match parse() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("clerk-dev-server: {e}\n\n{USAGE}");
            std::process::exit(2);
        }
    };
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
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "listening on {url}");
    let _ = writeln!(out, "publishable key: {}", state.publishable_key);
    let _ = writeln!(out, "proxy url: {url}");
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
