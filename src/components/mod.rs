//! Control components (all over one [`Show`] core) and unstyled buttons.

mod buttons;
mod control;

pub use buttons::{SignInButton, SignOutButton, SignUpButton};
pub use control::{
    ClerkDegraded, ClerkFailed, ClerkLoaded, ClerkLoading, Condition, Protect, RedirectToSignIn,
    RedirectToSignUp, Show, SignedIn, SignedOut, When,
};
