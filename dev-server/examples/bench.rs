//! Benchmark: session-token mints per second and latency with 32 concurrent keep-alive
//! connections on loopback, next to the raw RS256 signing rate of the same key on all cores,
//! and the latency of a password sign-in (argon2id).
//!
//! `cargo run --release -p clerk-dev-server --example bench [-- SECONDS]`

use std::time::{Duration, Instant};

use clerk_dev_server::{app, crypto, AppState, Options};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const CONNECTIONS: usize = 32;
const ORIGIN: &str = "http://localhost:3000";

/// A keep-alive HTTP/1.1 connection that speaks just enough for this benchmark.
struct Conn {
    reader: BufReader<TcpStream>,
    addr: String,
}

impl Conn {
    async fn open(addr: &str) -> Self {
        let stream = TcpStream::connect(addr).await.expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        Self {
            reader: BufReader::new(stream),
            addr: addr.to_owned(),
        }
    }

    async fn post(&mut self, path: &str, body: &str) -> (u16, String) {
        let req = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nOrigin: {ORIGIN}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        );
        self.reader
            .get_mut()
            .write_all(req.as_bytes())
            .await
            .expect("write");
        let mut line = String::new();
        self.reader.read_line(&mut line).await.expect("status line");
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut length = 0usize;
        loop {
            line.clear();
            self.reader.read_line(&mut line).await.expect("header");
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut buf = vec![0; length];
        self.reader.read_exact(&mut buf).await.expect("body");
        (status, String::from_utf8_lossy(&buf).into_owned())
    }
}

/// 32 connections minting tokens for `run`: the latencies and the non-200 count.
async fn mint_round(addr: &str, path: &str, run: Duration) -> (Vec<Duration>, u64) {
    let t0 = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CONNECTIONS {
        let addr = addr.to_owned();
        let path = path.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::open(&addr).await;
            let mut lat = Vec::new();
            let mut errors = 0u64;
            while t0.elapsed() < run {
                let at = Instant::now();
                let (status, _) = conn.post(&path, "").await;
                if status != 200 {
                    errors += 1;
                }
                lat.push(at.elapsed());
            }
            (lat, errors)
        }));
    }
    let mut lat = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.expect("task");
        lat.extend(l);
        errors += e;
    }
    (lat, errors)
}

/// CPU time (user + system) used by this process so far, from /proc (Linux; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat
        .rsplit_once(") ")
        .map(|(_, rest)| rest)
        .unwrap_or_default();
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0 // utime + stime, in USER_HZ (100 on Linux)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let seconds: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let seed = include_str!("../seed.toml");
    let state = AppState::new(Options {
        seed_toml: Some(seed.into()),
        ..Options::default()
    })
    .expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    let service = app(state.clone());
    tokio::spawn(async move { axum::serve(listener, service).await });
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);

    // A signed-in session.
    let mut c = Conn::open(&addr).await;
    let (_, body) = c.post("/v1/dev_browser", "").await;
    let db: serde_json::Value = serde_json::from_str(&body).expect("json");
    let db = db["id"].as_str().expect("id").to_owned();
    let sign_in_body = "identifier=ada%2Bclerk_test%40example.com&password=correct-horse-battery-staple&strategy=password";
    let (status, body) = c
        .post(
            &format!("/v1/client/sign_ins?__clerk_db_jwt={db}"),
            sign_in_body,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).expect("json");
    let sid = v["response"]["created_session_id"]
        .as_str()
        .expect("session")
        .to_owned();
    let token_path = format!("/v1/client/sessions/{sid}/tokens?__clerk_db_jwt={db}");

    // 1. Raw RS256 signing of a session-token payload, one thread per core.
    let payload = serde_json::json!({
        "sid": sid, "sub": "user_ada", "iss": state.issuer(), "azp": ORIGIN, "iat": 1, "nbf": 1,
        "exp": 61, "v": 2, "fva": [0, -1], "sts": "active", "jti": "0123456789abcdef0123",
    });
    let raw = |secs: f64| {
        let started = Instant::now();
        let handles: Vec<_> = (0..cores)
            .map(|_| {
                let state = state.clone();
                let payload = payload.clone();
                std::thread::spawn(move || {
                    let mut n = 0u64;
                    while started.elapsed().as_secs_f64() < secs {
                        std::hint::black_box(
                            state
                                .signer
                                .sign(&payload, clerk_core::claims::TokenCategory::Session)
                                .expect("sign"),
                        );
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        let signed: u64 = handles.into_iter().map(|h| h.join().expect("thread")).sum();
        signed as f64 / started.elapsed().as_secs_f64()
    };
    // The same, per CPU-second used by this process (robust to other work on the machine).
    let raw_cpu = |secs: f64| {
        let cpu = cpu_seconds();
        let rate = raw(secs);
        (rate, rate * secs / (cpu_seconds() - cpu).max(1e-3))
    };

    // 2. POST …/tokens with 32 concurrent keep-alive connections, in rounds that alternate with
    //    raw-signing rounds of the same length, so that other work on the machine weighs on
    //    both sides of the ratio alike. The ratio is the median of the per-round ratios.
    let rounds = 5u32;
    let slice = Duration::from_secs_f64(seconds as f64 / rounds as f64);
    let mut lat = Vec::new();
    let mut errors = 0;
    let mut raw_rates = Vec::new();
    let mut ratios = Vec::new();
    let mut cpu_ratios = Vec::new();
    let mut raw_per_cpu = Vec::new();
    let mut mint_per_cpu = Vec::new();
    mint_round(&addr, &token_path, Duration::from_millis(500)).await; // warm-up
    raw(0.5);
    for _ in 0..rounds {
        let cpu = cpu_seconds();
        let (l, e) = mint_round(&addr, &token_path, slice).await;
        let minted_per_cpu = l.len() as f64 / (cpu_seconds() - cpu).max(1e-3);
        let round_rate = l.len() as f64 / slice.as_secs_f64();
        let (raw_rate, signed_per_cpu) = raw_cpu(slice.as_secs_f64());
        ratios.push(round_rate / raw_rate);
        cpu_ratios.push(minted_per_cpu / signed_per_cpu);
        raw_rates.push(raw_rate);
        raw_per_cpu.push(signed_per_cpu);
        mint_per_cpu.push(minted_per_cpu);
        lat.extend(l);
        errors += e;
    }
    cpu_ratios.sort_by(f64::total_cmp);
    raw_per_cpu.sort_by(f64::total_cmp);
    mint_per_cpu.sort_by(f64::total_cmp);
    let median = |v: &[f64]| v[v.len() / 2];
    lat.sort();
    ratios.sort_by(f64::total_cmp);
    let mint_rate = lat.len() as f64 / (slice.as_secs_f64() * rounds as f64);
    let raw_rate = raw_rates.iter().sum::<f64>() / raw_rates.len() as f64;
    let ratio = ratios[ratios.len() / 2];

    // Per-request overhead: one connection, one request at a time, against one thread signing.
    let n = 200;
    let at = Instant::now();
    for _ in 0..n {
        let (status, _) = c.post(&token_path, "").await;
        assert_eq!(status, 200);
    }
    let sequential = at.elapsed() / n;
    let at = Instant::now();
    for _ in 0..n {
        std::hint::black_box(
            state
                .signer
                .sign(&payload, clerk_core::claims::TokenCategory::Session)
                .expect("sign"),
        );
    }
    let one_signature = at.elapsed() / n;

    // 3. Password sign-ins, one at a time.
    let mut sign_ins = Vec::new();
    for _ in 0..20 {
        let at = Instant::now();
        let (status, body) = c
            .post(
                &format!("/v1/client/sign_ins?__clerk_db_jwt={db}"),
                sign_in_body,
            )
            .await;
        assert_eq!(status, 200, "{body}");
        sign_ins.push(at.elapsed());
    }
    sign_ins.sort();
    let hash_start = Instant::now();
    let hash = crypto::hash_password("correct-horse-battery-staple");
    let hash_time = hash_start.elapsed();

    println!(
        "clerk-dev-server benchmark ({cores} cores, loopback, client and server in one process)"
    );
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "load average before/while running: {}",
        load.split(' ').take(3).collect::<Vec<_>>().join(" ")
    );
    println!(
        "raw RS256 signing (2048-bit key, {cores} threads): {raw_rate:.0} signatures/s (rounds: {})",
        raw_rates.iter().map(|r| format!("{r:.0}")).collect::<Vec<_>>().join(", ")
    );
    println!(
        "POST …/tokens, {CONNECTIONS} connections, {seconds} s in {rounds} rounds: {mint_rate:.0} tokens/s, p50 {:.2} ms, p99 {:.2} ms, {} requests, {errors} non-200",
        ms(percentile(&lat, 0.50)),
        ms(percentile(&lat, 0.99)),
        lat.len()
    );
    println!(
        "ratio mints/raw signing: {:.0}% (median of {rounds} alternating rounds: {}; totals {:.0}%)",
        100.0 * ratio,
        ratios
            .iter()
            .map(|r| format!("{:.0}%", 100.0 * r))
            .collect::<Vec<_>>()
            .join(", "),
        100.0 * mint_rate / raw_rate
    );
    println!(
        "per CPU-second of this process (client included; robust to other load): {:.0} signatures vs {:.0} mints = {:.0}% (medians of {rounds} rounds; ratios {}); limit on {cores} idle cores ≈ {:.0} signatures/s, mints ≈ {:.0}/s",
        median(&raw_per_cpu),
        median(&mint_per_cpu),
        100.0 * median(&cpu_ratios),
        cpu_ratios
            .iter()
            .map(|r| format!("{:.0}%", 100.0 * r))
            .collect::<Vec<_>>()
            .join(", "),
        cores as f64 * median(&raw_per_cpu),
        cores as f64 * median(&mint_per_cpu),
    );
    println!(
        "one request at a time: {:.2} ms per mint vs {:.2} ms per bare signature (HTTP + storage + claims: {:.2} ms)",
        ms(sequential),
        ms(one_signature),
        ms(sequential.saturating_sub(one_signature))
    );
    println!(
        "password sign-in (POST /v1/client/sign_ins, argon2id m={} KiB t={} p={}): p50 {:.1} ms, p99 {:.1} ms over {} sign-ins; one hash alone {:.1} ms",
        crypto::ARGON2_M_KIB,
        crypto::ARGON2_T,
        crypto::ARGON2_P,
        ms(percentile(&sign_ins, 0.50)),
        ms(percentile(&sign_ins, 0.99)),
        sign_ins.len(),
        ms(hash_time),
    );
    assert!(hash.starts_with("$argon2id$"));
}
