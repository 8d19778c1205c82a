//! The prebuilt components: [`SignIn`](fn@SignIn), [`SignUp`](fn@SignUp), [`UserButton`],
//! [`UserProfile`], [`OrganizationSwitcher`], [`CreateOrganization`](fn@CreateOrganization),
//! [`OrganizationProfile`] and [`UserAvatar`], behind the default cargo feature `ui`.
//!
//! They are Leptos components in your wasm, styled by one stylesheet,
//! `style/leptos-clerk.css` (classes with the `cl-` prefix and CSS custom properties), with no
//! inline `<script>` or `<style>`: they work under a strict Content-Security-Policy. Their look
//! comes from an [`Appearance`] (theme, variables, extra classes per element) and their words
//! from a [`Localization`] (complete ones for five languages in [`localizations`]), both given
//! to [`ClerkProvider`](crate::ClerkProvider) (or an appearance to one component).
//!
//! ```no_run
//! use leptos::prelude::*;
//! use leptos_clerk::{ClerkProvider, SignedIn, SignedOut, SignIn, UserButton};
//! use leptos_clerk::ui::{Appearance, Theme};
//!
//! #[component]
//! fn App() -> impl IntoView {
//!     view! {
//!         <ClerkProvider publishable_key="pk_test_…" appearance=Appearance::new().theme(Theme::Auto)>
//!             <SignedOut><SignIn/></SignedOut>
//!             <SignedIn><UserButton/></SignedIn>
//!         </ClerkProvider>
//!     }
//! }
//! ```
//!
//! Link the stylesheet once, for example with trunk:
//! `<link data-trunk rel="css" href="…/leptos-clerk/style/leptos-clerk.css" />`.
//!
//! Without the `ui` feature this module keeps only [`Appearance`] and [`Localization`] (plain
//! data, so `ClerkProvider` has the same props either way).

mod appearance;
mod localization;
pub mod localizations;

pub use appearance::{Appearance, ELEMENTS, Theme, Variables};
pub use localization::{Localization, Piece, fill, split_placeholders};

#[cfg(feature = "ui")]
mod create_organization;
#[cfg(feature = "ui")]
mod form;
#[cfg(feature = "ui")]
mod kit;
#[cfg(feature = "ui")]
mod menu;
#[cfg(feature = "ui")]
mod organization_profile;
#[cfg(feature = "ui")]
mod organization_switcher;
#[cfg(feature = "ui")]
mod sign_in;
#[cfg(feature = "ui")]
mod sign_up;
#[cfg(feature = "ui")]
mod stylesheet;
#[cfg(feature = "ui")]
mod user_button;
#[cfg(feature = "ui")]
mod user_profile;

#[cfg(feature = "ui")]
pub use create_organization::CreateOrganization;
#[cfg(feature = "ui")]
pub use organization_profile::OrganizationProfile;
#[cfg(feature = "ui")]
pub use organization_switcher::OrganizationSwitcher;
#[cfg(feature = "ui")]
pub use sign_in::SignIn;
#[cfg(feature = "ui")]
pub use sign_up::SignUp;
#[cfg(feature = "ui")]
pub use stylesheet::{ClerkStylesheet, STYLESHEET};
#[cfg(feature = "ui")]
pub use user_button::{UserAvatar, UserButton};
#[cfg(feature = "ui")]
pub use user_profile::UserProfile;
