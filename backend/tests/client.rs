//! The Backend API client against the real dev server (in process, over loopback HTTP): every
//! call the client makes is answered by the same server the browser tests use.

use clerk_backend::api::{
    ClerkApiError, ClerkClient, OrganizationListParams, SessionListParams, UserListParams,
};
use futures_util::StreamExt;
use serde_json::json;

const SEED: &str = include_str!("../../dev-server/seed.toml");
const KEY: &str = include_str!("../../dev-server/tests/fixtures/test-signing-key.pem");

async fn dev_server() -> (ClerkClient, clerk_dev_server::AppState) {
    let state = clerk_dev_server::AppState::in_memory(SEED, Some(KEY)).unwrap();
    let app = clerk_dev_server::app(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (
        ClerkClient::new(state.secret_key.clone()).with_api_url(url),
        state,
    )
}

#[tokio::test]
async fn users_read_list_count_and_page() {
    let (clerk, _) = dev_server().await;
    let ada = clerk.users().get_user("user_ada").await.unwrap();
    assert_eq!(ada.id, "user_ada");
    assert_eq!(
        ada.primary_email_address(),
        Some("ada+clerk_test@example.com")
    );
    assert!(ada.password_enabled);
    let all = clerk
        .users()
        .get_user_list(&UserListParams::default())
        .await
        .unwrap();
    assert_eq!(all.total_count, 4);
    let page = clerk
        .users()
        .get_user_list(&UserListParams {
            limit: Some(2),
            offset: Some(1),
            order_by: Some("+created_at".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!((page.data.len(), page.total_count), (2, 4));
    let found = clerk
        .users()
        .get_user_list(&UserListParams {
            email_address: vec!["grace+clerk_test@example.com".into()],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        found.data.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(),
        ["user_grace"]
    );
    assert_eq!(
        clerk
            .users()
            .get_count(&UserListParams {
                query: Some("alan".into()),
                ..Default::default()
            })
            .await
            .unwrap(),
        1
    );
    // the stream walks every page
    let ids: Vec<String> = clerk
        .users()
        .get_user_list_all(UserListParams {
            limit: Some(3),
            ..Default::default()
        })
        .map(|u| u.unwrap().id)
        .collect()
        .await;
    assert_eq!(ids.len(), 4);
}

#[tokio::test]
async fn metadata_merges_deeply_and_null_deletes() {
    let (clerk, _) = dev_server().await;
    clerk
        .users()
        .update_user_metadata(
            "user_ada",
            json!({"public_metadata": {"plan": "pro", "limits": {"a": 1, "b": 2}}}),
        )
        .await
        .unwrap();
    let u = clerk
        .users()
        .update_user_metadata("user_ada", json!({"public_metadata": {"limits": {"b": null, "c": 3}}, "private_metadata": {"k": "v"}}))
        .await
        .unwrap();
    assert_eq!(
        serde_json::Value::Object(u.public_metadata.clone())["plan"],
        "pro"
    );
    assert_eq!(
        serde_json::Value::Object(u.public_metadata.clone())["limits"],
        json!({"a": 1, "c": 3})
    );
    assert_eq!(u.private_metadata["k"], "v");
    let again = clerk.users().get_user("user_ada").await.unwrap();
    assert_eq!(again.public_metadata, u.public_metadata);
    // replace: the given field whole, the others kept
    let r = clerk
        .users()
        .replace_user_metadata("user_ada", json!({"public_metadata": {"only": true}}))
        .await
        .unwrap();
    assert_eq!(
        serde_json::Value::Object(r.public_metadata),
        json!({"only": true})
    );
    assert_eq!(r.private_metadata["k"], "v");
}

#[tokio::test]
async fn create_update_ban_lock_verify_delete() {
    let (clerk, _) = dev_server().await;
    let u = clerk
        .users()
        .create_user(json!({"email_address": ["new+clerk_test@example.com"], "password": "a long and unusual passphrase 93", "first_name": "New"}))
        .await
        .unwrap();
    assert_eq!(u.first_name.as_deref(), Some("New"));
    let u2 = clerk
        .users()
        .update_user(&u.id, json!({"last_name": "Person"}))
        .await
        .unwrap();
    assert_eq!(u2.last_name.as_deref(), Some("Person"));
    assert!(
        clerk
            .users()
            .verify_password(&u.id, "a long and unusual passphrase 93")
            .await
            .unwrap()
            .verified
    );
    let wrong = clerk
        .users()
        .verify_password(&u.id, "nope nope nope nope")
        .await
        .unwrap_err();
    assert!(
        wrong.status.is_some_and(|s| (400..500).contains(&s)),
        "{wrong:?}"
    );
    assert!(clerk.users().ban_user(&u.id).await.unwrap().banned);
    assert!(!clerk.users().unban_user(&u.id).await.unwrap().banned);
    assert!(clerk.users().lock_user(&u.id).await.unwrap().locked);
    assert!(!clerk.users().unlock_user(&u.id).await.unwrap().locked);
    let gone = clerk.users().delete_user(&u.id).await.unwrap();
    assert!(gone.deleted);
    let e: ClerkApiError = clerk.users().get_user(&u.id).await.unwrap_err();
    assert_eq!(e.status, Some(404));
    assert!(e.has_code("resource_not_found"), "{e:?}");
}

#[tokio::test]
async fn organizations_memberships_invitations() {
    let (clerk, _) = dev_server().await;
    let acme = clerk
        .organizations()
        .get_organization("acme")
        .await
        .unwrap();
    assert_eq!(acme.id, "org_acme");
    let list = clerk
        .organizations()
        .get_organization_list(&OrganizationListParams::default())
        .await
        .unwrap();
    assert!(list.total_count >= 1);
    let org = clerk
        .organizations()
        .create_organization(json!({"name": "Initech", "created_by": "user_ada"}))
        .await
        .unwrap();
    let members = clerk
        .organizations()
        .get_organization_membership_list(&org.id, None, None)
        .await
        .unwrap();
    assert_eq!(members.total_count, 1);
    let m = clerk
        .organizations()
        .create_organization_membership(&org.id, "user_alan", "org:member")
        .await
        .unwrap();
    assert_eq!(m.role, "org:member");
    let m = clerk
        .organizations()
        .update_organization_membership(&org.id, "user_alan", "org:admin")
        .await
        .unwrap();
    assert_eq!(m.role, "org:admin");
    clerk
        .organizations()
        .delete_organization_membership(&org.id, "user_alan")
        .await
        .unwrap();
    let inv = clerk
        .organizations()
        .create_organization_invitation(&org.id, json!({"email_address": "someone+clerk_test@example.com", "role": "org:member", "inviter_user_id": "user_ada"}))
        .await
        .unwrap();
    assert_eq!(inv.status.as_str(), "pending");
    let revoked = clerk
        .organizations()
        .revoke_organization_invitation(&org.id, &inv.id, Some("user_ada"))
        .await
        .unwrap();
    assert_eq!(revoked.status.as_str(), "revoked");
    let u = clerk
        .organizations()
        .update_organization(&org.id, json!({"name": "Initrode"}))
        .await
        .unwrap();
    assert_eq!(u.name, "Initrode");
    let memberships = clerk
        .users()
        .get_organization_membership_list("user_ada", None, None)
        .await
        .unwrap();
    assert!(memberships.data.iter().any(|m| m.organization.id == org.id));
    assert!(
        clerk
            .organizations()
            .delete_organization(&org.id)
            .await
            .unwrap()
            .deleted
    );
}

#[tokio::test]
async fn sessions_tokens_and_errors() {
    let (clerk, _) = dev_server().await;
    // no sessions until someone signs in; listing by user works
    let sessions = clerk
        .sessions()
        .get_session_list(&SessionListParams {
            user_id: Some("user_ada".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(sessions.is_empty());
    // a wrong key is Clerk's 401
    let bad = ClerkClient::new("sk_test_wrong").with_api_url(clerk.api_url());
    let e = bad.users().get_user("user_ada").await.unwrap_err();
    assert_eq!(e.status, Some(401));
    assert!(e.has_code("clerk_key_invalid"));
    // nothing listening: a typed network error
    let down = ClerkClient::new("sk_test_x").with_api_url("http://127.0.0.1:9");
    let e = down.users().get_user("user_ada").await.unwrap_err();
    assert_eq!(e.status, None);
    assert!(e.has_code("unexpected_error"));
    // application invitations
    let inv = clerk
        .invitations()
        .create_invitation(json!({"email_address": "invited+clerk_test@example.com"}))
        .await
        .unwrap();
    assert!(
        clerk
            .invitations()
            .get_invitation_list(&Default::default())
            .await
            .unwrap()
            .iter()
            .any(|i| i.id == inv.id)
    );
    assert!(
        clerk
            .invitations()
            .revoke_invitation(&inv.id)
            .await
            .unwrap()
            .revoked
    );
    let jwks = clerk.get_jwks().await.unwrap();
    assert_eq!(jwks.keys.len(), 1);
}
