//! Dev browser, environment, client, health and JWKS.

use clerk_core::wire::{DevBrowser, SessionStatus};

use super::{client_of, client_uat, envelope, new_client, touch_client, view};
use crate::error::ApiResult;
use crate::http::{Browser, Reply, Req};
use crate::store::ClientRec;

/// `POST /v1/dev_browser`: a new dev-browser token (its `id`; `token` for older clerk-js).
pub fn create_dev_browser(req: &mut Req) -> ApiResult<Reply> {
    let token = format!("dvb_{}", crate::crypto::random_hex(20));
    req.state
        .db
        .tx(|tx| tx.set_key(&format!("dvb:{token}"), ""))?;
    let mut reply = Reply::json(&DevBrowser {
        id: token.clone(),
        token: Some(token.clone()),
    })?;
    reply.cookies.push(format!(
        "__clerk_db_jwt={token}; Path=/; SameSite=Lax; Max-Age=31536000"
    ));
    Ok(reply)
}

/// `GET|PATCH /v1/environment`: the instance settings, `instance_environment_type`
/// `development` for dev-browser requests and `production` for the others.
pub fn environment(req: &mut Req) -> ApiResult<Reply> {
    if matches!(req.browser, Browser::Dev(_)) {
        req.state.db.tx(|tx| client_of(tx, req).map(|_| ()))?;
    }
    let mut reply = Reply::json(&crate::environment::environment(&req.state.settings))?;
    if req.instance() == crate::Instance::Production {
        reply.body["display_config"]["instance_environment_type"] = "production".into();
    }
    Ok(reply)
}

/// `GET /v1/client`: `{response: client or null, client: null}`.
pub fn get(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    req.state.db.tx(|tx| {
        let (client, uat) = match client_of(tx, req)? {
            Some(c) => {
                let rendered = crate::render::client(tx, &view(req), &c)?;
                let uat = client_uat(&rendered, &c);
                (Some(rendered), Some(uat))
            }
            None => (None, None),
        };
        let mut reply = Reply::json(&serde_json::json!({ "response": client, "client": null }))?;
        reply.client_uat = uat;
        Ok(reply)
    })
}

/// `PUT|POST /v1/client`: a fresh client for this browser.
pub fn create(req: &mut Req) -> ApiResult<Reply> {
    let state = req.state.clone();
    state.db.tx(|tx| {
        client_of(tx, req)?;
        let c = new_client(tx, req)?;
        let rendered = crate::render::client(tx, &view(req), &c)?;
        envelope(tx, req, &rendered, &c)
    })
}

fn close_sessions(
    tx: &crate::store::Tx,
    req: &Req,
    c: &mut ClientRec,
    status: SessionStatus,
) -> ApiResult<()> {
    let now = req.state.now();
    for mut s in tx.sessions_of_client(&c.id)? {
        if s.signed_in(now) {
            s.status = status.clone();
            s.updated_at = now;
            tx.put(&s)?;
        }
    }
    c.last_active_session_id = None;
    touch_client(tx, req, c)
}

/// `DELETE /v1/client`: ends every session and forgets the sign-in/sign-up in progress.
pub fn destroy(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    req.state.db.tx(|tx| {
        let Some(mut c) = client_of(tx, req)? else {
            return Err(crate::ApiErr::not_found("client"));
        };
        c.sign_in_id = None;
        c.sign_up_id = None;
        close_sessions(tx, req, &mut c, SessionStatus::Ended)?;
        let rendered = crate::render::client(tx, &view(req), &c)?;
        envelope(tx, req, &rendered, &c)
    })
}

/// `DELETE /v1/client/sessions`: removes every session, keeping the client (clerk-js's
/// default sign-out).
pub fn remove_sessions(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    req.state.db.tx(|tx| {
        let Some(mut c) = client_of(tx, req)? else {
            return Err(crate::ApiErr::not_found("client"));
        };
        close_sessions(tx, req, &mut c, SessionStatus::Removed)?;
        let rendered = crate::render::client(tx, &view(req), &c)?;
        envelope(tx, req, &rendered, &c)
    })
}

/// `GET /v1/health`.
pub fn health(_req: &mut Req) -> ApiResult<Reply> {
    Reply::json(&serde_json::json!({ "status": "healthy" }))
}

/// `GET /.well-known/jwks.json` (FAPI, public): the public key of session tokens.
pub fn jwks(req: &mut Req) -> ApiResult<Reply> {
    Reply::json(&req.state.signer.jwks())
}
