// Where things are, from the environment test.sh sets, with defaults that work from a checkout.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** cargo's target directory (`$CARGO_TARGET_DIR`, else target/ in the checkout), where the binaries are. */
export const TARGET_DIR = process.env.CARGO_TARGET_DIR ? path.resolve(process.env.CARGO_TARGET_DIR) : path.join(ROOT, 'target');
/** The clerk-dev-server binary (test.sh builds it: `cargo build -p clerk-dev-server`). */
export const DEV_SERVER_BIN = process.env.CLERK_DEV_SERVER_BIN ?? path.join(TARGET_DIR, 'debug', 'clerk-dev-server');
/** examples/api, the example app's axum server (test.sh builds it: `cargo build -p leptos-clerk-example-api`). */
export const API_SERVER_BIN = process.env.CLERK_EXAMPLE_API_BIN ?? path.join(TARGET_DIR, 'debug', 'leptos-clerk-example-api');
/** The default seed the example apps use. */
export const DEV_SERVER_SEED = process.env.CLERK_DEV_SERVER_SEED ?? path.join(ROOT, 'dev-server', 'seed.toml');
/** The example apps; each one's `dist/` is built by `trunk build --release` (test.sh step `trunk`). */
export const EXAMPLES_DIR = process.env.EXAMPLES_DIR ?? path.join(ROOT, 'examples');
/** Screenshots and other artifacts: outside every folder trunk watches. */
export const ARTIFACTS_DIR = process.env.E2E_ARTIFACTS_DIR ?? path.join(ROOT, 'target', 'e2e');
