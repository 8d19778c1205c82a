//! The example servers' shared parts (`examples/api` and `examples/ssr`): the Frontend API
//! [`proxy`], the instance [`keys`] from the dev server, and the webhook-[`synced`] users.

pub mod keys;
pub mod proxy;
pub mod synced;
