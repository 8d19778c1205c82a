//! `/v1/sessions…` of the Backend API.

use super::{int_in, json};
use crate::admin::sessions as admin;
use crate::error::{ApiErr, ApiResult};
use crate::http::{Reply, Req};
use crate::render_bapi as render;

const STATUSES: &[&str] = &[
    "abandoned",
    "active",
    "ended",
    "expired",
    "removed",
    "replaced",
    "revoked",
    "pending",
];

/// `GET /v1/sessions`: `client_id` and/or `user_id` (one is required), `status`, newest
/// first; a bare array, or `{data, total_count}` with `paginated=true` (what `@clerk/backend`
/// asks for).
pub fn list(req: &mut Req) -> ApiResult<Reply> {
    let q = &req.query;
    let client_id = q.text("client_id");
    let user_id = q.text("user_id");
    if client_id.is_none() && user_id.is_none() {
        return Err(ApiErr::missing("user_id"));
    }
    let status = q.text("status");
    if let Some(s) = &status {
        if !STATUSES.contains(&s.as_str()) {
            return Err(ApiErr::value_invalid(
                "status",
                &format!("status must be one of {}.", STATUSES.join(", ")),
            ));
        }
    }
    let paginated = q.flag("paginated")?.unwrap_or(false);
    let (limit, offset) = super::page(q)?;
    let state = &req.state;
    state.db.tx(|tx| {
        let now = state.now();
        let all: Vec<_> = admin::list(
            tx,
            now,
            client_id.as_deref(),
            user_id.as_deref(),
            status.as_deref(),
        )?
        .iter()
        .map(|s| render::session(s, now))
        .collect();
        if paginated {
            json(render::page(all, limit, offset))
        } else {
            json(
                all.into_iter()
                    .skip(offset)
                    .take(limit)
                    .collect::<Vec<_>>()
                    .into(),
            )
        }
    })
}

/// `GET /v1/sessions/{session_id}`.
pub fn get(req: &mut Req) -> ApiResult<Reply> {
    let state = &req.state;
    state.db.tx(|tx| {
        let s = admin::get(tx, req.param("session_id"))?;
        json(render::session(&s, state.now()))
    })
}

/// `POST /v1/sessions/{session_id}/revoke`: a signed-in session becomes `revoked` (its client
/// no longer lists it; its tokens are not renewed).
pub fn revoke(req: &mut Req) -> ApiResult<Reply> {
    let state = &req.state;
    state.db.tx(|tx| {
        let s = admin::revoke(tx, state, req.param("session_id"))?;
        json(render::session(&s, state.now()))
    })
}

fn lifetime(req: &Req) -> ApiResult<Option<i64>> {
    int_in(&req.form, "expires_in_seconds", 30, 315_360_000)
}

/// `POST /v1/sessions/{session_id}/tokens`: `{object: "token", jwt}`, a session token for the
/// session's active organization (`expires_in_seconds`: 30 to 315360000).
pub fn token(req: &mut Req) -> ApiResult<Reply> {
    let secs = lifetime(req)?;
    let state = &req.state;
    let sub = state
        .db
        .tx(|tx| admin::subject(tx, state, req.param("session_id")))?;
    let jwt = crate::tokens::backend_session_token(state, &sub, state.now(), secs)?;
    json(serde_json::json!({"object": "token", "jwt": jwt}))
}

/// `POST /v1/sessions/{session_id}/tokens/{template_name}`: a token of a seed JWT template
/// (`expires_in_seconds` overrides its lifetime).
pub fn template_token(req: &mut Req) -> ApiResult<Reply> {
    let secs = lifetime(req)?;
    let state = &req.state;
    let mut template = state
        .settings
        .template(req.param("template_name"))
        .cloned()
        .ok_or_else(|| ApiErr::not_found("JWT template"))?;
    if let Some(secs) = secs {
        template.lifetime_seconds = secs;
    }
    let sub = state
        .db
        .tx(|tx| admin::subject(tx, state, req.param("session_id")))?;
    let jwt = crate::tokens::template_token(state, &template, &sub, None, state.now())?;
    json(serde_json::json!({"object": "token", "jwt": jwt}))
}
