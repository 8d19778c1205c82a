//! Control components (all over one [`Show`] core) and unstyled buttons.

mod buttons;
mod control;
mod dev_notice;

pub use buttons::{SignInButton, SignOutButton, SignUpButton};
pub use control::{
    ClerkDegraded, ClerkFailed, ClerkLoaded, ClerkLoading, Condition, Protect, RedirectToSignIn,
    RedirectToSignUp, Show, SignedIn, SignedOut, When,
};
pub use dev_notice::DevNotice;
