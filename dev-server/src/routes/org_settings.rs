//! An organization's settings: `PATCH /v1/organizations/{id}` (name, slug) and
//! `GET /v1/organizations/{id}/roles`.

use axum::http::StatusCode;
use clerk_core::wire::ErrorCode;

use super::envelope;
use super::me::{page, paginate};
use super::orgs::{enabled, member_org, require_permission};
use crate::error::{ApiErr, ApiResult};
use crate::http::{Reply, Req};

/// `PATCH /v1/organizations/{id}`: `name`, `slug` (needs `org:sys_profile:manage`).
pub fn update(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    enabled(req)?;
    let name = req.field("name");
    if name.as_ref().is_some_and(|n| n.chars().count() > 256) {
        return Err(ApiErr::invalid("name", "name is too long."));
    }
    let slug = req.field("slug");
    if let Some(s) = &slug {
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
    }
    let state = &req.state;
    state.db.tx(|tx| {
        let (c, _, mut org, m) = member_org(tx, req)?;
        require_permission(req, &m, "org:sys_profile:manage")?;
        if let Some(name) = name.clone() {
            org.name = name;
        }
        if let Some(slug) = slug.clone().filter(|s| *s != org.slug) {
            if tx.key(&format!("slug:{slug}"))?.is_some() {
                return Err(ApiErr::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorCode::from("organization_slug_already_taken"),
                    "This slug is taken.",
                    "This organization slug is already taken. Please try another.",
                )
                .param("slug"));
            }
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

/// `GET /v1/organizations/{id}/roles`: `{data, total_count}` of the instance's roles (members
/// who may read memberships).
pub fn roles(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    enabled(req)?;
    let (limit, offset) = page(&req.query)?;
    req.state.db.tx(|tx| {
        let (c, _, org, m) = member_org(tx, req)?;
        require_permission(req, &m, "org:sys_memberships:read")?;
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
