//! `<UserButton/>` (the signed-in user's avatar opening a menu) and `<UserAvatar/>`.

use leptos::prelude::*;

use super::Appearance;
use super::kit::{AccountItem, Avatar, Modal, Preview, Root, Ui, user_image};
use super::menu::Menu;
use super::user_profile::UserProfile;
use crate::core::wire;
use crate::{SetActive, SignOut};

/// What a menu shows of a user.
#[derive(Clone, PartialEq)]
struct Person {
    session_id: String,
    name: String,
    identifier: String,
    initials: String,
    image: Option<String>,
}

impl Person {
    fn of(session: &wire::Session) -> Option<Self> {
        let (name, identifier, initials, image) = match (&session.user, &session.public_user_data) {
            (Some(user), _) => {
                let identifier = user
                    .primary_email_address()
                    .map(|e| e.email_address.clone())
                    .or_else(|| user.username.clone())
                    .or_else(|| user.primary_phone_number().map(|p| p.phone_number.clone()))
                    .unwrap_or_default();
                (
                    user.display_name(),
                    identifier,
                    user.initials(),
                    user_image(user),
                )
            }
            (None, Some(public)) => (
                public.display_name(),
                public.identifier.clone(),
                public.initials(),
                public.image_url.clone().filter(|_| public.has_image),
            ),
            (None, None) => return None,
        };
        Some(Self {
            session_id: session.id.clone(),
            name,
            identifier,
            initials,
            image,
        })
    }
}

/// The signed-in user's avatar (their image, else their initials); nothing when signed out.
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::UserAvatar;
/// # #[component] fn A() -> impl IntoView {
/// view! { <UserAvatar/> }
/// # }
/// ```
#[component]
pub fn UserAvatar(
    /// Appearance on top of the provider's.
    #[prop(optional)]
    appearance: Option<Appearance>,
) -> impl IntoView {
    let ui = Ui::new(appearance);
    let clerk = ui.clerk;
    let person = Memo::new(move |_| clerk.session().with(|s| s.as_deref().and_then(Person::of)));
    move || {
        person.get().map(|p| {
            view! {
                <Root ui=ui key="user-avatar">
                    <Avatar ui=ui image=p.image initials=p.initials/>
                </Root>
            }
        })
    }
}

/// Clerk's user button: the signed-in user's avatar opening a menu with their name and
/// identifier, "Manage account" (a dialog with [`UserProfile`], or `user_profile_url`) and
/// "Sign out". In multi-session mode the menu also lists the client's other signed-in
/// accounts (choose one to switch), "Add account" and "Sign out of all accounts".
///
/// Keyboard: Enter, Space or the arrow keys open the menu; arrows, Home and End move between
/// items; Escape closes it and focus returns to the button. Renders nothing when signed out.
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::{SignedIn, UserButton};
/// # #[component] fn A() -> impl IntoView {
/// view! { <SignedIn><UserButton show_name=true after_sign_out_url="/"/></SignedIn> }
/// # }
/// ```
#[component]
pub fn UserButton(
    /// Appearance on top of the provider's.
    #[prop(optional)]
    appearance: Option<Appearance>,
    /// Go here for "Manage account" instead of opening the profile in a dialog.
    #[prop(optional, into)]
    user_profile_url: Option<String>,
    /// Where to go after signing out (default: the provider's `after_sign_out_url`).
    #[prop(optional, into)]
    after_sign_out_url: Option<String>,
    /// Where "Add account" goes (default: the sign-in page, coming back here).
    #[prop(optional, into)]
    sign_in_url: Option<String>,
    /// Shows the user's name next to the avatar.
    #[prop(optional)]
    show_name: bool,
) -> impl IntoView {
    let local = StoredValue::new(appearance.clone());
    let ui = Ui::new(appearance);
    let clerk = ui.clerk;
    let me = Memo::new(move |_| clerk.session().with(|s| s.as_deref().and_then(Person::of)));
    let others = Memo::new(move |_| {
        let current = clerk.session_id().get();
        clerk
            .client()
            .with(|c| {
                c.as_ref().map(|c| {
                    c.data()
                        .signed_in_sessions()
                        .filter(|s| Some(&s.id) != current.as_ref())
                        .filter_map(Person::of)
                        .collect::<Vec<_>>()
                })
            })
            .unwrap_or_default()
    });
    let signed_in = Memo::new(move |_| me.with(Option::is_some));
    let multi = !ui.env().auth_config.single_session_mode;
    let urls = StoredValue::new((user_profile_url, after_sign_out_url, sign_in_url));
    move || {
        if !signed_in.get() {
            return None;
        }
        let menu = Menu::new();
        let profile_open = RwSignal::new(false);
        let manage = {
            move |_| {
                menu.close(true);
                match urls.with_value(|u| u.0.clone()) {
                    Some(url) => ui.go(&url),
                    None => profile_open.set(true),
                }
            }
        };
        let sign_out = move |all: bool| {
            menu.close(true);
            let session_id = if all || !multi {
                None
            } else {
                clerk.session_id().get_untracked()
            };
            let redirect_url = urls.with_value(|u| u.1.clone());
            leptos::task::spawn_local(async move {
                let params = SignOut {
                    session_id,
                    redirect_url,
                };
                if let Err(e) = clerk.sign_out(params).await {
                    leptos::logging::warn!("leptos-clerk: sign-out: {e}");
                }
            });
        };
        let add_account = {
            move |_| {
                menu.close(false);
                match urls.with_value(|u| u.2.clone()) {
                    Some(url) => ui.go(&url),
                    None => clerk.redirect_to_sign_in(None),
                }
            }
        };
        let switch = move |session_id: String| {
            menu.close(true);
            leptos::task::spawn_local(async move {
                let params = SetActive::new().session(session_id.as_str());
                if let Err(e) = clerk.set_active(params).await {
                    leptos::logging::warn!("leptos-clerk: switching sessions: {e}");
                }
            });
        };
        let ui_trigger = ui;
        let ui_menu = ui;
        let profile_label = ui.t().user_profile_title().to_owned();
        Some(view! {
            <Root ui=ui key="user-button">
                <div class=ui.class("user-button-box") node_ref=menu.root>
                    <button
                        type="button"
                        node_ref=menu.trigger
                        class=ui.class("user-button-trigger")
                        aria-label=move || {
                            // the visible name must be part of the accessible name (WCAG 2.5.3)
                            let open = ui_trigger.t().user_button_open().to_owned();
                            match me.get() {
                                Some(p) if show_name => format!("{}, {open}", p.name),
                                _ => open,
                            }
                        }
                        aria-haspopup="menu"
                        aria-expanded=move || menu.open.get().to_string()
                        aria-controls=move || menu.open.get().then(|| menu.id())
                        on:click=move |_| menu.on_trigger_click()
                        on:keydown=move |e| menu.on_trigger_keydown(e)
                    >
                        {move || me.get().map(|p| view! {
                            <Avatar ui=ui_trigger image=p.image initials=p.initials/>
                            {show_name.then(|| view! {
                                <span class=ui_trigger.class("user-button-name")>{p.name}</span>
                            })}
                        })}
                    </button>
                    <Show when=move || menu.open.get()>
                        {
                            let ui = ui_menu;
                            let sign_out_label = ui.t().user_button_sign_out().to_owned();
                            view! {
                                <div class=ui.class("popover")>
                                    {move || me.get().map(|p| view! {
                                        <Preview ui=ui image=p.image initials=p.initials name=p.name detail=Some(p.identifier)/>
                                    })}
                                    <div
                                        role="menu"
                                        id=menu.id()
                                        class=ui.class("menu")
                                        aria-label=ui.t().user_button_open().to_owned()
                                        node_ref=menu.list
                                        on:keydown=move |e| menu.on_menu_keydown(e)
                                    >
                                        <button type="button" role="menuitem" tabindex="-1" class=ui.class("menu-item") on:click=manage>
                                            {ui.t().user_button_manage_account().to_owned()}
                                        </button>
                                        <button type="button" role="menuitem" tabindex="-1" class=ui.class("menu-item") on:click=move |_| sign_out(false)>
                                            {sign_out_label.clone()}
                                        </button>
                                        {multi.then(|| {
                                            let add = add_account;
                                            view! {
                                                <div role="separator" class=ui.class("menu-separator")></div>
                                                <For each=move || others.get() key=|p| p.session_id.clone() let:p>
                                                    {
                                                        let id = p.session_id.clone();
                                                        view! {
                                                            <AccountItem ui=ui image=p.image initials=p.initials name=p.name
                                                                detail=p.identifier on_click=move || switch(id.clone())/>
                                                        }
                                                    }
                                                </For>
                                                <button type="button" role="menuitem" tabindex="-1" class=ui.class("menu-item") on:click=add>
                                                    {ui.t().user_button_add_account().to_owned()}
                                                </button>
                                                <Show when=move || others.with(|o| !o.is_empty())>
                                                    <button type="button" role="menuitem" tabindex="-1" class=ui.class("menu-item") on:click=move |_| sign_out(true)>
                                                        {ui.t().user_button_sign_out_all().to_owned()}
                                                    </button>
                                                </Show>
                                            }
                                        })}
                                    </div>
                                </div>
                            }
                        }
                    </Show>
                </div>
                <Modal ui=ui open=profile_open label=profile_label>
                    <UserProfile appearance=local.get_value().unwrap_or_default()/>
                </Modal>
            </Root>
        })
    }
}
