//! `<OrganizationSwitcher/>`: the active organization (or the personal account), a menu to
//! switch, create one, or manage the active one.

use leptos::prelude::*;

use super::Appearance;
use super::create_organization::CreateOrganization;
use super::kit::{AccountItem, Avatar, Modal, Preview, Root, Ui, org_initials, user_image};
use super::menu::Menu;
use super::organization_profile::OrganizationProfile;
use crate::SetActive;

/// One choice of the switcher: an organization, or the personal account (`id` `None`).
#[derive(Clone, PartialEq)]
struct Choice {
    id: Option<String>,
    name: String,
    detail: String,
    initials: String,
    image: Option<String>,
}

/// Clerk's organization switcher: a button showing the active organization (or the personal
/// account) that opens a menu listing the personal account and the user's other
/// organizations (choose one to make it active), "Manage organization" (a dialog with
/// [`OrganizationProfile`](crate::OrganizationProfile), or `organization_profile_url`) and
/// "Create organization" (a dialog with [`CreateOrganization`](crate::CreateOrganization), or
/// `create_organization_url`). Same keyboard use as [`UserButton`](crate::UserButton).
/// Renders nothing when signed out.
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::OrganizationSwitcher;
/// # #[component] fn A() -> impl IntoView {
/// view! { <OrganizationSwitcher hide_personal=false after_select_organization_url="/org"/> }
/// # }
/// ```
#[component]
pub fn OrganizationSwitcher(
    /// Appearance on top of the provider's.
    #[prop(optional)]
    appearance: Option<Appearance>,
    /// Leaves the personal account out of the list.
    #[prop(optional)]
    hide_personal: bool,
    /// Go here for "Create organization" instead of opening a dialog.
    #[prop(optional, into)]
    create_organization_url: Option<String>,
    /// Go here for "Manage organization" instead of opening a dialog.
    #[prop(optional, into)]
    organization_profile_url: Option<String>,
    /// Where to go after an organization was created in the dialog.
    #[prop(optional, into)]
    after_create_organization_url: Option<String>,
    /// Where to go after switching.
    #[prop(optional, into)]
    after_select_organization_url: Option<String>,
) -> impl IntoView {
    let local = StoredValue::new(appearance.clone().unwrap_or_default());
    let ui = Ui::new(appearance);
    let clerk = ui.clerk;
    let personal_label = ui.t().org_personal_account().to_owned();
    let forced = ui
        .env()
        .organization_settings
        .force_organization_selection
        .unwrap_or(false);
    let hide_personal = hide_personal || forced;
    // every choice, the active one first
    let choices = Memo::new(move |_| {
        clerk.session().with(|s| {
            let session = s.as_ref()?;
            let user = session.user.as_ref()?;
            let active = session.last_active_organization_id.clone();
            let mut all = vec![Choice {
                id: None,
                name: personal_label.clone(),
                detail: user.display_name(),
                initials: user.initials(),
                image: user_image(user),
            }];
            all.extend(user.organization_memberships.iter().map(|m| {
                Choice {
                    id: Some(m.organization.id.clone()),
                    name: m.organization.name.clone(),
                    detail: m.role_name.clone(),
                    initials: org_initials(&m.organization.name),
                    image: m
                        .organization
                        .has_image
                        .then(|| m.organization.image_url.clone()),
                }
            }));
            let at = all.iter().position(|c| c.id == active).unwrap_or(0);
            let current = all.remove(at);
            all.retain(|c| c.id.is_some() || !hide_personal);
            Some((current, all, user.create_organization_enabled))
        })
    });
    let signed_in = Memo::new(move |_| choices.with(Option::is_some));
    let urls = StoredValue::new((
        create_organization_url,
        organization_profile_url,
        after_create_organization_url,
        after_select_organization_url,
    ));
    move || {
        if !signed_in.get() {
            return None;
        }
        let menu = Menu::new();
        let create_open = RwSignal::new(false);
        let profile_open = RwSignal::new(false);
        let current = Memo::new(move |_| choices.get().map(|c| c.0));
        let others = Memo::new(move |_| choices.get().map(|c| c.1).unwrap_or_default());
        let can_create = Memo::new(move |_| choices.get().is_some_and(|c| c.2));
        let select = {
            move |id: Option<String>| {
                menu.close(true);
                leptos::task::spawn_local(async move {
                    let params = match id {
                        Some(id) => SetActive::new().organization(id),
                        None => SetActive::new().personal_account(),
                    };
                    match ui.clerk.set_active(params).await {
                        Ok(()) => {
                            if let Some(url) = urls.with_value(|u| u.3.clone()) {
                                ui.go(&url);
                            }
                        }
                        Err(e) => {
                            leptos::logging::warn!("leptos-clerk: switching organizations: {e}")
                        }
                    }
                });
            }
        };
        let open_dialog = {
            move |create: bool| {
                menu.close(true);
                let url = urls.with_value(|u| if create { u.0.clone() } else { u.1.clone() });
                match url {
                    Some(url) => ui.go(&url),
                    None if create => create_open.set(true),
                    None => profile_open.set(true),
                }
            }
        };
        let after_create = Callback::new(move |_: crate::OrganizationResource| {
            create_open.set(false);
        });
        let ui_trigger = ui;
        let ui_menu = ui;
        Some(view! {
            <Root ui=ui key="organization-switcher">
                <div class=ui.class("organization-switcher-box") node_ref=menu.root>
                    <button
                        type="button"
                        node_ref=menu.trigger
                        class=ui.class("organization-switcher-trigger")
                        aria-label=move || {
                            // the visible name is part of the accessible name (WCAG 2.5.3)
                            let open = ui_trigger.t().org_switcher_open().to_owned();
                            match current.get() {
                                Some(c) => format!("{}, {open}", c.name),
                                None => open,
                            }
                        }
                        aria-haspopup="menu"
                        aria-expanded=move || menu.open.get().to_string()
                        aria-controls=move || menu.open.get().then(|| menu.id())
                        on:click=move |_| menu.on_trigger_click()
                        on:keydown=move |e| menu.on_trigger_keydown(e)
                    >
                        {move || current.get().map(|c| view! {
                            <Avatar ui=ui_trigger image=c.image initials=c.initials size="sm"/>
                            <span class=ui_trigger.class("organization-switcher-name")>{c.name}</span>
                        })}
                        <span class=ui.class("chevron") aria-hidden="true"></span>
                    </button>
                    <Show when=move || menu.open.get()>
                        {
                            let ui = ui_menu;
                            let select = select;
                            let open_dialog = open_dialog;
                            view! {
                                <div class=ui.class("popover")>
                                    {move || current.get().map(|c| view! {
                                        <Preview ui=ui image=c.image initials=c.initials name=c.name detail=Some(c.detail)/>
                                    })}
                                    <div
                                        role="menu"
                                        id=menu.id()
                                        class=ui.class("menu")
                                        aria-label=ui.t().org_switcher_open().to_owned()
                                        node_ref=menu.list
                                        on:keydown=move |e| menu.on_menu_keydown(e)
                                    >
                                        <Show when=move || current.with(|c| c.as_ref().is_some_and(|c| c.id.is_some()))>
                                            <button type="button" role="menuitem" tabindex="-1" class=ui.class("menu-item")
                                                on:click={let open = open_dialog; move |_| open(false)}>
                                                {ui.t().org_manage().to_owned()}
                                            </button>
                                        </Show>
                                        <Show when=move || others.with(|o| !o.is_empty())>
                                            <div role="separator" class=ui.class("menu-separator")></div>
                                        </Show>
                                        <For each=move || others.get() key=|c| c.id.clone() let:c>
                                            {
                                                let select = select;
                                                let id = c.id.clone();
                                                view! {
                                                    <AccountItem ui=ui image=c.image initials=c.initials name=c.name
                                                        detail=c.detail on_click=move || select(id.clone())/>
                                                }
                                            }
                                        </For>
                                        <Show when=move || can_create.get()>
                                            <div role="separator" class=ui.class("menu-separator")></div>
                                            <button type="button" role="menuitem" tabindex="-1" class=ui.class("menu-item")
                                                on:click={let open = open_dialog; move |_| open(true)}>
                                                {ui.t().org_create().to_owned()}
                                            </button>
                                        </Show>
                                    </div>
                                </div>
                            }
                        }
                    </Show>
                </div>
                <Modal ui=ui open=create_open label=ui.t().org_create().to_owned()>
                    <CreateOrganization
                        appearance=local.get_value()
                        on_created=after_create
                        after_create_organization_url=urls.with_value(|u| u.2.clone()).unwrap_or_default()
                    />
                </Modal>
                <Modal ui=ui open=profile_open label=ui.t().org_manage().to_owned()>
                    <OrganizationProfile appearance=local.get_value()/>
                </Modal>
            </Root>
        })
    }
}
