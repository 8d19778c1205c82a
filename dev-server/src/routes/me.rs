//! The signed-in user: `/v1/me`, its memberships and its invitations.

use axum::http::StatusCode;
use clerk_core::wire::{
    DeletedObject, ErrorCode, OrganizationInvitation, Paginated, PublicOrganizationData,
};

use super::{current_session, envelope, view};
use crate::error::{ApiErr, ApiResult};
use crate::http::{Params, Reply, Req};
use crate::render::ts;
use crate::store::{ident_key, InvitationRec, MembershipRec, OrgRec, SessionRec, Tx, UserRec};

/// `limit` (1..=500, default 10) and `offset` (≥ 0) of a list request.
pub fn page(query: &Params) -> ApiResult<(usize, usize)> {
    let limit = match query.text("limit") {
        None => 10,
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=500).contains(n))
            .ok_or_else(|| ApiErr::invalid("limit", "limit must be between 1 and 500."))?,
    };
    let offset = match query.text("offset") {
        None => 0,
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| ApiErr::invalid("offset", "offset must be 0 or more."))?,
    };
    Ok((limit as usize, offset as usize))
}

/// One page of `items`, as `{data, total_count}`.
pub fn paginate<T: Clone>(items: &[T], limit: usize, offset: usize) -> Paginated<T> {
    Paginated {
        data: items.iter().skip(offset).take(limit).cloned().collect(),
        total_count: items.len() as i64,
    }
}

/// The signed-in user of the request, with its client and session.
pub fn signed_in_user(
    tx: &Tx,
    req: &Req,
) -> ApiResult<(crate::store::ClientRec, SessionRec, UserRec)> {
    let (c, s) = current_session(tx, req)?;
    let u = tx
        .get::<UserRec>(&s.user_id)?
        .ok_or_else(ApiErr::signed_out)?;
    Ok((c, s, u))
}

/// `GET /v1/me`.
pub fn get(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    req.state.db.tx(|tx| {
        let (c, _, u) = signed_in_user(tx, req)?;
        let rendered = crate::render::user(tx, &view(req), &u)?;
        envelope(tx, req, &rendered, &c)
    })
}

/// `DELETE /v1/me`: deletes the user: its identifiers are free again, its memberships go, and
/// its sessions on every device are removed.
pub fn delete(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    let state = &req.state;
    state.db.tx(|tx| {
        let (c, _, u) = signed_in_user(tx, req)?;
        let identifiers = u
            .emails
            .iter()
            .map(|e| ident_key("email", &e.value))
            .chain(u.phones.iter().map(|p| ident_key("phone", &p.value)))
            .chain(u.username.iter().map(|n| ident_key("username", n)));
        for key in identifiers {
            // an unverified address may be someone else's verified one: free only our own
            if tx.key(&key)?.as_deref() == Some(u.id.as_str()) {
                tx.del_key(&key)?;
            }
        }
        for m in tx.by_b::<MembershipRec>(&u.id)? {
            tx.delete::<MembershipRec>(&m.id)?;
        }
        let now = state.now();
        for mut s in tx.by_b::<SessionRec>(&u.id)? {
            if s.signed_in(now) {
                s.status = "removed".into();
                s.updated_at = now;
                tx.put(&s)?;
            }
        }
        tx.delete::<UserRec>(&u.id)?;
        let deleted = DeletedObject {
            object: "user".into(),
            id: Some(u.id.clone()),
            slug: None,
            deleted: true,
        };
        envelope(tx, req, &deleted, &c)
    })
}

/// `PATCH /v1/me`: names, username, primary email/phone, unsafe metadata.
pub fn update(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    let state = &req.state;
    state.db.tx(|tx| {
        let (c, _, mut u) = signed_in_user(tx, req)?;
        for (key, slot) in [
            ("first_name", &mut u.first_name),
            ("last_name", &mut u.last_name),
        ] {
            if let Some(v) = req.form.get(key) {
                let v = v.trim();
                if v.chars().count() > 256 {
                    return Err(ApiErr::invalid(key, &format!("{key} is too long.")));
                }
                *slot = Some(v.to_owned()).filter(|v| !v.is_empty());
            }
        }
        if let Some(v) = req.form.get("username") {
            let v = v.trim().to_lowercase();
            if !state.settings.enabled("username") {
                return Err(ApiErr::value_invalid("username", "Usernames are off."));
            }
            let len = v.chars().count();
            if !(4..=64).contains(&len)
                || !v
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
            {
                return Err(ApiErr::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorCode::FormUsernameInvalidLength,
                    "is invalid",
                    "Username must be 4 to 64 letters, numbers, '_', '-' or '.'.",
                )
                .param("username"));
            }
            if u.username.as_deref() != Some(&v) {
                if tx.key(&ident_key("username", &v))?.is_some() {
                    return Err(ApiErr::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        ErrorCode::FormIdentifierExists,
                        "That username is taken.",
                        "That username is taken. Please try another.",
                    )
                    .param("username"));
                }
                if let Some(old) = &u.username {
                    tx.del_key(&ident_key("username", old))?;
                }
                tx.set_key(&ident_key("username", &v), &u.id)?;
                u.username = Some(v);
            }
        }
        if let Some(id) = req.field("primary_email_address_id") {
            if !u.emails.iter().any(|e| e.id == id && e.verified) {
                return Err(ApiErr::not_found("email address").param("primary_email_address_id"));
            }
            u.primary_email_id = Some(id);
        }
        if let Some(id) = req.field("primary_phone_number_id") {
            if !u.phones.iter().any(|p| p.id == id && p.verified) {
                return Err(ApiErr::not_found("phone number").param("primary_phone_number_id"));
            }
            u.primary_phone_id = Some(id);
        }
        if let Some(text) = req.form.get("unsafe_metadata") {
            match serde_json::from_str::<serde_json::Value>(text) {
                Ok(serde_json::Value::Object(m)) => u.unsafe_metadata = m,
                _ => {
                    return Err(ApiErr::invalid(
                        "unsafe_metadata",
                        "unsafe_metadata must be a JSON object.",
                    ))
                }
            }
        }
        u.updated_at = state.now();
        tx.put(&u)?;
        let rendered = crate::render::user(tx, &view(req), &u)?;
        envelope(tx, req, &rendered, &c)
    })
}

/// `GET /v1/me/organization_memberships`: `paginated=true` gives `{data, total_count}`,
/// otherwise a plain array.
pub fn memberships(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    let (limit, offset) = page(&req.query)?;
    let paginated = req.query.flag("paginated")?.unwrap_or(false);
    req.state.db.tx(|tx| {
        let (c, _, u) = signed_in_user(tx, req)?;
        let mut all = Vec::new();
        for m in tx.by_b::<MembershipRec>(&u.id)? {
            if let Some(m) = crate::render::membership(tx, &req.state, &m, true)? {
                all.push(m);
            }
        }
        let page = paginate(&all, limit, offset);
        if paginated {
            envelope(tx, req, &page, &c)
        } else {
            envelope(tx, req, &page.data, &c)
        }
    })
}

/// `DELETE /v1/me/organization_memberships/{organization_id}`: leaves an organization.
pub fn leave(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    req.state.db.tx(|tx| {
        let (c, mut s, u) = signed_in_user(tx, req)?;
        let org_id = req.param("organization_id").to_owned();
        let m = tx
            .by_b::<MembershipRec>(&u.id)?
            .into_iter()
            .find(|m| m.org_id == org_id)
            .ok_or_else(|| ApiErr::not_found("organization membership"))?;
        super::orgs::keep_a_manager(tx, req, &org_id, &u.id, None)?;
        tx.delete::<MembershipRec>(&m.id)?;
        if s.last_active_org_id.as_deref() == Some(&org_id) {
            s.last_active_org_id = None;
            tx.put(&s)?;
        }
        let deleted = DeletedObject {
            object: "organization_membership".into(),
            id: Some(m.id),
            slug: None,
            deleted: true,
        };
        envelope(tx, req, &deleted, &c)
    })
}

/// An invitation as the API shows it.
pub fn invitation(
    tx: &Tx,
    req: &Req,
    i: &InvitationRec,
    public: bool,
) -> ApiResult<OrganizationInvitation> {
    let org = tx.get::<OrgRec>(&i.org_id)?;
    Ok(OrganizationInvitation {
        id: i.id.clone(),
        email_address: i.email.clone(),
        role: i.role.clone(),
        role_name: req
            .state
            .settings
            .role(&i.role)
            .map(|r| r.name.clone())
            .unwrap_or_default(),
        organization_id: i.org_id.clone(),
        public_organization_data: if public {
            org.map(|o| PublicOrganizationData {
                image_url: format!("https://img.clerk.com/default/{}", o.id),
                id: o.id,
                name: o.name,
                slug: o.slug,
                has_image: false,
            })
        } else {
            None
        },
        status: i.status.clone(),
        public_metadata: Default::default(),
        url: None,
        expires_at: Some(ts(i.created_at + super::orgs::INVITATION_LIFETIME_MS)),
        created_at: ts(i.created_at),
        updated_at: ts(i.updated_at),
    })
}

/// `GET /v1/me/organization_invitations`: pending invitations to the user's addresses.
pub fn invitations(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    let (limit, offset) = page(&req.query)?;
    let status = req.query.text("status");
    req.state.db.tx(|tx| {
        let (c, _, u) = signed_in_user(tx, req)?;
        let mut all = Vec::new();
        for e in u.emails.iter().filter(|e| e.verified) {
            for i in tx.by_b::<InvitationRec>(&e.value.to_lowercase())? {
                if status.as_deref().is_none_or(|s| s == i.status) {
                    all.push(invitation(tx, req, &i, true)?);
                }
            }
        }
        envelope(tx, req, &paginate(&all, limit, offset), &c)
    })
}

/// `POST /v1/me/organization_invitations/{id}/accept`: joins the organization.
pub fn accept_invitation(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    req.state.db.tx(|tx| {
        let (c, _, u) = signed_in_user(tx, req)?;
        let mut i = tx
            .get::<InvitationRec>(req.param("invitation_id"))?
            .filter(|i| {
                u.emails
                    .iter()
                    .any(|e| e.verified && e.value.eq_ignore_ascii_case(&i.email))
            })
            .ok_or_else(|| ApiErr::not_found("invitation"))?;
        if i.status != "pending" {
            return Err(ApiErr::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::ConflictingState,
                "Invitation not pending",
                &format!("This invitation is {}.", i.status),
            ));
        }
        let now = req.state.now();
        let already = tx
            .by_b::<MembershipRec>(&u.id)?
            .iter()
            .any(|m| m.org_id == i.org_id);
        if !already {
            super::orgs::check_quota(tx, &i.org_id)?;
            tx.put(&MembershipRec {
                id: crate::crypto::new_id("orgmem"),
                org_id: i.org_id.clone(),
                user_id: u.id.clone(),
                role: i.role.clone(),
                created_at: now,
                updated_at: now,
            })?;
        }
        i.status = "accepted".into();
        i.updated_at = now;
        tx.put(&i)?;
        let rendered = invitation(tx, req, &i, true)?;
        envelope(tx, req, &rendered, &c)
    })
}
