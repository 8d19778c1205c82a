//! Sign-ins: create, read, first factor (password, email/phone code, reset-password code),
//! second factor (TOTP, phone code, backup code) and reset password.

use axum::http::StatusCode;
use clerk_core::wire::{ErrorCode, SessionStatus, SignInStatus, Strategy, VerificationStatus};

use super::{client_of, ensure_client, envelope, touch_client, view};
use crate::error::{ApiErr, ApiResult};
use crate::http::{Reply, Req};
use crate::identifiers::find_user;
use crate::password::{is_locked, locked_error, password_error, password_failed};
use crate::store::{ClientRec, SignInRec, Tx, UserRec, VerifRec};
use crate::verification::{check_code, send_code};
use crate::AppState;

/// Moves a sign-in past its first factor: to the second factor, or to a new session.
fn first_factor_done(
    tx: &Tx,
    req: &Req,
    c: &mut ClientRec,
    si: &mut SignInRec,
    u: &mut UserRec,
    strategy: &str,
) -> ApiResult<()> {
    let now = req.state.now();
    si.first_factor_at = Some(now);
    if u.two_factor() && !crate::policy::second_factors(&req.state, u).is_empty() {
        si.status = SignInStatus::NeedsSecondFactor;
        return Ok(());
    }
    complete(tx, req, c, si, u, None, strategy)
}

fn complete(
    tx: &Tx,
    req: &Req,
    c: &mut ClientRec,
    si: &mut SignInRec,
    u: &mut UserRec,
    second: Option<i64>,
    strategy: &str,
) -> ApiResult<()> {
    let now = req.state.now();
    let s = crate::sessions::create(
        tx,
        &req.state,
        c,
        u,
        si.first_factor_at.unwrap_or(now),
        second,
        strategy,
    )?;
    si.status = SignInStatus::Complete;
    si.created_session_id = Some(s.id);
    Ok(())
}

/// Saves the sign-in and client, and answers `{response: sign_in, client}`.
fn answer(tx: &Tx, req: &Req, c: &mut ClientRec, si: &SignInRec) -> ApiResult<Reply> {
    tx.put(si)?;
    c.sign_in_id = Some(si.id.clone());
    touch_client(tx, req, c)?;
    let rendered = crate::render::sign_in(tx, &view(req), si)?;
    envelope(tx, req, &rendered, c)
}

const FIRST_FACTORS: &[Strategy] = &[
    Strategy::Password,
    Strategy::EmailCode,
    Strategy::PhoneCode,
    Strategy::ResetPasswordEmailCode,
    Strategy::ResetPasswordPhoneCode,
];

/// The request's `strategy`, if given.
fn strategy_field(req: &Req) -> Option<Strategy> {
    req.field("strategy").map(|s| Strategy::from(s.as_str()))
}

/// Whether a code strategy sends to an email address (else to a phone).
fn by_email(strategy: &Strategy) -> bool {
    matches!(
        strategy,
        Strategy::EmailCode | Strategy::ResetPasswordEmailCode
    )
}

/// Whether a code strategy resets the password.
fn resets_password(strategy: &Strategy) -> bool {
    matches!(
        strategy,
        Strategy::ResetPasswordEmailCode | Strategy::ResetPasswordPhoneCode
    )
}

/// `POST /v1/client/sign_ins`.
pub fn create(req: &mut Req) -> ApiResult<Reply> {
    let state = req.state.clone();
    let identifier = req.field("identifier");
    let strategy = strategy_field(req);
    let password = req.form.get("password").map(str::to_owned);
    if let Some(s) = &strategy {
        if !FIRST_FACTORS.contains(s) {
            return Err(ApiErr::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::StrategyForUserInvalid,
                "Invalid verification strategy",
                &format!("The verification strategy {s} is not supported by this instance."),
            )
            .param("strategy"));
        }
    }
    req.form.flag("transfer")?;
    // Verify a password before taking the lock (argon2 is slow on purpose).
    let hash = match (&identifier, &strategy, &password) {
        (Some(id), Some(Strategy::Password) | None, Some(_)) => state
            .db
            .tx(|tx| Ok(find_user(tx, &state, id)?.and_then(|u| u.password_hash)))?,
        _ => None,
    };
    let password_ok = match (&hash, &password) {
        (Some(h), Some(p)) => Some(crate::crypto::verify_password(p, h)),
        (None, Some(_)) if identifier.is_some() => Some(false),
        _ => None,
    };
    state.db.tx(|tx| {
        let mut c = ensure_client(tx, req)?;
        let now = state.now();
        let mut si = SignInRec {
            id: crate::crypto::new_id("sia"),
            client_id: c.id.clone(),
            status: SignInStatus::NeedsIdentifier,
            abandon_at: now + 24 * 3600 * 1000,
            created_at: now,
            ..Default::default()
        };
        let Some(identifier) = identifier.clone() else {
            return Ok(answer(tx, req, &mut c, &si));
        };
        let Some(mut u) = find_user(tx, &state, &identifier)? else {
            return Err(ApiErr::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::FormIdentifierNotFound,
                "Couldn't find your account.",
                "Couldn't find your account.",
            )
            .param("identifier"));
        };
        if is_locked(&u, now) {
            return Err(locked_error(&u, now));
        }
        si.identifier = Some(identifier.clone());
        si.user_id = Some(u.id.clone());
        si.status = SignInStatus::NeedsFirstFactor;
        match (&strategy, password_ok) {
            (Some(Strategy::Password) | None, Some(true)) => {
                si.first = Some(verified(Strategy::Password));
                first_factor_done(tx, req, &mut c, &mut si, &mut u, "password")?;
            }
            (Some(Strategy::Password) | None, Some(false)) => {
                if u.password_hash.is_none() {
                    return Err(strategy_invalid(&Strategy::Password));
                }
                let err = password_failed(&state, &mut u);
                tx.put(&u)?;
                return Ok(Err(err));
            }
            (
                Some(
                    code_strategy @ (Strategy::EmailCode
                    | Strategy::PhoneCode
                    | Strategy::ResetPasswordEmailCode
                    | Strategy::ResetPasswordPhoneCode),
                ),
                _,
            ) => {
                si.first = Some(prepare_code(&state, &u, &identifier, code_strategy, None)?);
            }
            _ => {}
        }
        Ok(answer(tx, req, &mut c, &si))
    })?
}

fn verified(strategy: Strategy) -> VerifRec {
    VerifRec {
        status: VerificationStatus::Verified,
        strategy,
        ..Default::default()
    }
}

fn strategy_invalid(strategy: &Strategy) -> ApiErr {
    ApiErr::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::StrategyForUserInvalid,
        "Invalid verification strategy",
        &format!("The verification strategy {strategy} is not valid for this account."),
    )
    .param("strategy")
}

/// Sends a first-factor code to the user's email or phone (`id` chosen, else the one matching
/// the identifier, else the primary one).
fn prepare_code(
    state: &AppState,
    u: &UserRec,
    identifier: &str,
    strategy: &Strategy,
    id: Option<&str>,
) -> ApiResult<VerifRec> {
    let email = by_email(strategy);
    let list = if email { &u.emails } else { &u.phones };
    let primary = if email {
        &u.primary_email_id
    } else {
        &u.primary_phone_id
    };
    let target = match id {
        Some(id) => list.iter().find(|i| i.id == id && i.verified),
        None => list
            .iter()
            .find(|i| i.verified && i.value.eq_ignore_ascii_case(identifier))
            .or_else(|| {
                list.iter()
                    .find(|i| Some(&i.id) == primary.as_ref() && i.verified)
            })
            .or_else(|| list.iter().find(|i| i.verified)),
    };
    let Some(target) = target else {
        return Err(match id {
            Some(_) => ApiErr::not_found(if email {
                "email address"
            } else {
                "phone number"
            })
            .param(if email {
                "email_address_id"
            } else {
                "phone_number_id"
            }),
            None => strategy_invalid(strategy),
        });
    };
    let purpose = if resets_password(strategy) {
        "reset_password"
    } else {
        "sign_in"
    };
    Ok(send_code(
        state,
        &target.value,
        strategy.as_str(),
        purpose,
        Some(target.id.clone()),
    ))
}

/// The sign-in of the path, which must be this client's current one.
fn path_sign_in(tx: &Tx, req: &Req, missing: StatusCode) -> ApiResult<(ClientRec, SignInRec)> {
    let gone = || ApiErr::not_found("sign in").with_status(missing);
    let c = client_of(tx, req)?.ok_or_else(gone)?;
    let si = tx
        .get::<SignInRec>(req.param("sign_in_id"))?
        .filter(|s| s.client_id == c.id)
        .ok_or_else(gone)?;
    Ok((c, si))
}

fn require_status(si: &SignInRec, status: SignInStatus, now: i64) -> ApiResult<()> {
    if si.status != SignInStatus::Complete && now >= si.abandon_at {
        return Err(ApiErr::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::from("sign_in_expired"),
            "Sign in expired",
            "This sign in attempt has expired. Start a new one.",
        ));
    }
    if si.status != status {
        return Err(ApiErr::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::ConflictingState,
            "Not allowed now",
            &format!(
                "This sign in is {}, so this step is not possible.",
                si.status
            ),
        ));
    }
    Ok(())
}

/// `GET /v1/client/sign_ins/{id}`.
pub fn get(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    req.state.db.tx(|tx| {
        let (c, si) = path_sign_in(tx, req, StatusCode::NOT_FOUND)?;
        let rendered = crate::render::sign_in(tx, &view(req), &si)?;
        envelope(tx, req, &rendered, &c)
    })
}

fn user_of(tx: &Tx, si: &SignInRec) -> ApiResult<UserRec> {
    match &si.user_id {
        Some(id) => tx
            .get::<UserRec>(id)?
            .ok_or_else(|| ApiErr::not_found("user")),
        None => Err(ApiErr::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::ConflictingState,
            "No identifier",
            "Identify the account first.",
        )),
    }
}

/// `POST …/prepare_first_factor`: sends a code (`email_code`, `phone_code`,
/// `reset_password_*_code`); `password` needs no preparation.
pub fn prepare_first(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    let strategy = strategy_field(req).ok_or_else(|| ApiErr::missing("strategy"))?;
    let state = &req.state;
    state.db.tx(|tx| {
        let (mut c, mut si) = path_sign_in(tx, req, StatusCode::NOT_FOUND)?;
        require_status(&si, SignInStatus::NeedsFirstFactor, state.now())?;
        let u = user_of(tx, &si)?;
        match &strategy {
            Strategy::Password if u.password_hash.is_some() => {}
            Strategy::EmailCode
            | Strategy::PhoneCode
            | Strategy::ResetPasswordEmailCode
            | Strategy::ResetPasswordPhoneCode => {
                let id = if by_email(&strategy) {
                    req.field("email_address_id")
                } else {
                    req.field("phone_number_id")
                };
                let identifier = si.identifier.clone().unwrap_or_default();
                si.first = Some(prepare_code(
                    state,
                    &u,
                    &identifier,
                    &strategy,
                    id.as_deref(),
                )?);
            }
            other => return Err(strategy_invalid(other)),
        }
        answer(tx, req, &mut c, &si)
    })
}

/// `POST …/attempt_first_factor`: `password`, or a code sent by `prepare_first_factor`.
pub fn attempt_first(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    let strategy = strategy_field(req).ok_or_else(|| ApiErr::missing("strategy"))?;
    let state = &req.state;
    let password_ok = if strategy == Strategy::Password {
        let password = req
            .form
            .get("password")
            .ok_or_else(|| ApiErr::missing("password"))?;
        let hash = state.db.tx(|tx| {
            let (_, si) = path_sign_in(tx, req, StatusCode::NOT_FOUND)?;
            Ok(user_of(tx, &si)?.password_hash)
        })?;
        Some(hash.is_some_and(|h| crate::crypto::verify_password(password, &h)))
    } else {
        None
    };
    let outcome = state.db.tx(|tx| {
        let (mut c, mut si) = path_sign_in(tx, req, StatusCode::NOT_FOUND)?;
        let now = state.now();
        require_status(&si, SignInStatus::NeedsFirstFactor, now)?;
        let mut u = user_of(tx, &si)?;
        if is_locked(&u, now) {
            return Err(locked_error(&u, now));
        }
        match &strategy {
            Strategy::Password => {
                if u.password_hash.is_none() {
                    return Err(strategy_invalid(&Strategy::Password));
                }
                if password_ok != Some(true) {
                    let err = password_failed(state, &mut u);
                    tx.put(&u)?;
                    return Ok(Err(err));
                }
                si.first = Some(verified(Strategy::Password));
                first_factor_done(tx, req, &mut c, &mut si, &mut u, "password")?;
            }
            Strategy::EmailCode
            | Strategy::PhoneCode
            | Strategy::ResetPasswordEmailCode
            | Strategy::ResetPasswordPhoneCode => {
                let Some(mut v) = si.first.clone().filter(|v| v.strategy == strategy) else {
                    return Err(ApiErr::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        ErrorCode::from("verification_missing"),
                        "not prepared",
                        "Send a code with prepare_first_factor first.",
                    )
                    .param("strategy"));
                };
                let checked = check_code(state, &mut v, req.form.get("code"));
                si.first = Some(v);
                if let Err(e) = checked {
                    tx.put(&si)?;
                    return Ok(Err(e));
                }
                if resets_password(&strategy) {
                    si.status = SignInStatus::NeedsNewPassword;
                    si.first_factor_at = Some(now);
                } else {
                    first_factor_done(tx, req, &mut c, &mut si, &mut u, strategy.as_str())?;
                }
            }
            other => return Err(strategy_invalid(other)),
        }
        Ok(answer(tx, req, &mut c, &si))
    })?;
    outcome
}

/// `POST …/prepare_second_factor`: sends an SMS code to the user's second-factor phone.
pub fn prepare_second(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    let strategy = strategy_field(req).unwrap_or(Strategy::PhoneCode);
    let state = &req.state;
    state.db.tx(|tx| {
        let (mut c, mut si) = path_sign_in(tx, req, StatusCode::BAD_REQUEST)?;
        require_status(&si, SignInStatus::NeedsSecondFactor, state.now())?;
        let u = user_of(tx, &si)?;
        if strategy != Strategy::PhoneCode || !state.settings.seed.mfa.phone_code {
            return Err(strategy_invalid(&strategy));
        }
        let wanted = req.field("phone_number_id");
        let phone = u
            .phones
            .iter()
            .filter(|p| p.second_factor && p.verified)
            .find(|p| wanted.as_deref().is_none_or(|w| w == p.id))
            .ok_or_else(|| strategy_invalid(&strategy))?;
        si.second = Some(send_code(
            state,
            &phone.value,
            Strategy::PhoneCode.as_str(),
            "second_factor",
            Some(phone.id.clone()),
        ));
        answer(tx, req, &mut c, &si)
    })
}

/// `POST …/attempt_second_factor`: `totp`, `phone_code` or `backup_code`.
pub fn attempt_second(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    let strategy = strategy_field(req).ok_or_else(|| ApiErr::missing("strategy"))?;
    let code = req.field("code").ok_or_else(|| ApiErr::missing("code"))?;
    let state = &req.state;
    let outcome = state.db.tx(|tx| {
        let (mut c, mut si) = path_sign_in(tx, req, StatusCode::BAD_REQUEST)?;
        let now = state.now();
        require_status(&si, SignInStatus::NeedsSecondFactor, now)?;
        let mut u = user_of(tx, &si)?;
        if is_locked(&u, now) {
            return Err(locked_error(&u, now));
        }
        let mfa = &state.settings.seed.mfa;
        let wrong = |u: &mut UserRec| {
            let e = password_failed(state, u);
            if e.error.code == ErrorCode::UserLocked {
                e
            } else {
                ApiErr::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorCode::FormCodeIncorrect,
                    "is incorrect",
                    "Incorrect code",
                )
                .param("code")
            }
        };
        match &strategy {
            Strategy::Totp if mfa.totp => {
                let secret = u
                    .totp_secret
                    .clone()
                    .ok_or_else(|| strategy_invalid(&Strategy::Totp))?;
                if !crate::crypto::totp_matches(&secret, &code, now / 1000) {
                    let e = wrong(&mut u);
                    tx.put(&u)?;
                    return Ok(Err(e));
                }
                si.second = Some(verified(Strategy::Totp));
            }
            Strategy::BackupCode if mfa.backup_code => {
                if u.backup_codes.is_empty() {
                    return Err(strategy_invalid(&Strategy::BackupCode));
                }
                let hashed = crate::crypto::sha256_hex(code.trim());
                let mut found = None;
                for (i, stored) in u.backup_codes.iter().enumerate() {
                    if crate::crypto::ct_eq(stored, &hashed) {
                        found = Some(i);
                    }
                }
                let Some(i) = found else {
                    let e = wrong(&mut u);
                    tx.put(&u)?;
                    return Ok(Err(e));
                };
                u.backup_codes.remove(i);
                si.second = Some(verified(Strategy::BackupCode));
            }
            Strategy::PhoneCode if mfa.phone_code => {
                let Some(mut v) = si
                    .second
                    .clone()
                    .filter(|v| v.strategy == Strategy::PhoneCode)
                else {
                    return Err(ApiErr::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        ErrorCode::from("verification_missing"),
                        "not prepared",
                        "Send a code with prepare_second_factor first.",
                    )
                    .param("strategy"));
                };
                let checked = check_code(state, &mut v, Some(&code));
                si.second = Some(v);
                if let Err(e) = checked {
                    tx.put(&si)?;
                    return Ok(Err(e));
                }
            }
            other => return Err(strategy_invalid(other)),
        }
        let strategy_used = si
            .first
            .as_ref()
            .map(|v| v.strategy.clone())
            .unwrap_or(Strategy::Password);
        complete(
            tx,
            req,
            &mut c,
            &mut si,
            &mut u,
            Some(now),
            strategy_used.as_str(),
        )?;
        Ok(answer(tx, req, &mut c, &si))
    })?;
    outcome
}

/// `POST …/reset_password`: sets the new password after a reset code (`needs_new_password`),
/// optionally signing out the user's other sessions.
pub fn reset_password(req: &mut Req) -> ApiResult<Reply> {
    let req = &*req;
    let password = req
        .form
        .get("password")
        .filter(|p| !p.is_empty())
        .ok_or_else(|| ApiErr::missing("password"))?;
    let sign_out_others = req
        .form
        .flag("sign_out_of_other_sessions")?
        .unwrap_or(false);
    let state = &req.state;
    // The spec documents no 404 for reset_password: an unknown sign-in is a 400.
    state.db.tx(|tx| {
        let (_, si) = path_sign_in(tx, req, StatusCode::BAD_REQUEST)?;
        require_status(&si, SignInStatus::NeedsNewPassword, state.now())
    })?;
    if let Some(e) = password_error(state, password) {
        return Err(e);
    }
    let hash = crate::crypto::hash_password(password);
    state.db.tx(|tx| {
        let (mut c, mut si) = path_sign_in(tx, req, StatusCode::BAD_REQUEST)?;
        let now = state.now();
        require_status(&si, SignInStatus::NeedsNewPassword, now)?;
        let mut u = user_of(tx, &si)?;
        u.password_hash = Some(hash.clone());
        u.failed_attempts = 0;
        u.locked_until = None;
        if sign_out_others {
            for mut s in tx.sessions_of_user(&u.id)? {
                if s.signed_in(now) {
                    s.status = SessionStatus::Revoked;
                    s.updated_at = now;
                    tx.put(&s)?;
                }
            }
        }
        let strategy = si
            .first
            .as_ref()
            .map(|v| v.strategy.as_str().to_owned())
            .unwrap_or_default();
        first_factor_done(tx, req, &mut c, &mut si, &mut u, &strategy)?;
        tx.put(&u)?;
        answer(tx, req, &mut c, &si)
    })
}
