//! The Frontend API proxy: `/v1/*` and `/.well-known/*` of the app's own origin, streamed to the
//! dev server, so the browser, the handshake and the app's server share one origin.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode, Uri, Version, header};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;

/// The proxy: the dev server it forwards to (if any) and its HTTP client.
#[derive(Clone)]
pub struct Proxy {
    upstream: Option<Upstream>,
    client: Client<HttpConnector, Body>,
}

/// The proxy's target.
#[derive(Clone, Debug)]
struct Upstream {
    /// `http://host:port`, no trailing slash.
    base: String,
    /// `host:port`, for the `Host` header.
    authority: HeaderValue,
}

impl Proxy {
    /// A proxy to this dev server (an http URL); an empty URL is no proxy.
    pub fn new(dev_server: &str) -> Result<Self, String> {
        Ok(Self {
            upstream: upstream_of(dev_server)?,
            client: Client::builder(TokioExecutor::new()).build_http::<Body>(),
        })
    }

    /// No proxy (the app then talks to its key's Frontend API host itself).
    pub fn none() -> Self {
        Self {
            upstream: None,
            client: Client::builder(TokioExecutor::new()).build_http::<Body>(),
        }
    }

    /// The dev server's URL, if there is one.
    pub fn base(&self) -> Option<&str> {
        self.upstream.as_ref().map(|u| u.base.as_str())
    }

    /// `/v1/*` and `/.well-known/*` to the dev server, streamed both ways: the method, the path
    /// and query, the headers (`Cookie`, `Origin`, `Authorization`…) and the body go up; the
    /// status, the headers (every `Set-Cookie`, `Location`…) and the body come back. Redirects
    /// are not followed (the handshake's 307 is the browser's).
    pub async fn forward(&self, request: Request<Body>) -> Response {
        let Some(up) = &self.upstream else {
            return (StatusCode::NOT_FOUND, "no proxy").into_response();
        };
        let (mut parts, body) = request.into_parts();
        let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        let Ok(uri) = format!("{}{path}", up.base).parse::<Uri>() else {
            return (StatusCode::BAD_REQUEST, "bad path").into_response();
        };
        strip_hop_by_hop(&mut parts.headers);
        if let Some(host) = parts.headers.get(header::HOST).cloned() {
            parts.headers.insert("x-forwarded-host", host);
        }
        parts.headers.insert(header::HOST, up.authority.clone());
        parts.uri = uri;
        parts.version = Version::HTTP_11;
        match self.client.request(Request::from_parts(parts, body)).await {
            Ok(response) => {
                let (mut parts, body) = response.into_parts();
                strip_hop_by_hop(&mut parts.headers);
                Response::from_parts(parts, Body::new(body))
            }
            Err(e) => (StatusCode::BAD_GATEWAY, format!("proxy error: {e}")).into_response(),
        }
    }

    /// The dev server's `/v1/__dev/instance` (its keys, URLs and webhook secret).
    pub async fn dev_instance(&self) -> Result<Value, String> {
        let Some(up) = &self.upstream else {
            return Err("set CLERK_PUBLISHABLE_KEY and CLERK_SECRET_KEY (or --dev-server)".into());
        };
        let url = format!("{}/v1/__dev/instance", up.base);
        let uri: Uri = url.parse().map_err(|e| format!("{url}: {e}"))?;
        let response = self.client.get(uri).await.map_err(|e| {
            format!("GET {url}: {e} (is the dev server running? ./dev.sh starts it)")
        })?;
        if !response.status().is_success() {
            return Err(format!("GET {url}: {}", response.status()));
        }
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| format!("GET {url}: {e}"))?
            .to_bytes();
        serde_json::from_slice(&body).map_err(|e| format!("GET {url}: {e}"))
    }
}

/// The proxy target of `--dev-server` (an http URL), or none when it is empty.
fn upstream_of(url: &str) -> Result<Option<Upstream>, String> {
    let url = url.trim().trim_end_matches('/');
    if url.is_empty() {
        return Ok(None);
    }
    let uri: Uri = url
        .parse()
        .map_err(|e| format!("--dev-server {url}: {e}"))?;
    if uri.scheme_str() != Some("http") {
        return Err(format!(
            "--dev-server {url}: only http URLs (the local dev server) can be proxied"
        ));
    }
    let authority = uri
        .authority()
        .and_then(|a| HeaderValue::from_str(a.as_str()).ok())
        .ok_or_else(|| format!("--dev-server {url}: no host"))?;
    Ok(Some(Upstream {
        base: url.to_owned(),
        authority,
    }))
}

/// Hop-by-hop headers (RFC 9110 §7.6.1): never forwarded.
const HOP_BY_HOP: [&str; 8] = [
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

fn strip_hop_by_hop(headers: &mut HeaderMap) {
    let listed: Vec<String> = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(',').map(|s| s.trim().to_ascii_lowercase()))
        .collect();
    for name in HOP_BY_HOP
        .iter()
        .copied()
        .chain(listed.iter().map(String::as_str))
    {
        headers.remove(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_upstreams() {
        assert!(upstream_of("").unwrap().is_none());
        let up = upstream_of("http://127.0.0.1:4010/").unwrap().unwrap();
        assert_eq!(up.base, "http://127.0.0.1:4010");
        assert_eq!(up.authority, "127.0.0.1:4010");
        assert!(upstream_of("https://clerk.example.com").is_err());
    }

    #[test]
    fn hop_by_hop_headers_stay_behind() {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONNECTION,
            HeaderValue::from_static("close, x-secret"),
        );
        h.insert("x-secret", HeaderValue::from_static("1"));
        h.insert(header::COOKIE, HeaderValue::from_static("a=b"));
        h.insert(
            header::TRANSFER_ENCODING,
            HeaderValue::from_static("chunked"),
        );
        strip_hop_by_hop(&mut h);
        assert_eq!(h.len(), 1);
        assert_eq!(h[header::COOKIE], "a=b");
    }
}
