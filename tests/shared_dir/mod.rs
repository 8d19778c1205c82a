//! Where Clerk's own files are: the FAPI OpenAPI spec and the clerk-js payloads are Clerk's, not
//! this repository's, so they are not committed here. They sit in one folder named by
//! `LEPTOS_CLERK_SHARED_DIR` (default: `../shared` beside the checkout), with `fapi/`, `bapi/`
//! and `fixtures/clerk-js/` inside. `./test.sh` skips the tests that read it, by name, when it is
//! missing; run directly, they fail with this message instead of passing.

use std::path::PathBuf;

/// `$LEPTOS_CLERK_SHARED_DIR/<relative>`, or a panic that says what is missing and how to provide it.
pub fn shared_file(relative: &str) -> PathBuf {
    let dir = std::env::var_os("LEPTOS_CLERK_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let path = dir.join(relative);
    assert!(
        path.exists(),
        "{} is missing. This test reads Clerk's OpenAPI specs and clerk-js fixtures, which are not in \
         this repository: set LEPTOS_CLERK_SHARED_DIR to the folder that holds fapi/, bapi/ and \
         fixtures/clerk-js/ (default: ../shared beside the checkout). ./test.sh skips these tests by \
         name when the folder is missing.",
        path.display()
    );
    path
}
