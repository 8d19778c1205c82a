//! The outbox, in the server's SQLite database: `webhook_events` (one row per event, its exact
//! body, in commit order by `seq`) and `webhook_deliveries` (one row per event and endpoint:
//! status, attempts, the last answer). Events and their deliveries are written in the
//! transaction of the change that made them.

use rusqlite::{params, OptionalExtension};
use serde_json::{json, Value};

use crate::error::ApiResult;
use crate::store::Tx;

/// Creates the tables (idempotent).
pub(crate) fn create_tables(tx: &Tx) -> ApiResult<()> {
    tx.sql().execute_batch(
        "CREATE TABLE IF NOT EXISTS webhook_events (
           seq INTEGER PRIMARY KEY AUTOINCREMENT,
           msg_id TEXT NOT NULL UNIQUE,
           type TEXT NOT NULL,
           created_at INTEGER NOT NULL,
           body TEXT NOT NULL);
         CREATE TABLE IF NOT EXISTS webhook_deliveries (
           seq INTEGER NOT NULL REFERENCES webhook_events (seq),
           endpoint TEXT NOT NULL,
           status TEXT NOT NULL,
           attempts INTEGER NOT NULL DEFAULT 0,
           next_attempt_at INTEGER NOT NULL,
           last_attempt_at INTEGER,
           last_error TEXT,
           response_status INTEGER,
           response_body TEXT,
           delivered_at INTEGER,
           replays INTEGER NOT NULL DEFAULT 0,
           PRIMARY KEY (endpoint, seq));
         CREATE INDEX IF NOT EXISTS webhook_deliveries_due
           ON webhook_deliveries (endpoint, status, seq);",
    )?;
    Ok(())
}

/// Writes an event and a pending delivery to each endpoint.
pub(crate) fn enqueue(
    tx: &Tx,
    msg_id: &str,
    event_type: &str,
    created_at: i64,
    body: &str,
    endpoints: &[String],
) -> ApiResult<()> {
    let sql = tx.sql();
    sql.execute(
        "INSERT INTO webhook_events (msg_id, type, created_at, body) VALUES (?1, ?2, ?3, ?4)",
        params![msg_id, event_type, created_at, body],
    )?;
    let seq = sql.last_insert_rowid();
    let mut insert = sql.prepare_cached(
        "INSERT INTO webhook_deliveries (seq, endpoint, status, next_attempt_at)
         VALUES (?1, ?2, 'pending', ?3)",
    )?;
    for endpoint in endpoints {
        insert.execute(params![seq, endpoint, created_at])?;
    }
    Ok(())
}

/// The oldest pending delivery of an endpoint.
pub(crate) struct Due {
    pub seq: i64,
    pub msg_id: String,
    pub body: String,
    /// Attempts made in this round.
    pub attempts: i64,
    /// Not before (ms).
    pub next_attempt_at: i64,
}

/// The endpoint's oldest pending delivery (deliveries go out in order).
pub(crate) fn next_due(tx: &Tx, endpoint: &str) -> ApiResult<Option<Due>> {
    Ok(tx
        .sql()
        .query_row(
            "SELECT d.seq, e.msg_id, e.body, d.attempts, d.next_attempt_at
             FROM webhook_deliveries d JOIN webhook_events e ON e.seq = d.seq
             WHERE d.endpoint = ?1 AND d.status = 'pending'
             ORDER BY d.seq LIMIT 1",
            params![endpoint],
            |r| {
                Ok(Due {
                    seq: r.get(0)?,
                    msg_id: r.get(1)?,
                    body: r.get(2)?,
                    attempts: r.get(3)?,
                    next_attempt_at: r.get(4)?,
                })
            },
        )
        .optional()?)
}

/// How an attempt went.
pub(crate) struct Outcome {
    /// The HTTP status, when an answer came.
    pub status: Option<u16>,
    /// The start of the answer's body.
    pub body: Option<String>,
    /// Why it failed (`None`: a 2xx).
    pub error: Option<String>,
}

/// Records an attempt: a 2xx is `delivered`; a failure is retried after the next delay of
/// `backoff_ms`, or is `failed` when none is left.
pub(crate) fn record(
    tx: &Tx,
    endpoint: &str,
    due: &Due,
    outcome: &Outcome,
    now: i64,
    backoff_ms: &[u64],
) -> ApiResult<&'static str> {
    let attempts = due.attempts + 1;
    let (status, next) = match (&outcome.error, usize::try_from(due.attempts)) {
        (None, _) => ("delivered", now),
        (Some(_), Ok(i)) if i < backoff_ms.len() => ("pending", now + backoff_ms[i] as i64),
        (Some(_), _) => ("failed", now),
    };
    tx.sql().execute(
        "UPDATE webhook_deliveries SET status = ?3, attempts = ?4, next_attempt_at = ?5,
           last_attempt_at = ?6, last_error = ?7, response_status = ?8, response_body = ?9,
           delivered_at = CASE WHEN ?3 = 'delivered' THEN ?6 ELSE delivered_at END
         WHERE endpoint = ?1 AND seq = ?2 AND status = 'pending'",
        params![
            endpoint,
            due.seq,
            status,
            attempts,
            next,
            now,
            outcome.error,
            outcome.status,
            outcome.body
        ],
    )?;
    Ok(status)
}

/// Every delivery, oldest event first, optionally of one event type, status or message.
pub(crate) fn list(
    tx: &Tx,
    event_type: Option<&str>,
    status: Option<&str>,
    msg_id: Option<&str>,
) -> ApiResult<Vec<Value>> {
    let mut stmt = tx.sql().prepare_cached(
        "SELECT e.msg_id, e.type, e.created_at, e.body, d.endpoint, d.status, d.attempts,
                d.next_attempt_at, d.last_attempt_at, d.last_error, d.response_status,
                d.response_body, d.delivered_at, d.replays
         FROM webhook_deliveries d JOIN webhook_events e ON e.seq = d.seq
         WHERE (?1 IS NULL OR e.type = ?1) AND (?2 IS NULL OR d.status = ?2)
           AND (?3 IS NULL OR e.msg_id = ?3)
         ORDER BY d.seq, d.endpoint",
    )?;
    let rows = stmt.query_map(params![event_type, status, msg_id], |r| {
        let body: String = r.get(3)?;
        let status: String = r.get(5)?;
        Ok(json!({
            "object": "dev_webhook_delivery",
            "msg_id": r.get::<_, String>(0)?,
            "type": r.get::<_, String>(1)?,
            "created_at": r.get::<_, i64>(2)?,
            "endpoint": r.get::<_, String>(4)?,
            "next_attempt_at": (status == "pending")
                .then(|| r.get::<_, i64>(7))
                .transpose()?,
            "status": status,
            "attempts": r.get::<_, i64>(6)?,
            "last_attempt_at": r.get::<_, Option<i64>>(8)?,
            "last_error": r.get::<_, Option<String>>(9)?,
            "response_status": r.get::<_, Option<i64>>(10)?,
            "response_body": r.get::<_, Option<String>>(11)?,
            "delivered_at": r.get::<_, Option<i64>>(12)?,
            "replays": r.get::<_, i64>(13)?,
            "event": serde_json::from_str::<Value>(&body).unwrap_or(Value::Null),
        }))
    })?;
    let mut out = Vec::new();
    for row in rows {
        out.push(row?);
    }
    Ok(out)
}

/// Queues a message again to every endpoint (or one): a new round of attempts, same `svix-id`.
/// The number of deliveries queued (0: no such message).
pub(crate) fn replay(tx: &Tx, msg_id: &str, endpoint: Option<&str>, now: i64) -> ApiResult<usize> {
    Ok(tx.sql().execute(
        "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?2,
           replays = replays + 1
         WHERE seq = (SELECT seq FROM webhook_events WHERE msg_id = ?1)
           AND (?3 IS NULL OR endpoint = ?3)",
        params![msg_id, now, endpoint],
    )?)
}
