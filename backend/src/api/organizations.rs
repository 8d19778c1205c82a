//! `organizations` (with memberships and invitations) and application `invitations`.

use reqwest::Method;
use serde_json::{Value, json};

use super::users::seg;
use super::{
    ClerkApiError, ClerkClient, DeletedObject, Invitation, InvitationStatus, Organization,
    OrganizationInvitation, OrganizationMembership, Page, Query,
};

/// The filters of `GET /organizations`.
///
/// ```
/// let p = clerk_backend::api::OrganizationListParams { query: Some("acme".into()), ..Default::default() };
/// assert!(!p.include_members_count);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OrganizationListParams {
    /// Partial match on name, slug or id.
    pub query: Option<String>,
    /// Organizations these users belong to.
    pub user_id: Vec<String>,
    /// These organizations.
    pub organization_id: Vec<String>,
    /// `±name`, `±created_at`, `±members_count`.
    pub order_by: Option<String>,
    /// Fill `members_count`.
    pub include_members_count: bool,
    /// Page size.
    pub limit: Option<i64>,
    /// Offset.
    pub offset: Option<i64>,
}

/// The filters of invitation lists.
///
/// ```
/// use clerk_backend::api::{InvitationListParams, InvitationStatus};
/// let p = InvitationListParams { status: Some(InvitationStatus::Pending), ..Default::default() };
/// assert!(p.limit.is_none());
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct InvitationListParams {
    /// Only this status.
    pub status: Option<InvitationStatus>,
    /// Partial match on the address.
    pub query: Option<String>,
    /// Page size.
    pub limit: Option<i64>,
    /// Offset.
    pub offset: Option<i64>,
}

impl InvitationListParams {
    fn query(&self) -> Query {
        let mut q = Query::default();
        q.opt(
            "status",
            &self.status.as_ref().map(|s| s.as_str().to_owned()),
        )
        .opt("query", &self.query)
        .opt("limit", &self.limit)
        .opt("offset", &self.offset.filter(|o| *o > 0));
        q
    }
}

/// The organization endpoints ([`ClerkClient::organizations`]).
#[derive(Clone, Copy, Debug)]
pub struct Organizations<'a>(pub(super) &'a ClerkClient);

impl Organizations<'_> {
    /// `GET /organizations` → `{data, total_count}`.
    ///
    /// ```no_run
    /// # async fn demo(clerk: clerk_backend::api::ClerkClient) -> Result<(), clerk_backend::api::ClerkApiError> {
    /// let orgs = clerk.organizations().get_organization_list(&Default::default()).await?;
    /// # Ok(()) }
    /// ```
    pub async fn get_organization_list(
        &self,
        params: &OrganizationListParams,
    ) -> Result<Page<Organization>, ClerkApiError> {
        let mut q = Query::default();
        q.opt("query", &params.query)
            .list("user_id", &params.user_id)
            .list("organization_id", &params.organization_id)
            .opt("order_by", &params.order_by)
            .flag("include_members_count", params.include_members_count)
            .opt("limit", &params.limit)
            .opt("offset", &params.offset.filter(|o| *o > 0));
        self.0
            .request(Method::GET, "/organizations", &q, None)
            .await
    }

    /// `GET /organizations/{id or slug}`.
    pub async fn get_organization(&self, id_or_slug: &str) -> Result<Organization, ClerkApiError> {
        self.0
            .call(
                Method::GET,
                &format!("/organizations/{}", seg(id_or_slug)),
                None,
            )
            .await
    }

    /// `POST /organizations` (`name`, `created_by`, `slug`, `public_metadata`…).
    ///
    /// ```no_run
    /// # async fn demo(clerk: clerk_backend::api::ClerkClient) -> Result<(), clerk_backend::api::ClerkApiError> {
    /// let org = clerk.organizations().create_organization(serde_json::json!({"name": "Acme", "created_by": "user_1"})).await?;
    /// # Ok(()) }
    /// ```
    pub async fn create_organization(&self, body: Value) -> Result<Organization, ClerkApiError> {
        self.0
            .call(Method::POST, "/organizations", Some(&body))
            .await
    }

    /// `PATCH /organizations/{id}`.
    pub async fn update_organization(
        &self,
        id: &str,
        body: Value,
    ) -> Result<Organization, ClerkApiError> {
        self.0
            .call(
                Method::PATCH,
                &format!("/organizations/{}", seg(id)),
                Some(&body),
            )
            .await
    }

    /// `DELETE /organizations/{id}`.
    pub async fn delete_organization(&self, id: &str) -> Result<DeletedObject, ClerkApiError> {
        self.0
            .call(Method::DELETE, &format!("/organizations/{}", seg(id)), None)
            .await
    }

    /// `PATCH /organizations/{id}/metadata` (deep merge, `null` deletes).
    pub async fn update_organization_metadata(
        &self,
        id: &str,
        body: Value,
    ) -> Result<Organization, ClerkApiError> {
        self.0
            .call(
                Method::PATCH,
                &format!("/organizations/{}/metadata", seg(id)),
                Some(&body),
            )
            .await
    }

    /// `GET /organizations/{id}/memberships`.
    pub async fn get_organization_membership_list(
        &self,
        id: &str,
        limit: Option<i64>,
        offset: Option<i64>,
    ) -> Result<Page<OrganizationMembership>, ClerkApiError> {
        let mut q = Query::default();
        q.opt("limit", &limit)
            .opt("offset", &offset.filter(|o| *o > 0));
        self.0
            .request(
                Method::GET,
                &format!("/organizations/{}/memberships", seg(id)),
                &q,
                None,
            )
            .await
    }

    /// `POST /organizations/{id}/memberships`: adds a user with a role.
    pub async fn create_organization_membership(
        &self,
        id: &str,
        user_id: &str,
        role: &str,
    ) -> Result<OrganizationMembership, ClerkApiError> {
        self.0
            .call(
                Method::POST,
                &format!("/organizations/{}/memberships", seg(id)),
                Some(&json!({ "user_id": user_id, "role": role })),
            )
            .await
    }

    /// `PATCH /organizations/{id}/memberships/{user_id}`: changes the role.
    pub async fn update_organization_membership(
        &self,
        id: &str,
        user_id: &str,
        role: &str,
    ) -> Result<OrganizationMembership, ClerkApiError> {
        self.0
            .call(
                Method::PATCH,
                &format!("/organizations/{}/memberships/{}", seg(id), seg(user_id)),
                Some(&json!({ "role": role })),
            )
            .await
    }

    /// `DELETE /organizations/{id}/memberships/{user_id}`.
    pub async fn delete_organization_membership(
        &self,
        id: &str,
        user_id: &str,
    ) -> Result<OrganizationMembership, ClerkApiError> {
        self.0
            .call(
                Method::DELETE,
                &format!("/organizations/{}/memberships/{}", seg(id), seg(user_id)),
                None,
            )
            .await
    }

    /// `POST /organizations/{id}/invitations` (`email_address`, `role`, `inviter_user_id`…).
    pub async fn create_organization_invitation(
        &self,
        id: &str,
        body: Value,
    ) -> Result<OrganizationInvitation, ClerkApiError> {
        self.0
            .call(
                Method::POST,
                &format!("/organizations/{}/invitations", seg(id)),
                Some(&body),
            )
            .await
    }

    /// `GET /organizations/{id}/invitations`.
    pub async fn get_organization_invitation_list(
        &self,
        id: &str,
        params: &InvitationListParams,
    ) -> Result<Page<OrganizationInvitation>, ClerkApiError> {
        self.0
            .request(
                Method::GET,
                &format!("/organizations/{}/invitations", seg(id)),
                &params.query(),
                None,
            )
            .await
    }

    /// `POST /organizations/{id}/invitations/{invitation_id}/revoke`.
    pub async fn revoke_organization_invitation(
        &self,
        id: &str,
        invitation_id: &str,
        requesting_user_id: Option<&str>,
    ) -> Result<OrganizationInvitation, ClerkApiError> {
        let body = requesting_user_id.map_or(json!({}), |u| json!({ "requesting_user_id": u }));
        self.0
            .call(
                Method::POST,
                &format!(
                    "/organizations/{}/invitations/{}/revoke",
                    seg(id),
                    seg(invitation_id)
                ),
                Some(&body),
            )
            .await
    }
}

/// The application invitation endpoints ([`ClerkClient::invitations`]).
#[derive(Clone, Copy, Debug)]
pub struct Invitations<'a>(pub(super) &'a ClerkClient);

impl Invitations<'_> {
    /// `POST /invitations` (`email_address`, `public_metadata`, `redirect_url`…).
    ///
    /// ```no_run
    /// # async fn demo(clerk: clerk_backend::api::ClerkClient) -> Result<(), clerk_backend::api::ClerkApiError> {
    /// let inv = clerk.invitations().create_invitation(serde_json::json!({"email_address": "new@example.com"})).await?;
    /// # Ok(()) }
    /// ```
    pub async fn create_invitation(&self, body: Value) -> Result<Invitation, ClerkApiError> {
        self.0.call(Method::POST, "/invitations", Some(&body)).await
    }

    /// `GET /invitations` (a bare array, or `{data, total_count}`; both are read).
    pub async fn get_invitation_list(
        &self,
        params: &InvitationListParams,
    ) -> Result<Vec<Invitation>, ClerkApiError> {
        let v: Value = self
            .0
            .request(Method::GET, "/invitations", &params.query(), None)
            .await?;
        let list = match v {
            Value::Object(mut o) => o.remove("data").unwrap_or(Value::Array(vec![])),
            other => other,
        };
        Ok(serde_json::from_value(list).unwrap_or_default())
    }

    /// `POST /invitations/{id}/revoke`.
    pub async fn revoke_invitation(
        &self,
        invitation_id: &str,
    ) -> Result<Invitation, ClerkApiError> {
        self.0
            .call(
                Method::POST,
                &format!("/invitations/{}/revoke", seg(invitation_id)),
                None,
            )
            .await
    }
}
