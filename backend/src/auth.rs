//! The Auth object (`getAuth(req)` / `auth()`): signed in with the session's facts and
//! `has()`, or signed out with the reason.

use clerk_core::authz::{Authorization, Has};
use clerk_core::claims::{OrgClaims, SessionClaims};
use clerk_core::wire::{Actor, SessionStatus};
use serde::Serialize;

use crate::state::AuthReason;

/// Who is making the request.
///
/// ```
/// use clerk_backend::Auth;
/// use clerk_backend::core::authz::Has;
/// fn greet(auth: &Auth) -> String {
///     match auth {
///         Auth::SignedIn(s) if s.has(&Has::role("org:admin")) => format!("admin {}", s.user_id),
///         Auth::SignedIn(s) => format!("user {}", s.user_id),
///         Auth::SignedOut { .. } => "guest".into(),
///     }
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Auth {
    /// A verified, active session.
    SignedIn(Box<SessionAuth>),
    /// No session (or a pending one, treated as signed out as Clerk does by default).
    SignedOut {
        /// Why (`session-token-and-uat-missing` for an ordinary visitor).
        #[serde(serialize_with = "reason_text")]
        reason: Option<AuthReason>,
        /// `Some(Pending)` when a pending session was treated as signed out.
        session_status: Option<SessionStatus>,
    },
}

fn reason_text<S: serde::Serializer>(r: &Option<AuthReason>, s: S) -> Result<S::Ok, S::Error> {
    match r {
        Some(r) => s.serialize_str(&r.to_string()),
        None => s.serialize_none(),
    }
}

impl Auth {
    /// The signed-in session, if any.
    ///
    /// ```
    /// let auth = clerk_backend::Auth::signed_out(None);
    /// assert!(auth.session().is_none());
    /// ```
    pub fn session(&self) -> Option<&SessionAuth> {
        match self {
            Self::SignedIn(s) => Some(s),
            Self::SignedOut { .. } => None,
        }
    }

    /// The user id when signed in.
    ///
    /// ```
    /// assert_eq!(clerk_backend::Auth::signed_out(None).user_id(), None);
    /// ```
    pub fn user_id(&self) -> Option<&str> {
        self.session().map(|s| s.user_id.as_str())
    }

    /// Whether a session is signed in.
    ///
    /// ```
    /// assert!(!clerk_backend::Auth::signed_out(None).is_signed_in());
    /// ```
    pub fn is_signed_in(&self) -> bool {
        matches!(self, Self::SignedIn(_))
    }

    /// Clerk's `has()`: false when signed out.
    ///
    /// ```
    /// use clerk_backend::{Auth, core::authz::Has};
    /// assert!(!Auth::signed_out(None).has(&Has::role("org:admin")));
    /// ```
    pub fn has(&self, check: &Has) -> bool {
        self.session().is_some_and(|s| s.has(check))
    }

    /// A signed-out Auth with a reason.
    ///
    /// ```
    /// let auth = clerk_backend::Auth::signed_out(None);
    /// assert!(matches!(auth, clerk_backend::Auth::SignedOut { reason: None, .. }));
    /// ```
    pub fn signed_out(reason: Option<AuthReason>) -> Self {
        Self::SignedOut {
            reason,
            session_status: None,
        }
    }
}

/// A verified session, as Clerk's `SignedInAuthObject` states it.
///
/// `Debug` shows only the first 7 characters of the token, like Clerk's `debug()`, and
/// serialisation leaves the token out.
///
/// ```
/// # fn demo(s: &clerk_backend::SessionAuth) {
/// use clerk_backend::core::authz::{Has, Reverification};
/// if s.has(&Has::permission("org:invoices:manage").with_reverification(Reverification::STRICT)) {
///     println!("{} may manage invoices of {:?}", s.user_id, s.org_id);
/// }
/// # }
/// ```
#[derive(Clone, PartialEq, Serialize)]
pub struct SessionAuth {
    /// `sub`.
    pub user_id: String,
    /// `sid`.
    pub session_id: String,
    /// `sts` (`active` / `pending`), `None` when the instance does not state it.
    pub session_status: Option<SessionStatus>,
    /// The active organization's id.
    pub org_id: Option<String>,
    /// Its slug.
    pub org_slug: Option<String>,
    /// The role in it (`org:admin`).
    pub org_role: Option<String>,
    /// The permissions in it (`org:feature:permission`), v1 or expanded from v2.
    pub org_permissions: Vec<String>,
    /// The impersonator or agent (`act`).
    pub actor: Option<Actor>,
    /// Minutes since the first and second factor were verified (`fva`, `-1`: never).
    pub factor_verification_age: Option<Vec<i64>>,
    /// All the verified claims, custom ones included.
    pub claims: serde_json::Map<String, serde_json::Value>,
    #[serde(skip)]
    features: Vec<String>,
    #[serde(skip)]
    plans: Vec<String>,
    #[serde(skip)]
    token: String,
}

impl std::fmt::Debug for SessionAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionAuth")
            .field("user_id", &self.user_id)
            .field("session_id", &self.session_id)
            .field("session_status", &self.session_status)
            .field("org_id", &self.org_id)
            .field("org_slug", &self.org_slug)
            .field("org_role", &self.org_role)
            .field("org_permissions", &self.org_permissions)
            .field("actor", &self.actor)
            .field("factor_verification_age", &self.factor_verification_age)
            .field("token", &crate::redact(&self.token))
            .finish_non_exhaustive()
    }
}

impl SessionAuth {
    /// The facts of verified session claims.
    pub(crate) fn from_claims(c: SessionClaims) -> Self {
        let (org_id, org_slug, org_role, org_permissions) = match c.org {
            Some(OrgClaims {
                id,
                slug,
                role,
                permissions,
            }) => (Some(id), slug, role, permissions),
            None => (None, None, None, Vec::new()),
        };
        Self {
            user_id: c.sub,
            session_id: c.sid,
            session_status: c.sts,
            org_id,
            org_slug,
            org_role,
            org_permissions,
            actor: c.act,
            factor_verification_age: c.fva,
            claims: c.payload,
            features: c.features,
            plans: c.plans,
            token: c.raw,
        }
    }

    /// The session token this request carried (no network call: Clerk's `getToken()`
    /// without options). Tokens from templates come from the Backend API client.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Clerk's `has()`: roles and permissions in the active organization, features and plans
    /// of the token, and reverification by factor age.
    pub fn has(&self, check: &Has) -> bool {
        self.authorization().has(check)
    }

    /// What [`has`](Self::has) checks against: the organization, its role and permissions,
    /// the billing features and plans, and the factor ages of these claims.
    ///
    /// ```
    /// # fn demo(session: &clerk_backend::SessionAuth) {
    /// let authz = session.authorization();
    /// assert_eq!(authz.user_id.as_deref(), Some(session.user_id.as_str()));
    /// # }
    /// ```
    pub fn authorization(&self) -> Authorization {
        Authorization {
            user_id: Some(self.user_id.clone()),
            org_id: self.org_id.clone(),
            org_role: self.org_role.clone(),
            org_permissions: self.org_permissions.clone(),
            features: self.features.clone(),
            plans: self.plans.clone(),
            factor_verification_age: self.factor_verification_age.clone(),
        }
    }
}
