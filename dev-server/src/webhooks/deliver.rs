//! One delivery task per endpoint: the oldest pending delivery first, one at a time (so an
//! endpoint sees its events in order), signed per attempt, retried with backoff. The outbox is
//! the only state: a restarted server carries on where the last one stopped.

use std::sync::{Arc, Weak};
use std::time::Duration;

use tokio::sync::Notify;

use super::outbox::{self, Due, Outcome};
use super::Secret;
use crate::{AppState, Inner};

/// How much of an answer's body the outbox keeps.
const BODY_KEPT: usize = 1024;

/// Delivers the endpoint's outbox until the server is gone.
pub(super) async fn run(
    server: Weak<Inner>,
    index: usize,
    wake: Arc<Notify>,
    client: reqwest::Client,
    secret: Secret,
) {
    loop {
        let Some(inner) = server.upgrade() else {
            return;
        };
        let state = AppState(inner);
        let url = state.webhooks.endpoints[index].url.clone();
        let due = {
            let (state, url) = (state.clone(), url.clone());
            tokio::task::spawn_blocking(move || state.db.tx(|tx| outbox::next_due(tx, &url))).await
        };
        let due = match due {
            Ok(Ok(due)) => due,
            Ok(Err(e)) => {
                eprintln!("[clerk-dev-server] webhooks: outbox: {}", e.describe());
                None
            }
            Err(_) => return, // the runtime is shutting down
        };
        let wait = match &due {
            None => 1_000,
            Some(d) => d.next_attempt_at - state.now(),
        };
        let Some(due) = due.filter(|_| wait <= 0) else {
            drop(state);
            // New events and replays wake the task early; the timeout notices a dropped server.
            let wait = Duration::from_millis(wait.clamp(1, 1_000) as u64);
            let _ = tokio::time::timeout(wait, wake.notified()).await;
            continue;
        };
        let outcome = attempt(&client, &secret, &url, &due).await;
        let attempt_no = due.attempts + 1;
        let recorded = {
            let state = state.clone();
            let url = url.clone();
            tokio::task::spawn_blocking(move || {
                let now = state.now();
                let backoff = &state.webhooks.backoff_ms;
                let status = state
                    .db
                    .tx(|tx| outbox::record(tx, &url, &due, &outcome, now, backoff))?;
                Ok::<_, crate::ApiErr>((status, due, outcome))
            })
            .await
        };
        match recorded {
            Ok(Ok((status, due, outcome))) => {
                if let Some(error) = &outcome.error {
                    let then = if status == "failed" {
                        "giving up"
                    } else {
                        "will retry"
                    };
                    eprintln!(
                        "[clerk-dev-server] webhook {} to {url}: {error} (attempt {attempt_no}, {then})",
                        due.msg_id
                    );
                }
            }
            Ok(Err(e)) => eprintln!("[clerk-dev-server] webhooks: outbox: {}", e.describe()),
            Err(_) => return,
        }
    }
}

/// One signed POST of a delivery.
async fn attempt(client: &reqwest::Client, secret: &Secret, url: &str, due: &Due) -> Outcome {
    // Svix signs each attempt with the time it is made (Unix seconds, the real clock: receivers
    // compare it with theirs).
    let timestamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let signature = secret.sign(&due.msg_id, timestamp, due.body.as_bytes());
    let sent = client
        .post(url)
        .header("content-type", "application/json")
        .header("svix-id", &due.msg_id)
        .header("svix-timestamp", timestamp.to_string())
        .header("svix-signature", signature)
        .body(due.body.clone())
        .send()
        .await;
    match sent {
        Ok(response) => {
            let status = response.status();
            let body = response.bytes().await.ok().map(|b| {
                let text = String::from_utf8_lossy(&b[..b.len().min(BODY_KEPT)]);
                text.into_owned()
            });
            Outcome {
                status: Some(status.as_u16()),
                body,
                error: (!status.is_success()).then(|| format!("HTTP {status}")),
            }
        }
        Err(e) => {
            let mut error = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                error.push_str(": ");
                error.push_str(&s.to_string());
                source = s.source();
            }
            Outcome {
                status: None,
                body: None,
                error: Some(error),
            }
        }
    }
}
