//! clerk-dev-server: a local Clerk Frontend API.
fn main() {}
