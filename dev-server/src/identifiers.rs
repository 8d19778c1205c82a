//! Identifiers: finding a user by email, phone or username, and normalising phone numbers.

use crate::error::ApiResult;
use crate::store::{ident_key, Tx, UserRec};
use crate::AppState;

/// Finds a user by email, phone or username (whichever the instance signs in with).
pub(crate) fn find_user(tx: &Tx, state: &AppState, identifier: &str) -> ApiResult<Option<UserRec>> {
    let s = &state.settings;
    let key = if identifier.contains('@') {
        s.sign_in_with("email_address")
            .then(|| ident_key("email", identifier))
    } else if identifier.trim().starts_with('+') {
        s.sign_in_with("phone_number")
            .then(|| ident_key("phone", &normalize_phone(identifier)))
    } else {
        s.sign_in_with("username")
            .then(|| ident_key("username", identifier))
    };
    let Some(key) = key else { return Ok(None) };
    match tx.key(&key)? {
        Some(id) => tx.get::<UserRec>(&id),
        None => Ok(None),
    }
}

/// `+1 (555) 555-0100` → `+15555550100`.
pub(crate) fn normalize_phone(phone: &str) -> String {
    let digits: String = phone.chars().filter(|c| c.is_ascii_digit()).collect();
    format!("+{digits}")
}
