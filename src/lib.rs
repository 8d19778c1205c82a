//! # leptos-clerk
//!
//! [Clerk](https://clerk.com) authentication for [Leptos](https://leptos.dev) 0.8, speaking
//! Clerk's Frontend API natively from wasm: no clerk-js, no remote script.
//!
//! - [`ClerkProvider`] loads Clerk and provides the [`Clerk`] handle;
//! - hooks: [`use_auth`], [`use_session`], [`use_user`], [`use_clerk`], [`use_organization`],
//!   [`use_organization_list`], [`use_session_list`], [`use_sign_in`], [`use_sign_up`];
//! - control components: [`SignedIn`], [`SignedOut`], [`Protect`], [`Show`], [`ClerkLoaded`]…;
//! - Clerk's objects with every field and method, named like clerk-js's TypeScript types:
//!   [`ClientResource`], [`SessionResource`], [`UserResource`], [`SignInResource`],
//!   [`SignUpResource`], [`OrganizationResource`], [`EmailAddressResource`],
//!   [`PhoneNumberResource`], [`SessionWithActivitiesResource`], the invitations;
//! - prebuilt components (feature `ui`, on by default): [`SignIn`],
//!   [`SignUp`], [`UserButton`], [`UserProfile`], [`OrganizationSwitcher`],
//!   [`CreateOrganization`](fn@CreateOrganization),
//!   [`OrganizationProfile`], styled by `style/leptos-clerk.css`; see [`ui`];
//! - [`core`]: the pure, browser-free part (wire types, keys, claims, state, authorization).
//!
//! ```no_run
//! use leptos::prelude::*;
//! use leptos_clerk::prelude::*;
//!
//! #[component]
//! fn App() -> impl IntoView {
//!     view! {
//!         <ClerkProvider publishable_key="pk_test_…">
//!             <SignedOut><SignInButton/></SignedOut>
//!             <SignedIn><p>"Welcome back"</p><SignOutButton/></SignedIn>
//!         </ClerkProvider>
//!     }
//! }
//! ```
#![deny(missing_docs)]
// The prebuilt components nest deep view types: their hydration futures (feature `hydrate`, release builds)
// need more than rustc's default query depth.
#![recursion_limit = "256"]
#![forbid(unsafe_code)]

mod clerk;
pub mod components;
pub use clerk_core as core;
pub mod hooks;
mod io;
mod provider;
pub mod server;
pub mod ui;

pub use crate::clerk::{
    AttemptFactor, AuthenticatedRequest, Clerk, ClerkOptions, ClerkStatus, ClientResource,
    CreateOrganizationParams, EmailAddressResource, GetTokenOptions, MembershipsPage,
    OrganizationInvitationResource, OrganizationResource, PhoneNumberResource, PrepareFactor,
    ResetPassword, SessionResource, SessionTarget, SessionWithActivitiesResource, SetActive,
    SignInCreate, SignInResource, SignInStep, SignOut, SignUpFields, SignUpResource, SignUpStep,
    UpdateOrganizationParams, UpdateUser, UserOrganizationInvitationResource, UserResource,
};
pub use crate::components::*;
pub use crate::core::authz::{Authorization, Has, Reverification};
pub use crate::core::error::ClerkError;
pub use crate::core::state::AuthState;
pub use crate::hooks::*;
pub use crate::provider::{ClerkProvider, provide_clerk};
#[cfg(feature = "ui")]
pub use crate::ui::{
    CreateOrganization, OrganizationProfile, OrganizationSwitcher, SignIn, SignUp, UserAvatar,
    UserButton, UserProfile,
};

/// Everything an app usually needs, for a glob import. [`Show`] is left out because
/// `leptos::prelude` has a `Show` too: use `leptos_clerk::Show`.
pub mod prelude {
    pub use crate::components::{
        ClerkDegraded, ClerkFailed, ClerkLoaded, ClerkLoading, Protect, RedirectToSignIn,
        RedirectToSignUp, SignInButton, SignOutButton, SignUpButton, SignedIn, SignedOut, When,
    };
    pub use crate::hooks::*;
    /// The prebuilt components (feature `ui`, on by default).
    #[cfg(feature = "ui")]
    pub use crate::ui::{
        CreateOrganization, OrganizationProfile, OrganizationSwitcher, SignIn, SignUp, UserAvatar,
        UserButton, UserProfile,
    };
    pub use crate::{
        AuthState, AuthenticatedRequest, Clerk, ClerkError, ClerkOptions, ClerkProvider,
        ClerkStatus, GetTokenOptions, Has, SetActive, SignOut,
    };
}
