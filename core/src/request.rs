//! Building FAPI requests as clerk-js does: base URL, standard query parameters, the `_method`
//! override and form-encoded bodies (`fapi-protocol.md` §1).

use serde::Serialize;

use super::key::PublishableKey;
use super::wire::InstanceType;

/// The FAPI version this SDK speaks, sent as `__clerk_api_version`.
///
/// ```
/// assert_eq!(clerk_core::request::API_VERSION, "2026-05-12");
/// ```
pub const API_VERSION: &str = "2026-05-12";

/// This SDK's name and version, sent as `_clerk_sdk_version`.
///
/// ```
/// assert!(clerk_core::request::SDK_VERSION.starts_with("leptos-clerk@"));
/// ```
pub const SDK_VERSION: &str = concat!("leptos-clerk@", env!("CARGO_PKG_VERSION"));

/// HTTP methods FAPI uses.
///
/// ```
/// use clerk_core::request::Method;
/// assert_eq!(Method::Patch.wire(), "POST");
/// assert_eq!(Method::Get.wire(), "GET");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT (sent as POST with `_method=PUT`).
    Put,
    /// PATCH (sent as POST with `_method=PATCH`).
    Patch,
    /// DELETE (sent as POST with `_method=DELETE`).
    Delete,
}

impl Method {
    /// The method's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }

    /// The method actually sent: only GET and POST travel, so requests stay CORS-simple.
    pub fn wire(self) -> &'static str {
        match self {
            Self::Get => "GET",
            _ => "POST",
        }
    }

    /// The `_method` override, for PUT, PATCH and DELETE.
    pub fn override_param(self) -> Option<&'static str> {
        matches!(self, Self::Put | Self::Patch | Self::Delete).then(|| self.as_str())
    }
}

/// A FAPI call before it reaches the network: method, path below `/v1`, the caller's own
/// query parameters and the form body.
///
/// ```
/// use clerk_core::request::{FapiRequest, Method};
/// let req = FapiRequest::new(Method::Post, "/client/sign_ins")
///     .field("identifier", "ada@example.com")
///     .field("strategy", "password");
/// assert_eq!(req.body(), "identifier=ada%40example.com&strategy=password");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FapiRequest {
    /// The method.
    pub method: Method,
    /// The path below `/v1`, starting with `/`.
    pub path: String,
    /// The caller's query parameters (pagination, `debug`…).
    pub query: Vec<(String, String)>,
    /// The form fields of the body.
    pub form: Vec<(String, String)>,
}

impl FapiRequest {
    /// A request with no parameters.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            query: Vec::new(),
            form: Vec::new(),
        }
    }

    /// Adds a query parameter.
    pub fn query(mut self, key: &str, value: impl Into<String>) -> Self {
        self.query.push((key.to_owned(), value.into()));
        self
    }

    /// Adds a form field.
    pub fn field(mut self, key: &str, value: impl Into<String>) -> Self {
        self.form.push((key.to_owned(), value.into()));
        self
    }

    /// Adds the fields of a serializable body, encoded as [`encode_form`] says.
    pub fn body_of<T: Serialize>(mut self, body: &T) -> Result<Self, FormError> {
        self.form.extend(encode_form(body)?);
        Ok(self)
    }

    /// The form body, URL-encoded.
    pub fn body(&self) -> String {
        url_encode(&self.form)
    }
}

/// Why a body could not be form-encoded.
///
/// ```
/// use clerk_core::request::{encode_form, FormError};
/// assert_eq!(encode_form(&42).unwrap_err(), FormError::NotAnObject);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FormError {
    /// Only objects (structs, maps) make a form.
    #[error("a form body must be an object")]
    NotAnObject,
    /// Serialization failed.
    #[error("could not serialize the body: {0}")]
    Serialize(String),
}

/// Encodes a body as FAPI forms expect: keys in snake_case; a missing field is left out, `null`
/// becomes an empty value, booleans `true`/`false`, arrays repeat the key, objects become JSON
/// text.
///
/// ```
/// use clerk_core::request::encode_form;
/// let pairs = encode_form(&serde_json::json!({
///     "firstName": "Ada", "organizationId": null, "legalAccepted": true,
///     "tags": ["a", "b"], "unsafeMetadata": {"plan": 1},
/// })).unwrap();
/// let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
/// assert!(pairs.contains(&("first_name", "Ada")));
/// assert!(pairs.contains(&("organization_id", "")));
/// assert!(pairs.contains(&("legal_accepted", "true")));
/// assert!(pairs.contains(&("tags", "a")) && pairs.contains(&("tags", "b")));
/// assert!(pairs.contains(&("unsafe_metadata", r#"{"plan":1}"#)));
/// ```
pub fn encode_form<T: Serialize + ?Sized>(body: &T) -> Result<Vec<(String, String)>, FormError> {
    let value = serde_json::to_value(body).map_err(|e| FormError::Serialize(e.to_string()))?;
    let object = match value {
        serde_json::Value::Object(map) => map,
        serde_json::Value::Null => return Ok(Vec::new()),
        _ => return Err(FormError::NotAnObject),
    };
    let mut pairs = Vec::with_capacity(object.len());
    for (key, value) in object {
        let key = camel_to_snake(&key);
        match value {
            serde_json::Value::Array(items) => {
                pairs.extend(items.iter().map(|item| (key.clone(), scalar_text(item))));
            }
            other => pairs.push((key, scalar_text(&other))),
        }
    }
    Ok(pairs)
}

fn scalar_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// `firstName` → `first_name`; snake_case stays as it is.
///
/// ```
/// use clerk_core::request::camel_to_snake;
/// assert_eq!(camel_to_snake("redirectUrl"), "redirect_url");
/// assert_eq!(camel_to_snake("already_snake"), "already_snake");
/// ```
pub fn camel_to_snake(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            if !out.is_empty() {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// URL-encodes pairs as `application/x-www-form-urlencoded`.
///
/// ```
/// use clerk_core::request::url_encode;
/// let pairs = vec![("a".to_string(), "x y".to_string()), ("b".to_string(), "".to_string())];
/// assert_eq!(url_encode(&pairs), "a=x+y&b=");
/// ```
pub fn url_encode(pairs: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// Why the FAPI base URL could not be built.
///
/// ```
/// use clerk_core::request::{FapiEndpoint, EndpointError};
/// use clerk_core::key::PublishableKey;
/// use clerk_core::wire::InstanceType;
/// let key = PublishableKey::build("clerk.example.com", InstanceType::Production);
/// let err = FapiEndpoint::new(&key, Some("ftp://x"), None, None).unwrap_err();
/// assert!(matches!(err, EndpointError::ProxyUrl(_)));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EndpointError {
    /// The proxy URL is neither `http(s)://…` nor a path starting with `/`.
    #[error("proxy_url must be an absolute http(s) URL or a path starting with `/`, got `{0}`")]
    ProxyUrl(String),
    /// A relative proxy URL needs the page's origin.
    #[error("a relative proxy_url needs the page origin")]
    NoOrigin,
}

/// Where FAPI lives for this app, and how each request reaches it.
///
/// ```
/// use clerk_core::request::{FapiEndpoint, FapiRequest, Method, RequestContext};
/// use clerk_core::key::PublishableKey;
/// use clerk_core::wire::InstanceType;
/// let key = PublishableKey::build("foo-bar-13.clerk.accounts.dev", InstanceType::Development);
/// let fapi = FapiEndpoint::new(&key, Some("/__clerk"), None, Some("http://localhost:8080")).unwrap();
/// assert_eq!(fapi.base_url(), "http://localhost:8080/__clerk/v1");
/// let ctx = RequestContext { session_id: Some("sess_1"), dev_browser: Some("dvb"), ..Default::default() };
/// let http = fapi.prepare(&FapiRequest::new(Method::Delete, "/me"), &ctx);
/// assert_eq!(http.method, "POST");
/// assert!(http.url.contains("&_method=DELETE&_clerk_session_id=sess_1&__clerk_db_jwt=dvb"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FapiEndpoint {
    base: String,
}

/// Per-request state that goes into the query string.
///
/// ```
/// use clerk_core::request::RequestContext;
/// assert!(RequestContext::default().session_id.is_none());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RequestContext<'a> {
    /// The current session, sent as `_clerk_session_id` outside `/client` and `/waitlist`.
    pub session_id: Option<&'a str>,
    /// The dev-browser token, sent as `__clerk_db_jwt`.
    pub dev_browser: Option<&'a str>,
    /// The native OAuth nonce of `client.reload()`, sent as `rotating_token_nonce`.
    pub rotating_token_nonce: Option<&'a str>,
    /// The satellite domain of a development instance, sent as `__domain`.
    pub domain: Option<&'a str>,
}

/// A request ready for `fetch`.
///
/// ```
/// use clerk_core::request::HttpRequest;
/// let r = HttpRequest { method: "GET", url: "https://x/v1/client".into(), body: None };
/// assert!(r.body.is_none());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The full URL with every query parameter.
    pub url: String,
    /// The form body of a POST (`application/x-www-form-urlencoded`).
    pub body: Option<String>,
}

impl FapiEndpoint {
    /// The endpoint of a key: `https://{frontend api}/v1`, or `https://{domain}/v1` for a
    /// production satellite, or the proxy URL + `/v1`. A relative proxy URL is resolved
    /// against `page_origin`.
    pub fn new(
        key: &PublishableKey,
        proxy_url: Option<&str>,
        domain: Option<&str>,
        page_origin: Option<&str>,
    ) -> Result<Self, EndpointError> {
        let base = match proxy_url.map(str::trim).filter(|p| !p.is_empty()) {
            Some(proxy) => {
                let proxy = proxy.trim_end_matches('/');
                if proxy.starts_with("http://") || proxy.starts_with("https://") {
                    format!("{proxy}/v1")
                } else if proxy.starts_with('/') || proxy.is_empty() {
                    let origin = page_origin.ok_or(EndpointError::NoOrigin)?;
                    format!("{}{proxy}/v1", origin.trim_end_matches('/'))
                } else {
                    return Err(EndpointError::ProxyUrl(proxy.to_owned()));
                }
            }
            None => {
                let host = match (key.instance_type(), domain) {
                    (InstanceType::Production, Some(d)) if !d.is_empty() => strip_scheme(d),
                    _ => key.frontend_api(),
                };
                format!("https://{host}/v1")
            }
        };
        Ok(Self { base })
    }

    /// An endpoint at a given base URL (ending in `/v1`), for tests and custom setups.
    pub fn with_base(base: impl Into<String>) -> Self {
        Self { base: base.into() }
    }

    /// The base URL, ending in `/v1`.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// The URL of a path with the standard query parameters, in clerk-js's order:
    /// `__clerk_api_version`, `_clerk_sdk_version`, `rotating_token_nonce`, `__domain`,
    /// `_method`, `_clerk_session_id`, the caller's own, then `__clerk_db_jwt`.
    pub fn url(&self, request: &FapiRequest, ctx: &RequestContext<'_>) -> String {
        let mut query: Vec<(String, String)> = vec![
            ("__clerk_api_version".into(), API_VERSION.into()),
            ("_clerk_sdk_version".into(), SDK_VERSION.into()),
        ];
        let client_path =
            request.path.starts_with("/client") || request.path.starts_with("/waitlist");
        let optional = [
            ("rotating_token_nonce", ctx.rotating_token_nonce),
            ("__domain", ctx.domain),
            ("_method", request.method.override_param()),
            ("_clerk_session_id", ctx.session_id.filter(|_| !client_path)),
        ];
        let present = |(k, v): (&str, Option<&str>)| v.map(|v| (k.to_owned(), v.to_owned()));
        query.extend(optional.into_iter().filter_map(present));
        query.extend(request.query.iter().cloned());
        query.extend(present(("__clerk_db_jwt", ctx.dev_browser)));
        format!("{}{}?{}", self.base, request.path, url_encode(&query))
    }

    /// The request as it goes on the wire.
    pub fn prepare(&self, request: &FapiRequest, ctx: &RequestContext<'_>) -> HttpRequest {
        let method = request.method.wire();
        HttpRequest {
            method,
            url: self.url(request, ctx),
            body: (method == "POST").then(|| request.body()),
        }
    }

    /// The URL of `GET /v1/client/touch`, which renews the client cookie and then redirects to
    /// `redirect_url` (clerk-js `buildTouchUrl`).
    pub fn touch_url(&self, redirect_url: &str, ctx: &RequestContext<'_>) -> String {
        let req =
            FapiRequest::new(Method::Get, "/client/touch").query("redirect_url", redirect_url);
        self.url(&req, ctx)
    }
}

fn strip_scheme(domain: &str) -> &str {
    domain
        .strip_prefix("https://")
        .or_else(|| domain.strip_prefix("http://"))
        .unwrap_or(domain)
        .trim_end_matches('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dev_key() -> PublishableKey {
        PublishableKey::build("foo-bar-13.clerk.accounts.dev", InstanceType::Development)
    }

    #[test]
    fn base_urls_follow_clerk_js() {
        let live = PublishableKey::build("clerk.example.com", InstanceType::Production);
        let cases = [
            (&live, None, None, "https://clerk.example.com/v1"),
            (
                &live,
                None,
                Some("https://sat.example.org/"),
                "https://sat.example.org/v1",
            ),
            (
                &dev_key(),
                None,
                Some("sat.example.org"),
                "https://foo-bar-13.clerk.accounts.dev/v1",
            ),
            (
                &live,
                Some("http://localhost:8787"),
                None,
                "http://localhost:8787/v1",
            ),
            (
                &live,
                Some("https://app.example.com/__clerk/"),
                None,
                "https://app.example.com/__clerk/v1",
            ),
            (
                &live,
                Some("/__clerk"),
                None,
                "https://app.example.com/__clerk/v1",
            ),
        ];
        for (key, proxy, domain, want) in cases {
            let e = FapiEndpoint::new(key, proxy, domain, Some("https://app.example.com")).unwrap();
            assert_eq!(e.base_url(), want);
        }
        assert_eq!(
            FapiEndpoint::new(&live, Some("/x"), None, None),
            Err(EndpointError::NoOrigin)
        );
        assert!(FapiEndpoint::new(&live, Some("x.com"), None, None).is_err());
    }

    #[test]
    fn query_parameters_come_in_clerk_js_order() {
        let e = FapiEndpoint::with_base("http://h/v1");
        let ctx = RequestContext {
            session_id: Some("sess_1"),
            dev_browser: Some("db"),
            ..Default::default()
        };
        let req = FapiRequest::new(Method::Get, "/me/organization_memberships")
            .query("limit", "10")
            .query("offset", "0");
        let url = e.url(&req, &ctx);
        let sdk = url_encode(&[("x".into(), SDK_VERSION.into())]);
        assert_eq!(
            url,
            format!(
                "http://h/v1/me/organization_memberships?__clerk_api_version=2026-05-12&_clerk_sdk_version={}&_clerk_session_id=sess_1&limit=10&offset=0&__clerk_db_jwt=db",
                &sdk[2..]
            )
        );
    }

    #[test]
    fn client_paths_never_carry_the_session_id() {
        let e = FapiEndpoint::with_base("http://h/v1");
        let ctx = RequestContext {
            session_id: Some("sess_1"),
            ..Default::default()
        };
        for path in ["/client", "/client/sessions/sess_1/tokens", "/waitlist"] {
            let url = e.url(&FapiRequest::new(Method::Post, path), &ctx);
            assert!(!url.contains("_clerk_session_id"), "{url}");
        }
        let url = e.url(&FapiRequest::new(Method::Get, "/environment"), &ctx);
        assert!(url.contains("_clerk_session_id=sess_1"));
    }

    #[test]
    fn non_get_post_methods_travel_as_post_with_override() {
        let e = FapiEndpoint::with_base("http://h/v1");
        for (m, wire, over) in [
            (Method::Get, "GET", None),
            (Method::Post, "POST", None),
            (Method::Put, "POST", Some("PUT")),
            (Method::Patch, "POST", Some("PATCH")),
            (Method::Delete, "POST", Some("DELETE")),
        ] {
            let http = e.prepare(&FapiRequest::new(m, "/client"), &RequestContext::default());
            assert_eq!(http.method, wire);
            assert_eq!(http.url.contains("_method="), over.is_some());
            if let Some(o) = over {
                assert!(http.url.contains(&format!("_method={o}")));
            }
            assert_eq!(http.body.is_some(), wire == "POST");
        }
    }

    #[test]
    fn forms_encode_like_clerk_js() {
        #[derive(Serialize)]
        struct Body<'a> {
            email_address: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            username: Option<&'a str>,
            organization_id: Option<&'a str>,
            legal_accepted: bool,
        }
        let req = FapiRequest::new(Method::Post, "/client/sign_ups")
            .body_of(&Body {
                email_address: "a+b@c.d",
                username: None,
                organization_id: None,
                legal_accepted: false,
            })
            .unwrap();
        assert_eq!(
            req.body(),
            "email_address=a%2Bb%40c.d&legal_accepted=false&organization_id="
        );
        assert_eq!(encode_form(&()).unwrap(), vec![]);
        assert_eq!(encode_form(&[1, 2]), Err(FormError::NotAnObject));
        assert_eq!(encode_form("text"), Err(FormError::NotAnObject));
    }

    #[test]
    fn touch_url_carries_the_redirect() {
        let e = FapiEndpoint::new(&dev_key(), None, None, None).unwrap();
        let url = e.touch_url("https://app.example.com/x?y=1", &RequestContext::default());
        assert!(url.starts_with("https://foo-bar-13.clerk.accounts.dev/v1/client/touch?"));
        assert!(url.ends_with("redirect_url=https%3A%2F%2Fapp.example.com%2Fx%3Fy%3D1"));
    }
}
