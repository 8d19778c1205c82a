//! The example's own copy of the users, kept by Clerk's webhooks.
//!
//! `POST /api/webhooks/clerk` takes the dev server's (or Clerk's) deliveries through clerk-backend's
//! [`ClerkWebhook`] extractor: the raw body is checked against the Svix signature with the secret
//! of [`WebhookSecret`] before anything is parsed (a bad one is a 400, no secret a 500). Then, in
//! one SQLite transaction:
//!
//! - the delivery's `svix-id` (`event.delivery_id`) goes into `webhook_deliveries`; one seen
//!   before is answered 200 and changes nothing (Svix delivers at least once: retries and replays
//!   keep the id);
//! - `user.created` inserts the user into `synced_users`, `user.updated` updates it (inserting it
//!   if its creation was missed), `user.deleted` deletes it; other events are acknowledged only.
//!
//! `GET /api/synced-users` (signed in) returns the table, newest first.

use std::path::Path;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use clerk_backend::axum::{ClerkWebhook, SignedInAuth};
use clerk_backend::webhooks::{WebhookData, WebhookEvent};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::{Value, json};

use std::sync::Arc;

/// A row of `synced_users`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SyncedUser {
    pub id: String,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub public_metadata: Value,
    /// The user's `created_at` / `updated_at` (ms, from Clerk).
    pub created_at: i64,
    pub updated_at: i64,
    /// When the last event about it arrived here (ms).
    pub synced_at: i64,
    /// The event that wrote the row last (`user.created`, `user.updated`).
    pub last_event: String,
}

/// What a delivery did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Applied {
    Inserted,
    Updated,
    Deleted,
    /// A `user.deleted` for a user not in the table, or another event type.
    Ignored,
    /// This `svix-id` was handled before.
    Duplicate,
}

/// The SQLite table (one connection: the handlers hold it only for a statement or two).
pub struct Store(Mutex<Connection>);

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS synced_users (
    id TEXT PRIMARY KEY,
    email TEXT,
    first_name TEXT,
    last_name TEXT,
    public_metadata TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    synced_at INTEGER NOT NULL,
    last_event TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    delivery_id TEXT PRIMARY KEY,
    event_type TEXT NOT NULL,
    received_at INTEGER NOT NULL
);
";

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

impl Store {
    /// Opens (creating it) the database at `path`; `:memory:` keeps it in memory.
    pub fn open(path: &str) -> Result<Self, String> {
        let conn = if path == ":memory:" {
            Connection::open_in_memory()
        } else {
            if let Some(dir) = Path::new(path)
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
            {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            Connection::open(path)
        }
        .map_err(|e| format!("{path}: {e}"))?;
        conn.execute_batch(SCHEMA)
            .map_err(|e| format!("{path}: {e}"))?;
        Ok(Self(Mutex::new(conn)))
    }

    /// Applies one verified event, once per delivery id.
    pub fn apply(&self, event: &WebhookEvent) -> rusqlite::Result<Applied> {
        let mut conn = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let tx = conn.transaction()?;
        let now = now_ms();
        if let Some(id) = &event.delivery_id {
            let fresh = tx.execute(
                "INSERT OR IGNORE INTO webhook_deliveries (delivery_id, event_type, received_at) VALUES (?1, ?2, ?3)",
                params![id, event.event_type, now],
            )?;
            if fresh == 0 {
                return Ok(Applied::Duplicate);
            }
        }
        let applied = match (event.event_type.as_str(), &event.data) {
            ("user.created" | "user.updated", WebhookData::User(user)) => {
                let existed: Option<i64> = tx
                    .query_row(
                        "SELECT 1 FROM synced_users WHERE id = ?1",
                        [&user.id],
                        |r| r.get(0),
                    )
                    .optional()?;
                tx.execute(
                    "INSERT INTO synced_users (id, email, first_name, last_name, public_metadata, created_at, updated_at, synced_at, last_event)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                     ON CONFLICT(id) DO UPDATE SET email = excluded.email, first_name = excluded.first_name,
                       last_name = excluded.last_name, public_metadata = excluded.public_metadata,
                       created_at = excluded.created_at, updated_at = excluded.updated_at,
                       synced_at = excluded.synced_at, last_event = excluded.last_event",
                    params![
                        user.id,
                        user.primary_email_address(),
                        user.first_name,
                        user.last_name,
                        Value::Object(user.public_metadata.clone()).to_string(),
                        user.created_at,
                        user.updated_at,
                        now,
                        event.event_type,
                    ],
                )?;
                if existed.is_some() {
                    Applied::Updated
                } else {
                    Applied::Inserted
                }
            }
            ("user.deleted", WebhookData::Deleted(deleted)) => {
                let n = match &deleted.id {
                    Some(id) => tx.execute("DELETE FROM synced_users WHERE id = ?1", [id])?,
                    None => 0,
                };
                if n > 0 {
                    Applied::Deleted
                } else {
                    Applied::Ignored
                }
            }
            _ => Applied::Ignored,
        };
        tx.commit()?;
        Ok(applied)
    }

    /// Every row, the most recently created first.
    pub fn list(&self) -> rusqlite::Result<Vec<SyncedUser>> {
        let conn = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let mut stmt = conn.prepare(
            "SELECT id, email, first_name, last_name, public_metadata, created_at, updated_at, synced_at, last_event
             FROM synced_users ORDER BY created_at DESC, id",
        )?;
        let rows = stmt.query_map([], |r| {
            let metadata: String = r.get(4)?;
            Ok(SyncedUser {
                id: r.get(0)?,
                email: r.get(1)?,
                first_name: r.get(2)?,
                last_name: r.get(3)?,
                public_metadata: serde_json::from_str(&metadata).unwrap_or_else(|_| json!({})),
                created_at: r.get(5)?,
                updated_at: r.get(6)?,
                synced_at: r.get(7)?,
                last_event: r.get(8)?,
            })
        })?;
        rows.collect()
    }
}

fn db_error(e: rusqlite::Error) -> Response {
    let body = json!({ "errors": [{ "code": "database_error", "message": "The database failed.",
        "long_message": e.to_string() }] });
    (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response()
}

/// `POST /api/webhooks/clerk`: a verified delivery, applied once. A database failure is a 500, so
/// the sender retries.
pub async fn webhook(
    State(store): State<Arc<Store>>,
    ClerkWebhook(event): ClerkWebhook,
) -> Response {
    match store.apply(&event) {
        Ok(applied) => Json(json!({
            "ok": true,
            "type": event.event_type,
            "delivery_id": event.delivery_id,
            "applied": applied,
        }))
        .into_response(),
        Err(e) => db_error(e),
    }
}

/// `GET /api/synced-users` (signed in): `{data: [SyncedUser], total_count}`.
pub async fn list(State(store): State<Arc<Store>>, _auth: SignedInAuth) -> Response {
    match store.list() {
        Ok(rows) => Json(json!({ "total_count": rows.len(), "data": rows })).into_response(),
        Err(e) => db_error(e),
    }
}
