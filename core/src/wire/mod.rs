//! Wire types of Clerk's Frontend API (FAPI 2026-05-12), the browser-SDK part.
//!
//! Names drop the spec's prefixes (`Client.Session-2` is [`Session`]). Timestamps are
//! milliseconds on the wire and [`chrono::DateTime<Utc>`](chrono::DateTime) here. Every string
//! enum keeps unknown values (see [`SessionStatus::Unknown`]). Fields the spec marks optional
//! default when missing; identifiers and the fields the SDK relies on are required, so a
//! truncated payload is a decode error rather than a silently empty object.

mod client;
mod enums;
mod envelope;
mod environment;
mod mfa;
mod organization;
mod sign_in;
mod sign_up;
mod user;

pub use client::{
    Actor, Client, Session, SessionActivity, SessionTask, SessionWithActivities, Token,
};
pub use enums::{
    ErrorCode, IdentifierKind, InstanceType, NextAction, SessionStatus, SessionTaskKey,
    SignInStatus, SignUpStatus, Strategy, VerificationStatus,
};
pub use envelope::{
    ApiError, DeletedObject, DevBrowser, Envelope, ErrorEnvelope, ErrorMeta, Paginated,
};
pub use environment::{
    AttributeSettings, AuthConfig, DisplayConfig, Environment, OrganizationSettings,
    PasswordProblem, PasswordSettings, SecondFactorSettings, SignInSettings, SignUpSettings,
    UserSettings,
};
pub use mfa::{BackupCodes, Totp};
pub use organization::{
    Organization, OrganizationInvitation, OrganizationMembership, Permission,
    PublicOrganizationData, Role,
};
pub use sign_in::{SignIn, SignInFactor, SignInUserData};
pub use sign_up::{SignUp, SignUpVerifications};
pub use user::{EmailAddress, IdentificationLink, PhoneNumber, PublicUserData, User, Verification};

/// Free-form JSON metadata (`public_metadata`, `unsafe_metadata`).
///
/// ```
/// use clerk_core::wire::Metadata;
/// let mut m = Metadata::new();
/// m.insert("plan".into(), "pro".into());
/// ```
pub type Metadata = serde_json::Map<String, serde_json::Value>;
