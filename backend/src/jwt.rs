//! JWT decoding and verification in Clerk's order: header, algorithm, **signature before any
//! claim**, then `sub`, `aud`, `azp`, `iss`, `exp`, `nbf`, `iat`. Pure: the key and the time
//! are arguments.

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use jsonwebtoken::{Algorithm, DecodingKey};
use serde_json::{Map, Value};

use crate::errors::{TokenVerificationError, TokenVerificationErrorReason as R, action};

/// URL-safe base64 with or without padding (Clerk decodes "loosely").
const LOOSE: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A JWT split and decoded, not yet verified.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct DecodedJwt {
    pub header: Map<String, Value>,
    pub payload: Map<String, Value>,
    /// `header.payload`, the signed bytes.
    pub signed: String,
    /// The signature part as sent.
    pub signature: String,
}

/// Clerk's `decodeJwt`: three dot-separated base64url parts, JSON header and payload.
pub(crate) fn decode(token: &str) -> Result<DecodedJwt, TokenVerificationError> {
    let parts: Vec<&str> = token.split('.').collect();
    let [h, p, s] = parts[..] else {
        return Err(TokenVerificationError::new(
            R::TokenInvalid,
            "Invalid JWT form. A JWT consists of three parts separated by dots.",
        ));
    };
    let undecodable = || {
        TokenVerificationError::new(
            R::TokenInvalid,
            "Invalid JWT form. The header, payload, or signature could not be decoded.",
        )
    };
    let json = |part: &str| -> Result<Map<String, Value>, TokenVerificationError> {
        let bytes = LOOSE.decode(part).map_err(|_| undecodable())?;
        match serde_json::from_slice(&bytes) {
            Ok(Value::Object(map)) => Ok(map),
            _ => Err(undecodable()),
        }
    };
    let header = json(h)?;
    let payload = json(p)?;
    LOOSE.decode(s).map_err(|_| undecodable())?;
    Ok(DecodedJwt {
        header,
        payload,
        signed: format!("{h}.{p}"),
        signature: s.trim_end_matches('=').to_owned(),
    })
}

/// Clerk's JWT shape test (three non-empty base64url parts), used to tell machine tokens.
pub(crate) fn is_jwt_format(token: &str) -> bool {
    let parts: Vec<&str> = token.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// What a JWT is checked against, besides its key.
#[derive(Clone, Debug, Default)]
pub(crate) struct ClaimRules<'a> {
    pub audience: &'a [String],
    pub authorized_parties: &'a [String],
    pub issuer: Option<&'a str>,
    pub clock_skew_ms: f64,
    /// Allowed `typ` values; `None`: `JWT`, and an absent `typ` passes.
    pub header_types: Option<&'a [String]>,
}

fn algorithm(header: &Map<String, Value>) -> Result<Algorithm, TokenVerificationError> {
    match header.get("alg").and_then(Value::as_str) {
        Some("RS256") => Ok(Algorithm::RS256),
        Some("RS384") => Ok(Algorithm::RS384),
        Some("RS512") => Ok(Algorithm::RS512),
        other => Err(TokenVerificationError::new(
            R::TokenInvalidAlgorithm,
            format!(
                "Invalid JWT algorithm {}. Supported: RS256,RS384,RS512.",
                json_text(other.map(|s| Value::String(s.into())).as_ref())
            ),
        )
        .with_action(action::ENSURE_CLERK_JWT)),
    }
}

/// `JSON.stringify` of a claim for messages (`undefined` when absent).
fn json_text(v: Option<&Value>) -> String {
    v.map_or_else(|| "undefined".to_owned(), Value::to_string)
}

/// The header checks (`typ`, `alg`).
pub(crate) fn check_header(
    header: &Map<String, Value>,
    header_types: Option<&[String]>,
) -> Result<Algorithm, TokenVerificationError> {
    let typ = header.get("typ");
    if typ.is_some() || header_types.is_some() {
        let default = ["JWT".to_owned()];
        let allowed = header_types.unwrap_or(&default);
        if !typ
            .and_then(Value::as_str)
            .is_some_and(|t| allowed.iter().any(|a| a == t))
        {
            return Err(TokenVerificationError::new(
                R::TokenInvalid,
                format!(
                    "Invalid JWT type {}. Expected \"{}\".",
                    json_text(typ),
                    allowed.join(", ")
                ),
            )
            .with_action(action::ENSURE_CLERK_JWT));
        }
    }
    algorithm(header)
}

/// Checks the signature with `key`.
pub(crate) fn check_signature(
    jwt: &DecodedJwt,
    key: &DecodingKey,
    alg: Algorithm,
    what: &str,
) -> Result<(), TokenVerificationError> {
    match jsonwebtoken::crypto::verify(&jwt.signature, jwt.signed.as_bytes(), key, alg) {
        Ok(true) => Ok(()),
        Ok(false) => Err(TokenVerificationError::new(
            R::TokenInvalidSignature,
            format!("{what} signature is invalid."),
        )),
        Err(e) => Err(TokenVerificationError::new(
            R::TokenVerificationFailed,
            format!("Error verifying {what} signature. {e}"),
        )
        .with_action(action::ENSURE_CLERK_JWT)),
    }
}

/// Clerk's `verifyJwt` once the key is known: header, signature, then the claims at `now_ms`.
pub(crate) fn verify(
    jwt: &DecodedJwt,
    key: &DecodingKey,
    rules: &ClaimRules<'_>,
    now_ms: f64,
) -> Result<(), TokenVerificationError> {
    let alg = check_header(&jwt.header, rules.header_types)?;
    check_signature(jwt, key, alg, "JWT")?;
    check_claims(&jwt.payload, rules, now_ms)
}

fn utc(ms: f64) -> String {
    let secs = (ms / 1000.0).floor() as i64;
    chrono_like_utc(secs)
}

/// `Date.toUTCString()`-style text without a date crate: `Thu, 01 Jan 1970 00:00:00 GMT`.
fn chrono_like_utc(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (h, m, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    // civil-from-days (Howard Hinnant)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    const WD: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MO: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{}, {d:02} {} {year} {h:02}:{m:02}:{s:02} GMT",
        WD[days.rem_euclid(7) as usize],
        MO[(month - 1) as usize]
    )
}

fn number(
    payload: &Map<String, Value>,
    claim: &str,
    label: &str,
) -> Result<Option<f64>, TokenVerificationError> {
    match payload.get(claim) {
        None => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64()),
        Some(other) => Err(TokenVerificationError::new(
            R::TokenVerificationFailed,
            format!(
                "Invalid JWT {label} claim ({claim}) {}. Expected number.",
                other
            ),
        )
        .with_action(action::ENSURE_CLERK_JWT)),
    }
}

fn string_list(v: Option<&Value>) -> Vec<&str> {
    match v {
        Some(Value::String(s)) if !s.is_empty() => vec![s.as_str()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .filter(|s| !s.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

/// The claim checks, in Clerk's order.
pub(crate) fn check_claims(
    payload: &Map<String, Value>,
    rules: &ClaimRules<'_>,
    now_ms: f64,
) -> Result<(), TokenVerificationError> {
    let failed = |message: String| {
        TokenVerificationError::new(R::TokenVerificationFailed, message)
            .with_action(action::ENSURE_CLERK_JWT)
    };
    // sub
    if !payload.get("sub").is_some_and(Value::is_string) {
        return Err(failed(format!(
            "Subject claim (sub) is required and must be a string. Received {}.",
            json_text(payload.get("sub"))
        )));
    }
    // aud: only when both sides have one
    let wanted: Vec<&str> = rules
        .audience
        .iter()
        .map(String::as_str)
        .filter(|a| !a.is_empty())
        .collect();
    let aud = payload.get("aud");
    if !wanted.is_empty() && !string_list(aud).is_empty() {
        let listed = format!("{:?}", wanted).replace(", ", ",");
        match aud {
            Some(Value::String(a)) if !wanted.contains(&a.as_str()) => {
                return Err(failed(format!(
                    "Invalid JWT audience claim (aud) {}. Is not included in \"{listed}\".",
                    json_text(aud)
                )));
            }
            Some(Value::Array(items))
                if items.iter().all(Value::is_string)
                    && !items
                        .iter()
                        .filter_map(Value::as_str)
                        .any(|a| wanted.contains(&a)) =>
            {
                return Err(failed(format!(
                    "Invalid JWT audience claim array (aud) {}. Is not included in \"{listed}\".",
                    json_text(aud)
                )));
            }
            _ => {}
        }
    }
    // azp: exactly one of the list, when a list is set
    if !rules.authorized_parties.is_empty() {
        let azp = payload.get("azp");
        let ok = azp
            .and_then(Value::as_str)
            .is_some_and(|a| !a.is_empty() && rules.authorized_parties.iter().any(|p| p == a));
        if !ok {
            return Err(TokenVerificationError::new(
                R::TokenInvalidAuthorizedParties,
                format!(
                    "Invalid JWT Authorized party claim (azp) {}. Expected \"{}\".",
                    json_text(azp),
                    rules.authorized_parties.join(",")
                ),
            ));
        }
    }
    // iss: only when an issuer is configured
    if let Some(issuer) = rules.issuer.filter(|i| !i.is_empty()) {
        let iss = payload.get("iss");
        if iss.and_then(Value::as_str) != Some(issuer) {
            return Err(TokenVerificationError::new(
                R::TokenInvalidIssuer,
                format!(
                    "Invalid JWT issuer claim (iss) {}. Expected \"{issuer}\".",
                    json_text(iss)
                ),
            )
            .with_action(action::ENSURE_CLERK_JWT));
        }
    }
    let skew = rules.clock_skew_ms;
    // exp: required
    let Some(exp) = number(payload, "exp", "expiry date")? else {
        return Err(failed(
            "Invalid JWT expiry date claim (exp) undefined. Expected number.".to_owned(),
        ));
    };
    if exp * 1000.0 <= now_ms - skew {
        return Err(TokenVerificationError::new(
            R::TokenExpired,
            format!(
                "JWT is expired. Expiry date: {}, Current date: {}.",
                utc(exp * 1000.0),
                utc(now_ms)
            ),
        ));
    }
    if let Some(nbf) = number(payload, "nbf", "not before date")?
        && nbf * 1000.0 > now_ms + skew
    {
        return Err(TokenVerificationError::new(
            R::TokenNotActiveYet,
            format!(
                "JWT cannot be used prior to not before date claim (nbf). Not before date: {}; Current date: {};",
                utc(nbf * 1000.0),
                utc(now_ms)
            ),
        ));
    }
    if let Some(iat) = number(payload, "iat", "issued at date")?
        && iat * 1000.0 > now_ms + skew
    {
        return Err(TokenVerificationError::new(
            R::TokenIatInTheFuture,
            format!(
                "JWT issued at date claim (iat) is in the future. Issued at date: {}; Current date: {};",
                utc(iat * 1000.0),
                utc(now_ms)
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_text_matches_javascript() {
        assert_eq!(chrono_like_utc(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(
            chrono_like_utc(1_700_000_000),
            "Tue, 14 Nov 2023 22:13:20 GMT"
        );
        assert_eq!(
            chrono_like_utc(951_782_400),
            "Tue, 29 Feb 2000 00:00:00 GMT"
        );
    }

    #[test]
    fn decoding_rejects_what_clerk_rejects() {
        assert_eq!(decode("a.b").unwrap_err().reason, R::TokenInvalid);
        assert_eq!(decode("a.b.c.d").unwrap_err().reason, R::TokenInvalid);
        assert_eq!(decode("!!.e30.c2ln").unwrap_err().reason, R::TokenInvalid);
        let ok = decode("eyJhbGciOiJSUzI1NiJ9.e30.c2ln").unwrap();
        assert_eq!(ok.header["alg"], "RS256");
        assert!(is_jwt_format("eyJh.e30.c2ln"));
        assert!(!is_jwt_format("eyJh.e30."));
    }

    fn rules(skew: f64) -> ClaimRules<'static> {
        ClaimRules {
            clock_skew_ms: skew,
            ..Default::default()
        }
    }

    #[test]
    fn time_claims_with_skew() {
        let p = |v: Value| v.as_object().unwrap().clone();
        let now = 1_000_000.0;
        let base = serde_json::json!({"sub": "user_1", "exp": 1000, "iat": 990});
        // exp == now - skew is expired (<=)
        assert_eq!(
            check_claims(&p(base.clone()), &rules(0.0), now)
                .unwrap_err()
                .reason,
            R::TokenExpired
        );
        assert!(check_claims(&p(base.clone()), &rules(5000.0), now).is_ok());
        let future = serde_json::json!({"sub": "u", "exp": 2000, "iat": 1006});
        assert_eq!(
            check_claims(&p(future), &rules(5000.0), now)
                .unwrap_err()
                .reason,
            R::TokenIatInTheFuture
        );
        let nbf = serde_json::json!({"sub": "u", "exp": 2000, "nbf": 1006});
        assert_eq!(
            check_claims(&p(nbf), &rules(5000.0), now)
                .unwrap_err()
                .reason,
            R::TokenNotActiveYet
        );
        let no_sub = serde_json::json!({"exp": 2000});
        assert_eq!(
            check_claims(&p(no_sub), &rules(5000.0), now)
                .unwrap_err()
                .reason,
            R::TokenVerificationFailed
        );
        let text_exp = serde_json::json!({"sub": "u", "exp": "2000"});
        assert_eq!(
            check_claims(&p(text_exp), &rules(5000.0), now)
                .unwrap_err()
                .reason,
            R::TokenVerificationFailed
        );
    }

    #[test]
    fn azp_must_be_listed_when_a_list_is_set() {
        let p = |v: Value| v.as_object().unwrap().clone();
        let parties = ["https://app.example".to_owned()];
        let r = ClaimRules {
            authorized_parties: &parties,
            clock_skew_ms: 5000.0,
            ..Default::default()
        };
        let now = 1_000_000.0;
        let ok = serde_json::json!({"sub": "u", "exp": 2000, "azp": "https://app.example"});
        assert!(check_claims(&p(ok), &r, now).is_ok());
        for bad in [
            serde_json::json!({"sub": "u", "exp": 2000}),
            serde_json::json!({"sub": "u", "exp": 2000, "azp": ""}),
            serde_json::json!({"sub": "u", "exp": 2000, "azp": "https://app.example/"}),
        ] {
            assert_eq!(
                check_claims(&p(bad), &r, now).unwrap_err().reason,
                R::TokenInvalidAuthorizedParties
            );
        }
    }
}
