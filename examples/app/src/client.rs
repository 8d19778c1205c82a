//! `/client`: Clerk's `Client` object (this browser: its sessions and the sign-in or sign-up in progress),
//! printed as JSON with the field names of Clerk's Frontend API, and every session with its methods.

use leptos::prelude::*;
use leptos_clerk::core::claims::decode_jwt;
use leptos_clerk::{ClerkError, GetTokenOptions, SessionResource, SetActive, use_auth, use_clerk};
use leptos_router::components::A;

#[component]
pub fn ClientPage() -> impl IntoView {
    let client = use_clerk().client();
    let json = move || client.with(|c| c.as_ref().map(|c| pretty(c.data())));
    // Sessions by id: each card reads its own session, so a change to one leaves the others alone.
    let session_ids = move || {
        client.with(|c| {
            c.iter()
                .flat_map(|c| c.sessions.iter().map(|s| s.id.clone()))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <h1>"Client"</h1>
        <p class="muted">"The device's " <code>"Client"</code> ": every session signed in on this browser. "
            "Sign in to more accounts with the user menu's “Add account”."</p>
        <h2>"Sessions"</h2>
        <Show when=move || client.with(|c| c.as_ref().is_some_and(|c| c.sessions.is_empty()))>
            <p id="client-no-sessions">"No sessions: " <A href="/sign-in">"sign in"</A>"."</p>
        </Show>
        <div class="sessions" id="client-sessions">
            <For each=session_ids key=|id| id.clone() let:id>
                <SessionCard id=id/>
            </For>
        </div>
        <h2>"The Client object"</h2>
        <pre class="json" id="client-json">{json}</pre>
    }
}

/// One session: its fields, and a button per method. The last answer shows under the buttons.
#[component]
fn SessionCard(id: String) -> impl IntoView {
    let clerk = use_clerk();
    let current = use_auth().session_id;
    let id = StoredValue::new(id);
    let client = clerk.client();
    let session = Memo::new(move |_| {
        client
            .get()?
            .session_list()
            .into_iter()
            .find(|s| id.with_value(|id| &s.id == id))
    });
    let is_current = move || current.with(|c| id.with_value(|id| c.as_ref() == Some(id)));
    // Each button dispatches its method; `value()` keeps the last answer: a text, or a token's claims.
    let call = Action::new_local(move |method: &Method| {
        let method = *method;
        async move {
            let session = session.get_untracked()?;
            Some(method.call(session, clerk).await)
        }
    });
    let output = move || {
        call.value().get().flatten().map(|answer| match answer {
            Ok(text) => text,
            Err(e) => format!("error: {e}"),
        })
    };
    let dom_id = move |suffix: &str| format!("session-{}{suffix}", id.get_value());
    let button = move |method: Method| {
        view! {
            <button
                class="button small"
                id=dom_id(method.dom_suffix())
                disabled=move || call.pending().get() || (method == Method::SetActive && is_current())
                on:click=move |_| { call.dispatch(method); }
            >
                {method.label()}
            </button>
        }
    };
    view! {
        <article class="card session" id=dom_id("") data-current=move || is_current().to_string()>
            {move || session.get().map(|s| view! {
                <h3>
                    {s.public_user_data.as_ref().map(|u| u.identifier.clone())}
                    <span class="badge" id=dom_id("-status")>{s.status.as_str().to_owned()}</span>
                    {is_current().then(|| view! { <span class="badge current">"current"</span> })}
                </h3>
                <dl class="fields">
                    <dt>"id"</dt><dd><code>{s.id.clone()}</code></dd>
                    <dt>"user"</dt><dd><code>{s.user.as_ref().map(|u| u.id.clone())}</code></dd>
                    <dt>"last_active_organization_id"</dt>
                    <dd><code id=dom_id("-organization")>{s.last_active_organization_id.clone().unwrap_or_else(|| "null (personal account)".into())}</code></dd>
                    <dt>"last_active_at"</dt><dd id=dom_id("-last-active")>{s.last_active_at.to_rfc3339()}</dd>
                    <dt>"expire_at"</dt><dd>{s.expire_at.to_rfc3339()}</dd>
                    <dt>"abandon_at"</dt><dd>{s.abandon_at.to_rfc3339()}</dd>
                    <dt>"factor_verification_age"</dt><dd>{format!("{:?}", s.factor_verification_age.clone().unwrap_or_default())}</dd>
                    <dt>"actor"</dt><dd>{s.actor.as_ref().map_or("null".into(), |a| a.sub.clone())}</dd>
                    <dt>"tasks"</dt><dd>{s.tasks.as_ref().map_or("null".into(), |t| format!("{}", t.len()))}</dd>
                    <dt>"created_at"</dt><dd>{s.created_at.to_rfc3339()}</dd>
                    <dt>"updated_at"</dt><dd>{s.updated_at.to_rfc3339()}</dd>
                </dl>
            })}
            <div class="row">
                {Method::ALL.map(button)}
            </div>
            <pre class="json output" id=dom_id("-output")>{output}</pre>
        </article>
    }
}

/// The session methods the card offers.
#[derive(Clone, Copy, PartialEq)]
enum Method {
    SetActive,
    Touch,
    GetToken,
    GetTemplateToken,
    End,
    Remove,
}

impl Method {
    const ALL: [Method; 6] = [
        Method::SetActive,
        Method::Touch,
        Method::GetToken,
        Method::GetTemplateToken,
        Method::End,
        Method::Remove,
    ];

    fn label(self) -> &'static str {
        match self {
            Method::SetActive => "set_active",
            Method::Touch => "touch",
            Method::GetToken => "get_token",
            Method::GetTemplateToken => "get_token (template “example”)",
            Method::End => "end",
            Method::Remove => "remove",
        }
    }

    fn dom_suffix(self) -> &'static str {
        match self {
            Method::SetActive => "-set-active",
            Method::Touch => "-touch",
            Method::GetToken => "-get-token",
            Method::GetTemplateToken => "-get-template-token",
            Method::End => "-end",
            Method::Remove => "-remove",
        }
    }

    /// Calls the method; answers what to show.
    async fn call(
        self,
        session: SessionResource,
        clerk: leptos_clerk::Clerk,
    ) -> Result<String, ClerkError> {
        let token = |template: Option<&str>| GetTokenOptions {
            template: template.map(str::to_owned),
            ..GetTokenOptions::default()
        };
        match self {
            Method::SetActive => {
                clerk
                    .set_active(SetActive::new().session(session.id.as_str()))
                    .await?;
                Ok("this session is now the current one".into())
            }
            Method::Touch => {
                let touched = session.touch().await?;
                Ok(format!(
                    "touched: last_active_at = {}",
                    touched.last_active_at.to_rfc3339()
                ))
            }
            Method::GetToken => claims(session.get_token(token(None)).await?),
            Method::GetTemplateToken => claims(session.get_token(token(Some("example"))).await?),
            Method::End => Ok(format!("status: {}", session.end().await?.status.as_str())),
            Method::Remove => Ok(format!(
                "status: {}",
                session.remove().await?.status.as_str()
            )),
        }
    }
}

/// A token's claims, decoded (not verified: your backend verifies them with the instance's JWKS).
fn claims(jwt: Option<String>) -> Result<String, ClerkError> {
    let jwt = jwt.ok_or(ClerkError::SignedOut)?;
    let (_header, payload) = decode_jwt(&jwt)?;
    Ok(pretty(&payload))
}

fn pretty(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|e| e.to_string())
}
