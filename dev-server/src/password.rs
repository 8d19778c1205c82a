//! Password rules (length, character classes, a small breached-password list) and the lockout
//! after too many failed attempts.

use axum::http::StatusCode;
use clerk_core::wire::{ErrorCode, PasswordProblem};

use crate::error::ApiErr;
use crate::store::UserRec;
use crate::AppState;

/// The Clerk error for a password that breaks the rules.
pub(crate) fn password_error(state: &AppState, password: &str) -> Option<ApiErr> {
    let rules = &state.settings.password;
    if let Err(problem) = rules.check(password) {
        let (code, long) = match problem {
            PasswordProblem::TooShort(n) => (
                ErrorCode::FormPasswordLengthTooShort,
                format!("Passwords must be {n} characters or more."),
            ),
            PasswordProblem::TooLong(n) => (
                ErrorCode::FormPasswordLengthTooLong,
                format!("Passwords must be less than {n} characters."),
            ),
            PasswordProblem::NeedsNumber => (
                ErrorCode::FormPasswordValidationFailed,
                "Passwords must contain at least one number.".into(),
            ),
            PasswordProblem::NeedsUppercase => (
                ErrorCode::FormPasswordValidationFailed,
                "Passwords must contain at least one uppercase character.".into(),
            ),
            PasswordProblem::NeedsLowercase => (
                ErrorCode::FormPasswordValidationFailed,
                "Passwords must contain at least one lowercase character.".into(),
            ),
            PasswordProblem::NeedsSpecialChar => (
                ErrorCode::FormPasswordValidationFailed,
                "Passwords must contain at least one special character.".into(),
            ),
            _ => (
                ErrorCode::FormPasswordValidationFailed,
                "The password is not valid.".into(),
            ),
        };
        return Some(
            ApiErr::new(StatusCode::UNPROCESSABLE_ENTITY, code, "is invalid", &long)
                .param("password"),
        );
    }
    if password.len() > 256 {
        return Some(
            ApiErr::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::FormPasswordLengthTooLong,
                "is too long",
                "Passwords must be less than 256 bytes.",
            )
            .param("password"),
        );
    }
    const PWNED: &[&str] = &[
        "password",
        "password1",
        "password123",
        "12345678",
        "123456789",
        "1234567890",
        "qwertyuiop",
        "qwerty123",
        "iloveyou",
        "11111111",
        "abc12345",
        "letmein1",
        "welcome1",
        "admin123",
        "passw0rd",
        "sunshine",
        "football",
        "baseball",
    ];
    if !state.settings.password.disable_hibp && PWNED.contains(&password.to_lowercase().as_str()) {
        return Some(
            ApiErr::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::FormPasswordPwned,
                "Password has been found in an online data breach.",
                "Password has been found in an online data breach. For account safety, please use a different password.",
            )
            .param("password"),
        );
    }
    None
}

/// The `user_locked` error, with the seconds left (`user_banned` for a banned user).
pub(crate) fn locked_error(u: &UserRec, now: i64) -> ApiErr {
    if u.banned {
        return ApiErr::new(
            StatusCode::FORBIDDEN,
            ErrorCode::UserBanned,
            "Account banned",
            "This account is banned: it cannot sign in.",
        );
    }
    let secs = u.locked_until.map(|t| (t - now) / 1000).unwrap_or(0).max(1);
    ApiErr::new(
        StatusCode::FORBIDDEN,
        ErrorCode::UserLocked,
        "Account locked",
        &format!(
            "Your account is locked. You will be able to try again in {} minutes.",
            (secs + 59) / 60
        ),
    )
    .meta("lockout_expires_in_seconds", secs.into())
}

/// Whether the user is locked out now (or banned).
pub(crate) fn is_locked(u: &UserRec, now: i64) -> bool {
    u.banned || u.locked_until.is_some_and(|t| t > now)
}

/// Counts a failed password; may lock the user. Returns the error to answer.
pub(crate) fn password_failed(state: &AppState, u: &mut UserRec) -> ApiErr {
    let now = state.now();
    let lock = &state.settings.seed.lockout;
    u.failed_attempts += 1;
    u.updated_at = now;
    if lock.enabled && u.failed_attempts >= lock.max_attempts {
        u.locked_until = Some(now + lock.duration_minutes * 60_000);
        u.failed_attempts = 0;
        return locked_error(u, now);
    }
    ApiErr::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::FormPasswordIncorrect,
        "Password is incorrect. Try again, or use another method.",
        "Password is incorrect. Try again, or use another method.",
    )
    .param("password")
}
