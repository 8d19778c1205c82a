//! String enums of the Frontend API. Every one keeps values it does not know in `Unknown`, so a
//! new server value never breaks decoding (a JSON `null` decodes as `Unknown("")`).

/// Reads a JSON string, or `null` as `None`.
struct WireStringVisitor;

impl<'de> serde::de::Visitor<'de> for WireStringVisitor {
    type Value = Option<String>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string or null")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// Defines a wire string enum with an `Unknown(String)` catch-all.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $wire:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the SDK does not know, kept exactly as the server sent it.
            Unknown(String),
        }

        impl $name {
            /// The value as it travels on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Unknown(other) => other,
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $wire => Self::$variant, )+
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        /// The empty unknown value (for lenient models that default missing fields).
        impl ::core::default::Default for $name {
            fn default() -> Self {
                Self::Unknown(String::new())
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                // `deserialize_any`, not an Option: a missing field stays an error, while an
                // explicit `null` is an unknown (empty) value.
                deserializer.deserialize_any(WireStringVisitor).map(|v| match v {
                    Some(text) => Self::from(text.as_str()),
                    None => Self::Unknown(String::new()),
                })
            }
        }
    };
}

wire_enum! {
    /// The status of a [`Session`](super::Session). Only `Active` and `Pending` count as signed in.
    ///
    /// ```
    /// use clerk_core::wire::SessionStatus;
    /// assert!(SessionStatus::Pending.is_signed_in());
    /// assert_eq!(SessionStatus::from("revoked"), SessionStatus::Revoked);
    /// ```
    SessionStatus {
        /// Signed in and usable.
        Active = "active",
        /// Signed in, with tasks to finish first (for example choosing an organization).
        Pending = "pending",
        /// Signed out with `end()` or a sign-out.
        Ended = "ended",
        /// Past its `expire_at`.
        Expired = "expired",
        /// Removed from the client with `remove()`.
        Removed = "removed",
        /// Inactive for longer than the inactivity timeout.
        Abandoned = "abandoned",
        /// Replaced by a new sign-in in single-session mode.
        Replaced = "replaced",
        /// Revoked from the backend.
        Revoked = "revoked",
    }
}

impl SessionStatus {
    /// Whether a session in this status counts as signed in (active or pending), as clerk-js's
    /// `signedInSessions` does.
    pub fn is_signed_in(&self) -> bool {
        matches!(self, Self::Active | Self::Pending)
    }
}

wire_enum! {
    /// The status of a [`SignIn`](super::SignIn).
    ///
    /// ```
    /// use clerk_core::wire::SignInStatus;
    /// assert_eq!(SignInStatus::from("needs_first_factor"), SignInStatus::NeedsFirstFactor);
    /// ```
    SignInStatus {
        /// The identifier is still missing.
        NeedsIdentifier = "needs_identifier",
        /// A first factor (password, code…) is needed.
        NeedsFirstFactor = "needs_first_factor",
        /// A second factor (TOTP, phone code, backup code) is needed.
        NeedsSecondFactor = "needs_second_factor",
        /// The client must be trusted first (new device check).
        NeedsClientTrust = "needs_client_trust",
        /// A new password must be set (reset flow).
        NeedsNewPassword = "needs_new_password",
        /// A bot-protection check is needed.
        NeedsProtectCheck = "needs_protect_check",
        /// Done: `created_session_id` holds the new session.
        Complete = "complete",
        /// Given up.
        Abandoned = "abandoned",
    }
}

wire_enum! {
    /// The status of a [`SignUp`](super::SignUp).
    ///
    /// ```
    /// use clerk_core::wire::SignUpStatus;
    /// assert_eq!(SignUpStatus::Complete.as_str(), "complete");
    /// ```
    SignUpStatus {
        /// Fields or verifications are still missing.
        MissingRequirements = "missing_requirements",
        /// Done: `created_user_id` and `created_session_id` are set.
        Complete = "complete",
        /// Given up.
        Abandoned = "abandoned",
    }
}

wire_enum! {
    /// The status of a [`Verification`](super::Verification).
    ///
    /// ```
    /// use clerk_core::wire::VerificationStatus;
    /// assert_eq!(VerificationStatus::from("verified"), VerificationStatus::Verified);
    /// ```
    VerificationStatus {
        /// Not verified yet.
        Unverified = "unverified",
        /// Verified.
        Verified = "verified",
        /// Verified elsewhere and can be transferred (OAuth sign-in to sign-up).
        Transferable = "transferable",
        /// Failed (too many attempts).
        Failed = "failed",
        /// The code or link expired.
        Expired = "expired",
    }
}

wire_enum! {
    /// A verification or factor strategy.
    ///
    /// ```
    /// use clerk_core::wire::Strategy;
    /// assert_eq!(Strategy::from("email_code"), Strategy::EmailCode);
    /// assert_eq!(Strategy::from("oauth_github"), Strategy::Unknown("oauth_github".into()));
    /// ```
    Strategy {
        /// Password.
        Password = "password",
        /// One-time code sent by email.
        EmailCode = "email_code",
        /// Magic link sent by email.
        EmailLink = "email_link",
        /// One-time code sent by SMS.
        PhoneCode = "phone_code",
        /// Authenticator app code.
        Totp = "totp",
        /// Backup code.
        BackupCode = "backup_code",
        /// Password-reset code sent by email.
        ResetPasswordEmailCode = "reset_password_email_code",
        /// Password-reset code sent by SMS.
        ResetPasswordPhoneCode = "reset_password_phone_code",
        /// Passkey (WebAuthn).
        Passkey = "passkey",
        /// Sign-in ticket (invitation, impersonation).
        Ticket = "ticket",
        /// Enterprise SSO.
        EnterpriseSso = "enterprise_sso",
        /// SAML.
        Saml = "saml",
        /// Set by an administrator.
        Admin = "admin",
    }
}

wire_enum! {
    /// What a sign-up verification needs next.
    ///
    /// ```
    /// use clerk_core::wire::NextAction;
    /// assert_eq!(NextAction::from("needs_attempt"), NextAction::NeedsAttempt);
    /// ```
    NextAction {
        /// `prepare_verification` must be called (send the code).
        NeedsPrepare = "needs_prepare",
        /// `attempt_verification` must be called (enter the code).
        NeedsAttempt = "needs_attempt",
        /// Nothing.
        None = "",
    }
}

wire_enum! {
    /// An identifier a sign-in accepts.
    ///
    /// ```
    /// use clerk_core::wire::IdentifierKind;
    /// assert_eq!(IdentifierKind::from("username"), IdentifierKind::Username);
    /// ```
    IdentifierKind {
        /// Email address.
        EmailAddress = "email_address",
        /// Phone number.
        PhoneNumber = "phone_number",
        /// Username.
        Username = "username",
        /// Web3 wallet.
        Web3Wallet = "web3_wallet",
        /// Passkey.
        Passkey = "passkey",
    }
}

wire_enum! {
    /// A task a `pending` session must finish before it becomes active.
    ///
    /// ```
    /// use clerk_core::wire::SessionTaskKey;
    /// assert_eq!(SessionTaskKey::from("choose-organization"), SessionTaskKey::ChooseOrganization);
    /// ```
    SessionTaskKey {
        /// Pick or create an organization.
        ChooseOrganization = "choose-organization",
        /// Set a new password.
        ResetPassword = "reset-password",
        /// Set up multi-factor authentication.
        SetupMfa = "setup-mfa",
    }
}

wire_enum! {
    /// The kind of instance a publishable key or environment belongs to.
    ///
    /// ```
    /// use clerk_core::wire::InstanceType;
    /// assert_eq!(InstanceType::from("development"), InstanceType::Development);
    /// ```
    InstanceType {
        /// A development instance (`pk_test_`).
        Development = "development",
        /// A production instance (`pk_live_`).
        Production = "production",
        /// A staging instance.
        Staging = "staging",
    }
}

wire_enum! {
    /// Clerk's error codes, as found in `errors[].code`.
    ///
    /// ```
    /// use clerk_core::wire::ErrorCode;
    /// assert_eq!(ErrorCode::from("form_password_incorrect"), ErrorCode::FormPasswordIncorrect);
    /// assert_eq!(ErrorCode::from("brand_new"), ErrorCode::Unknown("brand_new".into()));
    /// ```
    ErrorCode {
        /// No user has this identifier.
        FormIdentifierNotFound = "form_identifier_not_found",
        /// Another user already has this identifier.
        FormIdentifierExists = "form_identifier_exists",
        /// Wrong password.
        FormPasswordIncorrect = "form_password_incorrect",
        /// The password appears in a known breach.
        FormPasswordPwned = "form_password_pwned",
        /// The password is too short.
        FormPasswordLengthTooShort = "form_password_length_too_short",
        /// The password is too long.
        FormPasswordLengthTooLong = "form_password_length_too_long",
        /// The password misses a required kind of character.
        FormPasswordValidationFailed = "form_password_validation_failed",
        /// Wrong code.
        FormCodeIncorrect = "form_code_incorrect",
        /// A required parameter is missing.
        FormParamMissing = "form_param_missing",
        /// A parameter has a bad format.
        FormParamFormatInvalid = "form_param_format_invalid",
        /// A parameter has an unknown value.
        FormParamUnknown = "form_param_unknown",
        /// A parameter's value is not allowed.
        FormParamValueInvalid = "form_param_value_invalid",
        /// A parameter was not expected here.
        FormParamNotAllowed = "form_param_not_allowed",
        /// The username is too short or too long.
        FormUsernameInvalidLength = "form_username_invalid_length",
        /// The code or link expired.
        VerificationExpired = "verification_expired",
        /// Too many failed verification attempts.
        VerificationFailed = "verification_failed",
        /// The strategy cannot be used by this user.
        StrategyForUserInvalid = "strategy_for_user_invalid",
        /// Sign-ups are not allowed.
        NotAllowedToSignUp = "not_allowed_to_sign_up",
        /// A session already exists (single-session mode).
        SessionExists = "session_exists",
        /// Too many failed attempts: the account is locked for a while.
        UserLocked = "user_locked",
        /// The user is banned.
        UserBanned = "user_banned",
        /// The user is deactivated.
        UserDeactivated = "user_deactivated",
        /// The captcha failed.
        CaptchaInvalid = "captcha_invalid",
        /// A captcha is required.
        RequiresCaptcha = "requires_captcha",
        /// Sign-up is restricted to invitations.
        SignUpModeRestricted = "sign_up_mode_restricted",
        /// The request's origin is not allowed.
        OriginInvalid = "origin_invalid",
        /// The dev-browser token is missing or unknown.
        DevBrowserUnauthenticated = "dev_browser_unauthenticated",
        /// The session token to refresh is missing.
        MissingExpiredToken = "missing_expired_token",
        /// Native API calls are disabled.
        NativeApiDisabled = "native_api_disabled",
        /// There is no signed-in session.
        SignedOut = "signed_out",
        /// Authentication is needed.
        AuthenticationInvalid = "authentication_invalid",
        /// Not allowed.
        NotAuthorized = "not_authorized",
        /// Nothing at this path, or no such resource.
        ResourceNotFound = "resource_not_found",
        /// This HTTP method is not allowed here.
        MethodNotAllowed = "request_method_not_allowed",
        /// The request body is malformed.
        MalformedRequestParameters = "malformed_request_parameters",
        /// Too many requests.
        TooManyRequests = "too_many_requests",
        /// The resource is in a state where this is not possible.
        ConflictingState = "conflicting_state",
        /// The organization membership quota is reached.
        OrganizationMembershipQuotaExceeded = "organization_membership_quota_exceeded",
        /// Something failed on the server.
        InternalServerError = "internal_clerk_error",
    }
}
