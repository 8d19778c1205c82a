//! Organizations: create, read, members (list, change a role, remove) and invitations (create,
//! list, revoke).

use axum::http::StatusCode;
use clerk_core::wire::ErrorCode;

use super::me::{invitation, page, paginate};
use super::{current_session, envelope};
use crate::config::default_slug;
use crate::error::{ApiErr, ApiResult};
use crate::http::{Reply, Req};
use crate::store::{ClientRec, InvitationRec, MembershipRec, OrgRec, SessionRec, Tx};

/// Errors unless organizations are on.
pub fn enabled(req: &Req) -> ApiResult<()> {
    if !req.state.settings.seed.organizations.enabled {
        return Err(ApiErr::forbidden(
            "Organizations are not enabled for this instance.",
        ));
    }
    Ok(())
}

/// Errors if the organization is at its membership limit.
pub fn check_quota(tx: &Tx, org_id: &str) -> ApiResult<()> {
    if let Some(org) = tx.get::<OrgRec>(org_id)? {
        let count = tx.by_a::<MembershipRec>(org_id)?.len() as i64;
        if org.max_allowed_memberships > 0 && count >= org.max_allowed_memberships {
            return Err(ApiErr::new(
                StatusCode::FORBIDDEN,
                ErrorCode::OrganizationMembershipQuotaExceeded,
                "Membership quota exceeded",
                "The organization has reached its membership limit.",
            ));
        }
    }
    Ok(())
}

/// `POST /v1/organizations`: the caller becomes its first member with the creator role.
pub fn create(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    enabled(req)?;
    let name = req.field("name").ok_or_else(|| ApiErr::missing("name"))?;
    if name.chars().count() > 256 {
        return Err(ApiErr::invalid("name", "name is too long."));
    }
    let slug = match req.field("slug") {
        Some(s) => {
            let ok = s.len() <= 128
                && s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
                && !s.starts_with('-');
            if !ok {
                return Err(ApiErr::invalid(
                    "slug",
                    "slug can only contain lowercase letters, numbers, '-' and '_'.",
                ));
            }
            s
        }
        None => default_slug(&name),
    };
    let state = &req.state;
    state.db.tx(|tx| {
        let (c, s) = current_session(tx, req)?;
        if tx.key(&format!("slug:{slug}"))?.is_some() {
            return Err(ApiErr::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::from("organization_slug_already_taken"),
                "This slug is taken.",
                "This organization slug is already taken. Please try another.",
            )
            .param("slug"));
        }
        let now = state.now();
        let org = OrgRec {
            id: crate::crypto::new_id("org"),
            name: name.clone(),
            slug: slug.clone(),
            max_allowed_memberships: state.settings.seed.organizations.max_allowed_memberships,
            public_metadata: Default::default(),
            created_at: now,
            updated_at: now,
        };
        tx.put(&org)?;
        tx.set_key(&format!("slug:{slug}"), &org.id)?;
        tx.put(&MembershipRec {
            id: crate::crypto::new_id("orgmem"),
            org_id: org.id.clone(),
            user_id: s.user_id.clone(),
            role: state.settings.seed.organizations.creator_role.clone(),
            created_at: now,
            updated_at: now,
        })?;
        let rendered = crate::render::organization(tx, &org)?;
        envelope(tx, req, &rendered, &c)
    })
}

/// The organization of the path (id or slug) and the caller's membership in it.
pub fn member_org(tx: &Tx, req: &Req) -> ApiResult<(ClientRec, SessionRec, OrgRec, MembershipRec)> {
    let (c, s) = current_session(tx, req)?;
    let raw = req.param("organization_id");
    let id = if raw.starts_with("org_") {
        raw.to_owned()
    } else {
        tx.key(&format!("slug:{}", raw.to_lowercase()))?
            .unwrap_or_default()
    };
    let m = tx
        .by_b::<MembershipRec>(&s.user_id)?
        .into_iter()
        .find(|m| m.org_id == id)
        .ok_or_else(|| ApiErr::not_found("organization"))?;
    let org = tx
        .get::<OrgRec>(&id)?
        .ok_or_else(|| ApiErr::not_found("organization"))?;
    Ok((c, s, org, m))
}

/// How long an invitation stays valid: 30 days.
pub const INVITATION_LIFETIME_MS: i64 = 30 * 24 * 3600 * 1000;

/// The permission to manage an organization's members.
pub const MANAGE_MEMBERS: &str = "org:sys_memberships:manage";

/// Errors unless, once `user_id` has `new_role` (`None`: no longer a member), someone in the
/// organization can still manage its members: Clerk's `organization_minimum_permissions_needed`.
pub fn keep_a_manager(
    tx: &Tx,
    req: &Req,
    org_id: &str,
    user_id: &str,
    new_role: Option<&str>,
) -> ApiResult<()> {
    let settings = &req.state.settings;
    let can_manage = |role: &str| {
        settings
            .role(role)
            .is_some_and(|r| r.permissions.iter().any(|p| p == MANAGE_MEMBERS))
    };
    let someone = tx.by_a::<MembershipRec>(org_id)?.iter().any(|m| {
        let role = if m.user_id == user_id {
            new_role
        } else {
            Some(m.role.as_str())
        };
        role.is_some_and(can_manage)
    });
    if someone {
        return Ok(());
    }
    Err(ApiErr::new(
        StatusCode::FORBIDDEN,
        ErrorCode::from("organization_minimum_permissions_needed"),
        "Minimum permissions needed",
        "At least one member of the organization must keep the permission to manage members.",
    ))
}

/// Errors unless the member's role grants `permission`.
pub fn require_permission(req: &Req, m: &MembershipRec, permission: &str) -> ApiResult<()> {
    let ok = req
        .state
        .settings
        .role(&m.role)
        .is_some_and(|r| r.permissions.iter().any(|p| p == permission));
    if !ok {
        return Err(ApiErr::forbidden(&format!(
            "You need the {permission} permission in this organization."
        )));
    }
    Ok(())
}

/// `GET /v1/organizations/{id}` (members only).
pub fn get(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    enabled(req)?;
    req.state.db.tx(|tx| {
        let (c, _, org, _) = member_org(tx, req)?;
        let rendered = crate::render::organization(tx, &org)?;
        envelope(tx, req, &rendered, &c)
    })
}

/// `GET /v1/organizations/{id}/memberships`: `{data, total_count}` of members.
pub fn memberships(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    enabled(req)?;
    let (limit, offset) = page(&req.query)?;
    let role = req.query.text("role");
    req.state.db.tx(|tx| {
        let (c, _, org, m) = member_org(tx, req)?;
        require_permission(req, &m, "org:sys_memberships:read")?;
        let mut all = Vec::new();
        for m in tx.by_a::<MembershipRec>(&org.id)? {
            if role.as_deref().is_some_and(|r| r != m.role) {
                continue;
            }
            if let Some(m) = crate::render::membership(tx, &req.state, &m, true)? {
                all.push(m);
            }
        }
        envelope(tx, req, &paginate(&all, limit, offset), &c)
    })
}

/// `POST /v1/organizations/{id}/invitations`: invites an email address with a role (needs
/// `org:sys_memberships:manage`). The "email" goes to the log and `/v1/__dev/codes`.
pub fn invite(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    enabled(req)?;
    let email = req
        .field("email_address")
        .ok_or_else(|| ApiErr::missing("email_address"))?
        .to_lowercase();
    if !email
        .split_once('@')
        .is_some_and(|(l, d)| !l.is_empty() && d.contains('.'))
    {
        return Err(ApiErr::invalid(
            "email_address",
            "Email address must be a valid email address.",
        ));
    }
    let role = req.field("role").ok_or_else(|| ApiErr::missing("role"))?;
    if req.state.settings.role(&role).is_none() {
        return Err(ApiErr::value_invalid(
            "role",
            &format!("There is no role {role}."),
        ));
    }
    let state = &req.state;
    state.db.tx(|tx| {
        let (c, _, org, m) = member_org(tx, req)?;
        require_permission(req, &m, MANAGE_MEMBERS)?;
        if let Some(user_id) = tx.key(&crate::store::ident_key("email", &email))? {
            if tx
                .by_b::<MembershipRec>(&user_id)?
                .iter()
                .any(|m| m.org_id == org.id)
            {
                return Err(ApiErr::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorCode::from("already_a_member_in_organization"),
                    "Already a member",
                    &format!("{email} is already a member of this organization."),
                )
                .param("email_address"));
            }
        }
        check_quota(tx, &org.id)?;
        let now = state.now();
        let i = InvitationRec {
            id: crate::crypto::new_id("orginv"),
            org_id: org.id.clone(),
            email: email.clone(),
            role: role.clone(),
            status: "pending".into(),
            created_at: now,
            updated_at: now,
        };
        tx.put(&i)?;
        state.record_code(crate::DevCode {
            identifier: email.clone(),
            code: i.id.clone(),
            strategy: "organization_invitation".into(),
            purpose: format!("invitation to {}", org.slug),
            created_at: now,
            expire_at: now + INVITATION_LIFETIME_MS,
        });
        let rendered = invitation(tx, req, &i, false)?;
        envelope(tx, req, &rendered, &c)
    })
}

/// `GET /v1/organizations/{id}/invitations`: `{data, total_count}`, optionally by `status`.
pub fn invitations(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    enabled(req)?;
    let (limit, offset) = page(&req.query)?;
    let status = req.query.text("status");
    req.state.db.tx(|tx| {
        let (c, _, org, m) = member_org(tx, req)?;
        require_permission(req, &m, "org:sys_memberships:read")?;
        let mut all = Vec::new();
        for i in tx.by_a::<InvitationRec>(&org.id)? {
            if status.as_deref().is_none_or(|s| s == i.status) {
                all.push(invitation(tx, req, &i, false)?);
            }
        }
        envelope(tx, req, &paginate(&all, limit, offset), &c)
    })
}

/// For a change to the membership of the path's `user_id` (giving it `new_role`, or removing
/// it with `None`): the caller's client and that membership, once the caller may manage
/// members and someone would still be able to.
fn member_to_change(
    tx: &Tx,
    req: &Req,
    new_role: Option<&str>,
) -> ApiResult<(ClientRec, MembershipRec)> {
    let (c, _, org, me) = member_org(tx, req)?;
    require_permission(req, &me, MANAGE_MEMBERS)?;
    let user_id = req.param("user_id");
    let m = tx
        .by_a::<MembershipRec>(&org.id)?
        .into_iter()
        .find(|m| m.user_id == user_id)
        .ok_or_else(|| ApiErr::not_found("organization membership"))?;
    keep_a_manager(tx, req, &org.id, &m.user_id, new_role)?;
    Ok((c, m))
}

/// `PATCH /v1/organizations/{id}/memberships/{user_id}`: gives a member another `role` (needs
/// `org:sys_memberships:manage`; someone must keep that permission).
pub fn update_member(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    enabled(req)?;
    let role = req.field("role").ok_or_else(|| ApiErr::missing("role"))?;
    if req.state.settings.role(&role).is_none() {
        return Err(ApiErr::value_invalid(
            "role",
            &format!("There is no role {role}."),
        ));
    }
    let state = &req.state;
    state.db.tx(|tx| {
        let (c, mut m) = member_to_change(tx, req, Some(&role))?;
        m.role = role.clone();
        m.updated_at = state.now().max(m.updated_at + 1);
        tx.put(&m)?;
        let rendered = crate::render::membership(tx, state, &m, true)?
            .ok_or_else(|| ApiErr::not_found("organization"))?;
        envelope(tx, req, &rendered, &c)
    })
}

/// `DELETE /v1/organizations/{id}/memberships/{user_id}`: removes a member (needs
/// `org:sys_memberships:manage`; someone must keep that permission). Answers the membership as
/// it was.
pub fn remove_member(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    enabled(req)?;
    let state = &req.state;
    state.db.tx(|tx| {
        let (c, m) = member_to_change(tx, req, None)?;
        let rendered = crate::render::membership(tx, state, &m, true)?
            .ok_or_else(|| ApiErr::not_found("organization"))?;
        tx.delete::<MembershipRec>(&m.id)?;
        envelope(tx, req, &rendered, &c)
    })
}

/// `POST /v1/organizations/{id}/invitations/{invitation_id}/revoke`: revokes a pending
/// invitation (needs `org:sys_memberships:manage`).
pub fn revoke_invitation(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    enabled(req)?;
    let state = &req.state;
    state.db.tx(|tx| {
        let (c, _, org, me) = member_org(tx, req)?;
        require_permission(req, &me, MANAGE_MEMBERS)?;
        let mut i = tx
            .get::<InvitationRec>(req.param("invitation_id"))?
            .filter(|i| i.org_id == org.id)
            .ok_or_else(|| ApiErr::not_found("invitation"))?;
        if i.status != "pending" {
            return Err(ApiErr::new(
                StatusCode::FORBIDDEN,
                ErrorCode::from("organization_invitation_not_pending"),
                "Invitation not pending",
                &format!("This invitation is already {}.", i.status),
            ));
        }
        i.status = "revoked".into();
        i.updated_at = state.now().max(i.updated_at + 1);
        tx.put(&i)?;
        let rendered = invitation(tx, req, &i, false)?;
        envelope(tx, req, &rendered, &c)
    })
}
