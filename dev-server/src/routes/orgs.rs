//! Organizations: create, read, members (list, change a role, remove) and invitations (create,
//! list, revoke).

use axum::http::StatusCode;
use clerk_core::wire::ErrorCode;

use super::{current_session, envelope, member_org};
use crate::error::{ApiErr, ApiResult};
use crate::http::{paginate, Reply, Req};
use crate::org_rules::{
    check_quota, check_slug, check_slug_free, default_slug, enabled, keep_a_manager,
    require_permission, INVITATION_LIFETIME_MS, MANAGE_MEMBERS, READ_MEMBERS,
};
use crate::render::invitation;
use crate::store::{ClientRec, InvitationRec, InvitationStatus, MembershipRec, OrgRec, Tx};

/// `POST /v1/organizations`: the caller becomes its first member with the creator role.
pub fn create(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    enabled(&req.state.settings)?;
    let name = req.field("name").ok_or_else(|| ApiErr::missing("name"))?;
    if name.chars().count() > 256 {
        return Err(ApiErr::invalid("name", "name is too long."));
    }
    let slug = match req.field("slug") {
        Some(s) => {
            check_slug(&s)?;
            s
        }
        None => default_slug(&name),
    };
    let state = &req.state;
    state.db.tx(|tx| {
        let (c, s) = current_session(tx, req)?;
        check_slug_free(tx, &slug)?;
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

/// `GET /v1/organizations/{id}` (members only).
pub fn get(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    enabled(&req.state.settings)?;
    req.state.db.tx(|tx| {
        let (c, _, org, _) = member_org(tx, req)?;
        let rendered = crate::render::organization(tx, &org)?;
        envelope(tx, req, &rendered, &c)
    })
}

/// `GET /v1/organizations/{id}/memberships`: `{data, total_count}` of members.
pub fn memberships(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    enabled(&req.state.settings)?;
    let (limit, offset) = req.query.page()?;
    let role = req.query.text("role");
    req.state.db.tx(|tx| {
        let (c, _, org, m) = member_org(tx, req)?;
        require_permission(&req.state.settings, &m, READ_MEMBERS)?;
        let mut all = Vec::new();
        for m in tx.memberships_of_org(&org.id)? {
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
    enabled(&req.state.settings)?;
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
        require_permission(&req.state.settings, &m, MANAGE_MEMBERS)?;
        if let Some(user_id) = tx.key(&crate::store::ident_key("email", &email))? {
            if tx
                .memberships_of_user(&user_id)?
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
            status: InvitationStatus::Pending,
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
        let rendered = invitation(tx, &req.state, &i, false)?;
        envelope(tx, req, &rendered, &c)
    })
}

/// `GET /v1/organizations/{id}/invitations`: `{data, total_count}`, optionally by `status`.
pub fn invitations(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    enabled(&req.state.settings)?;
    let (limit, offset) = req.query.page()?;
    let status = req.query.text("status");
    req.state.db.tx(|tx| {
        let (c, _, org, m) = member_org(tx, req)?;
        require_permission(&req.state.settings, &m, READ_MEMBERS)?;
        let mut all = Vec::new();
        for i in tx.invitations_of_org(&org.id)? {
            if status.as_deref().is_none_or(|s| s == i.status.as_str()) {
                all.push(invitation(tx, &req.state, &i, false)?);
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
    require_permission(&req.state.settings, &me, MANAGE_MEMBERS)?;
    let user_id = req.param("user_id");
    let m = tx
        .memberships_of_org(&org.id)?
        .into_iter()
        .find(|m| m.user_id == user_id)
        .ok_or_else(|| ApiErr::not_found("organization membership"))?;
    keep_a_manager(tx, &req.state.settings, &org.id, &m.user_id, new_role)?;
    Ok((c, m))
}

/// `PATCH /v1/organizations/{id}/memberships/{user_id}`: gives a member another `role` (needs
/// `org:sys_memberships:manage`; someone must keep that permission).
pub fn update_member(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    enabled(&req.state.settings)?;
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
    enabled(&req.state.settings)?;
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
    enabled(&req.state.settings)?;
    let state = &req.state;
    state.db.tx(|tx| {
        let (c, _, org, me) = member_org(tx, req)?;
        require_permission(&req.state.settings, &me, MANAGE_MEMBERS)?;
        let mut i = tx
            .get::<InvitationRec>(req.param("invitation_id"))?
            .filter(|i| i.org_id == org.id)
            .ok_or_else(|| ApiErr::not_found("invitation"))?;
        if i.status != InvitationStatus::Pending {
            return Err(ApiErr::new(
                StatusCode::FORBIDDEN,
                ErrorCode::from("organization_invitation_not_pending"),
                "Invitation not pending",
                &format!("This invitation is already {}.", i.status.as_str()),
            ));
        }
        i.status = InvitationStatus::Revoked;
        i.updated_at = state.now().max(i.updated_at + 1);
        tx.put(&i)?;
        let rendered = invitation(tx, &req.state, &i, false)?;
        envelope(tx, req, &rendered, &c)
    })
}
