//! The `data` of webhook events, as the Backend API shows resources
//! (`shared/bapi/webhooks-2025-04-15.yml`: `User`, `SessionEventPayload`, `Organization`,
//! `OrganizationMembership`, `OrganizationInvitation`, `EmailEventPayload`, `SmsEventPayload`,
//! `DeletedObject`): the Backend API's shapes from `crate::render_bapi`, with what events add
//! (a session's user, an invitation's organization, a membership whose organization went in
//! the same transaction), and the emails and text messages the server "sends".

use serde_json::{json, Map, Value};

use super::events::Ctx;
use crate::error::ApiResult;
use crate::render_bapi;
use crate::store::{InvitationRec, InvitationStatus, MembershipRec, OrgRec, SessionRec, UserRec};

/// The avatar URL of a user or organization without an image (as `crate::render`).
fn image_url(id: &str) -> String {
    format!("https://img.clerk.com/default/{id}")
}

/// A user (`User`, as the Backend API shows it).
pub(super) fn user(ctx: &Ctx, json: &str) -> ApiResult<Value> {
    let u: UserRec = serde_json::from_str(json)?;
    Ok(render_bapi::user(ctx.state, ctx.now, &u))
}

/// A session with its user (`SessionEventPayload`).
pub(super) fn session(ctx: &Ctx, s: &SessionRec) -> ApiResult<Value> {
    let user = match ctx.doc_json("user", &s.user_id)? {
        Some(json) => user(ctx, &json)?,
        None => Value::Null,
    };
    let mut out = render_bapi::session(s, ctx.now);
    out["latest_activity"] = Value::Null;
    out["user"] = user;
    Ok(out)
}

/// An organization (`Organization`), with its counts.
pub(super) fn organization(ctx: &Ctx, json: &str) -> ApiResult<Value> {
    let org: OrgRec = serde_json::from_str(json)?;
    let mut out = render_bapi::organization(ctx.tx, &org, true)?;
    let pending = ctx
        .tx
        .invitations_of_org(&org.id)?
        .iter()
        .filter(|i| i.status == InvitationStatus::Pending)
        .count();
    out["pending_invitations_count"] = pending.into();
    Ok(out)
}

/// A membership with its organization and the member's public data
/// (`OrganizationMembership`); also when the organization went in the same transaction.
pub(super) fn membership(ctx: &Ctx, m: &MembershipRec) -> ApiResult<Value> {
    let public_user_data = match ctx.doc_json("user", &m.user_id)? {
        Some(json) => {
            let u: UserRec = serde_json::from_str(&json)?;
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
        None => Value::Null,
    };
    if let Some(mut out) = render_bapi::membership(ctx.tx, ctx.state, m)? {
        // (a member deleted in the same transaction is no longer in the store)
        out["public_user_data"] = public_user_data;
        return Ok(out);
    }
    let organization = match ctx.doc_json("org", &m.org_id)? {
        Some(json) => {
            render_bapi::organization(ctx.tx, &serde_json::from_str::<OrgRec>(&json)?, false)?
        }
        None => Value::Null,
    };
    let role = ctx.state.settings.role(&m.role);
    Ok(json!({
        "object": "organization_membership",
        "id": m.id,
        "role": m.role,
        "role_name": role.map_or(m.role.as_str(), |r| r.name.as_str()),
        "permissions": role.map(|r| r.permissions.clone()).unwrap_or_default(),
        "public_metadata": {},
        "private_metadata": {},
        "organization": organization,
        "public_user_data": public_user_data,
        "created_at": m.created_at,
        "updated_at": m.updated_at,
    }))
}

/// An invitation (`OrganizationInvitation` with `data.public_organization_data`; accepted:
/// with the user who accepted).
pub(super) fn invitation(
    ctx: &Ctx,
    i: &InvitationRec,
    accepted_by: Option<String>,
) -> ApiResult<Value> {
    let org = match ctx.doc_json("org", &i.org_id)? {
        Some(json) => Some(serde_json::from_str::<OrgRec>(&json)?),
        None => None,
    };
    let mut out = render_bapi::org_invitation(ctx.tx, ctx.state, i, ctx.now)?;
    out["data"] = json!({
        "public_organization_data": org.map(|o| json!({
            "id": o.id,
            "name": o.name,
            "slug": o.slug,
            "image_url": image_url(&o.id),
            "has_image": false,
        })),
    });
    if let Some(user_id) = accepted_by {
        out["user_id"] = user_id.into();
    }
    Ok(out)
}

/// `{object, id, deleted: true}` (`DeletedObject`), with more fields when given.
pub(super) fn deleted(object: &str, id: &str, extra: &[(&str, Value)]) -> Value {
    let mut map = Map::new();
    map.insert("object".into(), object.into());
    map.insert("id".into(), id.into());
    for (k, v) in extra {
        map.insert((*k).into(), v.clone());
    }
    map.insert("deleted".into(), true.into());
    Value::Object(map)
}

/// What a message "sent" by the server says.
pub(super) struct Message<'a> {
    /// `verification_code`, `reset_password_code`, `organization_invitation`.
    pub slug: &'static str,
    /// The email address or phone number.
    pub to: &'a str,
    /// Its identification id, when it is a user's.
    pub ident_id: Option<&'a str>,
    /// The user, when known.
    pub user_id: Option<&'a str>,
    /// The one-time code, if any.
    pub code: Option<&'a str>,
    /// The line it says (subject of an email, the text of an SMS).
    pub subject: String,
}

fn app_data(ctx: &Ctx, code: Option<&str>) -> Value {
    let request = &ctx.request;
    json!({
        "app": {
            "name": ctx.state.settings.seed.instance.application_name,
            "domain_name": crate::FRONTEND_API_HOST,
            "url": format!("https://{}", crate::FRONTEND_API_HOST),
            "logo_url": null,
            "logo_image_url": "",
        },
        "otp_code": code,
        "requested_at": crate::render::ts(ctx.now).format("%-d %B %Y, %H:%M UTC").to_string(),
        "requested_by": request.user_agent,
        "theme": {
            "button_text_color": "#ffffff",
            "primary_color": "#6c47ff",
            "show_clerk_branding": false,
        },
    })
}

/// An email (`EmailEventPayload`). Nothing is sent, so `delivered_by_clerk` is false.
pub(super) fn email(ctx: &Ctx, m: &Message) -> Value {
    let app = &ctx.state.settings.seed.instance.application_name;
    let plain = match m.code {
        Some(code) => {
            format!("{code} is your verification code for {app}.\n\nDo not share it with anyone.\n")
        }
        None => format!("{}.\n", m.subject),
    };
    let html = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{subject}</title></head>\
         <body><p>{body}</p></body></html>",
        subject = html_escape(&m.subject),
        body = html_escape(&plain),
    );
    json!({
        "object": "email",
        "id": crate::crypto::new_id("ema"),
        "slug": m.slug,
        "from_email_name": "notifications",
        "reply_to_email_name": null,
        "to_email_address": m.to,
        "email_address_id": m.ident_id,
        "user_id": m.user_id,
        "subject": m.subject,
        "body": html,
        "body_plain": plain,
        "status": "queued",
        "data": app_data(ctx, m.code),
        "delivered_by_clerk": false,
    })
}

/// An SMS (`SmsEventPayload`). Nothing is sent, so `delivered_by_clerk` is false.
pub(super) fn sms(ctx: &Ctx, m: &Message) -> Value {
    json!({
        "object": "sms_message",
        "id": crate::crypto::new_id("sms"),
        "slug": m.slug,
        "from_phone_number": "+15555550000",
        "to_phone_number": m.to,
        "phone_number_id": m.ident_id,
        "user_id": m.user_id,
        "message": m.subject,
        "status": "queued",
        "data": app_data(ctx, m.code),
        "delivered_by_clerk": false,
        "created_at_ms": ctx.now,
    })
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
