//! Sign-in flows step by step (Clerk's `SignIn` resource and `useSignIn` custom flows).

use serde::Serialize;

use super::Clerk;
use crate::core::error::ClerkError;
use crate::core::request::{FapiRequest, Method};
use crate::core::wire::{self, SignInFactor, SignInStatus, Strategy};

resource! {
    /// A sign-in attempt (Clerk's `SignIn` object): every field of [`wire::SignIn`] and the
    /// steps of a custom flow.
    ///
    /// ```no_run
    /// # async fn demo(clerk: leptos_clerk::Clerk) -> Result<(), leptos_clerk::ClerkError> {
    /// use leptos_clerk::{AttemptFactor, SetActive, SignInCreate, SignInStep};
    /// let sign_in = clerk.create_sign_in(&SignInCreate::identifier("ada@example.com")).await?;
    /// let sign_in = sign_in.attempt_first_factor(&AttemptFactor::password("correct horse")).await?;
    /// if let SignInStep::Complete { session_id } = sign_in.step() {
    ///     clerk.set_active(SetActive::new().session(session_id.as_str())).await?;
    /// }
    /// # Ok(()) }
    /// ```
    SignInResource => wire::SignIn
}

/// The fields of `POST /v1/client/sign_ins`.
///
/// ```
/// use leptos_clerk::SignInCreate;
/// let one_step = SignInCreate::password("ada@example.com", "correct horse");
/// assert_eq!(one_step.strategy.as_deref(), Some("password"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SignInCreate {
    /// Email, phone or username.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// A first-factor strategy to start with (`password`, `email_code`…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strategy: Option<String>,
    /// The password, to sign in in one call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// A sign-in ticket (invitation, impersonation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    /// Where an email link or OAuth flow comes back to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
    /// Turn a sign-up attempt into this sign-in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transfer: Option<bool>,
}

impl SignInCreate {
    /// Starts with an identifier only (then pick a factor).
    pub fn identifier(identifier: &str) -> Self {
        Self {
            identifier: Some(identifier.to_owned()),
            ..Self::default()
        }
    }

    /// Identifier and password in one call.
    pub fn password(identifier: &str, password: &str) -> Self {
        Self {
            identifier: Some(identifier.to_owned()),
            strategy: Some("password".into()),
            password: Some(password.to_owned()),
            ..Self::default()
        }
    }
}

/// The fields of a `prepare_first_factor` / `prepare_second_factor` call (sends a code). When
/// the identification id is left out it is taken from the sign-in's supported factors.
///
/// ```
/// use leptos_clerk::PrepareFactor;
/// use leptos_clerk::core::wire::Strategy;
/// assert_eq!(PrepareFactor::new(Strategy::EmailCode).strategy, Strategy::EmailCode);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PrepareFactor {
    /// `email_code`, `phone_code`, `reset_password_email_code`…
    pub strategy: Strategy,
    /// The email address to send to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_address_id: Option<String>,
    /// The phone number to send to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number_id: Option<String>,
    /// Where an email link comes back to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
}

impl PrepareFactor {
    /// Prepares a strategy, with the identification taken from the supported factors.
    pub fn new(strategy: Strategy) -> Self {
        Self {
            strategy,
            email_address_id: None,
            phone_number_id: None,
            redirect_url: None,
        }
    }
}

/// The fields of an `attempt_first_factor` / `attempt_second_factor` call.
///
/// ```
/// use leptos_clerk::AttemptFactor;
/// use leptos_clerk::core::wire::Strategy;
/// assert_eq!(AttemptFactor::code(Strategy::Totp, "123456").code.as_deref(), Some("123456"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AttemptFactor {
    /// The strategy.
    pub strategy: Strategy,
    /// The code (email, phone, TOTP, backup).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The password.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

impl AttemptFactor {
    /// A password attempt.
    pub fn password(password: &str) -> Self {
        Self {
            strategy: Strategy::Password,
            code: None,
            password: Some(password.to_owned()),
        }
    }

    /// A code attempt.
    pub fn code(strategy: Strategy, code: &str) -> Self {
        Self {
            strategy,
            code: Some(code.to_owned()),
            password: None,
        }
    }
}

/// The fields of `reset_password`.
///
/// ```
/// use leptos_clerk::ResetPassword;
/// let r = ResetPassword { password: "new one".into(), sign_out_of_other_sessions: true };
/// assert!(r.sign_out_of_other_sessions);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResetPassword {
    /// The new password.
    pub password: String,
    /// End the user's other sessions.
    pub sign_out_of_other_sessions: bool,
}

/// What a sign-in needs next, typed.
///
/// ```
/// use leptos_clerk::SignInStep;
/// let step = SignInStep::Complete { session_id: "sess_1".into() };
/// assert!(matches!(step, SignInStep::Complete { .. }));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum SignInStep {
    /// Ask for the identifier.
    NeedsIdentifier,
    /// Ask for one of these first factors.
    NeedsFirstFactor(Vec<SignInFactor>),
    /// Ask for one of these second factors.
    NeedsSecondFactor(Vec<SignInFactor>),
    /// Ask for a new password (reset flow).
    NeedsNewPassword,
    /// Done: make this session active.
    Complete {
        /// The new session.
        session_id: String,
    },
    /// A status this SDK does not drive (client trust, protect check, abandoned…).
    Other(SignInStatus),
}

impl Clerk {
    /// Starts a sign-in (`POST /v1/client/sign_ins`).
    pub async fn create_sign_in(
        &self,
        params: &SignInCreate,
    ) -> Result<SignInResource, ClerkError> {
        let request = FapiRequest::new(Method::Post, "/client/sign_ins").body_of(params)?;
        let sign_in = self.call(request).await?;
        Ok(SignInResource::new(*self, sign_in))
    }
}

impl SignInResource {
    /// The typed next step.
    pub fn step(&self) -> SignInStep {
        let s = &self.data;
        match &s.status {
            SignInStatus::NeedsIdentifier => SignInStep::NeedsIdentifier,
            SignInStatus::NeedsFirstFactor => {
                SignInStep::NeedsFirstFactor(s.supported_first_factors.clone().unwrap_or_default())
            }
            SignInStatus::NeedsSecondFactor => SignInStep::NeedsSecondFactor(
                s.supported_second_factors.clone().unwrap_or_default(),
            ),
            SignInStatus::NeedsNewPassword => SignInStep::NeedsNewPassword,
            SignInStatus::Complete => match &s.created_session_id {
                Some(id) => SignInStep::Complete {
                    session_id: id.clone(),
                },
                None => SignInStep::Other(SignInStatus::Complete),
            },
            other => SignInStep::Other(other.clone()),
        }
    }

    fn fill_ids(&self, mut params: PrepareFactor, second: bool) -> PrepareFactor {
        let factor = if second {
            self.data.second_factor(&params.strategy)
        } else {
            self.data.first_factor(&params.strategy)
        };
        if let Some(f) = factor {
            if params.email_address_id.is_none() {
                params.email_address_id = f.email_address_id.clone();
            }
            if params.phone_number_id.is_none() {
                params.phone_number_id = f.phone_number_id.clone();
            }
        }
        params
    }

    async fn step_call<T: Serialize>(
        &self,
        action: &str,
        body: &T,
    ) -> Result<SignInResource, ClerkError> {
        let path = format!("/client/sign_ins/{}/{action}", self.data.id);
        let request = FapiRequest::new(Method::Post, path).body_of(body)?;
        let sign_in = self.clerk.call(request).await?;
        Ok(SignInResource::new(self.clerk, sign_in))
    }

    /// Sends the first-factor code.
    pub async fn prepare_first_factor(
        &self,
        params: &PrepareFactor,
    ) -> Result<SignInResource, ClerkError> {
        self.step_call(
            "prepare_first_factor",
            &self.fill_ids(params.clone(), false),
        )
        .await
    }

    /// Checks the first factor.
    pub async fn attempt_first_factor(
        &self,
        params: &AttemptFactor,
    ) -> Result<SignInResource, ClerkError> {
        self.step_call("attempt_first_factor", params).await
    }

    /// Sends the second-factor code (phone or email; TOTP needs none).
    pub async fn prepare_second_factor(
        &self,
        params: &PrepareFactor,
    ) -> Result<SignInResource, ClerkError> {
        self.step_call(
            "prepare_second_factor",
            &self.fill_ids(params.clone(), true),
        )
        .await
    }

    /// Checks the second factor.
    pub async fn attempt_second_factor(
        &self,
        params: &AttemptFactor,
    ) -> Result<SignInResource, ClerkError> {
        self.step_call("attempt_second_factor", params).await
    }

    /// Sets the new password after a reset code was verified.
    pub async fn reset_password(
        &self,
        params: &ResetPassword,
    ) -> Result<SignInResource, ClerkError> {
        self.step_call("reset_password", params).await
    }

    /// Reads the attempt again.
    pub async fn reload(&self) -> Result<SignInResource, ClerkError> {
        let path = format!("/client/sign_ins/{}", self.data.id);
        let sign_in = self
            .clerk
            .call_reload(FapiRequest::new(Method::Get, path))
            .await?;
        Ok(SignInResource::new(self.clerk, sign_in))
    }
}
