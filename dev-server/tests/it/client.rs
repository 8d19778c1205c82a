//! Dev browser, environment, client, CORS, JWKS, health and the error envelope.

use crate::common::*;
use axum::body::Body;
use axum::http::Request;

#[tokio::test]
async fn dev_browser_then_empty_client_then_create_and_destroy() {
    let state = state();
    let b = Browser::new(&state).await;
    let r = b.get("/v1/client").await.ok();
    assert_eq!(r, serde_json::json!({"response": null, "client": null}));
    let r = b.call("PUT", "/v1/client", &[]).await.ok();
    let id = r["response"]["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("client_"));
    assert_eq!(r["client"]["id"], id.as_str());
    let r = b.get("/v1/client").await.ok();
    assert_eq!(r["response"]["id"], id.as_str());
    assert!(r["client"].is_null());
    // POST /v1/client is the same as PUT: a fresh client.
    let r = b.post("/v1/client", &[]).await.ok();
    assert_ne!(r["response"]["id"], id.as_str());
    // DELETE ends the sessions.
    let sess = b.sign_in(ADA, PASSWORD).await;
    let r = b.call("DELETE", "/v1/client", &[]).await.ok();
    assert_eq!(r["response"]["sessions"], serde_json::json!([]));
    b.post(&format!("/v1/client/sessions/{sess}/tokens"), &[])
        .await
        .err(401, "signed_out");
}

#[tokio::test]
async fn remove_all_sessions_keeps_the_client() {
    let state = state();
    let b = Browser::new(&state).await;
    let s1 = b.sign_in(ADA, PASSWORD).await;
    let s2 = b.sign_in(ALAN, PASSWORD).await;
    let r = b.get("/v1/client").await.ok();
    assert_eq!(
        r["response"]["sessions"].as_array().unwrap().len(),
        2,
        "multi-session"
    );
    assert_eq!(r["response"]["last_active_session_id"], s2.as_str());
    let before = r["response"]["id"].clone();
    let r = b.call("DELETE", "/v1/client/sessions", &[]).await.ok();
    assert_eq!(r["response"]["id"], before);
    assert_eq!(r["client"]["sessions"], serde_json::json!([]));
    let r = b.get(&format!("/v1/client/sessions/{s1}")).await.ok();
    assert_eq!(r["response"]["status"], "removed");
}

#[tokio::test]
async fn unknown_dev_browser_is_401_dev_browser_unauthenticated() {
    let state = state();
    let mut b = Browser::new(&state).await;
    b.token = "dvb_nope".into();
    b.get("/v1/client")
        .await
        .err(401, "dev_browser_unauthenticated");
    b.get("/v1/environment")
        .await
        .err(401, "dev_browser_unauthenticated");
    // The spec's name for the same token works too.
    let ok = Browser::new(&state).await;
    let uri = format!("/v1/client?__dev_session={}", ok.token);
    send(&state, Request::get(uri).body(Body::empty()).unwrap())
        .await
        .ok();
}

#[tokio::test]
async fn cookie_clients_get_an_httponly_client_cookie() {
    let state = state();
    let req = Request::post("/v1/client/sign_ins")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(form(&[
            ("identifier", ADA),
            ("password", PASSWORD),
            ("strategy", "password"),
        ])))
        .unwrap();
    let r = send(&state, req).await;
    let cookie = r.headers["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__client=") && cookie.contains("HttpOnly"));
    let body = r.ok();
    let value = cookie.split(';').next().unwrap().to_owned();
    let req = Request::get("/v1/client")
        .header("cookie", &value)
        .body(Body::empty())
        .unwrap();
    let r = send(&state, req).await.ok();
    assert_eq!(r["response"]["id"], body["client"]["id"]);
    assert_eq!(r["response"]["sessions"][0]["user"]["id"], "user_ada");
}

#[tokio::test]
async fn environment_reflects_the_seed() {
    let state = state();
    let b = Browser::new(&state).await;
    let env = b.get("/v1/environment").await.ok();
    assert_eq!(
        env["display_config"]["application_name"],
        "leptos-clerk example"
    );
    assert_eq!(
        env["display_config"]["instance_environment_type"],
        "development"
    );
    assert_eq!(env["auth_config"]["single_session_mode"], false);
    assert_eq!(env["organization_settings"]["enabled"], true);
    assert_eq!(
        env["user_settings"]["attributes"]["email_address"]["required"],
        true
    );
    assert_eq!(
        env["user_settings"]["attributes"]["username"]["used_for_first_factor"],
        true
    );
    assert_eq!(env["user_settings"]["sign_up"]["captcha_enabled"], false);
    assert_eq!(env["user_settings"]["password_settings"]["min_length"], 8);
    // clerk-js touches the environment with PATCH in development.
    let patched = b.call("PATCH", "/v1/environment", &[]).await.ok();
    assert_eq!(patched, env);
    // It decodes as the library's Environment.
    let typed: clerk_core::wire::Environment = serde_json::from_value(env).unwrap();
    assert!(typed.user_settings.attribute("password").required);
}

#[tokio::test]
async fn cors_allows_local_origins_with_credentials_and_refuses_others() {
    let state = state();
    for origin in [
        "http://localhost:5173",
        "http://127.0.0.1:39211",
        "http://localhost",
    ] {
        let req = Request::get("/v1/environment")
            .header("origin", origin)
            .body(Body::empty())
            .unwrap();
        let r = send(&state, req).await;
        assert_eq!(r.headers["access-control-allow-origin"], origin);
        assert_eq!(r.headers["access-control-allow-credentials"], "true");
        r.ok();
    }
    for origin in [
        "http://evil.example",
        "https://localhost:3000",
        "http://localhost.evil:80",
        "null",
    ] {
        let req = Request::get("/v1/environment")
            .header("origin", origin)
            .body(Body::empty())
            .unwrap();
        let r = send(&state, req).await.err(403, "origin_invalid");
        assert!(!r.headers.contains_key("access-control-allow-origin"));
    }
    let req = Request::options("/v1/client/sign_ins")
        .header("origin", "http://localhost:8080")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .body(Body::empty())
        .unwrap();
    let r = send(&state, req).await;
    assert_eq!(r.status, 204);
    assert_eq!(r.headers["access-control-allow-headers"], "content-type");
    assert_eq!(
        r.headers["access-control-allow-origin"],
        "http://localhost:8080"
    );
    // --allowed-origin adds one.
    let more = clerk_dev_server::AppState::new(clerk_dev_server::Options {
        allowed_origins: vec!["https://app.example.com".into()],
        signing_key_pem: Some(KEY.into()),
        ..Default::default()
    })
    .unwrap();
    let req = Request::get("/v1/environment")
        .header("origin", "https://app.example.com")
        .body(Body::empty())
        .unwrap();
    send(&more, req).await.ok();
}

#[tokio::test]
async fn unknown_paths_404_and_wrong_methods_405_in_the_envelope() {
    let state = state();
    let b = Browser::new(&state).await;
    b.get("/v1/nope").await.err(404, "resource_not_found");
    b.get("/nope").await.err(404, "resource_not_found");
    b.call("DELETE", "/v1/environment", &[])
        .await
        .err(405, "request_method_not_allowed");
    b.get("/v1/client/sign_ins")
        .await
        .err(405, "request_method_not_allowed");
    let req = Request::builder()
        .method("TRACE")
        .uri("/v1/client")
        .body(Body::empty())
        .unwrap();
    send(&state, req)
        .await
        .err(405, "request_method_not_allowed");
}

#[tokio::test]
async fn bad_bodies_are_4xx_never_5xx() {
    let state = state();
    let b = Browser::new(&state).await;
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("application/json", b"{not json".to_vec()),
        ("application/json", b"[1,2]".to_vec()),
        (
            "application/x-www-form-urlencoded",
            vec![0xff, 0xfe, b'=', 0x00],
        ),
        (
            "application/x-www-form-urlencoded",
            b"identifier=%C3%28".to_vec(),
        ),
        ("multipart/form-data; boundary=x", b"--x--".to_vec()),
    ];
    for path in [
        "/v1/client/sign_ins",
        "/v1/client/sign_ups",
        "/v1/organizations",
    ] {
        for (ct, body) in &bodies {
            let req = Request::post(format!("{path}?__clerk_db_jwt={}", b.token))
                .header("content-type", *ct)
                .body(Body::from(body.clone()))
                .unwrap();
            let r = send(&state, req).await;
            assert!(
                r.status.is_client_error(),
                "{path} {ct}: {} {}",
                r.status,
                r.json
            );
            assert!(r.json["errors"][0]["code"].is_string());
        }
    }
    // Odd but decodable input is answered, never with a 5xx (send() checks).
    for body in [
        "identifier=%zz&&&==",
        "strategy=\u{0}",
        "=&=&a",
        "identifier=null&password=null",
    ] {
        let req = Request::post(format!("/v1/client/sign_ins?__clerk_db_jwt={}", b.token))
            .body(Body::from(body))
            .unwrap();
        send(&state, req).await;
    }
    // A JSON object body is accepted like a form.
    let req = Request::post(format!("/v1/client/sign_ins?__clerk_db_jwt={}", b.token))
        .header("content-type", "application/json")
        .body(Body::from(
            serde_json::json!({"identifier": ADA, "password": PASSWORD, "strategy": "password"})
                .to_string(),
        ))
        .unwrap();
    assert_eq!(
        send(&state, req).await.ok()["response"]["status"],
        "complete"
    );
}

#[tokio::test]
async fn health_jwks_and_dev_instance() {
    let state = state();
    let b = Browser::new(&state).await;
    assert_eq!(b.get("/v1/health").await.ok()["status"], "healthy");
    // FAPI's JWKS is public; the Backend API's `/v1/jwks` needs the secret key (tests/it/bapi.rs).
    for path in ["/.well-known/jwks.json", "/v1/.well-known/jwks.json"] {
        let jwks = b.get(path).await.ok();
        let key = &jwks["keys"][0];
        assert_eq!(key["kty"], "RSA");
        assert_eq!(key["alg"], "RS256");
        assert_eq!(key["e"], "AQAB");
        assert!(key["kid"].as_str().unwrap().starts_with("ins_"));
    }
    let inst = b.get("/v1/__dev/instance").await.ok();
    let pk = inst["publishable_key"].as_str().unwrap();
    let parsed = clerk_core::key::PublishableKey::parse(pk).unwrap();
    assert_eq!(parsed.frontend_api(), "clerk-dev-server.lcl.dev");
    assert!(parsed.is_dev_browser_host() && parsed.is_development());
}

#[tokio::test]
async fn garbage_on_every_route_is_never_a_5xx() {
    let state = state();
    let b = Browser::new(&state).await;
    let sid = b.sign_in(ADA, PASSWORD).await;
    let routes: &[(&str, &str)] = &[
        ("POST", "/v1/dev_browser"),
        ("GET", "/v1/environment"),
        ("PATCH", "/v1/environment"),
        ("GET", "/v1/client"),
        ("PUT", "/v1/client"),
        ("POST", "/v1/client/sign_ins"),
        ("GET", "/v1/client/sign_ins/{id}"),
        ("POST", "/v1/client/sign_ins/{id}/prepare_first_factor"),
        ("POST", "/v1/client/sign_ins/{id}/attempt_first_factor"),
        ("POST", "/v1/client/sign_ins/{id}/prepare_second_factor"),
        ("POST", "/v1/client/sign_ins/{id}/attempt_second_factor"),
        ("POST", "/v1/client/sign_ins/{id}/reset_password"),
        ("POST", "/v1/client/sign_ups"),
        ("GET", "/v1/client/sign_ups/{id}"),
        ("PATCH", "/v1/client/sign_ups/{id}"),
        ("POST", "/v1/client/sign_ups/{id}/prepare_verification"),
        ("POST", "/v1/client/sign_ups/{id}/attempt_verification"),
        ("GET", "/v1/client/sessions/{id}"),
        ("POST", "/v1/client/sessions/{id}/touch"),
        ("POST", "/v1/client/sessions/{id}/tokens"),
        ("POST", "/v1/client/sessions/{id}/tokens/{id}"),
        ("GET", "/v1/me"),
        ("PATCH", "/v1/me"),
        ("GET", "/v1/me/organization_memberships"),
        ("GET", "/v1/me/organization_invitations"),
        ("POST", "/v1/me/organization_invitations/{id}/accept"),
        ("POST", "/v1/organizations"),
        ("GET", "/v1/organizations/{id}"),
        ("GET", "/v1/organizations/{id}/memberships"),
        ("GET", "/v1/organizations/{id}/invitations"),
        ("POST", "/v1/organizations/{id}/invitations"),
        ("GET", "/v1/__dev/codes"),
        ("POST", "/v1/client/sessions/{id}/end"),
        ("DELETE", "/v1/me/organization_memberships/{id}"),
        ("DELETE", "/v1/client/sessions"),
        ("DELETE", "/v1/client"),
    ];
    let ids = [
        sid.as_str(),
        "",
        "%00",
        "org_acme",
        "acme",
        "..%2F..",
        "x".repeat(3000).leak(),
        "🦀",
    ];
    let fields = [
        "identifier",
        "password",
        "strategy",
        "code",
        "email_address",
        "phone_number",
        "username",
        "first_name",
        "unsafe_metadata",
        "organization_id",
        "active_organization_id",
        "intent",
        "name",
        "slug",
        "role",
        "limit",
        "offset",
        "paginated",
        "legal_accepted",
        "transfer",
        "email_address_id",
        "phone_number_id",
        "sign_out_of_other_sessions",
    ];
    let values = [
        "",
        "null",
        "true",
        "-1",
        "{",
        "[]",
        "🦀\u{0}",
        "a@b",
        "+1",
        "424242",
        "org:admin",
    ];
    let mut n = 0;
    for (i, (method, path)) in routes.iter().enumerate() {
        for (j, id) in ids.iter().enumerate() {
            let path = path.replace("{id}", id);
            let pairs: Vec<(&str, &str)> = fields
                .iter()
                .enumerate()
                .filter(|(k, _)| (k + i + j) % 3 == 0)
                .map(|(k, f)| (*f, values[(k * 7 + i + j) % values.len()]))
                .collect();
            let r = if *method == "GET" {
                let q = form(&pairs);
                b.get(&format!("{path}?{q}")).await
            } else {
                b.call(method, &path, &pairs).await
            };
            if !r.status.is_success() {
                assert!(
                    r.json["errors"][0]["code"].is_string(),
                    "{method} {path}: {}",
                    r.json
                );
            }
            n += 1;
        }
    }
    assert_eq!(n, routes.len() * ids.len());
}

#[tokio::test]
async fn only_loopback_host_names_are_answered() {
    let state = state();
    let with_host = |host: &str| {
        Request::get("/v1/environment")
            .header("host", host)
            .body(Body::empty())
            .unwrap()
    };
    for host in [
        "127.0.0.1:4010",
        "127.0.0.1",
        "127.1.2.3:9",
        "localhost:4010",
        "LOCALHOST",
        "[::1]:4010",
        "clerk.dev-server.localhost:4010",
    ] {
        let r = send(&state, with_host(host)).await;
        assert_eq!(r.status.as_u16(), 200, "{host}: {}", r.json);
    }
    // a page on another site whose name resolves to 127.0.0.1 (DNS rebinding) gets nothing,
    // the dev endpoints included
    for (host, path) in [
        ("evil.example:4010", "/v1/environment"),
        ("evil.example", "/v1/__dev/codes"),
        ("localhost.evil.example:4010", "/v1/__dev/instance"),
        ("10.0.0.1:4010", "/v1/client"),
        ("[::2]:4010", "/v1/environment"),
        ("", "/v1/environment"),
    ] {
        let req = Request::get(path)
            .header("host", host)
            .body(Body::empty())
            .unwrap();
        let r = send(&state, req).await.err(403, "not_authorized");
        assert!(
            r.json["errors"][0]["long_message"]
                .as_str()
                .unwrap()
                .contains("loopback"),
            "{host}: {}",
            r.json
        );
    }
}
