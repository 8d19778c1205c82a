//! Clerk's `InitialState`: the auth state a server verified for a page, sent with the HTML so the
//! hydrating client starts from exactly what the server rendered (`@clerk/shared/types/ssr.ts`).
//!
//! The server fills it from the request's verified session claims (and, when loaded, the user
//! and organization from the Backend API, without private metadata); both halves then turn it
//! into the same client snapshot with [`InitialState::client`] and the same
//! [`Authorization`] with [`InitialState::authorization`], so the server's render and the
//! client's first render agree by construction. It never carries a token.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::authz::Authorization;
use super::wire::{
    Actor, Client, Organization, OrganizationMembership, PublicUserData, Session, SessionStatus,
    User,
};

/// The server-verified auth state of a page (Clerk's `InitialState`), in snake_case. All
/// fields empty means signed out.
///
/// ```
/// use clerk_core::initial_state::InitialState;
/// let signed_out = InitialState::default();
/// assert!(!signed_out.is_signed_in());
/// assert!(signed_out.client().sessions.is_empty());
///
/// let state = InitialState {
///     session_id: Some("sess_1".into()),
///     user_id: Some("user_1".into()),
///     org_id: Some("org_1".into()),
///     org_role: Some("org:admin".into()),
///     ..Default::default()
/// };
/// let client = state.client();
/// assert_eq!(client.sessions[0].id, "sess_1");
/// assert!(state.authorization().has(&clerk_core::authz::Has::role("org:admin")));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InitialState {
    /// The verified session claims (custom claims included).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_claims: Option<serde_json::Map<String, serde_json::Value>>,
    /// `sid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// `sts`: active or pending (`None`: the instance does not say; active).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_status: Option<SessionStatus>,
    /// Who impersonates the user (`act`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<Actor>,
    /// `sub`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The user, when the server loaded it (never with private metadata).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
    /// The active organization's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// The role in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_role: Option<String>,
    /// Its slug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_slug: Option<String>,
    /// The permissions in it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub org_permissions: Vec<String>,
    /// The organization, when the server loaded it (never with private metadata).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<Organization>,
    /// Minutes since the first and second factor were verified (`fva`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor_verification_age: Option<Vec<i64>>,
    /// Billing features of the token (`fea`, scoped).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<String>,
    /// Billing plans of the token (`pla`, scoped).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plans: Vec<String>,
}

impl InitialState {
    /// Whether a session was verified (active or pending).
    ///
    /// ```
    /// use clerk_core::initial_state::InitialState;
    /// assert!(!InitialState::default().is_signed_in());
    /// ```
    pub fn is_signed_in(&self) -> bool {
        self.session_id.is_some() && self.user_id.is_some()
    }

    /// `has()` for this state: what the server checked is what the client checks.
    ///
    /// ```
    /// use clerk_core::{authz::Has, initial_state::InitialState};
    /// let s = InitialState { user_id: Some("user_1".into()), session_id: Some("s".into()),
    ///     org_id: Some("org_1".into()), org_role: Some("org:member".into()), ..Default::default() };
    /// assert!(!s.authorization().has(&Has::role("org:admin")));
    /// ```
    pub fn authorization(&self) -> Authorization {
        if !self.is_signed_in() {
            return Authorization::default();
        }
        Authorization {
            user_id: self.user_id.clone(),
            org_id: self.org_id.clone(),
            org_role: self.org_role.clone(),
            org_permissions: self.org_permissions.clone(),
            features: self.features.clone(),
            plans: self.plans.clone(),
            factor_verification_age: self.factor_verification_age.clone(),
        }
    }

    /// The client snapshot both halves render from until the browser's own client arrives: no
    /// session when signed out, else one session of this user (the loaded user, or one with
    /// only its id), a member of the active organization with the verified role and
    /// permissions. Times come from the claims (`iat`, `exp`), so both halves agree.
    ///
    /// ```
    /// use clerk_core::initial_state::InitialState;
    /// let s = InitialState { session_id: Some("sess_1".into()), user_id: Some("user_1".into()),
    ///     org_id: Some("org_1".into()), org_slug: Some("acme".into()),
    ///     org_role: Some("org:admin".into()), ..Default::default() };
    /// let client = s.client();
    /// let user = client.sessions[0].user.as_ref().unwrap();
    /// assert_eq!(user.id, "user_1");
    /// assert_eq!(user.membership("org_1").unwrap().role, "org:admin");
    /// assert_eq!(client.last_active_session_id.as_deref(), Some("sess_1"));
    /// ```
    pub fn client(&self) -> Client {
        let issued = self.claim_time("iat");
        let mut client = Client {
            id: String::new(),
            sessions: Vec::new(),
            sign_in: None,
            sign_up: None,
            last_active_session_id: None,
            last_authentication_strategy: None,
            cookie_expires_at: None,
            captcha_bypass: false,
            created_at: issued,
            updated_at: issued,
        };
        let (Some(session_id), Some(user_id)) = (&self.session_id, &self.user_id) else {
            return client;
        };
        let mut user = self
            .user
            .clone()
            .filter(|u| &u.id == user_id)
            .unwrap_or_else(|| bare_user(user_id, issued));
        if let Some(org_id) = &self.org_id {
            let organization = self
                .organization
                .clone()
                .filter(|o| &o.id == org_id)
                .unwrap_or_else(|| bare_organization(org_id, self.org_slug.as_deref(), issued));
            let role = self.org_role.clone().unwrap_or_default();
            match user
                .organization_memberships
                .iter_mut()
                .find(|m| &m.organization.id == org_id)
            {
                Some(m) => {
                    m.role = role;
                    m.permissions = self.org_permissions.clone();
                }
                None => user.organization_memberships.push(OrganizationMembership {
                    id: String::new(),
                    organization,
                    role,
                    role_name: String::new(),
                    permissions: self.org_permissions.clone(),
                    public_metadata: Default::default(),
                    public_user_data: None,
                    created_at: issued,
                    updated_at: issued,
                }),
            }
        }
        let public_user_data = PublicUserData {
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            image_url: Some(user.image_url.clone()).filter(|u| !u.is_empty()),
            has_image: user.has_image,
            identifier: String::new(),
            user_id: Some(user_id.clone()),
            username: user.username.clone(),
            banned: None,
            deprovisioned: None,
        };
        client.sessions.push(Session {
            id: session_id.clone(),
            status: self.session_status.clone().unwrap_or(SessionStatus::Active),
            expire_at: self.claim_time("exp"),
            abandon_at: self.claim_time("exp"),
            last_active_at: issued,
            last_active_token: None,
            last_active_organization_id: self.org_id.clone(),
            actor: self.actor.clone(),
            tasks: None,
            user: Some(user),
            public_user_data: Some(public_user_data),
            factor_verification_age: self.factor_verification_age.clone(),
            created_at: issued,
            updated_at: issued,
        });
        client.last_active_session_id = Some(session_id.clone());
        client
    }

    fn claim_time(&self, name: &str) -> DateTime<Utc> {
        let seconds = self
            .session_claims
            .as_ref()
            .and_then(|c| c.get(name)?.as_i64())
            .unwrap_or(0);
        DateTime::from_timestamp(seconds, 0).unwrap_or_default()
    }
}

fn bare_user(id: &str, at: DateTime<Utc>) -> User {
    let at = at.timestamp_millis();
    serde_json::from_value(serde_json::json!({"id": id, "created_at": at, "updated_at": at}))
        .expect("a user with only its id and times is valid")
}

fn bare_organization(id: &str, slug: Option<&str>, at: DateTime<Utc>) -> Organization {
    let at = at.timestamp_millis();
    serde_json::from_value(serde_json::json!({
        "id": id, "name": slug.unwrap_or_default(), "slug": slug.unwrap_or_default(),
        "created_at": at, "updated_at": at,
    }))
    .expect("an organization with only its id, slug and times is valid")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::AuthState;

    fn signed_in() -> InitialState {
        let claims = serde_json::json!({"sub": "user_1", "sid": "sess_1", "iat": 1_700_000_000, "exp": 1_700_000_060});
        InitialState {
            session_claims: claims.as_object().cloned(),
            session_id: Some("sess_1".into()),
            user_id: Some("user_1".into()),
            org_id: Some("org_1".into()),
            org_slug: Some("acme".into()),
            org_role: Some("org:admin".into()),
            org_permissions: vec!["org:sys_memberships:manage".into()],
            features: vec!["o:reports".into()],
            ..Default::default()
        }
    }

    #[test]
    fn the_snapshot_derives_the_same_auth_state_as_the_claims() {
        let s = signed_in();
        let client = s.client();
        let session = client.initial_session().expect("a session");
        match AuthState::derive(true, Some(session)) {
            AuthState::SignedIn(a) => {
                assert_eq!(a.session_id, "sess_1");
                assert_eq!(a.user_id, "user_1");
                assert_eq!(a.org_id.as_deref(), Some("org_1"));
                assert_eq!(a.org_slug.as_deref(), Some("acme"));
                assert_eq!(a.org_role.as_deref(), Some("org:admin"));
            }
            other => panic!("expected signed in, got {other:?}"),
        }
        assert_eq!(session.expire_at.timestamp(), 1_700_000_060);
        assert_eq!(client.created_at.timestamp(), 1_700_000_000);
    }

    #[test]
    fn a_pending_session_stays_pending() {
        let s = InitialState {
            session_status: Some(SessionStatus::Pending),
            ..signed_in()
        };
        let client = s.client();
        assert!(matches!(
            AuthState::derive(true, client.sessions.first()),
            AuthState::Pending(_)
        ));
    }

    #[test]
    fn authorization_comes_from_the_claims_not_the_memberships() {
        let a = signed_in().authorization();
        assert!(a.has(&crate::authz::Has::permission("org:sys_memberships:manage")));
        assert!(a.has(&crate::authz::Has::feature("reports")));
        assert!(!a.has(&crate::authz::Has::role("org:member")));
        assert_eq!(
            InitialState::default().authorization(),
            Authorization::default()
        );
    }

    #[test]
    fn a_loaded_user_keeps_its_data_and_gets_the_verified_membership() {
        let user: User = serde_json::from_value(serde_json::json!({
            "id": "user_1", "first_name": "Ada", "image_url": "https://img/ada",
            "created_at": 1, "updated_at": 1,
        }))
        .unwrap();
        let s = InitialState {
            user: Some(user),
            ..signed_in()
        };
        let client = s.client();
        let session = &client.sessions[0];
        let u = session.user.as_ref().unwrap();
        assert_eq!(u.first_name.as_deref(), Some("Ada"));
        assert_eq!(u.membership("org_1").unwrap().permissions.len(), 1);
        let public = session.public_user_data.as_ref().unwrap();
        assert_eq!(public.image_url.as_deref(), Some("https://img/ada"));
    }

    #[test]
    fn a_user_of_another_id_is_not_trusted() {
        let user: User = serde_json::from_value(serde_json::json!({
            "id": "user_2", "first_name": "Eve", "created_at": 1, "updated_at": 1,
        }))
        .unwrap();
        let s = InitialState {
            user: Some(user),
            ..signed_in()
        };
        let client = s.client();
        let u = client.sessions[0].user.as_ref().unwrap();
        assert_eq!(u.id, "user_1");
        assert!(u.first_name.is_none());
    }

    #[test]
    fn it_round_trips_through_json_and_signed_out_is_empty() {
        let s = signed_in();
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<InitialState>(&json).unwrap(), s);
        assert_eq!(
            serde_json::to_string(&InitialState::default()).unwrap(),
            "{}"
        );
    }
}
