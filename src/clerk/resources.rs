//! Clerk's resource objects: the data (every field, through `Deref`) with the methods that
//! talk to FAPI.

use leptos::prelude::*;

use super::{Clerk, GetTokenOptions, Select};
use crate::core::authz::Has;
use crate::core::error::ClerkError;
use crate::core::request::{FapiRequest, Method, RequestContext};
use crate::core::state;
use crate::core::wire;
use crate::io::browser;

resource! {
    /// The device's client (Clerk's `Client` object): every field of
    /// [`wire::Client`] (`id`, `sessions`, `sign_in`, `sign_up`, `last_active_session_id`,
    /// `last_authentication_strategy`, `cookie_expires_at`, `captcha_bypass`, `created_at`,
    /// `updated_at`) and its methods.
    ///
    /// ```no_run
    /// # async fn demo(clerk: leptos_clerk::Clerk) -> Result<(), leptos_clerk::ClerkError> {
    /// use leptos::prelude::*;
    /// if let Some(client) = clerk.client().get_untracked() {
    ///     println!("{} sessions, {} signed in", client.sessions.len(), client.signed_in_sessions().len());
    ///     client.remove_sessions().await?;
    /// }
    /// # Ok(()) }
    /// ```
    ClientResource => wire::Client
}

impl ClientResource {
    /// Sessions that count as signed in (active or pending).
    pub fn signed_in_sessions(&self) -> Vec<SessionResource> {
        self.data
            .signed_in_sessions()
            .map(|s| SessionResource::new(self.clerk, s.clone()))
            .collect()
    }

    /// Every session, as resources.
    pub fn session_list(&self) -> Vec<SessionResource> {
        self.data
            .sessions
            .iter()
            .map(|s| SessionResource::new(self.clerk, s.clone()))
            .collect()
    }

    /// Whether the cookie expires within 8 days, so that post-auth navigations should go
    /// through [`build_touch_url`](Self::build_touch_url).
    pub fn is_eligible_for_touch(&self) -> bool {
        self.data.is_eligible_for_touch(browser::now())
    }

    /// The `GET /v1/client/touch` URL that renews the client cookie, then redirects.
    pub fn build_touch_url(&self, redirect_url: &str) -> Result<String, ClerkError> {
        let inner = self.clerk.inner()?;
        let endpoint = inner.endpoint.clone()?;
        let dev_browser = inner.dev_browser.borrow().clone();
        let ctx = RequestContext {
            dev_browser: dev_browser.as_deref(),
            ..RequestContext::default()
        };
        Ok(endpoint.touch_url(redirect_url, &ctx))
    }

    /// Forgets every cached session token.
    pub fn clear_cache(&self) {
        self.clerk.clear_tokens();
    }

    /// Creates a new client on the server (`PUT /v1/client`).
    pub async fn create(&self) -> Result<ClientResource, ClerkError> {
        let client: wire::Client = self
            .clerk
            .call(FapiRequest::new(Method::Put, "/client"))
            .await?;
        self.clerk.apply_client(Some(client.clone()), Select::Keep);
        Ok(ClientResource::new(self.clerk, client))
    }

    /// Deletes the client and all its sessions (`DELETE /v1/client`), then starts over empty.
    pub async fn destroy(&self) -> Result<(), ClerkError> {
        self.clerk
            .send(&FapiRequest::new(Method::Delete, "/client"))
            .await?;
        self.clerk.clear_tokens();
        self.clerk.apply_client(None, Select::Set(None));
        Ok(())
    }

    /// Reloads the client from the server, with the native OAuth nonce if given.
    pub async fn reload(
        &self,
        rotating_token_nonce: Option<&str>,
    ) -> Result<ClientResource, ClerkError> {
        let mut request = FapiRequest::new(Method::Get, "/client");
        if let Some(nonce) = rotating_token_nonce {
            request = request.query("rotating_token_nonce", nonce);
        }
        let client: Option<wire::Client> = self.clerk.call_reload(request).await?;
        self.clerk.apply_client(client.clone(), Select::Keep);
        client
            .map(|c| ClientResource::new(self.clerk, c))
            .ok_or_else(|| ClerkError::Decode("the server has no client".into()))
    }

    /// Removes every session but keeps the client (`DELETE /v1/client/sessions`).
    pub async fn remove_sessions(&self) -> Result<ClientResource, ClerkError> {
        let answer = self
            .clerk
            .fetch::<wire::Client>(&FapiRequest::new(Method::Delete, "/client/sessions"))
            .await?;
        let client = answer.response;
        self.clerk.clear_tokens();
        self.clerk
            .apply_client(Some(client.clone()), Select::Set(None));
        Ok(ClientResource::new(self.clerk, client))
    }

    /// Forgets the sign-in in progress, locally.
    pub fn reset_sign_in(&self) {
        self.clerk.client_data.try_update(|c| {
            if let Some(c) = c.as_mut() {
                c.sign_in = None;
            }
        });
    }

    /// Forgets the sign-up in progress, locally.
    pub fn reset_sign_up(&self) {
        self.clerk.client_data.try_update(|c| {
            if let Some(c) = c.as_mut() {
                c.sign_up = None;
            }
        });
    }
}

resource! {
    /// A session (Clerk's `Session` object): every field of [`wire::Session`] (`id`,
    /// `status`, `user`, `public_user_data`, `last_active_at`, `abandon_at`, `expire_at`,
    /// `created_at`, `updated_at`, `last_active_token`, `last_active_organization_id`,
    /// `actor`, `tasks`, `factor_verification_age`) and its methods.
    ///
    /// ```no_run
    /// # async fn demo(session: leptos_clerk::SessionResource) -> Result<(), leptos_clerk::ClerkError> {
    /// use leptos_clerk::GetTokenOptions;
    /// let jwt = session.get_token(GetTokenOptions::default()).await?;
    /// let for_hasura = session
    ///     .get_token(GetTokenOptions { template: Some("hasura".into()), ..Default::default() })
    ///     .await?;
    /// session.touch().await?;
    /// # let _ = (jwt, for_hasura); Ok(()) }
    /// ```
    SessionResource => wire::Session
}

impl SessionResource {
    /// A session token (or one from a JWT template). `Ok(None)` means the session is no
    /// longer signed in; offline, network and API failures are errors.
    pub async fn get_token(&self, options: GetTokenOptions) -> Result<Option<String>, ClerkError> {
        self.clerk.token(&self.data.id, options).await
    }

    /// Signs out of this session (status `ended`).
    pub async fn end(&self) -> Result<SessionResource, ClerkError> {
        self.lifecycle("end").await
    }

    /// Removes this session from the client (status `removed`).
    pub async fn remove(&self) -> Result<SessionResource, ClerkError> {
        self.lifecycle("remove").await
    }

    async fn lifecycle(&self, action: &str) -> Result<SessionResource, ClerkError> {
        let id = &self.data.id;
        let request = FapiRequest::new(Method::Post, format!("/client/sessions/{id}/{action}"));
        let session: wire::Session = self.clerk.call(request).await?;
        if let Ok(inner) = self.clerk.inner() {
            inner.tokens.borrow_mut().remove_session(id);
        }
        Ok(SessionResource::new(self.clerk, session))
    }

    /// Marks the session active now, keeping its organization.
    pub async fn touch(&self) -> Result<SessionResource, ClerkError> {
        self.touch_with_intent(None).await
    }

    pub(crate) async fn touch_with_intent(
        &self,
        intent: Option<&str>,
    ) -> Result<SessionResource, ClerkError> {
        let id = &self.data.id;
        let mut request = FapiRequest::new(Method::Post, format!("/client/sessions/{id}/touch"))
            .field(
                "active_organization_id",
                self.data
                    .last_active_organization_id
                    .clone()
                    .unwrap_or_default(),
            );
        if let Some(intent) = intent {
            request = request.field("intent", intent);
        }
        match self.clerk.call::<wire::Session>(request).await {
            Ok(session) => Ok(SessionResource::new(self.clerk, session)),
            Err(e) => {
                if e.is_unauthenticated() {
                    let _ = self.clerk.handle_unauthenticated().await;
                }
                Err(e)
            }
        }
    }

    /// Whether the session's user has a role, permission, feature or plan (and verified
    /// recently enough).
    pub fn has(&self, check: &Has) -> bool {
        state::authorization(&self.data).has(check)
    }

    /// The session's user, as a resource.
    pub fn user_resource(&self) -> Option<UserResource> {
        self.data
            .user
            .clone()
            .map(|u| UserResource::new(self.clerk, u))
    }
}

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

    /// Adds an email address (unverified until its code is attempted).
    pub async fn create_email_address(
        &self,
        email_address: &str,
    ) -> Result<wire::EmailAddress, ClerkError> {
        let request = FapiRequest::new(Method::Post, "/me/email_addresses")
            .field("email_address", email_address);
        let email = self.clerk.call(request).await?;
        self.refresh().await;
        Ok(email)
    }

    /// Adds a phone number (unverified until its code is attempted).
    pub async fn create_phone_number(
        &self,
        phone_number: &str,
    ) -> Result<wire::PhoneNumber, ClerkError> {
        let request =
            FapiRequest::new(Method::Post, "/me/phone_numbers").field("phone_number", phone_number);
        let phone = self.clerk.call(request).await?;
        self.refresh().await;
        Ok(phone)
    }

    /// Sends a verification code to an email address or phone number of the user
    /// (`kind` is `email_addresses` or `phone_numbers`).
    pub async fn prepare_identification(
        &self,
        kind: IdentificationKind,
        id: &str,
    ) -> Result<(), ClerkError> {
        let strategy = kind.strategy();
        let path = format!("/me/{}/{id}/prepare_verification", kind.path());
        let request = FapiRequest::new(Method::Post, path).field("strategy", strategy);
        self.clerk.call::<serde::de::IgnoredAny>(request).await?;
        Ok(())
    }

    /// Verifies an email address or phone number of the user with its code.
    pub async fn attempt_identification(
        &self,
        kind: IdentificationKind,
        id: &str,
        code: &str,
    ) -> Result<(), ClerkError> {
        let path = format!("/me/{}/{id}/attempt_verification", kind.path());
        let request = FapiRequest::new(Method::Post, path).field("code", code);
        self.clerk.call::<serde::de::IgnoredAny>(request).await?;
        self.refresh().await;
        Ok(())
    }

    /// Deletes an email address or phone number of the user.
    pub async fn delete_identification(
        &self,
        kind: IdentificationKind,
        id: &str,
    ) -> Result<(), ClerkError> {
        let request = FapiRequest::new(Method::Delete, format!("/me/{}/{id}", kind.path()));
        self.clerk.call::<serde::de::IgnoredAny>(request).await?;
        self.refresh().await;
        Ok(())
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
        let after = self
            .clerk
            .options()
            .after_sign_out_url
            .unwrap_or_else(|| "/".to_owned());
        self.clerk.redirect_checked(&after)
    }

    /// The user's sessions on every device (`GET /v1/me/sessions/active`, a bare list).
    pub async fn get_sessions(&self) -> Result<Vec<wire::Session>, ClerkError> {
        self.clerk
            .call_raw(FapiRequest::new(Method::Get, "/me/sessions/active"))
            .await
    }

    /// Revokes a session of the user, on any device.
    pub async fn revoke_session(&self, session_id: &str) -> Result<(), ClerkError> {
        let request = FapiRequest::new(Method::Post, format!("/me/sessions/{session_id}/revoke"));
        self.clerk.call::<serde::de::IgnoredAny>(request).await?;
        Ok(())
    }

    async fn user_call(&self, request: FapiRequest) -> Result<UserResource, ClerkError> {
        let user: wire::User = self.clerk.call(request).await?;
        self.clerk.replace_user(&user);
        Ok(UserResource::new(self.clerk, user))
    }

    pub(crate) async fn refresh(&self) {
        if let Err(e) = self.reload().await {
            leptos::logging::warn!("leptos-clerk: could not reload the user: {e}");
        }
    }
}

/// Which kind of identification a [`UserResource`] method is about.
///
/// ```
/// use leptos_clerk::IdentificationKind;
/// assert_ne!(IdentificationKind::EmailAddress, IdentificationKind::PhoneNumber);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdentificationKind {
    /// An email address (verified with `email_code`).
    EmailAddress,
    /// A phone number (verified with `phone_code`).
    PhoneNumber,
}

impl IdentificationKind {
    fn path(self) -> &'static str {
        match self {
            Self::EmailAddress => "email_addresses",
            Self::PhoneNumber => "phone_numbers",
        }
    }

    fn strategy(self) -> &'static str {
        match self {
            Self::EmailAddress => "email_code",
            Self::PhoneNumber => "phone_code",
        }
    }
}

impl Clerk {
    /// Puts a fresh copy of the user into every session of the client that has it.
    pub(crate) fn replace_user(&self, user: &wire::User) {
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
