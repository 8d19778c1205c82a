//! `Localization`: every user-facing string of the prebuilt components, in one typed struct
//! with English defaults.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::core::error::ClerkError;
use crate::core::wire::{ApiError, ErrorCode, PasswordProblem};

/// Defines [`Localization`]: one `Option` field per string (its doc shows the English text),
/// and one method per string that falls back to English.
macro_rules! strings {
    ($( $(#[$doc:meta])* $name:ident = $english:literal, )+) => {
        /// Every user-facing string of the prebuilt components. Each field is an override;
        /// a field left `None` falls back to English, string by string, so a partial
        /// translation never shows an empty label. Read a string with the method of the same
        /// name. `{app}`, `{identifier}`, `{name}`… are placeholders filled in by the
        /// components (see [`fill`]).
        ///
        /// Errors from Clerk are shown with the server's `long_message` (else `message`),
        /// unless [`errors`](Self::errors) has a text for the error's code.
        ///
        /// Complete translations (German, French, Spanish, Brazilian Portuguese, Japanese)
        /// come bundled in [`localizations`](crate::ui::localizations).
        ///
        /// ```
        /// use leptos_clerk::ui::Localization;
        /// use leptos_clerk::core::wire::ErrorCode;
        /// let german = Localization {
        ///     sign_in_title: Some("Bei {app} anmelden".into()),
        ///     form_continue: Some("Weiter".into()),
        ///     ..Default::default()
        /// }
        /// .error(ErrorCode::FormPasswordIncorrect, "Falsches Passwort.");
        /// assert_eq!(german.form_continue(), "Weiter");
        /// assert_eq!(german.sign_in_subtitle(), "Welcome back! Please sign in to continue");
        /// ```
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct Localization {
            $(
                $(#[$doc])*
                #[doc = concat!("\n\nEnglish: \"", $english, "\".")]
                pub $name: Option<Cow<'static, str>>,
            )+
            /// Texts per Clerk error code, shown instead of the server's message.
            pub errors: HashMap<ErrorCode, Cow<'static, str>>,
        }

        impl Localization {
            $(
                #[doc = concat!("The `", stringify!($name), "` string (English: \"", $english, "\").")]
                pub fn $name(&self) -> &str {
                    self.$name.as_deref().unwrap_or($english)
                }
            )+

            /// Every string as `(name, text)`, overrides applied: for translators and tests.
            pub fn entries(&self) -> Vec<(&'static str, &str)> {
                vec![$( (stringify!($name), self.$name()), )+]
            }

            /// Sets the string called `name` (a field name, as [`entries`](Self::entries)
            /// lists them), for translations kept as tables; `false`, and nothing set, when
            /// no string has this name.
            ///
            /// ```
            /// use leptos_clerk::ui::Localization;
            /// let mut l = Localization::new();
            /// assert!(l.set("form_continue", "Weiter"));
            /// assert!(!l.set("no_such_string", "Nichts"));
            /// assert_eq!(l.form_continue(), "Weiter");
            /// ```
            pub fn set(&mut self, name: &str, text: impl Into<Cow<'static, str>>) -> bool {
                match name {
                    $( stringify!($name) => self.$name = Some(text.into()), )+
                    _ => return false,
                }
                true
            }

            /// The names of the strings left `None` (shown in English): what a translation
            /// still lacks.
            ///
            /// ```
            /// use leptos_clerk::ui::Localization;
            /// let mut l = Localization::new();
            /// assert!(l.missing().contains(&"form_continue"));
            /// l.set("form_continue", "Weiter");
            /// assert!(!l.missing().contains(&"form_continue"));
            /// assert_eq!(l.missing().len(), l.entries().len() - 1);
            /// ```
            pub fn missing(&self) -> Vec<&'static str> {
                let mut names = Vec::new();
                $(
                    if self.$name.is_none() {
                        names.push(stringify!($name));
                    }
                )+
                names
            }
        }
    };
}

strings! {
    // ---- shared
    /// Button that moves a form on.
    form_continue = "Continue",
    /// Goes back one step.
    form_back = "Back",
    /// Cancels a form.
    form_cancel = "Cancel",
    /// Saves a form.
    form_save = "Save",
    /// Marks a field that may stay empty.
    form_optional = "Optional",
    /// Announced after a form saved.
    form_saved = "Saved.",
    /// Link that changes the identifier shown above a form.
    form_edit = "Edit",
    /// Label of a one-time code field.
    label_code = "Verification code",
    /// Sends a code again.
    form_resend_code = "Didn't receive a code? Resend",
    /// Announced after a code was sent again.
    form_code_sent = "A new code was sent.",
    /// Shown while something loads.
    loading = "Loading…",
    /// A failure with no message from the server.
    error_generic = "Something went wrong. Please try again.",
    /// The browser is offline.
    error_offline = "You appear to be offline. Check your connection and try again.",
    /// The server could not be reached.
    error_network = "We could not reach the server. Please try again.",
    /// A card whose Clerk could not start (a misconfiguration: the details follow in development).
    startup_unavailable = "Sign-in is unavailable right now.",
    /// Under the unavailable line while Clerk keeps retrying.
    startup_retrying = "Trying again…",
    /// On SignIn while a sign-out waits for the server (it could not be reached).
    sign_out_pending = "You are signed out on this device. The server could not be reached to end the session; this finishes as soon as the connection is back.",
    /// Password shorter than allowed.
    password_too_short = "Your password must contain {min} or more characters.",
    /// Password longer than allowed.
    password_too_long = "Your password must contain fewer than {max} characters.",
    /// Password without a digit.
    password_needs_number = "Your password must contain a number.",
    /// Password without an uppercase letter.
    password_needs_uppercase = "Your password must contain an uppercase letter.",
    /// Password without a lowercase letter.
    password_needs_lowercase = "Your password must contain a lowercase letter.",
    /// Password without a special character.
    password_needs_special = "Your password must contain a special character.",
    /// The two new passwords differ.
    password_mismatch = "The passwords don't match.",
    /// A required field is empty.
    field_required = "This field is required.",

    // ---- field labels
    /// Email address field.
    label_email_address = "Email address",
    /// Username field.
    label_username = "Username",
    /// Phone number field.
    label_phone_number = "Phone number",
    /// Sign-in identifier: email or username.
    label_email_or_username = "Email address or username",
    /// Sign-in identifier: email or phone.
    label_email_or_phone = "Email address or phone number",
    /// Sign-in identifier: username or phone.
    label_username_or_phone = "Username or phone number",
    /// Sign-in identifier: any of the three.
    label_any_identifier = "Email address, username or phone number",
    /// Password field.
    label_password = "Password",
    /// Current password field.
    label_current_password = "Current password",
    /// New password field.
    label_new_password = "New password",
    /// Repeated new password field.
    label_confirm_password = "Confirm password",
    /// Checkbox ending the other sessions after a password change.
    label_sign_out_other_sessions = "Sign out of all other devices",
    /// First name field.
    label_first_name = "First name",
    /// Last name field.
    label_last_name = "Last name",
    /// Backup code field.
    label_backup_code = "Backup code",

    // ---- SignIn
    /// Title of the first sign-in step.
    sign_in_title = "Sign in to {app}",
    /// Subtitle of the first sign-in step.
    sign_in_subtitle = "Welcome back! Please sign in to continue",
    /// Before the sign-up link.
    sign_in_no_account = "Don't have an account?",
    /// The sign-up link.
    sign_in_sign_up_link = "Sign up",
    /// Title of the password step.
    sign_in_password_title = "Enter your password",
    /// Subtitle of the password step.
    sign_in_password_subtitle = "Enter the password associated with your account",
    /// Starts the password reset.
    sign_in_forgot_password = "Forgot password?",
    /// Opens the list of other methods.
    sign_in_use_another_method = "Use another method",
    /// Title of the email code step.
    sign_in_email_code_title = "Check your email",
    /// Title of the phone code step.
    sign_in_phone_code_title = "Check your phone",
    /// Subtitle of a code step.
    sign_in_code_subtitle = "Enter the verification code sent to {identifier}",
    /// Title of the list of other methods.
    sign_in_alternatives_title = "Use another method",
    /// Subtitle of the list of other methods.
    sign_in_alternatives_subtitle = "Facing issues? You can use any of these methods to sign in.",
    /// Method: password.
    method_password = "Sign in with your password",
    /// Method: email code.
    method_email_code = "Email code to {identifier}",
    /// Method: phone code.
    method_phone_code = "Send SMS code to {identifier}",
    /// Method: authenticator app.
    method_totp = "Use your authenticator app",
    /// Method: backup code.
    method_backup_code = "Use a backup code",
    /// Title of the reset-code step.
    sign_in_reset_title = "Reset your password",
    /// Subtitle of the reset-code step.
    sign_in_reset_subtitle = "Enter the code sent to {identifier} to reset your password",
    /// Title of the new-password step.
    sign_in_new_password_title = "Set a new password",
    /// Submit of the new-password step.
    sign_in_reset_submit = "Reset password",
    /// Title of the authenticator-app step.
    sign_in_totp_title = "Two-step verification",
    /// Subtitle of the authenticator-app step.
    sign_in_totp_subtitle = "Enter the verification code generated by your authenticator app",
    /// Title of the backup-code step.
    sign_in_backup_code_title = "Enter a backup code",
    /// Subtitle of the backup-code step.
    sign_in_backup_code_subtitle = "Use one of the backup codes you saved when you set up two-step verification",
    /// A sign-in status this component cannot finish.
    sign_in_unsupported = "This sign-in needs a step these components do not support yet.",

    // ---- SignUp
    /// Title of the sign-up form.
    sign_up_title = "Create your account",
    /// Subtitle of the sign-up form.
    sign_up_subtitle = "Welcome! Please fill in the details to get started.",
    /// Before the sign-in link.
    sign_up_have_account = "Already have an account?",
    /// The sign-in link.
    sign_up_sign_in_link = "Sign in",
    /// The legal consent checkbox; `{terms}` and `{privacy}` become links.
    sign_up_legal_consent = "I agree to the {terms} and the {privacy}",
    /// The legal consent checkbox was left unchecked.
    sign_up_legal_consent_required = "Please accept the terms to continue.",
    /// Link text of the terms.
    legal_terms = "Terms of Service",
    /// Link text of the privacy policy.
    legal_privacy = "Privacy Policy",
    /// Title of the email verification step.
    sign_up_verify_email_title = "Verify your email",
    /// Title of the phone verification step.
    sign_up_verify_phone_title = "Verify your phone number",
    /// Title of the missing-fields step.
    sign_up_missing_title = "Fill in missing fields",
    /// Subtitle of the missing-fields step.
    sign_up_missing_subtitle = "Please fill in the remaining details to continue.",

    // ---- UserButton
    /// Accessible name of the user button.
    user_button_open = "Open user menu",
    /// Menu item opening the profile.
    user_button_manage_account = "Manage account",
    /// Menu item signing out.
    user_button_sign_out = "Sign out",
    /// Menu item signing out of every session.
    user_button_sign_out_all = "Sign out of all accounts",
    /// Menu item adding a session.
    user_button_add_account = "Add account",
    /// Accessible name of the close button of a dialog.
    dialog_close = "Close",

    // ---- UserProfile
    /// Title of the profile.
    user_profile_title = "Account",
    /// Subtitle of the profile.
    user_profile_subtitle = "Manage your account info.",
    /// Navigation: the profile page.
    user_profile_nav_profile = "Profile",
    /// Navigation: the security page.
    user_profile_nav_security = "Security",
    /// Section: names and username.
    user_profile_details = "Profile details",
    /// Section: email addresses.
    user_profile_emails = "Email addresses",
    /// Section: phone numbers.
    user_profile_phones = "Phone numbers",
    /// Adds an email address.
    user_profile_add_email = "Add email address",
    /// Adds a phone number.
    user_profile_add_phone = "Add phone number",
    /// Badge of the primary identifier.
    badge_primary = "Primary",
    /// Badge of an unverified identifier.
    badge_unverified = "Unverified",
    /// Badge of the session on this device.
    badge_this_device = "This device",
    /// Verifies an identifier.
    user_profile_verify = "Verify",
    /// Makes an identifier primary.
    user_profile_make_primary = "Set as primary",
    /// Removes an identifier.
    user_profile_remove = "Remove",
    /// Asks before removing an identifier.
    user_profile_remove_confirm = "Remove {identifier} from your account?",
    /// Section: password.
    user_profile_password = "Password",
    /// Sets a first password.
    user_profile_set_password = "Set password",
    /// Changes the password.
    user_profile_update_password = "Update password",
    /// Section: sessions on every device.
    user_profile_devices = "Active devices",
    /// Ends a session on another device.
    user_profile_sign_out_device = "Sign out of device",
    /// When a session was last active; `{time}` is a local date and time.
    user_profile_last_active = "Last active {time}",
    /// No other session.
    user_profile_no_devices = "No other active devices.",
    /// Section: second factors.
    user_profile_two_step = "Two-step verification",
    /// An authenticator app as a second factor.
    user_profile_totp = "Authenticator app",
    /// Starts adding an authenticator app.
    user_profile_add_totp = "Add authenticator app",
    /// How to add the key to an authenticator app.
    user_profile_totp_instructions = "Add this key to your authenticator app (or open the link on a phone that has one), then enter the 6-digit code it shows.",
    /// Opens the `otpauth://` link.
    user_profile_totp_link = "Open in authenticator app",
    /// Asks before removing the authenticator app.
    user_profile_totp_remove_confirm = "Remove the authenticator app? Signing in will no longer ask for its codes.",
    /// Backup codes.
    user_profile_backup_codes = "Backup codes",
    /// Shown with new backup codes.
    user_profile_backup_codes_hint = "Keep these codes somewhere safe: each one signs you in once if you lose your authenticator. They are shown only now.",
    /// Makes a new set of backup codes.
    user_profile_regenerate_backup_codes = "Regenerate backup codes",
    /// Two-step verification is off.
    user_profile_two_step_off = "Two-step verification is off.",
    /// Closes what was shown once.
    form_done = "Done",
    /// Section and button: delete the account.
    user_profile_delete_account = "Delete account",
    /// What deleting the account does.
    user_profile_delete_account_hint = "Delete your account and everything in it. This cannot be undone.",
    /// Asks before deleting the account.
    user_profile_delete_account_confirm = "Delete your account for good? You will be signed out on every device.",

    // ---- Organizations
    /// Accessible name of the organization switcher.
    org_switcher_open = "Open organization switcher",
    /// The personal account (no organization).
    org_personal_account = "Personal account",
    /// Creates an organization.
    org_create = "Create organization",
    /// Opens the organization's profile.
    org_manage = "Manage organization",
    /// Announced after an organization was created (when the page stays).
    org_created = "Organization created.",
    /// Name field of an organization.
    label_org_name = "Name",
    /// Slug field of an organization.
    label_org_slug = "Slug",
    /// Title of the organization profile.
    org_profile_title = "Organization",
    /// Navigation: general settings.
    org_profile_nav_general = "General",
    /// Navigation: members.
    org_profile_nav_members = "Members",
    /// Section: the organization's name.
    org_profile_details = "Organization profile",
    /// Section: members.
    org_profile_members = "Members",
    /// Section: pending invitations.
    org_profile_invitations = "Pending invitations",
    /// No pending invitations.
    org_profile_no_invitations = "No pending invitations.",
    /// Sends an invitation.
    org_profile_invite = "Invite",
    /// Email field of an invitation.
    label_invite_email = "Email address to invite",
    /// Role field of an invitation.
    label_role = "Role",
    /// Announced after an invitation was sent.
    org_profile_invited = "Invitation sent.",
    /// A session whose device is not known.
    user_profile_unknown_device = "Unknown device",
    /// Shown when no organization is active.
    org_profile_none = "No organization is active.",
    /// Marks the current user in the member list.
    org_member_you = "You",
    /// Column: user.
    org_column_user = "User",
    /// Column: role.
    org_column_role = "Role",
    /// Column: actions on a member (read by screen readers).
    org_column_actions = "Actions",
    /// Accessible name of a member's role picker.
    org_member_role_of = "Role of {name}",
    /// Announced after a member's role changed.
    org_member_role_updated = "Role updated.",
    /// Removes a member.
    org_member_remove = "Remove",
    /// Asks before removing a member.
    org_member_remove_confirm = "Remove {name} from the organization?",
    /// Announced after a member was removed.
    org_member_removed = "Member removed.",
    /// Revokes a pending invitation.
    org_invitation_revoke = "Revoke",
    /// Announced after an invitation was revoked.
    org_invitation_revoked = "Invitation revoked.",
    /// Section and button: leave the organization.
    org_profile_leave = "Leave organization",
    /// Asks before leaving the organization.
    org_profile_leave_confirm = "Leave {organization}? You will lose access to it.",
    /// Clerk's admin role (when the instance lists no roles).
    role_admin = "Admin",
    /// Clerk's member role (when the instance lists no roles).
    role_member = "Member",
}

impl Localization {
    /// English everywhere.
    pub fn new() -> Self {
        Self::default()
    }

    /// Shows `text` for errors with this code instead of the server's message.
    pub fn error(mut self, code: ErrorCode, text: impl Into<Cow<'static, str>>) -> Self {
        self.errors.insert(code, text.into());
        self
    }

    /// The text of one API error: the override for its code, else Clerk's `long_message`,
    /// else its `message`, else the generic error.
    ///
    /// ```
    /// use leptos_clerk::ui::Localization;
    /// use leptos_clerk::core::wire::{ApiError, ErrorCode};
    /// let e = ApiError::new(ErrorCode::FormCodeIncorrect, "is incorrect", "Incorrect code");
    /// assert_eq!(Localization::new().api_error(&e), "Incorrect code");
    /// let l = Localization::new().error(ErrorCode::FormCodeIncorrect, "Wrong code, try again.");
    /// assert_eq!(l.api_error(&e), "Wrong code, try again.");
    /// ```
    pub fn api_error(&self, e: &ApiError) -> String {
        if let Some(text) = self.errors.get(&e.code) {
            return text.to_string();
        }
        match e.text() {
            "" => self.error_generic().to_owned(),
            text => text.to_owned(),
        }
    }

    /// The text of any error (offline and network trouble get their own strings).
    ///
    /// ```
    /// use leptos_clerk::ui::Localization;
    /// use leptos_clerk::ClerkError;
    /// assert!(Localization::new().clerk_error(&ClerkError::Offline).contains("offline"));
    /// ```
    pub fn clerk_error(&self, err: &ClerkError) -> String {
        match err {
            ClerkError::Offline => self.error_offline().to_owned(),
            ClerkError::Network(_) => self.error_network().to_owned(),
            ClerkError::Api { errors, .. } => match errors.first() {
                Some(first) => self.api_error(first),
                None => self.error_generic().to_owned(),
            },
            ClerkError::Invalid(text) => text.clone(),
            _ => self.error_generic().to_owned(),
        }
    }

    /// The text of a broken password rule.
    ///
    /// ```
    /// use leptos_clerk::ui::Localization;
    /// use leptos_clerk::core::wire::PasswordProblem;
    /// let text = Localization::new().password_problem(&PasswordProblem::TooShort(8));
    /// assert_eq!(text, "Your password must contain 8 or more characters.");
    /// ```
    pub fn password_problem(&self, problem: &PasswordProblem) -> String {
        match problem {
            PasswordProblem::TooShort(n) => {
                fill(self.password_too_short(), &[("min", &n.to_string())])
            }
            PasswordProblem::TooLong(n) => {
                fill(self.password_too_long(), &[("max", &n.to_string())])
            }
            PasswordProblem::NeedsNumber => self.password_needs_number().to_owned(),
            PasswordProblem::NeedsUppercase => self.password_needs_uppercase().to_owned(),
            PasswordProblem::NeedsLowercase => self.password_needs_lowercase().to_owned(),
            _ => self.password_needs_special().to_owned(),
        }
    }
}

/// Replaces `{name}` placeholders.
///
/// ```
/// use leptos_clerk::ui::fill;
/// assert_eq!(fill("Sign in to {app}", &[("app", "Acme")]), "Sign in to Acme");
/// assert_eq!(fill("{a} {b} {a}", &[("a", "x")]), "x {b} x");
/// ```
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// Splits a template into text and `{placeholder}` parts, for strings whose placeholders
/// become elements (links).
///
/// ```
/// use leptos_clerk::ui::{split_placeholders, Piece};
/// assert_eq!(
///     split_placeholders("I agree to the {terms}."),
///     vec![Piece::Text("I agree to the "), Piece::Placeholder("terms"), Piece::Text(".")]
/// );
/// ```
pub fn split_placeholders(template: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        if start > 0 {
            pieces.push(Piece::Text(&rest[..start]));
        }
        pieces.push(Piece::Placeholder(&rest[start + 1..start + len]));
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest));
    }
    pieces
}

/// A part of a template (see [`split_placeholders`]).
///
/// ```
/// use leptos_clerk::ui::Piece;
/// assert_ne!(Piece::Text("a"), Piece::Placeholder("a"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Plain text.
    Text(&'a str),
    /// A `{name}` placeholder, without its braces.
    Placeholder(&'a str),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_fall_back_to_english_per_string() {
        let l = Localization {
            sign_in_title: Some("Anmelden".into()),
            ..Default::default()
        };
        assert_eq!(l.sign_in_title(), "Anmelden");
        assert_eq!(l.sign_up_title(), "Create your account");
        let entries = l.entries();
        assert!(entries.iter().all(|(_, text)| !text.is_empty()));
        let mut names: Vec<_> = entries.iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), entries.len());
    }

    #[test]
    fn server_messages_unless_overridden() {
        let body = r#"{"errors":[{"code":"form_identifier_exists","message":"taken",
            "long_message":"That email address is taken. Please try another.",
            "meta":{"param_name":"email_address"}}]}"#;
        let err = ClerkError::from_response(422, body, None);
        let l = Localization::new();
        assert_eq!(
            l.clerk_error(&err),
            "That email address is taken. Please try another."
        );
        let l = l.error(ErrorCode::FormIdentifierExists, "Schon vergeben.");
        assert_eq!(l.clerk_error(&err), "Schon vergeben.");
        assert_eq!(
            l.clerk_error(&ClerkError::Network("x".into())),
            l.error_network()
        );
    }

    #[test]
    fn placeholders_split() {
        assert_eq!(split_placeholders(""), vec![]);
        assert_eq!(
            split_placeholders("{a}{b}"),
            vec![Piece::Placeholder("a"), Piece::Placeholder("b")]
        );
        assert_eq!(
            split_placeholders("x {unclosed"),
            vec![Piece::Text("x {unclosed")]
        );
    }
}
