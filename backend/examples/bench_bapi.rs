//! Benchmark: Backend API `GET /users/{id}` through `ClerkClient` against the dev server (32
//! requests in flight), and webhook delivery latency from a FAPI write (a password sign-in,
//! whose `session.created` event goes through the dev server's outbox) to the receiver's 200,
//! all on loopback.
//!
//! `cargo run --release -p clerk-backend --example bench_bapi [-- SECONDS]`

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::post;
use clerk_backend::api::ClerkClient;
use serde_json::Value;

const SEED: &str = include_str!("../../dev-server/seed.toml");
const KEY: &str = include_str!("../../dev-server/tests/fixtures/test-signing-key.pem");
const IN_FLIGHT: usize = 32;
const SIGN_INS: usize = 40;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

type Arrivals = Arc<Mutex<HashMap<String, Instant>>>;

/// A webhook receiver: records when each `session.created` arrives, by session id.
async fn receiver() -> (String, Arrivals) {
    let arrivals: Arrivals = Arc::default();
    let seen = arrivals.clone();
    let app = Router::new().route(
        "/hook",
        post(move |body: axum::body::Bytes| {
            let seen = seen.clone();
            async move {
                let at = Instant::now();
                if let Ok(v) = serde_json::from_slice::<Value>(&body)
                    && v["type"] == "session.created"
                    && let Some(id) = v["data"]["id"].as_str()
                {
                    seen.lock().unwrap().insert(id.to_owned(), at);
                }
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, arrivals)
}

async fn run(seconds: u64) {
    let (hook, arrivals) = receiver().await;
    let state = clerk_dev_server::AppState::new(clerk_dev_server::Options {
        seed_toml: Some(SEED.into()),
        signing_key_pem: Some(KEY.into()),
        webhooks: vec![hook],
        ..Default::default()
    })
    .unwrap();
    let app = clerk_dev_server::app(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let clerk = ClerkClient::new(state.secret_key.clone()).with_api_url(&base);
    clerk.users().get_user("user_ada").await.unwrap();

    // 1. GET /users/{id}
    let run = Duration::from_secs(seconds);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..IN_FLIGHT {
        let clerk = clerk.clone();
        tasks.push(tokio::spawn(async move {
            let (mut lat, mut errors) = (Vec::new(), 0usize);
            while start.elapsed() < run {
                let t = Instant::now();
                if clerk.users().get_user("user_ada").await.is_err() {
                    errors += 1;
                }
                lat.push(t.elapsed());
            }
            (lat, errors)
        }));
    }
    let (mut lat, mut errors) = (Vec::new(), 0);
    for t in tasks {
        let (l, e) = t.await.unwrap();
        lat.extend(l);
        errors += e;
    }
    let rate = lat.len() as f64 / start.elapsed().as_secs_f64();
    lat.sort();
    println!(
        "ClerkClient users().get against the dev server, {IN_FLIGHT} in flight, {seconds} s, client and server on the same 2 cores:"
    );
    println!(
        "  GET /v1/users/{{id}}   {rate:>8.0} /s   p50 {:.2} ms   p99 {:.2} ms   errors {errors}",
        ms(percentile(&lat, 0.5)),
        ms(percentile(&lat, 0.99))
    );

    // 2. webhook latency: FAPI sign-in → session.created at the receiver
    let http = reqwest::Client::new();
    // signed: a delivery can reach the receiver before the FAPI answer reaches the client
    let mut after_write: Vec<f64> = Vec::new();
    let mut from_request = Vec::new();
    for _ in 0..SIGN_INS {
        let t0 = Instant::now();
        let r: Value = http
            .post(format!("{base}/v1/client/sign_ins"))
            .header("origin", "http://localhost:3000")
            .form(&[
                ("identifier", "ada+clerk_test@example.com"),
                ("password", "correct-horse-battery-staple"),
                ("strategy", "password"),
            ])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let t1 = Instant::now();
        let sid = r["response"]["created_session_id"]
            .as_str()
            .expect("a session")
            .to_owned();
        let arrived = loop {
            if let Some(at) = arrivals.lock().unwrap().get(&sid).copied() {
                break at;
            }
            if t1.elapsed() > Duration::from_secs(10) {
                panic!("no session.created for {sid} within 10 s");
            }
            tokio::time::sleep(Duration::from_micros(200)).await;
        };
        after_write.push(if arrived >= t1 {
            ms(arrived - t1)
        } else {
            -ms(t1 - arrived)
        });
        from_request.push(arrived.saturating_duration_since(t0));
    }
    after_write.sort_by(f64::total_cmp);
    from_request.sort();
    let pick = |p: f64| after_write[((after_write.len() - 1) as f64 * p).round() as usize];
    println!("webhook delivery, {SIGN_INS} password sign-ins (FAPI, argon2id) one after another:");
    println!(
        "  FAPI answer at the client → receiver got session.created   p50 {:+.2} ms   p99 {:+.2} ms (negative: delivered first)",
        pick(0.5),
        pick(0.99)
    );
    println!(
        "  FAPI request sent → receiver got session.created           p50 {:.2} ms   p99 {:.2} ms",
        ms(percentile(&from_request, 0.5)),
        ms(percentile(&from_request, 0.99))
    );
}

fn main() {
    let seconds: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(run(seconds));
}
