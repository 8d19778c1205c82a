//! Records → the Backend API's shapes (`shared/bapi/2026-05-12.yml`): `User`, `Organization`,
//! `OrganizationMembership`, `OrganizationInvitation`, `Session`, `Invitation`, `TotalCount`,
//! `DeletedObject`. They differ from FAPI's (`render.rs`): an `object` field on each, times in
//! Unix milliseconds, private metadata, no embedded user in a session.

use serde_json::{json, Value};

use crate::admin::{extras, AppInvitationRec};
use crate::error::ApiResult;
use crate::org_rules::INVITATION_LIFETIME_MS;
use crate::store::{IdentRec, InvitationRec, MembershipRec, OrgRec, SessionRec, Tx, UserRec};
use crate::AppState;

fn image_url(id: &str) -> String {
    format!("https://img.clerk.com/default/{id}")
}

/// A verified identification's verification: `verification_admin` when made through the
/// Backend API or the seed, else `verification_otp` with the code strategy that verified it.
fn verification(i: &IdentRec, code_strategy: &str) -> Value {
    if !i.verified {
        return Value::Null;
    }
    let strategy = i.strategy.as_str();
    if strategy == "admin" {
        json!({"object": "verification_admin", "status": "verified", "strategy": "admin",
               "attempts": null, "expire_at": null})
    } else {
        let strategy = if strategy.is_empty() {
            code_strategy
        } else {
            strategy
        };
        json!({"object": "verification_otp", "status": "verified", "strategy": strategy,
               "attempts": null, "expire_at": null})
    }
}

/// A user as the Backend API shows it.
pub fn user(state: &AppState, now: i64, u: &UserRec) -> Value {
    let locked = u.locked_until.is_some_and(|t| t > now);
    let settings = &state.settings;
    let emails: Vec<Value> = u
        .emails
        .iter()
        .map(|e| {
            json!({
                "object": "email_address", "id": e.id, "email_address": e.value,
                "reserved": false, "verification": verification(e, "email_code"),
                "linked_to": [], "matches_sso_connection": false,
                "created_at": e.created_at, "updated_at": e.created_at,
            })
        })
        .collect();
    let phones: Vec<Value> = u
        .phones
        .iter()
        .map(|p| {
            json!({
                "object": "phone_number", "id": p.id, "phone_number": p.value,
                "reserved_for_second_factor": p.second_factor,
                "default_second_factor": p.second_factor, "reserved": false,
                "verification": verification(p, "phone_code"), "linked_to": [],
                "backup_codes": null, "created_at": p.created_at, "updated_at": p.created_at,
            })
        })
        .collect();
    let mut v = json!({
        "object": "user",
        "id": u.id,
        "external_id": u.external_id,
        "primary_email_address_id": u.primary_email_id,
        "primary_phone_number_id": u.primary_phone_id,
        "primary_web3_wallet_id": null,
        "username": u.username,
        "first_name": u.first_name,
        "last_name": u.last_name,
        "locale": null,
        "image_url": image_url(&u.id),
        "profile_image_url": image_url(&u.id),
        "has_image": false,
        "public_metadata": u.public_metadata,
        "private_metadata": u.private_metadata,
        "unsafe_metadata": u.unsafe_metadata,
        "email_addresses": emails,
        "phone_numbers": phones,
        "web3_wallets": [],
        "passkeys": [],
    });
    let more = json!({
        "password_enabled": u.password_hash.is_some(),
        "two_factor_enabled": u.two_factor(),
        "totp_enabled": u.totp_secret.is_some(),
        "backup_code_enabled": !u.backup_codes.is_empty(),
        "mfa_enabled_at": u.mfa_enabled_at,
        "mfa_disabled_at": null,
        "password_last_updated_at": null,
        "external_accounts": [],
        "saml_accounts": [],
        "enterprise_accounts": [],
        "last_sign_in_at": u.last_sign_in_at,
        "banned": u.banned,
        "locked": locked,
        "lockout_expires_in_seconds": u.locked_until.filter(|_| locked).map(|t| (t - now) / 1000),
        "verification_attempts_remaining":
            (settings.seed.lockout.max_attempts - u.failed_attempts).max(0),
        "updated_at": u.updated_at,
        "created_at": u.created_at,
        "delete_self_enabled": true,
        "create_organization_enabled": settings.seed.organizations.enabled,
        "create_organizations_limit": null,
        "last_active_at": u.last_active_at,
        "legal_accepted_at": u.legal_accepted_at,
    });
    if let (Value::Object(a), Value::Object(b)) = (&mut v, more) {
        a.extend(b);
    }
    v
}

/// An organization; `members_count` only when asked for (`include_members_count`).
pub fn organization(tx: &Tx, org: &OrgRec, with_counts: bool) -> ApiResult<Value> {
    let extra = extras(tx, &org.id)?;
    let mut v = json!({
        "object": "organization",
        "id": org.id,
        "name": org.name,
        "slug": org.slug,
        "image_url": image_url(&org.id),
        "has_image": false,
        "max_allowed_memberships": org.max_allowed_memberships,
        "admin_delete_enabled": true,
        "public_metadata": org.public_metadata,
        "private_metadata": extra.private_metadata,
        "created_at": org.created_at,
        "updated_at": org.updated_at,
    });
    if let Some(by) = &extra.created_by {
        v["created_by"] = by.clone().into();
    }
    if with_counts {
        v["members_count"] = tx.memberships_of_org(&org.id)?.len().into();
    }
    Ok(v)
}

/// The member's public data in a membership.
fn public_user_data(u: &UserRec) -> Value {
    json!({
        "user_id": u.id,
        "first_name": u.first_name,
        "last_name": u.last_name,
        "profile_image_url": image_url(&u.id),
        "image_url": image_url(&u.id),
        "has_image": false,
        "identifier": u.identifier(),
        "username": u.username,
        "banned": u.banned,
        "deprovisioned": false,
    })
}

/// A membership with its organization and the member's public data (`None` when the
/// organization is gone).
pub fn membership(tx: &Tx, state: &AppState, m: &MembershipRec) -> ApiResult<Option<Value>> {
    let Some(org) = tx.get::<OrgRec>(&m.org_id)? else {
        return Ok(None);
    };
    let role = state.settings.role(&m.role);
    let extra = extras(tx, &m.id)?;
    let mut v = json!({
        "object": "organization_membership",
        "id": m.id,
        "role": m.role,
        "role_name": role.map(|r| r.name.clone()).unwrap_or_else(|| m.role.clone()),
        "permissions": role.map(|r| r.permissions.clone()).unwrap_or_default(),
        "public_metadata": extra.public_metadata,
        "private_metadata": extra.private_metadata,
        "organization": organization(tx, &org, false)?,
        "created_at": m.created_at,
        "updated_at": m.updated_at,
    });
    if let Some(u) = tx.get::<UserRec>(&m.user_id)? {
        v["public_user_data"] = public_user_data(&u);
    }
    Ok(Some(v))
}

/// When an organization invitation expires (ms).
pub fn org_invitation_expiry(tx: &Tx, i: &InvitationRec) -> ApiResult<i64> {
    Ok(extras(tx, &i.id)?
        .expires_at
        .unwrap_or(i.created_at + INVITATION_LIFETIME_MS))
}

/// An organization invitation's status now: a pending one past its expiry is `expired`.
pub fn org_invitation_status(tx: &Tx, i: &InvitationRec, now: i64) -> ApiResult<&'static str> {
    Ok(match i.status {
        crate::store::InvitationStatus::Pending if now >= org_invitation_expiry(tx, i)? => {
            "expired"
        }
        s => s.as_str(),
    })
}

/// An organization invitation. Its inviter is the one recorded (`inviter_user_id`), else the
/// organization's oldest member who may manage members (the spec requires one).
pub fn org_invitation(tx: &Tx, state: &AppState, i: &InvitationRec, now: i64) -> ApiResult<Value> {
    let extra = extras(tx, &i.id)?;
    let inviter = match &extra.inviter_id {
        Some(id) => tx.get::<UserRec>(id)?,
        None => {
            let mut found = None;
            for m in tx.memberships_of_org(&i.org_id)? {
                let manages = state.settings.role(&m.role).is_some_and(|r| {
                    r.permissions
                        .iter()
                        .any(|p| p == crate::org_rules::MANAGE_MEMBERS)
                });
                if manages {
                    found = tx.get::<UserRec>(&m.user_id)?;
                    if found.is_some() {
                        break;
                    }
                }
            }
            found
        }
    };
    Ok(json!({
        "object": "organization_invitation",
        "id": i.id,
        "email_address": i.email,
        "role": i.role,
        "role_name": state.settings.role(&i.role).map(|r| r.name.clone()).unwrap_or_default(),
        "organization_id": i.org_id,
        "inviter_id": inviter.as_ref().map(|u| u.id.clone()),
        "public_inviter_data": inviter.as_ref().map(|u| json!({
            "user_id": u.id,
            "first_name": u.first_name,
            "last_name": u.last_name,
            "image_url": image_url(&u.id),
            "has_image": false,
            "identifier": u.identifier(),
        })),
        "status": org_invitation_status(tx, i, now)?,
        "public_metadata": extra.public_metadata,
        "private_metadata": extra.private_metadata,
        "url": null,
        "expires_at": org_invitation_expiry(tx, i)?,
        "created_at": i.created_at,
        "updated_at": i.updated_at,
    }))
}

/// A session (its status as of now).
pub fn session(s: &SessionRec, now: i64) -> Value {
    let status = s.effective_status(now);
    json!({
        "object": "session",
        "id": s.id,
        "user_id": s.user_id,
        "client_id": s.client_id,
        "actor": null,
        "status": status,
        "last_active_organization_id": s.last_active_org_id,
        "last_active_at": s.last_active_at,
        "expire_at": s.expire_at,
        "abandon_at": s.abandon_at,
        "updated_at": s.updated_at,
        "created_at": s.created_at,
        "tasks": (!s.tasks.is_empty()).then(|| {
            s.tasks.iter().map(|t| json!({"key": t})).collect::<Vec<_>>()
        }),
    })
}

/// An application invitation (`revoked: true` once revoked).
pub fn invitation(i: &AppInvitationRec, now: i64) -> Value {
    let mut v = json!({
        "object": "invitation",
        "id": i.id,
        "email_address": i.email,
        "public_metadata": i.public_metadata,
        "status": i.status_at(now),
        "expires_at": i.expires_at,
        "created_at": i.created_at,
        "updated_at": i.updated_at,
    });
    if i.status == "revoked" {
        v["revoked"] = true.into();
    }
    v
}

/// `{object: "total_count", total_count}`.
pub fn total_count(n: usize) -> Value {
    json!({"object": "total_count", "total_count": n})
}

/// `{object, id, deleted: true}` (and `slug` for an organization).
pub fn deleted(object: &str, id: &str, slug: Option<&str>) -> Value {
    let mut v = json!({"object": object, "id": id, "deleted": true});
    if let Some(slug) = slug {
        v["slug"] = slug.into();
    }
    v
}

/// `{data, total_count}` of one page.
pub fn page(all: Vec<Value>, limit: usize, offset: usize) -> Value {
    let total = all.len();
    let data: Vec<Value> = all.into_iter().skip(offset).take(limit).collect();
    json!({"data": data, "total_count": total})
}
