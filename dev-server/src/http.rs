//! HTTP plumbing: the request context handlers get ([`Req`]), replies, CORS and the `_method`
//! override.

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, RawPathParams, Request};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use clerk_core::wire::{ErrorCode, Paginated};
use serde::Serialize;

use crate::error::{ApiErr, ApiResult};
use crate::{AppState, Instance};

/// Query or form parameters, in order; the last value of a key wins.
#[derive(Clone, Debug, Default)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    /// Parses `a=1&b=2`, leniently (invalid UTF-8 is replaced).
    pub fn parse(bytes: &[u8]) -> Self {
        Self(
            form_urlencoded::parse(bytes)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// Parses `a=1&b=2`; text that is not UTF-8 once decoded is an error.
    pub fn parse_strict(bytes: &[u8]) -> Option<Self> {
        let mut out = Vec::new();
        for pair in bytes.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
            let mut it = pair.splitn(2, |b| *b == b'=');
            let key = decode(it.next().unwrap_or_default())?;
            let value = decode(it.next().unwrap_or_default())?;
            out.push((key, value));
        }
        Some(Self(out))
    }

    /// The value of a key, if present (possibly empty).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The trimmed value of a key, `None` when absent or blank.
    pub fn text(&self, key: &str) -> Option<String> {
        self.get(key)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    }

    /// A boolean (`true`/`false`/`1`/`0`); other values are a 422.
    pub fn flag(&self, key: &str) -> ApiResult<Option<bool>> {
        match self.get(key).map(str::trim) {
            None | Some("") => Ok(None),
            Some("true" | "1") => Ok(Some(true)),
            Some("false" | "0") => Ok(Some(false)),
            Some(_) => Err(ApiErr::invalid(
                key,
                &format!("{key} must be true or false."),
            )),
        }
    }

    /// `limit` (1..=500, default 10) and `offset` (≥ 0) of a list request.
    pub fn page(&self) -> ApiResult<(usize, usize)> {
        let limit = match self.text("limit") {
            None => 10,
            Some(v) => v
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=500).contains(n))
                .ok_or_else(|| ApiErr::invalid("limit", "limit must be between 1 and 500."))?,
        };
        let offset = match self.text("offset") {
            None => 0,
            Some(v) => v
                .parse::<i64>()
                .ok()
                .filter(|n| *n >= 0)
                .ok_or_else(|| ApiErr::invalid("offset", "offset must be 0 or more."))?,
        };
        Ok((limit as usize, offset as usize))
    }
}

/// One page of `items`, as `{data, total_count}`.
pub fn paginate<T: Clone>(items: &[T], limit: usize, offset: usize) -> Paginated<T> {
    Paginated {
        data: items.iter().skip(offset).take(limit).cloned().collect(),
        total_count: items.len() as i64,
    }
}

fn decode(part: &[u8]) -> Option<String> {
    let plus: Vec<u8> = part
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    let bytes: Vec<u8> = percent_encoding::percent_decode(&plus).collect();
    String::from_utf8(bytes).ok()
}

fn malformed(long: &str) -> ApiErr {
    ApiErr::new(
        StatusCode::BAD_REQUEST,
        ErrorCode::MalformedRequestParameters,
        "malformed request parameters",
        long,
    )
}

/// How the request identifies its client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Browser {
    /// A dev-browser token (`__clerk_db_jwt` / `__dev_session`).
    Dev(String),
    /// The `__client` cookie (or a native `Authorization` token).
    Cookie(String),
    /// Nothing.
    None,
}

/// Everything a handler needs from the request.
pub struct Req {
    pub state: AppState,
    /// Path parameters.
    pub path: Vec<(String, String)>,
    /// Query parameters.
    pub query: Params,
    /// Form body.
    pub form: Params,
    /// The page's origin: the `Origin` header, else the origin of `Referer`.
    pub origin: Option<String>,
    /// How the client is identified.
    pub browser: Browser,
    /// The `__client` cookie, even when a dev-browser token wins in [`Req::browser`] (the
    /// handshake tells the two instances apart by its query alone).
    pub client_cookie: Option<String>,
    /// Whether the request reached the server over https (`X-Forwarded-Proto: https` from a
    /// proxy; the server itself speaks plain http): its cookies get `Secure`.
    pub secure: bool,
    /// `Set-Cookie` values to add to the reply.
    pub set_cookies: Vec<String>,
    /// The caller's address and user agent, for the webhook events the request causes.
    pub(crate) http_request: crate::webhooks::HttpRequest,
}

impl Req {
    /// A path parameter.
    pub fn param(&self, name: &str) -> &str {
        self.path
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    }

    /// A body field, trimmed; `None` when absent or blank.
    pub fn field(&self, key: &str) -> Option<String> {
        self.form.text(key)
    }

    /// The raw body field (an empty value is kept).
    pub fn raw_field(&self, key: &str) -> Option<&str> {
        self.form.get(key)
    }

    /// The instance the request speaks to: a dev browser is the development instance,
    /// anything else (a `__client` cookie, or no client yet) the production one.
    pub fn instance(&self) -> Instance {
        match self.browser {
            Browser::Dev(_) => Instance::Development,
            _ => Instance::Production,
        }
    }
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty())
}

impl FromRequest<AppState> for Req {
    type Rejection = ApiErr;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiErr> {
        let (mut parts, body) = req.into_parts();
        use axum::extract::FromRequestParts;
        let raw = RawPathParams::from_request_parts(&mut parts, state)
            .await
            .map_err(|_| {
                ApiErr::new(
                    StatusCode::BAD_REQUEST,
                    ErrorCode::MalformedRequestParameters,
                    "malformed path",
                    "The request path is malformed.",
                )
            })?;
        let path = raw
            .iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let query = Params::parse_strict(parts.uri.query().unwrap_or_default().as_bytes())
            .ok_or_else(|| malformed("The query string is not valid UTF-8."))?;
        let content_type = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let bytes: Bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(|_| {
                ApiErr::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    ErrorCode::MalformedRequestParameters,
                    "body too large",
                    "The request body could not be read.",
                )
            })?;
        let form = if content_type.starts_with("application/json") {
            json_params(&bytes)?
        } else if content_type.starts_with("multipart/") {
            return Err(ApiErr::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::MalformedRequestParameters,
                "unsupported body",
                "Send the body as application/x-www-form-urlencoded.",
            ));
        } else {
            Params::parse_strict(&bytes)
                .ok_or_else(|| malformed("The request body is not valid UTF-8 form data."))?
        };
        let headers = &parts.headers;
        // The page's origin, for the `azp` claim: browsers send `Origin` on cross-origin and
        // POST requests only, so a same-origin GET (through a proxy) names it in `Referer`.
        let origin = headers
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .or_else(|| {
                let referer = headers.get(header::REFERER)?.to_str().ok()?;
                clerk_core::redirect::origin_of(referer)
            });
        let dev = query
            .text("__clerk_db_jwt")
            .or_else(|| query.text("__dev_session"))
            .or_else(|| {
                headers
                    .get("clerk-db-jwt")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
            })
            .or_else(|| cookie(headers, "__clerk_db_jwt"));
        let client_cookie = cookie(headers, clerk_core::cookies::CLIENT);
        let browser = if let Some(token) = dev {
            Browser::Dev(token)
        } else if let Some(c) = client_cookie.clone() {
            Browser::Cookie(c)
        } else if let Some(auth) = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
        {
            let token = auth.strip_prefix("Bearer ").unwrap_or(auth).trim();
            if token.is_empty() {
                Browser::None
            } else {
                Browser::Cookie(token.to_owned())
            }
        } else {
            Browser::None
        };
        let secure = headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"));
        Ok(Req {
            state: state.clone(),
            path,
            query,
            form,
            origin,
            browser,
            client_cookie,
            secure,
            set_cookies: Vec::new(),
            http_request: crate::webhooks::HttpRequest::from_headers(headers),
        })
    }
}

fn json_params(bytes: &[u8]) -> ApiResult<Params> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(Params::default());
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|_| {
        ApiErr::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::MalformedRequestParameters,
            "malformed body",
            "The request body is not valid JSON.",
        )
    })?;
    let serde_json::Value::Object(map) = value else {
        return Err(ApiErr::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::MalformedRequestParameters,
            "malformed body",
            "The request body must be an object.",
        ));
    };
    let mut out = Vec::new();
    for (k, v) in map {
        match v {
            serde_json::Value::Null => out.push((k, String::new())),
            serde_json::Value::String(s) => out.push((k, s)),
            serde_json::Value::Array(items) => {
                for item in items {
                    let text = match item {
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    };
                    out.push((k.clone(), text));
                }
            }
            other => out.push((k, other.to_string())),
        }
    }
    Ok(Params(out))
}

/// A JSON reply (or a redirect) with optional cookies.
pub struct Reply {
    pub status: StatusCode,
    pub body: serde_json::Value,
    /// `Set-Cookie` values.
    pub cookies: Vec<String>,
    /// A redirect target: the reply is a 307 with this `Location` and no body.
    pub location: Option<String>,
    /// The client's `__client_uat` value (Unix seconds of its last change when it has a
    /// signed-in session, else 0) when the reply carries the client: [`run`] turns it into the
    /// `__client_uat` cookies for production (cookie-mode) clients.
    pub client_uat: Option<i64>,
}

impl Reply {
    /// 200 with a JSON body.
    pub fn json<T: Serialize>(body: &T) -> ApiResult<Self> {
        Ok(Self {
            status: StatusCode::OK,
            body: serde_json::to_value(body)?,
            cookies: Vec::new(),
            location: None,
            client_uat: None,
        })
    }

    /// 307 to `location`, no body.
    pub fn redirect(location: String) -> Self {
        Self {
            status: StatusCode::TEMPORARY_REDIRECT,
            body: serde_json::Value::Null,
            cookies: Vec::new(),
            location: Some(location),
            client_uat: None,
        }
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let mut resp = match &self.location {
            Some(location) => {
                let mut r = Response::new(Body::empty());
                *r.status_mut() = StatusCode::TEMPORARY_REDIRECT;
                match HeaderValue::from_str(location) {
                    Ok(v) => {
                        r.headers_mut().insert(header::LOCATION, v);
                        r
                    }
                    Err(_) => {
                        return ApiErr::internal("redirect target not a header").into_response()
                    }
                }
            }
            None => (self.status, axum::Json(self.body)).into_response(),
        };
        for c in self.cookies {
            if let Ok(v) = HeaderValue::from_str(&c) {
                resp.headers_mut().append(header::SET_COOKIE, v);
            }
        }
        resp.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        resp
    }
}

/// Runs a synchronous handler on the blocking pool (it may hash passwords, sign tokens and
/// wait for the disk).
pub async fn run(mut req: Req, f: fn(&mut Req) -> ApiResult<Reply>) -> Response {
    let result = tokio::task::spawn_blocking(move || {
        let _events_of = crate::webhooks::RequestScope::enter(&req.http_request);
        let mut reply = f(&mut req)?;
        reply.cookies.append(&mut req.set_cookies);
        // In production (cookie mode) FAPI keeps `__client_uat` up to date itself (clerk-js
        // writes it only for development instances).
        if let (Some(uat), Instance::Production) = (reply.client_uat, req.instance()) {
            reply
                .cookies
                .extend(crate::cookies::fapi_client_uat(&req.state, uat, req.secure));
        }
        Ok::<_, ApiErr>(reply)
    })
    .await;
    match result {
        Ok(Ok(reply)) => reply.into_response(),
        Ok(Err(e)) => e.into_response(),
        Err(e) => ApiErr::internal(format!("handler failed: {e}")).into_response(),
    }
}

/// Rewrites `POST …?_method=PUT|PATCH|DELETE` to that method (clerk-js keeps requests simple).
pub fn method_override(mut req: Request) -> Request {
    if req.method() == Method::POST {
        let wanted = Params::parse(req.uri().query().unwrap_or_default().as_bytes())
            .get("_method")
            .map(|m| m.to_ascii_uppercase());
        match wanted.as_deref() {
            Some("PUT") => *req.method_mut() = Method::PUT,
            Some("PATCH") => *req.method_mut() = Method::PATCH,
            Some("DELETE") => *req.method_mut() = Method::DELETE,
            _ => {}
        }
    }
    req
}

/// Whether a `Host` header names this machine's loopback: `127.0.0.1` (any `127.x.y.z`),
/// `[::1]`, `localhost` or a `*.localhost` name, with any port.
pub fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((addr, rest)) if rest.is_empty() || rest.starts_with(':') => addr,
            _ => return false,
        },
        None => host.rsplit_once(':').map_or(host, |(name, port)| {
            if port.chars().all(|c| c.is_ascii_digit()) {
                name
            } else {
                host
            }
        }),
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if let Ok(ip) = name.parse::<std::net::IpAddr>() {
        return ip.is_loopback();
    }
    name == "localhost" || name.ends_with(".localhost")
}

/// Refuses requests whose `Host` is not a loopback name (403 in Clerk's envelope): a page on
/// another site whose name resolves to 127.0.0.1 (DNS rebinding) cannot read the dev server,
/// its `/v1/__dev` endpoints included. A request without `Host` (in-process tests) passes.
pub async fn loopback_host_only(req: Request, next: Next) -> Response {
    if let Some(host) = req.headers().get(header::HOST) {
        let host = host.to_str().unwrap_or_default();
        if !is_loopback_host(host) {
            return ApiErr::forbidden(&format!(
                "This development server answers only to its loopback names (127.0.0.1, localhost, \
                 [::1]), not to the host `{}`.",
                host.chars().take(100).collect::<String>()
            ))
            .into_response();
        }
    }
    next.run(req).await
}

/// CORS with credentials for allowed origins; others get `origin_invalid`.
pub async fn cors(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let Some(origin) = origin else {
        return next.run(req).await;
    };
    if !state.origin_allowed(&origin) {
        return ApiErr::new(
            StatusCode::FORBIDDEN,
            ErrorCode::OriginInvalid,
            "Invalid origin",
            &format!("The request origin {origin} is not allowed for this instance."),
        )
        .param("Origin")
        .into_response();
    }
    let preflight = req.method() == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let request_headers = req
        .headers()
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .cloned();
    let mut resp = if preflight {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::NO_CONTENT;
        let h = r.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, PUT, PATCH, DELETE, OPTIONS"),
        );
        if let Some(rh) = request_headers {
            h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, rh);
        }
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        r
    } else {
        next.run(req).await
    };
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&origin) {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, v);
    }
    h.insert(
        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        HeaderValue::from_static("true"),
    );
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("Clerk-Db-Jwt, Retry-After, X-Country"),
    );
    h.append(header::VARY, HeaderValue::from_static("Origin"));
    resp
}
