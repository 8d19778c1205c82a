//! The provider natively (server-side rendering): inert, loading, and never nested.
#![cfg(not(target_arch = "wasm32"))]

use leptos::prelude::*;
use leptos_clerk::{AuthState, ClerkOptions, ClerkStatus, provide_clerk, use_auth, use_clerk};

fn options() -> ClerkOptions {
    ClerkOptions {
        publishable_key: "pk_test_Y2xlcmstZGV2LXNlcnZlci5sY2wuZGV2JA".into(),
        ..ClerkOptions::default()
    }
}

#[test]
fn outside_a_browser_the_state_stays_loading() {
    let owner = Owner::new();
    owner.with(|| {
        let clerk = provide_clerk(options());
        assert_eq!(clerk.status().get_untracked(), ClerkStatus::Loading);
        assert_eq!(clerk.auth_state().get_untracked(), AuthState::Loading);
        let auth = use_auth();
        assert_eq!(auth.is_signed_in.get_untracked(), None);
        assert!(!auth.is_loaded.get_untracked());
        assert_eq!(use_clerk().request_count(), 0);
    });
}

#[test]
fn nesting_providers_is_an_error_that_says_so() {
    let owner = Owner::new();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        owner.with(|| {
            provide_clerk(options());
            provide_clerk(options());
        })
    }));
    assert!(panic_text(result.unwrap_err()).contains("cannot be nested"));
}

#[test]
fn hooks_outside_the_provider_name_it() {
    let owner = Owner::new();
    let result =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| owner.with(|| use_auth())));
    assert!(panic_text(result.err().unwrap()).contains("<ClerkProvider>"));
}

fn panic_text(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}
