//! Storage: server-side records (with the private fields FAPI never shows) kept as JSON
//! documents in SQLite (WAL, synchronous=FULL: a commit is on disk before the server answers).

use std::cell::RefCell;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use clerk_core::wire::{
    SessionStatus, SessionTaskKey, SignInStatus, SignUpStatus, Strategy, VerificationStatus,
};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{ApiErr, ApiResult, StartupError};

/// A kind of stored document, with up to two indexed lookup values (stored in the `docs`
/// table's columns `a` and `b`).
pub trait Doc: Serialize + DeserializeOwned {
    /// Its kind, the first part of its key.
    const KIND: &'static str;
    /// Its id.
    fn id(&self) -> &str;
    /// What the document belongs to (column `a`): the client of a session, sign-in or sign-up;
    /// the organization of a membership or invitation.
    fn owner(&self) -> Option<&str> {
        None
    }
    /// Whom the document is about (column `b`): the user of a session or membership; the
    /// invited email address of an invitation.
    fn subject(&self) -> Option<&str> {
        None
    }
}

/// A user, with its secrets.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct UserRec {
    /// `user_…`.
    pub id: String,
    pub username: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// argon2id PHC hash.
    pub password_hash: Option<String>,
    /// Email addresses.
    pub emails: Vec<IdentRec>,
    /// Phone numbers.
    pub phones: Vec<IdentRec>,
    pub primary_email_id: Option<String>,
    pub primary_phone_id: Option<String>,
    /// Base32 TOTP secret.
    pub totp_secret: Option<String>,
    /// An authenticator app being set up: its secret and when it was made (ms), until a code
    /// from it is verified.
    #[serde(default)]
    pub totp_pending: Option<(String, i64)>,
    /// SHA-256 of unused backup codes.
    pub backup_codes: Vec<String>,
    pub public_metadata: serde_json::Map<String, serde_json::Value>,
    pub unsafe_metadata: serde_json::Map<String, serde_json::Value>,
    /// Consecutive failed attempts.
    pub failed_attempts: i64,
    /// Locked until (ms).
    pub locked_until: Option<i64>,
    /// Last sign-in (ms).
    pub last_sign_in_at: Option<i64>,
    /// Last activity (ms).
    pub last_active_at: Option<i64>,
    /// Legal acceptance (ms).
    pub legal_accepted_at: Option<i64>,
    /// When MFA was turned on (ms).
    pub mfa_enabled_at: Option<i64>,
    /// Created (ms).
    pub created_at: i64,
    /// Updated (ms).
    pub updated_at: i64,
    /// The id in the application's own systems (Backend API `external_id`).
    #[serde(default)]
    pub external_id: Option<String>,
    /// Metadata only the Backend API sees.
    #[serde(default)]
    pub private_metadata: serde_json::Map<String, serde_json::Value>,
    /// Banned through the Backend API: no sign-in, sessions revoked.
    #[serde(default)]
    pub banned: bool,
}

impl UserRec {
    /// Whether any second factor is on.
    pub fn two_factor(&self) -> bool {
        self.totp_secret.is_some()
            || !self.backup_codes.is_empty()
            || self.phones.iter().any(|p| p.second_factor && p.verified)
    }

    /// The primary email address text.
    pub fn primary_email(&self) -> Option<&str> {
        let id = self.primary_email_id.as_deref()?;
        self.emails
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.value.as_str())
    }

    /// The best identifier to show.
    pub fn identifier(&self) -> String {
        self.primary_email()
            .map(str::to_owned)
            .or_else(|| self.username.clone())
            .or_else(|| self.phones.first().map(|p| p.value.clone()))
            .unwrap_or_default()
    }
}

impl Doc for UserRec {
    const KIND: &'static str = "user";
    fn id(&self) -> &str {
        &self.id
    }
}

/// An email address or phone number of a user.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IdentRec {
    /// `idn_…`.
    pub id: String,
    /// The address or number.
    pub value: String,
    /// Whether verified.
    pub verified: bool,
    /// The strategy that verified it (empty when unknown).
    pub strategy: Strategy,
    /// Phones: used as a second factor.
    pub second_factor: bool,
    /// Created (ms).
    pub created_at: i64,
}

/// A client (a device/browser).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ClientRec {
    /// `client_…`.
    pub id: String,
    /// The sign-in in progress.
    pub sign_in_id: Option<String>,
    /// The sign-up in progress.
    pub sign_up_id: Option<String>,
    /// Last active session.
    pub last_active_session_id: Option<String>,
    /// Strategy of the last successful authentication.
    pub last_authentication_strategy: Option<String>,
    /// Created (ms).
    pub created_at: i64,
    /// Updated (ms).
    pub updated_at: i64,
}

impl Doc for ClientRec {
    const KIND: &'static str = "client";
    fn id(&self) -> &str {
        &self.id
    }
}

/// A session.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SessionRec {
    /// `sess_…`.
    pub id: String,
    pub client_id: String,
    pub user_id: String,
    /// Stored status (see `effective_status`).
    pub status: SessionStatus,
    /// Tasks of a pending session.
    pub tasks: Vec<SessionTaskKey>,
    pub last_active_org_id: Option<String>,
    /// Last activity (ms).
    pub last_active_at: i64,
    /// Expiry (ms).
    pub expire_at: i64,
    /// Abandon time (ms).
    pub abandon_at: i64,
    /// First factor verified (ms).
    pub first_factor_at: i64,
    /// Second factor verified (ms).
    pub second_factor_at: Option<i64>,
    /// Created (ms).
    pub created_at: i64,
    /// Updated (ms).
    pub updated_at: i64,
}

impl SessionRec {
    /// The status now: stored `active`/`pending` turn `expired` or `abandoned` with time.
    pub fn effective_status(&self, now: i64) -> SessionStatus {
        match &self.status {
            s if s.is_signed_in() && now >= self.expire_at => SessionStatus::Expired,
            s if s.is_signed_in() && now >= self.abandon_at => SessionStatus::Abandoned,
            s => s.clone(),
        }
    }

    /// Whether the session counts as signed in now.
    pub fn signed_in(&self, now: i64) -> bool {
        self.effective_status(now).is_signed_in()
    }
}

impl Doc for SessionRec {
    const KIND: &'static str = "session";
    fn id(&self) -> &str {
        &self.id
    }
    fn owner(&self) -> Option<&str> {
        Some(&self.client_id)
    }
    fn subject(&self) -> Option<&str> {
        Some(&self.user_id)
    }
}

/// A one-time-code (or other) verification in progress.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct VerifRec {
    /// `unverified`, `verified`, `failed`, `expired`.
    pub status: VerificationStatus,
    pub strategy: Strategy,
    /// Failed attempts.
    pub attempts: i64,
    /// Code expiry (ms); 0 when not prepared.
    pub expire_at: i64,
    /// The code sent (dev server: kept to compare).
    pub code: Option<String>,
    /// The email/phone id the code went to.
    pub target_id: Option<String>,
}

/// A sign-in attempt.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SignInRec {
    /// `sia_…`.
    pub id: String,
    pub client_id: String,
    pub status: SignInStatus,
    /// Identifier given.
    pub identifier: Option<String>,
    /// User identified.
    pub user_id: Option<String>,
    pub first: Option<VerifRec>,
    pub second: Option<VerifRec>,
    /// Session created on completion.
    pub created_session_id: Option<String>,
    /// When the first factor passed (ms).
    pub first_factor_at: Option<i64>,
    /// Abandon time (ms).
    pub abandon_at: i64,
    /// Created (ms).
    pub created_at: i64,
}

impl Doc for SignInRec {
    const KIND: &'static str = "sign_in";
    fn id(&self) -> &str {
        &self.id
    }
    fn owner(&self) -> Option<&str> {
        Some(&self.client_id)
    }
}

/// A sign-up attempt.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SignUpRec {
    /// `sua_…`.
    pub id: String,
    pub client_id: String,
    pub status: SignUpStatus,
    pub email_address: Option<String>,
    pub phone_number: Option<String>,
    pub username: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// argon2id hash of the password.
    pub password_hash: Option<String>,
    pub unsafe_metadata: serde_json::Map<String, serde_json::Value>,
    /// Legal acceptance (ms).
    pub legal_accepted_at: Option<i64>,
    /// Email verification.
    pub email_verif: Option<VerifRec>,
    /// Phone verification.
    pub phone_verif: Option<VerifRec>,
    /// User created on completion.
    pub created_user_id: Option<String>,
    /// Session created on completion.
    pub created_session_id: Option<String>,
    /// Abandon time (ms).
    pub abandon_at: i64,
    /// Created (ms).
    pub created_at: i64,
}

impl Doc for SignUpRec {
    const KIND: &'static str = "sign_up";
    fn id(&self) -> &str {
        &self.id
    }
    fn owner(&self) -> Option<&str> {
        Some(&self.client_id)
    }
}

/// An organization.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct OrgRec {
    /// `org_…`.
    pub id: String,
    pub name: String,
    pub slug: String,
    /// Membership limit (0: unlimited).
    pub max_allowed_memberships: i64,
    pub public_metadata: serde_json::Map<String, serde_json::Value>,
    /// Created (ms).
    pub created_at: i64,
    /// Updated (ms).
    pub updated_at: i64,
}

impl Doc for OrgRec {
    const KIND: &'static str = "org";
    fn id(&self) -> &str {
        &self.id
    }
}

/// A membership.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct MembershipRec {
    /// `orgmem_…`.
    pub id: String,
    pub org_id: String,
    pub user_id: String,
    /// Role key.
    pub role: String,
    /// Created (ms).
    pub created_at: i64,
    /// Updated (ms).
    pub updated_at: i64,
}

impl Doc for MembershipRec {
    const KIND: &'static str = "membership";
    fn id(&self) -> &str {
        &self.id
    }
    fn owner(&self) -> Option<&str> {
        Some(&self.org_id)
    }
    fn subject(&self) -> Option<&str> {
        Some(&self.user_id)
    }
}

/// The status of an organization invitation (stored and shown as `pending`, `accepted`,
/// `revoked`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvitationStatus {
    /// Not answered yet.
    #[default]
    Pending,
    /// Accepted: the invitee is a member.
    Accepted,
    /// Revoked by an organization manager.
    Revoked,
}

impl InvitationStatus {
    /// The status as FAPI shows it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Revoked => "revoked",
        }
    }
}

/// An organization invitation.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct InvitationRec {
    /// `orginv_…`.
    pub id: String,
    pub org_id: String,
    /// Invited email, lowercase.
    pub email: String,
    /// Role to give.
    pub role: String,
    /// Pending, accepted or revoked.
    pub status: InvitationStatus,
    /// Created (ms).
    pub created_at: i64,
    /// Updated (ms).
    pub updated_at: i64,
}

impl Doc for InvitationRec {
    const KIND: &'static str = "invitation";
    fn id(&self) -> &str {
        &self.id
    }
    fn owner(&self) -> Option<&str> {
        Some(&self.org_id)
    }
    fn subject(&self) -> Option<&str> {
        Some(&self.email)
    }
}

/// The pending code of an identification (not part of the user record: FAPI never shows it).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct IdentVerifRec {
    /// The identification's id.
    pub id: String,
    pub user_id: String,
    /// The code sent.
    pub verif: VerifRec,
}

impl Doc for IdentVerifRec {
    const KIND: &'static str = "ident_verif";
    fn id(&self) -> &str {
        &self.id
    }
    fn subject(&self) -> Option<&str> {
        Some(&self.user_id)
    }
}

/// The database: one SQLite connection behind a mutex (a dev server needs no more).
pub struct Db {
    conn: Mutex<Connection>,
    /// The kinds whose changes [`Db::watch`]'s hook sees, and the hook.
    watch: OnceLock<(&'static [&'static str], ChangeHook)>,
}

/// A watched document written in a transaction: its JSON before the transaction first wrote
/// it and after its last write (`None`: absent, i.e. created or deleted).
pub(crate) struct Change {
    /// [`Doc::KIND`].
    pub kind: &'static str,
    /// Its id.
    pub id: String,
    /// Before the transaction.
    pub before: Option<String>,
    /// At the end of the transaction.
    pub after: Option<String>,
}

/// Called with a transaction's changes, in the order each document was first written, just
/// before it commits; an error rolls the whole transaction back.
type ChangeHook = Box<dyn Fn(&Tx, Vec<Change>) -> ApiResult<()> + Send + Sync>;

impl Db {
    /// Opens (and creates) the database at `path`, or an in-memory one.
    pub fn open(path: Option<&Path>) -> Result<Self, StartupError> {
        let db_error = |source| StartupError::Database {
            path: path.map(Path::to_owned),
            source,
        };
        let conn = match path {
            Some(p) => {
                if let Some(dir) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|source| StartupError::Io {
                        path: dir.to_owned(),
                        source,
                    })?;
                }
                Connection::open(p).map_err(db_error)?
            }
            None => Connection::open_in_memory().map_err(db_error)?,
        };
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(db_error)?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL;
             PRAGMA synchronous=FULL;
             CREATE TABLE IF NOT EXISTS docs (
               kind TEXT NOT NULL, id TEXT NOT NULL, a TEXT, b TEXT, json TEXT NOT NULL,
               PRIMARY KEY (kind, id));
             DROP INDEX IF EXISTS docs_a;
             DROP INDEX IF EXISTS docs_b;
             CREATE INDEX IF NOT EXISTS docs_by_owner ON docs (kind, a);
             CREATE INDEX IF NOT EXISTS docs_by_subject ON docs (kind, b);
             CREATE TABLE IF NOT EXISTS keys (key TEXT PRIMARY KEY, target TEXT NOT NULL);",
        )
        .map_err(db_error)?;
        Ok(Self {
            conn: Mutex::new(conn),
            watch: OnceLock::new(),
        })
    }

    /// Has `hook` see every transaction's changes to documents of these kinds, inside the
    /// transaction (the webhook outbox is written there). Set once.
    pub(crate) fn watch(&self, kinds: &'static [&'static str], hook: ChangeHook) {
        let _ = self.watch.set((kinds, hook));
    }

    /// Runs `f` in one immediate transaction, committed if it returns `Ok`.
    pub fn tx<R>(&self, f: impl FnOnce(&Tx) -> ApiResult<R>) -> ApiResult<R> {
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let watched = self.watch.get().map_or(&[][..], |(kinds, _)| kinds);
        let wrapped = Tx {
            tx,
            watched,
            changes: RefCell::default(),
        };
        let out = f(&wrapped)?;
        if let Some((_, hook)) = self.watch.get() {
            let changes = wrapped.changes.take();
            if !changes.is_empty() {
                hook(&wrapped, changes)?;
            }
        }
        wrapped.tx.commit()?;
        Ok(out)
    }
}

/// An open transaction.
pub struct Tx<'c> {
    tx: rusqlite::Transaction<'c>,
    /// The kinds [`Db::watch`] tracks (empty: none).
    watched: &'static [&'static str],
    /// Their changes so far.
    changes: RefCell<Vec<Change>>,
}

impl Tx<'_> {
    /// The document of this kind and id.
    pub fn get<T: Doc>(&self, id: &str) -> ApiResult<Option<T>> {
        let json: Option<String> = self
            .tx
            .query_row(
                "SELECT json FROM docs WHERE kind = ?1 AND id = ?2",
                params![T::KIND, id],
                |r| r.get(0),
            )
            .optional()?;
        json.map(|j| serde_json::from_str(&j).map_err(ApiErr::from))
            .transpose()
    }

    /// Stores a document.
    pub fn put<T: Doc>(&self, doc: &T) -> ApiResult<()> {
        let json = serde_json::to_string(doc)?;
        self.track(T::KIND, doc.id(), Some(&json))?;
        self.tx.execute(
            "INSERT OR REPLACE INTO docs (kind, id, a, b, json) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![T::KIND, doc.id(), doc.owner(), doc.subject(), json],
        )?;
        Ok(())
    }

    /// Deletes a document.
    pub fn delete<T: Doc>(&self, id: &str) -> ApiResult<()> {
        self.track(T::KIND, id, None)?;
        self.tx.execute(
            "DELETE FROM docs WHERE kind = ?1 AND id = ?2",
            params![T::KIND, id],
        )?;
        Ok(())
    }

    /// Records a write of a watched kind (before it happens: the first one reads the old JSON).
    fn track(&self, kind: &'static str, id: &str, after: Option<&str>) -> ApiResult<()> {
        if !self.watched.contains(&kind) {
            return Ok(());
        }
        let mut changes = self.changes.borrow_mut();
        if let Some(c) = changes.iter_mut().find(|c| c.kind == kind && c.id == id) {
            c.after = after.map(str::to_owned);
            return Ok(());
        }
        let before = self
            .tx
            .query_row(
                "SELECT json FROM docs WHERE kind = ?1 AND id = ?2",
                params![kind, id],
                |r| r.get(0),
            )
            .optional()?;
        changes.push(Change {
            kind,
            id: id.to_owned(),
            before,
            after: after.map(str::to_owned),
        });
        Ok(())
    }

    /// The transaction's connection, for tables outside the document store (the webhook
    /// outbox).
    pub(crate) fn sql(&self) -> &Connection {
        &self.tx
    }

    /// The sessions of a client, oldest first.
    pub(crate) fn sessions_of_client(&self, client_id: &str) -> ApiResult<Vec<SessionRec>> {
        self.select("a", client_id)
    }

    /// The sessions of a user (on every client), oldest first.
    pub(crate) fn sessions_of_user(&self, user_id: &str) -> ApiResult<Vec<SessionRec>> {
        self.select("b", user_id)
    }

    /// The memberships of an organization, oldest first.
    pub(crate) fn memberships_of_org(&self, org_id: &str) -> ApiResult<Vec<MembershipRec>> {
        self.select("a", org_id)
    }

    /// The memberships of a user, oldest first.
    pub(crate) fn memberships_of_user(&self, user_id: &str) -> ApiResult<Vec<MembershipRec>> {
        self.select("b", user_id)
    }

    /// The invitations of an organization, oldest first.
    pub(crate) fn invitations_of_org(&self, org_id: &str) -> ApiResult<Vec<InvitationRec>> {
        self.select("a", org_id)
    }

    /// The invitations to an email address (lowercase), oldest first.
    pub(crate) fn invitations_for_email(&self, email: &str) -> ApiResult<Vec<InvitationRec>> {
        self.select("b", email)
    }

    /// Every document of a kind, oldest first (the Backend API's lists).
    pub(crate) fn all<T: Doc>(&self) -> ApiResult<Vec<T>> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT json FROM docs WHERE kind = ?1 ORDER BY rowid")?;
        let rows = stmt.query_map(params![T::KIND], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(serde_json::from_str(&row?)?);
        }
        Ok(out)
    }

    /// Documents whose lookup `column` (`a`: owner, `b`: subject) is `value`, oldest first.
    fn select<T: Doc>(&self, column: &str, value: &str) -> ApiResult<Vec<T>> {
        let sql = format!("SELECT json FROM docs WHERE kind = ?1 AND {column} = ?2 ORDER BY rowid");
        let mut stmt = self.tx.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![T::KIND, value], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(serde_json::from_str(&row?)?);
        }
        Ok(out)
    }

    /// The target of a unique key (identifier → user, token → client, slug → org…).
    pub fn key(&self, key: &str) -> ApiResult<Option<String>> {
        Ok(self
            .tx
            .query_row(
                "SELECT target FROM keys WHERE key = ?1",
                params![key],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Sets a unique key.
    pub fn set_key(&self, key: &str, target: &str) -> ApiResult<()> {
        self.tx.execute(
            "INSERT OR REPLACE INTO keys (key, target) VALUES (?1, ?2)",
            params![key, target],
        )?;
        Ok(())
    }

    /// Removes a unique key.
    pub fn del_key(&self, key: &str) -> ApiResult<()> {
        self.tx
            .execute("DELETE FROM keys WHERE key = ?1", params![key])?;
        Ok(())
    }
}

/// The unique key of an identifier: `email:…`, `phone:…`, `username:…` (lowercased).
pub fn ident_key(kind: &str, value: &str) -> String {
    format!("{kind}:{}", value.trim().to_lowercase())
}

/// No strategy recorded (stored as an empty string).
pub fn no_strategy() -> Strategy {
    Strategy::Unknown(String::new())
}

impl Default for IdentRec {
    fn default() -> Self {
        Self {
            id: String::new(),
            value: String::new(),
            verified: false,
            strategy: no_strategy(),
            second_factor: false,
            created_at: 0,
        }
    }
}

impl Default for VerifRec {
    fn default() -> Self {
        Self {
            status: VerificationStatus::Unverified,
            strategy: no_strategy(),
            attempts: 0,
            expire_at: 0,
            code: None,
            target_id: None,
        }
    }
}

impl Default for SignInRec {
    fn default() -> Self {
        Self {
            id: String::new(),
            client_id: String::new(),
            status: SignInStatus::NeedsIdentifier,
            identifier: None,
            user_id: None,
            first: None,
            second: None,
            created_session_id: None,
            first_factor_at: None,
            abandon_at: 0,
            created_at: 0,
        }
    }
}

impl Default for SignUpRec {
    fn default() -> Self {
        Self {
            id: String::new(),
            client_id: String::new(),
            status: SignUpStatus::MissingRequirements,
            email_address: None,
            phone_number: None,
            username: None,
            first_name: None,
            last_name: None,
            password_hash: None,
            unsafe_metadata: Default::default(),
            legal_accepted_at: None,
            email_verif: None,
            phone_verif: None,
            created_user_id: None,
            created_session_id: None,
            abandon_at: 0,
            created_at: 0,
        }
    }
}
