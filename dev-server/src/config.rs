//! Instance settings and seed data, read from a TOML seed file (see `seed.toml` for the format).

use std::collections::BTreeMap;

use clerk_core::wire::PasswordSettings;
use serde::Deserialize;

use crate::error::StartupError;

/// The whole seed file.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// Instance-wide settings.
    #[serde(default)]
    pub instance: InstanceSeed,
    /// Per user attribute: on/required/sign-in use.
    #[serde(default)]
    pub attributes: BTreeMap<String, AttributeSeed>,
    /// Multi-factor authentication.
    #[serde(default)]
    pub mfa: MfaSeed,
    /// Password rules (Clerk's `password_settings`; missing keys keep Clerk's defaults).
    #[serde(default)]
    pub password: Option<toml::Table>,
    /// Lockout after failed attempts.
    #[serde(default)]
    pub lockout: LockoutSeed,
    /// Organizations.
    #[serde(default)]
    pub organizations: OrganizationsSeed,
    /// Custom organization roles.
    #[serde(default)]
    pub roles: Vec<RoleSeed>,
    /// JWT templates.
    #[serde(default)]
    pub jwt_templates: Vec<TemplateSeed>,
    /// Users created on first start.
    #[serde(default)]
    pub users: Vec<UserSeed>,
    /// Organizations created on first start.
    #[serde(default)]
    pub orgs: Vec<OrgSeed>,
}

/// `[instance]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InstanceSeed {
    /// Shown by the prebuilt components.
    pub application_name: String,
    /// One session per client.
    pub single_session_mode: bool,
    /// Session token lifetime.
    pub token_lifetime_seconds: i64,
    /// Session lifetime.
    pub session_lifetime_seconds: i64,
    /// Inactivity timeout (0: off).
    pub inactivity_timeout_seconds: i64,
    /// `public` or `restricted`.
    pub sign_up_mode: String,
    /// How long a one-time code lives.
    pub code_lifetime_seconds: i64,
    /// Wrong codes allowed before a verification fails.
    pub code_max_attempts: i64,
    /// Sign-ups must accept the legal terms (`legal_accepted`).
    pub legal_consent: bool,
    /// The terms of service shown with the legal consent.
    pub terms_url: Option<String>,
    /// The privacy policy shown with the legal consent.
    pub privacy_policy_url: Option<String>,
}

impl Default for InstanceSeed {
    fn default() -> Self {
        Self {
            application_name: "clerk-dev-server".into(),
            single_session_mode: false,
            token_lifetime_seconds: 60,
            session_lifetime_seconds: 7 * 24 * 3600,
            inactivity_timeout_seconds: 0,
            sign_up_mode: "public".into(),
            code_lifetime_seconds: 600,
            code_max_attempts: 3,
            legal_consent: false,
            terms_url: None,
            privacy_policy_url: None,
        }
    }
}

/// One entry of `[attributes]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributeSeed {
    /// Users may have it (default true when listed).
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Users must have it.
    #[serde(default)]
    pub required: bool,
    /// It identifies users at sign-in.
    #[serde(default)]
    pub sign_in: bool,
    /// Verification strategies (`email_code`, `phone_code`).
    #[serde(default)]
    pub verifications: Vec<String>,
}

fn yes() -> bool {
    true
}

/// `[mfa]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MfaSeed {
    /// Authenticator apps.
    pub totp: bool,
    /// SMS codes.
    pub phone_code: bool,
    /// Backup codes.
    pub backup_code: bool,
    /// Every user must have a second factor.
    pub required: bool,
}

/// `[lockout]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LockoutSeed {
    /// Whether lockout is on.
    pub enabled: bool,
    /// Failed attempts before the lockout.
    pub max_attempts: i64,
    /// How long it lasts.
    pub duration_minutes: i64,
}

impl Default for LockoutSeed {
    fn default() -> Self {
        Self {
            enabled: true,
            max_attempts: 10,
            duration_minutes: 60,
        }
    }
}

/// `[organizations]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OrganizationsSeed {
    /// Whether organizations are on.
    pub enabled: bool,
    /// Members per organization (0: unlimited).
    pub max_allowed_memberships: i64,
    /// No personal account: sessions get a `choose-organization` task until an org is active.
    pub force_organization_selection: bool,
    /// Role of an organization's creator.
    pub creator_role: String,
    /// Role given by default to invited members.
    pub default_role: String,
}

impl Default for OrganizationsSeed {
    fn default() -> Self {
        Self {
            enabled: false,
            max_allowed_memberships: 0,
            force_organization_selection: false,
            creator_role: "org:admin".into(),
            default_role: "org:member".into(),
        }
    }
}

/// One `[[roles]]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleSeed {
    /// Key, `org:` prefixed.
    pub key: String,
    /// Display name.
    pub name: String,
    /// Permission keys (`org:feature:permission`).
    #[serde(default)]
    pub permissions: Vec<String>,
}

/// One `[[jwt_templates]]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateSeed {
    /// Name used in `…/tokens/{name}`.
    pub name: String,
    /// Lifetime in seconds.
    #[serde(default = "sixty")]
    pub lifetime_seconds: i64,
    /// Custom claims; strings may use `{{user.id}}`-style shortcodes.
    #[serde(default)]
    pub claims: toml::Table,
}

fn sixty() -> i64 {
    60
}

/// One `[[users]]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSeed {
    /// Fixed id (default: random).
    pub id: Option<String>,
    /// Email address (verified).
    pub email: Option<String>,
    /// More email addresses (verified).
    #[serde(default)]
    pub emails: Vec<String>,
    /// Phone number, E.164 (verified).
    pub phone: Option<String>,
    /// Username.
    pub username: Option<String>,
    /// Password (hashed on import).
    pub password: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Public metadata.
    #[serde(default)]
    pub public_metadata: Option<toml::Table>,
    /// Unsafe metadata.
    #[serde(default)]
    pub unsafe_metadata: Option<toml::Table>,
    /// Base32 TOTP secret: turns on the authenticator-app second factor.
    pub totp_secret: Option<String>,
    /// Backup codes.
    #[serde(default)]
    pub backup_codes: Vec<String>,
    /// Use the phone number as a second factor.
    #[serde(default)]
    pub phone_second_factor: bool,
}

/// One `[[orgs]]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgSeed {
    /// Fixed id (default: random).
    pub id: Option<String>,
    /// Name.
    pub name: String,
    /// Slug (default: from the name).
    pub slug: Option<String>,
    /// Public metadata.
    #[serde(default)]
    pub public_metadata: Option<toml::Table>,
    /// Members: `{ user = "<email, username or id>", role = "org:admin" }`.
    #[serde(default)]
    pub members: Vec<MemberSeed>,
}

/// A member of an `[[orgs]]` entry.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberSeed {
    /// Email, username or id of a seeded user.
    pub user: String,
    /// Role key.
    pub role: String,
}

/// A role with its permissions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    /// Key (`org:admin`).
    pub key: String,
    /// Display name.
    pub name: String,
    /// Permission keys.
    pub permissions: Vec<String>,
}

/// The settings the server runs with, derived from a [`Seed`].
#[derive(Clone, Debug)]
pub struct Settings {
    /// The seed as read.
    pub seed: Seed,
    /// Password rules.
    pub password: PasswordSettings,
    /// Roles: Clerk's defaults plus the seed's.
    pub roles: Vec<Role>,
}

/// Clerk's system permissions of the default admin role.
pub const ADMIN_PERMISSIONS: &[&str] = &[
    "org:sys_profile:manage",
    "org:sys_profile:delete",
    "org:sys_memberships:read",
    "org:sys_memberships:manage",
    "org:sys_domains:read",
    "org:sys_domains:manage",
];

impl Settings {
    /// Settings from seed text (TOML).
    pub fn from_toml(text: &str) -> Result<Self, StartupError> {
        let seed: Seed = toml::from_str(text)?;
        Self::from_seed(seed)
    }

    /// Settings from a parsed seed.
    pub fn from_seed(mut seed: Seed) -> Result<Self, StartupError> {
        if seed.attributes.is_empty() {
            seed.attributes = default_attributes();
        }
        let password = match &seed.password {
            None => PasswordSettings::default(),
            Some(table) => {
                let json = serde_json::to_value(table).map_err(StartupError::PasswordSettings)?;
                serde_json::from_value(json).map_err(StartupError::PasswordSettings)?
            }
        };
        let mut roles = vec![
            Role {
                key: "org:admin".into(),
                name: "Admin".into(),
                permissions: ADMIN_PERMISSIONS.iter().map(|s| s.to_string()).collect(),
            },
            Role {
                key: "org:member".into(),
                name: "Member".into(),
                permissions: vec!["org:sys_memberships:read".into()],
            },
        ];
        for r in &seed.roles {
            if !r.key.starts_with("org:") {
                return Err(StartupError::SeedData(format!(
                    "seed: role key `{}` must start with `org:`",
                    r.key
                )));
            }
            roles.retain(|x| x.key != r.key);
            roles.push(Role {
                key: r.key.clone(),
                name: r.name.clone(),
                permissions: r.permissions.clone(),
            });
        }
        if seed.instance.token_lifetime_seconds <= 0 {
            return Err(StartupError::SeedData(
                "seed: token_lifetime_seconds must be positive".into(),
            ));
        }
        Ok(Self {
            seed,
            password,
            roles,
        })
    }

    /// The role with this key.
    pub fn role(&self, key: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.key == key)
    }

    /// The settings of an attribute, if on.
    pub fn attribute(&self, name: &str) -> Option<&AttributeSeed> {
        self.seed.attributes.get(name).filter(|a| a.enabled)
    }

    /// Whether an attribute is on.
    pub fn enabled(&self, name: &str) -> bool {
        self.attribute(name).is_some()
    }

    /// Whether an attribute is required.
    pub fn required(&self, name: &str) -> bool {
        self.attribute(name).is_some_and(|a| a.required)
    }

    /// Whether an attribute identifies users at sign-in.
    pub fn sign_in_with(&self, name: &str) -> bool {
        self.attribute(name).is_some_and(|a| a.sign_in)
    }

    /// The JWT template with this name.
    pub fn template(&self, name: &str) -> Option<&TemplateSeed> {
        self.seed.jwt_templates.iter().find(|t| t.name == name)
    }
}

fn default_attributes() -> BTreeMap<String, AttributeSeed> {
    let mut m = BTreeMap::new();
    m.insert(
        "email_address".into(),
        AttributeSeed {
            enabled: true,
            required: true,
            sign_in: true,
            verifications: vec!["email_code".into()],
        },
    );
    m.insert(
        "password".into(),
        AttributeSeed {
            enabled: true,
            required: true,
            sign_in: false,
            verifications: vec![],
        },
    );
    m
}
