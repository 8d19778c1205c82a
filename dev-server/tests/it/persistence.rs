//! Persistence: the binary with `--db`, restarted, and killed with SIGKILL mid-traffic.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::binary::{http, Server};

fn dev_browser(addr: &str) -> std::io::Result<String> {
    let (status, body) = http(addr, "POST", "/v1/dev_browser", &[])?;
    if status != 200 {
        return Err(std::io::Error::other(format!("dev_browser: {status}")));
    }
    Ok(body["id"].as_str().expect("id").to_owned())
}

/// A complete sign-up (create, prepare, attempt with the test code). `Ok(true)` only when the
/// last step answered 2xx with status complete.
fn sign_up(addr: &str, email: &str, password: &str) -> std::io::Result<bool> {
    let db = dev_browser(addr)?;
    let (s, r) = http(
        addr,
        "POST",
        &format!("/v1/client/sign_ups?__clerk_db_jwt={db}"),
        &[("email_address", email), ("password", password)],
    )?;
    if s != 200 {
        return Err(std::io::Error::other(format!("create: {s} {r}")));
    }
    let id = r["response"]["id"].as_str().expect("id").to_owned();
    let (s, r) = http(
        addr,
        "POST",
        &format!("/v1/client/sign_ups/{id}/prepare_verification?__clerk_db_jwt={db}"),
        &[("strategy", "email_code")],
    )?;
    if s != 200 {
        return Err(std::io::Error::other(format!("prepare: {s} {r}")));
    }
    let (s, r) = http(
        addr,
        "POST",
        &format!("/v1/client/sign_ups/{id}/attempt_verification?__clerk_db_jwt={db}"),
        &[("strategy", "email_code"), ("code", "424242")],
    )?;
    Ok(s == 200 && r["response"]["status"] == "complete")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("clerk-dev-server-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn users_sessions_and_the_signing_key_survive_a_restart() {
    let dir = temp_dir("restart");
    let db_path = dir.join("dev.sqlite3");
    let server = Server::start(&db_path, &[]);
    let addr = server.addr.clone();
    assert!(sign_up(
        &addr,
        "kept+clerk_test@example.com",
        "persistent-password-1"
    )
    .unwrap());
    let browser = dev_browser(&addr).unwrap();
    let (s, r) = http(
        &addr,
        "POST",
        &format!("/v1/client/sign_ins?__clerk_db_jwt={browser}"),
        &[
            ("identifier", "ada+clerk_test@example.com"),
            ("password", "correct-horse-battery-staple"),
            ("strategy", "password"),
        ],
    )
    .unwrap();
    assert_eq!(s, 200, "{r}");
    let session = r["response"]["created_session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, jwks) = http(&addr, "GET", "/.well-known/jwks.json", &[]).unwrap();
    let secret_key = server.secret_key.clone();
    server.kill9();

    let server = Server::start(&db_path, &[]);
    let addr = server.addr.clone();
    let (_, jwks_after) = http(&addr, "GET", "/.well-known/jwks.json", &[]).unwrap();
    assert_eq!(jwks, jwks_after, "the signing key is kept");
    assert_eq!(server.secret_key, secret_key, "the secret key is kept");
    let b = dev_browser(&addr).unwrap();
    let (s, r) = http(
        &addr,
        "POST",
        &format!("/v1/client/sign_ins?__clerk_db_jwt={b}"),
        &[
            ("identifier", "kept+clerk_test@example.com"),
            ("password", "persistent-password-1"),
            ("strategy", "password"),
        ],
    )
    .unwrap();
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["response"]["status"], "complete");
    // The old dev browser still holds its signed-in client.
    let (s, r) = http(
        &addr,
        "GET",
        &format!("/v1/client?__clerk_db_jwt={browser}"),
        &[],
    )
    .unwrap();
    assert_eq!(s, 200);
    assert_eq!(r["response"]["sessions"][0]["id"], session.as_str());
    let (s, _) = http(
        &addr,
        "POST",
        &format!("/v1/client/sessions/{session}/tokens?__clerk_db_jwt={browser}"),
        &[],
    )
    .unwrap();
    assert_eq!(s, 200);
    // The seed is applied once: still one ada.
    let (s, r) = http(
        &addr,
        "POST",
        &format!("/v1/client/sign_ins?__clerk_db_jwt={b}"),
        &[("identifier", "ada")],
    )
    .unwrap();
    assert_eq!(s, 200, "{r}");
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn kill_9_during_concurrent_sign_ups_loses_no_acknowledged_user() {
    let dir = temp_dir("kill9");
    let db_path = dir.join("dev.sqlite3");
    let server = Server::start(&db_path, &[]);
    let addr = server.addr.clone();
    let done = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut threads = Vec::new();
    for t in 0..12 {
        let (addr, done, stop) = (addr.clone(), done.clone(), stop.clone());
        threads.push(std::thread::spawn(move || {
            for i in 0.. {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let email = format!("load-{t}-{i}+clerk_test@example.com");
                match sign_up(&addr, &email, "load-test-password-9") {
                    Ok(true) => done.lock().unwrap().push(email),
                    Ok(false) => panic!("sign-up of {email} did not complete"),
                    Err(_) => break, // the server is gone
                }
            }
        }));
    }
    let started = Instant::now();
    while done.lock().unwrap().len() < 40 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
    }
    server.kill9(); // in the middle of the traffic
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().expect("client thread");
    }
    let acknowledged = done.lock().unwrap().clone();
    assert!(
        acknowledged.len() >= 40,
        "only {} sign-ups before the kill",
        acknowledged.len()
    );

    let server = Server::start(&db_path, &[]);
    let addr = server.addr.clone();
    let b = dev_browser(&addr).unwrap();
    for email in &acknowledged {
        let (s, r) = http(
            &addr,
            "POST",
            &format!("/v1/client/sign_ins?__clerk_db_jwt={b}"),
            &[("identifier", email)],
        )
        .unwrap();
        assert_eq!(s, 200, "{email} was acknowledged but is gone: {r}");
        assert_eq!(r["response"]["status"], "needs_first_factor");
    }
    // And one of them signs in fully.
    let (s, r) = http(
        &addr,
        "POST",
        &format!("/v1/client/sign_ins?__clerk_db_jwt={b}"),
        &[
            ("identifier", &acknowledged[0]),
            ("password", "load-test-password-9"),
            ("strategy", "password"),
        ],
    )
    .unwrap();
    assert_eq!(
        (s, r["response"]["status"].as_str()),
        (200, Some("complete"))
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
