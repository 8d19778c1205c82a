// Figures of examples/app against the official clerk-js, on one dev server, in one run:
//
// - page weight of the app's home page: the wasm, JS and CSS it loads, raw and gzip -9;
// - time from navigation start to the first signed-in render for a returning user (signed in before, same
//   browser profile), median of N loads, for the app's home page (`#home-signed-in` appears) and for a small page
//   on the official clerk-js (npm @clerk/clerk-js browser bundle, `proxyUrl` = its own origin, which forwards
//   /v1/ to the same dev server: `await Clerk.load()`, then it renders `#home-signed-in` when `Clerk.user` is
//   set). The ratio app / clerk-js is the figure. Measured twice: with every file fetched again on each load
//   (Cache-Control: no-store) and with the HTTP cache warm (max-age; HTML always fetched).
//
// Run:  node e2e/perf.mjs [N]          (needs examples/app/dist and the dev server binary, like the e2e tests)
// `./test.sh e2e` runs it through perf.test.mjs, which prints the same table.
import { mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, serveDist, startDevServer } from './lib/index.mjs';
import { APP_DIST, SEED_PASSWORD, firstSeenScript } from './lib/app.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLERK_JS_DIST = path.join(HERE, 'node_modules', '@clerk', 'clerk-js', 'dist');
const USER = 'ada+clerk_test@example.com';
const MARK = 'home-signed-in';

/** The clerk-js page: what a minimal clerk-js app does for a returning user. */
export function clerkJsPage(publishableKey) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>clerk-js</title><link rel="icon" href="data:,"></head>
<body><main id="app"></main>
<script src="/clerk-js/clerk.browser.js" data-clerk-publishable-key="${publishableKey}"
  data-clerk-proxy-url="/"></script>
<script>
  window.__load = window.Clerk.load().then(() => {
    if (window.Clerk.user) {
      const p = document.createElement('p');
      p.id = '${MARK}';
      p.setAttribute('elementtiming', '${MARK}'); // its paint time, for perf-ssr.mjs (Element Timing)
      p.textContent = 'Signed in as ' + window.Clerk.user.primaryEmailAddress.emailAddress;
      document.getElementById('app').append(p);
    }
  });
</script>
</body></html>`;
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Loads `url` in `page` and answers ms from navigation start to the first `#home-signed-in`. */
export async function timeToSignedIn(page, url) {
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator(`#${MARK}`).waitFor({ timeout: 30_000 });
  const at = await page.evaluate((id) => window.__seen?.[id], MARK);
  if (typeof at !== 'number') throw new Error(`no first-seen time for #${MARK} on ${url}`);
  return at;
}

/** The wasm, JS and CSS a page load fetches from its own origin: bytes raw and gzip -9. */
async function pageWeight(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const bodies = [];
  page.on('response', (res) => {
    const u = new URL(res.url());
    if (u.origin === new URL(url).origin && /\.(wasm|js|css)$/.test(u.pathname)) {
      bodies.push(res.body().then((b) => ({ file: path.basename(u.pathname), raw: b.length, gzip: gzipSync(b, { level: 9 }).length })));
    }
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  const files = (await Promise.all(bodies)).sort((a, b) => a.file.localeCompare(b.file));
  await context.close();
  const sum = (k) => files.reduce((n, f) => n + f[k], 0);
  return { files, raw: sum('raw'), gzip: sum('gzip') };
}

/**
 * @param {{runs?: number, log?: (line: string) => void}} [options]
 */
export async function measure({ runs = 10, log = console.log } = {}) {
  const devServer = await startDevServer();
  const cleanups = [() => devServer.stop()];
  try {
    const clerkDir = await mkdtemp(path.join(os.tmpdir(), 'clerk-js-page-'));
    await writeFile(path.join(clerkDir, 'index.html'), clerkJsPage(devServer.publishableKey));
    await symlink(CLERK_JS_DIST, path.join(clerkDir, 'clerk-js'));
    const browser = await launchBrowser();
    cleanups.push(() => browser.close());

    const sites = {};
    for (const cache of ['no-store', 'max-age=3600']) {
      const app = await serveDist({ dir: APP_DIST, proxy: devServer.url, cacheControl: cache });
      const clerkJs = await serveDist({ dir: clerkDir, proxy: devServer.url, cacheControl: cache });
      cleanups.push(() => app.stop(), () => clerkJs.stop());
      sites[cache] = { app, clerkJs };
    }

    // page weight of the app's home page (signed out: the same files load either way)
    const weight = await pageWeight(browser, `${sites['no-store'].app.url}/`);
    const clerkJsWeight = await pageWeight(browser, `${sites['no-store'].clerkJs.url}/`);

    const results = {};
    for (const [cache, { app, clerkJs }] of Object.entries(sites)) {
      // one browser profile per page, signed in once: every measured load is a returning user's
      const appContext = await browser.newContext();
      await appContext.addInitScript(firstSeenScript([MARK]));
      const appPage = await appContext.newPage();
      await appPage.goto(`${app.url}/custom`);
      await appPage.locator('#custom-sign-in-identifier').fill(USER);
      await appPage.locator('#custom-sign-in-password').fill(SEED_PASSWORD);
      await appPage.locator('#custom-sign-in-submit').click();
      await appPage.locator(`#${MARK}`).waitFor({ timeout: 30_000 });

      const jsContext = await browser.newContext();
      await jsContext.addInitScript(firstSeenScript([MARK]));
      const jsPage = await jsContext.newPage();
      await jsPage.goto(`${clerkJs.url}/`);
      await jsPage.evaluate(async ({ identifier, password }) => {
        await window.__load;
        const signIn = await window.Clerk.client.signIn.create({ identifier, password, strategy: 'password' });
        await window.Clerk.setActive({ session: signIn.createdSessionId });
      }, { identifier: USER, password: SEED_PASSWORD });

      // a warm-up load each, then alternate so both see the same machine load
      await timeToSignedIn(appPage, `${app.url}/`);
      await timeToSignedIn(jsPage, `${clerkJs.url}/`);
      const appMs = [];
      const jsMs = [];
      for (let i = 0; i < runs; i++) {
        appMs.push(await timeToSignedIn(appPage, `${app.url}/`));
        jsMs.push(await timeToSignedIn(jsPage, `${clerkJs.url}/`));
      }
      // FAPI requests of one returning-user load
      const fapiCount = async (page, url, site) => {
        const before = site.requests.length;
        await timeToSignedIn(page, url);
        await page.waitForLoadState('networkidle');
        return site.requests.slice(before).filter((r) => r.url.startsWith('/v1/')).map((r) => `${r.method} ${r.url.split('?')[0]}`);
      };
      const appFapi = await fapiCount(appPage, `${app.url}/`, app);
      const jsFapi = await fapiCount(jsPage, `${clerkJs.url}/`, clerkJs);
      await appContext.close();
      await jsContext.close();
      results[cache] = { appMs, jsMs, app: median(appMs), clerkJs: median(jsMs), appFapi, jsFapi };
    }

    const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
    const ms = (n) => `${n.toFixed(0)} ms`;
    log(`page weight, examples/app home page (release build), wasm + JS + CSS: ${kb(weight.raw)} raw, ${kb(weight.gzip)} gzip -9`);
    for (const f of weight.files) log(`  ${f.file.padEnd(56)} ${String(f.raw).padStart(9)} B ${String(f.gzip).padStart(8)} B gzip`);
    log(`  (the clerk-js page loads ${kb(clerkJsWeight.raw)} raw, ${kb(clerkJsWeight.gzip)} gzip -9 of JS from its origin)`);
    log(`returning user, navigation start -> first signed-in render, median of ${runs} (same run, same dev server):`);
    log(`  ${'HTTP cache'.padEnd(28)} ${'examples/app'.padStart(13)} ${'clerk-js page'.padStart(14)} ${'ratio'.padStart(6)}`);
    for (const [cache, r] of Object.entries(results)) {
      const label = cache === 'no-store' ? 'cold (no-store)' : 'warm (max-age, HTML fetched)';
      log(`  ${label.padEnd(28)} ${ms(r.app).padStart(13)} ${ms(r.clerkJs).padStart(14)} ${(r.app / r.clerkJs).toFixed(2).padStart(6)}`);
    }
    for (const [cache, r] of Object.entries(results)) {
      log(`  runs (${cache}): app [${r.appMs.map((x) => x.toFixed(0)).join(', ')}] clerk-js [${r.jsMs.map((x) => x.toFixed(0)).join(', ')}]`);
    }
    const r = results['no-store'];
    log(`  FAPI requests per load: app ${r.appFapi.length} (${r.appFapi.join(', ')}); clerk-js ${r.jsFapi.length} (${r.jsFapi.join(', ')})`);
    return { weight, clerkJsWeight, results };
  } finally {
    for (const c of cleanups.reverse()) await c().catch((e) => console.error('cleanup failed:', e));
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const runs = Number(process.argv[2] ?? 10);
  await readFile(path.join(APP_DIST, 'index.html')).catch(() => {
    console.error(`${APP_DIST} is missing: ./test.sh trunk (or trunk build --release in examples/app)`);
    process.exit(1);
  });
  await measure({ runs });
}
