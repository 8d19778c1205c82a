//! What the instance's settings allow: the sign-in factors a user can use, the identifiers a
//! sign-in accepts, and the fields a sign-up needs. `render` shows these; the sign-in and sign-up
//! routes decide with them.

use clerk_core::wire::{IdentifierKind, SignInFactor, Strategy, VerificationStatus};

use crate::store::{SignUpRec, UserRec};
use crate::AppState;

/// The fields of a sign-up, by state (attribute names such as `email_address`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SignUpFields {
    /// Fields the instance requires.
    pub required: Vec<String>,
    /// Fields the instance accepts but does not require.
    pub optional: Vec<String>,
    /// Required fields not given yet.
    pub missing: Vec<String>,
    /// Given fields (email, phone) not verified yet.
    pub unverified: Vec<String>,
}

/// The identifier partly masked (`a***@example.com`, `+1*******0100`).
pub fn safe_identifier(value: &str) -> String {
    if let Some((local, domain)) = value.split_once('@') {
        let first: String = local.chars().take(1).collect();
        format!("{first}***@{domain}")
    } else if value.starts_with('+') && value.len() > 5 {
        let tail = &value[value.len() - 4..];
        format!("+{}{tail}", "*".repeat(value.len() - 5))
    } else {
        value.to_owned()
    }
}

/// The first factors a user can use.
pub fn first_factors(state: &AppState, u: &UserRec) -> Vec<SignInFactor> {
    let s = &state.settings;
    let mut out = Vec::new();
    if u.password_hash.is_some() && s.enabled("password") {
        out.push(SignInFactor::new(Strategy::Password));
    }
    if s.sign_in_with("email_address") {
        for e in u.emails.iter().filter(|e| e.verified) {
            let mut f = SignInFactor::new(Strategy::EmailCode);
            f.safe_identifier = Some(safe_identifier(&e.value));
            f.email_address_id = Some(e.id.clone());
            f.primary = Some(u.primary_email_id.as_deref() == Some(&e.id));
            out.push(f);
        }
    }
    if s.sign_in_with("phone_number") {
        for p in u.phones.iter().filter(|p| p.verified) {
            let mut f = SignInFactor::new(Strategy::PhoneCode);
            f.safe_identifier = Some(safe_identifier(&p.value));
            f.phone_number_id = Some(p.id.clone());
            f.primary = Some(u.primary_phone_id.as_deref() == Some(&p.id));
            out.push(f);
        }
    }
    if u.password_hash.is_some() && s.enabled("password") {
        for e in u.emails.iter().filter(|e| e.verified) {
            let mut f = SignInFactor::new(Strategy::ResetPasswordEmailCode);
            f.safe_identifier = Some(safe_identifier(&e.value));
            f.email_address_id = Some(e.id.clone());
            f.primary = Some(u.primary_email_id.as_deref() == Some(&e.id));
            out.push(f);
        }
    }
    out
}

/// The second factors a user can use.
pub fn second_factors(state: &AppState, u: &UserRec) -> Vec<SignInFactor> {
    let mfa = &state.settings.seed.mfa;
    let mut out = Vec::new();
    if u.totp_secret.is_some() && mfa.totp {
        out.push(SignInFactor::new(Strategy::Totp));
    }
    if mfa.phone_code {
        for p in u.phones.iter().filter(|p| p.second_factor && p.verified) {
            let mut f = SignInFactor::new(Strategy::PhoneCode);
            f.safe_identifier = Some(safe_identifier(&p.value));
            f.phone_number_id = Some(p.id.clone());
            f.default = Some(true);
            out.push(f);
        }
    }
    if !u.backup_codes.is_empty() && mfa.backup_code {
        out.push(SignInFactor::new(Strategy::BackupCode));
    }
    out
}

/// Identifier kinds the instance accepts at sign-in.
pub fn supported_identifiers(state: &AppState) -> Vec<IdentifierKind> {
    ["email_address", "phone_number", "username"]
        .into_iter()
        .filter(|n| state.settings.sign_in_with(n))
        .map(IdentifierKind::from)
        .collect()
}

/// The required, optional, missing and unverified fields of a sign-up.
pub fn sign_up_fields(state: &AppState, su: &SignUpRec) -> SignUpFields {
    let s = &state.settings;
    let mut required = Vec::new();
    let mut optional = Vec::new();
    for name in [
        "email_address",
        "phone_number",
        "username",
        "password",
        "first_name",
        "last_name",
    ] {
        if s.required(name) {
            required.push(name.to_owned());
        } else if s.enabled(name) {
            optional.push(name.to_owned());
        }
    }
    let given = |name: &str| match name {
        "email_address" => su.email_address.is_some(),
        "phone_number" => su.phone_number.is_some(),
        "username" => su.username.is_some(),
        "password" => su.password_hash.is_some(),
        "first_name" => su.first_name.is_some(),
        "last_name" => su.last_name.is_some(),
        "legal_accepted" => su.legal_accepted_at.is_some(),
        _ => true,
    };
    if s.seed.instance.legal_consent {
        required.push("legal_accepted".to_owned());
    }
    let missing = required.iter().filter(|n| !given(n)).cloned().collect();
    let mut unverified = Vec::new();
    if su.email_address.is_some()
        && su
            .email_verif
            .as_ref()
            .is_some_and(|v| v.status != VerificationStatus::Verified)
    {
        unverified.push("email_address".to_owned());
    }
    if su.phone_number.is_some()
        && su
            .phone_verif
            .as_ref()
            .is_some_and(|v| v.status != VerificationStatus::Verified)
    {
        unverified.push("phone_number".to_owned());
    }
    SignUpFields {
        required,
        optional,
        missing,
        unverified,
    }
}
