//! Hooks, one per file, named after Clerk's (`useAuth` is [`use_auth`]). Each returns a
//! `Copy` struct of narrow read-only signals, and methods for the actions.

mod use_auth;
mod use_clerk;
mod use_organization;
mod use_organization_list;
mod use_session;
mod use_session_list;
mod use_sign_in;
mod use_sign_up;
mod use_user;

pub use use_auth::{UseAuthOptions, UseAuthReturn, use_auth, use_auth_with_options};
pub use use_clerk::{try_use_clerk, use_clerk};
pub use use_organization::{
    UseOrganizationOptions, UseOrganizationReturn, use_organization, use_organization_with_options,
};
pub use use_organization_list::{UseOrganizationListReturn, use_organization_list};
pub use use_session::{UseSessionReturn, use_session};
pub use use_session_list::{UseSessionListReturn, use_session_list};
pub use use_sign_in::{UseSignInReturn, use_sign_in};
pub use use_sign_up::{UseSignUpReturn, use_sign_up};
pub use use_user::{UseUserReturn, use_user};
