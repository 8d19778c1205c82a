//! Session JWT claims, decoded without verification (the browser trusts its own FAPI; servers
//! verify). Both claim versions: v1 (`org_id`, `org_role`…) and v2 (`v: 2`, compact `o`, `fea`,
//! `pla`, with the permission bitmask expansion).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::wire::{Actor, SessionStatus};

/// Why a JWT could not be decoded.
///
/// ```
/// use leptos_clerk::core::claims::{SessionClaims, ClaimsError};
/// assert_eq!(SessionClaims::decode("abc").unwrap_err(), ClaimsError::Malformed);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClaimsError {
    /// Not three dot-separated parts.
    #[error("a JWT has three parts separated by dots")]
    Malformed,
    /// A part is not base64url.
    #[error("the JWT {0} is not base64url")]
    Base64(&'static str),
    /// A part is not a JSON object of the expected shape.
    #[error("the JWT {0} is not valid JSON: {1}")]
    Json(&'static str, String),
    /// A claim a session token must have is missing.
    #[error("the session token has no `{0}` claim")]
    Missing(&'static str),
}

/// The JOSE header of a session token.
///
/// ```
/// use leptos_clerk::core::claims::JwtHeader;
/// let h: JwtHeader = serde_json::from_str(r#"{"alg":"RS256","kid":"ins_1","typ":"JWT"}"#).unwrap();
/// assert_eq!(h.kid.as_deref(), Some("ins_1"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JwtHeader {
    /// Signature algorithm (`RS256`).
    pub alg: String,
    /// Signing key id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    /// `JWT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typ: Option<String>,
    /// Origin issued-at (seconds): orders tokens of one session by freshness.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oiat: Option<i64>,
}

/// The claims of any JWT: header and payload as JSON.
///
/// ```
/// use leptos_clerk::core::claims::decode_jwt;
/// let (header, payload) = decode_jwt("eyJhbGciOiJub25lIn0.eyJhIjoxfQ.").unwrap();
/// assert_eq!(header.alg, "none");
/// assert_eq!(payload["a"], 1);
/// ```
pub fn decode_jwt(
    jwt: &str,
) -> Result<(JwtHeader, serde_json::Map<String, serde_json::Value>), ClaimsError> {
    let mut parts = jwt.trim().split('.');
    let (Some(h), Some(p), Some(_sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ClaimsError::Malformed);
    };
    let header = decode_part(h, "header")?;
    let payload = decode_part(p, "payload")?;
    Ok((header, payload))
}

fn decode_part<T: serde::de::DeserializeOwned>(
    part: &str,
    name: &'static str,
) -> Result<T, ClaimsError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|_| ClaimsError::Base64(name))?;
    serde_json::from_slice(&bytes).map_err(|e| ClaimsError::Json(name, e.to_string()))
}

/// The active organization as the token states it.
///
/// ```
/// use leptos_clerk::core::claims::OrgClaims;
/// let o = OrgClaims { id: "org_1".into(), slug: None, role: Some("org:admin".into()), permissions: vec![] };
/// assert_eq!(o.role.as_deref(), Some("org:admin"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgClaims {
    /// `org_…`.
    pub id: String,
    /// Slug.
    pub slug: Option<String>,
    /// Role key, always with its `org:` prefix.
    pub role: Option<String>,
    /// Permission keys (`org:feature:permission`).
    pub permissions: Vec<String>,
}

/// The claims of a session token, v1 and v2 alike.
///
/// ```
/// use leptos_clerk::core::claims::SessionClaims;
/// // {"alg":"RS256"} . {"sid":"sess_1","sub":"user_1","iss":"https://x","exp":1060,"iat":1000,"v":2,
/// //   "o":{"id":"org_1","slg":"acme","rol":"admin","per":"read,manage","fpm":"3"},"fea":"o:billing"}
/// let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzaWQiOiJzZXNzXzEiLCJzdWIiOiJ1c2VyXzEiLCJpc3MiOiJodHRwczovL3giLCJleHAiOjEwNjAsImlhdCI6MTAwMCwidiI6MiwibyI6eyJpZCI6Im9yZ18xIiwic2xnIjoiYWNtZSIsInJvbCI6ImFkbWluIiwicGVyIjoicmVhZCxtYW5hZ2UiLCJmcG0iOiIzIn0sImZlYSI6Im86YmlsbGluZyJ9.c2ln";
/// let c = SessionClaims::decode(jwt).unwrap();
/// let org = c.org.as_ref().unwrap();
/// assert_eq!(org.role.as_deref(), Some("org:admin"));
/// assert_eq!(org.permissions, ["org:billing:read", "org:billing:manage"]);
/// assert!(c.has_feature("billing"));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionClaims {
    /// The token as text.
    pub raw: String,
    /// Its header.
    pub header: JwtHeader,
    /// Session id.
    pub sid: String,
    /// User id.
    pub sub: String,
    /// Issuer: `https://{frontend api}`.
    pub iss: String,
    /// Authorized party: the origin of the page the token was minted for.
    pub azp: Option<String>,
    /// Expiry (seconds).
    pub exp: i64,
    /// Issued at (seconds).
    pub iat: i64,
    /// Not before (seconds).
    pub nbf: Option<i64>,
    /// The actor of an impersonated session.
    pub act: Option<Actor>,
    /// Minutes since the first and second factor were verified (`-1`: never).
    pub fva: Option<Vec<i64>>,
    /// Session status (`active` or `pending`).
    pub sts: Option<SessionStatus>,
    /// Claims version: 1, or 2 for the compact format.
    pub version: u8,
    /// The active organization.
    pub org: Option<OrgClaims>,
    /// Scoped features (`o:x`, `u:y`, `ou:z`).
    pub features: Vec<String>,
    /// Scoped plans.
    pub plans: Vec<String>,
    /// The whole payload, custom claims included.
    pub payload: serde_json::Map<String, serde_json::Value>,
}

impl SessionClaims {
    /// Decodes a session token. `sid`, `sub`, `exp` and `iat` must be there.
    pub fn decode(jwt: &str) -> Result<Self, ClaimsError> {
        let (header, payload) = decode_jwt(jwt)?;
        let text = |k: &'static str| payload.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        let int = |k: &'static str| payload.get(k).and_then(|v| v.as_i64());
        let version = int("v").unwrap_or(1).clamp(1, 255) as u8;
        let org = if version >= 2 {
            org_v2(&payload)
        } else {
            org_v1(&payload)
        };
        Ok(Self {
            raw: jwt.trim().to_owned(),
            sid: text("sid").ok_or(ClaimsError::Missing("sid"))?,
            sub: text("sub").ok_or(ClaimsError::Missing("sub"))?,
            iss: text("iss").unwrap_or_default(),
            azp: text("azp"),
            exp: int("exp").ok_or(ClaimsError::Missing("exp"))?,
            iat: int("iat").ok_or(ClaimsError::Missing("iat"))?,
            nbf: int("nbf"),
            act: claim(&payload, "act")?,
            fva: claim(&payload, "fva")?,
            sts: text("sts").map(|s| SessionStatus::from(s.as_str())),
            version,
            org,
            features: split_list(text("fea").as_deref()),
            plans: split_list(text("pla").as_deref()),
            header,
            payload,
        })
    }

    /// Expiry time.
    pub fn expires_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.exp, 0).unwrap_or_default()
    }

    /// Issue time.
    pub fn issued_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.iat, 0).unwrap_or_default()
    }

    /// Whether a feature is on: `name` in any scope, or `org:name` / `user:name` in one.
    pub fn has_feature(&self, feature: &str) -> bool {
        scoped_contains(&self.features, feature)
    }

    /// Whether a plan is active, with the same scoping rules as [`has_feature`](Self::has_feature).
    pub fn has_plan(&self, plan: &str) -> bool {
        scoped_contains(&self.plans, plan)
    }
}

fn claim<T: serde::de::DeserializeOwned>(
    payload: &serde_json::Map<String, serde_json::Value>,
    key: &'static str,
) -> Result<Option<T>, ClaimsError> {
    match payload.get(key) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(v) => serde_json::from_value(v.clone())
            .map(Some)
            .map_err(|e| ClaimsError::Json("payload", format!("{key}: {e}"))),
    }
}

fn split_list(list: Option<&str>) -> Vec<String> {
    list.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The names in a scoped list (`o:x,u:y,ou:z`) for a scope letter.
fn in_scope(list: &[String], scope: char) -> impl Iterator<Item = &str> {
    list.iter().filter_map(move |entry| {
        let (scopes, name) = entry.split_once(':')?;
        scopes.contains(scope).then_some(name)
    })
}

pub(crate) fn scoped_contains(list: &[String], wanted: &str) -> bool {
    match wanted.split_once(':') {
        Some(("org", name)) => in_scope(list, 'o').any(|n| n == name),
        Some(("user", name)) => in_scope(list, 'u').any(|n| n == name),
        _ => in_scope(list, 'o')
            .chain(in_scope(list, 'u'))
            .any(|n| n == wanted),
    }
}

fn org_v1(payload: &serde_json::Map<String, serde_json::Value>) -> Option<OrgClaims> {
    let id = payload.get("org_id")?.as_str()?.to_owned();
    let text = |k: &str| payload.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    let permissions = payload
        .get("org_permissions")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|p| p.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    Some(OrgClaims {
        id,
        slug: text("org_slug"),
        role: text("org_role"),
        permissions,
    })
}

fn org_v2(payload: &serde_json::Map<String, serde_json::Value>) -> Option<OrgClaims> {
    let o = payload.get("o")?.as_object()?;
    let text = |k: &str| o.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    let features = split_list(payload.get("fea").and_then(|v| v.as_str()));
    let org_features: Vec<&str> = in_scope(&features, 'o').collect();
    Some(OrgClaims {
        id: text("id")?,
        slug: text("slg"),
        role: text("rol").map(|r| {
            if r.starts_with("org:") {
                r
            } else {
                format!("org:{r}")
            }
        }),
        permissions: expand_permissions(
            &org_features,
            text("per").as_deref().unwrap_or_default(),
            text("fpm").as_deref().unwrap_or_default(),
        ),
    })
}

/// Expands v2 permissions: `per` lists permission names, `fpm` one decimal bitmask per
/// org-scoped feature (in `fea` order); bit `i` (least significant first) grants
/// `org:{feature}:{per[i]}`. Bad numbers grant nothing.
///
/// ```
/// use leptos_clerk::core::claims::expand_permissions;
/// assert_eq!(
///     expand_permissions(&["posts", "members"], "read,manage", "1,2"),
///     ["org:posts:read", "org:members:manage"],
/// );
/// ```
pub fn expand_permissions(org_features: &[&str], per: &str, fpm: &str) -> Vec<String> {
    let names: Vec<&str> = per
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if names.is_empty() {
        return Vec::new();
    }
    let masks = fpm.split(',').map(|m| m.trim().parse::<u64>().unwrap_or(0));
    let mut out = Vec::new();
    for (feature, mask) in org_features.iter().zip(masks) {
        for (bit, name) in names.iter().enumerate().take(64) {
            if mask & (1 << bit) != 0 {
                out.push(format!("org:{feature}:{name}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;

    fn jwt(payload: serde_json::Value) -> String {
        format!(
            "{}.{}.sig",
            B64.encode(r#"{"alg":"RS256","kid":"ins_1","typ":"JWT","oiat":5}"#),
            B64.encode(payload.to_string())
        )
    }

    #[test]
    fn v1_claims() {
        let c = SessionClaims::decode(&jwt(serde_json::json!({
            "sid":"sess_1","sub":"user_1","iss":"https://clerk.x","azp":"http://localhost:3000",
            "exp":100,"iat":40,"nbf":30,"org_id":"org_1","org_slug":"acme","org_role":"org:admin",
            "org_permissions":["org:sys_memberships:manage"],"fva":[3,-1],"sts":"active",
            "act":{"sub":"user_admin"},"custom":"x"
        })))
        .unwrap();
        assert_eq!(c.version, 1);
        assert_eq!(c.header.oiat, Some(5));
        assert_eq!(c.azp.as_deref(), Some("http://localhost:3000"));
        assert_eq!((c.exp, c.iat, c.nbf), (100, 40, Some(30)));
        let org = c.org.unwrap();
        assert_eq!(
            (org.id.as_str(), org.slug.as_deref()),
            ("org_1", Some("acme"))
        );
        assert_eq!(org.permissions, ["org:sys_memberships:manage"]);
        assert_eq!(c.fva, Some(vec![3, -1]));
        assert_eq!(c.sts, Some(SessionStatus::Active));
        assert_eq!(c.act.unwrap().sub, "user_admin");
        assert_eq!(c.payload["custom"], "x");
    }

    #[test]
    fn v2_claims_expand_permissions_per_feature() {
        let c = SessionClaims::decode(&jwt(serde_json::json!({
            "sid":"s","sub":"u","exp":2,"iat":1,"v":2,
            "o":{"id":"org_1","slg":"acme","rol":"member","per":"read,manage,delete","fpm":"5,2"},
            "fea":"o:posts,u:beta,ou:members","pla":"u:pro,o:team"
        })))
        .unwrap();
        let org = c.org.as_ref().unwrap();
        assert_eq!(org.role.as_deref(), Some("org:member"));
        assert_eq!(
            org.permissions,
            ["org:posts:read", "org:posts:delete", "org:members:manage"]
        );
        assert!(c.has_feature("beta") && c.has_feature("user:beta") && !c.has_feature("org:beta"));
        assert!(c.has_feature("org:members") && c.has_feature("user:members"));
        assert!(c.has_plan("org:team") && c.has_plan("pro") && !c.has_plan("org:pro"));
    }

    #[test]
    fn v2_without_org_has_no_org() {
        let c = SessionClaims::decode(&jwt(
            serde_json::json!({"sid":"s","sub":"u","exp":2,"iat":1,"v":2}),
        ))
        .unwrap();
        assert!(c.org.is_none());
    }

    #[test]
    fn bad_tokens_are_errors_not_panics() {
        let header = B64.encode(r#"{"alg":"RS256"}"#);
        let cases: Vec<(String, ClaimsError)> = vec![
            ("".into(), ClaimsError::Malformed),
            ("a.b".into(), ClaimsError::Malformed),
            ("a.b.c.d".into(), ClaimsError::Malformed),
            ("!!.b.c".into(), ClaimsError::Base64("header")),
            (format!("{header}.%%%.c"), ClaimsError::Base64("payload")),
            (
                format!(
                    "{header}.{}.c",
                    B64.encode(r#"{"sub":"u","exp":1,"iat":1}"#)
                ),
                ClaimsError::Missing("sid"),
            ),
            (
                format!(
                    "{header}.{}.c",
                    B64.encode(r#"{"sid":"s","sub":"u","iat":1}"#)
                ),
                ClaimsError::Missing("exp"),
            ),
        ];
        for (token, err) in cases {
            assert_eq!(SessionClaims::decode(&token).unwrap_err(), err, "{token}");
        }
        // truncated: cut in the middle of the payload
        let good = jwt(serde_json::json!({"sid":"s","sub":"u","exp":2,"iat":1}));
        for cut in 0..good.len() {
            let _ = SessionClaims::decode(&good[..cut]);
        }
        let not_json = format!("{header}.{}.c", B64.encode("[1"));
        assert!(matches!(
            SessionClaims::decode(&not_json),
            Err(ClaimsError::Json("payload", _))
        ));
        let bad_act = format!(
            "{header}.{}.c",
            B64.encode(r#"{"sid":"s","sub":"u","exp":1,"iat":1,"act":5}"#)
        );
        assert!(matches!(
            SessionClaims::decode(&bad_act),
            Err(ClaimsError::Json(..))
        ));
    }

    #[test]
    fn bad_bitmasks_grant_nothing() {
        assert!(expand_permissions(&["x"], "read", "zz").is_empty());
        assert!(expand_permissions(&["x"], "", "1").is_empty());
        assert!(expand_permissions(&[], "read", "1").is_empty());
        assert_eq!(expand_permissions(&["x", "y"], "read", "1"), ["org:x:read"]);
    }
}
