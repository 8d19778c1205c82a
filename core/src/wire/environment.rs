use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::InstanceType;

type Extra = serde_json::Map<String, serde_json::Value>;

/// The instance's configuration, as `GET /v1/environment` answers it (FAPI `Environment`).
///
/// The settings the SDK reads are typed; everything else the server sends is kept in the
/// `extra` maps, so nothing is lost when an environment is decoded and encoded again.
///
/// ```
/// use clerk_core::wire::Environment;
/// let env: Environment = serde_json::from_str(r#"{"auth_config":{"single_session_mode":true},
///   "user_settings":{"attributes":{"email_address":{"enabled":true,"required":true,
///   "used_for_first_factor":true,"first_factors":["email_code"]}}}}"#).unwrap();
/// assert!(env.auth_config.single_session_mode);
/// assert!(env.user_settings.attribute("email_address").enabled);
/// assert!(!env.user_settings.attribute("phone_number").enabled);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Environment {
    /// Authentication settings.
    #[serde(default)]
    pub auth_config: AuthConfig,
    /// Names, URLs and branding.
    #[serde(default)]
    pub display_config: DisplayConfig,
    /// What users have and how they sign in and up.
    #[serde(default)]
    pub user_settings: UserSettings,
    /// Organizations.
    #[serde(default)]
    pub organization_settings: OrganizationSettings,
    /// Whether the instance is in maintenance.
    #[serde(default)]
    pub maintenance_mode: bool,
    /// Everything else, as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `auth_config` of the [`Environment`].
///
/// ```
/// use clerk_core::wire::AuthConfig;
/// assert!(!AuthConfig::default().single_session_mode);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AuthConfig {
    /// One session per client: a new sign-in replaces the current one.
    #[serde(default)]
    pub single_session_mode: bool,
    /// When the instance was claimed (keyless development).
    #[serde(default, with = "chrono::serde::ts_milliseconds_option")]
    pub claimed_at: Option<DateTime<Utc>>,
    /// Whether step-up reverification is on.
    #[serde(default)]
    pub reverification: bool,
    /// Everything else, as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `display_config` of the [`Environment`].
///
/// ```
/// use clerk_core::wire::DisplayConfig;
/// assert_eq!(DisplayConfig::default().application_name, "");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DisplayConfig {
    /// Development, production or staging.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_environment_type: Option<InstanceType>,
    /// The application's name, shown in the prebuilt components.
    #[serde(default)]
    pub application_name: String,
    /// The hosted sign-in page.
    #[serde(default)]
    pub sign_in_url: String,
    /// The hosted sign-up page.
    #[serde(default)]
    pub sign_up_url: String,
    /// The application's home.
    #[serde(default)]
    pub home_url: String,
    /// Where users go after signing in.
    #[serde(default)]
    pub after_sign_in_url: String,
    /// Where users go after signing up.
    #[serde(default)]
    pub after_sign_up_url: String,
    /// Where users go after signing out of one session.
    #[serde(default)]
    pub after_sign_out_one_url: String,
    /// Where users go after signing out of all sessions.
    #[serde(default)]
    pub after_sign_out_all_url: String,
    /// Logo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_image_url: Option<String>,
    /// Whether to show "Secured by Clerk".
    #[serde(default)]
    pub branded: bool,
    /// `password` or `otp`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_sign_in_strategy: Option<String>,
    /// Terms of service.
    #[serde(default)]
    pub terms_url: Option<String>,
    /// Privacy policy.
    #[serde(default)]
    pub privacy_policy_url: Option<String>,
    /// Everything else, as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `user_settings` of the [`Environment`].
///
/// ```
/// use clerk_core::wire::UserSettings;
/// let s = UserSettings::default();
/// assert_eq!(s.password_settings.min_length, 8);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserSettings {
    /// Per attribute (`email_address`, `phone_number`, `username`, `first_name`, `last_name`,
    /// `password`, `authenticator_app`, `backup_code`…): on, required, how it signs in.
    #[serde(default)]
    pub attributes: BTreeMap<String, AttributeSettings>,
    /// Sign-in settings.
    #[serde(default)]
    pub sign_in: SignInSettings,
    /// Sign-up settings.
    #[serde(default)]
    pub sign_up: SignUpSettings,
    /// Password rules.
    #[serde(default)]
    pub password_settings: PasswordSettings,
    /// Everything else, as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

impl UserSettings {
    /// The settings of an attribute; off when the server did not list it.
    pub fn attribute(&self, name: &str) -> AttributeSettings {
        self.attributes.get(name).cloned().unwrap_or_default()
    }

    /// Attributes that identify a user at sign-in, in Clerk's order.
    pub fn sign_in_identifiers(&self) -> Vec<&'static str> {
        ["email_address", "username", "phone_number"]
            .into_iter()
            .filter(|name| self.attribute(name).used_for_first_factor)
            .collect()
    }
}

/// One attribute of [`UserSettings`].
///
/// ```
/// use clerk_core::wire::AttributeSettings;
/// assert!(!AttributeSettings::default().required);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeSettings {
    /// Users may have it.
    #[serde(default)]
    pub enabled: bool,
    /// Users must have it.
    #[serde(default)]
    pub required: bool,
    /// It identifies the user at sign-in.
    #[serde(default)]
    pub used_for_first_factor: bool,
    /// First-factor strategies it offers.
    #[serde(default)]
    pub first_factors: Vec<String>,
    /// It can be a second factor.
    #[serde(default)]
    pub used_for_second_factor: bool,
    /// Second-factor strategies it offers.
    #[serde(default)]
    pub second_factors: Vec<String>,
    /// Strategies that verify it.
    #[serde(default)]
    pub verifications: Vec<String>,
    /// It is verified during sign-up.
    #[serde(default)]
    pub verify_at_sign_up: bool,
    /// It cannot be changed after sign-up.
    #[serde(default)]
    pub immutable: bool,
}

/// `user_settings.sign_in`.
///
/// ```
/// use clerk_core::wire::SignInSettings;
/// assert!(!SignInSettings::default().second_factor.required);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInSettings {
    /// Second-factor requirement.
    #[serde(default)]
    pub second_factor: SecondFactorSettings,
}

/// `user_settings.sign_in.second_factor`.
///
/// ```
/// use clerk_core::wire::SecondFactorSettings;
/// assert!(!SecondFactorSettings::default().required);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorSettings {
    /// Every user must set up a second factor.
    #[serde(default)]
    pub required: bool,
}

/// `user_settings.sign_up`.
///
/// ```
/// use clerk_core::wire::SignUpSettings;
/// assert_eq!(SignUpSettings::default().mode, "public");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignUpSettings {
    /// Whether sign-up asks for a captcha.
    #[serde(default)]
    pub captcha_enabled: bool,
    /// `smart` or `invisible`.
    #[serde(default = "smart")]
    pub captcha_widget_type: String,
    /// Whether a custom action is required.
    #[serde(default)]
    pub custom_action_required: bool,
    /// Whether sign-up asks for missing fields step by step.
    #[serde(default)]
    pub progressive: bool,
    /// `public`, `restricted` (invitations only) or `waitlist`.
    #[serde(default = "public")]
    pub mode: String,
    /// Whether users must accept the legal terms.
    #[serde(default)]
    pub legal_consent_enabled: bool,
}

fn smart() -> String {
    "smart".to_owned()
}

fn public() -> String {
    "public".to_owned()
}

impl Default for SignUpSettings {
    fn default() -> Self {
        Self {
            captcha_enabled: false,
            captcha_widget_type: smart(),
            custom_action_required: false,
            progressive: true,
            mode: public(),
            legal_consent_enabled: false,
        }
    }
}

/// `user_settings.password_settings`: the rules a new password must follow.
///
/// ```
/// use clerk_core::wire::PasswordSettings;
/// let rules = PasswordSettings { require_numbers: true, ..Default::default() };
/// assert!(rules.check("abcdefgh").is_err());
/// assert!(rules.check("abcdefg1").is_ok());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordSettings {
    /// Do not check Have I Been Pwned.
    #[serde(default)]
    pub disable_hibp: bool,
    /// Do not ask for the password again before sensitive changes.
    #[serde(default)]
    pub disable_password_reverification: bool,
    /// Shortest length.
    #[serde(default = "eight")]
    pub min_length: u32,
    /// Longest length.
    #[serde(default = "seventy_two")]
    pub max_length: u32,
    /// Needs a special character.
    #[serde(default)]
    pub require_special_char: bool,
    /// Needs a digit.
    #[serde(default)]
    pub require_numbers: bool,
    /// Needs an uppercase letter.
    #[serde(default)]
    pub require_uppercase: bool,
    /// Needs a lowercase letter.
    #[serde(default)]
    pub require_lowercase: bool,
    /// Show a strength meter.
    #[serde(default)]
    pub show_zxcvbn: bool,
    /// Minimal zxcvbn score.
    #[serde(default)]
    pub min_zxcvbn_strength: u32,
    /// Check breaches at sign-in too.
    #[serde(default)]
    pub enforce_hibp_on_sign_in: bool,
    /// Characters that count as special.
    #[serde(default = "specials")]
    pub allowed_special_characters: String,
}

fn eight() -> u32 {
    8
}

fn seventy_two() -> u32 {
    72
}

fn specials() -> String {
    "!\"#$%&'()*+,-./:;<=>?@[]^_`{|}~".to_owned()
}

impl Default for PasswordSettings {
    fn default() -> Self {
        Self {
            disable_hibp: false,
            disable_password_reverification: false,
            min_length: eight(),
            max_length: seventy_two(),
            require_special_char: false,
            require_numbers: false,
            require_uppercase: false,
            require_lowercase: false,
            show_zxcvbn: false,
            min_zxcvbn_strength: 0,
            enforce_hibp_on_sign_in: false,
            allowed_special_characters: specials(),
        }
    }
}

/// Why a password breaks the [`PasswordSettings`].
///
/// ```
/// use clerk_core::wire::{PasswordSettings, PasswordProblem};
/// assert_eq!(PasswordSettings::default().check("short"), Err(PasswordProblem::TooShort(8)));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PasswordProblem {
    /// Shorter than the minimum (given).
    TooShort(u32),
    /// Longer than the maximum (given).
    TooLong(u32),
    /// No digit.
    NeedsNumber,
    /// No uppercase letter.
    NeedsUppercase,
    /// No lowercase letter.
    NeedsLowercase,
    /// No special character.
    NeedsSpecialChar,
}

impl PasswordSettings {
    /// Checks a new password against the rules, as Clerk does before accepting it.
    pub fn check(&self, password: &str) -> Result<(), PasswordProblem> {
        let len = password.chars().count() as u32;
        if len < self.min_length {
            return Err(PasswordProblem::TooShort(self.min_length));
        }
        if len > self.max_length {
            return Err(PasswordProblem::TooLong(self.max_length));
        }
        let has = |f: &dyn Fn(char) -> bool| password.chars().any(f);
        if self.require_numbers && !has(&|c| c.is_ascii_digit()) {
            return Err(PasswordProblem::NeedsNumber);
        }
        if self.require_uppercase && !has(&char::is_uppercase) {
            return Err(PasswordProblem::NeedsUppercase);
        }
        if self.require_lowercase && !has(&char::is_lowercase) {
            return Err(PasswordProblem::NeedsLowercase);
        }
        if self.require_special_char && !has(&|c| self.allowed_special_characters.contains(c)) {
            return Err(PasswordProblem::NeedsSpecialChar);
        }
        Ok(())
    }
}

/// `organization_settings` of the [`Environment`].
///
/// ```
/// use clerk_core::wire::OrganizationSettings;
/// assert!(!OrganizationSettings::default().enabled);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OrganizationSettings {
    /// Whether organizations are on.
    #[serde(default)]
    pub enabled: bool,
    /// Membership limit per organization (0: unlimited).
    #[serde(default)]
    pub max_allowed_memberships: i64,
    /// Users must always have an active organization (no personal account).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force_organization_selection: Option<bool>,
    /// The role given to the creator of an organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creator_role: Option<String>,
    /// Everything else, as sent.
    #[serde(flatten)]
    pub extra: Extra,
}
