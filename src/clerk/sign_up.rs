//! Sign-up flows step by step (Clerk's `SignUp` resource and `useSignUp` custom flows).

use serde::Serialize;

use super::Clerk;
use crate::core::error::ClerkError;
use crate::core::request::{FapiRequest, Method};
use crate::core::wire::{self, Metadata, SignUpStatus, Strategy};

resource! {
    /// A sign-up attempt (Clerk's `SignUp` object): every field of [`wire::SignUp`] and the
    /// steps of a custom flow.
    ///
    /// ```no_run
    /// # async fn demo(clerk: leptos_clerk::Clerk) -> Result<(), leptos_clerk::ClerkError> {
    /// use leptos_clerk::{SetActive, SignUpFields, SignUpStep};
    /// use leptos_clerk::core::wire::Strategy;
    /// let fields = SignUpFields {
    ///     email_address: Some("ada+clerk_test@example.com".into()),
    ///     password: Some("correct horse battery".into()),
    ///     ..Default::default()
    /// };
    /// let sign_up = clerk.create_sign_up(&fields).await?;
    /// let sign_up = sign_up.prepare_verification(Strategy::EmailCode).await?;
    /// let sign_up = sign_up.attempt_verification(Strategy::EmailCode, "424242").await?;
    /// if let SignUpStep::Complete { session_id, .. } = sign_up.step() {
    ///     clerk.set_active(SetActive::new().session(session_id.as_str())).await?;
    /// }
    /// # Ok(()) }
    /// ```
    SignUpResource => wire::SignUp
}

/// The fields of a sign-up (create and update). Unset fields are not sent.
///
/// ```
/// use leptos_clerk::SignUpFields;
/// let f = SignUpFields { username: Some("ada".into()), ..Default::default() };
/// assert!(f.email_address.is_none());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SignUpFields {
    /// Email address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_address: Option<String>,
    /// Phone number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Username.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Password.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// First name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Metadata copied to the user (sent as JSON text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unsafe_metadata: Option<Metadata>,
    /// The user accepted the legal terms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legal_accepted: Option<bool>,
}

/// What a sign-up needs next, typed.
///
/// ```
/// use leptos_clerk::SignUpStep;
/// assert_ne!(SignUpStep::VerifyEmail, SignUpStep::VerifyPhone);
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum SignUpStep {
    /// These required fields are still missing.
    MissingFields(Vec<String>),
    /// Verify the email address with a code.
    VerifyEmail,
    /// Verify the phone number with a code.
    VerifyPhone,
    /// Done.
    Complete {
        /// The new session.
        session_id: String,
        /// The new user.
        user_id: String,
    },
    /// A status this SDK does not drive.
    Other(SignUpStatus),
}

impl Clerk {
    /// Starts a sign-up (`POST /v1/client/sign_ups`).
    pub async fn create_sign_up(
        &self,
        fields: &SignUpFields,
    ) -> Result<SignUpResource, ClerkError> {
        let request = FapiRequest::new(Method::Post, "/client/sign_ups").body_of(fields)?;
        let sign_up = self.call(request).await?;
        Ok(SignUpResource::new(*self, sign_up))
    }
}

impl SignUpResource {
    /// The typed next step.
    pub fn step(&self) -> SignUpStep {
        let s = &self.data;
        match &s.status {
            SignUpStatus::Complete => match (&s.created_session_id, &s.created_user_id) {
                (Some(session_id), Some(user_id)) => SignUpStep::Complete {
                    session_id: session_id.clone(),
                    user_id: user_id.clone(),
                },
                _ => SignUpStep::Other(SignUpStatus::Complete),
            },
            SignUpStatus::MissingRequirements => {
                if s.unverified_fields.iter().any(|f| f == "email_address") {
                    SignUpStep::VerifyEmail
                } else if s.unverified_fields.iter().any(|f| f == "phone_number") {
                    SignUpStep::VerifyPhone
                } else {
                    SignUpStep::MissingFields(s.missing_fields.clone())
                }
            }
            other => SignUpStep::Other(other.clone()),
        }
    }

    async fn step_call(&self, request: FapiRequest) -> Result<SignUpResource, ClerkError> {
        let sign_up = self.clerk.call(request).await?;
        Ok(SignUpResource::new(self.clerk, sign_up))
    }

    /// Adds or changes fields.
    pub async fn update(&self, fields: &SignUpFields) -> Result<SignUpResource, ClerkError> {
        let path = format!("/client/sign_ups/{}", self.data.id);
        self.step_call(FapiRequest::new(Method::Patch, path).body_of(fields)?)
            .await
    }

    /// Sends the verification code (`email_code` or `phone_code`).
    pub async fn prepare_verification(
        &self,
        strategy: Strategy,
    ) -> Result<SignUpResource, ClerkError> {
        let path = format!("/client/sign_ups/{}/prepare_verification", self.data.id);
        self.step_call(FapiRequest::new(Method::Post, path).field("strategy", strategy.as_str()))
            .await
    }

    /// Checks the verification code.
    pub async fn attempt_verification(
        &self,
        strategy: Strategy,
        code: &str,
    ) -> Result<SignUpResource, ClerkError> {
        let path = format!("/client/sign_ups/{}/attempt_verification", self.data.id);
        let request = FapiRequest::new(Method::Post, path)
            .field("strategy", strategy.as_str())
            .field("code", code);
        self.step_call(request).await
    }

    /// Reads the attempt again.
    pub async fn reload(&self) -> Result<SignUpResource, ClerkError> {
        let path = format!("/client/sign_ups/{}", self.data.id);
        let sign_up = self
            .clerk
            .call_reload(FapiRequest::new(Method::Get, path))
            .await?;
        Ok(SignUpResource::new(self.clerk, sign_up))
    }
}
