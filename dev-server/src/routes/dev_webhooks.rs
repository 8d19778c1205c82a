//! Dev-only webhook endpoints under `/v1/__dev/webhooks` (not FAPI): the outbox and replays.

use crate::error::{ApiErr, ApiResult};
use crate::http::{Reply, Req};
use crate::webhooks::outbox;

/// `GET /v1/__dev/webhooks?type=…&status=…&msg_id=…`: every delivery (one per event and
/// endpoint), oldest event first, with its status (`pending`, `delivered`, `failed`),
/// attempts, last error and answer, and the event itself.
pub fn list(req: &mut Req) -> ApiResult<Reply> {
    let event_type = req.query.text("type");
    let status = req.query.text("status");
    let msg_id = req.query.text("msg_id");
    let deliveries = req.state.db.tx(|tx| {
        outbox::list(
            tx,
            event_type.as_deref(),
            status.as_deref(),
            msg_id.as_deref(),
        )
    })?;
    Reply::json(&serde_json::json!({
        "object": "dev_webhooks",
        "endpoints": req.state.webhooks.endpoint_urls(),
        "total_count": deliveries.len(),
        "data": deliveries,
    }))
}

/// `POST /v1/__dev/webhooks/{msg_id}/replay` (`endpoint=URL` for one endpoint): sends the
/// message again, same `svix-id` and body, in a new round of attempts. 404 for an unknown
/// message.
pub fn replay(req: &mut Req) -> ApiResult<Reply> {
    let msg_id = req.param("msg_id").to_owned();
    let endpoint = req.field("endpoint").or_else(|| req.query.text("endpoint"));
    let now = req.state.now();
    let state = &req.state;
    let deliveries = state.db.tx(|tx| {
        let queued = outbox::replay(tx, &msg_id, endpoint.as_deref(), now)?;
        if queued == 0 {
            return Err(ApiErr::not_found("webhook message").param("msg_id"));
        }
        outbox::list(tx, None, None, Some(&msg_id))
    })?;
    state.webhooks.wake();
    Reply::json(&serde_json::json!({
        "object": "dev_webhook_replay",
        "msg_id": msg_id,
        "data": deliveries,
    }))
}
