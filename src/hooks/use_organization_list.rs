use leptos::prelude::*;

use crate::clerk::{Clerk, CreateOrganizationParams, OrganizationResource, SetActive};
use crate::core::error::ClerkError;
use crate::core::wire::OrganizationMembership;

use super::use_clerk;

/// What [`use_organization_list`] returns.
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::use_organization_list;
/// # #[component] fn A() -> impl IntoView {
/// let list = use_organization_list();
/// let count = move || list.user_memberships.with(Vec::len);
/// # view! { <p>{count}</p> } }
/// ```
#[derive(Clone, Copy)]
pub struct UseOrganizationListReturn {
    /// Whether Clerk has loaded.
    pub is_loaded: Signal<bool>,
    /// The user's memberships.
    pub user_memberships: Signal<Vec<OrganizationMembership>>,
    clerk: Clerk,
}

impl UseOrganizationListReturn {
    /// Creates an organization (the user becomes admin).
    pub async fn create_organization(
        &self,
        params: &CreateOrganizationParams,
    ) -> Result<OrganizationResource, ClerkError> {
        self.clerk.create_organization(params).await
    }

    /// Makes an organization (or the personal account) active.
    pub async fn set_active(&self, params: SetActive) -> Result<(), ClerkError> {
        self.clerk.set_active(params).await
    }
}

/// The user's organizations, Clerk's `useOrganizationList`.
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::{use_organization_list, SetActive};
///
/// #[component]
/// fn Orgs() -> impl IntoView {
///     let list = use_organization_list();
///     view! {
///         <For each=move || list.user_memberships.get() key=|m| m.id.clone() let:m>
///             <button on:click=move |_| {
///                 let id = m.organization.id.clone();
///                 leptos::task::spawn_local(async move {
///                     let _ = list.set_active(SetActive::new().organization(id)).await;
///                 });
///             }>{m.organization.name.clone()}</button>
///         </For>
///     }
/// }
/// ```
///
/// ## Server-Side Rendering
/// Empty on the server.
#[track_caller]
pub fn use_organization_list() -> UseOrganizationListReturn {
    let clerk = use_clerk();
    UseOrganizationListReturn {
        is_loaded: clerk.is_loaded(),
        user_memberships: Memo::new(move |_| {
            clerk
                .user()
                .with(|u| u.as_ref().map(|u| u.organization_memberships.clone()))
                .unwrap_or_default()
        })
        .into(),
        clerk,
    }
}
