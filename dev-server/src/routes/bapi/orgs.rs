//! `/v1/organizations…` of the Backend API (the path takes an id or a slug).

use super::{int, int_in, json, object, time, values};
use crate::admin::orgs::{
    self as admin, MemberFilter, NewOrg, NewOrgInvitation, OrgFilter, OrgUpdate, MEMBER_ORDERS,
    ORG_ORDERS,
};
use crate::admin::{order_by, MetaChange};
use crate::error::{ApiErr, ApiResult};
use crate::http::{Reply, Req};
use crate::render_bapi as render;

fn org_id(req: &Req) -> &str {
    req.param("organization_id")
}

/// `GET /v1/organizations`: `query`, `user_id[]`, `organization_id[]`, `order_by`
/// (`created_at`, `name`, `members_count`), `include_members_count`; `{data, total_count}`.
pub fn list(req: &mut Req) -> ApiResult<Reply> {
    let q = &req.query;
    let f = OrgFilter {
        query: q.text("query"),
        user_id: values(q, "user_id")?,
        organization_id: values(q, "organization_id")?,
    };
    let order = order_by(
        q.get("order_by").filter(|v| !v.trim().is_empty()),
        ORG_ORDERS,
    )?;
    let counts = q.flag("include_members_count")?.unwrap_or(false);
    q.flag("include_missing_member_with_elevated_permissions")?;
    let (limit, offset) = super::page(q)?;
    req.state.db.tx(|tx| {
        let mut all = Vec::new();
        for o in admin::list(tx, &f, &order)? {
            all.push(render::organization(tx, &o, counts)?);
        }
        json(render::page(all, limit, offset))
    })
}

/// `GET /v1/organizations/{id or slug}`.
pub fn get(req: &mut Req) -> ApiResult<Reply> {
    let counts = req.query.flag("include_members_count")?.unwrap_or(false);
    req.query
        .flag("include_missing_member_with_elevated_permissions")?;
    req.state.db.tx(|tx| {
        let o = admin::get(tx, org_id(req))?;
        json(render::organization(tx, &o, counts)?)
    })
}

/// `POST /v1/organizations`: `name` (required), `slug`, `created_by` (becomes its admin),
/// metadata, `max_allowed_memberships`, `created_at`.
pub fn create(req: &mut Req) -> ApiResult<Reply> {
    crate::org_rules::enabled(&req.state.settings)?;
    let f = &req.form;
    let n = NewOrg {
        name: f.text("name").ok_or_else(|| ApiErr::missing("name"))?,
        slug: f.text("slug"),
        created_by: f.text("created_by"),
        public_metadata: object(f, "public_metadata")?,
        private_metadata: object(f, "private_metadata")?,
        max_allowed_memberships: int_in(f, "max_allowed_memberships", 0, i64::MAX)?,
        created_at: time(f, "created_at")?,
    };
    let state = &req.state;
    state.db.tx(|tx| {
        let o = admin::create(tx, state, &n)?;
        json(render::organization(tx, &o, false)?)
    })
}

/// `PATCH /v1/organizations/{id}`: `name`, `slug`, `max_allowed_memberships`, `created_at`.
pub fn update(req: &mut Req) -> ApiResult<Reply> {
    let f = &req.form;
    let up = OrgUpdate {
        name: f.text("name"),
        slug: f.text("slug"),
        max_allowed_memberships: int_in(f, "max_allowed_memberships", 0, i64::MAX)?,
        created_at: time(f, "created_at")?,
    };
    f.flag("admin_delete_enabled")?;
    let state = &req.state;
    state.db.tx(|tx| {
        let o = admin::update(tx, state, org_id(req), &up)?;
        json(render::organization(tx, &o, false)?)
    })
}

/// `DELETE /v1/organizations/{id}`.
pub fn delete(req: &mut Req) -> ApiResult<Reply> {
    req.state.db.tx(|tx| {
        let o = admin::delete(tx, org_id(req))?;
        json(render::deleted("organization", &o.id, Some(&o.slug)))
    })
}

fn change_metadata(req: &Req, how: MetaChange) -> ApiResult<Reply> {
    let public = object(&req.form, "public_metadata")?;
    let private = object(&req.form, "private_metadata")?;
    let state = &req.state;
    state.db.tx(|tx| {
        let o = admin::metadata(
            tx,
            state,
            org_id(req),
            public.as_ref(),
            private.as_ref(),
            how,
        )?;
        json(render::organization(tx, &o, false)?)
    })
}

/// `PATCH /v1/organizations/{id}/metadata`: deep merge, `null` removes a key.
pub fn merge_metadata(req: &mut Req) -> ApiResult<Reply> {
    change_metadata(req, MetaChange::Merge)
}

/// `PUT /v1/organizations/{id}/metadata`: each given field replaced whole.
pub fn replace_metadata(req: &mut Req) -> ApiResult<Reply> {
    change_metadata(req, MetaChange::Replace)
}

/// `GET /v1/organizations/{id}/memberships`: the spec's filters and orders,
/// `{data, total_count}`. An unknown organization is a 422 (the spec documents no 404 here).
pub fn memberships(req: &mut Req) -> ApiResult<Reply> {
    let q = &req.query;
    let f = MemberFilter {
        user_id: values(q, "user_id")?,
        email_address: values(q, "email_address")?,
        phone_number: values(q, "phone_number")?,
        username: values(q, "username")?,
        role: values(q, "role")?,
        query: q.text("query"),
        email_address_query: q.text("email_address_query"),
        phone_number_query: q.text("phone_number_query"),
        username_query: q.text("username_query"),
        name_query: q.text("name_query"),
        created_at_before: int(q, "created_at_before")?,
        created_at_after: int(q, "created_at_after")?,
        last_active_at_before: int(q, "last_active_at_before")?,
        last_active_at_after: int(q, "last_active_at_after")?,
        matches_nothing: !values(q, "web3_wallet")?.is_empty(),
    };
    let order = order_by(
        Some(
            q.get("order_by")
                .filter(|v| !v.trim().is_empty())
                .unwrap_or("created_at"),
        ),
        MEMBER_ORDERS,
    )?;
    let (limit, offset) = super::page(q)?;
    let state = &req.state;
    state.db.tx(|tx| {
        let list = admin::memberships(tx, org_id(req), &f, &order).map_err(|e| {
            if e.status == axum::http::StatusCode::NOT_FOUND {
                ApiErr::value_invalid("organization_id", "No organization has this id or slug.")
            } else {
                e
            }
        })?;
        let mut all = Vec::new();
        for m in list {
            if let Some(v) = render::membership(tx, state, &m)? {
                all.push(v);
            }
        }
        json(render::page(all, limit, offset))
    })
}

/// `POST /v1/organizations/{id}/memberships`: `user_id`, `role` (both required), metadata.
pub fn add_member(req: &mut Req) -> ApiResult<Reply> {
    let f = &req.form;
    let user_id = f
        .text("user_id")
        .ok_or_else(|| ApiErr::missing("user_id"))?;
    let role = f.text("role").ok_or_else(|| ApiErr::missing("role"))?;
    let public = object(f, "public_metadata")?;
    let private = object(f, "private_metadata")?;
    let state = &req.state;
    state.db.tx(|tx| {
        let m = admin::add_member(
            tx,
            state,
            org_id(req),
            &user_id,
            &role,
            public.as_ref(),
            private.as_ref(),
        )?;
        json(render::membership(tx, state, &m)?.ok_or_else(|| ApiErr::not_found("organization"))?)
    })
}

/// `PATCH /v1/organizations/{id}/memberships/{user_id}`: `role`.
pub fn update_member(req: &mut Req) -> ApiResult<Reply> {
    let role = req.field("role").ok_or_else(|| ApiErr::missing("role"))?;
    let state = &req.state;
    state.db.tx(|tx| {
        let m = admin::set_role(tx, state, org_id(req), req.param("user_id"), &role)?;
        json(render::membership(tx, state, &m)?.ok_or_else(|| ApiErr::not_found("organization"))?)
    })
}

/// `PATCH /v1/organizations/{id}/memberships/{user_id}/metadata`: deep merge.
pub fn member_metadata(req: &mut Req) -> ApiResult<Reply> {
    let public = object(&req.form, "public_metadata")?;
    let private = object(&req.form, "private_metadata")?;
    let state = &req.state;
    state.db.tx(|tx| {
        let m = admin::member_metadata(
            tx,
            state,
            org_id(req),
            req.param("user_id"),
            public.as_ref(),
            private.as_ref(),
        )?;
        json(render::membership(tx, state, &m)?.ok_or_else(|| ApiErr::not_found("organization"))?)
    })
}

/// `DELETE /v1/organizations/{id}/memberships/{user_id}`: the membership as it was.
pub fn remove_member(req: &mut Req) -> ApiResult<Reply> {
    let state = &req.state;
    state.db.tx(|tx| {
        let m = admin::remove_member(tx, org_id(req), req.param("user_id"))?;
        let v = render::membership(tx, state, &m)?;
        admin::forget_member(tx, &m)?;
        json(v.ok_or_else(|| ApiErr::not_found("organization"))?)
    })
}

/// `POST /v1/organizations/{id}/invitations`: `email_address`, `role` (required),
/// `inviter_user_id` (a member who may manage members), metadata, `expires_in_days`, `notify`.
pub fn invite(req: &mut Req) -> ApiResult<Reply> {
    let f = &req.form;
    let n = NewOrgInvitation {
        email: f
            .text("email_address")
            .ok_or_else(|| ApiErr::missing("email_address"))?,
        role: f.text("role").ok_or_else(|| ApiErr::missing("role"))?,
        inviter_user_id: f.text("inviter_user_id"),
        public_metadata: object(f, "public_metadata")?,
        private_metadata: object(f, "private_metadata")?,
        expires_in_days: int_in(f, "expires_in_days", 1, 365)?,
        notify: f.flag("notify")?.unwrap_or(true),
    };
    let state = &req.state;
    state.db.tx(|tx| {
        let i = admin::invite(tx, state, org_id(req), &n)?;
        json(render::org_invitation(tx, state, &i, state.now())?)
    })
}

fn list_invitations(req: &Req, only_pending: bool) -> ApiResult<Reply> {
    let q = &req.query;
    let status = if only_pending {
        Some("pending".to_owned())
    } else {
        q.text("status")
    };
    let email = q.text("email_address").map(|e| e.to_lowercase());
    let order = order_by(
        q.get("order_by").filter(|v| !v.trim().is_empty()),
        &["created_at", "email_address"],
    )?;
    let (limit, offset) = super::page(q)?;
    let state = &req.state;
    state.db.tx(|tx| {
        let org = admin::get(tx, org_id(req))?;
        let now = state.now();
        let mut list = Vec::new();
        for i in tx.invitations_of_org(&org.id)? {
            let st = render::org_invitation_status(tx, &i, now)?;
            if status.as_deref().is_none_or(|s| s == st)
                && email.as_deref().is_none_or(|e| e == i.email)
            {
                list.push(i);
            }
        }
        match order.0.as_str() {
            "email_address" => {
                crate::admin::sort_by_key(&mut list, order.1, |i| Some(i.email.clone()))
            }
            _ => crate::admin::sort_by_key(&mut list, order.1, |i| Some(i.created_at)),
        }
        let mut all = Vec::new();
        for i in &list {
            all.push(render::org_invitation(tx, state, i, now)?);
        }
        json(render::page(all, limit, offset))
    })
}

/// `GET /v1/organizations/{id}/invitations`: `status`, `email_address`, `order_by`;
/// `{data, total_count}`.
pub fn invitations(req: &mut Req) -> ApiResult<Reply> {
    list_invitations(req, false)
}

/// `GET /v1/organizations/{id}/invitations/pending`.
pub fn pending_invitations(req: &mut Req) -> ApiResult<Reply> {
    list_invitations(req, true)
}

/// `GET /v1/organizations/{id}/invitations/{invitation_id}`.
pub fn invitation(req: &mut Req) -> ApiResult<Reply> {
    let state = &req.state;
    state.db.tx(|tx| {
        let i = admin::invitation(tx, org_id(req), req.param("invitation_id"))?;
        json(render::org_invitation(tx, state, &i, state.now())?)
    })
}

/// `POST /v1/organizations/{id}/invitations/{invitation_id}/revoke` (a pending one; another is
/// a 400).
pub fn revoke_invitation(req: &mut Req) -> ApiResult<Reply> {
    let state = &req.state;
    state.db.tx(|tx| {
        let i = admin::revoke_invitation(tx, state, org_id(req), req.param("invitation_id"))?;
        json(render::org_invitation(tx, state, &i, state.now())?)
    })
}
