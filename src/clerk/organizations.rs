//! Organizations: create, list memberships, list members.

use leptos::prelude::*;

use super::{Clerk, SetActive};
use crate::core::error::ClerkError;
use crate::core::request::{FapiRequest, Method};
use crate::core::wire::{Organization, OrganizationInvitation, OrganizationMembership, Paginated};

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
        if let Some(user) = self.user().get_untracked() {
            let _ = user.reload().await;
        }
        Ok(organization)
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
