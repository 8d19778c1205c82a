//! `/synced-users`: the app's own copy of the users, written by Clerk's webhooks (`user.created`,
//! `user.updated`, `user.deleted` into `examples/api`'s SQLite table), fetched from
//! `GET /api/synced-users` every second (and on "Refresh"). With `API=1 ./dev.sh`, sign up in another
//! tab and the new user shows here within a second or two; delete the account (user menu, "Manage
//! account", "Delete account") and it goes away.
//!
//! `#synced-users` has `data-outcome` (as `/api-demo`) and `data-count`; each row is
//! `#synced-user-<id>` with `data-email`.

use std::time::Duration;

use leptos::prelude::*;
use leptos_clerk::{AuthenticatedRequest, use_auth, use_clerk};
use serde_json::Value;

use crate::admin_users::outcome_of;

fn text(v: &Value) -> String {
    v.as_str().unwrap_or("").to_owned()
}

#[component]
pub fn SyncedUsers() -> impl IntoView {
    let clerk = use_clerk();
    let auth = use_auth();
    let (tick, set_tick) = signal(0u32);
    if let Ok(handle) = set_interval_with_handle(
        move || set_tick.update(|n| *n = n.wrapping_add(1)),
        Duration::from_secs(1),
    ) {
        on_cleanup(move || handle.clear());
    }
    let table = LocalResource::new(move || {
        tick.track();
        auth.session_id.track();
        async move {
            clerk
                .fetch_json::<Value>(AuthenticatedRequest::get("/api/synced-users"))
                .await
        }
    });
    let outcome = move || match table.get() {
        None => "loading".to_owned(),
        Some(Ok(_)) => "ok".to_owned(),
        Some(Err(e)) => outcome_of(&e),
    };
    let count = move || match table.get() {
        Some(Ok(v)) => v["total_count"].as_i64().unwrap_or(0).to_string(),
        _ => String::new(),
    };
    let error = move || match table.get() {
        Some(Err(e)) => Some(format!("{}: {e}", outcome_of(&e))),
        _ => None,
    };
    let rows = move || {
        let Some(Ok(v)) = table.get() else {
            return Vec::new();
        };
        v["data"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|u| {
                let id = text(&u["id"]);
                let email = text(&u["email"]);
                let name = format!("{} {}", text(&u["first_name"]), text(&u["last_name"]));
                let metadata = serde_json::to_string(&u["public_metadata"]).unwrap_or_default();
                let row_id = format!("synced-user-{id}");
                let data_email = email.clone();
                view! {
                    <tr id=row_id data-email=data_email>
                        <td>{email}</td>
                        <td>{name.trim().to_owned()}</td>
                        <td><code>{id}</code></td>
                        <td><code>{metadata}</code></td>
                        <td>{text(&u["last_event"])}</td>
                    </tr>
                }
            })
            .collect::<Vec<_>>()
    };
    view! {
        <h1>"Synced users"</h1>
        <p class="muted">"This app's own table, kept by Clerk's webhooks ("
            <code>"POST /api/webhooks/clerk"</code> ", verified with clerk-backend's "
            <code>"ClerkWebhook"</code> "); refreshed every second."</p>
        <section class="card" id="synced-users" data-outcome=outcome data-count=count>
            <p>
                <button class="button" id="synced-users-refresh" on:click=move |_| set_tick.update(|n| *n = n.wrapping_add(1))>
                    "Refresh"
                </button>
                " " <span id="synced-users-count">{count}</span> " users"
            </p>
            <p id="synced-users-error" class="error">{error}</p>
            <table class="table">
                <thead><tr><th>"Email"</th><th>"Name"</th><th>"Id"</th><th>"Public metadata"</th><th>"Last event"</th></tr></thead>
                <tbody id="synced-users-list">{rows}</tbody>
            </table>
        </section>
    }
}
