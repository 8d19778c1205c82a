//! # leptos-clerk
//!
//! [Clerk](https://clerk.com) authentication for [Leptos](https://leptos.dev) 0.8, speaking
//! Clerk's Frontend API natively from wasm: no clerk-js, no remote script.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod core;

pub use crate::core::error::ClerkError;
