//! `/v1/invitations…` of the Backend API (invitations to sign up).

use super::{int_in, json, object};
use crate::admin::invitations::{self as admin, NewInvitation};
use crate::admin::order_by;
use crate::error::ApiResult;
use crate::http::{Reply, Req};
use crate::render_bapi as render;

/// `POST /v1/invitations`: `email_address` (required), `public_metadata`, `redirect_url`,
/// `notify` (default true: the code log gets it), `ignore_existing`, `expires_in_days` (1-365,
/// default 30).
pub fn create(req: &mut Req) -> ApiResult<Reply> {
    let f = &req.form;
    let n = NewInvitation {
        email: f
            .text("email_address")
            .ok_or_else(|| crate::error::ApiErr::missing("email_address"))?,
        public_metadata: object(f, "public_metadata")?,
        redirect_url: f.text("redirect_url"),
        notify: f.flag("notify")?.unwrap_or(true),
        ignore_existing: f.flag("ignore_existing")?.unwrap_or(false),
        expires_in_days: int_in(f, "expires_in_days", 1, 365)?,
    };
    let state = &req.state;
    state.db.tx(|tx| {
        let i = admin::create(tx, state, &n)?;
        json(render::invitation(&i, state.now()))
    })
}

/// `GET /v1/invitations`: `status`, `query` (part of the address), `order_by` (`created_at`,
/// `email_address`, `expires_at`; anything else: newest first, as the spec documents no
/// error here), `limit`, `offset`; a bare array, `{data, total_count}` with `paginated=true`.
pub fn list(req: &mut Req) -> ApiResult<Reply> {
    let q = &req.query;
    let order = order_by(
        q.get("order_by"),
        &["created_at", "email_address", "expires_at"],
    )
    .unwrap_or_else(|_| ("created_at".into(), true));
    let (limit, offset) = super::page(q).unwrap_or((10, 0));
    let paginated = q.flag("paginated").ok().flatten().unwrap_or(false);
    let status = q.text("status");
    let query = q.text("query");
    let state = &req.state;
    state.db.tx(|tx| {
        let now = state.now();
        let all: Vec<_> = admin::list(tx, now, status.as_deref(), query.as_deref(), &order)?
            .iter()
            .map(|i| render::invitation(i, now))
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

/// `POST /v1/invitations/{invitation_id}/revoke`.
pub fn revoke(req: &mut Req) -> ApiResult<Reply> {
    let state = &req.state;
    state.db.tx(|tx| {
        let i = admin::revoke(tx, state, req.param("invitation_id"))?;
        json(render::invitation(&i, state.now()))
    })
}
