use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Metadata, SignUpStatus, Verification};

/// A sign-up attempt in progress (FAPI `SignUp`).
///
/// ```
/// use clerk_core::wire::{SignUp, SignUpStatus};
/// let s: SignUp = serde_json::from_str(r#"{"object":"sign_up_attempt","id":"sua_1",
///   "status":"missing_requirements","required_fields":["email_address","password"],
///   "optional_fields":[],"missing_fields":[],"unverified_fields":["email_address"],
///   "email_address":"a@b.c"}"#).unwrap();
/// assert_eq!(s.status, SignUpStatus::MissingRequirements);
/// assert_eq!(s.unverified_fields, ["email_address"]);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "object", rename = "sign_up_attempt")]
pub struct SignUp {
    /// `sua_…`.
    pub id: String,
    /// Where the sign-up stands.
    pub status: SignUpStatus,
    /// Fields the instance requires.
    #[serde(default)]
    pub required_fields: Vec<String>,
    /// Fields the instance accepts but does not require.
    #[serde(default)]
    pub optional_fields: Vec<String>,
    /// Required fields not given yet.
    #[serde(default)]
    pub missing_fields: Vec<String>,
    /// Given fields not verified yet.
    #[serde(default)]
    pub unverified_fields: Vec<String>,
    /// The verification of each verifiable field.
    #[serde(default)]
    pub verifications: SignUpVerifications,
    /// Username.
    #[serde(default)]
    pub username: Option<String>,
    /// Email address.
    #[serde(default)]
    pub email_address: Option<String>,
    /// Phone number.
    #[serde(default)]
    pub phone_number: Option<String>,
    /// Web3 wallet.
    #[serde(default)]
    pub web3_wallet: Option<String>,
    /// Whether a password was given.
    #[serde(default, alias = "has_password")]
    pub password_enabled: bool,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Metadata given by the browser, copied to the user.
    #[serde(default)]
    pub unsafe_metadata: Metadata,
    /// Whether a custom action is required.
    #[serde(default)]
    pub custom_action: bool,
    /// Your own id for the user to be.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Set when the status is `complete`.
    #[serde(default)]
    pub created_session_id: Option<String>,
    /// Set when the status is `complete`.
    #[serde(default)]
    pub created_user_id: Option<String>,
    /// When the attempt is abandoned.
    #[serde(default, with = "chrono::serde::ts_milliseconds_option")]
    pub abandon_at: Option<DateTime<Utc>>,
    /// When the legal terms were accepted.
    #[serde(default, with = "chrono::serde::ts_milliseconds_option")]
    pub legal_accepted_at: Option<DateTime<Utc>>,
}

/// The verifications of a sign-up, per field.
///
/// ```
/// use clerk_core::wire::SignUpVerifications;
/// assert!(SignUpVerifications::default().email_address.is_none());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SignUpVerifications {
    /// Of the email address.
    #[serde(default)]
    pub email_address: Option<Verification>,
    /// Of the phone number.
    #[serde(default)]
    pub phone_number: Option<Verification>,
    /// Of the web3 wallet.
    #[serde(default)]
    pub web3_wallet: Option<Verification>,
    /// Of the external account.
    #[serde(default)]
    pub external_account: Option<Verification>,
}
