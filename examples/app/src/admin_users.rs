//! `/admin/users`: the instance's users, for admins of the active organization. The page calls the
//! app's own server (`examples/api`), which lists them through the Backend API (clerk-backend's
//! `ClerkClient`): `GET /api/admin/users?query=&limit=&offset=` (a search box and pages of 5), and
//! `POST /api/admin/users/{id}/metadata` to set `public_metadata` (deep-merged).
//!
//! "Set plan: pro" writes `{"plan": "pro"}` into that user's public metadata. It does not show in the
//! user's session token: Clerk's default session token carries no metadata (it would need a custom
//! session-token claim such as `"metadata": "{{user.public_metadata}}"`), so the list shows it instead.
//!
//! `#admin-users` has `data-outcome` = `loading`, `ok`, `signed-out`, `http-<status>` or `error`.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_clerk::{AuthenticatedRequest, ClerkError, use_auth, use_clerk};
use serde_json::{Value, json};

/// Users per page.
const LIMIT: i64 = 5;

/// `encodeURIComponent` of a query value.
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `signed-out` (no call was made), `http-<status>` (the server refused), else `error`.
pub fn outcome_of(e: &ClerkError) -> String {
    match e {
        ClerkError::SignedOut => "signed-out".to_owned(),
        ClerkError::Api { status, .. } => format!("http-{status}"),
        _ => "error".to_owned(),
    }
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or("").to_owned()
}

#[component]
pub fn AdminUsers() -> impl IntoView {
    let clerk = use_clerk();
    let auth = use_auth();
    let (query, set_query) = signal(String::new());
    let (offset, set_offset) = signal(0i64);
    let (again, set_again) = signal(0u32);
    let (message, set_message) = signal(String::new());
    let page = LocalResource::new(move || {
        auth.session_id.track();
        auth.org_id.track();
        again.track();
        let url = format!(
            "/api/admin/users?limit={LIMIT}&offset={}&query={}",
            offset.get(),
            encode(&query.get())
        );
        async move {
            clerk
                .fetch_json::<Value>(AuthenticatedRequest::get(url))
                .await
        }
    });
    let outcome = move || match page.get() {
        None => "loading".to_owned(),
        Some(Ok(_)) => "ok".to_owned(),
        Some(Err(e)) => outcome_of(&e),
    };
    let total = move || {
        page.get()
            .and_then(|r| r.ok())
            .and_then(|v| v["total_count"].as_i64())
            .unwrap_or(0)
    };
    let input = NodeRef::<leptos::html::Input>::new();
    let search = move |ev: SubmitEvent| {
        ev.prevent_default();
        let q = input.get().map(|i| i.value()).unwrap_or_default();
        set_offset.set(0);
        set_query.set(q);
    };
    let set_plan = move |id: String| {
        spawn_local(async move {
            let request =
                AuthenticatedRequest::post(format!("/api/admin/users/{}/metadata", encode(&id)))
                    .json(&json!({ "public_metadata": { "plan": "pro" } }));
            let result = match request {
                Ok(r) => clerk.fetch_json::<Value>(r).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(user) => set_message.set(format!(
                    "{}: plan {}",
                    text(&user["email"]),
                    text(&user["public_metadata"]["plan"])
                )),
                Err(e) => set_message.set(format!("{}: {e}", outcome_of(&e))),
            }
            set_again.update(|n| *n += 1);
        });
    };
    let rows = move || {
        let Some(Ok(v)) = page.get() else {
            return Vec::new();
        };
        v["data"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|u| {
                let id = text(&u["id"]);
                let plan = u["public_metadata"]["plan"]
                    .as_str()
                    .unwrap_or("")
                    .to_owned();
                let name = format!("{} {}", text(&u["first_name"]), text(&u["last_name"]));
                let metadata = serde_json::to_string(&u["public_metadata"]).unwrap_or_default();
                let for_click = id.clone();
                let row_id = format!("admin-user-{id}");
                let button_id = format!("admin-user-{id}-set-plan");
                let is_pro = plan == "pro";
                view! {
                    <tr id=row_id data-plan=plan>
                        <td class="admin-user-email">{text(&u["email"])}</td>
                        <td>{name.trim().to_owned()}</td>
                        <td><code>{id}</code></td>
                        <td><code class="admin-user-metadata">{metadata}</code></td>
                        <td>
                            <button class="button" id=button_id
                                disabled=is_pro
                                on:click=move |_| set_plan(for_click.clone())>
                                "Set plan: pro"
                            </button>
                        </td>
                    </tr>
                }
            })
            .collect::<Vec<_>>()
    };
    let range = move || {
        let t = total();
        if t == 0 {
            "no users".to_owned()
        } else {
            let from = offset.get() + 1;
            let to = (offset.get() + LIMIT).min(t);
            format!("{from}–{to} of {t}")
        }
    };
    let no_previous = move || offset.get() == 0;
    let no_next = move || offset.get() + LIMIT >= total();
    let error = move || match page.get() {
        Some(Err(e)) => Some(format!("{}: {e}", outcome_of(&e))),
        _ => None,
    };
    view! {
        <h1>"Users (admin)"</h1>
        <p class="muted">"Listed by this app's server through the Backend API, for admins of the active "
            "organization (" <code>"org:admin"</code> "). \"Set plan\" deep-merges "
            <code>"{\"plan\": \"pro\"}"</code> " into the user's " <code>"public_metadata"</code>
            ". Clerk's session token carries no metadata by default, so the plan shows here, not in "
            "that user's token claims."</p>
        <section class="card" id="admin-users" data-outcome=outcome data-total=move || total().to_string()>
            <form on:submit=search class="inline-form">
                <input type="search" id="admin-users-query" node_ref=input placeholder="Search email, name, id"
                    aria-label="Search users"/>
                <button type="submit" class="button" id="admin-users-search">"Search"</button>
            </form>
            <p id="admin-users-error" class="error">{error}</p>
            <table class="table">
                <thead><tr><th>"Email"</th><th>"Name"</th><th>"Id"</th><th>"Public metadata"</th><th></th></tr></thead>
                <tbody id="admin-users-list">{rows}</tbody>
            </table>
            <p>
                <button class="button" id="admin-users-prev" disabled=no_previous
                    on:click=move |_| set_offset.update(|o| *o = (*o - LIMIT).max(0))>"Previous"</button>
                " " <span id="admin-users-range">{range}</span> " "
                <button class="button" id="admin-users-next" disabled=no_next
                    on:click=move |_| set_offset.update(|o| *o += LIMIT)>"Next"</button>
            </p>
            <p id="admin-users-message" class="muted">{message}</p>
        </section>
    }
}
