// Figures of examples/ssr (Leptos SSR + hydration, release build) against the official clerk-js, on one dev server,
// in one run:
//
// - a returning user's time from navigation start to the first paint that shows signed-in content, median of N
//   loads, alternating: examples/ssr's home page (the server sends `#home-signed-in`, so it is the later of the
//   element's arrival and the first paint) and the clerk-js page of perf.mjs (`#home-signed-in` inserted once
//   `Clerk.load()` knows the user; its paint time is Element Timing's `renderTime`, the page marks it with
//   `elementtiming`: both sides are measured at the paint; the insertion time, perf.mjs's measure and a few ms
//   earlier, is printed too). Every file is fetched again on each load (no-store for the clerk-js page; the SSR
//   page is never cached).
// - the SSR server's response time for that signed-in page under 32 concurrent connections (keep-alive, each
//   request with the signed-in cookies; ClerkLayer verifies the token and `load_resources` fetches the user from the
//   dev server's Backend API for each): p50, p99 and requests per second over a few seconds.
//
// Run:  (cd examples/ssr && cargo leptos build --release) && node e2e/perf-ssr.mjs [N]
// (right before: the debug `cargo leptos build` of test.sh's e2e step writes the same target/site, and the release
// server then serves a debug wasm that does not match it)
// (the release build of examples/ssr, and the dev server binary as the e2e tests build it: cargo build -p
// clerk-dev-server). Not part of ./test.sh: CI builds examples/ssr in debug for its tests, which would make these
// figures meaningless.
import { mkdtemp, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cookieHeader, freePort, launchBrowser, serveDist, startDevServer } from './lib/index.mjs';
import { SEED_PASSWORD } from './lib/app.mjs';
import { SSR_SERVER_RELEASE_BIN, openHydrated, startSsrServer } from './lib/ssr-server.mjs';
import { clerkJsPage, median, timeToSignedIn } from './perf.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLERK_JS_DIST = path.join(HERE, 'node_modules', '@clerk', 'clerk-js', 'dist');
const USER = 'ada+clerk_test@example.com';

/** Records when `#home-signed-in` first exists and when the first paint happens, from before the first byte. */
const PROBE = `(() => {
  const seen = (window.__seen = {});
  const check = () => {
    if (!('home-signed-in' in seen) && document.getElementById('home-signed-in')) seen['home-signed-in'] = performance.now();
    if (!('hydrated' in seen) && document.body?.hasAttribute('data-hydrated')) seen.hydrated = performance.now();
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-hydrated'] });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'first-paint' && !('paint' in seen)) seen.paint = e.startTime;
  }).observe({ type: 'paint', buffered: true });
  // the clerk-js page's element carries elementtiming: the time its text was painted
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.identifier === 'home-signed-in' && !('rendered' in seen)) seen.rendered = e.renderTime || e.loadTime;
  }).observe({ type: 'element', buffered: true });
})();`;

/**
 * On the SSR page, ms from navigation start to the first paint showing `#home-signed-in`, and to hydration
 * (`body[data-hydrated]`, set by the app's first effect: from then on the page answers clicks).
 */
async function ssrTimeToSignedIn(page, url) {
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator('#home-signed-in').waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => 'paint' in (window.__seen ?? {}) && 'hydrated' in window.__seen, null, { timeout: 30_000 });
  const seen = await page.evaluate(() => window.__seen);
  return { paint: Math.max(seen['home-signed-in'], seen.paint), hydrated: seen.hydrated };
}

/**
 * On the clerk-js page, ms from navigation start to the paint of `#home-signed-in` (Element Timing's renderTime),
 * and to its insertion (what perf.mjs reports, before the paint).
 */
async function jsTimeToSignedIn(page, url) {
  const inserted = await timeToSignedIn(page, url);
  await page.waitForFunction(() => 'rendered' in (window.__seen ?? {}), null, { timeout: 30_000 });
  const painted = await page.evaluate(() => window.__seen.rendered);
  return { painted, inserted };
}

/** `concurrency` keep-alive loops GETting `url` for `seconds`: latency percentiles and throughput. */
async function load(url, headers, { concurrency = 32, seconds = 5 } = {}) {
  const latencies = [];
  let failures = 0;
  const end = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const r = await fetch(url, { headers });
      const body = await r.text();
      if (r.status === 200 && body.includes('id="home-signed-in"')) latencies.push(performance.now() - t0);
      else failures++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  return { requests: sorted.length, failures, rps: sorted.length / elapsed, p50: pct(50), p99: pct(99) };
}

/**
 * @param {{runs?: number, log?: (line: string) => void}} [options]
 */
export async function measure({ runs = 10, log = console.log } = {}) {
  const devServer = await startDevServer();
  const cleanups = [() => devServer.stop()];
  try {
    const ssr = await startSsrServer({ devServer, port: await freePort(), bin: SSR_SERVER_RELEASE_BIN });
    cleanups.push(() => ssr.stop());
    const clerkDir = await mkdtemp(path.join(os.tmpdir(), 'clerk-js-page-'));
    await writeFile(path.join(clerkDir, 'index.html'), clerkJsPage(devServer.publishableKey));
    await symlink(CLERK_JS_DIST, path.join(clerkDir, 'clerk-js'));
    const clerkJs = await serveDist({ dir: clerkDir, proxy: devServer.url, cacheControl: 'no-store' });
    cleanups.push(() => clerkJs.stop());
    const browser = await launchBrowser();
    cleanups.push(() => browser.close());

    // one browser profile per page, signed in once: every measured load is a returning user's
    const ssrContext = await browser.newContext();
    await ssrContext.addInitScript(PROBE);
    const ssrPage = await ssrContext.newPage();
    await openHydrated(ssrPage, `${ssr.url}/sign-in`);
    await ssrPage.getByLabel('Email address, username or phone number').fill(USER);
    await ssrPage.getByRole('button', { name: 'Continue' }).click();
    await ssrPage.getByLabel('Password', { exact: true }).fill(SEED_PASSWORD);
    await ssrPage.getByRole('button', { name: 'Continue' }).click();
    await ssrPage.locator('#home-signed-in').waitFor({ timeout: 30_000 });

    const jsContext = await browser.newContext();
    await jsContext.addInitScript(PROBE);
    const jsPage = await jsContext.newPage();
    await jsPage.goto(`${clerkJs.url}/`);
    await jsPage.evaluate(async ({ identifier, password }) => {
      await window.__load;
      const signIn = await window.Clerk.client.signIn.create({ identifier, password, strategy: 'password' });
      await window.Clerk.setActive({ session: signIn.createdSessionId });
    }, { identifier: USER, password: SEED_PASSWORD });

    // a warm-up load each, then alternate so both see the same machine load
    await ssrTimeToSignedIn(ssrPage, `${ssr.url}/`);
    await jsTimeToSignedIn(jsPage, `${clerkJs.url}/`);
    const ssrMs = [];
    const hydratedMs = [];
    const jsMs = [];
    const jsInsertedMs = [];
    for (let i = 0; i < runs; i++) {
      const { paint, hydrated } = await ssrTimeToSignedIn(ssrPage, `${ssr.url}/`);
      ssrMs.push(paint);
      hydratedMs.push(hydrated);
      const { painted, inserted } = await jsTimeToSignedIn(jsPage, `${clerkJs.url}/`);
      jsMs.push(painted);
      jsInsertedMs.push(inserted);
    }

    // the signed-in page under load, with the cookies the library keeps fresh
    await ssrPage.goto(`${ssr.url}/`);
    await ssrPage.locator('#home-signed-in').waitFor();
    const cookies = await ssrContext.cookies(ssr.url);
    const headers = { cookie: cookieHeader(cookies), accept: 'text/html', 'sec-fetch-dest': 'document' };
    const loaded = await load(`${ssr.url}/`, headers);
    await ssrContext.close();
    await jsContext.close();

    const ms = (n) => `${n.toFixed(0)} ms`;
    log(`returning user, navigation start -> first paint showing signed-in content, median of ${runs} (same run, same dev server):`);
    log(`  ${'examples/ssr'.padStart(13)} ${'clerk-js page'.padStart(14)} ${'ratio'.padStart(6)}`);
    log(`  ${ms(median(ssrMs)).padStart(13)} ${ms(median(jsMs)).padStart(14)} ${(median(ssrMs) / median(jsMs)).toFixed(2).padStart(6)}`);
    log(`  runs: ssr [${ssrMs.map((x) => x.toFixed(0)).join(', ')}] clerk-js [${jsMs.map((x) => x.toFixed(0)).join(', ')}]`);
    log(`  clerk-js page: #home-signed-in inserted at ${ms(median(jsInsertedMs))} (median; perf.mjs's measure), painted at ${ms(median(jsMs))}`);
    log(`  examples/ssr hydrated (interactive; it hydrates when idle) at ${ms(median(hydratedMs))}, median [${hydratedMs.map((x) => x.toFixed(0)).join(', ')}]`);
    log(`SSR of the signed-in home page, 32 concurrent connections, 5 s: p50 ${loaded.p50.toFixed(1)} ms, p99 ${loaded.p99.toFixed(1)} ms, ${loaded.rps.toFixed(0)} pages/s (${loaded.requests} pages, ${loaded.failures} not signed in or failed)`);
    return { ssrMs, jsMs, hydratedMs, ssr: median(ssrMs), clerkJs: median(jsMs), hydrated: median(hydratedMs), load: loaded };
  } finally {
    for (const c of cleanups.reverse()) await c().catch((e) => console.error('cleanup failed:', e));
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await measure({ runs: Number(process.argv[2] ?? 10) });
}
