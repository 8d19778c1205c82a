//! The JWKS cache against a real HTTP server on loopback, and bad input of every kind: always
//! signed out (or a handshake) with a reason, never a panic, never signed in.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, UNIX_EPOCH};

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clerk_backend::{
    AuthStatus, AuthenticateRequestOptions, TokenVerificationErrorReason as R, VerifyTokenOptions,
    authenticate_request, verify_token,
};
use rsa::pkcs8::DecodePublicKey;
use rsa::traits::PublicKeyParts;
use serde_json::json;
use support::*;

/// A Backend API serving the instance's JWKS to one secret key, counting the fetches.
async fn bapi() -> (String, Arc<AtomicUsize>) {
    let key = rsa::RsaPublicKey::from_public_key_pem(INSTANCE_PUBLIC_KEY).unwrap();
    let jwks = json!({"keys": [{
        "kid": "ins_test", "kty": "RSA", "alg": "RS256", "use": "sig",
        "n": URL_SAFE_NO_PAD.encode(key.n().to_bytes_be()),
        "e": URL_SAFE_NO_PAD.encode(key.e().to_bytes_be()),
    }]});
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let app = Router::new().route(
        "/v1/jwks",
        get(move |headers: HeaderMap| {
            let jwks = jwks.clone();
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(20)).await;
                if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some("Bearer sk_test_jwks") {
                    let body = json!({"errors": [{"code": "clerk_key_invalid", "message": "The provided Clerk Secret Key is invalid."}]});
                    return (StatusCode::UNAUTHORIZED, axum::Json(body));
                }
                assert_eq!(headers["clerk-api-version"], "2026-05-12");
                (StatusCode::OK, axum::Json(jwks))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, hits)
}

fn at_now(mut o: VerifyTokenOptions) -> VerifyTokenOptions {
    o.now = Some(UNIX_EPOCH + Duration::from_secs(NOW as u64));
    o
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_jwks_is_fetched_once_per_instance_and_refetched_on_an_unknown_kid() {
    let (url, hits) = bapi().await;
    let opts = at_now(VerifyTokenOptions::with_secret_key("sk_test_jwks").api_url(&url));
    // many requests at once on a cold cache: one fetch
    let t = token(DEV_FAPI, -10);
    let all = futures_join(20, || verify_token(&t, &opts)).await;
    assert!(all.iter().all(Result::is_ok), "{all:?}");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    assert_eq!(all[0].as_ref().unwrap().subject(), "user_1");
    // warm: no fetch
    verify_token(&t, &opts).await.unwrap();
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    // an unknown kid within 5 s of the last fetch: refused without a fetch
    let other_kid = sign(
        INSTANCE_KEY,
        json!({"alg": "RS256", "kid": "ins_other", "typ": "JWT"}),
        session_claims(DEV_FAPI, -10),
    );
    let e = verify_token(&other_kid, &opts).await.unwrap_err();
    assert_eq!(e.reason, R::JwkKidMismatch);
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    // skip_jwks_cache fetches every time
    let mut skip = opts.clone();
    skip.skip_jwks_cache = true;
    verify_token(&t, &skip).await.unwrap();
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    // after 5 s an unknown kid refetches once
    tokio::time::sleep(Duration::from_millis(5100)).await;
    assert_eq!(
        verify_token(&other_kid, &opts).await.unwrap_err().reason,
        R::JwkKidMismatch
    );
    assert_eq!(hits.load(Ordering::SeqCst), 3);
    assert_eq!(
        verify_token(&other_kid, &opts).await.unwrap_err().reason,
        R::JwkKidMismatch
    );
    assert_eq!(hits.load(Ordering::SeqCst), 3);
    // another secret key is another instance: its own cache, and the Backend API refuses it
    let wrong = at_now(VerifyTokenOptions::with_secret_key("sk_test_wrong").api_url(&url));
    let e = verify_token(&t, &wrong).await.unwrap_err();
    assert_eq!(e.reason, R::SecretKeyInvalid);
    assert_eq!(e.message, "The provided Clerk Secret Key is invalid.");
    // nothing listening
    let down =
        at_now(VerifyTokenOptions::with_secret_key("sk_test_jwks").api_url("http://127.0.0.1:9"));
    assert_eq!(
        verify_token(&t, &down).await.unwrap_err().reason,
        R::JwkRemoteFailedToLoad
    );
    // neither key
    assert_eq!(
        verify_token(&t, &VerifyTokenOptions::default())
            .await
            .unwrap_err()
            .reason,
        R::JwkFailedToResolve
    );
}

async fn futures_join<F, Fut, T>(n: usize, f: F) -> Vec<T>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut pending: Vec<std::pin::Pin<Box<Fut>>> = (0..n).map(|_| Box::pin(f())).collect();
    let mut out: Vec<Option<T>> = (0..n).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut done = true;
        for (i, fut) in pending.iter_mut().enumerate() {
            if out[i].is_none() {
                match fut.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => out[i] = Some(v),
                    std::task::Poll::Pending => done = false,
                }
            }
        }
        if done {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    out.into_iter().map(Option::unwrap).collect()
}

#[tokio::test]
async fn a_pem_key_of_any_rsa_size_verifies_networkless() {
    let opts = at_now(VerifyTokenOptions::with_jwt_key(INSTANCE_PUBLIC_KEY));
    assert!(verify_token(&token(DEV_FAPI, -10), &opts).await.is_ok());
    let bad_pem = at_now(VerifyTokenOptions::with_jwt_key(
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
    ));
    assert_eq!(
        verify_token(&token(DEV_FAPI, -10), &bad_pem)
            .await
            .unwrap_err()
            .reason,
        R::TokenVerificationFailed
    );
    // the issuer check, when asked for
    let mut with_iss = opts.clone();
    with_iss.issuer = Some(format!("https://{DEV_FAPI}"));
    assert!(verify_token(&token(DEV_FAPI, -10), &with_iss).await.is_ok());
    assert_eq!(
        verify_token(&token("evil.clerk.accounts.dev", -10), &with_iss)
            .await
            .unwrap_err()
            .reason,
        R::TokenInvalidIssuer
    );
}

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[tokio::test]
async fn bad_input_is_signed_out_with_a_reason_never_a_panic() {
    let mut opts = AuthenticateRequestOptions::new(dev_pk(), "sk_test_bad");
    opts.jwt_key = Some(INSTANCE_PUBLIC_KEY.into());
    opts.api_url = "http://127.0.0.1:9".into();
    opts.now = Some(UNIX_EPOCH + Duration::from_secs(NOW as u64));
    let valid = token(DEV_FAPI, -10);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let alphabet: Vec<char> = "ab=;,% \t\"\\.-_~é0".chars().collect();
    let mut inputs: Vec<(String, String)> = Vec::new();
    // every truncation and many single-character changes of a valid token
    for cut in (1..valid.len()).step_by(9) {
        inputs.push(("authorization".into(), format!("Bearer {}", &valid[..cut])));
    }
    for _ in 0..300 {
        let mut chars: Vec<char> = valid.chars().collect();
        // not the signature, nor a segment's last character (its spare bits may not count)
        let i = rng.below(valid.rfind('.').unwrap());
        if chars.get(i + 1) == Some(&'.') {
            continue;
        }
        let replacement = alphabet[rng.below(alphabet.len())];
        if chars[i] == replacement {
            continue;
        }
        chars[i] = replacement;
        let t: String = chars.into_iter().collect();
        if rng.below(2) == 0 {
            inputs.push(("authorization".into(), format!("Bearer {t}")));
        } else {
            inputs.push((
                "cookie".into(),
                format!("__clerk_db_jwt=d; __session={t}; __client_uat=1"),
            ));
        }
    }
    // random cookie headers
    for _ in 0..300 {
        let len = rng.below(200);
        let s: String = (0..len)
            .map(|_| alphabet[rng.below(alphabet.len())])
            .collect();
        inputs.push((
            "cookie".into(),
            format!("__session={s}; __client_uat={s}; {s}"),
        ));
    }
    // oversized
    inputs.push((
        "cookie".into(),
        format!(
            "__clerk_db_jwt=d; __session={}; __client_uat=1",
            "e".repeat(64 * 1024)
        ),
    ));
    inputs.push((
        "authorization".into(),
        format!(
            "Bearer {}.{}.{}",
            "a".repeat(30_000),
            "b".repeat(30_000),
            "c"
        ),
    ));
    let mut checked = 0;
    for (name, value) in &inputs {
        let Ok(v) = http::HeaderValue::from_bytes(value.as_bytes()) else {
            continue;
        };
        let (mut parts, ()) = http::Request::get("http://localhost:3000/api")
            .header("sec-fetch-dest", "empty")
            .body(())
            .unwrap()
            .into_parts();
        parts
            .headers
            .insert(http::HeaderName::from_bytes(name.as_bytes()).unwrap(), v);
        let state = authenticate_request(&parts, &opts).await;
        assert_ne!(state.status, AuthStatus::SignedIn, "{name}: {value}");
        assert!(state.reason.is_some(), "{name}: {value}");
        checked += 1;
    }
    assert!(checked > 500, "{checked}");
}
