//! The user's second factors: an authenticator app (`POST|DELETE /v1/me/totp`,
//! `POST /v1/me/totp/attempt_verification`) and backup codes (`POST /v1/me/backup_codes`).

use axum::http::StatusCode;
use clerk_core::wire::{BackupCodes, DeletedObject, ErrorCode, Totp};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

use super::{envelope, signed_in_user};
use crate::error::{ApiErr, ApiResult};
use crate::http::{Reply, Req};
use crate::render::ts;
use crate::store::UserRec;

/// How many backup codes a set has.
const BACKUP_CODES: usize = 10;

/// The id of a user's authenticator app (one per user).
fn totp_id(u: &UserRec) -> String {
    format!("totp_{}", u.id.trim_start_matches("user_"))
}

fn totp_off() -> ApiErr {
    ApiErr::forbidden("Authenticator apps are not enabled for this instance.")
}

/// `POST /v1/me/totp`: a new secret to add to an authenticator app, unverified until
/// `attempt_verification` accepts a code from it. Refused when the user already has one.
pub fn create_totp(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    let state = &req.state;
    if !state.settings.seed.mfa.totp {
        return Err(totp_off());
    }
    state.db.tx(|tx| {
        let (c, _, mut u) = signed_in_user(tx, req)?;
        if u.totp_secret.is_some() {
            return Err(ApiErr::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::from("totp_already_enabled"),
                "TOTP already enabled",
                "An authenticator app is already set up: remove it first.",
            ));
        }
        let now = state.now();
        let secret = crate::crypto::new_totp_secret();
        u.totp_pending = Some((secret.clone(), now));
        u.updated_at = now;
        tx.put(&u)?;
        let issuer = &state.settings.seed.instance.application_name;
        let label = format!("{issuer}:{}", u.identifier());
        let uri = format!(
            "otpauth://totp/{}?secret={secret}&issuer={}&algorithm=SHA1&digits=6&period=30",
            utf8_percent_encode(&label, NON_ALPHANUMERIC),
            utf8_percent_encode(issuer, NON_ALPHANUMERIC),
        );
        let totp = Totp {
            id: totp_id(&u),
            secret: Some(secret),
            uri: Some(uri),
            verified: false,
            backup_codes: None,
            created_at: ts(now),
            updated_at: ts(now),
        };
        envelope(tx, req, &totp, &c)
    })
}

/// `POST /v1/me/totp/attempt_verification`: `code` from the app being set up. On success the
/// app becomes a second factor, and a first set of backup codes is made when the user had
/// none (and the instance has them on): they are in the answer, once.
pub fn verify_totp(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    let state = &req.state;
    if !state.settings.seed.mfa.totp {
        return Err(totp_off());
    }
    let code = req.field("code").ok_or_else(|| ApiErr::missing("code"))?;
    state.db.tx(|tx| {
        let (c, _, mut u) = signed_in_user(tx, req)?;
        let Some((secret, created_at)) = u.totp_pending.clone() else {
            return Err(ApiErr::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::from("verification_missing"),
                "not set up",
                "Start setting up an authenticator app (POST /v1/me/totp) first.",
            ));
        };
        let now = state.now();
        if !crate::crypto::totp_matches(&secret, &code, now / 1000) {
            return Err(ApiErr::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::FormCodeIncorrect,
                "is incorrect",
                "Incorrect code. Please try again.",
            )
            .param("code"));
        }
        u.totp_secret = Some(secret);
        u.totp_pending = None;
        let mut fresh = None;
        if u.backup_codes.is_empty() && state.settings.seed.mfa.backup_code {
            let codes = crate::crypto::new_backup_codes(BACKUP_CODES);
            u.backup_codes = codes.iter().map(|c| crate::crypto::sha256_hex(c)).collect();
            fresh = Some(codes);
        }
        u.mfa_enabled_at.get_or_insert(now);
        u.updated_at = now;
        tx.put(&u)?;
        let totp = Totp {
            id: totp_id(&u),
            secret: None,
            uri: None,
            verified: true,
            backup_codes: fresh,
            created_at: ts(created_at),
            updated_at: ts(now),
        };
        envelope(tx, req, &totp, &c)
    })
}

/// `DELETE /v1/me/totp`: removes the authenticator app. With no second factor left, the
/// backup codes go too and two-step verification is off.
pub fn delete_totp(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    let state = &req.state;
    state.db.tx(|tx| {
        let (c, _, mut u) = signed_in_user(tx, req)?;
        if u.totp_secret.is_none() && u.totp_pending.is_none() {
            return Err(ApiErr::not_found("authenticator app"));
        }
        u.totp_secret = None;
        u.totp_pending = None;
        if !u.phones.iter().any(|p| p.second_factor && p.verified) {
            u.backup_codes.clear();
            u.mfa_enabled_at = None;
        }
        u.updated_at = state.now();
        tx.put(&u)?;
        let deleted = DeletedObject {
            object: "totp".into(),
            id: Some(totp_id(&u)),
            slug: None,
            deleted: true,
        };
        envelope(tx, req, &deleted, &c)
    })
}

/// `POST /v1/me/backup_codes`: a new set of backup codes, replacing the old one. Needs a
/// second factor (an authenticator app or SMS codes) to back up.
pub fn create_backup_codes(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    let state = &req.state;
    if !state.settings.seed.mfa.backup_code {
        return Err(ApiErr::forbidden(
            "Backup codes are not enabled for this instance.",
        ));
    }
    state.db.tx(|tx| {
        let (c, _, mut u) = signed_in_user(tx, req)?;
        let second_factor =
            u.totp_secret.is_some() || u.phones.iter().any(|p| p.second_factor && p.verified);
        if !second_factor {
            return Err(ApiErr::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::from("no_second_factors"),
                "no second factor",
                "Set up an authenticator app or SMS codes before making backup codes.",
            ));
        }
        let now = state.now();
        let codes = crate::crypto::new_backup_codes(BACKUP_CODES);
        u.backup_codes = codes.iter().map(|c| crate::crypto::sha256_hex(c)).collect();
        u.updated_at = now;
        tx.put(&u)?;
        let set = BackupCodes {
            id: crate::crypto::new_id("bcode"),
            codes,
            created_at: ts(now),
            updated_at: ts(now),
        };
        envelope(tx, req, &set, &c)
    })
}
