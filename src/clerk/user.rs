//! The user (Clerk's `User` object) and what hangs off it, named as clerk-js names them:
//! [`UserResource`], its [`EmailAddressResource`]s and [`PhoneNumberResource`]s (prepare and
//! attempt verification, destroy), its sessions on every device
//! ([`SessionWithActivitiesResource`]: revoke) and its organization memberships and
//! invitations.

use leptos::prelude::*;

use super::Clerk;
use super::organization::{MembershipsPage, UserOrganizationInvitationResource};
use crate::core::error::ClerkError;
use crate::core::request::{FapiRequest, Method};
use crate::core::wire::{self, OrganizationInvitation, OrganizationMembership, Paginated};

resource! {
    /// The signed-in user (Clerk's `User` object): every field of [`wire::User`] and the
    /// methods the prebuilt profile uses.
    ///
    /// ```no_run
    /// # async fn demo(user: leptos_clerk::UserResource) -> Result<(), leptos_clerk::ClerkError> {
    /// println!("{}", user.display_name());
    /// let fresh = user.reload().await?;
    /// # let _ = fresh; Ok(()) }
    /// ```
    UserResource => wire::User
}

/// Changes to the user's profile (`PATCH /v1/me`); unset fields stay as they are.
///
/// ```
/// use leptos_clerk::UpdateUser;
/// let change = UpdateUser { first_name: Some("Ada".into()), ..Default::default() };
/// assert!(change.username.is_none());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct UpdateUser {
    /// New username.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// New first name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// New last name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// A verified email address to make primary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_email_address_id: Option<String>,
    /// A verified phone number to make primary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_phone_number_id: Option<String>,
}

impl UserResource {
    /// Reloads the user (`GET /v1/me`) and updates it in the current session.
    pub async fn reload(&self) -> Result<UserResource, ClerkError> {
        let user: wire::User = self
            .clerk
            .call_reload(FapiRequest::new(Method::Get, "/me"))
            .await?;
        self.clerk.replace_user(&user);
        Ok(UserResource::new(self.clerk, user))
    }

    /// Updates names, username or primary identifiers.
    pub async fn update(&self, change: &UpdateUser) -> Result<UserResource, ClerkError> {
        let request = FapiRequest::new(Method::Patch, "/me").body_of(change)?;
        self.user_call(request).await
    }

    /// Adds an email address, unverified until
    /// [`attempt_verification`](EmailAddressResource::attempt_verification) with its code.
    ///
    /// ```no_run
    /// # use leptos_clerk::*;
    /// # async fn demo(user: UserResource) -> Result<(), ClerkError> {
    /// let email = user.create_email_address("ada@example.com").await?;
    /// email.prepare_verification().await?;
    /// # Ok(()) }
    /// ```
    pub async fn create_email_address(
        &self,
        email_address: &str,
    ) -> Result<EmailAddressResource, ClerkError> {
        let request = FapiRequest::new(Method::Post, "/me/email_addresses")
            .field("email_address", email_address);
        let email = self.clerk.call(request).await?;
        self.refresh().await;
        Ok(EmailAddressResource::new(self.clerk, email))
    }

    /// Adds a phone number, unverified until
    /// [`attempt_verification`](PhoneNumberResource::attempt_verification) with its code.
    ///
    /// ```no_run
    /// # use leptos_clerk::*;
    /// # async fn demo(user: UserResource) -> Result<(), ClerkError> {
    /// let phone = user.create_phone_number("+15555550100").await?;
    /// phone.prepare_verification().await?;
    /// # Ok(()) }
    /// ```
    pub async fn create_phone_number(
        &self,
        phone_number: &str,
    ) -> Result<PhoneNumberResource, ClerkError> {
        let request =
            FapiRequest::new(Method::Post, "/me/phone_numbers").field("phone_number", phone_number);
        let phone = self.clerk.call(request).await?;
        self.refresh().await;
        Ok(PhoneNumberResource::new(self.clerk, phone))
    }

    /// The user's email addresses, as resources (clerk-js's `user.emailAddresses`; the plain
    /// data is `user.email_addresses`).
    ///
    /// ```no_run
    /// # use leptos_clerk::*;
    /// # async fn demo(user: UserResource) -> Result<(), ClerkError> {
    /// let unverified = user.email_address_list().into_iter().filter(|e| !e.is_verified());
    /// for email in unverified {
    ///     email.destroy().await?;
    /// }
    /// # Ok(()) }
    /// ```
    pub fn email_address_list(&self) -> Vec<EmailAddressResource> {
        let list = self.data.email_addresses.iter().cloned();
        list.map(|e| EmailAddressResource::new(self.clerk, e))
            .collect()
    }

    /// The user's phone numbers, as resources (clerk-js's `user.phoneNumbers`).
    ///
    /// ```no_run
    /// # use leptos_clerk::*;
    /// # async fn demo(user: UserResource) -> Result<(), ClerkError> {
    /// if let Some(phone) = user.phone_number_list().first() {
    ///     phone.prepare_verification().await?;
    /// }
    /// # Ok(()) }
    /// ```
    pub fn phone_number_list(&self) -> Vec<PhoneNumberResource> {
        let list = self.data.phone_numbers.iter().cloned();
        list.map(|p| PhoneNumberResource::new(self.clerk, p))
            .collect()
    }

    /// Changes the password (`POST /v1/me/change_password`).
    pub async fn update_password(
        &self,
        current_password: &str,
        new_password: &str,
        sign_out_of_other_sessions: bool,
    ) -> Result<UserResource, ClerkError> {
        let request = FapiRequest::new(Method::Post, "/me/change_password")
            .field("current_password", current_password)
            .field("new_password", new_password)
            .field(
                "sign_out_of_other_sessions",
                sign_out_of_other_sessions.to_string(),
            );
        self.user_call(request).await
    }

    /// Starts setting up an authenticator app (`POST /v1/me/totp`): the answer's `secret` (and
    /// its `otpauth://` `uri`) go into the app, then [`verify_totp`](Self::verify_totp) with a
    /// code it shows.
    pub async fn create_totp(&self) -> Result<wire::Totp, ClerkError> {
        self.clerk
            .call(FapiRequest::new(Method::Post, "/me/totp"))
            .await
    }

    /// Finishes setting up the authenticator app with a code from it; the first time a second
    /// factor is set up, the answer carries the backup codes, to show once.
    pub async fn verify_totp(&self, code: &str) -> Result<wire::Totp, ClerkError> {
        let request =
            FapiRequest::new(Method::Post, "/me/totp/attempt_verification").field("code", code);
        let totp = self.clerk.call(request).await?;
        self.refresh().await;
        Ok(totp)
    }

    /// Removes the authenticator app (with no second factor left, the backup codes go too).
    pub async fn disable_totp(&self) -> Result<(), ClerkError> {
        self.clerk
            .call::<wire::DeletedObject>(FapiRequest::new(Method::Delete, "/me/totp"))
            .await?;
        self.refresh().await;
        Ok(())
    }

    /// A new set of backup codes, replacing the previous one (`POST /v1/me/backup_codes`).
    pub async fn create_backup_codes(&self) -> Result<wire::BackupCodes, ClerkError> {
        let codes = self
            .clerk
            .call(FapiRequest::new(Method::Post, "/me/backup_codes"))
            .await?;
        self.refresh().await;
        Ok(codes)
    }

    /// Deletes the user (`DELETE /v1/me`; the instance must allow it, see
    /// `delete_self_enabled`), then signs out here and in the other tabs and goes to
    /// `after_sign_out_url`, like [`Clerk::sign_out`](crate::Clerk::sign_out).
    pub async fn delete(&self) -> Result<(), ClerkError> {
        self.clerk
            .call::<wire::DeletedObject>(FapiRequest::new(Method::Delete, "/me"))
            .await?;
        self.clerk.handle_unauthenticated().await?;
        let after = self.clerk.build_after_sign_out_url();
        self.clerk.navigate(&after)
    }

    /// The user's signed-in sessions on every device, each with its latest activity
    /// (browser, device, city, IP), as `GET /v1/me/sessions/active` lists them.
    ///
    /// ```no_run
    /// # use leptos_clerk::*;
    /// # async fn demo(user: UserResource) -> Result<(), ClerkError> {
    /// for session in user.get_sessions().await? {
    ///     let city = session.latest_activity.as_ref().and_then(|a| a.city.clone());
    ///     println!("{} in {}", session.id, city.unwrap_or_default());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn get_sessions(&self) -> Result<Vec<SessionWithActivitiesResource>, ClerkError> {
        let list: Vec<wire::SessionWithActivities> = self
            .clerk
            .call_raw(FapiRequest::new(Method::Get, "/me/sessions/active"))
            .await?;
        let list = list.into_iter();
        Ok(list
            .map(|s| SessionWithActivitiesResource::new(self.clerk, s))
            .collect())
    }

    /// A page of the user's organization memberships (`GET /v1/me/organization_memberships`).
    ///
    /// ```no_run
    /// # use leptos_clerk::*;
    /// # async fn demo(user: UserResource) -> Result<(), ClerkError> {
    /// let page = user.get_organization_memberships(Default::default()).await?;
    /// let names: Vec<&str> = page.data.iter().map(|m| m.organization.name.as_str()).collect();
    /// # Ok(()) }
    /// ```
    pub async fn get_organization_memberships(
        &self,
        page: MembershipsPage,
    ) -> Result<Paginated<OrganizationMembership>, ClerkError> {
        let request = page.apply(FapiRequest::new(
            Method::Get,
            "/me/organization_memberships",
        ));
        self.clerk.call(request).await
    }

    /// A page of the invitations sent to the user's verified email addresses
    /// (`GET /v1/me/organization_invitations`), each with its `public_organization_data`.
    ///
    /// ```no_run
    /// # use leptos_clerk::*;
    /// # async fn demo(user: UserResource) -> Result<(), ClerkError> {
    /// let invitations = user.get_organization_invitations(Default::default()).await?;
    /// println!("{} invitations", invitations.total_count);
    /// # Ok(()) }
    /// ```
    pub async fn get_organization_invitations(
        &self,
        page: MembershipsPage,
    ) -> Result<Paginated<UserOrganizationInvitationResource>, ClerkError> {
        let request = page.apply(FapiRequest::new(
            Method::Get,
            "/me/organization_invitations",
        ));
        let list: Paginated<OrganizationInvitation> = self.clerk.call(request).await?;
        Ok(self
            .clerk
            .resources(list, UserOrganizationInvitationResource::new))
    }

    /// Leaves an organization (`DELETE /v1/me/organization_memberships/{id}`). When it was
    /// the active one, the session falls back to the personal account. Refused with
    /// `organization_minimum_permissions_needed` for the last member who can manage members.
    ///
    /// ```no_run
    /// # use leptos_clerk::*;
    /// # async fn demo(user: UserResource) -> Result<(), ClerkError> {
    /// user.leave_organization("org_123").await?;
    /// # Ok(()) }
    /// ```
    pub async fn leave_organization(&self, organization_id: &str) -> Result<(), ClerkError> {
        let path = format!("/me/organization_memberships/{organization_id}");
        self.clerk
            .call::<wire::DeletedObject>(FapiRequest::new(Method::Delete, path))
            .await?;
        self.refresh().await;
        Ok(())
    }

    async fn user_call(&self, request: FapiRequest) -> Result<UserResource, ClerkError> {
        let user: wire::User = self.clerk.call(request).await?;
        self.clerk.replace_user(&user);
        Ok(UserResource::new(self.clerk, user))
    }

    pub(super) async fn refresh(&self) {
        if let Err(e) = self.reload().await {
            leptos::logging::warn!("leptos-clerk: could not reload the user: {e}");
        }
    }
}

resource! {
    /// One of the user's email addresses (Clerk's `EmailAddress` object): every field of
    /// [`wire::EmailAddress`] and its verification.
    ///
    /// ```no_run
    /// # async fn demo(user: leptos_clerk::UserResource) -> Result<(), leptos_clerk::ClerkError> {
    /// let email = user.create_email_address("ada@example.com").await?;
    /// email.prepare_verification().await?;
    /// email.attempt_verification("424242").await?;
    /// # Ok(()) }
    /// ```
    EmailAddressResource => wire::EmailAddress
}

resource! {
    /// One of the user's phone numbers (Clerk's `PhoneNumber` object): every field of
    /// [`wire::PhoneNumber`] and its verification.
    ///
    /// ```no_run
    /// # async fn demo(user: leptos_clerk::UserResource) -> Result<(), leptos_clerk::ClerkError> {
    /// for phone in user.phone_number_list() {
    ///     if phone.verification.is_none() {
    ///         phone.destroy().await?;
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    PhoneNumberResource => wire::PhoneNumber
}

resource! {
    /// A session of the user on some device (clerk-js's `SessionWithActivities`): every field
    /// of [`wire::SessionWithActivities`] (the session, and `latest_activity` with browser,
    /// device, city and IP) and [`revoke`](Self::revoke).
    ///
    /// ```no_run
    /// # async fn demo(user: leptos_clerk::UserResource) -> Result<(), leptos_clerk::ClerkError> {
    /// for session in user.get_sessions().await? {
    ///     let device = session.latest_activity.as_ref().and_then(|a| a.device_type.clone());
    ///     println!("{} on {}", session.id, device.unwrap_or_default());
    /// }
    /// # Ok(()) }
    /// ```
    SessionWithActivitiesResource => wire::SessionWithActivities
}

impl SessionWithActivitiesResource {
    /// Signs this session out, on whatever device it is (`POST /v1/me/sessions/{id}/revoke`).
    ///
    /// ```no_run
    /// # use leptos_clerk::*;
    /// # async fn demo(user: UserResource) -> Result<(), ClerkError> {
    /// let current = "sess_current";
    /// for session in user.get_sessions().await? {
    ///     if session.id != current {
    ///         session.revoke().await?;
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn revoke(&self) -> Result<(), ClerkError> {
        let path = format!("/me/sessions/{}/revoke", self.data.id);
        let request = FapiRequest::new(Method::Post, path);
        self.clerk.call::<serde::de::IgnoredAny>(request).await?;
        Ok(())
    }
}

/// The verification calls email addresses and phone numbers share.
macro_rules! identification {
    ($resource:ident, $path:literal, $strategy:literal) => {
        impl $resource {
            /// Sends a verification code (`POST …/prepare_verification`); then
            /// `attempt_verification` with the code. See the type's example.
            pub async fn prepare_verification(&self) -> Result<$resource, ClerkError> {
                let path = format!(
                    concat!("/me/", $path, "/{}/prepare_verification"),
                    self.data.id
                );
                let request = FapiRequest::new(Method::Post, path).field("strategy", $strategy);
                let data = self.clerk.call(request).await?;
                Ok($resource::new(self.clerk, data))
            }

            /// Verifies it with the code that was sent; the user follows. See the type's example.
            pub async fn attempt_verification(&self, code: &str) -> Result<$resource, ClerkError> {
                let path = format!(
                    concat!("/me/", $path, "/{}/attempt_verification"),
                    self.data.id
                );
                let request = FapiRequest::new(Method::Post, path).field("code", code);
                let data = self.clerk.call(request).await?;
                self.clerk.refresh_user().await;
                Ok($resource::new(self.clerk, data))
            }

            /// Removes it from the user; the user follows. See the type's example.
            pub async fn destroy(&self) -> Result<(), ClerkError> {
                let path = format!(concat!("/me/", $path, "/{}"), self.data.id);
                let request = FapiRequest::new(Method::Delete, path);
                self.clerk.call::<serde::de::IgnoredAny>(request).await?;
                self.clerk.refresh_user().await;
                Ok(())
            }
        }
    };
}

identification!(EmailAddressResource, "email_addresses", "email_code");
identification!(PhoneNumberResource, "phone_numbers", "phone_code");

impl Clerk {
    /// Puts a fresh copy of the user into every session of the client that has it.
    pub(super) fn replace_user(&self, user: &wire::User) {
        self.client_data.try_update(|client| {
            if let Some(client) = client.as_mut() {
                for session in client.sessions.iter_mut() {
                    if session.user.as_ref().is_some_and(|u| u.id == user.id) {
                        session.user = Some(user.clone());
                    }
                }
            }
        });
    }
}
