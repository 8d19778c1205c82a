//! `<SignIn/>`: identifier first, then a first factor, a second factor when required, the
//! password reset, then `set_active` and the redirect.

use std::sync::Arc;

use leptos::prelude::*;

use super::Appearance;
use super::form::{CheckField, Field, Form, FormBox, LinkButton, Secondary, Submit};
use super::kit::{FooterLink, Header, NotReady, Root, Ui};
use super::localization::fill;
use crate::core::error::ClerkError;
use crate::core::wire::{SignInFactor, Strategy};
use crate::{
    AttemptFactor, PrepareFactor, ResetPassword, SetActive, SignInCreate,
    SignInResource as Attempt, SignInStep,
};

/// Which verification a code screen is for.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Stage {
    First,
    Second,
    Reset,
}

#[derive(Clone, Debug, PartialEq)]
enum Screen {
    Identifier,
    Password,
    Code(Stage, SignInFactor),
    Alternatives(Stage),
    NewPassword,
    Unsupported,
}

/// The state of one sign-in, shared by its screens.
#[derive(Clone)]
struct Flow {
    ui: Ui,
    screen: RwSignal<Screen>,
    attempt: RwSignal<Option<Attempt>>,
    identifier: RwSignal<String>,
    password: RwSignal<String>,
    redirect: Arc<(Option<String>, Option<String>)>,
}

/// Clerk's sign-in form. It asks for the identifier first (email address, username or phone
/// number, as the instance allows), then the user's first factor (password, email code or
/// SMS code, with "Use another method"), a second factor when the account has one
/// (authenticator app, SMS code, backup code), and offers "Forgot password?" with a reset
/// code. At the end it makes the new session active and redirects: the force URL, else the
/// page's `redirect_url` parameter when allowed, else the fallback URL, else `/` (this
/// component's props first, then the provider's options).
///
/// Every form shows Clerk's errors next to the field they are about, keeps what was typed,
/// and disables its button while a request is in flight.
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::{ClerkProvider, SignIn};
///
/// #[component]
/// fn SignInPage() -> impl IntoView {
///     view! { <SignIn fallback_redirect_url="/dashboard" sign_up_url="/sign-up"/> }
/// }
/// ```
#[component]
pub fn SignIn(
    /// Appearance on top of the provider's.
    #[prop(optional)]
    appearance: Option<Appearance>,
    /// Always go here after signing in.
    #[prop(optional, into)]
    force_redirect_url: Option<String>,
    /// Go here after signing in when the page has no `redirect_url`.
    #[prop(optional, into)]
    fallback_redirect_url: Option<String>,
    /// The sign-up page linked at the bottom (default: the provider's `sign_up_url`, else the
    /// instance's, else its Account Portal; no link when there is none).
    #[prop(optional, into)]
    sign_up_url: Option<String>,
) -> impl IntoView {
    let ui = Ui::new(appearance);
    let clerk = ui.clerk;
    let ready = Memo::new(move |_| clerk.environment().with(Option::is_some));
    let flow = Flow {
        ui,
        screen: RwSignal::new(Screen::Identifier),
        attempt: RwSignal::new(None),
        identifier: RwSignal::new(String::new()),
        password: RwSignal::new(String::new()),
        redirect: Arc::new((force_redirect_url, fallback_redirect_url)),
    };
    let sign_up_url = StoredValue::new(sign_up_url);
    let card = ui.class("card");
    view! {
        <Root ui=ui key="sign-in">
            <div class=card aria-busy=move || (!ready.get()).then_some("true")>
                {move || {
                    if !ready.get() {
                        return view! { <NotReady ui=ui/> }.into_any();
                    }
                    let flow = flow.clone();
                    match flow.screen.get() {
                        Screen::Identifier => {
                            view! { <IdentifierStep flow=flow sign_up_url=sign_up_url.get_value()/> }
                                .into_any()
                        }
                        Screen::Password => view! { <PasswordStep flow=flow/> }.into_any(),
                        Screen::Code(stage, factor) => {
                            view! { <CodeStep flow=flow stage=stage factor=factor/> }.into_any()
                        }
                        Screen::Alternatives(stage) => {
                            view! { <Alternatives flow=flow stage=stage/> }.into_any()
                        }
                        Screen::NewPassword => view! { <NewPasswordStep flow=flow/> }.into_any(),
                        Screen::Unsupported => view! { <Unsupported flow=flow/> }.into_any(),
                    }
                }}
            </div>
        </Root>
    }
}

impl Flow {
    fn attempt(&self) -> Result<Attempt, ClerkError> {
        self.attempt
            .get_untracked()
            .ok_or_else(|| ClerkError::Invalid("no sign-in in progress".into()))
    }

    fn go(&self, screen: Screen) {
        if self.screen.get_untracked() != screen {
            self.screen.set(screen);
        }
    }

    /// Moves to the screen the sign-in needs next; completes it when it is done.
    async fn advance(&self, attempt: Attempt) -> Result<(), ClerkError> {
        let step = attempt.step();
        self.attempt.try_set(Some(attempt));
        let next = match step {
            SignInStep::NeedsIdentifier => Screen::Identifier,
            SignInStep::NeedsFirstFactor(factors) => self.first_screen(&factors),
            SignInStep::NeedsSecondFactor(factors) => second_screen(&factors),
            SignInStep::NeedsNewPassword => Screen::NewPassword,
            SignInStep::Complete { session_id } => return self.finish(&session_id).await,
            _ => Screen::Unsupported,
        };
        if self.screen.try_get_untracked().is_some_and(|s| s != next) {
            self.screen.try_set(next);
        }
        Ok(())
    }

    async fn finish(&self, session_id: &str) -> Result<(), ClerkError> {
        let (force, fallback) = &*self.redirect;
        let url = self
            .ui
            .after_auth(false, force.as_deref(), fallback.as_deref());
        self.ui
            .clerk
            .set_active(SetActive::new().session(session_id).redirect_url(url))
            .await
    }

    /// The first factor to offer: the instance's preferred strategy when the user has it,
    /// else the password, else a code to the identifier given.
    fn first_screen(&self, factors: &[SignInFactor]) -> Screen {
        let preferred = self.ui.env().display_config.preferred_sign_in_strategy;
        let password = factors.iter().any(|f| f.strategy == Strategy::Password);
        let code = self.code_factor(factors);
        match (preferred.as_deref() == Some("otp"), password, code) {
            (true, _, Some(code)) | (false, false, Some(code)) => Screen::Code(Stage::First, code),
            (_, true, _) => Screen::Password,
            _ => Screen::Unsupported,
        }
    }

    /// The code factor matching the kind of identifier typed (email or phone).
    fn code_factor(&self, factors: &[SignInFactor]) -> Option<SignInFactor> {
        let typed = self.identifier.get_untracked();
        let wanted = if typed.contains('@') {
            Strategy::EmailCode
        } else {
            Strategy::PhoneCode
        };
        let codes = || factors.iter().filter(|f| is_code(&f.strategy));
        codes()
            .find(|f| f.strategy == wanted)
            .or_else(|| codes().next())
            .cloned()
    }

    /// The reset-password factor, if the user has one.
    fn reset_factor(&self) -> Option<SignInFactor> {
        let attempt = self.attempt.get_untracked()?;
        let factors = attempt.supported_first_factors.clone()?;
        factors.into_iter().find(|f| {
            matches!(
                f.strategy,
                Strategy::ResetPasswordEmailCode | Strategy::ResetPasswordPhoneCode
            )
        })
    }

    /// The factors "Use another method" lists for a stage.
    fn alternatives(&self, stage: Stage) -> Vec<SignInFactor> {
        let Some(attempt) = self.attempt.get_untracked() else {
            return Vec::new();
        };
        let factors = match stage {
            Stage::Second => attempt.supported_second_factors.clone(),
            _ => attempt.supported_first_factors.clone(),
        };
        factors
            .unwrap_or_default()
            .into_iter()
            .filter(|f| {
                matches!(
                    f.strategy,
                    Strategy::Password
                        | Strategy::EmailCode
                        | Strategy::PhoneCode
                        | Strategy::Totp
                        | Strategy::BackupCode
                )
            })
            .collect()
    }

    /// The identifier shown above later screens.
    fn shown_identifier(&self) -> String {
        self.attempt
            .get_untracked()
            .and_then(|a| a.identifier.clone())
            .unwrap_or_else(|| self.identifier.get_untracked())
    }

    fn title(&self, template: &str) -> String {
        fill(template, &[("app", &self.ui.app_name())])
    }
}

fn is_code(s: &Strategy) -> bool {
    matches!(s, Strategy::EmailCode | Strategy::PhoneCode)
}

/// The second factor to offer: the user's default, else the authenticator app, else SMS, else
/// a backup code.
fn second_screen(factors: &[SignInFactor]) -> Screen {
    let by = |s: Strategy| factors.iter().find(|f| f.strategy == s);
    factors
        .iter()
        .find(|f| f.default == Some(true))
        .or_else(|| by(Strategy::Totp))
        .or_else(|| by(Strategy::PhoneCode))
        .or_else(|| by(Strategy::BackupCode))
        .map_or(Screen::Unsupported, |f| {
            Screen::Code(Stage::Second, f.clone())
        })
}

/// The label of the identifier field for the identifiers the instance accepts.
fn identifier_label(ui: &Ui) -> String {
    let env = ui.env();
    let ids = env.user_settings.sign_in_identifiers();
    let has = |name: &str| ids.contains(&name);
    let t = ui.t();
    match (has("email_address"), has("username"), has("phone_number")) {
        (true, true, true) => t.label_any_identifier(),
        (true, true, false) => t.label_email_or_username(),
        (true, false, true) => t.label_email_or_phone(),
        (false, true, true) => t.label_username_or_phone(),
        (false, true, false) => t.label_username(),
        (false, false, true) => t.label_phone_number(),
        _ => t.label_email_address(),
    }
    .to_owned()
}

#[component]
fn IdentifierStep(flow: Flow, sign_up_url: Option<String>) -> impl IntoView {
    let ui = flow.ui;
    let form = Form::new();
    let title = flow.title(ui.t().sign_in_title());
    let label = identifier_label(&ui);
    let f = flow.clone();
    let submit = move || {
        form.clear();
        let flow = f.clone();
        let identifier = flow.identifier.get_untracked().trim().to_owned();
        if !form.require(&flow.ui, &[("identifier", &identifier)]) {
            return;
        }
        form.submit(move || async move {
            let attempt = flow
                .ui
                .clerk
                .create_sign_in(&SignInCreate::identifier(&identifier))
                .await?;
            flow.advance(attempt).await
        });
    };
    let sign_up = (ui.env().user_settings.sign_up.mode != "restricted")
        .then(|| ui.auth_page_link(true, sign_up_url))
        .flatten();
    let clerk = ui.clerk;
    let pending_sign_out = move || {
        clerk.pending_sign_out().get().then(|| {
            view! { <p class=ui.class("form-notice") role="status">{ui.t().sign_out_pending().to_owned()}</p> }
        })
    };
    view! {
        <Header ui=ui title=title subtitle=ui.t().sign_in_subtitle().to_owned()/>
        {pending_sign_out}
        <FormBox ui=ui form=form on_submit=submit>
            <Field
                ui=ui
                form=form
                label=label
                value=flow.identifier
                params=&["identifier", "email_address", "username", "phone_number"]
                autocomplete="username"
                autofocus=true
            />
            <Submit ui=ui form=form label=ui.t().form_continue().to_owned()/>
        </FormBox>
        {sign_up.map(|href| view! {
            <FooterLink
                ui=ui
                text=ui.t().sign_in_no_account().to_owned()
                link=ui.t().sign_in_sign_up_link().to_owned()
                href=href
            />
        })}
    }
}

/// The identifier in use, with a button to change it.
#[component]
fn IdentityPreview(flow: Flow) -> impl IntoView {
    let ui = flow.ui;
    let identifier = flow.shown_identifier();
    let edit = ui.t().form_edit().to_owned();
    let edit_label = format!("{edit}: {identifier}");
    let f = flow.clone();
    view! {
        <div class=ui.class("identity-preview")>
            <span class=ui.class("identity-preview-text")>{identifier.clone()}</span>
            <button
                type="button"
                class=ui.class("link-button")
                aria-label=edit_label
                on:click=move |_| {
                    f.password.set(String::new());
                    f.attempt.set(None);
                    f.go(Screen::Identifier);
                }
            >
                {edit}
            </button>
        </div>
    }
}

/// The identifier in a hidden `autocomplete="username"` field of a password form, so password
/// managers save and fill the password for the right account (the identifier was typed on the
/// step before).
#[component]
fn HiddenUsername(flow: Flow) -> impl IntoView {
    view! {
        <input
            type="text"
            name="username"
            autocomplete="username"
            class="cl-hidden-username"
            value=flow.identifier.get_untracked()
            readonly=true
            tabindex="-1"
            aria-hidden="true"
            hidden=true
        />
    }
}

#[component]
fn PasswordStep(flow: Flow) -> impl IntoView {
    let ui = flow.ui;
    let form = Form::new();
    let f = flow.clone();
    let submit = move || {
        form.clear();
        let flow = f.clone();
        let password = flow.password.get_untracked();
        if !form.require(&flow.ui, &[("password", &password)]) {
            return;
        }
        form.submit(move || async move {
            let attempt = flow
                .attempt()?
                .attempt_first_factor(&AttemptFactor::password(&password))
                .await?;
            flow.advance(attempt).await
        });
    };
    let forgot = flow.reset_factor().map(|factor| {
        let f = flow.clone();
        view! {
            <LinkButton
                ui=ui
                label=ui.t().sign_in_forgot_password().to_owned()
                on_click=move || f.go(Screen::Code(Stage::Reset, factor.clone()))
            />
        }
        .into_any()
    });
    let others = flow.alternatives(Stage::First).len() > 1;
    let f = flow.clone();
    view! {
        <Header
            ui=ui
            title=ui.t().sign_in_password_title().to_owned()
            subtitle=ui.t().sign_in_password_subtitle().to_owned()
        />
        <IdentityPreview flow=flow.clone()/>
        <FormBox ui=ui form=form on_submit=submit>
            <HiddenUsername flow=flow.clone()/>
            <Field
                ui=ui
                form=form
                label=ui.t().label_password().to_owned()
                value=flow.password
                params=&["password"]
                kind="password"
                autocomplete="current-password"
                autofocus=true
                action=forgot.unwrap_or_else(|| ().into_any())
            />
            <Submit ui=ui form=form label=ui.t().form_continue().to_owned()/>
        </FormBox>
        {others.then(|| view! {
            <div class=ui.class("footer")>
                <LinkButton
                    ui=ui
                    label=ui.t().sign_in_use_another_method().to_owned()
                    on_click=move || f.go(Screen::Alternatives(Stage::First))
                />
            </div>
        })}
    }
}

/// Whether a strategy sends a code first.
fn needs_prepare(s: &Strategy) -> bool {
    matches!(
        s,
        Strategy::EmailCode
            | Strategy::PhoneCode
            | Strategy::ResetPasswordEmailCode
            | Strategy::ResetPasswordPhoneCode
    )
}

/// Sends the code of a factor (again).
async fn prepare(flow: &Flow, stage: Stage, factor: &SignInFactor) -> Result<(), ClerkError> {
    let params = PrepareFactor {
        strategy: factor.strategy.clone(),
        email_address_id: factor.email_address_id.clone(),
        phone_number_id: factor.phone_number_id.clone(),
        redirect_url: None,
    };
    let attempt = flow.attempt()?;
    let attempt = match stage {
        Stage::Second => attempt.prepare_second_factor(&params).await?,
        _ => attempt.prepare_first_factor(&params).await?,
    };
    flow.attempt.try_set(Some(attempt));
    Ok(())
}

#[component]
fn CodeStep(flow: Flow, stage: Stage, factor: SignInFactor) -> impl IntoView {
    let ui = flow.ui;
    let form = Form::new();
    let code = RwSignal::new(String::new());
    let strategy = factor.strategy.clone();
    let target = factor
        .safe_identifier
        .clone()
        .unwrap_or_else(|| flow.shown_identifier());
    let t = ui.t();
    let (title, subtitle, label) = match (&strategy, stage) {
        (_, Stage::Reset) => (
            t.sign_in_reset_title(),
            fill(t.sign_in_reset_subtitle(), &[("identifier", &target)]),
            t.label_code(),
        ),
        (Strategy::Totp, _) => (
            t.sign_in_totp_title(),
            t.sign_in_totp_subtitle().to_owned(),
            t.label_code(),
        ),
        (Strategy::BackupCode, _) => (
            t.sign_in_backup_code_title(),
            t.sign_in_backup_code_subtitle().to_owned(),
            t.label_backup_code(),
        ),
        (Strategy::PhoneCode, _) => (
            t.sign_in_phone_code_title(),
            fill(t.sign_in_code_subtitle(), &[("identifier", &target)]),
            t.label_code(),
        ),
        _ => (
            t.sign_in_email_code_title(),
            fill(t.sign_in_code_subtitle(), &[("identifier", &target)]),
            t.label_code(),
        ),
    };
    let (title, label) = (title.to_owned(), label.to_owned());
    drop(t);
    let sends = needs_prepare(&strategy);
    if sends {
        let (flow, factor) = (flow.clone(), factor.clone());
        form.submit(move || async move { prepare(&flow, stage, &factor).await });
    }
    let f = flow.clone();
    let s = strategy.clone();
    let submit = move || {
        form.clear();
        let flow = f.clone();
        let value = code.get_untracked().trim().to_owned();
        if !form.require(&flow.ui, &[("code", &value)]) {
            return;
        }
        let attempt_params = AttemptFactor::code(s.clone(), &value);
        form.submit(move || async move {
            let attempt = flow.attempt()?;
            let attempt = match stage {
                Stage::Second => attempt.attempt_second_factor(&attempt_params).await?,
                _ => attempt.attempt_first_factor(&attempt_params).await?,
            };
            flow.advance(attempt).await
        });
    };
    let resend = sends.then(|| {
        let (flow, factor) = (flow.clone(), factor.clone());
        let sent = ui.t().form_code_sent().to_owned();
        view! {
            <LinkButton
                ui=ui
                label=ui.t().form_resend_code().to_owned()
                on_click=move || {
                    let (flow, factor, sent) = (flow.clone(), factor.clone(), sent.clone());
                    form.submit(move || async move {
                        prepare(&flow, stage, &factor).await?;
                        form.notify(sent);
                        Ok(())
                    });
                }
            />
        }
    });
    let numeric = !matches!(strategy, Strategy::BackupCode);
    let others = match stage {
        Stage::Reset => false,
        _ => flow.alternatives(stage).len() > 1,
    };
    let f = flow.clone();
    let back = (stage == Stage::Reset).then(|| {
        let f = flow.clone();
        view! {
            <Secondary ui=ui label=ui.t().form_back().to_owned() on_click=move || f.go(Screen::Password)/>
        }
    });
    view! {
        <Header ui=ui title=title subtitle=subtitle/>
        {(stage != Stage::Second).then(|| view! { <IdentityPreview flow=flow.clone()/> })}
        <FormBox ui=ui form=form on_submit=submit>
            <Field
                ui=ui
                form=form
                label=label
                value=code
                params=&["code"]
                autocomplete=if numeric { "one-time-code" } else { "off" }
                inputmode=if numeric { "numeric" } else { "text" }
                autofocus=true
            />
            <Submit ui=ui form=form label=ui.t().form_continue().to_owned()/>
            {back}
        </FormBox>
        <div class=ui.class("footer")>
            {resend}
            {others.then(|| view! {
                <LinkButton
                    ui=ui
                    label=ui.t().sign_in_use_another_method().to_owned()
                    on_click=move || f.go(Screen::Alternatives(stage))
                />
            })}
        </div>
    }
}

#[component]
fn Alternatives(flow: Flow, stage: Stage) -> impl IntoView {
    let ui = flow.ui;
    let items = flow
        .alternatives(stage)
        .into_iter()
        .map(|factor| {
            let who = factor.safe_identifier.clone().unwrap_or_default();
            let label = match factor.strategy {
                Strategy::Password => ui.t().method_password().to_owned(),
                Strategy::EmailCode => fill(ui.t().method_email_code(), &[("identifier", &who)]),
                Strategy::PhoneCode => fill(ui.t().method_phone_code(), &[("identifier", &who)]),
                Strategy::Totp => ui.t().method_totp().to_owned(),
                _ => ui.t().method_backup_code().to_owned(),
            };
            let f = flow.clone();
            let next = match factor.strategy {
                Strategy::Password => Screen::Password,
                _ => Screen::Code(stage, factor),
            };
            view! {
                <li>
                    <button type="button" class=ui.class("alternative-method") on:click=move |_| f.go(next.clone())>
                        {label}
                    </button>
                </li>
            }
        })
        .collect_view();
    let f = flow.clone();
    view! {
        <Header
            ui=ui
            title=ui.t().sign_in_alternatives_title().to_owned()
            subtitle=ui.t().sign_in_alternatives_subtitle().to_owned()
        />
        <ul class=ui.class("alternative-methods")>{items}</ul>
        <Secondary
            ui=ui
            label=ui.t().form_back().to_owned()
            on_click=move || {
                let back = f.attempt.get_untracked().map(|a| a.step());
                let screen = match back {
                    Some(SignInStep::NeedsSecondFactor(factors)) => second_screen(&factors),
                    Some(SignInStep::NeedsFirstFactor(factors)) => f.first_screen(&factors),
                    _ => Screen::Identifier,
                };
                f.go(screen);
            }
        />
    }
}

#[component]
fn NewPasswordStep(flow: Flow) -> impl IntoView {
    let ui = flow.ui;
    let form = Form::new();
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let sign_out_others = RwSignal::new(true);
    let f = flow.clone();
    let submit = move || {
        form.clear();
        let flow = f.clone();
        let (new, again) = (password.get_untracked(), confirm.get_untracked());
        if !new_password_ok(&flow.ui, form, &new, &again) {
            return;
        }
        let params = ResetPassword {
            password: new,
            sign_out_of_other_sessions: sign_out_others.get_untracked(),
        };
        form.submit(move || async move {
            let attempt = flow.attempt()?.reset_password(&params).await?;
            flow.advance(attempt).await
        });
    };
    view! {
        <Header ui=ui title=ui.t().sign_in_new_password_title().to_owned()/>
        <FormBox ui=ui form=form on_submit=submit>
            <HiddenUsername flow=flow.clone()/>
            <Field
                ui=ui
                form=form
                label=ui.t().label_new_password().to_owned()
                value=password
                params=&["password", "new_password"]
                kind="password"
                autocomplete="new-password"
                autofocus=true
            />
            <Field
                ui=ui
                form=form
                label=ui.t().label_confirm_password().to_owned()
                value=confirm
                params=&["confirm_password"]
                kind="password"
                autocomplete="new-password"
            />
            <CheckField ui=ui form=form checked=sign_out_others params=&["sign_out_of_other_sessions"]>
                {ui.t().label_sign_out_other_sessions().to_owned()}
            </CheckField>
            <Submit ui=ui form=form label=ui.t().sign_in_reset_submit().to_owned()/>
        </FormBox>
    }
}

/// Checks a new password and its confirmation against the instance's rules, marking the
/// fields (`password` / `confirm_password`). `true` if both are fine.
pub(super) fn new_password_ok(ui: &Ui, form: Form, new: &str, again: &str) -> bool {
    let rules = ui.env().user_settings.password_settings;
    if let Err(problem) = rules.check(new) {
        form.fail("password", ui.t().password_problem(&problem));
        form.fail("new_password", ui.t().password_problem(&problem));
    } else if new != again {
        form.fail("confirm_password", ui.t().password_mismatch());
    }
    !form.has_local_errors()
}

#[component]
fn Unsupported(flow: Flow) -> impl IntoView {
    let ui = flow.ui;
    let f = flow.clone();
    view! {
        <Header ui=ui title=flow.title(ui.t().sign_in_title())/>
        <p class=ui.class("form-error") role="alert">{ui.t().sign_in_unsupported().to_owned()}</p>
        <Secondary
            ui=ui
            label=ui.t().form_back().to_owned()
            on_click=move || {
                f.attempt.set(None);
                f.go(Screen::Identifier);
            }
        />
    }
}
