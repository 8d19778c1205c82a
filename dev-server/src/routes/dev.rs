//! Dev-only endpoints under `/v1/__dev/` (not part of FAPI).

use crate::error::ApiResult;
use crate::http::{Reply, Req};

/// `GET /v1/__dev/codes?identifier=…`: the codes "sent" to an email address or phone number,
/// newest first (all identifiers when none is given).
pub fn codes(req: &mut Req) -> ApiResult<Reply> {
    let wanted = req.query.text("identifier").map(|i| i.to_lowercase());
    let codes = req.state.codes.lock().unwrap_or_else(|p| p.into_inner());
    let list: Vec<_> = codes
        .iter()
        .rev()
        .filter(|c| {
            wanted.as_deref().is_none_or(|w| {
                c.identifier.to_lowercase() == w
                    || super::sign_in::normalize_phone(&c.identifier)
                        == super::sign_in::normalize_phone(w)
                        && w.starts_with('+')
            })
        })
        .cloned()
        .collect();
    Reply::json(&serde_json::json!({
        "object": "dev_codes",
        "latest": list.first().map(|c| c.code.clone()),
        "codes": list,
    }))
}

/// `GET /v1/__dev/instance`: the publishable key, issuer and public signing key (PEM), for
/// tests and backends that verify tokens.
pub fn instance(req: &mut Req) -> ApiResult<Reply> {
    Reply::json(&serde_json::json!({
        "publishable_key": req.state.publishable_key,
        "issuer": req.state.issuer(),
        "kid": req.state.signer.kid(),
        "public_key_pem": req.state.signer.public_pem(),
    }))
}
