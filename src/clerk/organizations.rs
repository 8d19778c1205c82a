//! Organizations: create, update, leave; members (list, change a role, remove); invitations
//! (send, list, revoke, and the user's own: list, accept).

use leptos::prelude::*;

use super::{Clerk, GetTokenOptions, SetActive};
use crate::core::error::ClerkError;
use crate::core::request::{FapiRequest, Method};
use crate::core::wire::{
    DeletedObject, Organization, OrganizationInvitation, OrganizationMembership, Paginated,
};

/// The fields of `POST /v1/organizations`.
///
/// ```
/// use leptos_clerk::CreateOrganizationParams;
/// let acme = CreateOrganizationParams { name: "Acme".into(), slug: None };
/// assert_eq!(acme.name, "Acme");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct CreateOrganizationParams {
    /// Display name.
    pub name: String,
    /// URL-friendly name (derived from the name when left out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
}

/// The fields of `PATCH /v1/organizations/{id}`: what is `None` stays as it is.
///
/// ```
/// use leptos_clerk::UpdateOrganizationParams;
/// let rename = UpdateOrganizationParams { name: Some("Acme Labs".into()), ..Default::default() };
/// assert!(rename.slug.is_none());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct UpdateOrganizationParams {
    /// New display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New URL-friendly name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
}

/// A page request: 1-based page number and page size.
///
/// ```
/// use leptos_clerk::MembershipsPage;
/// assert_eq!(MembershipsPage::default().offset(), 0);
/// assert_eq!(MembershipsPage { page: 3, page_size: 10 }.offset(), 20);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MembershipsPage {
    /// Page number, from 1.
    pub page: u32,
    /// Items per page.
    pub page_size: u32,
}

impl Default for MembershipsPage {
    fn default() -> Self {
        Self {
            page: 1,
            page_size: 10,
        }
    }
}

impl MembershipsPage {
    /// The offset of the first item.
    pub fn offset(&self) -> u32 {
        self.page.saturating_sub(1) * self.page_size
    }

    fn apply(&self, request: FapiRequest) -> FapiRequest {
        request
            .query("paginated", "true")
            .query("limit", self.page_size.to_string())
            .query("offset", self.offset().to_string())
    }
}

impl Clerk {
    /// Creates an organization; the user becomes its admin. Make it active with
    /// [`set_active`](Self::set_active).
    pub async fn create_organization(
        &self,
        params: &CreateOrganizationParams,
    ) -> Result<Organization, ClerkError> {
        let request = FapiRequest::new(Method::Post, "/organizations").body_of(params)?;
        let organization: Organization = self.call(request).await?;
        self.refresh_user().await;
        Ok(organization)
    }

    /// Renames an organization or changes its slug (needs `org:sys_profile:manage`); the
    /// user's memberships follow.
    pub async fn update_organization(
        &self,
        organization_id: &str,
        params: &UpdateOrganizationParams,
    ) -> Result<Organization, ClerkError> {
        let request = FapiRequest::new(Method::Patch, format!("/organizations/{organization_id}"))
            .body_of(params)?;
        let organization: Organization = self.call(request).await?;
        self.refresh_user().await;
        Ok(organization)
    }

    /// Leaves an organization (`DELETE /v1/me/organization_memberships/{id}`). When it was
    /// the active one, the session falls back to the personal account. Refused with
    /// `organization_minimum_permissions_needed` for the last member who can manage members.
    pub async fn leave_organization(&self, organization_id: &str) -> Result<(), ClerkError> {
        let path = format!("/me/organization_memberships/{organization_id}");
        self.call::<DeletedObject>(FapiRequest::new(Method::Delete, path))
            .await?;
        self.refresh_user().await;
        Ok(())
    }

    /// Gives a member another role (needs `org:sys_memberships:manage`). Refused with
    /// `organization_minimum_permissions_needed` when nobody would be left to manage members.
    /// When the member is the current user, their membership and token claims follow.
    pub async fn update_organization_membership(
        &self,
        organization_id: &str,
        user_id: &str,
        role: &str,
    ) -> Result<OrganizationMembership, ClerkError> {
        let path = format!("/organizations/{organization_id}/memberships/{user_id}");
        let request = FapiRequest::new(Method::Patch, path).field("role", role);
        let membership: OrganizationMembership = self.call(request).await?;
        self.after_member_change(user_id).await;
        Ok(membership)
    }

    /// Removes a member from an organization (needs `org:sys_memberships:manage`); answers the
    /// membership as it was.
    pub async fn remove_organization_member(
        &self,
        organization_id: &str,
        user_id: &str,
    ) -> Result<OrganizationMembership, ClerkError> {
        let path = format!("/organizations/{organization_id}/memberships/{user_id}");
        let membership: OrganizationMembership =
            self.call(FapiRequest::new(Method::Delete, path)).await?;
        self.after_member_change(user_id).await;
        Ok(membership)
    }

    /// Revokes a pending invitation (needs `org:sys_memberships:manage`).
    pub async fn revoke_organization_invitation(
        &self,
        organization_id: &str,
        invitation_id: &str,
    ) -> Result<OrganizationInvitation, ClerkError> {
        let path = format!("/organizations/{organization_id}/invitations/{invitation_id}/revoke");
        self.call(FapiRequest::new(Method::Post, path)).await
    }

    /// A page of the invitations sent to the user's verified email addresses
    /// (`GET /v1/me/organization_invitations`), each with its `public_organization_data`.
    pub async fn user_invitations(
        &self,
        page: MembershipsPage,
    ) -> Result<Paginated<OrganizationInvitation>, ClerkError> {
        let request = page.apply(FapiRequest::new(
            Method::Get,
            "/me/organization_invitations",
        ));
        self.call(request).await
    }

    /// Accepts an invitation sent to the user: they become a member, and their memberships
    /// follow.
    pub async fn accept_organization_invitation(
        &self,
        invitation_id: &str,
    ) -> Result<OrganizationInvitation, ClerkError> {
        let path = format!("/me/organization_invitations/{invitation_id}/accept");
        let invitation: OrganizationInvitation =
            self.call(FapiRequest::new(Method::Post, path)).await?;
        self.refresh_user().await;
        Ok(invitation)
    }

    /// Reloads the user after a change to their memberships (a failed reload is logged: the
    /// change itself went through).
    async fn refresh_user(&self) {
        if let Some(user) = self.user().get_untracked() {
            user.refresh().await;
        }
    }

    /// After a member's role or membership changed: when it is the current user, reload them
    /// and mint a fresh token so `has()` and the claims follow.
    async fn after_member_change(&self, user_id: &str) {
        let me = self
            .user()
            .with_untracked(|u| u.as_ref().map(|u| u.id.clone()));
        if me.as_deref() != Some(user_id) {
            return;
        }
        self.refresh_user().await;
        if let Some(session) = self.session().get_untracked() {
            let fresh = GetTokenOptions {
                skip_cache: true,
                ..GetTokenOptions::default()
            };
            if let Err(e) = session.get_token(fresh).await {
                leptos::logging::warn!("leptos-clerk: could not refresh the session token: {e}");
            }
        }
    }

    /// Creates an organization and makes it active.
    pub async fn create_and_activate_organization(
        &self,
        params: &CreateOrganizationParams,
    ) -> Result<Organization, ClerkError> {
        let organization = self.create_organization(params).await?;
        self.set_active(SetActive::new().organization(organization.id.as_str()))
            .await?;
        Ok(organization)
    }

    /// A page of the user's memberships (`GET /v1/me/organization_memberships`).
    pub async fn user_memberships(
        &self,
        page: MembershipsPage,
    ) -> Result<Paginated<OrganizationMembership>, ClerkError> {
        let request = page.apply(FapiRequest::new(
            Method::Get,
            "/me/organization_memberships",
        ));
        self.call(request).await
    }

    /// A page of an organization's members (`GET /v1/organizations/{id}/memberships`).
    pub async fn organization_members(
        &self,
        organization_id: &str,
        page: MembershipsPage,
    ) -> Result<Paginated<OrganizationMembership>, ClerkError> {
        let path = format!("/organizations/{organization_id}/memberships");
        self.call(page.apply(FapiRequest::new(Method::Get, path)))
            .await
    }

    /// Invites someone to an organization by email, with a role.
    pub async fn invite_member(
        &self,
        organization_id: &str,
        email_address: &str,
        role: &str,
    ) -> Result<OrganizationInvitation, ClerkError> {
        let path = format!("/organizations/{organization_id}/invitations");
        let request = FapiRequest::new(Method::Post, path)
            .field("email_address", email_address)
            .field("role", role);
        self.call(request).await
    }

    /// An organization's pending invitations.
    pub async fn organization_invitations(
        &self,
        organization_id: &str,
        page: MembershipsPage,
    ) -> Result<Paginated<OrganizationInvitation>, ClerkError> {
        let path = format!("/organizations/{organization_id}/invitations");
        self.call(page.apply(FapiRequest::new(Method::Get, path)))
            .await
    }
}
