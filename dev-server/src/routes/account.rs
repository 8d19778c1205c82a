//! The user's password and sessions on every device: `POST /v1/me/change_password`,
//! `GET /v1/me/sessions/active`, `POST /v1/me/sessions/{session_id}/revoke`.

use axum::http::StatusCode;
use clerk_core::wire::{ErrorCode, SessionStatus};

use super::{current_session, envelope, view};
use crate::error::{ApiErr, ApiResult};
use crate::http::{Reply, Req};
use crate::password::password_error;
use crate::store::{SessionRec, UserRec};

/// `POST /v1/me/change_password`: `current_password` (required when the user has one),
/// `new_password`, `sign_out_of_other_sessions` (revokes the user's other signed-in sessions).
pub fn change_password(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    let new = req
        .raw_field("new_password")
        .filter(|p| !p.is_empty())
        .ok_or_else(|| ApiErr::missing("new_password"))?
        .to_owned();
    let current = req
        .raw_field("current_password")
        .unwrap_or_default()
        .to_owned();
    let sign_out_others = req
        .form
        .flag("sign_out_of_other_sessions")?
        .unwrap_or(false);
    let state = &req.state;
    if !state.settings.enabled("password") {
        return Err(ApiErr::forbidden(
            "Passwords are not enabled for this instance.",
        ));
    }
    let old_hash = state.db.tx(|tx| {
        let (_, s) = current_session(tx, req)?;
        let u = tx
            .get::<UserRec>(&s.user_id)?
            .ok_or_else(ApiErr::signed_out)?;
        Ok(u.password_hash)
    })?;
    // argon2 is slow: verify and hash outside the transaction
    if let Some(hash) = &old_hash {
        if current.is_empty() {
            return Err(ApiErr::missing("current_password"));
        }
        if !crate::crypto::verify_password(&current, hash) {
            return Err(ApiErr::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::FormPasswordIncorrect,
                "is incorrect",
                "Your current password is incorrect. Please try again.",
            )
            .param("current_password"));
        }
    }
    if let Some(e) = password_error(state, &new) {
        return Err(e.param("new_password"));
    }
    let hash = crate::crypto::hash_password(&new);
    state.db.tx(|tx| {
        let (c, s) = current_session(tx, req)?;
        let mut u = tx
            .get::<UserRec>(&s.user_id)?
            .ok_or_else(ApiErr::signed_out)?;
        let now = state.now();
        u.password_hash = Some(hash.clone());
        u.updated_at = now;
        tx.put(&u)?;
        if sign_out_others {
            for mut other in tx.sessions_of_user(&u.id)? {
                if other.id != s.id && other.signed_in(now) {
                    other.status = SessionStatus::Revoked;
                    other.updated_at = now;
                    tx.put(&other)?;
                }
            }
        }
        let rendered = crate::render::user(tx, &view(req), &u)?;
        envelope(tx, req, &rendered, &c)
    })
}

/// A session as `GET /v1/me/sessions/active` lists it: the session and its latest activity
/// (this server records no devices, so the activity says nothing about one). A session of
/// another client carries no token: this client may list and revoke it, never act as it.
fn active_session(
    tx: &crate::store::Tx,
    req: &Req,
    s: &SessionRec,
    client_id: &str,
) -> ApiResult<serde_json::Value> {
    let mut value = serde_json::to_value(crate::render::session(tx, &view(req), s)?)?;
    if let Some(map) = value.as_object_mut() {
        if s.client_id != client_id {
            map.insert("last_active_token".into(), serde_json::Value::Null);
        }
        map.insert(
            "latest_activity".into(),
            serde_json::json!({
                "object": "session_activity",
                "id": format!("sess_activity_{}", s.id.trim_start_matches("sess_")),
                "is_mobile": false,
            }),
        );
    }
    Ok(value)
}

/// `GET /v1/me/sessions/active`: the user's signed-in sessions on every client, as a plain
/// array (the spec's `Client.ActiveSessions`).
pub fn active(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    req.state.db.tx(|tx| {
        let (c, s) = current_session(tx, req)?;
        let now = req.state.now();
        let mut out = Vec::new();
        for other in tx.sessions_of_user(&s.user_id)? {
            if other.signed_in(now) {
                out.push(active_session(tx, req, &other, &c.id)?);
            }
        }
        Reply::json(&out)
    })
}

/// `POST /v1/me/sessions/{session_id}/revoke`: revokes another session of the user (on any
/// client).
pub fn revoke(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    req.state.db.tx(|tx| {
        let (c, s) = current_session(tx, req)?;
        let mut target = tx
            .get::<SessionRec>(req.param("session_id"))?
            .filter(|t| t.user_id == s.user_id)
            .ok_or_else(|| ApiErr::not_found("session"))?;
        let now = req.state.now();
        if target.signed_in(now) {
            target.status = SessionStatus::Revoked;
            target.updated_at = now;
            tx.put(&target)?;
        }
        let rendered = crate::render::session(tx, &view(req), &target)?;
        envelope(tx, req, &rendered, &c)
    })
}
