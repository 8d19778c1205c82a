//! The development notice: with a development key, why Clerk cannot start, in a small
//! dismissible box at the corner of the page.

use leptos::prelude::*;

use crate::Clerk;
use crate::core::diagnosis::{StartupProblem, is_development_key};

/// Shows [`Clerk::startup_problem`] with its fix while the app runs with a development key (or
/// a key too broken to tell), so a misconfiguration is never a page that loads forever.
/// [`ClerkProvider`](crate::ClerkProvider) renders it after its children; it needs no
/// stylesheet (its few styles are set through the CSSOM, which a strict CSP allows) and is
/// absent with a production key, offline, and once Clerk has started.
///
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::{provide_clerk, ClerkOptions, DevNotice};
///
/// #[component]
/// fn App() -> impl IntoView {
///     let clerk = provide_clerk(ClerkOptions { publishable_key: "pk_test_…".into(), ..Default::default() });
///     view! { <DevNotice clerk=clerk/> }
/// }
/// ```
#[component]
pub fn DevNotice(
    /// The handle whose start-up it watches.
    clerk: Clerk,
) -> impl IntoView {
    let development = is_development_key(&clerk.options().publishable_key);
    let dismissed = RwSignal::new(false);
    let problem = clerk.startup_problem();
    move || {
        let problem = problem
            .get()
            .filter(|p| development && !dismissed.get() && *p != StartupProblem::Offline)?;
        Some(view! {
            <aside
                class="cl-dev-notice"
                role="alert"
                aria-label="leptos-clerk development notice"
                style:position="fixed"
                style:z-index="2147483647"
                style:right="12px"
                style:bottom="12px"
                style:max-width="min(420px, calc(100vw - 24px))"
                style:box-sizing="border-box"
                style:padding="12px 14px"
                style:border-radius="8px"
                style:border="1px solid #e0a800"
                style:background="#fff8e1"
                style:color="#3d2e00"
                style:font="13px/1.45 system-ui, sans-serif"
                style:box-shadow="0 4px 16px rgba(0,0,0,.18)"
            >
                <strong class="cl-dev-notice-title" style:display="block" style:margin-bottom="4px">
                    "Clerk cannot start (development): "{problem.title()}
                </strong>
                <span class="cl-dev-notice-fix" style:display="block">{problem.fix()}</span>
                <button
                    type="button"
                    class="cl-dev-notice-dismiss"
                    style:margin-top="8px"
                    style:font="inherit"
                    style:cursor="pointer"
                    on:click=move |_| dismissed.set(true)
                >
                    "Dismiss"
                </button>
            </aside>
        })
    }
}
