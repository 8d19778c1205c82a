use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Metadata, PublicUserData};

/// An organization (FAPI `Organization`).
///
/// ```
/// use clerk_core::wire::Organization;
/// let org: Organization = serde_json::from_str(r#"{"object":"organization","id":"org_1",
///   "name":"Acme","slug":"acme","created_at":1,"updated_at":1}"#).unwrap();
/// assert_eq!(org.slug, "acme");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "object", rename = "organization")]
pub struct Organization {
    /// `org_…`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// URL-friendly unique name.
    #[serde(default)]
    pub slug: String,
    /// Logo URL.
    #[serde(default)]
    pub image_url: String,
    /// Whether a logo was uploaded.
    #[serde(default)]
    pub has_image: bool,
    /// Number of members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members_count: Option<i64>,
    /// Number of pending invitations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_invitations_count: Option<i64>,
    /// Membership limit (0: unlimited).
    #[serde(default)]
    pub max_allowed_memberships: i64,
    /// Whether admins may delete the organization.
    #[serde(default)]
    pub admin_delete_enabled: bool,
    /// Whether self-serve SSO is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_serve_sso_enabled: Option<bool>,
    /// Metadata the backend sets.
    #[serde(default)]
    pub public_metadata: Metadata,
    /// Creation time.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub created_at: DateTime<Utc>,
    /// Last update time.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub updated_at: DateTime<Utc>,
}

/// A user's membership in an organization, with its role and permissions
/// (FAPI `OrganizationMembership`).
///
/// ```
/// use clerk_core::wire::OrganizationMembership;
/// let m: OrganizationMembership = serde_json::from_str(r#"{"id":"orgmem_1","role":"org:admin",
///   "permissions":["org:sys_memberships:manage"],"organization":{"id":"org_1","name":"Acme",
///   "created_at":1,"updated_at":1},"created_at":1,"updated_at":1}"#).unwrap();
/// assert!(m.has_permission("org:sys_memberships:manage"));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "object", rename = "organization_membership")]
pub struct OrganizationMembership {
    /// `orgmem_…`.
    pub id: String,
    /// The organization.
    pub organization: Organization,
    /// Role key, such as `org:admin`.
    pub role: String,
    /// Role display name, such as `Admin`.
    #[serde(default)]
    pub role_name: String,
    /// Permission keys the role grants, such as `org:sys_memberships:manage`.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub permissions: Vec<String>,
    /// Metadata the backend sets.
    #[serde(default)]
    pub public_metadata: Metadata,
    /// The member's public data (in member lists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_user_data: Option<PublicUserData>,
    /// Creation time.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub created_at: DateTime<Utc>,
    /// Last update time.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub updated_at: DateTime<Utc>,
}

impl OrganizationMembership {
    /// Whether the role grants this permission.
    pub fn has_permission(&self, permission: &str) -> bool {
        self.permissions.iter().any(|p| p == permission)
    }
}

/// A list that FAPI may send as `null`: empty then.
fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// An invitation to join an organization (FAPI `OrganizationInvitation`), as the organization
/// sees it and as the invited user sees it (`public_organization_data` set).
///
/// ```
/// use clerk_core::wire::OrganizationInvitation;
/// let i: OrganizationInvitation = serde_json::from_str(r#"{"object":"organization_invitation",
///   "id":"orginv_1","email_address":"bob@example.com","role":"org:member","status":"pending",
///   "organization_id":"org_1","created_at":1,"updated_at":1}"#).unwrap();
/// assert_eq!(i.status, "pending");
/// assert!(i.public_organization_data.is_none());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "object", rename = "organization_invitation")]
pub struct OrganizationInvitation {
    /// `orginv_…`.
    pub id: String,
    /// The invited address.
    pub email_address: String,
    /// Role given on acceptance.
    pub role: String,
    /// Role display name.
    #[serde(default)]
    pub role_name: String,
    /// The organization.
    #[serde(default)]
    pub organization_id: String,
    /// The organization's public data (in the invited user's list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_organization_data: Option<PublicOrganizationData>,
    /// `pending`, `accepted`, `revoked` or `expired`.
    pub status: String,
    /// Metadata the backend sets.
    #[serde(default)]
    pub public_metadata: Metadata,
    /// The link the invitation email carries, when the instance sends one.
    #[serde(default)]
    pub url: Option<String>,
    /// When the invitation stops being valid.
    #[serde(default, with = "chrono::serde::ts_milliseconds_option")]
    pub expires_at: Option<DateTime<Utc>>,
    /// Creation time.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub created_at: DateTime<Utc>,
    /// Last update time.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub updated_at: DateTime<Utc>,
}

/// What an invited user may see of an organization.
///
/// ```
/// use clerk_core::wire::PublicOrganizationData;
/// let p: PublicOrganizationData = serde_json::from_str(r#"{"id":"org_1","name":"Acme"}"#).unwrap();
/// assert_eq!(p.name, "Acme");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PublicOrganizationData {
    /// `org_…`.
    pub id: String,
    /// Name.
    pub name: String,
    /// Slug.
    #[serde(default)]
    pub slug: String,
    /// Logo URL.
    #[serde(default)]
    pub image_url: String,
    /// Whether a logo was uploaded.
    #[serde(default)]
    pub has_image: bool,
}

/// A role of an organization (FAPI `Role`): its key, name and permissions, as
/// `GET /v1/organizations/{id}/roles` lists them.
///
/// ```
/// use clerk_core::wire::Role;
/// let r: Role = serde_json::from_str(r#"{"object":"role","id":"role_1","key":"org:admin",
///   "name":"Admin","description":"","is_creator_eligible":true,"permissions":[{"object":"permission",
///   "id":"perm_1","key":"org:sys_memberships:manage","name":"Manage members","description":"",
///   "type":"system","created_at":1,"updated_at":1}],"created_at":1,"updated_at":1}"#).unwrap();
/// assert_eq!((r.key.as_str(), r.name.as_str()), ("org:admin", "Admin"));
/// assert_eq!(r.permissions[0].key, "org:sys_memberships:manage");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "object", rename = "role")]
pub struct Role {
    /// `role_…`.
    pub id: String,
    /// The key tokens and `has()` use, such as `org:admin`.
    pub key: String,
    /// Display name, such as `Admin`.
    #[serde(default)]
    pub name: String,
    /// What the role is for.
    #[serde(default)]
    pub description: String,
    /// Whether the creator of an organization may get this role.
    #[serde(default)]
    pub is_creator_eligible: bool,
    /// The permissions it grants.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub permissions: Vec<Permission>,
    /// Creation time.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub created_at: DateTime<Utc>,
    /// Last update time.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub updated_at: DateTime<Utc>,
}

impl Role {
    /// The name to show: the display name, else the key.
    ///
    /// ```
    /// # let r: clerk_core::wire::Role = serde_json::from_str(r#"{"id":"role_1","key":"org:viewer",
    /// #   "object":"role","created_at":1,"updated_at":1}"#).unwrap();
    /// assert_eq!(r.label(), "org:viewer");
    /// ```
    pub fn label(&self) -> &str {
        if self.name.is_empty() {
            &self.key
        } else {
            &self.name
        }
    }
}

/// A permission a [`Role`] grants (FAPI `Permission`).
///
/// ```
/// use clerk_core::wire::Permission;
/// let p: Permission = serde_json::from_str(r#"{"object":"permission","id":"perm_1",
///   "key":"org:invoices:manage","name":"Manage invoices","type":"user","created_at":1,
///   "updated_at":1}"#).unwrap();
/// assert_eq!(p.kind, "user");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "object", rename = "permission")]
pub struct Permission {
    /// `perm_…`.
    pub id: String,
    /// Its key, such as `org:invoices:manage`.
    pub key: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// What it allows.
    #[serde(default)]
    pub description: String,
    /// `system` (Clerk's `org:sys_…`) or `user` (the instance's own).
    #[serde(rename = "type", default)]
    pub kind: String,
    /// Creation time.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub created_at: DateTime<Utc>,
    /// Last update time.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub updated_at: DateTime<Utc>,
}
