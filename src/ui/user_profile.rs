//! `<UserProfile/>`: names and username, email addresses and phone numbers, password, and the
//! sessions on every device.

use leptos::prelude::*;

use super::Appearance;
use super::form::{CheckField, Field, Form, FormBox, FormStatus, LinkButton, Secondary, Submit};
use super::kit::{Header, NavItem, Preview, Root, Section, Ui, local_time, user_image};
use super::localization::fill;
use super::sign_in::new_password_ok;
use crate::core::error::ClerkError;
use crate::core::wire::{SessionWithActivities, Totp};
use crate::{
    EmailAddressResource, PhoneNumberResource, SessionWithActivitiesResource, UpdateUser,
    UserResource,
};

/// Which list of the profile: email addresses or phone numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum IdentificationKind {
    EmailAddress,
    PhoneNumber,
}

/// One of the user's email addresses or phone numbers, to verify or remove.
enum Identification {
    Email(EmailAddressResource),
    Phone(PhoneNumberResource),
}

impl Identification {
    /// The user's identification of this kind and id.
    fn find(ui: &Ui, kind: IdentificationKind, id: &str) -> Result<Self, ClerkError> {
        let user = current_user(ui)?;
        let found = match kind {
            IdentificationKind::EmailAddress => {
                let mut list = user.email_address_list().into_iter();
                list.find(|e| e.id == id).map(Self::Email)
            }
            IdentificationKind::PhoneNumber => {
                let mut list = user.phone_number_list().into_iter();
                list.find(|p| p.id == id).map(Self::Phone)
            }
        };
        found.ok_or_else(|| ClerkError::Invalid(format!("{id} is no longer one of the user's")))
    }

    async fn prepare_verification(&self) -> Result<(), ClerkError> {
        match self {
            Self::Email(e) => e.prepare_verification().await.map(drop),
            Self::Phone(p) => p.prepare_verification().await.map(drop),
        }
    }

    async fn attempt_verification(&self, code: &str) -> Result<(), ClerkError> {
        match self {
            Self::Email(e) => e.attempt_verification(code).await.map(drop),
            Self::Phone(p) => p.attempt_verification(code).await.map(drop),
        }
    }

    async fn destroy(&self) -> Result<(), ClerkError> {
        match self {
            Self::Email(e) => e.destroy().await,
            Self::Phone(p) => p.destroy().await,
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Page {
    Profile,
    Security,
}

/// The signed-in user, or the error to show when there is none.
fn current_user(ui: &Ui) -> Result<UserResource, ClerkError> {
    ui.clerk.user().get_untracked().ok_or(ClerkError::SignedOut)
}

/// Clerk's user profile: on the "Profile" page the user's names and username, their email
/// addresses and phone numbers (add one and verify it with a code, make one primary, remove
/// one); on the "Security" page the password (set or change, optionally signing out the other
/// devices) and the active sessions on every device (this one marked; sign out of another).
/// Shows what the instance enables. Renders nothing when signed out.
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::UserProfile;
/// # #[component] fn A() -> impl IntoView {
/// view! { <UserProfile/> }
/// # }
/// ```
#[component]
pub fn UserProfile(
    /// Appearance on top of the provider's.
    #[prop(optional)]
    appearance: Option<Appearance>,
) -> impl IntoView {
    let ui = Ui::new(appearance);
    let clerk = ui.clerk;
    let signed_in = Memo::new(move |_| {
        clerk
            .session()
            .with(|s| s.as_ref().is_some_and(|s| s.user.is_some()))
    });
    let page = RwSignal::new(Page::Profile);
    move || {
        if !signed_in.get() {
            return None;
        }
        let ui2 = ui;
        Some(view! {
            <Root ui=ui key="user-profile">
                <div class=format!("{} {}", ui.class("card"), ui.class("profile-card"))>
                    <nav class=ui.class("nav") aria-label=ui.t().user_profile_title().to_owned()>
                        <Header
                            ui=ui
                            title=ui.t().user_profile_title().to_owned()
                            subtitle=ui.t().user_profile_subtitle().to_owned()
                        />
                        <NavItem ui=ui label=ui.t().user_profile_nav_profile().to_owned() page=page target=Page::Profile/>
                        <NavItem ui=ui label=ui.t().user_profile_nav_security().to_owned() page=page target=Page::Security/>
                    </nav>
                    <div class=ui.class("page")>
                        {move || match page.get() {
                            Page::Profile => view! { <ProfilePage ui=ui2/> }.into_any(),
                            Page::Security => view! { <SecurityPage ui=ui2/> }.into_any(),
                        }}
                    </div>
                </div>
            </Root>
        })
    }
}

#[component]
fn ProfilePage(ui: Ui) -> impl IntoView {
    let env = ui.env();
    let attr = |name: &str| env.user_settings.attribute(name).enabled;
    view! {
        <Section ui=ui title=ui.t().user_profile_details().to_owned()>
            <Details ui=ui/>
        </Section>
        {attr("email_address").then(|| view! {
            <Identifications ui=ui kind=IdentificationKind::EmailAddress/>
        })}
        {attr("phone_number").then(|| view! {
            <Identifications ui=ui kind=IdentificationKind::PhoneNumber/>
        })}
    }
}

#[component]
fn Details(ui: Ui) -> impl IntoView {
    let env = ui.env();
    let attr = |name: &str| env.user_settings.attribute(name).enabled;
    let (has_first, has_last, has_username) =
        (attr("first_name"), attr("last_name"), attr("username"));
    let user = ui.clerk.user().get_untracked();
    let get =
        |f: fn(&UserResource) -> Option<String>| user.as_ref().and_then(f).unwrap_or_default();
    let first = RwSignal::new(get(|u| u.first_name.clone()));
    let last = RwSignal::new(get(|u| u.last_name.clone()));
    let username = RwSignal::new(get(|u| u.username.clone()));
    let form = Form::new();
    let clerk = ui.clerk;
    let avatar = Memo::new(move |_| {
        clerk.session().with(|s| {
            s.as_ref()?
                .user
                .as_ref()
                .map(|u| (user_image(u), u.initials(), u.display_name()))
        })
    });
    let ui2 = ui;
    let submit = move || {
        form.clear();
        let ui = ui2;
        form.submit(move || async move {
            let user = current_user(&ui)?;
            let changed = |now: String, before: &Option<String>| {
                (now.trim() != before.as_deref().unwrap_or_default()).then(|| now.trim().to_owned())
            };
            let change = UpdateUser {
                first_name: changed(first.get_untracked(), &user.first_name),
                last_name: changed(last.get_untracked(), &user.last_name),
                username: changed(username.get_untracked(), &user.username),
                ..UpdateUser::default()
            };
            if change != UpdateUser::default() {
                user.update(&change).await?;
            }
            form.notify(ui.t().form_saved());
            Ok(())
        });
    };
    let ui3 = ui;
    view! {
        {move || avatar.get().map(|(image, initials, name)| view! {
            <Preview ui=ui3 image=image initials=initials name=name detail=None/>
        })}
        <FormBox ui=ui form=form on_submit=submit>
            {(has_first || has_last).then(|| view! {
                <div class=ui.class("form-row")>
                    {has_first.then(|| view! {
                        <Field ui=ui form=form label=ui.t().label_first_name().to_owned() value=first
                            params=&["first_name"] autocomplete="given-name" optional=true/>
                    })}
                    {has_last.then(|| view! {
                        <Field ui=ui form=form label=ui.t().label_last_name().to_owned() value=last
                            params=&["last_name"] autocomplete="family-name" optional=true/>
                    })}
                </div>
            })}
            {has_username.then(|| view! {
                <Field ui=ui form=form label=ui.t().label_username().to_owned() value=username
                    params=&["username"] autocomplete="username"/>
            })}
            <Submit ui=ui form=form label=ui.t().form_save().to_owned()/>
        </FormBox>
    }
}

/// One email address or phone number of the user.
#[derive(Clone, PartialEq)]
struct Ident {
    id: String,
    value: String,
    verified: bool,
    primary: bool,
}

#[derive(Clone, PartialEq)]
enum Mode {
    List,
    Adding,
    Verifying(String, String),
    Removing(String, String),
}

/// The email addresses or phone numbers of the user, with add, verify, make primary and
/// remove.
#[component]
fn Identifications(ui: Ui, kind: IdentificationKind) -> impl IntoView {
    let clerk = ui.clerk;
    let items = Memo::new(move |_| {
        clerk
            .session()
            .with(|s| {
                let user = s.as_ref()?.user.as_ref()?;
                Some(match kind {
                    IdentificationKind::EmailAddress => user
                        .email_addresses
                        .iter()
                        .map(|e| Ident {
                            id: e.id.clone(),
                            value: e.email_address.clone(),
                            verified: e.is_verified(),
                            primary: user.primary_email_address_id.as_deref()
                                == Some(e.id.as_str()),
                        })
                        .collect::<Vec<_>>(),
                    IdentificationKind::PhoneNumber => user
                        .phone_numbers
                        .iter()
                        .map(|p| Ident {
                            id: p.id.clone(),
                            value: p.phone_number.clone(),
                            verified: p.is_verified(),
                            primary: user.primary_phone_number_id.as_deref() == Some(p.id.as_str()),
                        })
                        .collect::<Vec<_>>(),
                })
            })
            .unwrap_or_default()
    });
    let mode = RwSignal::new(Mode::List);
    let form = Form::new();
    let email = kind == IdentificationKind::EmailAddress;
    let (title, add_label) = if email {
        (
            ui.t().user_profile_emails().to_owned(),
            ui.t().user_profile_add_email().to_owned(),
        )
    } else {
        (
            ui.t().user_profile_phones().to_owned(),
            ui.t().user_profile_add_phone().to_owned(),
        )
    };
    let add_label = add_label.to_owned();
    let ui_rows = ui;
    let ui_mode = ui;
    let make_primary = move |ui: Ui, id: String| {
        form.submit(move || async move {
            let change = if email {
                UpdateUser {
                    primary_email_address_id: Some(id),
                    ..UpdateUser::default()
                }
            } else {
                UpdateUser {
                    primary_phone_number_id: Some(id),
                    ..UpdateUser::default()
                }
            };
            current_user(&ui)?.update(&change).await?;
            Ok(())
        });
    };
    view! {
        <Section ui=ui title=title.to_owned()>
            <FormStatus ui=ui form=form/>
            <ul class=ui.class("identifications")>
                <For each=move || items.get() key=|i| (i.id.clone(), i.verified, i.primary) let:item>
                    {
                        let ui = ui_rows;
                        let Ident { id, value, verified, primary } = item;
                        let (id1, id2, id3, v2, v3) = (id.clone(), id.clone(), id, value.clone(), value.clone());
                        let ui_p = ui;
                        view! {
                            <li class=ui.class("identification")>
                                <span class=ui.class("identification-value")>{value}</span>
                                {primary.then(|| view! { <span class=ui.class("badge")>{ui.t().badge_primary().to_owned()}</span> })}
                                {(!verified).then(|| view! {
                                    <span class=format!("{} {}", ui.class("badge"), ui.class("badge-warning"))>
                                        {ui.t().badge_unverified().to_owned()}
                                    </span>
                                })}
                                <span class=ui.class("identification-actions")>
                                    {(verified && !primary).then(|| view! {
                                        <Secondary ui=ui key="button-small" label=ui.t().user_profile_make_primary().to_owned()
                                            disabled=Signal::derive(move || form.busy())
                                            on_click=move || make_primary(ui_p, id1.clone())/>
                                    })}
                                    {(!verified).then(|| view! {
                                        <Secondary ui=ui key="button-small" label=ui.t().user_profile_verify().to_owned()
                                            on_click=move || mode.set(Mode::Verifying(id2.clone(), v2.clone()))/>
                                    })}
                                    {(!primary).then(|| view! {
                                        <Secondary ui=ui key="button-small-danger" label=ui.t().user_profile_remove().to_owned()
                                            on_click=move || mode.set(Mode::Removing(id3.clone(), v3.clone()))/>
                                    })}
                                </span>
                            </li>
                        }
                    }
                </For>
            </ul>
            {move || {
                let ui = ui_mode;
                match mode.get() {
                    Mode::List => view! {
                        <Secondary ui=ui key="button-add" label=add_label.clone() on_click=move || {
                            form.clear();
                            mode.set(Mode::Adding);
                        }/>
                    }
                    .into_any(),
                    Mode::Adding => view! { <AddIdent ui=ui kind=kind mode=mode/> }.into_any(),
                    Mode::Verifying(id, value) => {
                        view! { <VerifyIdent ui=ui kind=kind mode=mode id=id value=value/> }.into_any()
                    }
                    Mode::Removing(id, value) => {
                        view! { <RemoveIdent ui=ui kind=kind mode=mode id=id value=value/> }.into_any()
                    }
                }
            }}
        </Section>
    }
}

#[component]
fn AddIdent(ui: Ui, kind: IdentificationKind, mode: RwSignal<Mode>) -> impl IntoView {
    let form = Form::new();
    let value = RwSignal::new(String::new());
    let email = kind == IdentificationKind::EmailAddress;
    let (label, input, autocomplete, param): (String, _, _, &'static [&'static str]) = if email {
        (
            ui.t().label_email_address().to_owned(),
            "email",
            "email",
            &["email_address", "identifier"],
        )
    } else {
        (
            ui.t().label_phone_number().to_owned(),
            "tel",
            "tel",
            &["phone_number", "identifier"],
        )
    };
    let ui2 = ui;
    let submit = move || {
        form.clear();
        let ui = ui2;
        let typed = value.get_untracked().trim().to_owned();
        if !form.require(&ui, &[(param[0], &typed)]) {
            return;
        }
        form.submit(move || async move {
            let user = current_user(&ui)?;
            let id = if email {
                user.create_email_address(&typed).await?.id.clone()
            } else {
                user.create_phone_number(&typed).await?.id.clone()
            };
            mode.try_set(Mode::Verifying(id, typed));
            Ok(())
        });
    };
    view! {
        <FormBox ui=ui form=form on_submit=submit>
            <Field ui=ui form=form label=label value=value params=param kind=input
                autocomplete=autocomplete autofocus=true/>
            <div class=ui.class("form-actions")>
                <Secondary ui=ui label=ui.t().form_cancel().to_owned() on_click=move || mode.set(Mode::List)/>
                <Submit ui=ui form=form label=ui.t().form_continue().to_owned()/>
            </div>
        </FormBox>
    }
}

#[component]
fn VerifyIdent(
    ui: Ui,
    kind: IdentificationKind,
    mode: RwSignal<Mode>,
    id: String,
    value: String,
) -> impl IntoView {
    let form = Form::new();
    let code = RwSignal::new(String::new());
    let send = {
        let (ui, id) = (ui, id.clone());
        move |notice: Option<String>| {
            let (ui, id) = (ui, id.clone());
            form.submit(move || async move {
                Identification::find(&ui, kind, &id)?
                    .prepare_verification()
                    .await?;
                if let Some(text) = notice {
                    form.notify(text);
                }
                Ok(())
            });
        }
    };
    send(None);
    let ui2 = ui;
    let submit = move || {
        form.clear();
        let (ui, id) = (ui2, id.clone());
        let typed = code.get_untracked().trim().to_owned();
        if !form.require(&ui, &[("code", &typed)]) {
            return;
        }
        form.submit(move || async move {
            Identification::find(&ui, kind, &id)?
                .attempt_verification(&typed)
                .await?;
            mode.try_set(Mode::List);
            Ok(())
        });
    };
    let sent = ui.t().form_code_sent().to_owned();
    view! {
        <FormBox ui=ui form=form on_submit=submit>
            <p class=ui.class("form-hint")>{fill(ui.t().sign_in_code_subtitle(), &[("identifier", &value)])}</p>
            <Field ui=ui form=form label=ui.t().label_code().to_owned() value=code params=&["code"]
                autocomplete="one-time-code" inputmode="numeric" autofocus=true/>
            <LinkButton ui=ui label=ui.t().form_resend_code().to_owned() on_click=move || send(Some(sent.clone()))/>
            <div class=ui.class("form-actions")>
                <Secondary ui=ui label=ui.t().form_cancel().to_owned() on_click=move || mode.set(Mode::List)/>
                <Submit ui=ui form=form label=ui.t().user_profile_verify().to_owned()/>
            </div>
        </FormBox>
    }
}

#[component]
fn RemoveIdent(
    ui: Ui,
    kind: IdentificationKind,
    mode: RwSignal<Mode>,
    id: String,
    value: String,
) -> impl IntoView {
    let form = Form::new();
    let ui2 = ui;
    let submit = move || {
        let (ui, id) = (ui2, id.clone());
        form.submit(move || async move {
            Identification::find(&ui, kind, &id)?.destroy().await?;
            mode.try_set(Mode::List);
            Ok(())
        });
    };
    view! {
        <FormBox ui=ui form=form on_submit=submit>
            <p class=ui.class("form-hint")>{fill(ui.t().user_profile_remove_confirm(), &[("identifier", &value)])}</p>
            <div class=ui.class("form-actions")>
                <Secondary ui=ui label=ui.t().form_cancel().to_owned() on_click=move || mode.set(Mode::List)/>
                <button type="submit" class=ui.class("form-button-danger") disabled=move || form.busy()>
                    {ui.t().user_profile_remove().to_owned()}
                </button>
            </div>
        </FormBox>
    }
}

#[component]
fn SecurityPage(ui: Ui) -> impl IntoView {
    let password = ui.env().user_settings.attribute("password").enabled;
    view! {
        {password.then(|| view! {
            <Section ui=ui title=ui.t().user_profile_password().to_owned()>
                <PasswordForm ui=ui/>
            </Section>
        })}
        {ui.env().user_settings.attribute("authenticator_app").enabled.then(|| view! {
            <Section ui=ui title=ui.t().user_profile_two_step().to_owned()>
                <TwoStep ui=ui/>
            </Section>
        })}
        <Section ui=ui title=ui.t().user_profile_devices().to_owned()>
            <Devices ui=ui/>
        </Section>
        <DeleteAccount ui=ui/>
    }
}

/// Deleting the account, after a confirmation, when the instance allows it.
#[component]
fn DeleteAccount(ui: Ui) -> impl IntoView {
    let clerk = ui.clerk;
    let allowed = Memo::new(move |_| {
        clerk.session().with(|s| {
            s.as_ref()
                .and_then(|s| s.user.as_ref())
                .is_some_and(|u| u.delete_self_enabled)
        })
    });
    let form = Form::new();
    let asking = RwSignal::new(false);
    let submit = move || {
        form.clear();
        form.submit(move || async move { current_user(&ui)?.delete().await });
    };
    move || {
        allowed.get().then(|| {
            view! {
                <Section ui=ui title=ui.t().user_profile_delete_account().to_owned()>
                    {move || if asking.get() {
                        view! {
                            <FormBox ui=ui form=form on_submit=submit>
                                <p class=ui.class("form-hint")>{ui.t().user_profile_delete_account_confirm().to_owned()}</p>
                                <div class=ui.class("form-actions")>
                                    <Secondary ui=ui label=ui.t().form_cancel().to_owned() on_click=move || asking.set(false)/>
                                    <button type="submit" class=ui.class("form-button-danger") disabled=move || form.busy()>
                                        {ui.t().user_profile_delete_account().to_owned()}
                                    </button>
                                </div>
                            </FormBox>
                        }
                        .into_any()
                    } else {
                        view! {
                            <p class=ui.class("form-hint")>{ui.t().user_profile_delete_account_hint().to_owned()}</p>
                            <div class=ui.class("form-actions")>
                                <Secondary ui=ui key="button-small-danger" label=ui.t().user_profile_delete_account().to_owned()
                                    on_click=move || asking.set(true)/>
                            </div>
                        }
                        .into_any()
                    }}
                </Section>
            }
        })
    }
}

/// What the two-step verification section shows.
#[derive(Clone, PartialEq)]
enum TwoStepMode {
    /// The second factors the user has, with their buttons.
    Summary,
    /// Adding an authenticator app: its key and link, and the code field.
    Adding(Totp),
    /// Confirming the removal of the authenticator app.
    Removing,
    /// New backup codes, shown once.
    Codes(Vec<String>),
}

/// Two-step verification: add an authenticator app (its key and `otpauth://` link, then a code
/// from it), remove it, and see or regenerate backup codes.
#[component]
fn TwoStep(ui: Ui) -> impl IntoView {
    let clerk = ui.clerk;
    let form = Form::new();
    let mode = RwSignal::new(TwoStepMode::Summary);
    let code = RwSignal::new(String::new());
    let flags = Memo::new(move |_| {
        clerk.session().with(|s| {
            s.as_ref()
                .and_then(|s| s.user.as_ref())
                .map(|u| (u.totp_enabled, u.backup_code_enabled, u.two_factor_enabled))
                .unwrap_or_default()
        })
    });
    let backup_codes_on = ui.env().user_settings.attribute("backup_code").enabled;
    let start = move || {
        form.clear();
        form.submit(move || async move {
            let totp = current_user(&ui)?.create_totp().await?;
            code.try_set(String::new());
            mode.try_set(TwoStepMode::Adding(totp));
            Ok(())
        });
    };
    let verify = move || {
        form.clear();
        let typed = code.get_untracked().trim().to_owned();
        if !form.require(&ui, &[("code", &typed)]) {
            return;
        }
        form.submit(move || async move {
            let totp = current_user(&ui)?.verify_totp(&typed).await?;
            mode.try_set(match totp.backup_codes {
                Some(codes) if !codes.is_empty() => TwoStepMode::Codes(codes),
                _ => TwoStepMode::Summary,
            });
            Ok(())
        });
    };
    let remove = move || {
        form.clear();
        form.submit(move || async move {
            current_user(&ui)?.disable_totp().await?;
            mode.try_set(TwoStepMode::Summary);
            Ok(())
        });
    };
    let regenerate = move || {
        form.clear();
        form.submit(move || async move {
            let set = current_user(&ui)?.create_backup_codes().await?;
            mode.try_set(TwoStepMode::Codes(set.codes));
            Ok(())
        });
    };
    let busy = Signal::derive(move || form.busy());
    move || {
        match mode.get() {
        TwoStepMode::Summary => {
            let (totp, backup, on) = flags.get();
            view! {
                <FormStatus ui=ui form=form/>
                {(!on).then(|| view! { <p class=ui.class("form-hint")>{ui.t().user_profile_two_step_off().to_owned()}</p> })}
                {(totp || (backup && backup_codes_on)).then(|| view! {
                <ul class=ui.class("identifications")>
                    {totp.then(|| view! {
                        <li class=ui.class("identification")>
                            <span class=ui.class("identification-value")>{ui.t().user_profile_totp().to_owned()}</span>
                            <span class=ui.class("identification-actions")>
                                <Secondary ui=ui key="button-small-danger" label=ui.t().user_profile_remove().to_owned()
                                    disabled=busy on_click=move || { form.clear(); mode.set(TwoStepMode::Removing) }/>
                            </span>
                        </li>
                    })}
                    {(backup && backup_codes_on).then(|| view! {
                        <li class=ui.class("identification")>
                            <span class=ui.class("identification-value")>{ui.t().user_profile_backup_codes().to_owned()}</span>
                            <span class=ui.class("identification-actions")>
                                <Secondary ui=ui key="button-small" label=ui.t().user_profile_regenerate_backup_codes().to_owned()
                                    disabled=busy on_click=regenerate/>
                            </span>
                        </li>
                    })}
                </ul>
                })}
                {(!totp).then(|| view! {
                    <Secondary ui=ui key="button-add" label=ui.t().user_profile_add_totp().to_owned()
                        disabled=busy on_click=start/>
                })}
            }
            .into_any()
        }
        TwoStepMode::Adding(totp) => {
            let secret = totp.secret.clone().unwrap_or_default();
            view! {
                <FormBox ui=ui form=form on_submit=verify>
                    <p class=ui.class("form-hint")>{ui.t().user_profile_totp_instructions().to_owned()}</p>
                    <p><code class=ui.class("totp-secret")>{secret}</code></p>
                    {totp.uri.clone().map(|uri| view! {
                        <p><a class=ui.class("link") href=uri>{ui.t().user_profile_totp_link().to_owned()}</a></p>
                    })}
                    <Field ui=ui form=form label=ui.t().label_code().to_owned() value=code params=&["code"]
                        kind="text" autocomplete="one-time-code" autofocus=true/>
                    <div class=ui.class("form-actions")>
                        <Secondary ui=ui label=ui.t().form_cancel().to_owned() on_click=move || {
                            form.clear();
                            mode.set(TwoStepMode::Summary);
                        }/>
                        <Submit ui=ui form=form label=ui.t().user_profile_verify().to_owned()/>
                    </div>
                </FormBox>
            }
            .into_any()
        }
        TwoStepMode::Removing => view! {
            <FormBox ui=ui form=form on_submit=remove>
                <p class=ui.class("form-hint")>{ui.t().user_profile_totp_remove_confirm().to_owned()}</p>
                <div class=ui.class("form-actions")>
                    <Secondary ui=ui label=ui.t().form_cancel().to_owned() on_click=move || mode.set(TwoStepMode::Summary)/>
                    <button type="submit" class=ui.class("form-button-danger") disabled=move || form.busy()>
                        {ui.t().user_profile_remove().to_owned()}
                    </button>
                </div>
            </FormBox>
        }
        .into_any(),
        TwoStepMode::Codes(codes) => view! {
            <p class=ui.class("form-hint")>{ui.t().user_profile_backup_codes_hint().to_owned()}</p>
            <ul class=ui.class("backup-codes") aria-label=ui.t().user_profile_backup_codes().to_owned()>
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ul>
            <div class=ui.class("form-actions")>
                <Secondary ui=ui key="form-button-primary" label=ui.t().form_done().to_owned() on_click=move || mode.set(TwoStepMode::Summary)/>
            </div>
        }
        .into_any(),
    }
    }
}

#[component]
fn PasswordForm(ui: Ui) -> impl IntoView {
    let clerk = ui.clerk;
    let has_password = Memo::new(move |_| {
        clerk.session().with(|s| {
            s.as_ref()
                .and_then(|s| s.user.as_ref())
                .is_some_and(|u| u.password_enabled)
        })
    });
    let had_password = has_password.get_untracked();
    let form = Form::new();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let sign_out_others = RwSignal::new(true);
    let ui2 = ui;
    let submit = move || {
        form.clear();
        let ui = ui2;
        let (old, fresh, again) = (
            current.get_untracked(),
            new.get_untracked(),
            confirm.get_untracked(),
        );
        if had_password {
            form.require(&ui, &[("current_password", &old)]);
        }
        if !new_password_ok(&ui, form, &fresh, &again) {
            return;
        }
        form.submit(move || async move {
            current_user(&ui)?
                .update_password(&old, &fresh, sign_out_others.get_untracked())
                .await?;
            current.try_set(String::new());
            new.try_set(String::new());
            confirm.try_set(String::new());
            form.notify(ui.t().form_saved());
            Ok(())
        });
    };
    let label = if had_password {
        ui.t().user_profile_update_password().to_owned()
    } else {
        ui.t().user_profile_set_password().to_owned()
    };
    view! {
        <FormBox ui=ui form=form on_submit=submit>
            {had_password.then(|| view! {
                <Field ui=ui form=form label=ui.t().label_current_password().to_owned() value=current
                    params=&["current_password"] kind="password" autocomplete="current-password"/>
            })}
            <Field ui=ui form=form label=ui.t().label_new_password().to_owned() value=new
                params=&["new_password", "password"] kind="password" autocomplete="new-password"/>
            <Field ui=ui form=form label=ui.t().label_confirm_password().to_owned() value=confirm
                params=&["confirm_password"] kind="password" autocomplete="new-password"/>
            <CheckField ui=ui form=form checked=sign_out_others params=&["sign_out_of_other_sessions"]>
                {ui.t().label_sign_out_other_sessions().to_owned()}
            </CheckField>
            <Submit ui=ui form=form label=label/>
        </FormBox>
    }
}

/// "Chrome 156 · Linux" from what FAPI knows of the device; for this device, from the
/// browser's user agent when FAPI knows nothing; else `unknown`.
fn device(session: &SessionWithActivities, this: bool, unknown: &str) -> String {
    let a = session.latest_activity.clone().unwrap_or_default();
    let parts: Vec<String> = [a.browser(), a.device_type]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect();
    if !parts.is_empty() {
        return parts.join(" · ");
    }
    this.then(|| window().navigator().user_agent().ok())
        .flatten()
        .and_then(|ua| describe_user_agent(&ua))
        .unwrap_or_else(|| unknown.to_owned())
}

/// "127.0.0.1, Berlin, DE": where the session was last active, when known.
fn place(session: &SessionWithActivities) -> Option<String> {
    let a = session.latest_activity.as_ref()?;
    let parts: Vec<&str> = [&a.ip_address, &a.city, &a.country]
        .into_iter()
        .filter_map(|s| s.as_deref())
        .filter(|s| !s.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// "Chrome 156 · Linux" from a user agent string.
fn describe_user_agent(ua: &str) -> Option<String> {
    let version = |token: &str| {
        let rest = &ua[ua.find(token)? + token.len()..];
        let major: String = rest.chars().take_while(char::is_ascii_digit).collect();
        Some(major).filter(|m| !m.is_empty())
    };
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Version/", "Safari"),
    ]
    .into_iter()
    .find(|(token, _)| ua.contains(token))
    .map(|(token, name)| match version(token) {
        Some(v) => format!("{name} {v}"),
        None => name.to_owned(),
    });
    let os = [
        ("Windows", "Windows"),
        ("iPhone", "iOS"),
        ("iPad", "iOS"),
        ("Android", "Android"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(token, _)| ua.contains(token))
    .map(|(_, name)| name.to_owned());
    let parts: Vec<String> = [browser, os].into_iter().flatten().collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

#[component]
fn Devices(ui: Ui) -> impl IntoView {
    let clerk = ui.clerk;
    let sessions = RwSignal::new(None::<Vec<SessionWithActivitiesResource>>);
    let form = Form::new();
    let load = move || {
        form.submit(move || async move {
            let list = current_user(&ui)?.get_sessions().await?;
            sessions.try_set(Some(list));
            Ok(())
        });
    };
    load();
    let current = clerk.session_id();
    let revoke = move |id: String| {
        form.submit(move || async move {
            let listed =
                sessions.with_untracked(|l| l.iter().flatten().find(|s| s.id == id).cloned());
            if let Some(session) = listed {
                session.revoke().await?;
            }
            let list = current_user(&ui)?.get_sessions().await?;
            sessions.try_set(Some(list));
            Ok(())
        });
    };
    let ui2 = ui;
    view! {
        <FormStatus ui=ui form=form/>
        {move || {
            let ui = ui2;
            sessions.get().map(|list| {
                let mut list = list;
                let me = current.get();
                list.sort_by_key(|s| Some(&s.id) != me.as_ref());
                let only_me = list.iter().all(|s| Some(&s.id) == me.as_ref());
                let rows = list
                    .into_iter()
                    .map(|s| {
                        let this = Some(&s.id) == me.as_ref();
                        let id = s.id.clone();
                        view! {
                            <li class=ui.class("device")>
                                <span class=ui.class("device-name")>
                                    {device(&s, this, ui.t().user_profile_unknown_device())}
                                    {this.then(|| view! { <span class=ui.class("badge")>{ui.t().badge_this_device().to_owned()}</span> })}
                                </span>
                                {place(&s).map(|p| view! { <span class=ui.class("device-detail")>{p}</span> })}
                                <span class=ui.class("device-detail")>
                                    {fill(ui.t().user_profile_last_active(), &[("time", &local_time(s.last_active_at))])}
                                </span>
                                {(!this).then(|| view! {
                                    <Secondary ui=ui key="button-small-danger"
                                        label=ui.t().user_profile_sign_out_device().to_owned()
                                        disabled=Signal::derive(move || form.busy())
                                        on_click=move || revoke(id.clone())/>
                                })}
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <ul class=ui.class("devices")>{rows}</ul>
                    {only_me.then(|| view! { <p class=ui.class("form-hint")>{ui.t().user_profile_no_devices().to_owned()}</p> })}
                }
            })
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::describe_user_agent;

    #[test]
    fn user_agents() {
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) \
                      HeadlessChrome/156.0.0.0 Safari/537.36";
        assert_eq!(
            describe_user_agent(chrome).as_deref(),
            Some("Chrome 156 · Linux")
        );
        let safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 \
                      (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
        assert_eq!(
            describe_user_agent(safari).as_deref(),
            Some("Safari 17 · iOS")
        );
        assert_eq!(describe_user_agent("curl/8"), None);
    }
}
