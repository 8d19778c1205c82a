//! Dev-only endpoints under `/v1/__dev/` (not part of FAPI).

use axum::http::StatusCode;
use clerk_core::wire::ErrorCode;

use crate::error::{ApiErr, ApiResult};
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
                    || crate::identifiers::normalize_phone(&c.identifier)
                        == crate::identifiers::normalize_phone(w)
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

/// `GET /v1/__dev/instance`: the publishable keys, issuers, secret key, Backend API URL,
/// public signing key (PEM) and webhook signing secret, for tests and backends that verify
/// tokens. The Backend API URL is the listening URL the binary printed (`null` in-process,
/// unless set).
pub fn instance(req: &mut Req) -> ApiResult<Reply> {
    let state = &req.state;
    Reply::json(&serde_json::json!({
        "publishable_key": state.publishable_key,
        "issuer": state.issuer(),
        "production_publishable_key": state.production_publishable_key,
        "production_issuer": state.issuer_of(crate::Instance::Production),
        "secret_key": state.secret_key,
        "backend_api_url": state.backend_api_url.get(),
        "kid": state.signer.kid(),
        "public_key_pem": state.signer.public_pem(),
        "webhook_signing_secret": state.webhooks.secret(),
    }))
}

/// `POST /v1/__dev/pause?seconds=N` (1 to 60): the server stops listening and drops its
/// connections for N seconds, then listens again on the same port, with its state intact. Tests
/// use it to see clients meet a server that is really gone (connection refused), not an error
/// answer.
pub fn pause(req: &mut Req) -> ApiResult<Reply> {
    let seconds = req
        .query
        .text("seconds")
        .and_then(|s| s.parse::<u64>().ok())
        .filter(|s| (1..=60).contains(s))
        .ok_or_else(|| {
            ApiErr::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::FormParamFormatInvalid,
                "is invalid",
                "seconds must be a number from 1 to 60.",
            )
            .param("seconds")
        })?;
    let sender = req
        .state
        .pause
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let Some(sender) = sender.filter(|s| s.send(seconds).is_ok()) else {
        return Err(ApiErr::new(
            StatusCode::CONFLICT,
            ErrorCode::ConflictingState,
            "cannot pause",
            "Only the clerk-dev-server binary can pause its listener.",
        ));
    };
    drop(sender);
    Reply::json(&serde_json::json!({ "object": "dev_pause", "seconds": seconds }))
}
