//! Test instances, keys and token minting shared by the integration tests.
#![allow(dead_code)]

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Value, json};

pub const INSTANCE_KEY: &str = include_str!("keys/instance.pem");
pub const INSTANCE_PUBLIC_KEY: &str = include_str!("keys/instance.pub.pem");
pub const OTHER_KEY: &str = include_str!("keys/other.pem");

/// A development instance (dev-browser host) and a production one.
pub const DEV_FAPI: &str = "happy-hippo-1.clerk.accounts.dev";
pub const PROD_FAPI: &str = "clerk.example.com";

pub fn publishable_key(fapi: &str, live: bool) -> String {
    let payload = STANDARD.encode(format!("{fapi}$"));
    format!(
        "pk_{}_{}",
        if live { "live" } else { "test" },
        payload.trim_end_matches('=')
    )
}

pub fn dev_pk() -> String {
    publishable_key(DEV_FAPI, false)
}

pub fn prod_pk() -> String {
    publishable_key(PROD_FAPI, true)
}

/// Seconds of the fixed clock the tests run at.
pub const NOW: i64 = 1_790_000_000;

/// Signs `claims` with `header` (RS256 unless the header says otherwise) using a PEM key.
pub fn sign(pem: &str, header: Value, claims: Value) -> String {
    let h = URL_SAFE_NO_PAD.encode(header.to_string());
    let p = URL_SAFE_NO_PAD.encode(claims.to_string());
    let message = format!("{h}.{p}");
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(pem.as_bytes()).expect("test key");
    let sig = jsonwebtoken::crypto::sign(message.as_bytes(), &key, jsonwebtoken::Algorithm::RS256)
        .expect("sign");
    format!("{message}.{sig}")
}

pub fn session_header() -> Value {
    json!({"alg": "RS256", "kid": "ins_test", "typ": "JWT", "cat": "cl_B7d4PD111AAA"})
}

/// Session claims of `user_1` / `sess_1` issued `iat_offset` seconds from NOW, living 60 s.
pub fn session_claims(iss_host: &str, iat_offset: i64) -> Value {
    let iat = NOW + iat_offset;
    json!({
        "iss": format!("https://{iss_host}"),
        "sub": "user_1",
        "sid": "sess_1",
        "azp": "http://localhost:3000",
        "iat": iat,
        "nbf": iat - 10,
        "exp": iat + 60,
        "v": 2,
        "fva": [3, -1],
    })
}

pub fn token(iss_host: &str, iat_offset: i64) -> String {
    sign(
        INSTANCE_KEY,
        session_header(),
        session_claims(iss_host, iat_offset),
    )
}

/// A token with claims changed by `edit`.
pub fn token_with(
    iss_host: &str,
    edit: impl FnOnce(&mut serde_json::Map<String, Value>),
) -> String {
    let mut claims = session_claims(iss_host, -10);
    edit(claims.as_object_mut().unwrap());
    sign(INSTANCE_KEY, session_header(), claims)
}
