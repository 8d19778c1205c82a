use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{PublicUserData, SessionStatus, SessionTaskKey, SignIn, SignUp, User};

/// The device: all its sessions, and the sign-in and sign-up in progress (FAPI `Client`).
///
/// ```
/// use clerk_core::wire::Client;
/// let client: Client = serde_json::from_str(
///     r#"{"object":"client","id":"client_1","sessions":[],"sign_in":null,"sign_up":null,
///         "last_active_session_id":null,"created_at":1735689600000,"updated_at":1735689600000}"#,
/// ).unwrap();
/// assert!(client.signed_in_sessions().next().is_none());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "object", rename = "client")]
pub struct Client {
    /// `client_…`.
    pub id: String,
    /// Every session of this client, in any status.
    #[serde(default)]
    pub sessions: Vec<Session>,
    /// The sign-in in progress, if any.
    #[serde(default)]
    pub sign_in: Option<SignIn>,
    /// The sign-up in progress, if any.
    #[serde(default)]
    pub sign_up: Option<SignUp>,
    /// The session last made active on this client.
    #[serde(default)]
    pub last_active_session_id: Option<String>,
    /// The strategy of the last successful authentication (`password`, `email_code`…).
    #[serde(default)]
    pub last_authentication_strategy: Option<String>,
    /// When the client cookie expires.
    #[serde(default, with = "chrono::serde::ts_milliseconds_option")]
    pub cookie_expires_at: Option<DateTime<Utc>>,
    /// Whether captchas are bypassed for this client (test clients).
    #[serde(default)]
    pub captcha_bypass: bool,
    /// Creation time.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub created_at: DateTime<Utc>,
    /// Last update time.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub updated_at: DateTime<Utc>,
}

impl Client {
    /// Sessions that count as signed in: status `active` or `pending`.
    pub fn signed_in_sessions(&self) -> impl Iterator<Item = &Session> {
        self.sessions.iter().filter(|s| s.status.is_signed_in())
    }

    /// The session with this id, in any status.
    pub fn session(&self, id: &str) -> Option<&Session> {
        self.sessions.iter().find(|s| s.id == id)
    }

    /// The session a freshly loaded page starts with, as clerk-js chooses it: the last active
    /// session if it is signed in, else the first signed-in session, else none.
    pub fn initial_session(&self) -> Option<&Session> {
        let signed_in = |s: &&Session| s.status.is_signed_in();
        self.last_active_session_id
            .as_deref()
            .and_then(|id| self.session(id))
            .filter(signed_in)
            .or_else(|| self.signed_in_sessions().next())
    }

    /// Whether the cookie expires within 8 days (Safari's ITP cap), so that a post-auth
    /// navigation should go through `/v1/client/touch` to renew it.
    pub fn is_eligible_for_touch(&self, now: DateTime<Utc>) -> bool {
        self.cookie_expires_at
            .is_some_and(|at| at - now <= chrono::Duration::days(8))
    }

    /// Whether the client was never saved by the server (no id yet).
    pub fn is_new(&self) -> bool {
        self.id.is_empty()
    }
}

/// One signed-in (or formerly signed-in) session of a client (FAPI `Session`).
///
/// ```
/// use clerk_core::wire::{Session, SessionStatus};
/// let s: Session = serde_json::from_str(r#"{"object":"session","id":"sess_1","status":"pending",
///   "tasks":[{"key":"choose-organization"}],"expire_at":1,"abandon_at":1,"last_active_at":1,
///   "last_active_organization_id":null,"public_user_data":null,"factor_verification_age":[0,-1],
///   "created_at":1,"updated_at":1}"#).unwrap();
/// assert_eq!(s.status, SessionStatus::Pending);
/// assert_eq!(s.first_factor_age(), Some(0));
/// assert_eq!(s.second_factor_age(), None);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "object", rename = "session")]
pub struct Session {
    /// `sess_…`.
    pub id: String,
    /// Where the session is in its life.
    pub status: SessionStatus,
    /// When the session expires, whatever the activity.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub expire_at: DateTime<Utc>,
    /// When the session is abandoned if it stays inactive.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub abandon_at: DateTime<Utc>,
    /// Last activity (sign-in, touch).
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub last_active_at: DateTime<Utc>,
    /// The last session token minted for this session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_active_token: Option<Token>,
    /// The organization active in this session; `None` is the personal account.
    #[serde(default)]
    pub last_active_organization_id: Option<String>,
    /// Who acts on behalf of the user (impersonation), if anyone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<Actor>,
    /// Tasks left before a `pending` session becomes active.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<SessionTask>>,
    /// The signed-in user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
    /// The user's public data (name, image, identifier).
    #[serde(default)]
    pub public_user_data: Option<PublicUserData>,
    /// Minutes since the first and second factor were verified (`-1`: never).
    #[serde(default)]
    pub factor_verification_age: Option<Vec<i64>>,
    /// Creation time.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub created_at: DateTime<Utc>,
    /// Last update time.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub updated_at: DateTime<Utc>,
}

impl Session {
    /// Minutes since the first factor was verified, `None` if never.
    pub fn first_factor_age(&self) -> Option<i64> {
        self.factor_age(0)
    }

    /// Minutes since the second factor was verified, `None` if never.
    pub fn second_factor_age(&self) -> Option<i64> {
        self.factor_age(1)
    }

    fn factor_age(&self, index: usize) -> Option<i64> {
        self.factor_verification_age
            .as_ref()
            .and_then(|ages| ages.get(index).copied())
            .filter(|age| *age >= 0)
    }

    /// The first unfinished task of a pending session.
    pub fn current_task(&self) -> Option<&SessionTask> {
        self.tasks.as_ref().and_then(|t| t.first())
    }
}

/// The actor of an impersonated session (`act` claim).
///
/// ```
/// use clerk_core::wire::Actor;
/// let a: Actor = serde_json::from_str(r#"{"sub":"user_admin","type":"agent"}"#).unwrap();
/// assert_eq!(a.sub, "user_admin");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    /// The acting user's id.
    pub sub: String,
    /// `agent` for agent sessions; absent for impersonation by a person.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Other claims the server set.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A task a pending session must finish.
///
/// ```
/// use clerk_core::wire::{SessionTask, SessionTaskKey};
/// let t = SessionTask { key: SessionTaskKey::SetupMfa };
/// assert_eq!(serde_json::to_string(&t).unwrap(), r#"{"key":"setup-mfa"}"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionTask {
    /// Which task.
    pub key: SessionTaskKey,
}

/// A session token as minted by `POST /v1/client/sessions/{id}/tokens` (FAPI `Token`).
///
/// ```
/// use clerk_core::wire::Token;
/// let t: Token = serde_json::from_str(r#"{"object":"token","jwt":"a.b.c"}"#).unwrap();
/// assert_eq!(t.jwt, "a.b.c");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "object", rename = "token")]
pub struct Token {
    /// The JWT, as text.
    pub jwt: String,
}

/// A session of the user on any device, with what Clerk knows of that device (FAPI
/// `ActiveSession`, as `GET /v1/me/sessions/active` lists them; clerk-js's
/// `SessionWithActivities`).
///
/// ```
/// use clerk_core::wire::SessionWithActivities;
/// let s: SessionWithActivities = serde_json::from_str(r#"{"object":"session","id":"sess_1",
///   "status":"active","expire_at":1,"abandon_at":1,"last_active_at":1,"created_at":1,
///   "updated_at":1,"latest_activity":{"object":"session_activity","id":"sess_activity_1",
///   "browser_name":"Chrome","browser_version":"156","device_type":"Linux","is_mobile":false,
///   "ip_address":"127.0.0.1","city":"Berlin","country":"DE"}}"#).unwrap();
/// assert_eq!(s.id, "sess_1");
/// assert_eq!(s.latest_activity.as_ref().unwrap().city.as_deref(), Some("Berlin"));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionWithActivities {
    /// The session (every field of [`Session`], through `Deref`).
    #[serde(flatten)]
    pub session: Session,
    /// The device and place of the session's last activity, when Clerk recorded one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_activity: Option<SessionActivity>,
}

impl std::ops::Deref for SessionWithActivities {
    type Target = Session;
    fn deref(&self) -> &Session {
        &self.session
    }
}

/// Where and on what a session was last active (FAPI `SessionActivity`).
///
/// ```
/// use clerk_core::wire::SessionActivity;
/// let a: SessionActivity = serde_json::from_str(r#"{"id":"sess_activity_1","is_mobile":true,
///   "browser_name":"Safari","device_type":"iPhone"}"#).unwrap();
/// assert_eq!(a.browser(), Some("Safari".to_owned()));
/// assert!(a.is_mobile);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "object", rename = "session_activity")]
pub struct SessionActivity {
    /// The activity's id.
    pub id: String,
    /// The browser, such as `Chrome`.
    #[serde(default)]
    pub browser_name: Option<String>,
    /// Its version, such as `156`.
    #[serde(default)]
    pub browser_version: Option<String>,
    /// The device or operating system, such as `Macintosh`.
    #[serde(default)]
    pub device_type: Option<String>,
    /// Whether the device is a phone or tablet.
    #[serde(default)]
    pub is_mobile: bool,
    /// The IP address the request came from.
    #[serde(default)]
    pub ip_address: Option<String>,
    /// The city of that address.
    #[serde(default)]
    pub city: Option<String>,
    /// Its country code.
    #[serde(default)]
    pub country: Option<String>,
}

impl SessionActivity {
    /// The browser and its version, such as `Chrome 156`, when known.
    pub fn browser(&self) -> Option<String> {
        let parts: Vec<&str> = [&self.browser_name, &self.browser_version]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .filter(|s| !s.is_empty())
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}
