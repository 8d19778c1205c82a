use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{IdentifierKind, SignInStatus, Strategy, Verification};

/// A sign-in attempt in progress (FAPI `SignIn`).
///
/// ```
/// use clerk_core::wire::{SignIn, SignInStatus, Strategy};
/// let s: SignIn = serde_json::from_str(r#"{"object":"sign_in_attempt","id":"sia_1",
///   "status":"needs_first_factor","supported_identifiers":["email_address"],
///   "supported_first_factors":[{"strategy":"password"},{"strategy":"email_code",
///   "email_address_id":"idn_1","safe_identifier":"a***@b.c"}],"identifier":"a@b.c"}"#).unwrap();
/// assert_eq!(s.status, SignInStatus::NeedsFirstFactor);
/// assert_eq!(s.first_factor(&Strategy::EmailCode).unwrap().email_address_id.as_deref(), Some("idn_1"));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "object", rename = "sign_in_attempt")]
pub struct SignIn {
    /// `sia_…`.
    pub id: String,
    /// What the sign-in needs next.
    pub status: SignInStatus,
    /// Identifiers the instance accepts.
    #[serde(default)]
    pub supported_identifiers: Vec<IdentifierKind>,
    /// First factors the identified user can use.
    #[serde(default)]
    pub supported_first_factors: Option<Vec<SignInFactor>>,
    /// Second factors the identified user can use.
    #[serde(default)]
    pub supported_second_factors: Option<Vec<SignInFactor>>,
    /// State of the first-factor verification.
    #[serde(default)]
    pub first_factor_verification: Option<Verification>,
    /// State of the second-factor verification.
    #[serde(default)]
    pub second_factor_verification: Option<Verification>,
    /// The identifier given.
    #[serde(default)]
    pub identifier: Option<String>,
    /// Name and image of the identified user.
    #[serde(default)]
    pub user_data: Option<SignInUserData>,
    /// Set when the status is `complete`.
    #[serde(default)]
    pub created_session_id: Option<String>,
    /// When the attempt is abandoned.
    #[serde(default, with = "chrono::serde::ts_milliseconds_option")]
    pub abandon_at: Option<DateTime<Utc>>,
    /// Whether the client is trusted (`new`, `known`, `pending`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_trust_state: Option<String>,
}

impl SignIn {
    /// The supported first factor with this strategy.
    pub fn first_factor(&self, strategy: &Strategy) -> Option<&SignInFactor> {
        find_factor(self.supported_first_factors.as_deref(), strategy)
    }

    /// The supported second factor with this strategy.
    pub fn second_factor(&self, strategy: &Strategy) -> Option<&SignInFactor> {
        find_factor(self.supported_second_factors.as_deref(), strategy)
    }
}

fn find_factor<'a>(factors: Option<&'a [SignInFactor]>, s: &Strategy) -> Option<&'a SignInFactor> {
    factors?.iter().find(|f| &f.strategy == s)
}

/// A factor a sign-in may use (FAPI `SignInFactor`).
///
/// ```
/// use clerk_core::wire::{SignInFactor, Strategy};
/// let f = SignInFactor::new(Strategy::Totp);
/// assert_eq!(serde_json::to_string(&f).unwrap(), r#"{"strategy":"totp"}"#);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignInFactor {
    /// The strategy.
    pub strategy: Strategy,
    /// The identifier, partly masked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safe_identifier: Option<String>,
    /// Email address to send a code to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_address_id: Option<String>,
    /// Phone number to send a code to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number_id: Option<String>,
    /// Web3 wallet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web3_wallet_id: Option<String>,
    /// Passkey.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passkey_id: Option<String>,
    /// Whether this identification is the user's primary one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary: Option<bool>,
    /// Whether this is the default second factor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<bool>,
}

impl SignInFactor {
    /// A factor with only a strategy.
    pub fn new(strategy: Strategy) -> Self {
        Self {
            strategy,
            safe_identifier: None,
            email_address_id: None,
            phone_number_id: None,
            web3_wallet_id: None,
            passkey_id: None,
            primary: None,
            default: None,
        }
    }
}

/// Name and image of the user a sign-in identified.
///
/// ```
/// use clerk_core::wire::SignInUserData;
/// let d: SignInUserData = serde_json::from_str("{}").unwrap();
/// assert!(!d.has_image);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SignInUserData {
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Avatar URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// Whether an image was uploaded.
    #[serde(default)]
    pub has_image: bool,
}
