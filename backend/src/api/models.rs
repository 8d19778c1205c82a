//! The Backend API's objects, written by hand and lenient: every optional field defaults, unknown
//! fields are kept in `extra`, unknown enum values in `Unknown`, so a new field or value on Clerk's
//! side never breaks decoding (the top complaint about generated Clerk SDKs).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use clerk_core::wire::{PublicUserData, SessionStatus, Verification};

/// A string enum that keeps unknown values.
macro_rules! api_enum {
    ($(#[$meta:meta])* $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $wire:literal ),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version does not know, as Clerk sent it.
            Unknown(String),
        }
        impl $name {
            /// The value on the wire.
            pub fn as_str(&self) -> &str {
                match self { $( Self::$variant => $wire, )+ Self::Unknown(s) => s }
            }
        }
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> { s.serialize_str(self.as_str()) }
        }
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = Option::<String>::deserialize(d)?.unwrap_or_default();
                Ok(match s.as_str() { $( $wire => Self::$variant, )+ _ => Self::Unknown(s) })
            }
        }
        impl Default for $name {
            fn default() -> Self { Self::Unknown(String::new()) }
        }
    };
}

api_enum! {
    /// An invitation's status.
    ///
    /// ```
    /// use clerk_backend::api::InvitationStatus;
    /// let s: InvitationStatus = serde_json::from_str("\"pending\"").unwrap();
    /// assert_eq!(s, InvitationStatus::Pending);
    /// let new: InvitationStatus = serde_json::from_str("\"brand_new\"").unwrap();
    /// assert_eq!(new.as_str(), "brand_new");
    /// ```
    InvitationStatus {
        /// Sent, not yet answered.
        Pending = "pending",
        /// Accepted.
        Accepted = "accepted",
        /// Revoked.
        Revoked = "revoked",
        /// Expired.
        Expired = "expired",
    }
}

/// Declares a lenient object: all fields `#[serde(default)]`, unknown ones in `extra`.
macro_rules! api_object {
    ($(#[$meta:meta])* $name:ident { $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
        #[non_exhaustive]
        pub struct $name {
            $( $(#[$fmeta])* #[serde(default)] pub $field: $ty, )+
            /// Fields this version does not know, kept as Clerk sent them.
            #[serde(flatten)]
            pub extra: Map<String, Value>,
        }
    };
}

api_object! {
    /// A user (`GET /users/{id}`).
    ///
    /// ```
    /// let u: clerk_backend::api::User = serde_json::from_str(r#"{"id":"user_1","first_name":"Ada","brand_new_field":1}"#).unwrap();
    /// assert_eq!(u.first_name.as_deref(), Some("Ada"));
    /// assert_eq!(u.extra["brand_new_field"], 1);
    /// ```
    User {
        /// `user_…`.
        id: String,
        /// Your own id for the user.
        external_id: Option<String>,
        /// The primary email's id.
        primary_email_address_id: Option<String>,
        /// The primary phone's id.
        primary_phone_number_id: Option<String>,
        /// Username.
        username: Option<String>,
        /// First name.
        first_name: Option<String>,
        /// Last name.
        last_name: Option<String>,
        /// Avatar.
        image_url: Option<String>,
        /// Whether an image was uploaded.
        has_image: bool,
        /// Readable by the frontend, writable by the backend.
        public_metadata: Map<String, Value>,
        /// Backend only.
        private_metadata: Map<String, Value>,
        /// Readable and writable by the frontend.
        unsafe_metadata: Map<String, Value>,
        /// Email addresses.
        email_addresses: Vec<EmailAddress>,
        /// Phone numbers.
        phone_numbers: Vec<PhoneNumber>,
        /// Whether a password is set.
        password_enabled: bool,
        /// Whether a second factor is on.
        two_factor_enabled: bool,
        /// Authenticator app enrolled.
        totp_enabled: bool,
        /// Backup codes generated.
        backup_code_enabled: bool,
        /// Banned from signing in.
        banned: bool,
        /// Locked after failed attempts.
        locked: bool,
        /// Seconds until the lockout ends.
        lockout_expires_in_seconds: Option<i64>,
        /// Attempts left before a lockout.
        verification_attempts_remaining: Option<i64>,
        /// Last sign-in (ms).
        last_sign_in_at: Option<i64>,
        /// Last activity (ms).
        last_active_at: Option<i64>,
        /// Created (ms).
        created_at: i64,
        /// Updated (ms).
        updated_at: i64,
        /// Whether users may delete themselves.
        delete_self_enabled: bool,
        /// Whether the user may create organizations.
        create_organization_enabled: bool,
        /// Legal terms accepted (ms).
        legal_accepted_at: Option<i64>,
    }
}

impl User {
    /// The primary email address, if any.
    ///
    /// ```
    /// let u: clerk_backend::api::User = serde_json::from_str(
    ///     r#"{"id":"u","primary_email_address_id":"idn_1","email_addresses":[{"id":"idn_1","email_address":"a@b.c"}]}"#,
    /// ).unwrap();
    /// assert_eq!(u.primary_email_address(), Some("a@b.c"));
    /// ```
    pub fn primary_email_address(&self) -> Option<&str> {
        let id = self.primary_email_address_id.as_deref()?;
        self.email_addresses
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.email_address.as_str())
    }
}

api_object! {
    /// An email address of a user.
    EmailAddress {
        /// `idn_…`.
        id: String,
        /// The address.
        email_address: String,
        /// Its verification.
        verification: Option<Verification>,
        /// Created (ms).
        created_at: i64,
        /// Updated (ms).
        updated_at: i64,
    }
}

api_object! {
    /// A phone number of a user.
    PhoneNumber {
        /// `idn_…`.
        id: String,
        /// E.164.
        phone_number: String,
        /// Used as a second factor.
        reserved_for_second_factor: bool,
        /// The default second factor.
        default_second_factor: bool,
        /// Its verification.
        verification: Option<Verification>,
        /// Created (ms).
        created_at: i64,
        /// Updated (ms).
        updated_at: i64,
    }
}

api_object! {
    /// An organization.
    Organization {
        /// `org_…`.
        id: String,
        /// Name.
        name: String,
        /// Slug.
        slug: String,
        /// Logo.
        image_url: Option<String>,
        /// Whether a logo was uploaded.
        has_image: bool,
        /// Members (when asked with `include_members_count`).
        members_count: Option<i64>,
        /// Member limit (0: none).
        max_allowed_memberships: i64,
        /// Whether admins may delete it.
        admin_delete_enabled: bool,
        /// Public metadata.
        public_metadata: Map<String, Value>,
        /// Private metadata.
        private_metadata: Map<String, Value>,
        /// The creator's user id.
        created_by: Option<String>,
        /// Created (ms).
        created_at: i64,
        /// Updated (ms).
        updated_at: i64,
    }
}

api_object! {
    /// A membership: a user's role in an organization.
    OrganizationMembership {
        /// `orgmem_…`.
        id: String,
        /// Role key (`org:admin`).
        role: String,
        /// Role name.
        role_name: Option<String>,
        /// Permission keys.
        permissions: Vec<String>,
        /// Public metadata.
        public_metadata: Map<String, Value>,
        /// Private metadata.
        private_metadata: Map<String, Value>,
        /// The organization.
        organization: Organization,
        /// The member.
        public_user_data: Option<PublicUserData>,
        /// Created (ms).
        created_at: i64,
        /// Updated (ms).
        updated_at: i64,
    }
}

api_object! {
    /// An invitation to an organization.
    OrganizationInvitation {
        /// `orginv_…`.
        id: String,
        /// Invited address.
        email_address: String,
        /// Role on acceptance.
        role: String,
        /// The organization.
        organization_id: Option<String>,
        /// Who invited.
        inviter_id: Option<String>,
        /// Status.
        status: InvitationStatus,
        /// Public metadata.
        public_metadata: Map<String, Value>,
        /// Link to accept.
        url: Option<String>,
        /// Expiry (ms).
        expires_at: Option<i64>,
        /// Created (ms).
        created_at: i64,
        /// Updated (ms).
        updated_at: i64,
    }
}

api_object! {
    /// A session.
    Session {
        /// `sess_…`.
        id: String,
        /// The user.
        user_id: String,
        /// The device.
        client_id: String,
        /// Status (`active`, `revoked`, `ended`…).
        status: SessionStatus,
        /// The impersonator, if any.
        actor: Option<Value>,
        /// The active organization.
        last_active_organization_id: Option<String>,
        /// Last activity (ms).
        last_active_at: i64,
        /// Expiry (ms).
        expire_at: i64,
        /// Abandon time (ms).
        abandon_at: i64,
        /// Created (ms).
        created_at: i64,
        /// Updated (ms).
        updated_at: i64,
    }
}

api_object! {
    /// An invitation to the application.
    Invitation {
        /// `inv_…`.
        id: String,
        /// Invited address.
        email_address: String,
        /// Public metadata given to the user on sign-up.
        public_metadata: Map<String, Value>,
        /// Revoked.
        revoked: bool,
        /// Status.
        status: InvitationStatus,
        /// Link.
        url: Option<String>,
        /// Expiry (ms).
        expires_at: Option<i64>,
        /// Created (ms).
        created_at: i64,
        /// Updated (ms).
        updated_at: i64,
    }
}

api_object! {
    /// A session token (`POST /sessions/{id}/tokens`).
    Token {
        /// The JWT.
        jwt: String,
    }
}

api_object! {
    /// What a delete answers.
    DeletedObject {
        /// The deleted object's id.
        id: Option<String>,
        /// Its slug (organizations).
        slug: Option<String>,
        /// `true`.
        deleted: bool,
        /// The kind (`user`…).
        object: String,
    }
}

api_object! {
    /// The answer of `POST /users/{id}/verify_password`.
    PasswordVerification {
        /// Whether the password matched.
        verified: bool,
    }
}

api_object! {
    /// A JSON Web Key Set.
    Jwks {
        /// The keys.
        keys: Vec<Value>,
    }
}

/// One page of a list and the total across pages.
///
/// ```
/// let p: clerk_backend::api::Page<clerk_backend::api::Organization> =
///     serde_json::from_str(r#"{"data":[{"id":"org_1","name":"Acme","slug":"acme"}],"total_count":7}"#).unwrap();
/// assert_eq!((p.data.len(), p.total_count), (1, 7));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// This page.
    #[serde(default = "Vec::new")]
    pub data: Vec<T>,
    /// The total count of the list.
    #[serde(default)]
    pub total_count: i64,
}
