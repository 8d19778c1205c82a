//! An organization's settings: `PATCH /v1/organizations/{id}` (name, slug),
//! `DELETE /v1/organizations/{id}` and `GET /v1/organizations/{id}/roles`.

use clerk_core::wire::DeletedObject;

use super::{envelope, member_org};
use crate::error::{ApiErr, ApiResult};
use crate::http::{paginate, Reply, Req};
use crate::org_rules::{
    check_slug, check_slug_free, enabled, require_permission, DELETE_PROFILE, MANAGE_PROFILE,
    READ_MEMBERS,
};
use crate::store::{InvitationRec, MembershipRec, OrgRec};

/// `PATCH /v1/organizations/{id}`: `name`, `slug` (needs `org:sys_profile:manage`).
pub fn update(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    enabled(&req.state.settings)?;
    let name = req.field("name");
    if name.as_ref().is_some_and(|n| n.chars().count() > 256) {
        return Err(ApiErr::invalid("name", "name is too long."));
    }
    let slug = req.field("slug");
    if let Some(s) = &slug {
        check_slug(s)?;
    }
    let state = &req.state;
    state.db.tx(|tx| {
        let (c, _, mut org, m) = member_org(tx, req)?;
        require_permission(&req.state.settings, &m, MANAGE_PROFILE)?;
        if let Some(name) = name.clone() {
            org.name = name;
        }
        if let Some(slug) = slug.clone().filter(|s| *s != org.slug) {
            check_slug_free(tx, &slug)?;
            tx.del_key(&format!("slug:{}", org.slug))?;
            tx.set_key(&format!("slug:{slug}"), &org.id)?;
            org.slug = slug;
        }
        org.updated_at = state.now().max(org.updated_at + 1);
        tx.put(&org)?;
        let rendered = crate::render::organization(tx, &org)?;
        envelope(tx, req, &rendered, &c)
    })
}

/// `DELETE /v1/organizations/{id}` (needs `org:sys_profile:delete`): the organization, its
/// memberships and invitations go; sessions that had it active fall back to the personal
/// account.
pub fn destroy(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    enabled(&req.state.settings)?;
    req.state.db.tx(|tx| {
        let (c, _, org, m) = member_org(tx, req)?;
        require_permission(&req.state.settings, &m, DELETE_PROFILE)?;
        for member in tx.memberships_of_org(&org.id)? {
            for mut session in tx.sessions_of_user(&member.user_id)? {
                if session.last_active_org_id.as_deref() == Some(org.id.as_str()) {
                    session.last_active_org_id = None;
                    tx.put(&session)?;
                }
            }
            tx.delete::<MembershipRec>(&member.id)?;
        }
        for invitation in tx.invitations_of_org(&org.id)? {
            tx.delete::<InvitationRec>(&invitation.id)?;
        }
        tx.del_key(&format!("slug:{}", org.slug))?;
        tx.delete::<OrgRec>(&org.id)?;
        let deleted = DeletedObject {
            object: "organization".into(),
            id: Some(org.id.clone()),
            slug: Some(org.slug.clone()),
            deleted: true,
        };
        envelope(tx, req, &deleted, &c)
    })
}

/// `GET /v1/organizations/{id}/roles`: `{data, total_count}` of the instance's roles (members
/// who may read memberships).
pub fn roles(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    enabled(&req.state.settings)?;
    let (limit, offset) = req.query.page()?;
    req.state.db.tx(|tx| {
        let (c, _, org, m) = member_org(tx, req)?;
        require_permission(&req.state.settings, &m, READ_MEMBERS)?;
        let creator = &req.state.settings.seed.organizations.creator_role;
        let at = org.created_at;
        let all: Vec<serde_json::Value> = req
            .state
            .settings
            .roles
            .iter()
            .map(|r| {
                serde_json::json!({
                    "object": "role",
                    "id": format!("role_{}", r.key.replace(':', "_")),
                    "key": r.key,
                    "name": r.name,
                    "description": "",
                    "is_creator_eligible": &r.key == creator || r.key == "org:admin",
                    "permissions": r.permissions.iter().map(|p| serde_json::json!({
                        "object": "permission",
                        "id": format!("perm_{}", p.replace(':', "_")),
                        "key": p,
                        "name": p,
                        "description": "",
                        "type": if p.starts_with("org:sys_") { "system" } else { "user" },
                        "created_at": at,
                        "updated_at": at,
                    })).collect::<Vec<_>>(),
                    "created_at": at,
                    "updated_at": at,
                })
            })
            .collect();
        envelope(tx, req, &paginate(&all, limit, offset), &c)
    })
}
