// examples/ssr (Leptos SSR + hydration on axum, behind clerk-backend's ClerkLayer) on a port of our choosing, built
// by cargo-leptos: the server binary (target/debug from `cargo leptos build`, which test.sh step `e2e` runs;
// target/release from `cargo leptos build --release`, which the benchmark perf-ssr.mjs needs) and its site
// (target/site: the wasm half, the JS glue, the CSS). It proxies /v1/ to the dev server, whose keys it is given,
// and takes webhooks at /api/webhooks/clerk.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT, TARGET_DIR } from './paths.mjs';
import { startListeningServer } from './api-server.mjs';

export const SSR_SERVER_BIN = process.env.CLERK_EXAMPLE_SSR_BIN ?? path.join(TARGET_DIR, 'debug', 'leptos-clerk-example-ssr');
export const SSR_SERVER_RELEASE_BIN = path.join(TARGET_DIR, 'release', 'leptos-clerk-example-ssr');
// the site's folder is set in examples/ssr/Cargo.toml (site-root, relative to the workspace), not by cargo's target dir
export const SSR_SITE_ROOT = process.env.CLERK_EXAMPLE_SSR_SITE ?? path.join(ROOT, 'target', 'site');

/**
 * @param {object} options
 * @param {{url: string, publishableKey: string, secretKey: string, backendApiUrl: string, webhookSigningSecret: string}} options.devServer
 * @param {number} options.port the port (the dev server's --webhook must know it first)
 * @param {string} [options.bin] the server binary (default: the debug build, or $CLERK_EXAMPLE_SSR_BIN)
 * @returns {Promise<{url: string, lines: string[], stderr: () => string, stop: () => Promise<void>}>}
 */
export async function startSsrServer({ devServer, port, bin = SSR_SERVER_BIN, timeoutMs = 30_000 }) {
  for (const need of [bin, path.join(SSR_SITE_ROOT, 'pkg', 'leptos-clerk-example-ssr.wasm')]) {
    const build = bin === SSR_SERVER_RELEASE_BIN ? 'cargo leptos build --release' : 'cargo leptos build';
    if (!existsSync(need)) throw new Error(`missing ${need}: run \`cd examples/ssr && ${build}\``);
  }
  // Only what we pass: no CLERK_* or LEPTOS_* from the caller's environment.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(CLERK_|LEPTOS_)/.test(k)));
  Object.assign(env, {
    LEPTOS_OUTPUT_NAME: 'leptos-clerk-example-ssr',
    LEPTOS_SITE_ROOT: SSR_SITE_ROOT,
    LEPTOS_SITE_PKG_DIR: 'pkg',
    LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
    LEPTOS_ENV: 'PROD',
    CLERK_DEV_SERVER_URL: devServer.url,
    CLERK_PUBLISHABLE_KEY: devServer.publishableKey,
    CLERK_SECRET_KEY: devServer.secretKey,
    CLERK_API_URL: devServer.backendApiUrl,
    CLERK_WEBHOOK_SIGNING_SECRET: devServer.webhookSigningSecret,
    SYNCED_USERS_DB: ':memory:',
  });
  return startListeningServer({ bin, env, name: 'ssr server', timeoutMs });
}

/**
 * Opens `url` and waits until the page has hydrated: examples/ssr hydrates when the browser is idle
 * (`<HydrationScripts defer>`), and marks `body[data-hydrated]` from its first effect. Before that, the server's
 * HTML is on screen but a click or a typed value would not reach the app.
 * @param {import('playwright-core').Page} page
 * @param {string} url
 */
export async function openHydrated(page, url, { timeout = 20_000, ...options } = {}) {
  await page.goto(url, options);
  await page.locator('body[data-hydrated]').waitFor({ state: 'attached', timeout });
}
