//! A transaction's changes → Clerk's events, written to the outbox in that transaction.
//!
//! | change | event |
//! |---|---|
//! | user created / deleted | `user.created` / `user.deleted` |
//! | user changed (not just sign-in times, failed attempts, lockout or a TOTP being set up) | `user.updated` |
//! | session created | `session.created` (and `session.pending` when it has tasks) |
//! | session status → `pending` / `ended` / `removed` / `revoked` | `session.pending` / `.ended` / `.removed` / `.revoked` |
//! | organization created / changed / deleted | `organization.created` / `.updated` / `.deleted` |
//! | membership created / changed / deleted | `organizationMembership.created` / `.updated` / `.deleted` |
//! | invitation created | `organizationInvitation.created` and its `email.created` |
//! | invitation status → `accepted` / `revoked` | `organizationInvitation.accepted` / `.revoked` |
//! | a new code in a sign-in, sign-up or identification verification | `email.created` (email strategies) or `sms.created` (phone) |
//! | the Backend API's extras (metadata) of an organization or membership, alone | `organization.updated` / `organizationMembership.updated` |

use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use super::payload::{self, Message};
use super::{current_request, outbox, HttpRequest};
use crate::error::ApiResult;
use crate::store::{
    ident_key, Change, IdentVerifRec, InvitationRec, InvitationStatus, MembershipRec, SessionRec,
    SignInRec, SignUpRec, Tx, UserRec, VerifRec,
};
use crate::AppState;
use clerk_core::wire::SessionStatus;

/// The kinds whose changes make events.
pub(super) const WATCHED: &[&str] = &[
    "user",
    "session",
    "org",
    "membership",
    "invitation",
    "sign_in",
    "sign_up",
    "ident_verif",
    "bapi_extras",
];

/// User fields whose changes alone are no `user.updated` (activity and lockout bookkeeping).
const USER_NOISE: &[&str] = &[
    "updated_at",
    "last_active_at",
    "last_sign_in_at",
    "failed_attempts",
    "locked_until",
    "totp_pending",
];

/// What rendering an event needs.
pub(super) struct Ctx<'a, 'c> {
    pub tx: &'a Tx<'c>,
    pub state: &'a AppState,
    pub now: i64,
    pub request: HttpRequest,
    changes: &'a [Change],
}

impl Ctx<'_, '_> {
    /// A document's JSON as the transaction leaves it, else (deleted in it) as it was before.
    pub(super) fn doc_json(&self, kind: &str, id: &str) -> ApiResult<Option<String>> {
        use rusqlite::OptionalExtension;
        let now: Option<String> = self
            .tx
            .sql()
            .query_row(
                "SELECT json FROM docs WHERE kind = ?1 AND id = ?2",
                rusqlite::params![kind, id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(now.or_else(|| {
            self.changes
                .iter()
                .find(|c| c.kind == kind && c.id == id)
                .and_then(|c| c.before.clone())
        }))
    }
}

fn parse<T: DeserializeOwned>(json: &Option<String>) -> ApiResult<Option<T>> {
    Ok(json.as_deref().map(serde_json::from_str).transpose()?)
}

/// The record without the fields that do not count as a change.
fn significant(json: &str, noise: &[&str]) -> Value {
    let mut v: Value = serde_json::from_str(json).unwrap_or(Value::Null);
    if let Some(map) = v.as_object_mut() {
        for key in noise {
            map.remove(*key);
        }
    }
    v
}

fn changed(before: &str, after: &str, noise: &[&str]) -> bool {
    significant(before, noise) != significant(after, noise)
}

/// The change hook: events for `changes`, in the order their documents were first written.
pub(super) fn enqueue(tx: &Tx, state: &AppState, changes: Vec<Change>) -> ApiResult<()> {
    let ctx = Ctx {
        tx,
        state,
        now: state.now(),
        request: current_request(),
        changes: &changes,
    };
    let mut events = Vec::new();
    for change in &changes {
        events_of(&ctx, change, &mut events)?;
    }
    if events.is_empty() {
        return Ok(());
    }
    let endpoints = state.webhooks.endpoint_urls();
    for (event_type, data) in events {
        let msg_id = crate::crypto::new_id("msg");
        let body = json!({
            "data": data,
            "event_attributes": {
                "http_request": {
                    "client_ip": ctx.request.client_ip,
                    "user_agent": ctx.request.user_agent,
                },
            },
            "instance_id": state.signer.kid(),
            "object": "event",
            "timestamp": ctx.now,
            "type": event_type,
        });
        outbox::enqueue(
            tx,
            &msg_id,
            event_type,
            ctx.now,
            &body.to_string(),
            &endpoints,
        )?;
    }
    // The tasks read the outbox through the same (locked) connection, so they see the events
    // once this transaction has committed.
    state.webhooks.wake();
    Ok(())
}

type Events = Vec<(&'static str, Value)>;

fn events_of(ctx: &Ctx, c: &Change, out: &mut Events) -> ApiResult<()> {
    match c.kind {
        "user" => user_events(ctx, c, out),
        "session" => session_events(ctx, c, out),
        "org" => org_events(ctx, c, out),
        "membership" => membership_events(ctx, c, out),
        "invitation" => invitation_events(ctx, c, out),
        "sign_in" | "sign_up" | "ident_verif" => code_events(ctx, c, out),
        "bapi_extras" => extras_events(ctx, c, out),
        _ => Ok(()),
    }
}

fn user_events(ctx: &Ctx, c: &Change, out: &mut Events) -> ApiResult<()> {
    match (&c.before, &c.after) {
        (None, Some(after)) => out.push(("user.created", payload::user(ctx, after)?)),
        (Some(before), None) => {
            let raw: Value = serde_json::from_str(before)?;
            let external_id = raw.get("external_id").cloned().unwrap_or(Value::Null);
            out.push((
                "user.deleted",
                payload::deleted("user", &c.id, &[("external_id", external_id)]),
            ));
        }
        (Some(before), Some(after)) if changed(before, after, USER_NOISE) => {
            out.push(("user.updated", payload::user(ctx, after)?));
        }
        _ => {}
    }
    Ok(())
}

fn session_events(ctx: &Ctx, c: &Change, out: &mut Events) -> ApiResult<()> {
    let before = parse::<SessionRec>(&c.before)?;
    let Some(after) = parse::<SessionRec>(&c.after)? else {
        return Ok(());
    };
    let mut types = Vec::new();
    match before {
        None => {
            types.push("session.created");
            if after.status == SessionStatus::Pending {
                types.push("session.pending");
            }
        }
        Some(b) if b.status != after.status => match after.status {
            SessionStatus::Pending => types.push("session.pending"),
            SessionStatus::Ended => types.push("session.ended"),
            SessionStatus::Removed => types.push("session.removed"),
            SessionStatus::Revoked => types.push("session.revoked"),
            _ => {}
        },
        Some(_) => {}
    }
    for t in types {
        out.push((t, payload::session(ctx, &after)?));
    }
    Ok(())
}

fn org_events(ctx: &Ctx, c: &Change, out: &mut Events) -> ApiResult<()> {
    match (&c.before, &c.after) {
        (None, Some(after)) => {
            out.push(("organization.created", payload::organization(ctx, after)?))
        }
        (Some(before), None) => {
            let raw: Value = serde_json::from_str(before)?;
            let slug = raw.get("slug").cloned().unwrap_or(Value::Null);
            out.push((
                "organization.deleted",
                payload::deleted("organization", &c.id, &[("slug", slug)]),
            ));
        }
        (Some(before), Some(after)) if changed(before, after, &["updated_at"]) => {
            out.push(("organization.updated", payload::organization(ctx, after)?));
        }
        _ => {}
    }
    Ok(())
}

fn membership_events(ctx: &Ctx, c: &Change, out: &mut Events) -> ApiResult<()> {
    let event = match (&c.before, &c.after) {
        (None, Some(_)) => "organizationMembership.created",
        (Some(_), None) => "organizationMembership.deleted",
        (Some(before), Some(after)) if changed(before, after, &["updated_at"]) => {
            "organizationMembership.updated"
        }
        _ => return Ok(()),
    };
    let json = c.after.as_ref().or(c.before.as_ref());
    if let Some(m) = parse::<MembershipRec>(&json.cloned())? {
        out.push((event, payload::membership(ctx, &m)?));
    }
    Ok(())
}

fn invitation_events(ctx: &Ctx, c: &Change, out: &mut Events) -> ApiResult<()> {
    let before = parse::<InvitationRec>(&c.before)?;
    let Some(after) = parse::<InvitationRec>(&c.after)? else {
        return Ok(());
    };
    match (before.map(|b| b.status), after.status) {
        (None, _) => {
            out.push((
                "organizationInvitation.created",
                payload::invitation(ctx, &after, None)?,
            ));
            let org_name = ctx
                .doc_json("org", &after.org_id)?
                .and_then(|j| serde_json::from_str::<Value>(&j).ok())
                .and_then(|v| v["name"].as_str().map(str::to_owned))
                .unwrap_or_default();
            out.push((
                "email.created",
                payload::email(
                    ctx,
                    &Message {
                        slug: "organization_invitation",
                        to: &after.email,
                        ident_id: None,
                        user_id: None,
                        code: None,
                        subject: format!("You have been invited to join {org_name}"),
                    },
                ),
            ));
        }
        (Some(b), InvitationStatus::Accepted) if b != InvitationStatus::Accepted => {
            let user = ctx.tx.key(&ident_key("email", &after.email))?;
            out.push((
                "organizationInvitation.accepted",
                payload::invitation(ctx, &after, user)?,
            ));
        }
        (Some(b), InvitationStatus::Revoked) if b != InvitationStatus::Revoked => {
            out.push((
                "organizationInvitation.revoked",
                payload::invitation(ctx, &after, None)?,
            ));
        }
        _ => {}
    }
    Ok(())
}

/// The Backend API keeps an organization's private metadata and a membership's metadata beside
/// the record (`admin::Extras`, same id): a change there alone is an update of the record.
fn extras_events(ctx: &Ctx, c: &Change, out: &mut Events) -> ApiResult<()> {
    let Some(after) = &c.after else {
        return Ok(()); // gone with its record
    };
    let before = c.before.as_deref().unwrap_or("null");
    let (kind, event) = if c.id.starts_with("orgmem_") {
        ("membership", "organizationMembership.updated")
    } else if c.id.starts_with("org_") {
        ("org", "organization.updated")
    } else {
        return Ok(());
    };
    // Its record's own change already makes an event (created, deleted or updated)?
    let covered = ctx
        .changes
        .iter()
        .filter(|r| r.kind == kind && r.id == c.id)
        .any(|r| match (&r.before, &r.after) {
            (Some(b), Some(a)) => changed(b, a, &["updated_at"]),
            _ => true,
        });
    if covered || !changed(before, after, &[]) {
        return Ok(());
    }
    let Some(json) = ctx.doc_json(kind, &c.id)? else {
        return Ok(());
    };
    let data = if kind == "org" {
        payload::organization(ctx, &json)?
    } else {
        payload::membership(ctx, &serde_json::from_str(&json)?)?
    };
    out.push((event, data));
    Ok(())
}

/// A code that went out: the verification, to whom, the identification and user.
struct Sent {
    verif: VerifRec,
    to: Option<String>,
    ident_id: Option<String>,
    user_id: Option<String>,
}

/// The verifications of a sign-in, sign-up or identification verification, with their targets.
fn sent_codes(ctx: &Ctx, kind: &str, json: &Option<String>) -> ApiResult<Vec<Sent>> {
    let ident_of =
        |user_id: &Option<String>, ident: &Option<String>| -> ApiResult<Option<String>> {
            let (Some(user_id), Some(ident)) = (user_id, ident) else {
                return Ok(None);
            };
            let Some(user) = parse::<UserRec>(&ctx.doc_json("user", user_id)?)? else {
                return Ok(None);
            };
            Ok(user
                .emails
                .iter()
                .chain(&user.phones)
                .find(|i| &i.id == ident)
                .map(|i| i.value.clone()))
        };
    let mut out = Vec::new();
    match kind {
        "sign_in" => {
            if let Some(si) = parse::<SignInRec>(json)? {
                for verif in [si.first, si.second].into_iter().flatten() {
                    let to = ident_of(&si.user_id, &verif.target_id)?;
                    out.push(Sent {
                        ident_id: verif.target_id.clone(),
                        verif,
                        to,
                        user_id: si.user_id.clone(),
                    });
                }
            }
        }
        "sign_up" => {
            if let Some(su) = parse::<SignUpRec>(json)? {
                let pairs = [
                    (su.email_verif, su.email_address),
                    (su.phone_verif, su.phone_number),
                ];
                for (verif, to) in pairs {
                    if let Some(verif) = verif {
                        out.push(Sent {
                            verif,
                            to,
                            ident_id: None,
                            user_id: None,
                        });
                    }
                }
            }
        }
        _ => {
            if let Some(iv) = parse::<IdentVerifRec>(json)? {
                let user_id = Some(iv.user_id.clone());
                let ident_id = Some(iv.id.clone());
                let to = ident_of(&user_id, &ident_id)?;
                out.push(Sent {
                    verif: iv.verif,
                    to,
                    ident_id,
                    user_id,
                });
            }
        }
    }
    Ok(out)
}

fn code_events(ctx: &Ctx, c: &Change, out: &mut Events) -> ApiResult<()> {
    let before = sent_codes(ctx, c.kind, &c.before)?;
    let key = |v: &VerifRec| (v.strategy.as_str().to_owned(), v.code.clone(), v.expire_at);
    for sent in sent_codes(ctx, c.kind, &c.after)? {
        let (Some(code), Some(to)) = (sent.verif.code.as_deref(), sent.to.as_deref()) else {
            continue;
        };
        if before.iter().any(|b| key(&b.verif) == key(&sent.verif)) {
            continue; // not a new code
        }
        let strategy = sent.verif.strategy.as_str();
        let reset = strategy.starts_with("reset_password");
        let message = Message {
            slug: if reset {
                "reset_password_code"
            } else {
                "verification_code"
            },
            to,
            ident_id: sent.ident_id.as_deref(),
            user_id: sent.user_id.as_deref(),
            code: Some(code),
            subject: if reset {
                format!("{code} is your password reset code")
            } else {
                format!("{code} is your verification code")
            },
        };
        if strategy.contains("email") {
            out.push(("email.created", payload::email(ctx, &message)));
        } else if strategy.contains("phone") {
            out.push(("sms.created", payload::sms(ctx, &message)));
        }
    }
    Ok(())
}
