//! The core's own encoded payloads validate against the schemas of Clerk's FAPI spec
//! (`shared/fapi/2026-05-12.yml`), converted from OpenAPI 3.0 to JSON Schema.
#![cfg(not(target_arch = "wasm32"))]

mod shared_dir;

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use leptos_clerk::core::wire::*;
use serde_json::{Value, json};

/// The spec's component schemas as JSON Schema: `nullable: true` becomes `anyOf [.., null]`,
/// the boolean `exclusiveMinimum` of OpenAPI 3.0 becomes the numeric form.
fn components() -> &'static Value {
    static COMPONENTS: OnceLock<Value> = OnceLock::new();
    COMPONENTS.get_or_init(|| {
        let path = shared_dir::shared_file("fapi/2026-05-12.yml");
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let spec: Value = serde_yaml_ng::from_str(&text).expect("the spec is YAML");
        let mut schemas = spec["components"]["schemas"].clone();
        convert(&mut schemas);
        json!({ "schemas": schemas })
    })
}

fn convert(node: &mut Value) {
    match node {
        Value::Array(items) => items.iter_mut().for_each(convert),
        Value::Object(map) => {
            for value in map.values_mut() {
                convert(value);
            }
            if let Some(Value::Bool(true)) = map.get("exclusiveMinimum") {
                let min = map.remove("minimum").unwrap_or(json!(0));
                map.insert("exclusiveMinimum".into(), min);
            } else if let Some(Value::Bool(false)) = map.get("exclusiveMinimum") {
                map.remove("exclusiveMinimum");
            }
            if map.remove("nullable") == Some(Value::Bool(true)) {
                // keep `enum` lists valid for null too
                if let Some(Value::Array(values)) = map.get_mut("enum") {
                    values.push(Value::Null);
                }
                let inner = Value::Object(std::mem::take(map));
                map.insert("anyOf".into(), json!([inner, { "type": "null" }]));
            }
        }
        _ => {}
    }
}

/// Validates a value against a component schema; panics with every error.
fn assert_valid(schema: &str, value: &impl serde::Serialize) {
    let instance = serde_json::to_value(value).unwrap();
    let root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": format!("#/components/schemas/{schema}"),
        "components": components(),
    });
    let validator = jsonschema::validator_for(&root).unwrap_or_else(|e| panic!("{schema}: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("  at {}: {}", e.instance_path(), e))
        .collect();
    assert!(
        errors.is_empty(),
        "{schema} rejects our payload:\n{}\n{}",
        errors.join("\n"),
        serde_json::to_string_pretty(&instance).unwrap()
    );
}

fn at(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap()
}

fn verification(
    status: VerificationStatus,
    strategy: Strategy,
    expire: Option<i64>,
) -> Verification {
    Verification {
        status,
        strategy,
        attempts: Some(0),
        expire_at: expire.map(at),
        nonce: None,
        message: None,
        external_verification_redirect_url: None,
        channel: None,
        error: None,
        verified_at_client: None,
        next_action: None,
        supported_strategies: None,
    }
}

fn organization() -> Organization {
    Organization {
        id: "org_1".into(),
        name: "Acme".into(),
        slug: "acme".into(),
        image_url: "https://img.example.com/org.png".into(),
        has_image: false,
        members_count: Some(2),
        pending_invitations_count: Some(0),
        max_allowed_memberships: 0,
        admin_delete_enabled: true,
        self_serve_sso_enabled: None,
        public_metadata: Metadata::new(),
        created_at: at(1_735_689_600_000),
        updated_at: at(1_735_689_600_000),
    }
}

fn membership() -> OrganizationMembership {
    OrganizationMembership {
        id: "orgmem_1".into(),
        organization: organization(),
        role: "org:admin".into(),
        role_name: "Admin".into(),
        permissions: vec!["org:sys_memberships:manage".into()],
        public_metadata: Metadata::new(),
        public_user_data: Some(public_user_data()),
        created_at: at(1_735_689_600_000),
        updated_at: at(1_735_689_600_000),
    }
}

fn public_user_data() -> PublicUserData {
    PublicUserData {
        first_name: Some("Ada".into()),
        last_name: None,
        image_url: Some("https://img.example.com/u.png".into()),
        has_image: false,
        identifier: "ada@example.com".into(),
        user_id: Some("user_1".into()),
        username: None,
        banned: None,
        deprovisioned: None,
    }
}

fn user() -> User {
    let email = EmailAddress {
        id: "idn_1".into(),
        email_address: "ada@example.com".into(),
        reserved: false,
        verification: Some(verification(
            VerificationStatus::Verified,
            Strategy::EmailCode,
            Some(1_735_690_000_000),
        )),
        linked_to: vec![],
        matches_sso_connection: Some(false),
        created_at: Some(at(1_735_689_600_000)),
        updated_at: Some(at(1_735_689_600_000)),
    };
    let phone = PhoneNumber {
        id: "idn_2".into(),
        phone_number: "+15555550100".into(),
        reserved_for_second_factor: false,
        default_second_factor: false,
        reserved: false,
        verification: None,
        linked_to: vec![],
        backup_codes: None,
        created_at: Some(at(1_735_689_600_000)),
        updated_at: Some(at(1_735_689_600_000)),
    };
    let mut user: User = serde_json::from_value(json!({
        "id": "user_1", "created_at": 1_735_689_600_000_i64, "updated_at": 1_735_689_600_000_i64,
    }))
    .unwrap();
    user.first_name = Some("Ada".into());
    user.image_url = "https://img.example.com/u.png".into();
    user.primary_email_address_id = Some("idn_1".into());
    user.email_addresses = vec![email];
    user.phone_numbers = vec![phone];
    user.organization_memberships = vec![membership()];
    user.password_enabled = true;
    user
}

fn session(status: SessionStatus) -> Session {
    Session {
        id: "sess_1".into(),
        status,
        expire_at: at(1_736_294_400_000),
        abandon_at: at(1_738_281_600_000),
        last_active_at: at(1_735_689_600_000),
        last_active_token: Some(Token {
            jwt: "a.b.c".into(),
        }),
        last_active_organization_id: Some("org_1".into()),
        actor: None,
        tasks: Some(vec![SessionTask {
            key: SessionTaskKey::ChooseOrganization,
        }]),
        user: Some(user()),
        public_user_data: Some(public_user_data()),
        factor_verification_age: Some(vec![0, -1]),
        created_at: at(1_735_689_600_000),
        updated_at: at(1_735_689_600_000),
    }
}

fn sign_in() -> SignIn {
    let mut factor = SignInFactor::new(Strategy::EmailCode);
    factor.safe_identifier = Some("a***@example.com".into());
    factor.email_address_id = Some("idn_1".into());
    factor.primary = Some(true);
    SignIn {
        id: "sia_1".into(),
        status: SignInStatus::NeedsFirstFactor,
        supported_identifiers: vec![IdentifierKind::EmailAddress, IdentifierKind::Username],
        supported_first_factors: Some(vec![SignInFactor::new(Strategy::Password), factor]),
        supported_second_factors: None,
        first_factor_verification: Some(verification(
            VerificationStatus::Unverified,
            Strategy::EmailCode,
            Some(1_735_690_200_000),
        )),
        second_factor_verification: None,
        identifier: Some("ada@example.com".into()),
        user_data: Some(SignInUserData {
            first_name: Some("Ada".into()),
            ..Default::default()
        }),
        created_session_id: None,
        abandon_at: Some(at(1_735_776_000_000)),
        client_trust_state: None,
    }
}

fn sign_up() -> SignUp {
    let mut email = verification(
        VerificationStatus::Unverified,
        Strategy::EmailCode,
        Some(1_735_690_200_000),
    );
    email.next_action = Some(NextAction::NeedsAttempt);
    email.supported_strategies = Some(vec!["email_code".into()]);
    SignUp {
        id: "sua_1".into(),
        status: SignUpStatus::MissingRequirements,
        required_fields: vec!["email_address".into(), "password".into()],
        optional_fields: vec!["first_name".into()],
        missing_fields: vec![],
        unverified_fields: vec!["email_address".into()],
        verifications: SignUpVerifications {
            email_address: Some(email),
            ..Default::default()
        },
        username: None,
        email_address: Some("ada@example.com".into()),
        phone_number: None,
        web3_wallet: None,
        password_enabled: true,
        first_name: None,
        last_name: None,
        unsafe_metadata: Metadata::new(),
        custom_action: false,
        external_id: None,
        created_session_id: None,
        created_user_id: None,
        abandon_at: Some(at(1_735_776_000_000)),
        legal_accepted_at: None,
    }
}

fn client() -> Client {
    Client {
        id: "client_1".into(),
        sessions: vec![
            session(SessionStatus::Active),
            session(SessionStatus::Pending),
        ],
        sign_in: Some(sign_in()),
        sign_up: Some(sign_up()),
        last_active_session_id: Some("sess_1".into()),
        last_authentication_strategy: Some("password".into()),
        cookie_expires_at: None,
        captcha_bypass: false,
        created_at: at(1_735_689_600_000),
        updated_at: at(1_735_689_600_000),
    }
}

mod shared_spec {
    //! The tests, under one name that `./test.sh` skips when Clerk's spec is missing.
    use super::*;

    #[test]
    fn resources() {
        assert_valid("Client.Client-2", &client());
        assert_valid("Client.Session-2", &session(SessionStatus::Ended));
        assert_valid("Client.User", &user());
        assert_valid("Client.SignIn-2", &sign_in());
        assert_valid("Client.SignUp", &sign_up());
        assert_valid("Client.Organization", &organization());
        assert_valid("Client.OrganizationMembership", &membership());
        assert_valid("Client.PublicUserData", &public_user_data());
        let invitation = OrganizationInvitation {
            id: "orginv_1".into(),
            email_address: "bob@example.com".into(),
            role: "org:member".into(),
            role_name: "Member".into(),
            organization_id: "org_1".into(),
            public_organization_data: None,
            status: "pending".into(),
            public_metadata: Default::default(),
            url: None,
            expires_at: Some(at(1_700_000_000_000)),
            created_at: at(1_690_000_000_000),
            updated_at: at(1_690_000_000_000),
        };
        assert_valid("Client.OrganizationInvitation", &invitation);
        let totp = Totp {
            id: "totp_1".into(),
            secret: Some("JBSWY3DPEHPK3PXP".into()),
            uri: Some("otpauth://totp/App:ada?secret=JBSWY3DPEHPK3PXP&issuer=App".into()),
            verified: true,
            backup_codes: Some(vec!["a1b2c3d4".into()]),
            created_at: at(1_690_000_000_000),
            updated_at: at(1_690_000_000_000),
        };
        assert_valid("TOTP", &totp);
        let codes = BackupCodes {
            id: "bc_1".into(),
            codes: vec!["a1b2c3d4".into()],
            created_at: at(1_690_000_000_000),
            updated_at: at(1_690_000_000_000),
        };
        assert_valid("BackupCodes", &codes);
        assert_valid(
            "Token",
            &Token {
                jwt: "a.b.c".into(),
            },
        );
    }

    #[test]
    fn envelopes() {
        assert_valid(
            "Client.ClientWrappedClient",
            &Envelope {
                response: Some(client()),
                client: None,
            },
        );
        assert_valid(
            "Client.ClientWrappedClient",
            &Envelope::<Option<Client>> {
                response: None,
                client: None,
            },
        );
        assert_valid(
            "Client.ClientWrappedSignIn",
            &Envelope {
                response: sign_in(),
                client: Some(client()),
            },
        );
        assert_valid(
            "Client.ClientWrappedSignUp",
            &Envelope {
                response: sign_up(),
                client: Some(client()),
            },
        );
        assert_valid(
            "Client.ClientWrappedSession",
            &Envelope {
                response: session(SessionStatus::Active),
                client: Some(client()),
            },
        );
        assert_valid(
            "Client.ClientWrappedUser",
            &Envelope {
                response: user(),
                client: Some(client()),
            },
        );
        assert_valid(
            "Client.ClientWrappedOrganization",
            &Envelope {
                response: organization(),
                client: Some(client()),
            },
        );
        assert_valid(
            "Client.ClientWrappedOrganizationMemberships",
            &Envelope {
                response: Paginated {
                    data: vec![membership()],
                    total_count: 1,
                },
                client: Some(client()),
            },
        );
    }

    #[test]
    fn environment_through_the_wire_types() {
        // the dev server's environment goes through `Environment` (typed settings + kept extras)
        let path = format!(
            "{}/dev-server/src/environment_base.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut env: Environment = serde_json::from_str(&text).unwrap();
        env.auth_config.single_session_mode = true;
        env.user_settings.password_settings.min_length = 12;
        env.organization_settings.enabled = true;
        assert_valid("Client.Environment", &env);
    }

    #[test]
    fn errors() {
        let envelope = ErrorEnvelope {
            errors: vec![
                ApiError::new(
                    ErrorCode::FormPasswordIncorrect,
                    "is incorrect",
                    "Password is incorrect.",
                )
                .with_param("password"),
            ],
            meta: None,
            clerk_trace_id: Some("trace_1".into()),
        };
        assert_valid("ClerkErrors", &envelope);
    }

    #[test]
    fn the_validator_catches_bad_payloads() {
        let mut bad = serde_json::to_value(organization()).unwrap();
        bad.as_object_mut().unwrap().remove("name");
        let result = std::panic::catch_unwind(|| assert_valid("Client.Organization", &bad));
        assert!(result.is_err(), "a missing required field must be reported");
        let mut extra = serde_json::to_value(organization()).unwrap();
        extra["surprise"] = json!(1);
        let result = std::panic::catch_unwind(|| assert_valid("Client.Organization", &extra));
        assert!(
            result.is_err(),
            "Organization is closed: an extra field must be reported"
        );
        let result = std::panic::catch_unwind(|| {
            assert_valid("Client.Session-2", &session(SessionStatus::Replaced))
        });
        assert!(
            result.is_err(),
            "the spec's session statuses have no `replaced`"
        );
    }
}
