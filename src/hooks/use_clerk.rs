use leptos::prelude::*;

use crate::clerk::Clerk;

/// The [`Clerk`] handle of the enclosing [`ClerkProvider`](crate::ClerkProvider).
///
/// ## Usage
/// ```no_run
/// use leptos::prelude::*;
/// use leptos_clerk::use_clerk;
///
/// #[component]
/// fn Status() -> impl IntoView {
///     let clerk = use_clerk();
///     view! { <p>{move || format!("{:?}", clerk.status().get())}</p> }
/// }
/// ```
///
/// ## Panics
/// Outside a `<ClerkProvider>`, with a message naming it. Use [`try_use_clerk`] to get an
/// `Option` instead.
///
/// ## Server-Side Rendering
/// Works on the server; the state stays `Loading` there.
#[track_caller]
pub fn use_clerk() -> Clerk {
    try_use_clerk().unwrap_or_else(|| {
        panic!(
            "use_clerk() (and every leptos-clerk hook and component) must be used inside \
             <ClerkProvider>; wrap your app in <ClerkProvider publishable_key=…>"
        )
    })
}

/// The [`Clerk`] handle, or `None` outside a [`ClerkProvider`](crate::ClerkProvider).
///
/// ```no_run
/// use leptos_clerk::try_use_clerk;
/// if try_use_clerk().is_none() {
///     // rendered outside the provider
/// }
/// ```
pub fn try_use_clerk() -> Option<Clerk> {
    use_context::<Clerk>()
}
