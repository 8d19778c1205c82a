//! The instance's environment (`GET /v1/environment`), built from the seed's settings.

use clerk_core::wire::Environment;

use crate::config::Settings;

/// The instance's environment, as `GET /v1/environment` answers: `environment_base.json` with
/// the seed's settings applied.
pub(crate) fn environment(settings: &Settings) -> Environment {
    let mut env: serde_json::Value =
        serde_json::from_str(include_str!("environment_base.json")).unwrap_or_default();
    let s = &settings.seed;
    let on = |name: &str| {
        if settings.required(name) {
            "required"
        } else if settings.enabled(name) {
            "on"
        } else {
            "off"
        }
    };
    let mut first_factors = Vec::new();
    if settings.enabled("password") {
        first_factors.push("password");
    }
    if settings.sign_in_with("email_address") {
        first_factors.push("email_code");
        if settings.enabled("password") {
            first_factors.push("reset_password_email_code");
        }
    }
    if settings.sign_in_with("phone_number") {
        first_factors.push("phone_code");
    }
    let mut second_factors = Vec::new();
    if s.mfa.totp {
        second_factors.push("totp");
    }
    if s.mfa.phone_code {
        second_factors.push("phone_code");
    }
    if s.mfa.backup_code {
        second_factors.push("backup_code");
    }
    let identifiers: Vec<&str> = ["email_address", "phone_number", "username"]
        .into_iter()
        .filter(|n| settings.sign_in_with(n))
        .collect();
    let auth = &mut env["auth_config"];
    auth["id"] = "aac_clerkdevserver0000000000000".into();
    auth["single_session_mode"] = s.instance.single_session_mode.into();
    for name in [
        "first_name",
        "last_name",
        "email_address",
        "phone_number",
        "username",
        "password",
    ] {
        auth[name] = on(name).into();
    }
    auth["identification_strategies"] = identifiers.clone().into();
    auth["identification_requirements"] = serde_json::json!([identifiers]);
    auth["first_factors"] = first_factors.clone().into();
    auth["second_factors"] = second_factors.clone().into();
    auth["email_address_verification_strategies"] = settings
        .attribute("email_address")
        .map(|a| a.verifications.clone())
        .unwrap_or_default()
        .into();
    auth["test_mode"] = true.into();

    let display = &mut env["display_config"];
    display["id"] = "display_config_clerkdevserver00000000".into();
    display["instance_environment_type"] = "development".into();
    display["application_name"] = s.instance.application_name.clone().into();
    display["preferred_sign_in_strategy"] = "password".into();
    display["show_devmode_warning"] = false.into();
    display["terms_url"] = s.instance.terms_url.clone().into();
    display["privacy_policy_url"] = s.instance.privacy_policy_url.clone().into();

    let us = &mut env["user_settings"];
    for (name, value) in us["attributes"]
        .as_object_mut()
        .into_iter()
        .flat_map(|m| m.iter_mut())
    {
        let a = settings.attribute(name);
        let enabled = a.is_some()
            || (name == "authenticator_app" && s.mfa.totp)
            || (name == "backup_code" && s.mfa.backup_code);
        value["enabled"] = enabled.into();
        value["required"] = a.is_some_and(|a| a.required).into();
        let sign_in = a.is_some_and(|a| a.sign_in);
        value["used_for_first_factor"] = sign_in.into();
        let ff: Vec<&str> = match name.as_str() {
            "email_address" if sign_in => vec!["email_code"],
            "phone_number" if sign_in => vec!["phone_code"],
            _ => vec![],
        };
        value["first_factors"] = ff.into();
        let sf: Vec<&str> = match name.as_str() {
            "phone_number" if s.mfa.phone_code => vec!["phone_code"],
            "authenticator_app" if s.mfa.totp => vec!["totp"],
            "backup_code" if s.mfa.backup_code => vec!["backup_code"],
            _ => vec![],
        };
        value["used_for_second_factor"] = (!sf.is_empty()).into();
        value["second_factors"] = sf.into();
        let verifications = a.map(|a| a.verifications.clone()).unwrap_or_default();
        value["verify_at_sign_up"] = (!verifications.is_empty()).into();
        value["verifications"] = verifications.into();
    }
    us["sign_in"]["second_factor"]["required"] = s.mfa.required.into();
    us["sign_up"]["mode"] = s.instance.sign_up_mode.clone().into();
    us["sign_up"]["progressive"] = true.into();
    us["sign_up"]["legal_consent_enabled"] = s.instance.legal_consent.into();
    us["password_settings"] = serde_json::to_value(&settings.password).unwrap_or_default();
    us["username_settings"]["min_length"] = 4.into();
    us["username_settings"]["max_length"] = 64.into();
    us["actions"]["delete_self"] = true.into();
    us["actions"]["create_organization"] = s.organizations.enabled.into();
    let lock = &mut us["attack_protection"]["user_lockout"];
    lock["enabled"] = s.lockout.enabled.into();
    lock["max_attempts"] = s.lockout.max_attempts.into();
    lock["duration_in_minutes"] = s.lockout.duration_minutes.into();

    let org = &mut env["organization_settings"];
    org["enabled"] = s.organizations.enabled.into();
    org["max_allowed_memberships"] = s.organizations.max_allowed_memberships.into();
    org["creator_role"] = s.organizations.creator_role.clone().into();
    org["domains"]["default_role"] = s.organizations.default_role.clone().into();
    org["actions"]["admin_delete"] = true.into();
    if s.organizations.force_organization_selection {
        org["force_organization_selection"] = true.into();
    }
    serde_json::from_value(env).unwrap_or_default()
}
