//! The user's email addresses and phone numbers: `/v1/me/email_addresses…` and
//! `/v1/me/phone_numbers…` (create, list, read, prepare/attempt verification, delete).
//!
//! A new address is stored unverified and does not identify anyone until its code is
//! attempted; it is checked against the identifiers in use when created and again when
//! verified.

use axum::http::StatusCode;
use clerk_core::wire::{DeletedObject, ErrorCode, Strategy};

use super::{envelope, signed_in_user, view};
use crate::error::{ApiErr, ApiResult};
use crate::http::{Reply, Req};
use crate::identifiers::normalize_phone;
use crate::store::{ident_key, IdentRec, IdentVerifRec, Tx, UserRec};
use crate::verification::{check_code, send_code};

/// Email addresses or phone numbers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Email,
    Phone,
}

impl Kind {
    /// The attribute, body field and `meta.param_name`.
    fn param(self) -> &'static str {
        match self {
            Kind::Email => "email_address",
            Kind::Phone => "phone_number",
        }
    }

    /// The unique-key prefix.
    fn key(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Phone => "phone",
        }
    }

    fn strategy(self) -> &'static str {
        match self {
            Kind::Email => "email_code",
            Kind::Phone => "phone_code",
        }
    }

    fn what(self) -> &'static str {
        match self {
            Kind::Email => "email address",
            Kind::Phone => "phone number",
        }
    }

    fn list(self, u: &mut UserRec) -> &mut Vec<IdentRec> {
        match self {
            Kind::Email => &mut u.emails,
            Kind::Phone => &mut u.phones,
        }
    }

    fn primary(self, u: &UserRec) -> Option<&str> {
        match self {
            Kind::Email => u.primary_email_id.as_deref(),
            Kind::Phone => u.primary_phone_id.as_deref(),
        }
    }
}

fn enabled(req: &Req, kind: Kind) -> ApiResult<()> {
    if !req.state.settings.enabled(kind.param()) {
        let what = match kind {
            Kind::Email => "Email addresses",
            Kind::Phone => "Phone numbers",
        };
        return Err(ApiErr::forbidden(&format!(
            "{what} are not enabled for this instance."
        )));
    }
    Ok(())
}

/// The address or number of the body, validated and normalized.
fn value_of(req: &Req, kind: Kind) -> ApiResult<String> {
    let raw = req
        .field(kind.param())
        .ok_or_else(|| ApiErr::missing(kind.param()))?;
    match kind {
        Kind::Email => {
            let ok = raw.len() <= 320
                && !raw.chars().any(|c| c.is_whitespace() || c.is_control())
                && raw.split_once('@').is_some_and(|(local, domain)| {
                    !local.is_empty()
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                        && !domain.contains('@')
                });
            if !ok {
                return Err(ApiErr::invalid(
                    "email_address",
                    "Email address must be a valid email address.",
                ));
            }
            Ok(raw.to_lowercase())
        }
        Kind::Phone => {
            let normalized = normalize_phone(&raw);
            let clean = raw
                .chars()
                .all(|c| c.is_ascii_digit() || " +-().".contains(c));
            if !clean || !(8..=15).contains(&(normalized.len() - 1)) {
                return Err(ApiErr::invalid("phone_number", "Phone number is invalid."));
            }
            Ok(normalized)
        }
    }
}

fn taken(tx: &Tx, kind: Kind, value: &str) -> ApiResult<()> {
    if tx.key(&ident_key(kind.key(), value))?.is_some() {
        return Err(ApiErr::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::FormIdentifierExists,
            "That identifier is taken.",
            &format!("That {} is taken. Please try another.", kind.what()),
        )
        .param(kind.param()));
    }
    Ok(())
}

/// The identification of the path, in the user's list.
fn find(u: &mut UserRec, kind: Kind, id: &str) -> ApiResult<IdentRec> {
    kind.list(u)
        .iter()
        .find(|i| i.id == id)
        .cloned()
        .ok_or_else(|| ApiErr::not_found(kind.what()))
}

/// Renders one identification through the user it belongs to.
fn rendered(tx: &Tx, req: &Req, u: &UserRec, kind: Kind, id: &str) -> ApiResult<serde_json::Value> {
    let user = crate::render::user(tx, &view(req), u)?;
    let value = match kind {
        Kind::Email => user
            .email_addresses
            .into_iter()
            .find(|e| e.id == id)
            .map(serde_json::to_value),
        Kind::Phone => user
            .phone_numbers
            .into_iter()
            .find(|p| p.id == id)
            .map(serde_json::to_value),
    };
    value
        .ok_or_else(|| ApiErr::not_found(kind.what()))?
        .map_err(ApiErr::from)
}

fn create(req: &mut Req, kind: Kind) -> ApiResult<Reply> {
    let req = &*req;
    enabled(req, kind)?;
    let value = value_of(req, kind)?;
    let state = &req.state;
    state.db.tx(|tx| {
        let (c, _, mut u) = signed_in_user(tx, req)?;
        if kind.list(&mut u).iter().any(|i| i.value == value) {
            return Err(ApiErr::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::FormIdentifierExists,
                "Already added.",
                &format!("You already added this {}.", kind.what()),
            )
            .param(kind.param()));
        }
        taken(tx, kind, &value)?;
        let now = state.now();
        let ident = IdentRec {
            id: crate::crypto::new_id("idn"),
            value,
            verified: false,
            strategy: crate::store::no_strategy(),
            second_factor: false,
            created_at: now,
        };
        let id = ident.id.clone();
        kind.list(&mut u).push(ident);
        u.updated_at = now;
        tx.put(&u)?;
        let out = rendered(tx, req, &u, kind, &id)?;
        envelope(tx, req, &out, &c)
    })
}

fn list(req: &mut Req, kind: Kind) -> ApiResult<Reply> {
    let req = &*req;
    req.state.db.tx(|tx| {
        let (c, _, u) = signed_in_user(tx, req)?;
        let user = crate::render::user(tx, &view(req), &u)?;
        let out = match kind {
            Kind::Email => serde_json::to_value(user.email_addresses)?,
            Kind::Phone => serde_json::to_value(user.phone_numbers)?,
        };
        envelope(tx, req, &out, &c)
    })
}

fn get(req: &mut Req, kind: Kind) -> ApiResult<Reply> {
    let req = &*req;
    let id = req.param(id_param(kind)).to_owned();
    req.state.db.tx(|tx| {
        let (c, _, mut u) = signed_in_user(tx, req)?;
        find(&mut u, kind, &id)?;
        let out = rendered(tx, req, &u, kind, &id)?;
        envelope(tx, req, &out, &c)
    })
}

fn id_param(kind: Kind) -> &'static str {
    match kind {
        Kind::Email => "email_id",
        Kind::Phone => "phone_number_id",
    }
}

fn prepare(req: &mut Req, kind: Kind) -> ApiResult<Reply> {
    let req = &*req;
    let strategy = req
        .field("strategy")
        .ok_or_else(|| ApiErr::missing("strategy"))?;
    if strategy != kind.strategy() {
        return Err(ApiErr::value_invalid(
            "strategy",
            &format!("strategy must be {}.", kind.strategy()),
        ));
    }
    let id = req.param(id_param(kind)).to_owned();
    let state = &req.state;
    state.db.tx(|tx| {
        let (c, _, mut u) = signed_in_user(tx, req)?;
        let ident = find(&mut u, kind, &id)?;
        if ident.verified {
            return Err(already_verified());
        }
        let verif = send_code(
            state,
            &ident.value,
            kind.strategy(),
            "verify identification",
            None,
        );
        tx.put(&IdentVerifRec {
            id: id.clone(),
            user_id: u.id.clone(),
            verif,
        })?;
        let out = rendered(tx, req, &u, kind, &id)?;
        envelope(tx, req, &out, &c)
    })
}

fn already_verified() -> ApiErr {
    ApiErr::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::from("verification_already_verified"),
        "already verified",
        "This verification has already been verified.",
    )
}

fn attempt(req: &mut Req, kind: Kind) -> ApiResult<Reply> {
    let req = &*req;
    let id = req.param(id_param(kind)).to_owned();
    let state = &req.state;
    // A wrong code must be counted even though the request fails: the first transaction
    // checks and saves the attempt, the second applies a success.
    state.db.tx(|tx| {
        let (_, _, mut u) = signed_in_user(tx, req)?;
        let ident = find(&mut u, kind, &id)?;
        if ident.verified {
            return Err(already_verified());
        }
        let mut pending = tx
            .get::<IdentVerifRec>(&id)?
            .filter(|p| p.user_id == u.id)
            .ok_or_else(|| {
                ApiErr::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorCode::from("verification_missing"),
                    "No code sent",
                    "Send a code with prepare_verification first.",
                )
            })?;
        let checked = check_code(state, &mut pending.verif, req.form.get("code"));
        tx.put(&pending)?;
        Ok(checked)
    })??;
    state.db.tx(|tx| {
        let (c, _, mut u) = signed_in_user(tx, req)?;
        let value = find(&mut u, kind, &id)?.value;
        taken(tx, kind, &value)?;
        tx.set_key(&ident_key(kind.key(), &value), &u.id)?;
        let now = state.now();
        if let Some(i) = kind.list(&mut u).iter_mut().find(|i| i.id == id) {
            i.verified = true;
            i.strategy = Strategy::from(kind.strategy());
        }
        // the first verified address becomes primary
        if kind.primary(&u).is_none() {
            match kind {
                Kind::Email => u.primary_email_id = Some(id.clone()),
                Kind::Phone => u.primary_phone_id = Some(id.clone()),
            }
        }
        u.updated_at = now;
        tx.put(&u)?;
        tx.delete::<IdentVerifRec>(&id)?;
        let out = rendered(tx, req, &u, kind, &id)?;
        envelope(tx, req, &out, &c)
    })
}

fn delete(req: &mut Req, kind: Kind) -> ApiResult<Reply> {
    let req = &*req;
    let id = req.param(id_param(kind)).to_owned();
    let state = &req.state;
    state.db.tx(|tx| {
        let (c, _, mut u) = signed_in_user(tx, req)?;
        let ident = find(&mut u, kind, &id)?;
        if kind.primary(&u) == Some(id.as_str()) {
            return Err(ApiErr::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::from("primary_identification_cannot_be_deleted"),
                "Primary cannot be deleted",
                &format!(
                    "This is your primary {}: make another one primary first.",
                    kind.what()
                ),
            ));
        }
        if ident.verified {
            tx.del_key(&ident_key(kind.key(), &ident.value))?;
        }
        kind.list(&mut u).retain(|i| i.id != id);
        u.updated_at = state.now();
        tx.put(&u)?;
        tx.delete::<IdentVerifRec>(&id)?;
        let deleted = DeletedObject {
            object: kind.param().into(),
            id: Some(id),
            slug: None,
            deleted: true,
        };
        envelope(tx, req, &deleted, &c)
    })
}

/// `POST /v1/me/email_addresses`.
pub fn create_email(req: &mut Req) -> ApiResult<Reply> {
    create(req, Kind::Email)
}
/// `GET /v1/me/email_addresses`.
pub fn list_emails(req: &mut Req) -> ApiResult<Reply> {
    list(req, Kind::Email)
}
/// `GET /v1/me/email_addresses/{email_id}`.
pub fn get_email(req: &mut Req) -> ApiResult<Reply> {
    get(req, Kind::Email)
}
/// `POST /v1/me/email_addresses/{email_id}/prepare_verification`.
pub fn prepare_email(req: &mut Req) -> ApiResult<Reply> {
    prepare(req, Kind::Email)
}
/// `POST /v1/me/email_addresses/{email_id}/attempt_verification`.
pub fn attempt_email(req: &mut Req) -> ApiResult<Reply> {
    attempt(req, Kind::Email)
}
/// `DELETE /v1/me/email_addresses/{email_id}`.
pub fn delete_email(req: &mut Req) -> ApiResult<Reply> {
    delete(req, Kind::Email)
}
/// `POST /v1/me/phone_numbers`.
pub fn create_phone(req: &mut Req) -> ApiResult<Reply> {
    create(req, Kind::Phone)
}
/// `GET /v1/me/phone_numbers`.
pub fn list_phones(req: &mut Req) -> ApiResult<Reply> {
    list(req, Kind::Phone)
}
/// `GET /v1/me/phone_numbers/{phone_number_id}`.
pub fn get_phone(req: &mut Req) -> ApiResult<Reply> {
    get(req, Kind::Phone)
}
/// `POST /v1/me/phone_numbers/{phone_number_id}/prepare_verification`.
pub fn prepare_phone(req: &mut Req) -> ApiResult<Reply> {
    prepare(req, Kind::Phone)
}
/// `POST /v1/me/phone_numbers/{phone_number_id}/attempt_verification`.
pub fn attempt_phone(req: &mut Req) -> ApiResult<Reply> {
    attempt(req, Kind::Phone)
}
/// `DELETE /v1/me/phone_numbers/{phone_number_id}`.
pub fn delete_phone(req: &mut Req) -> ApiResult<Reply> {
    delete(req, Kind::Phone)
}
