//! Redirect URL checks. A redirect target is followed only if it is a same-origin path or an
//! absolute http(s) URL whose origin is the page's own or on the allow-list. Anything odd
//! (`javascript:`, `//host`, backslashes, user info, control characters) is refused rather than
//! interpreted.

/// The origin (`scheme://host[:port]`, lowercase) of an absolute http(s) URL, or `None` if the
/// URL is not one or looks suspicious.
///
/// ```
/// use clerk_core::redirect::origin_of;
/// assert_eq!(origin_of("https://App.Example.com:8443/x?y").as_deref(), Some("https://app.example.com:8443"));
/// assert_eq!(origin_of("https://a.com@evil.com/"), None);
/// assert_eq!(origin_of("javascript:alert(1)"), None);
/// ```
pub fn origin_of(url: &str) -> Option<String> {
    if has_suspicious_chars(url) {
        return None;
    }
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    Some(format!("{scheme}://{}", authority.to_ascii_lowercase()))
}

fn has_suspicious_chars(url: &str) -> bool {
    url.chars()
        .any(|c| c == '\\' || c.is_control() || c.is_whitespace())
}

/// Whether `url` is a path on the current origin: starts with one `/`, not `//`.
///
/// ```
/// use clerk_core::redirect::is_same_origin_path;
/// assert!(is_same_origin_path("/dashboard?x=1"));
/// assert!(!is_same_origin_path("//evil.com"));
/// ```
pub fn is_same_origin_path(url: &str) -> bool {
    url.starts_with('/') && !url.starts_with("//") && !has_suspicious_chars(url)
}

/// Whether a redirect to `url` is allowed from a page on `current_origin`. `allowed` holds
/// origins (`https://app.example.com`) or subdomain wildcards (`https://*.example.com`).
///
/// ```
/// use clerk_core::redirect::is_allowed_redirect;
/// let allowed = ["https://*.example.com".to_string()];
/// assert!(is_allowed_redirect("/home", "http://localhost:8080", &allowed));
/// assert!(is_allowed_redirect("http://localhost:8080/x", "http://localhost:8080", &allowed));
/// assert!(is_allowed_redirect("https://docs.example.com/a", "http://localhost:8080", &allowed));
/// assert!(!is_allowed_redirect("https://example.com.evil.io/", "http://localhost:8080", &allowed));
/// assert!(!is_allowed_redirect("javascript:alert(1)", "http://localhost:8080", &allowed));
/// ```
pub fn is_allowed_redirect(url: &str, current_origin: &str, allowed: &[String]) -> bool {
    if is_same_origin_path(url) {
        return true;
    }
    let Some(origin) = origin_of(url) else {
        return false;
    };
    if origin_of(current_origin).is_some_and(|o| o == origin) {
        return true;
    }
    allowed
        .iter()
        .any(|pattern| origin_matches(&origin, pattern))
}

fn origin_matches(origin: &str, pattern: &str) -> bool {
    let pattern = pattern.trim().trim_end_matches('/').to_ascii_lowercase();
    match pattern.split_once("://*.") {
        Some((scheme, domain)) => origin
            .strip_prefix(&format!("{scheme}://"))
            .is_some_and(|host| host.ends_with(&format!(".{domain}"))),
        None => origin_of(&pattern).is_some_and(|p| p == origin),
    }
}

/// Where to go after a sign-in or sign-up, in Clerk's order: the force URL, else the page's
/// `redirect_url` query parameter if it is allowed, else the fallback URL, else `/`. A force or
/// fallback URL that is not allowed is skipped too.
///
/// ```
/// use clerk_core::redirect::{after_auth_url, AfterAuth};
/// let origin = "http://localhost:8080";
/// let rules = AfterAuth { force: None, fallback: Some("/home"), allowed: &[] };
/// assert_eq!(after_auth_url(&rules, Some("/orders/1"), origin), "/orders/1");
/// assert_eq!(after_auth_url(&rules, Some("https://evil.io/"), origin), "/home");
/// let forced = AfterAuth { force: Some("/welcome"), ..rules };
/// assert_eq!(after_auth_url(&forced, Some("/orders/1"), origin), "/welcome");
/// ```
pub fn after_auth_url(
    rules: &AfterAuth<'_>,
    redirect_url: Option<&str>,
    current_origin: &str,
) -> String {
    let ok = |u: &&str| !u.is_empty() && is_allowed_redirect(u, current_origin, rules.allowed);
    rules
        .force
        .filter(ok)
        .or(redirect_url.filter(ok))
        .or(rules.fallback.filter(ok))
        .unwrap_or("/")
        .to_owned()
}

/// The redirect options of one flow (sign-in or sign-up).
///
/// ```
/// use clerk_core::redirect::AfterAuth;
/// let rules = AfterAuth { force: None, fallback: None, allowed: &[] };
/// assert!(rules.force.is_none());
/// ```
#[derive(Clone, Copy, Debug)]
pub struct AfterAuth<'a> {
    /// Always go here (`sign_in_force_redirect_url`).
    pub force: Option<&'a str>,
    /// Go here when no `redirect_url` is given (`sign_in_fallback_redirect_url`).
    pub fallback: Option<&'a str>,
    /// Other allowed origins (`allowed_redirect_origins`).
    pub allowed: &'a [String],
}

/// `url` with one more query parameter (`?` or `&` as needed, the value form-encoded): how a
/// sign-in or sign-up page URL carries its `redirect_url`.
///
/// ```
/// use clerk_core::redirect::with_query_param;
/// assert_eq!(with_query_param("/sign-in", "redirect_url", "/a?b=1"), "/sign-in?redirect_url=%2Fa%3Fb%3D1");
/// assert_eq!(with_query_param("/sign-in?x=1", "redirect_url", "/"), "/sign-in?x=1&redirect_url=%2F");
/// ```
pub fn with_query_param(url: &str, key: &str, value: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    let pair = form_urlencoded::Serializer::new(String::new())
        .append_pair(key, value)
        .finish();
    format!("{url}{sep}{pair}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_tricks() {
        let origin = "https://app.example.com";
        for url in [
            "//evil.com",
            "/\\evil.com",
            "https:\\\\evil.com",
            "https://app.example.com@evil.com",
            "https://evil.com#@app.example.com",
            "data:text/html,x",
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            " https://evil.com",
            "https://evil.com\n",
            "ftp://app.example.com",
            "https://",
            "",
        ] {
            assert!(!is_allowed_redirect(url, origin, &[]), "{url:?}");
        }
    }

    #[test]
    fn accepts_same_origin_and_listed_origins() {
        let origin = "https://app.example.com";
        let allowed = vec![
            "https://accounts.example.org".to_string(),
            "http://*.test".to_string(),
        ];
        for url in [
            "/",
            "/a/b?c=d#e",
            "https://APP.example.com/x",
            "https://accounts.example.org/sign-in",
            "http://a.b.test/",
        ] {
            assert!(is_allowed_redirect(url, origin, &allowed), "{url:?}");
        }
        assert!(
            !is_allowed_redirect("https://a.test/", origin, &allowed),
            "scheme must match"
        );
        assert!(
            !is_allowed_redirect("http://test/", origin, &allowed),
            "wildcard needs a subdomain"
        );
    }
}
