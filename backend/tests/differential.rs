//! Differential test: every case goes through our `authenticate_request` and through the
//! official `@clerk/backend` (npm, pinned in e2e/package.json), with the same keys and the same
//! fixed clock; status, reason, message, redirect (origin, path, parameters), cookie names set,
//! the other response headers and the user id must agree.
//!
//! Needs Node and `e2e/node_modules` (`./test.sh` installs both; or `npm ci` in e2e/).

mod support;

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, UNIX_EPOCH};

use clerk_backend::{AuthenticateRequestOptions, authenticate_request};
use serde_json::{Value, json};
use support::*;

const APP: &str = "http://localhost:3000";
const PROD_APP: &str = "https://example.com";
const UNREACHABLE_BAPI: &str = "http://127.0.0.1:9";

struct Case {
    name: String,
    method: &'static str,
    url: String,
    headers: Vec<(String, String)>,
    options: Value,
    /// Clerk throws where we answer signed out (its 500 "mismatched keys" errors).
    clerk_throws: bool,
}

fn dev_options() -> Value {
    json!({"publishableKey": dev_pk(), "secretKey": "sk_test_differential", "jwtKey": INSTANCE_PUBLIC_KEY, "apiUrl": UNREACHABLE_BAPI})
}

fn prod_options() -> Value {
    json!({"publishableKey": prod_pk(), "secretKey": "sk_live_differential", "jwtKey": INSTANCE_PUBLIC_KEY, "apiUrl": UNREACHABLE_BAPI})
}

const DOC: &[(&str, &str)] = &[
    ("sec-fetch-dest", "document"),
    ("accept", "text/html,application/xhtml+xml"),
];
const API: &[(&str, &str)] = &[("sec-fetch-dest", "empty"), ("accept", "*/*")];

struct B {
    case: Case,
    cookies: Vec<(String, String)>,
}

fn case(name: &str, prod: bool) -> B {
    let (url, options) = if prod {
        (format!("{PROD_APP}/dashboard?tab=1"), prod_options())
    } else {
        (format!("{APP}/dashboard?tab=1"), dev_options())
    };
    B {
        case: Case {
            name: name.into(),
            method: "GET",
            url,
            headers: Vec::new(),
            options,
            clerk_throws: false,
        },
        cookies: Vec::new(),
    }
}

impl B {
    fn doc(mut self) -> Self {
        self.case
            .headers
            .extend(DOC.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        self
    }
    fn api(mut self) -> Self {
        self.case
            .headers
            .extend(API.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        self
    }
    fn header(mut self, k: &str, v: &str) -> Self {
        self.case.headers.push((k.into(), v.into()));
        self
    }
    fn cookie(mut self, k: &str, v: &str) -> Self {
        self.cookies.push((k.into(), v.into()));
        self
    }
    fn db(self) -> Self {
        self.cookie("__clerk_db_jwt", "dvb_test_browser")
    }
    fn session(self, token: &str, uat: i64) -> Self {
        self.cookie("__session", token)
            .cookie("__client_uat", &uat.to_string())
    }
    fn method(mut self, m: &'static str) -> Self {
        self.case.method = m;
        self
    }
    fn url(mut self, u: &str) -> Self {
        self.case.url = u.into();
        self
    }
    fn opt(mut self, k: &str, v: Value) -> Self {
        self.case.options[k] = v;
        self
    }
    fn throws(mut self) -> Self {
        self.case.clerk_throws = true;
        self
    }
    fn done(mut self) -> Case {
        if !self.cookies.is_empty() {
            let c = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            self.case.headers.push(("cookie".into(), c));
        }
        self.case
    }
}

fn suffix(pk: &str) -> String {
    clerk_backend::core::cookies::cookie_suffix(pk)
}

fn handshake_token(directives: &[String], pem: &str, cat: Option<&str>) -> String {
    let mut header = json!({"alg": "RS256", "kid": "ins_test", "typ": "JWT"});
    if let Some(c) = cat {
        header["cat"] = json!(c);
    }
    sign(pem, header, json!({"handshake": directives}))
}

fn cases() -> Vec<Case> {
    let dev = DEV_FAPI;
    let prod = PROD_FAPI;
    let valid = token(dev, -10);
    let uat = NOW - 20;
    let expired = token(dev, -120);
    let future_iat = token_with(dev, |c| {
        c.insert("iat".into(), json!(NOW + 60));
        c.insert("nbf".into(), json!(NOW - 10));
    });
    let future_nbf = token_with(dev, |c| {
        c.insert("nbf".into(), json!(NOW + 60));
    });
    let other_sig = sign(OTHER_KEY, session_header(), session_claims(dev, -10));
    let template = sign(
        INSTANCE_KEY,
        json!({"alg": "RS256", "kid": "ins_test", "typ": "JWT", "cat": "cl_B7d4PD222AAA"}),
        session_claims(dev, -10),
    );
    let m2m_cat = sign(
        INSTANCE_KEY,
        json!({"alg": "RS256", "kid": "ins_test", "typ": "JWT", "cat": "cl_B7d4PD333AAA"}),
        session_claims(dev, -10),
    );
    let machine_sub = token_with(dev, |c| {
        c.insert("sub".into(), json!("mch_123"));
    });
    let oauth_typ = sign(
        INSTANCE_KEY,
        json!({"alg": "RS256", "kid": "ins_test", "typ": "at+jwt"}),
        session_claims(dev, -10),
    );
    let hs256 = {
        let t = token(dev, -10);
        let mut parts: Vec<String> = t.split('.').map(str::to_owned).collect();
        parts[0] = base64_url(&json!({"alg": "HS256", "typ": "JWT"}).to_string());
        parts.join(".")
    };
    let no_azp = token_with(dev, |c| {
        c.remove("azp");
    });
    let wrong_azp = token_with(dev, |c| {
        c.insert("azp".into(), json!("https://evil.example"));
    });
    let no_iss = token_with(dev, |c| {
        c.remove("iss");
    });
    let foreign_iss = token_with(dev, |c| {
        c.insert("iss".into(), json!("https://other-app.clerk.accounts.dev"));
    });
    let pending = token_with(dev, |c| {
        c.insert("sts".into(), json!("pending"));
    });
    let with_org = token_with(dev, |c| {
        c.insert(
            "o".into(),
            json!({"id": "org_1", "slg": "acme", "rol": "admin", "per": "read,manage", "fpm": "3"}),
        );
        c.insert("fea".into(), json!("o:billing"));
    });
    let aud_y = token_with(dev, |c| {
        c.insert("aud".into(), json!("y"));
    });
    let no_exp = token_with(dev, |c| {
        c.remove("exp");
    });
    let truncated = valid[..valid.len() - 20].to_owned();
    let prod_valid = token(prod, -10);
    let prod_expired = token(prod, -120);
    let dsfx = suffix(&dev_pk());
    let psfx = suffix(&prod_pk());
    let s = |name: &str, sfx: &str| format!("{name}_{sfx}");
    let dir_session = |t: &str| format!("__session={t}; Path=/; SameSite=Lax");
    let dir_uat = |v: i64| format!("__client_uat={v}; Path=/; SameSite=Strict");
    let good_handshake = handshake_token(&[dir_session(&valid), dir_uat(uat)], INSTANCE_KEY, None);
    let signed_out_handshake = handshake_token(
        &["__session=; Path=/; Max-Age=0".to_owned(), dir_uat(0)],
        INSTANCE_KEY,
        None,
    );
    let bad_handshake = handshake_token(&[dir_session(&valid)], OTHER_KEY, None);
    let template_handshake = handshake_token(
        &[dir_session(&valid)],
        INSTANCE_KEY,
        Some("cl_B7d4PD222AAA"),
    );
    let prod_handshake = handshake_token(
        &[dir_session(&prod_valid), dir_uat(uat)],
        INSTANCE_KEY,
        None,
    );
    let big = "x".repeat(8000);

    vec![
        // development: the dev browser
        case("dev: nothing, document", false).doc().done(),
        case("dev: nothing, fetch", false).api().done(),
        case("dev: dev browser only", false).doc().db().done(),
        case("dev: signed in", false)
            .doc()
            .db()
            .session(&valid, uat)
            .done(),
        case("dev: signed in, fetch", false)
            .api()
            .db()
            .session(&valid, uat)
            .done(),
        case("dev: session without client_uat", false)
            .doc()
            .db()
            .cookie("__session", &valid)
            .done(),
        case("dev: session with client_uat 0", false)
            .doc()
            .db()
            .session(&valid, 0)
            .done(),
        case("dev: client_uat without session", false)
            .doc()
            .db()
            .cookie("__client_uat", "123")
            .done(),
        case("dev: client_uat without session, fetch", false)
            .api()
            .db()
            .cookie("__client_uat", "123")
            .done(),
        case("dev: session, no dev browser", false)
            .doc()
            .session(&valid, uat)
            .done(),
        case("dev: expired, document", false)
            .doc()
            .db()
            .session(&expired, uat - 200)
            .done(),
        case("dev: expired, fetch", false)
            .api()
            .db()
            .session(&expired, uat - 200)
            .done(),
        case("dev: expired, POST document", false)
            .method("POST")
            .doc()
            .db()
            .session(&expired, uat - 200)
            .done(),
        case("dev: iat in the future", false)
            .doc()
            .db()
            .session(&future_iat, uat)
            .done(),
        case("dev: nbf in the future", false)
            .doc()
            .db()
            .session(&future_nbf, uat)
            .done(),
        case("dev: iat before client_uat", false)
            .doc()
            .db()
            .session(&valid, NOW - 5)
            .done(),
        case("dev: signed by another key", false)
            .doc()
            .db()
            .session(&other_sig, uat)
            .done(),
        case("dev: garbage session", false)
            .doc()
            .db()
            .session("not-a-jwt", uat)
            .done(),
        case("dev: truncated session", false)
            .doc()
            .db()
            .session(&truncated, uat)
            .done(),
        case("dev: template token in cookie", false)
            .doc()
            .db()
            .session(&template, uat)
            .done(),
        case("dev: M2M category in cookie", false)
            .doc()
            .db()
            .session(&m2m_cat, uat)
            .done(),
        case("dev: machine subject in cookie", false)
            .doc()
            .db()
            .session(&machine_sub, uat)
            .done(),
        case("dev: OAuth typ in cookie", false)
            .doc()
            .db()
            .session(&oauth_typ, uat)
            .done(),
        case("dev: HS256 header", false)
            .doc()
            .db()
            .session(&hs256, uat)
            .done(),
        case("dev: no exp", false)
            .api()
            .db()
            .session(&no_exp, uat)
            .done(),
        case("dev: wrong azp", false)
            .api()
            .db()
            .session(&wrong_azp, uat)
            .opt("authorizedParties", json!([APP]))
            .done(),
        case("dev: no azp, parties set", false)
            .api()
            .db()
            .session(&no_azp, uat)
            .opt("authorizedParties", json!([APP]))
            .done(),
        case("dev: no azp, no parties", false)
            .api()
            .db()
            .session(&no_azp, uat)
            .done(),
        case("dev: azp listed", false)
            .api()
            .db()
            .session(&valid, uat)
            .opt("authorizedParties", json!([APP, "https://other"]))
            .done(),
        case("dev: audience mismatch", false)
            .api()
            .db()
            .session(&aud_y, uat)
            .opt("audience", json!(["x"]))
            .done(),
        case("dev: audience match", false)
            .api()
            .db()
            .session(&aud_y, uat)
            .opt("audience", json!(["x", "y"]))
            .done(),
        case("dev: pending session", false)
            .api()
            .db()
            .session(&pending, uat)
            .done(),
        case("dev: organization claims v2", false)
            .api()
            .db()
            .session(&with_org, uat)
            .done(),
        // the loop guard
        case("dev: redirect count 2", false)
            .doc()
            .db()
            .session(&expired, uat - 200)
            .cookie("__clerk_redirect_count", "2")
            .done(),
        case("dev: redirect count 3", false)
            .doc()
            .db()
            .session(&expired, uat - 200)
            .cookie("__clerk_redirect_count", "3")
            .done(),
        case("dev: redirect count 4", false)
            .doc()
            .db()
            .session(&expired, uat - 200)
            .cookie("__clerk_redirect_count", "4")
            .done(),
        case("dev: redirect count garbage", false)
            .doc()
            .db()
            .session(&expired, uat - 200)
            .cookie("__clerk_redirect_count", "abc")
            .done(),
        // the dev browser in the URL
        case("dev: dev browser in URL", false)
            .doc()
            .url(&format!("{APP}/p?__clerk_db_jwt=dvb_url&a=1"))
            .done(),
        case("dev: dev browser in URL, fetch", false)
            .api()
            .url(&format!("{APP}/p?__clerk_db_jwt=dvb_url"))
            .done(),
        case("dev: legacy dev session in URL", false)
            .doc()
            .db()
            .session(&expired, 1)
            .url(&format!("{APP}/p?__dev_session=x&b=2"))
            .done(),
        // sec-fetch-dest rules
        case("dev: no sec-fetch-dest, Accept text/html", false)
            .header("accept", "text/html")
            .db()
            .session(&expired, 1)
            .done(),
        case("dev: iframe", false)
            .header("sec-fetch-dest", "iframe")
            .db()
            .session(&expired, 1)
            .done(),
        case("dev: no sec-fetch-dest, Accept json", false)
            .header("accept", "application/json")
            .db()
            .session(&expired, 1)
            .done(),
        case("dev: sec-fetch-dest script", false)
            .header("sec-fetch-dest", "script")
            .db()
            .session(&expired, 1)
            .done(),
        // suffixed cookies
        case("dev: suffixed only", false)
            .api()
            .cookie(&s("__clerk_db_jwt", &dsfx), "dvb_sfx")
            .cookie(&s("__session", &dsfx), &valid)
            .cookie(&s("__client_uat", &dsfx), &uat.to_string())
            .done(),
        case("dev: both, unsuffixed from another instance", false)
            .api()
            .db()
            .cookie("__session", &foreign_iss)
            .cookie("__client_uat", "5")
            .cookie(&s("__clerk_db_jwt", &dsfx), "dvb_sfx")
            .cookie(&s("__session", &dsfx), &valid)
            .cookie(&s("__client_uat", &dsfx), &uat.to_string())
            .done(),
        case("dev: unsuffixed without iss", false)
            .api()
            .db()
            .session(&no_iss, uat)
            .cookie(&s("__session", &dsfx), &valid)
            .cookie(&s("__client_uat", &dsfx), &uat.to_string())
            .done(),
        case("dev: suffixed uat 0, unsuffixed signed in", false)
            .api()
            .db()
            .session(&valid, uat)
            .cookie(&s("__client_uat", &dsfx), "0")
            .done(),
        case("dev: suffixed session without suffixed uat", false)
            .api()
            .db()
            .session(&valid, uat)
            .cookie(&s("__session", &dsfx), &expired)
            .done(),
        case("dev: suffixed expired, unsuffixed uat 0", false)
            .doc()
            .db()
            .cookie("__client_uat", "0")
            .cookie(&s("__session", &dsfx), &expired)
            .cookie(&s("__client_uat", &dsfx), "5")
            .done(),
        // the Authorization header
        case("header: valid", false)
            .api()
            .header("authorization", &format!("Bearer {valid}"))
            .done(),
        case("header: expired, fetch", false)
            .api()
            .header("authorization", &format!("Bearer {expired}"))
            .done(),
        case("header: expired, document", false)
            .doc()
            .db()
            .header("authorization", &format!("Bearer {expired}"))
            .done(),
        case("header: garbage", false)
            .api()
            .header("authorization", "Bearer garbage")
            .done(),
        case("header: template token", false)
            .api()
            .header("authorization", &format!("Bearer {template}"))
            .done(),
        case("header: machine subject", false)
            .api()
            .header("authorization", &format!("Bearer {machine_sub}"))
            .done(),
        case("header: Basic scheme", false)
            .doc()
            .header("authorization", "Basic dXNlcjpwYXNz")
            .done(),
        case("header: lowercase bearer", false)
            .api()
            .header("authorization", &format!("bearer {valid}"))
            .done(),
        case("header: Bearer and nothing", false)
            .api()
            .header("authorization", "Bearer ")
            .done(),
        case("header: bare token", false)
            .api()
            .header("authorization", &valid)
            .done(),
        case("header: wrong azp", false)
            .api()
            .header("authorization", &format!("Bearer {wrong_azp}"))
            .opt("authorizedParties", json!([APP]))
            .done(),
        case("header: wins over cookies", false)
            .api()
            .db()
            .session(&expired, 1)
            .header("authorization", &format!("Bearer {valid}"))
            .done(),
        // public URL and proxies
        case("forwarded host and proto", false)
            .doc()
            .db()
            .session(&expired, 1)
            .header("x-forwarded-host", "app.example.org, proxy")
            .header("x-forwarded-proto", "https")
            .done(),
        case("relative proxy URL", false)
            .doc()
            .db()
            .session(&expired, 1)
            .opt("proxyUrl", json!("/__clerk"))
            .done(),
        case("absolute proxy URL", false)
            .doc()
            .db()
            .session(&expired, 1)
            .opt("proxyUrl", json!("http://127.0.0.1:4010/"))
            .done(),
        // handshake payloads coming back
        case("dev: handshake token in URL", false)
            .doc()
            .url(&format!(
                "{APP}/p?a=1&__clerk_handshake={good_handshake}&__clerk_db_jwt=dvb"
            ))
            .done(),
        case("dev: handshake token, signed out", false)
            .doc()
            .url(&format!("{APP}/p?__clerk_handshake={signed_out_handshake}"))
            .done(),
        case("dev: handshake token, other key", false)
            .doc()
            .url(&format!("{APP}/p?__clerk_handshake={bad_handshake}"))
            .throws()
            .done(),
        case("dev: handshake token, template category", false)
            .doc()
            .url(&format!("{APP}/p?__clerk_handshake={template_handshake}"))
            .throws()
            .done(),
        case("dev: handshake nonce, Backend API down", false)
            .doc()
            .db()
            .session(&valid, uat)
            .url(&format!("{APP}/p?__clerk_handshake_nonce=abc"))
            .done(),
        case("prod: handshake token cookie", true)
            .doc()
            .cookie("__clerk_handshake", &prod_handshake)
            .done(),
        case("prod: handshake token cookie, other key", true)
            .doc()
            .cookie("__clerk_handshake", &bad_handshake)
            .session(&prod_valid, uat)
            .done(),
        // satellites and the primary
        case("dev: primary answers a satellite", false)
            .doc()
            .db()
            .url(&format!(
                "{APP}/sign-in?__clerk_redirect_url=https%3A%2F%2Fsat.example%2Fx%3Fy%3D1"
            ))
            .done(),
        case("dev: cross-origin referrer", false)
            .doc()
            .db()
            .session(&valid, uat)
            .header("referer", "https://sat.example/")
            .done(),
        case("dev: referrer from the account portal", false)
            .doc()
            .db()
            .session(&valid, uat)
            .header("referer", "https://happy-hippo-1.accounts.dev/sign-in")
            .done(),
        case("dev: cross-origin referrer, loop counter 1", false)
            .doc()
            .db()
            .session(&valid, uat)
            .header("referer", "https://sat.example/")
            .cookie("__clerk_redirect_count", "1")
            .done(),
        case("dev satellite: not synced", false)
            .doc()
            .url("http://sat.localhost:4000/p?__clerk_synced=false")
            .opt("isSatellite", json!(true))
            .opt("domain", json!("sat.localhost"))
            .opt("signInUrl", json!("http://localhost:3000/sign-in"))
            .done(),
        case("dev satellite: first visit", false)
            .doc()
            .url("http://sat.localhost:4000/p")
            .opt("isSatellite", json!(true))
            .opt("domain", json!("sat.localhost"))
            .opt("signInUrl", json!("http://localhost:3000/sign-in"))
            .done(),
        case("prod satellite: first visit", true)
            .doc()
            .url("https://sat.example/p")
            .opt("isSatellite", json!(true))
            .opt("domain", json!("sat.example"))
            .done(),
        case("prod satellite: auto sync", true)
            .doc()
            .url("https://sat.example/p")
            .opt("isSatellite", json!(true))
            .opt("domain", json!("sat.example"))
            .opt("satelliteAutoSync", json!(true))
            .done(),
        case("prod satellite: needs sync", true)
            .doc()
            .url("https://sat.example/p?__clerk_synced=false")
            .session(&prod_valid, uat)
            .opt("isSatellite", json!(true))
            .opt("domain", json!("sat.example"))
            .done(),
        case("prod satellite: synced", true)
            .doc()
            .url("https://sat.example/p?__clerk_synced=true")
            .session(&prod_valid, uat)
            .opt("isSatellite", json!(true))
            .opt("domain", json!("sat.example"))
            .done(),
        // production
        case("prod: nothing", true).doc().done(),
        case("prod: signed in", true)
            .doc()
            .session(&prod_valid, uat)
            .done(),
        case("prod: expired, document", true)
            .doc()
            .session(&prod_expired, 1)
            .done(),
        case("prod: expired, fetch", true)
            .api()
            .session(&prod_expired, 1)
            .done(),
        case("prod: session without client_uat", true)
            .doc()
            .cookie("__session", &prod_valid)
            .done(),
        case("prod: expired with refresh cookie, Backend API down", true)
            .doc()
            .session(&prod_expired, 1)
            .cookie(&s("__refresh", &psfx), "rt_1")
            .done(),
        case("prod: expired with refresh cookie, POST", true)
            .method("POST")
            .doc()
            .session(&prod_expired, 1)
            .cookie(&s("__refresh", &psfx), "rt_1")
            .done(),
        case("prod: dev-instance token", true)
            .api()
            .session(&valid, uat)
            .done(),
        // bad input
        case("garbage cookie header", false)
            .doc()
            .header("cookie", ";;==;__session;=x;\t__client_uat=\t12")
            .done(),
        case("oversized cookie", false)
            .api()
            .db()
            .session(&big, uat)
            .done(),
        case("percent-encoded cookie", false)
            .api()
            .cookie("__clerk_db_jwt", "dvb%20x")
            .session(&valid, uat)
            .done(),
        case("negative client_uat", false)
            .doc()
            .db()
            .cookie("__client_uat", "-5")
            .done(),
    ]
}

fn base64_url(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
}

fn our_options(o: &Value) -> AuthenticateRequestOptions {
    let text = |k: &str| o.get(k).and_then(Value::as_str).map(str::to_owned);
    let list = |k: &str| {
        o.get(k)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut opts = AuthenticateRequestOptions::new(
        text("publishableKey").unwrap(),
        text("secretKey").unwrap(),
    );
    opts.jwt_key = text("jwtKey");
    opts.api_url = text("apiUrl").unwrap();
    opts.proxy_url = text("proxyUrl");
    opts.domain = text("domain");
    opts.is_satellite = o
        .get("isSatellite")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    opts.satellite_auto_sync = o
        .get("satelliteAutoSync")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    opts.sign_in_url = text("signInUrl");
    opts.authorized_parties = list("authorizedParties");
    opts.audience = list("audience");
    opts.now = Some(UNIX_EPOCH + Duration::from_secs(NOW as u64));
    opts
}

async fn ours(c: &Case) -> Value {
    let mut req = http::Request::builder().method(c.method).uri(&c.url);
    for (k, v) in &c.headers {
        req = req.header(k, v);
    }
    let (parts, ()) = req.body(()).unwrap().into_parts();
    let state = authenticate_request(&parts, &our_options(&c.options)).await;
    let mut headers = BTreeMap::new();
    let mut set_cookie = Vec::new();
    for (k, v) in &state.headers {
        let v = v.to_str().unwrap_or_default().to_owned();
        if k == http::header::SET_COOKIE {
            set_cookie.push(
                v.split(';')
                    .next()
                    .unwrap()
                    .split('=')
                    .next()
                    .unwrap()
                    .to_owned(),
            );
        } else {
            headers.insert(k.as_str().to_owned(), v);
        }
    }
    json!({
        "status": state.status.as_str(),
        "reason": state.reason.as_ref().map(ToString::to_string),
        "message": state.message,
        "location": state.redirect().map(|l| l.to_str().unwrap().to_owned()),
        "setCookie": set_cookie,
        "headers": headers,
        "userId": state.to_auth().and_then(|a| a.user_id().map(str::to_owned)),
    })
}

fn clerks(cases: &[Case]) -> Vec<Value> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let script = format!("{root}/e2e/lib/backend-oracle.mjs");
    assert!(
        std::path::Path::new(&format!("{root}/e2e/node_modules/@clerk/backend")).exists(),
        "e2e/node_modules/@clerk/backend is missing: run ./test.sh (or `npm ci` in e2e/) first"
    );
    let input = json!({
        "now": NOW * 1000,
        "cases": cases.iter().map(|c| json!({
            "name": c.name, "method": c.method, "url": c.url,
            "headers": c.headers.to_vec(),
            "options": c.options,
        })).collect::<Vec<_>>(),
    });
    let mut child = Command::new("node")
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("node must be installed (./test.sh installs it)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "the @clerk/backend oracle failed");
    serde_json::from_slice(&out.stdout).expect("oracle output is JSON")
}

/// A Location as (origin + path, decoded query pairs in order).
fn split_location(l: &Value) -> Value {
    let Some(text) = l.as_str() else {
        return Value::Null;
    };
    let url = url::Url::parse(text).unwrap();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    json!({"at": format!("{}{}", url.origin().ascii_serialization(), url.path()), "query": pairs})
}

#[tokio::test]
async fn authenticate_request_agrees_with_clerk_backend() {
    let cases = cases();
    assert!(cases.len() >= 60, "{} cases", cases.len());
    let theirs = clerks(&cases);
    let mut failures = Vec::new();
    let mut statuses = BTreeMap::new();
    for (c, t) in cases.iter().zip(&theirs) {
        let o = ours(c).await;
        *statuses
            .entry(o["status"].as_str().unwrap().to_owned())
            .or_insert(0) += 1;
        if c.clerk_throws {
            if t.get("error").is_none() || o["status"] != "signed-out" {
                failures.push(format!(
                    "{}: expected Clerk to throw and us to sign out\n  clerk: {t}\n  ours:  {o}",
                    c.name
                ));
            }
            continue;
        }
        if let Some(e) = t.get("error") {
            failures.push(format!("{}: Clerk threw {e}\n  ours: {o}", c.name));
            continue;
        }
        let mut t_headers = t["headers"].clone();
        let mut o_headers = o["headers"].clone();
        t_headers.as_object_mut().unwrap().remove("location");
        o_headers.as_object_mut().unwrap().remove("location");
        // Clerk's signed-in states carry `message: null`, ours an empty message.
        let message = |v: &Value| v["message"].as_str().unwrap_or_default().to_owned();
        let same = t["status"] == o["status"]
            && t["reason"] == o["reason"]
            && message(t) == message(&o)
            && split_location(&t["location"]) == split_location(&o["location"])
            && t["setCookie"] == o["setCookie"]
            && t_headers == o_headers
            && t["userId"] == o["userId"];
        if !same {
            failures.push(format!("{}:\n  clerk: {t}\n  ours:  {o}", c.name));
        }
    }
    println!("{} cases, our statuses: {statuses:?}", cases.len());
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
