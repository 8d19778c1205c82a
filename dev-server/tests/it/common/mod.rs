//! Shared helpers of the in-process route tests: a server in memory and a browser-like client
//! that keeps its dev-browser token.
#![allow(dead_code)]

pub mod binary;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use clerk_dev_server::{app, AppState};
use serde_json::Value;
use tower::ServiceExt;

pub const KEY: &str = include_str!("../../fixtures/test-signing-key.pem");
pub const SEED: &str = include_str!("../../../seed.toml");
pub const ORIGIN: &str = "http://localhost:3000";
pub const ADA: &str = "ada+clerk_test@example.com";
pub const GRACE: &str = "grace+clerk_test@example.com";
pub const ALAN: &str = "alan+clerk_test@example.com";
pub const PASSWORD: &str = "correct-horse-battery-staple";

/// A server with the default seed.
pub fn state() -> AppState {
    state_with(SEED)
}

/// A server with another seed.
pub fn state_with(seed: &str) -> AppState {
    AppState::in_memory(seed, Some(KEY)).expect("state")
}

/// The default seed with extra TOML lines replacing sections (appended text wins when keys
/// are new; use for [instance]-free additions).
/// The default seed with phone numbers turned off.
pub fn seed_without_phones() -> String {
    seed_with(&[(
        "[attributes.phone_number]\nrequired = false\nsign_in = true\nverifications = [\"phone_code\"]\n",
        "",
    )])
}

/// The default seed with some text replaced (each `from` must be there).
pub fn seed_with(replace: &[(&str, &str)]) -> String {
    let mut s = SEED.to_owned();
    for (from, to) in replace {
        assert!(s.contains(from), "seed has no {from}");
        s = s.replacen(from, to, 1);
    }
    s
}

/// An answer: status, headers and JSON body (Null when not JSON).
pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub json: Value,
}

impl Resp {
    /// The first error code of an error envelope.
    pub fn code(&self) -> &str {
        self.json["errors"][0]["code"].as_str().unwrap_or("")
    }

    /// `meta.param_name` of the first error.
    pub fn param(&self) -> &str {
        self.json["errors"][0]["meta"]["param_name"]
            .as_str()
            .unwrap_or("")
    }

    /// Asserts a 2xx and returns the body.
    pub fn ok(self) -> Value {
        assert!(
            self.status.is_success(),
            "expected 2xx, got {}: {}",
            self.status,
            self.json
        );
        self.json
    }

    /// Asserts an error envelope with this status and code.
    pub fn err(self, status: u16, code: &str) -> Self {
        assert_eq!(self.status.as_u16(), status, "{}", self.json);
        assert_eq!(self.code(), code, "{}", self.json);
        assert!(self.json["clerk_trace_id"].is_string());
        assert!(self.json["errors"][0]["long_message"].is_string());
        self
    }
}

/// Sends one request to the app.
pub async fn send(state: &AppState, req: Request<Body>) -> Resp {
    let resp = app(state.clone()).oneshot(req).await.expect("infallible");
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .expect("body");
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    assert!(
        status.as_u16() < 500,
        "server error {status}: {}",
        String::from_utf8_lossy(&bytes)
    );
    Resp {
        status,
        headers,
        json,
    }
}

/// A browser in dev-browser mode.
pub struct Browser {
    pub state: AppState,
    pub token: String,
    pub origin: Option<String>,
}

pub fn form(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

impl Browser {
    /// Creates a dev browser on the server.
    pub async fn new(state: &AppState) -> Self {
        let r = send(
            state,
            Request::post("/v1/dev_browser")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .ok();
        let token = r["id"].as_str().expect("id").to_owned();
        assert_eq!(r["token"], r["id"]);
        Self {
            state: state.clone(),
            token,
            origin: Some(ORIGIN.into()),
        }
    }

    fn uri(&self, path: &str) -> String {
        let sep = if path.contains('?') { '&' } else { '?' };
        format!(
            "{path}{sep}__clerk_db_jwt={}&__clerk_api_version=2026-05-12&_clerk_js_version=6.40.0",
            self.token
        )
    }

    /// GET.
    pub async fn get(&self, path: &str) -> Resp {
        let mut b = Request::get(self.uri(path));
        if let Some(o) = &self.origin {
            b = b.header("origin", o);
        }
        send(&self.state, b.body(Body::empty()).unwrap()).await
    }

    /// POST a form (`method` other than POST goes as `_method`, like clerk-js).
    pub async fn call(&self, method: &str, path: &str, pairs: &[(&str, &str)]) -> Resp {
        let mut uri = self.uri(path);
        if method != "POST" {
            uri.push_str(&format!("&_method={method}"));
        }
        let mut b = Request::post(uri).header("content-type", "application/x-www-form-urlencoded");
        if let Some(o) = &self.origin {
            b = b.header("origin", o);
        }
        send(&self.state, b.body(Body::from(form(pairs))).unwrap()).await
    }

    /// POST a form.
    pub async fn post(&self, path: &str, pairs: &[(&str, &str)]) -> Resp {
        self.call("POST", path, pairs).await
    }

    /// Creates a sign-in with a password; returns the sign-in (complete, or waiting for a
    /// second factor).
    pub async fn password_sign_in(&self, identifier: &str, password: &str) -> Value {
        let r = self
            .post(
                "/v1/client/sign_ins",
                &[
                    ("identifier", identifier),
                    ("password", password),
                    ("strategy", "password"),
                ],
            )
            .await
            .ok();
        r["response"].clone()
    }

    /// Sends the test code the long way: `POST {base}/prepare_{step}` with `strategy`, then
    /// `POST {base}/attempt_{step}` with code 424242 (`step` is `verification` or
    /// `first_factor`); returns the attempt's answer.
    pub async fn prepare_and_attempt(&self, base: &str, step: &str, strategy: &str) -> Value {
        self.post(&format!("{base}/prepare_{step}"), &[("strategy", strategy)])
            .await
            .ok();
        self.post(
            &format!("{base}/attempt_{step}"),
            &[("strategy", strategy), ("code", "424242")],
        )
        .await
        .ok()
    }

    /// Signs in with a password in one call; returns the session id.
    pub async fn sign_in(&self, identifier: &str, password: &str) -> String {
        let si = self.password_sign_in(identifier, password).await;
        assert_eq!(si["status"], "complete", "{si}");
        si["created_session_id"].as_str().unwrap().to_owned()
    }

    /// Mints a session token.
    pub async fn token(&self, session: &str, pairs: &[(&str, &str)]) -> Value {
        let r = self
            .post(&format!("/v1/client/sessions/{session}/tokens"), pairs)
            .await
            .ok();
        assert_eq!(r["object"], "token");
        claims(r["jwt"].as_str().unwrap())
    }
}

/// The payload of a JWT (not verified).
pub fn claims(jwt: &str) -> Value {
    use base64::Engine;
    let part = jwt.split('.').nth(1).expect("payload");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .expect("base64");
    serde_json::from_slice(&bytes).expect("json")
}

/// The latest code sent to an identifier, from the dev endpoint.
pub async fn latest_code(state: &AppState, identifier: &str) -> String {
    let uri = format!(
        "/v1/__dev/codes?identifier={}",
        form(&[("x", identifier)]).trim_start_matches("x=")
    );
    let r = send(state, Request::get(uri).body(Body::empty()).unwrap())
        .await
        .ok();
    r["latest"].as_str().expect("a code was sent").to_owned()
}

/// The `Set-Cookie` values of an answer.
pub fn set_cookies(r: &Resp) -> Vec<String> {
    r.headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

/// The `Set-Cookie` value for cookie `name`, if the answer sets it.
pub fn set_cookie(r: &Resp, name: &str) -> Option<String> {
    set_cookies(r)
        .into_iter()
        .find(|c| c.split('=').next() == Some(name))
}

/// A GET with `Authorization: Bearer <key>` (the Backend API).
pub async fn bapi_get(state: &AppState, path: &str, key: Option<&str>) -> Resp {
    let mut b = Request::get(path);
    if let Some(key) = key {
        b = b.header("authorization", format!("Bearer {key}"));
    }
    send(state, b.body(Body::empty()).unwrap()).await
}

/// A browser of the production instance: no dev browser, FAPI's `__client` cookie.
pub struct CookieBrowser {
    pub state: AppState,
    /// `__client=…`, once FAPI set it.
    pub cookie: Option<String>,
    /// Extra headers sent with every request.
    pub headers: Vec<(&'static str, String)>,
}

impl CookieBrowser {
    pub fn new(state: &AppState) -> Self {
        Self {
            state: state.clone(),
            cookie: None,
            headers: Vec::new(),
        }
    }

    /// Sends a request with the `__client` cookie, keeping a new one FAPI sets.
    pub async fn send(&mut self, method: &str, path: &str, pairs: &[(&str, &str)]) -> Resp {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header("origin", ORIGIN)
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(c) = &self.cookie {
            b = b.header("cookie", c);
        }
        for (k, v) in &self.headers {
            b = b.header(*k, v);
        }
        let r = send(&self.state, b.body(Body::from(form(pairs))).unwrap()).await;
        if let Some(c) = set_cookie(&r, "__client") {
            self.cookie = Some(c.split(';').next().unwrap().to_owned());
        }
        r
    }

    /// Signs in with a password; returns the session id.
    pub async fn sign_in(&mut self, identifier: &str, password: &str) -> String {
        let r = self
            .send(
                "POST",
                "/v1/client/sign_ins",
                &[
                    ("identifier", identifier),
                    ("password", password),
                    ("strategy", "password"),
                ],
            )
            .await
            .ok();
        assert_eq!(r["response"]["status"], "complete", "{r}");
        r["response"]["created_session_id"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

/// Verifies an RS256 JWT with `jsonwebtoken` against the Backend API's JWKS (fetched with the
/// secret key) and returns its claims; the expiry is checked, the audience is not.
pub async fn verify_with_jwks(state: &AppState, jwt: &str) -> Value {
    use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
    let jwks = bapi_get(state, "/v1/jwks", Some(&state.secret_key))
        .await
        .ok();
    let kid = decode_header(jwt).unwrap().kid.expect("kid");
    let key = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == kid.as_str())
        .expect("the kid is in the JWKS");
    let key =
        DecodingKey::from_rsa_components(key["n"].as_str().unwrap(), key["e"].as_str().unwrap())
            .unwrap();
    let mut validation = Validation::new(Algorithm::RS256);
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    decode::<Value>(jwt, &key, &validation)
        .expect("verifies against the JWKS")
        .claims
}
