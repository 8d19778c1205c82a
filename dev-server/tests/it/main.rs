//! The dev server's integration tests, in one binary (one link instead of one per file):
//! in-process route tests per resource (`app(state).oneshot(..)`) and the persistence tests that
//! run the real binary.

mod common;

mod bapi;
mod bapi_orgs;
mod bapi_sessions;
mod bapi_users;
mod client;
mod handshake;
mod me_orgs;
mod persistence;
mod profile;
mod session;
mod sign_in;
mod sign_up;
mod webhooks;
