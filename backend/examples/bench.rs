//! Benchmark: `authenticate_request` on a signed-in cookie request (warm JWKS cache) on one
//! core, next to the raw RS256 verification rate of the same key on that core (the limit), and
//! the same request through `ClerkLayer` in axum on loopback with 32 keep-alive connections.
//!
//! `cargo run --release -p clerk-backend --example bench [-- SECONDS]`

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::routing::get;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use clerk_backend::axum::{ClerkLayer, SignedInAuth};
use clerk_backend::{AuthStatus, AuthenticateRequestOptions, authenticate_request};
use rsa::pkcs8::DecodePublicKey;
use rsa::traits::PublicKeyParts;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const PRIVATE: &str = include_str!("../tests/support/keys/instance.pem");
const PUBLIC: &str = include_str!("../tests/support/keys/instance.pub.pem");
const FAPI: &str = "happy-hippo-1.clerk.accounts.dev";
const SECRET: &str = "sk_test_bench";
const CONNECTIONS: usize = 32;

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn session_token() -> String {
    let header =
        json!({"alg": "RS256", "kid": "ins_bench", "typ": "JWT", "cat": "cl_B7d4PD111AAA"});
    let t = now();
    let claims = json!({"iss": format!("https://{FAPI}"), "sub": "user_1", "sid": "sess_1",
        "azp": "http://localhost:3000", "iat": t - 5, "nbf": t - 15, "exp": t + 3600, "v": 2,
        "o": {"id": "org_1", "slg": "acme", "rol": "admin", "per": "read,manage", "fpm": "3"}, "fea": "o:billing"});
    let message = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(PRIVATE.as_bytes()).unwrap();
    let sig = jsonwebtoken::crypto::sign(message.as_bytes(), &key, jsonwebtoken::Algorithm::RS256)
        .unwrap();
    format!("{message}.{sig}")
}

/// A Backend API on loopback serving the JWKS (fetched once, then cached).
async fn jwks_server() -> String {
    let key = rsa::RsaPublicKey::from_public_key_pem(PUBLIC).unwrap();
    let jwks = json!({"keys": [{"kid": "ins_bench", "kty": "RSA", "alg": "RS256", "use": "sig",
        "n": URL_SAFE_NO_PAD.encode(key.n().to_bytes_be()), "e": URL_SAFE_NO_PAD.encode(key.e().to_bytes_be())}]});
    let app = Router::new().route(
        "/v1/jwks",
        get(move || async move { axum::Json(jwks.clone()) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

fn options(api_url: &str) -> AuthenticateRequestOptions {
    let pk = format!(
        "pk_test_{}",
        STANDARD.encode(format!("{FAPI}$")).trim_end_matches('=')
    );
    let mut o = AuthenticateRequestOptions::new(pk, SECRET);
    o.api_url = api_url.to_owned();
    o.authorized_parties = vec!["http://localhost:3000".into()];
    o
}

fn cookie(token: &str) -> String {
    format!(
        "__clerk_db_jwt=dvb_bench; __session={token}; __client_uat={}",
        now() - 60
    )
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn raw_verify(token: &str, run: Duration) -> f64 {
    let key = jsonwebtoken::DecodingKey::from_rsa_pem(PUBLIC.as_bytes()).unwrap();
    let (message, sig) = token.rsplit_once('.').unwrap();
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < run {
        assert!(
            jsonwebtoken::crypto::verify(
                sig,
                message.as_bytes(),
                &key,
                jsonwebtoken::Algorithm::RS256
            )
            .unwrap()
        );
        n += 1;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

async fn one_core(
    opts: &AuthenticateRequestOptions,
    token: &str,
    run: Duration,
) -> (f64, Duration, Duration) {
    let (parts, ()) = http::Request::get("http://localhost:3000/api/me")
        .header("cookie", cookie(token))
        .header("sec-fetch-dest", "empty")
        .body(())
        .unwrap()
        .into_parts();
    assert_eq!(
        authenticate_request(&parts, opts).await.status,
        AuthStatus::SignedIn
    );
    let mut lat = Vec::new();
    let start = Instant::now();
    while start.elapsed() < run {
        let t = Instant::now();
        let state = authenticate_request(&parts, opts).await;
        lat.push(t.elapsed());
        assert!(state.is_signed_in());
    }
    let rate = lat.len() as f64 / start.elapsed().as_secs_f64();
    lat.sort();
    (rate, percentile(&lat, 0.5), percentile(&lat, 0.99))
}

async fn get_me(reader: &mut BufReader<TcpStream>, request: &[u8]) -> u16 {
    reader.get_mut().write_all(request).await.unwrap();
    let mut line = String::new();
    reader.read_line(&mut line).await.unwrap();
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut length = 0;
    loop {
        line.clear();
        reader.read_line(&mut line).await.unwrap();
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await.unwrap();
    status
}

async fn through_the_layer(
    opts: AuthenticateRequestOptions,
    token: &str,
    run: Duration,
) -> (f64, Duration, Duration, usize) {
    let app = Router::new()
        .route(
            "/api/me",
            get(|SignedInAuth(s): SignedInAuth| async move { s.user_id.clone() }),
        )
        .layer(ClerkLayer::new(opts).unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let request: Arc<Vec<u8>> = Arc::new(
        format!(
            "GET /api/me HTTP/1.1\r\nHost: localhost:3000\r\nSec-Fetch-Dest: empty\r\nCookie: {}\r\n\r\n",
            cookie(token)
        )
        .into_bytes(),
    );
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CONNECTIONS {
        let addr = addr.clone();
        let request = request.clone();
        tasks.push(tokio::spawn(async move {
            let stream = TcpStream::connect(&addr).await.unwrap();
            stream.set_nodelay(true).unwrap();
            let mut reader = BufReader::new(stream);
            let (mut lat, mut errors) = (Vec::new(), 0usize);
            while start.elapsed() < run {
                let t = Instant::now();
                if get_me(&mut reader, &request).await != 200 {
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
    (rate, percentile(&lat, 0.5), percentile(&lat, 0.99), errors)
}

fn main() {
    let seconds: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let run = Duration::from_secs(seconds);
    let token = session_token();
    // one core: a current-thread runtime; the JWKS server runs on its own thread
    let jwks_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let api_url = jwks_rt.block_on(jwks_server());
    let raw = raw_verify(&token, run);
    let single = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let opts = options(&api_url);
    let (rate, p50, p99) = single.block_on(one_core(&opts, &token, run));
    println!("one core, {seconds} s each (same key, same token):");
    println!("  raw RS256 verify (jsonwebtoken/ring)      {raw:>9.0} /s");
    println!(
        "  authenticate_request, signed-in cookie    {rate:>9.0} /s   p50 {:.3} ms   p99 {:.3} ms",
        ms(p50),
        ms(p99)
    );
    println!(
        "  ratio to raw verify                       {:>9.1} %",
        rate / raw * 100.0
    );
    let multi = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (rate, p50, p99, errors) = multi.block_on(through_the_layer(opts, &token, run));
    println!(
        "ClerkLayer in axum on loopback, {CONNECTIONS} keep-alive connections, server and clients on the same 2 cores:"
    );
    println!(
        "  GET /api/me (SignedInAuth)                {rate:>9.0} /s   p50 {:.3} ms   p99 {:.3} ms   errors {errors}",
        ms(p50),
        ms(p99)
    );
}
