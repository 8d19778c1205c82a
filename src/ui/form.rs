//! Form pieces: a form's state (in flight, errors), labelled fields showing the error of
//! their `meta.param_name`, the form-level live error area and the submit button.

use std::future::Future;

use leptos::prelude::*;

use super::kit::{Ui, next_id};
use crate::core::error::ClerkError;

/// The state of one form: whether a request is in flight, the last error (from Clerk or from
/// the client-side checks) and a success notice. Values live in the caller's signals, so an
/// error never clears what the user typed.
#[derive(Clone, Copy)]
pub(super) struct Form {
    busy: RwSignal<bool>,
    error: RwSignal<Option<ClerkError>>,
    local: RwSignal<Vec<(&'static str, String)>>,
    notice: RwSignal<Option<String>>,
    params: StoredValue<Vec<&'static str>>,
}

impl Form {
    pub fn new() -> Self {
        Self {
            busy: RwSignal::new(false),
            error: RwSignal::new(None),
            local: RwSignal::new(Vec::new()),
            notice: RwSignal::new(None),
            params: StoredValue::new(Vec::new()),
        }
    }

    /// Whether a request is in flight.
    pub fn busy(&self) -> bool {
        self.busy.get()
    }

    /// Runs `action` unless one is in flight: clears the errors and the notice, marks the
    /// form busy, and keeps the error if it fails.
    pub fn submit<Fut>(&self, action: impl FnOnce() -> Fut)
    where
        Fut: Future<Output = Result<(), ClerkError>> + 'static,
    {
        if self.busy.get_untracked() {
            return;
        }
        self.clear();
        self.busy.set(true);
        let fut = action();
        let this = *self;
        leptos::task::spawn_local(async move {
            let result = fut.await;
            this.busy.try_set(false);
            if let Err(e) = result {
                this.error.try_set(Some(e));
            }
        });
    }

    /// Clears errors and notice.
    pub fn clear(&self) {
        self.error.set(None);
        self.local.set(Vec::new());
        self.notice.set(None);
    }

    /// Shows an error from a client-side check next to the field of `param`.
    pub fn fail(&self, param: &'static str, text: impl Into<String>) {
        let text = text.into();
        self.local.update(|l| l.push((param, text)));
    }

    /// Shows a success notice in the live area.
    pub fn notify(&self, text: impl Into<String>) {
        self.notice.try_set(Some(text.into()));
    }

    /// Checks that required values are filled in; marks the empty ones. `true` if all are.
    pub fn require(&self, ui: &Ui, fields: &[(&'static str, &str)]) -> bool {
        let mut ok = true;
        for (param, value) in fields {
            if value.trim().is_empty() {
                self.fail(param, ui.t().field_required());
                ok = false;
            }
        }
        ok
    }

    /// Whether any client-side check failed.
    pub fn has_local_errors(&self) -> bool {
        !self.local.with_untracked(Vec::is_empty)
    }

    fn register(&self, params: &[&'static str]) {
        self.params.update_value(|p| p.extend_from_slice(params));
    }

    /// The error to show next to a field about one of `params` (tracked).
    fn field_error(&self, ui: &Ui, params: &[&'static str]) -> Option<String> {
        let local = self.local.with(|l| {
            l.iter()
                .find(|(p, _)| params.contains(p))
                .map(|(_, t)| t.clone())
        });
        local.or_else(|| {
            self.error.with(|e| {
                let e = e.as_ref()?;
                e.errors()
                    .iter()
                    .find(|a| a.param_name().is_some_and(|p| params.contains(&p)))
                    .map(|a| ui.t().api_error(a))
            })
        })
    }

    /// The error for the form-level area: one no field of the form shows (tracked).
    fn global_error(&self, ui: &Ui) -> Option<String> {
        self.error.with(|e| {
            let e = e.as_ref()?;
            if e.errors().is_empty() {
                return Some(ui.t().clerk_error(e));
            }
            let shown = self.params.with_value(|p| p.clone());
            e.errors()
                .iter()
                .find(|a| a.param_name().is_none_or(|p| !shown.contains(&p)))
                .map(|a| ui.t().api_error(a))
        })
    }
}

/// The form element: `novalidate` (the components check and word errors themselves), the
/// live area for form-level errors and notices first, then the fields.
#[component]
pub(super) fn FormBox(
    ui: Ui,
    form: Form,
    on_submit: impl Fn() + Send + Sync + 'static,
    children: Children,
) -> impl IntoView {
    view! {
        <form
            class=ui.class("form")
            novalidate=true
            on:submit=move |ev| {
                ev.prevent_default();
                on_submit();
            }
        >
            <FormStatus ui=ui form=form/>
            {children()}
        </form>
    }
}

/// The form-level live area: errors no field shows, and success notices.
#[component]
pub(super) fn FormStatus(ui: Ui, form: Form) -> impl IntoView {
    let error_class = ui.class("form-error");
    let notice_class = ui.class("form-notice");
    let ui2 = ui;
    view! {
        <div class=ui.class("form-status") aria-live="polite" aria-atomic="true">
            {move || {
                form.global_error(&ui2)
                    .map(|text| view! { <p class=error_class.clone() role="alert">{text}</p> }.into_any())
                    .or_else(|| {
                        form.notice
                            .get()
                            .map(|text| view! { <p class=notice_class.clone()>{text}</p> }.into_any())
                    })
            }}
        </div>
    }
}

/// A labelled input bound to `value`, with the error about any of `params` under it
/// (`aria-invalid`, `aria-describedby`).
#[component]
pub(super) fn Field(
    ui: Ui,
    form: Form,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    /// The `meta.param_name`s whose errors belong to this field; the first is the input's name.
    params: &'static [&'static str],
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    /// Shows "Optional" next to the label.
    #[prop(optional)]
    optional: bool,
    #[prop(optional)] autofocus: bool,
    /// Something next to the label (a "Forgot password?" link).
    #[prop(optional)]
    action: Option<AnyView>,
) -> impl IntoView {
    form.register(params);
    let id = next_id("field");
    let error_id = format!("{id}-error");
    let ui2 = ui;
    let error = Memo::new(move |_| form.field_error(&ui2, params));
    let input = NodeRef::<leptos::html::Input>::new();
    if autofocus {
        Effect::new(move |_| {
            if let Some(el) = input.get() {
                let _ = el.focus();
            }
        });
    }
    let optional_text = optional.then(|| ui.t().form_optional().to_owned());
    let error_class = ui.class("form-field-error");
    let error_id2 = error_id.clone();
    view! {
        <div class=ui.class("form-field")>
            <div class=ui.class("form-field-label-row")>
                <label class=ui.class("form-field-label") for=id.clone()>
                    {label}
                </label>
                {optional_text.map(|t| view! { <span class=ui.class("form-field-hint")>{t}</span> })}
                {action}
            </div>
            <input
                node_ref=input
                id=id
                class=ui.class("form-field-input")
                type=kind
                name=params.first().copied().unwrap_or_default()
                autocomplete=autocomplete
                inputmode=inputmode
                aria-required=(!optional).then_some("true")
                aria-invalid=move || error.get().map(|_| "true")
                aria-describedby=move || error.get().map(|_| error_id.clone())
                bind:value=value
            />
            {move || {
                error.get().map(|text| view! {
                    <p id=error_id2.clone() class=error_class.clone()>{text}</p>
                })
            }}
        </div>
    }
}

/// A labelled checkbox bound to `checked`, with the error about any of `params`.
#[component]
pub(super) fn CheckField(
    ui: Ui,
    form: Form,
    checked: RwSignal<bool>,
    params: &'static [&'static str],
    children: Children,
) -> impl IntoView {
    form.register(params);
    let id = next_id("check");
    let error_id = format!("{id}-error");
    let ui2 = ui;
    let error = Memo::new(move |_| form.field_error(&ui2, params));
    let error_class = ui.class("form-field-error");
    let error_id2 = error_id.clone();
    view! {
        <div class=ui.class("form-field-checkbox")>
            <input
                id=id.clone()
                type="checkbox"
                class=ui.class("form-checkbox")
                name=params.first().copied().unwrap_or_default()
                aria-invalid=move || error.get().map(|_| "true")
                aria-describedby=move || error.get().map(|_| error_id.clone())
                bind:checked=checked
            />
            <label class=ui.class("form-checkbox-label") for=id>{children()}</label>
            {move || {
                error.get().map(|text| view! {
                    <p id=error_id2.clone() class=error_class.clone()>{text}</p>
                })
            }}
        </div>
    }
}

/// The submit button: disabled (and `aria-busy`) while the form's request is in flight.
#[component]
pub(super) fn Submit(ui: Ui, form: Form, #[prop(into)] label: String) -> impl IntoView {
    view! {
        <button
            type="submit"
            class=ui.class("form-button-primary")
            disabled=move || form.busy()
            aria-busy=move || form.busy().then_some("true")
        >
            {label}
        </button>
    }
}

/// A secondary button (type `button`).
#[component]
pub(super) fn Secondary(
    ui: Ui,
    #[prop(into)] label: String,
    on_click: impl Fn() + Send + Sync + 'static,
    #[prop(default = "button-secondary")] key: &'static str,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    view! {
        <button type="button" class=ui.class(key) disabled=disabled on:click=move |_| on_click()>
            {label}
        </button>
    }
}

/// A link-looking button (type `button`), for "Forgot password?", "Use another method"…
#[component]
pub(super) fn LinkButton(
    ui: Ui,
    #[prop(into)] label: String,
    on_click: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <button type="button" class=ui.class("link-button") on:click=move |_| on_click()>
            {label}
        </button>
    }
}

/// A labelled `<select>` bound to `value`, with the error about any of `params`.
#[component]
pub(super) fn SelectField(
    ui: Ui,
    form: Form,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    params: &'static [&'static str],
    /// `(value, label)` pairs.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    form.register(params);
    let id = next_id("select");
    let error_id = format!("{id}-error");
    let ui2 = ui;
    let error = Memo::new(move |_| form.field_error(&ui2, params));
    let error_class = ui.class("form-field-error");
    let error_id2 = error_id.clone();
    view! {
        <div class=ui.class("form-field")>
            <div class=ui.class("form-field-label-row")>
                <label class=ui.class("form-field-label") for=id.clone()>{label}</label>
            </div>
            <select
                id=id
                class=ui.class("form-field-input")
                name=params.first().copied().unwrap_or_default()
                aria-invalid=move || error.get().map(|_| "true")
                aria-describedby=move || error.get().map(|_| error_id.clone())
                on:change=move |ev| value.set(event_target_value(&ev))
                prop:value=move || value.get()
            >
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(v, l)| {
                            let selected = value.get_untracked() == v;
                            view! { <option value=v selected=selected>{l}</option> }
                        })
                        .collect_view()
                }}
            </select>
            {move || {
                error.get().map(|text| view! {
                    <p id=error_id2.clone() class=error_class.clone()>{text}</p>
                })
            }}
        </div>
    }
}
