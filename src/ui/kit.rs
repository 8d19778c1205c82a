//! Pieces every prebuilt component shares: the UI context (handle, appearance, strings), the
//! themed root, headers, avatars, dialogs and ids.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use leptos::prelude::*;

use super::{Appearance, Localization};
use crate::Clerk;
use crate::core::wire;
use crate::hooks::use_clerk;

/// What a prebuilt component needs: the handle, its appearance (the provider's with the
/// component's on top) and the strings. `Copy`, so closures in views can take it freely.
#[derive(Clone, Copy)]
pub(super) struct Ui {
    pub clerk: Clerk,
    data: StoredValue<Arc<UiData>>,
}

struct UiData {
    look: Appearance,
    t: Localization,
}

/// The strings of a component (derefs to [`Localization`]).
#[derive(Clone)]
pub(super) struct Texts(Arc<UiData>);

impl std::ops::Deref for Texts {
    type Target = Localization;
    fn deref(&self) -> &Localization {
        &self.0.t
    }
}

impl Ui {
    /// The context inside a `ClerkProvider`; `local` goes on top of the provider's appearance.
    #[track_caller]
    pub fn new(local: Option<Appearance>) -> Self {
        let clerk = use_clerk();
        let options = clerk.options();
        let look = match local {
            Some(local) => options.appearance.merged(&local),
            None => options.appearance,
        };
        let data = UiData {
            look,
            t: options.localization,
        };
        Self {
            clerk,
            data: StoredValue::new(Arc::new(data)),
        }
    }

    fn data(&self) -> Arc<UiData> {
        self.data.try_get_value().unwrap_or_else(|| {
            Arc::new(UiData {
                look: Appearance::default(),
                t: Localization::default(),
            })
        })
    }

    /// The strings.
    pub fn t(&self) -> Texts {
        Texts(self.data())
    }

    /// The appearance.
    pub fn look(&self) -> Appearance {
        self.data().look.clone()
    }

    /// The classes of an element (`cl-{key}` plus the appearance's extra ones).
    pub fn class(&self, key: &str) -> String {
        self.data().look.class(key)
    }

    /// The environment, untracked (components render once it is loaded).
    pub fn env(&self) -> wire::Environment {
        self.clerk
            .environment()
            .try_get_untracked()
            .flatten()
            .unwrap_or_default()
    }

    /// The application's name.
    pub fn app_name(&self) -> String {
        self.clerk
            .environment()
            .try_with_untracked(|e| {
                e.as_ref()
                    .map(|e| e.display_config.application_name.clone())
            })
            .flatten()
            .unwrap_or_default()
    }

    /// Where to go after a sign-in or sign-up: the component's force/fallback URLs if given,
    /// else the provider's, checked like Clerk does (force, `redirect_url`, fallback, `/`).
    pub fn after_auth(&self, sign_up: bool, force: Option<&str>, fallback: Option<&str>) -> String {
        match (force, fallback, sign_up) {
            (None, None, false) => self.clerk.build_after_sign_in_url(),
            (None, None, true) => self.clerk.build_after_sign_up_url(),
            _ => self.clerk.build_after_auth_url(force, fallback),
        }
    }

    /// The sign-in or sign-up page (the prop, else the provider's option, else the
    /// environment's, else `/sign-in` / `/sign-up`), carrying this page's `redirect_url`.
    pub fn auth_page(&self, sign_up: bool, prop: Option<String>) -> String {
        self.clerk
            .build_auth_page_url(sign_up, prop.as_deref(), None)
    }

    /// The link to the sign-in or sign-up page, when there is one to link to (a prop, the
    /// provider's option, the instance's setting or its Account Portal): never a dead link.
    pub fn auth_page_link(&self, sign_up: bool, prop: Option<String>) -> Option<String> {
        self.clerk
            .configured_auth_page(sign_up, prop.as_deref())
            .map(|_| self.auth_page(sign_up, prop))
    }

    /// Navigates (within the app when the URL is on this origin).
    pub fn go(&self, url: &str) {
        if let Err(e) = self.clerk.navigate(url) {
            leptos::logging::warn!("leptos-clerk: {e}");
        }
    }
}

/// A new id for `for`/`aria-*` references, unique in the page.
pub(super) fn next_id(prefix: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    format!("cl-{prefix}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// The root of every prebuilt component: the theme attribute, the appearance's variables as
/// CSS custom properties (set through the CSSOM: allowed by a strict CSP), and the classes.
#[component]
pub(super) fn Root(ui: Ui, key: &'static str, children: Children) -> impl IntoView {
    let look = ui.look();
    let v = look.variables;
    let theme = look.theme.unwrap_or_default().as_str();
    view! {
        <div
            class=format!("cl-root {}", ui.class(key))
            data-cl-theme=theme
            style:--cl-color-primary=v.color_primary
            style:--cl-color-on-primary=v.color_on_primary
            style:--cl-color-danger=v.color_danger
            style:--cl-color-success=v.color_success
            style:--cl-color-background=v.color_background
            style:--cl-color-text=v.color_text
            style:--cl-color-text-secondary=v.color_text_secondary
            style:--cl-color-input-background=v.color_input_background
            style:--cl-color-input-text=v.color_input_text
            style:--cl-color-border=v.color_border
            style:--cl-font-family=v.font_family
            style:--cl-font-size=v.font_size
            style:--cl-border-radius=v.border_radius
            style:--cl-spacing=v.spacing
        >
            {children()}
        </div>
    }
}

/// What a card shows until the environment is loaded: "Loading…", or, when Clerk cannot start,
/// why. End users read the localized "unavailable" line; with a development key (or one too
/// broken to tell) the developer also reads the problem and its fix, as Clerk's components show
/// their development errors. Clerk keeps retrying network trouble, so this can turn back into
/// the form.
#[component]
pub(super) fn NotReady(ui: Ui) -> impl IntoView {
    let clerk = ui.clerk;
    let problem = clerk.startup_problem();
    let development = crate::core::diagnosis::is_development_key(&clerk.options().publishable_key);
    move || {
        let t = ui.t();
        match problem.get() {
            None => view! { <p class="cl-loading">{t.loading().to_owned()}</p> }.into_any(),
            Some(problem) => {
                use crate::core::diagnosis::StartupProblem;
                let line = match &problem {
                    StartupProblem::Offline => t.error_offline(),
                    StartupProblem::Unreachable { .. }
                    | StartupProblem::ProxyUpstreamDown { .. } => t.error_network(),
                    _ => t.startup_unavailable(),
                }
                .to_owned();
                let retrying = (!problem.is_misconfiguration()
                    || matches!(problem, StartupProblem::ProxyUpstreamDown { .. }))
                .then(|| view! { <p class=ui.class("startup-retrying")>{t.startup_retrying().to_owned()}</p> });
                let details = development.then(|| {
                    view! {
                        <p class=ui.class("startup-problem")>{problem.title()}</p>
                        <p class=ui.class("startup-fix")>{problem.fix()}</p>
                    }
                });
                view! {
                    <div class=ui.class("startup-failure") role="alert">
                        <p class=ui.class("startup-title")>{line}</p>
                        {retrying}
                        {details}
                    </div>
                }
                .into_any()
            }
        }
    }
}

/// A card's title and subtitle.
#[component]
pub(super) fn Header(
    ui: Ui,
    #[prop(into)] title: Signal<String>,
    #[prop(optional, into)] subtitle: Option<Signal<String>>,
) -> impl IntoView {
    view! {
        <div class=ui.class("header")>
            <h1 class=ui.class("header-title")>{title}</h1>
            {subtitle.map(|s| view! { <p class=ui.class("header-subtitle")>{s}</p> })}
        </div>
    }
}

/// "Don't have an account? Sign up": a line of text and a link at the foot of a card.
#[component]
pub(super) fn FooterLink(ui: Ui, text: String, link: String, href: String) -> impl IntoView {
    view! {
        <div class=ui.class("footer")>
            <span class=ui.class("footer-text")>{text}</span>
            " "
            <a class=ui.class("footer-action-link") href=href>{link}</a>
        </div>
    }
}

/// An avatar: the image when the user (or organization) uploaded one, else initials. It is
/// decorative (`alt=""`, `aria-hidden`): a name always stands next to it or names its button.
#[component]
pub(super) fn Avatar(
    ui: Ui,
    image: Option<String>,
    initials: String,
    #[prop(default = "md")] size: &'static str,
) -> impl IntoView {
    let class = format!("{} cl-avatar-{size}", ui.class("avatar"));
    match image.filter(|i| !i.is_empty()) {
        Some(src) => view! { <img class=class src=src alt="" aria-hidden="true"/> }.into_any(),
        // the initials are drawn by the stylesheet (`attr(data-initials)`), so they stay out of
        // the accessible names and visible labels of the buttons the avatar sits in
        None => {
            view! { <span class=class data-initials=initials aria-hidden="true"></span> }.into_any()
        }
    }
}

/// A button of a profile's side navigation, `aria-current="page"` while its page is shown.
#[component]
pub(super) fn NavItem<P>(
    ui: Ui,
    #[prop(into)] label: String,
    page: RwSignal<P>,
    target: P,
) -> impl IntoView
where
    P: Copy + PartialEq + Send + Sync + 'static,
{
    view! {
        <button
            type="button"
            class=ui.class("nav-item")
            aria-current=move || (page.get() == target).then_some("page")
            on:click=move |_| page.set(target)
        >
            {label}
        </button>
    }
}

/// A menu item for an account (a session or an organization): its avatar, name and detail.
#[component]
pub(super) fn AccountItem(
    ui: Ui,
    image: Option<String>,
    initials: String,
    name: String,
    detail: String,
    on_click: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <button
            type="button"
            role="menuitem"
            tabindex="-1"
            class=format!("{} {}", ui.class("menu-item"), ui.class("menu-item-account"))
            on:click=move |_| on_click()
        >
            <Avatar ui=ui image=image initials=initials size="sm"/>
            <PreviewText ui=ui name=name detail=Some(detail)/>
        </button>
    }
}

/// A name over a second line (identifier, slug), for the heads of menus and profiles and their
/// account rows. `children` go after the name (a badge).
#[component]
pub(super) fn PreviewText(
    ui: Ui,
    name: String,
    detail: Option<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <span class=ui.class("user-preview-text")>
            <span class=ui.class("user-preview-name")>{name}{children.map(|c| c())}</span>
            {detail.map(|d| view! { <span class=ui.class("user-preview-identifier")>{d}</span> })}
        </span>
    }
}

/// A large avatar next to a [`PreviewText`].
#[component]
pub(super) fn Preview(
    ui: Ui,
    image: Option<String>,
    initials: String,
    name: String,
    detail: Option<String>,
) -> impl IntoView {
    view! {
        <div class=ui.class("user-preview")>
            <Avatar ui=ui image=image initials=initials size="lg"/>
            <PreviewText ui=ui name=name detail=detail/>
        </div>
    }
}

/// The image of a user, if they uploaded one (Clerk's generated default images are left out:
/// they live on Clerk's CDN).
pub(super) fn user_image(user: &wire::User) -> Option<String> {
    user.has_image.then(|| user.image_url.clone())
}

/// Initials of an organization's name.
pub(super) fn org_initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .collect::<String>()
        .to_uppercase()
}

/// A modal `<dialog>` (top layer, inert background, Escape closes, focus comes back to where
/// it was). Its children are built only while it is open.
#[component]
pub(super) fn Modal(
    ui: Ui,
    open: RwSignal<bool>,
    #[prop(into)] label: String,
    children: ChildrenFn,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move |_| {
        let want = open.get();
        if let Some(d) = dialog.get() {
            if want && !d.open() {
                let _ = d.show_modal();
            } else if !want && d.open() {
                d.close();
            }
        }
    });
    let close_label = ui.t().dialog_close().to_owned();
    let children = StoredValue::new(children);
    view! {
        <dialog
            node_ref=dialog
            class=ui.class("modal")
            aria-label=label
            on:close=move |_| open.set(false)
        >
            <div class=ui.class("modal-content")>
                <button
                    type="button"
                    class=ui.class("modal-close")
                    aria-label=close_label
                    on:click=move |_| open.set(false)
                >
                    <span aria-hidden="true">"×"</span>
                </button>
                <Show when=move || open.get()>{children.read_value()()}</Show>
            </div>
        </dialog>
    }
}

/// Formats a time in the browser's locale.
pub(super) fn local_time(at: chrono::DateTime<chrono::Utc>) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        at.timestamp_millis() as f64
    ));
    date.to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED)
        .as_string()
        .unwrap_or_default()
}

/// A titled section of a profile page.
#[component]
pub(super) fn Section(ui: Ui, #[prop(into)] title: String, children: Children) -> impl IntoView {
    let id = next_id("section");
    view! {
        <section class=ui.class("section") aria-labelledby=id.clone()>
            <h2 id=id.clone() class=ui.class("section-title")>{title}</h2>
            {children()}
        </section>
    }
}
