//! Clerk's organization objects, named as clerk-js names them: [`OrganizationResource`]
//! (members, invitations, roles, update, destroy), [`OrganizationInvitationResource`]
//! (revoke) and the invited user's [`UserOrganizationInvitationResource`] (accept); and
//! `Clerk::create_organization`.

use leptos::prelude::*;

use super::{Clerk, GetTokenOptions, SetActive};
use crate::core::error::ClerkError;
use crate::core::request::{FapiRequest, Method};
use crate::core::wire::{
    self, DeletedObject, Organization, OrganizationInvitation, OrganizationMembership, Paginated,
    Role,
};

resource! {
    /// An organization (Clerk's `Organization` object): every field of
    /// [`wire::Organization`] (`id`, `name`, `slug`, `members_count`…) and the methods of
    /// clerk-js's `OrganizationResource`. [`Clerk::organization`] gives the active one.
    ///
    /// ```no_run
    /// # async fn demo(clerk: leptos_clerk::Clerk) -> Result<(), leptos_clerk::ClerkError> {
    /// use leptos::prelude::*;
    /// if let Some(org) = clerk.organization().get_untracked() {
    ///     let members = org.get_memberships(Default::default()).await?;
    ///     println!("{}: {} members", org.name, members.total_count);
    ///     org.invite_member("bob@example.com", "org:member").await?;
    /// }
    /// # Ok(()) }
    /// ```
    OrganizationResource => wire::Organization
}

resource! {
    /// An invitation to an organization as the organization sees it (Clerk's
    /// `OrganizationInvitation`): every field of [`wire::OrganizationInvitation`] and
    /// [`revoke`](Self::revoke).
    ///
    /// ```no_run
    /// # async fn demo(org: leptos_clerk::OrganizationResource) -> Result<(), leptos_clerk::ClerkError> {
    /// for invitation in org.get_invitations(Default::default()).await?.data {
    ///     if invitation.email_address.ends_with("@old.example.com") {
    ///         invitation.revoke().await?;
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    OrganizationInvitationResource => wire::OrganizationInvitation
}

resource! {
    /// An invitation as the invited user sees it (Clerk's `UserOrganizationInvitation`): every
    /// field of [`wire::OrganizationInvitation`] (with `public_organization_data`) and
    /// [`accept`](Self::accept).
    ///
    /// ```no_run
    /// # async fn demo(user: leptos_clerk::UserResource) -> Result<(), leptos_clerk::ClerkError> {
    /// for invitation in user.get_organization_invitations(Default::default()).await?.data {
    ///     invitation.accept().await?;
    /// }
    /// # Ok(()) }
    /// ```
    UserOrganizationInvitationResource => wire::OrganizationInvitation
}

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

    pub(super) fn apply(&self, request: FapiRequest) -> FapiRequest {
        request
            .query("paginated", "true")
            .query("limit", self.page_size.to_string())
            .query("offset", self.offset().to_string())
    }
}

impl OrganizationResource {
    fn path(&self, rest: &str) -> String {
        format!("/organizations/{}{rest}", self.data.id)
    }

    /// A page of the members (`GET /v1/organizations/{id}/memberships`; needs
    /// `org:sys_memberships:read`).
    ///
    /// ```no_run
    /// # use leptos_clerk::*;
    /// # async fn demo(org: OrganizationResource) -> Result<(), ClerkError> {
    /// let page = org.get_memberships(MembershipsPage { page: 2, page_size: 20 }).await?;
    /// let roles: Vec<&str> = page.data.iter().map(|m| m.role.as_str()).collect();
    /// # Ok(()) }
    /// ```
    pub async fn get_memberships(
        &self,
        page: MembershipsPage,
    ) -> Result<Paginated<OrganizationMembership>, ClerkError> {
        let request = page.apply(FapiRequest::new(Method::Get, self.path("/memberships")));
        self.clerk.call(request).await
    }

    /// A page of the invitations (`GET /v1/organizations/{id}/invitations`).
    ///
    /// ```no_run
    /// # use leptos_clerk::*;
    /// # async fn demo(org: OrganizationResource) -> Result<(), ClerkError> {
    /// let pending = org.get_invitations(Default::default()).await?;
    /// println!("{} invitations", pending.total_count);
    /// # Ok(()) }
    /// ```
    pub async fn get_invitations(
        &self,
        page: MembershipsPage,
    ) -> Result<Paginated<OrganizationInvitationResource>, ClerkError> {
        let request = page.apply(FapiRequest::new(Method::Get, self.path("/invitations")));
        let list: Paginated<OrganizationInvitation> = self.clerk.call(request).await?;
        Ok(self
            .clerk
            .resources(list, OrganizationInvitationResource::new))
    }

    /// A page of the roles a member or an invitation may have (`GET
    /// /v1/organizations/{id}/roles`), each with its permissions.
    ///
    /// ```no_run
    /// # use leptos_clerk::*;
    /// # async fn demo(org: OrganizationResource) -> Result<(), ClerkError> {
    /// let roles = org.get_roles(Default::default()).await?;
    /// let names: Vec<&str> = roles.data.iter().map(|r| r.label()).collect();
    /// # Ok(()) }
    /// ```
    pub async fn get_roles(&self, page: MembershipsPage) -> Result<Paginated<Role>, ClerkError> {
        let request = page.apply(FapiRequest::new(Method::Get, self.path("/roles")));
        self.clerk.call(request).await
    }

    /// Invites someone by email address, with a role (needs `org:sys_memberships:manage`).
    ///
    /// ```no_run
    /// # use leptos_clerk::*;
    /// # async fn demo(org: OrganizationResource) -> Result<(), ClerkError> {
    /// let invitation = org.invite_member("bob@example.com", "org:member").await?;
    /// assert_eq!(invitation.status, "pending");
    /// # Ok(()) }
    /// ```
    pub async fn invite_member(
        &self,
        email_address: &str,
        role: &str,
    ) -> Result<OrganizationInvitationResource, ClerkError> {
        let request = FapiRequest::new(Method::Post, self.path("/invitations"))
            .field("email_address", email_address)
            .field("role", role);
        let invitation = self.clerk.call(request).await?;
        Ok(OrganizationInvitationResource::new(self.clerk, invitation))
    }

    /// Gives a member another role (needs `org:sys_memberships:manage`). Refused with
    /// `organization_minimum_permissions_needed` when nobody would be left to manage members.
    /// When the member is the current user, their membership and token claims follow.
    ///
    /// ```no_run
    /// # use leptos_clerk::*;
    /// # async fn demo(org: OrganizationResource) -> Result<(), ClerkError> {
    /// let membership = org.update_member("user_123", "org:admin").await?;
    /// assert_eq!(membership.role, "org:admin");
    /// # Ok(()) }
    /// ```
    pub async fn update_member(
        &self,
        user_id: &str,
        role: &str,
    ) -> Result<OrganizationMembership, ClerkError> {
        let path = self.path(&format!("/memberships/{user_id}"));
        let request = FapiRequest::new(Method::Patch, path).field("role", role);
        let membership: OrganizationMembership = self.clerk.call(request).await?;
        self.clerk.after_member_change(user_id).await;
        Ok(membership)
    }

    /// Removes a member (needs `org:sys_memberships:manage`); answers the membership as it
    /// was.
    ///
    /// ```no_run
    /// # use leptos_clerk::*;
    /// # async fn demo(org: OrganizationResource) -> Result<(), ClerkError> {
    /// org.remove_member("user_123").await?;
    /// # Ok(()) }
    /// ```
    pub async fn remove_member(&self, user_id: &str) -> Result<OrganizationMembership, ClerkError> {
        let path = self.path(&format!("/memberships/{user_id}"));
        let membership: OrganizationMembership = self
            .clerk
            .call(FapiRequest::new(Method::Delete, path))
            .await?;
        self.clerk.after_member_change(user_id).await;
        Ok(membership)
    }

    /// Renames the organization or changes its slug (needs `org:sys_profile:manage`); the
    /// user's memberships follow.
    ///
    /// ```no_run
    /// # use leptos_clerk::*;
    /// # async fn demo(org: OrganizationResource) -> Result<(), ClerkError> {
    /// let renamed = org.update(&UpdateOrganizationParams { name: Some("Acme Labs".into()), ..Default::default() }).await?;
    /// assert_eq!(renamed.name, "Acme Labs");
    /// # Ok(()) }
    /// ```
    pub async fn update(
        &self,
        params: &UpdateOrganizationParams,
    ) -> Result<OrganizationResource, ClerkError> {
        let request = FapiRequest::new(Method::Patch, self.path("")).body_of(params)?;
        let organization: Organization = self.clerk.call(request).await?;
        self.clerk.refresh_user().await;
        Ok(OrganizationResource::new(self.clerk, organization))
    }

    /// Deletes the organization (`DELETE /v1/organizations/{id}`; needs
    /// `org:sys_profile:delete` and `admin_delete_enabled`). When it was the active one, the
    /// session falls back to the personal account.
    ///
    /// ```no_run
    /// # use leptos_clerk::*;
    /// # async fn demo(org: OrganizationResource) -> Result<(), ClerkError> {
    /// if org.admin_delete_enabled {
    ///     org.destroy().await?;
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn destroy(&self) -> Result<(), ClerkError> {
        self.clerk
            .call::<DeletedObject>(FapiRequest::new(Method::Delete, self.path("")))
            .await?;
        self.clerk.refresh_user().await;
        Ok(())
    }
}

impl OrganizationInvitationResource {
    /// Revokes the invitation (needs `org:sys_memberships:manage`).
    ///
    /// ```no_run
    /// # use leptos_clerk::*;
    /// # async fn demo(invitation: OrganizationInvitationResource) -> Result<(), ClerkError> {
    /// let revoked = invitation.revoke().await?;
    /// assert_eq!(revoked.status, "revoked");
    /// # Ok(()) }
    /// ```
    pub async fn revoke(&self) -> Result<OrganizationInvitationResource, ClerkError> {
        let path = format!(
            "/organizations/{}/invitations/{}/revoke",
            self.data.organization_id, self.data.id
        );
        let invitation = self
            .clerk
            .call(FapiRequest::new(Method::Post, path))
            .await?;
        Ok(OrganizationInvitationResource::new(self.clerk, invitation))
    }
}

impl UserOrganizationInvitationResource {
    /// Accepts the invitation: the user becomes a member, and their memberships follow.
    ///
    /// ```no_run
    /// # use leptos_clerk::*;
    /// # async fn demo(invitation: UserOrganizationInvitationResource) -> Result<(), ClerkError> {
    /// let accepted = invitation.accept().await?;
    /// assert_eq!(accepted.status, "accepted");
    /// # Ok(()) }
    /// ```
    pub async fn accept(&self) -> Result<UserOrganizationInvitationResource, ClerkError> {
        let path = format!("/me/organization_invitations/{}/accept", self.data.id);
        let invitation = self
            .clerk
            .call(FapiRequest::new(Method::Post, path))
            .await?;
        self.clerk.refresh_user().await;
        Ok(UserOrganizationInvitationResource::new(
            self.clerk, invitation,
        ))
    }
}

impl Clerk {
    /// Creates an organization; the user becomes its admin. Make it active with
    /// [`set_active`](Self::set_active).
    ///
    /// ```no_run
    /// # use leptos_clerk::*;
    /// # async fn demo(clerk: Clerk) -> Result<(), ClerkError> {
    /// let org = clerk.create_organization(&CreateOrganizationParams { name: "Acme".into(), slug: None }).await?;
    /// clerk.set_active(SetActive::new().organization(org.id.as_str())).await?;
    /// # Ok(()) }
    /// ```
    pub async fn create_organization(
        &self,
        params: &CreateOrganizationParams,
    ) -> Result<OrganizationResource, ClerkError> {
        let request = FapiRequest::new(Method::Post, "/organizations").body_of(params)?;
        let organization: Organization = self.call(request).await?;
        self.refresh_user().await;
        Ok(OrganizationResource::new(*self, organization))
    }

    /// Creates an organization and makes it active.
    ///
    /// ```no_run
    /// # use leptos_clerk::*;
    /// # async fn demo(clerk: Clerk) -> Result<(), ClerkError> {
    /// let org = clerk.create_and_activate_organization(&CreateOrganizationParams { name: "Acme".into(), slug: Some("acme".into()) }).await?;
    /// assert_eq!(org.slug, "acme");
    /// # Ok(()) }
    /// ```
    pub async fn create_and_activate_organization(
        &self,
        params: &CreateOrganizationParams,
    ) -> Result<OrganizationResource, ClerkError> {
        let organization = self.create_organization(params).await?;
        self.set_active(SetActive::new().organization(organization.id.as_str()))
            .await?;
        Ok(organization)
    }

    /// A page of resources from a page of wire data.
    pub(super) fn resources<T, R>(
        &self,
        page: Paginated<T>,
        new: fn(Clerk, T) -> R,
    ) -> Paginated<R> {
        Paginated {
            data: page.data.into_iter().map(|d| new(*self, d)).collect(),
            total_count: page.total_count,
        }
    }

    /// Reloads the user after a change to their memberships (a failed reload is logged: the
    /// change itself went through).
    pub(super) async fn refresh_user(&self) {
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
}
