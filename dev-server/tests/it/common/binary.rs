//! The real `clerk-dev-server` binary, spawned on a free port with a database file, and raw
//! HTTP/1.1 to it (so a response cut by a kill -9 is an error, not an answer).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_clerk-dev-server");
const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/seed.toml");

/// A running binary and what it printed.
pub struct Server {
    pub child: Child,
    pub addr: String,
    pub secret_key: String,
    pub webhook_secret: String,
}

impl Server {
    /// Starts the binary with `--db` and `extra` arguments, and reads its seven startup lines.
    pub fn start(db: &Path, extra: &[&str]) -> Self {
        let mut child = Command::new(BIN)
            .args(["--port", "0", "--seed", SEED])
            .args(extra)
            .arg("--db")
            .arg(db)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn clerk-dev-server");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let mut next = || lines.next().expect("a line").expect("utf-8");
        let first = next();
        let addr = first
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
            .to_owned();
        let key = next();
        assert!(key.starts_with("publishable key: pk_test_"), "{key}");
        assert_eq!(next(), format!("proxy url: http://{addr}"));
        let secret = next();
        let secret_key = secret
            .strip_prefix("secret key: ")
            .unwrap_or_else(|| panic!("unexpected fourth line {secret:?}"))
            .to_owned();
        assert!(secret_key.starts_with("sk_test_"), "{secret}");
        assert_eq!(next(), format!("backend api url: http://{addr}"));
        let live = next();
        assert!(
            live.starts_with("production publishable key: pk_live_"),
            "{live}"
        );
        let line = next();
        let webhook_secret = line
            .strip_prefix("webhook signing secret: ")
            .unwrap_or_else(|| panic!("seventh line {line:?}"))
            .to_owned();
        assert!(webhook_secret.starts_with("whsec_"), "{line}");
        Self {
            child,
            addr,
            secret_key,
            webhook_secret,
        }
    }

    /// SIGKILL: no shutdown code runs.
    pub fn kill9(mut self) {
        self.child.kill().expect("kill -9");
        self.child.wait().expect("wait");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request with a form body (connection closed after it).
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    form: &[(&str, &str)],
) -> std::io::Result<(u16, Value)> {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("truncated response"))?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    // A response cut by the kill is an error, not an answer.
    let json = serde_json::from_str(body).map_err(|_| std::io::Error::other("truncated body"))?;
    Ok((status, json))
}
