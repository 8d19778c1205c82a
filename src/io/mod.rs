//! The browser: HTTP with `fetch`, the clock, cookies, window events, navigation and
//! BroadcastChannel. The only layer that touches web APIs.

pub(crate) mod broadcast;
pub(crate) mod browser;
pub(crate) mod http;
