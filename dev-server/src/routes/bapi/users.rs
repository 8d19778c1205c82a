//! `/v1/users…` of the Backend API.

use axum::http::StatusCode;
use clerk_core::wire::ErrorCode;
use serde_json::json;

use super::{int, json, metadata, nullable, time, values};
use crate::admin::users::{
    self as admin, NewUser, Restriction, UserFilter, UserUpdate, USER_ORDERS,
};
use crate::admin::{order_by, MetaChange};
use crate::error::{ApiErr, ApiResult};
use crate::http::{Params, Reply, Req};
use crate::password::password_error;
use crate::render_bapi as render;

fn filter(q: &Params) -> ApiResult<UserFilter> {
    Ok(UserFilter {
        email_address: values(q, "email_address")?,
        phone_number: values(q, "phone_number")?,
        external_id: values(q, "external_id")?,
        username: values(q, "username")?,
        user_id: values(q, "user_id")?,
        organization_id: values(q, "organization_id")?,
        matches_nothing: !values(q, "web3_wallet")?.is_empty()
            || !values(q, "provider_user_id")?.is_empty()
            || q.text("provider").is_some(),
        query: q.text("query"),
        email_address_query: q.text("email_address_query"),
        phone_number_query: q.text("phone_number_query"),
        username_query: q.text("username_query"),
        name_query: q.text("name_query"),
        banned: q.flag("banned")?,
        last_active_at_before: int(q, "last_active_at_before")?,
        last_active_at_after: int(q, "last_active_at_after")?,
        last_active_at_since: int(q, "last_active_at_since")?,
        created_at_before: int(q, "created_at_before")?,
        created_at_after: int(q, "created_at_after")?,
        last_sign_in_at_before: int(q, "last_sign_in_at_before")?,
        last_sign_in_at_after: int(q, "last_sign_in_at_after")?,
    })
}

/// `GET /v1/users`: a bare array. `starting_after` (a user id) needs the `created_at` order and
/// no `offset`.
pub fn list(req: &mut Req) -> ApiResult<Reply> {
    let q = &req.query;
    let f = filter(q)?;
    let order = order_by(
        q.get("order_by").filter(|v| !v.trim().is_empty()),
        USER_ORDERS,
    )?;
    let (limit, offset) = super::page(q)?;
    let after = q.text("starting_after");
    if after.is_some() {
        if order.0 != "created_at" {
            return Err(ApiErr::value_invalid(
                "starting_after",
                "starting_after needs order_by created_at or -created_at.",
            ));
        }
        if offset > 0 {
            return Err(ApiErr::value_invalid(
                "starting_after",
                "starting_after cannot be combined with offset.",
            ));
        }
    }
    let state = &req.state;
    state.db.tx(|tx| {
        let mut users = admin::list(tx, &f, &order)?;
        if let Some(id) = &after {
            let at = users.iter().position(|u| &u.id == id).ok_or_else(|| {
                ApiErr::value_invalid("starting_after", "No user of this list has this id.")
            })?;
            users.drain(..=at);
        }
        let now = state.now();
        let page: Vec<_> = users
            .iter()
            .skip(offset)
            .take(limit)
            .map(|u| render::user(state, now, u))
            .collect();
        json(page.into())
    })
}

/// `GET /v1/users/count`: `{object: "total_count", total_count}` with the list's filters.
pub fn count(req: &mut Req) -> ApiResult<Reply> {
    let f = filter(&req.query)?;
    req.state.db.tx(|tx| {
        let n = admin::list(tx, &f, &("created_at".into(), false))?.len();
        json(render::total_count(n))
    })
}

/// `GET /v1/users/{user_id}`.
pub fn get(req: &mut Req) -> ApiResult<Reply> {
    let state = &req.state;
    state.db.tx(|tx| {
        let u = admin::get(tx, req.param("user_id"))?;
        json(render::user(state, state.now(), &u))
    })
}

/// A password from the body: checked against the instance's rules unless
/// `skip_password_checks`, then hashed (outside any transaction: argon2 is slow on purpose).
fn password_hash(req: &Req) -> ApiResult<Option<String>> {
    let Some(password) = req.raw_field("password").filter(|p| !p.is_empty()) else {
        return Ok(None);
    };
    if !req.form.flag("skip_password_checks")?.unwrap_or(false) {
        if let Some(e) = password_error(&req.state, password) {
            return Err(e);
        }
    }
    Ok(Some(crate::crypto::hash_password(password)))
}

fn refuse_digest(req: &Req) -> ApiResult<()> {
    if req.field("password_digest").is_some() {
        return Err(ApiErr::value_invalid(
            "password_digest",
            "This development server does not import password digests: send password.",
        ));
    }
    Ok(())
}

/// `POST /v1/users`: identifiers are created verified; the first email address and phone
/// number are the primary ones.
pub fn create(req: &mut Req) -> ApiResult<Reply> {
    let f = &req.form;
    refuse_digest(req)?;
    let n = NewUser {
        external_id: f.text("external_id"),
        first_name: f.text("first_name"),
        last_name: f.text("last_name"),
        emails: values(f, "email_address")?,
        phones: values(f, "phone_number")?,
        username: f.text("username"),
        password_hash: None,
        skip_password_requirement: f.flag("skip_password_requirement")?.unwrap_or(false),
        totp_secret: f.text("totp_secret"),
        backup_codes: values(f, "backup_codes")?,
        metadata: metadata(f)?,
        banned: f.flag("banned")?.unwrap_or(false),
        locked: f.flag("locked")?.unwrap_or(false),
        legal_accepted_at: time(f, "legal_accepted_at")?,
        created_at: time(f, "created_at")?,
    };
    if !values(f, "web3_wallet")?.is_empty() {
        return Err(ApiErr::value_invalid(
            "web3_wallet",
            "This development server has no web3 wallets.",
        ));
    }
    let has_password = req.raw_field("password").is_some_and(|p| !p.is_empty());
    admin::check_new(&req.state, &n, has_password)?;
    let n = NewUser {
        password_hash: password_hash(req)?,
        ..n
    };
    let state = &req.state;
    state.db.tx(|tx| {
        let u = admin::create(tx, state, &n)?;
        json(render::user(state, state.now(), &u))
    })
}

/// `PATCH /v1/users/{user_id}`: the given fields (`null` clears a name, the username or the
/// external id); metadata given here replaces (prefer `…/metadata`).
pub fn update(req: &mut Req) -> ApiResult<Reply> {
    let f = &req.form;
    refuse_digest(req)?;
    let backup_codes = values(f, "backup_codes")?;
    let up = UserUpdate {
        external_id: nullable(f, "external_id"),
        first_name: nullable(f, "first_name"),
        last_name: nullable(f, "last_name"),
        username: nullable(f, "username"),
        primary_email_address_id: f.text("primary_email_address_id"),
        primary_phone_number_id: f.text("primary_phone_number_id"),
        password_hash: None,
        sign_out_of_other_sessions: f.flag("sign_out_of_other_sessions")?.unwrap_or(false),
        totp_secret: f.text("totp_secret"),
        backup_codes: (f.get("backup_codes").is_some() || f.get("backup_codes[]").is_some())
            .then_some(backup_codes),
        metadata: metadata(f)?,
        legal_accepted_at: time(f, "legal_accepted_at")?,
        created_at: time(f, "created_at")?,
    };
    admin::check_update(&up)?;
    let state = &req.state;
    // 404 before the slow hash
    state
        .db
        .tx(|tx| admin::get(tx, req.param("user_id")).map(|_| ()))?;
    let up = UserUpdate {
        password_hash: password_hash(req)?,
        ..up
    };
    state.db.tx(|tx| {
        let u = admin::update(tx, state, req.param("user_id"), &up)?;
        json(render::user(state, state.now(), &u))
    })
}

fn change_metadata(req: &Req, how: MetaChange) -> ApiResult<Reply> {
    let meta = metadata(&req.form)?;
    let state = &req.state;
    state.db.tx(|tx| {
        let u = admin::metadata(tx, state, req.param("user_id"), &meta, how)?;
        json(render::user(state, state.now(), &u))
    })
}

/// `PATCH /v1/users/{user_id}/metadata`: deep merge; `null` removes a key at any level.
pub fn merge_metadata(req: &mut Req) -> ApiResult<Reply> {
    change_metadata(req, MetaChange::Merge)
}

/// `PUT /v1/users/{user_id}/metadata`: each given field replaced whole.
pub fn replace_metadata(req: &mut Req) -> ApiResult<Reply> {
    change_metadata(req, MetaChange::Replace)
}

/// `DELETE /v1/users/{user_id}`.
pub fn delete(req: &mut Req) -> ApiResult<Reply> {
    let state = &req.state;
    state.db.tx(|tx| {
        let u = admin::delete(tx, state, req.param("user_id"))?;
        let mut v = render::deleted("user", &u.id, None);
        if let Some(x) = &u.external_id {
            v["external_id"] = x.clone().into();
        }
        json(v)
    })
}

fn restrict(req: &Req, r: Restriction) -> ApiResult<Reply> {
    let state = &req.state;
    state.db.tx(|tx| {
        let u = admin::restrict(tx, state, req.param("user_id"), r)?;
        json(render::user(state, state.now(), &u))
    })
}

/// `POST /v1/users/{user_id}/ban`: no more sign-ins; every session revoked.
pub fn ban(req: &mut Req) -> ApiResult<Reply> {
    restrict(req, Restriction::Ban)
}

/// `POST /v1/users/{user_id}/unban`.
pub fn unban(req: &mut Req) -> ApiResult<Reply> {
    restrict(req, Restriction::Unban)
}

/// `POST /v1/users/{user_id}/lock`: locked for the instance's lockout duration.
pub fn lock(req: &mut Req) -> ApiResult<Reply> {
    restrict(req, Restriction::Lock)
}

/// `POST /v1/users/{user_id}/unlock`.
pub fn unlock(req: &mut Req) -> ApiResult<Reply> {
    restrict(req, Restriction::Unlock)
}

/// `POST /v1/users/{user_id}/verify_password`: `{verified: true}`; a wrong password is a 422
/// `incorrect_password`, a user without one a 400.
pub fn verify_password(req: &mut Req) -> ApiResult<Reply> {
    let password = req
        .raw_field("password")
        .ok_or_else(|| ApiErr::missing("password"))?
        .to_owned();
    let hash = req
        .state
        .db
        .tx(|tx| Ok(admin::get(tx, req.param("user_id"))?.password_hash))?
        .ok_or_else(|| {
            ApiErr::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::from("password_not_set"),
                "No password",
                "This user has no password.",
            )
        })?;
    if !crate::crypto::verify_password(&password, &hash) {
        return Err(ApiErr::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::from("incorrect_password"),
            "Incorrect password",
            "The password is incorrect.",
        )
        .param("password"));
    }
    json(json!({"verified": true}))
}

/// `GET /v1/users/{user_id}/organization_memberships`: `{data, total_count}` (an unknown user
/// has none: the spec documents no 404 here).
pub fn memberships(req: &mut Req) -> ApiResult<Reply> {
    let (limit, offset) = super::page(&req.query)?;
    let state = &req.state;
    state.db.tx(|tx| {
        let mut all = Vec::new();
        for m in tx.memberships_of_user(req.param("user_id"))? {
            if let Some(v) = render::membership(tx, state, &m)? {
                all.push(v);
            }
        }
        json(render::page(all, limit, offset))
    })
}

/// `GET /v1/users/{user_id}/organization_invitations`: the invitations to the user's verified
/// email addresses, `{data, total_count}`, optionally by `status`.
pub fn org_invitations(req: &mut Req) -> ApiResult<Reply> {
    let (limit, offset) = super::page(&req.query)?;
    let status = req.query.text("status");
    let state = &req.state;
    state.db.tx(|tx| {
        let u = admin::get(tx, req.param("user_id"))?;
        let now = state.now();
        let mut all = Vec::new();
        for e in u.emails.iter().filter(|e| e.verified) {
            for i in tx.invitations_for_email(&e.value.to_lowercase())? {
                let st = render::org_invitation_status(tx, &i, now)?;
                if status.as_deref().is_none_or(|s| s == st) {
                    let mut v = render::org_invitation(tx, state, &i, now)?;
                    if let Some(o) = tx.get::<crate::store::OrgRec>(&i.org_id)? {
                        v["public_organization_data"] = json!({
                            "id": o.id, "name": o.name, "slug": o.slug,
                            "image_url": format!("https://img.clerk.com/default/{}", o.id),
                            "has_image": false,
                        });
                    }
                    all.push(v);
                }
            }
        }
        json(render::page(all, limit, offset))
    })
}
