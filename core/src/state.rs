//! The auth state as one enum, derived from the current session (clerk-js's `deriveState`).

use super::authz::{Authorization, Has};
use super::wire::{
    Actor, Organization, OrganizationMembership, Session, SessionStatus, SessionTaskKey,
};

/// Where authentication stands. Loading is its own state, so signed-out content never shows
/// before the SDK knows.
///
/// ```
/// use clerk_core::state::AuthState;
/// assert!(!AuthState::Loading.is_loaded());
/// assert_eq!(AuthState::derive(true, None), AuthState::SignedOut);
/// assert_eq!(AuthState::SignedOut.is_signed_in(), Some(false));
/// assert_eq!(AuthState::Loading.is_signed_in(), None);
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum AuthState {
    /// The SDK has not loaded the client yet.
    Loading,
    /// No session.
    SignedOut,
    /// A session with tasks left (choose an organization, reset the password, set up MFA).
    Pending(PendingAuth),
    /// An active session.
    SignedIn(SignedInAuth),
}

/// A pending session: signed in, but with tasks to finish.
///
/// ```
/// use clerk_core::state::PendingAuth;
/// let p = PendingAuth { session_id: "sess_1".into(), user_id: "user_1".into(), tasks: vec![] };
/// assert!(p.tasks.is_empty());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingAuth {
    /// The session.
    pub session_id: String,
    /// Its user.
    pub user_id: String,
    /// The tasks left, in order.
    pub tasks: Vec<SessionTaskKey>,
}

/// An active session, with its organization if one is active.
///
/// ```
/// use clerk_core::state::SignedInAuth;
/// let s = SignedInAuth { session_id: "sess_1".into(), user_id: "user_1".into(), org_id: None,
///     org_role: None, org_slug: None, actor: None };
/// assert!(s.org_id.is_none());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct SignedInAuth {
    /// The session.
    pub session_id: String,
    /// Its user.
    pub user_id: String,
    /// The active organization; `None` is the personal account.
    pub org_id: Option<String>,
    /// The role in it.
    pub org_role: Option<String>,
    /// Its slug.
    pub org_slug: Option<String>,
    /// Who impersonates the user, if anyone.
    pub actor: Option<Actor>,
}

impl AuthState {
    /// The state for a loaded (or not) client whose current session is `session`.
    pub fn derive(loaded: bool, session: Option<&Session>) -> Self {
        if !loaded {
            return Self::Loading;
        }
        let Some(session) = session.filter(|s| s.status.is_signed_in()) else {
            return Self::SignedOut;
        };
        let user_id = session_user_id(session).unwrap_or_default();
        if session.status == SessionStatus::Pending {
            return Self::Pending(PendingAuth {
                session_id: session.id.clone(),
                user_id,
                tasks: session
                    .tasks
                    .iter()
                    .flatten()
                    .map(|t| t.key.clone())
                    .collect(),
            });
        }
        let membership = active_membership(session);
        Self::SignedIn(SignedInAuth {
            session_id: session.id.clone(),
            user_id,
            org_id: membership.map(|m| m.organization.id.clone()),
            org_role: membership.map(|m| m.role.clone()),
            org_slug: membership.map(|m| m.organization.slug.clone()),
            actor: session.actor.clone(),
        })
    }

    /// Clerk's `treatPendingAsSignedOut`: a pending session reads as signed out.
    pub fn treat_pending_as_signed_out(self, yes: bool) -> Self {
        match self {
            Self::Pending(_) if yes => Self::SignedOut,
            other => other,
        }
    }

    /// Whether the SDK has loaded.
    pub fn is_loaded(&self) -> bool {
        !matches!(self, Self::Loading)
    }

    /// `None` while loading, else whether a session is active (pending counts as signed in
    /// here; see [`treat_pending_as_signed_out`](Self::treat_pending_as_signed_out)).
    pub fn is_signed_in(&self) -> Option<bool> {
        match self {
            Self::Loading => None,
            Self::SignedOut => Some(false),
            Self::Pending(_) | Self::SignedIn(_) => Some(true),
        }
    }

    /// The session id of a signed-in or pending state.
    pub fn session_id(&self) -> Option<&str> {
        match self {
            Self::SignedIn(s) => Some(&s.session_id),
            Self::Pending(p) => Some(&p.session_id),
            _ => None,
        }
    }

    /// The user id of a signed-in or pending state.
    pub fn user_id(&self) -> Option<&str> {
        match self {
            Self::SignedIn(s) => Some(&s.user_id),
            Self::Pending(p) => Some(&p.user_id),
            _ => None,
        }
    }

    /// The active organization id.
    pub fn org_id(&self) -> Option<&str> {
        match self {
            Self::SignedIn(s) => s.org_id.as_deref(),
            _ => None,
        }
    }
}

/// The user id of a session, from its user or its public data.
///
/// ```
/// use clerk_core::state::session_user_id;
/// let s: clerk_core::wire::Session = serde_json::from_str(r#"{"id":"s","status":"active",
///   "expire_at":1,"abandon_at":1,"last_active_at":1,"created_at":1,"updated_at":1,
///   "public_user_data":{"identifier":"a@b.c","user_id":"user_1"}}"#).unwrap();
/// assert_eq!(session_user_id(&s).as_deref(), Some("user_1"));
/// ```
pub fn session_user_id(session: &Session) -> Option<String> {
    session
        .user
        .as_ref()
        .map(|u| u.id.clone())
        .or_else(|| session.public_user_data.as_ref()?.user_id.clone())
}

/// The membership of the session's active organization, found in the user's memberships.
///
/// ```
/// use clerk_core::state::active_membership;
/// # let session: clerk_core::wire::Session = serde_json::from_str(r#"{"id":"s","status":"active",
/// #  "expire_at":1,"abandon_at":1,"last_active_at":1,"created_at":1,"updated_at":1}"#).unwrap();
/// assert!(active_membership(&session).is_none());
/// ```
pub fn active_membership(session: &Session) -> Option<&OrganizationMembership> {
    let org_id = session.last_active_organization_id.as_deref()?;
    session.user.as_ref()?.membership(org_id)
}

/// The session's active organization.
///
/// ```
/// use clerk_core::state::active_organization;
/// # let s: clerk_core::wire::Session = serde_json::from_str(r#"{"id":"s","status":"active",
/// #   "expire_at":1,"abandon_at":1,"last_active_at":1,"created_at":1,"updated_at":1}"#).unwrap();
/// assert!(active_organization(&s).is_none(), "no organization: the personal account");
/// ```
pub fn active_organization(session: &Session) -> Option<&Organization> {
    active_membership(session).map(|m| &m.organization)
}

/// What `has()` checks against for this session: the membership's role and permissions, and
/// the features and plans of the last token.
///
/// ```
/// use clerk_core::state::authorization;
/// use clerk_core::authz::Has;
/// # let s: clerk_core::wire::Session = serde_json::from_str(r#"{"id":"s","status":"active",
/// #   "expire_at":1,"abandon_at":1,"last_active_at":1,"created_at":1,"updated_at":1}"#).unwrap();
/// assert!(!authorization(&s).has(&Has::role("org:admin")));
/// ```
pub fn authorization(session: &Session) -> Authorization {
    let claims = session
        .last_active_token
        .as_ref()
        .and_then(|t| super::claims::SessionClaims::decode(&t.jwt).ok());
    let membership = active_membership(session);
    Authorization {
        user_id: session_user_id(session),
        org_id: membership.map(|m| m.organization.id.clone()),
        org_role: membership.map(|m| m.role.clone()),
        org_permissions: membership
            .map(|m| m.permissions.clone())
            .unwrap_or_default(),
        features: claims
            .as_ref()
            .map(|c| c.features.clone())
            .unwrap_or_default(),
        plans: claims.map(|c| c.plans).unwrap_or_default(),
        factor_verification_age: session.factor_verification_age.clone(),
    }
}

/// What a gate (`Show`, `Protect`, `SignedIn`, `SignedOut`) asks for.
///
/// ```
/// use clerk_core::state::Requirement;
/// use clerk_core::authz::Has;
/// let admins = Requirement::Has(Has::role("org:admin"));
/// # let _ = admins;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Requirement {
    /// An active session (a pending one does not count).
    SignedIn,
    /// No active session (a pending one counts as signed out).
    SignedOut,
    /// An active session whose user passes this check.
    Has(Has),
}

/// Whether a gate opens: `None` while loading (render nothing), else whether the
/// requirement holds.
///
/// ```
/// use clerk_core::state::{gate, AuthState, Requirement};
/// use clerk_core::authz::Authorization;
/// let none = Authorization::default();
/// assert_eq!(gate(&AuthState::Loading, &none, &Requirement::SignedOut), None);
/// assert_eq!(gate(&AuthState::SignedOut, &none, &Requirement::SignedOut), Some(true));
/// assert_eq!(gate(&AuthState::SignedOut, &none, &Requirement::SignedIn), Some(false));
/// ```
pub fn gate(state: &AuthState, authz: &Authorization, requirement: &Requirement) -> Option<bool> {
    let signed_in = match state {
        AuthState::Loading => return None,
        AuthState::SignedIn(_) => true,
        AuthState::SignedOut | AuthState::Pending(_) => false,
    };
    Some(match requirement {
        Requirement::SignedIn => signed_in,
        Requirement::SignedOut => !signed_in,
        Requirement::Has(check) => signed_in && authz.has(check),
    })
}
