//! Organizations through the Backend API: list, create, update, delete, metadata, memberships
//! and invitations. No caller membership or permission applies here (the secret key may do
//! everything); the membership quota and valid roles still do.

use axum::http::StatusCode;
use clerk_core::wire::ErrorCode;
use serde_json::{Map, Value};

use super::{apply_meta, contains_ci, extras, sort_by_key, Extras, MetaChange};
use crate::error::{ApiErr, ApiResult};
use crate::org_rules::{check_quota, check_slug, check_slug_free, default_slug};
use crate::store::{InvitationRec, InvitationStatus, MembershipRec, OrgRec, Tx, UserRec};
use crate::AppState;

/// The organization of an id or slug (404 otherwise).
pub(crate) fn get(tx: &Tx, id_or_slug: &str) -> ApiResult<OrgRec> {
    let id = if id_or_slug.starts_with("org_") {
        Some(id_or_slug.to_owned())
    } else {
        tx.key(&format!("slug:{}", id_or_slug.to_lowercase()))?
    };
    match id {
        Some(id) => tx.get::<OrgRec>(&id)?,
        None => None,
    }
    .ok_or_else(|| super::not_found("organization"))
}

/// The filters of `GET /v1/organizations`.
#[derive(Clone, Debug, Default)]
pub(crate) struct OrgFilter {
    pub query: Option<String>,
    pub user_id: Vec<String>,
    pub organization_id: Vec<String>,
}

/// The fields `order_by` accepts for organizations.
pub(crate) const ORG_ORDERS: &[&str] = &["created_at", "name", "members_count"];

/// The organizations matching `filter`, ordered.
pub(crate) fn list(tx: &Tx, f: &OrgFilter, order: &(String, bool)) -> ApiResult<Vec<OrgRec>> {
    let mut out = Vec::new();
    for o in tx.all::<OrgRec>()? {
        let members = if f.user_id.is_empty() {
            Vec::new()
        } else {
            tx.memberships_of_org(&o.id)?
        };
        let ok = f
            .query
            .as_deref()
            .is_none_or(|q| o.id == q || contains_ci(&o.name, q) || contains_ci(&o.slug, q))
            && (f.user_id.is_empty() || members.iter().any(|m| f.user_id.contains(&m.user_id)))
            && (f.organization_id.is_empty() || f.organization_id.contains(&o.id));
        if ok {
            out.push(o);
        }
    }
    match order.0.as_str() {
        "name" => sort_by_key(&mut out, order.1, |o| Some(o.name.to_lowercase())),
        "members_count" => {
            let mut counted = Vec::new();
            for o in out {
                counted.push((tx.memberships_of_org(&o.id)?.len(), o));
            }
            sort_by_key(&mut counted, order.1, |(n, _)| Some(*n));
            out = counted.into_iter().map(|(_, o)| o).collect();
        }
        _ => sort_by_key(&mut out, order.1, |o| Some(o.created_at)),
    }
    Ok(out)
}

/// `POST /v1/organizations`, parsed.
#[derive(Clone, Debug, Default)]
pub(crate) struct NewOrg {
    pub name: String,
    pub slug: Option<String>,
    pub created_by: Option<String>,
    pub public_metadata: Option<Map<String, Value>>,
    pub private_metadata: Option<Map<String, Value>>,
    pub max_allowed_memberships: Option<i64>,
    pub created_at: Option<i64>,
}

/// Errors unless `name` is a valid organization name.
pub(crate) fn check_name(name: &str) -> ApiResult<()> {
    if name.trim().is_empty() {
        return Err(ApiErr::missing("name"));
    }
    if name.chars().count() > 256 {
        return Err(ApiErr::invalid("name", "name is too long."));
    }
    Ok(())
}

/// Creates an organization; `created_by` becomes its first member with the creator role.
pub(crate) fn create(tx: &Tx, state: &AppState, n: &NewOrg) -> ApiResult<OrgRec> {
    check_name(&n.name)?;
    let slug = match &n.slug {
        Some(s) => {
            check_slug(s)?;
            s.clone()
        }
        None => default_slug(&n.name),
    };
    check_slug_free(tx, &slug)?;
    if let Some(by) = &n.created_by {
        if tx.get::<UserRec>(by)?.is_none() {
            return Err(ApiErr::value_invalid("created_by", "No user has this id."));
        }
    }
    let now = state.now();
    let org = OrgRec {
        id: crate::crypto::new_id("org"),
        name: n.name.trim().to_owned(),
        slug: slug.clone(),
        max_allowed_memberships: n
            .max_allowed_memberships
            .unwrap_or(state.settings.seed.organizations.max_allowed_memberships),
        public_metadata: n.public_metadata.clone().unwrap_or_default(),
        created_at: n.created_at.unwrap_or(now),
        updated_at: now,
    };
    tx.put(&org)?;
    tx.set_key(&format!("slug:{slug}"), &org.id)?;
    if n.private_metadata.is_some() || n.created_by.is_some() {
        tx.put(&Extras {
            id: org.id.clone(),
            private_metadata: n.private_metadata.clone().unwrap_or_default(),
            created_by: n.created_by.clone(),
            ..Default::default()
        })?;
    }
    if let Some(by) = &n.created_by {
        tx.put(&MembershipRec {
            id: crate::crypto::new_id("orgmem"),
            org_id: org.id.clone(),
            user_id: by.clone(),
            role: state.settings.seed.organizations.creator_role.clone(),
            created_at: now,
            updated_at: now,
        })?;
    }
    Ok(org)
}

/// `PATCH /v1/organizations/{id}`, parsed.
#[derive(Clone, Debug, Default)]
pub(crate) struct OrgUpdate {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub max_allowed_memberships: Option<i64>,
    pub created_at: Option<i64>,
}

/// Updates an organization.
pub(crate) fn update(tx: &Tx, state: &AppState, id: &str, up: &OrgUpdate) -> ApiResult<OrgRec> {
    let mut org = get(tx, id)?;
    if let Some(name) = &up.name {
        check_name(name)?;
        org.name = name.trim().to_owned();
    }
    if let Some(slug) = up.slug.clone().filter(|s| *s != org.slug) {
        check_slug(&slug)?;
        check_slug_free(tx, &slug)?;
        tx.del_key(&format!("slug:{}", org.slug))?;
        tx.set_key(&format!("slug:{slug}"), &org.id)?;
        org.slug = slug;
    }
    if let Some(n) = up.max_allowed_memberships {
        org.max_allowed_memberships = n;
    }
    if let Some(at) = up.created_at {
        org.created_at = at;
    }
    org.updated_at = state.now().max(org.updated_at + 1);
    tx.put(&org)?;
    Ok(org)
}

/// `PATCH|PUT /v1/organizations/{id}/metadata`.
pub(crate) fn metadata(
    tx: &Tx,
    state: &AppState,
    id: &str,
    public: Option<&Map<String, Value>>,
    private: Option<&Map<String, Value>>,
    how: MetaChange,
) -> ApiResult<OrgRec> {
    let mut org = get(tx, id)?;
    apply_meta(&mut org.public_metadata, public, how);
    let mut extra = extras(tx, &org.id)?;
    apply_meta(&mut extra.private_metadata, private, how);
    tx.put(&extra)?;
    org.updated_at = state.now().max(org.updated_at + 1);
    tx.put(&org)?;
    Ok(org)
}

/// Deletes an organization, its memberships and invitations; sessions that had it active fall
/// back to the personal account.
pub(crate) fn delete(tx: &Tx, id: &str) -> ApiResult<OrgRec> {
    let org = get(tx, id)?;
    for m in tx.memberships_of_org(&org.id)? {
        leave_sessions(tx, &m.user_id, &org.id)?;
        tx.delete::<MembershipRec>(&m.id)?;
        tx.delete::<Extras>(&m.id)?;
    }
    for i in tx.invitations_of_org(&org.id)? {
        tx.delete::<InvitationRec>(&i.id)?;
        tx.delete::<Extras>(&i.id)?;
    }
    tx.del_key(&format!("slug:{}", org.slug))?;
    tx.delete::<Extras>(&org.id)?;
    tx.delete::<OrgRec>(&org.id)?;
    Ok(org)
}

/// The user's sessions that had the organization active fall back to the personal account.
fn leave_sessions(tx: &Tx, user_id: &str, org_id: &str) -> ApiResult<()> {
    for mut s in tx.sessions_of_user(user_id)? {
        if s.last_active_org_id.as_deref() == Some(org_id) {
            s.last_active_org_id = None;
            tx.put(&s)?;
        }
    }
    Ok(())
}

/// The filters of `GET /v1/organizations/{id}/memberships`.
#[derive(Clone, Debug, Default)]
pub(crate) struct MemberFilter {
    pub user_id: Vec<String>,
    pub email_address: Vec<String>,
    pub phone_number: Vec<String>,
    pub username: Vec<String>,
    pub role: Vec<String>,
    pub query: Option<String>,
    pub email_address_query: Option<String>,
    pub phone_number_query: Option<String>,
    pub username_query: Option<String>,
    pub name_query: Option<String>,
    pub created_at_before: Option<i64>,
    pub created_at_after: Option<i64>,
    pub last_active_at_before: Option<i64>,
    pub last_active_at_after: Option<i64>,
    pub matches_nothing: bool,
}

/// The fields `order_by` accepts for memberships.
pub(crate) const MEMBER_ORDERS: &[&str] = &[
    "created_at",
    "first_name",
    "last_name",
    "email_address",
    "phone_number",
    "username",
];

/// The organization's memberships matching `f`, with their users, ordered.
pub(crate) fn memberships(
    tx: &Tx,
    org_id: &str,
    f: &MemberFilter,
    order: &(String, bool),
) -> ApiResult<Vec<MembershipRec>> {
    let org = get(tx, org_id)?;
    let user_filter = super::users::UserFilter {
        email_address: f.email_address.clone(),
        phone_number: f.phone_number.clone(),
        username: f.username.clone(),
        user_id: f.user_id.clone(),
        matches_nothing: f.matches_nothing,
        query: f.query.clone(),
        email_address_query: f.email_address_query.clone(),
        phone_number_query: f.phone_number_query.clone(),
        username_query: f.username_query.clone(),
        name_query: f.name_query.clone(),
        last_active_at_before: f.last_active_at_before,
        last_active_at_after: f.last_active_at_after,
        ..Default::default()
    };
    let users = super::users::list(tx, &user_filter, &("created_at".into(), false))?;
    let mut out: Vec<(MembershipRec, UserRec)> = Vec::new();
    for m in tx.memberships_of_org(&org.id)? {
        let Some(u) = users.iter().find(|u| u.id == m.user_id) else {
            continue;
        };
        let ok = (f.role.is_empty() || f.role.contains(&m.role))
            && f.created_at_before.is_none_or(|t| m.created_at < t)
            && f.created_at_after.is_none_or(|t| m.created_at > t);
        if ok {
            out.push((m, u.clone()));
        }
    }
    let desc = order.1;
    let lower = |s: Option<&str>| s.map(str::to_lowercase);
    match order.0.as_str() {
        "first_name" => sort_by_key(&mut out, desc, |(_, u)| lower(u.first_name.as_deref())),
        "last_name" => sort_by_key(&mut out, desc, |(_, u)| lower(u.last_name.as_deref())),
        "email_address" => sort_by_key(&mut out, desc, |(_, u)| lower(u.primary_email())),
        "username" => sort_by_key(&mut out, desc, |(_, u)| u.username.clone()),
        "phone_number" => sort_by_key(&mut out, desc, |(_, u)| {
            u.phones.first().map(|p| p.value.clone())
        }),
        _ => sort_by_key(&mut out, desc, |(m, _)| Some(m.created_at)),
    }
    Ok(out.into_iter().map(|(m, _)| m).collect())
}

/// Errors unless the instance has this role.
pub(crate) fn check_role(state: &AppState, role: &str) -> ApiResult<()> {
    if state.settings.role(role).is_none() {
        return Err(ApiErr::value_invalid(
            "role",
            &format!("There is no role {role}."),
        ));
    }
    Ok(())
}

/// The membership of a user in an organization (404 otherwise).
pub(crate) fn membership(
    tx: &Tx,
    org_id: &str,
    user_id: &str,
) -> ApiResult<(OrgRec, MembershipRec)> {
    let org = get(tx, org_id)?;
    let m = tx
        .memberships_of_org(&org.id)?
        .into_iter()
        .find(|m| m.user_id == user_id)
        .ok_or_else(|| super::not_found("organization membership"))?;
    Ok((org, m))
}

fn already_member(email_or_user: &str) -> ApiErr {
    ApiErr::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::from("already_a_member_in_organization"),
        "Already a member",
        &format!("{email_or_user} is already a member of this organization."),
    )
}

/// `POST /v1/organizations/{id}/memberships`: adds a user with a role.
#[allow(clippy::too_many_arguments)]
pub(crate) fn add_member(
    tx: &Tx,
    state: &AppState,
    org_id: &str,
    user_id: &str,
    role: &str,
    public: Option<&Map<String, Value>>,
    private: Option<&Map<String, Value>>,
) -> ApiResult<MembershipRec> {
    let org = get(tx, org_id)?;
    check_role(state, role)?;
    if tx.get::<UserRec>(user_id)?.is_none() {
        return Err(super::not_found("user").param("user_id"));
    }
    if tx
        .memberships_of_org(&org.id)?
        .iter()
        .any(|m| m.user_id == user_id)
    {
        return Err(already_member(user_id).param("user_id"));
    }
    check_quota(tx, &org.id)?;
    let now = state.now();
    let m = MembershipRec {
        id: crate::crypto::new_id("orgmem"),
        org_id: org.id.clone(),
        user_id: user_id.to_owned(),
        role: role.to_owned(),
        created_at: now,
        updated_at: now,
    };
    tx.put(&m)?;
    if public.is_some() || private.is_some() {
        tx.put(&Extras {
            id: m.id.clone(),
            public_metadata: public.cloned().unwrap_or_default(),
            private_metadata: private.cloned().unwrap_or_default(),
            ..Default::default()
        })?;
    }
    Ok(m)
}

/// `PATCH /v1/organizations/{id}/memberships/{user_id}`: another role.
pub(crate) fn set_role(
    tx: &Tx,
    state: &AppState,
    org_id: &str,
    user_id: &str,
    role: &str,
) -> ApiResult<MembershipRec> {
    let (_, mut m) = membership(tx, org_id, user_id)?;
    check_role(state, role)?;
    m.role = role.to_owned();
    m.updated_at = state.now().max(m.updated_at + 1);
    tx.put(&m)?;
    Ok(m)
}

/// `PATCH /v1/organizations/{id}/memberships/{user_id}/metadata` (deep merge).
pub(crate) fn member_metadata(
    tx: &Tx,
    state: &AppState,
    org_id: &str,
    user_id: &str,
    public: Option<&Map<String, Value>>,
    private: Option<&Map<String, Value>>,
) -> ApiResult<MembershipRec> {
    let (_, mut m) = membership(tx, org_id, user_id)?;
    let mut extra = extras(tx, &m.id)?;
    apply_meta(&mut extra.public_metadata, public, MetaChange::Merge);
    apply_meta(&mut extra.private_metadata, private, MetaChange::Merge);
    tx.put(&extra)?;
    m.updated_at = state.now().max(m.updated_at + 1);
    tx.put(&m)?;
    Ok(m)
}

/// `DELETE /v1/organizations/{id}/memberships/{user_id}`: removes the member (its sessions
/// with the organization active fall back to the personal account). Returns the membership as
/// it was; the caller renders it before [`forget_member`].
pub(crate) fn remove_member(tx: &Tx, org_id: &str, user_id: &str) -> ApiResult<MembershipRec> {
    let (org, m) = membership(tx, org_id, user_id)?;
    leave_sessions(tx, user_id, &org.id)?;
    Ok(m)
}

/// Deletes a membership record and its extras.
pub(crate) fn forget_member(tx: &Tx, m: &MembershipRec) -> ApiResult<()> {
    tx.delete::<MembershipRec>(&m.id)?;
    tx.delete::<Extras>(&m.id)
}

/// `POST /v1/organizations/{id}/invitations`, parsed.
#[derive(Clone, Debug, Default)]
pub(crate) struct NewOrgInvitation {
    pub email: String,
    pub role: String,
    pub inviter_user_id: Option<String>,
    pub public_metadata: Option<Map<String, Value>>,
    pub private_metadata: Option<Map<String, Value>>,
    pub expires_in_days: Option<i64>,
    pub notify: bool,
}

/// Invites an email address to an organization (the "email" goes to the log and
/// `/v1/__dev/codes`, as FAPI's invitations do).
pub(crate) fn invite(
    tx: &Tx,
    state: &AppState,
    org_id: &str,
    n: &NewOrgInvitation,
) -> ApiResult<InvitationRec> {
    let org = get(tx, org_id)?;
    let email = n.email.trim().to_lowercase();
    super::users::check_email(&email, "email_address")?;
    check_role(state, &n.role)?;
    if let Some(inviter) = &n.inviter_user_id {
        let member = tx
            .memberships_of_org(&org.id)?
            .into_iter()
            .find(|m| &m.user_id == inviter)
            .ok_or_else(|| {
                ApiErr::forbidden("The inviter must be a member of the organization.")
            })?;
        crate::org_rules::require_permission(
            &state.settings,
            &member,
            crate::org_rules::MANAGE_MEMBERS,
        )?;
    }
    if let Some(user_id) = tx.key(&crate::store::ident_key("email", &email))? {
        if tx
            .memberships_of_org(&org.id)?
            .iter()
            .any(|m| m.user_id == user_id)
        {
            return Err(already_member(&email).param("email_address"));
        }
    }
    check_quota(tx, &org.id)?;
    let now = state.now();
    let i = InvitationRec {
        id: crate::crypto::new_id("orginv"),
        org_id: org.id.clone(),
        email: email.clone(),
        role: n.role.clone(),
        status: InvitationStatus::Pending,
        created_at: now,
        updated_at: now,
    };
    tx.put(&i)?;
    let expires_at = n.expires_in_days.map(|d| now + d * 24 * 3600 * 1000);
    tx.put(&Extras {
        id: i.id.clone(),
        public_metadata: n.public_metadata.clone().unwrap_or_default(),
        private_metadata: n.private_metadata.clone().unwrap_or_default(),
        inviter_id: n.inviter_user_id.clone(),
        expires_at,
        ..Default::default()
    })?;
    if n.notify {
        state.record_code(crate::DevCode {
            identifier: email,
            code: i.id.clone(),
            strategy: "organization_invitation".into(),
            purpose: format!("invitation to {}", org.slug),
            created_at: now,
            expire_at: expires_at.unwrap_or(now + crate::org_rules::INVITATION_LIFETIME_MS),
        });
    }
    Ok(i)
}

/// An invitation of the organization (404 otherwise).
pub(crate) fn invitation(tx: &Tx, org_id: &str, id: &str) -> ApiResult<InvitationRec> {
    let org = get(tx, org_id)?;
    tx.get::<InvitationRec>(id)?
        .filter(|i| i.org_id == org.id)
        .ok_or_else(|| super::not_found("organization invitation"))
}

/// `POST /v1/organizations/{id}/invitations/{invitation_id}/revoke`: a pending invitation is
/// revoked; any other is a 400.
pub(crate) fn revoke_invitation(
    tx: &Tx,
    state: &AppState,
    org_id: &str,
    id: &str,
) -> ApiResult<InvitationRec> {
    let mut i = invitation(tx, org_id, id)?;
    let status = crate::render_bapi::org_invitation_status(tx, &i, state.now())?;
    if status != "pending" {
        return Err(ApiErr::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::from("organization_invitation_not_pending"),
            "Invitation not pending",
            &format!("This invitation is already {status}."),
        ));
    }
    i.status = InvitationStatus::Revoked;
    i.updated_at = state.now().max(i.updated_at + 1);
    tx.put(&i)?;
    Ok(i)
}
