//! `<SignUp/>`: the fields the instance asks for, verification by code, legal consent, then
//! `set_active` and the redirect.

use std::sync::Arc;

use leptos::prelude::*;

use super::Appearance;
use super::form::{CheckField, Field, Form, FormBox, LinkButton, Submit};
use super::kit::{FooterLink, Header, NotReady, Root, Ui};
use super::localization::{Piece, fill, split_placeholders};
use super::sign_in::new_password_ok;
use crate::core::error::ClerkError;
use crate::core::wire::Strategy;
use crate::{SetActive, SignUpFields, SignUpResource as Attempt, SignUpStep};

/// The attributes a sign-up may ask for, in the order they are shown.
const FIELDS: [&str; 6] = [
    "first_name",
    "last_name",
    "username",
    "email_address",
    "phone_number",
    "password",
];

#[derive(Clone, Debug, PartialEq)]
enum Screen {
    Details,
    Missing(Vec<String>),
    Code(Strategy),
    Unsupported,
}

/// What the user typed, kept across screens and errors.
#[derive(Clone, Copy)]
struct Values {
    first_name: RwSignal<String>,
    last_name: RwSignal<String>,
    username: RwSignal<String>,
    email_address: RwSignal<String>,
    phone_number: RwSignal<String>,
    password: RwSignal<String>,
    legal: RwSignal<bool>,
}

impl Values {
    fn of(&self, name: &str) -> RwSignal<String> {
        match name {
            "first_name" => self.first_name,
            "last_name" => self.last_name,
            "username" => self.username,
            "email_address" => self.email_address,
            "phone_number" => self.phone_number,
            _ => self.password,
        }
    }
}

#[derive(Clone)]
struct Flow {
    ui: Ui,
    screen: RwSignal<Screen>,
    attempt: RwSignal<Option<Attempt>>,
    values: Values,
    redirect: Arc<(Option<String>, Option<String>)>,
}

/// Clerk's sign-up form. It shows the fields the instance enables (names, username, email
/// address, phone number, password; required ones first-class, the others marked optional),
/// the legal consent checkbox when the instance asks for it, then verifies the email address
/// or phone number with a code, asks for anything still missing, and finally makes the new
/// session active and redirects (force URL, else an allowed `redirect_url`, else the
/// fallback, else `/`).
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::SignUp;
///
/// #[component]
/// fn SignUpPage() -> impl IntoView {
///     view! { <SignUp fallback_redirect_url="/welcome" sign_in_url="/sign-in"/> }
/// }
/// ```
#[component]
pub fn SignUp(
    /// Appearance on top of the provider's.
    #[prop(optional)]
    appearance: Option<Appearance>,
    /// Always go here after signing up.
    #[prop(optional, into)]
    force_redirect_url: Option<String>,
    /// Go here after signing up when the page has no `redirect_url`.
    #[prop(optional, into)]
    fallback_redirect_url: Option<String>,
    /// The sign-in page linked at the bottom (default: the provider's `sign_in_url`).
    #[prop(optional, into)]
    sign_in_url: Option<String>,
) -> impl IntoView {
    let ui = Ui::new(appearance);
    let clerk = ui.clerk;
    let ready = Memo::new(move |_| clerk.environment().with(Option::is_some));
    let flow = Flow {
        ui,
        screen: RwSignal::new(Screen::Details),
        attempt: RwSignal::new(None),
        values: Values {
            first_name: RwSignal::new(String::new()),
            last_name: RwSignal::new(String::new()),
            username: RwSignal::new(String::new()),
            email_address: RwSignal::new(String::new()),
            phone_number: RwSignal::new(String::new()),
            password: RwSignal::new(String::new()),
            legal: RwSignal::new(false),
        },
        redirect: Arc::new((force_redirect_url, fallback_redirect_url)),
    };
    let sign_in_url = StoredValue::new(sign_in_url);
    let card = ui.class("card");
    view! {
        <Root ui=ui key="sign-up">
            <div class=card aria-busy=move || (!ready.get()).then_some("true")>
                {move || {
                    if !ready.get() {
                        return view! { <NotReady ui=ui/> }.into_any();
                    }
                    let flow = flow.clone();
                    match flow.screen.get() {
                        Screen::Details => {
                            view! { <Details flow=flow sign_in_url=sign_in_url.get_value()/> }.into_any()
                        }
                        Screen::Missing(names) => view! { <Missing flow=flow names=names/> }.into_any(),
                        Screen::Code(strategy) => view! { <CodeStep flow=flow strategy=strategy/> }.into_any(),
                        Screen::Unsupported => {
                            let ui = flow.ui;
                            view! {
                                <Header ui=ui title=ui.t().sign_up_title().to_owned()/>
                                <p class=ui.class("form-error") role="alert">{ui.t().sign_in_unsupported().to_owned()}</p>
                            }
                            .into_any()
                        }
                    }
                }}
            </div>
        </Root>
    }
}

impl Flow {
    async fn advance(&self, attempt: Attempt) -> Result<(), ClerkError> {
        let step = attempt.step();
        self.attempt.try_set(Some(attempt));
        let next = match step {
            SignUpStep::VerifyEmail => Screen::Code(Strategy::EmailCode),
            SignUpStep::VerifyPhone => Screen::Code(Strategy::PhoneCode),
            SignUpStep::MissingFields(names) if !names.is_empty() => Screen::Missing(names),
            SignUpStep::Complete { session_id, .. } => {
                let (force, fallback) = &*self.redirect;
                let url = self
                    .ui
                    .after_auth(true, force.as_deref(), fallback.as_deref());
                return self
                    .ui
                    .clerk
                    .set_active(
                        SetActive::new()
                            .session(session_id.as_str())
                            .redirect_url(url),
                    )
                    .await;
            }
            _ => Screen::Unsupported,
        };
        if self.screen.try_get_untracked().is_some_and(|s| s != next) {
            self.screen.try_set(next);
        }
        Ok(())
    }

    /// Checks the shown fields; sends them (create, or update for missing fields).
    fn send(&self, form: Form, names: Vec<(&'static str, bool)>, legal: bool) {
        form.clear();
        let ui = &self.ui;
        let v = self.values;
        let required: Vec<(&'static str, String)> = names
            .iter()
            .filter(|(_, optional)| !optional)
            .map(|(name, _)| (*name, v.of(name).get_untracked()))
            .collect();
        let pairs: Vec<(&'static str, &str)> = required
            .iter()
            .map(|(n, value)| (*n, value.as_str()))
            .collect();
        form.require(ui, &pairs);
        if names.iter().any(|(n, _)| *n == "password") {
            let password = v.password.get_untracked();
            if !password.is_empty() {
                new_password_ok(ui, form, &password, &password);
            }
        }
        if legal && !v.legal.get_untracked() {
            form.fail("legal_accepted", ui.t().sign_up_legal_consent_required());
        }
        if form.has_local_errors() {
            return;
        }
        let value = |name: &str| {
            names
                .iter()
                .any(|(n, _)| *n == name)
                .then(|| v.of(name).get_untracked().trim().to_owned())
                .filter(|s| !s.is_empty())
        };
        let fields = SignUpFields {
            email_address: value("email_address"),
            phone_number: value("phone_number"),
            username: value("username"),
            first_name: value("first_name"),
            last_name: value("last_name"),
            password: names
                .iter()
                .any(|(n, _)| *n == "password")
                .then(|| v.password.get_untracked())
                .filter(|p| !p.is_empty()),
            legal_accepted: legal.then_some(true),
            unsafe_metadata: None,
        };
        let flow = self.clone();
        form.submit(move || async move {
            let attempt = match flow.attempt.get_untracked() {
                Some(attempt) => attempt.update(&fields).await?,
                None => flow.ui.clerk.create_sign_up(&fields).await?,
            };
            flow.advance(attempt).await
        });
    }
}

/// The label, input type and autocomplete of a sign-up attribute.
fn describe(ui: &Ui, name: &str) -> (String, &'static str, &'static str) {
    let t = ui.t();
    match name {
        "first_name" => (t.label_first_name().into(), "text", "given-name"),
        "last_name" => (t.label_last_name().into(), "text", "family-name"),
        "username" => (t.label_username().into(), "text", "username"),
        "email_address" => (t.label_email_address().into(), "email", "email"),
        "phone_number" => (t.label_phone_number().into(), "tel", "tel"),
        _ => (t.label_password().into(), "password", "new-password"),
    }
}

/// The inputs of some attributes (`(name, optional)`), first and last name side by side.
fn inputs(flow: &Flow, form: Form, names: &[(&'static str, bool)]) -> impl IntoView + use<> {
    let is_name = |n: &&(&str, bool)| matches!(n.0, "first_name" | "last_name");
    let (names_row, rest): (Vec<_>, Vec<_>) = names.iter().partition(is_name);
    let row = (!names_row.is_empty()).then(|| {
        view! { <div class=flow.ui.class("form-row")>{fields(flow, form, &names_row, true)}</div> }
    });
    let focus_rest = names_row.is_empty();
    view! { {row} {fields(flow, form, &rest, focus_rest)} }
}

fn fields(
    flow: &Flow,
    form: Form,
    names: &[&(&'static str, bool)],
    focus_first: bool,
) -> impl IntoView + use<> {
    let ui = flow.ui;
    let values = flow.values;
    let mut first = focus_first;
    names
        .iter()
        .map(|&&(name, optional)| {
            let (label, kind, autocomplete) = describe(&ui, name);
            let params: &'static [&'static str] = match name {
                "first_name" => &["first_name"],
                "last_name" => &["last_name"],
                "username" => &["username"],
                "email_address" => &["email_address", "identifier"],
                "phone_number" => &["phone_number"],
                _ => &["password"],
            };
            let autofocus = std::mem::take(&mut first);
            view! {
                <Field
                    ui=ui
                    form=form
                    label=label
                    value=values.of(name)
                    params=params
                    kind=kind
                    autocomplete=autocomplete
                    optional=optional
                    autofocus=autofocus
                />
            }
        })
        .collect_view()
}

/// The legal consent checkbox, with links to the terms and the privacy policy.
fn legal_consent(flow: &Flow, form: Form) -> impl IntoView + use<> {
    let ui = flow.ui;
    let display = ui.env().display_config;
    let link = |href: Option<String>, text: &str| {
        match href.filter(|h| !h.is_empty()) {
        Some(href) => view! {
            <a class=ui.class("footer-action-link") href=href target="_blank" rel="noopener">{text.to_owned()}</a>
        }
        .into_any(),
        None => text.to_owned().into_any(),
    }
    };
    let label = split_placeholders(ui.t().sign_up_legal_consent())
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(text) => text.to_owned().into_any(),
            Piece::Placeholder("terms") => link(display.terms_url.clone(), ui.t().legal_terms()),
            Piece::Placeholder("privacy") => {
                link(display.privacy_policy_url.clone(), ui.t().legal_privacy())
            }
            Piece::Placeholder(other) => format!("{{{other}}}").into_any(),
        })
        .collect_view();
    view! {
        <CheckField ui=ui form=form checked=flow.values.legal params=&["legal_accepted"]>
            {label}
        </CheckField>
    }
}

#[component]
fn Details(flow: Flow, sign_in_url: Option<String>) -> impl IntoView {
    let ui = flow.ui;
    let env = ui.env();
    let settings = &env.user_settings;
    let names: Vec<(&'static str, bool)> = FIELDS
        .iter()
        .filter_map(|&name| {
            let a = settings.attribute(name);
            a.enabled.then_some((name, !a.required))
        })
        .collect();
    let legal = settings.sign_up.legal_consent_enabled;
    let form = Form::new();
    let f = flow.clone();
    let names2 = names.clone();
    let submit = move || f.send(form, names2.clone(), legal);
    let title = fill(ui.t().sign_up_title(), &[("app", &ui.app_name())]);
    view! {
        <Header ui=ui title=title subtitle=ui.t().sign_up_subtitle().to_owned()/>
        <FormBox ui=ui form=form on_submit=submit>
            {inputs(&flow, form, &names)}
            {legal.then(|| legal_consent(&flow, form))}
            <Submit ui=ui form=form label=ui.t().form_continue().to_owned()/>
        </FormBox>
        {ui.auth_page_link(false, sign_in_url).map(|href| view! {
            <FooterLink
                ui=ui
                text=ui.t().sign_up_have_account().to_owned()
                link=ui.t().sign_up_sign_in_link().to_owned()
                href=href
            />
        })}
    }
}

#[component]
fn Missing(flow: Flow, names: Vec<String>) -> impl IntoView {
    let ui = flow.ui;
    let shown: Vec<(&'static str, bool)> = FIELDS
        .iter()
        .filter(|f| names.iter().any(|n| n == *f))
        .map(|&f| (f, false))
        .collect();
    let legal = names.iter().any(|n| n == "legal_accepted");
    let form = Form::new();
    let f = flow.clone();
    let shown2 = shown.clone();
    let submit = move || f.send(form, shown2.clone(), legal);
    view! {
        <Header
            ui=ui
            title=ui.t().sign_up_missing_title().to_owned()
            subtitle=ui.t().sign_up_missing_subtitle().to_owned()
        />
        <FormBox ui=ui form=form on_submit=submit>
            {inputs(&flow, form, &shown)}
            {legal.then(|| legal_consent(&flow, form))}
            <Submit ui=ui form=form label=ui.t().form_continue().to_owned()/>
        </FormBox>
    }
}

async fn prepare(flow: &Flow, strategy: Strategy) -> Result<(), ClerkError> {
    let attempt = flow
        .attempt
        .get_untracked()
        .ok_or_else(|| ClerkError::Invalid("no sign-up in progress".into()))?;
    let attempt = attempt.prepare_verification(strategy).await?;
    flow.attempt.try_set(Some(attempt));
    Ok(())
}

#[component]
fn CodeStep(flow: Flow, strategy: Strategy) -> impl IntoView {
    let ui = flow.ui;
    let form = Form::new();
    let code = RwSignal::new(String::new());
    let email = strategy == Strategy::EmailCode;
    let target = if email {
        flow.values.email_address.get_untracked()
    } else {
        flow.values.phone_number.get_untracked()
    };
    {
        let (flow, strategy) = (flow.clone(), strategy.clone());
        form.submit(move || async move { prepare(&flow, strategy).await });
    }
    let f = flow.clone();
    let s = strategy.clone();
    let submit = move || {
        form.clear();
        let flow = f.clone();
        let strategy = s.clone();
        let value = code.get_untracked().trim().to_owned();
        if !form.require(&flow.ui, &[("code", &value)]) {
            return;
        }
        form.submit(move || async move {
            let attempt = flow
                .attempt
                .get_untracked()
                .ok_or_else(|| ClerkError::Invalid("no sign-up in progress".into()))?;
            let attempt = attempt.attempt_verification(strategy, &value).await?;
            flow.advance(attempt).await
        });
    };
    let f = flow.clone();
    let sent = ui.t().form_code_sent().to_owned();
    let resend = move || {
        let (flow, strategy, sent) = (f.clone(), strategy.clone(), sent.clone());
        form.submit(move || async move {
            prepare(&flow, strategy).await?;
            form.notify(sent);
            Ok(())
        });
    };
    let title = if email {
        ui.t().sign_up_verify_email_title().to_owned()
    } else {
        ui.t().sign_up_verify_phone_title().to_owned()
    };
    view! {
        <Header
            ui=ui
            title=title.to_owned()
            subtitle=fill(ui.t().sign_in_code_subtitle(), &[("identifier", &target)])
        />
        <FormBox ui=ui form=form on_submit=submit>
            <Field
                ui=ui
                form=form
                label=ui.t().label_code().to_owned()
                value=code
                params=&["code"]
                autocomplete="one-time-code"
                inputmode="numeric"
                autofocus=true
            />
            <Submit ui=ui form=form label=ui.t().form_continue().to_owned()/>
        </FormBox>
        <div class=ui.class("footer")>
            <LinkButton ui=ui label=ui.t().form_resend_code().to_owned() on_click=resend/>
        </div>
    }
}
