use leptos::prelude::*;

use crate::clerk::{MembershipsPage, OrganizationResource};
use crate::core::error::ClerkError;
use crate::core::wire::{OrganizationMembership, Paginated};

use super::use_clerk;

/// Options of [`use_organization_with_options`].
///
/// ```
/// use leptos_clerk::UseOrganizationOptions;
/// let opts = UseOrganizationOptions { memberships: Some(20) };
/// assert_eq!(opts.memberships, Some(20));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UseOrganizationOptions {
    /// Load the members of the active organization, this many per page.
    pub memberships: Option<u32>,
}

/// What [`use_organization`] returns.
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::{use_organization_with_options, UseOrganizationOptions};
/// # #[component] fn A() -> impl IntoView {
/// let org = use_organization_with_options(UseOrganizationOptions { memberships: Some(10) });
/// let members = move || org.memberships.get().and_then(Result::ok).map(|page| page.total_count);
/// let next_page = move |_| org.page.update(|p| *p += 1);
/// # view! { <button on:click=next_page>{members}</button> } }
/// ```
#[derive(Clone, Copy)]
pub struct UseOrganizationReturn {
    /// Whether Clerk has loaded.
    pub is_loaded: Signal<bool>,
    /// The active organization; `None` for the personal account.
    pub organization: Signal<Option<OrganizationResource>>,
    /// The user's membership in it.
    pub membership: Signal<Option<OrganizationMembership>>,
    /// The current page of members, once loaded (with `memberships` set in the options).
    pub memberships: Signal<Option<Result<Paginated<OrganizationMembership>, ClerkError>>>,
    /// The members page number, from 1 (set it to change page).
    pub page: RwSignal<u32>,
    refetch: RwSignal<u32>,
}

impl UseOrganizationReturn {
    /// Loads the members page again.
    pub fn revalidate(&self) {
        self.refetch.update(|n| *n += 1);
    }

    /// Invites someone to the active organization.
    pub async fn invite_member(&self, email_address: &str, role: &str) -> Result<(), ClerkError> {
        let Some(org) = self.organization.get_untracked() else {
            return Err(ClerkError::NoActiveOrganization);
        };
        org.invite_member(email_address, role).await?;
        Ok(())
    }
}

/// The active organization, Clerk's `useOrganization`.
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::use_organization;
///
/// #[component]
/// fn OrgName() -> impl IntoView {
///     let org = use_organization();
///     view! { <h2>{move || org.organization.get().map(|o| o.name.clone())}</h2> }
/// }
/// ```
///
/// ## Server-Side Rendering
/// Loading on the server.
#[track_caller]
pub fn use_organization() -> UseOrganizationReturn {
    use_organization_with_options(UseOrganizationOptions::default())
}

/// [`use_organization`] with a members list.
///
/// ```no_run
/// use leptos_clerk::{use_organization_with_options, UseOrganizationOptions};
/// let org = use_organization_with_options(UseOrganizationOptions { memberships: Some(10) });
/// ```
#[track_caller]
pub fn use_organization_with_options(options: UseOrganizationOptions) -> UseOrganizationReturn {
    let clerk = use_clerk();
    let organization = clerk.organization();
    let page = RwSignal::new(1u32);
    let refetch = RwSignal::new(0u32);
    let org_id = Memo::new(move |_| organization.with(|o| o.as_ref().map(|o| o.id.clone())));
    let current = move || organization.get_untracked();
    let memberships: Signal<Option<Result<Paginated<OrganizationMembership>, ClerkError>>> =
        match options.memberships {
            Some(page_size) => {
                let resource = LocalResource::new(move || {
                    let org = org_id.get();
                    let page = page.get();
                    refetch.track();
                    async move {
                        org?;
                        let page = MembershipsPage { page, page_size };
                        Some(current()?.get_memberships(page).await)
                    }
                });
                Signal::derive(move || resource.get().flatten())
            }
            None => Signal::derive(|| None),
        };
    UseOrganizationReturn {
        is_loaded: clerk.is_loaded(),
        organization,
        membership: clerk.membership(),
        memberships,
        page,
        refetch,
    }
}
