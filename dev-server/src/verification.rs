//! One-time codes sent by "email" or "SMS": the fixed test code of test identifiers, sending
//! (logging and keeping for `GET /v1/__dev/codes`) and checking with an attempt limit.

use axum::http::StatusCode;
use clerk_core::wire::{ErrorCode, VerificationStatus};

use crate::error::ApiErr;
use crate::store::VerifRec;
use crate::{AppState, DevCode};

/// Whether an identifier gets the fixed test code `424242` (`+clerk_test` emails,
/// `+1 XXX-555-01XX` numbers), as on Clerk's development instances.
pub(crate) fn is_test_identifier(identifier: &str) -> bool {
    let lower = identifier.to_lowercase();
    if let Some((local, _)) = lower.split_once('@') {
        return local.contains("+clerk_test");
    }
    let digits: String = identifier.chars().filter(|c| c.is_ascii_digit()).collect();
    identifier.trim().starts_with('+')
        && digits.len() == 11
        && digits.starts_with('1')
        && &digits[4..9] == "55501"
}

/// "Sends" a code: logs it and keeps it for `GET /v1/__dev/codes`.
pub(crate) fn send_code(
    state: &AppState,
    identifier: &str,
    strategy: &str,
    purpose: &str,
    target_id: Option<String>,
) -> VerifRec {
    let now = state.now();
    let code = if is_test_identifier(identifier) {
        "424242".to_owned()
    } else {
        crate::crypto::six_digits()
    };
    let expire_at = now + state.settings.seed.instance.code_lifetime_seconds * 1000;
    state.record_code(DevCode {
        identifier: identifier.to_owned(),
        code: code.clone(),
        strategy: strategy.to_owned(),
        purpose: purpose.to_owned(),
        created_at: now,
        expire_at,
    });
    VerifRec {
        status: VerificationStatus::Unverified,
        strategy: strategy.into(),
        attempts: 0,
        expire_at,
        code: Some(code),
        target_id,
    }
}

/// Checks a code against a verification. On a wrong code the attempt is counted (the caller
/// saves `v` and then returns the error).
pub(crate) fn check_code(
    state: &AppState,
    v: &mut VerifRec,
    code: Option<&str>,
) -> Result<(), ApiErr> {
    let now = state.now();
    let code = code.map(str::trim).filter(|c| !c.is_empty());
    let Some(code) = code else {
        return Err(ApiErr::missing("code"));
    };
    if v.status == VerificationStatus::Verified {
        return Err(ApiErr::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::from("verification_already_verified"),
            "already verified",
            "This verification has already been verified.",
        ));
    }
    if v.status == VerificationStatus::Failed {
        return Err(too_many());
    }
    if v.status == VerificationStatus::Expired || now >= v.expire_at {
        v.status = VerificationStatus::Expired;
        return Err(ApiErr::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::VerificationExpired,
            "expired",
            "This verification has expired. Request a new code.",
        )
        .param("code"));
    }
    let expected = v.code.clone().unwrap_or_default();
    if crate::crypto::ct_eq(&expected, code) {
        v.status = VerificationStatus::Verified;
        return Ok(());
    }
    v.attempts += 1;
    if v.attempts >= state.settings.seed.instance.code_max_attempts {
        v.status = VerificationStatus::Failed;
        return Err(too_many());
    }
    Err(ApiErr::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::FormCodeIncorrect,
        "is incorrect",
        "Incorrect code",
    )
    .param("code"))
}

fn too_many() -> ApiErr {
    ApiErr::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::VerificationFailed,
        "failed",
        "Too many failed attempts. Request a new code.",
    )
    .param("code")
}
