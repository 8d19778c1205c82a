//! Every clerk-js payload in `shared/fixtures/clerk-js/` decodes into the wire types,
//! re-encodes, and decodes to the same value; bad payloads are errors, never panics.
#![cfg(not(target_arch = "wasm32"))]

mod shared_dir;

use leptos_clerk::core::claims::SessionClaims;
use leptos_clerk::core::state::{AuthState, active_organization, authorization};
use leptos_clerk::core::wire::{
    Client, Envelope, Environment, SessionStatus, SignIn, SignInStatus, Strategy, User,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

fn fixture(name: &str) -> String {
    let path = shared_dir::shared_file(&format!("fixtures/clerk-js/{name}"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Decodes, re-encodes, decodes again, and checks both decodings are equal.
fn round_trip<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(name: &str) -> T {
    let first: T = serde_json::from_str(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let encoded = serde_json::to_string(&first).unwrap();
    let second: T =
        serde_json::from_str(&encoded).unwrap_or_else(|e| panic!("{name} re-encoded: {e}"));
    assert_eq!(first, second, "{name} changed through a round trip");
    first
}

mod shared_fixtures {
    //! The tests, under one name that `./test.sh` skips when the clerk-js fixtures are missing.
    use super::*;

    #[test]
    fn every_fixture_file_is_covered() {
        let dir = shared_dir::shared_file("fixtures/clerk-js");
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "backend_api_user.json",
                "client_empty.json",
                "client_with_active_session.json",
                "environment_dev_instance.json",
                "environment_full.json",
                "session_jwt_v1_example.json",
                "sign_in_complete.json",
                "sign_in_needs_first_factor.json",
            ],
            "a new fixture needs a round-trip test here"
        );
    }

    #[test]
    fn empty_client() {
        let client: Client = round_trip("client_empty.json");
        assert_eq!(client.id, "client_DUMMY_ID");
        assert!(client.sessions.is_empty());
        // the placeholders' null statuses are kept as unknown values
        let sign_in = client.sign_in.unwrap();
        assert_eq!(sign_in.status, SignInStatus::Unknown(String::new()));
        assert_eq!(
            AuthState::derive(true, client.sessions.first()),
            AuthState::SignedOut
        );
    }

    #[test]
    fn client_with_an_active_session() {
        let envelope: Envelope<Option<Client>> = round_trip("client_with_active_session.json");
        let client = envelope.response.unwrap();
        let session = client.initial_session().expect("the last active session");
        assert_eq!(session.status, SessionStatus::Active);
        assert_eq!(session.first_factor_age(), Some(0));
        assert_eq!(session.second_factor_age(), None);
        let org = active_organization(session).expect("org_1 is active");
        assert_eq!(org.slug, "acme");
        let AuthState::SignedIn(auth) = AuthState::derive(true, Some(session)) else {
            panic!("signed in")
        };
        assert_eq!(auth.user_id, "user_1");
        assert_eq!(auth.org_role.as_deref(), Some("org:admin"));
        let authz = authorization(session);
        assert!(authz.has(&leptos_clerk::Has::permission("org:sys_memberships:manage")));
        let user = session.user.as_ref().unwrap();
        assert_eq!(
            user.primary_email_address().unwrap().email_address,
            "john@example.com"
        );
        assert_eq!(user.full_name().as_deref(), Some("John Doe"));
        assert_eq!(user.initials(), "JD");
        assert!(
            client
                .is_eligible_for_touch(chrono::DateTime::from_timestamp(1_767_000_000, 0).unwrap())
        );
        assert!(
            !client
                .is_eligible_for_touch(chrono::DateTime::from_timestamp(1_735_689_600, 0).unwrap())
        );
    }

    #[test]
    fn sign_ins() {
        let needs: Envelope<SignIn> = round_trip("sign_in_needs_first_factor.json");
        assert_eq!(needs.response.status, SignInStatus::NeedsFirstFactor);
        assert!(needs.response.first_factor(&Strategy::Password).is_some());
        let complete: Envelope<SignIn> = round_trip("sign_in_complete.json");
        assert_eq!(
            complete.response.created_session_id.as_deref(),
            Some("sess_mock_signed_in")
        );
    }

    #[test]
    fn environments() {
        for name in ["environment_dev_instance.json", "environment_full.json"] {
            let env: Environment = round_trip(name);
            assert!(
                env.user_settings.attribute("email_address").enabled,
                "{name}"
            );
            assert!(env.user_settings.attribute("password").required, "{name}");
            assert!(!env.auth_config.extra.is_empty() || env.auth_config.single_session_mode);
        }
        let env: Environment = round_trip("environment_dev_instance.json");
        assert!(env.auth_config.single_session_mode);
        assert_eq!(env.user_settings.password_settings.min_length, 8);
        assert_eq!(env.user_settings.sign_up.mode, "public");
        // what the SDK does not type is kept
        assert!(env.display_config.extra.contains_key("theme"));
    }

    #[test]
    fn backend_user() {
        let user: User = round_trip("backend_api_user.json");
        assert!(!user.id.is_empty());
    }

    #[test]
    fn session_jwt_v1() {
        let fixture: serde_json::Value =
            serde_json::from_str(&fixture("session_jwt_v1_example.json")).unwrap();
        let claims = SessionClaims::decode(fixture["jwt"].as_str().unwrap()).unwrap();
        let payload = &fixture["payload"];
        assert_eq!(claims.version, 1);
        assert_eq!(claims.sid, payload["sid"].as_str().unwrap());
        assert_eq!(claims.sub, payload["sub"].as_str().unwrap());
        assert_eq!(claims.azp.as_deref(), payload["azp"].as_str());
        assert_eq!(claims.exp, payload["exp"].as_i64().unwrap());
        assert_eq!(claims.iat, payload["iat"].as_i64().unwrap());
        assert_eq!(
            claims.header.kid.as_deref(),
            fixture["header"]["kid"].as_str()
        );
        assert!(claims.org.is_none());
    }

    #[test]
    fn bad_payloads_are_errors_not_panics() {
        // missing required fields
        for (payload, what) in [
            (
                r#"{"object":"client","sessions":[],"created_at":1,"updated_at":1}"#,
                "client without id",
            ),
            (
                r#"{"id":"c","sessions":[{"id":"s"}],"created_at":1,"updated_at":1}"#,
                "truncated session",
            ),
            (
                r#"{"id":"c","sessions":"nope","created_at":1,"updated_at":1}"#,
                "wrong type",
            ),
            (
                r#"{"id":"c","sessions":[],"created_at":1e400,"updated_at":1}"#,
                "huge timestamp",
            ),
            (
                r#"{"id":"c","sessions":[],"created_at":9223372036854775807,"updated_at":1}"#,
                "timestamp out of range",
            ),
            (r#"{"id":"c","sessions":[],"created_at":"#, "truncated JSON"),
        ] {
            assert!(
                serde_json::from_str::<Client>(payload).is_err(),
                "{what} must fail"
            );
        }
        let no_status = r#"{"id":"s","expire_at":1,"abandon_at":1,"last_active_at":1,"created_at":1,"updated_at":1}"#;
        assert!(
            serde_json::from_str::<leptos_clerk::core::wire::Session>(no_status).is_err(),
            "a session without status must fail"
        );
        // unknown enum values are kept
        let s: leptos_clerk::core::wire::Session = serde_json::from_str(
        r#"{"id":"s","status":"frozen","expire_at":1,"abandon_at":1,"last_active_at":1,"created_at":1,"updated_at":1}"#,
    )
    .unwrap();
        assert_eq!(s.status, SessionStatus::Unknown("frozen".into()));
        assert!(!s.status.is_signed_in());
        assert_eq!(serde_json::to_value(&s).unwrap()["status"], "frozen");
        // every prefix of a real payload: an error or a value, never a panic
        let text = fixture("client_with_active_session.json");
        for end in (0..text.len()).filter(|i| text.is_char_boundary(*i)) {
            let _ = serde_json::from_str::<Envelope<Option<Client>>>(&text[..end]);
        }
    }
}
