use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{ApiError, Metadata, NextAction, OrganizationMembership, Strategy, VerificationStatus};

/// The signed-in user (FAPI `User`).
///
/// ```
/// use clerk_core::wire::User;
/// let user: User = serde_json::from_str(r#"{"object":"user","id":"user_1","first_name":"Ada",
///   "last_name":"Lovelace","email_addresses":[{"id":"idn_1","email_address":"ada@example.com",
///   "verification":null,"linked_to":[]}],"primary_email_address_id":"idn_1",
///   "created_at":1,"updated_at":1}"#).unwrap();
/// assert_eq!(user.full_name().as_deref(), Some("Ada Lovelace"));
/// assert_eq!(user.primary_email_address().unwrap().email_address, "ada@example.com");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "object", rename = "user")]
pub struct User {
    /// `user_…`.
    pub id: String,
    /// Your own id for this user, if set from the backend.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Username, if the instance uses usernames.
    #[serde(default)]
    pub username: Option<String>,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Avatar URL (Clerk's generated default when the user set none).
    #[serde(default)]
    pub image_url: String,
    /// Whether the user uploaded an image.
    #[serde(default)]
    pub has_image: bool,
    /// Id of the primary email address.
    #[serde(default)]
    pub primary_email_address_id: Option<String>,
    /// Id of the primary phone number.
    #[serde(default)]
    pub primary_phone_number_id: Option<String>,
    /// Id of the primary web3 wallet.
    #[serde(default)]
    pub primary_web3_wallet_id: Option<String>,
    /// Whether the user has a password.
    #[serde(default)]
    pub password_enabled: bool,
    /// Whether any second factor is on.
    #[serde(default)]
    pub two_factor_enabled: bool,
    /// Whether an authenticator app is set up.
    #[serde(default)]
    pub totp_enabled: bool,
    /// Whether backup codes exist.
    #[serde(default)]
    pub backup_code_enabled: bool,
    /// Email addresses.
    #[serde(default)]
    pub email_addresses: Vec<EmailAddress>,
    /// Phone numbers.
    #[serde(default)]
    pub phone_numbers: Vec<PhoneNumber>,
    /// Web3 wallets, as sent.
    #[serde(default)]
    pub web3_wallets: Vec<serde_json::Value>,
    /// Passkeys, as sent.
    #[serde(default)]
    pub passkeys: Vec<serde_json::Value>,
    /// Connected OAuth accounts, as sent.
    #[serde(default)]
    pub external_accounts: Vec<serde_json::Value>,
    /// SAML accounts, as sent.
    #[serde(default)]
    pub saml_accounts: Vec<serde_json::Value>,
    /// Enterprise SSO accounts, as sent.
    #[serde(default)]
    pub enterprise_accounts: Vec<serde_json::Value>,
    /// The user's organization memberships (used to resolve the active organization).
    #[serde(default)]
    pub organization_memberships: Vec<OrganizationMembership>,
    /// Metadata the backend sets and everyone can read.
    #[serde(default)]
    pub public_metadata: Metadata,
    /// Metadata the user may write from the browser.
    #[serde(default)]
    pub unsafe_metadata: Metadata,
    /// Last sign-in time.
    #[serde(default, with = "chrono::serde::ts_milliseconds_option")]
    pub last_sign_in_at: Option<DateTime<Utc>>,
    /// Last activity.
    #[serde(default, with = "chrono::serde::ts_milliseconds_option")]
    pub last_active_at: Option<DateTime<Utc>>,
    /// Whether the user is banned.
    #[serde(default)]
    pub banned: bool,
    /// Whether the user is locked out after failed attempts.
    #[serde(default)]
    pub locked: bool,
    /// Seconds until the lockout ends.
    #[serde(default)]
    pub lockout_expires_in_seconds: Option<i64>,
    /// Verification attempts left before a lockout.
    #[serde(default)]
    pub verification_attempts_remaining: Option<i64>,
    /// Whether the user may delete their own account.
    #[serde(default)]
    pub delete_self_enabled: bool,
    /// Whether the user may create organizations.
    #[serde(default)]
    pub create_organization_enabled: bool,
    /// How many organizations the user may create, if limited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_organizations_limit: Option<i64>,
    /// When multi-factor authentication was turned on.
    #[serde(default, with = "chrono::serde::ts_milliseconds_option")]
    pub mfa_enabled_at: Option<DateTime<Utc>>,
    /// When multi-factor authentication was turned off.
    #[serde(default, with = "chrono::serde::ts_milliseconds_option")]
    pub mfa_disabled_at: Option<DateTime<Utc>>,
    /// When the user accepted the legal terms.
    #[serde(default, with = "chrono::serde::ts_milliseconds_option")]
    pub legal_accepted_at: Option<DateTime<Utc>>,
    /// When the password was last changed.
    #[serde(
        default,
        with = "chrono::serde::ts_milliseconds_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub password_last_updated_at: Option<DateTime<Utc>>,
    /// Creation time.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub created_at: DateTime<Utc>,
    /// Last update time.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub updated_at: DateTime<Utc>,
}

impl User {
    /// The primary email address.
    pub fn primary_email_address(&self) -> Option<&EmailAddress> {
        let id = self.primary_email_address_id.as_deref()?;
        self.email_addresses.iter().find(|e| e.id == id)
    }

    /// The primary phone number.
    pub fn primary_phone_number(&self) -> Option<&PhoneNumber> {
        let id = self.primary_phone_number_id.as_deref()?;
        self.phone_numbers.iter().find(|p| p.id == id)
    }

    /// First and last name joined by a space, if either is set.
    pub fn full_name(&self) -> Option<String> {
        join_names(self.first_name.as_deref(), self.last_name.as_deref())
    }

    /// What to show for this user: full name, else username, else primary email, else phone.
    pub fn display_name(&self) -> String {
        self.full_name()
            .or_else(|| self.username.clone().filter(|u| !u.is_empty()))
            .or_else(|| {
                self.primary_email_address()
                    .map(|e| e.email_address.clone())
            })
            .or_else(|| self.primary_phone_number().map(|p| p.phone_number.clone()))
            .unwrap_or_default()
    }

    /// Up to two initials from the names, else the first letter of the display name.
    pub fn initials(&self) -> String {
        initials(
            self.first_name.as_deref(),
            self.last_name.as_deref(),
            &self.display_name(),
        )
    }

    /// The membership in this organization, if any.
    pub fn membership(&self, organization_id: &str) -> Option<&OrganizationMembership> {
        self.organization_memberships
            .iter()
            .find(|m| m.organization.id == organization_id)
    }
}

pub(crate) fn join_names(first: Option<&str>, last: Option<&str>) -> Option<String> {
    let parts: Vec<&str> = [first, last]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

pub(crate) fn initials(first: Option<&str>, last: Option<&str>, fallback: &str) -> String {
    let letter = |s: Option<&str>| s.and_then(|s| s.trim().chars().next());
    let from_names: String = [letter(first), letter(last)]
        .into_iter()
        .flatten()
        .collect();
    if from_names.is_empty() {
        letter(Some(fallback)).into_iter().collect::<String>()
    } else {
        from_names
    }
    .to_uppercase()
}

/// An email address of a user (FAPI `EmailAddress`).
///
/// ```
/// use clerk_core::wire::EmailAddress;
/// let e: EmailAddress = serde_json::from_str(r#"{"id":"idn_1","email_address":"a@b.c",
///   "verification":{"status":"verified","strategy":"email_code"},"linked_to":[]}"#).unwrap();
/// assert!(e.is_verified());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "object", rename = "email_address")]
pub struct EmailAddress {
    /// `idn_…`.
    pub id: String,
    /// The address.
    pub email_address: String,
    /// Whether the address is reserved (not yet usable).
    #[serde(default)]
    pub reserved: bool,
    /// How it was verified, if it was.
    #[serde(default)]
    pub verification: Option<Verification>,
    /// External accounts linked to this address.
    #[serde(default)]
    pub linked_to: Vec<IdentificationLink>,
    /// Whether an enterprise SSO connection matches the address's domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matches_sso_connection: Option<bool>,
    /// Creation time.
    #[serde(default, with = "chrono::serde::ts_milliseconds_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update time.
    #[serde(default, with = "chrono::serde::ts_milliseconds_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

impl EmailAddress {
    /// Whether the address is verified.
    pub fn is_verified(&self) -> bool {
        is_verified(self.verification.as_ref())
    }
}

fn is_verified(v: Option<&Verification>) -> bool {
    v.is_some_and(|v| v.status == VerificationStatus::Verified)
}

/// A phone number of a user (FAPI `PhoneNumber`).
///
/// ```
/// use clerk_core::wire::PhoneNumber;
/// let p: PhoneNumber = serde_json::from_str(r#"{"id":"idn_2","phone_number":"+15555550100",
///   "verification":null,"linked_to":[]}"#).unwrap();
/// assert!(!p.is_verified());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "object", rename = "phone_number")]
pub struct PhoneNumber {
    /// `idn_…`.
    pub id: String,
    /// The number, E.164.
    pub phone_number: String,
    /// Whether the number is kept for second-factor use only.
    #[serde(default)]
    pub reserved_for_second_factor: bool,
    /// Whether it is the default second factor.
    #[serde(default)]
    pub default_second_factor: bool,
    /// Whether the number is reserved.
    #[serde(default)]
    pub reserved: bool,
    /// How it was verified, if it was.
    #[serde(default)]
    pub verification: Option<Verification>,
    /// External accounts linked to this number.
    #[serde(default)]
    pub linked_to: Vec<IdentificationLink>,
    /// Backup codes, only in the response that creates them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_codes: Option<Vec<String>>,
    /// Creation time.
    #[serde(default, with = "chrono::serde::ts_milliseconds_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update time.
    #[serde(default, with = "chrono::serde::ts_milliseconds_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

impl PhoneNumber {
    /// Whether the number is verified.
    pub fn is_verified(&self) -> bool {
        is_verified(self.verification.as_ref())
    }
}

/// A link from an identification to another object (`{type, id}`).
///
/// ```
/// use clerk_core::wire::IdentificationLink;
/// let l = IdentificationLink { kind: "oauth_google".into(), id: "idn_3".into() };
/// assert_eq!(serde_json::to_string(&l).unwrap(), r#"{"type":"oauth_google","id":"idn_3"}"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentificationLink {
    /// The kind of linked object.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its id.
    pub id: String,
}

/// The state of one verification: of an email, a phone, or a sign-in/sign-up factor
/// (FAPI `Verification` stubs).
///
/// ```
/// use clerk_core::wire::{Verification, VerificationStatus, Strategy};
/// let v: Verification = serde_json::from_str(r#"{"status":"unverified","strategy":"email_code",
///   "attempts":0,"expire_at":1735690200000}"#).unwrap();
/// assert_eq!(v.strategy, Strategy::EmailCode);
/// assert_eq!(v.status, VerificationStatus::Unverified);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verification {
    /// Where the verification stands.
    pub status: VerificationStatus,
    /// How it is verified.
    #[serde(default = "unknown_strategy")]
    pub strategy: Strategy,
    /// Failed attempts so far.
    #[serde(default)]
    pub attempts: Option<i64>,
    /// When the code or link expires.
    #[serde(default, with = "chrono::serde::ts_milliseconds_option")]
    pub expire_at: Option<DateTime<Utc>>,
    /// A nonce to sign (web3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    /// A message to sign or show.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Where to send the user for an external verification (OAuth).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_verification_redirect_url: Option<String>,
    /// The channel a code was sent through (`sms`, `whatsapp`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// The error of a failed verification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
    /// Whether the verification was completed on another client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_at_client: Option<String>,
    /// Sign-up verifications only: what to do next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_action: Option<NextAction>,
    /// Sign-up verifications only: the strategies that can verify this field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supported_strategies: Option<Vec<String>>,
}

fn unknown_strategy() -> Strategy {
    Strategy::Unknown(String::new())
}

/// What everyone may see of a user (FAPI `PublicUserData`).
///
/// ```
/// use clerk_core::wire::PublicUserData;
/// let p: PublicUserData = serde_json::from_str(
///     r#"{"first_name":null,"last_name":null,"identifier":"ada@example.com","has_image":false}"#,
/// ).unwrap();
/// assert_eq!(p.display_name(), "ada@example.com");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PublicUserData {
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Avatar URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// Whether the user uploaded an image.
    #[serde(default)]
    pub has_image: bool,
    /// The identifier used to sign in (email, phone or username).
    #[serde(default)]
    pub identifier: String,
    /// The user's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The username.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Whether the user is banned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub banned: Option<bool>,
    /// Whether the user was deprovisioned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprovisioned: Option<bool>,
}

impl PublicUserData {
    /// Full name if set, else the identifier.
    pub fn display_name(&self) -> String {
        join_names(self.first_name.as_deref(), self.last_name.as_deref())
            .unwrap_or_else(|| self.identifier.clone())
    }

    /// Up to two initials.
    pub fn initials(&self) -> String {
        initials(
            self.first_name.as_deref(),
            self.last_name.as_deref(),
            &self.identifier,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_fall_back_to_the_identifier() {
        assert_eq!(initials(Some("ada"), Some("lovelace"), "x"), "AL");
        assert_eq!(initials(None, Some(" "), "bob@x.y"), "B");
        assert_eq!(initials(None, None, ""), "");
    }

    #[test]
    fn names_join_without_blanks() {
        assert_eq!(join_names(Some("A"), None).as_deref(), Some("A"));
        assert_eq!(join_names(Some(" "), Some("")), None);
    }
}
