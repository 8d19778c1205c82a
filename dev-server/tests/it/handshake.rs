//! The handshake (`GET /v1/client/handshake`) in both instances and both formats, the nonce
//! exchange (`GET /v1/clients/handshake_payload`), FAPI's `__client_uat` in production, and
//! the production instance's tokens.

use crate::common::*;
use axum::body::Body;
use axum::http::Request;
use clerk_core::cookies::cookie_suffix;
use serde_json::Value;

const APP: &str = "http://localhost:3000";

/// Query pairs.
type Query<'a> = &'a [(&'a str, &'a str)];

fn enc(v: &str) -> String {
    form_urlencoded::byte_serialize(v.as_bytes()).collect()
}

/// A handshake request with these query pairs and optional `Cookie` header.
async fn handshake(
    state: &clerk_dev_server::AppState,
    pairs: &[(&str, &str)],
    cookie: Option<&str>,
) -> Resp {
    let query = form(pairs);
    let mut b = Request::get(format!("/v1/client/handshake?{query}"));
    if let Some(c) = cookie {
        b = b.header("cookie", c);
    }
    send(state, b.body(Body::empty()).unwrap()).await
}

fn location(r: &Resp) -> String {
    assert_eq!(r.status.as_u16(), 307, "{}", r.json);
    assert_eq!(r.headers["cache-control"], "no-store");
    r.headers["location"].to_str().unwrap().to_owned()
}

/// The value of a query parameter of a URL.
fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1.split('#').next()?;
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The directive setting cookie `name`.
fn directive<'a>(list: &'a [String], name: &str) -> &'a str {
    list.iter()
        .find(|d| d.split('=').next() == Some(name))
        .unwrap_or_else(|| panic!("no {name} directive in {list:?}"))
}

fn value_of(directive: &str) -> &str {
    directive
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
}

fn names(list: &[String]) -> Vec<&str> {
    list.iter().map(|d| d.split('=').next().unwrap()).collect()
}

/// The directives of a handshake JWT, after checking its header and signature.
async fn token_directives(state: &clerk_dev_server::AppState, jwt: &str) -> Vec<String> {
    let (header, _) = clerk_core::claims::decode_jwt(jwt).unwrap();
    assert_eq!(header.alg, "RS256");
    assert_eq!(header.typ.as_deref(), Some("JWT"));
    assert_eq!(header.kid.as_deref(), Some(state.signer.kid()));
    assert_eq!(header.cat.as_deref(), Some("cl_B7d4PD111AAA"));
    let claims = verify_with_jwks(state, jwt).await;
    serde_json::from_value(claims["handshake"].clone()).expect("a list of strings")
}

async fn nonce_directives(state: &clerk_dev_server::AppState, nonce: &str) -> Vec<String> {
    let r = bapi_get(
        state,
        &format!("/v1/clients/handshake_payload?nonce={}", enc(nonce)),
        Some(&state.secret_key),
    )
    .await
    .ok();
    assert_eq!(r.as_object().unwrap().len(), 1, "{r}");
    serde_json::from_value(r["directives"].clone()).unwrap()
}

#[tokio::test]
async fn development_token_format_puts_the_payload_and_dev_browser_in_the_query() {
    let state = state();
    let b = Browser::new(&state).await;
    let sid = b.sign_in(ADA, PASSWORD).await;
    let client = b.get("/v1/client").await.ok();
    let updated_at = client["response"]["updated_at"].as_i64().unwrap();
    let redirect = format!("{APP}/dashboard?tab=1#top");
    let r = handshake(
        &state,
        &[
            ("redirect_url", &redirect),
            ("format", "token"),
            ("suffixed_cookies", "true"),
            ("__clerk_db_jwt", &b.token),
            (
                "__clerk_hs_reason",
                "session-token-expired-refresh-non-eligible-no-refresh-cookie",
            ),
            ("__clerk_api_version", "2026-05-12"),
            ("__session", "ignored.jwt.value"),
        ],
        None,
    )
    .await;
    let loc = location(&r);
    assert!(loc.starts_with(&format!("{APP}/dashboard?tab=1&")), "{loc}");
    assert!(loc.ends_with("#top"), "{loc}");
    assert_eq!(
        query_param(&loc, "__clerk_db_jwt").as_deref(),
        Some(b.token.as_str())
    );
    assert!(query_param(&loc, "__clerk_handshake_nonce").is_none());
    assert!(
        set_cookie(&r, "__clerk_handshake").is_none(),
        "development: no cookie"
    );
    let list = token_directives(&state, &query_param(&loc, "__clerk_handshake").unwrap()).await;

    let suffix = cookie_suffix(&state.publishable_key);
    assert_eq!(
        names(&list),
        [
            "__session".to_owned(),
            format!("__session_{suffix}"),
            "__client_uat".into(),
            format!("__client_uat_{suffix}"),
            "__clerk_db_jwt".into(),
            format!("__clerk_db_jwt_{suffix}"),
        ]
    );
    let session = directive(&list, "__session");
    assert!(
        session.ends_with("; Path=/; Max-Age=31536000; SameSite=Lax"),
        "{session}"
    );
    assert_eq!(
        value_of(session),
        value_of(directive(&list, &format!("__session_{suffix}")))
    );
    let claims = verify_with_jwks(&state, value_of(session)).await;
    assert_eq!(claims["sid"], sid.as_str());
    assert_eq!(claims["azp"], APP, "azp is redirect_url's origin");
    assert_eq!(claims["iss"], "https://clerk-dev-server.lcl.dev");
    let uat = directive(&list, "__client_uat");
    assert_eq!(value_of(uat), (updated_at / 1000).to_string());
    assert!(
        uat.ends_with("; Path=/; Max-Age=31536000; SameSite=Strict"),
        "{uat}"
    );
    assert_eq!(value_of(directive(&list, "__clerk_db_jwt")), b.token);
    assert!(list
        .iter()
        .all(|d| !d.contains("Domain") && !d.contains("Secure")));
    // The token is the session's fresh one: it is also its last_active_token.
    let s = b.get(&format!("/v1/client/sessions/{sid}")).await.ok();
    assert_eq!(s["response"]["id"], sid.as_str());
}

#[tokio::test]
async fn development_nonce_format_is_exchanged_once_through_the_backend_api() {
    let state = state();
    let b = Browser::new(&state).await;
    b.sign_in(ADA, PASSWORD).await;
    let r = handshake(
        &state,
        &[
            ("redirect_url", APP),
            ("format", "nonce"),
            ("suffixed_cookies", "false"),
            ("__clerk_db_jwt", &b.token),
        ],
        None,
    )
    .await;
    let loc = location(&r);
    assert!(
        loc.starts_with(&format!("{APP}?__clerk_handshake_nonce=")),
        "{loc}"
    );
    assert!(query_param(&loc, "__clerk_handshake").is_none());
    let nonce = query_param(&loc, "__clerk_handshake_nonce").unwrap();
    // The Backend API needs the secret key for it.
    bapi_get(
        &state,
        &format!("/v1/clients/handshake_payload?nonce={nonce}"),
        None,
    )
    .await
    .err(401, "authorization_header_format_invalid");
    let list = nonce_directives(&state, &nonce).await;
    assert_eq!(
        names(&list),
        ["__session", "__client_uat", "__clerk_db_jwt"]
    );
    let claims = verify_with_jwks(&state, value_of(directive(&list, "__session"))).await;
    assert_eq!(claims["sub"], "user_ada");
    // Single use.
    bapi_get(
        &state,
        &format!("/v1/clients/handshake_payload?nonce={nonce}"),
        Some(&state.secret_key),
    )
    .await
    .err(404, "resource_not_found");
    // And short-lived: 2 minutes.
    let r = handshake(
        &state,
        &[
            ("redirect_url", APP),
            ("format", "nonce"),
            ("__clerk_db_jwt", &b.token),
        ],
        None,
    )
    .await;
    let nonce = query_param(&location(&r), "__clerk_handshake_nonce").unwrap();
    state.advance_clock(121_000);
    bapi_get(
        &state,
        &format!("/v1/clients/handshake_payload?nonce={nonce}"),
        Some(&state.secret_key),
    )
    .await
    .err(404, "resource_not_found");
}

#[tokio::test]
async fn signed_out_directives_clear_the_session_and_a_missing_dev_browser_is_made() {
    let state = state();
    let b = Browser::new(&state).await;
    let r = handshake(
        &state,
        &[
            ("redirect_url", APP),
            ("suffixed_cookies", "true"),
            ("__clerk_db_jwt", &b.token),
        ],
        None,
    )
    .await;
    let loc = location(&r);
    let list = token_directives(&state, &query_param(&loc, "__clerk_handshake").unwrap()).await;
    let suffix = cookie_suffix(&state.publishable_key);
    for name in ["__session".to_owned(), format!("__session_{suffix}")] {
        assert_eq!(
            directive(&list, &name),
            format!("{name}=; Path=/; Max-Age=0; SameSite=Lax")
        );
    }
    for name in ["__client_uat".to_owned(), format!("__client_uat_{suffix}")] {
        assert_eq!(value_of(directive(&list, &name)), "0");
    }
    assert_eq!(
        value_of(directive(&list, "__clerk_db_jwt")),
        b.token,
        "the dev browser stays"
    );

    // Signed in, then signed out: the same.
    let sid = b.sign_in(ADA, PASSWORD).await;
    b.post(&format!("/v1/client/sessions/{sid}/end"), &[])
        .await
        .ok();
    let r = handshake(
        &state,
        &[("redirect_url", APP), ("__clerk_db_jwt", &b.token)],
        None,
    )
    .await;
    let list = token_directives(
        &state,
        &query_param(&location(&r), "__clerk_handshake").unwrap(),
    )
    .await;
    assert_eq!(value_of(directive(&list, "__session")), "");
    assert_eq!(value_of(directive(&list, "__client_uat")), "0");

    // `dev-browser-missing` (no dev browser yet) and an unknown dev browser get a new one.
    for pairs in [
        vec![
            ("redirect_url", APP),
            ("__clerk_hs_reason", "dev-browser-missing"),
        ],
        vec![("redirect_url", APP), ("__clerk_db_jwt", "dvb_unknown")],
    ] {
        let r = handshake(&state, &pairs, None).await;
        let loc = location(&r);
        let dev = query_param(&loc, "__clerk_db_jwt").unwrap();
        assert!(dev.starts_with("dvb_") && dev != "dvb_unknown", "{loc}");
        let list = token_directives(&state, &query_param(&loc, "__clerk_handshake").unwrap()).await;
        assert_eq!(value_of(directive(&list, "__clerk_db_jwt")), dev);
        let fresh = Browser {
            state: state.clone(),
            token: dev,
            origin: Some(ORIGIN.into()),
        };
        assert!(fresh.get("/v1/client").await.ok()["response"].is_null());
    }
}

#[tokio::test]
async fn organization_id_switches_the_session_when_the_user_is_a_member() {
    let state = state();
    let b = Browser::new(&state).await;
    let sid = b.sign_in(ALAN, PASSWORD).await;
    let session_token = |list: &[String]| value_of(directive(list, "__session")).to_owned();
    let go = |org: &'static str| {
        let state = state.clone();
        let token = b.token.clone();
        async move {
            let r = handshake(
                &state,
                &[
                    ("redirect_url", APP),
                    ("__clerk_db_jwt", &token),
                    ("organization_id", org),
                ],
                None,
            )
            .await;
            token_directives(
                &state,
                &query_param(&location(&r), "__clerk_handshake").unwrap(),
            )
            .await
        }
    };
    let list = go("acme").await;
    assert_eq!(
        claims(&session_token(&list))["o"]["id"],
        "org_acme",
        "by slug"
    );
    let s = b.get(&format!("/v1/client/sessions/{sid}")).await.ok();
    assert_eq!(s["response"]["last_active_organization_id"], "org_acme");
    let uat: i64 = value_of(directive(&list, "__client_uat")).parse().unwrap();
    assert!(uat > 0);
    // Not a member / no such organization: unchanged.
    let list = go("org_nope").await;
    assert_eq!(claims(&session_token(&list))["o"]["id"], "org_acme");
    // Empty: the personal account.
    let list = go("").await;
    assert!(claims(&session_token(&list))["o"].is_null());
    let s = b.get(&format!("/v1/client/sessions/{sid}")).await.ok();
    assert!(s["response"]["last_active_organization_id"].is_null());
}

#[tokio::test]
async fn bad_parameters_are_4xx_envelopes_and_never_redirect_elsewhere() {
    let state = state();
    let b = Browser::new(&state).await;
    let cases: &[(Query, u16, &str)] = &[
        (&[], 422, "form_param_missing"),
        (&[("redirect_url", "")], 422, "form_param_missing"),
        (
            &[("redirect_url", "javascript:alert(1)")],
            422,
            "form_param_format_invalid",
        ),
        (
            &[("redirect_url", "//evil.example/")],
            422,
            "form_param_format_invalid",
        ),
        (
            &[("redirect_url", "/relative")],
            422,
            "form_param_format_invalid",
        ),
        (
            &[("redirect_url", "http://localhost:3000@evil.example/")],
            422,
            "form_param_format_invalid",
        ),
        (
            &[("redirect_url", "http://localhost:3000/caf\u{e9}")],
            422,
            "form_param_format_invalid",
        ),
        (
            &[("redirect_url", "http://localhost:3000/\u{7f}")],
            422,
            "form_param_format_invalid",
        ),
        (
            &[("redirect_url", "https://evil.example/")],
            422,
            "form_param_value_invalid",
        ),
        (
            &[("redirect_url", "http://localhost.evil.example/")],
            422,
            "form_param_value_invalid",
        ),
        (
            &[("redirect_url", "https://localhost:3000/")],
            422,
            "form_param_value_invalid",
        ),
        (
            &[("redirect_url", APP), ("format", "jwt")],
            422,
            "form_param_value_invalid",
        ),
        (
            &[("redirect_url", APP), ("suffixed_cookies", "maybe")],
            422,
            "form_param_format_invalid",
        ),
    ];
    for (pairs, status, code) in cases {
        let mut pairs = pairs.to_vec();
        pairs.push(("__clerk_db_jwt", &b.token));
        let r = handshake(&state, &pairs, None).await;
        assert!(r.headers.get("location").is_none());
        let r = r.err(*status, code);
        assert!(!r.param().is_empty(), "{}", r.json);
    }
    // An --allowed-origin is a fine target.
    let other = clerk_dev_server::AppState::new(clerk_dev_server::Options {
        seed_toml: Some(SEED.into()),
        signing_key_pem: Some(KEY.into()),
        allowed_origins: vec!["https://app.example".into()],
        ..Default::default()
    })
    .unwrap();
    let r = handshake(&other, &[("redirect_url", "https://app.example/x")], None).await;
    let loc = location(&r);
    assert!(loc.starts_with("https://app.example/x"), "{loc}");
    // An https app gets Secure directives.
    let list = token_directives(&other, &{
        let r = handshake(
            &other,
            &[
                ("redirect_url", "https://app.example/"),
                ("__clerk_hs_reason", "dev-browser-missing"),
            ],
            None,
        )
        .await;
        query_param(&location(&r), "__clerk_handshake").unwrap()
    })
    .await;
    assert!(list.iter().all(|d| d.contains("; Secure")), "{list:?}");
}

#[tokio::test]
async fn production_clients_get_client_uat_from_fapi_and_live_issuer_tokens() {
    let state = state();
    let mut p = CookieBrowser::new(&state);
    let live_suffix = cookie_suffix(&state.production_publishable_key);
    let env = p.send("GET", "/v1/environment", &[]).await.ok();
    assert_eq!(
        env["display_config"]["instance_environment_type"],
        "production"
    );
    // A signed-out client: 0.
    let r = p.send("POST", "/v1/client", &[]).await;
    assert_eq!(value_of(&set_cookie(&r, "__client_uat").unwrap()), "0");
    let r = p
        .send(
            "POST",
            "/v1/client/sign_ins",
            &[
                ("identifier", ADA),
                ("password", PASSWORD),
                ("strategy", "password"),
            ],
        )
        .await;
    let uat = set_cookie(&r, "__client_uat").expect("sign-in sets __client_uat");
    let suffixed = set_cookie(&r, &format!("__client_uat_{live_suffix}")).expect("and its twin");
    let body = r.ok();
    let updated_at = body["client"]["updated_at"].as_i64().unwrap();
    let sid = body["response"]["created_session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        uat,
        format!(
            "__client_uat={}; Path=/; Max-Age=31536000; SameSite=Lax",
            updated_at / 1000
        )
    );
    assert_eq!(value_of(&suffixed), value_of(&uat));
    // Tokens of the production instance carry its issuer.
    let t = p
        .send("POST", &format!("/v1/client/sessions/{sid}/tokens"), &[])
        .await
        .ok();
    let c = verify_with_jwks(&state, t["jwt"].as_str().unwrap()).await;
    assert_eq!(c["iss"], "https://clerk.dev-server.localhost");
    assert_eq!(c["azp"], ORIGIN);
    let client = p.send("GET", "/v1/client", &[]).await;
    assert!(
        set_cookie(&client, "__client_uat").is_some(),
        "every answer with the client"
    );
    let last = &client.json["response"]["sessions"][0]["last_active_token"]["jwt"];
    assert_eq!(
        claims(last.as_str().unwrap())["iss"],
        "https://clerk.dev-server.localhost"
    );

    // The handshake: payload in a cookie, redirect_url unchanged.
    let cookie = p.cookie.clone().unwrap();
    // A stale dev-browser cookie on the shared host does not make it a development handshake.
    let cookies = format!("{cookie}; __clerk_db_jwt=dvb_stale");
    let r = handshake(
        &state,
        &[
            ("redirect_url", "http://127.0.0.1:4000/page?q=1"),
            ("format", "nonce"),
            ("suffixed_cookies", "true"),
        ],
        Some(&cookies),
    )
    .await;
    assert_eq!(location(&r), "http://127.0.0.1:4000/page?q=1");
    let carrier = set_cookie(&r, "__clerk_handshake_nonce").expect("the nonce cookie");
    assert!(
        carrier.ends_with("; Path=/; Max-Age=120; SameSite=Lax; HttpOnly"),
        "{carrier}"
    );
    assert!(!carrier.contains("Domain"));
    let list = nonce_directives(&state, value_of(&carrier)).await;
    assert_eq!(
        names(&list),
        [
            "__session".to_owned(),
            format!("__session_{live_suffix}"),
            "__client_uat".into(),
            format!("__client_uat_{live_suffix}"),
            "__clerk_handshake".into(),
            "__clerk_handshake_nonce".into(),
        ],
        "no dev browser; the handshake cookies are cleared"
    );
    let c = verify_with_jwks(&state, value_of(directive(&list, "__session"))).await;
    assert_eq!(c["iss"], "https://clerk.dev-server.localhost");
    assert_eq!(c["azp"], "http://127.0.0.1:4000");
    assert_eq!(c["sid"], sid.as_str());
    assert_eq!(
        directive(&list, "__clerk_handshake"),
        "__clerk_handshake=; Path=/; Max-Age=0; SameSite=Lax; HttpOnly"
    );

    // Token format: the JWT in the cookie.
    let r = handshake(&state, &[("redirect_url", APP)], Some(&cookie)).await;
    assert_eq!(location(&r), APP);
    let jwt = value_of(&set_cookie(&r, "__clerk_handshake").unwrap()).to_owned();
    let list = token_directives(&state, &jwt).await;
    assert_eq!(
        claims(value_of(directive(&list, "__session")))["sid"],
        sid.as_str()
    );

    // Signing out sets 0; so does a handshake with no client at all.
    let r = p.send("DELETE", "/v1/client/sessions", &[]).await;
    assert_eq!(value_of(&set_cookie(&r, "__client_uat").unwrap()), "0");
    assert_eq!(
        value_of(&set_cookie(&r, &format!("__client_uat_{live_suffix}")).unwrap()),
        "0"
    );
    for cookie in [Some(cookie.as_str()), None, Some("__client=unknown")] {
        let r = handshake(&state, &[("redirect_url", APP)], cookie).await;
        let jwt = value_of(&set_cookie(&r, "__clerk_handshake").unwrap()).to_owned();
        let list = token_directives(&state, &jwt).await;
        assert_eq!(value_of(directive(&list, "__session")), "");
        assert_eq!(value_of(directive(&list, "__client_uat")), "0");
    }
}

#[tokio::test]
async fn fapi_cookies_are_secure_behind_https_and_dev_clients_get_no_client_uat() {
    let state = state();
    let mut p = CookieBrowser::new(&state);
    p.headers.push(("x-forwarded-proto", "https".into()));
    let r = p
        .send(
            "POST",
            "/v1/client/sign_ins",
            &[
                ("identifier", ADA),
                ("password", PASSWORD),
                ("strategy", "password"),
            ],
        )
        .await;
    for name in ["__client", "__client_uat"] {
        assert!(set_cookie(&r, name).unwrap().contains("; Secure"), "{name}");
    }
    // Dev-browser clients: clerk-js writes __client_uat itself.
    let b = Browser::new(&state).await;
    let req = Request::post(format!("/v1/client/sign_ins?__clerk_db_jwt={}", b.token))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(form(&[
            ("identifier", ADA),
            ("password", PASSWORD),
            ("strategy", "password"),
        ])))
        .unwrap();
    let r = send(&state, req).await;
    assert!(
        set_cookies(&r)
            .iter()
            .all(|c| !c.starts_with("__client_uat")),
        "{:?}",
        set_cookies(&r)
    );
    let body: Value = r.ok();
    assert_eq!(body["response"]["status"], "complete");
}

/// Clerk's server SDKs treat a `__session` token issued before `__client_uat` as stale
/// (`session-token-iat-before-client-uat`, a handshake for documents and a 401 for API calls), so
/// every answer that moves a production client's `__client_uat` must carry a token issued no
/// earlier: the 5-second cache behind `last_active_token` may not hand back an older second.
#[tokio::test]
async fn last_active_token_is_never_older_than_client_uat() {
    let state = state();
    let mut p = CookieBrowser::new(&state);
    p.send("GET", "/v1/environment", &[]).await.ok();
    let sid = p.sign_in(ADA, PASSWORD).await;
    let minted = p
        .send("POST", &format!("/v1/client/sessions/{sid}/tokens"), &[])
        .await
        .ok();
    let minted_iat = claims(minted["jwt"].as_str().unwrap())["iat"]
        .as_i64()
        .unwrap();
    // Within the cache's 5 s, but in a later second.
    state.advance_clock(1_200);
    let r = p
        .send(
            "POST",
            &format!("/v1/client/sessions/{sid}/touch"),
            &[("intent", "focus")],
        )
        .await;
    let uat: i64 = value_of(&set_cookie(&r, "__client_uat").expect("touch moves __client_uat"))
        .parse()
        .unwrap();
    let body = r.ok();
    assert!(uat > minted_iat, "the client changed in a later second");
    for jwt in [
        &body["response"]["last_active_token"]["jwt"],
        &body["client"]["sessions"][0]["last_active_token"]["jwt"],
    ] {
        let iat = claims(jwt.as_str().unwrap())["iat"].as_i64().unwrap();
        assert!(iat >= uat, "token iat {iat} before __client_uat {uat}");
    }
    // Unchanged client, same second: the cached token is reused (no mint per answer).
    let a = p.send("GET", "/v1/client", &[]).await.ok();
    let b = p.send("GET", "/v1/client", &[]).await.ok();
    let jwt =
        |v: &serde_json::Value| v["response"]["sessions"][0]["last_active_token"]["jwt"].clone();
    assert_eq!(jwt(&a), jwt(&b));
}
