//! `/organizations`: the prebuilt `OrganizationSwitcher`, creating an organization with
//! `use_organization_list`, the active one's members with `use_organization`, and two pages gated by
//! `Protect`: one on a role, one on a permission.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_clerk::{
    CreateOrganizationParams, OrganizationSwitcher, Protect, SignedIn, SignedOut,
    UseOrganizationOptions, use_auth, use_organization_list, use_organization_with_options,
};
use leptos_router::components::A;

#[component]
pub fn Organizations() -> impl IntoView {
    view! {
        <h1>"Organizations"</h1>
        <SignedOut>
            <p id="organizations-signed-out">"Sign in to see your organizations: " <A href="/sign-in">"sign in"</A>"."</p>
        </SignedOut>
        <SignedIn>
            <div class="columns">
                <ActiveOrganization/>
                <NewOrganization/>
            </div>
            <Members/>
            <section class="card">
                <h2>"Gated pages"</h2>
                <ul class="links">
                    <li><A href="/organizations/admin" attr:id="organizations-admin-link">"Admins only"</A>
                        " (role " <code>"org:admin"</code> ")"</li>
                    <li><A href="/organizations/billing" attr:id="organizations-billing-link">"Billing"</A>
                        " (permission " <code>"org:invoices:manage"</code> ", which the seed's "
                        <code>"org:billing_manager"</code> " role has)"</li>
                </ul>
            </section>
        </SignedIn>
    }
}

/// The switcher, and what the session token says about the active organization: switching mints a new
/// token, so the claims follow.
#[component]
fn ActiveOrganization() -> impl IntoView {
    let auth = use_auth();
    let claims = move || {
        auth.session_claims.with(|c| {
            let c = c.as_ref()?;
            let o = c
                .payload
                .get("o")
                .cloned()
                .unwrap_or(serde_json::Value::Null);
            serde_json::to_string_pretty(&serde_json::json!({ "sid": c.sid, "o": o })).ok()
        })
    };
    view! {
        <section class="card" id="organizations-active">
            <h2>"Active organization"</h2>
            <div id="organizations-switcher">
                <OrganizationSwitcher/>
            </div>
            <p>"Role: " <code id="organizations-role">{move || auth.org_role.get().unwrap_or_else(|| "none (personal account)".into())}</code></p>
            <p class="muted">"The session token's claims:"</p>
            <pre class="json" id="organizations-claims">{claims}</pre>
        </section>
    }
}

/// Creates an organization. The user becomes its admin; switch to it with the switcher.
#[component]
fn NewOrganization() -> impl IntoView {
    let list = use_organization_list();
    let name = RwSignal::new(String::new());
    let create = Action::new_local(move |name: &String| {
        let params = CreateOrganizationParams {
            name: name.clone(),
            slug: None,
        };
        async move {
            list.create_organization(&params)
                .await
                .map(|org| org.slug.clone())
        }
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        create.dispatch(name.get());
    };
    let result = move || {
        create.value().get().map(|r| match r {
            Ok(slug) => format!("Created “{slug}”: switch to it above."),
            Err(e) => format!("error: {e}"),
        })
    };
    view! {
        <section class="card" id="organizations-create">
            <h2>"Create an organization"</h2>
            <form on:submit=submit>
                <label for="organizations-create-name">"Name"</label>
                <input id="organizations-create-name" bind:value=name/>
                <button class="button primary" id="organizations-create-submit" type="submit" disabled=create.pending()>
                    "Create"
                </button>
            </form>
            <p id="organizations-create-result" role="status">{result}</p>
        </section>
    }
}

/// The active organization's members, a page of 20 (`use_organization` loads them when asked to).
#[component]
fn Members() -> impl IntoView {
    let org = use_organization_with_options(UseOrganizationOptions {
        memberships: Some(20),
    });
    let rows = move || match org.memberships.get() {
        None => None,
        Some(Err(e)) => {
            Some(view! { <tr><td colspan="2">{format!("error: {e}")}</td></tr> }.into_any())
        }
        Some(Ok(page)) => Some(
            page.data
                .into_iter()
                .map(|m| {
                    let who = m.public_user_data.map(|u| u.identifier).unwrap_or_default();
                    view! { <tr><td>{who}</td><td>{m.role_name}</td></tr> }
                })
                .collect_view()
                .into_any(),
        ),
    };
    view! {
        <section class="card" id="organizations-members">
            <h2>"Members of " {move || org.organization.get().map_or("your personal account".into(), |o| o.name.clone())}</h2>
            <Show
                when=move || org.organization.with(Option::is_some)
                fallback=|| view! { <p class="muted">"A personal account has no members: switch to an organization."</p> }
            >
                <table>
                    <thead><tr><th>"Member"</th><th>"Role"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </Show>
        </section>
    }
}

/// `Protect` renders its children only when the check holds, its fallback otherwise, and nothing while
/// Clerk loads. It hides UI; your backend must still check the token's claims.
#[component]
pub fn AdminOnly() -> impl IntoView {
    view! {
        <h1>"Admins only"</h1>
        <Protect
            role="org:admin"
            fallback=|| view! { <p class="card" id="admin-denied">"Only admins of the active organization see this page."</p> }
        >
            <section class="card" id="admin-content">
                <p>"You are an admin of this organization."</p>
            </section>
        </Protect>
        <p><A href="/organizations">"Back to organizations"</A></p>
    }
}

#[component]
pub fn BillingOnly() -> impl IntoView {
    view! {
        <h1>"Billing"</h1>
        <Protect
            permission="org:invoices:manage"
            fallback=|| view! { <p class="card" id="billing-denied">"You need the permission to manage invoices."</p> }
        >
            <section class="card" id="billing-content">
                <p>"You may manage this organization's invoices."</p>
            </section>
        </Protect>
        <p><A href="/organizations">"Back to organizations"</A></p>
    }
}
