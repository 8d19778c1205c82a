//! Organization rules shared by the organization and `/me` routes: whether organizations are
//! on, membership quotas, the caller's membership, permissions, "someone must keep managing the
//! members", invitation lifetime and slugs.

use axum::http::StatusCode;
use clerk_core::wire::ErrorCode;

use crate::config::Settings;
use crate::error::{ApiErr, ApiResult};
use crate::store::{MembershipRec, OrgRec, Tx};

/// How long an invitation stays valid: 30 days.
pub(crate) const INVITATION_LIFETIME_MS: i64 = 30 * 24 * 3600 * 1000;

/// The permission to manage an organization's members.
pub(crate) const MANAGE_MEMBERS: &str = "org:sys_memberships:manage";

/// The permission to list an organization's members, invitations and roles.
pub(crate) const READ_MEMBERS: &str = "org:sys_memberships:read";

/// The permission to change an organization's name and slug.
pub(crate) const MANAGE_PROFILE: &str = "org:sys_profile:manage";

/// The permission to delete an organization.
pub(crate) const DELETE_PROFILE: &str = "org:sys_profile:delete";

/// Errors unless organizations are on.
pub(crate) fn enabled(settings: &Settings) -> ApiResult<()> {
    if !settings.seed.organizations.enabled {
        return Err(ApiErr::forbidden(
            "Organizations are not enabled for this instance.",
        ));
    }
    Ok(())
}

/// Errors if the organization is at its membership limit.
pub(crate) fn check_quota(tx: &Tx, org_id: &str) -> ApiResult<()> {
    if let Some(org) = tx.get::<OrgRec>(org_id)? {
        let count = tx.memberships_of_org(org_id)?.len() as i64;
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

/// The organization named by `id_or_slug` and the user's membership in it (404 unless the user
/// is a member).
pub(crate) fn member_org(
    tx: &Tx,
    user_id: &str,
    id_or_slug: &str,
) -> ApiResult<(OrgRec, MembershipRec)> {
    let id = if id_or_slug.starts_with("org_") {
        id_or_slug.to_owned()
    } else {
        tx.key(&format!("slug:{}", id_or_slug.to_lowercase()))?
            .unwrap_or_default()
    };
    let m = tx
        .memberships_of_user(user_id)?
        .into_iter()
        .find(|m| m.org_id == id)
        .ok_or_else(|| ApiErr::not_found("organization"))?;
    let org = tx
        .get::<OrgRec>(&id)?
        .ok_or_else(|| ApiErr::not_found("organization"))?;
    Ok((org, m))
}

/// Errors unless, once `user_id` has `new_role` (`None`: no longer a member), someone in the
/// organization can still manage its members: Clerk's `organization_minimum_permissions_needed`.
pub(crate) fn keep_a_manager(
    tx: &Tx,
    settings: &Settings,
    org_id: &str,
    user_id: &str,
    new_role: Option<&str>,
) -> ApiResult<()> {
    let can_manage = |role: &str| {
        settings
            .role(role)
            .is_some_and(|r| r.permissions.iter().any(|p| p == MANAGE_MEMBERS))
    };
    let someone = tx.memberships_of_org(org_id)?.iter().any(|m| {
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
pub(crate) fn require_permission(
    settings: &Settings,
    m: &MembershipRec,
    permission: &str,
) -> ApiResult<()> {
    let ok = settings
        .role(&m.role)
        .is_some_and(|r| r.permissions.iter().any(|p| p == permission));
    if !ok {
        return Err(ApiErr::forbidden(&format!(
            "You need the {permission} permission in this organization."
        )));
    }
    Ok(())
}

/// Errors unless `slug` is a valid organization slug: at most 128 lowercase letters, digits,
/// `-` and `_`, not starting with `-`.
pub(crate) fn check_slug(slug: &str) -> ApiResult<()> {
    let ok = slug.len() <= 128
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && !slug.starts_with('-');
    if !ok {
        return Err(ApiErr::invalid(
            "slug",
            "slug can only contain lowercase letters, numbers, '-' and '_'.",
        ));
    }
    Ok(())
}

/// Errors if another organization has this slug.
pub(crate) fn check_slug_free(tx: &Tx, slug: &str) -> ApiResult<()> {
    if tx.key(&format!("slug:{slug}"))?.is_some() {
        return Err(ApiErr::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::from("organization_slug_already_taken"),
            "This slug is taken.",
            "This organization slug is already taken. Please try another.",
        )
        .param("slug"));
    }
    Ok(())
}

/// The slug the dev server gives an organization created without one: Clerk's suggestion for
/// the name (`clerk_core::organization::slugify`), or `org` when the name has no letters or digits.
pub(crate) fn default_slug(name: &str) -> String {
    let slug = clerk_core::organization::slugify(name);
    if slug.is_empty() {
        "org".into()
    } else {
        slug
    }
}

/// Resolves an organization to make active for a user (`active_organization_id` of a touch,
/// `organization_id` of the handshake): an id or slug, empty (or `null`) for the personal
/// account. An organization the user is not a member of is a 404 naming
/// `active_organization_id`.
pub(crate) fn resolve_active_org(tx: &Tx, user_id: &str, value: &str) -> ApiResult<Option<String>> {
    let value = value.trim();
    if value.is_empty() || value == "null" {
        return Ok(None);
    }
    let org_id = if value.starts_with("org_") {
        value.to_owned()
    } else {
        tx.key(&format!("slug:{}", value.to_lowercase()))?
            .unwrap_or_default()
    };
    let member = tx
        .memberships_of_user(user_id)?
        .into_iter()
        .any(|m| m.org_id == org_id);
    if !member {
        return Err(ApiErr::not_found("organization").param("active_organization_id"));
    }
    Ok(Some(org_id))
}
