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

pub use use_auth::{use_auth, use_auth_with_options, UseAuthOptions, UseAuthReturn};
pub use use_clerk::{try_use_clerk, use_clerk};
pub use use_organization::{
    use_organization, use_organization_with_options, UseOrganizationOptions, UseOrganizationReturn,
};
pub use use_organization_list::{use_organization_list, UseOrganizationListReturn};
pub use use_session::{use_session, UseSessionReturn};
pub use use_session_list::{use_session_list, UseSessionListReturn};
pub use use_sign_in::{use_sign_in, UseSignInReturn};
pub use use_sign_up::{use_sign_up, UseSignUpReturn};
pub use use_user::{use_user, UseUserReturn};
