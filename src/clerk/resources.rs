//! Clerk's resource objects: the data (every field, through `Deref`) with the methods that
//! talk to FAPI.

use leptos::prelude::*;

use super::{Clerk, GetTokenOptions, Select, UserResource};
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
        let endpoint = inner.config.endpoint.clone()?;
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
            .fetch_answer::<wire::Client>(&FapiRequest::new(Method::Delete, "/client/sessions"))
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
