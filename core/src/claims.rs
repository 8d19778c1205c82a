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
/// use clerk_core::claims::{SessionClaims, ClaimsError};
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
/// use clerk_core::claims::JwtHeader;
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
    /// Clerk's token category (`cl_B7d4PD111AAA` for session tokens; see
    /// [`TokenCategory`]). Older tokens have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cat: Option<String>,
    /// Origin issued-at (seconds): orders tokens of one session by freshness.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oiat: Option<i64>,
}

/// Clerk's JWT categories (the `cat` header), kept in step with Clerk's servers.
///
/// ```
/// use clerk_core::claims::TokenCategory;
/// assert_eq!(TokenCategory::from_cat("cl_B7d4PD111AAA"), TokenCategory::Session);
/// assert_eq!(TokenCategory::Session.as_str(), "cl_B7d4PD111AAA");
/// assert_eq!(TokenCategory::from_cat("x"), TokenCategory::Other);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenCategory {
    /// A session token.
    Session,
    /// A token minted from a JWT template.
    JwtTemplate,
    /// A machine-to-machine token.
    M2m,
    /// The "ignore" category of instances that opted out of categories.
    Ignore,
    /// Anything else.
    Other,
}

impl TokenCategory {
    /// The category of a `cat` value.
    pub fn from_cat(cat: &str) -> Self {
        match cat {
            "cl_B7d4PD111AAA" => Self::Session,
            "cl_B7d4PD222AAA" => Self::JwtTemplate,
            "cl_B7d4PD333AAA" => Self::M2m,
            "cl_I7d4PD111III" => Self::Ignore,
            _ => Self::Other,
        }
    }

    /// The `cat` value (`""` for [`Other`](Self::Other)).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Session => "cl_B7d4PD111AAA",
            Self::JwtTemplate => "cl_B7d4PD222AAA",
            Self::M2m => "cl_B7d4PD333AAA",
            Self::Ignore => "cl_I7d4PD111III",
            Self::Other => "",
        }
    }
}

/// The claims of any JWT: header and payload as JSON.
///
/// ```
/// use clerk_core::claims::decode_jwt;
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
/// use clerk_core::claims::OrgClaims;
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
/// use clerk_core::claims::SessionClaims;
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
        Self::from_parts(jwt, header, payload)
    }

    /// The claims of a token already split into its header and payload (a server that has
    /// just verified it need not decode it again).
    ///
    /// ```
    /// use clerk_core::claims::{decode_jwt, SessionClaims};
    /// let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzaWQiOiJzIiwic3ViIjoidSIsImV4cCI6MiwiaWF0IjoxfQ.c2ln";
    /// let (header, payload) = decode_jwt(jwt).unwrap();
    /// assert_eq!(SessionClaims::from_parts(jwt, header, payload).unwrap().sub, "u");
    /// ```
    pub fn from_parts(
        jwt: &str,
        header: JwtHeader,
        payload: serde_json::Map<String, serde_json::Value>,
    ) -> Result<Self, ClaimsError> {
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
/// Clerk's `checkForFeatureOrPlan`: `None` when the claim or the question is malformed (an
/// element without a scope, an unknown scope asked), which `has()` treats as a failure.
pub(crate) fn scoped_check(list: &[String], wanted: &str) -> Option<bool> {
    let (mut org, mut user) = (Vec::new(), Vec::new());
    for entry in list {
        let (scope, name) = entry.trim().split_once(':')?;
        match scope {
            "o" => org.push(name),
            "u" => user.push(name),
            "ou" | "uo" => {
                org.push(name);
                user.push(name);
            }
            _ => {}
        }
    }
    let mut parts = wanted.split(':');
    let first = parts.next().unwrap_or_default();
    match parts.next() {
        None => Some(org.contains(&first) || user.contains(&first)),
        Some(name) => match first {
            "o" | "org" | "organization" => Some(org.contains(&name)),
            "u" | "user" => Some(user.contains(&name)),
            _ => None,
        },
    }
}

/// The names of one scope (`o` or `u`; `ou`/`uo` count for both).
fn in_scope<'a>(list: &'a [String], scope: &'static str) -> impl Iterator<Item = &'a str> {
    list.iter().filter_map(move |entry| {
        let (scopes, name) = entry.trim().split_once(':')?;
        (scopes == scope || scopes == "ou" || scopes == "uo").then_some(name)
    })
}

pub(crate) fn scoped_contains(list: &[String], wanted: &str) -> bool {
    scoped_check(list, wanted).unwrap_or(false)
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
    let org_features: Vec<&str> = in_scope(&features, "o").collect();
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
/// `org:{feature}:{per[i]}`. A mask may be any number of digits (no 64-permission cap); a bad
/// number grants nothing. [`compact_permissions`] is its inverse.
///
/// ```
/// use clerk_core::claims::expand_permissions;
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
    let masks = fpm
        .split(',')
        .map(|m| bitmask::parse(m.trim()).unwrap_or_default());
    let mut out = Vec::new();
    for (feature, mask) in org_features.iter().zip(masks) {
        for (bit, name) in names.iter().enumerate() {
            if bitmask::get(&mask, bit) {
                out.push(format!("org:{feature}:{name}"));
            }
        }
    }
    out
}

/// A membership's custom permissions in the v2 token form: what a session token's `o.per`,
/// `o.fpm` and the organization part of `fea` hold.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CompactPermissions {
    /// The features, in order of first use (`fea` lists them as `o:{feature}`).
    pub features: Vec<String>,
    /// `o.per`: the permission names, comma-separated, in order of first use.
    pub per: String,
    /// `o.fpm`: one decimal bitmask per feature, comma-separated; bit `i` is `per`'s `i`-th name.
    pub fpm: String,
}

/// Packs `org:{feature}:{name}` permissions into the v2 token form, as Clerk's servers mint
/// it: system permissions (`org:sys_*`) are left out, as Clerk leaves them out of tokens, and
/// anything not shaped `org:feature:name` is ignored. There is no cap on the number of names.
/// [`expand_permissions`] reads it back.
///
/// ```
/// use clerk_core::claims::{compact_permissions, expand_permissions};
/// let c = compact_permissions(&["org:posts:read", "org:members:manage", "org:sys_profile:manage"]);
/// assert_eq!((c.per.as_str(), c.fpm.as_str()), ("read,manage", "1,2"));
/// assert_eq!(c.features, ["posts", "members"]);
/// let features: Vec<&str> = c.features.iter().map(String::as_str).collect();
/// assert_eq!(expand_permissions(&features, &c.per, &c.fpm), ["org:posts:read", "org:members:manage"]);
/// ```
pub fn compact_permissions<S: AsRef<str>>(permissions: &[S]) -> CompactPermissions {
    let mut features: Vec<String> = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for p in permissions {
        let mut parts = p.as_ref().splitn(3, ':');
        let (Some("org"), Some(feature), Some(name)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if feature.is_empty() || name.is_empty() || feature.starts_with("sys_") {
            continue;
        }
        let f = features
            .iter()
            .position(|f| f == feature)
            .unwrap_or_else(|| {
                features.push(feature.to_owned());
                features.len() - 1
            });
        let n = names.iter().position(|n| *n == name).unwrap_or_else(|| {
            names.push(name);
            names.len() - 1
        });
        pairs.push((f, n));
    }
    let fpm: Vec<String> = (0..features.len())
        .map(|f| {
            let mut mask = Vec::new();
            for &(_, n) in pairs.iter().filter(|(pf, _)| *pf == f) {
                bitmask::set(&mut mask, n);
            }
            bitmask::format(mask)
        })
        .collect();
    CompactPermissions {
        per: names.join(","),
        fpm: fpm.join(","),
        features,
    }
}

/// Bitmasks of any width as decimal strings (little-endian `u32` limbs).
mod bitmask {
    /// Parses a decimal number; `None` unless it is all ASCII digits (and not empty).
    pub fn parse(s: &str) -> Option<Vec<u32>> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut limbs: Vec<u32> = Vec::new();
        for b in s.bytes() {
            let mut carry = u64::from(b - b'0');
            for limb in &mut limbs {
                let v = u64::from(*limb) * 10 + carry;
                *limb = v as u32;
                carry = v >> 32;
            }
            if carry != 0 {
                limbs.push(carry as u32);
            }
        }
        Some(limbs)
    }

    /// Whether bit `i` is set.
    pub fn get(limbs: &[u32], i: usize) -> bool {
        limbs.get(i / 32).is_some_and(|l| l & (1 << (i % 32)) != 0)
    }

    /// Sets bit `i`.
    pub fn set(limbs: &mut Vec<u32>, i: usize) {
        if limbs.len() <= i / 32 {
            limbs.resize(i / 32 + 1, 0);
        }
        limbs[i / 32] |= 1 << (i % 32);
    }

    /// The decimal form.
    pub fn format(mut limbs: Vec<u32>) -> String {
        let mut chunks: Vec<u32> = Vec::new(); // base 10^9, least significant first
        while limbs.iter().any(|&l| l != 0) {
            let mut rem = 0u64;
            for limb in limbs.iter_mut().rev() {
                let v = (rem << 32) | u64::from(*limb);
                *limb = (v / 1_000_000_000) as u32;
                rem = v % 1_000_000_000;
            }
            chunks.push(rem as u32);
        }
        let Some((last, rest)) = chunks.split_last() else {
            return "0".into();
        };
        let mut out = last.to_string();
        for c in rest.iter().rev() {
            out.push_str(&format!("{c:09}"));
        }
        out
    }
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
        assert!(expand_permissions(&["x"], "read", "-1").is_empty());
    }

    #[test]
    fn bitmasks_have_no_width_limit() {
        assert_eq!(bitmask::format(bitmask::parse("0").unwrap()), "0");
        let two_pow_100 = "1267650600228229401496703205376";
        let mask = bitmask::parse(two_pow_100).unwrap();
        assert!(bitmask::get(&mask, 100) && !bitmask::get(&mask, 99) && !bitmask::get(&mask, 0));
        assert_eq!(bitmask::format(mask), two_pow_100);
        assert_eq!(
            bitmask::format(bitmask::parse("18446744073709551617").unwrap()),
            "18446744073709551617"
        );
    }

    #[test]
    fn permissions_round_trip_past_64_names() {
        let permissions: Vec<String> = (0..150)
            .map(|i| format!("org:{}:p{i}", ["posts", "members", "billing"][i % 3]))
            .collect();
        let c = compact_permissions(&permissions);
        assert_eq!(c.features, ["posts", "members", "billing"]);
        assert_eq!(c.per.split(',').count(), 150);
        let features: Vec<&str> = c.features.iter().map(String::as_str).collect();
        let mut back = expand_permissions(&features, &c.per, &c.fpm);
        let mut want = permissions.clone();
        back.sort();
        want.sort();
        assert_eq!(back, want);
    }

    #[test]
    fn compact_leaves_out_system_and_malformed_permissions() {
        let c = compact_permissions(&[
            "org:sys_memberships:read",
            "admin",
            "org:x",
            "org::y",
            "org:a:b",
        ]);
        assert_eq!(
            c,
            CompactPermissions {
                features: vec!["a".into()],
                per: "b".into(),
                fpm: "1".into()
            }
        );
        assert_eq!(
            compact_permissions::<&str>(&[]),
            CompactPermissions::default()
        );
    }

    #[test]
    fn v2_token_with_many_permissions_decodes_them_all() {
        let permissions: Vec<String> = (0..70).map(|i| format!("org:posts:p{i}")).collect();
        let c = compact_permissions(&permissions);
        let token = jwt(serde_json::json!({
            "sid":"s","sub":"u","exp":2,"iat":1,"v":2,
            "o":{"id":"org_1","rol":"admin","per":c.per,"fpm":c.fpm},
            "fea":"o:posts"
        }));
        let claims = SessionClaims::decode(&token).unwrap();
        assert_eq!(claims.org.unwrap().permissions, permissions);
    }
}
