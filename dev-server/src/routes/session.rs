//! Sessions: read, touch (switch organization), end, remove, and session tokens.

use axum::http::StatusCode;
use clerk_core::wire::{ErrorCode, SessionStatus, Token};

use super::{client_of, envelope, touch_client, view};
use crate::error::{ApiErr, ApiResult};
use crate::http::{Reply, Req};
use crate::sessions::extend_abandon;
use crate::store::{ClientRec, SessionRec, Tx, UserRec};
use crate::tokens::{self, Subject};

/// The session of the path, which must belong to the request's client.
fn path_session(tx: &Tx, req: &Req) -> ApiResult<(ClientRec, SessionRec)> {
    let c = client_of(tx, req)?.ok_or_else(ApiErr::signed_out)?;
    let s = tx
        .get::<SessionRec>(req.param("session_id"))?
        .filter(|s| s.client_id == c.id)
        .ok_or_else(|| ApiErr::not_found("session"))?;
    Ok((c, s))
}

fn inactive(s: &SessionRec, now: i64) -> ApiErr {
    ApiErr::new(
        StatusCode::UNAUTHORIZED,
        ErrorCode::SignedOut,
        "Signed out",
        &format!("This session is {}.", s.effective_status(now)),
    )
}

/// `GET /v1/client/sessions/{id}`.
pub fn get(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    req.state.db.tx(|tx| {
        let (c, s) = path_session(tx, req)?;
        let rendered = crate::render::session(tx, &view(req), &s)?;
        envelope(tx, req, &rendered, &c)
    })
}

/// `POST /v1/client/sessions/{id}/touch`: marks the session active and may switch its
/// organization (`active_organization_id`: id or slug, empty for the personal account).
pub fn touch(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    if let Some(intent) = req.form.text("intent") {
        if !matches!(intent.as_str(), "focus" | "select_session" | "select_org") {
            return Err(ApiErr::value_invalid(
                "intent",
                "intent must be focus, select_session or select_org.",
            ));
        }
    }
    let state = &req.state;
    state.db.tx(|tx| {
        let (mut c, mut s) = path_session(tx, req)?;
        let now = state.now();
        if !s.signed_in(now) {
            return Err(inactive(&s, now));
        }
        if let Some(value) = req.form.get("active_organization_id") {
            let org = crate::org_rules::resolve_active_org(tx, &s.user_id, value)?;
            if org.is_none()
                && state
                    .settings
                    .seed
                    .organizations
                    .force_organization_selection
            {
                return Err(ApiErr::value_invalid(
                    "active_organization_id",
                    "This instance requires an active organization.",
                ));
            }
            crate::sessions::set_active_org(&mut s, org);
        }
        s.last_active_at = now;
        extend_abandon(state, &mut s);
        s.updated_at = now;
        tx.put(&s)?;
        c.last_active_session_id = Some(s.id.clone());
        touch_client(tx, req, &mut c)?;
        let rendered = crate::render::session(tx, &view(req), &s)?;
        envelope(tx, req, &rendered, &c)
    })
}

fn close(req: &Req, status: SessionStatus) -> ApiResult<Reply> {
    req.state.db.tx(|tx| {
        let (mut c, mut s) = path_session(tx, req)?;
        let now = req.state.now();
        if s.signed_in(now) {
            s.status = status;
            s.updated_at = now;
            tx.put(&s)?;
        }
        if c.last_active_session_id.as_deref() == Some(&s.id) {
            c.last_active_session_id = None;
        }
        touch_client(tx, req, &mut c)?;
        tokens::forget(&req.state, &s.id);
        let rendered = crate::render::session(tx, &view(req), &s)?;
        envelope(tx, req, &rendered, &c)
    })
}

/// `POST /v1/client/sessions/{id}/end`: signs the session out (status `ended`).
pub fn end(req: &mut Req) -> ApiResult<Reply> {
    close(req, SessionStatus::Ended)
}

/// `POST /v1/client/sessions/{id}/remove`: removes the session (status `removed`).
pub fn remove(req: &mut Req) -> ApiResult<Reply> {
    close(req, SessionStatus::Removed)
}

/// Everything a token needs, read in one transaction so signing happens outside it.
fn load_for_token(tx: &Tx, req: &Req) -> ApiResult<Subject> {
    let (_, mut s) = path_session(tx, req)?;
    let now = req.state.now();
    if !s.signed_in(now) {
        return Err(inactive(&s, now));
    }
    // Refreshing tokens is activity: it keeps the session from being abandoned. Saved at most
    // once a minute, so minting stays read-only almost always.
    if now - s.last_active_at > 60_000 {
        s.last_active_at = now;
        extend_abandon(&req.state, &mut s);
        tx.put(&s)?;
    }
    let user = tx
        .get::<UserRec>(&s.user_id)?
        .ok_or_else(|| inactive(&s, now))?;
    let org_id = match req.form.get("organization_id") {
        None => s.last_active_org_id.clone(),
        Some(v) if v.trim().is_empty() => None,
        Some(v) => Some(v.trim().to_owned()),
    };
    let org = match org_id {
        None => None,
        Some(id) => Some(tokens::org_membership(tx, &user.id, &id)?.ok_or_else(|| {
            ApiErr::not_found("organization membership").param("organization_id")
        })?),
    };
    Ok(Subject {
        session: s,
        user,
        org,
        instance: req.instance(),
    })
}

/// `POST /v1/client/sessions/{id}/tokens`: a fresh session token (`organization_id`: absent =
/// the session's active organization, empty = personal account).
pub fn token(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    let sub = req.state.db.tx(|tx| load_for_token(tx, req))?;
    let now = req.state.now();
    // Only a token for the session's active organization can be its `last_active_token`.
    let for_active_org = req.form.get("organization_id").is_none();
    let jwt = tokens::session_token(&req.state, &sub, req.origin.as_deref(), now, for_active_org)?;
    Reply::json(&Token { jwt })
}

/// `POST /v1/client/sessions/{id}/tokens/{template}`: a token built from a JWT template of the
/// seed. Shortcodes: `{{user.id}}`, `{{user.first_name}}`, `{{user.last_name}}`,
/// `{{user.username}}`, `{{user.primary_email_address}}`, `{{user.public_metadata}}`,
/// `{{user.unsafe_metadata}}`, `{{org.id}}`, `{{org.slug}}`, `{{org.name}}`, `{{org.role}}`,
/// `{{session.id}}`.
pub fn template_token(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    let name = req.param("template_name").to_owned();
    let template = req
        .state
        .settings
        .template(&name)
        .cloned()
        .ok_or_else(|| ApiErr::not_found("JWT template"))?;
    let sub = req.state.db.tx(|tx| load_for_token(tx, req))?;
    let now = req.state.now();
    let jwt = tokens::template_token(&req.state, &template, &sub, req.origin.as_deref(), now)?;
    Reply::json(&Token { jwt })
}
