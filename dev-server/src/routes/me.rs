//! The signed-in user: `/v1/me`, its memberships and its invitations.

use axum::http::StatusCode;
use clerk_core::wire::{DeletedObject, ErrorCode, SessionStatus};

use super::{envelope, signed_in_user, view};
use crate::error::{ApiErr, ApiResult};
use crate::http::{paginate, Reply, Req};
use crate::org_rules::{check_quota, keep_a_manager};
use crate::render::invitation;
use crate::store::{ident_key, InvitationRec, InvitationStatus, MembershipRec, UserRec};

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
        for m in tx.memberships_of_user(&u.id)? {
            tx.delete::<MembershipRec>(&m.id)?;
        }
        let now = state.now();
        for mut s in tx.sessions_of_user(&u.id)? {
            if s.signed_in(now) {
                s.status = SessionStatus::Removed;
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
    let (limit, offset) = req.query.page()?;
    let paginated = req.query.flag("paginated")?.unwrap_or(false);
    req.state.db.tx(|tx| {
        let (c, _, u) = signed_in_user(tx, req)?;
        let mut all = Vec::new();
        for m in tx.memberships_of_user(&u.id)? {
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
            .memberships_of_user(&u.id)?
            .into_iter()
            .find(|m| m.org_id == org_id)
            .ok_or_else(|| ApiErr::not_found("organization membership"))?;
        keep_a_manager(tx, &req.state.settings, &org_id, &u.id, None)?;
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

/// `GET /v1/me/organization_invitations`: pending invitations to the user's addresses.
pub fn invitations(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    let (limit, offset) = req.query.page()?;
    let status = req.query.text("status");
    req.state.db.tx(|tx| {
        let (c, _, u) = signed_in_user(tx, req)?;
        let mut all = Vec::new();
        for e in u.emails.iter().filter(|e| e.verified) {
            for i in tx.invitations_for_email(&e.value.to_lowercase())? {
                if status.as_deref().is_none_or(|s| s == i.status.as_str()) {
                    all.push(invitation(tx, &req.state, &i, true)?);
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
        if i.status != InvitationStatus::Pending {
            return Err(ApiErr::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::ConflictingState,
                "Invitation not pending",
                &format!("This invitation is {}.", i.status.as_str()),
            ));
        }
        let now = req.state.now();
        let already = tx
            .memberships_of_user(&u.id)?
            .iter()
            .any(|m| m.org_id == i.org_id);
        if !already {
            check_quota(tx, &i.org_id)?;
            tx.put(&MembershipRec {
                id: crate::crypto::new_id("orgmem"),
                org_id: i.org_id.clone(),
                user_id: u.id.clone(),
                role: i.role.clone(),
                created_at: now,
                updated_at: now,
            })?;
        }
        i.status = InvitationStatus::Accepted;
        i.updated_at = now;
        tx.put(&i)?;
        let rendered = invitation(tx, &req.state, &i, true)?;
        envelope(tx, req, &rendered, &c)
    })
}
