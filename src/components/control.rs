use std::sync::Arc;

use leptos::prelude::*;

use crate::clerk::ClerkStatus;
use crate::core::authz::{Authorization, Has};
use crate::core::state::{Requirement, gate};
use crate::hooks::use_clerk;

/// A predicate over the user's authorization, for [`When::Condition`] and
/// [`Protect`]'s `condition`.
///
/// ```
/// use std::sync::Arc;
/// use leptos_clerk::components::Condition;
/// let beta: Condition = Arc::new(|auth| auth.features.iter().any(|f| f == "u:beta"));
/// # let _ = beta;
/// ```
pub type Condition = Arc<dyn Fn(&Authorization) -> bool + Send + Sync>;

/// When [`Show`] renders its children.
///
/// ```
/// use leptos_clerk::When;
/// let admins = When::role("org:admin");
/// let beta = When::condition(|auth| auth.features.iter().any(|f| f == "u:beta"));
/// # let _ = (admins, beta);
/// ```
#[derive(Clone)]
pub enum When {
    /// Signed in (a pending session is not).
    SignedIn,
    /// Signed out (a pending session is).
    SignedOut,
    /// Signed in and passing this check.
    Has(Has),
    /// Signed in and passing this predicate.
    Condition(Condition),
}

impl When {
    /// Signed in with this organization role.
    pub fn role(role: impl Into<String>) -> Self {
        Self::Has(Has::role(role))
    }

    /// Signed in with this organization permission.
    pub fn permission(permission: impl Into<String>) -> Self {
        Self::Has(Has::permission(permission))
    }

    /// Signed in with this feature.
    pub fn feature(feature: impl Into<String>) -> Self {
        Self::Has(Has::feature(feature))
    }

    /// Signed in on this plan.
    pub fn plan(plan: impl Into<String>) -> Self {
        Self::Has(Has::plan(plan))
    }

    /// Signed in and passing a predicate over the user's authorization.
    pub fn condition(f: impl Fn(&Authorization) -> bool + Send + Sync + 'static) -> Self {
        Self::Condition(Arc::new(f))
    }

    fn decide(&self, state: &crate::AuthState, authz: &Authorization) -> Option<bool> {
        match self {
            Self::SignedIn => gate(state, authz, &Requirement::SignedIn),
            Self::SignedOut => gate(state, authz, &Requirement::SignedOut),
            Self::Has(check) => gate(state, authz, &Requirement::Has(check.clone())),
            Self::Condition(f) => {
                gate(state, authz, &Requirement::SignedIn).map(|ok| ok && f(authz))
            }
        }
    }
}

impl From<Has> for When {
    fn from(check: Has) -> Self {
        Self::Has(check)
    }
}

/// Renders `children` when `when` holds, `fallback` when it does not, and nothing while Clerk
/// loads, so neither branch flashes (Clerk v6's `<Show>`).
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::{Show as ClerkShow, When};
///
/// #[component]
/// fn Billing() -> impl IntoView {
///     view! {
///         <ClerkShow when=When::permission("org:invoices:manage") fallback=|| "Ask an admin.">
///             <a href="/billing">"Billing"</a>
///         </ClerkShow>
///     }
/// }
/// ```
///
/// ## Server-Side Rendering
/// Renders nothing on the server (the state is loading there).
#[component]
pub fn Show(
    /// The condition.
    #[prop(into)]
    when: When,
    /// Rendered when the condition does not hold (default: nothing).
    #[prop(optional, into)]
    fallback: ViewFn,
    /// Rendered when it holds.
    children: ChildrenFn,
) -> impl IntoView {
    let clerk = use_clerk();
    let open = Memo::new(move |_| {
        let state = clerk.auth_state().get();
        clerk
            .authorization()
            .with(|authz| when.decide(&state, authz))
    });
    move || match open.get() {
        None => ().into_any(),
        Some(true) => children(),
        Some(false) => fallback.run(),
    }
}

/// Renders its children when a session is active (Clerk's `<SignedIn>`).
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::{SignedIn, SignOutButton};
/// # #[component] fn Nav() -> impl IntoView {
/// view! { <SignedIn><SignOutButton/></SignedIn> }
/// # }
/// ```
#[component]
pub fn SignedIn(
    /// Rendered when signed in.
    children: ChildrenFn,
) -> impl IntoView {
    view! { <Show when=When::SignedIn children=children/> }
}

/// Renders its children when no session is active (Clerk's `<SignedOut>`). Never shown
/// while Clerk loads.
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::{SignedOut, SignInButton};
/// # #[component] fn Nav() -> impl IntoView {
/// view! { <SignedOut><SignInButton/></SignedOut> }
/// # }
/// ```
#[component]
pub fn SignedOut(
    /// Rendered when signed out.
    children: ChildrenFn,
) -> impl IntoView {
    view! { <Show when=When::SignedOut children=children/> }
}

/// Renders its children to users with a role, permission, feature or plan, or passing a
/// condition; otherwise `fallback` (Clerk's `<Protect>`). With no requirement it checks only
/// that the user is signed in.
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::Protect;
/// # #[component] fn Admin() -> impl IntoView {
/// view! {
///     <Protect role="org:admin" fallback=|| view! { <p>"Admins only."</p> }>
///         <p>"Settings"</p>
///     </Protect>
/// }
/// # }
/// ```
#[component]
pub fn Protect(
    /// An organization role (`org:admin`).
    #[prop(optional, into)]
    role: Option<String>,
    /// An organization permission (`org:invoices:manage`).
    #[prop(optional, into)]
    permission: Option<String>,
    /// A feature.
    #[prop(optional, into)]
    feature: Option<String>,
    /// A plan.
    #[prop(optional, into)]
    plan: Option<String>,
    /// A predicate over the user's authorization.
    #[prop(optional)]
    condition: Option<Condition>,
    /// Rendered when the requirement does not hold.
    #[prop(optional, into)]
    fallback: ViewFn,
    /// Rendered when it holds.
    children: ChildrenFn,
) -> impl IntoView {
    let when = match condition {
        Some(f) => When::Condition(f),
        None if role.is_none() && permission.is_none() && feature.is_none() && plan.is_none() => {
            When::SignedIn
        }
        None => When::Has(Has {
            role,
            permission,
            feature,
            plan,
            reverification: None,
        }),
    };
    view! { <Show when=when fallback=fallback children=children/> }
}

fn status_gate(
    children: ChildrenFn,
    open: impl Fn(&ClerkStatus, bool) -> bool + Send + Sync + 'static,
) -> impl IntoView {
    let clerk = use_clerk();
    let visible = Memo::new(move |_| {
        let loaded = clerk.is_loaded().get();
        clerk.status().with(|s| open(s, loaded))
    });
    move || visible.get().then(|| children())
}

/// Renders its children once Clerk has loaded (ready or degraded).
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::ClerkLoaded;
/// # #[component] fn A() -> impl IntoView {
/// view! { <ClerkLoaded><p>"Ready"</p></ClerkLoaded> }
/// # }
/// ```
#[component]
pub fn ClerkLoaded(
    /// Rendered once loaded.
    children: ChildrenFn,
) -> impl IntoView {
    status_gate(children, |status, loaded| loaded && status.is_usable())
}

/// Renders its children while Clerk loads.
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::ClerkLoading;
/// # #[component] fn A() -> impl IntoView {
/// view! { <ClerkLoading><p>"Loading…"</p></ClerkLoading> }
/// # }
/// ```
#[component]
pub fn ClerkLoading(
    /// Rendered while loading.
    children: ChildrenFn,
) -> impl IntoView {
    status_gate(children, |status, loaded| {
        !loaded && !matches!(status, ClerkStatus::Failed(_))
    })
}

/// Renders its children when Clerk could not start (bad key, rejected origin…).
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::ClerkFailed;
/// # #[component] fn A() -> impl IntoView {
/// view! { <ClerkFailed><p>"Sign-in is unavailable."</p></ClerkFailed> }
/// # }
/// ```
#[component]
pub fn ClerkFailed(
    /// Rendered on failure.
    children: ChildrenFn,
) -> impl IntoView {
    status_gate(children, |status, _| {
        matches!(status, ClerkStatus::Failed(_))
    })
}

/// Renders its children while Clerk has network trouble (state kept, retrying).
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::ClerkDegraded;
/// # #[component] fn A() -> impl IntoView {
/// view! { <ClerkDegraded><p>"Reconnecting…"</p></ClerkDegraded> }
/// # }
/// ```
#[component]
pub fn ClerkDegraded(
    /// Rendered while degraded.
    children: ChildrenFn,
) -> impl IntoView {
    status_gate(children, |status, _| *status == ClerkStatus::Degraded)
}

fn redirect_once(sign_up: bool, redirect_url: Option<String>) {
    let clerk = use_clerk();
    let done = StoredValue::new(false);
    Effect::new(move |_| {
        if !clerk.is_loaded().get() || done.get_value() {
            return;
        }
        done.set_value(true);
        if sign_up {
            clerk.redirect_to_sign_up(redirect_url.as_deref());
        } else {
            clerk.redirect_to_sign_in(redirect_url.as_deref());
        }
    });
}

/// Goes to the sign-in page once Clerk has loaded, coming back here afterwards.
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::{RedirectToSignIn, SignedOut};
/// # #[component] fn A() -> impl IntoView {
/// view! { <SignedOut><RedirectToSignIn/></SignedOut> }
/// # }
/// ```
#[component]
pub fn RedirectToSignIn(
    /// Where to come back to (default: this page).
    #[prop(optional, into)]
    redirect_url: Option<String>,
) -> impl IntoView {
    redirect_once(false, redirect_url);
}

/// Goes to the sign-up page once Clerk has loaded, coming back here afterwards.
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::{RedirectToSignUp, SignedOut};
/// # #[component] fn A() -> impl IntoView {
/// view! { <SignedOut><RedirectToSignUp/></SignedOut> }
/// # }
/// ```
#[component]
pub fn RedirectToSignUp(
    /// Where to come back to (default: this page).
    #[prop(optional, into)]
    redirect_url: Option<String>,
) -> impl IntoView {
    redirect_once(true, redirect_url);
}
